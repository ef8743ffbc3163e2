"""Pages as readers see them, in headless Chromium at a phone's width (375 px) and a desktop's
(1280 px): an awkward but legal journal (a 40-author byline of long names, a title with a German
compound word and a bare URL, a long DOI, a table in an abstract, a Russian record) built once
for the module and served under /rjpho/ like a GitHub Pages project site."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import expect

from caseshelf.pipeline import BuildOptions, build
from conftest import static_server, write_files

PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1280, "height": 900}
COMPOUND = "Donaudampfschifffahrtselektrizitätenhauptbetriebswerkbauunterbeamtengesellschaft"
LONG_SUFFIX = "stress." + "verylongsuffix" * 6
LONG_SLUG = LONG_SUFFIX.replace(".", "-")

JOURNAL = """\
title: Zeitschrift für Kinderhämatologie und Kinderonkologie der Universitätskinderklinik
abbreviation: Z Kinderhaem
issn_print: 2311-1267
issn_online: 2413-5496
base_url: https://example.github.io/rjpho/
language: en
license: CC-BY-4.0
description: |
  An archive of invented case reports, written to try every page with awkward but legal content:
  long unbroken words, a byline of forty authors, a table in an abstract and a Russian record.
"""

_AUTHORS = "\n".join(
    f"  - name: Maximilian-Alexander {COMPOUND}{n}\n    affiliations: [{'long' if n % 2 else 'ru'}]" for n in range(40)
).replace("0\n", '0\n    orcid: "0000-0002-1825-0097"\n    corresponding: true\n    email: a@example.org\n', 1)

LONG_RECORD = f"""\
---
title: "A long title that names the {COMPOUND} and an unbroken https://example.org/{"x" * 60} address in one sentence"
doi: "10.5555/{LONG_SUFFIX}"
year: 2025
volume: 5
issue: 1
pages: 1-9
keywords: [leukemia, {COMPOUND}]
affiliations:
  long:
    name: "Universitätsklinikum {COMPOUND} Abteilung"
    address: "https://example.org/{"a" * 80}"
    country: Germany
  ru:
    name: "Национальный медицинский исследовательский центр онкологии имени Н.Н. Блохина"
    country: Россия
authors:
{_AUTHORS}
references:
  - text: "A reference that names the {COMPOUND} in its title."
    doi: "10.5555/stress.ru"
    pmid: "30459160"
  - text: "A web page"
    url: "https://example.org/{"z" * 120}"
---
### Findings

| Parameter | Day 1 | Day 14 | Reference range | Unit of measurement |
|---|---|---|---|---|
| Hemoglobin | 74 | 98 | 110–140 | g/L |
| NeutrophilsAbsoluteCountInPeripheralBlood | 0.6 | 1.9 | 1.5–8.5 | ×10⁹/L |

- a list item with https://example.org/{"y" * 90}

{COMPOUND}{COMPOUND}
"""

RU_RECORD = """\
---
title: "Трудности терапии младенческого острого лимфобластного лейкоза"
doi: "10.5555/stress.ru"
language: ru
year: 2025
volume: 5
issue: 1
pages: 10-12
authors:
  - name: Е. Б. Мачнева
---
Младенческий острый лимфобластный лейкоз — редкий лейкоз.
"""

EN_TITLE_OF_RU_RECORD = """\
---
title: "Problems of therapy in infantile leukemia: an English abstract page of a Russian article"
doi: "10.5555/stress.en"
language: ru
year: 2025
volume: 5
issue: 1
pages: 13-14
authors:
  - name: K. A. Sergeenko
---
An English abstract.
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """(origin, output folder) of the awkward journal, served under /rjpho/."""
    root = tmp_path_factory.mktemp("reader")
    content = write_files(root / "content", {
        "journal.yaml": JOURNAL,
        "articles/long.md": LONG_RECORD,
        "articles/ru.md": RU_RECORD,
        "articles/en.md": EN_TITLE_OF_RU_RECORD,
    })  # fmt: skip
    output = root / "www" / "rjpho"
    build(BuildOptions(source=content, output=output, search=True))
    with static_server(root / "www") as origin:
        yield origin, output


@contextmanager
def _opened(browser, viewport: dict, url: str) -> Iterator:
    """A Playwright page at `url` in a browser context of its own, closed afterwards."""
    context = browser.new_context(viewport=viewport)
    try:
        page = context.new_page()
        page.goto(url)
        yield page
    finally:
        context.close()


