"""The build, top to bottom: load -> site model -> exports and pages -> write -> search index.

Per-article work (exports, page views, templates) runs on every core: worker processes inherit
the site model and write straight into the staging directory, which is swapped in only when
everything succeeded. Each stage is timed, so `--verbose` prints a free profile of the build.
"""

from __future__ import annotations

import os
import pickle
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from caseshelf import __version__
from caseshelf.cache import BuildCache, cache_dir, input_fingerprint, key_of, load_cache, load_summary, new_build_id, output_state, reuse_file, save_cache, scan_output
from caseshelf.exports.citation_style import style_fingerprint
from caseshelf.exports.fragments import ArticleFragments, article_fragments
from caseshelf.exports.paths import article_file
from caseshelf.exports import ARTICLE_FILES, build_moment, check_journal_style, render_archive_exports, render_article_exports
from caseshelf.loading import load_content
from caseshelf.model import Loaded
from caseshelf.pages import plan_pages
from caseshelf.parallel import default_jobs, map_shares
from caseshelf.problems import BuildFailed, Problem
from caseshelf.publish import publish_files
from caseshelf.render import make_environment, render_page, template_problem
from caseshelf.search import build_search_index
from caseshelf.site import Site, build_site
from caseshelf.theme import Theme, find_theme
from caseshelf.views import ArticleExtras, journal_view
from caseshelf.write import Staging, check_output_dir, find_path_collisions, read_build_id, write_file

STATIC_PREFIX = "static/"


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
    return load_content(options.source, options.base_url, _jobs(options))


def build(options: BuildOptions, progress: Callable[[str], None] = lambda _: None) -> BuildReport:
    """Build the whole site into options.output; on any problem, raise and leave it untouched."""
    watch = _Stopwatch()
    jobs = _jobs(options)
    check_output_dir(options.output, options.source)
    theme = find_theme(options.source)
    inputs = _inputs(options, theme)
    if options.cache:
        last = load_summary(cache_dir(options.source))
        output = options.output.resolve()
        if last.get("inputs") == inputs and last.get("build_id") == read_build_id(output) and last.get("output") == output_state(output):
            progress("Nothing changed since the last build: the site is up to date")
            watch.lap("load")
            return BuildReport(pages=last.get("pages", 0), files=last.get("files", 0), seconds=watch.total, timings=watch.timings)
    cache = load_cache(cache_dir(options.source), progress) if options.cache else BuildCache()
    previous = _previous_output(options.output, cache)
    loaded = load_content(options.source, options.base_url, jobs, cache)
    watch.lap("load")
    site = build_site(loaded)
    check_journal_style(site.journal)
    static_files = theme.static_files()
    _refuse_collisions(site, static_files)
    watch.lap("model")
    progress(f"{len(site.articles)} articles, {len(site.people)} authors")
    with Staging(options.output) as staging:
        extras, fragments = _write_article_exports(site, staging.root, jobs, cache, previous)
        watch.lap("exports")
        page_count = _write_pages(site, theme, extras, staging.root, jobs, cache, previous)
        for file in [*render_archive_exports(site, build_moment(), fragments=fragments), *publish_files(site.journal, options.source)]:
            staging.write(file.path, file.content)
        for name, path in static_files.items():
            staging.copy(STATIC_PREFIX + name, path)
        watch.lap("pages")
        if options.search:
            build_search_index(staging.root, progress)
            watch.lap("search")
        cache.build_id = new_build_id()
        staging.publish(cache.build_id)
    cache.output_state, files = scan_output(options.output.resolve())
    files -= 1  # the marker file is bookkeeping, not part of the site
    watch.lap("write")
    if options.cache:
        cache.inputs, cache.page_count, cache.file_count = inputs, page_count, files
        save_cache(cache_dir(options.source), cache)
    return BuildReport(pages=page_count, files=files, seconds=watch.total, timings=watch.timings)


def _inputs(options: BuildOptions, theme: Theme) -> str:
    """Fingerprint of everything this build would read; the build id of the output is checked
    separately, so a deleted or replaced output is always rebuilt."""
    settings = (options.base_url, options.search, os.environ.get("SOURCE_DATE_EPOCH"), __version__)
    return input_fingerprint(options.source.resolve(), (*theme.template_dirs, *theme.static_dirs), settings)


