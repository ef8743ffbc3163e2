"""JATS 1.0-1.3 and NLM 3.0 article XML (as PMC Open Access, Europe PMC and publishers ship it)
-> `ImportedArticle`s.

A file may hold one `<article>`, an `<articles>` container of several, or an article wrapped in
a PMC OAI-PMH response; each article found is read on its own.
"""

from __future__ import annotations

import re
from datetime import date

from lxml import etree

from caseshelf.importers import people, references
from caseshelf.importers.imported import (
    ImportedArticle,
    ReadResult,
    UnreadableInput,
    Unusable,
)
from caseshelf.importers.markup import (
    XML_LANG,
    abstract_markdown,
    inline_markdown,
    plain_text,
    tidy_text,
    with_subtitle,
)
from caseshelf.importers.languages import LanguageChoice, Version
from caseshelf.importers.reference_list import kept_references
from caseshelf.importers.records import first_accepted
from caseshelf.importers.safexml import parse_xml
from caseshelf.importers.vocab import (
    NO_LICENSE_NOTE,
    article_type_from_jats,
    article_type_from_section,
    clean_doi,
    language_tag,
    spdx_from_license_url,
    unknown_license_note,
)
from caseshelf.loading.fields import parse_url
from caseshelf.model import Pages, Reference

XLINK_HREF = "{http://www.w3.org/1999/xlink}href"

# Abstracts that are not the article's abstract proper: summaries for other readers, teasers,
# figures. The main abstract has no `abstract-type`, or one not listed here.
_SECONDARY_ABSTRACTS = frozenset({
    "toc", "teaser", "graphical", "highlights", "author-highlights", "editor-highlights",
    "editors-summary", "editor-summary", "plain-language-summary", "summary", "author-summary",
    "short", "web-summary", "precis", "key-points", "lay-summary", "video", "audio",
})


def read_jats(data: bytes, site_language: str = "en") -> ReadResult:
    """The articles of the file, their title, abstract, keywords and affiliations in
    `site_language` where the source translates them (see languages.py)."""
    root = parse_xml(data)
    articles = find_articles(root)
    if not articles:
        raise UnreadableInput(f"no JATS <article> element (the root element is <{root.tag}>)")
    return [read_article(article, site_language) for article in articles]


def find_articles(root: etree._Element) -> list[etree._Element]:
    """Every top-level `<article>`: the root itself, or those inside a container or wrapper."""
    if root.tag == "article":
        return [root]
    return root.xpath("//article[not(ancestor::article)]")


def read_article(article: etree._Element, site_language: str = "en") -> ImportedArticle | Unusable:
    meta = article.find("front/article-meta")
    if meta is None:
        return Unusable("no <front>/<article-meta> in the article", article.sourceline or 0)
    language = language_tag(article.get(XML_LANG))
    choice = LanguageChoice(site_language, language)
    title = choice.one("title", _titles(meta, language)) or ""
    abstract = choice.one("abstract", _abstracts(meta, language))
    keywords = _keywords(choice.all_of("keywords", _keyword_groups(meta, language))) or _keywords_in_abstract(abstract)
    affiliations, authors, byline_notes = people.read_jats_byline(meta, choice)
    license_id, license_notes = _license(meta)
    reference_list, reference_notes = _references(article)
    return ImportedArticle(
        doi=clean_doi(meta.findtext("article-id[@pub-id-type='doi']")),
        title=title,
        year=_year(meta),
        type=article_type_from_jats(article.get("article-type")) or article_type_from_section(_section_heading(meta)),
        language=language,
        volume=_first_text(meta, "volume"),
        issue=_first_text(meta, "issue"),
        pages=_pages(meta),
        published=_published(meta),
        keywords=keywords,
        license=license_id,
        affiliations=affiliations,
        authors=authors,
        references=reference_list,
        abstract=abstract_markdown(abstract),
        pdf=_pdf(meta),
        notes=license_notes + choice.notes() + byline_notes + reference_notes,
    )


def _language_of(element: etree._Element, inherited: str | None) -> str | None:
    """`xml:lang` is inherited: an element without one is in its parent's language."""
    return language_tag(element.get(XML_LANG)) or inherited


