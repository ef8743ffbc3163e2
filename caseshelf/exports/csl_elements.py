"""What the compiled CSL style accepts of a style element, and the markup the element asks for.

The compiled text must be exactly citeproc-py's, so the compiler knows, for each element, the
attributes citeproc-py reads and those it ignores; an element or attribute outside this table,
or a formatting value citeproc-py fails on, makes it decline (Declined); csl_compiled and
csl_compiler check every element they compile here. The markup of an element (affixes,
formatting, text-case, quotes) is read here, into a csl_renderers.Markup.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from caseshelf.exports import csl_text
from caseshelf.exports.csl_renderers import Declined, Markup

#: The CSL namespace, as lxml writes it before a tag name.
CSL = "{http://purl.org/net/xbiblio/csl}"

# The attributes each element may have: those citeproc-py reads, and those it ignores (so
# ignoring them here gives the same text). Any other makes the compiler decline.
_FORMATTING = frozenset(csl_text.FORMATTING_VALUES)
_AFFIXES = frozenset({"prefix", "suffix"})
_DISPLAYED = _FORMATTING | _AFFIXES | {"display"}
_CASED = frozenset({"text-case", "strip-periods"})
ATTRIBUTES = {
    "layout": _FORMATTING | _AFFIXES | {"delimiter"},
    "text": _DISPLAYED | _CASED | {"variable", "macro", "term", "value", "form", "plural", "quotes"},
    "group": _DISPLAYED | {"delimiter"},
    "number": _DISPLAYED | _CASED | {"variable", "form"},
    "label": _FORMATTING | _AFFIXES | _CASED | {"variable", "form", "plural"},
    "names": _DISPLAYED | {"variable", "delimiter"},
    "name": _FORMATTING | _AFFIXES | {
        "and", "delimiter", "delimiter-precedes-et-al", "delimiter-precedes-last", "et-al-min",
        "et-al-use-first", "et-al-subsequent-min", "et-al-subsequent-use-first", "et-al-use-last",
        "form", "initialize", "initialize-with", "initialize-with-hyphen", "name-as-sort-order",
        "sort-separator", "demote-non-dropping-particle",
    },  # fmt: skip
    "et-al": _FORMATTING | _AFFIXES | {"term"},
    # citeproc-py applies neither formatting nor text-case to a <date> as a whole.
    "date": _DISPLAYED | {"text-case", "variable", "form", "date-parts", "delimiter"},
    "date-part": _FORMATTING | _AFFIXES | _CASED | {"name", "form", "range-delimiter"},
    # `disambiguate` is not a test for citeproc-py (it never reads it).
    "if": frozenset({"type", "variable", "is-numeric", "is-uncertain-date", "locator", "match", "disambiguate"}),
    "choose": frozenset(), "else": frozenset(), "substitute": frozenset(), "macro": frozenset({"name"}),
}  # fmt: skip
ATTRIBUTES["else-if"] = ATTRIBUTES["if"]


def csl_tag(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str) or not tag.startswith(CSL):
        raise Declined(f"element {tag!r}")
    return tag[len(CSL) :]


def checked_tag(element: etree._Element) -> str:
    tag = csl_tag(element)
    unknown = set(element.attrib) - ATTRIBUTES.get(tag, frozenset())
    if tag not in ATTRIBUTES or unknown:
        raise Declined(f"<{tag}> {sorted(unknown)}")
    return tag


def is_formatted(attributes: Any) -> bool:
    """Whether citeproc-py's Formatted.format turns the text into a plain str."""
    for name, values in csl_text.FORMATTING_VALUES.items():
        value = attributes.get(name)
        if value is not None and value not in values:
            raise Declined(f"{name}={value!r}")  # citeproc-py fails on it
    return any(attributes.get(name, neutral) != neutral for name, neutral in csl_text.FORMATTING_NEUTRAL.items())


def is_true(attributes: Any, name: str) -> bool:
    return attributes.get(name, "false").lower() == "true"


def markup_of(attributes: Any, quotes: tuple | None = None) -> Markup:
    strip = is_true(attributes, "strip-periods")
    return Markup(strip, attributes.get("text-case"), is_formatted(attributes), quotes, attributes.get("prefix"), attributes.get("suffix"))
