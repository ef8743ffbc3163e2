"""What an article page says about itself in <head>: Google Scholar (Highwire Press) tags,
Dublin Core, OpenGraph and schema.org JSON-LD.

Every value is escaped by MarkupSafe's escaper (what Jinja's autoescape uses), and JSON-LD is
dumped by `json` with `<`, `>` and `&` written as \\u escapes, so no text in a record can close
the <script> element.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urljoin

from markupsafe import Markup

from caseshelf.citation import writes_its_doi
from caseshelf.exports import paths
from caseshelf.exports.jsontext import compact_json
from caseshelf.exports.text import abstract_line, title_text
from caseshelf.licenses import LICENSES
from caseshelf.model import Article, Author, Journal, Reference
from caseshelf.render import escape_str
from caseshelf.urls import doi_url

_DC_SCHEMA = '<link rel="schema.DC" href="http://purl.org/dc/elements/1.1/">'
_DESCRIPTION_CHARS = 300


def render_head(article: Article, journal: Journal) -> Markup:
    """All <head> metadata of one article page."""
    title = title_text(article.title)
    abstract = abstract_line(article.abstract)
    lines = [
        *(_tag("name", name, value) for name, value in highwire_tags(article, journal, title)),
        _DC_SCHEMA,
        *(_tag("name", name, value) for name, value in dublin_core_tags(article, journal, title, abstract)),
        *(_tag("property", name, value) for name, value in opengraph_tags(article, journal, title, abstract)),
        f'<script type="application/ld+json">{json_ld_text(json_ld(article, journal, title, abstract))}</script>',
    ]
    return Markup("\n".join(lines))


def _tag(attribute: str, name: str, value: str) -> str:
    # The name is one of ours (citation_title, DC.creator, og:url...), never the record's: only
    # the value needs escaping. A page has some 85 tags: escaped without a Markup object each.
    return f'<meta {attribute}="{name}" content="{escape_str(value)}">'


def json_ld_text(data: dict[str, Any]) -> str:
    """JSON that is safe inside <script>: no `<`, `>` or `&` can appear in it literally."""
    text = compact_json(data).decode()
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def publication_date(article: Article, separator: str) -> str:
    return _written_date(article.published, article.year, separator)


def _written_date(day: date | None, year: int, separator: str) -> str:
    """`day` as `2025/12/15` (with `separator` between its parts), or `year` alone without a day."""
    return day.strftime(f"%Y{separator}%m{separator}%d") if day else str(year)


def _online_date(article: Article) -> str:
    """`published`, when it is not the date the article is cited by (see Article.cited_date)."""
    return publication_date(article, "/") if article.published and article.cited_date is None else ""


def highwire_tags(article: Article, journal: Journal, title: str) -> list[tuple[str, str]]:
    """Google Scholar's inclusion guidelines: authors in byline order, each followed by
    their institutions and ORCID."""
    tags = [("citation_title", title)]
    for author in article.authors:
        tags.append(("citation_author", _inverted_name(author)))
        tags += [("citation_author_institution", aff.name) for aff in author.affiliations]
        if author.orcid:
            tags.append(("citation_author_orcid", f"https://orcid.org/{author.orcid}"))
    pages = article.pages
    tags += [
        # The date other papers cite it by; an online date in another year is its own tag.
        ("citation_publication_date", _written_date(article.cited_date, article.year, "/")),
        ("citation_online_date", _online_date(article)),
        ("citation_journal_title", journal.title),
        ("citation_journal_abbrev", journal.abbreviation),
        *(("citation_issn", issn) for issn in (journal.issn_print, journal.issn_online) if issn),
        ("citation_publisher", journal.publisher),
        ("citation_volume", article.volume or ""),
        ("citation_issue", article.issue or ""),
        ("citation_firstpage", pages.first or pages.elocation_id or ""),
        ("citation_lastpage", pages.last or ""),
        ("citation_doi", article.doi),
        ("citation_language", article.language),
        *(("citation_keywords", keyword) for keyword in article.keywords),
        ("citation_abstract_html_url", paths.article_url(journal, article)),
        ("citation_pdf_url", pdf_url(article, journal) or ""),
        *(("citation_reference", reference_text(reference)) for reference in article.references),
    ]
    return [(name, value) for name, value in tags if value]


def dublin_core_tags(article: Article, journal: Journal, title: str, abstract: str) -> list[tuple[str, str]]:
    tags = [
        ("DC.title", title),
        *(("DC.creator", author.name) for author in article.authors),
        ("DC.date", publication_date(article, "-")),
        ("DC.identifier", doi_url(article.doi)),
        ("DC.publisher", journal.publisher),
        ("DC.source", journal.title),
        ("DC.language", article.language),
        ("DC.rights", LICENSES[article.license].url),
        ("DC.type", "Text"),
        *(("DC.subject", keyword) for keyword in article.keywords),
        ("DC.description", abstract),
    ]
    return [(name, value) for name, value in tags if value]


def opengraph_tags(article: Article, journal: Journal, title: str, abstract: str) -> list[tuple[str, str]]:
    tags = [
        ("og:type", "article"),
        ("og:title", title),
        ("og:url", paths.article_url(journal, article)),
        ("og:site_name", journal.title),
        ("og:description", _shorten(abstract)),
        ("article:published_time", publication_date(article, "-")),
        *(("article:tag", keyword) for keyword in article.keywords),
    ]
    return [(name, value) for name, value in tags if value]


def json_ld(article: Article, journal: Journal, title: str, abstract: str) -> dict[str, Any]:
    """schema.org ScholarlyArticle (MedicalScholarlyArticle for case reports)."""
    url = paths.article_url(journal, article)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "MedicalScholarlyArticle" if article.type == "case-report" else "ScholarlyArticle",
        "@id": url,
        "url": url,
        "headline": title,
        "name": title,
        "author": [_json_ld_author(author) for author in article.authors],
        "datePublished": publication_date(article, "-"),
        "inLanguage": article.language,
        "identifier": {"@type": "PropertyValue", "propertyID": "DOI", "value": article.doi},
        "sameAs": doi_url(article.doi),
        "isPartOf": _json_ld_container(article, journal),
        "publisher": {"@type": "Organization", "name": journal.publisher} if journal.publisher else None,
        "license": LICENSES[article.license].url,
        "keywords": list(article.keywords) or None,
        "abstract": abstract or None,
        "citation": [_json_ld_reference(reference) for reference in article.references] or None,
        "publicationType": "Case Reports" if article.type == "case-report" else None,
    }
    pages = article.pages
    if pages.elocation_id:
        data["pagination"] = pages.elocation_id
    elif pages.first:
        data["pageStart"] = pages.first
        data["pageEnd"] = pages.last or pages.first
    return {key: value for key, value in data.items() if value is not None}


def _json_ld_author(author: Author) -> dict[str, Any]:
    if author.is_group:
        return {"@type": "Organization", "name": author.name}
    person: dict[str, Any] = {"@type": "Person", "name": author.name, "familyName": author.family_name}
    if author.given_names:
        person["givenName"] = author.given_names
    if author.affiliations:
        person["affiliation"] = [
            _json_ld_organization(aff.name, aff.address, aff.country) for aff in author.affiliations
        ]
    if author.orcid:
        person["sameAs"] = f"https://orcid.org/{author.orcid}"
    return person


def _json_ld_organization(name: str, address: str, country: str) -> dict[str, Any]:
    organization: dict[str, Any] = {"@type": "Organization", "name": name}
    if address or country:
        organization["address"] = {
            "@type": "PostalAddress",
            **({"streetAddress": address} if address else {}),
            **({"addressCountry": country} if country else {}),
        }
    return organization


def _json_ld_container(article: Article, journal: Journal) -> dict[str, Any]:
    """PublicationIssue -> PublicationVolume -> Periodical, as far as the record goes."""
    container: dict[str, Any] = {"@type": "Periodical", "name": journal.title}
    if journal.abbreviation and journal.abbreviation != journal.title:
        container["alternateName"] = journal.abbreviation
    issns = [issn for issn in (journal.issn_print, journal.issn_online) if issn]
    if issns:
        container["issn"] = issns
    if journal.publisher:
        container["publisher"] = {"@type": "Organization", "name": journal.publisher}
    if article.volume:
        container = {"@type": "PublicationVolume", "volumeNumber": article.volume, "isPartOf": container}
        if article.issue:
            container = {"@type": "PublicationIssue", "issueNumber": article.issue, "isPartOf": container}
    return container


def _json_ld_reference(reference: Reference) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "CreativeWork", "name": reference.text}
    if reference.doi:
        work["sameAs"] = doi_url(reference.doi)
    elif reference.url:
        work["url"] = reference.url
    return work


def reference_text(reference: Reference) -> str:
    """A reference as Scholar reads it: its text, with its DOI when the text does not write it
    (where the article page links it in place instead)."""
    if reference.doi and not writes_its_doi(reference):
        return f"{reference.text} doi:{reference.doi}"
    return reference.text


def pdf_url(article: Article, journal: Journal) -> str | None:
    """Absolute URL of the PDF: an http(s) URL as is, a relative path against the article page;
    anything with another scheme (javascript:, data:) is not a PDF link."""
    if not article.pdf:
        return None
    if article.pdf.startswith(("https://", "http://")):
        return article.pdf
    if ":" in article.pdf.split("/")[0] or article.pdf.startswith("//"):
        return None
    return urljoin(paths.article_url(journal, article), article.pdf)


def _inverted_name(author: Author) -> str:
    if author.is_group or not author.given_names:
        return author.family_name
    return f"{author.family_name}, {author.given_names}"


def _shorten(text: str) -> str:
    if len(text) <= _DESCRIPTION_CHARS:
        return text
    return text[:_DESCRIPTION_CHARS].rsplit(" ", 1)[0] + "…"
