"""A journal's own CSL style: a path relative to the content directory, checked at load time."""

from __future__ import annotations

import shutil

from caseshelf.loading import load_content
from caseshelf.problems import BuildFailed
from conftest import SAMPLE_CONTENT


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
