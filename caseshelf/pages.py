"""The list of HTML pages the site consists of: for each, its path, template and view.

Planning is separate from rendering so that later stages can render pages in parallel, or
only those whose view changed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from caseshelf import article_views, paging, search, urls, view_builders, views
from caseshelf.model import Article
from caseshelf.site import Issue, Keyword, Person, Site


@dataclass(frozen=True, slots=True)
class Page:
    path: str
    """Page path below the base path, e.g. `articles/my-slug/`."""
    template: str
    view: Any
    """The page's view record (see views.py), which the template sees as `page`; or a
    zero-argument function making it, so that planning stays cheap and each view is built only
    by the worker that renders its page, if it renders it at all."""
    inputs: Callable[[], Any] | None = None
    """What the view is made of, as cheap stand-ins (record digests and the few site facts the
    view adds, see `PageInputs`): equal inputs, templates and journal make an identical page,
    so the build cache can skip it. None: render it every time."""

    @property
    def output_path(self) -> str:
        return urls.output_name(self.path)

    def build_view(self) -> Any:
        return self.view() if callable(self.view) else self.view


def site_pages(site: Site, inputs: PageInputs) -> list[Page]:
    """The pages about the whole archive and its people, issues and keywords."""

    def no_inputs() -> tuple:  # pages showing the journal only
        return ()

    size = site.journal.page_size
    pages = [
        Page(urls.HOME, "home.html", partial(view_builders.home_page, site), inputs.home),
        Page(urls.NOT_FOUND, "404.html", views.NotFoundPage(), no_inputs),
        *_list_pages(urls.AUTHORS_INDEX, "authors.html", partial(view_builders.authors_index_page, site), inputs.authors_index, len(site.people), size),
        *_list_pages(urls.DOI_INDEX, "doi_index.html", partial(view_builders.doi_index_page, site), inputs.doi_index, len(site.articles), size),
        Page(urls.ISSUES_INDEX, "issues.html", partial(view_builders.issues_index_page, site), inputs.issues_index),
        Page(urls.KEYWORDS_INDEX, "keywords.html", partial(view_builders.keywords_index_page, site), inputs.keywords_index),
        Page(search.SEARCH_PAGE, "search.html", partial(view_builders.search_page, site), inputs.search_page),
        Page(search.OPENSEARCH_FILE, "opensearch.xml", view_builders.opensearch_description(site.journal), no_inputs),
    ]
    for p in site.people:
        person_view, person_inputs = partial(view_builders.author_page, site, p), partial(inputs.person, p)
        pages += _list_pages(urls.author_path(p.slug), "author.html", person_view, person_inputs, len(p.articles), size)
    pages += [Page(urls.issue_path(i.slug), "issue.html", partial(view_builders.issue_page, site, i), partial(inputs.issue, i)) for i in site.issues]
    for k in site.keywords:
        keyword_view, keyword_inputs = partial(view_builders.keyword_page, site, k), partial(inputs.keyword, k)
        pages += _list_pages(urls.keyword_path(k.slug), "keyword.html", keyword_view, keyword_inputs, len(k.articles), size)
    return pages


def _list_pages(
    list_path: str, template: str, view: Callable[[int], Any], inputs: Callable[[int], tuple], entry_count: int, page_size: int
) -> list[Page]:
    """The pages of a list of `entry_count` entries (see paging.py): `view(n)` and `inputs(n)`
    make page n's view and inputs."""
    return [
        Page(paging.page_path(list_path, number), template, partial(view, number), partial(inputs, number))
        for number in paging.page_numbers(entry_count, page_size)
    ]


def article_pages(
    site: Site, article: Article, inputs: PageInputs | None, extras: Callable[[], views.ArticleExtras] | None = None
) -> tuple[Page, Page]:
    """An article's landing page and its DOI's redirect page. `extras` gives what the exports
    add to the landing page (asked only when the page is rendered)."""
    landing, redirect = article_page_paths(article)
    return (
        Page(
            landing,
            "article.html",
            partial(_article_view, site, article, extras or views.ArticleExtras),
            partial(inputs.article, article) if inputs else None,
        ),
        Page(
            redirect,
            "doi_redirect.html",
            partial(article_views.doi_redirect_page, site, article),
            partial(inputs.record, article) if inputs else None,
        ),
    )


def article_page_paths(article: Article) -> tuple[str, str]:
    """The paths of `article_pages`, without planning them (a build lists every article's)."""
    return urls.article_path(article.slug), urls.doi_path(article.doi)


def _article_view(site: Site, article: Article, extras: Callable[[], views.ArticleExtras]) -> views.ArticlePage:
    return article_views.article_page(site, article, extras())


