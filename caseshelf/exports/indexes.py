"""Machine-readable indexes of the whole archive: doi.json (DOI -> page) and articles.json
(every record as CSL-JSON).

Both are what `dump_json` writes (two-space indentation). articles.json is built from entries
encoded one by one, where each article's other exports are made (`csl.csl_entry`, in the
worker processes), so a build only joins them.
"""

from __future__ import annotations

from collections.abc import Mapping

from caseshelf.exports import paths
from caseshelf.exports.splice import PartSpans, note_spans
from caseshelf.exports.jsontext import dump_json
from caseshelf.site import Site


def render_doi_index(site: Site) -> bytes:
    """DOIs as written in the records, sorted case-insensitively (DOIs are case-insensitive)."""
    ordered = sorted(site.articles, key=lambda article: article.doi.lower())
    return dump_json({article.doi: paths.article_url(site.journal, article) for article in ordered})


def render_articles_index(site: Site, entries: Mapping[str, bytes], spans: dict[str, PartSpans] | None = None) -> bytes:
    """Every article as CSL-JSON, newest first: a reference manager imports the whole archive.
    `entries` maps each DOI to its CSL-JSON item, as `csl.csl_entry` encodes it; `spans` gets where
    each lies in the file (see splice.py)."""
    if not site.articles:
        return b"[]\n"
    # Assembled in place, entry after entry (see xml.to_bytes_with_parts).
    assembled, keys, found = bytearray(b"[\n"), [article.doi for article in site.articles], []
    for key in keys:
        entry = entries[key]
        found.append((len(assembled), len(entry)))
        assembled += entry
        assembled += b",\n"
    assembled[-2:] = b"\n]\n"  # no comma after the last entry
    note_spans(spans, paths.ARTICLES_INDEX, "csl", keys, found, assembled)
    return assembled
