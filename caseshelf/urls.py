"""The whole URL scheme in one place: for each kind of page, its URL and its file in the output.

Every link in the site is the base path (from base_url, e.g. `/rjpho/`) plus a page's path, so
the site works at a host root and under a GitHub Pages project sub-path alike, and 404.html
works from any depth.
"""

from __future__ import annotations

import re
from urllib.parse import quote

_UNSAFE_PATH_CHARS = re.compile(r"[^a-z0-9._()\-/]")


def article_path(slug: str) -> str:
    return f"articles/{slug}/"


def author_path(slug: str) -> str:
    return f"authors/{slug}/"


def keyword_path(slug: str) -> str:
    return f"keywords/{slug}/"


def issue_path(issue_slug: str) -> str:
    return f"issues/{issue_slug}/"


def doi_path(doi: str) -> str:
    """`/doi/<doi>/`: the DOI lower-cased (DOIs are case-insensitive), unsafe characters replaced;
    a part starting with a dot starts with `_` instead (GitHub Pages publishes no hidden folder),
    and a part `index.html` is `index_html` (the page of `10.5555/p` is the file
    `doi/10.5555/p/index.html`, which `10.5555/p/index.html/x` would need as a folder)."""
    cleaned = _UNSAFE_PATH_CHARS.sub("_", doi.lower())
    return "doi/" + "/".join(_folder_name(segment) for segment in cleaned.split("/") if segment not in ("", ".", "..")) + "/"


def _folder_name(segment: str) -> str:
    if segment.startswith("."):
        return "_" + segment[1:]
    return "index_html" if segment == "index.html" else segment


HOME = ""
AUTHORS_INDEX = "authors/"
DOI_INDEX = "doi/"
ISSUES_INDEX = "issues/"
KEYWORDS_INDEX = "keywords/"
NOT_FOUND = "404.html"


def output_name(path: str) -> str:
    """The file a page path is written to: directories get an index.html."""
    return f"{path}index.html" if path == "" or path.endswith("/") else path


def link(base_path: str, path: str) -> str:
    """A link as written in pages: the base path plus the page path, percent-encoded."""
    return base_path + quote(path, safe="/()._-~")


#: Characters of a DOI that a URL cannot carry as they are, from the DOI Handbook's rules for
#: DOIs in URLs: `?` would start a query and `#` a fragment (`https://doi.org/10.5555/a?b` asks
#: the resolver for 10.5555/a), `%` an escape; the others are not allowed in a URL at all.
_DOI_URL_RESERVED = '%"#? <>[]{}|\\^`'
_DOI_URL_ESCAPES = {ord(char): f"%{ord(char):02X}" for char in _DOI_URL_RESERVED}
_DOI_URL_UNSAFE = re.compile(f"[{re.escape(_DOI_URL_RESERVED)}]")


def doi_url(doi: str) -> str:
    """The https://doi.org link of a DOI: what pages link to and metadata names the work by.
    Not memoised: an archive of 100,000 articles cites over a million DOIs, and a memo of a few
    thousand of them missed nearly every time, at more than the test it saved."""
    if _DOI_URL_UNSAFE.search(doi) is None:  # nearly every DOI: nothing to escape
        return "https://doi.org/" + doi
    return "https://doi.org/" + doi.translate(_DOI_URL_ESCAPES)


def absolute(base_url: str, path: str) -> str:
    """The absolute URL of a page, for metadata that must not be relative (canonical, feeds)."""
    return base_url + quote(path, safe="/()._-~")
