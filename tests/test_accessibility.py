"""An automated accessibility audit of the default theme: axe-core (the copy bundled with
axe-playwright-python, so no network) run in headless Chromium on every kind of page the theme
makes, served under a sub-path like a GitHub Pages project site. A page fails on any violation of
a WCAG 2.0 or 2.1 rule of level A or AA; the failure names the rule, the page and the elements.

axe finds what a machine can (contrast, names, labels, landmarks, headings, ids, `lang`): it does
not replace the reader-level checks of tests/test_reader_browser.py, tests/test_paging.py and
tests/test_search_browser.py."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from caseshelf.pipeline import BuildOptions, build
from conftest import SAMPLE_CONTENT, static_server, write_files

#: axe's tags for the success criteria of WCAG 2.0 and 2.1 at levels A and AA. Its
#: "best-practice" rules are judged one by one, not failed on (see README, Accessibility).
WCAG_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SEED = "articles/2311-1267-2025-12-4-89-96/"
WITH_ORCID_BADGES = "articles/caseshelf-12-1-5/"  # two authors with an ORCID iD, a letter

#: The paged copy of the sample: three entries a page, so the DOI index, the authors index, a
#: keyword's page and an author's page each have numbered pages; and a Russian record with a table in its abstract.
PAGE_SIZE = 3
RU_RECORD_WITH_TABLE = """\
---
title: "Вымышленный случай: таблица показателей крови"
doi: "10.5555/caseshelf.a11y.ru"
language: ru
type: case-report
year: 2025
volume: 12
issue: 4
pages: 120-121
keywords: [hematopoietic stem cell transplantation]
authors:
  - name: Е. Б. Мачнева
---
Вымышленная запись для проверки доступности.

| Показатель | День 1 | День 14 |
|---|---|---|
| Гемоглобин, г/л | 74 | 98 |
"""


@dataclass(frozen=True)
class Visit:
    """A page to audit: where it is, and how the reader sees it."""

    path: str  #: below the site's root, e.g. "doi/" (the paged copy's paths start "paged:")
    viewport: dict = field(default_factory=lambda: DESKTOP)
    color_scheme: str = "light"
    search: str = ""  #: a query typed into the search page, whose results are waited for
    open_filters: bool = False  #: and the search page's filter panels (Issue, Type, Year) opened


VISITS = {
    "home": Visit(""),
    "article": Visit(SEED),
    "article-phone": Visit(SEED, viewport=PHONE),
    "article-with-orcid-badges": Visit(WITH_ORCID_BADGES),
    "author": Visit("authors/iu-a-smirnova/"),
    "authors-index": Visit("authors/"),
    "doi-index": Visit("doi/"),
    "doi-index-phone": Visit("doi/", viewport=PHONE),
    "doi-redirect": Visit("doi/10.21682/2311-1267-2025-12-4-89-96/"),
    "issues": Visit("issues/"),
    "issue-toc": Visit("issues/12/4/"),
    "keywords": Visit("keywords/"),
    "keyword": Visit("keywords/blinatumomab/"),
    "search-results": Visit("search/", search="blinatumomab"),
    "search-close-matches": Visit("search/", search="zzqqxx"),
    "search-filters-open-phone": Visit("search/", viewport=PHONE, search="leukemia", open_filters=True),
    "404": Visit("404.html"),
    "doi-index-page-2": Visit("paged:doi/page/2/"),
    "authors-index-page-2": Visit("paged:authors/page/2/"),
    "keyword-page-2": Visit("paged:keywords/hematopoietic-stem-cell-transplantation/page/2/"),
    "author-page-2": Visit("paged:authors/iu-a-smirnova/page/2/"),
    "russian-article-with-table": Visit("paged:articles/caseshelf-a11y-ru/"),
    "search-unavailable": Visit("paged:search/"),  # built without a search index
    # The theme has no dark scheme today; these keep one added later (by the theme or by a
    # stylesheet it loads) from passing unchecked.
    "home-dark": Visit("", color_scheme="dark"),
    "article-dark": Visit(SEED, color_scheme="dark"),
}


@pytest.fixture(scope="module")
def origin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample journal with its search index at /rjpho/, and its paged copy (no search
    index) at /rjpho-paged/, served locally."""
    root = tmp_path_factory.mktemp("a11y")
    www = root / "www"
    build(BuildOptions(source=SAMPLE_CONTENT, output=www / "rjpho", base_url="https://example.github.io/rjpho/", search=True))
    paged = root / "paged"
    shutil.copytree(SAMPLE_CONTENT, paged)
    journal = paged / "journal.yaml"
    journal.write_text(journal.read_text("utf-8") + f"page_size: {PAGE_SIZE}\n", "utf-8")
    write_files(paged, {"articles/2025/12-4/a11y-ru.md": RU_RECORD_WITH_TABLE})
    build(BuildOptions(source=paged, output=www / "rjpho-paged", base_url="https://example.github.io/rjpho-paged/", search=False, cache=False))
    with static_server(www) as served:
        yield served