#: Elements whose content is wider than their own box: text running out of its column, over
#: the sidebar or off the screen (a scrolling container may be wider inside; what is visually
#: hidden is a box 1 px wide).
_OVERFLOWING = """() => [...document.querySelectorAll("main *")].filter(element => {
    const style = getComputedStyle(element);
    if (style.display === "inline" || style.overflowX === "auto" || element.clientWidth <= 1) return false;
    return element.scrollWidth > element.clientWidth + 1;
}).map(element => element.tagName.toLowerCase() + "." + element.className)"""

PAGES = [
    f"articles/{LONG_SLUG}/",
    "keywords/",
    f"keywords/{COMPOUND.lower().replace('ä', 'a')}/",
    "doi/",
    f"authors/maximilian-alexander-{COMPOUND.lower().replace('ä', 'a')}1/",
    "authors/",
    "issues/5/1/",
    "",
]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_long_unbroken_words_wrap_instead_of_running_off_the_page(browser, site, viewport):
    origin, _ = site
    problems = []
    for path in PAGES:
        with _opened(browser, viewport, f"{origin}/rjpho/{path}") as page:
            scroll_width, width = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
            if scroll_width > width:
                problems.append(f"/{path} is {scroll_width} px wide in a {width} px window")
            problems.extend(f"/{path}: {element} overflows" for element in page.evaluate(_OVERFLOWING))
    assert problems == []


def test_a_table_in_an_abstract_scrolls_in_its_own_box_on_a_phone_and_shows_its_grid(browser, site):
    origin, _ = site
    with _opened(browser, PHONE, f"{origin}/rjpho/articles/{LONG_SLUG}/") as page:
        table = page.locator(".abstract table")
        column = page.locator(".abstract").bounding_box()
        box = table.bounding_box()
        assert box["x"] + box["width"] <= column["x"] + column["width"] + 1, "the table is cut off at the screen's edge"
        last_cell = table.locator("tr").first.locator("th").last
        last_cell.scroll_into_view_if_needed()
        cell = last_cell.bounding_box()
        assert cell["x"] >= 0 and cell["x"] + cell["width"] <= PHONE["width"], "the last column cannot be reached"
        assert last_cell.evaluate("e => getComputedStyle(e).borderTopStyle") == "solid"


#: The focused element's outline: its width, and its contrast with the background it is drawn
#: on (what is under the middle of its left side, or of its right one at the window's edge),
#: by WCAG's relative luminance.
_FOCUS_RING = """() => {
    const rgb = text => text.match(/[\\d.]+/g).map(Number);
    const luminance = ([r, g, b]) => [r, g, b].map(value => {
        value /= 255;
        return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
    }).reduce((sum, value, i) => sum + value * [0.2126, 0.7152, 0.0722][i], 0);
    const element = document.activeElement;
    const style = getComputedStyle(element);
    const box = element.getBoundingClientRect();
    const reach = parseFloat(style.outlineOffset) + parseFloat(style.outlineWidth) / 2;
    const x = box.left - reach >= 0 ? box.left - reach : box.right + reach;
    const under = document.elementsFromPoint(x, box.top + box.height / 2)
        .filter(other => other !== element && !element.contains(other))
        .find(other => (rgb(getComputedStyle(other).backgroundColor)[3] ?? 1) > 0);
    const background = under ? rgb(getComputedStyle(under).backgroundColor) : [255, 255, 255];
    const [a, b] = [luminance(rgb(style.outlineColor)), luminance(background)];
    return {
        element: element.tagName.toLowerCase() + "." + element.className + " " + element.textContent.trim().slice(0, 20),
        width: style.outlineStyle === "none" ? 0 : parseFloat(style.outlineWidth),
        contrast: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05),
    };
}"""


@pytest.mark.parametrize("path", [f"articles/{LONG_SLUG}/", "authors/"])
def test_keyboard_focus_is_a_ring_that_stands_out_from_what_is_behind_it(browser, site, path):
    origin, _ = site
    with _opened(browser, DESKTOP, f"{origin}/rjpho/{path}") as page:
        weak = []
        for _ in range(30):
            page.keyboard.press("Tab")
            ring = page.evaluate(_FOCUS_RING)
            if ring["width"] < 2 or ring["contrast"] < 3:  # WCAG 2.2, 2.4.13 and 1.4.11
                weak.append(ring)
        assert weak == []


