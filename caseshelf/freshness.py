"""Stage 0: is the output already up to date? Answered from file names, sizes and times alone.

This module imports nothing heavy (no templates, Markdown, XML or citation libraries), so the
command line asks it first and a build with nothing to do costs two directory walks.
"""

from __future__ import annotations

import mmap
import multiprocessing
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from caseshelf.code_version import CODE_VERSION
from caseshelf.cache import cache_dir, input_fingerprint, load_summary
from caseshelf.file_tree import FileTree
from caseshelf.parallel import Alongside, fork_is_safe
from caseshelf.progress import Meter
from caseshelf.theme import Theme, find_theme, user_theme_dirs
from caseshelf.write import check_output_dir, read_build_id

NOTHING_CHANGED = "Nothing changed since the last build: the site is up to date"
#: How many shares the output is listed in (see OutputScan): each share lists the directories
#: above the pages' again, so few; enough that this process, when it helps, waits little for
#: the share the child is listing.
SCAN_SHARES = 4


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
    size: int = 0
    """Bytes in all the output's files (0: not known)."""
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
    """The output's files as they are now (None when there is no output of ours yet)."""
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
        last = self.last
        return BuildReport(pages=last.get("pages", 0), files=last.get("files", 0), seconds=seconds, size=last.get("size", 0), timings={"check": seconds})


def report_nothing_changed(freshness: Freshness, progress: Callable[[str], None], meter: Meter) -> BuildReport:
    """The build of an output that is up to date: it says the warnings the last build said (the
    same inputs, the same warnings: an editor sees them on every build, not only on the one
    after an edit), then that nothing changed."""
    for line in freshness.last.get("warnings", ()):
        meter.warning(line)
    progress(NOTHING_CHANGED)
    return freshness.unchanged_report()


def check_freshness(options: BuildOptions) -> Freshness:
    started = time.perf_counter()
    theme = find_theme(options.source)
    check_output_dir(options.output, options.source, (cache_dir(options.source), *user_theme_dirs(options.source)))
    settings = (options.base_url, options.search, os.environ.get("SOURCE_DATE_EPOCH"), CODE_VERSION)
    last, output = (load_summary(cache_dir(options.source)) if options.cache else {}), options.output.resolve()
    # Listed by a child while this process lists the inputs, then loads the cache (unless
    # nothing changed), whenever an output of ours is there: a build reuses its unchanged files
    # even when the cache does not describe it (see pipeline._build).
    scan = OutputScan(output, SCAN_SHARES) if read_build_id(output) is not None else None
    fingerprint = input_fingerprint(options.source.resolve(), (*theme.template_dirs, *theme.static_dirs), settings)
    return Freshness(theme, fingerprint, scan, last, started)


class OutputScan:
    """The output's files (`FileTree`), with their state. A forked child lists them while this
    process lists the inputs and, when there is a build to do, imports the pipeline and loads
    the cache: 70,000 files take about a second to list, mostly in the kernel. The listing is
    split in shares, which the child takes from the first on; when this process asks for the
    files before the child has listed them all (when nothing changed, it has nothing else to
    do), it lists shares itself, from the last one back, until the two meet. One child, not one
    per core: while there is a build to do, a second would slow this process down as much.

    A process with threads (the preview server) lists them itself, when first asked: a child
    forked from it could hang on a lock another thread held."""

    def __init__(self, root: Path, shares: int):
        self.root = root
        self._tree: FileTree | None = None
        self._child: Alongside | None = None
        self._taken: _ShareFlags | None = None
        if fork_is_safe():
            self._taken = _ShareFlags(shares)
            # A daemon: a build that fails before it needs the listing does not wait for it.
            self._child = Alongside(_take_shares, root, self._taken, False, daemon=True)

    def tree(self) -> FileTree:
        if self._tree is None:
            listed_here = _take_shares(self.root, self._taken, from_last=True) if self._child else []
            received = self._receive()
            self._tree = FileTree.joined(self.root, received + listed_here) if received is not None else FileTree(self.root)
        return self._tree

    def _receive(self) -> list[FileTree] | None:
        """The shares the child listed; None when there is no child, or it failed."""
        if self._child is None:
            return None
        child, self._child = self._child, None
        try:
            return child.result()
        except (ChildProcessError, OSError):  # the files are listed here instead
            return None


class _ShareFlags:
    """One flag per share of a scan, set by whichever process takes the share. In a mapping of
    their own, which the child inherits, not in multiprocessing's shared heap (`Array`): a
    block of that heap is handed out again once freed, and the child of a scan dropped unread
    (a build that failed first) would go on setting flags in the next scan's, whose processes
    would then skip those shares."""

    def __init__(self, shares: int):
        self._flags = mmap.mmap(-1, shares)
        self._lock = multiprocessing.get_context("fork").Lock()

    def __len__(self) -> int:
        return len(self._flags)

    def take(self, share: int) -> bool:
        """Whether this process takes `share` (False: another one took it first)."""
        with self._lock:
            if self._flags[share]:
                return False
            self._flags[share] = 1
            return True


def _take_shares(root: Path, taken: _ShareFlags, from_last: bool) -> list[FileTree]:
    """List the shares no other process has taken, one after the other, from the first or the
    last one, until meeting one taken: the other process has those after it."""
    trees = []
    shares = len(taken)
    for share in reversed(range(shares)) if from_last else range(shares):
        if not taken.take(share):
            break
        trees.append(FileTree(root, share, shares))
        trees[-1].state  # noqa: B018 - worked out for each share, so that the joined tree has it
    return trees
