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
from caseshelf.importers.reference_list import citing_text, identifier_text, place_name
from caseshelf.importers.vocab import clean_doi, clean_pmid, find_doi_in_text
from caseshelf.model import Reference

XLINK_HREF = "{http://www.w3.org/1999/xlink}href"

_CITATIONS = ("mixed-citation", "element-citation", "citation", "nlm-citation")
_NOT_CITATION_TEXT = frozenset({"label", "object-id", "annotation", "x"})
_PUBMED_URL = re.compile(r"ncbi\.nlm\.nih\.gov/(?:pubmed|entrez/query\.fcgi\?.*list_uids=)/?(\d+)", re.IGNORECASE)
_DANGLING_ID_LABEL = re.compile(r"\s*\b(?:PMID|PMCID|PubMed(?: Central)?|PMC)\s*:?\s*(?=$|[;,.])", re.IGNORECASE)


def read_jats_reference(ref: etree._Element) -> Reference | None:
    """The reference, its text composed from its DOI, PMID or link when it has none of its own
    (an empty `<mixed-citation/>`); None when it has nothing to cite at all."""
    citation = _citation_element(ref)
    text = citing_text(citation_text(citation) if citation is not None else plain_text(ref, silent=("label",)))
    scope = citation if citation is not None else ref
    doi = _reference_doi(ref) or find_doi_in_text(text)
    pmid = _reference_pmid(ref)
    url = None if doi or pmid else _reference_url(scope)
    text = text or identifier_text(doi, pmid, url)
    return Reference(text=text, doi=doi, pmid=pmid, url=url) if text else None


def jats_reference_name(place: int, ref: etree._Element) -> str:
    """How an import note names a `<ref>`: `no. 3 (id r3, label 3)`, its place in the list and
    the id and label the source gives it."""
    ref_id = tidy_text(ref.get("id"))
    label = plain_text(ref.find(".//label")).rstrip(".")  # "3." is reference 3
    return place_name(place, f"id {ref_id}" if ref_id else "", f"label {label}" if label else "")


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
            if _is_next_name_in_a_bare_list(child):
                # Names listed one per line with nothing between them (F1000, Frontiers):
                # "Sambi M Bagheri L" would read as one person.
                text = text.rstrip() + ", "
            elif local_name(child) not in SCRIPTS and _needs_space(text, rendered):
                # Parts tagged back to back with nothing between them: "epidemic?<source>Lancet";
                # a sub- or superscript is part of its word (H<sub>3</sub>O), never a part.
                text += " "
            tail = child.tail or ""
            if tail[:1] in _CLOSING_PUNCTUATION:
                rendered = rendered.rstrip()  # "Neves LFF\n</person-group>:" is "Neves LFF:"
            text += rendered + tail
        return text

    def node(self, child: etree._Element) -> str:
        name = local_name(child)
        if not name or name in _NOT_CITATION_TEXT:
            return ""
        if name == "pub-id" and (child.get("pub-id-type") or "").lower() != "doi":
            # PMC appends PMIDs without a label; they are kept in `pmid`, not in the text.
            return ""
        if name == "string-name" and not _has_own_punctuation(child):
            # A string-name is the name as printed ("M. Wang"): its parts stay in their order.
            return " ".join(filter(None, map(plain_text, child.iterchildren(etree.Element))))
        if name == "name" and not _has_own_punctuation(child):
            return name_text(child)
        if name == "ext-link" and not (child.text or len(child)):
            return ""
        if name in SCRIPTS:
            return script_text(child)
        return self.render(child)


_CLOSING_PUNCTUATION = frozenset(".,:;")


def _is_next_name_in_a_bare_list(child: etree._Element) -> bool:
    previous = child.getprevious()
    return (previous is not None and local_name(child) in _PEOPLE and local_name(previous) in _PEOPLE
            and not (previous.tail or "").strip())


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


