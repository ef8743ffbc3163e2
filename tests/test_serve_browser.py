"""Live reload in a real headless Chromium: the open tab follows the files on disk by itself."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_serve_support import ARTICLE_RECORD, ARTICLE_TITLE_START, ARTICLE_URL, DOI_LINE, copy_sample, replace_in_file, running_preview

from caseshelf.pipeline import BuildOptions, check
from caseshelf.problems import BuildFailed
from caseshelf.theme import default_theme_root

WAIT_MS = 20_000
OVERLAY = "#caseshelf-build-problems"


def test_the_open_article_page_reloads_with_the_new_title(tmp_path: Path, page):
    with running_preview(copy_sample(tmp_path)) as preview:
        page.goto(preview.session.url + ARTICLE_URL)
        assert page.locator("h1").inner_text().startswith(ARTICLE_TITLE_START)
        page.evaluate("window.loadedBeforeTheEdit = true")
        replace_in_file(preview.content / ARTICLE_RECORD, "A made-up toddler", "A live-reloaded toddler")
        page.wait_for_function("document.querySelector('h1').textContent.startsWith('A live-reloaded toddler')", timeout=WAIT_MS)
        assert page.evaluate("window.loadedBeforeTheEdit") is None, "the page was reloaded, not patched"


def test_a_doi_resolver_page_sends_the_reader_to_the_article_in_the_preview_not_on_the_journals_host(tmp_path: Path, page):
    with running_preview(copy_sample(tmp_path)) as preview:
        page.goto(preview.session.url + "doi/10.5555/caseshelf.12.2.55/")
        page.wait_for_url(preview.session.url + ARTICLE_URL, timeout=WAIT_MS)
        assert page.locator("h1").inner_text().startswith(ARTICLE_TITLE_START)


def test_a_stylesheet_edit_restyles_the_page_without_reloading_it(tmp_path: Path, page):
    content = copy_sample(tmp_path)
    stylesheet = tmp_path / "static" / "caseshelf.css"
    stylesheet.parent.mkdir()
    shutil.copyfile(default_theme_root() / "static" / "caseshelf.css", stylesheet)
    with running_preview(content) as preview:
        page.goto(preview.session.url + ARTICLE_URL)
        header_color = "getComputedStyle(document.querySelector('.site-header')).backgroundColor"
        assert page.evaluate(header_color) == "rgb(7, 55, 99)"
        page.evaluate("window.loadedBeforeTheEdit = true")
        with stylesheet.open("a", encoding="utf-8") as css:
            css.write("\n.site-header { background-color: rgb(1, 2, 3); }\n")
        page.wait_for_function(f"{header_color} === 'rgb(1, 2, 3)'", timeout=WAIT_MS)
        assert page.evaluate("window.loadedBeforeTheEdit") is True, "only the stylesheet was swapped"
        assert page.locator("link[rel=stylesheet]").count() == 1


def test_a_broken_record_shows_its_problems_over_the_last_good_page_until_fixed(tmp_path: Path, page):
    content = copy_sample(tmp_path)
    record = content / ARTICLE_RECORD
    with running_preview(content) as preview:
        page.goto(preview.session.url + ARTICLE_URL)
        replace_in_file(record, DOI_LINE, 'doi: "not a doi"')
        with pytest.raises(BuildFailed) as failure:
            check(BuildOptions(source=content))
        overlay = page.wait_for_selector(OVERLAY, timeout=WAIT_MS)
        assert overlay.query_selector("pre").inner_text() == "\n".join(str(p) for p in failure.value.problems)
        assert page.locator("h1").inner_text().startswith(ARTICLE_TITLE_START), "the last good page stays underneath"
        page.goto(preview.session.url + "doi/")
        page.wait_for_selector(OVERLAY, timeout=WAIT_MS)  # on every page while the build is broken
        replace_in_file(record, 'doi: "not a doi"', DOI_LINE)
        page.wait_for_selector(OVERLAY, state="detached", timeout=WAIT_MS)
        assert page.locator("h1").count() == 1
