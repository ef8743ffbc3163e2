"""Parts of the XML exports written as text instead of built with lxml: escaped and laid out
exactly as lxml writes the same elements, whatever the text holds."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest
from lxml import etree

from caseshelf.exports import paths
from caseshelf.exports.crossref import CROSSREF_NS as CROSSREF
from caseshelf.exports.crossref import JATS_NS
from caseshelf.exports.crossref import article_fragment as crossref_fragment
from caseshelf.exports.crossref import render_crossref
from caseshelf.exports.doaj import article_fragment as doaj_fragment
from caseshelf.exports.doaj import render_doaj
from caseshelf.exports.jats import render_jats
from caseshelf.exports.jats_markup import append_blocks, append_inline
from caseshelf.exports.oai import article_fragment as oai_fragment
from caseshelf.exports.oai import render_oai
from caseshelf.exports.xml import (
    XLINK_NS,
    TextElement,
    clean,
    element_line,
    element_lines,
    escape_attribute,
    escape_text,
    lines_bytes,
    sub,
    to_bytes,
)
from caseshelf.loading import load_content
from caseshelf.model import Article, Journal
from caseshelf.site import build_site
from conftest import write_files
from lxml_layout import append_text, fragment_bytes, fragment_parent

HOSTILE = [
    "plain words",
    "a < b && c > d",
    "say \"hi\" & 'bye'",
    "tab\there, line\nbreak, carriage\rreturn, both\r\n",
    "controls \x01\x08\x0b\x0c\x1f and \x7f \x85 stay or go",
    "non-characters \ufffe\uffff",
    "]]> <!-- not a comment --> <![CDATA[x]]> &amp; &#60;",
    "Ünïcödé 中文 \u2028 Ωμέγα",
    "",
]
XLINK_HREF = "{%s}href" % XLINK_NS
OAI = {
    "r": "http://www.openarchives.org/OAI/2.0/static-repository",
    "oai": "http://www.openarchives.org/OAI/2.0/",
    "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
    "dc": "http://purl.org/dc/elements/1.1/",
}


@pytest.mark.parametrize("text", HOSTILE)
def test_escaping_is_what_lxml_writes(text: str) -> None:
    element = etree.Element("x", v=clean(text))
    element.text = clean(text)
    expected = etree.tostring(element, encoding="UTF-8")
    assert f'<x v="{escape_attribute(text)}">{escape_text(text)}</x>'.encode() == expected


@pytest.mark.parametrize("depth", [1, 3])
def test_elements_written_as_text_are_what_lxml_writes(depth: int) -> None:
    outer = etree.SubElement(fragment_parent(depth), "outer", name="x")
    inner_lines = []
    for number, text in enumerate(HOSTILE):
        sub(outer, "leaf", text, n=str(number), value=text)
        inner_lines.append(element_line("leaf", text, {"n": str(number), "value": text}))
    sub(sub(outer, "empty"), "leaf")
    sub(outer, "empty", None, value="&")
    children = [*inner_lines, *element_lines("empty", [element_line("leaf")]), *element_lines("empty", [], {"value": "&"})]
    assert lines_bytes(element_lines("outer", children, {"name": "x"}), depth) == fragment_bytes(outer)


#: Markdown of every kind an abstract or a title may hold, alone and two by two below.
MARKDOWN = [
    "plain words", "*em*", "**strong**", "~~gone~~", "`code`", "[link](https://x.org/a?b=1&c=2)", "![alt *x*](i.png)",
    "<b>raw</b> & < >", "# H1", "### H3 with *em*", "- a\n- b", "1. one\n2. two", "- a\n\n- b\n\n  para", "> quote *x*",
    "    code block\n    more", "```\nfence < &\n```", "| a | b |\n|---|---|\n| c | d |", "line one\nline two",
    "hard  \nbreak", "*a* **b**", "***both***", "[](https://empty.org)", "x\x01y\x0b", "\x01", "*\x01*", "- *only em*",
    "> - list in quote", "> ```\n> code\n> ```", "- > quote in list", "1. a\n   - nested\n     - deeper",
    "<https://auto.link>", "a \\* b", "&amp; &copy; &#60;", "[a *b* c](u)", "***", "",
]  # fmt: skip
XLINK_NAMESPACE = {"xlink": XLINK_NS}


def _as_lxml_writes(element: TextElement, depth: int) -> bytes:
    """The element built with lxml where a file's root declares xlink, written as lxml writes it."""
    return fragment_bytes(_built_with_lxml(element, fragment_parent(depth, XLINK_NAMESPACE)))


