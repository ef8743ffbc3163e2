"""doaj.xml: every article in DOAJ's article upload format (doajArticles.xsd).

Element order, ISSN and ORCID patterns and the ISO 639-2/B language codes follow that schema.
"""

from __future__ import annotations

from collections.abc import Mapping

from lxml import etree

from caseshelf.exports import paths
from caseshelf.exports.splice import PartSpans, note_spans
from caseshelf.exports.languages import iso639_2b
from caseshelf.exports.metadata import pdf_url
from caseshelf.exports.text import abstract_text, title_text
from caseshelf.exports.xml import PartsOf, element_line, element_lines, lines_bytes, to_bytes_with_parts
from caseshelf.model import ARTICLE_TYPES, Article, Journal
from caseshelf.site import Site


def render_doaj(site: Site, fragments: Mapping[str, bytes], spans: dict[str, PartSpans] | None = None) -> bytes:
    """`fragments` maps each DOI to its <record> (see `article_fragment`); `spans` gets where
    each lies in the file (see splice.py)."""
    records, keys, found = etree.Element("records"), [article.doi for article in site.articles], []
    content = to_bytes_with_parts(records, [(records, PartsOf(fragments, keys))], spans=found)
    note_spans(spans, paths.DOAJ, "doaj", keys, found, content)
    return content


def article_fragment(article: Article, journal: Journal) -> bytes:
    """One article's <record>, serialised as its lines of doaj.xml. Written as text (see
    `element_line`): a record is one level of small elements, a fifth of them the authors'."""
    language = iso639_2b(article.language)
    # <language> is the full text's; the title, abstract and keywords are the record's own
    # text, written in the site's language, and each names its language.
    text_language = iso639_2b(journal.language)
    in_language = {"language": text_language} if text_language else None
    fields = []
    if language:
        fields.append(element_line("language", language))
    if journal.publisher:
        fields.append(element_line("publisher", journal.publisher))
    fields.append(element_line("journalTitle", journal.title))
    if journal.issn_print:
        fields.append(element_line("issn", journal.issn_print))
    if journal.issn_online:
        fields.append(element_line("eissn", journal.issn_online))
    published = article.published.isoformat() if article.published else str(article.year)
    fields.append(element_line("publicationDate", published))
    for tag, value in (("volume", article.volume), ("issue", article.issue)):
        if value:
            fields.append(element_line(tag, value))
    pages = article.pages
    if pages.first or pages.elocation_id:
        fields.append(element_line("startPage", pages.first or pages.elocation_id))
    if pages.last:
        fields.append(element_line("endPage", pages.last))
    fields.append(element_line("doi", article.doi))
    fields.append(element_line("publisherRecordId", article.slug))
    fields.append(element_line("documentType", ARTICLE_TYPES.get(article.type, "Article")))
    fields.append(element_line("title", title_text(article.title), in_language))
    fields += _authors(article)
    abstract = abstract_text(article.abstract)
    if abstract:
        fields.append(element_line("abstract", abstract, in_language))
    fields.append(_full_text_url(article, journal))
    if article.keywords:
        keywords = [element_line("keyword", keyword) for keyword in article.keywords]
        fields += element_lines("keywords", keywords, in_language)
    return lines_bytes(element_lines("record", fields), depth=1)


def _full_text_url(article: Article, journal: Journal) -> str:
    """DOAJ links each record to its full text: the record's PDF when it has one, else the
    article's page (which holds the abstract, and the full text where a journal puts it there)."""
    pdf = pdf_url(article, journal)
    if pdf:
        return element_line("fullTextUrl", pdf, {"format": "pdf"})
    return element_line("fullTextUrl", paths.article_url(journal, article), {"format": "html"})


def _authors(article: Article) -> list[str]:
    """The lines of <authors> and <affiliationsList>, when there are any."""
    if not article.authors:
        return []
    numbers = article.affiliation_numbers
    authors = []
    for author in article.authors:
        lines = [element_line("name", author.name)]
        lines += [element_line("affiliationId", str(numbers[affiliation.key])) for affiliation in author.affiliations]
        if author.orcid:
            lines.append(element_line("orcid_id", f"https://orcid.org/{author.orcid}"))
        authors += element_lines("author", lines)
    lines = element_lines("authors", authors)
    if article.affiliations:
        names = [
            element_line("affiliationName", affiliation.name, {"affiliationId": str(numbers[affiliation.key])})
            for affiliation in article.affiliations
        ]
        lines += element_lines("affiliationsList", names)
    return lines
