"""Builds spread over worker processes make exactly what one process makes.

A build forks workers only for hundreds of records, so these tests lower that threshold
(`parallel.MIN_ITEMS_FOR_PROCESSES`) instead of building a large journal: the sample journal
and a small generated one then go through the same worker code as a 10,000-article archive,
each worker taking several shares in turn.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from caseshelf import cache as cache_module
from caseshelf import parallel, pipeline, render_stage
from caseshelf.file_tree import FileTree
from caseshelf.freshness import check_freshness
from caseshelf.pipeline import BuildOptions, build, forget_kept_caches
from caseshelf.problems import BuildFailed
from conftest import REPO, generate_journal
from test_cache import edit, tree


@pytest.fixture
def journal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A generated journal of 40 articles (authors recur, articles cite each other)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    monkeypatch.setattr(parallel, "MIN_ITEMS_FOR_PROCESSES", 2)
    return generate_journal(tmp_path / "content", 40, seed=3)


def options(content: Path, output: str, jobs: int, cache: bool = False) -> BuildOptions:
    return BuildOptions(source=content, output=content.parent / output, search=False, jobs=jobs, cache=cache)


@pytest.mark.parametrize("rounds", [True, False])
@pytest.mark.parametrize("jobs", [2, 3])
def test_workers_build_what_one_process_builds(journal, jobs, rounds, monkeypatch):
    """In rounds (the archive-wide files made after the other pages) or in one (made while a
    worker renders them: see pages_stage.write_pages)."""
    monkeypatch.setattr(parallel, "MAX_ITEMS_IN_ROUNDS", 1000 if rounds else 39)
    assert parallel.makes_rounds(40) is rounds
    one = build(options(journal, "one", jobs=1))
    more = build(options(journal, "more", jobs=jobs))
    assert tree(journal.parent / "more") == tree(journal.parent / "one")
    assert sorted(more.rendered) == sorted(one.rendered)
    assert len(one.rendered) == one.pages > 40


def _slow_share(items: list[int], share: int, shares: int) -> tuple[int, list[int]]:
    time.sleep(0.1)  # long enough that the worker cannot have started every share
    return os.getpid(), items[share::shares]


@pytest.mark.parametrize("jobs", [2, 3])
def test_this_process_and_the_workers_share_the_items(jobs, monkeypatch):
    monkeypatch.setattr(parallel, "MIN_ITEMS_FOR_PROCESSES", 2)
    items = list(range(100))
    results = parallel.map_shares(_slow_share, items, len(items), jobs)
    shares = parallel.share_count(len(items), jobs)
    assert [result[1] for result in results] == [items[share::shares] for share in range(shares)]
    processes = {pid for pid, _ in results}
    assert os.getpid() in processes
    assert len(processes) == jobs


def _fails_in_the_last_share(items: list[int], share: int, shares: int) -> int:
    if share == shares - 1:
        raise ValueError("template mistake")
    time.sleep(0.05)
    return share


def test_a_failure_in_a_share_this_process_runs_is_raised(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_ITEMS_FOR_PROCESSES", 2)
    with pytest.raises(ValueError, match="template mistake"):
        parallel.map_shares(_fails_in_the_last_share, list(range(100)), 100, 2)


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


def _quick_share(items: list[int], share: int, shares: int) -> tuple[int, list[int]]:
    time.sleep(0.005)
    return os.getpid(), items[share::shares]


def test_shares_while_stop_being_taken_when_this_process_is_done(monkeypatch):
    """`map_shares_while`: the workers take shares only while `meanwhile` runs; the others are
    left for the caller, and this process takes none."""
    monkeypatch.setattr(parallel, "MIN_ITEMS_FOR_PROCESSES", 2)
    items = list(range(5000))
    done, alongside = parallel.map_shares_while(_quick_share, items, len(items), 2, lambda: time.sleep(0.5) or "model")
    shares = parallel.share_count(len(items), 2)
    assert alongside == "model"
    assert 0 < len(done) < shares
    assert {pid for pid, _ in done.values()} == {next(iter(done.values()))[0]} != {os.getpid()}
    assert all(numbers == items[share::shares] for share, (_, numbers) in done.items())
    assert parallel.map_shares_while(_quick_share, items, len(items), 1, lambda: "alone") == ({}, "alone")


@pytest.fixture
def slow_model(monkeypatch: pytest.MonkeyPatch) -> list:
    """The site model built slowly enough that a worker makes exports ahead while it is built
    (see render_stage.exporting_while), and each share of them slowly enough that it cannot make
    them all; the list gets what each build made ahead."""
    modelled, share_ahead, made_ahead = pipeline.modelled_and_kept, render_stage._exports_ahead_share, []

    def slowly(*args, **kwargs):
        plan = modelled(*args, **kwargs)
        time.sleep(1.5)
        return plan

    def exporting_while(*args):
        done, plan = exporting(*args)
        made_ahead.append(done)
        return done, plan

    def share_slowly(*args):
        time.sleep(0.4)
        return share_ahead(*args)

    exporting = pipeline.exporting_while
    monkeypatch.setattr(render_stage, "_exports_ahead_share", share_slowly)
    monkeypatch.setattr(pipeline, "modelled_and_kept", slowly)
    monkeypatch.setattr(pipeline, "exporting_while", exporting_while)
    return made_ahead


def retitle(record: Path, title: str) -> None:
    text = record.read_text(encoding="utf-8")
    record.write_text(re.sub(r"^title: .*$", f'title: "{title}"', text, count=1, flags=re.MULTILINE), encoding="utf-8")


def test_exports_made_while_the_model_is_built_are_those_the_articles_stage_makes(journal, slow_model):
    one = build(options(journal, "one", jobs=1))
    more = build(options(journal, "more", jobs=2))
    assert 0 < len(slow_model[-1].fragments) < 40  # some made ahead, the others later
    assert tree(journal.parent / "more") == tree(journal.parent / "one")
    assert sorted(more.rendered) == sorted(one.rendered)


def test_no_exports_are_made_ahead_for_an_archive_too_large_for_rounds(journal, slow_model, monkeypatch):
    """Beyond the archives built in rounds, the worker's copies of shared memory cost more than
    the exports made ahead save (see render_stage.to_export_ahead)."""
    monkeypatch.setattr(parallel, "MAX_ITEMS_IN_ROUNDS", 39)
    build(options(journal, "one", jobs=1))
    build(options(journal, "more", jobs=2))
    assert slow_model[-1].fragments == {}
    assert tree(journal.parent / "more") == tree(journal.parent / "one")


@pytest.mark.parametrize("output_edited_by_hand", [False, True])
def test_exports_made_ahead_after_edits_equal_a_cold_build(journal, slow_model, output_edited_by_hand):
    """Whether the output is as the last build left it is known only once it is listed, after
    the exports made ahead were chosen: those of the edited records only. Found edited by hand,
    the output is rebuilt whole, so the articles stage makes every other article's exports."""
    forget_kept_caches()
    build(options(journal, "_site", jobs=2, cache=True))
    if output_edited_by_hand:
        (journal.parent / "_site/articles/bench-40/citation.bib").write_text("edited by hand", encoding="utf-8")
    for number in range(1, 31):
        retitle(next((journal / "articles").rglob(f"bench-{number}.md")), f"Revised title {number}")
    forget_kept_caches()
    report = build(options(journal, "_site", jobs=2, cache=True))
    assert 0 < len(slow_model[-1].fragments) < 30
    assert set(slow_model[-1].fragments) <= {f"10.5555/bench.{number}" for number in range(1, 31)}
    build(options(journal, "cold", jobs=1))
    assert tree(journal.parent / "_site") == tree(journal.parent / "cold")
    assert ("articles/bench-40/index.html" in report.rendered) is output_edited_by_hand


