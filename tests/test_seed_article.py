"""The seed article's landing page shows everything the model page in ../shared/seed/ shows.

Values are compared with the model page's own text where it is available (the read-only
`shared/` directory next to the repository); a golden snapshot of the <article> element guards
the rest of the markup. After reviewing an intended change, regenerate the snapshot with

    UPDATE_GOLDEN=1 pytest tests/test_seed_article.py
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

SEED_SLUG = "2311-1267-2025-12-4-89-96"
SEED_DOI = "10.21682/2311-1267-2025-12-4-89-96"
BASE_PATH = "/rjpho/"
SEED_TEXT = Path(__file__).resolve().parents[2] / "shared" / "seed" / "article-landing-page.txt"
GOLDEN = Path(__file__).resolve().parent / "golden" / "seed-article.html"


# --- the model page, read from its text --------------------------------------------------------


@dataclass(frozen=True)
class SeedAuthor:
    name: str
    affiliations: tuple[str, ...]
    country: str
    description: str
    """Degrees and position, as one line."""
    addresses: tuple[str, ...]


@dataclass(frozen=True)
class SeedPage:
    title: str
    doi_url: str
    abstract: str
    authors: tuple[SeedAuthor, ...]
    references: tuple[str, ...]
    """Each reference as printed, without its number: `Knez V., ... doi: 10.1080/....`"""
    citation: str
    license_sentence: str
    issn_lines: tuple[str, ...]


def _blocks(text: str) -> list[str]:
    return [block.strip() for block in re.split(r"\n\s*\n", text) if block.strip()]


def words(text: str) -> str:
    """Runs of whitespace as one space. The model page separates initials from family names
    with no-break spaces; that is typography, not text, and is compared as a space."""
    return " ".join(text.split())


def read_seed_page(path: Path) -> SeedPage:
    text = path.read_text(encoding="utf-8")
    head, rest = text.split("\nAbstract\n", 1)
    head_blocks = _blocks(head)
    abstract, rest = rest.split("\nAbout the Authors\n", 1)
    authors_text, rest = rest.split("\nReferences\n", 1)
    references_text, rest = rest.split("\nReview\n", 1)
    authors = []
    for group in re.split(r"\n\s*\n\s*\n\s*\n", authors_text.strip()):
        first, description, *addresses = _blocks(group)
        name, affiliations, country = first.split("\n")
        authors.append(
            SeedAuthor(name, tuple(affiliations.split("; ")), country, words(description), tuple(map(words, addresses)))
        )
    references = tuple(words(re.sub(r"^\d+\.\s+", "", block)) for block in _blocks(references_text))
    citation = words(_blocks(rest.split("For citations:", 1)[1])[0])
    license_sentence = next(line for line in rest.splitlines() if line.startswith("This work is licensed"))
    issn_lines = tuple(line for line in rest.splitlines() if line.startswith("ISSN "))
    return SeedPage(
        title=head_blocks[-2],
        doi_url=head_blocks[-1],
        abstract=words(abstract),
        authors=tuple(authors),
        references=references,
        citation=citation,
        license_sentence=license_sentence,
        issn_lines=issn_lines,
    )


@pytest.fixture(scope="module")
def seed() -> SeedPage:
    if not SEED_TEXT.is_file():
        pytest.skip(f"the model page is not available at {SEED_TEXT}")
    return read_seed_page(SEED_TEXT)


@pytest.fixture(scope="module")
def page(sample_site) -> BeautifulSoup:
    return BeautifulSoup((sample_site / "articles" / SEED_SLUG / "index.html").read_text("utf-8"), "html.parser")


def text_of(element: Tag) -> str:
    """Visible text with runs of whitespace made single spaces, as a reader sees it."""
    return words(element.get_text())


def resolves(site: Path, href: str) -> bool:
    assert href.startswith(BASE_PATH), href
    target = site / href[len(BASE_PATH) :]
    return (target / "index.html").is_file() if href.endswith("/") else target.is_file()


# --- the model page parses as expected (guards the parser above) -------------------------------


def test_model_page_is_read_completely(seed):
    assert len(seed.authors) == 7
    assert len(seed.references) == 14
    assert seed.doi_url == f"https://doi.org/{SEED_DOI}"
    assert seed.issn_lines == ("ISSN 2311-1267 (Print)", "ISSN 2413-5496 (Online)")


# --- every element of the model page ------------------------------------------------------------


def test_title(page, seed):
    assert text_of(page.select_one("main h1")) == seed.title
    assert page.title.get_text().startswith(seed.title)


def test_byline_links_each_author_to_their_page_with_affiliation_numbers(page, seed, sample_site):
    entries = page.select("ul.byline > li")
    assert [li.a.get_text() for li in entries] == [author.name for author in seed.authors]
    assert [li.sup.get_text() for li in entries] == ["1,2", "1", "1", "1", "1", "1", "1"]
    for li in entries:
        assert resolves(sample_site, li.a["href"]), li.a["href"]
    assert entries[0].a["href"] == f"{BASE_PATH}authors/e-b-machneva/"


def test_numbered_affiliations_with_address_and_country(page, seed):
    items = page.select("ol.affiliations > li")
    assert [li["value"] for li in items] == ["1", "2"]
    machneva = seed.authors[0]
    expected = [
        f"{number} {name}, {address}, {machneva.country}"
        for number, (name, address) in enumerate(zip(machneva.affiliations, machneva.addresses), start=1)
    ]
    assert [text_of(li) for li in items] == expected


def test_abstract(page, seed):
    section = page.select_one("section.abstract")
    assert section.h2.get_text() == "Abstract"
    assert [text_of(p) for p in section.select("p")] == [seed.abstract]


def test_doi_as_a_doi_org_link(page, seed):
    link = page.select_one("dl.article-meta a.doi")
    assert link["href"] == seed.doi_url
    assert link.get_text() == seed.doi_url


def test_journal_year_volume_issue_pages_and_language_note(page):
    published_in = page.select("dl.article-meta dd")[1]
    assert published_in.cite.get_text() == "Russian Journal of Pediatric Hematology and Oncology"
    assert text_of(published_in) == "Russian Journal of Pediatric Hematology and Oncology. 2025;12(4):89-96 (In Russ.)"
    assert published_in.select_one(".language-note").get_text() == "(In Russ.)"


def test_issue_link_in_the_kicker(page, sample_site):
    link = page.select_one("p.kicker a")
    assert (link.get_text(), link["href"]) == ("Vol. 12, No. 4", f"{BASE_PATH}issues/12/4/")
    assert resolves(sample_site, link["href"])


def test_about_the_authors(page, seed, sample_site):
    section = page.select_one("section.about-authors")
    assert section.h2.get_text() == "About the authors"
    cards = section.select("div.author-card")
    assert len(cards) == len(seed.authors) == 7
    for card, author in zip(cards, seed.authors):
        assert card.h3.a.get_text() == author.name
        assert resolves(sample_site, card.h3.a["href"])
        assert [text_of(p) for p in card.select("p.author-affiliation")] == [f"{aff}, {author.country}" for aff in author.affiliations]
        assert text_of(card.select_one("p.author-position")) == author.description
        assert tuple(text_of(p) for p in card.select("p.author-address")) == author.addresses


def test_fourteen_numbered_references_each_with_its_doi_link(page, seed):
    items = page.select("section.references ol > li")
    assert [li["id"] for li in items] == [f"ref-{n}" for n in range(1, 15)]
    assert [text_of(li) for li in items] == list(seed.references)
    for li, printed in zip(items, seed.references):
        doi = re.search(r"doi: (\S+)\.$", printed).group(1)
        link = li.select_one("a.ref-doi")
        assert (link.get_text(), link["href"]) == (doi, f"https://doi.org/{doi}")


def test_for_citation_block_is_the_model_pages_text(page, seed):
    section = page.select_one("section.for-citation")
    assert section.h2.get_text() == "For citation"
    assert text_of(section.select_one("#citation-text")) == seed.citation


def test_license_with_link(page, seed):
    license_line = page.select_one("p.license")
    assert text_of(license_line) == seed.license_sentence
    assert license_line.select_one("a[rel=license]")["href"] == "https://creativecommons.org/licenses/by/4.0/"


def test_issn_print_and_online(page, seed):
    lines = [line.strip() for line in page.select_one("p.issn").get_text("\n").splitlines() if line.strip()]
    assert tuple(lines) == seed.issn_lines


def test_cited_in_this_archive_by_lists_the_citing_sample_article(page, sample_site):
    section = page.select_one("section.cited-by")
    assert section.h2.get_text() == "Cited in this archive by"
    links = section.select("a.article-title")
    assert [a["href"] for a in links] == [f"{BASE_PATH}articles/caseshelf-12-4-97/"]
    assert text_of(links[0]).startswith("Venetoclax bridging to a second transplant")
    assert resolves(sample_site, links[0]["href"])


def test_the_citing_articles_reference_links_to_the_seed_page(sample_site):
    citing = BeautifulSoup((sample_site / "articles/caseshelf-12-4-97/index.html").read_text("utf-8"), "html.parser")
    local = [li for li in citing.select("section.references li") if li.select_one("a.local-link")]
    assert [li.select_one("a.ref-doi").get_text() for li in local] == [SEED_DOI, "10.5555/caseshelf.11.1.19"]
    assert local[0].select_one("a.local-link")["href"] == f"{BASE_PATH}articles/{SEED_SLUG}/"


def test_canonical_link_is_absolute(page):
    assert page.select_one("link[rel=canonical]")["href"] == f"https://example.github.io/rjpho/articles/{SEED_SLUG}/"


def test_page_language_is_the_sites(page):
    assert page.html["lang"] == "en"


# --- what the seed does not have, on other sample articles -----------------------------------


def sample_page(sample_site: Path, slug: str) -> BeautifulSoup:
    return BeautifulSoup((sample_site / "articles" / slug / "index.html").read_text("utf-8"), "html.parser")


def test_keywords_link_to_their_pages(sample_site):
    article = sample_page(sample_site, "caseshelf-12-4-97")
    links = article.select("section.keywords a")
    assert [a.get_text() for a in links][:2] == ["infant leukemia", "KMT2A rearrangement"]
    assert links[0]["href"] == f"{BASE_PATH}keywords/infant-leukemia/"
    assert all(resolves(sample_site, a["href"]) for a in links)


def test_orcid_and_the_corresponding_authors_email(sample_site):
    article = sample_page(sample_site, "caseshelf-11-1-12")
    nunez = article.select("div.author-card")[0]
    assert nunez.select_one("a[href^='https://orcid.org/']")["href"] == "https://orcid.org/0000-0002-1825-0097"
    assert nunez.select_one("a[href^='mailto:']")["href"] == "mailto:jose.nunez@example.org"
    others = article.select("div.author-card")[1:]
    assert not any(card.select("a[href^='mailto:']") for card in others)  # not corresponding
    assert article.select_one("ul.byline a.orcid")["href"] == "https://orcid.org/0000-0002-1825-0097"


def test_pubmed_links(sample_site):
    article = sample_page(sample_site, "caseshelf-11-1-12")
    assert [a["href"] for a in article.select("a.ref-pubmed")] == [
        "https://pubmed.ncbi.nlm.nih.gov/30188223/",
        "https://pubmed.ncbi.nlm.nih.gov/30459160/",
    ]


def test_structured_abstract_sections_are_headings_under_abstract(sample_site):
    article = sample_page(sample_site, "caseshelf-11-1-12")
    headings = [h.get_text() for h in article.select("section.abstract h3")]
    assert headings == ["Background", "Case presentation", "Conclusions"]
    assert [h["id"] for h in article.select("section.abstract h1, section.abstract h2")] == ["abstract-heading"]
    assert len(article.select("section.abstract p")) >= 3


def test_language_note_for_norwegian_and_none_for_english(sample_site):
    norwegian = sample_page(sample_site, "caseshelf-12-2-64")
    assert norwegian.select_one(".language-note").get_text() == "(In Norw.)"
    english = sample_page(sample_site, "caseshelf-12-4-97")
    assert english.select_one(".language-note") is None


def test_elocation_id_and_license_override(sample_site):
    article = sample_page(sample_site, "caseshelf-11-2-e0123")
    assert "2024;11(2):e0123" in text_of(article.select("dl.article-meta dd")[1])
    assert article.select_one("a[rel=license]")["href"] == "https://creativecommons.org/licenses/by-nc/4.0/"


# --- golden snapshot -------------------------------------------------------------------------


def test_article_markup_matches_the_golden_snapshot(page):
    """The whole <article> element, so unintended markup changes are seen and reviewed."""
    current = str(page.select_one("article.article")) + "\n"
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(current, encoding="utf-8")
    assert GOLDEN.is_file(), "no snapshot yet: run UPDATE_GOLDEN=1 pytest tests/test_seed_article.py"
    assert current == GOLDEN.read_text(encoding="utf-8"), (
        "the seed article's markup changed; review it, then run UPDATE_GOLDEN=1 pytest tests/test_seed_article.py"
    )