def _titles(meta: etree._Element, article_language: str | None) -> list[Version[str]]:
    """The title (with its subtitle) and each translation of it, with their languages."""
    group = meta.find("title-group")
    if group is None:
        return []
    language = _language_of(group, article_language)
    titles = [(_language_of(title, language), _titled(title, group.find("subtitle")))
              for title in group.findall("article-title")]
    for translation in group.findall("trans-title-group"):
        translated = translation.find("trans-title")
        if translated is not None:
            in_language = _language_of(translated, _language_of(translation, None))
            titles.append((in_language, _titled(translated, translation.find("trans-subtitle"))))
    # NLM 2.x: <trans-title xml:lang> straight in the title group.
    titles += [(_language_of(title, None), _titled(title, None)) for title in group.findall("trans-title")]
    return [(language, text) for language, text in titles if text]


def _titled(title: etree._Element, subtitle: etree._Element | None) -> str:
    return with_subtitle(inline_markdown(title, silent=("xref",)), inline_markdown(subtitle, silent=("xref",)))


def _pdf(meta: etree._Element) -> str | None:
    """The full text's PDF: the first `self-uri` marked as one whose address is on the web (OJS
    links its PDF galley so; PMC's name a file of the package, which a record cannot link)."""
    pdf_links = [link.get(XLINK_HREF) for link in meta.iterfind("self-uri") if (link.get("content-type") or "").lower() in _PDF_TYPES]
    return first_accepted(parse_url, pdf_links)


_PDF_TYPES = ("pdf", "application/pdf")


def _section_heading(meta: etree._Element) -> str | None:
    """The journal section the article is in: the subject of its `heading` subject group."""
    return _first_text(meta, "article-categories/subj-group[@subj-group-type='heading']/subject")


def _first_text(meta: etree._Element, path: str) -> str | None:
    return tidy_text(plain_text(meta.find(path))) or None


def _pages(meta: etree._Element) -> Pages:
    first = _first_text(meta, "fpage")
    last = _first_text(meta, "lpage")
    if first:
        return Pages(first=first, last=last if last and last != first else None)
    elocation = _first_text(meta, "elocation-id")
    return Pages(elocation_id=elocation) if elocation else Pages()


def _abstracts(meta: etree._Element, article_language: str | None) -> list[Version[etree._Element]]:
    """The article's abstracts proper, each translation after them, with their languages;
    the untyped before the typed (a typed one may be a summary this list does not know)."""
    found = [(_language_of(abstract, article_language), abstract)
             for abstract in _main_kind(meta.findall("abstract"))]
    return found + [(_language_of(abstract, None), abstract) for abstract in _main_kind(meta.findall("trans-abstract"))]


def _main_kind(abstracts: list[etree._Element]) -> list[etree._Element]:
    untyped = [abstract for abstract in abstracts if not abstract.get("abstract-type")]
    typed = [abstract for abstract in abstracts
             if abstract.get("abstract-type") and abstract.get("abstract-type").lower() not in _SECONDARY_ABSTRACTS]
    return untyped + typed


def _keyword_groups(meta: etree._Element, article_language: str | None) -> list[Version[etree._Element]]:
    """The keyword groups with their languages (groups in other languages are translations)."""
    return [(_language_of(group, article_language), group)
            for group in meta.findall("kwd-group") if not _is_abbreviation_list(group)]


