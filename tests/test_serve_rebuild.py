"""Editing files under a running preview: every change is rebuilt and served, a broken record
keeps the last good site with the same problem text as the terminal, and fixing it recovers."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from test_serve_support import (
    ARTICLE_RECORD,
    ARTICLE_TITLE_START,
    ARTICLE_URL,
    DOI_LINE,
    EventStream,
    Preview,
    copy_sample,
    h1_text,
    replace_in_file,
    running_preview,
    wait_until,
)

from caseshelf.pipeline import BuildOptions, build, check
from caseshelf.problems import BuildFailed
from caseshelf.theme import default_theme_root

ARTICLE_DOI = "10.5555/caseshelf.12.2.55"


def expected_problems(content: Path) -> list[str]:
    """What `caseshelf check` prints for the content as it is now on disk."""
    with pytest.raises(BuildFailed) as failure:
        check(BuildOptions(source=content))
    return [str(problem) for problem in failure.value.problems]


def title_is(preview: Preview, start: str) -> bool:
    response = preview.page(ARTICLE_URL)
    return response.status == 200 and h1_text(response).startswith(start)


@pytest.fixture
def preview(tmp_path: Path):
    with running_preview(copy_sample(tmp_path)) as running:
        yield running


def test_an_edited_record_is_served_with_its_new_title(preview: Preview):
    assert title_is(preview, ARTICLE_TITLE_START)
    replace_in_file(preview.content / ARTICLE_RECORD, "A made-up toddler", "An edited toddler")
    wait_until(lambda: title_is(preview, "An edited toddler"), "the edited title to be served")
    [line] = wait_until(preview.rebuild_lines, "the rebuild's terminal line")
    assert f"changed content/{ARTICLE_RECORD.as_posix()}: " in line
    assert " files rewritten, " in line and " pages in " in line


def test_an_editors_save_gives_one_rebuild_and_its_temporary_files_none(preview: Preview):
    record = preview.content / ARTICLE_RECORD
    folder = record.parent
    # vim: probe file, swap file, then rename the original away, write anew, delete the backup.
    (folder / "4913").write_text("")
    (folder / "4913").unlink()
    (folder / f".{record.name}.swp").write_bytes(b"\x00swap")
    os.symlink("user@host.1234", folder / f".#{record.name}")  # Emacs lock: a dangling symlink
    (folder / f"#{record.name}#").write_text("auto-save")
    (folder / f"{record.name}~").write_text("backup")
    backup = folder / f"{record.name}.orig~"
    text = record.read_text(encoding="utf-8")
    record.rename(backup)
    record.write_text(text.replace("A made-up toddler", "A vim-saved toddler"), encoding="utf-8")
    backup.unlink()
    wait_until(lambda: title_is(preview, "A vim-saved toddler"), "the saved title to be served")
    # A second, separate save: any stray rebuild from the first would be reported before it.
    replace_in_file(record, "A vim-saved toddler", "A twice-saved toddler")
    wait_until(lambda: title_is(preview, "A twice-saved toddler"), "the second save to be served")
    lines = wait_until(lambda: len(preview.rebuild_lines()) >= 2 and preview.rebuild_lines(), "two rebuild lines")
    assert len(lines) == 2, lines
    for line in lines:
        assert f"changed content/{ARTICLE_RECORD.as_posix()}: " in line, line


def test_a_deleted_record_disappears_with_its_page_and_from_the_indexes(preview: Preview):
    indexes = ("", "doi/", "issues/12/2/", "authors/", "keywords/azacitidine/")

    def indexes_linking_to_article() -> list[str]:
        return [
            index
            for index in indexes
            if any(a["href"].endswith(ARTICLE_URL) for a in preview.page(index).soup().select("a[href]"))
        ]

    assert indexes_linking_to_article() == ["doi/", "issues/12/2/", "keywords/azacitidine/"]
    (preview.content / ARTICLE_RECORD).unlink()
    # The rebuild's line is printed once its files are all in place: the page is removed before
    # the new indexes are moved in (a file removed may stand where a new folder goes), so
    # between the two an index may still link to it.
    [line] = wait_until(preview.rebuild_lines, "the rebuild's terminal line")
    assert line.split(" ", 1)[1].startswith(f"deleted content/{ARTICLE_RECORD.as_posix()}: ")
    assert preview.page(ARTICLE_URL).status == 404
    assert h1_text(preview.page(ARTICLE_URL)) == "Page not found"
    assert indexes_linking_to_article() == []
    assert preview.page("keywords/ptpn11/").status == 404, "a keyword only this article had"


def test_a_renamed_record_keeps_its_page(preview: Preview):
    record = preview.content / ARTICLE_RECORD
    renamed = record.with_name("jmml-renamed.md")
    record.rename(renamed)
    [line] = wait_until(preview.rebuild_lines, "the rebuild's terminal line")
    assert f"renamed content/{ARTICLE_RECORD.as_posix()} → {renamed.relative_to(preview.content.parent).as_posix()}: " in line
    assert title_is(preview, ARTICLE_TITLE_START)


def test_a_broken_record_keeps_the_last_good_site_and_shows_its_problems_until_fixed(preview: Preview):
    record = preview.content / ARTICLE_RECORD
    with EventStream(preview.origin) as events:
        good = events.next()
        assert good["problems"] == []
        replace_in_file(record, DOI_LINE, 'doi: "10.5555 broken"')
        expected = expected_problems(preview.content)
        failed = events.next_where(lambda message: message["problems"])
        assert failed["problems"] == expected
        assert failed["site"] == good["site"], "the last good site stays published"
        assert title_is(preview, ARTICLE_TITLE_START)
        assert preview.page("doi/").status == 200
        terminal = wait_until(lambda: any("build failed" in line for line in preview.terminal_lines()) and preview.terminal_lines(), "the failure line")
        for problem in expected:
            assert problem in terminal
        assert "still serving the last good site" in terminal[-1]

        fixed = record.read_text(encoding="utf-8").replace('doi: "10.5555 broken"', DOI_LINE)
        record.write_text(fixed.replace("A made-up toddler", "A fixed toddler"), encoding="utf-8")
        recovered = events.next_where(lambda message: message["problems"] == [])
        assert recovered["site"] != good["site"]
    assert title_is(preview, "A fixed toddler")


def test_a_failed_first_build_shows_the_problems_in_the_browser_then_the_site_when_fixed(tmp_path: Path):
    content = copy_sample(tmp_path)
    replace_in_file(content / ARTICLE_RECORD, DOI_LINE, "doi: 12")
    expected = expected_problems(content)
    with running_preview(content) as preview:
        response = preview.get("/rjpho/articles/anything/")
        assert response.status == 500
        assert response.soup().select_one("pre").get_text() == "\n".join(expected)
        assert response.soup().select_one("script[data-site]") is not None, "it reloads itself once fixed"
        replace_in_file(content / ARTICLE_RECORD, "doi: 12", DOI_LINE)
        wait_until(lambda: title_is(preview, ARTICLE_TITLE_START), "the site once the record is fixed")


def test_a_template_edit_is_rebuilt_and_a_template_error_reported(tmp_path: Path):
    content = copy_sample(tmp_path)
    templates = tmp_path / "templates"
    templates.mkdir()
    article_template = templates / "article.html"
    shutil.copyfile(default_theme_root() / "templates" / "article.html", article_template)
    with running_preview(content) as preview:
        replace_in_file(article_template, '<article class="article"', '<p id="marker">edited</p><article class="article"')
        wait_until(lambda: preview.page(ARTICLE_URL).soup().select_one("#marker"), "the edited template's output")
        with EventStream(preview.origin) as events:
            events.next()
            replace_in_file(article_template, '<p id="marker">edited</p>', "{% if %}")
            [problem] = events.next_where(lambda message: message["problems"])["problems"]
            assert problem.startswith("templates/article.html:") and "template error" in problem
            assert preview.page(ARTICLE_URL).soup().select_one("#marker"), "the last good site is still served"


def test_a_theme_directory_created_while_serving_is_used_and_watched(preview: Preview):
    templates = preview.content.parent / "templates"
    templates.mkdir()
    article_template = templates / "article.html"
    text = (default_theme_root() / "templates" / "article.html").read_text(encoding="utf-8")
    article_template.write_text(text.replace('<article class="article"', '<p id="marker">one</p><article class="article"'), encoding="utf-8")
    wait_until(lambda: preview.page(ARTICLE_URL).soup().select_one("#marker"), "the new templates/ to be used")
    replace_in_file(article_template, '<p id="marker">one</p>', '<p id="marker">two</p>')
    wait_until(lambda: preview.page(ARTICLE_URL).soup().select_one("#marker").get_text() == "two", "an edit inside the new templates/")


@pytest.mark.parametrize("how", ["deleted and made again", "replaced by a renamed copy"])
def test_a_content_folder_made_anew_is_watched_again(preview: Preview, how: str):
    """A watch follows a folder, not its name: the content folder deleted and copied back, or a
    copy renamed into its place (as a script might), was never watched again."""
    content = preview.content
    copy = content.parent / "content.new"
    shutil.copytree(content, copy)
    replace_in_file(copy / ARTICLE_RECORD, "A made-up toddler", "A copied toddler")
    if how == "deleted and made again":
        shutil.rmtree(content)
        wait_until(lambda: any("build failed" in line for line in preview.terminal_lines()), "the build without content to fail")
        copy.rename(content)
    else:
        content.rename(content.parent / "content.old")
        copy.rename(content)
    wait_until(lambda: title_is(preview, "A copied toddler"), "the new folder's record to be served")
    replace_in_file(content / ARTICLE_RECORD, "A copied toddler", "An edited copied toddler")
    wait_until(lambda: title_is(preview, "An edited copied toddler"), "an edit inside the new folder to be served")


def test_a_stylesheet_edit_is_announced_as_style_only_and_a_record_edit_is_not(tmp_path: Path):
    content = copy_sample(tmp_path)
    static = tmp_path / "static"
    static.mkdir()
    stylesheet = static / "caseshelf.css"
    shutil.copyfile(default_theme_root() / "static" / "caseshelf.css", stylesheet)
    with running_preview(content) as preview, EventStream(preview.origin) as events:
        first = events.next()
        with stylesheet.open("a", encoding="utf-8") as css:
            css.write("\n/* edited */ body { outline: 1px solid red; }\n")
        styled = events.next_where(lambda message: message["site"] != first["site"])
        assert styled["css_only_from"] == first["site"]
        assert b"/* edited */" in preview.page("static/caseshelf.css").body
        replace_in_file(content / ARTICLE_RECORD, "A made-up toddler", "A restyled toddler")
        assert events.next_where(lambda message: message["site"] != styled["site"])["css_only_from"] is None


def test_the_users_built_site_is_never_changed_by_the_preview(tmp_path: Path):
    """The preview starts from hard links to `_site/` (so the cache can reuse its files): editing
    under the preview must leave every byte of `_site/` as it was."""
    content = copy_sample(tmp_path)
    built = content.parent / "_site"
    build(BuildOptions(source=content, output=built, search=False))
    before = {path: path.read_bytes() for path in built.rglob("*") if path.is_file()}
    with running_preview(content) as preview:
        assert preview.session.preview.state.root != built
        replace_in_file(content / ARTICLE_RECORD, "A made-up toddler", "A previewed toddler")
        wait_until(lambda: title_is(preview, "A previewed toddler"), "the edited title to be served")
    after = {path: path.read_bytes() for path in built.rglob("*") if path.is_file()}
    assert after == before
    assert not list(tmp_path.glob(".caseshelf-preview-*")), "the preview's builds are removed when it stops"


def test_a_machine_error_during_a_build_is_one_plain_line_not_a_bug_report(tmp_path: Path):
    # The preview's workspace is a file here, as if it had been deleted and something else put
    # in its place: the build's first write fails as on a full disk. That is reported plainly
    # (the error and the path), without a traceback or "please report it".
    from caseshelf.serve.preview import Failed
    from caseshelf.serve.preview import Preview as PreviewBuilds

    workspace = tmp_path / "workspace"
    workspace.write_text("not a folder")
    builds = PreviewBuilds(BuildOptions(source=copy_sample(tmp_path), jobs=1), workspace)
    outcome = builds.rebuild()
    assert isinstance(outcome, Failed) and outcome.crash is None
    assert [str(problem) for problem in outcome.problems] == [f"caseshelf: could not build: Not a directory: {workspace}"]
    assert builds.state.problems == (str(outcome.problems[0]),)


def test_a_warning_an_edit_brings_is_shown_once_not_on_every_save(preview: Preview):
    """Rebuilds said nothing of warnings: an ORCID iD pasted into the wrong author block while
    previewing was never told. Told once: the same warning on every save would be noise."""
    def warnings() -> list[str]:
        return [line for line in preview.terminal_lines() if line.startswith("Warning: the ORCID iD")]

    assert warnings() == []
    record = preview.content / ARTICLE_RECORD
    replace_in_file(record, 'orcid: "0000-0003-9627-1405"', 'orcid: "0000-0002-1825-0097"')  # José Núñez's
    wait_until(lambda: len(preview.rebuild_lines()) == 1, "the rebuild's terminal line")
    [warning] = warnings()
    assert "Tomasz Wiśniewski (articles/2025/12-2/fictional-jmml-ptpn11.md)" in warning
    replace_in_file(record, "A made-up toddler", "An edited toddler")
    wait_until(lambda: title_is(preview, "An edited toddler"), "the edited title to be served")
    wait_until(lambda: len(preview.rebuild_lines()) == 2, "the second rebuild's terminal line")
    assert warnings() == [warning]
