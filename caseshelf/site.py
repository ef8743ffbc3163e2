"""Stage 2: the site model. Every index the pages need, built once from all the articles.

Pure: no I/O, no rendering. Authors become people (identity across articles), DOIs, issues and
keywords get their indexes, and references that cite an article of this archive are linked
both ways ("cited in this archive by").
"""

from __future__ import annotations

import io
import pickle
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from caseshelf.identity import assign_slugs, byline_identity_keys, make_slug, romanisation_skeleton, slug_of
from caseshelf.collector import cycle_collector_paused
from caseshelf.model import Affiliation, Article, Author, Journal, Loaded, pickled_by_fields


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Person:
    """One person (or group) across every article that names them."""

    key: str
    slug: str
    name: str
    """The name as printed in their most recent article."""
    family_name: str
    """Family name (or group name), for A–Z ordering."""
    orcid: str | None
    articles: tuple[Article, ...]
    """Newest first."""
    affiliations: tuple[tuple[Affiliation, int], ...]
    """Each affiliation seen with the latest year it was seen, latest first."""
    coauthor_keys: tuple[str, ...]


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Issue:
    volume: str
    number: str
    year: int
    slug: str
    """`<volume>/<issue>` as URL path segments."""
    articles: tuple[Article, ...]
    """Table of contents order: by first page."""

    @property
    def label(self) -> str:
        """`Vol. 12, No. 4`; `Vol. 12, Suppl. 1` for an issue that is not numbered (not `No. Suppl. 1`)."""
        if not self.number:
            return f"Vol. {self.volume}"
        return f"Vol. {self.volume}, {'No. ' if self.number[:1].isdigit() else ''}{self.number}"


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Keyword:
    name: str
    slug: str
    articles: tuple[Article, ...]


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Site:
    journal: Journal
    articles: tuple[Article, ...]
    """Newest first (year, volume, issue, pages)."""
    people: tuple[Person, ...]
    """Sorted A–Z by family name."""
    person_keys: dict[tuple[str, int], str]
    """(article DOI, byline index) -> person key."""
    people_by_key: dict[str, Person]
    issues: tuple[Issue, ...]
    """Newest first."""
    keywords: tuple[Keyword, ...]
    keyword_slugs: dict[str, str]
    """Keyword (case-folded) -> slug."""
    article_by_doi: dict[str, Article]
    """Lower-cased DOI -> article."""
    cited_by: dict[str, tuple[Article, ...]]
    """Lower-cased DOI -> the articles of this archive whose references cite it."""

    issue_by_doi: dict[str, Issue]
    """Article DOI -> the issue it appears in (articles without a volume have none)."""
    articles_by_doi: tuple[Article, ...]
    """The DOI index's order: by DOI, case-insensitively."""
    index_letters: tuple[tuple[str, int], ...]
    """The letters of the A–Z index of people, each with the position in `people` of the first
    person filed under it (see `index_letter`)."""
    orcid_warnings: tuple[str, ...]
    """A warning for each ORCID iD given to people of different names (see `_orcid_warnings`):
    made with the model, so a build that keeps the model (a title edited) need not read every
    article's byline again."""

    @property
    def latest_issue(self) -> Issue | None:
        return self.issues[0] if self.issues else None


def _number_key(text: str | None) -> tuple[int, str]:
    """A volume or issue by its first number: `Suppl. 1` is 1, and so is the double issue `1-2`
    (not 12, as its digits read together); 0 for none (`Special`)."""
    found = _NUMBER.search(text or "")
    return (int(found.group()) if found else 0, text or "")


_NUMBER = re.compile(r"\d+")


def newest_first_key(article: Article) -> tuple:
    """Newest year, volume and issue first; within an issue, table-of-contents order."""
    return (
        -article.year,
        -_number_key(article.volume)[0],
        -_number_key(article.issue)[0],
        article.pages.sort_key,
        article.doi,
    )


