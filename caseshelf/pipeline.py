"""The build, top to bottom: load -> site model -> exports and pages -> write -> search index.

Per-article work (exports, page views, templates) runs on every core: worker processes inherit
the site model and write straight into the writer's directory, which reaches the output only
when everything succeeded. The exports need the record and the journal only: while this
process builds the site model, which it does alone, the other cores begin them.

With a build cache and an intact previous output, the build is incremental: only exports and
pages whose inputs changed are rendered, and only files whose bytes changed are written. When
the edits since the last build leave the site model as it was (a title or an abstract edited,
not an author, a keyword or a DOI), the last build's model is reused with the new records put
in, and only the inputs of the pages showing the edited records are even compared. A build
without a usable cache still writes only the files whose bytes differ from those of the output
it finds. Each stage is timed, so `--verbose` prints a free profile.
"""

from __future__ import annotations

import pickle
import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial
from itertools import chain
from pathlib import Path

import jinja2

from caseshelf import parallel
from caseshelf.code_version import CODE_VERSION
from caseshelf.cache import (
    LIBRARY_VERSIONS,
    BuildCache,
    FileTree,
    cache_dir,
    digest,
    key_of,
    load_cache,
    load_summary,
    new_build_id,
    nothing_to_wait_for,
    save_cache,
    save_records_alongside,
)
from caseshelf.collector import long_lived_allocations, release_long_lived
from caseshelf.exports import (
    archive_files_kept,
    article_extras,
    article_files,
    build_moment,
    render_archive_exports,
    render_article_exports,
    render_article_files,
    render_part_files,
)
from caseshelf.exports.cite import for_citation
from caseshelf.exports.citation_style import (
    StyleError,
    citations_to_save,
    seed_cache,
    style_fingerprint,
)
from caseshelf.exports.fragments import ArticleFragments, UnpackedFragments, article_fragments
from caseshelf.exports.splice import NO_PARTS, PartSpans, splice_recipe
from caseshelf.exports.paths import article_file
from caseshelf.freshness import (
    BuildOptions,
    BuildReport,
    Freshness,
    check_freshness,
    report_nothing_changed,
)
from caseshelf.identity import learn_slugs, used_slugs
from caseshelf.loading import load_content
from caseshelf.model import Article, Journal, Loaded
from caseshelf.pages import Page, PageInputs, article_page_paths, article_pages, site_pages
from caseshelf.parallel import default_jobs, in_rounds, map_shares, map_shares_alongside, map_shares_while
from caseshelf.problems import BuildFailed, Problem
from caseshelf.progress import SILENT, Meter, WarningsKept, counted
from caseshelf.publish import publish_files
from caseshelf.render import is_template_error, make_environment, render_page, template_problem
from caseshelf.search_index import (
    BUNDLE_DIR,
    KEPT_INDEX_DIR,
    SEARCH_PAGES_FILE,
    build_search_index,
    index_parts,
    set_search_index_aside,
    take_search_index_back,
)
from caseshelf.site import Site, build_site, model_part, model_without_records, relinked_model, shown_fields_changed
from caseshelf.theme import Theme, find_theme
from caseshelf.urls import output_name
from caseshelf.view_builders import journal_view, remember_summaries
from caseshelf.views import ArticleExtras, JournalView
from caseshelf.write import (
    MARKER,
    Patch,
    Staging,
    find_path_collisions,
    mark_incomplete,
    read_build_id,
)

STATIC_PREFIX = "static/"


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
        plan = _modelled(loaded, {}, cache, find_theme(options.source), nothing_to_wait_for, _record_digests(loaded.articles, cache))
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
            problems.append(_uncitable(article, error))
        meter.advance(1)
    return problems


def _uncitable(article: Article, error: StyleError) -> Problem:
    return Problem(article.source, 0, "", f"the journal's citation_style cannot cite this record: {error}")


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


@dataclass(frozen=True, slots=True)
class _Edits:
    """Edits since the last build that left the site model as it was."""

    dois: set[str]
    """The edited records' DOIs."""
    fields: frozenset[str]
    """The fields they changed: all shown only (see site.SHOWN_ONLY)."""


