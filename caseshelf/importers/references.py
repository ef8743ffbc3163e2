"""JATS `<ref>` -> `Reference`: the citation as one line of text, plus its DOI, PMID or URL.

Two kinds of citation markup exist. A mixed citation carries its own punctuation between the
tagged parts ("Smith J, Doe A. Title. J Med. 2019;5:1-9.") and is kept as written; an element
citation only tags the parts, so its text is composed here in the Vancouver style PubMed uses.
"""

from __future__ import annotations

import re

from lxml import etree

from caseshelf.citation import sentence
from caseshelf.importers.markup import SCRIPTS, local_name, plain_text, script_text, tidy_text
from caseshelf.importers.people import NAME_PARTICLES
from caseshelf.importers.vocab import clean_doi, clean_pmid, find_doi_in_text
from caseshelf.model import Reference

XLINK_HREF = "{http://www.w3.org/1999/xlink}href"

_CITATIONS = ("mixed-citation", "element-citation", "citation", "nlm-citation")
_NOT_CITATION_TEXT = frozenset({"label", "object-id", "annotation", "x"})
_PUBMED_URL = re.compile(r"ncbi\.nlm\.nih\.gov/(?:pubmed|entrez/query\.fcgi\?.*list_uids=)/?(\d+)", re.IGNORECASE)
_DANGLING_ID_LABEL = re.compile(r"\s*\b(?:PMID|PMCID|PubMed(?: Central)?|PMC)\s*:?\s*(?=$|[;,.])", re.IGNORECASE)


def read_jats_reference(ref: etree._Element) -> Reference:
    citation = _citation_element(ref)
    text = citation_text(citation) if citation is not None else plain_text(ref, silent=("label",))
    scope = citation if citation is not None else ref
    doi = _reference_doi(ref) or find_doi_in_text(text)
    pmid = _reference_pmid(ref)
    url = None if doi or pmid else _reference_url(scope)
    return Reference(text=text or (doi and f"doi:{doi}") or "", doi=doi, pmid=pmid, url=url)


def _citation_element(ref: etree._Element) -> etree._Element | None:
    for container in (ref, ref.find("citation-alternatives")):
        if container is None:
            continue
        for name in _CITATIONS:
            found = container.find(name)
            if found is not None:
                return found
    return None


def citation_text(citation: etree._Element) -> str:
    if _has_own_punctuation(citation):
        text = _MixedCitation().render(citation)
    else:
        text = compose_citation(citation)
    text = _DANGLING_ID_LABEL.sub("", tidy_text(text))
    return text.lstrip(" :;,.").strip()


def _has_own_punctuation(citation: etree._Element) -> bool:
    """True when text sits between the tagged parts (a mixed citation written out)."""
    if citation.text and citation.text.strip():
        return True
    return any(child.tail and child.tail.strip() for child in citation)


class _MixedCitation:
    """The citation's text as written, with names spaced and appended identifiers dropped."""

    def render(self, element: etree._Element) -> str:
        text = element.text or ""
        for child in element:
            rendered = self.node(child)
            if local_name(child) not in SCRIPTS and _needs_space(text, rendered):
                # Parts tagged back to back with nothing between them: "epidemic?<source>Lancet";
                # a sub- or superscript is part of its word (H<sub>3</sub>O), never a part.
                text += " "
            text += rendered + (child.tail or "")
        return text

    def node(self, child: etree._Element) -> str:
        name = local_name(child)
        if not name or name in _NOT_CITATION_TEXT:
            return ""
        if name == "pub-id" and (child.get("pub-id-type") or "").lower() != "doi":
            # PMC appends PMIDs without a label; they are kept in `pmid`, not in the text.
            return ""
        if name in ("name", "string-name") and not _has_own_punctuation(child):
            return name_text(child)
        if name == "ext-link" and not (child.text or len(child)):
            return ""
        if name in SCRIPTS:
            return script_text(child)
        return self.render(child)


def _needs_space(before: str, after: str) -> bool:
    return bool(before) and bool(after) and not before[-1].isspace() and not after[0].isspace() and (
        before[-1].isalnum() or before[-1] in ".?!") and after[0].isalnum()


def _children_by_name(element: etree._Element) -> dict[str, etree._Element]:
    """The first child of each name (one pass; `find` per part is slow on long reference lists)."""
    children: dict[str, etree._Element] = {}
    for child in element:
        tag = child.tag
        if isinstance(tag, str) and tag not in children:
            children[tag] = child
    return children


