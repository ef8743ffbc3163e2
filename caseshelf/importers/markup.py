"""XML mixed content (JATS, PubMed, Crossref face markup) -> Markdown or plain text.

Titles and abstracts keep their inline formatting as Markdown (`*italic*`, `**bold**`); sub- and
superscripts become Unicode characters when every character has one (H₂O, Ca²⁺) and plain text
otherwise, because the site's Markdown has no syntax for them. Nothing of the XML survives as
markup: unknown elements contribute their text, a fixed set (footnotes, labels, graphics,
identifiers) contributes nothing.

Element names are local names: `safexml.parse_xml` has dropped namespaces already.
"""

from __future__ import annotations

import html.entities
import re
from collections.abc import Iterable

from lxml import etree

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
"""`xml:lang`, the one namespaced attribute the importers read."""

_SILENT = frozenset({
    "fn", "label", "institution-id", "alt-text", "object-id", "graphic", "inline-graphic",
    "media", "annotation", "annotation-xml", "target", "ext-link-null",
})
"""Elements whose content is never text of the title, abstract or affiliation they sit in."""

_ITALIC = frozenset({"italic", "i", "em"})
_BOLD = frozenset({"bold", "b", "strong"})
_SUPERSCRIPT = frozenset({"sup", "superscript"})
_SUBSCRIPT = frozenset({"sub", "inf", "subscript"})
SCRIPTS = _SUPERSCRIPT | _SUBSCRIPT
_BREAKS = frozenset({"break", "br"})

