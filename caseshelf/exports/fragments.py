"""Each article's share of the archive-wide files, built on every core.

The Crossref deposit, DOAJ and OAI files and articles.json hold every article, which would make
them the one serial step of a parallel build. So each article's part of them (an XML element,
serialised; a CSL-JSON item) is built in worker processes, and the archive files are only
assembled from the parts: lxml parses a part back far faster than Python builds it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from caseshelf.exports import crossref, doaj, oai
from caseshelf.exports.csl import csl_item
from caseshelf.model import Article, Journal
from caseshelf.parallel import map_shares
from caseshelf.site import Site


@dataclass(frozen=True, slots=True)
class ArticleFragments:
    crossref: bytes
    """<journal_article>, serialised."""
    doaj: bytes
    """<record>, serialised."""
    oai: bytes
    """<oai:record>, serialised."""
    csl: dict[str, Any]


def article_fragments(article: Article, journal: Journal) -> ArticleFragments:
    return ArticleFragments(
        crossref=crossref.article_fragment(article, journal),
        doaj=doaj.article_fragment(article, journal),
        oai=oai.article_fragment(article, journal),
        csl=csl_item(article, journal),
    )


def collect_fragments(site: Site, jobs: int) -> dict[str, ArticleFragments]:
    """Article DOI -> its fragments, built by up to `jobs` processes."""
    fragments: dict[str, ArticleFragments] = {}
    for share in map_shares(_fragments_share, site, len(site.articles), jobs):
        fragments.update(share)
    return fragments


def _fragments_share(site: Site, share: int, shares: int) -> dict[str, ArticleFragments]:
    return {article.doi: article_fragments(article, site.journal) for article in site.articles[share::shares]}
