"""Bad input: one folder per case under tests/invalid/<case>/ (content/ and expected.txt).

Each case is built through the command line over a previously good output directory. The run
must print exactly the lines of expected.txt (`path:line: field: message`, all problems of the
run together), exit 1 without a traceback, and leave the old output byte for byte as it was.
To add a case: make the folder, run `python -m caseshelf check --source tests/invalid/<case>/content`,
review every line, and save them as expected.txt.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from caseshelf.cli import main
from caseshelf.pipeline import BuildOptions, build
from conftest import REPO, SAMPLE_CONTENT, problem_lines, write_files

INVALID = Path(__file__).resolve().parent / "invalid"
CASES = sorted(path.name for path in INVALID.iterdir() if (path / "expected.txt").is_file())
SUMMARY = "{count} problem(s) found; nothing was written."


def expected_lines(case: str) -> list[str]:
    return (INVALID / case / "expected.txt").read_text(encoding="utf-8").splitlines()


def digest_tree(root: Path) -> dict[str, str]:
    """Every file under root (hidden ones too) with the hash of its bytes."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def good_output(tmp_path_factory) -> Path:
    """A small site built from good records: what a failed build must leave alone."""
    root = tmp_path_factory.mktemp("good")
    write_files(
        root,
        {
            "content/journal.yaml": "title: Journal of Invented Cases\nbase_url: https://example.org/jic/\n",
            "content/articles/a.md": "---\ntitle: A good record\ndoi: 10.5555/jic.good\nyear: 2025\nauthors:\n  - name: A. Author\n---\nText.\n",
        },
    )
    build(BuildOptions(source=root / "content", output=root / "_site", search=False))
    return root / "_site"


@pytest.fixture
def previous_site(good_output, tmp_path) -> Path:
    output = tmp_path / "out" / "_site"
    shutil.copytree(good_output, output)
    return output


def test_every_case_folder_has_content_and_expected_lines():
    folders = sorted(path.name for path in INVALID.iterdir() if path.is_dir())
    assert folders == CASES and len(CASES) >= 18
    for case in CASES:
        assert (INVALID / case / "content" / "journal.yaml").is_file(), case
        assert expected_lines(case), case


@pytest.mark.parametrize("case", CASES)
def test_case_reports_exactly_its_problems_and_leaves_the_old_site(case, previous_site, capsys):
    before = digest_tree(previous_site.parent)
    code = main(["build", "--source", str(INVALID / case / "content"), "--output", str(previous_site), "--no-search"])
    captured = capsys.readouterr()
    expected = expected_lines(case)
    assert problem_lines(captured.err) == [*expected, SUMMARY.format(count=len(expected))]
    assert code == 1
    assert captured.out == ""
    assert digest_tree(previous_site.parent) == before  # nothing added, removed or changed, staging included


@pytest.mark.parametrize("case", ["several-broken-files", "duplicate-doi", "unusable-journal-style"])
def test_check_reports_the_same_problems(case, tmp_path, capsys):
    code = main(["check", "--source", str(INVALID / case / "content"), "--output", str(tmp_path / "_site")])
    assert code == 1
    assert problem_lines(capsys.readouterr().err)[:-1] == expected_lines(case)
    assert not (tmp_path / "_site").exists()


def test_several_broken_files_are_all_reported_in_one_run():
    """One run names every broken file (and journal.yaml), not only the first."""
    files = {line.split(":")[0] for line in expected_lines("several-broken-files")}
    assert files == {
        "articles/2024/11-1/bad-orcid.md",
        "articles/2024/11-2/no-front-matter.md",
        "articles/2025/12-1/typo.yaml",
        "articles/2025/12-1/empty.md",
        "articles/2025/12-2/pages.md",
        "journal.yaml",
    }


# --- through a real process ---------------------------------------------------------------------

REAL_CLI_CASES = ["several-broken-files", "non-utf8", "alias-bomb", "yaml-syntax-error", "unusable-journal-style"]


def cli_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "caseshelf", *args]


@pytest.fixture(scope="module")
def real_runs(good_output, tmp_path_factory) -> dict[str, tuple[int, str, dict[str, str], dict[str, str]]]:
    """Each case built by `python -m caseshelf` over a copy of the good site, all processes at
    once (each pays the interpreter's start-up): case -> (exit code, stderr, before, after)."""
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    started = {}
    for case in REAL_CLI_CASES:
        output = tmp_path_factory.mktemp(case) / "_site"
        shutil.copytree(good_output, output)
        before = digest_tree(output.parent)
        command = cli_command("build", "--source", str(INVALID / case / "content"), "--output", str(output), "--no-search")
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        started[case] = (process, output, before)
    runs = {}
    for case, (process, output, before) in started.items():
        _, stderr = process.communicate(timeout=120)
        runs[case] = (process.returncode, stderr, before, digest_tree(output.parent))
    return runs


