"""How each page's view (the records in caseshelf/views.py) is built from the site model:
where every value a template prints comes from. An article's own pages (its landing page and
its DOI's redirect page) are built in article_views.py, with the links and titles made here.

The builders read the Site and never change it. Links and article summaries are memoised for
the site being rendered (`SiteLinks`): one article is listed on many pages, and one person is
linked from every article and co-author's page.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import partial

from markupsafe import Markup, escape

from caseshelf import paging, urls
from caseshelf.citation import author_list, source_line
from caseshelf.markdown import render_block, render_inline
from caseshelf.model import ARTICLE_TYPES, Article, Journal
from caseshelf.search import OPENSEARCH_FILE, SEARCH_PAGE, filter_order, opensearch_short_name
from caseshelf.search_index import BUNDLE_DIR
from caseshelf.site import Issue, Keyword, Person, Site, index_letter
from caseshelf.views import (
    ArticleSummary, AuthorAffiliation, AuthorPage, AuthorsIndexPage, DoiEntry, DoiIndexPage, HomePage, IndexEntry,
    IssuePage, IssueSection, IssuesIndexPage, JournalView, KeywordPage, KeywordsIndexPage, LetterGroup, Link,
    OpenSearchDescription, Pager, PagerLink, SearchPage, VolumeView,
)


def journal_view(journal: Journal) -> JournalView:
    base = journal.base_path
    return JournalView(
        title=journal.title,
        abbreviation=journal.abbreviation,
        publisher=journal.publisher,
        issn_print=journal.issn_print,
        issn_online=journal.issn_online,
        language=journal.language,
        base_path=base,
        base_url=journal.base_url,
        stylesheet=urls.link(base, "static/caseshelf.css"),
        icon=urls.link(base, "static/favicon.svg"),
        search_url=urls.link(base, "search/"),
        feed_url=urls.link(base, "feed.xml"),
        opensearch_url=urls.link(base, "opensearch.xml"),
        home=Link(journal.title, urls.link(base, urls.HOME)),
        nav=(
            Link("Issues", urls.link(base, urls.ISSUES_INDEX)),
            Link("Authors", urls.link(base, urls.AUTHORS_INDEX)),
            Link("Keywords", urls.link(base, urls.KEYWORDS_INDEX)),
            Link("DOI index", urls.link(base, urls.DOI_INDEX)),
        ),
    )


class SiteLinks:
    """What many pages of one site show the same way, made once per process: an article is
    listed on its authors', keywords' and issue's pages and cited by others, and a person is
    linked from each of their articles and from every co-author's page. The Site is never
    changed once built, so its values can be kept for as long as the site is the current one."""

    def __init__(self, site: Site):
        self.site = site
        self.summaries: dict[str, ArticleSummary] = {}
        self.article_urls: dict[str, str] = {}
        self.person_urls: dict[str, str] = {}
        self.keyword_urls: dict[str, str] = {}

    def summary(self, article: Article) -> ArticleSummary:
        summary = self.summaries.get(article.doi)
        if summary is None:
            summary = self.summaries[article.doi] = article_summary_of(article, self.site.journal)
        return summary

    def article_url(self, article: Article) -> str:
        url = self.article_urls.get(article.doi)
        if url is None:
            url = self.article_urls[article.doi] = _article_url(article, self.site.journal)
        return url

    def person_url(self, key: str) -> str:
        url = self.person_urls.get(key)
        if url is None:
            slug = self.site.people_by_key[key].slug
            url = self.person_urls[key] = urls.link(self.site.journal.base_path, urls.author_path(slug))
        return url

    def keyword_url(self, keyword: str) -> str:
        folded = keyword.casefold()
        url = self.keyword_urls.get(folded)
        if url is None:
            slug = self.site.keyword_slugs[folded]
            url = self.keyword_urls[folded] = urls.link(self.site.journal.base_path, urls.keyword_path(slug))
        return url


_current_links: SiteLinks | None = None


def site_links(site: Site) -> SiteLinks:
    """The memo of the site being rendered; a new site (a rebuild in `serve`) starts a new one."""
    global _current_links
    if _current_links is None or _current_links.site is not site:
        _current_links = SiteLinks(site)
    return _current_links


def article_summary(site: Site, article: Article) -> ArticleSummary:
    """Memoised for the current site: one article is listed on many pages (authors, keywords...)."""
    return site_links(site).summary(article)


def _article_url(article: Article, journal: Journal) -> str:
    return urls.link(journal.base_path, urls.article_path(article.slug))


def remember_summaries(site: Site, summaries: Mapping[str, ArticleSummary]) -> None:
    """Take summaries made earlier (article DOI -> `article_summary_of` the article of `site`
    with that DOI, for its journal) into the memo of `site`: the build cache keeps them, so
    that the DOI index of an edited archive does not summarise 10,000 articles again."""
    site_links(site).summaries.update(summaries)


def article_summary_of(article: Article, journal: Journal) -> ArticleSummary:
    """What a list shows of an article: made of the record and the journal only."""
    return ArticleSummary(
        title_html=title_html(article, journal),
        url=_article_url(article, journal),
        authors=author_list(article),
        citation=f"{journal.abbreviation}. {source_line(article)}",
        doi=article.doi,
        type_label=ARTICLE_TYPES.get(article.type, "Article"),
        doi_url=urls.doi_url(article.doi),
    )


def text_language(text: str, article: Article, journal: Journal) -> str | None:
    """The record's `language` for its `text` (title, abstract) when that is not the site's and
    the text is written mostly in letters other than Latin ones (a Cyrillic title of a Russian
    article): marked with `lang`, it is read aloud in its own language, not as English. Latin
    letters do not tell the language: the English title of a Russian article (the model page)
    is the page's language, and so is left unmarked, as is a Norwegian title that cannot be told
    from it. None: the page's language."""
    if text.isascii() or article.language.split("-")[0] == journal.language.split("-")[0]:
        return None
    latin = other = 0
    for char in text[:400]:  # its start tells the script of an abstract as well as all of it
        if char.isalpha():
            if char < "\u0250":  # Basic Latin to Latin Extended-B
                latin += 1
            else:
                other += 1
    return article.language if other > latin else None


