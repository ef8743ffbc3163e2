"""`check-links`: the built sample passes as a project site and as a user site; broken links,
links escaping the sub-path, relative links in 404.html, missing anchors and files GitHub
Pages would not publish are each reported with the page and the link."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from caseshelf.cli import main
from caseshelf.linkcheck import check_links
from caseshelf.pipeline import BuildOptions, build
from caseshelf.problems import BuildFailed
from conftest import SAMPLE_CONTENT

PROJECT_SITE = "https://example.github.io/rjpho/"
ARTICLE = "articles/caseshelf-12-1-10/index.html"


@pytest.fixture
def site_copy(sample_site: Path, tmp_path: Path) -> Path:
    """A copy of the sample (built for https://example.github.io/rjpho/) to break on purpose."""
    return Path(shutil.copytree(sample_site, tmp_path / "_site"))


def add_to_page(site: Path, page: str, html: str) -> None:
    path = site / page
    path.write_text(path.read_text(encoding="utf-8").replace("</main>", html + "\n</main>", 1), encoding="utf-8")


def reasons(site: Path, base_url: str = PROJECT_SITE) -> dict[tuple[str, str], str]:
    return {(b.page, b.link): b.reason for b in check_links(site, base_url).broken}


def test_sample_built_for_a_project_site_passes(sample_site):
    report = check_links(sample_site, PROJECT_SITE)
    assert report.broken == () and report.bad_files == ()
    assert report.pages > 80 and report.links > 1000


def test_sample_built_with_search_for_a_user_site_passes(tmp_path):
    output = tmp_path / "_site"
    build(BuildOptions(source=SAMPLE_CONTENT, output=output, base_url="https://example.github.io/", search=True))
    report = check_links(output, "https://example.github.io/")
    assert report.ok, [*map(str, report.broken), *report.bad_files]


def test_broken_link_is_reported_with_its_page_line_and_link(site_copy):
    add_to_page(site_copy, ARTICLE, '<a href="/rjpho/articles/no-such-article/">gone</a>')
    broken = check_links(site_copy, PROJECT_SITE).broken
    assert len(broken) == 1
    assert broken[0].page == ARTICLE and broken[0].link == "/rjpho/articles/no-such-article/"
    assert broken[0].line > 0
    assert str(broken[0]).startswith(f"{ARTICLE}:{broken[0].line}: /rjpho/articles/no-such-article/: no file")


def test_relative_links_are_resolved_from_their_page(site_copy):
    add_to_page(site_copy, ARTICLE, '<a href="../caseshelf-11-1-12/">ok</a><a href="../caseshelf-99/">bad</a>')
    assert list(reasons(site_copy)) == [(ARTICLE, "../caseshelf-99/")]


def test_root_relative_link_that_escapes_the_project_sub_path_is_reported(site_copy):
    add_to_page(site_copy, ARTICLE, '<link rel="icon" href="/static/caseshelf.css"><img src="https://example.github.io/static/x.png" alt="">')
    found = reasons(site_copy)
    assert "outside the site's base path /rjpho/" in found[(ARTICLE, "/static/caseshelf.css")]
    assert "outside the site's base path" in found[(ARTICLE, "https://example.github.io/static/x.png")]


def test_srcset_script_and_meta_refresh_targets_are_checked(site_copy):
    add_to_page(site_copy, ARTICLE, '<img src="/rjpho/static/caseshelf.css" srcset="/rjpho/static/small.png 1x, /rjpho/static/caseshelf.css 2x" alt=""><script src="../../static/gone.js"></script>')
    redirect = site_copy / "doi/10.21682/2311-1267-2025-12-4-89-96/index.html"
    html = redirect.read_text(encoding="utf-8")
    redirect.write_text(re.sub(r'url=[^"]+', "url=https://example.github.io/rjpho/articles/moved/", html), encoding="utf-8")
    links = {link for _, link in reasons(site_copy)}
    assert links == {"/rjpho/static/small.png", "../../static/gone.js", "https://example.github.io/rjpho/articles/moved/"}


def test_relative_link_in_404_page_is_reported(site_copy):
    add_to_page(site_copy, "404.html", '<a href="authors/">authors</a>')
    assert "GitHub Pages serves at any depth" in reasons(site_copy)[("404.html", "authors/")]


def test_missing_anchor_is_reported(site_copy):
    add_to_page(site_copy, ARTICLE, '<a href="#ref-1">ok</a><a href="#ref-99">missing</a><a href="/rjpho/issues/#nowhere">x</a>')
    assert set(reasons(site_copy)) == {(ARTICLE, "#ref-99"), (ARTICLE, "/rjpho/issues/#nowhere")}


def test_external_and_non_http_links_are_left_alone(site_copy):
    add_to_page(site_copy, ARTICLE, '<a href="https://doi.org/10.5555/x">doi</a><a href="mailto:a@example.org">mail</a><a href="javascript:void(0)">js</a>')
    assert reasons(site_copy) == {}


def test_files_github_pages_would_not_publish_are_reported(site_copy):
    (site_copy / ".well-known").mkdir()
    (site_copy / ".well-known" / "security.txt").write_text("x")
    (site_copy / "static" / "what?.css").write_text("x")
    os.symlink(site_copy / "index.html", site_copy / "static" / "link.html")
    bad = check_links(site_copy, PROJECT_SITE).bad_files
    assert [line.split(":")[0] for line in bad] == [".well-known", "static/link.html", "static/what?.css"]
    add_to_page(site_copy, ARTICLE, '<a href="/rjpho/.well-known/security.txt">x</a>')
    assert "left out of the GitHub Pages artifact" in reasons(site_copy)[(ARTICLE, "/rjpho/.well-known/security.txt")]


def test_cli_exits_1_and_prints_page_and_link(site_copy, capsys):
    add_to_page(site_copy, ARTICLE, '<a href="/rjpho/keywords/nothing/">k</a>')
    assert main(["check-links", "--output", str(site_copy), "--source", str(SAMPLE_CONTENT)]) == 1
    err = capsys.readouterr().err
    assert f"{ARTICLE}:" in err and "/rjpho/keywords/nothing/" in err and "1 broken" in err


def test_cli_exits_0_for_the_sample_and_honours_base_url(sample_site, capsys):
    assert main(["check-links", "--output", str(sample_site), "--base-url", PROJECT_SITE]) == 0
    assert "all resolve" in capsys.readouterr().out
    # Checked as if published under another path, every /rjpho/ link escapes the site.
    assert main(["check-links", "--output", str(sample_site), "--base-url", "https://example.github.io/other/", "-q"]) == 1


def test_cli_without_a_built_site_says_so(tmp_path, capsys):
    assert main(["check-links", "--output", str(tmp_path / "missing"), "--base-url", PROJECT_SITE]) == 1
    assert "run the build first" in capsys.readouterr().err


def test_dot_segments_in_root_relative_and_absolute_links_are_resolved(site_copy):
    add_to_page(site_copy, ARTICLE, '<a href="/rjpho/articles/../authors/">ok</a><a href="https://example.github.io/rjpho/issues/./">ok</a><a href="/rjpho/../static/caseshelf.css">out</a>')
    assert list(reasons(site_copy)) == [(ARTICLE, "/rjpho/../static/caseshelf.css")]
    assert "outside the site's base path" in reasons(site_copy)[(ARTICLE, "/rjpho/../static/caseshelf.css")]


def test_a_folder_reached_through_a_symbolic_link_is_followed_as_pages_would(site_copy):
    """The Pages artifact copies what a link points to: links into it work (the link itself is
    reported as a file Pages would not publish as it is)."""
    os.symlink(site_copy / "authors", site_copy / "people")
    add_to_page(site_copy, ARTICLE, '<a href="/rjpho/people/">ok</a><a href="/rjpho/people/nobody/">bad</a>')
    assert list(reasons(site_copy)) == [(ARTICLE, "/rjpho/people/nobody/")]


def test_pages_checked_by_several_processes_give_the_same_report(site_copy):
    for page, link in [(ARTICLE, "/rjpho/articles/gone/"), ("index.html", "#nowhere"), ("authors/index.html", "../missing/"), ("404.html", "issues/")]:
        add_to_page(site_copy, page, f'<a href="{link}">x</a>')
    alone, shared = check_links(site_copy, PROJECT_SITE, jobs=1), check_links(site_copy, PROJECT_SITE, jobs=2)
    assert len(alone.broken) == 4
    assert shared == alone


def test_a_page_reached_through_a_symbolic_link_is_checked_and_a_linked_folder_is_not_walked(site_copy):
    """As before the site was walked once for everything: a link to a page is a page (its
    links are checked), a link to a folder is not entered (its pages are checked where they are)."""
    plain_pages = len([path for path in site_copy.rglob("*.html") if not path.is_symlink()])
    os.symlink(site_copy / "authors", site_copy / "people")
    linked_page = site_copy / "static" / "linked.html"
    linked_page.write_text('<a href="/rjpho/nowhere/">x</a>')
    os.symlink(linked_page, site_copy / "static" / "link.html")
    report = check_links(site_copy, PROJECT_SITE)
    assert report.pages == plain_pages + 2  # linked.html, and link.html again through the link
    assert sorted(str(link).split(":")[0] for link in report.broken) == ["static/link.html", "static/linked.html"]
    assert [line.split(":")[0] for line in report.bad_files] == ["people", "static/link.html"]


def test_a_folder_without_pages_is_refused_not_passed(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "todo.txt").write_text("not a site")
    for folder in ("empty", "notes"):
        with pytest.raises(BuildFailed) as failure:
            check_links(tmp_path / folder, PROJECT_SITE)
        assert [str(problem) for problem in failure.value.problems] == [f"{tmp_path / folder}: output: no HTML pages here: run the build first (or pass --output)"]