@dataclass(frozen=True, slots=True)
class _Plan:
    """The loaded site and what it will be made of."""

    site: Site
    inputs: PageInputs
    pages: list[Page]
    """The site's pages other than each article's own."""
    edits: _Edits | None
    """The records edited since the last build, when the edits left the site model as it was
    (see `_edits_leaving_the_model`); else None."""
    static_files: dict[str, Path]
    outputs: list[str]
    """The output path of every page, every article's pages and export files, and every
    static file."""
    records_saved: Callable[[], str | None]
    """Waits for the records' part of the cache, saved while the build goes on (see
    cache.save_records_alongside)."""


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
        ahead = _ExportsAhead(loaded.journal, _to_export_ahead(loaded, export_keys, cache, maybe_incremental), writer, cache)
        model = partial(_modelled_and_kept, loaded, edited, cache, freshness.theme, records_saved, digests, options.cache)
        exported_ahead, plan = _model_stage(model, ahead, jobs, watch)
        previous = freshness.output  # see freshness.OutputScan
        incremental = previous is not None and _previous_output_intact(output, previous.state, cache)
        progress(f"{counted(len(plan.site.articles), 'article')}, {counted(len(plan.site.people), 'author')}")
        renderer = _Renderer(freshness.theme, plan.site.journal, plan.inputs, cache.pages if incremental else {}, keyed=options.cache)
        showing_edits = _pages_showing_edits(plan, cache, renderer) if incremental else None
        exports = _Exports(export_keys, exported_ahead)
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
                _take_search_index_back(writer.root, options, cache)
                build_search_index(writer.root, index_parts(plan.site.articles), progress, jobs, _search_memory(options))
                watch.lap("search")
            writer.publish(cache.build_id)
    if previous is not None:
        if options.search:
            watch.begin("Building the search index")
            _take_search_index_back(output, options, cache)
            _rebuild_search_index(output, plan.site, progress, jobs, _search_memory(options))
            watch.lap("search")
            previous.relist(BUNDLE_DIR)  # Pagefind, not the writer, wrote there
        elif _set_search_index_aside(output, options, cache):
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
        watch.begin("Saving the build cache")
        cache.files, cache.output_state = frozenset(written), now.state
        cache.inputs, cache.page_count, cache.file_count, cache.output_size = freshness.fingerprint, page_count, files, size
        cache.warnings = tuple(watch.meter.warnings)
        not_saved = save_cache(cache_dir(options.source), cache, plan.records_saved)
        if not_saved:
            # The site is built: the next build only takes longer. Said even with --quiet.
            watch.meter.warning(f"Warning: the build cache could not be saved ({not_saved}); the next build renders everything")
        watch.lap("cache")
    return BuildReport(
        pages=page_count, files=files, seconds=watch.total, size=size, timings=watch.timings,
        rendered=tuple(sorted(rendering.rendered)), compared=len(rendering.keys) if options.cache else page_count,
    )  # fmt: skip


def _load_stage(options: BuildOptions, jobs: int, cache: BuildCache, watch: _Stopwatch) -> tuple[Loaded, dict[str, Article | None], Callable[[], str | None]]:
    """The content loaded (see `_load`), and the wait for the records' part of the cache, saved
    meanwhile by a child process (see cache.save_records_alongside)."""
    with long_lived_allocations():  # the records
        loaded, edited = _load(options, jobs, cache, watch.meter)
    saving_alongside = options.cache and jobs > 1  # `--jobs 1`: one process
    records_saved = save_records_alongside(cache_dir(options.source), cache) if saving_alongside else nothing_to_wait_for
    watch.lap("load")
    return loaded, edited, records_saved


def _model_stage(model: Callable[[], _Plan], ahead: _ExportsAhead, jobs: int, watch: _Stopwatch) -> tuple[_ArticlesDone, _Plan]:
    """The site model and what will be made of it (`model()`), with exports made `ahead` on
    the other cores meanwhile (see `_exporting_while`)."""
    watch.begin("Building the site model")
    exported_ahead, plan = _exporting_while(ahead, jobs, model)
    for warning in plan.site.orcid_warnings:
        watch.meter.warning(warning)
    watch.lap("model")
    return exported_ahead, plan