def title_html(article: Article, journal: Journal) -> Markup:
    return in_language(render_inline(article.title), text_language(article.title, article, journal), "span")


def in_language(html: Markup, language: str | None, tag: str) -> Markup:
    """`html` in a `tag` marked `lang` when `language` is not None. The mark is part of the
    rendered value, not a template's: every title in every list would otherwise pay for a test
    that is almost never true."""
    return Markup(f'<{tag} lang="{escape(language)}">{html}</{tag}>') if language else html


def orcid_url(orcid: str | None) -> str | None:
    return f"https://orcid.org/{orcid}" if orcid else None


def author_page(site: Site, person: Person, number: int) -> AuthorPage:
    """Page `number` of a person's articles; the first also says where they worked and with whom."""
    links, list_path = site_links(site), urls.author_path(person.slug)
    shown = paging.entries_on(person.articles, number, site.journal.page_size)
    affiliations, coauthors = _about_person(site, person) if number == 1 else ((), ())
    return AuthorPage(
        name=person.name,
        orcid=person.orcid,
        orcid_url=orcid_url(person.orcid),
        canonical_url=urls.absolute(site.journal.base_url, paging.page_path(list_path, number)),
        affiliations=affiliations,
        articles=tuple(links.summary(article) for article in shown),
        article_count=len(person.articles),
        coauthors=coauthors,
        pager=_pager(site.journal, list_path, number, len(person.articles)),
    )


def _about_person(site: Site, person: Person) -> tuple[tuple[AuthorAffiliation, ...], tuple[Link, ...]]:
    """A person's affiliations over time and their co-authors, A–Z."""
    links = site_links(site)
    coauthors = sorted((site.people_by_key[key] for key in person.coauthor_keys), key=lambda p: p.name.casefold())
    return (
        tuple(AuthorAffiliation(aff.name, aff.address, aff.country, year) for aff, year in person.affiliations),
        tuple(Link(coauthor.name, links.person_url(coauthor.key)) for coauthor in coauthors),
    )


def authors_index_page(site: Site, number: int) -> AuthorsIndexPage:
    links, size = site_links(site), site.journal.page_size
    groups: dict[str, list[IndexEntry]] = {}
    for person in paging.entries_on(site.people, number, size):
        entry = IndexEntry(person.name, links.person_url(person.key), len(person.articles))
        groups.setdefault(index_letter(person.family_name), []).append(entry)
    return AuthorsIndexPage(
        groups=tuple(LetterGroup(letter, tuple(entries)) for letter, entries in groups.items()),
        total=len(site.people),
        letters=tuple(_letter_link(site, letter, first, number) for letter, first in site.index_letters),
        pager=_pager(site.journal, urls.AUTHORS_INDEX, number, len(site.people)),
    )


def _letter_link(site: Site, letter: str, first: int, number: int) -> Link:
    """A letter of the A–Z index, linked to its heading: on page `number` (the one being
    made), or on the page of the person at position `first`, where the letter starts."""
    letter_page = paging.page_of(first, site.journal.page_size)
    page_url = "" if letter_page == number else _page_link(site.journal, urls.AUTHORS_INDEX, letter_page)
    return Link(letter, f"{page_url}#letter-{letter}")


def doi_index_page(site: Site, number: int) -> DoiIndexPage:
    shown = paging.entries_on(site.articles_by_doi, number, site.journal.page_size)
    summaries = (article_summary(site, article) for article in shown)
    return DoiIndexPage(
        entries=tuple(DoiEntry(summary.doi, summary.doi_url, summary) for summary in summaries),
        pager=_pager(site.journal, urls.DOI_INDEX, number, len(site.articles_by_doi)),
    )


