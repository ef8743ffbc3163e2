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
from caseshelf.exports.xml import XLINK_NS, PartsOf, TextElement, element_line, element_lines, lines_bytes, sub, to_bytes_with_parts
from caseshelf.licenses import LICENSES
from caseshelf.model import Article, Author, Depositor, Journal, Reference
from caseshelf.render import OutputFile
from caseshelf.site import Issue, Site

VERSION = "5.3.1"
CROSSREF_NS = f"http://www.crossref.org/schema/{VERSION}"
JATS_NS = "http://www.ncbi.nlm.nih.gov/JATS1"
AI_NS = "http://www.crossref.org/AccessIndicators.xsd"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{CROSSREF_NS} https://www.crossref.org/schemas/crossref{VERSION}.xsd"
#: Declared on the root, where the articles written as text find their prefixes (jats:, ai:,
#: and xlink: for a link in an abstract).
_NSMAP = {None: CROSSREF_NS, "jats": JATS_NS, "ai": AI_NS, "xsi": XSI_NS, "xlink": XLINK_NS}
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
    """One article's <journal_article>, as its lines of a deposit file (in
    <doi_batch><body><journal>, under the root that declares the namespaces). Written as
    text, laid out as lxml lays out the rest of the file (tests/test_xml_text.py): it is
    made for every article of every build."""
    return lines_bytes(_journal_article(article, journal), depth=3)


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


def _journal_article(article: Article, journal: Journal) -> list[str]:
    """The lines of one article's <journal_article>, unindented."""
    # An article whose record names a PDF has its full text online; otherwise the DOI resolves
    # to the abstract page.
    attributes = {"publication_type": "full_text" if article.pdf else "abstract_only"}
    language = iso639_1(article.language)
    if language:
        attributes["language"] = language
    lines = element_lines("titles", [element_line("title", title_text(article.title))])
    if article.authors:
        people = [_contributor(author, "first" if index == 0 else "additional") for index, author in enumerate(article.authors)]
        lines += element_lines("contributors", [line for person in people for line in person])
    if article.abstract.strip():
        abstract = TextElement("abstract")
        append_blocks(abstract, article.abstract)
        lines += abstract.lines(prefix="jats:")
    lines += _publication_dates(article)
    lines += _pages(article)
    license_ref = element_line("ai:license_ref", LICENSES[article.license].url, {"applies_to": "vor"})
    lines += element_lines("ai:program", [license_ref], {"name": "AccessIndicators"})
    lines += element_lines("doi_data", [element_line("doi", article.doi), element_line("resource", paths.article_url(journal, article))])
    if article.references:
        lines += element_lines("citation_list", [line for number, reference in enumerate(article.references, start=1) for line in _citation(number, reference)])
    return element_lines("journal_article", lines, attributes)


def _contributor(author: Author, sequence: str) -> list[str]:
    attributes = {"sequence": sequence, "contributor_role": "author"}
    if author.is_group:
        return [element_line("organization", author.family_name, attributes)]
    # A person known by one name has a surname alone (given_name is optional, surname is not):
    # as an <organization> they would lose their affiliations and ORCID iD.
    lines = [element_line("given_name", author.given_names)] if author.given_names else []
    lines.append(element_line("surname", author.family_name))
    if author.affiliations:
        institutions = [element_lines("institution", [element_line("institution_name", affiliation.name)]) for affiliation in author.affiliations]
        lines += element_lines("affiliations", [line for institution in institutions for line in institution])
    if author.orcid:
        lines.append(element_line("ORCID", f"https://orcid.org/{author.orcid}", {"authenticated": "false"}))
    return element_lines("person_name", lines, attributes)


def _publication_dates(article: Article) -> list[str]:
    """The online publication date (`published`, else the year), and the print year when the
    article came out online in another year than its issue's, as Crossref asks for both."""
    published = article.published
    if published is None:
        return _year_published(article.year, "online")
    parts = [element_line("month", f"{published.month:02d}"), element_line("day", f"{published.day:02d}"), element_line("year", str(published.year))]
    online = element_lines("publication_date", parts, {"media_type": "online"})
    return online if article.cited_date else online + _year_published(article.year, "print")


def _year_published(year: int, media_type: str) -> list[str]:
    return element_lines("publication_date", [element_line("year", str(year))], {"media_type": media_type})


def _pages(article: Article) -> list[str]:
    pages = article.pages
    if pages.elocation_id:
        return element_lines("publisher_item", [element_line("item_number", pages.elocation_id, {"item_number_type": "article_number"})])
    if not pages.first:
        return []
    numbers = [element_line("first_page", pages.first)]
    if pages.last and pages.last != pages.first:
        numbers.append(element_line("last_page", pages.last))
    return element_lines("pages", numbers)


def _citation(number: int, reference: Reference) -> list[str]:
    lines = [element_line("doi", reference.doi)] if reference.doi else []
    lines.append(element_line("unstructured_citation", reference.text))
    return element_lines("citation", lines, {"key": f"ref{number}"})


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrib: str) -> etree._Element:
    return sub(parent, _CR + tag, text, **attrib)
