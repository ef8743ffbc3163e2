"""What a build shows while it runs: the stage it is in, and how far that stage has got.

The pipeline reports to a `Meter`: `stage(label, total)` when a stage begins, `advance(count)`
as its items are done (worker processes' shares are counted as their results arrive, on the
process pool's thread), and `message(line)` for lines that stay. The command line shows it as
one progress bar line on a terminal (`TerminalMeter`), as plain lines in a log or a pipe
(`LogMeter`), and not at all with `--quiet` or for anyone else (`Meter`: the preview server,
tests, the library). Either way nothing of it shows before the build has run for a second, so
a small site's build prints what it always did.

No thread of its own: the bar is redrawn when the build reports, at most ten times a second.
A build forks its workers, and a thread running in the forking process (tqdm starts one per
bar) could hold a lock the workers then wait for forever (and `parallel.fork_is_safe` would
stop the build's other forks); so tqdm only formats the bar here.
"""

from __future__ import annotations

import os
import shutil
import sys
import threading
import time
from typing import TextIO

#: A build that ends sooner shows no stage at all.
SHOW_AFTER_SECONDS = 1.0
#: The bar is redrawn at most this often (and when its stage's count is complete).
_REDRAW_SECONDS = 0.1
#: In a log, a long stage says how far it has got this often.
_LOG_LINE_SECONDS = 10.0


class Meter:
    """Shows nothing: what a build reports to when no one is watching it."""

    def stage(self, label: str, total: int = 0, unit: str = "") -> None:
        """A stage begins; `total`: how many `unit`s it will do (0: it does not count them)."""

    def advance(self, count: int) -> None:
        """`count` more items of the stage are done. May be called from any thread."""

    def message(self, line: str) -> None:
        """A line to keep (a summary): printed above the bar, not torn by it."""

    def warning(self, line: str) -> None:
        """A line printed even when nothing else is (`--quiet`): on stderr, above the bar."""
        print(line, file=sys.stderr)

    def close(self) -> None:
        """The build is over (or failed): take the bar away."""

    def __enter__(self) -> Meter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


#: The meter of a build no one watches.
SILENT = Meter()


class WarningsKept(Meter):
    """Passes everything on to `meter`, keeping the warnings said through it, in order: a build
    saves them in its cache's summary, and the next build, finding nothing changed, says them
    again (see freshness.report_nothing_changed), or an editor would see them only once."""

    def __init__(self, meter: Meter):
        self.meter = meter
        self.warnings: list[str] = []

    def stage(self, label: str, total: int = 0, unit: str = "") -> None:
        self.meter.stage(label, total, unit)

    def advance(self, count: int) -> None:
        self.meter.advance(count)

    def message(self, line: str) -> None:
        self.meter.message(line)

    def warning(self, line: str) -> None:
        self.warnings.append(line)
        self.meter.warning(line)

    def close(self) -> None:
        self.meter.close()


class _ShownMeter(Meter):
    """A meter that shows the stage, once the build has run `show_after` seconds."""

    def __init__(self, stream: TextIO, show_after: float = SHOW_AFTER_SECONDS):
        self.stream = stream
        self.started = time.perf_counter()
        self.show_after = show_after
        self.lock = threading.Lock()
        self.label, self.total, self.unit, self.done = "", 0, "", 0
        self.stage_started = self.started

    def stage(self, label: str, total: int = 0, unit: str = "") -> None:
        with self.lock:
            self.label, self.total, self.unit, self.done = label, total, unit, 0
            self.stage_started = time.perf_counter()
            self._stage_began()
            self._show(self.stage_started)

    def advance(self, count: int) -> None:
        if not count:  # an empty share: nothing new to show
            return
        with self.lock:
            self.done += count
            self._show(time.perf_counter())

    def message(self, line: str) -> None:
        with self.lock:
            self._print(line)

    warning = message  # the stream is stderr

    def _show(self, now: float) -> None:
        if self.label and now - self.started >= self.show_after:
            self._draw(now)

    def _stage_began(self) -> None:
        """What this meter does when a stage begins (before it is drawn)."""

    def _draw(self, now: float) -> None:
        raise NotImplementedError

    def _print(self, line: str) -> None:
        raise NotImplementedError