def _built_with_lxml(element: TextElement, parent: etree._Element) -> etree._Element:
    attributes = {name.replace("xlink:", "{%s}" % XLINK_NS): clean(value) for name, value in element.attributes}
    built = etree.SubElement(parent, element.tag, attributes)
    for child in element.content:
        if isinstance(child, str):
            append_text(built, child)
        else:
            _built_with_lxml(child, built)
    return built


@pytest.mark.parametrize("markdown", [*MARKDOWN, *("\n\n".join(pair) for pair in zip(MARKDOWN, reversed(MARKDOWN)))])
def test_markdown_written_as_jats_text_is_what_lxml_writes(markdown: str) -> None:
    """An abstract's elements are laid out as libxml2 lays out the same tree: children on lines
    of their own only where no text sits beside them (an empty text too), `<tag/>` when empty."""
    abstract = TextElement("abstract")
    append_blocks(abstract, markdown)
    title = TextElement("article-title")
    append_inline(title, markdown)
    for depth in (1, 3):
        assert lines_bytes(abstract.lines(), depth) == _as_lxml_writes(abstract, depth)
        assert lines_bytes(title.lines(), depth) == _as_lxml_writes(title, depth)


def test_elements_with_and_without_text_beside_their_children() -> None:
    """The layouts the test above relies on meeting, written out."""
    abstract = TextElement("abstract")
    append_blocks(abstract, "*alone*\n\ntext and *more*\n\n\x01")
    assert abstract.lines() == [
        "<abstract>", "  <p>", "    <italic>alone</italic>", "  </p>", "  <p>text and <italic>more</italic></p>", "  <p></p>", "</abstract>",
    ]  # fmt: skip
    empty = TextElement("abstract")
    append_blocks(empty, "")
    assert empty.lines() == ["<abstract/>"]


def _yaml(text: str) -> str:
    """A YAML double-quoted scalar: JSON's escapes (\\u0001, \\", \\n) are YAML's too."""
    return json.dumps(text)


def hostile_article(tmp_path: Path) -> tuple[Article, Journal]:
    references = "".join(
        f"  - text: {_yaml('Cited ' + text + ' work.')}\n"
        + (f'    doi: "10.5555/ref.{number}"\n' if number % 3 == 0 else "")
        + (f'    pmid: "{number + 1000}"\n' if number % 2 == 0 else "")
        + (f"    url: {_yaml(url)}\n" if url else "")
        for number, (text, url) in enumerate(
            zip(HOSTILE, ["https://example.org/a?b=1&c='2'", "", "https://example.org/ü", ""] * 3), start=1
        )
    )
    write_files(
        tmp_path,
        {
            "journal.yaml": "title: J\nbase_url: https://example.org/\nlanguage: en\nlicense: CC-BY-4.0\n"
            'doi_prefix: "10.5555"\nissn_online: 2413-5496\n'
            "crossref:\n  name: D\n  email: d@example.org\n  registrant: R\n",
            "articles/hostile.md": f"---\ntitle: {_yaml('Hostile ' + HOSTILE[2] + HOSTILE[4])}\n"
            f'doi: "10.5555/hostile"\ntype: case-report\nlanguage: en\nyear: 2024\n'
            f"keywords: [{', '.join(_yaml(text) for text in HOSTILE if text)}]\n"
            f"affiliations:\n  a:\n    name: {_yaml(HOSTILE[1] + HOSTILE[3])}\n"
            f"authors:\n  - name: {_yaml('A. ' + HOSTILE[2])}\n    affiliations: [a]\n"
            f"    degrees: {_yaml(HOSTILE[4])}\n    position: {_yaml(HOSTILE[6])}\n"
            f'    email: "a@example.org"\n    corresponding: true\n    orcid: "0000-0002-1825-0097"\n'
            f"  - name: {_yaml('The <Group> & ' + HOSTILE[3])}\n    group: true\n"
            f"references:\n{references}---\n{HOSTILE[1]} & {HOSTILE[6]}\n",
        },
    )
    site = build_site(load_content(tmp_path))
    (article,) = site.articles
    return article, site.journal


