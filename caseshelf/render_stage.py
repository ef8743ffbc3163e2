"""The rendering stage: every article's exports and pages, the exports made ahead while the site
model is built, on every core, and only what changed (the site's other pages and files: see
pages_stage.py).

Worker processes inherit the site model and write straight into the writer's directory; each
share sends back what it found (the pages' keys, template mistakes, the fragments of the exports
it made). The exports need the record and the journal only: some are made on the other cores
while this process builds the site model (`exporting_while`). With the last build's output
intact, only the exports whose key changed are made and only the pages whose inputs changed are
rendered; when the edits left the site model as it was, only the pages showing an edited record
are even looked at (`pages_showing_edits`). pipeline.py runs this stage among the others.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import jinja2

from caseshelf import parallel
from caseshelf.code_version import CODE_VERSION
from caseshelf.cache import LIBRARY_VERSIONS, BuildCache, digest, key_of
from caseshelf.exports import (
    article_extras,
    render_article_exports,
    render_article_files,
)
from caseshelf.exports.cite import for_citation
from caseshelf.exports.citation_style import StyleError, citations_to_save, seed_cache, style_fingerprint
from caseshelf.exports.fragments import ArticleFragments, article_fragments
from caseshelf.model import Article, Journal, Loaded
from caseshelf.pages import Page, PageInputs, article_page_paths, article_pages
from caseshelf.parallel import in_rounds, map_shares, map_shares_while
from caseshelf.problems import BuildFailed, Problem
from caseshelf.progress import Meter
from caseshelf.render import is_template_error, make_environment, render_page, template_problem
from caseshelf.site import Site
from caseshelf.theme import Theme
from caseshelf.urls import output_name
from caseshelf.view_builders import journal_view, remember_summaries
from caseshelf.views import ArticleExtras, JournalView
from caseshelf.write import Patch, Staging

STATIC_PREFIX = "static/"


@dataclass(frozen=True, slots=True)
class Edits:
    """Edits since the last build that left the site model as it was."""

    dois: set[str]
    """The edited records' DOIs."""
    fields: frozenset[str]
    """The fields they changed: all shown only (see site.SHOWN_ONLY)."""


@dataclass(frozen=True, slots=True)
class Plan:
    """The loaded site and what it will be made of."""

    site: Site
    inputs: PageInputs
    pages: list[Page]
    """The site's pages other than each article's own."""
    edits: Edits | None
    """The records edited since the last build, when the edits left the site model as it was
    (see model_stage._edits_leaving_the_model); else None."""
    static_files: dict[str, Path]
    outputs: list[str]
    """The output path of every page, every article's pages and export files, and every
    static file."""
    records_saved: Callable[[], str | None]
    """Waits for the records' part of the cache, saved while the build goes on (see
    cache.save_records_alongside)."""


def pages_showing_edits(plan: Plan, cache: BuildCache, renderer: Renderer) -> set[str] | None:
    """The output paths of the pages showing an edited record, when the edits since the last
    build left the site model as it was: every other page's inputs are then those of the page
    in the output. None when a page may have changed for another reason (the model, the theme
    or the journal changed, or the cache does not say which pages show which record)."""
    if plan.edits is None or not cache.page_records or cache.page_context != renderer.context_key:
        return None
    return {path for path, dois in cache.page_records.items() if not plan.edits.dois.isdisjoint(dois)}


def may_have_changed(page: Page, showing_edits: set[str] | None) -> bool:
    """Whether a page must be looked at (rendered, or its inputs compared): see `pages_showing_edits`."""
    return showing_edits is None or page.inputs is None or page.output_path in showing_edits


def made_with(journal: Journal) -> tuple:
    """What every export and every page is made with, besides its own inputs: part of its key."""
    return journal, style_fingerprint(journal.citation_style), CODE_VERSION, LIBRARY_VERSIONS


@dataclass(slots=True)
class Rendering:
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

    def add(self, other: Rendering) -> None:
        self.keys.update(other.keys)
        self.records.update(other.records)
        self.rendered += other.rendered
        self.problems += other.problems
        self.files += other.files


class Renderer:
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
        self.context = pickle.dumps((theme.fingerprint(), *made_with(journal)))
        self.context_key = digest(self.context)
        self.env: jinja2.Environment | None = None
        self.journal_page: JournalView | None = None

    def render(self, page: Page, writer: Patch | Staging, rendering: Rendering) -> None:
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
    renderer: Renderer
    writer: Patch | Staging
    export_keys: dict[str, str]
    """Article DOI -> key of its exports in this build."""
    cache: BuildCache
    incremental: bool
    showing_edits: set[str] | None
    """See `pages_showing_edits`."""
    exported: frozenset[str]
    """DOIs of the articles whose exports this build has already made (see `exporting_while`)."""