def _jobs(options: BuildOptions) -> int:
    return options.jobs if options.jobs > 0 else default_jobs()


def _refuse_collisions(site: Site, static_files: dict[str, Path]) -> None:
    """Every output path is claimed once: pages, per-article files and static files."""
    paths = [page.output_path for page in plan_pages(site)]
    paths += [article_file(article, name) for article in site.articles for _, name, _ in ARTICLE_FILES]
    paths += [STATIC_PREFIX + name for name in static_files]
    problems = find_path_collisions(paths)
    if problems:
        raise BuildFailed(problems)


def _previous_output(output: Path, cache: BuildCache) -> Path | None:
    """The last output, when the cache describes it and nobody has touched it since (so its
    files can be reused as they are)."""
    output = output.resolve()
    if not cache.build_id or read_build_id(output) != cache.build_id:
        return None
    return output if output_state(output) == cache.output_state else None


def _write_article_exports(
    site: Site, root: Path, jobs: int, cache: BuildCache, previous: Path | None
) -> tuple[dict[str, ArticleExtras], dict[str, ArticleFragments]]:
    """JATS, BibTeX, RIS and CSL-JSON beside each article page. Returns what each page adds,
    and each article's share of the archive-wide files (Crossref, DOAJ, OAI, articles.json)."""
    shared = (site, root, cache.exports, previous)
    entries: dict[str, tuple[str, ArticleExtras, ArticleFragments]] = {}
    for share_entries in map_shares(_exports_share, shared, len(site.articles), jobs):
        entries.update(share_entries)
    cache.exports = entries
    return (
        {doi: extras for doi, (_, extras, _) in entries.items()},
        {doi: fragments for doi, (_, _, fragments) in entries.items()},
    )


def _exports_share(shared: tuple, share: int, shares: int) -> dict[str, tuple[str, ArticleExtras, ArticleFragments]]:
    """Each article's exports, reused from the previous output when the article is unchanged."""
    site, root, known, previous = shared
    # The citation also depends on the CSL file's content and citeproc's version.
    context = pickle.dumps((site.journal, style_fingerprint(site.journal.citation_style), __version__))
    entries = {}
    for article in site.articles[share::shares]:
        key = key_of(article, context)
        cached = known.get(article.doi)
        names = [article_file(article, name) for _, name, _ in ARTICLE_FILES]
        if cached and cached[0] == key and all(reuse_file(previous, root, name) for name in names):
            entries[article.doi] = cached
            continue
        files, extras = render_article_exports(article, site.journal)
        for file in files:
            write_file(root, file.path, file.content)
        entries[article.doi] = (key, extras, article_fragments(article, site.journal))
    return entries


def _write_pages(
    site: Site, theme: Theme, extras: dict[str, ArticleExtras], root: Path, jobs: int, cache: BuildCache, previous: Path | None
) -> int:
    pages = len(plan_pages(site, extras))
    context = pickle.dumps((theme.fingerprint(), journal_view(site.journal), __version__))
    problems: dict[str, Problem] = {}
    keys: dict[str, str] = {}
    shared = (site, theme, extras, root, context, cache.pages, previous)
    for share_keys, share_problems in map_shares(_pages_share, shared, pages, jobs):
        keys.update(share_keys)
        problems.update((str(problem), problem) for problem in share_problems)
    if problems:
        raise BuildFailed(list(problems.values()))
    cache.pages = keys
    return pages


def _pages_share(shared: tuple, share: int, shares: int) -> tuple[dict[str, str], list[Problem]]:
    """Render and write every `shares`-th page, or reuse it when its view and templates are
    unchanged; template mistakes are collected, not raised."""
    site, theme, extras, root, context, known, previous = shared
    env = make_environment(theme)
    journal = journal_view(site.journal)
    keys, problems = {}, []
    for page in plan_pages(site, extras)[share::shares]:
        view = page.build_view()
        key = key_of((page.template, view), context)
        keys[page.output_path] = key
        if known.get(page.output_path) == key and reuse_file(previous, root, page.output_path):
            continue
        try:
            output = render_page(env, page, journal, view)
        except jinja2.TemplateError as error:
            problems.append(template_problem(error, page.template))
            continue
        write_file(root, output.path, output.content)
    return keys, problems
