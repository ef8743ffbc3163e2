"""Long lists on numbered pages: the DOI index, the A–Z index of authors, keyword pages and
author pages, cut at journal.yaml's `page_size` (the sample journal with a page size of 2 makes
every one of them several pages long)."""

from __future__ import annotations

import math
import shutil
from pathlib import Path
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup

from caseshelf import paging
from caseshelf.loading import load_content
from caseshelf.pipeline import BuildOptions, build
from caseshelf.problems import BuildFailed
from caseshelf.site import build_site
from conftest import SAMPLE_CONTENT, static_server
from test_cache import edit, incremental_equals_cold, project  # noqa: F401 - `project` is a fixture

BASE_PATH = "/rjpho/"


def small_pages(content: Path, size: int) -> None:
    journal = content / "journal.yaml"
    journal.write_text(journal.read_text("utf-8") + f"page_size: {size}\n", "utf-8")


@pytest.fixture(scope="module")
def paged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample journal built with two entries a page."""
    root = tmp_path_factory.mktemp("paged")
    shutil.copytree(SAMPLE_CONTENT, root / "content")
    small_pages(root / "content", 2)
    build(BuildOptions(source=root / "content", output=root / "_site", search=False))
    return root / "_site"


def soup(site: Path, page_path: str) -> BeautifulSoup:
    return BeautifulSoup((site / page_path / "index.html").read_text("utf-8"), "html.parser")


def pages_of(site: Path, list_path: str) -> list[BeautifulSoup]:
    """Every page of a list, following the pager's Next links from the first page."""
    pages, path = [], list_path
    while path is not None:
        page = soup(site, path)
        pages.append(page)
        step = page.select_one('.pager a[rel="next"]')
        path = _site_path(step["href"]) if step else None
        assert len(pages) < 100, "the Next links go round in a circle"
    return pages


def _site_path(href: str) -> str:
    assert href.startswith(BASE_PATH), href
    return href.removeprefix(BASE_PATH)


def test_pager_numbers_show_the_ends_and_the_pages_around_this_one():
    assert paging.pager_numbers(1, 1) == [1]
    assert paging.pager_numbers(3, 5) == [1, 2, 3, 4, 5]
    assert paging.pager_numbers(1, 20) == [1, 2, 3, None, 20]
    assert paging.pager_numbers(10, 20) == [1, None, 8, 9, 10, 11, 12, None, 20]
    assert paging.pager_numbers(20, 20) == [1, None, 18, 19, 20]
    assert paging.pager_numbers(4, 20) == [1, 2, 3, 4, 5, 6, None, 20]
    assert paging.pager_numbers(5, 20) == [1, 2, 3, 4, 5, 6, 7, None, 20]  # "…" never hides one page


def test_page_paths_and_counts():
    assert paging.page_path("doi/", 1) == "doi/"
    assert paging.page_path("keywords/leukemia/", 3) == "keywords/leukemia/page/3/"
    assert [paging.page_count(n, 200) for n in (0, 1, 200, 201, 10_000)] == [1, 1, 1, 2, 50]
    assert [paging.page_of(position, 200) for position in (0, 199, 200, 9_999)] == [1, 1, 2, 50]


def test_the_doi_index_lists_every_doi_once_in_order_across_its_pages(paged):
    pages = pages_of(paged, "doi/")
    dois = [row.select_one("td a").get_text() for page in pages for row in page.select(".doi-table tbody tr")]
    records = [path for path in (SAMPLE_CONTENT / "articles").rglob("*") if path.suffix in (".md", ".yaml")]
    everything = sorted(map(record_doi, records), key=str.lower)
    assert dois == everything
    assert len(pages) == math.ceil(len(everything) / 2) > 2
    assert all(len(page.select(".doi-table tbody tr")) == 2 for page in pages[:-1])


def record_doi(path: Path) -> str:
    line = next(line for line in path.read_text("utf-8").splitlines() if line.startswith("doi:"))
    return line.split(":", 1)[1].strip().strip('"')


def test_each_page_names_itself_and_links_to_the_others(paged):
    pages = pages_of(paged, "doi/")
    count = len(pages)
    for number, page in enumerate(pages, 1):
        assert page.title.get_text().startswith(f"DOI index, page {number} of {count} | ")
        assert page.select_one('.pager [aria-current="page"]').get_text() == str(number)
        previous = page.select_one('.pager a[rel="prev"]')
        assert (previous is None) == (number == 1)
        if previous:
            assert _site_path(previous["href"]) == paging.page_path("doi/", number - 1)
        numbered = [_site_path(a["href"]) for a in page.select(".pager ol a")]
        assert paging.page_path("doi/", 1) in numbered or number == 1
        assert paging.page_path("doi/", count) in numbered or number == count
        for path in numbered:
            assert (paged / path / "index.html").is_file(), path
    assert not (paged / "doi/page/1").exists()  # the first page is the list's own address
    assert not (paged / f"doi/page/{count + 1}").exists()


