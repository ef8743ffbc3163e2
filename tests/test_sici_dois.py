"""Old Wiley DOIs in SICI form hold `<` and `>` (and `#`, `:`, `;`): a small journal that cites
them and has one as an article's own DOI, built with the real build and read back from the files
it wrote: the pages, their head, JATS, the Crossref deposit, the citation files, the resolver
pages and the search."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import rispy
import yaml
from bs4 import BeautifulSoup
from lxml import etree
from playwright.sync_api import expect
from test_exports_cite import parse_bibtex
from test_exports_jats import assert_valid, publishing_dtd, read_jats  # noqa: F401 - `publishing_dtd` is a fixture
from test_exports_metadata import article_soup, json_ld, meta

from caseshelf.cli import main
from caseshelf.pipeline import BuildOptions, build
from conftest import problem_lines, static_server, write_files

#: The article's own DOI: an archive's back issues of the 1990s keep the DOIs Wiley gave them.
OLD_DOI = "10.1002/(SICI)1096-8628(19960102)61:1<1::AID-AJMG1>3.0.CO;2-#"
OLD_DOI_LINK = "https://doi.org/10.1002/(SICI)1096-8628(19960102)61:1%3C1::AID-AJMG1%3E3.0.CO;2-%23"
OLD_SLUG = "sici-1096-8628-19960102-61-1-1-aid-ajmg1-3-0-co-2"
#: Its resolver page: the DOI lower-cased, what a path cannot hold (`:`, `<`, `>`, `;`, `#`) as `_`.
OLD_RESOLVER = "doi/10.1002/(sici)1096-8628(19960102)61_1_1__aid-ajmg1_3.0.co_2-_/index.html"
#: A DOI a case report cites.
CITED_DOI = "10.1002/(SICI)1097-0142(19960101)77:1<1::AID-CNCR1>3.0.CO;2-K"
CITED_DOI_LINK = "https://doi.org/10.1002/(SICI)1097-0142(19960101)77:1%3C1::AID-CNCR1%3E3.0.CO;2-K"
#: The archive's old article, cited as the citing paper printed it: in lower case.
OLD_DOI_AS_CITED = OLD_DOI.lower()
OLD_DOI_AS_CITED_LINK = "https://doi.org/10.1002/(sici)1096-8628(19960102)61:1%3C1::aid-ajmg1%3E3.0.co;2-%23"
BASE_URL = "https://example.org/old/"
#: Characters Windows forbids in file names (and `\`): none may name a file of the site.
NOT_IN_WINDOWS_NAMES = re.compile(r'[<>:"|?*\\]')


def record(fields: dict, abstract: str = "An abstract.") -> str:
    return "---\n" + yaml.safe_dump(fields, allow_unicode=True, sort_keys=False) + "---\n" + abstract + "\n"


def journal_files() -> dict[str, str]:
    journal = {
        "title": "Journal of Old Cases",
        "issn_online": "2413-5496",  # JATS requires one
        "base_url": BASE_URL,
        "doi_prefix": "10.5555",
        "crossref": {"name": "Old Cases", "email": "doi@example.org", "registrant": "Old Cases Society"},
    }
    old = {
        "title": "An article of 1996 with its Wiley DOI", "doi": OLD_DOI, "year": 1996, "volume": "61", "issue": "1",
        "pages": "1-4", "authors": [{"name": "Bob Old"}],
    }  # fmt: skip
    case = {
        "title": "A case report citing papers of the 1990s", "doi": "10.5555/old.case", "year": 2025, "volume": "1",
        "issue": "1", "pages": "1-5", "authors": [{"name": "Ada Case"}],
        "references": [
            {"text": "Old W. A 1996 paper. Cancer. 1996;77(1):1-5.", "doi": CITED_DOI},
            {"text": "Old B. An article of 1996 with its Wiley DOI. J Old Cases. 1996;61(1):1-4.", "doi": OLD_DOI_AS_CITED},
        ],
    }  # fmt: skip
    return {
        "content/journal.yaml": yaml.safe_dump(journal),
        "content/articles/1996/old.md": record(old),
        "content/articles/2025/case.md": record(case),
    }


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_files(tmp_path_factory.mktemp("sici"), journal_files())
    build(BuildOptions(source=root / "content", output=root / "_site", search=False, cache=False))
    return root / "_site"


# --- the pages ----------------------------------------------------------------------------------


def test_a_sici_reference_links_to_doi_org_with_its_angle_brackets_percent_encoded(site: Path) -> None:
    links = article_soup(site, "old-case").select("section.references a.ref-doi")
    assert [link["href"] for link in links] == [CITED_DOI_LINK, OLD_DOI_AS_CITED_LINK]
    assert [link.get_text() for link in links] == [CITED_DOI, OLD_DOI_AS_CITED]  # shown as written, as text


def test_the_article_page_of_a_sici_doi_links_it_and_shows_it_as_text(site: Path) -> None:
    page = article_soup(site, OLD_SLUG)
    link = page.select_one("a.doi")
    assert (link["href"], link.get_text()) == (OLD_DOI_LINK, OLD_DOI_LINK)
    assert page.find(id="citation-text").get_text().endswith(OLD_DOI_LINK)


def test_a_sici_doi_cited_in_another_case_is_a_citation_of_the_archives_article(site: Path) -> None:
    """DOIs are case-insensitive: the citing paper wrote the old article's DOI in lower case."""
    case = article_soup(site, "old-case")
    assert case.select_one("#ref-2 a.local-link")["href"] == f"/old/articles/{OLD_SLUG}/"
    old = article_soup(site, OLD_SLUG)
    assert [a["href"] for a in old.select("section.cited-by a[href^='/old/articles/']")] == ["/old/articles/old-case/"]