def test_the_letters_of_the_authors_index_are_large_enough_to_tap(browser, site):
    origin, _ = site
    with _opened(browser, PHONE, f"{origin}/rjpho/authors/") as page:
        sizes = [link.bounding_box() for link in page.locator("nav.letters a").all()]
        assert sizes
        assert [box for box in sizes if box["width"] < 24 or box["height"] < 24] == []  # WCAG 2.2, 2.5.8


def _soup(output: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((output / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_a_cyrillic_title_and_abstract_of_a_russian_record_are_marked_lang_ru_where_they_appear(site):
    _, output = site
    article = _soup(output, "articles/stress-ru")
    assert article.html["lang"] == "en"
    assert article.select_one("h1 > span[lang=ru]").get_text() == "Трудности терапии младенческого острого лимфобластного лейкоза"
    abstract = article.select_one("section.abstract")
    assert abstract.select_one("div[lang=ru]").get_text(strip=True).startswith("Младенческий")
    assert abstract.select_one("h2").find_parent(lang=True) is article.html, "the heading 'Abstract' is the page's English"
    for listing, link in (("issues/5/1", "a.article-title"), ("doi", "td a")):
        assert _soup(output, listing).select_one(f"{link} > span[lang=ru]:-soup-contains('Трудности')"), listing


def test_an_english_title_of_a_russian_record_is_left_in_the_page_language(site):
    _, output = site
    article = _soup(output, "articles/stress-en")  # like the model page: (In Russ.), English abstract
    assert article.select("main [lang]") == []
    assert _soup(output, "issues/5/1").select("a.article-title:-soup-contains('Problems of therapy') [lang]") == []


def test_a_printed_article_keeps_its_doi_link_and_leaves_out_what_only_a_screen_can_use(browser, site):
    origin, _ = site
    with _opened(browser, DESKTOP, f"{origin}/rjpho/articles/{LONG_SLUG}/") as page:
        page.emulate_media(media="print")
        shown = page.evaluate("""() => Object.fromEntries([
            ".site-header nav", ".search-box", ".downloads", ".article-aside h2:first-child", ".local-link", ".doi", ".ref-doi",
        ].map(selector => [selector, getComputedStyle(document.querySelector(selector)).display !== "none"]))""")
        assert shown == {
            ".site-header nav": False, ".search-box": False, ".downloads": False, ".article-aside h2:first-child": False,
            ".local-link": False, ".doi": True, ".ref-doi": True,
        }  # fmt: skip
        assert page.locator(".doi").inner_text() == "https://doi.org/10.5555/" + LONG_SUFFIX
        # A PubMed link is printed with its address: "PubMed" alone does not find the paper.
        printed = page.eval_on_selector(".ref-pubmed", "e => getComputedStyle(e, '::after').content")
        assert "https://pubmed.ncbi.nlm.nih.gov/30459160/" in printed


def test_a_screen_reader_reads_the_corresponding_authors_mark_as_words_not_as_star(browser, site):
    origin, _ = site
    with _opened(browser, PHONE, f"{origin}/rjpho/articles/{LONG_SLUG}/") as page:
        first = page.locator("ul.byline > li").first.aria_snapshot()
        assert "corresponding author" in first.lower() and "*" not in first, first


def test_the_orcid_badge_in_the_byline_names_whose_orcid_it_is_and_is_as_large_as_orcid_asks(browser, site):
    origin, _ = site
    with _opened(browser, PHONE, f"{origin}/rjpho/articles/{LONG_SLUG}/") as page:
        badge = page.get_by_role("link", name=f"ORCID iD of Maximilian-Alexander {COMPOUND}0")
        assert badge.count() == 1, "a screen reader reads the badge by its text alone: \"iD\""
        box = badge.bounding_box()
        assert box["width"] >= 16 and box["height"] >= 16  # ORCID's guidelines: the iD icon at 16 px or more


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_search_result_with_long_words_wraps_in_the_results_column(browser, site, viewport):
    origin, _ = site
    with _opened(browser, viewport, f"{origin}/rjpho/search/?q=Maximilian") as page:
        title = page.locator(".pagefind-ui__result-title", has_text="A long title")
        expect(title).to_have_count(1)
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        results = page.locator(".pagefind-ui__results").bounding_box()
        box = title.bounding_box()
        assert box["x"] + box["width"] <= results["x"] + results["width"] + 1


def test_the_header_search_box_is_typed_in_at_16_px_or_more_so_phones_do_not_zoom_into_it(browser, site):
    origin, _ = site
    with _opened(browser, PHONE, f"{origin}/rjpho/") as page:
        # iOS Safari zooms the page into a text field typed in at under 16 px, and leaves it zoomed.
        size = page.eval_on_selector("#site-search", "e => parseFloat(getComputedStyle(e).fontSize)")
        assert size >= 16
        # ... and its placeholder, in that larger type, is not cut off (typed in as a value, it
        # would be as wide as it is shown).
        box = page.locator("#site-search")
        box.fill(box.get_attribute("placeholder"))
        assert box.evaluate("e => e.scrollWidth <= e.clientWidth")


def test_the_home_pages_description_is_set_in_the_articles_measure_not_the_full_width(browser, site):
    origin, _ = site
    with _opened(browser, DESKTOP, f"{origin}/rjpho/") as page:
        measure = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize) * 46")  # --measure
        widths = page.locator(".journal-intro p:not(.journal-facts)").evaluate_all("ps => ps.map(p => p.getBoundingClientRect().width)")
        assert widths and max(widths) <= measure + 1, (widths, measure)  # about 80 characters a line, not 150


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_pages_content_starts_a_line_or_more_below_the_header_and_ends_above_the_footer(browser, site, viewport):
    """`main`'s own padding: the `.wrap` class it shares with the header's row once overrode it,
    so that an article's first line sat against the header bar."""
    origin, _ = site
    with _opened(browser, viewport, f"{origin}/rjpho/articles/{LONG_SLUG}/") as page:
        line = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
        header_bottom = page.locator(".site-header").evaluate("e => e.getBoundingClientRect().bottom")
        first_top = page.locator("main > :first-child").evaluate("e => e.getBoundingClientRect().top")
        main_bottom, footer_top = page.evaluate(
            "[document.querySelector('main').lastElementChild.getBoundingClientRect().bottom,"
            " document.querySelector('.site-footer').getBoundingClientRect().top]"
        )
        assert first_top - header_bottom >= line, (header_bottom, first_top)
        assert footer_top - main_bottom >= line, (main_bottom, footer_top)


def test_a_short_pages_footer_is_at_the_foot_of_the_window(browser, site):
    origin, _ = site
    with _opened(browser, DESKTOP, f"{origin}/rjpho/404.html") as page:
        footer_bottom = page.locator(".site-footer").evaluate("e => e.getBoundingClientRect().bottom")
        assert footer_bottom == pytest.approx(DESKTOP["height"], abs=1)
        width = page.locator("main").evaluate("e => e.getBoundingClientRect().width")
        assert width == pytest.approx(min(DESKTOP["width"], 64 * 17), abs=1)  # 64rem at 17 px: as wide as before


def _contrast_with_white(rgb: list[float]) -> float:
    """WCAG's contrast ratio of a colour (0-255 channels) with white."""
    linear = [(v / 255) / 12.92 if v / 255 <= 0.03928 else ((v / 255 + 0.055) / 1.055) ** 2.4 for v in rgb]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05)


def test_the_search_pages_placeholder_is_readable(browser, site):
    origin, _ = site
    with _opened(browser, PHONE, f"{origin}/rjpho/search/") as page:
        box = page.locator("#search input[type=text]")
        expect(box).to_be_visible()
        # Pagefind's own style draws it at 20% opacity: 1.4:1 on white, under WCAG's 4.5:1.
        opacity, color = box.evaluate("e => [getComputedStyle(e, '::placeholder').opacity, getComputedStyle(e, '::placeholder').color]")
        channels = [float(value) for value in color[color.index("(") + 1 : -1].split(",")[:3]]
        assert _contrast_with_white([value * float(opacity) + 255 * (1 - float(opacity)) for value in channels]) >= 4.5


def test_the_search_boxs_clear_button_is_a_link_like_word_not_a_framed_grey_button(browser, site):
    origin, _ = site
    with _opened(browser, DESKTOP, f"{origin}/rjpho/search/?q=leukemia") as page:
        clear = page.locator("#search .pagefind-ui__search-clear")
        expect(clear).to_be_visible()
        border, line = clear.evaluate("e => [getComputedStyle(e).borderTopWidth, getComputedStyle(e).textDecorationLine]")
        assert (border, line) == ("0px", "underline")
        clear.click()
        expect(page.locator("#search input[type=text]")).to_have_value("")

