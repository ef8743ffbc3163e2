"""Search as readers use it: the sample journal built with its Pagefind index into www/rjpho/,
served like a GitHub Pages project site, searched in headless Chromium."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml
from bs4 import BeautifulSoup
from playwright.sync_api import Page, expect

from caseshelf.pipeline import BuildOptions, build
from conftest import SAMPLE_CONTENT, generate_journal, static_server, write_files

SEED_TITLE = "Problems of therapy and search for curative options"
SEED_DOI = "10.21682/2311-1267-2025-12-4-89-96"
TAM_TITLE = "A fictional newborn with transient abnormal myelopoiesis"  # 10.5555/caseshelf.11.1.12
FANCONI_TITLE = "Fanconi anemia diagnosed by a chromosome breakage test"  # Ю. А. Смирнова
VENETOCLAX_TITLE = "Venetoclax bridging to a second transplant"  # José Núñez
VENETOCLAX_RECORD = "articles/2025/12-4/fictional-venetoclax-bridging.md"
LETTER_TITLE = "Invented correspondence: watching for lineage switch"
RESULT_TITLES = ".pagefind-ui__result-title"


@pytest.fixture(scope="module")
def origin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample site with search under /rjpho/ (a project site's sub-path), served locally."""
    www = tmp_path_factory.mktemp("search-www")
    build(BuildOptions(source=SAMPLE_CONTENT, output=www / "rjpho", base_url="https://example.github.io/rjpho/", search=True))
    with static_server(www) as served:
        yield served


def search_for(page: Page, origin: str, query: str) -> None:
    """Type a query into the search page, as a reader would."""
    page.goto(f"{origin}/rjpho/search/")
    box = page.locator("#search input[type=text]")
    expect(box).to_be_visible()
    box.fill(query)


def result(page: Page, title: str):  # noqa: ANN201 - a Playwright locator
    return page.locator(RESULT_TITLES, has_text=title)


def filter_labels(page: Page, name: str):  # noqa: ANN201 - a Playwright locator
    return page.locator(f".pagefind-ui__filter-block:has(input[name={name}]) .pagefind-ui__filter-label")


def test_typed_query_finds_the_article_with_authors_citation_and_highlighted_excerpt(page, origin):
    search_for(page, origin, "blinatumomab")
    found = page.locator(".pagefind-ui__result", has=page.locator(RESULT_TITLES, has_text=LETTER_TITLE))
    expect(found).to_have_count(1)
    expect(found.locator("[data-pagefind-ui-meta=authors]")).to_contain_text("O'Connell A.")
    expect(found.locator("[data-pagefind-ui-meta=citation]")).to_contain_text("Russ J Pediatr Hematol Oncol. 2025;12(1):5")
    expect(found.locator(".pagefind-ui__result-excerpt mark").first).to_contain_text("blinatumomab", ignore_case=True)
    link = found.locator("a.pagefind-ui__result-link")
    assert link.get_attribute("href").startswith("/rjpho/articles/"), "results must stay under the sub-path"
    link.click()
    page.wait_for_url("**/rjpho/articles/**")
    expect(page.locator("h1")).to_contain_text(LETTER_TITLE)


def test_doi_query_finds_its_article_first(page, origin):
    search_for(page, origin, SEED_DOI)
    expect(page.locator(RESULT_TITLES).first).to_contain_text(SEED_TITLE)


def test_doi_pasted_as_a_link_finds_its_article(page, origin):
    search_for(page, origin, "https://doi.org/10.5555/caseshelf.11.1.12")
    expect(page.locator(RESULT_TITLES).first).to_contain_text(TAM_TITLE)


@pytest.mark.parametrize("name", ["Смирнова", "Smirnova"])
def test_cyrillic_name_and_its_transliteration_find_her_articles(page, origin, name):
    search_for(page, origin, name)
    expect(result(page, FANCONI_TITLE)).to_have_count(1)
    expect(result(page, TAM_TITLE)).to_have_count(1)


@pytest.mark.parametrize("name", ["Núñez", "Nunez"])
def test_name_with_or_without_accents_finds_the_article(page, origin, name):
    search_for(page, origin, name)
    expect(result(page, VENETOCLAX_TITLE)).to_have_count(1)


def test_a_word_no_article_has_is_said_to_have_only_close_matches(page, origin):
    """Pagefind answers a word no indexed word begins with by the words beginning like it:
    "zzqqxx" found the three articles with an author's initial "Z." as "3 results"."""
    search_for(page, origin, "zzqqxx")
    expect(page.locator("#search-approximate")).to_be_visible()
    expect(page.locator("#search-approximate")).to_contain_text("zzqqxx")
    expect(page.locator("[data-pagefind-ui-meta=approximate]").first).to_contain_text("zzqqxx")
    expect(page.locator("[data-pagefind-ui-meta=approximate]")).to_have_count(page.locator(RESULT_TITLES).count())


