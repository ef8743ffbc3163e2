"""Crossref deposit XML -> `ImportedArticle`s (read through crossref.read_crossref).

A deposit is a `doi_batch` (schema 4.x or 5.x) with any number of `journal_article`s. Only it
says which language a title or abstract is in, and it may spell a person's name in more than
one language or script: the site's language picks. What the REST API's JSON is read alike for
is in crossref_shared.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from lxml import etree

from caseshelf.importers import people
from caseshelf.importers.crossref_shared import (
    DEPOSIT_REFERENCE_PARTS,
    PDF,
    citable,
    first_known_license,
    is_for_the_version_of_record,
    license_notes,
    reference_from_parts,
)
from caseshelf.importers.imported import (
    ImportedArticle,
    first_complete_date,
    full_last_page,
    ReadResult,
    UnreadableInput,
)
from caseshelf.importers.languages import LanguageChoice, Version
from caseshelf.importers.markup import (
    XML_LANG,
    abstract_markdown,
    inline_markdown,
    plain_text,
    tidy_text,
    with_subtitle,
)
from caseshelf.importers.records import first_accepted
from caseshelf.importers.safexml import parse_xml
from caseshelf.importers.vocab import clean_doi, clean_orcid, language_tag
from caseshelf.loading.fields import parse_url
from caseshelf.model import Author, Pages, Reference


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
                    if is_for_the_version_of_record(ref.get("applies_to") or "")]
    license_id = first_known_license(license_urls)
    references, reference_notes = citable(
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
        notes=license_notes(license_id, license_urls) + choice.notes() + people.wrong_orcid_notes(given) + reference_notes,
    )


def _deposit_pdf(article: etree._Element) -> str | None:
    """The full text's PDF: the first resource of the DOI's collections (text mining, Similarity
    Check) marked as a PDF, as OJS deposits its PDF galleys."""
    pdf_resources = [
        tidy_text(resource.text) for resource in article.iterfind("doi_data/collection/item/resource")
        if (resource.get("mime_type") or "").lower() == PDF
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
    return reference_from_parts(read, DEPOSIT_REFERENCE_PARTS, clean_doi(citation.findtext("doi")))


def _text_in(element: etree._Element | None, path: str) -> str | None:
    return (tidy_text(element.findtext(path)) or None) if element is not None else None
