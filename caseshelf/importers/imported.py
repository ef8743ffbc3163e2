"""What a reader makes of one source file: articles ready to be written, or reasons why not.

Readers (jats.py, crossref.py, pubmed.py) only translate; they never touch the archive. The
people, affiliations and references reuse the site's own model types, so an imported article
holds exactly what a hand-written record can say.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from caseshelf.model import Affiliation, Author, Pages, Reference


class UnreadableInput(Exception):
    """A whole file cannot be read (bad XML, bad JSON, not the expected format, hostile)."""

    def __init__(self, message: str, line: int = 0):
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True, slots=True)
class ImportedArticle:
    """One article as found in the source, in the vocabulary of the record format."""

    doi: str | None
    """None when the source has no DOI; such an article is reported, not written."""
    title: str
    """Markdown inline text: *italic*, **bold**; sub/superscripts as Unicode or plain."""
    year: int | None
    type: str | None = None
    """One of `ARTICLE_TYPES` (vocab.py), or None when the source does not say."""
    language: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: Pages = field(default_factory=Pages)
    published: date | None = None
    keywords: tuple[str, ...] = ()
    license: str | None = None
    """SPDX id when the source's license URL is a recognisable one; otherwise None."""
    affiliations: tuple[Affiliation, ...] = ()
    """In order of first use in the byline; keys are `aff1`, `aff2`, ..."""
    authors: tuple[Author, ...] = ()
    references: tuple[Reference, ...] = ()
    abstract: str = ""
    """Markdown; sections of a structured abstract are `### Heading`s."""
    pdf: str | None = None
    notes: tuple[str, ...] = ()
    """What the user should know about the import (e.g. a license left out), shown with it."""


@dataclass(frozen=True, slots=True)
class Unusable:
    """An article in the file that cannot become a record, and why."""

    message: str
    line: int = 0


ReadResult = list[ImportedArticle | Unusable]


def first_complete_date(candidates: Iterable[tuple[int | None, int | None, int | None]]) -> date | None:
    """The first (year, month, day) that has all three parts, as a date; None when that one is
    impossible (2024-02-30) or none is complete. Sources list their dates in preference order."""
    for year, month, day in candidates:
        if year and month and day:
            try:
                return date(year, month, day)
            except ValueError:
                return None
    return None


def full_last_page(first: str, last: str) -> str:
    """MEDLINE abbreviates the last page, and some publishers' Crossref deposits do: 1006-13 is
    1006-1013, and a supplement's S12-5 is S12-S15 (read as it stands, pages S12 to 5)."""
    prefix = first.rstrip("0123456789")
    number = first[len(prefix) :]
    if not number or not last.isdigit():
        return last
    if len(last) < len(number):
        last = number[: len(number) - len(last)] + last
    return prefix + last
