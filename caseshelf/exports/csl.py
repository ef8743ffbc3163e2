"""An article as a CSL-JSON item: what citation.json, articles.json and the CSL processor read."""

from __future__ import annotations

from typing import Any

from caseshelf.exports import paths
from caseshelf.exports.text import abstract_text, title_text
from caseshelf.licenses import LICENSES
from caseshelf.model import Article, Author, Journal


def csl_name(author: Author) -> dict[str, str]:
    """A CSL name: a group author is a literal, so no processor splits it into initials."""
    if author.is_group or not author.given_names:
        return {"literal": author.family_name}
    return {"family": author.family_name, "given": author.given_names}


def issued(article: Article) -> dict[str, list[list[int]]]:
    if article.published:
        date = article.published
        return {"date-parts": [[date.year, date.month, date.day]]}
    return {"date-parts": [[article.year]]}


def csl_item(article: Article, journal: Journal) -> dict[str, Any]:
    """The full CSL-JSON record of an article (reference managers import it as is)."""
    item = citation_item(article, journal)
    item["issued"] = issued(article)
    item["DOI"] = article.doi
    item["URL"] = paths.article_url(journal, article)
    optional = {
        "ISSN": ", ".join(issn for issn in (journal.issn_print, journal.issn_online) if issn),
        "publisher": journal.publisher,
        "abstract": abstract_text(article.abstract),
        "keyword": ", ".join(article.keywords),
        "license": LICENSES[article.license].url,
    }
    item.update({key: value for key, value in optional.items() if value})
    return item


def citation_item(article: Article, journal: Journal) -> dict[str, Any]:
    """The fields a "For citation" line needs. The DOI is left out: pages print it as a
    https://doi.org link after the language note (Crossref's display guidelines), and the
    year alone is the date, as medical journals cite."""
    item: dict[str, Any] = {
        "id": article.doi,
        "type": "article-journal",
        "title": title_text(article.title),
        "container-title": journal.title,
        "author": [csl_name(author) for author in article.authors],
        "issued": {"date-parts": [[article.year]]},
        "language": article.language,
    }
    if journal.abbreviation and journal.abbreviation != journal.title:
        item["container-title-short"] = journal.abbreviation
    optional = {"volume": article.volume, "issue": article.issue, "page": _page(article)}
    item.update({key: value for key, value in optional.items() if value})
    return item


def _page(article: Article) -> str:
    """CSL has no e-location field; reference managers and styles print it where pages go."""
    return str(article.pages)
