"""Writing one output file: its directories are made as needed, by this process or another;
and the check that no two outputs claim one path."""

from pathlib import Path

import pytest

from caseshelf.write import find_path_collisions, write_file


def test_a_file_gets_every_missing_directory_above_it(tmp_path: Path) -> None:
    made: set[str] = set()
    write_file(tmp_path, "articles/a-case/index.html", b"<p>one</p>", made)
    write_file(tmp_path, "doi/10.5555/x.1/index.html", b"<p>two</p>", made)
    assert (tmp_path / "articles/a-case/index.html").read_bytes() == b"<p>one</p>"
    assert (tmp_path / "doi/10.5555/x.1/index.html").read_bytes() == b"<p>two</p>"
    assert made == {f"{tmp_path}/articles/a-case", f"{tmp_path}/doi/10.5555/x.1"}


def test_a_directory_another_process_made_is_written_into(tmp_path: Path) -> None:
    (tmp_path / "articles/a-case").mkdir(parents=True)  # a worker made it; this process has not
    write_file(tmp_path, "articles/a-case/index.html", b"new", set())
    write_file(tmp_path, "articles/a-case/index.html", b"newer", set())
    assert (tmp_path / "articles/a-case/index.html").read_bytes() == b"newer"


def test_a_file_where_a_directory_must_go_is_an_error_not_overwritten(tmp_path: Path) -> None:
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles/a-case").write_bytes(b"a file")
    with pytest.raises(OSError):
        write_file(tmp_path, "articles/a-case/index.html", b"page", set())
    assert (tmp_path / "articles/a-case").read_bytes() == b"a file"


def test_outputs_claiming_one_path_are_each_reported_once_with_their_count() -> None:
    paths = ["index.html", "articles/a/index.html", "articles/b/index.html", "articles/a/index.html", "feed.xml", "articles/a/index.html", "feed.xml"]
    problems = find_path_collisions(paths)
    assert sorted((problem.path, problem.message) for problem in problems) == [
        ("articles/a/index.html", "3 files would be written to this output path"),
        ("feed.xml", "2 files would be written to this output path"),
    ]


def test_distinct_outputs_are_no_problem() -> None:
    assert find_path_collisions(["index.html", "articles/a/index.html", "articles/A/index.html"]) == []