def _modelled(
    loaded: Loaded, edited: dict[str, Article | None], cache: BuildCache, theme: Theme, records_saved: Callable[[], str | None],
    digests: dict[str, str],
) -> _Plan:  # fmt: skip
    """The site model of the loaded records, its pages and the path of every output; refuses
    two outputs claiming one path. `digests`: see `_record_digests`."""
    with long_lived_allocations():  # the site model and the pages
        edits = _edits_leaving_the_model(loaded, edited, cache)
        site = _site_model(loaded, cache, edits is not None)
        inputs = PageInputs(site, digests)
        pages, static_files = site_pages(site, inputs), theme.static_files()
        outputs = [page.output_path for page in pages] + _article_outputs(site) + [STATIC_PREFIX + name for name in static_files]
        plan = _Plan(site, inputs, pages, edits, static_files, outputs, records_saved)
    _refuse_collisions(plan)
    return plan


def _modelled_and_kept(
    loaded: Loaded, edited: dict[str, Article | None], cache: BuildCache, theme: Theme, records_saved: Callable[[], str | None],
    digests: dict[str, str], keep: bool,
) -> _Plan:  # fmt: skip
    """`_modelled`, and with `keep`, a model built afresh (not the last build's, see
    `_site_model`) pickled into the cache for the next build (see site.model_without_records):
    here, while the other cores make exports (see `_exporting_while`), instead of at the end."""
    plan = _modelled(loaded, edited, cache, theme, records_saved, digests)
    if keep and not cache.model:
        cache.model = model_without_records(plan.site)
    return plan


def _edits_leaving_the_model(loaded: Loaded, edited: dict[str, Article | None], cache: BuildCache) -> _Edits | None:
    """The records edited since the last build, if the last build's site model (kept in the
    cache) is the model of these records too: none was added or removed, and none changed what
    the model reads of it. Else None."""
    if not cache.model or cache.slugs[0] != LIBRARY_VERSIONS:
        return None
    articles = {article.source: article for article in loaded.articles}
    fields: set[str] = set()
    for source, before in edited.items():
        now = articles.get(source)
        if before is None or now is None or model_part(before) != model_part(now):
            return None
        fields |= shown_fields_changed(before, now)
    return _Edits({before.doi for before in edited.values() if before is not None}, frozenset(fields))


def _site_model(loaded: Loaded, cache: BuildCache, same_model: bool) -> Site:
    """The site model: the last build's with these records put in, when it is `same_model`;
    else made with the slugs the last build made, when it made them with the same libraries
    (the cache then keeps this build's slugs for the next)."""
    if same_model:
        return relinked_model(cache.model, loaded)
    made_with, slugs = cache.slugs
    if made_with == LIBRARY_VERSIONS:
        learn_slugs(slugs)
    site = build_site(loaded)
    cache.slugs, cache.model = (LIBRARY_VERSIONS, used_slugs()), b""  # the model is kept when the cache is saved
    return site


def _render_pages(
    plan: _Plan, renderer: _Renderer, writer: Patch | Staging, jobs: int, cache: BuildCache, incremental: bool,
    showing_edits: set[str] | None, watch: _Stopwatch, exports: _Exports,
) -> tuple[set[str], _Rendering]:  # fmt: skip
    """Every article's exports (but those made ahead, see `_Exports`) and pages, then the other pages and
    files; raises with every template mistake found in both. `showing_edits`: see
    `_pages_showing_edits`. Returns the path of every file the site has, and what rendering found."""
    rendering = _write_articles(plan.site, plan.inputs, renderer, writer, jobs, cache, incremental, showing_edits, watch.meter, exports)
    watch.lap("articles")
    pages = [page for page in plan.pages if _may_have_changed(page, showing_edits)]
    # The archive-wide files need every article's fragments, and nothing the other pages need:
    # they are written with those pages (see `_write_pages`).
    # After edits that leave the model and every page's context as they were, some of them are
    # known to be as the last build wrote them, and some are spliced.
    edits = plan.edits if showing_edits is not None else None
    archive_files = partial(_write_other_files, plan, writer, cache, edits)
    watch.begin("Rendering pages", len(pages), "page")
    written = _write_pages(pages, renderer, writer, jobs, rendering, archive_files, len(plan.site.articles), watch.meter)
    if rendering.problems:
        raise BuildFailed(list({str(problem): problem for problem in rendering.problems}.values()))
    if showing_edits is None:
        cache.pages, cache.page_records = rendering.keys, rendering.records
    else:  # the same pages as last time, showing the same records: only some keys are new
        cache.pages = {**cache.pages, **rendering.keys}
    cache.page_context = renderer.context_key
    return written, rendering


