"""Crossref metadata -> `ImportedArticle`s: REST API `works` JSON and deposit XML.

JSON comes as one work (`{"message": {...}}`), a list of works (`{"message": {"items": [...]}}`)
or bare work objects. Deposit XML is a `doi_batch` (schema 4.x or 5.x) with any number of
`journal_article`s. Crossref records neither keywords nor the kind of article, so imported
records have no `keywords:` and no `type:` (the record default applies).
"""

from __future__ import annotations

import html.entities
import json
import re
from collections.abc import Callable, Iterable
from datetime import date
from typing import NamedTuple

from lxml import etree

from caseshelf.importers import people
from caseshelf.importers.reference_list import Listed, citing_text, identifier_text, kept_references, place_name
from caseshelf.importers.references import edition_text, isbn_text, where_published
from caseshelf.importers.imported import (
    ImportedArticle,
    first_complete_date,
    full_last_page,
    ReadResult,
    UnreadableInput,
    Unusable,
)
from caseshelf.importers.languages import LanguageChoice, Version
from caseshelf.importers.markup import (
    XML_LANG,
    abstract_markdown,
    escape_markdown,
    inline_markdown,
    plain_text,
    tidy_text,
    with_subtitle,
)
from caseshelf.importers.records import first_accepted
from caseshelf.importers.safexml import parse_xml
from caseshelf.importers.vocab import (
    NO_LICENSE_NOTE,
    clean_doi,
    clean_orcid,
    language_tag,
    spdx_from_license_url,
    unknown_license_note,
)
from caseshelf.loading.fields import parse_url
from caseshelf.model import Author, Pages, Reference

# Crossref abstracts and titles are JATS/HTML fragments with a `jats:` prefix they never declare.
_FRAGMENT = (
    '<fragment xmlns:jats="http://www.ncbi.nlm.nih.gov/JATS1" xmlns:mml="http://www.w3.org/1998/Math/MathML"'
    ' xmlns:xlink="http://www.w3.org/1999/xlink">{}</fragment>'
)


def read_crossref(data: bytes, site_language: str = "en") -> ReadResult:
    """Either form, told apart by the first character: XML starts with `<`. Anything else is
    read as JSON, so that `null` or a bare string is said to be no works JSON, not bad XML.
    Only deposit XML says which language a title or abstract is in (`site_language` picks)."""
    if data.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] == b"<":
        return read_crossref_xml(data, site_language)
    return read_crossref_json(data)


# --- REST API JSON ----------------------------------------------------------------------------

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
                    if isinstance(entry, dict) and _is_for_the_version_of_record(_string(entry.get("content-version")))]
    license_id = _first_known_license(license_urls)
    # An entry that is no object cites nothing, but keeps its place: the notes count places.
    references, reference_notes = _citable(
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
        notes=_license_notes(license_id, license_urls) + people.wrong_orcid_notes(given) + reference_notes,
    )


def _json_pdf(work: dict) -> str | None:
    """The full text's PDF: the first http(s) link the work gives to a PDF of its version of
    record (publishers such as OJS deposit their PDF galleys for text mining and Similarity
    Check)."""
    pdf_links = [
        _string(link.get("URL")) for link in _list(work.get("link"))
        if isinstance(link, dict) and _string(link.get("content-type")).lower() == _PDF
        and _string(link.get("content-version")).lower() in ("vor", "unspecified", "")
    ]
    return first_accepted(parse_url, pdf_links)


_PDF = "application/pdf"


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
    return _reference(read, _JSON_REFERENCE_PARTS, clean_doi(_string(entry.get("DOI"))))


# --- deposit XML ------------------------------------------------------------------------------

def read_crossref_xml(data: bytes, site_language: str = "en") -> ReadResult:
    root = parse_xml(data)
    if root.tag != "doi_batch":
        raise UnreadableInput(f"not Crossref deposit XML (the root element is <{root.tag}>, not <doi_batch>)")
    results: ReadResult = []
    for journal in root.iter("journal"):
        issue = journal.find("journal_issue")
        metadata = journal.find("journal_metadata")
        journal_language = metadata.get("language") if metadata is not None else None
        for article in journal.findall("journal_article"):
            results.append(_read_deposit_article(article, issue, journal_language, site_language))
    if not results:
        raise UnreadableInput("no <journal_article> in the deposit")
    return results


