"""How lxml builds and lays out XML: the reference the exports written as text are compared
with (caseshelf/exports/xml.py writes them as libxml2's pretty print writes these trees)."""

from __future__ import annotations

from lxml import etree

from caseshelf.exports.xml import clean


def append_text(parent: etree._Element, text: str) -> None:
    """Add text at the end of a mixed-content element (after its last child, if any)."""
    text = clean(text)
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def fragment_parent(depth: int, nsmap: dict[str | None, str] | None = None) -> etree._Element:
    """Where to build an element that sits `depth` levels deep in an archive file: placeholder
    ancestors (the outermost declaring `nsmap`, as the file's root does), so that libxml2
    indents it as it will be indented in the file, and writes no namespace declarations the
    file's root already makes."""
    parent = etree.Element("_", nsmap=nsmap)
    for _ in range(depth - 1):
        parent = etree.SubElement(parent, "_")
    return parent


def fragment_bytes(element: etree._Element) -> bytes:
    """An element built under `fragment_parent`, serialised as the lines it fills in the
    pretty-printed file (indented, UTF-8, ending with a line break): a file assembles its
    fragments by joining them (see `to_bytes_with_parts`)."""
    depth = sum(1 for _ in element.iterancestors())
    document = etree.tostring(element.getroottree().getroot(), encoding="UTF-8", pretty_print=True)
    # The placeholders have no text and one child each: a line apiece above and below it.
    start, end = 0, len(document)
    for _ in range(depth):
        start = document.index(b"\n", start) + 1
        end = document.rindex(b"\n", 0, end - 1) + 1
    return document[start:end]
