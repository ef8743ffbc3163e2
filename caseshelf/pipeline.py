"""The build, top to bottom: load -> site model -> render -> write.

Each stage is timed, so `--verbose` prints a free profile of the build.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from caseshelf.exports import render_exports
from caseshelf.loading import load_content
from caseshelf.model import Loaded
from caseshelf.pages import plan_pages
from caseshelf.problems import BuildFailed
from caseshelf.search import build_search_index
from caseshelf.render import OutputFile, make_environment, render_pages
from caseshelf.site import Site, build_site
from caseshelf.theme import Theme, find_theme
from caseshelf.views import journal_view
from caseshelf.write import check_output_dir, find_path_collisions, write_site


@dataclass(frozen=True, slots=True)
class BuildOptions:
    source: Path = Path("content")
    output: Path = Path("_site")
    base_url: str | None = None
    """Overrides journal.yaml's base_url (e.g. the GitHub Pages URL in CI)."""
    search: bool = True
    """Build the full-text search index (`--no-search` skips it for quick builds)."""


@dataclass(frozen=True, slots=True)
class BuildReport:
    pages: int
    files: int
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds per stage, in pipeline order."""


class _Stopwatch:
    def __init__(self) -> None:
        self.start = self.last = time.perf_counter()
        self.timings: dict[str, float] = {}

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage] = now - self.last
        self.last = now

    @property
    def total(self) -> float:
        return time.perf_counter() - self.start


def check(options: BuildOptions) -> Loaded:
    """Validate the content only; raises BuildFailed with every problem."""
    return load_content(options.source, options.base_url)


def build(options: BuildOptions, progress: Callable[[str], None] = lambda _: None) -> BuildReport:
    """Build the whole site into options.output; on any problem, raise and leave it untouched."""
    watch = _Stopwatch()
    check_output_dir(options.output, options.source)
    loaded = load_content(options.source, options.base_url)
    watch.lap("load")
    site = build_site(loaded)
    watch.lap("model")
    progress(f"{len(site.articles)} articles, {len(site.people)} authors")
    theme = find_theme(options.source)
    outputs, page_count = render_site(site, theme)
    static_files = theme.static_files()
    watch.lap("render")
    problems = find_path_collisions([*outputs, *(OutputFile("static/" + name, b"") for name in static_files)])
    if problems:
        raise BuildFailed(problems)
    finish = (lambda staging: build_search_index(staging, progress)) if options.search else None
    files = write_site(outputs, static_files, options.output, finish)
    watch.lap("write" if not options.search else "write+search")
    return BuildReport(pages=page_count, files=files, seconds=watch.total, timings=watch.timings)


def render_site(site: Site, theme: Theme) -> tuple[list[OutputFile], int]:
    """Every output file of the site but the static ones, and how many of them are HTML pages."""
    exports = render_exports(site)
    pages = plan_pages(site, exports.article_extras)
    html = render_pages(make_environment(theme), pages, journal_view(site.journal))
    return [*html, *exports.files], len(html)
