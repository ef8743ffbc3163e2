"""The build, top to bottom: load -> site model -> exports and pages -> write -> search index.

Per-article work (exports, page views, templates) runs on every core (see render_stage.py):
worker processes inherit the site model and write straight into the writer's directory, which
reaches the output only when everything succeeded. The exports need the record and the journal
only: while this process builds the site model, which it does alone, the other cores begin them.

With a build cache and an intact previous output, the build is incremental: only exports and
pages whose inputs changed are rendered, and only files whose bytes changed are written. When
the edits since the last build leave the site model as it was (a title or an abstract edited,
not an author, a keyword or a DOI), the last build's model is reused with the new records put
in (see model_stage.py), and only the inputs of the pages showing the edited records are even
compared. A build without a usable cache still writes only the files whose bytes differ from
those of the output it finds. Each stage is timed, so `--verbose` prints a free profile.
"""

from __future__ import annotations

import pickle
import time
from collections.abc import Callable, Iterable
from functools import partial
from itertools import chain
from pathlib import Path

from caseshelf.cache import (
    BuildCache,
    cache_dir,
    digest,
    load_cache,
    load_summary,
    new_build_id,
    nothing_to_wait_for,
    save_cache,
    save_records_alongside,
)
from caseshelf.collector import long_lived_allocations, release_long_lived
from caseshelf.exports.cite import for_citation
from caseshelf.exports.citation_style import StyleError
from caseshelf.file_tree import FileTree
from caseshelf.freshness import (
    BuildOptions,
    BuildReport,
    Freshness,
    check_freshness,
    report_nothing_changed,
)
from caseshelf.loading import load_content
from caseshelf.model import Article, Journal, Loaded
from caseshelf.model_stage import modelled, modelled_and_kept
from caseshelf.pages_stage import write_other_files, write_pages
from caseshelf.parallel import default_jobs
from caseshelf.problems import BuildFailed, Problem
from caseshelf.progress import SILENT, Meter, WarningsKept, counted
from caseshelf.render_stage import (
    ArticlesDone,
    ExportsAhead,
    ExportsSoFar,
    Plan,
    Rendering,
    Renderer,
    exporting_while,
    made_with,
    may_have_changed,
    pages_showing_edits,
    to_export_ahead,
    uncitable,
    write_articles,
)
from caseshelf.search_index import BUNDLE_DIR
from caseshelf.search_stage import index_patched_output, make_search_index, set_index_aside
from caseshelf.theme import find_theme
from caseshelf.write import (
    MARKER,
    Patch,
    Staging,
    read_build_id,
)


class _Stopwatch:
    """Times each stage of a build (`--verbose` prints them), and tells the meter (the
    progress bar) when one begins."""

    def __init__(self, start: float, meter: WarningsKept) -> None:
        self.start = self.last = start
        self.timings: dict[str, float] = {}
        self.meter = meter

    def begin(self, label: str, total: int = 0, unit: str = "") -> None:
        self.meter.stage(label, total, unit)

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage] = now - self.last
        self.last = now

    @property
    def total(self) -> float:
        return time.perf_counter() - self.start


def check(options: BuildOptions, meter: Meter = SILENT) -> Loaded:
    """Validate the content, and the site it makes (no two pages at one address), writing
    nothing; raises BuildFailed with every problem."""
    cache = BuildCache()  # of this run only: the model reads the records' digests from it
    loaded = load_content(options.source, options.base_url, _jobs(options), cache, meter)
    problems = _uncitable_records(loaded, meter)
    try:
        plan = modelled(loaded, {}, cache, find_theme(options.source), nothing_to_wait_for, _record_digests(loaded.articles, cache))
    except BuildFailed as failed:
        problems += failed.problems
    else:
        for warning in plan.site.orcid_warnings:
            meter.warning(warning)
    if problems:
        raise BuildFailed(problems)
    return loaded


