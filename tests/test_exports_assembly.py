"""Archive files assembled from each article's pre-serialised fragments are byte for byte what
serialising the whole file at once gives: lxml pretty-printing the complete tree, json indenting
the complete list."""

from __future__ import annotations

import json
import pickle
import random
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest
from lxml import etree
from markupsafe import Markup

from caseshelf.exports import ArticleFragments, article_fragments, render_archive_exports
from caseshelf.exports.jsontext import dump_json
from caseshelf.exports.sitemap import render_sitemaps
from caseshelf.exports.xml import escape_text, sub, to_bytes, to_bytes_with_parts
from caseshelf.loading import load_content
from caseshelf.render import OutputFile
from caseshelf.site import build_site
from caseshelf.views import ArticleSummary
from conftest import write_files
from lxml_layout import fragment_bytes, fragment_parent

MOMENT = datetime(2024, 2, 1, 12, tzinfo=timezone.utc)
JOURNAL = """\
title: "Cases & <Tests>"
abbreviation: Cases
publisher: "Press & Co"
issn_online: 2413-5496
base_url: https://journal.example.org/sub/
language: en
license: CC-BY-4.0
doi_prefix: "10.5555"
description: "A *journal* of [invented](https://example.org) cases."
crossref:
  name: Depositor
  email: deposits@example.org
  registrant: Press & Co
"""
#: Markdown that makes every kind of JATS block and mixed content, deep nesting included.
RICH_ABSTRACT = """\
Opening *paragraph* with **bold**, `code` and a [link](https://example.org/?a=1&b=2).

# Background

*In vivo* *ex vivo* text\r\nover lines  \nand a hard break.

- one
- two
  1. nested *a*
  2. nested
     > quoted `deep`

```
code block <kept>
  indented
```

| a | b |
|---|---|
| c | *d* |

# Conclusion

Плохо & ещё 中文 \x01 control.
"""


def record(slug: str, volume: str | None, issue: str | None, abstract: str, published: str = "2024-03-05") -> str:
    issue_lines = (f"volume: {volume}\n" if volume else "") + (f"issue: {issue}\n" if issue else "")
    return f"""---
title: "*{slug}* & <title>"
doi: "10.5555/{slug}"
year: 2024
published: {published}
{issue_lines}keywords: ["a & b", "ключ"]
affiliations:
  x:
    name: "Institute <x>"
authors:
  - name: "Ann Example"
    family_name: Example
    given_names: Ann
    orcid: 0000-0002-1825-0097
    affiliations: [x]
  - name: "A Group & Co"
    group: true
references:
  - text: "Cited & work."
    doi: "10.5555/other"
---
{abstract}"""