def url_of(origin: str, visit: Visit) -> str:
    site, _, path = visit.path.rpartition(":")
    return f"{origin}/{'rjpho-paged' if site == 'paged' else 'rjpho'}/{path}"


def open_visit(page: Page, origin: str, visit: Visit) -> None:
    """Open the page as a reader leaves it: search results shown, a DOI page's refresh done."""
    url = url_of(origin, visit)
    if visit.path.startswith("doi/10."):
        # The refresh to the article is answered "204 No Content", so the browser stays on the
        # DOI page; axe runs once it has been tried (a navigation during the run would end it).
        page.route("**/articles/**", lambda route: route.fulfill(status=204))
        with page.expect_request("**/articles/**"):
            page.goto(url)
        return
    page.goto(url)
    if visit.search:
        box = page.locator("#search input[type=text]")
        expect(box).to_be_visible()
        box.fill(visit.search)
        expect(page.locator(".pagefind-ui__result-title").first).to_be_visible()
        # The results' count is announced last (static/search.js): the page has settled.
        expect(page.locator("#search-status")).not_to_be_empty()
        if visit.open_filters:
            closed = page.locator("#search details:not([open]) > summary")
            for _ in range(closed.count()):
                closed.first.click()
            expect(closed).to_have_count(0)
            expect(page.locator("#search .pagefind-ui__filter-checkbox").first).to_be_visible()
    elif visit.path.endswith("search/"):
        expect(page.locator("#search-unavailable")).to_be_visible()


def is_logotype(page: Page, rule: str, node: dict) -> bool:
    """ORCID's iD icon, white "iD" on ORCID's green (1.8:1), is a logo, and WCAG 1.4.3 sets
    no contrast for logotypes; the link is named "ORCID iD of <author>" for screen readers."""
    return rule == "color-contrast" and page.evaluate("s => document.querySelector(s).matches('a.orcid')", node["target"][0])


def wcag_violations(page: Page) -> list[dict]:
    """axe's violations of WCAG 2.0/2.1 A/AA rules on the page as it is now, logotypes left out."""
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_A_AA}, "resultTypes": ["violations"]}).response
    # A run that checked nothing (a tag renamed by a new axe) would pass every page.
    assert {"document-title", "html-has-lang", "color-contrast"} <= {rule["id"] for rule in results["passes"] + results["violations"]}
    violations = []
    for violation in results["violations"]:
        nodes = [node for node in violation["nodes"] if not is_logotype(page, violation["id"], node)]
        if nodes:
            violations.append({**violation, "nodes": nodes})
    return violations


def describe(name: str, url: str, violations: list[dict]) -> str:
    """One paragraph a violation: rule, impact, what it asks, and each element with axe's reason."""
    lines = [f"{name} ({url}): {len(violations)} WCAG A/AA rule(s) broken"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} [{violation['helpUrl']}]")
        for node in violation["nodes"]:
            reason = " ".join(node["failureSummary"].split())
            lines.append(f"    {' '.join(node['target'])}  {' '.join(node['html'].split())[:160]}\n        {reason}")
    return "\n".join(lines)


