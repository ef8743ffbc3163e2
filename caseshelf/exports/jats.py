"""article.jats.xml: an article's front matter and reference list in JATS 1.1.

The Journal Publishing tag set is used, and the file validates against its DTD. That tag set
requires an ISSN; for a journal without one the Archiving tag set (same elements, looser
rules) is declared instead.

The file is written as text, every value through the escaping functions of xml.py, and laid
out as lxml's pretty print lays out the same tree (tests/test_xml_text.py), at a fraction of
the cost of building the tree: it is made for every article of every build.
"""

from __future__ import annotations

from collections.abc import Mapping

from caseshelf.citation import doi_in_text
from caseshelf.exports.jats_markup import append_blocks, append_inline
from caseshelf.exports.languages import text_language_if_other
from caseshelf.exports.xml import XLINK_NS, TextElement, element_line, element_lines, escape_attribute, escape_text
from caseshelf.licenses import LICENSES
from caseshelf.model import ARTICLE_TYPES, Affiliation, Article, Author, Journal, Reference

XML_DECLARATION = "<?xml version='1.0' encoding='UTF-8'?>"
PUBLISHING_DOCTYPE = (
    '<!DOCTYPE article PUBLIC "-//NLM//DTD JATS (Z39.96) Journal Publishing DTD v1.1 20151215//EN" '
    '"JATS-journalpublishing1.dtd">'
)
ARCHIVING_DOCTYPE = (
    '<!DOCTYPE article PUBLIC "-//NLM//DTD JATS (Z39.96) Journal Archiving and Interchange DTD v1.1 20151215//EN" '
    '"JATS-archivearticle1.dtd">'
)
_NAMESPACES = f'xmlns:xlink="{XLINK_NS}" xmlns:mml="http://www.w3.org/1998/Math/MathML"'

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
    has_issn = bool(journal.issn_print or journal.issn_online)
    article_type = JATS_ARTICLE_TYPES.get(article.type, "other")
    lines = [
        XML_DECLARATION,
        PUBLISHING_DOCTYPE if has_issn else ARCHIVING_DOCTYPE,
        f'<article {_NAMESPACES} article-type="{article_type}" dtd-version="1.1" xml:lang="{escape_attribute(article.language)}">',
        "  <front>",
        *_indented(element_lines("journal-meta", _journal_meta(journal)), "    "),
        "    <article-meta>",
        *_indented(_article_meta(article, journal), "      "),
        "    </article-meta>",
        "  </front>",
    ]
    if article.references:
        lines += ["  <back>", "    <ref-list>", "      <title>References</title>", _reference_lines(article.references), "    </ref-list>", "  </back>"]
    lines.append("</article>\n")
    return "\n".join(lines).encode()


def _indented(lines: list[str], indent: str) -> list[str]:
    return [indent + line for line in lines]


def _journal_meta(journal: Journal) -> list[str]:
    """The lines inside <journal-meta>, unindented."""
    titles = [element_line("journal-title", journal.title)]
    if journal.abbreviation:
        titles.append(element_line("abbrev-journal-title", journal.abbreviation, {"abbrev-type": "publisher"}))
    lines = [
        element_line("journal-id", journal.abbreviation or journal.title, {"journal-id-type": "publisher-id"}),
        *element_lines("journal-title-group", titles),
    ]
    if journal.issn_print:
        lines.append(element_line("issn", journal.issn_print, {"publication-format": "print"}))
    if journal.issn_online:
        lines.append(element_line("issn", journal.issn_online, {"publication-format": "electronic"}))
    if journal.publisher:
        lines += element_lines("publisher", [element_line("publisher-name", journal.publisher)])
    return lines


def _article_meta(article: Article, journal: Journal) -> list[str]:
    """The lines inside <article-meta>, unindented."""
    subject = element_lines("subj-group", [element_line("subject", ARTICLE_TYPES.get(article.type, "Article"))], {"subj-group-type": "heading"})
    # The title, abstract and keywords would inherit <article>'s xml:lang, the full text's.
    text_language = text_language_if_other(article, journal)
    in_text_language = (("xml:lang", text_language),) if text_language else ()
    title = TextElement("article-title", in_text_language)
    append_inline(title, article.title)
    lines = [
        element_line("article-id", article.doi, {"pub-id-type": "doi"}),
        *element_lines("article-categories", subject),
        *element_lines("title-group", title.lines()),
    ]
    numbers = article.affiliation_numbers
    if article.authors:
        lines += element_lines("contrib-group", [line for author in article.authors for line in _contributor_lines(author, numbers)])
    for affiliation in article.affiliations:
        lines += _affiliation_lines(affiliation, str(numbers[affiliation.key]))
    lines += _pub_dates(article)
    lines += _location(article)
    lines += _permissions(article)
    if article.abstract.strip():
        abstract = TextElement("abstract", in_text_language)
        append_blocks(abstract, article.abstract)
        lines += abstract.lines()
    if article.keywords:
        lines += element_lines("kwd-group", [element_line("kwd", keyword) for keyword in article.keywords], {"kwd-group-type": "author", **dict(in_text_language)})
    return lines


