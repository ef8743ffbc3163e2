"""The model stage: the site model of the loaded records, its pages, and the path of every output.

When the edits since the last build leave the site model as it was (a title or an abstract
edited, not an author, a keyword or a DOI), the last build's model, kept in the cache, is reused
with the new records put in; else the model is built afresh, with the slugs the last build made,
and kept for the next build. Every output path is claimed once: two records whose values differ
only in what an address cannot hold are named in the problem. pipeline.py runs this stage while
the other cores make exports ahead (see render_stage.exporting_while).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from caseshelf.cache import LIBRARY_VERSIONS, BuildCache
from caseshelf.collector import long_lived_allocations
from caseshelf.exports import article_files
from caseshelf.exports.paths import article_file
from caseshelf.identity import learn_slugs, used_slugs
from caseshelf.model import Article, Journal, Loaded
from caseshelf.pages import PageInputs, article_page_paths, site_pages
from caseshelf.problems import BuildFailed
from caseshelf.render_stage import STATIC_PREFIX, Edits, Plan
from caseshelf.site import Site, build_site, model_part, model_without_records, relinked_model, shown_fields_changed
from caseshelf.theme import Theme
from caseshelf.urls import output_name
from caseshelf.write import find_path_collisions


def modelled(
    loaded: Loaded, edited: dict[str, Article | None], cache: BuildCache, theme: Theme, records_saved: Callable[[], str | None],
    digests: dict[str, str],
) -> Plan:  # fmt: skip
    """The site model of the loaded records, its pages and the path of every output; refuses
    two outputs claiming one path. `digests`: see pipeline._record_digests."""
    with long_lived_allocations():  # the site model and the pages
        edits = _edits_leaving_the_model(loaded, edited, cache)
        site = _site_model(loaded, cache, edits is not None)
        inputs = PageInputs(site, digests)
        pages, static_files = site_pages(site, inputs), theme.static_files()
        outputs = [page.output_path for page in pages] + _article_outputs(site) + [STATIC_PREFIX + name for name in static_files]
        plan = Plan(site, inputs, pages, edits, static_files, outputs, records_saved)
    _refuse_collisions(plan)
    return plan


def modelled_and_kept(
    loaded: Loaded, edited: dict[str, Article | None], cache: BuildCache, theme: Theme, records_saved: Callable[[], str | None],
    digests: dict[str, str], keep: bool,
) -> Plan:  # fmt: skip
    """`modelled`, and with `keep`, a model built afresh (not the last build's, see
    `_site_model`) pickled into the cache for the next build (see site.model_without_records):
    here, while the other cores make exports (see render_stage.exporting_while), instead of at the end."""
    plan = modelled(loaded, edited, cache, theme, records_saved, digests)
    if keep and not cache.model:
        cache.model = model_without_records(plan.site)
    return plan


def _edits_leaving_the_model(loaded: Loaded, edited: dict[str, Article | None], cache: BuildCache) -> Edits | None:
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
    return Edits({before.doi for before in edited.values() if before is not None}, frozenset(fields))


def _site_model(loaded: Loaded, cache: BuildCache, same_model: bool) -> Site:
    """The site model: the last build's with these records put in, when it is `same_model`;
    else made with the slugs the last build made, when it made them with the same libraries
    (the cache then keeps this build's slugs for the next)."""
    if same_model:
        return relinked_model(cache.model, loaded)
    slugs_made_with, slugs = cache.slugs
    if slugs_made_with == LIBRARY_VERSIONS:
        learn_slugs(slugs)
    site = build_site(loaded)
    cache.slugs, cache.model = (LIBRARY_VERSIONS, used_slugs()), b""  # the model is kept when the cache is saved
    return site


def _refuse_collisions(plan: Plan) -> None:
    """Every output path is claimed once: pages, per-article files and static files. Two
    records can claim one when their values differ only in what an address cannot hold
    (volumes `1.2` and `1-2` make one issue page): each collision names the records."""
    problems = find_path_collisions(plan.outputs)
    if problems:
        raise BuildFailed([replace(problem, message=f"{problem.message}, made from {_records_making(problem.path, plan)}{_WHY_ONE_ADDRESS}") for problem in problems])


_WHY_ONE_ADDRESS = ": values that differ only in characters an address cannot hold make one address (make them differ in letters or digits)"


def _records_making(path: str, plan: Plan) -> str:
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