def test_the_head_names_the_sici_references_escaped(site: Path) -> None:
    page = article_soup(site, "old-case")
    assert meta(page, "citation_reference") == [
        f"Old W. A 1996 paper. Cancer. 1996;77(1):1-5. doi:{CITED_DOI}",
        f"Old B. An article of 1996 with its Wiley DOI. J Old Cases. 1996;61(1):1-4. doi:{OLD_DOI_AS_CITED}",
    ]
    assert json_ld(page)["citation"][0]["sameAs"] == CITED_DOI_LINK
    old = article_soup(site, OLD_SLUG)
    assert (meta(old, "citation_doi"), meta(old, "DC.identifier")) == ([OLD_DOI], [OLD_DOI_LINK])
    assert json_ld(old)["identifier"]["value"] == OLD_DOI
    # A `<` in a script element could end it: JSON-LD writes it as \u003c.
    assert "<" not in old.find("script", type="application/ld+json").string


# --- the files for machines ---------------------------------------------------------------------


def test_jats_carries_the_sici_dois_and_validates(publishing_dtd: etree.DTD, site: Path) -> None:  # noqa: F811 - the fixture
    case, old = read_jats(site, "old-case"), read_jats(site, OLD_SLUG)
    assert_valid(publishing_dtd, case)
    assert_valid(publishing_dtd, old)
    assert [pub_id.text for pub_id in case.iterfind(".//ref//pub-id[@pub-id-type='doi']")] == [CITED_DOI, OLD_DOI_AS_CITED]
    assert old.findtext("front/article-meta/article-id[@pub-id-type='doi']") == OLD_DOI


def test_the_crossref_deposit_registers_the_sici_doi_and_cites_the_others(site: Path) -> None:
    deposit = etree.parse(str(site / "crossref" / "all.xml"))
    namespace = {"cr": deposit.getroot().nsmap[None]}
    registered = deposit.xpath("//cr:journal_article/cr:doi_data/cr:doi/text()", namespaces=namespace)
    assert sorted(registered) == sorted([OLD_DOI, "10.5555/old.case"])
    assert deposit.xpath("//cr:citation/cr:doi/text()", namespaces=namespace) == [CITED_DOI, OLD_DOI_AS_CITED]


def test_bibtex_ris_and_csl_json_carry_the_sici_doi_as_written(site: Path) -> None:
    folder = site / "articles" / OLD_SLUG
    assert parse_bibtex((folder / "citation.bib").read_text("utf-8"))["doi"] == OLD_DOI
    (entry,) = rispy.loads((folder / "citation.ris").read_text("utf-8"))
    assert entry["doi"] == OLD_DOI
    (item,) = json.loads((folder / "citation.json").read_text("utf-8"))
    assert item["DOI"] == OLD_DOI


def test_the_sici_doi_has_a_resolver_page_in_a_folder_every_system_can_name(site: Path) -> None:
    resolver = BeautifulSoup((site / OLD_RESOLVER).read_text("utf-8"), "html.parser")
    assert resolver.select_one("meta[http-equiv=refresh]")["content"] == f"0; url=/old/articles/{OLD_SLUG}/"
    assert resolver.select_one("main h1").get_text() == f"DOI {OLD_DOI}"
    assert [path for path in site.rglob("*") if NOT_IN_WINDOWS_NAMES.search(path.relative_to(site).as_posix())] == []
    assert json.loads((site / "doi.json").read_text("utf-8"))[OLD_DOI] == f"{BASE_URL}articles/{OLD_SLUG}/"
    index = BeautifulSoup((site / "doi/index.html").read_text("utf-8"), "html.parser")
    assert (OLD_DOI_LINK, OLD_DOI) in [(a["href"], a.get_text()) for a in index.select("table.doi-table td:first-child a")]


# --- DOIs that cannot both have a resolver page ------------------------------------------------


def test_two_article_dois_that_differ_only_in_angle_brackets_are_reported_with_both_files(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """`<` and `>` have `_` in the resolver page's folder, so `a<b` and `a>b` would share one:
    the problem names both records, and nothing is written."""
    files = journal_files()
    for name, doi in (("left", "10.5555/a<b"), ("right", "10.5555/a>b")):
        files[f"content/articles/{name}.md"] = record({"title": name, "doi": doi, "year": 2025, "slug": name, "authors": [{"name": "A. Author"}]})
    write_files(tmp_path, files)
    assert main(["build", "--source", str(tmp_path / "content"), "--output", str(tmp_path / "_site")]) == 1
    assert problem_lines(capsys.readouterr().err) == [
        "doi/10.5555/a_b/index.html: 2 files would be written to this output path, made from articles/left.md, "
        "articles/right.md: values that differ only in characters an address cannot hold make one address "
        "(make them differ in letters or digits)",
        "1 problem(s) found; nothing was written.",
    ]
    assert not (tmp_path / "_site").exists()


# --- the search page ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def searchable(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The journal built with its search index, served under /old/; yields the origin."""
    root = write_files(tmp_path_factory.mktemp("sici-search"), journal_files())
    build(BuildOptions(source=root / "content", output=root / "www" / "old", search=True, cache=False))
    with static_server(root / "www") as origin:
        yield origin


@pytest.mark.parametrize("query", [OLD_DOI, OLD_DOI_LINK, "https://doi.org/" + quote(OLD_DOI, safe="")],
                         ids=["bare", "link-as-the-page-shows-it", "link-with-every-character-escaped"])
def test_a_sici_doi_finds_its_article(page, searchable: str, query: str) -> None:
    page.goto(f"{searchable}/old/search/")
    page.locator("#search input[type=text]").fill(query)
    expect(page.locator("a.pagefind-ui__result-link").first).to_have_attribute("href", f"/old/articles/{OLD_SLUG}/")
