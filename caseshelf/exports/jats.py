"""article.jats.xml: an article's front matter and reference list in JATS 1.1.

The Journal Publishing tag set is used, and the file validates against its DTD. That tag set
requires an ISSN; for a journal without one the Archiving tag set (same elements, looser
rules) is declared instead.
"""

from __future__ import annotations

from collections.abc import Mapping

from lxml import etree

from caseshelf.exports.jats_markup import XLINK_HREF, append_blocks, append_inline
from caseshelf.exports.xml import (
    Slot,
    append_text,
    element_line,
    element_lines,
    escape_attribute,
    escape_text,
    lines_bytes,
    sub,
    to_bytes_with_parts,
)
from caseshelf.licenses import LICENSES
from caseshelf.loading.articles import ARTICLE_TYPES
from caseshelf.model import Article, Author, Journal, Reference

PUBLISHING_DOCTYPE = (
    '<!DOCTYPE article PUBLIC "-//NLM//DTD JATS (Z39.96) Journal Publishing DTD v1.1 20151215//EN" '
    '"JATS-journalpublishing1.dtd">'
)
ARCHIVING_DOCTYPE = (
    '<!DOCTYPE article PUBLIC "-//NLM//DTD JATS (Z39.96) Journal Archiving and Interchange DTD v1.1 20151215//EN" '
    '"JATS-archivearticle1.dtd">'
)
_NSMAP = {"xlink": "http://www.w3.org/1999/xlink", "mml": "http://www.w3.org/1998/Math/MathML"}
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

#: caseshelf article types -> JATS article-type values (JATS Tag Library suggestions).
JATS_ARTICLE_TYPES = {
    "case-report": "case-report",
    "research-article": "research-article",
    "review": "review-article",
    "brief-report": "brief-report",
    "letter": "letter",
    "editorial": "editorial",
    "other": "other",
}


def render_jats(article: Article, journal: Journal) -> bytes:
    root = etree.Element("article", nsmap=_NSMAP)
    root.set("article-type", JATS_ARTICLE_TYPES.get(article.type, "other"))
    root.set("dtd-version", "1.1")
    root.set(_XML_LANG, article.language)
    front = sub(root, "front")
    _journal_meta(sub(front, "journal-meta"), journal)
    # The lists that make most of an article's elements, all of one simple shape, are written as
    # text (every value through the escaping functions of xml.py), at a fraction of the cost of
    # building them with lxml: they are joined into the tree's serialisation, as its elements
    # (`slots`) would have been written (tests/test_xml_text.py).
    slots = _article_meta(sub(front, "article-meta"), article, journal)
    if article.references:
        ref_list = sub(sub(root, "back"), "ref-list")
        sub(ref_list, "title", "References")
        slots.append((ref_list, [_reference_lines(article.references)]))
    has_issn = bool(journal.issn_print or journal.issn_online)
    return to_bytes_with_parts(root, slots, PUBLISHING_DOCTYPE if has_issn else ARCHIVING_DOCTYPE)


def _journal_meta(meta: etree._Element, journal: Journal) -> None:
    sub(meta, "journal-id", journal.abbreviation or journal.title, **{"journal-id-type": "publisher-id"})
    titles = sub(meta, "journal-title-group")
    sub(titles, "journal-title", journal.title)
    if journal.abbreviation:
        sub(titles, "abbrev-journal-title", journal.abbreviation, **{"abbrev-type": "publisher"})
    if journal.issn_print:
        sub(meta, "issn", journal.issn_print, **{"publication-format": "print"})
    if journal.issn_online:
        sub(meta, "issn", journal.issn_online, **{"publication-format": "electronic"})
    if journal.publisher:
        sub(sub(meta, "publisher"), "publisher-name", journal.publisher)


