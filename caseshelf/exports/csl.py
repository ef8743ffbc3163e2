"""An article as a CSL-JSON item: what citation.json, articles.json and the CSL processor read."""

from __future__ import annotations

from typing import Any

from caseshelf.exports import paths
from caseshelf.exports.jsontext import indented_json
from caseshelf.exports.text import abstract_text, title_text
from caseshelf.licenses import LICENSES
from caseshelf.model import Article, Author, Journal


def csl_name(author: Author) -> dict[str, str]:
    """A CSL name: a group author is a literal, so no processor splits it into initials."""
    if author.is_group or not author.given_names:
        return {"literal": author.family_name}
    return {"family": author.family_name, "given": author.given_names}


def issued(article: Article) -> dict[str, list[list[int]]]:
    """The date reference managers cite the article by (see Article.cited_date)."""
    date = article.cited_date
    if date:
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
        "keyword": _keyword_list(article.keywords),
        "license": LICENSES[article.license].url,
    }
    item.update({key: value for key, value in optional.items() if value})
    return item


def _keyword_list(keywords: tuple[str, ...]) -> str:
    """CSL-JSON's one `keyword` string: the keywords joined by commas, as readers split it,
    unless a keyword has a comma in it (MeSH's `Leukemia, Myeloid, Acute`), which a split at
    commas would make three; then by semicolons, the other separator of keyword lists. A
    string has no way to protect a comma."""
    separator = "; " if any("," in keyword for keyword in keywords) else ", "
    return separator.join(keywords)


#: The last `csl_entry` made, with the article and journal it was made for.
_last_entry: tuple[Article | None, Journal | None, bytes] = (None, None, b"")


def csl_entry(article: Article, journal: Journal) -> bytes:
    """The article's CSL-JSON item as it stands in an array, one level deep: its entry in
    articles.json, and all of citation.json but the brackets. Both are made one after the
    other, so the last one is kept: encoding a 3 KB item twice cost 2% of a build's work."""
    global _last_entry
    if _last_entry[0] is not article or _last_entry[1] is not journal:
        _last_entry = (article, journal, b"  " + indented_json(csl_item(article, journal), 1))
    return _last_entry[2]


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