@pytest.mark.parametrize("name", list(VISITS))
def test_the_page_breaks_no_wcag_a_or_aa_rule_axe_checks(browser, origin, name):
    visit = VISITS[name]
    context = browser.new_context(viewport=visit.viewport, color_scheme=visit.color_scheme)
    try:
        page = context.new_page()
        open_visit(page, origin, visit)
        violations = wcag_violations(page)
        if violations:
            pytest.fail(describe(name, url_of(origin, visit), violations))
    finally:
        context.close()


#: The pages with a "Pages" navigation above their list and another below it.
PAGED_LISTS = [name for name, visit in VISITS.items() if visit.path.endswith("/page/2/")]


@pytest.mark.parametrize("name", PAGED_LISTS)
def test_the_two_pagers_of_a_list_are_landmarks_named_apart(page, origin, name):
    """axe's "landmark-unique" (a best-practice rule, so not in the WCAG run above): screen
    readers list landmarks by role and name, and two navigations both named "Pages" read alike."""
    open_visit(page, origin, VISITS[name])
    assert page.locator("nav.pager").count() == 2
    results = Axe().run(page, options={"runOnly": {"type": "rule", "values": ["landmark-unique"]}}).response
    assert "landmark-unique" in {rule["id"] for rule in results["passes"]}
    assert results["violations"] == [], describe(name, url_of(origin, VISITS[name]), results["violations"])


def test_the_audit_reports_a_violation_when_there_is_one(page):
    """The check itself: faint text and an unnamed link are reported, and the message names the
    rule and the element."""
    page.set_content(
        '<html lang="en"><title>t</title><body><main><h1>Title</h1>'
        '<p style="color:#bbb">Faint text</p><a href="/x"><span></span></a></main></body></html>'
    )
    violations = wcag_violations(page)
    assert {"color-contrast", "link-name"} <= {violation["id"] for violation in violations}
    message = describe("made-up", "about:blank", violations)
    assert "- color-contrast (serious)" in message and '\n    p  <p style="color:#bbb">Faint text</p>' in message, message


def test_the_orcid_badge_is_the_only_text_left_out_of_the_contrast_check(page):
    page.set_content(
        '<html lang="en"><title>t</title><body><main><h1>Title</h1>'
        '<a class="orcid" style="background:#a6ce39;color:#fff" href="/o" aria-label="ORCID iD of A">iD</a>'
        '<a class="other" style="background:#a6ce39;color:#fff" href="/p">iD</a></main></body></html>'
    )
    [contrast] = [violation for violation in wcag_violations(page) if violation["id"] == "color-contrast"]
    assert [node["target"] for node in contrast["nodes"]] == [[".other"]]


# --- What axe does not check -----------------------------------------------------------------


def contrast_with_white(css_color: str) -> float:
    """WCAG's contrast ratio of an opaque `rgb(r, g, b)` colour with white."""
    channels = [int(value) / 255 for value in css_color[css_color.index("(") + 1 : -1].split(",")[:3]]
    linear = [value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4 for value in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05)


def test_the_search_box_and_unticked_filters_are_outlined_at_3_to_1_on_white(page, origin):
    """WCAG 1.4.11: the outline is all that shows an empty box or an unticked filter; Pagefind
    draws both in the theme's rule colour (#d9dee3), 1.4:1 on white."""
    open_visit(page, origin, VISITS["search-results"])
    checkboxes = page.locator("#search .pagefind-ui__filter-checkbox")
    expect(checkboxes.first).to_be_attached()
    for element in [page.locator("#search input[type=text]"), *checkboxes.all()]:
        border = element.evaluate("e => getComputedStyle(e).borderTopColor")
        assert contrast_with_white(border) >= 3, (element.evaluate("e => e.outerHTML"), border)


def test_the_search_box_is_labelled_by_the_pages_heading_not_only_by_a_tooltip(page, origin):
    open_visit(page, origin, VISITS["search-results"])
    expect(page.get_by_role("textbox", name="Search the archive", exact=True)).to_have_count(1)
