"""Files about the whole archive: Atom feed, sitemap and robots.txt, doi.json, articles.json,
DOAJ XML and the OAI-PMH static repository, parsed back with lxml and json."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree


FIXTURE = Path(__file__).parent / "fixtures" / "exports" / "site"
BASE = "https://journal.example.org/sub/path/"
ATOM = {"a": "http://www.w3.org/2005/Atom"}
SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
OAI = {
    "r": "http://www.openarchives.org/OAI/2.0/static-repository",
    "oai": "http://www.openarchives.org/OAI/2.0/",
    "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
DOAJ_ORDER = [
    "language", "publisher", "journalTitle", "issn", "eissn", "publicationDate", "volume", "issue",
    "startPage", "endPage", "doi", "publisherRecordId", "documentType", "title", "authors",
    "affiliationsList", "abstract", "fullTextUrl", "keywords",
]  # fmt: skip


def local_file(site_dir: Path, url: str) -> Path:
    """The output file an absolute URL of the site is served from."""
    assert url.startswith(BASE), url
    path = unquote(urlsplit(url).path).removeprefix(urlsplit(BASE).path)
    return site_dir / path / "index.html" if path == "" or path.endswith("/") else site_dir / path


def test_nojekyll(fixture_site: Path, sample_site: Path) -> None:
    assert (fixture_site / ".nojekyll").is_file() and (sample_site / ".nojekyll").is_file()


def test_atom_feed_lists_the_newest_articles(fixture_site: Path) -> None:
    feed = etree.parse(str(fixture_site / "feed.xml")).getroot()
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    assert feed.findtext("a:title", namespaces=ATOM) == "Journal of Invented Cases & <Tests>"
    assert feed.find("a:link[@rel='self']", ATOM).get("href") == BASE + "feed.xml"
    assert feed.findtext("a:updated", namespaces=ATOM) == "2025-01-20T00:00:00Z"
    entries = feed.findall("a:entry", ATOM)
    assert [entry.findtext("a:id", namespaces=ATOM) for entry in entries] == [
        "https://doi.org/10.5555/fixture.script", "https://doi.org/10.5555/fixture.unicode",
        "https://doi.org/10.5555/fixture.minimal",
    ]  # fmt: skip
    unicode_entry = entries[1]
    assert unicode_entry.findtext("a:title", namespaces=ATOM) == "Эффект in vivo у младенцев: Ünïcödé 中文 title"
    assert [a.text for a in unicode_entry.findall("a:author/a:name", ATOM)][2] == "王小明"
    link = unicode_entry.find("a:link[@rel='alternate']", ATOM).get("href")
    assert link == BASE + "articles/fixture-unicode/" and local_file(fixture_site, link).is_file()
    assert unicode_entry.findtext("a:updated", namespaces=ATOM) == "2024-03-05T00:00:00Z"
    assert entries[0].findtext("a:title", namespaces=ATOM).startswith("Breaking </script><script>")


def indexable_pages(site_dir: Path) -> set[Path]:
    """Every HTML page but the DOI resolvers (they redirect) and the search page."""
    pages = set()
    for path in site_dir.rglob("index.html"):
        parts = path.relative_to(site_dir).parts
        if not (parts[0] == "search" or (parts[0] == "doi" and len(parts) > 2)):
            pages.add(path)
    return pages


def sitemap_files(site_dir: Path, base: str) -> list[Path]:
    urlset = etree.parse(str(site_dir / "sitemap.xml")).getroot()
    files = []
    for loc in urlset.xpath("//s:loc/text()", namespaces=SITEMAP):
        assert loc.startswith(base), loc
        path = unquote(urlsplit(loc).path).removeprefix(urlsplit(base).path)
        files.append(site_dir / path / "index.html")
    return files


def test_sitemap_lists_every_indexable_page_and_nothing_else(fixture_site: Path) -> None:
    files = sitemap_files(fixture_site, BASE)
    assert len(files) == len(set(files))
    assert set(files) == indexable_pages(fixture_site)
    urlset = etree.parse(str(fixture_site / "sitemap.xml")).getroot()
    lastmod = {
        url.findtext("s:loc", namespaces=SITEMAP): url.findtext("s:lastmod", namespaces=SITEMAP)
        for url in urlset.findall("s:url", SITEMAP)
    }
    assert lastmod[BASE + "articles/fixture-unicode/"] == "2024-03-05"
    assert lastmod[BASE + "articles/fixture-minimal/"] == "2023"
    assert lastmod[BASE] == "2025-01-20"


def test_sample_sitemap_covers_every_page(sample_site: Path) -> None:
    files = sitemap_files(sample_site, "https://example.github.io/rjpho/")
    assert set(files) == indexable_pages(sample_site)
    assert len(files) > 40


def test_robots_names_the_sitemap(fixture_site: Path) -> None:
    lines = (fixture_site / "robots.txt").read_text("utf-8").splitlines()
    assert "User-agent: *" in lines
    assert f"Sitemap: {BASE}sitemap.xml" in lines


def test_doi_index_maps_every_doi_to_its_page(fixture_site: Path) -> None:
    index = json.loads((fixture_site / "doi.json").read_text("utf-8"))
    assert list(index) == ["10.5555/fixture.minimal", "10.5555/fixture.script", "10.5555/fixture.unicode"]
    assert all(local_file(fixture_site, url).is_file() for url in index.values())


def test_articles_json_is_the_archive_as_csl_json(fixture_site: Path) -> None:
    items = json.loads((fixture_site / "articles.json").read_text("utf-8"))
    assert [item["DOI"] for item in items] == [
        "10.5555/fixture.script",
        "10.5555/fixture.unicode",
        "10.5555/fixture.minimal",
    ]
    assert all(item["type"] == "article-journal" and item["title"] for item in items)
    assert items[1]["author"][2] == {"family": "王", "given": "小明"}
    assert items[0]["abstract"] == "An abstract with <script>alert(5)</script> raw HTML, which stays text."


def test_doaj_records_follow_the_schema(fixture_site: Path) -> None:
    records = etree.parse(str(fixture_site / "doaj.xml")).getroot()
    assert records.tag == "records"
    by_doi = {record.findtext("doi"): record for record in records.findall("record")}
    assert len(by_doi) == 3
    for record in by_doi.values():
        tags = [child.tag for child in record]
        assert [DOAJ_ORDER.index(tag) for tag in tags] == sorted(DOAJ_ORDER.index(tag) for tag in tags)
        assert {"journalTitle", "publicationDate", "title", "fullTextUrl"} <= set(tags)
        assert re.fullmatch(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?", record.findtext("publicationDate"))
        assert re.fullmatch(r"[0-9]{4}-?[0-9]{3}[0-9xX]", record.findtext("eissn"))
        assert re.fullmatch(r"https?://([^/:]+\.[^\W\d_]{2,10})(:[0-9]+)?(.*)?", record.findtext("fullTextUrl"))
    unicode_record = by_doi["10.5555/fixture.unicode"]
    assert unicode_record.findtext("language") == "rus"
    # The record's own text is in the site's language, as its page says (<html lang="en">).
    assert unicode_record.find("title").get("language") == "eng"
    assert unicode_record.findtext("title") == "Эффект in vivo у младенцев: Ünïcödé 中文 title"
    authors = unicode_record.findall("authors/author")
    assert [a.findtext("name") for a in authors][:3] == ["Ирина Петровна Смирнова", "José Núñez-García", "王小明"]
    assert authors[0].findtext("orcid_id") == "https://orcid.org/0000-0002-1825-0097"
    assert [child.tag for child in authors[0]] == ["name", "affiliationId", "orcid_id"]
    names = {aff.get("affiliationId"): aff.text for aff in unicode_record.findall("affiliationsList/affiliationName")}
    assert names[authors[2].findtext("affiliationId")] == "北京儿童医院"
    assert [k.text for k in unicode_record.findall("keywords/keyword")] == ["лейкоз", "Übersicht", "白血病"]
    assert by_doi["10.5555/fixture.script"].findtext("language") == "eng"
    assert by_doi["10.5555/fixture.script"].findtext("startPage") == "e0042"


def test_doaj_links_the_full_text_pdf_where_the_record_has_one(fixture_site: Path) -> None:
    records = etree.parse(str(fixture_site / "doaj.xml")).getroot()
    links = {record.findtext("doi"): record.find("fullTextUrl") for record in records.findall("record")}
    with_pdf = links.pop("10.5555/fixture.script")  # `pdf: fulltext.pdf`, beside its page
    assert (with_pdf.get("format"), with_pdf.text) == ("pdf", "https://journal.example.org/sub/path/articles/fixture-script/fulltext.pdf")
    assert links  # the others, without a PDF, link their page
    for link in links.values():
        assert link.get("format") == "html"
        assert link.text.startswith("https://journal.example.org/sub/path/articles/") and link.text.endswith("/")


def test_oai_static_repository(fixture_site: Path) -> None:
    root = etree.parse(str(fixture_site / "oai.xml")).getroot()
    assert root.tag == f"{{{OAI['r']}}}Repository"
    assert [child.tag.split("}")[1] for child in root] == ["Identify", "ListMetadataFormats", "ListRecords"]
    identify = root.find("r:Identify", OAI)
    assert [child.tag.split("}")[1] for child in identify] == [
        "repositoryName", "baseURL", "protocolVersion", "adminEmail",
        "earliestDatestamp", "deletedRecord", "granularity",
    ]  # fmt: skip
    assert identify.findtext("oai:baseURL", namespaces=OAI) == BASE + "oai.xml"
    assert identify.findtext("oai:earliestDatestamp", namespaces=OAI) == "2023-01-01"
    assert root.findtext("r:ListMetadataFormats/oai:metadataFormat/oai:metadataPrefix", namespaces=OAI) == "oai_dc"
    records = root.findall("r:ListRecords/oai:record", OAI)
    assert root.find("r:ListRecords", OAI).get("metadataPrefix") == "oai_dc"
    identifiers = [record.findtext("oai:header/oai:identifier", namespaces=OAI) for record in records]
    assert identifiers == [
        "oai:journal.example.org:10.5555/fixture.script", "oai:journal.example.org:10.5555/fixture.unicode",
        "oai:journal.example.org:10.5555/fixture.minimal",
    ]  # fmt: skip
    assert all(
        re.fullmatch(
            r"oai:[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+:[a-zA-Z0-9\-_\.!~\*'\(\);/\?:@&=\+$,%]+", i
        )
        for i in identifiers
    )
    dc = records[1].find("oai:metadata/oai_dc:dc", OAI)
    assert dc.findtext("dc:title", namespaces=OAI) == "Эффект in vivo у младенцев: Ünïcödé 中文 title"
    assert dc.xpath("dc:creator/text()", namespaces=OAI)[:3] == [
        "Смирнова, Ирина Петровна",
        "Núñez-García, José",
        "王, 小明",
    ]
    assert BASE + "articles/fixture-unicode/" in dc.xpath("dc:identifier/text()", namespaces=OAI)
    assert dc.findtext("dc:date", namespaces=OAI) == "2024-03-05"
    assert records[1].findtext("oai:header/oai:datestamp", namespaces=OAI) == "2024-03-05"


def test_render_exports_in_one_process_gives_every_file() -> None:
    from datetime import datetime, timezone

    from caseshelf.exports import render_exports
    from caseshelf.loading import load_content
    from caseshelf.site import build_site

    site = build_site(load_content(FIXTURE, None))
    exports = render_exports(site, datetime(2024, 1, 1, tzinfo=timezone.utc))
    paths = {file.path for file in exports.files}
    assert {
        ".nojekyll",
        "feed.xml",
        "sitemap.xml",
        "robots.txt",
        "doi.json",
        "articles.json",
        "doaj.xml",
        "oai.xml",
    } <= paths
    assert {"crossref/all.xml", "crossref/issue-3-2.xml", "articles/fixture-minimal/article.jats.xml"} <= paths
    assert len(paths) == len(exports.files)
    assert set(exports.article_extras) == {article.doi for article in site.articles}
    assert exports.article_extras["10.5555/fixture.minimal"].citation_text.endswith(
        "https://doi.org/10.5555/fixture.minimal"
    )


def test_doaj_names_the_language_of_the_records_text_not_of_the_full_text(awkward_site: Path) -> None:
    """A German article described in English: <language> is the full text's (ISO 639-2/B), and
    the title, abstract and keywords, the record's own text, are in the site's language."""
    (record,) = etree.parse(str(awkward_site / "doaj.xml")).getroot().xpath("record[doi='10.5555/awkward.names']")
    assert record.findtext("language") == "ger"
    assert [record.find(tag).get("language") for tag in ("title", "abstract", "keywords")] == ["eng", "eng", "eng"]