@pytest.mark.parametrize("query", ["leukemias", "Nunez", "KMT2A", SEED_DOI, "https://doi.org/" + SEED_DOI, "Machneva E.B.", "Smirnova Iu.A.", "Smirnova Yu.A."])
def test_words_found_as_typed_or_in_another_form_are_not_called_close_matches(page, origin, query):
    search_for(page, origin, query)
    expect(page.locator(RESULT_TITLES).first).to_be_visible()
    first = page.locator(".pagefind-ui__result").first
    expect(first.locator("[data-pagefind-ui-meta=authors]")).to_be_visible()  # its data loaded and processed
    expect(first.locator("[data-pagefind-ui-meta=approximate]")).to_have_count(0)
    expect(page.locator("#search-approximate")).to_be_hidden()


def test_a_result_missing_a_number_typed_is_a_close_match(page, origin):
    """A gene's name differs from another's by a digit: PTPN12 is not PTPN11."""
    search_for(page, origin, "PTPN12")
    expect(page.locator(RESULT_TITLES).first).to_be_visible()
    expect(page.locator("#search-approximate")).to_be_visible()


def test_the_total_and_the_filters_count_the_articles_with_every_word_not_the_close_matches(page, origin):
    """The 2024 part of the index has no word beginning with the seed article's DOI, and
    answered it by the "10" that begins every DOI: "5 results", four of them close matches
    (listed after it, marked), and "2024 (4)" among the years."""
    search_for(page, origin, SEED_DOI)
    expect(page.locator(".pagefind-ui__message")).to_have_text(f"1 result for {SEED_DOI}")
    expect(page.locator(RESULT_TITLES)).to_have_count(1)
    expect(page.locator(RESULT_TITLES)).to_contain_text(SEED_TITLE)
    expect(page.locator("[data-pagefind-ui-meta=authors]")).to_have_count(1)  # its data loaded and processed
    expect(page.locator("[data-pagefind-ui-meta=approximate]")).to_have_count(0)
    expect(page.locator("#search-approximate")).to_be_hidden()
    for name in ("Year", "Issue"):
        page.locator(".pagefind-ui__filter-name", has_text=name).click()
    expect(filter_labels(page, "Year")).to_have_text(["2025 (1)"])
    expect(filter_labels(page, "Issue")).to_have_text(["Vol. 12, No. 4 (1)"])


def test_close_matches_are_counted_as_the_results_only_when_no_article_has_every_word(page, origin):
    search_for(page, origin, "leukemia zzqqxx")
    expect(page.locator("#search-approximate")).to_be_visible()
    expect(page.locator(".pagefind-ui__message")).to_have_text("2 results for leukemia zzqqxx")
    expect(page.locator("[data-pagefind-ui-meta=approximate]")).to_have_count(2)
    page.locator(".pagefind-ui__filter-name", has_text="Year").click()
    expect(filter_labels(page, "Year")).to_have_text(["2025 (1)", "2024 (1)"])


def test_a_doi_of_the_newest_year_finds_its_article_alone_in_an_archive_of_many_years(page, tmp_path):
    """Each part of the index answers a word it lacks by the words beginning like it: in the
    2011-2024 part of 276 articles, 10.5555/bench.281 (of 2025) is 10.5555/bench.28, which
    outscored it and was listed first, then counted as a second result."""
    content = generate_journal(tmp_path / "content", 300, seed=3)
    build(BuildOptions(source=content, output=tmp_path / "www" / "rjpho", base_url="https://example.github.io/rjpho/", search=True, cache=False))
    with static_server(tmp_path / "www") as served:
        page.goto(f"{served}/rjpho/search/?q={quote('10.5555/bench.281')}")
        expect(page.locator(".pagefind-ui__message")).to_have_text("1 result for 10.5555/bench.281")
        expect(page.locator("a.pagefind-ui__result-link")).to_have_attribute("href", "/rjpho/articles/bench-281/")
        page.goto(f"{served}/rjpho/search/?q={quote('10.5555/bench.28')}")  # of 2012: the part of many years has it
        expect(page.locator("a.pagefind-ui__result-link").first).to_have_attribute("href", "/rjpho/articles/bench-28/")
        expect(page.locator("[data-pagefind-ui-meta=approximate]")).to_have_count(0)


def test_query_string_is_prefilled_and_run_on_load(page, origin):
    page.goto(f"{origin}/rjpho/search/?q={quote('Смирнова')}")
    expect(page.locator("#search input[type=text]")).to_have_value("Смирнова")
    expect(result(page, FANCONI_TITLE)).to_have_count(1)


