"""Search without a browser: the Pagefind step in the build, what article pages give the index,
the /search/ page and opensearch.xml. What readers see when they search is in
test_search_browser.py."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import lxml.etree
import pytest
from bs4 import BeautifulSoup

from caseshelf.model import Journal
from caseshelf.pipeline import BuildOptions, build
from caseshelf.problems import BuildFailed
from caseshelf.search import build_search_index, latin_spellings, opensearch_short_name
from conftest import SAMPLE_CONTENT, write_files

SMIRNOVA_ARTICLE = "articles/caseshelf-12-1-10/index.html"
SEED_ARTICLE = "articles/2311-1267-2025-12-4-89-96/index.html"
OPENSEARCH_NS = {"os": "http://a9.com/-/spec/opensearch/1.1/"}


def soup(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def searched_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str], dict[str, float]]:
    """The sample journal built with its search index: (output, progress lines, stage timings)."""
    output = tmp_path_factory.mktemp("searched") / "_site"
    lines: list[str] = []
    report = build(BuildOptions(source=SAMPLE_CONTENT, output=output, search=True), progress=lines.append)
    return output, lines, report.timings


# --- the build step ----------------------------------------------------------------------------


def test_build_writes_the_pagefind_bundle_into_the_site(searched_site):
    output, _, _ = searched_site
    for name in ("pagefind.js", "pagefind-ui.js", "pagefind-ui.css", "pagefind-entry.json"):
        assert (output / "pagefind" / name).is_file(), name
    assert list((output / "pagefind" / "index").iterdir()), "no index chunks were written"


def test_build_reports_the_search_step_and_its_time(searched_site):
    output, lines, timings = searched_site
    assert "Search index: 11 pages indexed in" in next(line for line in lines if line.startswith("Search index:"))
    assert indexed_page_count(output) == 11
    assert "search" in timings


def test_no_search_build_has_no_bundle_but_keeps_the_search_page(sample_site):
    assert not (sample_site / "pagefind").exists()
    assert (sample_site / "search" / "index.html").is_file()
    assert (sample_site / "opensearch.xml").is_file()


def test_pagefind_failure_is_a_problem_not_a_traceback(tmp_path):
    write_files(tmp_path, {"articles/empty/index.html": ""})
    with pytest.raises(BuildFailed) as failure:
        build_search_index(tmp_path, lambda _: None)  # an article page with nothing in it: Pagefind refuses
    message = str(failure.value.problems[0])
    assert "Pagefind failed" in message and "--no-search" in message


def test_a_stale_bundle_in_the_staging_dir_is_replaced(tmp_path):
    write_files(tmp_path, {"articles/fresh/index.html": page_with_body("Fresh"), "pagefind/stale.pf_index": "old"})
    build_search_index(tmp_path, lambda _: None)
    assert not (tmp_path / "pagefind" / "stale.pf_index").exists()
    assert (tmp_path / "pagefind" / "pagefind.js").is_file()


def page_with_body(heading: str) -> str:
    return f"<html><body><main data-pagefind-body><h1>{heading}</h1></main></body></html>"


def indexed_page_count(site: Path) -> int:
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    return sum(language["page_count"] for language in entry["languages"].values())


def indexed_text(site: Path, page_url: str) -> str:
    """The text Pagefind indexed for a page: its fragment, gzip-compressed JSON after a signature."""
    for fragment in (site / "pagefind" / "fragment").iterdir():
        data = gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd")
        page = json.loads(data)
        if page["url"] == page_url:
            return page["content"]
    raise AssertionError(f"{page_url} was not indexed")


def test_the_references_are_not_indexed(searched_site):
    """An article is not found by the words of the works it cites (Rubnitz wrote some of the
    seed article's references, nothing else in the journal)."""
    output, _, _ = searched_site
    text = indexed_text(output, "/" + SEED_ARTICLE.removesuffix("index.html"))
    assert "infantile acute B-cell lymphoblastic leukemia" in text  # the title
    assert "Rubnitz" not in text and "References" not in text


def test_only_article_pages_are_read_by_pagefind(tmp_path):
    """A page elsewhere is not indexed even with a body marker (a theme's own page, say): Pagefind
    is pointed at the article pages, so it does not parse the author, issue and keyword pages."""
    write_files(tmp_path, {
        "articles/one/index.html": page_with_body("One"),
        "articles/two/index.html": page_with_body("Two"),
        "authors/someone/index.html": page_with_body("Someone"),
        "index.html": page_with_body("Home"),
    })  # fmt: skip
    lines: list[str] = []
    build_search_index(tmp_path, lines.append)
    assert indexed_page_count(tmp_path) == 2
    assert lines[0].startswith("Search index: 2 pages indexed in")


def test_a_journal_without_articles_yet_builds_without_an_index(tmp_path):
    """Pagefind fails when it has nothing to index; a new journal must still build."""
    write_files(tmp_path / "content", {"journal.yaml": (SAMPLE_CONTENT / "journal.yaml").read_text(encoding="utf-8")})
    shutil.copy(SAMPLE_CONTENT / "citation-style.csl", tmp_path / "content")
    lines: list[str] = []
    build(BuildOptions(source=tmp_path / "content", output=tmp_path / "_site", search=True), progress=lines.append)
    assert "Search index: no articles to index yet" in lines
    assert (tmp_path / "_site" / "search" / "index.html").is_file()
    assert not (tmp_path / "_site" / "pagefind").exists()


# --- what article pages give the index ---------------------------------------------------------


def test_article_page_carries_filters_and_result_metadata(sample_site):
    page = soup(sample_site, SEED_ARTICLE)
    body = page.select_one("[data-pagefind-body]")
    filters = {span["data-pagefind-filter"]: span.get_text() for span in body.select("[data-pagefind-filter]")}
    meta = {span["data-pagefind-meta"]: span.get_text() for span in body.select("[data-pagefind-meta]")}
    assert filters == {"Year": "2025", "Issue": "Vol. 12, No. 4", "Type": "Case report"}
    assert meta["authors"].startswith("Machneva E.B., Sergeenko K.A.")
    assert meta["citation"] == "Russ J Pediatr Hematol Oncol. 2025;12(4):89-96"


def test_bare_doi_is_indexed_with_weight(sample_site):
    weighted = soup(sample_site, SEED_ARTICLE).select_one("[data-pagefind-body] [data-pagefind-weight]")
    assert weighted.get_text() == "10.21682/2311-1267-2025-12-4-89-96"
    assert float(weighted["data-pagefind-weight"]) > 1


def test_cyrillic_and_accented_names_get_latin_spellings_hidden_from_readers(sample_site):
    page = soup(sample_site, SMIRNOVA_ARTICLE)
    block = page.select_one(".search-fields")
    assert block.has_attr("hidden"), "the search-only block must not show (nor be read out)"
    assert "Iu A Smirnova" in block.get_text()
    visible = [node for node in page.find_all(string=lambda s: "Smirnova" in s) if not node.find_parent(attrs={"hidden": True})]
    assert visible == [], "the Latin spelling would duplicate the byline visibly"


def test_ascii_names_add_no_spellings():
    assert latin_spellings(["E. B. Machneva", "Ю. А. Смирнова", "José Núñez", "Ю. А. Смирнова"]) == ("Iu A Smirnova", "Jose Nunez")


# --- /search/ and opensearch.xml ---------------------------------------------------------------


def test_search_page_points_at_the_bundle_under_the_base_path(sample_site):
    page = soup(sample_site, "search/index.html")
    container = page.select_one("#search")
    assert container["data-bundle"] == "/rjpho/pagefind/"
    assert container["data-base"] == "/rjpho/"
    assert page.select_one("script[src='/rjpho/static/search.js']") is not None
    assert page.select_one("form.search-box") is None, "the header box would duplicate the page's own"
    assert not page.select("[href*='pagefind'], [src*='pagefind']"), "a --no-search site would link to a missing file"


def test_every_other_page_has_the_header_search_box_sending_q(sample_site):
    for name in (SEED_ARTICLE, "index.html", "authors/index.html", "404.html"):
        form = soup(sample_site, name).select_one("form.search-box")
        assert form["action"] == "/rjpho/search/" and form.select_one("input[name=q]") is not None, name


def test_opensearch_description_is_valid_and_absolute(sample_site):
    tree = lxml.etree.parse(str(sample_site / "opensearch.xml"))
    short_name = tree.findtext("os:ShortName", namespaces=OPENSEARCH_NS)
    assert short_name == "RJPHO" and len(short_name) <= 16
    html_url = tree.find("os:Url[@type='text/html']", namespaces=OPENSEARCH_NS)
    assert html_url.get("template") == "https://example.github.io/rjpho/search/?q={searchTerms}"
    link = soup(sample_site, SEED_ARTICLE).select_one("link[rel=search]")
    assert link["type"] == "application/opensearchdescription+xml" and link["href"] == "/rjpho/opensearch.xml"


@pytest.mark.parametrize(
    ("abbreviation", "title", "expected"),
    [
        ("Russ J Pediatr Hematol Oncol", "Russian Journal of Pediatric Hematology and Oncology", "RJPHO"),
        ("BMJ Case Rep", "BMJ Case Reports", "BMJ Case Rep"),
        ("", "Journal of Invented Cases", "JIC"),
    ],
)
def test_opensearch_short_name_fits_sixteen_characters(abbreviation, title, expected):
    journal = Journal(title=title, abbreviation=abbreviation, publisher="", issn_print=None, issn_online=None,
                      base_url="https://example.org/", language="en", license="CC-BY-4.0", doi_prefix=None)  # fmt: skip
    assert opensearch_short_name(journal) == expected