def name_text(name: etree._Element, initials: bool = False) -> str:
    """`Surname Given` as reference lists print it (`da Silva CM`); with `initials`, given names
    spelled out are cut to their initials (`Smith John` -> `Smith J`)."""
    parts = _children_by_name(name)
    surname = plain_text(parts.get("surname"))
    given = plain_text(parts.get("given-names"))
    if initials:
        given = initials_of(given)
    prefix = plain_text(parts.get("prefix"))
    suffix = plain_text(parts.get("suffix"))
    if prefix and prefix.lower() in NAME_PARTICLES:
        surname = f"{prefix} {surname}"
    if not surname:
        return plain_text(name)
    return " ".join(part for part in (surname, given, suffix) if part)


#: The words of given names: runs of letters, each with the full stop of an abbreviation.
_GIVEN_NAME_WORD = re.compile(r"[^\W\d_]+\.?")


def initials_of(given: str) -> str:
    """Given names as the Vancouver style writes them, initials run together: `John` -> `J`,
    `Mary Ann` and `Jean-Pierre` -> `MA`, `JP`. Only when every word is spelled out (a small
    letter in it, no full stop after it): given names written as initials or abbreviations
    (`CM`, `C.M.`, `Yu. A.`), in a script without letter case (`小明`), or holding initials after
    a word that is more likely the rest of a family name tagged as a given name
    (`<surname>Sousa</surname><given-names>Neto MD</given-names>`, as real reference lists have
    it), are left as they are."""
    words = _GIVEN_NAME_WORD.findall(given)
    if not words or not all(not word.endswith(".") and any(letter.islower() for letter in word) for word in words):
        return given
    return "".join(word[0].upper() for word in words)


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
    return _ComposedCitation(citation).text() or plain_text(citation, silent=("pub-id", "object-id"))


_TITLES = ("article-title", "chapter-title", "part-title", "data-title")
#: Parts that are no text of the citation: identifiers and links are the reference's `doi`,
#: `pmid` and `url`; the Vancouver style gives the year without month or day.
_NOT_CITATION_PARTS = frozenset({
    "pub-id", "object-id", "label", "x", "annotation", "ext-link", "uri", "month", "day", "season", "etal",
})
#: Comments PLOS tags around an editor group ("In:", "editor"), which the composed text writes itself.
_GLUE_COMMENT = re.compile(r"^(?:in|eds?|editors?)\s*[:.]?$", re.IGNORECASE)


class _ComposedCitation:
    """An element citation's parts in the Vancouver order; the parts that style has no place
    for (comments, access dates, series, conferences) follow in document order, so composing
    never drops what the source cites."""

    def __init__(self, citation: etree._Element):
        self.citation = citation
        self.parts = _children_by_name(citation)
        self.used: set[etree._Element] = set()

    def text(self) -> str:
        authors, title, editors = self.authors(), self.take(*_TITLES), self.editors()
        if not authors:
            authors, editors = editors, ""  # an edited book: its editors lead
        elif editors:
            editors = f"In: {editors}"  # the editors of the book the authors' part is in
        sentences = [
            authors,
            title,
            editors,
            self.take("source"),
            edition_text(self.take("edition")),
            ": ".join(filter(None, (self.take("publisher-loc"), self.take("publisher-name")))),
            where_published(self.take("year"), self.take("volume"), self.take("issue"), self.pages()),
            isbn_text(self.take("isbn")),
        ]
        sentences += self.leftovers()
        return " ".join(sentence(part.strip()) for part in sentences if part.strip())

    def take(self, *names: str) -> str:
        """The text of the first of these parts the citation has (now used)."""
        for name in names:
            element = self.parts.get(name)
            if element is not None:
                self.used.add(element)
                return plain_text(element)
        return ""

    def pages(self) -> str:
        page_range, first, last = self.take("page-range"), self.take("fpage"), self.take("lpage")
        if page_range:
            return page_range
        if first and last and last != first:
            return f"{first}-{last}"
        return first or self.take("elocation-id")

    def authors(self) -> str:
        groups = [group for group in self.citation.findall("person-group")
                  if (group.get("person-group-type") or "author") == "author"]
        # Names and group authors may also sit outside any person-group, beside one or alone.
        loose = [child for child in self.citation if local_name(child) in _NAME_PARTS]
        self.used.update(groups + loose)
        return _names([*(child for group in groups for child in group), *loose])

    def editors(self) -> str:
        groups = self.citation.xpath("person-group[@person-group-type='editor']")
        self.used.update(groups)
        return "; ".join(filter(None, map(_contributor_group_text, groups)))

    def leftovers(self) -> list[str]:
        texts = []
        for child in self.citation.iterchildren(etree.Element):
            if child in self.used or local_name(child) in _NOT_CITATION_PARTS:
                continue
            text = _LEFTOVER_TEXT.get(local_name(child), plain_text)(child)
            if _is_citation_text(text):
                texts.append(text)
        return texts