_SUPERSCRIPTS = str.maketrans("0123456789+-−=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿⁱ")
_SUBSCRIPTS = str.maketrans("0123456789+-−=()aehklmnopstx", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕₖₗₘₙₒₚₛₜₓ")
_SUPERSCRIPTABLE = frozenset("0123456789+-−=()ni")
_SUBSCRIPTABLE = frozenset("0123456789+-−=()aehklmnopstx")

_SPACES = re.compile(r"[ \t\r\n]+")


def local_name(element: etree._Element) -> str:
    tag = element.tag
    return tag if isinstance(tag, str) else ""


def inline_markdown(element: etree._Element | None, *, silent: Iterable[str] = ()) -> str:
    """The element's content as one line of Markdown inline text."""
    if element is None:
        return ""
    if not len(element):
        return _tidy(escape_markdown(_SPACES.sub(" ", element.text or "")))
    return _tidy(_Renderer(markdown=True, silent=_SILENT.union(silent) if silent else _SILENT).content(element))


def plain_text(element: etree._Element | None, *, silent: Iterable[str] = ()) -> str:
    """The element's content as one line of plain text (no Markdown)."""
    if element is None:
        return ""
    if not len(element):
        # Most elements read this way (names, years, pages) hold text only: no walk needed.
        return tidy_text(element.text)
    return _tidy(_Renderer(markdown=False, silent=_SILENT.union(silent) if silent else _SILENT).content(element))


def script_text(element: etree._Element) -> str:
    """A `<sub>` or `<sup>` as plain text: Unicode sub- or superscripts where every character
    has one (H₂O), its plain text otherwise, as in titles."""
    return _Renderer(markdown=False, silent=_SILENT).node(element)


def with_subtitle(title: str, subtitle: str) -> str:
    """`Title: Subtitle`, as titles are cited; no colon after a title that ends a sentence."""
    if not (title and subtitle):
        return title
    separator = " " if title.endswith((":", "?", "!", ".")) else ": "
    return f"{title}{separator}{subtitle}"


def tidy_text(text: str | None) -> str:
    """Whitespace collapsed to single spaces, ends stripped (for text that came as a string)."""
    if not text:
        return ""
    if "  " in text or "\n" in text or "\t" in text or "\r" in text:
        text = _SPACES.sub(" ", text)
    return text.strip()


_REPEATED_SPACES = re.compile(r" {2,}")


def _tidy(text: str) -> str:
    return _REPEATED_SPACES.sub(" ", text).strip()


class _Renderer:
    """One walk over an element's content; `markdown` decides between Markdown and plain."""

    __slots__ = ("markdown", "silent")

    def __init__(self, *, markdown: bool, silent: frozenset[str]):
        self.markdown = markdown
        self.silent = silent

    def content(self, element: etree._Element) -> str:
        parts = [self.text(element.text)]
        for child in element:
            parts.append(self.node(child))
            parts.append(self.text(child.tail))
        return "".join(parts)

    def text(self, text: str | None) -> str:
        if not text:
            return ""
        if "  " in text or "\n" in text or "\t" in text or "\r" in text:
            text = _SPACES.sub(" ", text)
        return escape_markdown(text) if self.markdown else text

    def node(self, node: etree._Element) -> str:
        if isinstance(node, etree._Entity):
            # An entity reference left unresolved (e.g. &nbsp; from a DTD we do not load).
            return self.text(html.entities.html5.get(f"{node.name};", ""))
        name = local_name(node)
        if not name or name in self.silent:
            return ""
        if name in _ITALIC:
            return self.emphasis(node, "*")
        if name in _BOLD:
            return self.emphasis(node, "**")
        if name in _SUPERSCRIPT:
            return _script(self.plain(node), _SUPERSCRIPTABLE, _SUPERSCRIPTS)
        if name in _SUBSCRIPT:
            return _script(self.plain(node), _SUBSCRIPTABLE, _SUBSCRIPTS)
        if name in _BREAKS:
            return " "
        if name == "alternatives":
            return self.alternatives(node)
        if name in ("msub", "msup") and len(node) >= 2:
            mark, table = (_SUBSCRIPTABLE, _SUBSCRIPTS) if name == "msub" else (_SUPERSCRIPTABLE, _SUPERSCRIPTS)
            return self.node(node[0]) + _script(self.plain(node[1]), mark, table)
        if name == "mfrac" and len(node) >= 2:
            return f"{self.node(node[0])}/{self.node(node[1])}"
        if name in _MATH_LAYOUTS:
            return _MATH_LAYOUTS[name](self, node)
        return self.content(node)

    def math_subsup(self, node: etree._Element) -> str:
        if len(node) < 3:
            return self.content(node)
        return (self.node(node[0]) + _script(self.plain(node[1]), _SUBSCRIPTABLE, _SUBSCRIPTS)
                + _script(self.plain(node[2]), _SUPERSCRIPTABLE, _SUPERSCRIPTS))

    def math_root(self, node: etree._Element) -> str:
        """√x, √10, √(a+b), ∛x: the sign, and brackets around anything but a word or number."""
        radicand = list(node) if local_name(node) == "msqrt" else node[:1]
        inner = "".join(self.node(child) for child in radicand)
        index = self.plain(node[1]).strip() if local_name(node) == "mroot" and len(node) >= 2 else ""
        sign = _ROOT_SIGNS.get(index, f"{index}√" if index else "√")
        return f"{sign}{inner}" if inner.isalnum() else f"{sign}({inner})"

    def math_fenced(self, node: etree._Element) -> str:
        """The brackets and separators an <mfenced> draws (MathML 2; "(" ")" and "," unless set)."""
        separators = (node.get("separators", ",") or "").replace(" ", "")
        items = [self.node(child) for child in node if local_name(child)]
        joined = items[0] if items else ""
        for position, item in enumerate(items[1:]):
            joined += (separators[min(position, len(separators) - 1)] if separators else "") + item
        return f"{node.get('open', '(')}{joined}{node.get('close', ')')}"

    def math_over(self, node: etree._Element) -> str:
        """x̄ and x̂ as a letter with a combining accent; any other mark over a base follows it."""
        if len(node) < 2:
            return self.content(node)
        accent = _COMBINING_ACCENTS.get(self.plain(node[1]).strip())
        return self.node(node[0]) + (accent or self.node(node[1]))

    def plain(self, node: etree._Element) -> str:
        text = _Renderer(markdown=False, silent=self.silent).content(node)
        return escape_markdown(text) if self.markdown else text

    def emphasis(self, node: etree._Element, marker: str) -> str:
        inner = self.content(node)
        if not self.markdown:
            return inner
        # CommonMark reads `*` as emphasis only where it opens or closes on a word: inside a
        # space ("*n *=", a thin space too) or between punctuation and a word ("genera*,* our",
        # "**Results:**The") the asterisks are printed. Spaces and edge punctuation go outside.
        lead, core, trail = _EMPHASIS_EDGES.match(inner).groups()
        if not core:
            return inner  # italic punctuation alone: nothing a reader would see as emphasis
        return f"{lead}{marker}{core}{marker}{trail}"

    def alternatives(self, node: etree._Element) -> str:
        # Same formula several ways: prefer MathML (it has the characters), then anything but TeX.
        children = [child for child in node if local_name(child)]
        for preferred in ("math", "mml:math"):
            for child in children:
                if local_name(child) == preferred:
                    return self.content(child)
        for child in children:
            if local_name(child) not in ("tex-math", "graphic", "inline-graphic"):
                return self.node(child)
        return self.content(children[0]) if children else ""


# (spaces and punctuation before, the emphasised words, spaces and punctuation after); a
# backslash and the character it escapes stay together in the middle.
_EMPHASIS_EDGES = re.compile(r"^([^\w\\]*)(.*?(?:[\w]|\\.)|)((?<!\\)[^\w\\]*)$", re.DOTALL)


_ROOT_SIGNS = {"": "√", "2": "√", "3": "∛", "4": "∜"}
_COMBINING_ACCENTS = {"¯": "\u0304", "‾": "\u0305", "ˉ": "\u0304", "^": "\u0302", "ˆ": "\u0302",
                      "~": "\u0303", "˜": "\u0303", "˙": "\u0307", "→": "\u20d7"}
#: MathML layouts whose meaning is in the layout itself (a root sign, an accent, a script).
_MATH_LAYOUTS = {
    "msubsup": _Renderer.math_subsup, "msqrt": _Renderer.math_root, "mroot": _Renderer.math_root,
    "mover": _Renderer.math_over, "mfenced": _Renderer.math_fenced,
}


def _script(text: str, convertible: frozenset[str], table: dict[int, str]) -> str:
    stripped = text.strip()
    if stripped and all(ch in convertible for ch in stripped):
        return stripped.translate(table)
    return text


_MARKDOWN_SPECIALS = re.compile(r"([\\`*])")
_LINK_TARGET = re.compile(r"\]\(")
_UNDERSCORE_OUTSIDE_WORD = re.compile(r"(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")
_ENTITY_LIKE = re.compile(r"&(?=#?[0-9A-Za-z]+;)")


def escape_markdown(text: str) -> str:
    """Text that Markdown renders as itself (inline context).

    `_` inside a word stays bare: CommonMark never reads it as emphasis (snake_case_names).
    Brackets stay bare too ("[Article in Russian]", "[12]"): without a link target right after
    them, which is escaped, they are not links.
    """
    text = _MARKDOWN_SPECIALS.sub(r"\\\1", text)
    text = _LINK_TARGET.sub(r"]\\(", text)
    text = _UNDERSCORE_OUTSIDE_WORD.sub(r"\\_", text)
    return _ENTITY_LIKE.sub(r"\\&", text)


# What would make a paragraph something else: a heading, quote, list item, rule, fence, table
# row or link reference definition ("[1]: ..."); an ordered list item ("2019. was") is defused
# by escaping its delimiter, as a backslash before a digit would be printed.
_BLOCK_START = re.compile(r"^(#{1,6}(?=\s|$)|>|[-+=|\[]|~~~)")
_ORDERED_ITEM_START = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")


def paragraph(text: str) -> str:
    """An inline text made safe to stand as a paragraph: it cannot start a heading or a list."""
    text = _ORDERED_ITEM_START.sub(r"\1\\\2", text, count=1)
    return _BLOCK_START.sub(r"\\\1", text, count=1)


_SKIPPED_BLOCKS = frozenset({
    "title", "label", "fig", "fig-group", "table-wrap", "table-wrap-group", "graphic",
    "disp-formula", "supplementary-material", "media", "object-id", "kwd-group",
})
_CONTAINER_BLOCKS = frozenset({"disp-quote", "boxed-text", "statement", "def-list", "glossary"})


def abstract_markdown(abstract: etree._Element | None, *, heading_level: int = 3) -> str:
    """A JATS `<abstract>` as Markdown blocks; each `<sec>` title becomes a `###` heading."""
    if abstract is None:
        return ""
    return "\n\n".join(block for block in _blocks(abstract, heading_level) if block)


def _blocks(container: etree._Element, level: int) -> list[str]:
    renderer = _Renderer(markdown=True, silent=_SILENT)
    blocks: list[str] = []
    loose = [renderer.text(container.text)]
    for child in container:
        name = local_name(child)
        if name in ("p", "list", "sec") or name in _CONTAINER_BLOCKS:
            blocks.append(_loose_paragraph(loose))
            loose = []
        if name == "sec" and child.get("sec-type") == "kwd-group":
            pass  # keywords printed inside the abstract (Wiley); jats.py reads them as keywords
        elif name == "sec":
            heading = inline_markdown(child.find("title"))
            if heading:
                blocks.append(f"{'#' * min(level, 6)} {heading}")
            blocks.extend(_blocks(child, level + 1))
        elif name == "p":
            blocks.extend(_paragraph_blocks(child))
        elif name == "list":
            blocks.append(list_markdown(child))
        elif name in _CONTAINER_BLOCKS:
            blocks.extend(_blocks(child, level))
        elif name not in _SKIPPED_BLOCKS:
            loose.append(renderer.node(child))
        loose.append(renderer.text(child.tail))
    blocks.append(_loose_paragraph(loose))
    return blocks


def _paragraph_blocks(element: etree._Element) -> list[str]:
    """A `<p>` as Markdown blocks: one paragraph, split where it holds a list (JATS allows
    lists inside paragraphs, and Markdown does not)."""
    if element.find("list") is None:
        return [paragraph(inline_markdown(element))]
    renderer = _Renderer(markdown=True, silent=_SILENT)
    blocks: list[str] = []
    loose = [renderer.text(element.text)]
    for child in element:
        if local_name(child) == "list":
            blocks += [_loose_paragraph(loose), list_markdown(child)]
            loose = []
        else:
            loose.append(renderer.node(child))
        loose.append(renderer.text(child.tail))
    return [*blocks, _loose_paragraph(loose)]


def _loose_paragraph(rendered: list[str]) -> str:
    """Text and inline elements sitting directly in a block container, as one paragraph."""
    return paragraph(_tidy("".join(rendered)))


def list_markdown(list_element: etree._Element) -> str:
    ordered = (list_element.get("list-type") or "").startswith("order")
    lines = []
    for number, item in enumerate(list_element.findall("list-item"), start=1):
        text = " ".join(filter(None, (inline_markdown(p) for p in item.findall("p")))) or inline_markdown(item)
        # An item's text starts a block of its own: "> 5 years" would be a quotation.
        lines.append(f"{number}. {paragraph(text)}" if ordered else f"- {paragraph(text)}")
    return "\n".join(lines)