def _affiliation_lines(affiliation: Affiliation, number: str) -> list[str]:
    """An <aff>: mixed content (its parts joined by commas), unless it has no address or country."""
    aff = TextElement("aff", (("id", f"aff{number}"),))
    aff.add("label", number)
    aff.add("institution", affiliation.name)
    if affiliation.address:
        aff.add_text(", ")
        aff.add("addr-line", affiliation.address)
    if affiliation.country:
        aff.add_text(", ")
        aff.add("country", affiliation.country)
    return aff.lines()


def _permissions(article: Article) -> list[str]:
    license_info = LICENSES[article.license]
    license_p = element_line("license-p", f"This work is licensed under a {license_info.name}.")
    attributes = {"license-type": "open-access", "xlink:href": license_info.url}
    return element_lines("permissions", element_lines("license", [license_p], attributes))


def _contributor_lines(author: Author, numbers: Mapping[str, int]) -> list[str]:
    """A <contrib>, as lines (`element_lines`)."""
    attributes = {"contrib-type": "author"}
    if author.corresponding:
        attributes["corresp"] = "yes"
    lines = []
    if author.orcid:
        lines.append(element_line("contrib-id", f"https://orcid.org/{author.orcid}", {"contrib-id-type": "orcid"}))
    if author.is_group:
        lines.append(element_line("collab", author.family_name))
    else:
        # A person known by one name has a surname alone: <collab> would make them a group.
        name = [element_line("surname", author.family_name)]
        if author.given_names:
            name.append(element_line("given-names", author.given_names))
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


def _pub_dates(article: Article) -> list[str]:
    """The electronic publication date (`published`, else the year), and the issue's year as
    the collection date when the article came out online in another year than its issue's."""
    published = article.published
    electronic = {"publication-format": "electronic", "date-type": "pub"}
    if published is None:
        return element_lines("pub-date", [element_line("year", str(article.year))], electronic)
    parts = [element_line("day", f"{published.day:02d}"), element_line("month", f"{published.month:02d}"), element_line("year", str(published.year))]
    dates = element_lines("pub-date", parts, electronic)
    if article.cited_date is None:  # out in another year than its issue's
        dates += element_lines("pub-date", [element_line("year", str(article.year))], {"date-type": "collection"})
    return dates


def _location(article: Article) -> list[str]:
    lines = []
    if article.volume:
        lines.append(element_line("volume", article.volume))
    if article.issue:
        lines.append(element_line("issue", article.issue))
    pages = article.pages
    if pages.elocation_id:
        lines.append(element_line("elocation-id", pages.elocation_id))
    elif pages.first:
        lines.append(element_line("fpage", pages.first))
        if pages.last:
            lines.append(element_line("lpage", pages.last))
    return lines


def _reference_lines(references: tuple[Reference, ...]) -> str:
    """The <ref> elements of <article><back><ref-list>, as their lines of the file (no line
    break after the last)."""
    lines = []
    for number, reference in enumerate(references, start=1):
        lines += [
            f'      <ref id="B{number}">',
            f"        <label>{number}</label>",
            f"        <mixed-citation>{_citation_content(reference)}</mixed-citation>",
            "      </ref>",
        ]
    return "\n".join(lines)


def _citation_content(reference: Reference) -> str:
    """The mixed content of a <mixed-citation>: the text with its DOI, then its other
    identifiers inline."""
    parts = _text_with_doi(reference)
    if reference.pmid:
        parts += [" PMID: ", f'<pub-id pub-id-type="pmid">{escape_text(reference.pmid)}</pub-id>']
    if reference.url and not reference.doi:
        link = f'<ext-link ext-link-type="uri" xlink:href="{escape_attribute(reference.url)}">'
        parts += [" ", f"{link}{escape_text(reference.url)}</ext-link>"]
    return "".join(parts)


def _text_with_doi(reference: Reference) -> list[str]:
    """The text with its DOI tagged where the text writes it, as the article page links it
    there (`doi_in_text`), else after it: a DOI written twice in a <mixed-citation> is printed
    twice by whoever shows it, and imported back as part of the text."""
    place = doi_in_text(reference)
    if place is None:
        parts = [escape_text(reference.text)]
        return parts + [" doi: ", _doi_pub_id(reference.doi)] if reference.doi else parts
    start, end = place
    text = reference.text
    return [escape_text(text[:start]), _doi_pub_id(text[start:end]), escape_text(text[end:])]


def _doi_pub_id(doi: str) -> str:
    return f'<pub-id pub-id-type="doi">{escape_text(doi)}</pub-id>'
