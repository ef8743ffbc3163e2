"""Full-text search (issue 5): what article pages give the index, and the search page's companions.

Pagefind indexes the finished HTML, so search sees exactly what readers see. Article pages
mark their body with `data-pagefind-body` and add a hidden block (templates/search_fields.html)
with the filters (year, issue, type), the metadata shown in results (authors, citation) and
words readers may type that the page does not show: the bare DOI (the page shows it as a
https://doi.org link, which the index keeps as one word) and author names transliterated to
Latin letters, because Pagefind folds accents (`Nunez` finds `Núñez`) but does not transliterate
(`Smirnova` would not find `Смирнова`).

The index itself is made by search_index.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from caseshelf.citation import author_list, source_line
from caseshelf.identity import slug_of
from caseshelf.model import ARTICLE_TYPES, Article, Journal
from caseshelf.site import Site

#: Where the search page lives, below the base path.
SEARCH_PAGE = "search/"
OPENSEARCH_FILE = "opensearch.xml"


@dataclass(frozen=True, slots=True)
class SearchFields:
    """What an article page adds for the search index only; readers never see it."""

    filters: tuple[tuple[str, str], ...]
    """(filter name, value) pairs, e.g. ("Year", "2025"), offered as checkboxes on /search/."""
    meta: tuple[tuple[str, str], ...]
    """(key, value) pairs each result shows under its title: authors and citation."""
    doi: str
    """The bare DOI, weighted so that a DOI query ranks the article above pages citing it."""
    names: tuple[str, ...]
    """Author names in Latin letters where the byline uses other letters or accents."""


#: The filters the search page offers, by their names in the index.
YEAR, ISSUE, TYPE = "Year", "Issue", "Type"


def search_fields(journal: Journal, article: Article, issue_label: str | None) -> SearchFields:
    filters = [(YEAR, str(article.year))]
    if issue_label:
        filters.append((ISSUE, _as_filter_label(issue_label)))  # the record's volume and issue
    filters.append((TYPE, ARTICLE_TYPES.get(article.type, "Article")))
    return SearchFields(
        filters=tuple(filters),
        meta=(("authors", author_list(article)), ("citation", f"{journal.abbreviation}. {source_line(article)}")),
        doi=article.doi,
        names=latin_spellings(author.name for author in article.authors),
    )


def filter_order(site: Site) -> dict[str, tuple[str, ...]]:
    """Filter name -> its values in the order the search page lists them: the years and issues
    newest first, as the site's issue list has them. Pagefind orders them as text (Vol. 1,
    Vol. 10, Vol. 2), and the browser the years oldest first (JavaScript puts keys that read as
    numbers first, ascending); types stay in Pagefind's A to Z."""
    return {
        YEAR: tuple(dict.fromkeys(str(article.year) for article in site.articles)),  # newest first
        ISSUE: tuple(dict.fromkeys(_as_filter_label(issue.label) for issue in site.issues)),
    }


#: `<`, `>` and `&` as their full-width forms, which no HTML reads as markup.
_AS_TEXT_IN_HTML = str.maketrans({"<": "\uff1c", ">": "\uff1e", "&": "\uff06"})


def _as_filter_label(value: str) -> str:
    """The value as Pagefind's search page can show it: without `<`, `>` and `&`.

    Pagefind puts a filter's value into its label as HTML (`{@html}` in its FilterPanel),
    unlike titles, excerpts and metadata, so a volume `<img src=x onerror=...>` in a record ran
    its script on the search page. Escaping it does not help: Pagefind 1.5 reads the value's
    entities again (`&amp;lt;` in the page is a `<` in its index). Real volumes and issues
    rarely hold these characters; their full-width forms read the same in a filter's label."""
    if "<" in value or ">" in value or "&" in value:  # a quarter of translate's time when none is
        return value.translate(_AS_TEXT_IN_HTML)
    return value


def latin_spellings(names: Iterable[str]) -> tuple[str, ...]:
    """`Ю. А. Смирнова` -> `Iu A Smirnova`, `Yu A Smirnova`; `José Núñez` -> `Jose Nunez`;
    ASCII names are skipped.

    python-slugify's transliteration (text-unidecode) is the same one that makes author slugs,
    so the name in an author's URL is also a name that finds their articles.
    """
    spellings: dict[str, None] = {}
    for name in names:
        if not name.isascii():
            spellings.update(dict.fromkeys(_latin_spellings(name)))
    return tuple(spelling for spelling in spellings if spelling)


#: The letters that text-unidecode spells otherwise than passports, PubMed and the English
#: editions of Russian journals do: `Яковлев` is `Iakovlev` to it, `Yakovlev` to readers, who
#: found nothing by that name.
_USUAL_CYRILLIC = str.maketrans({"Я": "Ya", "я": "ya", "Ю": "Yu", "ю": "yu", "Й": "Y", "й": "y"})


@lru_cache(maxsize=None)
def _latin_spellings(name: str) -> tuple[str, ...]:
    """Cached: authors recur across articles."""
    spelling = slug_of(name, separator=" ", lowercase=False)
    usual = slug_of(name.translate(_USUAL_CYRILLIC), separator=" ", lowercase=False)
    return (spelling,) if usual == spelling else (spelling, usual)


def opensearch_short_name(journal: Journal) -> str:
    """The name browsers list the search engine under: at most 16 characters (OpenSearch 1.1).

    `Russ J Pediatr Hematol Oncol` is too long, so its initials are used: `RJPHO`.
    """
    for candidate in (journal.abbreviation, _initials(journal.abbreviation), _initials(journal.title)):
        if 0 < len(candidate) <= 16:
            return candidate
    return journal.title[:16].rstrip()


def _initials(name: str) -> str:
    return "".join(word[0] for word in name.split() if word[0].isupper())