def name_text(name: etree._Element) -> str:
    """`Surname Given` as reference lists print it (`da Silva CM`)."""
    parts = _children_by_name(name)
    surname = plain_text(parts.get("surname"))
    given = plain_text(parts.get("given-names"))
    prefix = plain_text(parts.get("prefix"))
    suffix = plain_text(parts.get("suffix"))
    if prefix and prefix.lower() in NAME_PARTICLES:
        surname = f"{prefix} {surname}"
    if not surname:
        return plain_text(name)
    return " ".join(part for part in (surname, given, suffix) if part)


def where_published(year: str, volume: str, issue: str, pages: str) -> str:
    """`2019;60(4):1006-13`, the Vancouver way, from whichever parts are known."""
    where = year
    if volume:
        where += f";{volume}" if where else volume
        if issue:
            where += f"({issue})"
    if pages:
        where += f":{pages}"
    return where


def compose_citation(citation: etree._Element) -> str:
    """Vancouver-style text from an element citation's parts."""
    parts = _children_by_name(citation)
    authors = _authors(citation)
    title = plain_text(parts.get("article-title")) or plain_text(parts.get("chapter-title"))
    source = plain_text(parts.get("source"))
    year = plain_text(parts.get("year"))
    volume = plain_text(parts.get("volume"))
    issue = plain_text(parts.get("issue"))
    pages = _citation_pages(parts)
    place, publisher = plain_text(parts.get("publisher-loc")), plain_text(parts.get("publisher-name"))
    sentences = [authors, title, source, ": ".join(filter(None, (place, publisher)))]
    sentences.append(where_published(year, volume, issue, pages))
    text = " ".join(sentence(part.strip()) for part in sentences if part)
    if not text:
        text = plain_text(citation, silent=("pub-id", "object-id"))
    return text


def _authors(citation: etree._Element) -> str:
    groups = [g for g in citation.findall("person-group")
              if (g.get("person-group-type") or "author") == "author"] or [citation]
    names = []
    etal = False
    for group in groups:
        for child in group:
            name = local_name(child)
            if name in ("name", "string-name"):
                names.append(name_text(child))
            elif name == "collab":
                names.append(plain_text(child))
            elif name == "etal":
                etal = True
    if not names:
        return ""
    return ", ".join(names) + (", et al" if etal else "")


def _citation_pages(parts: dict[str, etree._Element]) -> str:
    page_range = plain_text(parts.get("page-range"))
    if page_range:
        return page_range
    first = plain_text(parts.get("fpage"))
    last = plain_text(parts.get("lpage"))
    if first and last and last != first:
        return f"{first}-{last}"
    return first or plain_text(parts.get("elocation-id"))


def _reference_doi(ref: etree._Element) -> str | None:
    for pub_id in ref.iter("pub-id", "object-id"):
        if (pub_id.get("pub-id-type") or "").lower() == "doi":
            doi = clean_doi(plain_text(pub_id))
            if doi:
                return doi
    for link in ref.iter("ext-link", "uri"):
        link_type = (link.get("ext-link-type") or "").lower()
        href = link.get(XLINK_HREF) or plain_text(link)
        if link_type == "doi" or "doi.org/" in href:
            doi = clean_doi(href)
            if doi:
                return doi
    return None


def _reference_pmid(ref: etree._Element) -> str | None:
    for pub_id in ref.iter("pub-id", "object-id"):
        if (pub_id.get("pub-id-type") or "").lower() == "pmid":
            pmid = clean_pmid(plain_text(pub_id))
            if pmid:
                return pmid
    for link in ref.iter("ext-link", "uri"):
        href = link.get(XLINK_HREF) or ""
        if (link.get("ext-link-type") or "").lower() == "pmid":
            pmid = clean_pmid(href or plain_text(link))
            if pmid:
                return pmid
        match = _PUBMED_URL.search(href)
        if match:
            return match.group(1)
    return None


def _reference_url(scope: etree._Element) -> str | None:
    for link in scope.iter("ext-link", "uri"):
        href = (link.get(XLINK_HREF) or plain_text(link)).strip()
        if href.lower().startswith(("http://", "https://")) and " " not in href:
            return href
    return None
