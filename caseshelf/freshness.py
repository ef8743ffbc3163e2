"""Stage 0: is the output already up to date? Answered from file names, sizes and times alone.

This module imports nothing heavy (no templates, Markdown, XML or citation libraries), so the
command line asks it first and a build with nothing to do costs two directory walks.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from caseshelf import __version__
from caseshelf.cache import FileTree, cache_dir, input_fingerprint, load_summary
from caseshelf.parallel import default_jobs
from caseshelf.theme import Theme, find_theme
from caseshelf.write import check_output_dir, read_build_id

NOTHING_CHANGED = "Nothing changed since the last build: the site is up to date"


@dataclass(frozen=True, slots=True)
class BuildOptions:
    source: Path = Path("content")
    output: Path = Path("_site")
    base_url: str | None = None
    """Overrides journal.yaml's base_url (e.g. the GitHub Pages URL in CI)."""
    search: bool = True
    """Build the full-text search index (`--no-search` skips it for quick builds)."""
    jobs: int = 0
    """Worker processes; 0 means one per core."""
    cache: bool = True
    """Reuse what the last build computed (`--no-cache` for a cold build)."""


@dataclass(frozen=True, slots=True)
class BuildReport:
    pages: int
    files: int
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds per stage, in pipeline order."""
    rendered: tuple[str, ...] = ()
    """Output paths of the pages this build rendered; the others were unchanged."""
    compared: int = 0
    """How many pages' inputs were compared with the last build's; the others could not have
    changed (they show no edited record), or the build was cold (all pages were rendered)."""


@dataclass(frozen=True, slots=True)
class Freshness:
    """What the build would read and what the output holds, compared with the last build."""

    theme: Theme
    fingerprint: str
    """`input_fingerprint` of this build's inputs and settings."""
    output_scan: OutputScan | None
    """The output's files as they are now (None when no build can reuse the output: a build
    without the cache, or an output the last build did not leave)."""
    last: dict[str, Any]
    """The summary the last build saved (empty if none)."""
    started: float
    """When the build began (`time.perf_counter()`), for its timings."""

    @property
    def output(self) -> FileTree | None:
        return self.output_scan.tree() if self.output_scan else None

    @property
    def up_to_date(self) -> bool:
        """The inputs are those of the last build, and its output is there as it left it."""
        last = self.last
        return (
            last.get("inputs") == self.fingerprint
            and self.output is not None
            and last.get("build_id") == read_build_id(self.output.root)
            and last.get("output") == self.output.state
        )

    def unchanged_report(self) -> BuildReport:
        seconds = time.perf_counter() - self.started
        return BuildReport(pages=self.last.get("pages", 0), files=self.last.get("files", 0), seconds=seconds, timings={"check": seconds})


def check_freshness(options: BuildOptions) -> Freshness:
    started = time.perf_counter()
    check_output_dir(options.output, options.source)
    theme = find_theme(options.source)
    settings = (options.base_url, options.search, os.environ.get("SOURCE_DATE_EPOCH"), __version__)
    last, output = (load_summary(cache_dir(options.source)) if options.cache else {}), options.output.resolve()
    # Listed by a child while this process lists the inputs, then loads the cache (unless
    # nothing changed): not wanted when it is not the output the cache describes.
    scan = OutputScan(output, options.jobs or default_jobs()) if last and last.get("build_id") == read_build_id(output) else None
    fingerprint = input_fingerprint(options.source.resolve(), (*theme.template_dirs, *theme.static_dirs), settings)
    return Freshness(theme, fingerprint, scan, last, started)


class OutputScan:
    """The output's files (`FileTree`), with their state. Forked children list them, each a
    share (one per core), while this process lists the inputs and, when there is a build to do,
    imports the pipeline and loads the cache: 70,000 files take about a second to list, mostly
    in the kernel. A process with threads (the preview server) lists them itself, when first
    asked: a child forked from it could hang on a lock another thread held."""

    def __init__(self, root: Path, processes: int):
        self.root = root
        self._tree: FileTree | None = None
        self._children: list[tuple[multiprocessing.Process, Any]] = []
        if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
            fork = multiprocessing.get_context("fork")
            for share in range(processes):
                receiving, sending = fork.Pipe(duplex=False)
                child = fork.Process(target=_send_share, args=(root, share, processes, sending), daemon=True)
                child.start()
                sending.close()
                self._children.append((child, receiving))

    def tree(self) -> FileTree:
        if self._tree is None:
            received = self._receive()  # (an empty FileTree is falsy: hence no `or`)
            self._tree = received if received is not None else FileTree(self.root)
        return self._tree

    def _receive(self) -> FileTree | None:
        """The children's shares put together; None when there are none, or one failed."""
        children, self._children = self._children, []
        shares = []
        for child, receiving in children:
            try:
                shares.append(receiving.recv())
            except (EOFError, OSError):  # the child failed: the files are listed here instead
                pass
            finally:
                receiving.close()
                child.join()
        return FileTree.joined(self.root, shares) if children and len(shares) == len(children) else None


def _send_share(root: Path, share: int, shares: int, sending: Any) -> None:
    tree = FileTree(root, share, shares)
    tree.state  # noqa: B018 - worked out here, where it costs the build no time
    sending.send(tree)
    sending.close()
    # Ends here, without the exit handlers and stream flushing a child runs: a copy of this
    # process's unflushed output would be printed twice.
    os._exit(0)
