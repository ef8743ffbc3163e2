"""The validated records: what the loader produces and every later stage reads.

All records are frozen and slotted: no stage can change what an earlier one decided, and a
record can be sent to another process as it is. Text fields hold the user's text unescaped;
escaping is the job of whoever writes a format (templates autoescape, exporters use real
serialisers).
"""

from __future__ import annotations

import importlib
import pickle
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar
from urllib.parse import urlsplit

from caseshelf.paging import DEFAULT_PAGE_SIZE

T = TypeVar("T")

#: Every class decorated with `pickled_by_fields`, in whichever module (see `record_shapes`).
_PICKLED_BY_FIELDS: list[type] = []
#: The modules other than this one that define such classes: `record_shapes` imports them, so
#: that its answer does not depend on what the caller happened to import first.
#: tests/test_records_pickle.py checks the package's source against this list.
RECORD_MODULES = ("caseshelf.site", "caseshelf.views", "caseshelf.exports.fragments")


def pickled_by_fields(cls: type[T] | None = None, *, packed: tuple[str, ...] = ()) -> Any:
    """Class decorator for a frozen slotted dataclass: pickle it as a call of `cls.restore`
    (made here) with its field values. The build cache stores every article, and the default
    pickling of such classes (field by field, through `fields()`, into `__setattr__` by name)
    made loading 10,000 cached records take seconds.

    `packed` names fields pickled together as one blob of bytes, unpickled when one of them is
    first read. After an edit, a build loads the cached records of every article but reads
    only the names and dates of most (see Article) to render the pages of a few;
    unpickling their other fields was most of the time it took to load the cache.

    While a record is packed, the blob waits in the slot of the last packed field, which
    stands for it (`_BlobHolder`), and the other packed slots are empty: reading one of them
    falls through to `__getattr__`, which unpacks. Once unpacked, they are read as plain
    slots: a build reads an article's packed fields about 150 times, and a Python descriptor
    on each read cost 1% of its time."""

    def decorate(cls: type[T]) -> type[T]:
        slots = {name: getattr(cls, name) for name in cls.__slots__}  # before `packed` wraps one
        cls.restore = _restorer(cls, slots, packed)  # type: ignore[attr-defined]
        cls.pickled_shape = (cls.__qualname__, cls.__slots__, packed)  # type: ignore[attr-defined]
        _PICKLED_BY_FIELDS.append(cls)
        cls.__reduce__ = _field_values if not packed else _packing_field_values(slots, packed)  # type: ignore[method-assign]
        if packed:
            holder = _BlobHolder(tuple(slots[name] for name in packed))
            setattr(cls, packed[-1], holder)
            cls.__getattr__ = _unpacking_getattr(holder, packed)  # type: ignore[attr-defined]
        return cls

    return decorate if cls is None else decorate(cls)


def _field_values(self):  # noqa: ANN001, ANN202 - pickle's protocol
    return type(self).restore, tuple([getattr(self, name) for name in self.__slots__])


class PackedFields:
    """The pickled values of a record's `packed` fields (see `pickled_by_fields`), held in the
    slot of the last of them until one of them is read."""

    __slots__ = ("blob",)

    def __init__(self, blob: bytes):
        self.blob = blob

    def __reduce__(self) -> tuple[type, tuple[bytes]]:
        return PackedFields, (self.blob,)


def _packing_field_values(slots: dict[str, Any], packed: tuple[str, ...]) -> Callable[[Any], tuple]:
    """`__reduce__` for a class with packed fields: a record never unpacked is pickled with its
    blob as it is, so saving a cache shard does not unpickle the articles it did not use. The
    blob is passed for every packed field (pickle writes it once), and `restore` keeps it in
    the last one's slot."""
    every_slot, positions = tuple(slots.values()), [list(slots).index(name) for name in packed]
    packed_positions, holder_slot = frozenset(positions), slots[packed[-1]]

    def field_values(self):  # noqa: ANN001, ANN202 - pickle's protocol
        blob = holder_slot.__get__(self)
        if type(blob) is PackedFields:  # the other packed slots are empty
            values = [blob if position in packed_positions else slot.__get__(self) for position, slot in enumerate(every_slot)]
        else:
            values = [slot.__get__(self) for slot in every_slot]
            blob = PackedFields(pickle.dumps(tuple([values[position] for position in positions]), pickle.HIGHEST_PROTOCOL))
            for position in positions:
                values[position] = blob
        return type(self).restore, tuple(values)

    return field_values


class _BlobHolder:
    """Stands for the last packed field of a class: its slot holds the record's blob until the
    record is unpacked, then the field's value."""

    __slots__ = ("group", "slot")

    def __init__(self, group: tuple[Any, ...]):
        self.group = group
        """The slot descriptors of the packed fields, in packing order."""
        self.slot = group[-1]

    def __get__(self, record: Any, owner: type | None = None) -> Any:
        if record is None:
            return self
        value = self.slot.__get__(record, owner)
        return self.unpack(record, value)[-1] if type(value) is PackedFields else value

    def __set__(self, record: Any, value: Any) -> None:
        self.slot.__set__(record, value)

    def unpack(self, record: Any, packed: PackedFields) -> tuple:
        values = pickle.loads(packed.blob)
        for slot, unpacked in zip(self.group, values, strict=True):
            slot.__set__(record, unpacked)
        return values


