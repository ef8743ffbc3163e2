"""What a build shows while it runs: a bar on a terminal, plain lines in a log, nothing of either
for a build shorter than a second; the counts add up to each stage's items, from every process."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from caseshelf import parallel, progress
from caseshelf.pipeline import BuildOptions, build, check
from caseshelf.progress import LogMeter, TerminalMeter, bar_line, log_line
from conftest import REPO, generate_journal, run_on_a_terminal


def screen(text: str) -> list[str]:
    """The lines a terminal shows after being sent `text`: a carriage return goes back to the
    start of the line, what follows overwrites it."""
    lines, column = [""], 0
    for part in re.split(r"(\r|\n)", text):
        if part == "\r":
            column = 0
        elif part == "\n":
            lines.append("")
            column = 0
        elif part:
            line = lines[-1].ljust(column)
            lines[-1] = line[:column] + part + line[column + len(part) :]
            column += len(part)
    return [line.rstrip(" ") for line in lines]


def test_a_log_gets_a_line_as_each_stage_begins_and_as_a_long_one_goes_on() -> None:
    log = io.StringIO()
    meter = LogMeter(log, show_after=0, every=0)
    meter.stage("Reading records", 3, "record")
    meter.advance(1)
    meter.advance(2)
    meter.stage("Building the site model")
    meter.message("3 articles, 2 authors")
    meter.close()
    assert log.getvalue().splitlines() == [
        "Reading records (3)...", "Reading records: 1 of 3", "Reading records: 3 of 3", "Building the site model...", "3 articles, 2 authors",
    ]  # fmt: skip


def test_a_log_says_how_far_a_stage_has_got_only_every_so_often() -> None:
    log = io.StringIO()
    meter = LogMeter(log, show_after=0, every=3600)
    meter.stage("Rendering articles", 100, "article")
    for _ in range(100):
        meter.advance(1)
    assert log.getvalue().splitlines() == ["Rendering articles (100)..."]


@pytest.mark.parametrize("kind", [LogMeter, TerminalMeter])
def test_a_build_shorter_than_a_second_shows_only_its_messages(kind) -> None:
    shown = io.StringIO()
    meter = kind(shown, show_after=60)
    meter.stage("Rendering articles", 10, "article")
    meter.advance(10)
    meter.message("10 articles, 4 authors")
    meter.stage("Writing the site")
    meter.close()
    assert shown.getvalue() == "10 articles, 4 authors\n"


def test_a_terminal_gets_one_line_redrawn_in_place(monkeypatch) -> None:
    monkeypatch.setattr(progress, "_REDRAW_SECONDS", 0)
    monkeypatch.setenv("COLUMNS", "80")  # what a stream without a terminal is drawn for
    terminal = io.StringIO()
    meter = TerminalMeter(terminal, show_after=0)
    meter.stage("Rendering articles", 4, "article")
    assert screen(terminal.getvalue()) == [bar_line("Rendering articles", 0, 4, "article", 0.0, 79)]
    meter.advance(3)
    [bar] = screen(terminal.getvalue())
    assert bar.startswith("Rendering articles:  75%|") and "| 3/4 articles [" in bar
    meter.message("a warning")  # above the bar, which is drawn again below it
    assert screen(terminal.getvalue()) == ["a warning", bar]
    meter.stage("Writing the site")  # a shorter line: what the longer one left is blanked out
    assert screen(terminal.getvalue()) == ["a warning", "Writing the site... 00:00"]
    meter.close()
    assert screen(terminal.getvalue()) == ["a warning", ""]  # the bar is gone
    assert "\x1b" not in terminal.getvalue()  # no escape sequences: any terminal reads this


def test_the_bar_is_redrawn_at_most_ten_times_a_second() -> None:
    terminal = io.StringIO()
    meter = TerminalMeter(terminal, show_after=0)
    meter.stage("Reading records", 100_000, "record")
    started = time.perf_counter()
    for _ in range(100_000):
        meter.advance(1)
    seconds = time.perf_counter() - started
    assert terminal.getvalue().count("\r") <= 2 + seconds * 10


def test_the_bar_shows_its_stage_complete_however_soon_after_the_last_redraw(monkeypatch) -> None:
    """A fast stage's last items come within one redraw interval of the one before: its bar
    must still end at the full count, not stop at whatever it showed last."""
    monkeypatch.setattr(progress, "_REDRAW_SECONDS", 60)
    monkeypatch.setenv("COLUMNS", "80")
    terminal = io.StringIO()
    meter = TerminalMeter(terminal, show_after=0)
    meter.stage("Rendering articles", 4, "article")
    meter.advance(1)  # within the interval: not drawn
    assert "| 1/4 articles [" not in terminal.getvalue()
    meter.advance(3)
    [bar] = screen(terminal.getvalue())
    assert "| 4/4 articles [" in bar


def test_items_counted_from_many_threads_add_up(monkeypatch) -> None:
    monkeypatch.setattr(progress, "_REDRAW_SECONDS", 0)
    terminal = io.StringIO()
    meter = TerminalMeter(terminal, show_after=0)
    meter.stage("Rendering pages", 8000, "page")
    threads = [threading.Thread(target=lambda: [meter.advance(1) for _ in range(1000)]) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    [bar] = screen(terminal.getvalue())
    assert bar.startswith("Rendering pages: 100%|") and "| 8000/8000 pages [" in bar


def test_lines_fit_the_terminal_and_its_characters() -> None:
    for columns in (30, 80, 200):
        assert len(bar_line("Rendering articles", 5, 10, "article", 3.0, columns)) <= columns
    assert bar_line("Reading records", 5, 10, "record", 3.0, 60, unicode=False).isascii()
    assert bar_line("Building the site model", 0, 0, "", 75.0, 80) == "Building the site model... 01:15"
    assert log_line("Rendering pages", 0, 12_345) == "Rendering pages (12,345)..."
    assert log_line("Rendering pages", 345, 12_345) == "Rendering pages: 345 of 12,345"


def _share_of(items: list[int], share: int, shares: int) -> list[int]:
    time.sleep(0.01)  # the workers and this process each take several shares
    return items[share::shares]


@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_each_share_is_counted_once_when_it_is_done(jobs, monkeypatch) -> None:
    monkeypatch.setattr(parallel, "MIN_ITEMS_FOR_PROCESSES", 2)
    items = list(range(523))
    counted: list[int] = []
    lock = threading.Lock()

    def done(count: int) -> None:
        with lock:
            counted.append(count)

    results = parallel.map_shares(_share_of, items, len(items), jobs, done)
    shares = parallel.share_count(len(items), jobs)
    assert [result for result in results] == [items[share::shares] for share in range(shares)]
    assert sorted(counted) == sorted(len(items[share::shares]) for share in range(shares))  # one jobs=1 shares too
    assert sum(counted) == len(items)


@pytest.fixture
def journal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A generated journal of 40 articles, built by workers (see test_parallel.py)."""
    monkeypatch.setattr(parallel, "MIN_ITEMS_FOR_PROCESSES", 2)
    return generate_journal(tmp_path / "content", 40, seed=5)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_build_reports_each_stage_and_every_item_of_it(journal, jobs) -> None:
    log = io.StringIO()
    options = BuildOptions(source=journal, output=journal.parent / "_site", search=False, jobs=jobs, cache=True)
    report = build(options, meter=LogMeter(log, show_after=0, every=0))
    lines = log.getvalue().splitlines()
    begun = [line for line in lines if line.endswith("...")]
    assert begun == [
        "Reading the build cache...", "Reading records (40)...", "Building the site model...", "Rendering articles (40)...",
        f"Rendering pages ({report.pages - 80:,})...", "Writing the site...", "Saving the build cache...",
    ]  # fmt: skip
    assert "Reading records: 40 of 40" in lines
    assert "Rendering articles: 40 of 40" in lines
    assert f"Rendering pages: {report.pages - 80} of {report.pages - 80}" in lines
    # After an edit, only the articles looked at again are counted: the edited one and those
    # citing it.
    record = next(journal.rglob("bench-7.md"))
    record.write_text(record.read_text(encoding="utf-8").replace("title:", "title: Edited", 1), encoding="utf-8")
    log.truncate(0)
    log.seek(0)
    build(options, meter=LogMeter(log, show_after=0, every=0))
    (looked_at,) = re.findall(r"^Rendering articles \((\d+)\)\.\.\.$", log.getvalue(), re.MULTILINE)
    assert 1 <= int(looked_at) < 40
    assert f"Rendering articles: {looked_at} of {looked_at}" in log.getvalue().splitlines()