def _read_deposit_article(article: etree._Element, issue: etree._Element | None, journal_language: str | None,
                          site_language: str) -> ImportedArticle:
    language = language_tag(article.get("language") or journal_language)
    choice = LanguageChoice(site_language, language)
    keys = people.AffiliationKeys()
    contributors = article.find("contributors")
    given = [(contributor.findtext("ORCID"), _deposit_contributor(contributor, keys, site_language))
             for contributor in (contributors if contributors is not None else [])]
    authors = [author for _, author in given if author is not None]
    dates = article.findall("publication_date") or (issue.findall("publication_date") if issue is not None else [])
    license_urls = [tidy_text(ref.text) for ref in article.iter("license_ref")
                    if _is_for_the_version_of_record(ref.get("applies_to") or "")]
    license_id = _first_known_license(license_urls)
    references, reference_notes = _citable(
        (citation.get("key", ""), _deposit_reference(citation)) for citation in article.iterfind("citation_list/citation"))
    return ImportedArticle(
        doi=clean_doi(article.findtext("doi_data/doi")),
        title=choice.one("title", _deposit_titles(article, language)) or "",
        year=_deposit_year(dates),
        language=language,
        volume=_text_in(issue, "journal_volume/volume"),
        issue=_text_in(issue, "issue"),
        pages=_deposit_pages(article),
        published=_deposit_published(dates),
        license=license_id,
        affiliations=keys.affiliations,
        authors=tuple(authors),
        references=references,
        abstract=abstract_markdown(choice.one("abstract", _deposit_abstracts(article))),
        pdf=_deposit_pdf(article),
        notes=_license_notes(license_id, license_urls) + choice.notes() + people.wrong_orcid_notes(given) + reference_notes,
    )


def _deposit_pdf(article: etree._Element) -> str | None:
    """The full text's PDF: the first resource of the DOI's collections (text mining, Similarity
    Check) marked as a PDF, as OJS deposits its PDF galleys."""
    pdf_resources = [
        tidy_text(resource.text) for resource in article.iterfind("doi_data/collection/item/resource")
        if (resource.get("mime_type") or "").lower() == _PDF
    ]
    return first_accepted(parse_url, pdf_resources)


def _deposit_titles(article: etree._Element, language: str | None) -> list[Version[str]]:
    """`<title>` (with its subtitle), whose language the deposit does not give, and any
    `<original_language_title language=...>`: the title in the article's own language, of
    which `<title>` is then a translation. A deposit with a `<titles>` per language (OJS writes
    one for each language the article has a title in, the article's own `language` first, none
    saying its language) gives the first in the article's `language` and the others as
    translations whose language is not given."""
    groups = article.findall("titles")
    titles = [(language if len(groups) > 1 and index == 0 else None,
               with_subtitle(inline_markdown(group.find("title")), inline_markdown(group.find("subtitle"))))
              for index, group in enumerate(groups)]
    titles += [(language_tag(original.get("language")), inline_markdown(original))
               for original in article.iterfind("titles/original_language_title")]
    return [(language, title) for language, title in titles if title]


def _deposit_contributor(contributor: etree._Element, keys: people.AffiliationKeys, site_language: str):
    if (contributor.get("contributor_role") or "author") != "author":
        return None
    if contributor.tag == "organization":
        return people.group(plain_text(contributor))
    if contributor.tag != "person_name":
        return None
    author = _deposit_person(contributor, site_language)
    affiliations = [keys.key_for(plain_text(aff)) for aff in contributor.findall("affiliation") if plain_text(aff)]
    for institution in contributor.iterfind("affiliations/institution"):
        name = ", ".join(filter(None, (plain_text(institution.find("institution_department")),
                                       plain_text(institution.find("institution_name")))))
        if name:
            affiliations.append(keys.key_for(name, plain_text(institution.find("institution_place"))))
    return people.with_details(
        author,
        orcid=clean_orcid(contributor.findtext("ORCID")),
        affiliations=tuple(dict.fromkeys(affiliations)),
    )


def _deposit_person(person_name: etree._Element, site_language: str) -> Author:
    """The person's name; of one also given in another language or script (`<alt-name>`, in
    schema 4.x: a Russian journal's Cyrillic spelling beside the Latin one), the one in the site's
    language or script, as for JATS's `<name-alternatives>`."""
    main = people.person(plain_text(person_name.find("surname")), plain_text(person_name.find("given_name")),
                         suffix=plain_text(person_name.find("suffix")))
    # An alternative is JATS's <name> or <string-name> with Crossref's `given_name` and `language`.
    alternatives = [_Spelling(language_tag(name.get("language")), people.name_from_parts(name, "given_name"))
                    for name in person_name.iterfind("alt-name/*") if name.tag in ("name", "string-name")]
    spellings = [spelling for spelling in [_Spelling(language_tag(person_name.get("language")), main), *alternatives]
                 if spelling.author.name] or [_Spelling(None, main)]
    chosen = people.in_sites_language_or_script(spellings, site_language, language_of=lambda spelling: spelling.language,
                                                text_of=lambda spelling: spelling.author.name)
    return chosen.author


class _Spelling(NamedTuple):
    """One way a deposit writes a person's name, and the language it says it is in."""

    language: str | None
    author: Author


