"""sitemap.xml (sitemaps.org 0.9) with every page a search engine should index, and robots.txt
naming it.

DOI resolver pages (they redirect) and 404.html are left out. An article's lastmod is its
publication date; a list page's is the newest of its articles.
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from caseshelf import urls
from caseshelf.exports import paths
from caseshelf.exports.xml import sub, to_bytes
from caseshelf.model import Article
from caseshelf.site import Site

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
_S = "{" + SITEMAP_NS + "}"


def lastmod(articles: Iterable[Article]) -> str | None:
    dates = [article.published.isoformat() if article.published else str(article.year) for article in articles]
    return max(dates, default=None)


def sitemap_pages(site: Site) -> list[tuple[str, str | None]]:
    """(page path, lastmod) for every indexable page, in the order the site lists them."""
    everything = lastmod(site.articles)
    pages: list[tuple[str, str | None]] = [
        (urls.HOME, everything),
        (urls.ISSUES_INDEX, everything),
        (urls.AUTHORS_INDEX, everything),
        (urls.KEYWORDS_INDEX, everything),
        (urls.DOI_INDEX, everything),
    ]
    pages += [(urls.article_path(article.slug), lastmod([article])) for article in site.articles]
    pages += [(urls.issue_path(issue.slug), lastmod(issue.articles)) for issue in site.issues]
    pages += [(urls.author_path(person.slug), lastmod(person.articles)) for person in site.people]
    pages += [(urls.keyword_path(keyword.slug), lastmod(keyword.articles)) for keyword in site.keywords]
    return pages


def render_sitemap(site: Site) -> bytes:
    urlset = etree.Element(_S + "urlset", nsmap={None: SITEMAP_NS})
    for path, modified in sitemap_pages(site):
        url = sub(urlset, _S + "url")
        sub(url, _S + "loc", urls.absolute(site.journal.base_url, path))
        if modified:
            sub(url, _S + "lastmod", modified)
    return to_bytes(urlset)


def render_robots(site: Site) -> bytes:
    """Crawlers read robots.txt only at a host's root: under a GitHub Pages project sub-path
    this file is ignored, and the sitemap has to be submitted to search engines directly."""
    sitemap_url = paths.absolute(site.journal, paths.SITEMAP)
    return f"User-agent: *\nAllow: /\n\nSitemap: {sitemap_url}\n".encode()