def _uncitable_records(loaded: Loaded, meter: Meter) -> list[Problem]:
    """A problem for each record the journal's citation style fails on. The style was tried on
    a sample citation when journal.yaml was read, but a style can fail on one record's values
    alone, and the build formats every record's "For citation" line: so does check."""
    meter.stage("Citing records", len(loaded.articles), "record")
    problems = []
    for article in loaded.articles:
        try:
            for_citation(article, loaded.journal)
        except StyleError as error:
            problems.append(uncitable(article, error))
        meter.advance(1)
    return problems


def build(
    options: BuildOptions, progress: Callable[[str], None] = lambda _: None, freshness: Freshness | None = None, meter: Meter = SILENT,
) -> BuildReport:  # fmt: skip
    """Build the whole site into options.output; on any problem, raise and leave it untouched.
    `progress` gets the lines to print; `meter`, each stage as it begins and how far it has
    got. `freshness`: what `check_freshness(options)` found, when the caller asked it already."""
    freshness = freshness or check_freshness(options)
    if freshness.up_to_date:
        return report_nothing_changed(freshness, progress, meter)
    watch = _Stopwatch(freshness.started, WarningsKept(meter))
    watch.lap("check")
    if options.cache:
        watch.begin("Reading the build cache")
    with long_lived_allocations():
        cache = _take_cache(options, progress)
    try:
        report = _build(options, progress, watch, freshness, cache)
    finally:
        release_long_lived()
    if options.cache:
        # Kept in memory for the next build of a long-running process (the preview server).
        # Only after a success: a failed build may have half updated it, and is not kept.
        _kept_caches[cache_dir(options.source)] = cache
    return report


#: Cache directory -> the cache as the last successful build in this process left it.
_kept_caches: dict[Path, BuildCache] = {}


def forget_kept_caches() -> None:
    """Free the caches kept in memory: the next build reads its cache from disk, as a new
    process would."""
    _kept_caches.clear()


def _take_cache(options: BuildOptions, progress: Callable[[str], None]) -> BuildCache:
    """The cache this process kept from its last build, when it is still the one on disk;
    else the one on disk (loading it costs seconds for a large archive)."""
    if not options.cache:
        return BuildCache()
    directory = cache_dir(options.source)
    kept = _kept_caches.pop(directory, None)
    if kept is not None and kept.build_id and kept.build_id == load_summary(directory).get("build_id"):
        return kept
    return load_cache(directory, progress)


