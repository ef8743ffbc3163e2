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
from caseshelf.exports.xml import escape_text, to_bytes_with_parts
from caseshelf.model import Article
from caseshelf.site import Site

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
_S = "{" + SITEMAP_NS + "}"


def article_lastmod(article: Article) -> str:
    return article.published.isoformat() if article.published else str(article.year)


def sitemap_pages(site: Site) -> list[tuple[str, str | None]]:
    """(page path, lastmod) for every indexable page, in the order the site lists them."""
    # Each article's date is written once: an article counts for its issue, authors and keywords.
    dates = {article.doi: article_lastmod(article) for article in site.articles}

    def lastmod(articles: Iterable[Article]) -> str | None:
        return max((dates[article.doi] for article in articles), default=None)

    everything = lastmod(site.articles)
    pages: list[tuple[str, str | None]] = [
        (urls.HOME, everything),
        (urls.ISSUES_INDEX, everything),
        (urls.AUTHORS_INDEX, everything),
        (urls.KEYWORDS_INDEX, everything),
        (urls.DOI_INDEX, everything),
    ]
    pages += [(urls.article_path(article.slug), dates[article.doi]) for article in site.articles]
    pages += [(urls.issue_path(issue.slug), lastmod(issue.articles)) for issue in site.issues]
    pages += [(urls.author_path(person.slug), lastmod(person.articles)) for person in site.people]
    pages += [(urls.keyword_path(keyword.slug), lastmod(keyword.articles)) for keyword in site.keywords]
    return pages


def render_sitemap(site: Site) -> bytes:
    urlset = etree.Element(_S + "urlset", nsmap={None: SITEMAP_NS})
    base_url = site.journal.base_url
    entries = [_url_entry(urls.absolute(base_url, path), modified) for path, modified in sitemap_pages(site)]
    return to_bytes_with_parts(urlset, [(urlset, entries)])


def _url_entry(location: str, modified: str | None) -> bytes:
    """One <url>, as lxml writes it in the pretty-printed <urlset>, from text: an element tree
    of tens of thousands of pages took most of a second to build on every build."""
    lines = f"  <url>\n    <loc>{escape_text(location)}</loc>\n"
    if modified:
        lines += f"    <lastmod>{escape_text(modified)}</lastmod>\n"
    return (lines + "  </url>\n").encode("utf-8")


def render_robots(site: Site) -> bytes:
    """Crawlers read robots.txt only at a host's root: under a GitHub Pages project sub-path
    this file is ignored, and the sitemap has to be submitted to search engines directly."""
    sitemap_url = paths.absolute(site.journal, paths.SITEMAP)
    return f"User-agent: *\nAllow: /\n\nSitemap: {sitemap_url}\n".encode()
