"""Machine-readable outputs beside the pages: what indexers and reference managers read.

`render_article_exports(article, journal)` gives one article's files (JATS, BibTeX, RIS,
CSL-JSON) and what its page adds (<head> metadata, download links, the "For citation" line in
the journal's CSL style); it depends on nothing else, so the pipeline runs it on every core.
`render_archive_exports(site, moment, jobs)` gives the files about the whole archive.
`render_exports(site)` is both in one process. Pure apart from the clock, which only the
Crossref deposit's timestamp reads (SOURCE_DATE_EPOCH pins it, for reproducible builds).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import partial

from caseshelf.exports import paths
from caseshelf.exports.cite import (
    for_citation,
    render_bibtex,
    render_csl_json,
    render_ris,
)
from caseshelf.exports.crossref import render_crossref
from caseshelf.exports.doaj import render_doaj
from caseshelf.exports.feeds import render_feed
from caseshelf.exports.fragments import (
    ArticleFragments,
    UnpackedFragments,
    article_fragments,
    collect_fragments,
)
from caseshelf.exports.indexes import render_articles_index, render_doi_index
from caseshelf.exports.jats import render_jats
from caseshelf.exports.metadata import render_head
from caseshelf.exports.oai import render_oai
from caseshelf.exports.sitemap import render_robots, render_sitemaps, sitemap_paths
from caseshelf.exports.splice import PartSpans
from caseshelf.model import Article, Journal
from caseshelf.render import OutputFile
from caseshelf.site import Site
from caseshelf.views import ArticleExtras, Link

__all__ = [
    "ARTICLE_FILES", "ArticleFragments", "Exports", "archive_files_kept", "article_extras", "article_files", "article_fragments", "build_moment",
    "render_archive_exports", "render_article_exports", "render_exports", "render_part_files",
]  # fmt: skip

#: Per-article files by name (model.DOWNLOAD_FORMATS): (download link text, file name, renderer).
ARTICLE_FILES = {
    "jats": ("JATS XML", paths.JATS, render_jats),
    "bibtex": ("BibTeX", paths.BIBTEX, render_bibtex),
    "ris": ("RIS", paths.RIS, render_ris),
    "csl-json": ("CSL-JSON", paths.CSL_JSON, render_csl_json),
}


@dataclass(frozen=True, slots=True)
class Exports:
    files: tuple[OutputFile, ...]
    article_extras: dict[str, ArticleExtras] = field(default_factory=dict)
    """Article DOI -> what the exports add to its page."""


def render_exports(site: Site, moment: datetime | None = None) -> Exports:
    """Every export of the archive; `moment` is the build time (default: now). The journal's
    citation style was checked when journal.yaml was loaded (see loading.journal)."""
    files: list[OutputFile] = []
    extras = {}
    for article in site.articles:
        article_files, extras[article.doi] = render_article_exports(article, site.journal)
        files += article_files
    files += render_archive_exports(site, moment or build_moment())
    return Exports(files=tuple(files), article_extras=extras)


def render_article_exports(article: Article, journal: Journal) -> tuple[list[OutputFile], ArticleExtras]:
    """One article's files and page additions; depends on nothing but the article and journal."""
    return render_article_files(article, journal), article_extras(article, journal)


def render_article_files(article: Article, journal: Journal) -> list[OutputFile]:
    """One article's files (the journal's `downloads:`)."""
    return [OutputFile(paths.article_file(article, name), render(article, journal)) for _, name, render in article_files(journal)]


def article_extras(article: Article, journal: Journal) -> ArticleExtras:
    """What the exports add to an article's page, without its files (for a page that must be
    rendered again while the article's files are unchanged)."""
    return ArticleExtras(
        head_html=render_head(article, journal),
        downloads=tuple(
            Link(text, paths.link(journal, paths.article_file(article, name)))
            for text, name, _ in article_files(journal)
        ),
        citation_text=for_citation(article, journal),
    )