def _pages_showing_edits(plan: _Plan, cache: BuildCache, renderer: _Renderer) -> set[str] | None:
    """The output paths of the pages showing an edited record, when the edits since the last
    build left the site model as it was: every other page's inputs are then those of the page
    in the output. None when a page may have changed for another reason (the model, the theme
    or the journal changed, or the cache does not say which pages show which record)."""
    if plan.edits is None or not cache.page_records or cache.page_context != renderer.context_key:
        return None
    return {path for path, dois in cache.page_records.items() if not plan.edits.dois.isdisjoint(dois)}


def _may_have_changed(page: Page, showing_edits: set[str] | None) -> bool:
    """Whether a page must be looked at (rendered, or its inputs compared): see `_pages_showing_edits`."""
    return showing_edits is None or page.inputs is None or page.output_path in showing_edits


def _write_other_files(plan: _Plan, writer: Patch | Staging, cache: BuildCache, edits: _Edits | None) -> set[str]:
    """The archive-wide exports, the publishing files and the theme's static files. With
    `edits` that left the site model and every page's context as they were, the archive-wide
    files they cannot change are left as they are, and those made of one part per article are
    spliced. Returns the path of every file the site has."""
    spans: dict[str, PartSpans] = {}
    kept: frozenset[str] = frozenset()
    moment = build_moment()
    if edits is not None:
        spans = _splice_archive_files(plan.site, moment, writer, cache, edits.dois)
        kept = archive_files_kept(plan.site, edits.fields) | spans.keys()
    written = set(plan.outputs) | kept
    archive = render_archive_exports(plan.site, moment, fragments=cache.fragments, kept=kept, spans=spans)
    for file in chain(archive, publish_files(plan.site.journal)):
        writer.write(file.path, file.content)
        written.add(file.path)
        del file  # tens of megabytes for a large archive: gone before the next file is made
    cache.archive_spans = spans
    for name, path in plan.static_files.items():
        writer.copy(STATIC_PREFIX + name, path)
    return written


def _splice_archive_files(site: Site, moment: datetime, writer: Patch | Staging, cache: BuildCache, edited: set[str]) -> dict[str, PartSpans]:
    """The files made of one part per article (exports/splice.py), made from the output's with
    a new head and the `edited` articles' new parts. Returns path -> where each part now lies,
    for each file spliced (or found unchanged); a file whose parts the last build did not note
    for the same articles is left to be made whole."""
    if not isinstance(writer, Patch):
        return {}
    now: dict[str, PartSpans] = {}  # with every part empty: the new heads, and each file's articles
    skeletons = {file.path: file.content for file in render_part_files(site, moment, lambda _: NO_PARTS, now)}
    spliced = {}
    for path, skeleton in skeletons.items():
        last, empty = cache.archive_spans.get(path), now[path]
        if not empty.keys or last is None or (last.kind, last.keys) != (empty.kind, empty.keys) or not last.describe(writer.output / path):
            continue
        parts = UnpackedFragments(cache.fragments, last.kind)
        head, new_parts = bytes(skeleton[: empty.starts[0]]), {doi: parts[doi] for doi in edited}
        recipe, spliced[path] = splice_recipe(last, head, new_parts)
        if spliced[path] != last or not last.holds(writer.output / path, head, new_parts):
            writer.splice(path, recipe)
    return spliced


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


def _search_memory(options: BuildOptions) -> Path | None:
    """Where the search step remembers what each page gave the index (see search_index.py)."""
    return cache_dir(options.source) / SEARCH_PAGES_FILE if options.cache else None


def _kept_search_index(options: BuildOptions) -> Path | None:
    """Where a build without search keeps the index for the next build with it."""
    return cache_dir(options.source) / KEPT_INDEX_DIR if options.cache else None


def _set_search_index_aside(output: Path, options: BuildOptions, cache: BuildCache) -> bool:
    """Move the index out of the output (see search_index.set_search_index_aside), noting in the
    cache what it is as set aside; whether there was one."""
    kept = _kept_search_index(options)
    if not set_search_index_aside(output, kept):
        return False
    cache.kept_search_index = FileTree(kept).state if kept is not None and kept.is_dir() else ""
    return True


