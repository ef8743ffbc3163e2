"""Crossref deposit files (schema 5.3.1 `doi_batch`): one per issue and one for the archive.

Crossref puts one issue in each <journal> element, so the archive file is the issue files'
<journal> elements side by side (plus one for articles outside any issue). Articles arrive as
<journal_article> fragments, built on every core (fragments.py) already serialised as their
lines of the file, and are joined into each file that holds them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from caseshelf.exports import paths
from caseshelf.exports.splice import PartSpans, note_spans
from caseshelf.identity import slug_of
from caseshelf.exports.jats_markup import append_blocks
from caseshelf.exports.languages import iso639_1
from caseshelf.exports.text import title_text
from caseshelf.exports.xml import PartsOf, TextElement, fragment_bytes, fragment_parent, sub, to_bytes_with_parts
from caseshelf.licenses import LICENSES
from caseshelf.model import Article, Author, Depositor, Journal
from caseshelf.render import OutputFile
from caseshelf.site import Issue, Site

VERSION = "5.3.1"
CROSSREF_NS = f"http://www.crossref.org/schema/{VERSION}"
JATS_NS = "http://www.ncbi.nlm.nih.gov/JATS1"
AI_NS = "http://www.crossref.org/AccessIndicators.xsd"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{CROSSREF_NS} https://www.crossref.org/schemas/crossref{VERSION}.xsd"
_NSMAP = {None: CROSSREF_NS, "jats": JATS_NS, "ai": AI_NS, "xsi": XSI_NS}
_CR = "{" + CROSSREF_NS + "}"


@dataclass(frozen=True, slots=True)
class Batch:
    """What identifies one deposit to Crossref."""

    depositor: Depositor
    timestamp: str
    """`yyyymmddhhmmss` of the build: Crossref only accepts metadata newer than what it holds."""


def batch_timestamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%d%H%M%S")


def render_crossref(
    site: Site, moment: datetime, fragments: Mapping[str, bytes], spans: dict[str, PartSpans] | None = None,
    kept: frozenset[str] = frozenset(),
) -> Iterator[OutputFile]:  # fmt: skip
    """Deposit files for every issue and the whole archive, but the `kept` ones; none without a
    `crossref:` block. `fragments` maps each DOI to its <journal_article> (see
    `article_fragment`); `spans` gets where each lies in each file (see splice.py)."""
    if site.journal.crossref is None:
        return
    batch = Batch(site.journal.crossref, batch_timestamp(moment))
    # Each article's fragment is read twice, for its issue's file and for the whole archive's:
    # with fragments decompressed on reading (fragments.UnpackedFragments), a few microseconds
    # each, where keeping them all decompressed would hold tens of megabytes.
    groups = [(issue, [article.doi for article in issue.articles]) for issue in sorted(site.issues, key=_issue_order)]
    loose = [article.doi for article in site.articles if article.doi not in site.issue_by_doi]
    files = [(paths.crossref_issue(issue.volume, issue.number), f"issue-{slug_of(issue.slug)}", [(issue, dois)]) for issue, dois in groups]
    files.append((paths.CROSSREF_ALL, "all", groups + [(None, loose)] if loose else groups))
    for path, scope, issues in files:
        if path not in kept:
            found: list[tuple[int, int]] = []
            content = _deposit(batch, scope, site.journal, [(issue, PartsOf(fragments, dois)) for issue, dois in issues], found)
            note_spans(spans, path, "crossref", [doi for _, dois in issues for doi in dois], found, content)
            yield OutputFile(path, content)


def _issue_order(issue: Issue) -> tuple[int, str]:
    return (issue.year, issue.slug)


def article_fragment(article: Article, journal: Journal) -> bytes:
    """One article's <journal_article>, serialised as its lines of a deposit file (in
    <doi_batch><body><journal>, under the root that declares the namespaces)."""
    return fragment_bytes(_journal_article(fragment_parent(depth=3, nsmap=_NSMAP), article, journal))


def _deposit(batch: Batch, scope: str, journal: Journal, issues: list[tuple[Issue | None, Sequence[bytes]]], found: list[tuple[int, int]]) -> bytes:
    """A deposit with one <journal> per issue (None: articles outside any issue), holding the
    issue's <journal_article> fragments; `found` gets where each lies in it."""
    root = etree.Element(_CR + "doi_batch", nsmap=_NSMAP, version=VERSION)
    root.set(f"{{{XSI_NS}}}schemaLocation", SCHEMA_LOCATION)
    head = _sub(root, "head")
    _sub(head, "doi_batch_id", f"caseshelf-{scope}-{batch.timestamp}")
    _sub(head, "timestamp", batch.timestamp)
    depositor = _sub(head, "depositor")
    _sub(depositor, "depositor_name", batch.depositor.name)
    _sub(depositor, "email_address", batch.depositor.email)
    _sub(head, "registrant", batch.depositor.registrant)
    body = _sub(root, "body")
    return to_bytes_with_parts(root, [(_journal(body, journal, issue), articles) for issue, articles in issues], spans=found)


