"""doaj.xml: every article in DOAJ's article upload format (doajArticles.xsd).

Element order, ISSN and ORCID patterns and the ISO 639-2/B language codes follow that schema.
"""

from __future__ import annotations

from collections.abc import Mapping

from lxml import etree

from caseshelf.exports import paths
from caseshelf.exports.languages import iso639_2b
from caseshelf.exports.text import abstract_text, title_text
from caseshelf.exports.xml import fragment_bytes, fragment_parent, sub, to_bytes_with_parts
from caseshelf.loading.articles import ARTICLE_TYPES
from caseshelf.model import Article, Journal
from caseshelf.site import Site


def render_doaj(site: Site, fragments: Mapping[str, bytes]) -> bytes:
    """`fragments` maps each DOI to its <record> (see `article_fragment`)."""
    records = etree.Element("records")
    return to_bytes_with_parts(records, [(records, [fragments[article.doi] for article in site.articles])])


def article_fragment(article: Article, journal: Journal) -> bytes:
    """One article's <record>, serialised as its lines of doaj.xml."""
    record = etree.SubElement(fragment_parent(depth=1), "record")
    language = iso639_2b(article.language)
    if language:
        sub(record, "language", language)
    if journal.publisher:
        sub(record, "publisher", journal.publisher)
    sub(record, "journalTitle", journal.title)
    if journal.issn_print:
        sub(record, "issn", journal.issn_print)
    if journal.issn_online:
        sub(record, "eissn", journal.issn_online)
    sub(record, "publicationDate", article.published.isoformat() if article.published else str(article.year))
    for tag, value in (("volume", article.volume), ("issue", article.issue)):
        if value:
            sub(record, tag, value)
    pages = article.pages
    if pages.first or pages.elocation_id:
        sub(record, "startPage", pages.first or pages.elocation_id)
    if pages.last:
        sub(record, "endPage", pages.last)
    sub(record, "doi", article.doi)
    sub(record, "publisherRecordId", article.slug)
    sub(record, "documentType", ARTICLE_TYPES.get(article.type, "Article"))
    title = sub(record, "title", title_text(article.title))
    if language:
        title.set("language", language)
    _authors(record, article)
    abstract = abstract_text(article.abstract)
    if abstract:
        element = sub(record, "abstract", abstract)
        if language:
            element.set("language", language)
    sub(record, "fullTextUrl", paths.article_url(journal, article), format="html")
    if article.keywords:
        keywords = sub(record, "keywords")
        if language:
            keywords.set("language", language)
        for keyword in article.keywords:
            sub(keywords, "keyword", keyword)
    return fragment_bytes(record)


def _authors(record: etree._Element, article: Article) -> None:
    if not article.authors:
        return
    numbers = article.affiliation_numbers
    authors = sub(record, "authors")
    for author in article.authors:
        element = sub(authors, "author")
        sub(element, "name", author.name)
        for affiliation in author.affiliations:
            sub(element, "affiliationId", str(numbers[affiliation.key]))
        if author.orcid:
            sub(element, "orcid_id", f"https://orcid.org/{author.orcid}")
    if article.affiliations:
        affiliations = sub(record, "affiliationsList")
        for affiliation in article.affiliations:
            sub(affiliations, "affiliationName", affiliation.name, affiliationId=str(numbers[affiliation.key]))