def _pager(journal: Journal, list_path: str, number: int, entry_count: int) -> Pager | None:
    """The pager of page `number` of a list, or None for a list that fits on one page."""
    count = paging.page_count(entry_count, journal.page_size)
    if count == 1:
        return None
    page_link = partial(_page_link, journal, list_path)
    return Pager(
        number=number,
        count=count,
        label=f"page {number} of {count}",
        previous_url=page_link(number - 1) if number > 1 else None,
        next_url=page_link(number + 1) if number < count else None,
        links=tuple(
            PagerLink(shown, page_link(shown) if shown else "", shown == number) for shown in paging.pager_numbers(number, count)
        ),
    )


def _page_link(journal: Journal, list_path: str, number: int) -> str:
    return urls.link(journal.base_path, paging.page_path(list_path, number))


def issues_index_page(site: Site) -> IssuesIndexPage:
    volumes: dict[str, list[Issue]] = {}
    for issue in site.issues:
        volumes.setdefault(issue.volume, []).append(issue)
    return IssuesIndexPage(
        tuple(
            VolumeView(
                volume=volume,
                year=max(issue.year for issue in issues),
                issues=tuple(
                    IndexEntry(issue.label, urls.link(site.journal.base_path, urls.issue_path(issue.slug)), len(issue.articles))
                    for issue in issues
                ),
            )
            for volume, issues in volumes.items()
        )
    )


def issue_page(site: Site, issue: Issue) -> IssuePage:
    return IssuePage(
        label=issue.label,
        year=issue.year,
        url=urls.link(site.journal.base_path, urls.issue_path(issue.slug)),
        canonical_url=urls.absolute(site.journal.base_url, urls.issue_path(issue.slug)),
        articles=tuple(article_summary(site, article) for article in issue.articles),
        sections=issue_sections(site, issue.articles),
    )


#: An issue's sections, headed as journals head them.
SECTION_HEADINGS = {
    "case-report": "Case reports", "research-article": "Research articles", "review": "Reviews",
    "brief-report": "Brief reports", "letter": "Letters", "editorial": "Editorials", "other": "Articles",
}  # fmt: skip


def issue_sections(site: Site, articles: tuple[Article, ...]) -> tuple[IssueSection, ...]:
    """The articles of an issue grouped by type, as OJS and printed issues show them: each
    section where its first article is in page order (an editorial on page 1 comes first), the
    articles of a section in page order."""
    by_type: dict[str, list[Article]] = {}
    for article in articles:
        by_type.setdefault(article.type, []).append(article)
    return tuple(
        IssueSection(SECTION_HEADINGS[article_type], tuple(article_summary(site, article) for article in section))
        for article_type, section in by_type.items()
    )


def keywords_index_page(site: Site) -> KeywordsIndexPage:
    return KeywordsIndexPage(
        tuple(
            IndexEntry(k.name, urls.link(site.journal.base_path, urls.keyword_path(k.slug)), len(k.articles))
            for k in site.keywords
        )
    )


def keyword_page(site: Site, keyword: Keyword, number: int) -> KeywordPage:
    shown = paging.entries_on(keyword.articles, number, site.journal.page_size)
    return KeywordPage(
        name=keyword.name,
        articles=tuple(article_summary(site, article) for article in shown),
        article_count=len(keyword.articles),
        pager=_pager(site.journal, urls.keyword_path(keyword.slug), number, len(keyword.articles)),
    )


def home_page(site: Site) -> HomePage:
    latest = site.latest_issue
    return HomePage(
        description_html=render_block(site.journal.description),
        latest_issue=issue_page(site, latest) if latest else None,
        article_count=len(site.articles),
        author_count=len(site.people),
        issue_count=len(site.issues),
        recent=() if latest else tuple(article_summary(site, a) for a in site.articles[:20]),
    )


def search_page(site: Site) -> SearchPage:
    base = site.journal.base_path
    return SearchPage(
        bundle_url=urls.link(base, f"{BUNDLE_DIR}/"),
        script_url=urls.link(base, "static/search.js"),
        stylesheet_url=urls.link(base, "static/search.css"),
        filter_order=json.dumps(filter_order(site), ensure_ascii=False, separators=(",", ":")),
    )


def opensearch_description(journal: Journal) -> OpenSearchDescription:
    return OpenSearchDescription(
        short_name=opensearch_short_name(journal),
        description=f"Search the archive of {journal.title}",
        search_url_template=urls.absolute(journal.base_url, SEARCH_PAGE) + "?q={searchTerms}",
        self_url=urls.absolute(journal.base_url, OPENSEARCH_FILE),
        home_url=journal.base_url,
    )
