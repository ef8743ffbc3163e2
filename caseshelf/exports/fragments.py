"""Each article's share of the archive-wide files, built on every core.

The Crossref deposit, DOAJ and OAI files and articles.json hold every article, which would make
them the one serial step of a parallel build. So each article's part of them is built in worker
processes, already serialised exactly as it stands in the file that holds it (indented for its
depth, UTF-8), and a build only joins the parts between the file's own first and last lines.
Bytes are also what the build cache unpickles fastest.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import lz4.frame

from caseshelf.exports import crossref, doaj, oai
from caseshelf.exports.csl import csl_entry
from caseshelf.model import Article, Journal, pickled_by_fields
from caseshelf.parallel import map_shares
from caseshelf.site import Site
from caseshelf.view_builders import article_summary_of
from caseshelf.views import ArticleSummary


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class ArticleFragments:
    """An article's fragments, each kept compressed: a build holds every article's fragments
    until the archive-wide files are written, and its cache stores them. LZ4 keeps them in
    about 4 of 7 KB an article; zlib's fastest level kept them in 3, but took 7 times as long
    to compress and 5 times as long to decompress, and a one-article edit decompresses every
    article's fragments to join the archive-wide files again."""

    packed: tuple[bytes, bytes, bytes, bytes]
    """The compressed fragments, in the order of the properties below."""
    summary: ArticleSummary
    """What the lists of the site show of the article (kept with its fragments, as it is made
    of the same inputs): see view_builders.remember_summaries."""

    @classmethod
    def pack(cls, crossref: bytes, doaj: bytes, oai: bytes, csl: bytes, summary: ArticleSummary) -> ArticleFragments:
        return cls(tuple(lz4.frame.compress(fragment) if fragment else b"" for fragment in (crossref, doaj, oai, csl)), summary)

    @property
    def crossref(self) -> bytes:
        """<journal_article>, as its lines of a Crossref deposit file; empty when the journal has
        no depositor (`crossref:` block), as no deposit file is written then."""
        return _unpacked(self.packed[0])

    @property
    def doaj(self) -> bytes:
        """<record>, as its lines of doaj.xml."""
        return _unpacked(self.packed[1])

    @property
    def oai(self) -> bytes:
        """<oai:record>, as its lines of oai.xml; empty without a depositor, like the file."""
        return _unpacked(self.packed[2])

    @property
    def csl(self) -> bytes:
        """The CSL-JSON item, as its lines of articles.json (without the comma after it)."""
        return _unpacked(self.packed[3])


class UnpackedFragments(Mapping[str, bytes]):
    """Article DOI -> one kind of its fragments (`kind`: "crossref", "doaj", "oai" or "csl"),
    decompressed when read: an archive file reads them one by one as it is assembled (see
    xml.PartsOf), so they are never all in memory decompressed (tens of megabytes at 10,000
    articles)."""

    def __init__(self, fragments: Mapping[str, ArticleFragments], kind: str):
        self._fragments, self._kind = fragments, kind

    def __getitem__(self, doi: str) -> bytes:
        return getattr(self._fragments[doi], self._kind)

    def __iter__(self) -> Iterator[str]:
        return iter(self._fragments)

    def __len__(self) -> int:
        return len(self._fragments)


def _unpacked(packed: bytes) -> bytes:
    return lz4.frame.decompress(packed) if packed else b""


def article_fragments(article: Article, journal: Journal) -> ArticleFragments:
    """The fragments of an article for its journal: fragments made for a journal with a
    depositor hold parts of files that one without a depositor does not have, and the other
    way round (the build cache keys them on the journal too)."""
    depositor = journal.crossref is not None  # the Crossref part was most of the fragments' time
    return ArticleFragments.pack(
        crossref=crossref.article_fragment(article, journal) if depositor else b"",
        doaj=doaj.article_fragment(article, journal),
        oai=oai.article_fragment(article, journal) if depositor else b"",
        csl=csl_entry(article, journal),
        summary=article_summary_of(article, journal),
    )


def collect_fragments(site: Site, jobs: int) -> dict[str, ArticleFragments]:
    """Article DOI -> its fragments, built by up to `jobs` processes."""
    fragments: dict[str, ArticleFragments] = {}
    for share in map_shares(_fragments_share, site, len(site.articles), jobs):
        fragments.update(share)
    return fragments


def _fragments_share(site: Site, share: int, shares: int) -> dict[str, ArticleFragments]:
    return {article.doi: article_fragments(article, site.journal) for article in site.articles[share::shares]}
