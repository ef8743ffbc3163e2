"""The pages stage: the site's pages other than each article's own, and its other files.

The pages (people, issues, keywords and the indexes) list articles by the summaries the
articles stage left (render_stage.write_articles); usually a worker renders them while this
process writes the other files: the archive-wide exports, which need every article's fragments,
the publishing files and the theme's static files. After edits that left the site model and
every page's context as they were, the archive-wide files the edits cannot change are left as
they are, and those made of one part per article are spliced (exports/splice.py). pipeline.py
runs this stage after the articles stage.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from itertools import chain

from caseshelf import parallel
from caseshelf.cache import BuildCache
from caseshelf.exports import archive_files_kept, build_moment, render_archive_exports, render_part_files
from caseshelf.exports.fragments import UnpackedFragments
from caseshelf.exports.splice import NO_PARTS, PartSpans, splice_recipe
from caseshelf.pages import Page
from caseshelf.parallel import map_shares, map_shares_alongside
from caseshelf.progress import Meter
from caseshelf.publish import publish_files
from caseshelf.render_stage import STATIC_PREFIX, Edits, Plan, Renderer, Rendering
from caseshelf.site import Site
from caseshelf.write import Patch, Staging


def write_pages(
    pages: list[Page], renderer: Renderer, writer: Patch | Staging, jobs: int, rendering: Rendering, meanwhile: Callable[[], set[str]],
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


def _pages_share(shared: tuple, share: int, shares: int) -> Rendering:
    pages, renderer, writer = shared
    rendering = Rendering()
    for page in pages[share::shares]:
        renderer.render(page, writer, rendering)
    rendering.files = writer.take_written()
    return rendering


def write_other_files(plan: Plan, writer: Patch | Staging, cache: BuildCache, edits: Edits | None) -> set[str]:
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
