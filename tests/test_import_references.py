"""Reference lists through the real `import` command: a reference the source gives no text for is
cited by its DOI, PMID or link, and one with nothing to cite is left out with a note on the
article's line that names the source file and the reference (its place, id and label), instead
of disappearing without a word. (Crossref's structured references: test_import_formats.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_import_support import FIXTURES, fixture_with, make_content, read_record, run_import

from caseshelf.cli import main
from caseshelf.importers.references import read_jats_reference
from caseshelf.importers.safexml import parse_xml

JATS_RECORD = "articles/2025/12-4/fjpho-2025-12-4-89-96.md"
PUBMED_RECORD = "articles/2025/12-4/fjpho-2025-12-4-89.md"
JATS_TEXTS = [
    "Knez V, Liu X. Clinicopathologic spectrum. Leuk Lymphoma. 2019;60(4):1006–13. doi: 10.1080/10428194.2018.1508667",
    "da Silva CM, et al. Infant acute lymphoblastic leukemia. Lancet. 2007;370:240-250.",
    "WHO classification. Available at: https://www.example.org/who",
]


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return make_content(tmp_path / "content")


def imported_with_references(tmp_path: Path, content: Path, references: str) -> list[dict]:
    """The references of the JATS fixture's record imported with `references` (XML) added to its list."""
    source = fixture_with(tmp_path, "jats-case-report.xml", ("</ref-list>", f"{references}</ref-list>"))
    assert run_import("jats", source, "--source", content) == 0
    fields, _ = read_record(content / JATS_RECORD)
    return fields["references"]


def the_line_of(record: Path, output: str) -> str:
    return next(line for line in output.splitlines() if line.startswith(f"imported {record} "))


