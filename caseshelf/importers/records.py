"""`ImportedArticle` -> the text of a record file, exactly as a person would write it by hand.

The front matter is YAML in block style with the keys in the documented order and empty fields
left out; strings that YAML 1.1 would read as something else (`no`, `12`, `2025-01-01`) are
quoted by the serialiser. The first line of the front matter is a stamp,

    # imported-by caseshelf; sha256=<hash of the file without this line>

which lets a later import tell a record it wrote (and may update) from one edited since (which
it leaves alone unless forced). It is a YAML comment: loaders never see it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from caseshelf.importers import yamlout
from caseshelf.importers.imported import ImportedArticle
from caseshelf.loading.fields import InvalidValue, parse_doi, parse_pdf, parse_pmid, parse_url
from caseshelf.model import Author, Reference

T = TypeVar("T")

STAMP_PREFIX = "# imported-by caseshelf; sha256="
_STAMP_LINE = re.compile(r"^# imported-by caseshelf; sha256=([0-9a-f]{64})\n", re.MULTILINE)


def record_fields(article: ImportedArticle, slug: str | None = None) -> dict:
    """The front matter as an ordered mapping, empty values left out."""
    fields = {
        "title": article.title,
        "doi": article.doi,
        "type": article.type,
        "language": article.language,
        "year": article.year,
        "volume": article.volume,
        "issue": article.issue,
        "pages": str(article.pages) or None,
        "published": article.published,
        "keywords": list(article.keywords),
        "license": article.license,
        "slug": slug,
        "pdf": accepted(parse_pdf, article.pdf),
        "affiliations": {
            aff.key: _compact({"name": aff.name, "address": aff.address, "country": aff.country})
            for aff in article.affiliations
        },
        "authors": [_author_fields(author) for author in article.authors],
        # Readers leave out a reference with nothing to cite, and say so (reference_list.py): one
        # without text here would be a reader's mistake, which the build's check then reports.
        "references": [_reference_fields(reference) for reference in article.references],
    }
    return _compact(fields)


def _author_fields(author: Author) -> dict:
    if author.is_group:
        return _compact({
            "name": author.name,
            "affiliations": [aff.key for aff in author.affiliations],
            "email": author.email,
            "corresponding": author.corresponding or None,
            "group": True,
        })
    return _compact({
        "name": author.name,
        "family_name": author.family_name,
        "given_names": author.given_names,
        "orcid": author.orcid,
        "degrees": author.degrees,
        "position": author.position,
        "affiliations": [aff.key for aff in author.affiliations],
        "email": author.email,
        "corresponding": author.corresponding or None,
    })


#: The loader's parser of each identifier a reference may carry. One it would refuse (a DOI with
#: `..` segments, a URL that is not http(s), say) is left out: the reference's text still cites
#: it, and one odd identifier in a source's reference list should not cost the whole article.
_REFERENCE_IDENTIFIERS = {"doi": parse_doi, "pmid": parse_pmid, "url": parse_url}


def _reference_fields(reference: Reference) -> dict:
    identifiers = {name: accepted(parse, getattr(reference, name)) for name, parse in _REFERENCE_IDENTIFIERS.items()}
    return _compact({"text": reference.text, **identifiers})


def accepted(parse: Callable[[str], T], value: str | None) -> T | None:
    """`value` as the loader reads it, or None when the loader would refuse it."""
    if not value:
        return None
    try:
        return parse(value)
    except InvalidValue:
        return None


def first_accepted(parse: Callable[[str], T], values: Iterable[str | None]) -> T | None:
    """The first of `values` the loader accepts, as it reads it; None when it accepts none."""
    return next((value for value in (accepted(parse, candidate) for candidate in values) if value is not None), None)


def _compact(fields: dict) -> dict:
    return {key: value for key, value in fields.items() if value not in (None, "", [], {}, ())}


@dataclass(frozen=True, slots=True)
class RecordText:
    """A record file's text and the hash its stamp carries."""

    text: str
    sha256: str


def render_record(article: ImportedArticle, *, slug: str | None = None, as_yaml: bool = False) -> RecordText:
    """The stamped record file: Markdown with front matter, or (`as_yaml`) a `.yaml` record
    with the abstract under `abstract:`."""
    fields = record_fields(article, slug)
    if as_yaml:
        if article.abstract:
            fields["abstract"] = yamlout.Literal(article.abstract + "\n")
        unstamped = yamlout.dump(fields)
    else:
        body = f"{article.abstract}\n" if article.abstract else ""
        unstamped = f"---\n{yamlout.dump(fields)}---\n{body}"
    digest = content_hash(unstamped)
    return RecordText(text=_insert_stamp(unstamped, digest), sha256=digest)


def content_hash(unstamped_text: str) -> str:
    return hashlib.sha256(unstamped_text.encode("utf-8")).hexdigest()


def _insert_stamp(unstamped: str, digest: str) -> str:
    stamp = f"{STAMP_PREFIX}{digest}\n"
    if unstamped.startswith("---\n"):
        return f"---\n{stamp}{unstamped[4:]}"
    return stamp + unstamped


def read_stamp(text: str) -> tuple[str, str] | None:
    """(recorded hash, text without the stamp line) if the file carries our stamp at the top
    of its front matter; None for a record written by hand."""
    head_end = 4 if text.startswith("---\n") else 0
    match = _STAMP_LINE.match(text, head_end)
    if not match:
        return None
    return match.group(1), text[:head_end] + text[match.end():]


def is_untouched_since_import(text: str) -> bool:
    """True when the file is exactly what an import wrote (its stamp matches its content)."""
    stamp = read_stamp(text)
    return stamp is not None and content_hash(stamp[1]) == stamp[0]
