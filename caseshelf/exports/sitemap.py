"""sitemap.xml (sitemaps.org 0.9) with every page a search engine should index, and robots.txt
naming it.

DOI resolver pages (they redirect) and 404.html are left out. An article's lastmod is its
publication date; a list page's is the newest of its articles.

A sitemap file may list at most 50,000 URLs and be at most 50 MB; search engines reject a larger
one whole. An archive with more pages (some 25,000 articles and their authors) gets a sitemap
index at sitemap.xml instead, naming sitemap-1.xml, sitemap-2.xml, ... in the site's order: the
address robots.txt and Search Console know stays the same.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from lxml import etree

from caseshelf import urls
from caseshelf.exports import paths
from caseshelf.exports.xml import escape_text, to_bytes_with_parts
from caseshelf.identity import MAX_SLUG_LENGTH
from caseshelf.model import Article
from caseshelf.render import OutputFile
from caseshelf.site import Site

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
_S = "{" + SITEMAP_NS + "}"
#: sitemaps.org's limits for one sitemap file (and one sitemap index).
MAX_URLS = 50_000
MAX_BYTES = 52_428_800
#: The longest page path: an issue's, two slugs of at most MAX_SLUG_LENGTH (`issues/<v>/<n>/`).
_LONGEST_PATH = len("issues///") + 2 * MAX_SLUG_LENGTH
#: Room left in a file for the XML declaration and the root element.
_FILE_MARKUP = 1_000


def article_lastmod(article: Article) -> str:
    return article.published.isoformat() if article.published else str(article.year)


#: The pages listing the whole archive, first in the sitemap.
_ARCHIVE_PAGES = (urls.HOME, urls.ISSUES_INDEX, urls.AUTHORS_INDEX, urls.KEYWORDS_INDEX, urls.DOI_INDEX)


def sitemap_pages(site: Site) -> list[tuple[str, str | None]]:
    """(page path, lastmod) for every indexable page, in the order the site lists them."""
    # Each article's date is written once: an article counts for its issue, authors and keywords.
    # Keyed by the article itself (its identity): reading the DOI of each of the hundred thousand
    # memberships of a 10,000-article archive was most of the sitemap's time, on every build.
    dates = {id(article): article_lastmod(article) for article in site.articles}

    def lastmod(articles: Iterable[Article]) -> str | None:
        return max([dates[id(article)] for article in articles], default=None)

    everything = lastmod(site.articles)
    pages: list[tuple[str, str | None]] = [(path, everything) for path in _ARCHIVE_PAGES]
    pages += [(urls.article_path(article.slug), dates[id(article)]) for article in site.articles]
    pages += [(urls.issue_path(issue.slug), lastmod(issue.articles)) for issue in site.issues]
    pages += [(urls.author_path(person.slug), lastmod(person.articles)) for person in site.people]
    pages += [(urls.keyword_path(keyword.slug), lastmod(keyword.articles)) for keyword in site.keywords]
    return pages


def sitemap_page_count(site: Site) -> int:
    """len(sitemap_pages(site)), without making them."""
    return len(_ARCHIVE_PAGES) + len(site.articles) + len(site.issues) + len(site.people) + len(site.keywords)


def render_sitemaps(site: Site, max_urls: int = MAX_URLS) -> list[OutputFile]:
    """sitemap.xml listing every page; or, for more pages than one file may list, a sitemap
    index there and the pages in the files it names (see `sitemap_paths`)."""
    # Escaped once: a page path is percent-encoded by urls.absolute, so only the base URL can
    # hold a character that XML escapes (or forbids), and a date never does.
    escaped_base_url = escape_text(site.journal.base_url)
    pages, per_file = sitemap_pages(site), _urls_per_file(escaped_base_url, max_urls)
    names = _file_names(len(pages), per_file)
    if len(names) == 1:
        return [OutputFile(paths.SITEMAP, _urlset(escaped_base_url, pages))]
    groups = [pages[start : start + per_file] for start in range(0, len(pages), per_file)]
    files = [OutputFile(name, _urlset(escaped_base_url, group)) for name, group in zip(names[1:], groups, strict=True)]
    newest = [max([modified for _, modified in group if modified], default=None) for group in groups]
    entries = [_url_entry(urls.absolute(escaped_base_url, file.path), modified, "sitemap") for file, modified in zip(files, newest)]
    return [OutputFile(paths.SITEMAP, _sitemap_index(entries)), *files]


def sitemap_paths(site: Site, max_urls: int = MAX_URLS) -> list[str]:
    """The files `render_sitemaps` makes: sitemap.xml, then, when it is a sitemap index,
    sitemap-1.xml, sitemap-2.xml, ... of at most `max_urls` pages each (fewer for a base URL so
    long that so many could pass MAX_BYTES). Known without making them: they depend only on
    the number of pages and the base URL."""
    return _file_names(sitemap_page_count(site), _urls_per_file(escape_text(site.journal.base_url), max_urls))


def _urls_per_file(escaped_base_url: str, max_urls: int) -> int:
    longest_entry = len(_url_entry(escaped_base_url, "0000-00-00")) + _LONGEST_PATH
    return max(1, min(max_urls, (MAX_BYTES - _FILE_MARKUP) // longest_entry))


def _file_names(page_count: int, per_file: int) -> list[str]:
    if page_count <= per_file:
        return [paths.SITEMAP]
    return [paths.SITEMAP, *(f"sitemap-{number}.xml" for number in range(1, math.ceil(page_count / per_file) + 1))]


def _urlset(escaped_base_url: str, pages: list[tuple[str, str | None]]) -> bytes:
    urlset = etree.Element(_S + "urlset", nsmap={None: SITEMAP_NS})
    entries = "".join([_url_entry(urls.absolute(escaped_base_url, path), modified) for path, modified in pages])
    return to_bytes_with_parts(urlset, [(urlset, [entries.encode("utf-8")] if entries else [])])


def _sitemap_index(entries: list[str]) -> bytes:
    index = etree.Element(_S + "sitemapindex", nsmap={None: SITEMAP_NS})
    return to_bytes_with_parts(index, [(index, ["".join(entries).encode("utf-8")])])


def _url_entry(escaped_location: str, modified: str | None, element: str = "url") -> str:
    """One <url> (or a sitemap index's <sitemap>), as lxml writes it in the pretty-printed
    <urlset>, from text: an element tree of tens of thousands of pages took most of a second
    to build on every build."""
    if modified:
        return f"  <{element}>\n    <loc>{escaped_location}</loc>\n    <lastmod>{modified}</lastmod>\n  </{element}>\n"
    return f"  <{element}>\n    <loc>{escaped_location}</loc>\n  </{element}>\n"


def render_robots(site: Site) -> bytes:
    """Crawlers read robots.txt only at a host's root: under a GitHub Pages project sub-path
    this file is ignored, and the sitemap has to be submitted to search engines directly."""
    sitemap_url = paths.absolute(site.journal, paths.SITEMAP)
    return f"User-agent: *\nAllow: /\n\nSitemap: {sitemap_url}\n".encode()
