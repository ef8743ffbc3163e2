"""Small helpers for building XML with lxml: every exporter writes elements, never markup text."""

from __future__ import annotations

import re

from lxml import etree

# Characters XML 1.0 forbids even escaped (a control character pasted into a title would make
# lxml refuse the whole document).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: str) -> str:
    # isprintable() is a fast C check that passes almost every string untouched.
    return text if text.isprintable() else _NOT_XML.sub("", text)


def sub(parent: etree._Element, tag: str, text: str | None = None, **attrib: str) -> etree._Element:
    """Append a child element with optional text; attribute values are cleaned too."""
    if attrib:
        element = etree.SubElement(parent, tag, {key: clean(value) for key, value in attrib.items()})
    else:
        element = etree.SubElement(parent, tag)
    if text:
        element.text = clean(text)
    return element


def append_text(parent: etree._Element, text: str) -> None:
    """Add text at the end of a mixed-content element (after its last child, if any)."""
    text = clean(text)
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def to_bytes(root: etree._Element, doctype: str | None = None) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True, doctype=doctype)
