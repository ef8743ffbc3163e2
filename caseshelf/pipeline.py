"""The build, top to bottom: load -> site model -> exports and pages -> write -> search index.

Per-article work (exports, page views, templates) runs on every core: worker processes inherit
the site model and write straight into the writer's directory, which reaches the output only
when everything succeeded. With a build cache and an intact previous output, the build is
incremental: only exports and pages whose inputs changed are rendered, and only files whose
bytes changed are written. Each stage is timed, so `--verbose` prints a free profile.
"""

from __future__ import annotations

import os
import pickle
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import jinja2

from caseshelf import __version__
from caseshelf.cache import LIBRARY_VERSIONS, BuildCache, OutputFiles, cache_dir, digest, input_fingerprint, key_of, load_cache, load_summary, new_build_id, save_cache
from caseshelf.exports.citation_style import style_fingerprint
from caseshelf.exports.fragments import ArticleFragments, article_fragments
from caseshelf.exports.paths import article_file
from caseshelf.exports import ARTICLE_FILES, build_moment, check_journal_style, render_archive_exports, render_article_exports
from caseshelf.loading import load_content
from caseshelf.model import Article, Journal, Loaded
from caseshelf.pages import Page, plan_pages
from caseshelf.parallel import default_jobs, map_shares
from caseshelf.problems import BuildFailed, Problem
from caseshelf.publish import publish_files
from caseshelf.render import make_environment, render_page, template_problem
from caseshelf.search import build_search_index
from caseshelf.site import Site, build_site
from caseshelf.theme import Theme, find_theme
from caseshelf.views import ArticleExtras, journal_view
from caseshelf.write import Patch, Staging, check_output_dir, find_path_collisions, mark_incomplete, read_build_id

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
    output = options.output.resolve()
    if options.cache:
        previous = OutputFiles(output)
        last = load_summary(cache_dir(options.source))
        if last.get("inputs") == inputs and last.get("build_id") == read_build_id(output) and last.get("output") == previous.state:
            progress("Nothing changed since the last build: the site is up to date")
            watch.lap("load")
            return BuildReport(pages=last.get("pages", 0), files=last.get("files", 0), seconds=watch.total, timings=watch.timings)
    cache = load_cache(cache_dir(options.source), progress) if options.cache else BuildCache()
    incremental = options.cache and _previous_output_intact(output, previous.state, cache)
    loaded = _load(options, jobs, cache)
    watch.lap("load")
    site = build_site(loaded)
    check_journal_style(site.journal)
    static_files = theme.static_files()
    record_digests = _record_digests(site, cache)
    extras: dict[str, ArticleExtras] = {}  # filled by the exports stage, read by article pages
    pages = plan_pages(site, partial(_extras_of, extras, site.journal), record_digests)
    _refuse_collisions(site, pages, static_files)
    watch.lap("model")
    progress(f"{len(site.articles)} articles, {len(site.people)} authors")
    with Patch(output) if incremental else Staging(output) as writer:
        extras.update(_write_article_exports(site, record_digests, writer, jobs, cache, incremental))
        watch.lap("exports")
        _write_pages(pages, theme, site.journal, writer, jobs, cache, incremental)
        written = {page.output_path for page in pages}
        written |= {article_file(a, name) for a in site.articles for _, name, _ in ARTICLE_FILES}
        for file in [*render_archive_exports(site, build_moment(), fragments=cache.fragments), *publish_files(site.journal, options.source)]:
            writer.write(file.path, file.content)
            written.add(file.path)
        for name, path in static_files.items():
            writer.copy(STATIC_PREFIX + name, path)
            written.add(STATIC_PREFIX + name)
        watch.lap("pages")
        cache.build_id = new_build_id()
        if incremental:
            touched = writer.apply(cache.build_id, removed=cache.files - written)
        else:
            if options.search:
                build_search_index(writer.root, progress)
            writer.publish(cache.build_id)
    if incremental and not options.search:
        previous.refresh(touched)
        now = previous
    else:
        if incremental:
            _rebuild_search_index(output, progress)
        now = OutputFiles(output)
    cache.files = frozenset(written)
    cache.output_state = now.state
    files = len(now) - 1  # the marker file is bookkeeping, not part of the site
    watch.lap("write")
    if options.cache:
        cache.inputs, cache.page_count, cache.file_count = inputs, len(pages), files
        save_cache(cache_dir(options.source), cache)
    return BuildReport(pages=len(pages), files=files, seconds=watch.total, timings=watch.timings)