def _unpacking_getattr(holder: _BlobHolder, packed: tuple[str, ...]) -> Callable[[Any, str], Any]:
    """`__getattr__`, which Python calls only when normal lookup fails: for a packed field, when
    its slot is empty because the record is still packed."""
    positions = {name: position for position, name in enumerate(packed)}

    def __getattr__(record: Any, name: str) -> Any:
        position = positions.get(name)
        if position is not None:
            blob = holder.slot.__get__(record)
            if type(blob) is PackedFields:
                return holder.unpack(record, blob)[position]
        raise AttributeError(f"{type(record).__name__!r} object has no attribute {name!r}")

    return __getattr__


def _restorer(cls: type, slots: dict[str, Any], packed: tuple[str, ...] = ()) -> Callable[..., Any]:
    """A function making a `cls` from its field values by setting each slot directly: faster
    than `__init__`, which a frozen class must run through `object.__setattr__` by name.
    Written out field by field, as dataclasses writes `__init__`: a loop over the slots costs
    as much as it saves. A packed field but the last is left empty when given the blob (see
    `pickled_by_fields`)."""
    names = cls.__slots__
    scope = {"new": object.__new__, "cls": cls, "_type_of": type, "_Packed": PackedFields} | {f"set_{name}": slots[name].__set__ for name in names}
    lines = [f"def restore_{cls.__name__}({', '.join(names)}):", "    record = new(cls)"]
    for name in names:
        if name in packed[:-1]:
            lines.append(f"    if _type_of({name}) is not _Packed: set_{name}(record, {name})")  # a field may be called `type`
        else:
            lines.append(f"    set_{name}(record, {name})")
    exec("\n".join([*lines, "    return record"]), scope)  # noqa: S102 - our own field names only
    restore = scope[f"restore_{cls.__name__}"]
    restore.__module__, restore.__qualname__ = cls.__module__, f"{cls.__qualname__}.restore"  # where pickle finds it
    return restore


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Depositor:
    """Who deposits DOIs with Crossref (journal.yaml `crossref:` block)."""

    name: str
    """Depositor's name, as registered with Crossref."""
    email: str
    """Address Crossref writes back to about a deposit."""
    registrant: str
    """Organisation that owns the DOIs (usually the publisher)."""


#: Article types (a record's `type:`) and how pages name them.
ARTICLE_TYPES = {
    "case-report": "Case report",
    "research-article": "Research article",
    "review": "Review",
    "brief-report": "Brief report",
    "letter": "Letter",
    "editorial": "Editorial",
    "other": "Article",
}


#: The per-article download files a journal may publish (journal.yaml `downloads:`), by name.
DOWNLOAD_FORMATS = ("jats", "bibtex", "ris", "csl-json")


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Journal:
    """The journal the archive belongs to (content/journal.yaml)."""

    title: str
    abbreviation: str
    """ISO 4 / NLM abbreviation, e.g. `Russ J Pediatr Hematol Oncol`."""
    publisher: str
    issn_print: str | None
    issn_online: str | None
    base_url: str
    """Absolute URL of the site root, always ending in `/`."""
    language: str
    """Language of the site (BCP 47 code such as `en`)."""
    license: str
    """Default license of articles, as an SPDX id such as `CC-BY-4.0`."""
    doi_prefix: str | None
    description: str = ""
    """Optional Markdown shown on the home page."""
    citation_style: str = "nlm-citation-sequence"
    """CSL style used for the "For citation" block."""
    crossref: Depositor | None = None
    cname: str | None = None
    """Custom domain for GitHub Pages, written to CNAME."""
    downloads: tuple[str, ...] = DOWNLOAD_FORMATS
    """The files made next to each article page, by name (see DOWNLOAD_FORMATS), in that order."""
    page_size: int = DEFAULT_PAGE_SIZE
    """The most entries a page of a long list shows (see caseshelf/paging.py)."""

    @property
    def base_path(self) -> str:
        """Path part of base_url, e.g. `/rjpho/`; prefix of every link in the site."""
        return urlsplit(self.base_url).path or "/"


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Affiliation:
    """An institution an author belonged to when the article was written."""

    key: str
    """The record-local key the authors refer to."""
    name: str
    address: str = ""
    country: str = ""


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Author:
    """One name in an article's byline, with what the article says about that person."""

    name: str
    """As printed in the byline, e.g. `E. B. Machneva`."""
    family_name: str
    """Surname; from `family_name:` or split off the end of `name`."""
    given_names: str
    """Given names or initials; empty for a group author."""
    orcid: str | None = None
    """Bare ORCID iD such as `0000-0002-1825-0097` (checksum verified)."""
    degrees: str = ""
    position: str = ""
    affiliations: tuple[Affiliation, ...] = ()
    email: str | None = None
    corresponding: bool = False
    is_group: bool = False
    """A collaborative author such as a study group, not a person."""


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Reference:
    """One entry of an article's reference list, in citation order."""

    text: str
    doi: str | None = None
    pmid: str | None = None
    url: str | None = None


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Pages:
    """Where the article sits in its issue: a page range or an electronic location id."""

    first: str | None = None
    last: str | None = None
    elocation_id: str | None = None

    def __str__(self) -> str:
        if self.elocation_id:
            return self.elocation_id
        if self.first and self.last and self.last != self.first:
            return f"{self.first}-{self.last}"
        return self.first or ""

    @property
    def sort_key(self) -> tuple[int, str]:
        """Order of articles within an issue: by first page, e-location ids after numbers, and
        front matter numbered in Roman numerals before page 1, in the order of its numerals."""
        value = self.first or self.elocation_id or ""
        digits = "".join(ch for ch in value if ch.isdigit())
        if digits:
            return (int(digits), value)
        roman = roman_page_number(value)
        return (roman - _BEFORE_PAGE_ONE if roman is not None else 0, value)


