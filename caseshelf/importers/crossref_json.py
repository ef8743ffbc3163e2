"""Crossref REST API `works` JSON -> `ImportedArticle`s (read through crossref.read_crossref).

JSON comes as one work (`{"message": {...}}`), a list of works (`{"message": {"items": [...]}}`)
or bare work objects. Titles and abstracts are JATS/HTML fragments in strings, with HTML's named
entities: they are made XML, then Markdown. What the deposit XML is read alike for is in
crossref_shared.
"""

from __future__ import annotations

import html.entities
import json
import re
from datetime import date

from caseshelf.importers import people
from caseshelf.importers.crossref_shared import (
    JSON_REFERENCE_PARTS,
    PDF,
    citable,
    first_known_license,
    is_for_the_version_of_record,
    license_notes,
    reference_from_parts,
)
from caseshelf.importers.imported import (
    ImportedArticle,
    full_last_page,
    ReadResult,
    UnreadableInput,
    Unusable,
)
from caseshelf.importers.markup import (
    abstract_markdown,
    escape_markdown,
    inline_markdown,
    tidy_text,
    with_subtitle,
)
from caseshelf.importers.records import first_accepted
from caseshelf.importers.safexml import parse_xml
from caseshelf.importers.vocab import clean_doi, clean_orcid, language_tag
from caseshelf.loading.fields import parse_url
from caseshelf.model import Pages, Reference

# Crossref abstracts and titles are JATS/HTML fragments with a `jats:` prefix they never declare.
_FRAGMENT = (
    '<fragment xmlns:jats="http://www.ncbi.nlm.nih.gov/JATS1" xmlns:mml="http://www.w3.org/1998/Math/MathML"'
    ' xmlns:xlink="http://www.w3.org/1999/xlink">{}</fragment>'
)