def _take_search_index_back(site_dir: Path, options: BuildOptions, cache: BuildCache) -> None:
    """Put the index set aside back into the site, if it is the one this user's last build set
    aside, as it left it: the cache (sealed, see cache_seal.py) says what that was. Any other
    would be published with the site; it is removed."""
    kept = _kept_search_index(options)
    if kept is None or not kept.exists():
        return
    if cache.kept_search_index and FileTree(kept).state == cache.kept_search_index:
        take_search_index_back(site_dir, kept)
    else:
        shutil.rmtree(kept, ignore_errors=True)
    cache.kept_search_index = ""


def _rebuild_search_index(output: Path, site: Site, progress: Callable[[str], None], jobs: int, remembered: Path | None) -> None:
    """Pagefind indexes the finished pages, so after a build that patched the output it runs on
    the output itself (remaking only the parts whose pages changed); should it fail, the output
    is marked so that the next build starts afresh."""
    try:
        build_search_index(output.resolve(), index_parts(site.articles), progress, jobs, remembered)
    except BaseException:
        mark_incomplete(output.resolve())
        raise


def _jobs(options: BuildOptions) -> int:
    return options.jobs if options.jobs > 0 else default_jobs()


def _refuse_collisions(plan: _Plan) -> None:
    """Every output path is claimed once: pages, per-article files and static files. Two
    records can claim one when their values differ only in what an address cannot hold
    (volumes `1.2` and `1-2` make one issue page): each collision names the records."""
    problems = find_path_collisions(plan.outputs)
    if problems:
        raise BuildFailed([replace(problem, message=f"{problem.message}, made from {_records_making(problem.path, plan)}{_WHY_ONE_ADDRESS}") for problem in problems])


_WHY_ONE_ADDRESS = ": values that differ only in characters an address cannot hold make one address (make them differ in letters or digits)"


def _records_making(path: str, plan: _Plan) -> str:
    """The records whose pages or files would be written to `path` (only asked after a collision)."""
    sources, download_names = {article.doi: article.source for article in plan.site.articles}, _download_names(plan.site.journal)
    dois = [article.doi for article in plan.site.articles if path in _outputs_of(article, download_names)]
    for page in plan.pages:
        if page.output_path == path and page.inputs is not None:
            dois += plan.inputs.dependencies(page.inputs)[1]
    return ", ".join(sorted({sources[doi] for doi in dois})) or "the theme's static files"


def _article_outputs(site: Site) -> list[str]:
    """The files each article has: its two pages and its exports."""
    paths, file_names = [], _download_names(site.journal)
    for article in site.articles:
        paths += _outputs_of(article, file_names)
    return paths


def _download_names(journal: Journal) -> list[str]:
    return [name for _, name, _ in article_files(journal)]


def _outputs_of(article: Article, download_names: list[str]) -> list[str]:
    return [*map(output_name, article_page_paths(article)), *(article_file(article, name) for name in download_names)]


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
    context = pickle.dumps(_made_with(journal))
    return {doi: digest(context, record.encode()) for doi, record in record_digests.items()}


def _made_with(journal: Journal) -> tuple:
    """What every export and every page is made with, besides its own inputs: part of its key."""
    return journal, style_fingerprint(journal.citation_style), CODE_VERSION, LIBRARY_VERSIONS