#: How a left-over part is written, where not as its plain text: a book's second ISBN (print and
#: electronic) is labelled as its first is. (Lambdas: both functions are defined further down.)
_LEFTOVER_TEXT = {
    "person-group": lambda group: _contributor_group_text(group),
    "isbn": lambda isbn: isbn_text(plain_text(isbn)),
}

_PEOPLE = frozenset({"name", "string-name", "collab"})
_NAME_PARTS = _PEOPLE | {"etal"}


def _is_citation_text(text: str) -> bool:
    """False for a left-over part that adds nothing: glue the composed text writes itself,
    lone punctuation, or the DOI (which is the reference's `doi`)."""
    return any(ch.isalnum() for ch in text) and not _GLUE_COMMENT.match(text) and not clean_doi(text)


def _names(elements: list[etree._Element]) -> str:
    """`Knez V, Liu X, et al` from name, collab and etal elements."""
    names = [_person_text(e) for e in elements if local_name(e) in _PEOPLE]
    if not any(names):
        return ""
    etal = any(local_name(e) == "etal" for e in elements)
    return ", ".join(filter(None, names)) + (", et al" if etal else "")


def _person_text(element: etree._Element) -> str:
    """A name of an element citation, in the Vancouver style its text is composed in (a mixed
    citation's names are kept as its publisher wrote them)."""
    return plain_text(element) if local_name(element) == "collab" else name_text(element, initials=True)


def _contributor_group_text(group: etree._Element) -> str:
    """`Rather LJ, editor`, `Sobin LH, Wittekind CH, editors`: names and their role."""
    names = _names(list(group))
    role = (group.get("person-group-type") or "").strip()
    if not names or not role:
        return names
    plural = "s" if sum(local_name(e) in _PEOPLE for e in group) > 1 else ""
    return f"{names}, {role}{plural}"


def edition_text(edition: str) -> str:
    """`3` -> `3rd ed.`; an edition written out (`5th edition`) stays as written."""
    if not edition.isdigit():
        return edition
    number = int(edition)
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix} ed."


_ISBN_URI = re.compile(r"^https?://id\.crossref\.org/isbn/", re.IGNORECASE)

_ISBN_LABEL = re.compile(r"^ISBN(?:-?1[03])?\s*:?\s*", re.IGNORECASE)


def isbn_text(isbn: str) -> str:
    """`ISBN 9780521196611`, the last part of a composed reference. Crossref's REST API may give
    the ISBN as its `http://id.crossref.org/isbn/` URI, and a source may write the label already."""
    number = _ISBN_LABEL.sub("", _ISBN_URI.sub("", isbn.strip()))
    return f"ISBN {number}" if number else ""


def _reference_doi(ref: etree._Element) -> str | None:
    for pub_id in ref.iter("pub-id", "object-id"):
        if (pub_id.get("pub-id-type") or "").lower() == "doi":
            doi = clean_doi(plain_text(pub_id))
            if doi:
                return doi
    for comment in ref.iter("comment"):
        # PLOS writes "doi:10.1371/..." as a comment, which a composed text leaves out.
        doi = clean_doi(plain_text(comment))
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