def test_a_keyword_page_splits_its_articles_and_counts_them_all(paged):
    keyword = "keywords/infant-leukemia/"
    pages = pages_of(paged, keyword)
    assert len(pages) >= 2
    titles = [a.get_text() for page in pages for a in page.select(".article-list .article-title")]
    assert len(titles) == len(set(titles))
    counted = pages[0].select_one("main p.muted").get_text()
    assert counted == f"{len(titles)} articles"
    assert pages[1].title.get_text().startswith(f"infant leukemia, page 2 of {len(pages)} | ")


#: The sample's author with the most articles: four, and affiliations, and co-authors.
SMIRNOVA = "authors/iu-a-smirnova/"


def author_pages_articles(site: Path) -> list[list[str]]:
    return [[a["href"] for a in page.select(".article-list .article-title")] for page in pages_of(site, SMIRNOVA)]


def test_an_author_page_splits_their_articles_newest_first_and_says_who_they_are_on_each(paged):
    person = next(p for p in build_site(load_content(paged.parent / "content")).people if p.slug == "iu-a-smirnova")
    pages = pages_of(paged, SMIRNOVA)
    assert len(pages) == paging.page_count(len(person.articles), 2) == 2
    links = [f"{BASE_PATH}articles/{article.slug}/" for article in person.articles]
    assert author_pages_articles(paged) == [links[:2], links[2:]]
    for number, page in enumerate(pages, 1):
        assert page.select_one("main h1").get_text() == person.name
        assert page.select_one("#articles-heading").get_text() == f"Articles ({len(person.articles)})"
        assert page.title.get_text().startswith(f"{person.name}, page {number} of 2 | ")
        own = paging.page_path(SMIRNOVA, number)
        assert page.select_one('link[rel="canonical"]')["href"] == f"https://example.github.io{BASE_PATH}{own}"
    # What is about the person, not the list, is on the first page, where the list is entered.
    assert pages[0].select("#affiliations-heading") and pages[0].select("#coauthors-heading")
    assert not pages[1].select("#affiliations-heading") and not pages[1].select("#coauthors-heading")


def test_the_pager_is_above_and_below_every_paged_list_under_two_names(paged):
    for list_path in ("doi/page/2/", "authors/page/2/", "keywords/infant-leukemia/page/2/", f"{SMIRNOVA}page/2/"):
        page = soup(paged, list_path)
        top, bottom = page.select("main nav.pager")
        assert (top["aria-label"], bottom["aria-label"]) == ("Pages (top)", "Pages (bottom)"), list_path
        assert top.decode_contents() == bottom.decode_contents()
        entries = page.select(".article-list li, .doi-table tbody tr, .index-list li")
        assert entries and all(_before(top, entry) and _before(entry, bottom) for entry in entries), list_path


def _before(first, second) -> bool:
    return second in first.find_all_next()


def test_the_sitemap_lists_an_authors_first_page_only_as_it_does_every_list(paged):
    """The numbered pages' entries move as articles are added: the sitemap names the lists' own
    addresses (see README, What the build makes)."""
    sitemap = (paged / "sitemap.xml").read_text("utf-8")
    assert f"{BASE_PATH}{SMIRNOVA}</loc>" in sitemap
    assert "/page/" not in sitemap


def test_an_author_page_appearing_and_going_with_an_article_equals_a_cold_build(project):  # noqa: F811 - the fixture
    content = project / "content"
    small_pages(content, 2)
    before = incremental_equals_cold(project)
    assert f"{SMIRNOVA}page/2/index.html" in before and f"{SMIRNOVA}page/3/index.html" not in before
    listed = author_pages_articles(project / "_site")
    # An article older than hers gains her: a third page appears, and the first two, with the
    # same articles, count five.
    older = content / "articles/2024/11-1/fictional-review-lineage-switch.md"
    edit(older, "authors:\n", "authors:\n  - name: Ю. А. Смирнова\n")
    assert f"{SMIRNOVA}page/3/index.html" in incremental_equals_cold(project)
    assert author_pages_articles(project / "_site")[:2] == listed
    assert soup(project / "_site", f"{SMIRNOVA}page/2/").select_one("#articles-heading").get_text() == "Articles (5)"
    # The newest article gains her: every article of hers moves a place.
    newest = content / "articles/2025/12-4/fictional-venetoclax-bridging.md"
    edit(newest, "authors:\n", "authors:\n  - name: Ю. А. Смирнова\n")
    incremental_equals_cold(project)
    assert author_pages_articles(project / "_site")[0][0].endswith("/articles/caseshelf-12-4-97/")
    # Both lose her again: the third page goes.
    edit(older, "authors:\n  - name: Ю. А. Смирнова\n", "authors:\n")
    edit(newest, "authors:\n  - name: Ю. А. Смирнова\n", "authors:\n")
    assert incremental_equals_cold(project) == before


