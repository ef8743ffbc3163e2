"""Machine-readable indexes of the whole archive: doi.json (DOI -> page) and articles.json
(every record as CSL-JSON)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from caseshelf.exports import paths
from caseshelf.exports.cite import dump_json
from caseshelf.site import Site


def render_doi_index(site: Site) -> bytes:
    """DOIs as written in the records, sorted case-insensitively (DOIs are case-insensitive)."""
    ordered = sorted(site.articles, key=lambda article: article.doi.lower())
    return dump_json({article.doi: paths.article_url(site.journal, article) for article in ordered})


def render_articles_index(site: Site, items: Mapping[str, dict[str, Any]]) -> bytes:
    """Every article as CSL-JSON, newest first: a reference manager imports the whole archive.
    `items` maps each DOI to its CSL-JSON item."""
    return dump_json([items[article.doi] for article in site.articles])