def _journal(body: etree._Element, journal: Journal, issue: Issue | None) -> etree._Element:
    """A <journal> with its metadata and issue, for the issue's articles to follow."""
    element = _sub(body, "journal")
    _journal_metadata(element, journal)
    if issue is not None:
        issue_element = _sub(element, "journal_issue")
        _sub(_sub(issue_element, "publication_date", media_type="online"), "year", str(issue.year))
        _sub(_sub(issue_element, "journal_volume"), "volume", issue.volume)
        if issue.number:
            _sub(issue_element, "issue", issue.number)
    return element


def _journal_metadata(parent: etree._Element, journal: Journal) -> None:
    metadata = _sub(parent, "journal_metadata")
    language = iso639_1(journal.language)
    if language:
        metadata.set("language", language)
    _sub(metadata, "full_title", journal.title)
    if journal.abbreviation:
        _sub(metadata, "abbrev_title", journal.abbreviation)
    if journal.issn_print:
        _sub(metadata, "issn", journal.issn_print, media_type="print")
    if journal.issn_online:
        _sub(metadata, "issn", journal.issn_online, media_type="electronic")


def _journal_article(parent: etree._Element, article: Article, journal: Journal) -> etree._Element:
    # An article whose record names a PDF has its full text online; otherwise the DOI resolves
    # to the abstract page.
    element = _sub(parent, "journal_article")
    element.set("publication_type", "full_text" if article.pdf else "abstract_only")
    language = iso639_1(article.language)
    if language:
        element.set("language", language)
    _sub(_sub(element, "titles"), "title", title_text(article.title))
    if article.authors:
        contributors = _sub(element, "contributors")
        for index, author in enumerate(article.authors):
            _contributor(contributors, author, "first" if index == 0 else "additional")
    if article.abstract.strip():
        _abstract(element, article.abstract)
    _publication_date(element, article)
    _pages(element, article)
    program = etree.SubElement(element, f"{{{AI_NS}}}program", name="AccessIndicators")
    license_ref = etree.SubElement(program, f"{{{AI_NS}}}license_ref", applies_to="vor")
    license_ref.text = LICENSES[article.license].url
    doi_data = _sub(element, "doi_data")
    _sub(doi_data, "doi", article.doi)
    _sub(doi_data, "resource", paths.article_url(journal, article))
    if article.references:
        citations = _sub(element, "citation_list")
        for number, reference in enumerate(article.references, start=1):
            citation = _sub(citations, "citation", key=f"ref{number}")
            if reference.doi:
                _sub(citation, "doi", reference.doi)
            _sub(citation, "unstructured_citation", reference.text)
    return element


def _contributor(parent: etree._Element, author: Author, sequence: str) -> None:
    if author.is_group or not author.given_names:
        _sub(parent, "organization", author.family_name, sequence=sequence, contributor_role="author")
        return
    person = _sub(parent, "person_name", sequence=sequence, contributor_role="author")
    _sub(person, "given_name", author.given_names)
    _sub(person, "surname", author.family_name)
    if author.affiliations:
        affiliations = _sub(person, "affiliations")
        for affiliation in author.affiliations:
            _sub(_sub(affiliations, "institution"), "institution_name", affiliation.name)
    if author.orcid:
        _sub(person, "ORCID", f"https://orcid.org/{author.orcid}", authenticated="false")


def _abstract(parent: etree._Element, markdown: str) -> None:
    """The abstract in Crossref's namespaced copy of JATS."""
    abstract = TextElement("abstract")
    append_blocks(abstract, markdown)
    abstract.append_to(parent, JATS_NS)


def _publication_date(parent: etree._Element, article: Article) -> None:
    date = _sub(parent, "publication_date", media_type="online")
    if article.published:
        _sub(date, "month", f"{article.published.month:02d}")
        _sub(date, "day", f"{article.published.day:02d}")
    _sub(date, "year", str(article.year))


def _pages(parent: etree._Element, article: Article) -> None:
    pages = article.pages
    if pages.elocation_id:
        item = _sub(parent, "publisher_item")
        _sub(item, "item_number", pages.elocation_id, item_number_type="article_number")
    elif pages.first:
        page_element = _sub(parent, "pages")
        _sub(page_element, "first_page", pages.first)
        if pages.last and pages.last != pages.first:
            _sub(page_element, "last_page", pages.last)


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrib: str) -> etree._Element:
    return sub(parent, _CR + tag, text, **attrib)
