"""How an article's own pages' views are built from the site model: its landing page (byline,
affiliations, abstract, references, the articles citing it) and its DOI's redirect page.

The links and titles an article page shares with the lists it appears in (authors', keywords'
and cited articles' pages, memoised for the site being rendered) come from view_builders.py.
"""

from __future__ import annotations

import re

from caseshelf import urls
from caseshelf.citation import doi_in_text, language_note, plain_citation, source_line
from caseshelf.licenses import LICENSES
from caseshelf.markdown import plain_text, render_block
from caseshelf.model import ARTICLE_TYPES, Article, Reference
from caseshelf.search import search_fields
from caseshelf.site import Site
from caseshelf.view_builders import SiteLinks, in_language, orcid_url, site_links, text_language, title_html
from caseshelf.views import (
    AffiliationView, ArticleExtras, ArticlePage, AuthorDetails, BylineAuthor, DoiRedirectPage, Link, ReferenceView,
    TextAroundDoi,
)


def article_page(site: Site, article: Article, extras: ArticleExtras = ArticleExtras()) -> ArticlePage:
    journal = site.journal
    links = site_links(site)
    numbers = article.affiliation_numbers
    person_urls = [links.person_url(site.person_keys[(article.doi, index)]) for index in range(len(article.authors))]
    affiliations = tuple(
        AffiliationView(numbers[aff.key], aff.name, aff.address, aff.country) for aff in article.affiliations
    )
    issue = site.issue_by_doi.get(article.doi)
    license_info = LICENSES[article.license]
    return ArticlePage(
        title_html=title_html(article, journal),
        title_text=plain_text(article.title),
        type_label=ARTICLE_TYPES.get(article.type, "Article"),
        doi=article.doi,
        doi_url=urls.doi_url(article.doi),
        canonical_url=urls.absolute(journal.base_url, urls.article_path(article.slug)),
        byline=_byline(article, person_urls, numbers),
        affiliations=affiliations,
        about_authors=_about_the_authors(article, person_urls, affiliations, numbers),
        abstract_html=in_language(render_block(article.abstract), text_language(article.abstract, article, journal), "div"),
        keywords=tuple(
            Link(keyword, links.keyword_url(keyword)) for keyword in article.keywords
        ),
        source=source_line(article),
        issue=Link(issue.label, urls.link(journal.base_path, urls.issue_path(issue.slug))) if issue else None,
        published=article.published.isoformat() if article.published else None,
        language_note=language_note(article, journal),
        references=tuple(_reference_view(links, number, ref) for number, ref in enumerate(article.references, start=1)),
        cited_by=tuple(links.summary(citing) for citing in site.cited_by.get(article.doi.lower(), ())),
        citation_text=extras.citation_text or plain_citation(article, journal),
        license_name=license_info.name,
        license_url=license_info.url,
        pdf_url=_pdf_url(article),
        downloads=extras.downloads,
        head_html=extras.head_html,
        search=search_fields(journal, article, issue.label if issue else None),
    )


def _byline(article: Article, person_urls: list[str], numbers: dict[str, int]) -> tuple[BylineAuthor, ...]:
    """`numbers`: the article's affiliation numbers (Article.affiliation_numbers, made once per page)."""
    return tuple(
        BylineAuthor(
            name=author.name,
            url=url,
            affiliation_numbers=tuple(numbers[aff.key] for aff in author.affiliations),
            orcid_url=orcid_url(author.orcid),
            corresponding=author.corresponding,
        )
        for author, url in zip(article.authors, person_urls)
    )


def _about_the_authors(
    article: Article, person_urls: list[str], affiliations: tuple[AffiliationView, ...], numbers: dict[str, int],
) -> tuple[AuthorDetails, ...]:  # fmt: skip
    """Each author's details; the e-mail address of the corresponding authors only."""
    return tuple(
        AuthorDetails(
            name=author.name,
            url=url,
            degrees=author.degrees,
            position=author.position,
            affiliations=tuple(affiliations[numbers[aff.key] - 1] for aff in author.affiliations),
            orcid=author.orcid,
            orcid_url=orcid_url(author.orcid),
            email=author.email if author.corresponding else None,
        )
        for author, url in zip(article.authors, person_urls)
    )


def _pdf_url(article: Article) -> str | None:
    """An http(s) URL or a path relative to the article page; the loader refuses anything else."""
    return article.pdf


def _reference_view(links: SiteLinks, number: int, reference: Reference) -> ReferenceView:
    local = links.site.article_by_doi.get(reference.doi.lower()) if reference.doi else None
    return ReferenceView(
        number=number,
        text=reference.text,
        doi=reference.doi,
        doi_url=urls.doi_url(reference.doi) if reference.doi else None,
        text_around_doi=_around_doi(reference),
        pubmed_url=f"https://pubmed.ncbi.nlm.nih.gov/{reference.pmid}/" if reference.pmid else None,
        pmid=reference.pmid,
        url=reference.url,
        local_url=links.article_url(local) if local else None,
    )


def _around_doi(reference: Reference) -> TextAroundDoi | None:
    """The reference's text cut around the place it writes its DOI (`doi_in_text`), or None
    when it does not."""
    place = doi_in_text(reference)
    if place is None:
        return None
    start, end = place
    # `https://doi.org/10.1/x` is linked whole; only the few characters before the DOI can be its resolver.
    resolver = _RESOLVER_BEFORE_DOI.search(reference.text, max(0, start - _LONGEST_RESOLVER), start)
    if resolver:
        start = resolver.start()
    return TextAroundDoi(reference.text[:start], reference.text[start:end], reference.text[end:])


#: A DOI resolver's address just before a DOI: the reader sees one address, so all of it is
#: the link's text, not the DOI alone after an unlinked `https://doi.org/`.
_RESOLVER_BEFORE_DOI = re.compile(r"https?://(?:dx\.)?doi\.org/\Z", re.IGNORECASE)
_LONGEST_RESOLVER = len("https://dx.doi.org/")


def doi_redirect_page(site: Site, article: Article) -> DoiRedirectPage:
    return DoiRedirectPage(
        doi=article.doi,
        title_text=plain_text(article.title),
        target_url=urls.absolute(site.journal.base_url, urls.article_path(article.slug)),
        target_link=urls.link(site.journal.base_path, urls.article_path(article.slug)),
    )