class TerminalMeter(_ShownMeter):
    """One line, redrawn in place: the stage, a bar, done/total, its time and what is left."""

    def __init__(self, stream: TextIO, show_after: float = SHOW_AFTER_SECONDS):
        super().__init__(stream, show_after)
        self.drawn = ""
        self.last_drawn = 0.0

    def _stage_began(self) -> None:
        self.last_drawn = 0.0  # a new stage is drawn at once

    def _draw(self, now: float) -> None:
        finished = self.total and self.done >= self.total
        if now - self.last_drawn < _REDRAW_SECONDS and not finished:  # the last count is always shown
            return
        self.last_drawn = now
        columns, unicode = _columns(self.stream), _writes_unicode(self.stream)
        line = bar_line(self.label, self.done, self.total, self.unit, now - self.stage_started, columns, unicode)
        # Back to the line's start, and spaces over what a longer line before left: no escape
        # sequences, which not every terminal (Windows' console) reads.
        self.stream.write("\r" + line.ljust(len(self.drawn)))
        self.stream.flush()
        self.drawn = line

    def _print(self, line: str) -> None:
        self.stream.write(self._cleared() + f"{line}\n" + self.drawn)
        self.stream.flush()

    def _cleared(self) -> str:
        """What takes the bar off its line, leaving the cursor at the line's start."""
        return "\r" + " " * len(self.drawn) + "\r" if self.drawn else ""

    def close(self) -> None:
        with self.lock:
            self.stream.write(self._cleared())
            self.stream.flush()
            self.drawn, self.label = "", ""


class LogMeter(_ShownMeter):
    """Plain lines: one when a stage begins, and how far a long one has got every ten seconds
    (see `log_line`)."""

    def __init__(self, stream: TextIO, show_after: float = SHOW_AFTER_SECONDS, every: float = _LOG_LINE_SECONDS):
        super().__init__(stream, show_after)
        self.every = every
        self.announced = False
        self.last_line = 0.0

    def _stage_began(self) -> None:
        self.announced = False

    def _draw(self, now: float) -> None:
        if self.announced and not (self.total and now - self.last_line >= self.every):
            return
        self.announced, self.last_line = True, now
        self._print(log_line(self.label, self.done, self.total))

    def _print(self, line: str) -> None:
        print(line, file=self.stream, flush=True)

    def close(self) -> None:
        with self.lock:
            self.label = ""


def shown_meter(stream: TextIO) -> Meter:
    """A bar when `stream` is a terminal, else plain lines."""
    return TerminalMeter(stream) if stream.isatty() else LogMeter(stream)


def counted(count: int, noun: str) -> str:
    """`1 article`, `2 articles`: a count for a line the user reads (a journal's first build
    has one of everything)."""
    return f"{count} {noun}{'s' if count != 1 else ''}"


def log_line(label: str, done: int, total: int) -> str:
    """`Rendering articles (10,000)...` as a stage begins, `Rendering articles: 3,600 of
    10,000` as it goes on; `Building the site model...` for a stage that does not count."""
    if not total:
        return f"{label}..."
    return f"{label} ({total:,})..." if not done else f"{label}: {done:,} of {total:,}"


def bar_line(label: str, done: int, total: int, unit: str, seconds: float, columns: int, unicode: bool = True) -> str:
    """`Rendering articles:  42%|████▏     | 4200/10000 articles [00:11<00:15]`, in
    `columns` characters (`unicode`: the bar may be drawn with block characters); a stage that
    does not count its items shows its label and how long it has run."""
    from tqdm import tqdm  # here: 90 ms to import, which only a build long enough for a bar pays

    if not total:
        return f"{label}... {tqdm.format_interval(seconds)}"[:columns]
    counted = f"{{n_fmt}}/{{total_fmt}} {unit}s" if unit else "{n_fmt}/{total_fmt}"
    layout = "{desc}: {percentage:3.0f}%|{bar}| " + counted + " [{elapsed}<{remaining}]"
    return tqdm.format_meter(done, total, seconds, ncols=columns, prefix=label, bar_format=layout, ascii=not unicode)


def _columns(stream: TextIO) -> int:
    """The terminal's width, less one: a line as wide as the terminal wraps in some."""
    try:
        return max(20, os.get_terminal_size(stream.fileno()).columns - 1)
    except (AttributeError, OSError, ValueError):
        return shutil.get_terminal_size().columns - 1


def _writes_unicode(stream: TextIO) -> bool:
    return (getattr(stream, "encoding", None) or "").lower().replace("-", "") in ("utf8", "utf8sig")
