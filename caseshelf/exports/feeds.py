"""feed.xml: an Atom feed (RFC 4287) of the newest articles."""

from __future__ import annotations

from lxml import etree

from caseshelf.exports import paths
from caseshelf.exports.text import abstract_text, title_text
from caseshelf.exports.xml import sub, to_bytes
from caseshelf.markdown import block_plain_text
from caseshelf.model import Article, Journal
from caseshelf.site import Site
from caseshelf.urls import doi_url

ATOM_NS = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50
_A = "{" + ATOM_NS + "}"


def updated(article: Article) -> str:
    """RFC 3339 time of an article: its publication date, or 1 January of its year."""
    day = article.published.isoformat() if article.published else f"{article.year}-01-01"
    return f"{day}T00:00:00Z"


def render_feed(site: Site) -> bytes:
    journal = site.journal
    articles = site.articles[:FEED_SIZE]  # the site model keeps articles newest first
    feed = etree.Element(_A + "feed", nsmap={None: ATOM_NS})
    feed.set("{http://www.w3.org/XML/1998/namespace}lang", journal.language)
    sub(feed, _A + "id", journal.base_url)
    sub(feed, _A + "title", journal.title)
    if journal.description:
        sub(feed, _A + "subtitle", block_plain_text(journal.description))
    sub(feed, _A + "updated", max((updated(article) for article in articles), default="1970-01-01T00:00:00Z"))
    sub(feed, _A + "link", rel="self", type="application/atom+xml", href=paths.absolute(journal, paths.FEED))
    sub(feed, _A + "link", rel="alternate", type="text/html", href=journal.base_url)
    if journal.publisher:
        sub(sub(feed, _A + "author"), _A + "name", journal.publisher)
    sub(feed, _A + "generator", "caseshelf")
    for article in articles:
        _entry(feed, article, journal)
    return to_bytes(feed)


def _entry(feed: etree._Element, article: Article, journal: Journal) -> None:
    entry = sub(feed, _A + "entry")
    sub(entry, _A + "id", doi_url(article.doi))
    sub(entry, _A + "title", title_text(article.title), type="text")
    sub(entry, _A + "updated", updated(article))
    sub(entry, _A + "published", updated(article))
    sub(entry, _A + "link", rel="alternate", type="text/html", href=paths.article_url(journal, article))
    for author in article.authors:
        sub(sub(entry, _A + "author"), _A + "name", author.name)
    for keyword in article.keywords:
        sub(entry, _A + "category", term=keyword)
    abstract = abstract_text(article.abstract)
    if abstract:
        sub(entry, _A + "summary", abstract, type="text")