@pytest.mark.parametrize("case", REAL_CLI_CASES)
def test_real_cli_exits_1_without_traceback_and_leaves_the_old_site(case, real_runs):
    code, stderr, before, after = real_runs[case]
    expected = expected_lines(case)
    assert code == 1, stderr
    assert "Traceback" not in stderr
    assert problem_lines(stderr) == [*expected, SUMMARY.format(count=len(expected))]
    assert after == before


def test_a_failed_build_of_a_large_site_leaves_no_process_behind(good_output, tmp_path):
    """A child process lists the output while the build reads the records. When a record
    fails, nobody wants that listing, and the child must end with the build: one left waiting
    to hand a listing larger than the pipe's buffer to a parent that had gone held the
    terminal's (or the CI step's) output open for ever, so this run would not end."""
    output = tmp_path / "_site"
    shutil.copytree(good_output, output)
    (output / "extra").mkdir()
    for number in range(3000):  # a listing of some 200 KB: more than a pipe holds
        (output / "extra" / f"a-page-with-a-name-of-some-length-{number:05}.html").write_text("x")
    command = cli_command("build", "--source", str(INVALID / "yaml-syntax-error" / "content"), "--output", str(output), "--no-search")
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "YAML syntax error" in result.stderr


def test_real_cli_reports_a_missing_source_directory(tmp_path):
    result = subprocess.run(
        cli_command("build", "--source", str(tmp_path / "nowhere"), "--output", str(tmp_path / "_site")),
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert problem_lines(result.stderr)[0].startswith("journal.yaml: not found in ")
    assert not (tmp_path / "_site").exists()


def test_a_command_typed_in_another_folder_says_where_to_run_it(tmp_path):
    """A new terminal opens in the home folder, which has no content/: the problem says so and
    how to go on, rather than only that journal.yaml is missing."""
    result = subprocess.run(cli_command("build"), cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert problem_lines(result.stderr)[0] == (
        f"journal.yaml: not found in {tmp_path / 'content'}: there is no such folder. Run the command in your "
        "journal's folder (the one that holds content/), or name the content folder with --source DIR"
    )
    assert not (tmp_path / "_site").exists()


def test_real_cli_reports_an_output_folder_it_cannot_write_in_one_line(tmp_path):
    # A file where the output's parent folder should be: the build's first write fails (as on a
    # full disk), and the machine's error is said plainly, with the path, not as a traceback.
    (tmp_path / "a-file").write_text("not a folder")
    result = subprocess.run(
        cli_command("build", "--source", str(SAMPLE_CONTENT), "--output", str(tmp_path / "a-file" / "_site"), "--no-search"),
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1] == f"Error: Not a directory: {tmp_path / 'a-file'}"
    assert (tmp_path / "a-file").read_text() == "not a folder"


def test_real_cli_reports_a_named_pipe_among_the_records_instead_of_waiting_on_it(tmp_path):
    # Opening a named pipe waits for a writer: the build would hang with no word of why.
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    os.mkfifo(content / "articles" / "waiting.md")
    result = subprocess.run(
        cli_command("build", "--source", str(content), "--output", str(tmp_path / "_site"), "--no-search"),
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 1
    assert problem_lines(result.stderr) == [
        "articles/waiting.md: cannot read the file: it is not a regular file (a named pipe, socket or device)",
        SUMMARY.format(count=1),
    ]
    assert not (tmp_path / "_site").exists()


def test_real_cli_reports_a_record_whose_file_name_is_not_utf8(tmp_path):
    # Linux file names are bytes; one that decodes to no text cannot name a page or a cache entry.
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    record = next((content / "articles").rglob("*.md"))
    os.rename(record, os.path.join(os.fsencode(record.parent), b"case-\xff.md"))
    result = subprocess.run(
        cli_command("build", "--source", str(content), "--output", str(tmp_path / "_site"), "--no-search"),
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    folder = record.parent.relative_to(content).as_posix()
    assert problem_lines(result.stderr) == [f"{folder}/case-\\xff.md: the file name is not UTF-8 text: rename it", SUMMARY.format(count=1)]
    assert not (tmp_path / "_site").exists()


_KEYWORDS_RUN_TOGETHER = """---
title: Keywords pasted from a journal platform
doi: 10.5555/jic.pasted
year: 2025
authors:
  - name: A. Author
keywords: [leukemia; infant, "sodium; chloride", KMT2A]
---
Text.
"""
_KEYWORDS_RUN_TOGETHER_IN_CJK = """title: 日本語のキーワード
doi: 10.5555/jic.cjk
year: 2025
authors:
  - name: A. Author
keywords:
  - KMT2A
  - 白血病、乳児
  - 白血病，乳児；MLL
"""
_KEYWORD_WITHOUT_A_LIST = "---\ntitle: One keyword\ndoi: 10.5555/jic.one\nyear: 2025\nauthors:\n  - name: A. Author\nkeywords: leukemia; infant\n---\nText.\n"
_KEYWORD_WARNINGS = [
    "Warning: articles/cjk.yaml:8: keywords[2]: '白血病、乳児' looks like two keywords; write them as [白血病, 乳児], or in quotes if it is one",
    "Warning: articles/cjk.yaml:9: keywords[3]: '白血病，乳児；MLL' looks like two keywords; write them as [白血病, 乳児, MLL], or in quotes if it is one",
    "Warning: articles/one.md:7: keywords: 'leukemia; infant' looks like two keywords; write them as [leukemia, infant], or in quotes if it is one",
    "Warning: articles/pasted.md:7: keywords[1]: 'leukemia; infant' looks like two keywords; write them as [leukemia, infant], or in quotes if it is one",
]


def test_a_keyword_that_looks_like_two_is_warned_about_by_check_and_every_build(tmp_path):
    """`[leukemia; infant]` makes one keyword page "leukemia; infant": a warning names the
    file, line and item, but the site is built (a chemical name may hold a semicolon; one in
    quotes is meant). Every build says it, the records read from the build cache too."""
    content = tmp_path / "content"
    write_files(tmp_path, {
        "content/journal.yaml": "title: Journal of Invented Cases\nbase_url: https://example.org/jic/\n",
        "content/articles/pasted.md": _KEYWORDS_RUN_TOGETHER,
        "content/articles/cjk.yaml": _KEYWORDS_RUN_TOGETHER_IN_CJK,
        "content/articles/one.md": _KEYWORD_WITHOUT_A_LIST,
    })  # fmt: skip
    an_hour_ago = os.stat(content / "journal.yaml").st_mtime - 3600  # settled: the next build takes them from the cache
    for record in (content / "articles").iterdir():
        os.utime(record, (an_hour_ago, an_hour_ago))

    def run(*command: str) -> list[str]:
        result = subprocess.run(cli_command(*command, "--source", str(content)), cwd=REPO, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        return [line for line in result.stderr.splitlines() if line.startswith("Warning")]

    build_command = ("build", "--output", str(tmp_path / "_site"), "--no-search", "--quiet")
    assert run("check") == _KEYWORD_WARNINGS
    assert run(*build_command) == _KEYWORD_WARNINGS
    assert (tmp_path / "_site/keywords/leukemia-infant/index.html").is_file()  # built, as written
    (content / "articles/new.md").write_text(_KEYWORD_WITHOUT_A_LIST.replace("jic.one", "jic.new").replace("leukemia; infant", "KMT2A"), encoding="utf-8")
    os.utime(content / "articles/pasted.md", (an_hour_ago + 60, an_hour_ago + 60))  # touched, not changed
    assert run(*build_command) == _KEYWORD_WARNINGS  # from the cache: pasted.md's bytes are unchanged, the others' time too


@pytest.mark.parametrize("where", ["title", "abstract"])
def test_markup_nested_hundreds_deep_is_a_problem_not_a_recursion_error(tmp_path, where):
    # Titles and abstracts become nested elements in the exports, made by recursion: a thousand
    # asterisks around a word went past Python's limit. Built over a good site with its cache,
    # so that the record's earlier exports are known.
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, content)
    command = cli_command("build", "--source", str(content), "--output", str(tmp_path / "_site"), "--no-search", "--quiet")
    assert subprocess.run(command, cwd=REPO, capture_output=True, timeout=120).returncode == 0
    before = digest_tree(tmp_path / "_site")
    record = sorted((content / "articles").rglob("*.md"))[0]
    nested = "*" * 1000 + "x" + "*" * 1000
    text = record.read_text(encoding="utf-8")
    if where == "title":
        text = re.sub(r"^title: .*$", f'title: "{nested}"', text, count=1, flags=re.MULTILINE)
    else:
        text = text.rstrip("\n") + f"\n\n{nested}\n"
    record.write_text(text, encoding="utf-8")
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    source = record.relative_to(content).as_posix()
    assert problem_lines(result.stderr) == [
        f"{source}: title, abstract: emphasis or other markup nested hundreds of levels deep, more than the exports can hold: simplify it",
        SUMMARY.format(count=1),
    ]
    assert digest_tree(tmp_path / "_site") == before


#: A journal of one record, to build with templates of its own.
_ONE_RECORD = {
        "content/journal.yaml": "title: Journal of Invented Cases\nbase_url: https://example.org/jic/\n",
        "content/articles/a.md": "---\ntitle: A record\ndoi: 10.5555/jic.1\nyear: 2025\nauthors:\n  - name: A. Author\n---\nText.\n",
}  # fmt: skip


def _line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


def test_a_misspelt_name_in_an_overriding_template_names_its_file_and_line(tmp_path, capsys):
    """A name the page does not have is found only while rendering, where Jinja's error gives
    no file or line ('article.html: ... has no attribute'): the problem names both."""
    default = (REPO / "templates" / "article.html").read_text(encoding="utf-8")
    assert "{{ page.title_html }}" in default
    line = _line_of(default, "{{ page.title_html }}")
    write_files(tmp_path, {
        **_ONE_RECORD,
        "templates/article.html": default.replace("{{ page.title_html }}", "{{ page.titel_html }}"),
    })  # fmt: skip
    code = main(["build", "--source", str(tmp_path / "content"), "--output", str(tmp_path / "_site"), "--no-search", "-q"])
    assert code == 1
    assert problem_lines(capsys.readouterr().err) == [
        f"templates/article.html:{line}: template error in your override of the default theme's article.html: "
        "'caseshelf.views.ArticlePage object' has no attribute 'titel_html' (the names each page's template can use "
        "are listed in caseshelf/views.py)",
        SUMMARY.format(count=1),
    ]
    assert not (tmp_path / "_site").exists()


#: Broken in place of `{{ page.title_html }}` in an override of article.html: the error, as told.
_BROKEN_TEMPLATES = {
    "syntax": ("{{ page.title_html | }}", "expected token 'name', got 'end of print statement'"),
    "undefined": (
        "{{ page.nope.deeper }}",
        "'caseshelf.views.ArticlePage object' has no attribute 'nope' (the names each page's template can use are "
        "listed in caseshelf/views.py)",
    ),
    "raising filter": ('{{ "%d"|format(page.title_text) }}', "TypeError: %d format: a real number is required, not str"),
}  # fmt: skip


@pytest.mark.parametrize("broken", sorted(_BROKEN_TEMPLATES))
def test_an_error_in_an_overriding_template_names_the_override_its_line_and_leaves_the_site(tmp_path, capsys, broken):
    """Both the default theme and the site's override are a `templates/article.html`: the
    problem says which one failed, and only the site's own is the editor's to fix."""
    default = (REPO / "templates" / "article.html").read_text(encoding="utf-8")
    line = _line_of(default, "{{ page.title_html }}")
    write_files(tmp_path, _ONE_RECORD)
    command = ["build", "--source", str(tmp_path / "content"), "--output", str(tmp_path / "_site"), "--no-search", "-q"]
    assert main(command) == 0
    before = digest_tree(tmp_path / "_site")
    capsys.readouterr()
    written, message = _BROKEN_TEMPLATES[broken]
    write_files(tmp_path, {"templates/article.html": default.replace("{{ page.title_html }}", written)})
    assert main(command) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert problem_lines(err) == [
        f"templates/article.html:{line}: template error in your override of the default theme's article.html: {message}",
        SUMMARY.format(count=1),
    ]
    assert digest_tree(tmp_path / "_site") == before


def test_an_error_in_a_default_template_says_so_and_which_own_template_reached_it(tmp_path, capsys):
    """An override of home.html that includes the default article_list.html without giving it
    its `articles`: the default file failed, because of a line of the site's own."""
    default_home = (REPO / "templates" / "home.html").read_text(encoding="utf-8")
    given = '{% with articles = page.recent %}{% include "article_list.html" %}{% endwith %}'
    list_line = _line_of((REPO / "templates" / "article_list.html").read_text(encoding="utf-8"), "{% for article in articles %}")
    write_files(tmp_path, {
        **_ONE_RECORD,
        "templates/home.html": default_home.replace(given, '{% include "article_list.html" %}'),
    })  # fmt: skip
    code = main(["build", "--source", str(tmp_path / "content"), "--output", str(tmp_path / "_site"), "--no-search", "-q"])
    assert code == 1
    assert problem_lines(capsys.readouterr().err) == [
        f"the default theme's templates/article_list.html:{list_line}: template error (reached from your "
        f"templates/home.html:{_line_of(default_home, given)}): 'articles' is undefined (the names each page's template "
        "can use are listed in caseshelf/views.py)",
        SUMMARY.format(count=1),
    ]
    assert not (tmp_path / "_site").exists()
