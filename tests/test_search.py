"""Search without a browser: what article pages give the index, the /search/ page and
opensearch.xml. The index itself is tested in test_search_index.py, what readers see when they
search in test_search_browser.py."""

from __future__ import annotations

from pathlib import Path

import lxml.etree
import pytest
from bs4 import BeautifulSoup

from caseshelf.model import Journal
from caseshelf.search import latin_spellings, opensearch_short_name

SMIRNOVA_ARTICLE = "articles/caseshelf-12-1-10/index.html"
SEED_ARTICLE = "articles/2311-1267-2025-12-4-89-96/index.html"
OPENSEARCH_NS = {"os": "http://a9.com/-/spec/opensearch/1.1/"}


def soup(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")


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
    assert latin_spellings(["E. B. Machneva", "Ю. А. Смирнова", "José Núñez", "Ю. А. Смирнова"]) == ("Iu A Smirnova", "Yu A Smirnova", "Jose Nunez")


def test_cyrillic_names_are_also_spelled_as_readers_spell_them():
    """Readers, PubMed and English editions write `Yakovlev`, `Yuliya`, `Zaytsev`; text-unidecode
    `Iakovlev`, `Iuliia`, `Zaitsev`: a search for `Yakovlev` found nothing."""
    assert latin_spellings(["Ф. Ю. Яковлев", "Юлия Зайцева"]) == ("F Iu Iakovlev", "F Yu Yakovlev", "Iuliia Zaitseva", "Yuliya Zaytseva")


def test_the_usual_spelling_of_a_cyrillic_name_is_hidden_on_its_article_page(sample_site):
    assert "Yu A Smirnova" in soup(sample_site, SMIRNOVA_ARTICLE).select_one(".search-fields").get_text()


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