#: Article fields that pages show but the site model never reads: no index, order, slug or
#: link depends on them. (Of the references, the model reads only the DOIs.)
SHOWN_ONLY = frozenset({"title", "abstract", "references", "license", "language", "type", "published", "pdf"})


def model_part(article: Article) -> tuple:
    """What the site model reads of an article: articles with equal parts make the same model.
    Made by leaving out the fields known to be shown only, so that a new field counts as read
    until it is added there."""
    kept = tuple(getattr(article, name) for name in article.__slots__ if name not in SHOWN_ONLY)
    return kept, tuple(reference.doi for reference in article.references)


def shown_fields_changed(before: Article, after: Article) -> set[str]:
    """The fields known to be shown only (`SHOWN_ONLY`) that differ between two versions of a record."""
    return {name for name in SHOWN_ONLY if getattr(before, name) != getattr(after, name)}


def build_site(loaded: Loaded) -> Site:
    with cycle_collector_paused():  # the indexes are trees over the articles: nothing to collect
        return _build_site(loaded)


def _build_site(loaded: Loaded) -> Site:
    articles = tuple(sorted(loaded.articles, key=newest_first_key))
    people, person_keys = _build_people(articles)
    issues = _build_issues(articles)
    keywords, keyword_slugs = _build_keywords(articles)
    return Site(
        journal=loaded.journal,
        articles=articles,
        people=people,
        person_keys=person_keys,
        people_by_key={person.key: person for person in people},
        issues=issues,
        issue_by_doi={article.doi: issue for issue in issues for article in issue.articles},
        keywords=keywords,
        keyword_slugs=keyword_slugs,
        article_by_doi={article.doi.lower(): article for article in articles},
        cited_by=_build_citations(articles),
        articles_by_doi=tuple(sorted(articles, key=lambda article: article.doi.lower())),
        index_letters=_index_letters(people),
        orcid_warnings=_orcid_warnings(articles),
    )


def _orcid_warnings(articles: tuple[Article, ...]) -> tuple[str, ...]:
    """A warning for each ORCID iD that bylines give to people of different family names.

    The same iD makes one person of everyone who has it (see identity.py), so an iD pasted
    into the wrong author block, or the example record's copied with the rest, puts two
    people on one author page under one name without a word. Spellings of one family name
    (accents, letter case, Cyrillic and its romanisations) are one name, and so is a family
    name found among the other byline's names (see `_may_be_one_name`); a person who changed
    their family name is warned about, but the build goes on: the iD may well be right."""
    names: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)
    for article in articles:
        for author in article.authors:
            if author.orcid:
                names[author.orcid].setdefault(author.family_name, (author.name, article.source))
    warnings = []
    for orcid in sorted(names):
        by_family = names[orcid]
        if len(by_family) < 2:
            continue
        distinct: list[tuple[str, str, str]] = []
        for family_name, (name, source) in sorted(by_family.items(), key=lambda item: item[1][1]):
            if not any(_may_be_one_name((family_name, name), (kept, kept_name)) for kept, kept_name, _ in distinct):
                distinct.append((family_name, name, source))
        if len(distinct) > 1:
            who = ", ".join(f"{name} ({source})" for _, name, source in distinct)
            warnings.append(
                f"Warning: the ORCID iD {orcid} is given to {who}: they are shown as one person. "
                "Correct the iD where it is not theirs"
            )
    return tuple(warnings)


def _may_be_one_name(one: tuple[str, str], other: tuple[str, str]) -> bool:
    """Whether two bylines (family name, whole name) may name one person: a word of either's
    family name is a word of the other's whole name, however it was romanised. So
    `García-López` is `M. García López` and `M. García` (a Spanish double family name, often
    shortened), `Wang Wei` is `Wei Wang` (eastern order written the other way round, which
    swaps the split family name), and `Shchukina` is `Schukina` and `Щукина`."""
    (family, name), (other_family, other_name) = one, other
    return bool(_name_words(family) & _name_words(other_name) or _name_words(other_family) & _name_words(name))