def test_the_contributors_and_references_are_what_lxml_writes(tmp_path: Path) -> None:
    article, journal = hostile_article(tmp_path)
    assert len(article.references) == len(HOSTILE)
    tree = reread(render_jats(article, journal))
    contribs = tree.findall("front/article-meta/contrib-group/contrib")
    assert [c.findtext("name/surname") or c.findtext("collab") for c in contribs] == [
        clean(author.family_name) for author in article.authors
    ]
    assert (contribs[0].get("corresp"), contribs[0].findtext("role")) == ("yes", clean(HOSTILE[6]))
    refs = tree.findall("back/ref-list/ref")
    assert [(ref.get("id"), ref.findtext("label")) for ref in refs] == [
        (f"B{number}", str(number)) for number in range(1, len(refs) + 1)
    ]
    for ref, reference in zip(refs, article.references):
        citation = ref.find("mixed-citation")
        assert citation.text.startswith(clean(reference.text))
        assert citation.findtext("pub-id[@pub-id-type='doi']") == reference.doi
        assert citation.findtext("pub-id[@pub-id-type='pmid']") == reference.pmid
        link = citation.find("ext-link")
        if reference.url and not reference.doi:
            assert (link.text, link.get(XLINK_HREF), link.get("ext-link-type")) == (reference.url,) * 2 + ("uri",)
        else:
            assert link is None


def test_the_doaj_record_is_what_lxml_writes(tmp_path: Path) -> None:
    article, journal = hostile_article(tmp_path)
    document = render_doaj(build_site(load_content(tmp_path)), {article.doi: doaj_fragment(article, journal)})
    record = reread(document).getroot().find("record")
    assert record.findtext("authors/author/name") == clean(article.authors[0].name)
    assert record.findtext("affiliationsList/affiliationName") == clean(article.affiliations[0].name)
    assert [keyword.text for keyword in record.iterfind("keywords/keyword")] == [clean(k) for k in article.keywords]
    assert {element.get("language") for element in record.iterfind("*[@language]")} == {"eng"}


def test_the_oai_record_is_what_lxml_writes(tmp_path: Path) -> None:
    article, journal = hostile_article(tmp_path)
    document = render_oai(build_site(load_content(tmp_path)), {article.doi: oai_fragment(article, journal)})
    dc = reread(document).getroot().find("r:ListRecords/oai:record/oai:metadata/oai_dc:dc", OAI)
    assert [element.text for element in dc.iterfind("dc:subject", OAI)] == [clean(k) for k in article.keywords]
    author = article.authors[0]
    assert dc.findtext("dc:creator", namespaces=OAI) == clean(f"{author.family_name}, {author.given_names}")


def test_the_crossref_deposit_is_what_lxml_writes(tmp_path: Path) -> None:
    article, journal = hostile_article(tmp_path)
    site = build_site(load_content(tmp_path))
    linked = replace(article, abstract=f"{article.abstract}\n\nSee [the *registry*](https://example.org/r?a=1&b=2).")
    for record in (article, linked):
        files = render_crossref(site, datetime(2024, 2, 1, tzinfo=timezone.utc), {record.doi: crossref_fragment(record, journal)})
        (deposit,) = [file.content for file in files if file.path == paths.CROSSREF_ALL]
        tree = reread(deposit).getroot()
        entry = tree.find(f"{{{CROSSREF}}}body/{{{CROSSREF}}}journal/{{{CROSSREF}}}journal_article")
        surnames = entry.findall(f".//{{{CROSSREF}}}surname")
        assert [surname.text for surname in surnames] == [clean(article.authors[0].family_name)]
        citations = entry.findall(f"{{{CROSSREF}}}citation_list/{{{CROSSREF}}}citation/{{{CROSSREF}}}unstructured_citation")
        assert [citation.text for citation in citations] == [clean(reference.text) for reference in article.references]
    link = entry.find(f".//{{{JATS_NS}}}ext-link")
    assert (link.get(XLINK_HREF), "".join(link.itertext())) == ("https://example.org/r?a=1&b=2", "the registry")
    assert b'xlink:href="https://example.org/r?a=1&amp;b=2"' in deposit  # the root declares xlink: no prefix of lxml's own


def reread(document: bytes) -> etree._ElementTree:
    """The document parsed, after checking that lxml writing the tree it reads back (without the
    layout) gives the same bytes: only so if the parts written as text are indented and
    escaped as lxml does it."""
    tree = etree.fromstring(document, etree.XMLParser(remove_blank_text=True)).getroottree()
    assert to_bytes(tree.getroot(), tree.docinfo.doctype or None) == document
    return tree
