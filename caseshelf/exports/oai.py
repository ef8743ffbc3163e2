"""oai.xml: the archive as an OAI-PMH static repository with `oai_dc` records, so harvesters
can collect it through a static repository gateway, without a server of our own.

The format is the OAI "Specification for an OAI Static Repository" (namespace
http://www.openarchives.org/OAI/2.0/static-repository). It needs an administrator e-mail:
the Crossref depositor's address is used, and without a `crossref:` block no file is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import quote, urlsplit

from lxml import etree

from caseshelf.citation import source_line
from caseshelf.exports import paths
from caseshelf.exports.splice import PartSpans, note_spans
from caseshelf.exports.text import abstract_text, title_text
from caseshelf.exports.xml import PartsOf, element_line, element_lines, lines_bytes, sub, to_bytes_with_parts
from caseshelf.licenses import LICENSES
from caseshelf.model import Article, Journal
from caseshelf.site import Site
from caseshelf.urls import doi_url

STATIC_NS = "http://www.openarchives.org/OAI/2.0/static-repository"
OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
_NSMAP = {None: STATIC_NS, "oai": OAI_NS, "oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS}
_DC_SCHEMA_LOCATION = f"{OAI_DC_NS} http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
SCHEMA_LOCATION = f"{STATIC_NS} http://www.openarchives.org/OAI/2.0/static-repository.xsd {_DC_SCHEMA_LOCATION}"
_OAI = "{" + OAI_NS + "}"
#: Characters the OAI identifier syntax allows unescaped in a local identifier.
_OAI_ID_SAFE = ":;/?@&=+$,-_.!~*'()"


def admin_email(journal: Journal) -> str | None:
    return journal.crossref.email if journal.crossref else None


def render_oai(site: Site, fragments: Mapping[str, bytes], spans: dict[str, PartSpans] | None = None) -> bytes | None:
    """`fragments` maps each DOI to its <oai:record> (see `article_fragment`); `spans` gets
    where each lies in the file (see splice.py)."""
    journal = site.journal
    email = admin_email(journal)
    if email is None:
        return None
    root = etree.Element("{%s}Repository" % STATIC_NS, nsmap=_NSMAP)
    root.set(f"{{{XSI_NS}}}schemaLocation", SCHEMA_LOCATION)
    _identify(sub(root, "{%s}Identify" % STATIC_NS), site, email)
    formats = sub(root, "{%s}ListMetadataFormats" % STATIC_NS)
    dc_format = sub(formats, _OAI + "metadataFormat")
    sub(dc_format, _OAI + "metadataPrefix", "oai_dc")
    sub(dc_format, _OAI + "schema", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd")
    sub(dc_format, _OAI + "metadataNamespace", OAI_DC_NS)
    records = sub(root, "{%s}ListRecords" % STATIC_NS, metadataPrefix="oai_dc")
    keys, found = [article.doi for article in site.articles], []
    content = to_bytes_with_parts(root, [(records, PartsOf(fragments, keys))], spans=found)
    note_spans(spans, paths.OAI, "oai", keys, found, content)
    return content


def datestamp(article: Article) -> str:
    return article.published.isoformat() if article.published else f"{article.year}-01-01"


def oai_identifier(journal: Journal, article: Article) -> str:
    """`oai:example.github.io:10.5555/x`: the site's host as namespace, the DOI as local id."""
    host = urlsplit(journal.base_url).hostname or "localhost"
    return f"oai:{host}:{quote(article.doi, safe=_OAI_ID_SAFE)}"


def _identify(identify: etree._Element, site: Site, email: str) -> None:
    sub(identify, _OAI + "repositoryName", site.journal.title)
    sub(identify, _OAI + "baseURL", paths.absolute(site.journal, paths.OAI))
    sub(identify, _OAI + "protocolVersion", "2.0")
    sub(identify, _OAI + "adminEmail", email)
    earliest = min((datestamp(article) for article in site.articles), default="1970-01-01")
    sub(identify, _OAI + "earliestDatestamp", earliest)
    sub(identify, _OAI + "deletedRecord", "no")
    sub(identify, _OAI + "granularity", "YYYY-MM-DD")


def article_fragment(article: Article, journal: Journal) -> bytes:
    """One article's <oai:record> with its oai_dc metadata, serialised as its lines of oai.xml
    (in <ListRecords>, under the root that declares the namespaces). Written as text (see
    `element_line`), with the prefixes the root declares."""
    header = [
        element_line("oai:identifier", oai_identifier(journal, article)),
        element_line("oai:datestamp", datestamp(article)),
    ]
    fields = [element_line(f"dc:{name}", value) for name, value in dublin_core(article, journal)]
    dc = element_lines("oai_dc:dc", fields, {"xsi:schemaLocation": _DC_SCHEMA_LOCATION})
    record = [*element_lines("oai:header", header), *element_lines("oai:metadata", dc)]
    return lines_bytes(element_lines("oai:record", record), depth=2)


def dublin_core(article: Article, journal: Journal) -> list[tuple[str, str]]:
    """Simple Dublin Core of an article, as OAI harvesters (and OJS) lay it out."""
    issns = "; ".join(f"ISSN {issn}" for issn in (journal.issn_print, journal.issn_online) if issn)
    fields = [
        ("title", title_text(article.title)),
        *(("creator", _dc_name(author.family_name, author.given_names)) for author in article.authors),
        *(("subject", keyword) for keyword in article.keywords),
        ("description", abstract_text(article.abstract)),
        ("publisher", journal.publisher),
        ("date", article.published.isoformat() if article.published else str(article.year)),
        ("type", "Text"),
        ("type", "info:eu-repo/semantics/article"),
        ("format", "text/html"),
        ("identifier", paths.article_url(journal, article)),
        ("identifier", doi_url(article.doi)),
        ("source", f"{journal.title}; {source_line(article)}"),
        ("source", issns),
        ("language", article.language),
        ("rights", LICENSES[article.license].url),
    ]
    return [(name, value) for name, value in fields if value]


def _dc_name(family: str, given: str) -> str:
    return f"{family}, {given}" if given else family