@lru_cache(maxsize=None)
def _name_words(text: str) -> frozenset[str]:
    """The romanisation skeletons of the words of a name (see `romanisation_skeleton`). An
    initial stays an initial (`e.`): the skeleton of a name can be one letter (`Ye` is `e`),
    and the family name Ye is not E. B. Machneva's initial. Cached: names recur."""
    return frozenset({romanisation_skeleton(word) if len(word) > 1 else f"{word}." for word in slug_of(text).split("-") if word})


def _index_letters(people: tuple[Person, ...]) -> tuple[tuple[str, int], ...]:
    first_positions: dict[str, int] = {}
    for position, person in enumerate(people):
        first_positions.setdefault(index_letter(person.family_name), position)
    return tuple(first_positions.items())


@lru_cache(maxsize=None)
def index_letter(family_name: str) -> str:
    """People are filed under the first letter of their family name, transliterated (Cyrillic too).

    A name that starts with an ASCII letter is filed under that letter, as slugify would file
    it; transliterating is kept for the rest. Family names recur (Smith, Ivanova), hence the cache.
    """
    first = family_name[:1]
    letter = first.upper() if first.isascii() and first.isalpha() else slug_of(family_name)[:1].upper()
    return letter if letter.isalpha() else "#"


def _build_people(articles: tuple[Article, ...]) -> tuple[tuple[Person, ...], dict[tuple[str, int], str]]:
    keys = byline_identity_keys([author for article in articles for author in article.authors])
    sightings: dict[str, list[_Sighting]] = defaultdict(list)
    person_keys = {}
    next_key = iter(keys).__next__  # the keys are in byline order: article by article
    for article in articles:  # newest first, so each person's sightings are too
        byline_keys = [next_key() for _ in article.authors]
        for index, (author, key) in enumerate(zip(article.authors, byline_keys)):
            person_keys[(article.doi, index)] = key
            sightings[key].append((article, author, byline_keys))
    slugs = assign_slugs({key: seen[0][1].name for key, seen in sightings.items()})
    people = [_person(key, slugs[key], seen) for key, seen in sightings.items()]
    people.sort(key=lambda p: (make_slug(p.family_name), p.slug))
    return tuple(people), person_keys


#: Where a person is named: the article, the byline entry and the identity keys of its byline.
_Sighting = tuple[Article, Author, list[str]]


def _person(key: str, slug: str, seen: list[_Sighting]) -> Person:
    """The person named in `seen` (newest first)."""
    newest = seen[0][1]
    coauthors = set().union(*[byline_keys for _, _, byline_keys in seen])
    coauthors.discard(key)
    return Person(
        key=key,
        slug=slug,
        name=newest.name,
        family_name=newest.family_name,
        orcid=next((author.orcid for _, author, _ in seen if author.orcid), None),
        articles=_unique_articles([article for article, _, _ in seen]),
        affiliations=_affiliations_over_time(seen),
        coauthor_keys=tuple(sorted(coauthors)),
    )


def _unique_articles(articles: list[Article]) -> tuple[Article, ...]:
    """In order, each article once: one person can be named twice in a byline, and the
    entries of one byline come together."""
    if len(articles) == 1:
        return (articles[0],)
    return tuple(article for article, before in zip(articles, [None, *articles]) if article is not before)


def _affiliations_over_time(seen: list[_Sighting]) -> tuple[tuple[Affiliation, int], ...]:
    latest: dict[str, tuple[Affiliation, int]] = {}
    for article, author, _ in seen:  # newest first: the first sighting is the latest year
        for affiliation in author.affiliations:
            if affiliation.name not in latest:
                latest[affiliation.name] = (affiliation, article.year)
    return tuple(latest.values())


