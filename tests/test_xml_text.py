"""Parts of the XML exports written as text instead of built with lxml: escaped and laid out
exactly as lxml writes the same elements, whatever the text holds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree

from caseshelf.exports.jats import render_jats
from caseshelf.exports.xml import clean, escape_attribute, escape_text, to_bytes
from caseshelf.loading import load_content
from caseshelf.model import Article, Journal
from caseshelf.site import build_site
from conftest import write_files

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
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


@pytest.mark.parametrize("text", HOSTILE)
def test_escaping_is_what_lxml_writes(text: str) -> None:
    element = etree.Element("x", v=clean(text))
    element.text = clean(text)
    expected = etree.tostring(element, encoding="UTF-8")
    assert f'<x v="{escape_attribute(text)}">{escape_text(text)}</x>'.encode() == expected


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
            'doi_prefix: "10.5555"\nissn_online: 2413-5496\n',
            "articles/hostile.md": f'---\ntitle: Hostile references\ndoi: "10.5555/hostile"\ntype: case-report\n'
            f"language: en\nyear: 2024\nauthors:\n  - name: A. Author\nreferences:\n{references}---\nAn abstract.\n",
        },
    )
    site = build_site(load_content(tmp_path))
    (article,) = site.articles
    return article, site.journal


def test_the_reference_list_is_what_lxml_writes(tmp_path: Path) -> None:
    article, journal = hostile_article(tmp_path)
    assert len(article.references) == len(HOSTILE)
    document = render_jats(article, journal)
    # lxml writing the tree it reads back (without the layout) gives the same bytes only if the
    # text parts are indented and escaped as lxml does it.
    tree = etree.fromstring(document, etree.XMLParser(remove_blank_text=True)).getroottree()
    assert to_bytes(tree.getroot(), tree.docinfo.doctype) == document
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
