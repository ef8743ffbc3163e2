"""PubMed/MEDLINE XML (`PubmedArticleSet`, as efetch and the PubMed export give it)
-> `ImportedArticle`s.

PubMed conventions undone on the way: the period PubMed adds to every title is dropped,
all-capital section labels of structured abstracts ("CASE PRESENTATION") become sentence case
where that cannot mangle an initialism (labels.py),
abbreviated page ranges are written out ("1006-13" -> 1006-1013), and an e-mail at the end of an
affiliation (with or without "Electronic address:") becomes that author's e-mail (PubMed gives
only the corresponding author's address, so that author is marked corresponding).
"""

from __future__ import annotations

import re
from datetime import date

from lxml import etree

from caseshelf.importers import people
from caseshelf.importers.imported import (
    ImportedArticle,
    first_complete_date,
    full_last_page,
    ReadResult,
    UnreadableInput,
    Unusable,
)
from caseshelf.importers.labels import sentence_case_labels
from caseshelf.importers.languages import LanguageChoice, Version, is_same_language
from caseshelf.importers.markup import (
    escape_markdown,
    inline_markdown,
    paragraph,
    plain_text,
    tidy_text,
)
from caseshelf.importers.records import accepted
from caseshelf.importers.reference_list import citing_text, identifier_text, kept_references, place_name
from caseshelf.importers.safexml import parse_xml
from caseshelf.importers.vocab import (
    article_type_from_pubmed,
    clean_doi,
    clean_email,
    clean_orcid,
    clean_pmid,
    language_tag,
)
from caseshelf.loading.fields import parse_pages
from caseshelf.model import Pages, Reference