def _build_issues(articles: tuple[Article, ...]) -> tuple[Issue, ...]:
    grouped: dict[tuple[str, str], list[Article]] = defaultdict(list)
    for article in articles:
        if article.volume:
            grouped[(article.volume, article.issue or "")].append(article)
    issues = [
        Issue(
            volume=volume,
            number=number,
            year=max(a.year for a in members),
            slug="/".join(part for part in (make_slug(volume), make_slug(number)) if part),
            articles=tuple(sorted(members, key=lambda a: (a.pages.sort_key, a.doi))),
        )
        for (volume, number), members in grouped.items()
    ]
    issues.sort(key=lambda i: (-i.year, -_number_key(i.volume)[0], -_number_key(i.number)[0], i.slug))
    return tuple(issues)


def _build_keywords(articles: tuple[Article, ...]) -> tuple[tuple[Keyword, ...], dict[str, str]]:
    grouped: dict[str, dict[str, Article]] = defaultdict(dict)
    spelling: dict[str, str] = {}
    for article in articles:
        for keyword in article.keywords:
            folded = keyword.casefold()
            spelling.setdefault(folded, keyword)
            grouped[folded][article.doi] = article
    slugs = assign_slugs({folded: spelling[folded] for folded in grouped}, unnamed="keyword")
    keywords = sorted(
        (Keyword(name=spelling[folded], slug=slugs[folded], articles=tuple(grouped[folded].values())) for folded in grouped),
        key=lambda k: (k.name.casefold(), k.slug),
    )
    return tuple(keywords), slugs


def _build_citations(articles: tuple[Article, ...]) -> dict[str, tuple[Article, ...]]:
    local = {article.doi.lower() for article in articles}
    cited_by: dict[str, dict[str, Article]] = defaultdict(dict)
    for article in articles:
        own = article.doi.lower()
        for reference in article.references:
            target = reference.doi.lower() if reference.doi else None
            if target in local and target != own:
                cited_by[target][article.doi] = article
    return {doi: tuple(citing.values()) for doi, citing in cited_by.items()}


def model_without_records(site: Site) -> bytes:
    """The site model pickled without its journal and articles (each named by its record
    path), for `relinked_model` to put the next build's back in: a tenth of the cost of
    `build_site` for a large archive."""
    stream = io.BytesIO()
    _RecordsLeftOut(stream, pickle.HIGHEST_PROTOCOL).dump(site)
    return stream.getvalue()


def relinked_model(pickled: bytes, loaded: Loaded) -> Site:
    """The model `model_without_records` pickled, made of `loaded`'s journal and articles. It is
    what `build_site(loaded)` makes when the records are those the model was built from, or
    differ only in what the model does not read: every article's `model_part` equal to that of
    the record it replaces. Checking that is the caller's job."""
    with cycle_collector_paused():
        return _RecordsPutBack(io.BytesIO(pickled), loaded).load()


def _article_at(source: str) -> Article:
    """Stands for an article in a pickled model; `_RecordsPutBack` finds this name."""
    raise TypeError("a model without records is only loaded by relinked_model")


def _the_journal() -> Journal:
    """Stands for the journal in a pickled model; `_RecordsPutBack` finds this name."""
    raise TypeError("a model without records is only loaded by relinked_model")


class _RecordsLeftOut(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:  # never called for str, int, tuple, dict and the like
        if type(obj) is Article:
            return _article_at, (obj.source,)
        if type(obj) is Journal:
            return _the_journal, ()
        return NotImplemented


class _RecordsPutBack(pickle.Unpickler):
    def __init__(self, stream: io.BytesIO, loaded: Loaded):
        super().__init__(stream)
        self.stand_ins: dict[str, Callable[..., Any]] = {
            _article_at.__name__: {article.source: article for article in loaded.articles}.__getitem__,
            _the_journal.__name__: lambda: loaded.journal,
        }

    def find_class(self, module: str, name: str) -> Any:
        if module == __name__ and name in self.stand_ins:
            return self.stand_ins[name]
        return super().find_class(module, name)
