"""What templates see: small frozen view records built from the site model for each page.

Templates get ready-to-print values (links already carry the base path, Markdown is already
rendered and safe), so themes hold presentation only and the model can change shape without
breaking them. A page's view holds everything that page shows, which also makes it the page's
exact dependency set for caching. The functions that build these records from the site model
are in caseshelf/view_builders.py, and an article's own pages' in caseshelf/article_views.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from markupsafe import Markup

from caseshelf.citation import sentence
from caseshelf.model import pickled_by_fields
from caseshelf.search import SearchFields


@dataclass(frozen=True, slots=True)
class Link:
    text: str
    url: str


@dataclass(frozen=True, slots=True)
class JournalView:
    """The journal as every page's header, footer and <head> show it."""

    title: str
    abbreviation: str
    publisher: str
    issn_print: str | None
    issn_online: str | None
    language: str
    base_path: str
    base_url: str
    stylesheet: str
    icon: str
    search_url: str
    feed_url: str
    opensearch_url: str
    home: Link
    nav: tuple[Link, ...]


@pickled_by_fields  # kept in the build cache for every article
@dataclass(frozen=True, slots=True)
class ArticleSummary:
    """An article in a list: TOCs, author and keyword pages, the DOI index."""

    title_html: Markup
    url: str
    authors: str
    citation: str
    """`Journal abbreviation. 2025;12(4):89-96`"""
    doi: str
    type_label: str
    doi_url: str
    """Made once with the summary: lists of thousands of articles (keyword and author pages, the
    DOI index) show it for each entry."""

    @property
    def authors_sentence(self) -> str:
        """The authors with one full stop after them, as a reference starts: a list ending in
        initials (`Varfolomeeva S.R.`) keeps its own."""
        return sentence(self.authors) if self.authors else ""


@dataclass(frozen=True, slots=True)
class BylineAuthor:
    name: str
    url: str
    affiliation_numbers: tuple[int, ...]
    orcid_url: str | None
    corresponding: bool


@dataclass(frozen=True, slots=True)
class AffiliationView:
    number: int
    name: str
    address: str
    country: str


@dataclass(frozen=True, slots=True)
class AuthorDetails:
    """One entry of "About the authors"."""

    name: str
    url: str
    degrees: str
    position: str
    affiliations: tuple[AffiliationView, ...]
    orcid: str | None
    orcid_url: str | None
    email: str | None
    """Shown for the corresponding author only."""


class TextAroundDoi(NamedTuple):
    """A reference's text cut where it writes its DOI. A tuple, so that a theme written when
    these were read as `text_around_doi[0]`, `[1]` and `[2]` goes on working."""

    before: str
    doi_as_written: str
    """The DOI as the text writes it, with a resolver's address in front if it has one
    (`https://doi.org/10.1/x` is linked whole)."""
    after: str


@dataclass(frozen=True, slots=True)
class ReferenceView:
    number: int
    text: str
    doi: str | None
    doi_url: str | None
    text_around_doi: TextAroundDoi | None
    """When `text` has the DOI in it (a reference pasted as printed, as most imported ones are):
    the text before it, the DOI as the text writes it, and the text after it, so that the DOI
    is linked where it stands instead of printed a second time after the text."""
    pubmed_url: str | None
    pmid: str | None
    url: str | None
    local_url: str | None
    """The article's page in this archive, when the reference cites one."""


@dataclass(frozen=True, slots=True)
class ArticlePage:
    title_html: Markup
    title_text: str
    type_label: str
    doi: str
    doi_url: str
    canonical_url: str
    byline: tuple[BylineAuthor, ...]
    affiliations: tuple[AffiliationView, ...]
    about_authors: tuple[AuthorDetails, ...]
    abstract_html: Markup
    keywords: tuple[Link, ...]
    source: str
    """`2025;12(4):89-96`"""
    issue: Link | None
    published: str | None
    language_note: str
    references: tuple[ReferenceView, ...]
    cited_by: tuple[ArticleSummary, ...]
    citation_text: str
    license_name: str
    license_url: str
    pdf_url: str | None
    downloads: tuple[Link, ...] = ()
    head_html: Markup = Markup("")
    """Machine-readable metadata for <head> (meta tags, JSON-LD), built by the exports stage."""
    search: SearchFields | None = None
    """Filters, result metadata and extra words for the search index (hidden on the page)."""


@dataclass(frozen=True, slots=True)
class ArticleExtras:
    """What the exports stage adds to an article page (caseshelf/exports)."""

    head_html: Markup = Markup("")
    """Machine-readable metadata for <head>: Highwire, Dublin Core, OpenGraph, JSON-LD."""
    downloads: tuple[Link, ...] = ()
    citation_text: str | None = None
    """"For citation" formatted in the journal's CSL style; None shows the plain citation."""