def _build(options: BuildOptions, progress: Callable[[str], None], watch: _Stopwatch, freshness: Freshness, cache: BuildCache) -> BuildReport:
    jobs, output = _jobs(options), options.output.resolve()
    loaded, edited, records_saved = _load_stage(options, jobs, cache, watch)
    digests = _record_digests(loaded.articles, cache)
    export_keys = _export_keys(loaded.journal, digests)
    # Even an output the cache cannot vouch for (no cache, another version's, edited by hand) is
    # patched: only the files whose bytes differ are written, and those the site no longer has
    # removed. Writing a whole new site beside it and deleting the old one costs far more (and,
    # on a file system without a journal, slows down every build in the minutes after).
    ours = freshness.output_scan is not None  # an output of ours is there: a child lists it meanwhile
    with Patch(output) if ours else Staging(output) as writer:
        # Whether the output is intact waits for its listing: the exports made ahead are those
        # an incremental build makes if it is, a subset of the others' if it is not.
        maybe_incremental = ours and _output_of_the_last_build(output, cache)
        ahead = ExportsAhead(loaded.journal, to_export_ahead(loaded, export_keys, cache, maybe_incremental), writer, cache)
        model = partial(modelled_and_kept, loaded, edited, cache, freshness.theme, records_saved, digests, options.cache)
        exported_ahead, plan = _model_stage(model, ahead, jobs, watch)
        previous = freshness.output  # see freshness.OutputScan
        incremental = previous is not None and _previous_output_intact(output, previous.state, cache)
        progress(f"{counted(len(plan.site.articles), 'article')}, {counted(len(plan.site.people), 'author')}")
        renderer = Renderer(freshness.theme, plan.site.journal, plan.inputs, cache.pages if incremental else {}, keyed=options.cache)
        showing_edits = pages_showing_edits(plan, cache, renderer) if incremental else None
        exports = ExportsSoFar(export_keys, exported_ahead)
        written, rendering = _render_pages(plan, renderer, writer, jobs, cache, incremental, showing_edits, watch, exports)
        watch.lap("pages")
        watch.begin("Writing the site")
        cache.build_id = new_build_id()
        if isinstance(writer, Patch):
            leftovers = cache.files if incremental else previous.entries.keys() - {MARKER}
            touched = writer.apply(cache.build_id, removed=leftovers - written)
        else:
            if options.search:
                watch.begin("Building the search index")
                make_search_index(writer.root, plan.site, options, cache, progress, jobs)
                watch.lap("search")
            writer.publish(cache.build_id)
    if previous is not None:
        if options.search:
            watch.begin("Building the search index")
            index_patched_output(output, plan.site, options, cache, progress, jobs)
            watch.lap("search")
            previous.relist(BUNDLE_DIR)  # Pagefind, not the writer, wrote there
        elif set_index_aside(output, options, cache):
            previous.relist(BUNDLE_DIR)
        previous.refresh(touched)  # only what the build touched can have changed
        now = previous
    else:  # a new output, every file of which the writer noted (but Pagefind's)
        now = FileTree.of_entries(output, chain(rendering.files, writer.written))
        if options.search:
            now.relist(BUNDLE_DIR)
    page_count, files, size = len(plan.pages) + 2 * len(plan.site.articles), len(now) - 1, now.size  # the marker is bookkeeping
    watch.lap("write")
    if options.cache:
        cache.files, cache.output_state = frozenset(written), now.state
        cache.inputs, cache.page_count, cache.file_count, cache.output_size = freshness.fingerprint, page_count, files, size
        _save_cache(options, cache, plan, watch)
    return BuildReport(
        pages=page_count, files=files, seconds=watch.total, size=size, timings=watch.timings,
        rendered=tuple(sorted(rendering.rendered)), compared=len(rendering.keys) if options.cache else page_count,
    )  # fmt: skip


def _save_cache(options: BuildOptions, cache: BuildCache, plan: Plan, watch: _Stopwatch) -> None:
    """Save what the next build compares with, and the warnings it says again when nothing
    changed; a cache that cannot be saved is a warning, not a failure."""
    watch.begin("Saving the build cache")
    cache.warnings = tuple(watch.meter.warnings)
    not_saved = save_cache(cache_dir(options.source), cache, plan.records_saved)
    if not_saved:
        # The site is built: the next build only takes longer. Said even with --quiet.
        watch.meter.warning(f"Warning: the build cache could not be saved ({not_saved}); the next build renders everything")
    watch.lap("cache")


def _load_stage(options: BuildOptions, jobs: int, cache: BuildCache, watch: _Stopwatch) -> tuple[Loaded, dict[str, Article | None], Callable[[], str | None]]:
    """The content loaded (see `_load`), and the wait for the records' part of the cache, saved
    meanwhile by a child process (see cache.save_records_alongside)."""
    with long_lived_allocations():  # the records
        loaded, edited = _load(options, jobs, cache, watch.meter)
    saving_alongside = options.cache and jobs > 1  # `--jobs 1`: one process
    records_saved = save_records_alongside(cache_dir(options.source), cache) if saving_alongside else nothing_to_wait_for
    watch.lap("load")
    return loaded, edited, records_saved


def _model_stage(model: Callable[[], Plan], ahead: ExportsAhead, jobs: int, watch: _Stopwatch) -> tuple[ArticlesDone, Plan]:
    """The site model and what will be made of it (`model()`), with exports made `ahead` on
    the other cores meanwhile (see render_stage.exporting_while)."""
    watch.begin("Building the site model")
    exported_ahead, plan = exporting_while(ahead, jobs, model)
    for warning in plan.site.orcid_warnings:
        watch.meter.warning(warning)
    watch.lap("model")
    return exported_ahead, plan