def _keywords(groups: list[etree._Element]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for group in groups:
        for keyword in group.iterchildren("kwd", "compound-kwd"):
            text = _compound_keyword(keyword) if keyword.tag == "compound-kwd" else plain_text(keyword)
            if text:
                seen.setdefault(text, None)
    return tuple(seen)


def _compound_keyword(keyword: etree._Element) -> str:
    """A keyword given in parts, as classification codes are (JEL, MSC): `<compound-kwd-part
    content-type="code">C12</…>` and `<… content-type="text">Hypothesis Testing</…>` make
    "C12: Hypothesis Testing"."""
    return ": ".join(filter(None, (plain_text(part) for part in keyword.findall("compound-kwd-part"))))


def _is_abbreviation_list(group: etree._Element) -> bool:
    """Elsevier's articles in PMC list their abbreviations ("HLH, hemophagocytic ...") as a
    kwd-group, typed or only titled so."""
    kind = f"{group.get('kwd-group-type', '')} {plain_text(group.find('title'))}"
    return "abbreviation" in kind.lower()


_KEYWORDS_LABEL = re.compile(r"^\s*key\s*words?\s*:?\s*", re.IGNORECASE)


def _keywords_in_abstract(abstract: etree._Element | None) -> tuple[str, ...]:
    """Keywords some renditions print as a last section of the abstract: "Keywords: a, b, c"."""
    section = abstract.find("sec[@sec-type='kwd-group']") if abstract is not None else None
    if section is None:
        return ()
    text = _KEYWORDS_LABEL.sub("", plain_text(section, silent=("title",)))
    return tuple(dict.fromkeys(word.strip(" .") for word in re.split(r"[;,]", text) if word.strip(" .")))


def _license(meta: etree._Element) -> tuple[str | None, tuple[str, ...]]:
    """The SPDX id of the article's license, or a note saying why there is none."""
    licenses = meta.findall("permissions/license")
    candidates: list[str] = []
    for license_element in licenses:
        candidates += [license_element.get(XLINK_HREF)]
        candidates += [ref.text for ref in license_element.iter("license_ref")]
        candidates += [link.get(XLINK_HREF) for link in license_element.iter("ext-link", "uri")]
        candidates += [link.text for link in license_element.iter("uri")]
    candidates = [url.strip() for url in candidates if url and url.strip()]
    for url in candidates:
        spdx = spdx_from_license_url(url)
        if spdx:
            return spdx, ()
    if not licenses:
        return None, (NO_LICENSE_NOTE,)
    return None, (unknown_license_note(candidates[0] if candidates else None),)


def _references(article: etree._Element) -> tuple[tuple[Reference, ...], tuple[str, ...]]:
    """The article's references, and a note naming those with nothing to cite (left out)."""
    listed = [(references.jats_reference_name(place, ref), references.read_jats_reference(ref))
              for place, ref in enumerate(_reference_elements(article), start=1)]
    return kept_references(listed, "no text, DOI, PMID or link")


def _reference_elements(article: etree._Element) -> list[etree._Element]:
    # Reference lists sit in <back>, but some publishers put them in a body section; the
    # references of sub-articles (peer review reports, replies) are not the article's.
    return article.xpath(".//ref-list//ref[not(ancestor::sub-article) and not(ancestor::response)]")


# Publication dates: which <pub-date> gives the year of the issue, and which the exact day.
# `pub-*`: JATS 1.2's `date-type="pub"` with its `publication-format` (`print`, `electronic`;
# OJS's JATS writes `epub`).
_ISSUE_DATE_KINDS = ("collection", "ppub", "epub-ppub", "pub-print", "pub-ppub")
_ONLINE_DATE_KINDS = ("epub", "pub-electronic", "pub-epub", "pub")
_IGNORED_DATE_KINDS = frozenset({"pmc-release", "nihms-submitted", "manuscript", "received", "accepted"})
_MONTHS = {name: number for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}


def _pub_dates(meta: etree._Element) -> list[tuple[str, int | None, int | None, int | None]]:
    dates = []
    for element in meta.findall("pub-date"):
        kind = element.get("pub-type") or element.get("date-type") or "pub"
        if kind == "pub" and element.get("publication-format"):
            kind = f"pub-{element.get('publication-format')}"
        if kind in _IGNORED_DATE_KINDS:
            continue
        dates.append((kind, _number(element.findtext("year")), _month(element.findtext("month")),
                      _number(element.findtext("day"))))
    return dates


def _year(meta: etree._Element) -> int | None:
    dates = [entry for entry in _pub_dates(meta) if entry[1]]
    for kinds in (_ISSUE_DATE_KINDS, _ONLINE_DATE_KINDS):
        for kind in kinds:
            for entry in dates:
                if entry[0] == kind:
                    return entry[1]
    return dates[0][1] if dates else None


def _published(meta: etree._Element) -> date | None:
    """The exact day of first publication: online if known, else in print."""
    complete = [entry for entry in _pub_dates(meta) if all(entry[1:])]
    for kind in _ONLINE_DATE_KINDS + _ISSUE_DATE_KINDS:
        for entry_kind, year, month, day in complete:
            if entry_kind == kind:
                try:
                    return date(year, month, day)
                except ValueError:
                    return None
    return None


def _number(text: str | None) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isdigit() else None


def _month(text: str | None) -> int | None:
    text = (text or "").strip()
    if text.isdigit():
        return int(text)
    return _MONTHS.get(text[:3].lower())
