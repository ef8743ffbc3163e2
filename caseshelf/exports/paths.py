"""Where every export lives in the output, and its absolute URL.

Per-article files sit next to the article's page (`articles/<slug>/citation.bib`), archive-wide
files at the site root or under `crossref/`. Absolute URLs come from base_url, so they are right
under a GitHub Pages sub-path too.
"""

from __future__ import annotations

from functools import lru_cache


from caseshelf import urls
from caseshelf.identity import slug_of
from caseshelf.model import Article, Journal

JATS = "article.jats.xml"
BIBTEX = "citation.bib"
RIS = "citation.ris"
CSL_JSON = "citation.json"

FEED = "feed.xml"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
OAI = "oai.xml"
DOAJ = "doaj.xml"
DOI_INDEX = "doi.json"
ARTICLES_INDEX = "articles.json"
CROSSREF_ALL = "crossref/all.xml"


def crossref_issue(volume: str, issue: str) -> str:
    """`crossref/issue-12-4.xml` (volume 12, issue 4); a volume without issues: `issue-12.xml`."""
    return f"crossref/issue-{slug_of('-'.join(part for part in (volume, issue) if part))}.xml"


def article_file(article: Article, name: str) -> str:
    """Output path of a per-article file, e.g. `articles/<slug>/citation.bib`."""
    return urls.article_path(article.slug) + name


def article_url(journal: Journal, article: Article) -> str:
    """Absolute URL of the article's landing page."""
    return _article_url(journal.base_url, article.slug)


@lru_cache(maxsize=64)
def _article_url(base_url: str, slug: str) -> str:
    """An article's exports ask for its URL some nine times, one after the other, and each
    answer percent-encodes its path; a few answers are kept."""
    return urls.absolute(base_url, urls.article_path(slug))


def absolute(journal: Journal, path: str) -> str:
    return urls.absolute(journal.base_url, path)


def link(journal: Journal, path: str) -> str:
    """A link as pages write it (base path + path), for download links."""
    return urls.link(journal.base_path, path)