def test_jats_references_with_nothing_to_cite_are_left_out_with_a_note_naming_file_and_reference(
        content: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    source = fixture_with(
        tmp_path, "jats-case-report.xml",
        ('<ref id="r2">', '<ref id="r1a"><label>2.</label><mixed-citation publication-type="journal"/></ref>\n<ref id="r2">'),
        ("</ref-list>",
         # An element citation with nothing usable in its parts, and a ref with neither id nor label.
         '<ref id="r5"><element-citation publication-type="journal"><person-group person-group-type="author"/>'
         "<source/><year/></element-citation></ref>\n<ref><mixed-citation> . </mixed-citation></ref></ref-list>"))
    assert run_import("jats", source, "--source", content) == 0
    fields, _ = read_record(content / JATS_RECORD)
    assert [reference["text"] for reference in fields["references"]] == JATS_TEXTS
    line = the_line_of(content / JATS_RECORD, capsys.readouterr().out)
    assert line == (f"imported {content / JATS_RECORD} from {source} (references no. 2 (id r1a, label 2), no. 5 (id r5), "
                    "no. 6 have nothing to cite (no text, DOI, PMID or link): left out of the record)")
    assert main(["check", "--source", str(content)]) == 0


def test_a_jats_reference_without_text_is_cited_by_its_doi_pmid_or_link(
        content: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """An editor would rather keep a citation a reader can follow, and the numbers of the
    references after it, than drop it: its identifier is its text."""
    references = imported_with_references(tmp_path, content, (
        '<ref id="r4"><element-citation><pub-id pub-id-type="doi">10.5555/cited.4</pub-id></element-citation></ref>'
        '<ref id="r5"><mixed-citation><pub-id pub-id-type="pmid">12345678</pub-id></mixed-citation></ref>'
        '<ref id="r6"><mixed-citation><ext-link ext-link-type="uri" xlink:href="https://example.org/registry/6"/>'
        "</mixed-citation></ref>"))
    assert references[3:] == [
        {"text": "doi:10.5555/cited.4", "doi": "10.5555/cited.4"},
        {"text": "PMID 12345678", "pmid": "12345678"},
        {"text": "https://example.org/registry/6", "url": "https://example.org/registry/6"},
    ]
    assert "nothing to cite" not in capsys.readouterr().out
    assert main(["check", "--source", str(content)]) == 0


def test_pubmed_references_with_empty_citations_are_kept_by_pmid_or_left_out_with_a_note(
        content: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    source = fixture_with(tmp_path, "pubmed.xml", ("</ReferenceList>", (
        "<Reference><Citation/></Reference>"
        "<Reference><Citation> </Citation><ArticleIdList><ArticleId IdType=\"pubmed\">17658395</ArticleId>"
        "</ArticleIdList></Reference></ReferenceList>")))
    assert run_import("pubmed", source, "--source", content) == 0
    fields, _ = read_record(content / PUBMED_RECORD)
    assert [reference["text"][:10] for reference in fields["references"]] == ["Knez V, Li", "Pieters R.", "PMID 17658"]
    line = the_line_of(content / PUBMED_RECORD, capsys.readouterr().out)
    assert line == (f"imported {content / PUBMED_RECORD} from {source} (article 1) "
                    "(reference no. 3 has nothing to cite (no text, DOI or PMID): left out of the record)")
    assert main(["check", "--source", str(content)]) == 0


def test_a_source_whose_references_all_cite_something_gets_no_note(content: Path, capsys: pytest.CaptureFixture) -> None:
    assert run_import("jats", FIXTURES / "jats-case-report.xml", "--source", content) == 0
    assert "nothing to cite" not in capsys.readouterr().out


def test_a_jats_book_citation_ends_with_its_isbn_labelled(content: Path, tmp_path: Path) -> None:
    """Composed as Crossref's are (`ISBN 978…`), not a bare number left over at the end; a
    source's own label (`ISBN-13:`) is not written twice."""
    references = imported_with_references(tmp_path, content, (
        '<ref id="r7"><element-citation publication-type="book"><person-group person-group-type="author">'
        "<name><surname>Pui</surname><given-names>CH</given-names></name></person-group>"
        "<source>Childhood Leukemias</source><edition>3</edition><publisher-loc>Cambridge</publisher-loc>"
        "<publisher-name>Cambridge University Press</publisher-name><year>2012</year>"
        "<isbn>978-0-521-19661-1</isbn></element-citation></ref>"
        '<ref id="r8"><element-citation publication-type="book"><source>Atlas of Hematology</source>'
        "<year>2020</year><isbn>ISBN-13: 9781234567897</isbn></element-citation></ref>"))
    assert [reference["text"] for reference in references][-2:] == [
        "Pui CH. Childhood Leukemias. 3rd ed. Cambridge: Cambridge University Press. 2012. ISBN 978-0-521-19661-1.",
        "Atlas of Hematology. 2020. ISBN 9781234567897.",
    ]


def test_a_jats_book_citation_with_two_isbns_labels_both() -> None:
    """A book's print and electronic ISBNs: the second was left over at the end as a bare
    number, and `ISBN13:` was written as `ISBN 13: …`."""
    ref = parse_xml(b'<ref id="r9"><element-citation publication-type="book"><source>Atlas of Hematology</source>'
                    b'<year>2020</year><isbn publication-format="print">ISBN13: 9781234567897</isbn>'
                    b'<isbn publication-format="electronic">978-1-23-456790-3</isbn></element-citation></ref>')
    assert read_jats_reference(ref).text == "Atlas of Hematology. 2020. ISBN 9781234567897. ISBN 978-1-23-456790-3."


def test_a_reference_whose_text_is_only_punctuation_has_nothing_to_cite(
        content: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """`();` or `—` was kept as the reference's text, a junk line in the list, though the README
    says a reference whose text is only punctuation is left out; PubMed's and Crossref's alike."""
    jats = fixture_with(tmp_path, "jats-case-report.xml", ("</ref-list>", (
        '<ref id="r7"><mixed-citation>(); </mixed-citation></ref><ref id="r8"><mixed-citation>—</mixed-citation></ref>'
        '<ref id="r9"><mixed-citation>[ ]</mixed-citation><pub-id pub-id-type="pmid">12345678</pub-id></ref></ref-list>')))
    pubmed = fixture_with(tmp_path, "pubmed.xml", ("</ReferenceList>", "<Reference><Citation>.</Citation></Reference></ReferenceList>"))
    assert run_import("jats", jats, "--source", content) == 0
    assert run_import("pubmed", pubmed, "--source", content) == 0
    jats_fields, _ = read_record(content / JATS_RECORD)
    assert [reference["text"] for reference in jats_fields["references"]] == [*JATS_TEXTS, "PMID 12345678"]
    pubmed_fields, _ = read_record(content / PUBMED_RECORD)
    assert [reference["text"][:10] for reference in pubmed_fields["references"]] == ["Knez V, Li", "Pieters R."]
    shown = capsys.readouterr().out
    assert the_line_of(content / JATS_RECORD, shown).endswith(
        "(references no. 4 (id r7), no. 5 (id r8) have nothing to cite (no text, DOI, PMID or link): left out of the record)")
    assert the_line_of(content / PUBMED_RECORD, shown).endswith(
        "(reference no. 3 has nothing to cite (no text, DOI or PMID): left out of the record)")
    assert main(["check", "--source", str(content)]) == 0


def test_an_element_citations_spelled_out_given_names_become_initials(content: Path, tmp_path: Path) -> None:
    """The composed text is Vancouver's, which writes initials (`Smith J`); OJS's JATS spells
    given names out. Given names that are not all spelled out are kept as the source tags them:
    real reference lists put the rest of a family name there (`Sousa` + `Neto MD`). A mixed
    citation's names are its publisher's, kept as written."""
    references = imported_with_references(tmp_path, content, (
        '<ref id="r7"><element-citation publication-type="journal"><person-group person-group-type="author">'
        "<name><surname>Smith</surname><given-names>John</given-names></name>"
        "<name><surname>Dupont</surname><given-names>Jean-Pierre</given-names></name>"
        "<name><surname>Иванова</surname><given-names>Мария Петровна</given-names></name>"
        "<name><surname>Sousa</surname><given-names>Neto MD</given-names></name>"
        "<name><surname>王</surname><given-names>小明</given-names></name>"
        "<name><surname>Pui</surname><given-names>C.-H.</given-names></name></person-group>"
        "<article-title>An invented study</article-title><source>Invented J</source><year>2024</year>"
        "<volume>3</volume><fpage>1</fpage><lpage>9</lpage></element-citation></ref>"
        '<ref id="r8"><mixed-citation publication-type="journal">'
        "<name><surname>Smith</surname><given-names>John</given-names></name>. An invented note. Invented J. 2024.</mixed-citation></ref>"))
    assert [reference["text"] for reference in references][-2:] == [
        "Smith J, Dupont JP, Иванова МП, Sousa Neto MD, 王 小明, Pui C.-H. An invented study. Invented J. 2024;3:1-9.",
        "Smith John. An invented note. Invented J. 2024.",
    ]
    assert main(["check", "--source", str(content)]) == 0