class PageInputs:
    """Everything a page's view is made of, without building the view.

    An article is stood for by the digest of its record file (and its path): the view
    functions read nothing of an article that its record does not determine. What a view adds
    from the rest of the site is listed explicitly: the slugs of the pages it links to, the
    issue it sits in, the articles citing it. When view_builders.py or article_views.py starts
    showing something new from the site model, it must be added here too; tests/test_cache.py
    checks, edit by edit, that an incremental build equals a cold one.

    It also notes whose record digests each page's inputs hold (`dependencies`): after an edit
    that leaves the site model as it was, only the pages showing the edited records can change.
    """

    def __init__(self, site: Site, record_digests: dict[str, str]):
        self.site = site
        self.digests = record_digests
        self._read: list[str] = []
        """DOIs of the records whose digests were taken since `dependencies` was last called."""
        # What a page shows of a person it names: made once, as each person is named on the
        # pages of every coauthor and every article (tens of times at 10,000 articles).
        self._named = {person.key: (person.name, person.slug) for person in site.people}

    def dependencies(self, page_inputs: Callable[[], Any]) -> tuple[Any, tuple[str, ...]]:
        """A page's inputs (one of the methods below), and the DOIs of the records they hold."""
        self._read.clear()
        value = page_inputs()
        return value, tuple(self._read)

    def record(self, article: Article) -> str:
        self._read.append(article.doi)
        return self.digests[article.doi]

    def article(self, article: Article) -> tuple:
        site = self.site
        issue = site.issue_by_doi.get(article.doi)
        cited = (site.article_by_doi.get(ref.doi.lower()) if ref.doi else None for ref in article.references)
        return (
            self.record(article),
            tuple([self._named[key][1] for key in self._byline_keys(article)]),
            tuple(site.keyword_slugs[keyword.casefold()] for keyword in article.keywords),
            (issue.label, issue.slug) if issue else None,
            tuple(local.slug if local else None for local in cited),
            self._records(site.cited_by.get(article.doi.lower(), ())),
        )

    def person(self, person: Person, number: int) -> tuple:
        # Every page shows the person's name, ORCID iD and article count; the first alone their
        # affiliations and co-authors (see view_builders.author_page).
        about = (person.affiliations, tuple(map(self._named.__getitem__, person.coauthor_keys))) if number == 1 else ()
        return person.name, person.slug, person.orcid, len(person.articles), self._page(person.articles, number), about

    def issue(self, issue: Issue) -> tuple:
        return issue.label, issue.year, issue.slug, self._records(issue.articles)

    def keyword(self, keyword: Keyword, number: int) -> tuple:
        # Every page of the list shows the keyword's article count, not only the pager.
        return keyword.name, keyword.slug, len(keyword.articles), self._page(keyword.articles, number)

    def home(self) -> tuple:
        site = self.site
        latest = site.latest_issue
        counts = len(site.articles), len(site.people), len(site.issues)
        return counts, self.issue(latest) if latest else self._records(site.articles[:20])

    def authors_index(self, number: int) -> tuple:
        site, size = self.site, self.site.journal.page_size
        people = paging.entries_on(site.people, number, size)
        # Every page shows the number of people, and its letters link to the pages where they
        # start: both change with people added or removed on any other page.
        return (
            number, len(site.people), site.index_letters,
            tuple((person.name, person.family_name, person.slug, len(person.articles)) for person in people),
        )  # fmt: skip

    def doi_index(self, number: int) -> tuple:
        return self._page(self.site.articles_by_doi, number)

    def issues_index(self) -> tuple:
        return tuple((i.volume, i.year, i.label, i.slug, len(i.articles)) for i in self.site.issues)

    def search_page(self) -> tuple:
        return tuple(search.filter_order(self.site).items())

    def keywords_index(self) -> tuple:
        return tuple((keyword.name, keyword.slug, len(keyword.articles)) for keyword in self.site.keywords)

    def _page(self, articles: tuple[Article, ...], number: int) -> tuple:
        """What page `number` of a list of `articles` shows: its articles, and the pager."""
        size = self.site.journal.page_size
        return number, paging.page_count(len(articles), size), self._records(paging.entries_on(articles, number, size))

    def _records(self, articles: Sequence[Article]) -> tuple[str, ...]:
        dois = [article.doi for article in articles]  # a list is made faster than a generator runs
        self._read += dois
        return tuple(map(self.digests.__getitem__, dois))

    def _byline_keys(self, article: Article) -> list[str]:
        person_keys, doi = self.site.person_keys, article.doi
        return [person_keys[(doi, index)] for index in range(len(article.authors))]
