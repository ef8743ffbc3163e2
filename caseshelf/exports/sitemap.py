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
    # Keyed by the article itself (its identity): reading the DOI of each of the hundred thousand
    # memberships of a 10,000-article archive was most of the sitemap's time, on every build.
    dates = {id(article): article_lastmod(article) for article in site.articles}

    def lastmod(articles: Iterable[Article]) -> str | None:
        return max([dates[id(article)] for article in articles], default=None)

    everything = lastmod(site.articles)
    pages: list[tuple[str, str | None]] = [
        (urls.HOME, everything),
        (urls.ISSUES_INDEX, everything),
        (urls.AUTHORS_INDEX, everything),
        (urls.KEYWORDS_INDEX, everything),
        (urls.DOI_INDEX, everything),
    ]
    pages += [(urls.article_path(article.slug), dates[id(article)]) for article in site.articles]
    pages += [(urls.issue_path(issue.slug), lastmod(issue.articles)) for issue in site.issues]
    pages += [(urls.author_path(person.slug), lastmod(person.articles)) for person in site.people]
    pages += [(urls.keyword_path(keyword.slug), lastmod(keyword.articles)) for keyword in site.keywords]
    return pages


def render_sitemap(site: Site) -> bytes:
    urlset = etree.Element(_S + "urlset", nsmap={None: SITEMAP_NS})
    # Escaped once: a page path is percent-encoded by urls.absolute, so only the base URL can
    # hold a character that XML escapes (or forbids), and a date never does.
    escaped_base_url = escape_text(site.journal.base_url)
    entries = "".join(
        [_url_entry(urls.absolute(escaped_base_url, path), modified) for path, modified in sitemap_pages(site)]
    )
    return to_bytes_with_parts(urlset, [(urlset, [entries.encode("utf-8")] if entries else [])])


def _url_entry(escaped_location: str, modified: str | None) -> str:
    """One <url>, as lxml writes it in the pretty-printed <urlset>, from text: an element tree
    of tens of thousands of pages took most of a second to build on every build."""
    if modified:
        return f"  <url>\n    <loc>{escaped_location}</loc>\n    <lastmod>{modified}</lastmod>\n  </url>\n"
    return f"  <url>\n    <loc>{escaped_location}</loc>\n  </url>\n"


def render_robots(site: Site) -> bytes:
    """Crawlers read robots.txt only at a host's root: under a GitHub Pages project sub-path
    this file is ignored, and the sitemap has to be submitted to search engines directly."""
    sitemap_url = paths.absolute(site.journal, paths.SITEMAP)
    return f"User-agent: *\nAllow: /\n\nSitemap: {sitemap_url}\n".encode()
