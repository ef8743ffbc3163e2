"""Builds spread over worker processes make exactly what one process makes.

A build forks workers only for hundreds of records, so these tests lower that threshold
(`parallel.MIN_ITEMS_FOR_PROCESSES`) instead of building a large journal: the sample journal
and a small generated one then go through the same worker code as a 10,000-article archive,
each worker taking several shares in turn.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from caseshelf import parallel
from caseshelf.pipeline import BuildOptions, build, forget_kept_caches
from conftest import REPO
from test_cache import edit, tree


@pytest.fixture
def journal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A generated journal of 40 articles (authors recur, articles cite each other)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    monkeypatch.setattr(parallel, "MIN_ITEMS_FOR_PROCESSES", 2)
    content = tmp_path / "content"
    subprocess.run([sys.executable, str(REPO / "benchmarks/generate.py"), "40", str(content), "--seed", "3", "--jobs", "1"], check=True, capture_output=True)
    return content


def options(content: Path, output: str, jobs: int, cache: bool = False) -> BuildOptions:
    return BuildOptions(source=content, output=content.parent / output, search=False, jobs=jobs, cache=cache)


def test_workers_build_what_one_process_builds(journal):
    one = build(options(journal, "one", jobs=1))
    two = build(options(journal, "two", jobs=2))
    assert tree(journal.parent / "two") == tree(journal.parent / "one")
    assert sorted(two.rendered) == sorted(one.rendered)
    assert len(one.rendered) == one.pages > 40


def test_an_incremental_build_with_workers_equals_a_cold_one(journal):
    forget_kept_caches()
    build(options(journal, "_site", jobs=2, cache=True))
    record = next((journal / "articles").rglob("bench-20.md"))
    edit(record, 'title: "', 'title: "Revised ')
    forget_kept_caches()
    report = build(options(journal, "_site", jobs=2, cache=True))
    build(options(journal, "cold", jobs=1))
    assert tree(journal.parent / "_site") == tree(journal.parent / "cold")
    assert "articles/bench-20/index.html" in report.rendered
    assert len(report.rendered) < report.pages / 2