def write_articles(
    site: Site, inputs: PageInputs, renderer: Renderer, writer: Patch | Staging, jobs: int, cache: BuildCache,
    incremental: bool, showing_edits: set[str] | None, meter: Meter, exports: ExportsSoFar,
) -> Rendering:  # fmt: skip
    """Each article's exports (JATS, BibTeX, RIS, CSL-JSON and its share of the archive-wide
    files), but those made ahead, and its pages, in one pass on every core: what the
    exports add to the article's page never has to travel between processes. Only what
    changed is rendered again; with `showing_edits` (see `pages_showing_edits`), only articles
    with new exports or a page showing an edit are even looked at."""
    export_keys, made = exports.keys, ArticlesDone()
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
class ArticlesDone:
    """What a worker sends back from its share of the articles, or what they all sent."""

    fragments: dict[str, ArticleFragments] = field(default_factory=dict)
    """Of the articles whose exports were rendered."""
    pages: Rendering = field(default_factory=Rendering)
    citations: dict[str, str] = field(default_factory=dict)
    """Citations formatted by this worker (content key -> text), for the build cache."""

    def add(self, other: ArticlesDone) -> None:
        self.fragments.update(other.fragments)
        self.pages.add(other.pages)
        self.citations.update(other.citations)


def _articles_share(work: _ArticlesWork, share: int, shares: int) -> ArticlesDone:
    fragments, rendering = {}, Rendering()
    for article in work.articles[share::shares]:
        try:
            _write_article(work, article, fragments, rendering)
        except RecursionError:  # the exports' markup trees are walked recursively
            rendering.problems.append(Problem(article.source, 0, "title, abstract", _NESTED_TOO_DEEPLY))
        except StyleError as error:  # the journal's style fails on this record only
            rendering.problems.append(uncitable(article, error))
    rendering.files = work.writer.take_written()
    return ArticlesDone(fragments, rendering, citations_to_save(work.cache.citations))


_NESTED_TOO_DEEPLY = "emphasis or other markup nested hundreds of levels deep, more than the exports can hold: simplify it"


def uncitable(article: Article, error: StyleError) -> Problem:
    return Problem(article.source, 0, "", f"the journal's citation_style cannot cite this record: {error}")


def _write_article(work: _ArticlesWork, article: Article, fragments: dict[str, ArticleFragments], rendering: Rendering) -> None:
    """One article's exports (unless unchanged) and pages, with its share of the archive-wide files."""
    journal, cache = work.site.journal, work.cache
    exports = _ArticleExports(article, journal)
    if article.doi not in work.exported and _makes_exports(article, work.export_keys, cache, work.incremental):
        for file in exports.files():
            work.writer.write(file.path, file.content)
        fragments[article.doi] = article_fragments(article, journal)
    for page in article_pages(work.site, article, work.inputs, exports.extras):
        if may_have_changed(page, work.showing_edits):
            work.renderer.render(page, work.writer, rendering)


@dataclass(frozen=True, slots=True)
class ExportsAhead:
    """The exports to make while the site model is built (see `exporting_while`)."""

    journal: Journal
    articles: list[Article]
    writer: Patch | Staging
    cache: BuildCache


def to_export_ahead(loaded: Loaded, export_keys: dict[str, str], cache: BuildCache, incremental: bool) -> list[Article]:
    """The articles whose exports this build makes (see `exporting_while`): all of them,
    unless the output is the last build's (`incremental`); then those whose exports are made
    of something else this time. None beyond the archives the articles stage makes in rounds
    (parallel.in_rounds): the worker copies the pages of memory it shares with this process as
    either of them writes to them, and at 100,000 articles (3 GB of records) that cost more
    than the exports made ahead saved: 148 s against 144.5 s for a cold build, twice."""
    if not parallel.makes_rounds(len(loaded.articles)):
        return []
    return [article for article in loaded.articles if _makes_exports(article, export_keys, cache, incremental)]


@dataclass(frozen=True, slots=True)
class ExportsSoFar:
    """The articles' exports, as the articles stage finds them."""

    keys: dict[str, str]
    """Article DOI -> key of its exports in this build (see pipeline._export_keys)."""
    made_ahead: ArticlesDone
    """What the exports made while the site model was built gave (see `exporting_while`)."""


def exporting_while(ahead: ExportsAhead, jobs: int, model: Callable[[], Plan]) -> tuple[ArticlesDone, Plan]:
    """`model()` (the site model, built by this process alone), and meanwhile on the other
    cores, as many of the `ahead` articles' exports as they make in that time: they need the
    record and the journal only. The articles stage makes the others. Returns what the
    exports made ahead gave, and the plan."""
    seed_cache(ahead.cache.citations)  # before the workers fork: they inherit it
    shares, plan = map_shares_while(_exports_ahead_share, ahead, len(ahead.articles), jobs, model)
    done = ArticlesDone()
    for share in shares.values():
        done.add(share)
    return done, plan


def _exports_ahead_share(ahead: ExportsAhead, share: int, shares: int) -> ArticlesDone:
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
    return ArticlesDone(fragments, Rendering(files=ahead.writer.take_written()), citations_to_save(ahead.cache.citations))


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
