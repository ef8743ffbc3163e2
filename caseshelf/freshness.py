"""Stage 0: is the output already up to date? Answered from file names, sizes and times alone.

This module imports nothing heavy (no templates, Markdown, XML or citation libraries), so the
command line asks it first and a build with nothing to do costs two directory walks.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from caseshelf import __version__
from caseshelf.cache import FileTree, cache_dir, input_fingerprint, load_summary
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


@dataclass(frozen=True, slots=True)
class Freshness:
    """What the build would read and what the output holds, compared with the last build."""

    theme: Theme
    fingerprint: str
    """`input_fingerprint` of this build's inputs and settings."""
    output: FileTree | None
    """The output's files as they are now (None for a build without the cache)."""
    last: dict[str, Any]
    """The summary the last build saved (empty if none)."""
    started: float
    """When the build began (`time.perf_counter()`), for its timings."""

    @property
    def up_to_date(self) -> bool:
        """The inputs are those of the last build, and its output is there as it left it."""
        last = self.last
        return (
            self.output is not None
            and last.get("inputs") == self.fingerprint
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
    fingerprint = input_fingerprint(options.source.resolve(), (*theme.template_dirs, *theme.static_dirs), settings)
    if not options.cache:
        return Freshness(theme, fingerprint, None, {}, started)
    return Freshness(theme, fingerprint, FileTree(options.output.resolve()), load_summary(cache_dir(options.source)), started)