def test_a_record_the_exports_made_ahead_fail_on_is_reported(journal, slow_model):
    retitle(next((journal / "articles").rglob("bench-1.md")), "*" * 1000 + "x" + "*" * 1000)
    with pytest.raises(BuildFailed) as failed:
        build(options(journal, "_site", jobs=2))
    assert [problem.field for problem in failed.value.problems] == ["title, abstract"]
    assert failed.value.problems[0].path.endswith("bench-1.md")
    assert not (journal.parent / "_site").exists()


_DIES_SENDING = """
import os, signal, struct, sys, time
from caseshelf import parallel
parallel.MIN_ITEMS_FOR_PROCESSES = 2

def dies_sending(items, share, shares):
    # As Ctrl-C can end a worker: between the two writes of a large result, its length sent
    # and its bytes not (multiprocessing.connection sends a result over 16 KiB so).
    frame = sys._getframe()
    while "result_queue" not in frame.f_locals:
        frame = frame.f_back
    os.write(frame.f_locals["result_queue"]._writer.fileno(), struct.pack("!i", 1 << 20))
    os.kill(os.getpid(), signal.SIGKILL)

def interrupted():
    time.sleep(0.5)
    raise KeyboardInterrupt

try:
    parallel.map_shares_while(dies_sending, list(range(100)), 100, 2, interrupted)
except KeyboardInterrupt:
    print("Stopped.")
"""