@pytest.fixture(scope="module")
def assembled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The archive files of a journal with two issues, an article outside any issue, a rich
    abstract and an empty one."""
    source = write_files(
        tmp_path_factory.mktemp("assembly"),
        {
            "journal.yaml": JOURNAL,
            "articles/rich.md": record("rich", "3", "1", RICH_ABSTRACT),
            "articles/plain.md": record("plain", "3", "2", "Just text.", published="2024-01-02"),
            "articles/empty.md": record("empty", "3", "2", ""),
            "articles/loose.md": record("loose", None, None, "Loose *one*.", published="2023-12-31"),
        },
    )
    site = build_site(load_content(source))
    fragments = {article.doi: article_fragments(article, site.journal) for article in site.articles}
    return files_by_path(render_archive_exports(site, MOMENT, fragments=fragments))


def files_by_path(files: list[OutputFile]) -> dict[str, bytes]:
    return {file.path: file.content for file in files}


def serialised_whole(document: bytes) -> bytes:
    """The document's tree serialised by lxml in one go: parsed, the indentation lxml added
    taken out (whitespace with a line break between elements; text written in the records never
    holds such a run between two elements), then pretty-printed again."""
    root = etree.fromstring(document)
    for element in root.iter():
        children = list(element)
        runs = [element.text, *(child.tail for child in children)]
        if children and all(run is None or (run.isspace() and "\n" in run) for run in runs):
            element.text = None
            for child in children:
                child.tail = None
    return to_bytes(root)


XML_FILES = ["doaj.xml", "oai.xml", "sitemap.xml", "feed.xml", "crossref/all.xml"]


@pytest.mark.parametrize("path", XML_FILES)
def test_xml_file_is_what_lxml_writes_for_the_whole_tree(assembled: dict[str, bytes], path: str) -> None:
    assert assembled[path] == serialised_whole(assembled[path])


def test_every_crossref_issue_file_is_what_lxml_writes(assembled: dict[str, bytes]) -> None:
    issue_files = [path for path in assembled if path.startswith("crossref/issue-")]
    assert sorted(issue_files) == ["crossref/issue-3-1.xml", "crossref/issue-3-2.xml"]
    for path in issue_files:
        assert assembled[path] == serialised_whole(assembled[path])


def test_the_archive_deposit_has_each_issue_and_the_loose_article(assembled: dict[str, bytes]) -> None:
    root = etree.fromstring(assembled["crossref/all.xml"])
    ns = {"cr": "http://www.crossref.org/schema/5.3.1", "jats": "http://www.ncbi.nlm.nih.gov/JATS1"}
    journals = root.findall("cr:body/cr:journal", ns)
    dois = [journal.xpath("cr:journal_article/cr:doi_data/cr:doi/text()", namespaces=ns) for journal in journals]
    assert dois == [["10.5555/rich"], ["10.5555/empty", "10.5555/plain"], ["10.5555/loose"]]
    # The fragments bring no namespace declarations of their own: the root's are used.
    assert assembled["crossref/all.xml"].count(b"xmlns=") == 1
    assert root.find(".//jats:abstract/jats:sec/jats:title", ns).text == "Background"


def test_oai_records_declare_no_namespace_the_root_declares(assembled: dict[str, bytes]) -> None:
    assert assembled["oai.xml"].count(b'xmlns:dc="') == 1
    root = etree.fromstring(assembled["oai.xml"])
    assert len(root.findall("{*}ListRecords/{*}record")) == 4


@pytest.mark.parametrize("path", ["articles.json", "doi.json"])
def test_json_file_is_what_json_writes_for_the_whole_value(assembled: dict[str, bytes], path: str) -> None:
    value = json.loads(assembled[path])
    assert len(value) == 4
    assert assembled[path] == dump_json(value)


def test_articles_json_keeps_the_abstract_line_breaks_escaped(assembled: dict[str, bytes]) -> None:
    items = json.loads(assembled["articles.json"])
    rich = next(item for item in items if item["DOI"] == "10.5555/rich")
    assert "\n\nBackground\n\n" in rich["abstract"]


def test_an_archive_without_articles(tmp_path: Path) -> None:
    source = write_files(tmp_path, {"journal.yaml": JOURNAL, "articles/.keep": ""})
    site = build_site(load_content(source))
    files = files_by_path(render_archive_exports(site, MOMENT, fragments={}))
    assert files["articles.json"] == dump_json([]) and files["doi.json"] == dump_json({})
    assert files["doaj.xml"] == to_bytes(etree.Element("records"))
    assert b"<ListRecords metadataPrefix=\"oai_dc\"/>" in files["oai.xml"]
    for path in ("doaj.xml", "oai.xml", "sitemap.xml", "crossref/all.xml"):
        assert files[path] == serialised_whole(files[path])


def test_fragment_is_its_lines_of_the_document() -> None:
    nsmap = {None: "urn:default", "x": "urn:x"}
    whole = etree.Element("{urn:default}root", nsmap=nsmap)
    parent = sub(sub(whole, "{urn:default}list"), "{urn:default}group")
    parts = []
    for text in ("one", "two\nlines & <more>", ""):
        for tree_parent in (parent, fragment_parent(depth=3, nsmap=nsmap)):
            item = sub(tree_parent, "{urn:default}item", kind="a")
            sub(sub(item, "{urn:x}inner"), "{urn:default}text", text)
        parts.append(fragment_bytes(item))
    empty_whole = etree.Element("{urn:default}root", nsmap=nsmap)
    empty_parent = sub(sub(empty_whole, "{urn:default}list"), "{urn:default}group")
    assert to_bytes_with_parts(empty_whole, [(empty_parent, parts)]) == to_bytes(whole)
    assert parts[0].startswith(b"      <item ") and parts[0].endswith(b"</item>\n")


def test_parts_go_to_their_own_slots_and_the_tree_is_left_as_it_was() -> None:
    root = etree.Element("root")
    first, second, third = sub(root, "first"), sub(root, "second"), sub(root, "third")
    sub(second, "own", "kept")
    document = to_bytes_with_parts(root, [(first, [b"  <a/>\n"]), (second, [b"  <b/>\n", b"  <c/>\n"]), (third, [])])
    assert document == (
        b"<?xml version='1.0' encoding='UTF-8'?>\n<root>\n  <first>\n  <a/>\n  </first>\n"
        b"  <second>\n    <own>kept</own>\n  <b/>\n  <c/>\n  </second>\n  <third/>\n</root>\n"
    )
    assert to_bytes(root) == b"<?xml version='1.0' encoding='UTF-8'?>\n<root>\n  <first/>\n  <second>\n    <own>kept</own>\n  </second>\n  <third/>\n</root>\n"


def test_a_marker_written_as_text_is_not_a_slot() -> None:
    root = etree.Element("root")
    sub(root, "title", "<!--caseshelf-part-0-->\n")
    slot = sub(root, "records")
    document = to_bytes_with_parts(root, [(slot, [b"    <record/>\n"])])
    assert etree.fromstring(document).findtext("title") == "<!--caseshelf-part-0-->\n"
    assert len(etree.fromstring(document).findall("records/record")) == 1


def test_escaped_text_is_what_lxml_writes() -> None:
    alphabet = "a&<>\r\n\t \"'é中\x01\x7f\x85\u2028\ufffe]]>"
    rng = random.Random(7)
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
        root = etree.Element("r")
        sub(root, "x", text)
        escaped = escape_text(text)
        expected = f"<r><x>{escaped}</x></r>" if escaped else "<r><x></x></r>"
        assert etree.tostring(root, encoding="UTF-8").decode("utf-8") == expected, repr(text)


def test_without_a_depositor_the_deposit_parts_are_not_made(tmp_path: Path, assembled: dict[str, bytes]) -> None:
    journal = JOURNAL[: JOURNAL.index("crossref:")]
    source = write_files(tmp_path, {"journal.yaml": journal, "articles/rich.md": record("rich", "3", "1", RICH_ABSTRACT)})
    site = build_site(load_content(source))
    fragments = {article.doi: article_fragments(article, site.journal) for article in site.articles}
    assert fragments["10.5555/rich"].crossref == fragments["10.5555/rich"].oai == b""
    files = files_by_path(render_archive_exports(site, MOMENT, fragments=fragments))
    assert not any(path.startswith("crossref/") or path == "oai.xml" for path in files)
    assert files["doaj.xml"] == serialised_whole(files["doaj.xml"])
    with_depositor = etree.fromstring(assembled["doaj.xml"]).xpath("record[doi='10.5555/rich']")[0]
    alone = etree.fromstring(files["doaj.xml"])[0]
    assert etree.tostring(alone, with_tail=False) == etree.tostring(with_depositor, with_tail=False)


def test_sitemap_escapes_a_base_url_that_needs_it(tmp_path: Path) -> None:
    # Page paths are percent-encoded; the base URL is the part XML may need to escape (set
    # here past the loader's checks, as a lenient one would let it through).
    source = write_files(
        tmp_path,
        {"journal.yaml": JOURNAL, "articles/plain.md": record("plain", "3", "2", "Just text.")},
    )
    base_url = "https://journal.example.org/a&b<c>\x01/"
    loaded = load_content(source)
    site = build_site(replace(loaded, journal=replace(loaded.journal, base_url=base_url)))
    [sitemap_file] = render_sitemaps(site)
    sitemap = sitemap_file.content
    assert sitemap == serialised_whole(sitemap)
    locations = etree.fromstring(sitemap).xpath("//*[local-name()='loc']/text()")
    written_base_url = base_url.replace("\x01", "")  # a character XML 1.0 cannot hold
    assert f"{written_base_url}articles/plain/" in locations
    assert all(location.startswith(written_base_url) for location in locations)


def test_fragments_are_kept_compressed_and_given_back_whole() -> None:
    record = b"    <record>\n      <title>" + "Ünïcode & <more>".encode() * 200 + b"</title>\n    </record>\n"
    summary = ArticleSummary(Markup("A <i>case</i>"), "/articles/x/", "A. Author", "J. 2025;1(1):1-2", "10.1/x", "Case report", "https://doi.org/10.1/x")
    fragments = ArticleFragments.pack(crossref=b"", doaj=record, oai=b"", csl=b' {\n  "id": "x"\n }', summary=summary)
    assert (fragments.crossref, fragments.doaj, fragments.oai, fragments.csl) == (b"", record, b"", b' {\n  "id": "x"\n }')
    assert fragments.packed[0] == fragments.packed[2] == b""
    assert len(fragments.packed[1]) < len(record) / 4  # what a build holds for every article
    kept = pickle.loads(pickle.dumps(fragments))  # as the build cache keeps them
    assert kept == fragments and isinstance(kept.summary.title_html, Markup)
