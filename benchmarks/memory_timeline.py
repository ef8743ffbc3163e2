"""Where a build's memory goes over time: each process's share of it, sampled as it runs.

    python benchmarks/memory_timeline.py [--every S] -- python build.py --source DIR --output OUT --no-search -v

Every S seconds (default 0.5) it prints the process tree's total proportional set size (PSS,
what run.py's peak memory is made of) and, for each process, its PSS, its private memory and
the memory it still shares with other processes, between the command's own lines (`-v` makes
a build print its stages). A forked worker shares the main process's memory until one of them
writes to a page of it; watching "shared" fall shows how fast rendering copies it (see
caseshelf/parallel.py, `in_rounds`). Linux only: it reads /proc/<pid>/smaps_rollup.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from measure import descendants


@dataclass(frozen=True, slots=True)
class ProcessMemory:
    """One process's memory, in MiB."""

    pid: int
    pss: int
    private: int
    shared: int

    def __str__(self) -> str:
        return f"[{self.pid}: pss {self.pss} private {self.private} shared {self.shared}]"


def process_memory(pid: int) -> ProcessMemory | None:
    """None when the process has ended (or its memory cannot be read)."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return None
    kib = {}
    for line in text.splitlines():
        name, _, rest = line.partition(":")
        value = rest.split()
        if value and value[0].isdigit():
            kib[name] = int(value[0])
    private = kib.get("Private_Clean", 0) + kib.get("Private_Dirty", 0)
    shared = kib.get("Shared_Clean", 0) + kib.get("Shared_Dirty", 0)
    return ProcessMemory(pid, kib.get("Pss", 0) // 1024, private // 1024, shared // 1024)


def tree_memory(pid: int) -> list[ProcessMemory]:
    return [memory for member in descendants(pid) if (memory := process_memory(member)) is not None]


def watch(command: list[str], every: float, out: TextIO = sys.stdout) -> int:
    """Run `command`, printing its lines and a memory sample every `every` seconds; returns its
    exit code. The last line gives the peak of the tree's total PSS."""
    started = time.monotonic()
    printing = threading.Lock()

    def say(text: str) -> None:
        with printing:
            print(f"{time.monotonic() - started:7.2f}  {text}", file=out, flush=True)

    def pass_on_output() -> None:
        for line in process.stdout:
            say(f"| {line.rstrip()}")

    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    reader = threading.Thread(target=pass_on_output, daemon=True)
    reader.start()
    peak = 0
    while process.poll() is None:
        processes = tree_memory(process.pid)
        total = sum(memory.pss for memory in processes)
        peak = max(peak, total)
        say(f"PSS {total:6d} MiB  " + " ".join(map(str, processes)))
        time.sleep(every)
    reader.join()
    say(f"peak of the tree's PSS: {peak} MiB")
    return process.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--every", type=float, default=0.5, help="seconds between samples (default 0.5)")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the command to run, after --")
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command to run after --")
    return watch(command, args.every)


if __name__ == "__main__":
    sys.exit(main())