def _article_meta(meta: etree._Element, article: Article, journal: Journal) -> list[Slot]:
    """Fills <article-meta>; returns the contributors, as elements and their lines to join in."""
    slots: list[Slot] = []
    sub(meta, "article-id", article.doi, **{"pub-id-type": "doi"})
    categories = sub(sub(meta, "article-categories"), "subj-group", **{"subj-group-type": "heading"})
    sub(categories, "subject", ARTICLE_TYPES.get(article.type, "Article"))
    append_inline(sub(sub(meta, "title-group"), "article-title"), article.title)
    numbers = article.affiliation_numbers
    if article.authors:
        lines = [line for author in article.authors for line in _contributor_lines(author, numbers)]
        slots.append((sub(meta, "contrib-group"), [lines_bytes(lines, depth=4)]))
    for affiliation in article.affiliations:
        aff = sub(meta, "aff", id=f"aff{numbers[affiliation.key]}")
        sub(aff, "label", str(numbers[affiliation.key]))
        sub(aff, "institution", affiliation.name)
        if affiliation.address:
            append_text(aff, ", ")
            sub(aff, "addr-line", affiliation.address)
        if affiliation.country:
            append_text(aff, ", ")
            sub(aff, "country", affiliation.country)
    _pub_date(meta, article)
    _location(meta, article)
    license_info = LICENSES[article.license]
    license_element = sub(sub(meta, "permissions"), "license", **{"license-type": "open-access"})
    license_element.set(XLINK_HREF, license_info.url)
    sub(license_element, "license-p", f"This work is licensed under a {license_info.name}.")
    if article.abstract.strip():
        append_blocks(sub(meta, "abstract"), article.abstract)
    if article.keywords:
        keywords = sub(meta, "kwd-group", **{"kwd-group-type": "author"})
        for keyword in article.keywords:
            sub(keywords, "kwd", keyword)
    return slots


def _contributor_lines(author: Author, numbers: Mapping[str, int]) -> list[str]:
    """A <contrib>, as lines (`element_lines`)."""
    attributes = {"contrib-type": "author"}
    if author.corresponding:
        attributes["corresp"] = "yes"
    lines = []
    if author.orcid:
        lines.append(element_line("contrib-id", f"https://orcid.org/{author.orcid}", {"contrib-id-type": "orcid"}))
    if author.is_group or not author.given_names:
        lines.append(element_line("collab", author.family_name))
    else:
        name = [element_line("surname", author.family_name), element_line("given-names", author.given_names)]
        lines += element_lines("name", name)
    if author.degrees:
        lines.append(element_line("degrees", author.degrees))
    if author.position:
        lines.append(element_line("role", author.position))
    for affiliation in author.affiliations:
        number = str(numbers[affiliation.key])
        lines.append(element_line("xref", number, {"ref-type": "aff", "rid": f"aff{number}"}))
    if author.email and author.corresponding:
        lines.append(element_line("email", author.email))
    return element_lines("contrib", lines, attributes)


def _pub_date(meta: etree._Element, article: Article) -> None:
    date = sub(meta, "pub-date", **{"publication-format": "electronic", "date-type": "pub"})
    if article.published:
        sub(date, "day", f"{article.published.day:02d}")
        sub(date, "month", f"{article.published.month:02d}")
    sub(date, "year", str(article.year))


def _location(meta: etree._Element, article: Article) -> None:
    if article.volume:
        sub(meta, "volume", article.volume)
    if article.issue:
        sub(meta, "issue", article.issue)
    pages = article.pages
    if pages.elocation_id:
        sub(meta, "elocation-id", pages.elocation_id)
    elif pages.first:
        sub(meta, "fpage", pages.first)
        if pages.last:
            sub(meta, "lpage", pages.last)


def _reference_lines(references: tuple[Reference, ...]) -> bytes:
    """The <ref> elements of <article><back><ref-list>, as their lines of the file."""
    lines = []
    for number, reference in enumerate(references, start=1):
        lines += [
            f'      <ref id="B{number}">\n',
            f"        <label>{number}</label>\n",
            f"        <mixed-citation>{_citation_content(reference)}</mixed-citation>\n",
            "      </ref>\n",
        ]
    return "".join(lines).encode()


def _citation_content(reference: Reference) -> str:
    """The mixed content of a <mixed-citation>: the text, then its identifiers inline."""
    parts = [escape_text(reference.text)]
    if reference.doi:
        parts += [" doi: ", f'<pub-id pub-id-type="doi">{escape_text(reference.doi)}</pub-id>']
    if reference.pmid:
        parts += [" PMID: ", f'<pub-id pub-id-type="pmid">{escape_text(reference.pmid)}</pub-id>']
    if reference.url and not reference.doi:
        link = f'<ext-link ext-link-type="uri" xlink:href="{escape_attribute(reference.url)}">'
        parts += [" ", f"{link}{escape_text(reference.url)}</ext-link>"]
    return "".join(parts)