def test_checking_the_content_reports_the_records_read_and_cited(journal) -> None:
    log = io.StringIO()
    loaded = check(BuildOptions(source=journal, output=journal.parent / "_site", jobs=2), LogMeter(log, show_after=0, every=0))
    assert len(loaded.articles) == 40
    lines = log.getvalue().splitlines()
    assert lines[0] == "Reading records (40)..."
    assert "Reading records: 40 of 40" in lines
    assert lines[lines.index("Reading records: 40 of 40") + 1] == "Citing records (40)..."
    assert lines[-1] == "Citing records: 40 of 40"


@pytest.fixture(scope="module")
def larger_journal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A journal whose articles take well over a second to render, even in one process and on a
    fast machine (300 took 1.0 s on one in 2026: the second was reached after them)."""
    return generate_journal(tmp_path_factory.mktemp("larger") / "content", 800, seed=2)


def test_the_command_line_shows_a_bar_on_a_terminal_and_lines_in_a_pipe(larger_journal: Path) -> None:
    command = [sys.executable, str(REPO / "build.py"), "build", "--source", str(larger_journal), "--no-search", "--no-cache", "--jobs", "1"]
    result, shown = run_on_a_terminal([*command, "--output", str(larger_journal.parent / "a")])
    assert result.returncode == 0
    assert "Rendering articles: " in shown and "| 800/800 articles [" in shown
    assert screen(shown)[:-1] == [next(line for line in screen(shown) if line.startswith("800 articles, "))]  # kept
    assert screen(shown)[-1] == ""  # the bar is gone when the build is done
    assert result.stdout.startswith("Built ")

    piped = subprocess.run([*command, "--output", str(larger_journal.parent / "b")], capture_output=True, text=True, timeout=300, check=True)
    lines = piped.stderr.splitlines()
    # A line when a stage begins, or, for the one running when the build reaches its second,
    # how far it has got then.
    assert any(line.startswith(("Rendering articles (800)...", "Rendering articles: ")) for line in lines)
    assert "Writing the site..." in lines
    assert "\r" not in piped.stderr and "%|" not in piped.stderr
    assert piped.stdout.startswith("Built ")


def test_quiet_shows_no_progress(larger_journal: Path) -> None:
    command = [sys.executable, str(REPO / "build.py"), "build", "--source", str(larger_journal), "--no-search", "--jobs", "1", "--quiet"]
    result, shown = run_on_a_terminal([*command, "--output", str(larger_journal.parent / "c")])
    assert result.returncode == 0
    assert shown == "" and result.stdout == ""
    assert os.path.isfile(larger_journal.parent / "c" / "index.html")
