"""What Crossref's two forms (crossref_json, crossref_deposit) are read alike for.

Which of a work's licenses is the article's, and the note when none is known; the PDF's media
type; and a reference, as Crossref wrote it or composed from the parts it keeps of a structured
one, with a note naming the entries of a reference list that cite nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from caseshelf.importers.reference_list import Listed, citing_text, identifier_text, kept_references, place_name
from caseshelf.importers.references import edition_text, isbn_text, where_published
from caseshelf.importers.markup import tidy_text
from caseshelf.importers.vocab import (
    NO_LICENSE_NOTE,
    spdx_from_license_url,
    unknown_license_note,
)
from caseshelf.model import Reference

#: The media type of the full text's PDF, as both forms mark a link or resource to it.
PDF = "application/pdf"


def is_for_the_version_of_record(applies_to: str) -> bool:
    """Crossref lists a license per version: the published article's (`vor`), the accepted
    manuscript's (`am`, often CC after an embargo while the article is not) and text mining's
    (`tdm`). Only the first is the article's; `unspecified` or none says it is for all."""
    return applies_to.strip().lower() in ("", "vor", "unspecified")


def first_known_license(urls: list[str]) -> str | None:
    return next(filter(None, map(spdx_from_license_url, urls)), None)


def license_notes(spdx: str | None, urls: list[str]) -> tuple[str, ...]:
    urls = [url for url in urls if url]
    if spdx:
        return ()
    return (unknown_license_note(urls[0]),) if urls else (NO_LICENSE_NOTE,)


#: Where each part of a reference is, in the REST API's JSON and in deposit XML; alternatives
#: in order of preference. Neither has a publisher or a place of publication.
JSON_REFERENCE_PARTS = {
    "unstructured": ("unstructured",), "author": ("author",), "title": ("article-title",),
    "source": ("journal-title", "volume-title", "series-title"), "edition": ("edition",),
    "year": ("year",), "volume": ("volume",), "issue": ("issue",), "first_page": ("first-page",),
    "isbn": ("ISBN",),
}  # fmt: skip
DEPOSIT_REFERENCE_PARTS = {
    "unstructured": ("unstructured_citation",), "author": ("author",), "title": ("article_title",),
    "source": ("journal_title", "volume_title", "series_title"), "edition": ("edition_number",),
    "year": ("cYear",), "volume": ("volume",), "issue": ("issue",), "first_page": ("first_page",),
    "isbn": ("isbn",),
}  # fmt: skip


#: The parts of a structured reference that say what work it cites; a year, volume or pages alone
#: ("2019:5.") do not. An ISBN does: a book is often deposited as its ISBN and year only.
_NAMING_PARTS = ("author", "title", "source", "isbn")


def reference_from_parts(read: Callable[[str], str], where: dict[str, tuple[str, ...]], doi: str | None) -> Reference | None:
    """A reference as Crossref wrote it, or composed from its parts; at worst its DOI. None when
    it has nothing to cite: Crossref keeps every entry of a reference list under its `key`
    ("ref12"), also one it has nothing else of, and a key printed as the reference cites nothing."""
    parts = {name: next((text for text in map(read, names) if text), "") for name, names in where.items()}
    text = citing_text(parts.pop("unstructured")) or (_compose_reference(**parts) if any(parts[name] for name in _NAMING_PARTS) else "")
    if not text and not doi:
        return None
    return Reference(text=text or identifier_text(doi), doi=doi)


def citable(references: Iterable[tuple[str, Reference | None]]) -> tuple[tuple[Reference, ...], tuple[str, ...]]:
    """The references that cite something, and a note naming the others (by their place in the
    list and their key: a key is often a number of the publisher's own, not the place), which are
    left out of the record."""
    listed: list[Listed] = [(place_name(place, f"key {key}" if key else ""), reference)
                            for place, (key, reference) in enumerate(references, start=1)]
    return kept_references(listed, "no text, DOI, ISBN, author, title or source")


def _compose_reference(*, author: str, title: str, source: str, edition: str, year: str, volume: str, issue: str,
                       first_page: str, isbn: str) -> str:
    """Vancouver-style text from the parts Crossref keeps of a structured reference: a chapter's
    title and its book's (`volume-title`) both, and a book's ISBN last."""
    where = where_published(year, volume, issue, first_page)
    parts = (author, title, source, edition_text(edition), where, isbn_text(isbn))
    sentences = [tidy_text(part) for part in parts if tidy_text(part)]
    return " ".join(part if part.endswith((".", "?", "!")) else f"{part}." for part in sentences)