@dataclass(slots=True)
class _Rendering:
    """What rendering pages found, in one process or gathered from the workers."""

    keys: dict[str, str] = field(default_factory=dict)
    """Output path -> key of every page with inputs."""
    records: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Output path -> DOIs of the records its inputs hold, for every page with inputs."""
    rendered: list[str] = field(default_factory=list)
    """Output paths of the pages rendered (the others are unchanged)."""
    problems: list[Problem] = field(default_factory=list)
    """Template mistakes."""
    files: list[tuple[str, tuple[int, int]]] = field(default_factory=list)
    """The files written whole, with their sizes and times (see write.Staging)."""

    def add(self, other: _Rendering) -> None:
        self.keys.update(other.keys)
        self.records.update(other.records)
        self.rendered += other.rendered
        self.problems += other.problems
        self.files += other.files


class _Renderer:
    """Renders pages with the theme, unless a page's inputs are those of the page already in
    the output (`known`: output path -> key). Without the cache (not `keyed`), there is no
    last build to compare with and none to come: no key is made (a twentieth of a cold build's
    work)."""

    def __init__(self, theme: Theme, journal: Journal, inputs: PageInputs, known: dict[str, str], keyed: bool = True):
        self.theme = theme
        self.journal = journal
        self.inputs = inputs
        self.known = known
        self.keyed = keyed
        self.context = pickle.dumps((theme.fingerprint(), *_made_with(journal)))
        self.context_key = digest(self.context)
        self.env: jinja2.Environment | None = None
        self.journal_page: JournalView | None = None

    def render(self, page: Page, writer: Patch | Staging, rendering: _Rendering) -> None:
        if page.inputs is not None and self.keyed:
            inputs, records = self.inputs.dependencies(page.inputs)
            key = rendering.keys[page.output_path] = key_of((page.template, inputs), self.context)
            if records:
                rendering.records[page.output_path] = records
            if self.known.get(page.output_path) == key:
                return
        if self.env is None:  # one environment per process: the workers make their own
            self.env, self.journal_page = make_environment(self.theme), journal_view(self.journal)
        rendering.rendered.append(page.output_path)
        view = page.build_view()
        try:
            output = render_page(self.env, page, self.journal_page, view)
        except Exception as error:
            if not is_template_error(error):
                raise
            rendering.problems.append(template_problem(error, page.template, self.theme))
            return
        writer.write(output.path, output.content)


@dataclass(frozen=True, slots=True)
class _ArticlesWork:
    site: Site
    articles: list[Article]
    """The articles to export or whose pages to look at (all, unless only some can have changed)."""
    inputs: PageInputs
    renderer: _Renderer
    writer: Patch | Staging
    export_keys: dict[str, str]
    """Article DOI -> key of its exports in this build."""
    cache: BuildCache
    incremental: bool
    showing_edits: set[str] | None
    """See `_pages_showing_edits`."""
    exported: frozenset[str]
    """DOIs of the articles whose exports this build has already made (see `_exporting_while`)."""


def _write_articles(
    site: Site, inputs: PageInputs, renderer: _Renderer, writer: Patch | Staging, jobs: int, cache: BuildCache,
    incremental: bool, showing_edits: set[str] | None, meter: Meter, exports: _Exports,
) -> _Rendering:  # fmt: skip
    """Each article's exports (JATS, BibTeX, RIS, CSL-JSON and its share of the archive-wide
    files), but those made ahead, and its pages, in one pass on every core: what the
    exports add to the article's page never has to travel between processes. Only what
    changed is rendered again; with `showing_edits` (see `_pages_showing_edits`), only articles
    with new exports or a page showing an edit are even looked at."""
    export_keys, made = exports.keys, _ArticlesDone()
    made.add(exports.made_ahead)  # their fragments and citations, and the files they wrote
    articles = list(site.articles)
    if showing_edits is not None:
        articles = [article for article in articles if _has_work(article, export_keys, cache, showing_edits)]
    work = _ArticlesWork(site, articles, inputs, renderer, writer, export_keys, cache, incremental, showing_edits, frozenset(made.fragments))
    seed_cache(cache.citations | made.citations)  # before the workers fork: they inherit it
    meter.stage("Rendering articles", len(articles), "article")
    for part in in_rounds(articles):
        for done in map_shares(_articles_share, replace(work, articles=part), len(part), jobs, meter.advance):
            made.add(done)
    exported, rendering, citations = made.fragments.keys(), made.pages, made.citations
    fragments = {doi: cache.fragments[doi] for doi in export_keys if doi in cache.fragments} | made.fragments
    if len(fragments) < len(site.articles):  # see _articles_share: the archive-wide files list every article
        raise BuildFailed(rendering.problems)
    if cache.changed_fragments is not None:
        cache.changed_fragments = frozenset(exported) | (cache.fragments.keys() - fragments.keys())
    cache.exports, cache.fragments = export_keys, fragments
    cache.citations = _kept_citations(cache.citations, citations, len(site.articles))
    # The other pages list articles by their summaries: the workers rendering them inherit these.
    remember_summaries(site, {doi: parts.summary for doi, parts in fragments.items()})
    return rendering


def _has_work(article: Article, export_keys: dict[str, str], cache: BuildCache, showing_edits: set[str]) -> bool:
    """Whether an article's exports are not those in the output, or one of its pages shows an edit."""
    if not _exports_current(article, export_keys, cache):
        return True
    return any(output_name(path) in showing_edits for path in article_page_paths(article))