_MONTHS = {name: number for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
# The corresponding author's address ends their affiliation: "... Russia. Electronic address:
# a@b.org." since 2013, "... Russia. a@b.org." (or "Email: a@b.org") before.
_ELECTRONIC_ADDRESS = re.compile(r"[\s.;,]*(?:(?:Electronic address|E-?mail)\s*:\s*)?(\S+@\S+?)\.?\s*$", re.IGNORECASE)


#: What publishers send PubMed (OJS's PubMed export plugin writes it) is another format than
#: what PubMed gives back; the user needs to know which export to use instead.
_SUBMISSION_FORMAT = (
    "PubMed's submission format (<ArticleSet>, as OJS's PubMed export plugin writes it), not the "
    "PubMed XML that PubMed gives back (<PubmedArticleSet>): import the journal's Crossref export "
    "(import crossref), or these articles as PubMed gives them"
)


def read_pubmed(data: bytes, site_language: str = "en") -> ReadResult:
    """The articles of the set, their title and abstract in `site_language` when PubMed has
    them in it: English (`ArticleTitle`, `Abstract`), or the article's own language
    (`VernacularTitle`, the publisher's `OtherAbstract`)."""
    root = parse_xml(data)
    if root.tag == "ArticleSet":
        raise UnreadableInput(_SUBMISSION_FORMAT)
    if root.tag not in ("PubmedArticleSet", "PubmedArticle"):
        raise UnreadableInput(f"not PubMed XML (the root element is <{root.tag}>, not <PubmedArticleSet>)")
    articles = [root] if root.tag == "PubmedArticle" else root.findall("PubmedArticle")
    if not articles:
        raise UnreadableInput("no <PubmedArticle> in the file")
    return [_read_pubmed_article(article, site_language) for article in articles]


def _read_pubmed_article(entry: etree._Element, site_language: str) -> ImportedArticle | Unusable:
    citation = entry.find("MedlineCitation")
    article = citation.find("Article") if citation is not None else None
    if article is None:
        return Unusable("no <MedlineCitation>/<Article>", entry.sourceline or 0)
    journal_issue = article.find("Journal/JournalIssue")
    affiliations, authors, orcid_notes = _authors(article)
    references, reference_notes = _references(entry)
    language = language_tag(article.findtext("Language"))
    choice = LanguageChoice(site_language, language)
    return ImportedArticle(
        doi=_doi(entry, article),
        title=choice.one("title", _titles(article, language)) or "",
        year=_year(journal_issue, article),
        type=article_type_from_pubmed([plain_text(t) for t in article.iterfind("PublicationTypeList/PublicationType")]),
        language=language,
        volume=_text_in(journal_issue, "Volume"),
        issue=_text_in(journal_issue, "Issue"),
        pages=_pages(article),
        published=_published(journal_issue, article),
        keywords=tuple(dict.fromkeys(filter(None, (plain_text(k) for k in citation.iterfind("KeywordList/Keyword"))))),
        affiliations=affiliations,
        authors=authors,
        references=references,
        abstract=choice.one("abstract", _abstracts(citation, article)) or "",
        notes=choice.notes() + orcid_notes + reference_notes,
    )


def _text_in(element: etree._Element | None, path: str) -> str | None:
    return (tidy_text(element.findtext(path)) or None) if element is not None else None


def _doi(entry: etree._Element, article: etree._Element) -> str | None:
    for element in list(entry.iterfind("PubmedData/ArticleIdList/ArticleId")) + article.findall("ELocationID"):
        kind = element.get("IdType") or element.get("EIdType")
        if kind == "doi":
            doi = clean_doi(element.text)
            if doi:
                return doi
    return None


_NO_ENGLISH_TITLE = frozenset({"", "[Not Available]", "[Not Available]."})


def _titles(article: etree._Element, language: str | None) -> list[Version[str]]:
    """`ArticleTitle` is English: "[Not Available]." when there is none, and "[A translated
    title]." in brackets for an article in another language, whose own title is then its
    `VernacularTitle`."""
    titles = []
    english = inline_markdown(article.find("ArticleTitle"))
    if english not in _NO_ENGLISH_TITLE:
        english = _without_final_period(english)
        translated = _TRANSLATION_BRACKETS.fullmatch(english)
        if translated and not is_same_language(language, "en"):
            english = translated.group(1)
        titles.append(("en", english))
    vernacular = _without_final_period(inline_markdown(article.find("VernacularTitle")))
    return titles + ([(language, vernacular)] if vernacular else [])


#: The whole title in brackets, and no bracket within: MEDLINE's mark of a translated title.
_TRANSLATION_BRACKETS = re.compile(r"\\?\[([^\[\]]*?)\\?\]")


def _without_final_period(title: str) -> str:
    # PubMed ends every title with a period; ".." is an ellipsis of the title's own.
    return title[:-1] if title.endswith(".") and not title.endswith("..") else title


#: `OtherAbstract` types that are the article's abstract in another language; the others are
#: summaries written by other agencies (NASA, PIP, KIE) or for other readers.
_OWN_OTHER_ABSTRACTS = frozenset({"", "publisher"})


def _abstracts(citation: etree._Element, article: etree._Element) -> list[Version[str]]:
    """`Abstract` (English in PubMed), then each `OtherAbstract Language=...` the publisher gave."""
    abstracts = [("en", _abstract(article.find("Abstract"), "en"))]
    for other in citation.iterfind("OtherAbstract"):
        if (other.get("Type") or "").lower() in _OWN_OTHER_ABSTRACTS:
            language = language_tag(other.get("Language"))
            abstracts.append((language, _abstract(other, language)))
    return [(language, text) for language, text in abstracts if text]


def _authors(article: etree._Element):
    """(affiliations, authors, notes on ORCID iDs left out)."""
    keys = people.AffiliationKeys()
    authors = []
    notes: list[str] = []
    for element in article.iterfind("AuthorList/Author"):
        if (element.get("ValidYN") or "Y") != "Y":
            continue
        collective = plain_text(element.find("CollectiveName"))
        if collective:
            author = people.group(collective)
        else:
            family = plain_text(element.find("LastName"))
            if not family:
                continue
            given = plain_text(element.find("ForeName")) or plain_text(element.find("Initials"))
            author = people.person(family, given, suffix=plain_text(element.find("Suffix")))
        email = None
        affiliations = []
        for info in element.iterfind("AffiliationInfo/Affiliation"):
            text = plain_text(info)
            match = _ELECTRONIC_ADDRESS.search(text)
            if match:
                email = email or clean_email(match.group(1))
                text = text[: match.start()]
            text = text.rstrip(" ;,").removesuffix(".")  # PubMed ends every affiliation with "."
            if text:
                affiliations.append(keys.key_for(text))
        orcids = [i.text for i in element.iterfind("Identifier") if i.get("Source") == "ORCID"]
        orcid = next(filter(None, map(clean_orcid, orcids)), None)
        notes += people.wrong_orcid_notes((given_orcid, author) for given_orcid in orcids)
        authors.append(people.with_details(
            author, orcid=orcid, affiliations=tuple(dict.fromkeys(affiliations)), email=email,
            corresponding=True if email else None,
        ))
    return keys.affiliations, tuple(authors), tuple(notes)


def _date_parts(element: etree._Element | None) -> tuple[int | None, int | None, int | None]:
    if element is None:
        return None, None, None
    year_text = (element.findtext("Year") or "").strip()
    if not year_text:
        medline = re.search(r"\b(\d{4})\b", element.findtext("MedlineDate") or "")
        return (int(medline.group(1)) if medline else None), None, None
    month_text = (element.findtext("Month") or "").strip()
    month = int(month_text) if month_text.isdigit() else _MONTHS.get(month_text[:3].lower())
    day_text = (element.findtext("Day") or "").strip()
    return (int(year_text) if year_text.isdigit() else None), month, (int(day_text) if day_text.isdigit() else None)


def _year(journal_issue: etree._Element | None, article: etree._Element) -> int | None:
    year = _date_parts(journal_issue.find("PubDate") if journal_issue is not None else None)[0]
    return year or _date_parts(article.find("ArticleDate"))[0]


def _published(journal_issue: etree._Element | None, article: etree._Element) -> date | None:
    candidates = [article.find("ArticleDate[@DateType='Electronic']"), article.find("ArticleDate"),
                  journal_issue.find("PubDate") if journal_issue is not None else None]
    return first_complete_date(map(_date_parts, candidates))


def _pages(article: etree._Element) -> Pages:
    first = tidy_text(article.findtext("Pagination/StartPage"))
    last = tidy_text(article.findtext("Pagination/EndPage"))
    if not first:
        first, _, last = tidy_text(article.findtext("Pagination/MedlinePgn")).partition("-")
        first, last = first.strip(), last.strip()
    if first:
        last = full_last_page(first, last)
        return Pages(first=first, last=last if last and last != first else None)
    for element in article.findall("ELocationID"):
        # A PII is an article number (e0216573) for some publishers, but for others their own
        # id (Elsevier's S0140-6736(25)01234-5), which is no place in an issue: only the first.
        pii = tidy_text(element.text) if element.get("EIdType") == "pii" else ""
        if pii and accepted(parse_pages, pii):
            return Pages(elocation_id=pii)
    return Pages()


def _abstract(abstract: etree._Element | None, language: str | None) -> str:
    if abstract is None:
        return ""
    blocks = []
    texts = abstract.findall("AbstractText")
    labels = sentence_case_labels([tidy_text(text.get("Label")) for text in texts], language)
    for text, label in zip(texts, labels, strict=True):
        if label:
            blocks.append(f"### {escape_markdown(label)}")
        body = paragraph(inline_markdown(text))
        if body:
            blocks.append(body)
    return "\n\n".join(blocks)


def _references(entry: etree._Element) -> tuple[tuple[Reference, ...], tuple[str, ...]]:
    """The article's references, and a note naming those with nothing to cite (left out)."""
    listed = [(place_name(place), _reference(reference))
              for place, reference in enumerate(entry.iterfind("PubmedData/ReferenceList//Reference"), start=1)]
    return kept_references(listed, "no text, DOI or PMID")


def _reference(reference: etree._Element) -> Reference | None:
    """The reference, cited by its DOI or PMID when its `Citation` is empty; None when it has
    nothing to cite."""
    ids = {(i.get("IdType") or ""): i.text for i in reference.iterfind("ArticleIdList/ArticleId")}
    doi = clean_doi(ids.get("doi"))
    pmid = clean_pmid(ids.get("pubmed"))
    text = citing_text(plain_text(reference.find("Citation"))) or identifier_text(doi, pmid)
    return Reference(text=text, doi=doi, pmid=pmid) if text else None