def test_the_authors_index_lists_everyone_once_and_its_letters_lead_to_their_page(paged):
    pages = pages_of(paged, "authors/")
    names = [a.get_text() for page in pages for a in page.select(".index-list a")]
    assert len(names) == len(set(names)) == int(pages[0].select_one("main p.muted").get_text().split()[0])
    for number, page in enumerate(pages, 1):
        here = paging.page_path("authors/", number)
        for letter in page.select(".letters a"):
            target = urljoin(BASE_PATH + here, letter["href"])
            path, _, anchor = target.partition("#")
            assert soup(paged, _site_path(path)).find(id=anchor) is not None, (here, letter["href"])
            assert letter["href"].startswith("#") == (_site_path(path) == here)


def test_a_list_that_fits_on_one_page_has_no_pager(tmp_path):
    build(BuildOptions(source=SAMPLE_CONTENT, output=tmp_path / "_site", search=False))
    for page in ("doi/", "authors/", "keywords/infant-leukemia/", SMIRNOVA):
        assert soup(tmp_path / "_site", page).select(".pager") == []
    assert list((tmp_path / "_site").rglob("page")) == []


@pytest.mark.parametrize("value", ["0", "-3", "twenty", "2.5", "[2]"])
def test_a_page_size_that_is_not_a_positive_whole_number_is_a_problem_with_its_line(tmp_path, value):
    shutil.copytree(SAMPLE_CONTENT, tmp_path / "content")
    journal = tmp_path / "content/journal.yaml"
    lines = journal.read_text("utf-8").count("\n")
    journal.write_text(journal.read_text("utf-8") + f"page_size: {value}\n", "utf-8")
    with pytest.raises(BuildFailed) as failure:
        build(BuildOptions(source=tmp_path / "content", output=tmp_path / "_site", search=False))
    (problem,) = failure.value.problems
    assert (problem.path, problem.line, problem.field) == ("journal.yaml", lines + 1, "page_size")
    assert not (tmp_path / "_site").exists()


def test_incremental_builds_equal_cold_ones_when_pages_shift(project):  # noqa: F811 - the fixture
    content = project / "content"
    small_pages(content, 2)
    incremental_equals_cold(project)
    # A title on a later page of the DOI index and of its keyword pages.
    edit(content / "articles/2025/12-4/fictional-venetoclax-bridging.md", 'title: "Venetoclax', 'title: "EDITED Venetoclax')
    incremental_equals_cold(project)
    # A record removed: every later entry moves up a place, the last page goes.
    removed = sorted((content / "articles").rglob("*.md"))[0]
    removed.unlink()
    site = incremental_equals_cold(project)
    # Another page size: the pages and their number change.
    edit(content / "journal.yaml", "page_size: 2", "page_size: 3")
    assert incremental_equals_cold(project).keys() != site.keys()


def test_next_and_a_page_number_take_a_reader_through_the_doi_index(paged, page):
    """In Chromium: Next, then a page number, reach the pages they name."""
    www = paged.parent / "www"
    www.mkdir()
    (www / "rjpho").symlink_to(paged)
    with static_server(www) as origin:
        page.goto(f"{origin}{BASE_PATH}doi/")
        first = page.locator(".doi-table tbody tr td a").first.inner_text()
        page.get_by_role("navigation", name="Pages (top)").get_by_role("link", name="Next").click()
        page.wait_for_url(f"{origin}{BASE_PATH}doi/page/2/")
        assert page.locator('.pager-top [aria-current="page"]').inner_text() == "2"
        assert page.locator(".doi-table tbody tr td a").first.inner_text() != first
        page.get_by_role("navigation", name="Pages (bottom)").get_by_role("link", name="Page 1", exact=True).click()
        page.wait_for_url(f"{origin}{BASE_PATH}doi/")
        assert page.locator(".doi-table tbody tr td a").first.inner_text() == first