def test_header_search_box_on_an_article_page_searches_under_the_sub_path(page, origin):
    page.goto(f"{origin}/rjpho/articles/2311-1267-2025-12-4-89-96/")
    page.fill("#site-search", "Machneva")
    page.click("form.search-box button")
    page.wait_for_url("**/rjpho/search/?q=Machneva")
    expect(result(page, SEED_TITLE)).to_have_count(1)


def test_the_number_of_results_is_announced_to_screen_readers(page, origin):
    """Pagefind's "1 result for venetoclax" is no live region: typing, a screen reader's user
    heard nothing of what was found."""
    search_for(page, origin, "venetoclax")
    status = page.locator("[role=status]:not([hidden])", has_text="1 result for venetoclax")
    expect(status).to_have_count(1)
    expect(status).to_have_class("visually-hidden")


def test_typing_keeps_the_query_in_the_address(page, origin):
    search_for(page, origin, "venetoclax")
    expect(result(page, VENETOCLAX_TITLE)).to_have_count(1)
    page.wait_for_url("**/rjpho/search/?q=venetoclax")


def test_filters_by_year_issue_and_type_narrow_the_results(page, origin):
    search_for(page, origin, "leukemia")
    expect(result(page, SEED_TITLE)).to_have_count(1)
    for name in ("Year", "Issue", "Type"):
        expect(page.locator(".pagefind-ui__filter-name", has_text=name)).to_have_count(1)
    page.locator(".pagefind-ui__filter-name", has_text="Type").click()
    page.locator(".pagefind-ui__filter-label", has_text="Letter").click()
    expect(page.locator(RESULT_TITLES)).to_have_count(1)
    expect(page.locator(RESULT_TITLES)).to_contain_text(LETTER_TITLE)


def test_the_address_keeps_the_filters_chosen_so_a_filtered_search_can_be_shared(page, origin):
    search_for(page, origin, "leukemia")
    expect(result(page, SEED_TITLE)).to_have_count(1)
    page.locator(".pagefind-ui__filter-name", has_text="Type").click()
    page.locator(".pagefind-ui__filter-label", has_text="Letter").click()
    page.wait_for_url("**/rjpho/search/?q=leukemia&Type=Letter")
    shared = page.url
    page.goto(f"{origin}/rjpho/")
    page.goto(shared)
    expect(page.locator(RESULT_TITLES)).to_have_count(1)
    expect(page.locator(RESULT_TITLES)).to_contain_text(LETTER_TITLE)
    page.locator(".pagefind-ui__filter-name", has_text="Type").click()
    expect(page.locator(".pagefind-ui__filter-checkbox[value=Letter]")).to_be_checked()


def issue_record(number: int, year: int, volume: str, issue: str) -> str:
    fields = {"title": f"Marrow case {number}", "doi": f"10.5555/order.{number}", "year": year, "volume": volume, "issue": issue}
    return yaml.safe_dump({**fields, "authors": [{"name": "A. Author"}], "abstract": "Marrow findings."})


