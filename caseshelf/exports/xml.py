"""Small helpers for XML files: elements built with lxml, or written as text exactly as lxml writes them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from lxml import etree

from caseshelf.loading.fields import without_unshowable_characters


#: `clean(text)`: `text` without the characters XML 1.0 forbids even escaped (one in a title
#: would make lxml refuse the whole document). Record fields have none left (see yamldoc); text
#: from elsewhere, such as the Markdown body, may. The function itself, not a call of it: this
#: runs hundreds of times per article, and a call more cost 0.5% of a build's instructions.
clean = without_unshowable_characters


def escape_text(text: str) -> str:
    """Text content as libxml2 writes it in a UTF-8 document (cleaned like `sub` does), for
    files too long to build as trees.

    Each replacement is made only when its character is there: most values (names, DOIs,
    affiliations) have none, and a test for a character costs less than a call of `replace`
    (this runs a few hundred times per article). Written out, as `escape_attribute` is: a loop
    over a table of entities cost 1.4% more instructions per article."""
    text = clean(text)
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    return text


def escape_attribute(value: str) -> str:
    """An attribute value as libxml2 writes it between double quotes (cleaned like `sub` does):
    for parts of a file written as text, like `escape_text`."""
    text = escape_text(value)
    if '"' in text:
        text = text.replace('"', "&quot;")
    if "\n" in text:
        text = text.replace("\n", "&#10;")
    if "\t" in text:
        text = text.replace("\t", "&#9;")
    return text


def _attributes_text(attributes: Iterable[tuple[str, str]]) -> str:
    """` name="value"` for each attribute, as libxml2 writes them after the tag's name."""
    return "".join(f' {name}="{escape_attribute(value)}"' for name, value in attributes)


def element_line(tag: str, text: str | None = None, attributes: dict[str, str] | None = None) -> str:
    """`sub(parent, tag, text, **attributes)` written as text, as libxml2 writes it: for the many
    small elements of a file's repeated parts, which cost a fraction of building them."""
    start = tag
    if attributes:  # most elements have none: skip the join
        start += _attributes_text(attributes.items())
    return f"<{start}>{escape_text(text)}</{tag}>" if text else f"<{start}/>"


def element_lines(tag: str, children: list[str], attributes: dict[str, str] | None = None) -> list[str]:
    """An element holding other elements (`children`: their lines, unindented) written as text,
    laid out as libxml2's pretty print does: each child on lines of its own, indented two
    spaces more than its parent."""
    if not children:
        return [element_line(tag, None, attributes)]
    start = element_line(tag, None, attributes).removesuffix("/>") + ">"
    return [start, *(f"  {line}" for line in children), f"</{tag}>"]


def lines_bytes(lines: list[str], depth: int) -> bytes:
    """Lines made by `element_lines`, as they stand in a file at `depth`: each indented two
    spaces a level and ended by a line break, as `to_bytes_with_parts` joins them in."""
    indent = "  " * depth
    return "".join(f"{indent}{line}\n" for line in lines).encode()


#: The XLink namespace: a file holding TextElements declares it on its root as `xlink:`, the
#: prefix their links are written with (`xlink:href`).
XLINK_NS = "http://www.w3.org/1999/xlink"