def test_the_counts_on_every_page_follow_an_addition_to_a_later_page(project):  # noqa: F811 - the fixture
    """A keyword's article count and the authors index's total are shown on each of its pages:
    an article or author added to the last page, the page count and the letters unchanged,
    changes them on the first page too."""
    content = project / "content"
    small_pages(content, 3)
    edit(content / "articles/2025/12-2/fictional-jmml-ptpn11.md", "keywords: [", "keywords: [infant leukemia, ")
    before = incremental_equals_cold(project)
    # An article of 2024 goes after the 2025 ones on the keyword's first page; Wyatt after Wiśniewski.
    thrombus = content / "articles/2024/11-2/fictional-neonatal-atrial-thrombus.md"
    edit(thrombus, "keywords: [", "keywords: [infant leukemia, ")
    edit(thrombus, "authors:\n", "authors:\n  - name: Y. Wyatt\n")
    after = incremental_equals_cold(project)
    assert {name for name in after if "/page/" in name} == {name for name in before if "/page/" in name}
    keyword = soup(project / "_site", "keywords/infant-leukemia/")
    assert keyword.select_one("main p.muted").get_text() == "5 articles"
    authors = soup(project / "_site", "authors/")
    assert authors.select_one("main p.muted").get_text() == "23 authors"


def test_an_authors_index_of_one_author_or_none_reads_right_and_has_no_empty_letter_list(tmp_path):
    """A new journal's index had an empty "Jump to letter" navigation, which screen readers
    list among the page's landmarks with nothing in it; one author was "1 authors"."""
    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    shutil.copy(SAMPLE_CONTENT / "journal.yaml", content)
    shutil.copy(SAMPLE_CONTENT / "citation-style.csl", content)
    build(BuildOptions(source=content, output=tmp_path / "_site", search=False, cache=False))
    empty = soup(tmp_path / "_site", "authors/")
    assert empty.select_one("main p.muted").get_text() == "0 authors"
    assert empty.select("nav") == empty.select("header nav")  # the site's own only
    record = "---\ntitle: One case\ndoi: 10.5555/one\nyear: 2025\nauthors:\n  - name: A. Solo\n---\nAn abstract.\n"
    (content / "articles/one.md").write_text(record, "utf-8")
    build(BuildOptions(source=content, output=tmp_path / "_site", search=False, cache=False))
    one = soup(tmp_path / "_site", "authors/")
    assert len(one.select(".index-list a")) == 1
    assert one.select_one("main p.muted").get_text() == "1 author"
    assert [a.get_text() for a in one.select("nav.letters a")] == [one.select_one("main h2").get_text()]


@pytest.mark.parametrize("width", [375, 1280], ids=["phone", "desktop"])
def test_the_pages_navigation_is_a_named_landmark_of_large_targets_in_reading_order(paged, browser, width):
    """In Chromium at a phone's and a desktop's width: a "Pages" landmark above the list and one
    below it, named apart, the current page marked for screen readers, every link at least 24 px to tap (WCAG 2.2, 2.5.8) with a focus
    ring, the keyboard going Previous, the numbers, Next, and nothing wider than the window."""
    www = paged.parent / f"www-{width}"
    www.mkdir()
    (www / "rjpho").symlink_to(paged)
    context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        with static_server(www) as origin:
            tab = context.new_page()
            tab.goto(f"{origin}{BASE_PATH}doi/page/3/")
            assert tab.get_by_role("navigation", name="Pages").count() == 2
            pager = tab.get_by_role("navigation", name="Pages (bottom)")
            assert pager.count() == 1
            assert pager.locator('[aria-current="page"]').all_inner_texts() == ["3"]
            links = pager.get_by_role("link").all()
            names = [link.inner_text() for link in links]
            assert names[0] == "Previous" and names[-1] == "Next" and names[1:-1] == sorted(names[1:-1], key=int)
            # Screen readers and voice control name each number as a page ("Page 2", not "2").
            assert [link.get_attribute("aria-label") for link in links[1:-1]] == [f"Page {name}" for name in names[1:-1]]
            small = [(name, box) for name, box in zip(names, (link.bounding_box() for link in links)) if box["width"] < 24 or box["height"] < 24]
            assert small == []
            assert tab.evaluate("document.documentElement.scrollWidth <= innerWidth")
            links[0].focus()
            focused = []
            for _ in names:
                focused.append(tab.evaluate("[document.activeElement.textContent.trim(), parseFloat(getComputedStyle(document.activeElement).outlineWidth)]"))
                tab.keyboard.press("Tab")
            assert [name for name, _ in focused] == names
            assert all(ring >= 2 for _, ring in focused)
    finally:
        context.close()