def _deposit_parts(element: etree._Element) -> tuple[int | None, int | None, int | None]:
    def number(tag: str) -> int | None:
        text = (element.findtext(tag) or "").strip()
        return int(text) if text.isdigit() else None
    return number("year"), number("month"), number("day")


def _deposit_year(dates: list[etree._Element]) -> int | None:
    ordered = sorted(dates, key=lambda d: d.get("media_type") != "print")
    return next((year for year, _, _ in map(_deposit_parts, ordered) if year), None)


def _deposit_published(dates: list[etree._Element]) -> date | None:
    ordered = sorted(dates, key=lambda d: d.get("media_type") != "online")
    return first_complete_date(map(_deposit_parts, ordered))


def _deposit_pages(article: etree._Element) -> Pages:
    first = tidy_text(article.findtext("pages/first_page"))
    last = full_last_page(first, tidy_text(article.findtext("pages/last_page")))
    if first:
        return Pages(first=first, last=last if last and last != first else None)
    for item in article.iterfind("publisher_item/item_number"):
        if (item.get("item_number_type") or "article_number") == "article_number" and tidy_text(item.text):
            return Pages(elocation_id=tidy_text(item.text))
    return Pages()


def _deposit_abstracts(article: etree._Element) -> list[Version[etree._Element]]:
    """The abstracts (`<jats:abstract xml:lang=...>`, one per language), the untyped ones when
    there are any (a typed one may be a summary)."""
    abstracts = article.findall("abstract")
    proper = [abstract for abstract in abstracts if not abstract.get("abstract-type")] or abstracts
    return [(language_tag(abstract.get(XML_LANG)), abstract) for abstract in proper]


def _deposit_reference(citation: etree._Element) -> Reference | None:
    read = lambda tag: plain_text(citation.find(tag))  # noqa: E731 - a one-line reader
    return _reference(read, _DEPOSIT_REFERENCE_PARTS, clean_doi(citation.findtext("doi")))


# --- shared -----------------------------------------------------------------------------------

def _is_for_the_version_of_record(applies_to: str) -> bool:
    """Crossref lists a license per version: the published article's (`vor`), the accepted
    manuscript's (`am`, often CC after an embargo while the article is not) and text mining's
    (`tdm`). Only the first is the article's; `unspecified` or none says it is for all."""
    return applies_to.strip().lower() in ("", "vor", "unspecified")


def _first_known_license(urls: list[str]) -> str | None:
    return next(filter(None, map(spdx_from_license_url, urls)), None)


def _license_notes(spdx: str | None, urls: list[str]) -> tuple[str, ...]:
    urls = [url for url in urls if url]
    if spdx:
        return ()
    return (unknown_license_note(urls[0]),) if urls else (NO_LICENSE_NOTE,)


#: Where each part of a reference is, in the REST API's JSON and in deposit XML; alternatives
#: in order of preference. Neither has a publisher or a place of publication.
_JSON_REFERENCE_PARTS = {
    "unstructured": ("unstructured",), "author": ("author",), "title": ("article-title",),
    "source": ("journal-title", "volume-title", "series-title"), "edition": ("edition",),
    "year": ("year",), "volume": ("volume",), "issue": ("issue",), "first_page": ("first-page",),
    "isbn": ("ISBN",),
}  # fmt: skip
_DEPOSIT_REFERENCE_PARTS = {
    "unstructured": ("unstructured_citation",), "author": ("author",), "title": ("article_title",),
    "source": ("journal_title", "volume_title", "series_title"), "edition": ("edition_number",),
    "year": ("cYear",), "volume": ("volume",), "issue": ("issue",), "first_page": ("first_page",),
    "isbn": ("isbn",),
}  # fmt: skip


#: The parts of a structured reference that say what work it cites; a year, volume or pages alone
#: ("2019:5.") do not. An ISBN does: a book is often deposited as its ISBN and year only.
_NAMING_PARTS = ("author", "title", "source", "isbn")


def _reference(read: Callable[[str], str], where: dict[str, tuple[str, ...]], doi: str | None) -> Reference | None:
    """A reference as Crossref wrote it, or composed from its parts; at worst its DOI. None when
    it has nothing to cite: Crossref keeps every entry of a reference list under its `key`
    ("ref12"), also one it has nothing else of, and a key printed as the reference cites nothing."""
    parts = {name: next((text for text in map(read, names) if text), "") for name, names in where.items()}
    text = citing_text(parts.pop("unstructured")) or (_compose_reference(**parts) if any(parts[name] for name in _NAMING_PARTS) else "")
    if not text and not doi:
        return None
    return Reference(text=text or identifier_text(doi), doi=doi)


def _citable(references: Iterable[tuple[str, Reference | None]]) -> tuple[tuple[Reference, ...], tuple[str, ...]]:
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


def _text_in(element: etree._Element | None, path: str) -> str | None:
    return (tidy_text(element.findtext(path)) or None) if element is not None else None


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
