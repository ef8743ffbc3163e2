"""The default theme in a real browser: the article page renders with its stylesheet under a sub-path."""

from __future__ import annotations

import shutil

from conftest import static_server


def test_article_page_renders_styled_under_sub_path(sample_site, tmp_path, page):
    www = tmp_path / "www"
    shutil.copytree(sample_site, www / "rjpho")
    with static_server(www) as origin:
        page.goto(f"{origin}/rjpho/articles/2311-1267-2025-12-4-89-96/")
        assert page.locator("h1").inner_text().startswith("Problems of therapy and search for curative options")
        header_color = page.eval_on_selector(".site-header", "e => getComputedStyle(e).backgroundColor")
        assert header_color == "rgb(7, 55, 99)", "the stylesheet did not load under the sub-path"
        page.click("text=E. B. Machneva")
        page.wait_for_url("**/authors/**")
        assert page.locator("h1").inner_text() == "E. B. Machneva"