class TextElement:
    """An element with mixed content (a title's or an abstract's Markdown as XML), kept as
    Python lists and written as text exactly as libxml2's pretty print writes the same tree.

    libxml2 lays an element's children out on lines of their own, indented, unless one of them
    is text (even empty): the element and everything in it is then written on one line, as
    is. An element with no children at all is written `<tag/>`. Attribute names are written
    as given: a namespaced one with the prefix the file's root declares (`xlink:href`).
    """

    __slots__ = ("tag", "attributes", "content")

    def __init__(self, tag: str, attributes: tuple[tuple[str, str], ...] = ()):
        self.tag, self.attributes = tag, attributes
        self.content: list[TextElement | str] = []
        """Child elements and text nodes (cleaned, unescaped), in document order."""

    def add(self, tag: str, text: str | None = None, attributes: tuple[tuple[str, str], ...] = ()) -> TextElement:
        """`sub(self, tag, text, **attributes)`: a child element, with its text if there is any."""
        child = TextElement(tag, attributes)
        if text:
            child.content.append(clean(text))
        self.content.append(child)
        return child

    def add_text(self, text: str) -> None:
        """Text after the last child (in lxml, its tail; with no child, the element's text),
        merged with text already there."""
        text = clean(text)
        if self.content and type(self.content[-1]) is str:
            self.content[-1] += text
        else:
            self.content.append(text)

    def last_element(self) -> TextElement | None:
        return next((child for child in reversed(self.content) if type(child) is TextElement), None)

    def has_content(self) -> bool:
        """Holds an element or (before any) a text that is not empty: lxml's `element.text or len(element)`."""
        return any(type(child) is TextElement or (index == 0 and child) for index, child in enumerate(self.content))

    def lines(self, prefix: str = "") -> list[str]:
        """The element as `element_lines` gives its lines: unindented, children two spaces in.
        `prefix` goes before every tag (`jats:`, for a file whose root declares it)."""
        if self.content and all(type(child) is TextElement for child in self.content):
            inner = [f"  {line}" for child in self.content for line in child.lines(prefix)]  # type: ignore[union-attr]
            return [self._start(prefix), *inner, f"</{prefix}{self.tag}>"]
        return [self.inline(prefix)]

    def inline(self, prefix: str = "") -> str:
        if not self.content:
            return self._start(prefix).removesuffix(">") + "/>"
        inside = "".join(escape_text(child) if type(child) is str else child.inline(prefix) for child in self.content)  # type: ignore[union-attr]
        return f"{self._start(prefix)}{inside}</{prefix}{self.tag}>"

    def _start(self, prefix: str) -> str:
        return f"<{prefix}{self.tag}{_attributes_text(self.attributes)}>"


def sub(parent: etree._Element, tag: str, text: str | None = None, **attrib: str) -> etree._Element:
    """Append a child element with optional text; attribute values are cleaned too."""
    if attrib:
        element = etree.SubElement(parent, tag, {key: clean(value) for key, value in attrib.items()})
    else:
        element = etree.SubElement(parent, tag)
    if text:
        element.text = clean(text)
    return element


def to_bytes(root: etree._Element, doctype: str | None = None) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True, doctype=doctype)


#: A marker comment to_bytes_with_parts puts where fragments go, with its line break (its
#: indentation is left to the text before it: a pattern starting with `[ ]*` is tried at every
#: space of the file, one starting with the comment is found by a fast search for it). Comments
#: are ours alone: a "<" in text or an attribute value is always written as "&lt;".
_PART_MARKER = re.compile(rb"<!--caseshelf-part-([0-9]+)-->\n")


#: An element of a tree and the lines of its last children, written as text (`to_bytes_with_parts`).
Slot = tuple[etree._Element, Sequence[bytes]]


class PartsOf(Sequence[bytes]):
    """The parts `lookup` holds for `keys`, in their order, each looked up only when read: an
    archive file is assembled part by part, so with a lookup that makes each part when asked
    (fragments.UnpackedFragments), every article's part is never in memory at once."""

    def __init__(self, lookup: Mapping[str, bytes], keys: list[str]):
        self._lookup, self._keys = lookup, keys

    def __len__(self) -> int:
        return len(self._keys)

    def __getitem__(self, index: int) -> bytes:  # type: ignore[override] - no slices needed
        return self._lookup[self._keys[index]]


def to_bytes_with_parts(
    root: etree._Element, slots: list[Slot], doctype: str | None = None, spans: list[tuple[int, int]] | None = None
) -> bytes:
    """`to_bytes(root, doctype)` as if each slot's element ended with its fragments (lines of
    elements at the right depth, as `lines_bytes` makes them): the tree is serialised once
    with a marker in their place, and the fragments are joined in, instead of being parsed
    back into the tree. `spans` gets the (start, length) of each part in the result."""
    markers = []
    for number, (parent, parts) in enumerate(slots):
        if parts:  # without children the element stays as lxml writes it empty (`<records/>`)
            markers.append(etree.Comment(f"caseshelf-part-{number}"))
            parent.append(markers[-1])
    document = to_bytes(root, doctype)
    for marker in markers:
        marker.getparent().remove(marker)
    # split() puts each marker's slot number between the text before and after it; a text
    # before a marker ends with the marker's indentation, the last one with a line break.
    pieces = _PART_MARKER.split(document)
    # Assembled in place, part after part: tens of megabytes for an archive file, which a join
    # would hold twice (the parts and the result).
    assembled = bytearray(pieces[0].rstrip(b" "))
    for number, text_after in zip(pieces[1::2], pieces[2::2]):
        for part in slots[int(number)][1]:
            if spans is not None:
                spans.append((len(assembled), len(part)))
            assembled += part
        assembled += text_after.rstrip(b" ")
    return assembled  # a bytearray is bytes to every reader of an OutputFile; bytes() would copy it