#: Subtracted from a Roman page's value for its place in the issue: more than any numeral's value.
_BEFORE_PAGE_ONE = 4000


#: I to LXXXIX: front matter is a few pages, and with C, D and M words and letters such as
#: `mix`, `dim` or `c` would be read as page numbers (1009, 499, 100) instead of refused.
_ROMAN_NUMERAL = re.compile(r"(?:XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50}


def roman_page_number(text: str) -> int | None:
    """The value of a page numbered in Roman numerals, as front matter is (`iii`, `XII`): a
    well-formed numeral up to 89 in one letter case. None for anything else."""
    # A digit last (nearly every page number): no numeral, known before the letter-case tests.
    if not text or text[-1].isdigit() or not (text.islower() or text.isupper()):
        return None
    numeral = text.upper()
    if not _ROMAN_NUMERAL.fullmatch(numeral):
        return None
    # A letter worth less than the next one is subtracted: IV is 5 - 1.
    values = [_ROMAN_VALUES[letter] for letter in numeral]
    return sum(-value if value < following else value for value, following in zip(values, values[1:] + [0]))


# Packed: all but the names by which an article's files and pages are found, and its dates, which
# the archive-wide files read of every article (see pickled_by_fields).
@pickled_by_fields(packed=(
    "title", "type", "language", "volume", "issue", "pages", "keywords", "license",
    "affiliations", "authors", "references", "abstract", "pdf",
))  # fmt: skip
@dataclass(frozen=True, slots=True)
class Article:
    """One article record (content/articles/**/*.md or *.yaml)."""

    source: str
    """Record file, relative to the source directory (for messages and dependency tracking)."""
    doi: str
    title: str
    """Title as Markdown inline text (italics allowed; sub/superscripts as Unicode characters, H₂O; no HTML)."""
    year: int
    slug: str
    type: str = "case-report"
    language: str = "en"
    """Language of the full text (BCP 47)."""
    volume: str | None = None
    issue: str | None = None
    pages: Pages = field(default_factory=Pages)
    published: date | None = None
    keywords: tuple[str, ...] = ()
    license: str = "CC-BY-4.0"
    affiliations: tuple[Affiliation, ...] = ()
    """Affiliations in the order of first use in the byline: index + 1 is the number shown."""
    authors: tuple[Author, ...] = ()
    references: tuple[Reference, ...] = ()
    abstract: str = ""
    """The abstract as Markdown."""
    pdf: str | None = None
    """URL of the full-text PDF, or a path relative to the article page."""

    @property
    def cited_date(self) -> date | None:
        """`published` when it falls in `year`: the full date the article is cited by. None
        without `published`, or when the article came out in another year than its issue's
        (online ahead of print, in an issue that ran late, or a back issue put online years
        later): it is then cited by `year` alone, and `published` is the date it came out online."""
        published = self.published
        return published if published is not None and published.year == self.year else None

    @property
    def affiliation_numbers(self) -> dict[str, int]:
        """Affiliation key -> the number printed next to author names."""
        return {aff.key: number for number, aff in enumerate(self.affiliations, start=1)}


@dataclass(frozen=True, slots=True)
class Loaded:
    """What the loading stage hands to the site model: the journal and its articles."""

    journal: Journal
    articles: tuple[Article, ...]


def record_shapes() -> tuple:
    """The fields (and packed fields) of every record class pickled by fields, whatever its
    module, sorted by module and name: part of the build cache's stamp, so that records pickled
    in another shape are ignored, not misread (a blob unpickled into the wrong fields would
    fail only when first read). The classes register themselves, so a new one counts too."""
    for module in RECORD_MODULES:
        importlib.import_module(module)
    classes = sorted(_PICKLED_BY_FIELDS, key=lambda cls: (cls.__module__, cls.__qualname__))
    return tuple((cls.__module__, *cls.pickled_shape) for cls in classes)
