"""A progress bar on a terminal for large batches (tqdm), nothing of it when output is piped."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, run_on_a_terminal
from test_import_support import make_content

FIXTURE = Path(__file__).parent / "fixtures" / "import" / "jats-case-report.xml"


def many_files(folder: Path, count: int) -> Path:
    folder.mkdir()
    text = FIXTURE.read_text(encoding="utf-8")
    for number in range(count):
        (folder / f"{number:02d}.xml").write_text(text.replace("fjpho-2025", f"fjpho-{number}-2025"), encoding="utf-8")
    return folder


def test_a_terminal_gets_a_progress_bar_and_a_pipe_does_not(tmp_path: Path) -> None:
    pytest.importorskip("tqdm")
    inputs = many_files(tmp_path / "inputs", 25)
    command = [sys.executable, str(REPO / "build.py"), "import", "jats", str(inputs), "--source"]
    result, shown = run_on_a_terminal([*command, str(make_content(tmp_path / "a"))])
    assert result.returncode == 0
    assert "| 0/25 [" in shown  # the bar as it starts (tqdm redraws at most 10 times a second)
    # With the bar on, the per-article lines are left out; the summary stays.
    assert result.stdout.strip().splitlines() == ["imported 25, updated 0, unchanged 0, skipped 0, failed 0"]

    piped = subprocess.run([*command, str(make_content(tmp_path / "b"))], capture_output=True, text=True, timeout=300, check=False)
    assert piped.stderr == ""
    assert len(piped.stdout.strip().splitlines()) == 26  # a line per article, then the summary
