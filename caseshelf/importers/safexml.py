"""Parsing untrusted XML: the only place the importers turn bytes into an lxml tree.

Files handed to `import` come from anywhere (a platform export, a download), so the parser must
not be a way to read local files, reach the network or exhaust memory:

- no entity resolution, no DTD loading, no network (`XMLParser` options below);
- any document whose DOCTYPE declares entities is refused before parsing, which covers
  entity-expansion bombs ("billion laughs") and external entities (`file:///etc/passwd`);
  real JATS, Crossref and PubMed files never declare entities of their own;
- libxml2's size limits stay on (`huge_tree=False`).
"""

from __future__ import annotations

import codecs

from lxml import etree

from caseshelf.importers.imported import UnreadableInput

_ENTITY_DECLARATION = "<!ENTITY"
_REFUSED = "refused: the DOCTYPE declares entities (possible entity-expansion or external-entity attack)"


def _new_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_xml(data: bytes) -> etree._Element:
    """The root element of `data` with namespaces dropped from element names (see
    `drop_namespaces`), or `UnreadableInput` if it is malformed or hostile."""
    _refuse_entity_declarations(data)
    try:
        root = etree.fromstring(data, _new_parser())
    except etree.XMLSyntaxError as error:
        message = error.msg or "not well-formed XML"
        raise UnreadableInput(f"XML syntax error: {message}", error.lineno or 0) from None
    # Defence in depth: an entity declaration that slipped past the byte scan (an encoding we
    # did not try) is still refused before any of the tree is used.
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise UnreadableInput(_REFUSED)
    drop_namespaces(root)
    return root


def drop_namespaces(root: etree._Element) -> None:
    """Rename every element to its local name, in place.

    JATS arrives without a namespace (NLM 3.0, JATS 1.0-1.2), in the JATS 1.3 namespace (PMC
    OAI-PMH), or with a `jats:` prefix (Crossref); PubMed and Crossref deposit XML change
    namespaces between schema versions. Readers ask for `article-meta`, not for each spelling.
    Attributes keep their namespaces (`{http://www.w3.org/1999/xlink}href`).
    """
    namespaced = _NAMESPACED_ELEMENTS(root)
    for element in namespaced:
        element.tag = element.tag.rpartition("}")[2]
    if namespaced:
        etree.cleanup_namespaces(root)


_NAMESPACED_ELEMENTS = etree.XPath("descendant-or-self::*[namespace-uri() != '']")


def _refuse_entity_declarations(data: bytes) -> None:
    for encoding in _encodings_to_scan(data):
        needle = _ENTITY_DECLARATION.encode(encoding)
        if needle in data:
            raise UnreadableInput(_REFUSED)


def _encodings_to_scan(data: bytes) -> tuple[str, ...]:
    if data.startswith((codecs.BOM_UTF16_LE, b"<\x00?\x00")):
        return ("utf-16-le",)
    if data.startswith((codecs.BOM_UTF16_BE, b"\x00<\x00?")):
        return ("utf-16-be",)
    return ("ascii",)