def _render_pages(
    plan: Plan, renderer: Renderer, writer: Patch | Staging, jobs: int, cache: BuildCache, incremental: bool,
    showing_edits: set[str] | None, watch: _Stopwatch, exports: ExportsSoFar,
) -> tuple[set[str], Rendering]:  # fmt: skip
    """Every article's exports (but those made ahead, see render_stage.ExportsSoFar) and pages,
    then the other pages and files; raises with every template mistake found in both.
    `showing_edits`: see render_stage.pages_showing_edits. Returns the path of every file the
    site has, and what rendering found."""
    rendering = write_articles(plan.site, plan.inputs, renderer, writer, jobs, cache, incremental, showing_edits, watch.meter, exports)
    watch.lap("articles")
    pages = [page for page in plan.pages if may_have_changed(page, showing_edits)]
    # The archive-wide files need every article's fragments, and nothing the other pages need:
    # they are written with those pages (see pages_stage.write_pages).
    # After edits that leave the model and every page's context as they were, some of them are
    # known to be as the last build wrote them, and some are spliced.
    edits = plan.edits if showing_edits is not None else None
    archive_files = partial(write_other_files, plan, writer, cache, edits)
    watch.begin("Rendering pages", len(pages), "page")
    written = write_pages(pages, renderer, writer, jobs, rendering, archive_files, len(plan.site.articles), watch.meter)
    if rendering.problems:
        raise BuildFailed(list({str(problem): problem for problem in rendering.problems}.values()))
    if showing_edits is None:
        cache.pages, cache.page_records = rendering.keys, rendering.records
    else:  # the same pages as last time, showing the same records: only some keys are new
        cache.pages = {**cache.pages, **rendering.keys}
    cache.page_context = renderer.context_key
    return written, rendering


def _load(options: BuildOptions, jobs: int, cache: BuildCache, meter: Meter) -> tuple[Loaded, dict[str, Article | None]]:
    """Load the content, noting in the cache which records changed (only those are saved
    again). Returns it with the records added, removed or edited since the last build: record
    path -> the article the last build had (None when it had none)."""
    before = dict(cache.records)
    loaded = load_content(options.source, options.base_url, jobs, cache, meter)
    after = cache.records
    names = before.keys() | after.keys()
    if cache.changed_records is not None:
        cache.changed_records = frozenset(name for name in names if _saved_part(before.get(name)) != _saved_part(after.get(name)))
    edited = [name for name in names if _digest_of(before.get(name)) != _digest_of(after.get(name))]
    return loaded, {name: before[name][1] if name in before else None for name in edited}


def _saved_part(entry: tuple | None) -> tuple | None:
    """What of a record's cache entry is compared to tell whether it must be saved again: the
    digest of its bytes and its size and modification time."""
    return (entry[0], entry[3]) if entry else None


def _digest_of(entry: tuple | None) -> str | None:
    return entry[0] if entry else None


def _jobs(options: BuildOptions) -> int:
    return options.jobs if options.jobs > 0 else default_jobs()


def _previous_output_intact(output: Path, state: str, cache: BuildCache) -> bool:
    """Whether the output is the one the cache describes, untouched since (its files' `state`):
    only then may an incremental build leave its unchanged files as they are."""
    return _output_of_the_last_build(output, cache) and state == cache.output_state


def _output_of_the_last_build(output: Path, cache: BuildCache) -> bool:
    """Whether the output is the one the cache describes, as its marker says."""
    return bool(cache.build_id and cache.files and read_build_id(output) == cache.build_id)


def _record_digests(articles: Iterable[Article], cache: BuildCache) -> dict[str, str]:
    """Article DOI -> digest of its record file's bytes and path: all an article's views and
    exports are made of (with the journal and the theme)."""
    return {article.doi: digest(cache.records[article.source][0].encode(), article.source.encode()) for article in articles}


def _export_keys(journal: Journal, record_digests: dict[str, str]) -> dict[str, str]:
    """Article DOI -> the key of its exports: they are made of the record, the journal and the
    code alone."""
    context = pickle.dumps(made_with(journal))
    return {doi: digest(context, record.encode()) for doi, record in record_digests.items()}