def test_the_year_and_issue_filters_list_their_values_newest_first_as_the_issue_list_does(page, tmp_path):
    """Pagefind listed them as text (Vol. 10 before Vol. 9, No. 10 before No. 2), the years
    oldest first."""
    issues = [(2024, "9", "2"), (2025, "10", "Suppl. 1"), (2024, "9", "10"), (2025, "10", "2"), (2025, "10", "1")]
    files = {f"content/articles/{number}.yaml": issue_record(number, *issue) for number, issue in enumerate(issues)}
    write_files(tmp_path, {**files, "content/journal.yaml": yaml.safe_dump({"title": "J", "base_url": "https://example.github.io/rjpho/"})})
    site = tmp_path / "www" / "rjpho"
    build(BuildOptions(source=tmp_path / "content", output=site, search=True, cache=False))
    newest_first = ["Vol. 10, No. 2", "Vol. 10, No. 1", "Vol. 10, Suppl. 1", "Vol. 9, No. 10", "Vol. 9, No. 2"]
    issue_list = BeautifulSoup((site / "issues" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert [link.get_text() for link in issue_list.select("main .index-list a")] == newest_first
    with static_server(tmp_path / "www") as served:
        page.goto(f"{served}/rjpho/search/?q=marrow")
        expect(page.locator(RESULT_TITLES)).to_have_count(5)
        for name in ("Year", "Issue"):
            page.locator(".pagefind-ui__filter-name", has_text=name).click()
        expect(filter_labels(page, "Issue")).to_have_text([f"{label} (1)" for label in newest_first])
        expect(filter_labels(page, "Year")).to_have_text(["2025 (3)", "2024 (2)"])
        page.locator(".pagefind-ui__filter-label", has_text="2024").click()  # the counts change, the order stays
        expect(page.locator(RESULT_TITLES)).to_have_count(2)
        expect(filter_labels(page, "Issue")).to_have_text(["Vol. 9, No. 10 (1)", "Vol. 9, No. 2 (1)"])


def test_parameters_that_are_no_filter_of_the_index_are_ignored(page, origin):
    """Pagefind's UI stopped at a filter named `__proto__`, showing nothing."""
    page.goto(f"{origin}/rjpho/search/?q=leukemia&__proto__=x&utm_source=mail")
    expect(result(page, SEED_TITLE)).to_have_count(1)


def test_the_parts_of_the_index_are_searched_together_filters_too(page, origin):
    """The sample index has a part for 2025 (the newest year) and one for 2024, merged by the page."""
    search_for(page, origin, "leukemia")
    expect(result(page, SEED_TITLE)).to_have_count(1)  # 2025
    expect(result(page, TAM_TITLE)).to_have_count(1)  # 2024
    page.locator(".pagefind-ui__filter-name", has_text="Year").click()
    for year in ("2024", "2025"):
        expect(page.locator(".pagefind-ui__filter-label", has_text=year)).to_have_count(1)
    page.locator(".pagefind-ui__filter-label", has_text="2024").click()
    expect(result(page, TAM_TITLE)).to_have_count(1)
    expect(result(page, SEED_TITLE)).to_have_count(0)


def test_an_article_is_not_found_by_the_title_of_an_article_citing_it(page, origin):
    """Two sample articles are cited by the venetoclax case; "bridging" is only in its title."""
    search_for(page, origin, "bridging")
    expect(result(page, VENETOCLAX_TITLE)).to_have_count(1)
    expect(page.locator(RESULT_TITLES)).to_have_count(1)


def test_the_filters_have_a_column_of_their_own_in_line_with_the_search_box(page, origin):
    """Pagefind gives its filter panel (a fieldset) a minimum width; the theme's fieldset reset
    once took it away, and the panel shrank to a sliver with its names spilling to the left."""
    search_for(page, origin, "leukemia")
    expect(result(page, SEED_TITLE)).to_have_count(1)
    panel = page.locator(".pagefind-ui__filter-panel").bounding_box()
    box = page.locator("#search input[type=text]").bounding_box()
    assert panel["width"] >= 200, panel
    assert panel["x"] >= box["x"] - 20, (panel, box)
    assert page.locator(".pagefind-ui__filter-name", has_text="Year").bounding_box()["x"] >= panel["x"]


def test_site_without_index_says_search_is_unavailable(page, sample_site, tmp_path):
    www = tmp_path / "www"
    shutil.copytree(sample_site, www / "rjpho")  # built with --no-search
    with static_server(www) as served:
        page.goto(f"{served}/rjpho/search/?q=leukemia")
        expect(page.locator("#search-unavailable")).to_be_visible()
        expect(page.locator("#search-unavailable")).to_contain_text("without a search index")


def test_a_build_without_search_after_one_with_it_says_search_is_unavailable(page, tmp_path):
    """The index of the build before no longer matches the pages: it found an article the
    build without search had removed, and its result led to a page not found."""
    content = shutil.copytree(SAMPLE_CONTENT, tmp_path / "content")
    site = tmp_path / "www" / "rjpho"
    build(BuildOptions(source=content, output=site, search=True))
    (content / VENETOCLAX_RECORD).unlink()
    build(BuildOptions(source=content, output=site, search=False))
    with static_server(tmp_path / "www") as served:
        page.goto(f"{served}/rjpho/search/?q=venetoclax")
        expect(page.locator("#search-unavailable")).to_be_visible()
        expect(page.locator(RESULT_TITLES)).to_have_count(0)


def test_search_page_loads_nothing_from_other_hosts(page, origin):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{origin}/rjpho/search/?q=leukemia")
    expect(result(page, SEED_TITLE)).to_have_count(1)
    assert requested and all(url.startswith(origin) for url in requested), [u for u in requested if not u.startswith(origin)]
    assert all(Path(url.removeprefix(origin)).as_posix().startswith("/rjpho/") for url in requested if "favicon" not in url)


def test_excerpts_read_as_text_without_the_byline_marks(page, origin):
    """The byline's affiliation numbers, ORCID "iD" links and corresponding-author stars are
    for the eye; in a result's excerpt they read as "José Núñez1 iD, Anouk van den Berg2*"."""
    search_for(page, origin, "bridging")
    excerpt = page.locator(".pagefind-ui__result", has=result(page, VENETOCLAX_TITLE)).locator(".pagefind-ui__result-excerpt")
    expect(excerpt).to_contain_text("Núñez")
    text = excerpt.inner_text()
    assert "Núñez, Anouk van den Berg, Priya Raman." in text, text
    assert " iD" not in text and "*" not in text, text
    assert not any(word.rstrip(",").strip("0123456789,") != word.rstrip(",") and word[:1].isalpha() for word in text.split()), text