def _load(options: BuildOptions, jobs: int, cache: BuildCache) -> Loaded:
    """Load the content, noting in the cache which records changed (only those are saved again)."""
    before = {name: entry[0] for name, entry in cache.records.items()}
    loaded = load_content(options.source, options.base_url, jobs, cache)
    after = {name: entry[0] for name, entry in cache.records.items()}
    if cache.changed_records is not None:
        cache.changed_records = frozenset(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
    return loaded


def _rebuild_search_index(output: Path, progress: Callable[[str], None]) -> None:
    """Pagefind indexes the finished pages, so after an incremental build it runs on the output
    itself; should it fail, the output is marked so that the next build starts afresh."""
    try:
        build_search_index(output.resolve(), progress)
    except BaseException:
        mark_incomplete(output.resolve())
        raise


def _inputs(options: BuildOptions, theme: Theme) -> str:
    """Fingerprint of everything this build would read; the build id of the output is checked
    separately, so a deleted or replaced output is always rebuilt."""
    settings = (options.base_url, options.search, os.environ.get("SOURCE_DATE_EPOCH"), __version__)
    return input_fingerprint(options.source.resolve(), (*theme.template_dirs, *theme.static_dirs), settings)


def _jobs(options: BuildOptions) -> int:
    return options.jobs if options.jobs > 0 else default_jobs()


def _refuse_collisions(site: Site, pages: list[Page], static_files: dict[str, Path]) -> None:
    """Every output path is claimed once: pages, per-article files and static files."""
    paths = [page.output_path for page in pages]
    paths += [article_file(article, name) for article in site.articles for _, name, _ in ARTICLE_FILES]
    paths += [STATIC_PREFIX + name for name in static_files]
    problems = find_path_collisions(paths)
    if problems:
        raise BuildFailed(problems)


def _previous_output_intact(output: Path, state: str, cache: BuildCache) -> bool:
    """Whether the output is the one the cache describes, untouched since (its files' `state`):
    only then may an incremental build leave its unchanged files as they are."""
    return bool(cache.build_id and cache.files and read_build_id(output) == cache.build_id and state == cache.output_state)


def _record_digests(site: Site, cache: BuildCache) -> dict[str, str]:
    """Article DOI -> digest of its record file's bytes and path: all an article's views and
    exports are made of (with the journal and the theme)."""
    return {article.doi: digest(cache.records[article.source][0].encode(), article.source.encode()) for article in site.articles}


def _write_article_exports(
    site: Site, record_digests: dict[str, str], writer: Patch | Staging, jobs: int, cache: BuildCache, incremental: bool
) -> dict[str, ArticleExtras]:
    """JATS, BibTeX, RIS and CSL-JSON beside each article page, for the articles whose record or
    journal changed (all of them in a full build). Returns what each rendered article's page
    adds; each article's share of the archive-wide files is kept in `cache.fragments`."""
    context = pickle.dumps((site.journal, style_fingerprint(site.journal.citation_style), __version__, LIBRARY_VERSIONS))
    keys = {doi: digest(context, record.encode()) for doi, record in record_digests.items()}
    todo = [
        article for article in site.articles
        if not incremental or cache.exports.get(article.doi) != keys[article.doi] or article.doi not in cache.fragments
    ]  # fmt: skip
    extras: dict[str, ArticleExtras] = {}
    fragments = {doi: cache.fragments[doi] for doi in keys if doi in cache.fragments}
    for share in map_shares(_exports_share, (todo, site.journal, writer), len(todo), jobs):
        for doi, (article_extras, article_fragments_) in share.items():
            extras[doi] = article_extras
            fragments[doi] = article_fragments_
    if cache.changed_fragments is not None:
        cache.changed_fragments = frozenset(extras) | (cache.fragments.keys() - fragments.keys())
    cache.exports, cache.fragments = keys, fragments
    return extras


def _exports_share(shared: tuple, share: int, shares: int) -> dict[str, tuple[ArticleExtras, ArticleFragments]]:
    todo, journal, writer = shared
    entries = {}
    for article in todo[share::shares]:
        files, extras = render_article_exports(article, journal)
        for file in files:
            writer.write(file.path, file.content)
        entries[article.doi] = (extras, article_fragments(article, journal))
    return entries


def _write_pages(pages: list[Page], theme: Theme, journal: Journal, writer: Patch | Staging, jobs: int, cache: BuildCache, incremental: bool) -> None:
    """Render every page whose inputs changed (every page in a full build)."""
    context = pickle.dumps((theme.fingerprint(), journal, style_fingerprint(journal.citation_style), __version__, LIBRARY_VERSIONS))
    known = cache.pages if incremental else {}
    problems: dict[str, Problem] = {}
    keys: dict[str, str] = {}
    shared = (pages, theme, journal, writer, context, known)
    for share_keys, share_problems in map_shares(_pages_share, shared, len(pages), jobs):
        keys.update(share_keys)
        problems.update((str(problem), problem) for problem in share_problems)
    if problems:
        raise BuildFailed(list(problems.values()))
    cache.pages = keys


def _pages_share(shared: tuple, share: int, shares: int) -> tuple[dict[str, str], list[Problem]]:
    """Render and write every `shares`-th page unless its inputs are those of the page already
    in the output; template mistakes are collected, not raised."""
    pages, theme, journal, writer, context, known = shared
    env = make_environment(theme)
    journal_page = journal_view(journal)
    keys, problems = {}, []
    for page in pages[share::shares]:
        if page.inputs is not None:
            key = keys[page.output_path] = key_of((page.template, page.inputs()), context)
            if known.get(page.output_path) == key:
                continue
        try:
            output = render_page(env, page, journal_page, page.build_view())
        except jinja2.TemplateError as error:
            problems.append(template_problem(error, page.template))
            continue
        writer.write(output.path, output.content)
    return keys, problems


def _extras_of(extras: dict[str, ArticleExtras], journal: Journal, article: Article) -> ArticleExtras:
    """What the exports add to an article's page: from this build's exports stage, or made
    again for a page whose exports were unchanged but which shows something else that changed."""
    known = extras.get(article.doi)
    return known if known is not None else render_article_exports(article, journal)[1]
