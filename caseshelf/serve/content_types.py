"""The Content-Type of each file the site can contain.

A fixed table rather than the `mimetypes` module alone: that one reads the machine's
`/etc/mime.types` or the Windows registry, which have served `.js` as `text/plain` and know
nothing of `.ris`, `.bib` or Pagefind's files. Values follow what GitHub Pages sends.
"""

from __future__ import annotations

import mimetypes
from pathlib import PurePath

_UTF8 = "; charset=utf-8"

CONTENT_TYPES: dict[str, str] = {
    ".html": "text/html" + _UTF8,
    ".htm": "text/html" + _UTF8,
    ".css": "text/css" + _UTF8,
    ".js": "text/javascript" + _UTF8,
    ".mjs": "text/javascript" + _UTF8,
    ".json": "application/json" + _UTF8,
    ".map": "application/json" + _UTF8,
    ".webmanifest": "application/manifest+json" + _UTF8,
    ".xml": "application/xml" + _UTF8,
    ".atom": "application/atom+xml" + _UTF8,
    ".rss": "application/rss+xml" + _UTF8,
    ".xsl": "application/xslt+xml" + _UTF8,
    ".txt": "text/plain" + _UTF8,
    ".md": "text/markdown" + _UTF8,
    ".csv": "text/csv" + _UTF8,
    ".ris": "application/x-research-info-systems" + _UTF8,
    ".bib": "application/x-bibtex" + _UTF8,
    ".enw": "application/x-endnote-refer" + _UTF8,
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/vnd.microsoft.icon",
    ".pdf": "application/pdf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".wasm": "application/wasm",
    # Pagefind's index: gzip-compressed binary chunks read by its own JavaScript.
    ".pf_meta": "application/octet-stream",
    ".pf_index": "application/octet-stream",
    ".pf_fragment": "application/octet-stream",
    ".pf_filter": "application/octet-stream",
}


def content_type(path: PurePath) -> str:
    suffix = path.suffix.lower()
    if suffix in CONTENT_TYPES:
        return CONTENT_TYPES[suffix]
    guessed, _ = mimetypes.guess_type(path.name, strict=False)
    return guessed or "application/octet-stream"


def is_html(content_type_value: str) -> bool:
    return content_type_value.startswith("text/html")
