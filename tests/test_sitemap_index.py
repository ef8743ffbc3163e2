"""A sitemap file may list at most 50,000 URLs (sitemaps.org): a larger archive gets a sitemap
index at sitemap.xml naming sitemap-1.xml, sitemap-2.xml, ... Checked on the site model of the
exports fixture, made larger by copies of an article where the real limit is tested."""

from __future__ import annotations

from dataclasses import replace

import pytest
from lxml import etree

from caseshelf.exports import archive_files_kept
from caseshelf.exports.sitemap import MAX_BYTES, MAX_URLS, render_sitemaps, sitemap_page_count, sitemap_pages, sitemap_paths
from caseshelf.loading import load_content
from caseshelf.model import Loaded
from caseshelf.site import Site, build_site
from conftest import EXPORTS_FIXTURE

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
BASE = "https://journal.example.org/sub/path/"


@pytest.fixture(scope="module")
def site() -> Site:
    return build_site(load_content(EXPORTS_FIXTURE))


def with_articles(site: Site, count: int, base_url: str | None = None) -> Site:
    """The site model of `count` copies of the site's first article under new slugs and DOIs
    (the same authors, issue and keywords)."""
    first = site.articles[0]
    copies = tuple(replace(first, slug=f"copy-{number}", doi=f"10.5555/copy.{number}") for number in range(count))
    return build_site(Loaded(replace(site.journal, base_url=base_url or site.journal.base_url), copies))


def entries(xml: bytes, element: str) -> list[tuple[str, str | None]]:
    root = etree.fromstring(xml)
    assert root.tag == f"{{{NS['s']}}}{element}set" if element == "url" else root.tag == f"{{{NS['s']}}}sitemapindex"
    assert all(child.tag == f"{{{NS['s']}}}{element}" for child in root)
    return [(child.findtext("s:loc", namespaces=NS), child.findtext("s:lastmod", namespaces=NS)) for child in root]


def test_a_site_within_the_limit_has_one_sitemap(site: Site) -> None:
    [sitemap] = render_sitemaps(site)
    assert sitemap.path == "sitemap.xml" and sitemap_paths(site) == ["sitemap.xml"]
    assert len(entries(sitemap.content, "url")) == len(sitemap_pages(site)) == sitemap_page_count(site)


@pytest.mark.parametrize("max_urls", [1, 3, 4, 1000])
def test_beyond_the_limit_sitemap_xml_is_an_index_of_files_listing_every_page_in_order(site: Site, max_urls: int) -> None:
    [whole] = render_sitemaps(site)
    every_page = entries(whole.content, "url")
    files = render_sitemaps(site, max_urls)
    assert [file.path for file in files] == sitemap_paths(site, max_urls)
    if len(every_page) <= max_urls:
        assert files == [whole]
        return
    index, *parts = files
    assert index.path == "sitemap.xml" and [part.path for part in parts] == [f"sitemap-{n}.xml" for n in range(1, len(parts) + 1)]
    listed = [entries(part.content, "url") for part in parts]
    assert [page for part in listed for page in part] == every_page  # each page once, in the site's order
    assert all(0 < len(part) <= max_urls for part in listed) and len(parts) == -(-len(every_page) // max_urls)
    # The index names each file by its address, dated by the newest page it lists.
    newest = [max(modified for _, modified in part if modified) for part in listed]
    assert entries(index.content, "sitemap") == [(BASE + part.path, date) for part, date in zip(parts, newest)]


@pytest.fixture(scope="module")
def past_the_limit(site: Site) -> Site:
    """A site of MAX_URLS + 1 pages."""
    return with_articles(site, MAX_URLS - pages_but_articles(site) + 1)


def pages_but_articles(site: Site) -> int:
    return sitemap_page_count(with_articles(site, 1)) - 1


def test_the_real_limit_is_fifty_thousand_urls(site: Site, past_the_limit: Site) -> None:
    at_the_limit = with_articles(site, MAX_URLS - pages_but_articles(site))
    assert sitemap_page_count(at_the_limit) == MAX_URLS == len(sitemap_pages(at_the_limit))
    assert [file.path for file in render_sitemaps(at_the_limit)] == ["sitemap.xml"]
    assert sitemap_page_count(past_the_limit) == MAX_URLS + 1 == len(sitemap_pages(past_the_limit))
    index, first, second = render_sitemaps(past_the_limit)
    assert len(entries(first.content, "url")) == MAX_URLS and len(entries(second.content, "url")) == 1
    assert [loc for loc, _ in entries(index.content, "sitemap")] == [BASE + "sitemap-1.xml", BASE + "sitemap-2.xml"]


def test_a_base_url_long_enough_to_pass_fifty_megabytes_puts_fewer_urls_in_each_file(site: Site) -> None:
    # A base URL no journal has (10,000 characters): the files must still be valid.
    long_base = "https://journal.example.org/" + "a-very-long-path/" * 600
    big = with_articles(site, 9_000, base_url=long_base)
    files = render_sitemaps(big)
    assert len(files) > 2  # 9,000 pages would fit one file by count
    assert all(len(file.content) <= MAX_BYTES for file in files)
    assert sum(len(entries(file.content, "url")) for file in files[1:]) == sitemap_page_count(big)


def test_an_edit_the_sitemap_does_not_show_keeps_every_sitemap_file(past_the_limit: Site) -> None:
    # An incremental build writes neither the files it keeps nor, as they are kept, removes them.
    every_file = {"sitemap.xml", "sitemap-1.xml", "sitemap-2.xml"}
    assert every_file <= archive_files_kept(past_the_limit, frozenset({"title"}))
    # A publication date is each article's lastmod: all are made again.
    assert not every_file & archive_files_kept(past_the_limit, frozenset({"published"}))
