"""Machine-readable indexes of the whole archive: doi.json (DOI -> page) and articles.json
(every record as CSL-JSON).

Both are what `dump_json` would write (one-space indentation), but built from entries encoded
one by one: json's C encoder only runs without indentation, and its Python encoder took seconds
over 10,000 CSL items. Each articles.json entry is encoded where the article's other exports
are made (`csl_entry`, in the worker processes), so a build only joins them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from caseshelf.exports import paths
from caseshelf.site import Site


def render_doi_index(site: Site) -> bytes:
    """DOIs as written in the records, sorted case-insensitively (DOIs are case-insensitive)."""
    ordered = sorted(site.articles, key=lambda article: article.doi.lower())
    return _json_object(
        {article.doi: paths.article_url(site.journal, article) for article in ordered},
    )


def render_articles_index(site: Site, entries: Mapping[str, bytes]) -> bytes:
    """Every article as CSL-JSON, newest first: a reference manager imports the whole archive.
    `entries` maps each DOI to its CSL-JSON item, as `csl_entry` encodes it."""
    if not site.articles:
        return b"[]\n"
    return b"[\n" + b",\n".join([entries[article.doi] for article in site.articles]) + b"\n]\n"


def csl_entry(item: dict[str, Any]) -> bytes:
    """A CSL-JSON item as it stands in articles.json: one level deep in the array. A level is one
    space at the start of each line; JSON text has line breaks only between its tokens, since
    a line break inside a string is written as \\n."""
    return b" " + _dumps(item).replace(b"\n", b"\n ")


def _json_object(mapping: Mapping[str, str]) -> bytes:
    """`dump_json` of a flat mapping of strings, one key a line."""
    if not mapping:
        return b"{}\n"
    lines = [b" " + _dumps(key) + b": " + _dumps(value) for key, value in mapping.items()]
    return b"{\n" + b",\n".join(lines) + b"\n}\n"


#: `json.dumps(data, ensure_ascii=False, indent=1)` (what `dump_json` writes), made once:
#: json.dumps makes a new encoder on every call with options.
_ENCODER = json.JSONEncoder(ensure_ascii=False, indent=1)


def _dumps(data: Any) -> bytes:
    return _ENCODER.encode(data).encode("utf-8")