@dataclass(frozen=True, slots=True)
class AuthorAffiliation:
    name: str
    address: str
    country: str
    year: int


@dataclass(frozen=True, slots=True)
class AuthorPage:
    name: str
    orcid: str | None
    orcid_url: str | None
    canonical_url: str
    """This page's own address: a later page is not a copy of the first (Google asks each page
    of a paginated list to be its own canonical)."""
    affiliations: tuple[AuthorAffiliation, ...]
    """On the first page only, with the co-authors: the later pages go on with the list."""
    articles: tuple[ArticleSummary, ...]
    """The articles on this page of the person's list."""
    article_count: int
    coauthors: tuple[Link, ...]
    pager: Pager | None


@dataclass(frozen=True, slots=True)
class IndexEntry:
    text: str
    url: str
    count: int


@dataclass(frozen=True, slots=True)
class LetterGroup:
    letter: str
    entries: tuple[IndexEntry, ...]


@dataclass(frozen=True, slots=True)
class PagerLink:
    number: int | None
    """None for a run of pages left out (an ellipsis)."""
    url: str
    current: bool


@dataclass(frozen=True, slots=True)
class Pager:
    """The links between the pages of a long list (see caseshelf/paging.py)."""

    number: int
    count: int
    label: str
    """`page 3 of 12`, for the page's title."""
    previous_url: str | None
    next_url: str | None
    links: tuple[PagerLink, ...]


@dataclass(frozen=True, slots=True)
class AuthorsIndexPage:
    groups: tuple[LetterGroup, ...]
    """The letters of the people on this page, with the people."""
    total: int
    letters: tuple[Link, ...]
    """Every letter of the index, linked to where its people start (on this page or another)."""
    pager: Pager | None
    """None when the index fits on one page."""


@dataclass(frozen=True, slots=True)
class DoiEntry:
    doi: str
    doi_url: str
    article: ArticleSummary


@dataclass(frozen=True, slots=True)
class DoiIndexPage:
    entries: tuple[DoiEntry, ...]
    pager: Pager | None


@dataclass(frozen=True, slots=True)
class DoiRedirectPage:
    doi: str
    title_text: str
    target_url: str
    """Absolute URL of the article page: the canonical link."""
    target_link: str
    """The article page as pages link to it (the base path, no host): where the reader is sent,
    so that the preview and a copy of the site send readers to their own article page."""


@dataclass(frozen=True, slots=True)
class VolumeView:
    volume: str
    year: int
    issues: tuple[IndexEntry, ...]


@dataclass(frozen=True, slots=True)
class IssuesIndexPage:
    volumes: tuple[VolumeView, ...]


@dataclass(frozen=True, slots=True)
class IssuePage:
    label: str
    year: int
    url: str
    canonical_url: str
    articles: tuple[ArticleSummary, ...]
    """In page order."""
    sections: tuple[IssueSection, ...]
    """The same articles by type, as journals print a table of contents (see
    `view_builders.issue_sections`)."""


@dataclass(frozen=True, slots=True)
class IssueSection:
    heading: str
    articles: tuple[ArticleSummary, ...]


@dataclass(frozen=True, slots=True)
class KeywordsIndexPage:
    keywords: tuple[IndexEntry, ...]


@dataclass(frozen=True, slots=True)
class KeywordPage:
    name: str
    articles: tuple[ArticleSummary, ...]
    """The articles on this page of the keyword's list."""
    article_count: int
    pager: Pager | None


@dataclass(frozen=True, slots=True)
class HomePage:
    description_html: Markup
    latest_issue: IssuePage | None
    article_count: int
    author_count: int
    issue_count: int
    recent: tuple[ArticleSummary, ...] = field(default=())
    """Articles without a volume/issue, newest first, when there is no issue to show."""


@dataclass(frozen=True, slots=True)
class NotFoundPage:
    pass


@dataclass(frozen=True, slots=True)
class SearchPage:
    """/search/: static/search.js loads the Pagefind bundle, so the page still works (and says
    why there are no results) when the site was built with --no-search."""

    bundle_url: str
    """`<base>/pagefind/`, where the index and Pagefind's own UI script live."""
    script_url: str
    stylesheet_url: str
    filter_order: str
    """JSON: filter name -> its values in the order the page lists them (search.filter_order)."""


@dataclass(frozen=True, slots=True)
class OpenSearchDescription:
    """opensearch.xml, which lets browsers add the archive as a search engine."""

    short_name: str
    """At most 16 characters, as the OpenSearch 1.1 specification requires."""
    description: str
    search_url_template: str
    """Absolute URL of the search page with `{searchTerms}` where the query goes."""
    self_url: str
    home_url: str
