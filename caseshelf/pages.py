"""The list of HTML pages the site consists of: for each, its path, template and view.

Planning is separate from rendering so that later stages can render pages in parallel, or
only those whose view changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any

from caseshelf import search, urls, views
from caseshelf.site import Site


@dataclass(frozen=True, slots=True)
class Page:
    path: str
    """Page path below the base path, e.g. `articles/my-slug/`."""
    template: str
    view: Any
    """The page's view record (see views.py), which the template sees as `page`; or a
    zero-argument function making it, so that planning stays cheap (the build plans the site
    several times: to check paths, and once in every worker) and each view is built only by
    the worker that renders its page."""

    @property
    def output_path(self) -> str:
        return str(urls.output_file(self.path))

    def build_view(self) -> Any:
        return self.view() if callable(self.view) else self.view


def plan_pages(site: Site, article_extras: dict[str, views.ArticleExtras] | None = None) -> list[Page]:
    """Every HTML page of the site. `article_extras` maps DOI -> what the exports add to its page."""
    extras = article_extras or {}
    pages = [
        Page(urls.HOME, "home.html", partial(views.home_page, site)),
        Page(urls.NOT_FOUND, "404.html", views.NotFoundPage()),
        Page(urls.AUTHORS_INDEX, "authors.html", partial(views.authors_index_page, site)),
        Page(urls.DOI_INDEX, "doi_index.html", partial(views.doi_index_page, site)),
        Page(urls.ISSUES_INDEX, "issues.html", partial(views.issues_index_page, site)),
        Page(urls.KEYWORDS_INDEX, "keywords.html", partial(views.keywords_index_page, site)),
        Page(search.SEARCH_PAGE, "search.html", views.search_page(site.journal)),
        Page(search.OPENSEARCH_FILE, "opensearch.xml", views.opensearch_description(site.journal)),
    ]
    for article in site.articles:
        pages.append(
            Page(urls.article_path(article.slug), "article.html", partial(views.article_page, site, article, extras.get(article.doi, views.ArticleExtras())))
        )
        pages.append(Page(urls.doi_path(article.doi), "doi_redirect.html", partial(views.doi_redirect_page, site, article)))
    pages += [Page(urls.author_path(p.slug), "author.html", partial(views.author_page, site, p)) for p in site.people]
    pages += [Page(urls.issue_path(i.slug), "issue.html", partial(views.issue_page, site, i)) for i in site.issues]
    pages += [Page(urls.keyword_path(k.slug), "keyword.html", partial(views.keyword_page, site, k)) for k in site.keywords]
    return pages