def _makes_exports(article: Article, export_keys: dict[str, str], cache: BuildCache, incremental: bool) -> bool:
    """Whether this build makes the article's exports: unless the output is the last build's
    (`incremental`) and they are current there."""
    return not (incremental and _exports_current(article, export_keys, cache))


def _exports_current(article: Article, export_keys: dict[str, str], cache: BuildCache) -> bool:
    """Whether the last build made this article's exports from the inputs this one has (so
    its files in the output are right), and the cache holds the fragments it made."""
    return cache.exports.get(article.doi) == export_keys[article.doi] and article.doi in cache.fragments


def _kept_citations(known: dict[str, str], new: dict[str, str], articles: int) -> dict[str, str]:
    """The citations to keep for the next build. Old ones stay (a template change then costs no
    citeproc call), until edits have left more stale entries than there are articles: then
    only this build's new ones are kept, which bounds the cache's growth."""
    if len(known) + len(new) > 2 * articles + 100:
        return new
    return {**known, **new}


@dataclass(frozen=True, slots=True)
class _ArticlesDone:
    """What a worker sends back from its share of the articles, or what they all sent."""

    fragments: dict[str, ArticleFragments] = field(default_factory=dict)
    """Of the articles whose exports were rendered."""
    pages: _Rendering = field(default_factory=_Rendering)
    citations: dict[str, str] = field(default_factory=dict)
    """Citations formatted by this worker (content key -> text), for the build cache."""

    def add(self, other: _ArticlesDone) -> None:
        self.fragments.update(other.fragments)
        self.pages.add(other.pages)
        self.citations.update(other.citations)


def _articles_share(work: _ArticlesWork, share: int, shares: int) -> _ArticlesDone:
    fragments, rendering = {}, _Rendering()
    for article in work.articles[share::shares]:
        try:
            _write_article(work, article, fragments, rendering)
        except RecursionError:  # the exports' markup trees are walked recursively
            rendering.problems.append(Problem(article.source, 0, "title, abstract", _NESTED_TOO_DEEPLY))
        except StyleError as error:  # the journal's style fails on this record only
            rendering.problems.append(_uncitable(article, error))
    rendering.files = work.writer.take_written()
    return _ArticlesDone(fragments, rendering, citations_to_save(work.cache.citations))


_NESTED_TOO_DEEPLY = "emphasis or other markup nested hundreds of levels deep, more than the exports can hold: simplify it"


def _write_article(work: _ArticlesWork, article: Article, fragments: dict[str, ArticleFragments], rendering: _Rendering) -> None:
    """One article's exports (unless unchanged) and pages, with its share of the archive-wide files."""
    journal, cache = work.site.journal, work.cache
    exports = _ArticleExports(article, journal)
    if article.doi not in work.exported and _makes_exports(article, work.export_keys, cache, work.incremental):
        for file in exports.files():
            work.writer.write(file.path, file.content)
        fragments[article.doi] = article_fragments(article, journal)
    for page in article_pages(work.site, article, work.inputs, exports.extras):
        if _may_have_changed(page, work.showing_edits):
            work.renderer.render(page, work.writer, rendering)


@dataclass(frozen=True, slots=True)
class _ExportsAhead:
    """The exports to make while the site model is built (see `_exporting_while`)."""

    journal: Journal
    articles: list[Article]
    writer: Patch | Staging
    cache: BuildCache


def _to_export_ahead(loaded: Loaded, export_keys: dict[str, str], cache: BuildCache, incremental: bool) -> list[Article]:
    """The articles whose exports this build makes (see `_exporting_while`): all of them,
    unless the output is the last build's (`incremental`); then those whose exports are made
    of something else this time. None beyond the archives the articles stage makes in rounds
    (parallel.in_rounds): the worker copies the pages of memory it shares with this process as
    either of them writes to them, and at 100,000 articles (3 GB of records) that cost more
    than the exports made ahead saved: 148 s against 144.5 s for a cold build, twice."""
    if not parallel.makes_rounds(len(loaded.articles)):
        return []
    return [article for article in loaded.articles if _makes_exports(article, export_keys, cache, incremental)]


