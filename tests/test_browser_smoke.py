"""The default theme in a real browser: the article page renders with its stylesheet under a
sub-path, and what must stay on one line does, at a phone's width and a desktop's."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from conftest import static_server

SEED_PAGE = "articles/2311-1267-2025-12-4-89-96/"


@contextmanager
def _sample_served(sample_site, tmp_path, browser, width: int) -> Iterator:
    """A function that opens a page of the sample journal (served under /rjpho/) in a browser
    window `width` pixels wide, and returns it."""
    www = tmp_path / "www"
    shutil.copytree(sample_site, www / "rjpho")
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        with static_server(www) as origin:

            def opened(path: str):
                page.goto(f"{origin}/rjpho/{path}")
                return page

            yield opened
    finally:
        context.close()


def test_article_page_renders_styled_under_sub_path(sample_site, tmp_path, browser):
    with _sample_served(sample_site, tmp_path, browser, 1280) as open_page:
        page = open_page(SEED_PAGE)
        assert page.locator("h1").inner_text().startswith("Problems of therapy and search for curative options")
        header_color = page.eval_on_selector(".site-header", "e => getComputedStyle(e).backgroundColor")
        assert header_color == "rgb(7, 55, 99)", "the stylesheet did not load under the sub-path"
        page.click("text=E. B. Machneva")
        page.wait_for_url("**/authors/**")
        assert page.locator("h1").inner_text() == "E. B. Machneva"


@pytest.mark.parametrize("width", [375, 768, 1280])
def test_the_year_volume_issue_and_pages_stay_on_one_line(sample_site, tmp_path, browser, width):
    """At 768 px, `2025;12(4):89-96` broke after `89-`, leaving `96` alone on the next line."""
    with _sample_served(sample_site, tmp_path, browser, width) as open_page:
        source = open_page(SEED_PAGE).locator(".article-meta .source")
        assert source.inner_text() == "2025;12(4):89-96"
        assert source.evaluate("e => e.getClientRects().length") == 1


@pytest.mark.parametrize("width", [320, 375])
def test_an_issn_is_never_broken_at_its_hyphen(sample_site, tmp_path, browser, width):
    """On a phone the home page's `ISSN 2413-5496` broke after `2413-`."""
    with _sample_served(sample_site, tmp_path, browser, width) as open_page:
        for path in ("", SEED_PAGE):
            issns = open_page(path).locator(".nowrap").filter(has_text="ISSN")
            lines = issns.evaluate_all("spans => spans.map(s => [s.textContent, s.getClientRects().length])")
            assert len(lines) >= 4, lines  # print and online, in the footer and on the page
            assert all(count == 1 for _, count in lines), lines