def read_crossref_json(data: bytes) -> ReadResult:
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise UnreadableInput("not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise UnreadableInput(f"JSON syntax error: {error.msg}", error.lineno) from None
    except RecursionError:  # `[[[[...` thousands deep: Python's parser recurses once per level
        raise UnreadableInput("JSON nested too deeply to be Crossref works JSON") from None
    works = _works(document)
    if not works:
        raise UnreadableInput("not Crossref works JSON: no work with a DOI found")
    return [_read_work(work) if isinstance(work, dict) else Unusable("not a Crossref work object") for work in works]


def _works(document) -> list:
    if isinstance(document, list):
        return document
    if not isinstance(document, dict):
        return []
    message = document.get("message", document)
    if isinstance(message, dict) and isinstance(message.get("items"), list):
        return message["items"]
    return [message] if isinstance(message, dict) and "DOI" in message else []


def _read_work(work: dict) -> ImportedArticle:
    keys = people.AffiliationKeys()
    given = [(_string(entry.get("ORCID")) if isinstance(entry, dict) else None, _json_author(entry, keys))
             for entry in _list(work.get("author"))]
    authors = tuple(author for _, author in given if author)
    license_urls = [_string(entry.get("URL")) for entry in _list(work.get("license"))
                    if isinstance(entry, dict) and is_for_the_version_of_record(_string(entry.get("content-version")))]
    license_id = first_known_license(license_urls)
    # An entry that is no object cites nothing, but keeps its place: the notes count places.
    references, reference_notes = citable(
        (_string(entry.get("key")), _json_reference(entry)) if isinstance(entry, dict) else ("", None)
        for entry in _list(work.get("reference")))
    return ImportedArticle(
        doi=clean_doi(_string(work.get("DOI"))),
        title=with_subtitle(_markup_text(_first(work.get("title")), inline=True),
                            _markup_text(_first(work.get("subtitle")), inline=True)),
        year=_year(work),
        language=language_tag(_string(work.get("language"))),
        volume=_string(work.get("volume")) or None,
        issue=_string(work.get("issue")) or None,
        pages=_json_pages(work),
        published=_json_published(work),
        license=license_id,
        affiliations=keys.affiliations,
        authors=authors,
        references=references,
        abstract=_markup_text(_string(work.get("abstract")), inline=False),
        pdf=_json_pdf(work),
        notes=license_notes(license_id, license_urls) + people.wrong_orcid_notes(given) + reference_notes,
    )


def _json_pdf(work: dict) -> str | None:
    """The full text's PDF: the first http(s) link the work gives to a PDF of its version of
    record (publishers such as OJS deposit their PDF galleys for text mining and Similarity
    Check)."""
    pdf_links = [
        _string(link.get("URL")) for link in _list(work.get("link"))
        if isinstance(link, dict) and _string(link.get("content-type")).lower() == PDF
        and _string(link.get("content-version")).lower() in ("vor", "unspecified", "")
    ]
    return first_accepted(parse_url, pdf_links)


def _json_author(entry, keys: people.AffiliationKeys):
    if not isinstance(entry, dict):
        return None
    family, given = _string(entry.get("family")), _string(entry.get("given"))
    if family:
        author = people.person(family, given, suffix=_string(entry.get("suffix")))
    elif _string(entry.get("name")):
        author = people.group(_string(entry.get("name")))
    else:
        return None
    affiliations = tuple(dict.fromkeys(
        keys.key_for(tidy_text(_string(aff.get("name"))))
        for aff in _list(entry.get("affiliation"))
        if isinstance(aff, dict) and tidy_text(_string(aff.get("name")))
    ))
    return people.with_details(author, orcid=clean_orcid(_string(entry.get("ORCID"))), affiliations=affiliations)


def _json_date(work: dict, key: str) -> list[int]:
    value = work.get(key)
    if not isinstance(value, dict):
        return []
    parts = _list(value.get("date-parts"))
    first = parts[0] if parts and isinstance(parts[0], list) else []
    return [part for part in first if isinstance(part, int)]


def _year(work: dict) -> int | None:
    # The issue's year, as the deposit and JATS give it: `issued` is the earliest date, which
    # for an article online in December of the year before its issue is the wrong year.
    for key in ("published-print", "issued", "published", "published-online"):
        parts = _json_date(work, key)
        if parts:
            return parts[0]
    return None


def _json_published(work: dict) -> date | None:
    for key in ("published-online", "published-print", "published", "issued"):
        parts = _json_date(work, key)
        if len(parts) >= 3:
            try:
                return date(*parts[:3])
            except ValueError:
                return None
    return None


def _json_pages(work: dict) -> Pages:
    page = _string(work.get("page")).replace("–", "-")
    if page:
        first, _, last = (part.strip() for part in page.partition("-"))
        last = full_last_page(first, last)
        return Pages(first=first, last=last if last and last != first else None)
    number = _string(work.get("article-number"))
    return Pages(elocation_id=number) if number else Pages()


def _json_reference(entry: dict) -> Reference | None:
    read = lambda name: tidy_text(_first(entry.get(name)))  # noqa: E731 - a one-line reader
    return reference_from_parts(read, JSON_REFERENCE_PARTS, clean_doi(_string(entry.get("DOI"))))


def _markup_text(value: str, *, inline: bool) -> str:
    """A Crossref title or abstract (a string holding JATS/HTML markup) as Markdown."""
    if not value.strip():
        return ""
    try:
        fragment = parse_xml(_FRAGMENT.format(_xml_entities(value)).encode("utf-8"))
    except UnreadableInput:
        # Not well-formed (a bare "&" or "<"): it is text, not markup.
        return escape_markdown(tidy_text(value))
    if inline:
        return inline_markdown(fragment)
    has_blocks = any(child.tag in ("p", "sec", "abstract", "title") for child in fragment)
    if len(fragment) == 1 and fragment[0].tag == "abstract":
        fragment = fragment[0]
    return abstract_markdown(fragment) if has_blocks else inline_markdown(fragment)


_ENTITY_OR_AMPERSAND = re.compile(r"&(?:([A-Za-z][A-Za-z0-9]*);|(?!#\w+;))")
_XML_ENTITIES = frozenset({"amp", "lt", "gt", "quot", "apos"})


def _xml_entities(value: str) -> str:
    """Markup as publishers deposit it, made XML: HTML's named entities (`&nbsp;`, `&ndash;`),
    which XML does not define, become their characters, and a bare `&` (R&D) `&amp;`."""
    return _ENTITY_OR_AMPERSAND.sub(_as_xml, value)


def _as_xml(entity_or_ampersand: re.Match) -> str:
    name = entity_or_ampersand.group(1)
    if name is None:
        return "&amp;"
    if name in _XML_ENTITIES:
        return entity_or_ampersand.group(0)
    return html.entities.html5.get(f"{name};", entity_or_ampersand.group(0))


def _string(value) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value.strip() if isinstance(value, str) else ""


def _first(value) -> str:
    if isinstance(value, list):
        return next((_string(item) for item in value if _string(item)), "")
    return _string(value)


def _list(value) -> list:
    return value if isinstance(value, list) else []