@dataclass(frozen=True, slots=True)
class _Exports:
    """The articles' exports, as the articles stage finds them."""

    keys: dict[str, str]
    """Article DOI -> key of its exports in this build (see `_export_keys`)."""
    made_ahead: _ArticlesDone
    """What the exports made while the site model was built gave (see `_exporting_while`)."""


def _exporting_while(ahead: _ExportsAhead, jobs: int, model: Callable[[], _Plan]) -> tuple[_ArticlesDone, _Plan]:
    """`model()` (the site model, built by this process alone), and meanwhile on the other
    cores, as many of the `ahead` articles' exports as they make in that time: they need the
    record and the journal only. The articles stage makes the others. Returns what the
    exports made ahead gave, and the plan."""
    seed_cache(ahead.cache.citations)  # before the workers fork: they inherit it
    shares, plan = map_shares_while(_exports_ahead_share, ahead, len(ahead.articles), jobs, model)
    done = _ArticlesDone()
    for share in shares.values():
        done.add(share)
    return done, plan


def _exports_ahead_share(ahead: _ExportsAhead, share: int, shares: int) -> _ArticlesDone:
    """One share of the exports made ahead: the files, the citation (the article's page finds it
    formatted), and the fragments."""
    fragments = {}
    for article in ahead.articles[share::shares]:
        try:
            for file in render_article_files(article, ahead.journal):
                ahead.writer.write(file.path, file.content)
            for_citation(article, ahead.journal)
            fragments[article.doi] = article_fragments(article, ahead.journal)
        except (RecursionError, StyleError):
            continue  # made again by the articles stage, which reports the problem
    return _ArticlesDone(fragments, _Rendering(files=ahead.writer.take_written()), citations_to_save(ahead.cache.citations))


class _ArticleExports:
    """One article's exports, made at most once, when first asked for: its files with what
    they add to its page, or (for a page whose article is unchanged) only the latter."""

    def __init__(self, article: Article, journal: Journal):
        self.article, self.journal = article, journal
        self.made_files: list | None = None
        self.made_extras: ArticleExtras | None = None

    def files(self) -> list:
        if self.made_files is None:
            self.made_files, self.made_extras = render_article_exports(self.article, self.journal)
        return self.made_files

    def extras(self) -> ArticleExtras:
        if self.made_extras is None:
            self.made_extras = article_extras(self.article, self.journal)
        return self.made_extras


def _write_pages(
    pages: list[Page], renderer: _Renderer, writer: Patch | Staging, jobs: int, rendering: _Rendering, meanwhile: Callable[[], set[str]],
    articles: int, meter: Meter,
) -> set[str]:  # fmt: skip
    """The site's other pages (people, issues, keywords and the indexes), added to `rendering`,
    and `meanwhile()`: the archive-wide files of `articles` articles. Usually a worker renders
    pages while this process runs `meanwhile`. When the articles were rendered in rounds to
    bound the peak memory (parallel.in_rounds) and the pages are many, `meanwhile` runs after
    the pages instead: a worker rendering the index pages soon touches all the memory it
    shares with this process, and every page of it that `meanwhile` then changed would be
    copied (100 MB more at the peak of a cold build of 10,000 articles, to save 0.2 s).
    Returns what `meanwhile` returned."""
    shared = (pages, renderer, writer)
    if len(pages) >= parallel.MIN_ITEMS_FOR_PROCESSES and parallel.makes_rounds(articles):
        shares, alongside = map_shares(_pages_share, shared, len(pages), jobs, meter.advance), meanwhile()
    else:
        shares, alongside = map_shares_alongside(_pages_share, shared, len(pages), jobs, meanwhile, articles, meter.advance)
    for share in shares:
        rendering.add(share)
    return alongside


def _pages_share(shared: tuple, share: int, shares: int) -> _Rendering:
    pages, renderer, writer = shared
    rendering = _Rendering()
    for page in pages[share::shares]:
        renderer.render(page, writer, rendering)
    rendering.files = writer.take_written()
    return rendering