def article_files(journal: Journal) -> list[tuple[str, str, Callable[[Article, Journal], bytes]]]:
    """The per-article files the journal publishes (its `downloads:`): (link text, file name, renderer)."""
    return [ARTICLE_FILES[name] for name in journal.downloads]


#: What some archive-wide files read of a record besides the site model (see site.SHOWN_ONLY).
#: After edits that left the model and the journal as they were, such a file is the one the
#: last build wrote, unless an edit changed one of these fields. The files not listed (the
#: feed, the deposit files and articles.json: whole records) are always made again.
_READS_BEYOND_THE_MODEL = {
    paths.SITEMAP: frozenset({"published"}),  # an article's lastmod
    paths.ROBOTS: frozenset(),
    paths.DOI_INDEX: frozenset(),
}


def archive_files_kept(site: Site, edited_fields: frozenset[str]) -> frozenset[str]:
    """The archive-wide files that edits of these fields of records leave as they were, when the
    edits left the site model and the journal as they were."""
    kept = {path for path, reads in _READS_BEYOND_THE_MODEL.items() if reads.isdisjoint(edited_fields)}
    if paths.SITEMAP in kept:
        kept.update(sitemap_paths(site))  # those it names, when it is a sitemap index
    return frozenset(kept)


def render_archive_exports(
    site: Site, moment: datetime, jobs: int = 1, fragments: dict[str, ArticleFragments] | None = None,
    kept: frozenset[str] = frozenset(), spans: dict[str, PartSpans] | None = None,
) -> Iterator[OutputFile]:  # fmt: skip
    """Files about the whole archive: feeds, sitemaps, indexes and deposit files, but the `kept`
    ones (left as they are: see `archive_files_kept` and splice.py). Each article's part of them
    is built by up to `jobs` processes, unless the caller already has them (`article_fragments`,
    e.g. from the same worker pass as `render_article_exports`). Made one at a time, as they are
    asked for: some are tens of megabytes for a large archive, and a file written before the
    next is made is never in memory alongside it. `spans` gets where each article's part lies
    in the files made of one part per article (see `render_part_files`)."""
    if fragments is None:
        fragments = collect_fragments(site, jobs)
    yield OutputFile(".nojekyll", b"")
    yield OutputFile(paths.FEED, render_feed(site))
    if paths.SITEMAP not in kept:
        yield from render_sitemaps(site)
    if paths.ROBOTS not in kept:
        yield OutputFile(paths.ROBOTS, render_robots(site))
    if paths.DOI_INDEX not in kept:
        yield OutputFile(paths.DOI_INDEX, render_doi_index(site))
    yield from render_part_files(site, moment, partial(UnpackedFragments, fragments), spans, kept)


def render_part_files(
    site: Site, moment: datetime, parts_of: Callable[[str], Mapping[str, bytes]], spans: dict[str, PartSpans] | None = None,
    kept: frozenset[str] = frozenset(),
) -> Iterator[OutputFile]:  # fmt: skip
    """The archive-wide files made of one part per article (articles.json, doaj.xml, the
    Crossref deposits, oai.xml: see splice.py), but the `kept` ones. `parts_of(kind)` maps each
    DOI to its part of that kind (see fragments.ArticleFragments); `spans` gets where each lies."""
    if paths.ARTICLES_INDEX not in kept:
        yield OutputFile(paths.ARTICLES_INDEX, render_articles_index(site, parts_of("csl"), spans))
    if paths.DOAJ not in kept:
        yield OutputFile(paths.DOAJ, render_doaj(site, parts_of("doaj"), spans))
    yield from render_crossref(site, moment, parts_of("crossref"), spans, kept)
    oai = render_oai(site, parts_of("oai"), spans) if paths.OAI not in kept else None
    if oai is not None:
        yield OutputFile(paths.OAI, oai)


def build_moment() -> datetime:
    """Now, or SOURCE_DATE_EPOCH when set (https://reproducible-builds.org/specs/source-date-epoch/)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    return datetime.now(tz=timezone.utc)