def test_a_worker_ended_halfway_through_sending_a_result_does_not_hang_the_build():
    """Ctrl-C ends the workers wherever they are, one of them perhaps sending a share's
    result: the pool's thread then waited for the rest of it for ever, and so did the build."""
    stopped = subprocess.run([sys.executable, "-c", _DIES_SENDING], cwd=REPO, capture_output=True, text=True, timeout=30)
    assert stopped.stdout == "Stopped.\n", stopped.stderr
    assert stopped.returncode == 0


def test_many_items_are_mapped_in_consecutive_rounds(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_ITEMS_FOR_PROCESSES", 10)
    items = list(range(41))
    rounds = parallel.in_rounds(items)
    assert len(rounds) == parallel.ROUNDS > 1
    assert [item for part in rounds for item in part] == items
    assert max(map(len, rounds)) - min(map(len, rounds)) <= 1
    assert parallel.in_rounds(items[: parallel.ROUNDS * 10 - 1]) == [items[: parallel.ROUNDS * 10 - 1]]
    monkeypatch.setattr(parallel, "MAX_ITEMS_IN_ROUNDS", 40)
    assert parallel.in_rounds(items) == [items]


def _pid_and_changed(numbers: list[int]) -> tuple[int, list[int]]:
    numbers.append(99)  # changes the forked process's copy only
    return os.getpid(), numbers


def test_work_alongside_runs_in_another_process_on_a_copy_of_this_ones_memory():
    numbers = [1, 2]
    alongside = parallel.Alongside(_pid_and_changed, numbers)
    numbers.append(3)  # after the fork: not seen there
    pid, seen = alongside.result()
    assert pid != os.getpid()
    assert seen == [1, 2, 99]
    assert numbers == [1, 2, 3]


def _fails() -> None:
    raise ValueError("a bug")


def test_work_alongside_that_ends_without_a_result_is_an_error():
    with pytest.raises(ChildProcessError, match="exit code 1"):
        parallel.Alongside(_fails).result()


_LEAVES_A_DAEMON = """
import os, sys, time
from caseshelf.parallel import Alongside

def sleep_long(pid_file):
    with open(pid_file + ".part", "w") as file:
        file.write(str(os.getpid()))
    os.replace(pid_file + ".part", pid_file)
    time.sleep(600)

Alongside(sleep_long, sys.argv[1], daemon=True)
while not os.path.exists(sys.argv[1]):
    time.sleep(0.01)
"""


def test_work_alongside_as_a_daemon_ends_with_this_process_instead_of_keeping_it_waiting(tmp_path):
    pid_file = tmp_path / "child.pid"
    subprocess.run([sys.executable, "-c", _LEAVES_A_DAEMON, str(pid_file)], cwd=REPO, check=True, timeout=120)
    with pytest.raises(ProcessLookupError):  # killed (and reaped) when the process above ended
        os.kill(int(pid_file.read_text()), 0)


def test_records_saved_alongside_the_build_are_what_the_next_build_reads(journal, monkeypatch):
    monkeypatch.setattr(cache_module, "MIN_RECORDS_SAVED_ALONGSIDE", 1)
    forget_kept_caches()
    build(options(journal, "_site", jobs=2, cache=True))
    record = next((journal / "articles").rglob("bench-7.md"))
    edit(record, "title: ", "title: Revised ")
    forget_kept_caches()  # from the disk, as a new process would
    report = build(options(journal, "_site", jobs=2, cache=True))
    build(options(journal, "cold", jobs=1))
    assert tree(journal.parent / "_site") == tree(journal.parent / "cold")
    # Had the records not been saved whole, the cache would be ignored and everything rendered.
    assert "articles/bench-7/index.html" in report.rendered
    assert len(report.rendered) < report.pages / 2


@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_the_files_a_first_build_notes_as_they_are_written_are_the_output(journal, jobs):
    """A first build does not list what it wrote: each process notes every file it writes
    (write.Staging), the workers hand their notes over with their shares' results. Had one
    missed or misread a file, the next build would not trust the output and rebuild it."""
    an_hour_ago = time.time() - 3600  # records saved in the last seconds are read again (cache.SETTLED_SECONDS)
    for record in journal.rglob("*"):
        os.utime(record, (an_hour_ago, an_hour_ago))
    forget_kept_caches()
    build(options(journal, "_site", jobs=jobs, cache=True))
    saved = check_freshness(options(journal, "_site", jobs=jobs, cache=True)).last
    assert saved["output"] == FileTree((journal.parent / "_site").resolve()).state
    assert saved["files"] == len(FileTree(journal.parent / "_site")) - 1  # not the marker
    messages: list[str] = []
    forget_kept_caches()
    build(options(journal, "_site", jobs=jobs, cache=True), progress=messages.append)
    assert "Nothing changed since the last build: the site is up to date" in messages


_DROPS_SCANS = """
import gc, sys
from pathlib import Path
from caseshelf.file_tree import FileTree
from caseshelf.freshness import SCAN_SHARES, OutputScan

root = Path(sys.argv[1])
everything = FileTree(root).entries
wrong = 0
for _ in range(20):
    dropped = OutputScan(root, SCAN_SHARES)  # its child starts listing...
    del dropped  # ...and goes on after the scan is gone
    gc.collect()
    wrong += OutputScan(root, SCAN_SHARES).tree().entries != everything
print(wrong)
"""


def test_an_output_scan_nobody_waited_for_does_not_take_the_shares_of_the_next(tmp_path):
    """A scan's child marks the shares it takes in memory shared with its parent. Were that
    multiprocessing's shared heap, a scan dropped unread (a build that failed first, a
    Freshness whose output nobody asked for) would free its flags while its child still set
    them, and the next scan, handed the same block, would skip the shares so marked: files
    missing from its listing, and an output that looks edited by hand. Run in a new process,
    whose shared heap holds nothing else (19 listings of 20 were short so, before the fix)."""
    for folder in range(300):  # a folder of more than file_tree._FEW_ENTRIES folders is shared out
        (tmp_path / "articles" / f"a{folder}").mkdir(parents=True)
        for name in range(60):
            (tmp_path / "articles" / f"a{folder}" / f"{name}.html").write_text("x")
    done = subprocess.run([sys.executable, "-c", _DROPS_SCANS, str(tmp_path)], cwd=REPO, capture_output=True, text=True, check=True, timeout=300)
    assert done.stdout.split() == ["0"], done.stdout + done.stderr
