"""Crossref metadata -> `ImportedArticle`s: REST API `works` JSON and deposit XML.

`read_crossref`, the reader `import crossref` calls, tells the two forms apart; crossref_json
reads the JSON and crossref_deposit the XML, each with what they share from crossref_shared.
Crossref records neither keywords nor the kind of article, so imported records have no
`keywords:` and no `type:` (the record default applies).
"""

from __future__ import annotations

from caseshelf.importers.crossref_deposit import read_crossref_xml
from caseshelf.importers.crossref_json import read_crossref_json
from caseshelf.importers.imported import ReadResult


def read_crossref(data: bytes, site_language: str = "en") -> ReadResult:
    """Either form, told apart by the first character: XML starts with `<`. Anything else is
    read as JSON, so that `null` or a bare string is said to be no works JSON, not bad XML.
    Only deposit XML says which language a title or abstract is in (`site_language` picks)."""
    if data.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] == b"<":
        return read_crossref_xml(data, site_language)
    return read_crossref_json(data)
