"""The command line: `python build.py` (= build), `check`, `clean`, `--quiet`, `--verbose`,
`--base-url`, the summary line, `python -m caseshelf --version` and the `caseshelf` script."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from caseshelf import __version__
from caseshelf.cli import main
from caseshelf.freshness import NOTHING_CHANGED
from caseshelf.site_size import size_text, size_warning
from caseshelf.write import MARKER
from conftest import REPO, problem_lines, write_files

JOURNAL = "title: Journal of Invented Cases\nbase_url: https://example.org/jic/\n"
ARTICLE = "---\ntitle: An invented case\ndoi: 10.5555/jic.1\nyear: 2025\nvolume: 1\nissue: 1\npages: 1-9\nauthors:\n  - name: A. Author\n---\nText.\n"
SUMMARY = re.compile(r"^Built (?P<pages>\d+) pages \((?P<files>\d+) files, (?P<size>\d+ kB|\d+ MB|\d\.\d\d GB)\) into (?P<output>.+) in \d+\.\d\d s$")


def digest_tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}


def make_project(root: Path) -> Path:
    write_files(root, {"content/journal.yaml": JOURNAL, "content/articles/a.md": ARTICLE})
    return root


def console_script() -> str | None:
    beside_python = Path(sys.executable).parent / "caseshelf"
    return str(beside_python) if beside_python.is_file() else shutil.which("caseshelf")


@pytest.fixture(scope="module")
def processes(tmp_path_factory) -> dict[str, subprocess.CompletedProcess[str] | Path]:
    """The real entry points, started together (each pays the interpreter's start-up once):
    `python build.py` run with no arguments in a project, `python -m caseshelf --version`,
    and the console script."""
    project = make_project(tmp_path_factory.mktemp("project"))
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    commands = {
        "build.py": ([sys.executable, str(REPO / "build.py"), "--no-search"], project),
        "module": ([sys.executable, "-m", "caseshelf", "--version"], REPO),
    }
    script = console_script()
    if script:
        commands["script"] = ([script, "--version"], REPO)
    started = {
        name: subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for name, (command, cwd) in commands.items()
    }
    results: dict[str, subprocess.CompletedProcess[str] | Path] = {"project": project}
    for name, process in started.items():
        out, err = process.communicate(timeout=120)
        results[name] = subprocess.CompletedProcess(process.args, process.returncode, out, err)
    return results


def test_python_build_py_without_arguments_builds_content_into_site(processes, tmp_path):
    result, project = processes["build.py"], processes["project"]
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    match = SUMMARY.match(result.stdout.strip().splitlines()[-1])
    assert match and match["output"] == "_site"
    site = project / "_site"
    assert (site / "articles/jic-1/index.html").is_file()
    # ... and it is the same site as `build` spelled out.
    assert main(["build", "--source", str(project / "content"), "--output", str(tmp_path / "_site"), "--no-search", "-q"]) == 0
    first, second = digest_tree(site), digest_tree(tmp_path / "_site")
    assert first.keys() == second.keys()
    # Only the Crossref deposit's timestamp and the marker's build id may differ.
    assert [name for name in first if first[name] != second[name] and not name.startswith("crossref/") and name != ".caseshelf-output"] == []


def test_python_m_caseshelf_version(processes):
    result = processes["module"]
    assert result.returncode == 0
    assert result.stdout.strip() == f"caseshelf {__version__}"


def test_console_script_version(processes):
    if "script" not in processes:
        pytest.skip("the caseshelf console script is not installed (pip install -e .)")
    result = processes["script"]
    assert (result.returncode, result.stdout.strip()) == (0, f"caseshelf {__version__}")


def test_a_journal_of_one_article_is_counted_in_the_singular(tmp_path, capsys):
    project = make_project(tmp_path)
    assert main(["build", "--source", str(project / "content"), "--output", str(tmp_path / "out")]) == 0
    told = capsys.readouterr().err.splitlines()
    assert "1 article, 1 author" in told
    assert [line.partition(" in ")[0] for line in told if line.startswith("Search index:")] == ["Search index: 1 page indexed"]


def _record(number: int, *authors: tuple[str, str]) -> str:
    byline = "".join(f"  - name: {name}\n    orcid: {orcid}\n" for name, orcid in authors)
    return f"---\ntitle: Case {number}\ndoi: 10.5555/jic.{number}\nyear: 2025\nauthors:\n{byline}---\nText.\n"


@pytest.mark.parametrize("command", [["build", "-q"], ["check"]])
def test_an_orcid_id_given_to_two_family_names_is_warned_about(tmp_path, capsys, command):
    """The iD makes one person of both: an iD pasted into the wrong author block, or the
    example record's kept, merged two people on one author page without a word."""
    write_files(tmp_path, {
        "content/journal.yaml": JOURNAL,
        "content/articles/a.md": _record(1, ("José Núñez", "0000-0002-1825-0097")),
        "content/articles/b.md": _record(2, ("E. B. Machneva", "0000-0002-1825-0097")),
        # One family name however it is spelled: no warning for these.
        "content/articles/c.md": _record(3, ("J. NUNEZ", "0000-0002-1825-0097"), ("Ю. А. Смирнова", "0000-0001-5109-3700")),
        "content/articles/d.md": _record(4, ("Iu. A. Smirnova", "0000-0001-5109-3700")),
    })  # fmt: skip
    assert main([*command, "--source", str(tmp_path / "content"), "--output", str(tmp_path / "_site")]) == 0
    warnings = [line for line in capsys.readouterr().err.splitlines() if line.startswith("Warning")]
    assert warnings == [
        "Warning: the ORCID iD 0000-0002-1825-0097 is given to José Núñez (articles/a.md), E. B. Machneva "
        "(articles/b.md): they are shown as one person. Correct the iD where it is not theirs"
    ]


@pytest.mark.parametrize("one, other", [
    ("María García-López", "María García López"),  # a double family name, with or without its hyphen
    ("María García López", "M. García"),  # ... shortened to its first name
    ("Wang Wei", "Wei Wang"),  # eastern order written the other way round: the split family name swaps
    # Romanisations of one Russian name (see identity.romanisation_skeleton), and the name in Cyrillic
    ("O. Shchukina", "O. Schukina"),  # Щ
    ("О. Щукина", "O. Schukina"),
    ("О. Щукина", "O. Shchukina"),
    ("A. Iakovleva", "A. Yakovleva"),  # Я
    ("M. Kharitonova", "M. Haritonova"),  # Х
    ("V. Tsoi", "V. Tsoy"),  # Ц, Й
    ("G. Zhukov", "G. Jukov"),  # Ж
    ("P. Alekseev", "P. Alexeev"),  # Кс
    ("A. Zhukovskii", "A. Zhukovsky"),  # -ий (Iurii, Yury)
    ("A. Zhukovskiy", "A. Jukovskii"),
    ("I. Fyodorov", "И. Фёдоров"),  # Ё
    ("N. Yermakova", "N. Ermakova"),  # Е
])
def test_an_orcid_id_given_to_spellings_of_one_name_is_not_warned_about(tmp_path, capsys, one, other):
    assert _orcid_warnings_for(tmp_path, capsys, one, other) == []


@pytest.mark.parametrize("one, other", [
    ("José Núñez", "E. B. Machneva"),
    ("John Smith", "Mary Jones"),
    ("A. Ivanova", "A. Petrova"),
    ("A. Ivanova", "А. Петрова"),
    ("Ye Lin", "E. B. Machneva"),  # the family name Ye is not Machneva's initial E.
])
def test_an_orcid_id_given_to_different_names_is_warned_about_however_they_are_romanised(tmp_path, capsys, one, other):
    assert _orcid_warnings_for(tmp_path, capsys, one, other) == [
        f"Warning: the ORCID iD 0000-0002-1825-0097 is given to {one} (articles/a.md), {other} (articles/b.md): "
        "they are shown as one person. Correct the iD where it is not theirs"
    ]


def _orcid_warnings_for(tmp_path: Path, capsys: pytest.CaptureFixture[str], one: str, other: str) -> list[str]:
    """The warnings `check` prints when two records give one ORCID iD to the names `one` and `other`."""
    orcid = "0000-0002-1825-0097"
    write_files(tmp_path, {
        "content/journal.yaml": JOURNAL,
        "content/articles/a.md": _record(1, (one, orcid)),
        "content/articles/b.md": _record(2, (other, orcid)),
    })  # fmt: skip
    assert main(["check", "--source", str(tmp_path / "content")]) == 0
    return [line for line in capsys.readouterr().err.splitlines() if line.startswith("Warning")]


ORCID = "0000-0002-1825-0097"
KEYWORDS_RUN_TOGETHER = ("keywords: [leukemia; infant, MLL]\n", "keywords: [leukemia, infant, MLL]\n")
"""A keyword line the build warns about, and the same line fixed."""
KEYWORD_WARNING = (
    "Warning: articles/a.md:5: keywords[1]: 'leukemia; infant' looks like two keywords; "
    "write them as [leukemia, infant], or in quotes if it is one"
)
ORCID_WARNING = (
    f"Warning: the ORCID iD {ORCID} is given to José Núñez (articles/a.md), E. B. Machneva (articles/b.md): "
    "they are shown as one person. Correct the iD where it is not theirs"
)


def _write_record_with_keywords(root: Path, keywords: str) -> None:
    """articles/a.md, with `keywords` on its line 5; settled, like every file of the project."""
    record = _record(1, ("José Núñez", ORCID)).replace("year: 2025\n", f"year: 2025\n{keywords}")
    write_files(root, {"content/articles/a.md": record})
    _settle(root)


def _settle(root: Path) -> None:
    """Every file below `root` dated an hour ago: the next build that finds them unchanged finds
    nothing changed (a file saved in the last seconds is read again: cache.SETTLED_SECONDS)."""
    an_hour_ago = time.time() - 3600
    for path in root.rglob("*"):
        os.utime(path, (an_hour_ago, an_hour_ago))


def _warnings_of_a_build(project: Path, capsys: pytest.CaptureFixture[str], *options: str) -> tuple[list[str], str]:
    """The warning lines `build` printed into project/_site, and all it printed."""
    assert main(["build", "--source", str(project / "content"), "--output", str(project / "_site"), *options]) == 0
    captured = capsys.readouterr()
    return [line for line in captured.err.splitlines() if line.startswith("Warning")], captured.out + captured.err


@pytest.mark.parametrize("options", [["--no-search"], ["-q"]])
def test_a_build_that_finds_nothing_changed_says_the_warnings_of_the_last_build(tmp_path, capsys, options):
    """The records that made the warnings are unchanged, and so are the warnings: an editor
    building again sees them in the words and order of the build that found them."""
    write_files(tmp_path, {"content/journal.yaml": JOURNAL, "content/articles/b.md": _record(2, ("E. B. Machneva", ORCID))})
    _write_record_with_keywords(tmp_path, KEYWORDS_RUN_TOGETHER[0])
    assert _warnings_of_a_build(tmp_path, capsys, *options)[0] == [KEYWORD_WARNING, ORCID_WARNING]
    marker = (tmp_path / "_site" / MARKER).read_text()
    assert _warnings_of_a_build(tmp_path, capsys, *options)[0] == [KEYWORD_WARNING, ORCID_WARNING]
    assert (tmp_path / "_site" / MARKER).read_text() == marker  # the build id of the last: nothing was built


def test_a_fixed_keyword_is_warned_about_by_no_build_after_the_fix(tmp_path, capsys):
    """Neither the build that reads the fixed record nor the next one, which finds nothing
    changed, says the warning the build before the fix said."""
    write_files(tmp_path, {"content/journal.yaml": JOURNAL})
    _write_record_with_keywords(tmp_path, KEYWORDS_RUN_TOGETHER[0])
    assert _warnings_of_a_build(tmp_path, capsys, "--no-search")[0] == [KEYWORD_WARNING]
    _write_record_with_keywords(tmp_path, KEYWORDS_RUN_TOGETHER[1])
    warnings, printed = _warnings_of_a_build(tmp_path, capsys, "--no-search")
    assert (warnings, NOTHING_CHANGED in printed) == ([], False)
    warnings, printed = _warnings_of_a_build(tmp_path, capsys, "--no-search")
    assert (warnings, NOTHING_CHANGED in printed) == ([], True)


def test_summary_line_counts_pages_and_files(tmp_path, capsys):
    project = make_project(tmp_path)
    _settle(project)  # so that the second build finds nothing changed
    output = tmp_path / "out"
    assert main(["build", "--source", str(project / "content"), "--output", str(output), "--no-search"]) == 0
    match = SUMMARY.match(capsys.readouterr().out.strip().splitlines()[-1])
    assert match, "no summary line"
    pages, files = int(match["pages"]), int(match["files"])
    html = len(list(output.rglob("*.html")))
    assert html <= pages <= html + 1  # opensearch.xml is rendered from a template and counted as a page
    assert files == len([p for p in output.rglob("*") if p.is_file() and p.name != ".caseshelf-output"])
    assert match["output"] == str(output)
    # The size counts every byte of the output, as GitHub Pages does; the next build says it too.
    size = size_text(sum(p.stat().st_size for p in output.rglob("*") if p.is_file()))
    assert match["size"] == size and size.endswith(" kB")
    assert main(["build", "--source", str(project / "content"), "--output", str(output), "--no-search"]) == 0
    captured = capsys.readouterr()
    assert NOTHING_CHANGED in captured.out + captured.err
    again = SUMMARY.match(captured.out.strip().splitlines()[-1])
    assert again and again.groupdict() == match.groupdict()


def test_options_without_a_command_mean_build(tmp_path, capsys):
    project = make_project(tmp_path)
    assert main(["--source", str(project / "content"), "--output", str(tmp_path / "out"), "--no-search"]) == 0
    assert SUMMARY.match(capsys.readouterr().out.strip())
    assert (tmp_path / "out/index.html").is_file()


def test_quiet_prints_nothing_on_success(tmp_path, capsys):
    project = make_project(tmp_path)
    assert main(["build", "--quiet", "--source", str(project / "content"), "--output", str(tmp_path / "out"), "--no-search"]) == 0
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", "")
    assert (tmp_path / "out/index.html").is_file()


def test_quiet_still_prints_problems(tmp_path, capsys):
    project = make_project(tmp_path)
    (project / "content/articles/a.md").write_text(ARTICLE.replace("pages: 1-9", "pages: 9-1"))
    assert main(["build", "-q", "--source", str(project / "content"), "--output", str(tmp_path / "out"), "--no-search"]) == 1
    assert problem_lines(capsys.readouterr().err) == [
        "articles/a.md:7: pages: '9-1': the last page comes before the first",
        "1 problem(s) found; nothing was written.",
    ]


def test_verbose_prints_the_time_of_each_stage(tmp_path, capsys):
    project = make_project(tmp_path)
    assert main(["build", "--verbose", "--source", str(project / "content"), "--output", str(tmp_path / "out"), "--no-search"]) == 0
    out, err = capsys.readouterr()
    stages = re.findall(r"^\s+(\S+)\s+\d+\.\d\d s$", err, re.MULTILINE)
    assert stages == ["check", "load", "model", "articles", "pages", "write", "cache"], err
    built = int(re.search(r"Built (\d+) pages", out).group(1))
    assert f"  {built} of {built} pages rendered, the others unchanged" in err.splitlines()


def test_check_validates_and_writes_nothing(tmp_path, capsys):
    project = make_project(tmp_path)
    before = digest_tree(project)
    assert main(["check", "--source", str(project / "content"), "--output", str(project / "_site")]) == 0
    assert capsys.readouterr().out.strip() == "OK: journal.yaml and 1 article records are valid"
    assert digest_tree(project) == before
    assert sorted(p.name for p in project.iterdir()) == ["content"]


def test_check_fails_on_bad_records(tmp_path, capsys):
    project = make_project(tmp_path)
    (project / "content/articles/b.md").write_text("no front matter\n")
    assert main(["check", "--source", str(project / "content")]) == 1
    assert problem_lines(capsys.readouterr().err)[0] == (
        "articles/b.md:1: missing front matter: the file must start with a line '---', then the fields, then '---'"
    )


def test_base_url_option_changes_every_link(tmp_path):
    project = make_project(tmp_path)
    output = tmp_path / "out"
    assert main(["build", "-q", "--no-search", "--source", str(project / "content"), "--output", str(output), "--base-url", "https://example.org/sub/path"]) == 0
    html = (output / "articles/jic-1/index.html").read_text()
    assert 'href="/sub/path/authors/a-author/"' in html  # attribute value as written by the template
    assert "/jic/" not in html


def test_bad_base_url_option_is_a_problem_not_a_traceback(tmp_path, capsys):
    project = make_project(tmp_path)
    assert main(["build", "--base-url", "ftp://example.org/", "--source", str(project / "content"), "--output", str(tmp_path / "o")]) == 1
    assert problem_lines(capsys.readouterr().err)[0] == "--base-url: 'ftp://example.org/' is not an http:// or https:// address"
    assert not (tmp_path / "o").exists()


def test_clean_removes_only_what_caseshelf_made(tmp_path, capsys):
    project = make_project(tmp_path)
    output = tmp_path / "out"
    main(["build", "-q", "--no-search", "--source", str(project / "content"), "--output", str(output)])
    assert main(["clean", "--output", str(output)]) == 0
    assert not output.exists()
    mine = tmp_path / "mine"
    write_files(mine, {"keep.txt": "mine"})
    assert main(["clean", "--output", str(mine)]) == 0
    assert (mine / "keep.txt").read_text() == "mine"
    assert "it was not made by caseshelf" in capsys.readouterr().err


def test_clean_leaves_an_output_that_is_a_link_and_what_it_links_to(tmp_path, capsys):
    project = make_project(tmp_path)
    built = tmp_path / "built"
    main(["build", "-q", "--no-search", "--source", str(project / "content"), "--output", str(built)])
    link = tmp_path / "site-link"
    link.symlink_to(built)
    assert main(["clean", "--source", str(project / "content"), "--output", str(link)]) == 0
    assert f"Left {link} alone: it is a link to {built}" in capsys.readouterr().err
    assert link.is_symlink() and (built / "index.html").is_file()


@pytest.mark.parametrize(
    ("word", "said"),
    [("buidl", "unknown command 'buidl' (did you mean 'build'?)"), ("serv", "unknown command 'serv' (did you mean 'serve'?)"),
     ("publish", "unknown command 'publish' (the commands: build, check, check-links, serve, import, clean)")],
)
def test_an_unknown_command_is_named_with_the_closest_one(word, said, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([word])
    assert exit_info.value.code == 2
    assert said in capsys.readouterr().err


def test_unknown_option_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["build", "--frobnicate"])
    assert exit_info.value.code == 2
    assert "unrecognized arguments: --frobnicate" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["build", "--jobs", "0"], "argument -j/--jobs: 0 is out of range: give a number 1 or more"),
        (["build", "-j", "-2"], "argument -j/--jobs: -2 is out of range: give a number 1 or more"),
        (["check-links", "-j", "two"], "argument -j/--jobs: 'two' is not a whole number"),
        (["serve", "--port", "70000"], "argument --port: 70000 is out of range: give a number from 0 to 65535"),
        (["serve", "--port", "-1"], "argument --port: -1 is out of range: give a number from 0 to 65535"),
    ],
)
def test_a_number_out_of_range_is_a_usage_error_not_a_traceback(argv, said, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert said in capsys.readouterr().err


@pytest.mark.parametrize(
    ("size", "text", "warning"),
    [
        (350_400, "350 kB", None),
        (851_000_000, "851 MB", None),
        (900_000_000, "900 MB", None),
        (934_500_000, "934 MB", "the site is 934 MB, near the 1 GB that GitHub Pages publishes at most"),
        (1_000_000_000, "1.00 GB", "the site is 1.00 GB, near the 1 GB that GitHub Pages publishes at most"),
        (1_213_000_000, "1.21 GB", "the site is 1.21 GB: GitHub Pages publishes sites of at most 1 GB"),
    ],
)
def test_the_size_is_told_in_githubs_units_with_a_warning_near_its_limit(size, text, warning):
    assert size_text(size) == text
    told = size_warning(size)
    assert (told.partition(" (see README")[0] if told else None) == warning
