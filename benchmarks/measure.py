"""Run one command and measure it: wall time, CPU time, and peak memory of its process tree.

Peak memory is the larger of two figures:
- the exact peak resident set of the largest single process (ru_maxrss from wait4), and
- the peak of the whole process tree's memory, sampled every 0.1 s from /proc, so that a
  parallel build is charged for all its worker processes at once. Each process counts with
  its proportional set size (PSS, /proc/<pid>/smaps_rollup: a page shared by k processes
  counts 1/k in each), so pages that forked workers share with their parent are not counted
  twice; where PSS cannot be read, the resident set size is used, which errs high.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
SAMPLE_INTERVAL = 0.1


@dataclass(frozen=True, slots=True)
class Sample:
    wall: float
    """Seconds from start to exit."""
    cpu: float
    """User + system CPU seconds of the process and every descendant it waited for."""
    peak_rss: int
    """Bytes; see the module doc."""
    returncode: int
    timed_out: bool = False


def descendants(pid: int) -> list[int]:
    """pid and every process below it, via /proc/<pid>/task/<tid>/children."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        try:
            tasks = os.listdir(f"/proc/{current}/task")
        except OSError:
            continue
        for tid in tasks:
            try:
                children = Path(f"/proc/{current}/task/{tid}/children").read_text().split()
            except OSError:
                continue
            queue.extend(int(child) for child in children)
    return found


def _memory(pid: int) -> int:
    """Bytes of memory charged to one process: PSS where the kernel gives it, else RSS."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE_SIZE
    except (OSError, IndexError, ValueError):
        return 0  # the process ended between listing and reading: nothing to add


def _tree_memory(pid: int) -> int:
    return sum(_memory(member) for member in descendants(pid))


class _Watcher(threading.Thread):
    """Samples the tree's memory and kills the tree when it runs past the timeout."""

    def __init__(self, pid: int, started: float, timeout: float):
        super().__init__(daemon=True)
        self.pid, self.started, self.timeout = pid, started, timeout
        self.peak = 0
        self.timed_out = False
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(SAMPLE_INTERVAL):
            self.peak = max(self.peak, _tree_memory(self.pid))
            if time.perf_counter() - self.started > self.timeout and not self.timed_out:
                self.timed_out = True
                try:
                    os.killpg(self.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass


def user_environment() -> dict[str, str]:
    """This process's environment as a user's machine has it: with Python's bytecode cache.

    A sandbox or CI image may set PYTHONDONTWRITEBYTECODE, and every Python program run under
    it compiles each module it imports from source, every time: 0.3-0.4 s of each caseshelf
    build, a tenth of an edit rebuild. No Python installed the usual way runs like that, so
    the tools are measured without it (Hugo is a compiled binary; Pelican is Python and gets
    the same environment)."""
    environment = dict(os.environ)
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    return environment


def measure(command: list[str], *, cwd: Path | None = None, log: Path | None = None,
            timeout: float = 600.0, env: dict[str, str] | None = None) -> Sample:
    """Run command to completion (or kill it after timeout seconds) and measure it, in
    `env` (default: `user_environment()`)."""
    output = open(log, "ab") if log else subprocess.DEVNULL
    try:
        started = time.perf_counter()
        # Own session: the timeout can kill the whole tree, workers included.
        process = subprocess.Popen(command, cwd=cwd, stdout=output, stderr=output, env=env if env is not None else user_environment(),
                                   start_new_session=True)
        watcher = _Watcher(process.pid, started, timeout)
        watcher.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        except BaseException:
            # Interrupted (Ctrl-C, SIGTERM): the build is in a session of its own and would
            # live on, so end it and every worker it started.
            watcher.done.set()
            os.killpg(process.pid, signal.SIGKILL)
            os.waitpid(process.pid, 0)
            raise
        wall = time.perf_counter() - started
        watcher.done.set()
        watcher.join()
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    finally:
        if log:
            output.close()
    return Sample(
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        peak_rss=max(usage.ru_maxrss * 1024, watcher.peak),
        returncode=process.returncode,
        timed_out=watcher.timed_out,
    )
