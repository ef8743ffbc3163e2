"""Everything the preview tells the person at the terminal, in one place.

One line per rebuild: when, what changed, and what came of it. Problems are printed exactly as
`caseshelf build` prints them, which is also the text the browser overlay shows.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from caseshelf.problems import display_path
from caseshelf.progress import SILENT, Meter, shown_meter
from caseshelf.serve.preview import Failed, Rebuilt
from caseshelf.serve.watch import Change


class Console:
    def __init__(self, quiet: bool = False, stream: TextIO | None = None):
        self.quiet = quiet
        self._stream = stream

    def meter(self) -> Meter:
        """What a long first build shows of its stages (see caseshelf/progress.py): a bar on a
        terminal, lines in a log, nothing when quiet."""
        return SILENT if self.quiet else shown_meter(self._stream or sys.stderr)

    def info(self, line: str) -> None:
        if not self.quiet:
            self._print(line)

    def warn(self, line: str) -> None:
        self._print(line)

    def built(self, outcome: Rebuilt | Failed) -> None:
        """The first build, before serving starts."""
        if isinstance(outcome, Rebuilt):
            self.info(f"Built {outcome.report.pages} pages ({outcome.report.files} files) in {outcome.report.seconds:.2f} s")
        else:
            self._print_failure(outcome)
            self.warn("The first build failed: the preview shows these problems until they are fixed.")

    def rebuilt(self, changes: str, outcome: Rebuilt | Failed) -> None:
        stamp = time.strftime("%H:%M:%S")
        if isinstance(outcome, Failed):
            self._print_failure(outcome)
            problems = _count(len(outcome.problems), "problem")
            self.warn(f"{stamp} {changes}: build failed ({problems}); still serving the last good site")
            return
        report = outcome.report
        rewritten = "" if outcome.rewritten_files is None else f"{_count(outcome.rewritten_files, 'file')} rewritten, "
        self.info(f"{stamp} {changes}: {rewritten}{report.pages} pages in {report.seconds:.2f} s")

    def _print_failure(self, outcome: Failed) -> None:
        if outcome.crash:
            self._print(outcome.crash.rstrip())
        for problem in outcome.problems:
            self._print(str(problem))

    def _print(self, line: str) -> None:
        print(line, file=self._stream or sys.stderr, flush=True)


def describe_changes(changes: Sequence[Change], root: Path) -> str:
    """`changed content/articles/x.md`, `deleted ... and 2 more`, `renamed a.md → b.md`.

    A file created and gone again within one batch is an editor's temporary file (sed, some
    IDEs), whatever its name: it is left out, so an atomic save reads as "changed".
    """
    first_kind: dict[Path, str] = {}
    for change in changes:
        first_kind.setdefault(change.path, change.kind)
    paths = [path for path, kind in first_kind.items() if path.exists() or kind != "created"]
    if not paths:
        return "nothing changed"
    shown = [display_path(path, root) for path in paths]
    if len(paths) == 2 and first_kind[paths[0]] == "moved" and not paths[0].exists() and paths[1].exists():
        return f"renamed {shown[0]} → {shown[1]}"
    verb = "changed" if paths[0].exists() else "deleted"
    more = f" and {len(paths) - 1} more" if len(paths) > 1 else ""
    return f"{verb} {shown[0]}{more}"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
