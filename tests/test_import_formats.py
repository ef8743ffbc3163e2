"""Hand-written JATS, Crossref (JSON and deposit XML) and PubMed fixtures: each imports into the
record format with the fields it carries, and the records pass `check`.

Three records are compared whole with reviewed files in tests/fixtures/import/expected/. When the
record format changes on purpose, regenerate them with
`python build.py import <format> tests/fixtures/import/<fixture> --into /tmp/x`, review the diff,
and copy them over.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from test_import_support import JOURNAL_YAML, crossref_work, fixture_with, make_content, read_record, records_by_doi, run_import

from caseshelf.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "import"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return make_content(tmp_path / "content")


@pytest.mark.parametrize(
    ("fmt", "fixture", "record", "expected"),
    [
        ("jats", "jats-case-report.xml", "2025/12-4/fjpho-2025-12-4-89-96.md", "jats-case-report.md"),
        ("crossref", "crossref-work.json", "2025/12-4/crj-2025-0412.md", "crossref-work.md"),
        ("pubmed", "pubmed.xml", "2025/12-4/fjpho-2025-12-4-89.md", "pubmed-first-article.md"),
    ],
)
def test_record_is_exactly_the_reviewed_one(content: Path, fmt: str, fixture: str, record: str, expected: str) -> None:
    assert run_import(fmt, FIXTURES / fixture, "--source", content) == 0
    written = content / "articles" / record
    assert written.read_text(encoding="utf-8") == (FIXTURES / "expected" / expected).read_text(encoding="utf-8")
    assert main(["check", "--source", str(content)]) == 0


def test_jats_fields(content: Path) -> None:
    run_import("jats", FIXTURES / "jats-case-report.xml", "--source", content)
    fields, body = read_record(content / "articles/2025/12-4/fjpho-2025-12-4-89-96.md")
    assert fields["title"] == "Infant *KMT2A*-rearranged leukemia with CD34⁺ blasts, **H₂O₂** and IL-1beta"
    assert (fields["type"], fields["language"], fields["year"]) == ("case-report", "ru", 2025)
    assert (fields["volume"], fields["issue"], fields["pages"]) == ("12", "4", "89-96")
    assert fields["published"] == date(2025, 12, 15)
    assert fields["license"] == "CC-BY-4.0"
    assert fields["keywords"] == ["infant leukemia", "KMT2A rearrangement"]  # the site's English, not the Russian group
    assert fields["affiliations"]["aff1"] == {
        "name": "N.N. Blokhin National Medical Research Centre of Oncology, Ministry of Health of Russia",
        "address": "23 Kashirskoe Shosse, Moscow, 115522",
        "country": "Russian Federation",
    }
    first, second, group = fields["authors"]
    assert first == {
        "name": "Елена Борисовна Мачнева", "family_name": "Мачнева", "given_names": "Елена Борисовна",
        "orcid": "0000-0002-1825-0097", "degrees": "Cand. of Sci. (Med.)",
        "position": "Hematologist, Department of Pediatric Oncology",  # the CRediT role is not a position
        "affiliations": ["aff1"], "email": "machneva@example.org", "corresponding": True,
    }
    assert second["name"] == "John Smith Jr." and second["affiliations"] == ["aff1", "aff2"]
    assert group == {"name": "Fictional Pediatric Leukemia Study Group", "group": True}
    assert fields["references"][1] == {"text": "da Silva CM, et al. Infant acute lymphoblastic leukemia. Lancet. 2007;370:240-250.",
                                       "pmid": "17658395"}
    assert fields["references"][2]["url"] == "https://www.example.org/who"
    assert "### Background" in body and "#### Treatment" in body and "- hyperleukocytosis;" in body
    assert "teaser" not in body and "translated" not in body.lower()


def test_crossref_json_fields(content: Path) -> None:
    run_import("crossref", FIXTURES / "crossref-work.json", "--source", content)
    fields, body = read_record(content / "articles/2025/12-4/crj-2025-0412.md")
    assert fields["title"] == "Infant *KMT2A*-rearranged leukemia with CD34⁺ blasts and H₂O₂ sensitivity: a case report"
    assert "type" not in fields and "keywords" not in fields  # Crossref records neither
    assert (fields["year"], fields["pages"], fields["published"]) == (2025, "89-96", date(2025, 12, 15))
    assert [a["name"] for a in fields["authors"]] == [
        "Erik B. Machneva", "Ольга Игоревна Бурлуцкая", "Fictional Pediatric Leukemia Study Group", "Ann Other"]
    assert fields["authors"][0]["orcid"] == "0000-0002-1825-0097"
    assert "orcid" not in fields["authors"][3]  # 0000-0002-1825-0098 fails the ORCID checksum
    assert fields["authors"][1]["affiliations"] == ["aff1", "aff2"]
    assert fields["references"][1]["text"] == "Pieters R. Infant acute lymphoblastic leukemia. Lancet. 2007;370(9583):240."
    assert fields["references"][2] == {"text": "doi:10.5555/crj.2024.0101", "doi": "10.5555/crj.2024.0101"}
    assert body.splitlines()[0] == "### Background" and "10⁹/L" in body


def test_crossref_works_list_imports_every_item_and_reports_the_one_without_doi(
    content: Path, capsys: pytest.CaptureFixture
) -> None:
    assert run_import("crossref", FIXTURES / "crossref-works-list.json", "--source", content) == 1
    out, err = capsys.readouterr()
    assert "crossref-works-list.json (article 2): no DOI in the source" in err
    assert out.strip().splitlines()[-1] == "imported 2, updated 0, unchanged 0, skipped 0, failed 1"
    records = records_by_doi(content / "articles")
    assert set(records) == {"10.5555/crj.2024.0101", "10.5555/crj.2024.0102"}
    assert records["10.5555/crj.2024.0101"][1]["pages"] == "e0101"
    assert main(["check", "--source", str(content)]) == 0


def test_crossref_deposit_xml_5(content: Path) -> None:
    assert run_import("crossref", FIXTURES / "crossref-deposit-5.xml", "--source", content) == 0
    fields, body = read_record(content / "articles/2025/12-4/fjph-2025-12-4-89.md")
    assert fields["title"] == "Successful treatment of *BCR::ABL1*-positive leukemia in a child with Ca²⁺ channelopathy"
    assert (fields["language"], fields["license"], fields["published"]) == ("ru", "CC-BY-NC-ND-4.0", date(2025, 12, 15))
    assert fields["affiliations"] == {"aff1": {"name": "Department of Pediatric Oncology, N.N. Blokhin National Medical Research Centre of Oncology",
                                              "address": "Moscow, Russian Federation"}}
    assert [a["name"] for a in fields["authors"]] == ["Erik B. Machneva", "Ксения Мигунова Jr.", "Fictional Bone Marrow Transplant Consortium"]
    assert fields["references"][1]["text"] == "Pui CH. Childhood acute lymphoblastic leukemia: progress through collaboration. Blood. 2012;120(6):1165."
    assert body == "A fictional abstract with *italics* and a second sentence.\n\nSecond paragraph.\n"
    assert main(["check", "--source", str(content)]) == 0


def test_crossref_deposit_xml_of_schema_5_4_as_ojs_exports_it(content: Path, tmp_path: Path) -> None:
    """OJS's Crossref XML export plugin (pkp/crossref-ojs) writes schema 5.4.0: read as 5.3.1 is."""
    deposit = tmp_path / "ojs-crossref-export.xml"
    deposit.write_text((FIXTURES / "crossref-deposit-5.xml").read_text(encoding="utf-8").replace("5.3.1", "5.4.0"), encoding="utf-8")
    assert 'xmlns="http://www.crossref.org/schema/5.4.0"' in deposit.read_text(encoding="utf-8")
    assert run_import("crossref", deposit, "--source", content) == 0
    fields, body = read_record(content / "articles/2025/12-4/fjph-2025-12-4-89.md")
    assert fields["title"] == "Successful treatment of *BCR::ABL1*-positive leukemia in a child with Ca²⁺ channelopathy"
    assert [a["name"] for a in fields["authors"]] == ["Erik B. Machneva", "Ксения Мигунова Jr.", "Fictional Bone Marrow Transplant Consortium"]
    assert len(fields["references"]) > 1 and fields["affiliations"]["aff1"]["address"] == "Moscow, Russian Federation"
    assert body == "A fictional abstract with *italics* and a second sentence.\n\nSecond paragraph.\n"


def test_crossref_deposit_xml_4(content: Path) -> None:
    assert run_import("crossref", FIXTURES / "crossref-deposit-4.xml", "--source", content) == 0
    fields, _ = read_record(content / "articles/2024/11-1/fj-2024-e0101.md")
    assert fields["pages"] == "e0101"
    assert fields["authors"][0]["orcid"] == "0000-0002-1694-233X"
    assert fields["affiliations"]["aff1"]["name"] == "Example University Hospital, Oslo, Norway"


def test_pubmed_fields(content: Path) -> None:
    assert run_import("pubmed", FIXTURES / "pubmed.xml", "--source", content) == 0
    records = records_by_doi(content / "articles")
    _, first, body = records["10.5555/fjpho.2025.12.4.89"]
    assert first["title"] == "Infant leukemia with *KMT2A* rearrangement and CD34⁺ blasts: a case report"
    assert (first["type"], first["language"]) == ("case-report", "ru")
    assert first["authors"][0]["email"] == "machneva@example.org"
    assert first["affiliations"]["aff1"]["name"] == "N.N. Blokhin National Medical Research Centre of Oncology, Moscow, Russian Federation"
    assert first["references"][0] == {
        "text": "Knez V, Liu X, Schowinsky J. Clinicopathologic and genetic spectrum. Leuk Lymphoma. 2019;60(4):1006-13.",
        "doi": "10.1080/10428194.2018.1508667", "pmid": "30322333"}
    assert [line for line in body.splitlines() if line.startswith("###")] == [
        "### Background", "### Case presentation", "### Conclusions"]
    _, second, _ = records["10.5555/fj.2024.11.2.1006"]
    assert (second["year"], second["pages"], second["type"]) == (2024, "1006-1013", "review")
    assert second["title"] == "[Abbreviated page ranges in MEDLINE]"
    assert main(["check", "--source", str(content)]) == 0


def test_values_yaml_would_misread_come_back_as_the_same_strings(content: Path, tmp_path: Path) -> None:
    source = tmp_path / "traps.xml"
    source.write_text(
        """<article article-type="letter" xml:lang="no"><front><article-meta>
        <article-id pub-id-type="doi">10.5555/0123</article-id>
        <title-group><article-title>No</article-title></title-group>
        <contrib-group><contrib contrib-type="author"><name><surname>Null</surname><given-names>Yes</given-names></name></contrib></contrib-group>
        <pub-date pub-type="epub"><day>1</day><month>2</month><year>2024</year></pub-date>
        <volume>1.10</volume><issue>08</issue><elocation-id>e012</elocation-id>
        <kwd-group><kwd>2025-01-01</kwd><kwd>on</kwd><kwd>1e3</kwd></kwd-group>
        </article-meta></front><back><ref-list><ref><mixed-citation>True. <pub-id pub-id-type="pmid">0123</pub-id></mixed-citation></ref></ref-list></back></article>""",
        encoding="utf-8",
    )
    assert run_import("jats", source, "--source", content) == 0
    fields, _ = read_record(next((content / "articles").rglob("*.md")))
    assert fields["title"] == "No" and fields["language"] == "no" and fields["type"] == "letter"
    assert (fields["doi"], fields["volume"], fields["issue"], fields["pages"]) == ("10.5555/0123", "1.10", "08", "e012")
    assert fields["keywords"] == ["2025-01-01", "on", "1e3"]
    assert fields["authors"][0] == {"name": "Yes Null", "family_name": "Null", "given_names": "Yes"}
    assert fields["references"] == [{"text": "True.", "pmid": "0123"}]
    assert main(["check", "--source", str(content)]) == 0


def test_a_license_caseshelf_does_not_know_is_left_out_with_a_note(content: Path, tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture) -> None:
    source = tmp_path / "igo.xml"
    source.write_text(
        (FIXTURES / "jats-case-report.xml").read_text(encoding="utf-8").replace(
            "https://creativecommons.org/licenses/by/4.0/", "https://creativecommons.org/licenses/by/3.0/igo/"),
        encoding="utf-8",
    )
    assert run_import("jats", source, "--source", content) == 0
    out = capsys.readouterr().out
    assert ("license https://creativecommons.org/licenses/by/3.0/igo/ is not one caseshelf knows: "
            "the record falls back to the journal's license") in out
    fields, _ = read_record(content / "articles/2025/12-4/fjpho-2025-12-4-89-96.md")
    assert "license" not in fields


def jats_reference(citation_xml: str):
    from caseshelf.importers.references import read_jats_reference
    from caseshelf.importers.safexml import parse_xml
    return read_jats_reference(parse_xml(f"<ref><label>1</label>{citation_xml}</ref>".encode()))


def test_an_element_citation_keeps_its_editors_edition_and_comments() -> None:
    reference = jats_reference(
        "<element-citation publication-type='book'>"
        "<person-group person-group-type='author'><name><surname>Lockwood</surname><given-names>DNJ</given-names></name></person-group>"
        "<chapter-title>Leprosy</chapter-title><comment>In:</comment>"
        "<person-group person-group-type='editor'><name><surname>Burns</surname><given-names>DA</given-names></name>"
        "<name><surname>Cox</surname><given-names>NH</given-names></name></person-group><comment>editors</comment>"
        "<source>Rook's Textbook of Dermatology</source><edition>7</edition>"
        "<publisher-loc>Oxford</publisher-loc><publisher-name>Blackwell</publisher-name><year>2004</year>"
        "<fpage>29.1</fpage><lpage>29.21</lpage>"
        "<comment>Available: <ext-link xlink:href='https://example.org/rook' xmlns:xlink='http://www.w3.org/1999/xlink'>"
        "https://example.org/rook</ext-link>. Accessed 19 May 2009</comment>"
        "<comment>doi:10.5555/rook.29</comment></element-citation>"
    )
    assert reference.text == (
        "Lockwood DNJ. Leprosy. In: Burns DA, Cox NH, editors. Rook's Textbook of Dermatology. 7th ed. "
        "Oxford: Blackwell. 2004:29.1-29.21. Available: https://example.org/rook. Accessed 19 May 2009."
    )
    assert reference.doi == "10.5555/rook.29"


def test_an_edited_book_is_led_by_its_editors() -> None:
    reference = jats_reference(
        "<element-citation><person-group person-group-type='editor'><name><surname>Green</surname>"
        "<given-names>S</given-names></name></person-group><source>Cochrane handbook</source><edition>11</edition>"
        "<year>2005</year></element-citation>"
    )
    assert reference.text == "Green S, editor. Cochrane handbook. 11th ed. 2005."


SICI_DOI = "10.1002/(SICI)1097-0142(19960101)77:1<1::AID-CNCR1>3.0.CO;2-K"
SICI_IN_XML = SICI_DOI.replace("<", "&lt;").replace(">", "&gt;")


@pytest.mark.parametrize(
    "written",
    [
        f"doi:{SICI_IN_XML}.",  # at the end of the sentence
        f"(doi:{SICI_IN_XML}).",  # in brackets the DOI did not open
        f"&lt;doi:{SICI_IN_XML}&gt;.",  # in angle brackets, as some lists set a link
    ],
)
def test_an_old_wiley_doi_written_in_a_citation_is_found_whole(written: str) -> None:
    """A SICI DOI holds `<` and `>`: cut at its `<`, it was another DOI, and a wrong one."""
    reference = jats_reference(f"<mixed-citation>Old W. A 1996 paper. Cancer. 1996;77:1-5. {written}</mixed-citation>")
    assert reference.doi == SICI_DOI


def test_a_doi_in_angle_brackets_it_did_not_open_is_found_without_them() -> None:
    reference = jats_reference("<mixed-citation>Smith J. A paper. 2019. &lt;https://doi.org/10.5555/x.1&gt;</mixed-citation>")
    assert reference.doi == "10.5555/x.1"


@pytest.mark.parametrize(
    "written",
    [
        # As browsers copy the link: the DOI is the decoded path, not `...77:1%3C1::...`, which
        # the page then linked as `%253C`, a DOI that does not exist.
        "https://doi.org/10.1002/(SICI)1097-0142(19960101)77:1%3C1::AID-CNCR1%3E3.0.CO;2-K.",
        "Available from: https://dx.doi.org/10.1002%2F%28SICI%291097-0142%2819960101%2977%3A1%3C1%3A%3AAID-CNCR1%3E3.0.CO%3B2-K",
    ],
)
def test_a_doi_written_as_a_percent_encoded_link_is_found_decoded(written: str) -> None:
    reference = jats_reference(f"<mixed-citation>Old W. A 1996 paper. Cancer. 1996;77:1-5. {written}</mixed-citation>")
    assert reference.doi == SICI_DOI


@pytest.mark.parametrize(
    ("written", "doi"),
    [
        # Markup a source let into the text as text: the DOI was cut at its `<` before SICI DOIs
        # were let in, and must still be; a SICI DOI's `<...>` always holds a `:`.
        ("doi:10.5555/x.1&lt;br&gt;", "10.5555/x.1"),
        ("&lt;a href=x&gt;doi:10.5555/x.1&lt;/a&gt;", "10.5555/x.1"),
        ("doi:10.5555/x.1&lt;", "10.5555/x.1"),
        ("doi:10.5555/x.1&lt;https://example.org/x&gt;", "10.5555/x.1"),
        ("doi:10.5555/x.1&gt;;10.5555/y.2", "10.5555/x.1"),
        # An AMS DOI in SICI form: `<page:title-code>`, one colon.
        ("doi:10.1175/1520-0469(1981)038&lt;1179:TSPOTA&gt;2.0.CO;2.", "10.1175/1520-0469(1981)038<1179:TSPOTA>2.0.CO;2"),
    ],
)
def test_angle_brackets_after_a_doi_are_not_part_of_it_unless_they_hold_a_sici_segment(written: str, doi: str) -> None:
    reference = jats_reference(f"<mixed-citation>Smith J. A paper. 2019. {written}</mixed-citation>")
    assert reference.doi == doi


def test_a_jats_reference_with_an_old_wiley_doi_is_imported_with_it_and_builds(content: Path, tmp_path: Path) -> None:
    cited = f"<mixed-citation>Old W. A 1996 paper. Cancer. 1996;77:1-5. doi: <pub-id pub-id-type=\"doi\">{SICI_IN_XML}</pub-id></mixed-citation>"
    source = fixture_with(tmp_path, "jats-case-report.xml", ('<ref id="r1">', f'<ref id="r0"><label>0.</label>{cited}</ref><ref id="r1">'))
    assert run_import("jats", source, "--source", content) == 0
    fields, _ = read_record(content / "articles/2025/12-4/fjpho-2025-12-4-89-96.md")
    assert fields["references"][0] == {"text": f"Old W. A 1996 paper. Cancer. 1996;77:1-5. doi: {SICI_DOI}", "doi": SICI_DOI}
    assert main(["check", "--source", str(content)]) == 0


ELSEVIER_TDM = "https://www.elsevier.com/tdm/userlicense/1.0/"
ACCEPTED_MANUSCRIPT_ONLY = [
    {"URL": ELSEVIER_TDM, "content-version": "tdm", "delay-in-days": 0},
    {"URL": "http://creativecommons.org/licenses/by-nc-nd/4.0/", "content-version": "am", "delay-in-days": 365},
]


@pytest.mark.parametrize(
    ("licenses", "expected"),
    [
        # The CC license of the author's accepted manuscript is not the article's license.
        (ACCEPTED_MANUSCRIPT_ONLY, None),
        ([*ACCEPTED_MANUSCRIPT_ONLY, {"URL": "https://creativecommons.org/licenses/by/4.0/", "content-version": "vor"}],
         "CC-BY-4.0"),
        ([{"URL": "https://creativecommons.org/licenses/by-sa/4.0/", "content-version": "unspecified"}], "CC-BY-SA-4.0"),
    ],
)
def test_crossref_json_license_is_the_one_of_the_version_of_record(content: Path, tmp_path: Path, capsys: pytest.CaptureFixture,
                                                                   licenses: list, expected: str | None) -> None:
    run_import("crossref", crossref_work(tmp_path, license=licenses), "--source", content)
    assert ("the source gives no license for the article" in capsys.readouterr().out) == (expected is None)
    fields, _ = read_record(content / "articles/2025/12-4/crj-2025-0412.md")
    assert fields.get("license") == expected


def test_crossref_deposit_license_is_the_one_of_the_version_of_record(content: Path, tmp_path: Path) -> None:
    vor = '<ai:license_ref applies_to="vor">https://creativecommons.org/licenses/by-nc-nd/4.0/</ai:license_ref>'
    others = (f'<ai:license_ref applies_to="tdm">{ELSEVIER_TDM}</ai:license_ref>'
              '<ai:license_ref applies_to="am">https://creativecommons.org/licenses/by/4.0/</ai:license_ref>')
    run_import("crossref", fixture_with(tmp_path, "crossref-deposit-5.xml", (vor, others)), "--source", content)
    fields, _ = read_record(content / "articles/2025/12-4/fjph-2025-12-4-89.md")
    assert "license" not in fields


def test_crossref_titles_keep_their_subtitle(content: Path, tmp_path: Path) -> None:
    work = crossref_work(tmp_path, title=["Infant leukemia"], subtitle=["a case of <i>KMT2A</i> rearrangement"])
    deposit = fixture_with(tmp_path, "crossref-deposit-5.xml", (
        "<title>Successful treatment of <i>BCR::ABL1</i>-positive leukemia in a child with Ca<sup>2+</sup> channelopathy</title>",
        "<title>Why children relapse?</title><subtitle>Ten years of follow-up</subtitle>"))
    run_import("crossref", work, deposit, "--source", content)
    records = records_by_doi(content / "articles")
    assert records["10.5555/crj.2025.0412"][1]["title"] == "Infant leukemia: a case of *KMT2A* rearrangement"
    assert records["10.5555/fjph.2025.12.4.89"][1]["title"] == "Why children relapse? Ten years of follow-up"


def test_crossref_json_year_is_the_issue_year_as_in_the_deposit_and_jats(content: Path, tmp_path: Path) -> None:
    # Online in December, in the February issue: the article is cited as 2019;20(1), like the
    # rest of its issue. `issued` is the earlier of the two dates.
    online = {"date-parts": [[2018, 12, 16]]}
    work = crossref_work(tmp_path, issued=online, published=online, volume="20", issue="1",
                         **{"published-online": online, "published-print": {"date-parts": [[2019, 2]]}})
    run_import("crossref", work, "--source", content)
    _, fields, _ = records_by_doi(content / "articles")["10.5555/crj.2025.0412"]
    assert (fields["year"], fields["published"]) == (2019, date(2018, 12, 16))


@pytest.mark.parametrize(("labels", "headings"), [
    # Initialisms and words with digits keep their capitals.
    (("BACKGROUND", "HIV-1 AND AIDS", "CONCLUSIONS"), ("Background", "HIV-1 and AIDS", "Conclusions")),
    (("OBJECTIVE", "PATIENTS WITH COVID-19", "CONCLUSION"), ("Objective", "Patients with COVID-19", "Conclusion")),
    (("INTRODUCTION", "CASE 1", "CASE II"), ("Introduction", "Case 1", "Case II")),
    (("BACKGROUND", "CT AND MRI FINDINGS", "AUTHORS' CONCLUSIONS"), ("Background", "CT and MRI findings", "Authors' conclusions")),
    (("IMPORTANCE", "DESIGN, SETTING, AND PARTICIPANTS", "CONCLUSIONS AND RELEVANCE"),
     ("Importance", "Design, setting, and participants", "Conclusions and relevance")),
    (("BACKGROUND:", "CASE PRESENTATION:", "CONCLUSIONS:"), ("Background", "Case presentation", "Conclusions")),
    # A word that may be an initialism nobody listed: the abstract's labels stay as PubMed has them.
    (("BACKGROUND", "HLH CRITERIA", "CONCLUSIONS"), ("BACKGROUND", "HLH CRITERIA", "CONCLUSIONS")),
    (("Background", "Case Presentation", "CONCLUSIONS"), ("Background", "Case Presentation", "Conclusions")),
    # PubMed's label of a section that had none is no heading.
    (("UNLABELLED", "CASE PRESENTATION", "CONCLUSIONS"), ("Case presentation", "Conclusions")),
    (("BACKGROUND", "Unlabeled", "CONCLUSIONS"), ("Background", "Conclusions")),
])
def test_pubmed_all_capital_labels_become_sentence_case_only_where_that_is_safe(
        content: Path, tmp_path: Path, labels: tuple[str, str, str], headings: tuple[str, ...]) -> None:
    # "HIV-1 AND AIDS" was sentence-cased into "Hiv-1 and aids".
    given = ('Label="BACKGROUND"', 'Label="CASE PRESENTATION"', 'Label="CONCLUSIONS"')
    source = fixture_with(tmp_path, "pubmed.xml", *((old, f'Label="{new}"') for old, new in zip(given, labels)))
    run_import("pubmed", source, "--source", content)
    _, _, body = records_by_doi(content / "articles")["10.5555/fjpho.2025.12.4.89"]
    assert [line for line in body.splitlines() if line.startswith("###")] == [f"### {heading}" for heading in headings]


@pytest.mark.parametrize(("language", "labels", "headings"), [
    ("es", ("INTRODUCCIÓN", "PRESENTACIÓN DEL CASO", "CONCLUSIONES"), ("Introducción", "Presentación del caso", "Conclusiones")),
    ("pt", ("INTRODUÇÃO", "RELATO DE CASO", "CONCLUSÃO"), ("Introdução", "Relato de caso", "Conclusão")),
    ("fr", ("INTRODUCTION", "MATÉRIEL ET MÉTHODES", "RÉSULTATS"), ("Introduction", "Matériel et méthodes", "Résultats")),
    # An initialism of the language (LLA: leucemia linfoblástica aguda) keeps the abstract's capitals.
    ("es", ("INTRODUCCIÓN", "CASO DE LLA", "CONCLUSIONES"), ("INTRODUCCIÓN", "CASO DE LLA", "CONCLUSIONES")),
    # Not a language with a list of label words: as PubMed gives them.
    ("nl", ("INLEIDING", "CASUS", "CONCLUSIE"), ("INLEIDING", "CASUS", "CONCLUSIE")),
])
def test_pubmed_labels_of_an_abstract_in_another_language_are_cased_by_that_languages_words(
        tmp_path: Path, language: str, labels: tuple[str, str, str], headings: tuple[str, str, str]) -> None:
    # The labels of a Spanish OtherAbstract were English words to the rule, and stayed in capitals.
    content = content_in(tmp_path, language)
    texts = "".join(f'<AbstractText Label="{label}">Texto {number}.</AbstractText>' for number, label in enumerate(labels, 1))
    code = {"es": "spa", "pt": "por", "fr": "fre", "nl": "dut"}[language]
    source = fixture_with(tmp_path, "pubmed.xml", ("</Article>", f'</Article><OtherAbstract Type="Publisher" Language="{code}">{texts}</OtherAbstract>'))
    run_import("pubmed", source, "--source", content)
    _, _, body = records_by_doi(content / "articles")["10.5555/fjpho.2025.12.4.89"]
    assert [line for line in body.splitlines() if line.startswith("###")] == [f"### {heading}" for heading in headings]


@pytest.mark.parametrize("label", ["", "Email: ", "E-mail: "])
def test_pubmed_e_mail_at_the_end_of_an_affiliation_is_the_authors_not_the_institutions(
        content: Path, tmp_path: Path, label: str) -> None:
    # Records before PubMed wrote "Electronic address:" (and many since) end the corresponding
    # author's affiliation with the bare address.
    source = fixture_with(tmp_path, "pubmed.xml", ("Electronic address: machneva@example.org.", f"{label}machneva@example.org."))
    run_import("pubmed", source, "--source", content)
    _, fields, _ = records_by_doi(content / "articles")["10.5555/fjpho.2025.12.4.89"]
    assert fields["affiliations"]["aff1"]["name"] == "N.N. Blokhin National Medical Research Centre of Oncology, Moscow, Russian Federation"
    assert (fields["authors"][0]["email"], fields["authors"][0]["corresponding"]) == ("machneva@example.org", True)


def test_pubmed_publisher_item_id_is_no_page_and_does_not_cost_the_article(content: Path, tmp_path: Path) -> None:
    # Ahead of print, PubMed has no pages but the publisher's own id (Elsevier's PII).
    source = fixture_with(
        tmp_path, "pubmed.xml",
        ("<Pagination><StartPage>89</StartPage><EndPage>96</EndPage><MedlinePgn>89-96</MedlinePgn></Pagination>",
         '<ELocationID EIdType="pii" ValidYN="Y">S0140-6736(25)01234-5</ELocationID>'))
    assert run_import("pubmed", source, "--source", content) == 0
    _, fields, _ = records_by_doi(content / "articles")["10.5555/fjpho.2025.12.4.89"]
    assert "pages" not in fields


def test_a_jats_name_in_eastern_style_is_written_family_name_first(content: Path, tmp_path: Path) -> None:
    # name-style="eastern" is a name printed family name first: the byline says "Chen Wei".
    source = fixture_with(tmp_path, "jats-case-report.xml", (
        "<name><surname>Smith</surname><given-names>John</given-names><suffix>Jr.</suffix></name>",
        '<name name-style="eastern"><surname>Chen</surname><given-names>Wei</given-names></name>'))
    run_import("jats", source, "--source", content)
    fields, _ = read_record(content / "articles/2025/12-4/fjpho-2025-12-4-89-96.md")
    author = fields["authors"][1]
    assert (author["name"], author["family_name"], author["given_names"]) == ("Chen Wei", "Chen", "Wei")
    assert main(["check", "--source", str(content)]) == 0


@pytest.mark.parametrize("group", [
    '<kwd-group kwd-group-type="abbreviations"><kwd>HLH, hemophagocytic lymphohistiocytosis</kwd></kwd-group>',
    '<kwd-group id="kwrds0020"><title>Abbreviations</title><kwd>HLH, hemophagocytic lymphohistiocytosis</kwd></kwd-group>',
])
def test_a_list_of_abbreviations_is_not_keywords(content: Path, tmp_path: Path, group: str) -> None:
    # Elsevier's articles in PMC list their abbreviations as a second kwd-group.
    source = fixture_with(tmp_path, "jats-case-report.xml", ('<kwd-group xml:lang="en">', group + '<kwd-group xml:lang="en">'))
    run_import("jats", source, "--source", content)
    fields, _ = read_record(content / "articles/2025/12-4/fjpho-2025-12-4-89-96.md")
    assert fields["keywords"] == ["infant leukemia", "KMT2A rearrangement"]


def test_crossref_markup_with_html_entities_is_read_as_markup(content: Path, tmp_path: Path) -> None:
    # Publishers deposit HTML entities (&nbsp;, &ndash;) that XML does not define, and a bare
    # "&": the title and abstract were then printed as raw text, tags and entities included.
    work = crossref_work(
        tmp_path, title=["<i>E. coli</i> in mice&nbsp;&ndash; R&D notes"],
        abstract="<jats:title>Abstract</jats:title><jats:p>Caf&eacute; &amp; <jats:italic>bar</jats:italic>.</jats:p>")
    run_import("crossref", work, "--source", content)
    _, fields, body = records_by_doi(content / "articles")["10.5555/crj.2025.0412"]
    assert fields["title"] == "*E. coli* in mice\u00a0– R&D notes"
    assert body == "Café & *bar*.\n"


def test_a_crossref_reference_to_a_book_chapter_keeps_the_book_and_its_edition(content: Path, tmp_path: Path) -> None:
    # The chapter's title was taken and the book's (`volume-title`) dropped.
    work = crossref_work(tmp_path, reference=[{
        "key": "ref1", "author": "Lockwood DNJ", "article-title": "Leprosy",
        "volume-title": "Rook's Textbook of Dermatology", "edition": "7", "year": "2004", "first-page": "29.1"}])
    run_import("crossref", work, "--source", content)
    _, fields, _ = records_by_doi(content / "articles")["10.5555/crj.2025.0412"]
    assert fields["references"] == [{"text": "Lockwood DNJ. Leprosy. Rook's Textbook of Dermatology. 7th ed. 2004:29.1."}]


def imported_crossref_references(tmp_path: Path, content: Path, capsys: pytest.CaptureFixture, work: Path) -> tuple[list[dict], str]:
    """The references of the Crossref work's record once imported, and the import's line on it."""
    assert run_import("crossref", work, "--source", content) == 0
    _, fields, _ = records_by_doi(content / "articles")["10.5555/crj.2025.0412"]
    article_line = next(line for line in capsys.readouterr().out.splitlines() if "crj-2025-0412.md" in line)
    return fields.get("references", []), article_line  # a record without references has no such key


def test_a_crossref_reference_to_a_book_keeps_its_isbn(content: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    # A book deposited by its parts and ISBN had its ISBN dropped, and one deposited by ISBN and
    # year alone was left out as citing nothing. The REST API may give the ISBN as a URI.
    work = crossref_work(tmp_path, reference=[
        {"key": "ref4", "author": "Pui CH", "volume-title": "Childhood Leukemias", "edition": "3", "year": "2012",
         "ISBN": "http://id.crossref.org/isbn/9780521196611", "isbn-type": "print"},
        {"key": "ref5", "ISBN": "9780521196611", "year": "2012"},
    ])
    references, article_line = imported_crossref_references(tmp_path, content, capsys, work)
    assert references == [
        {"text": "Pui CH. Childhood Leukemias. 3rd ed. 2012. ISBN 9780521196611."},
        {"text": "2012. ISBN 9780521196611."},
    ]
    assert "nothing to cite" not in article_line
    assert main(["check", "--source", str(content)]) == 0


def test_a_deposit_citation_of_a_book_keeps_its_isbn(content: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    source = fixture_with(tmp_path, "crossref-deposit-5.xml", ("</citation_list>", (
        '<citation key="ref3"><author>Pui CH</author><volume_title>Childhood Leukemias</volume_title>'
        '<edition_number>3</edition_number><cYear>2012</cYear><isbn media_type="print">978-0-521-19661-1</isbn></citation>'
        '<citation key="ref4"><isbn>978-0-521-19661-1</isbn></citation></citation_list>')))
    assert run_import("crossref", source, "--source", content) == 0
    fields, _ = read_record(content / "articles/2025/12-4/fjph-2025-12-4-89.md")
    assert [reference["text"] for reference in fields["references"][2:]] == [
        "Pui CH. Childhood Leukemias. 3rd ed. 2012. ISBN 978-0-521-19661-1.", "ISBN 978-0-521-19661-1."]
    assert "nothing to cite" not in capsys.readouterr().out
    assert main(["check", "--source", str(content)]) == 0


NOTHING_TO_CITE = "nothing to cite (no text, DOI, ISBN, author, title or source): left out of the record"


def test_a_crossref_reference_with_nothing_to_cite_is_left_out_with_a_note(
        content: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    # {"key": "ref12"} was published as the reference "ref12", and a year and a page as "2019:5.".
    work = crossref_work(tmp_path, reference=[
        {"key": "ref11", "unstructured": "Pieters R. Infant acute lymphoblastic leukemia. Lancet. 2007;370:240-50."},
        {"key": "ref12"},
        {"key": "ref13", "year": "2019", "first-page": "5"},
        {"key": "ref14", "DOI": "10.5555/crj.2024.0101", "doi-asserted-by": "crossref"},
        {"key": "ref15", "journal-title": "Lancet", "year": "2007"},
    ])
    references, article_line = imported_crossref_references(tmp_path, content, capsys, work)
    assert references == [
        {"text": "Pieters R. Infant acute lymphoblastic leukemia. Lancet. 2007;370:240-50."},
        {"text": "doi:10.5555/crj.2024.0101", "doi": "10.5555/crj.2024.0101"},
        {"text": "Lancet. 2007."},
    ]
    # Named as JATS references are: their place in the list, then what the source calls them.
    assert article_line.endswith(f"; references no. 2 (key ref12), no. 3 (key ref13) have {NOTHING_TO_CITE})")  # after the fixture's ORCID note
    assert main(["check", "--source", str(content)]) == 0


def test_a_crossref_key_that_is_a_number_is_not_taken_for_the_references_place(
        content: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    # Publishers' keys are often numbers of their own ("1" for the third entry here): the note
    # said "reference 1", and an editor counting the list looked at the wrong one.
    work = crossref_work(tmp_path, reference=[
        {"key": "9", "unstructured": "Pieters R. Infant acute lymphoblastic leukemia. Lancet. 2007;370:240-50."},
        {"unstructured": "Lancet. 2007."},
        {"key": "1"},
    ])
    _, article_line = imported_crossref_references(tmp_path, content, capsys, work)
    assert article_line.endswith(f"; reference no. 3 (key 1) has {NOTHING_TO_CITE})")


def test_a_crossref_reference_that_is_no_object_keeps_its_place_in_the_notes(
        content: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    work = crossref_work(tmp_path, reference=["Pieters R. Lancet. 2007.", {"key": "ref2"}])
    references, article_line = imported_crossref_references(tmp_path, content, capsys, work)
    assert references == []
    assert article_line.endswith(f"; references no. 1, no. 2 (key ref2) have {NOTHING_TO_CITE})")


def test_a_crossref_unstructured_text_of_punctuation_alone_cites_nothing(
        content: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    # "." was published as the reference's text; with parts, the parts say what it cites.
    work = crossref_work(tmp_path, reference=[
        {"key": "ref21", "unstructured": "."},
        {"key": "ref22", "unstructured": " - ", "journal-title": "Lancet", "year": "2007"},
        {"key": "ref23", "unstructured": "()", "DOI": "10.5555/crj.2024.0101"},
    ])
    references, article_line = imported_crossref_references(tmp_path, content, capsys, work)
    assert references == [
        {"text": "Lancet. 2007."},
        {"text": "doi:10.5555/crj.2024.0101", "doi": "10.5555/crj.2024.0101"},
    ]
    assert article_line.endswith(f"; reference no. 1 (key ref21) has {NOTHING_TO_CITE})")


def test_a_deposit_citation_with_nothing_to_cite_is_left_out_with_a_note(
        content: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    source = fixture_with(tmp_path, "crossref-deposit-5.xml", ("</citation_list>", '<citation key="ref3"/></citation_list>'))
    assert run_import("crossref", source, "--source", content) == 0
    fields, _ = read_record(content / "articles/2025/12-4/fjph-2025-12-4-89.md")
    assert [reference["text"][:8] for reference in fields["references"]] == ["Knez V.,", "Pui CH. "]
    assert f"(reference no. 3 (key ref3) has {NOTHING_TO_CITE})" in capsys.readouterr().out


def test_an_affiliation_given_in_several_languages_is_kept_once_in_the_sites_language(
        content: Path, tmp_path: Path) -> None:
    # <aff-alternatives> (Russian and SciELO journals) carries the id the byline points at: the
    # affiliation was lost for its authors. The site is English, the article Russian.
    source = fixture_with(tmp_path, "jats-case-report.xml", (
        '<aff id="aff-geneva"><label>2</label>Université de Genève, Genève, Suisse</aff>',
        '<aff-alternatives id="aff-geneva"><aff xml:lang="en"><label>2</label>University of Geneva, Switzerland</aff>'
        '<aff xml:lang="ru"><label>2</label>Женевский университет, Швейцария</aff></aff-alternatives>'))
    run_import("jats", source, "--source", content)
    fields, _ = read_record(content / "articles/2025/12-4/fjpho-2025-12-4-89-96.md")  # xml:lang="ru"
    assert fields["authors"][1]["affiliations"] == ["aff1", "aff2"]
    assert fields["affiliations"]["aff2"] == {"name": "University of Geneva, Switzerland"}


def test_a_correspondence_note_with_initials_after_each_address_gives_each_author_theirs(
        content: Path, tmp_path: Path) -> None:
    source = fixture_with(
        tmp_path, "jats-case-report.xml",
        ('<xref ref-type="aff" rid="aff-blokhin aff-geneva"><sup>1,2</sup></xref>',
         '<xref ref-type="aff" rid="aff-blokhin aff-geneva"><sup>1,2</sup></xref><xref ref-type="corresp" rid="cor1">*</xref>'),
        ('<corresp id="cor1">* Correspondence: <email>machneva@example.org</email></corresp>',
         '<corresp id="cor1">* E-mail: <email>machneva@example.org</email> (ЕБМ); <email>smith@example.org</email> (JS)</corresp>'))
    run_import("jats", source, "--source", content)
    fields, _ = read_record(content / "articles/2025/12-4/fjpho-2025-12-4-89-96.md")
    assert [(a.get("email"), a.get("corresponding")) for a in fields["authors"]] == [
        ("machneva@example.org", True), ("smith@example.org", True), (None, None)]


def test_pubmed_title_not_available_in_english_is_the_vernacular_title(content: Path, tmp_path: Path) -> None:
    # PubMed writes "[Not Available]." for an article with no English title, and gives the title in
    # <VernacularTitle>: "[Not Available]" was imported as the title.
    source = fixture_with(
        tmp_path, "pubmed.xml",
        ("<ArticleTitle>Infant leukemia with <i>KMT2A</i> rearrangement and CD34<sup>+</sup> blasts: a case report.</ArticleTitle>",
         "<ArticleTitle>[Not Available].</ArticleTitle>"),
        ("<Language>rus</Language>", "<Language>rus</Language><VernacularTitle>Младенческий лейкоз с перестройкой <i>KMT2A</i>.</VernacularTitle>"))
    run_import("pubmed", source, "--source", content)
    _, fields, _ = records_by_doi(content / "articles")["10.5555/fjpho.2025.12.4.89"]
    assert fields["title"] == "Младенческий лейкоз с перестройкой *KMT2A*"


def test_an_affiliation_in_several_languages_that_no_author_points_at_is_everyones_once(
        content: Path, tmp_path: Path) -> None:
    text = (FIXTURES / "jats-case-report.xml").read_text(encoding="utf-8")
    text = re.sub(r'<xref ref-type="aff" rid="[^"]*"><sup>[^<]*</sup></xref>', "", text)
    text = re.sub(r'<aff id="aff-blokhin">.*?</aff>', "", text, flags=re.DOTALL)
    text = text.replace('<aff id="aff-geneva"><label>2</label>Université de Genève, Genève, Suisse</aff>',
                        '<aff-alternatives><aff xml:lang="en">University of Geneva</aff><aff xml:lang="ru">Женевский университет</aff></aff-alternatives>')
    (tmp_path / "shared.xml").write_text(text, encoding="utf-8")
    run_import("jats", tmp_path / "shared.xml", "--source", content)
    fields, _ = read_record(content / "articles/2025/12-4/fjpho-2025-12-4-89-96.md")
    assert fields["affiliations"] == {"aff1": {"name": "University of Geneva"}}  # the site's language
    assert fields["authors"][0]["affiliations"] == ["aff1"]


@pytest.mark.parametrize(("page", "pages"), [
    ("1006-13", "1006-1013"), ("1006–1013", "1006-1013"), ("e0123", "e0123"),
    # A supplement's range as MEDLINE abbreviates it: S12-5 is S12-S15, not pages S12 to 5.
    ("S12-5", "S12-S15"), ("S12-15", "S12-S15"), ("S12-S15", "S12-S15"), ("S98-102", "S98-S102"),
])
def test_crossref_abbreviated_page_range_is_written_out(content: Path, tmp_path: Path, page: str, pages: str) -> None:
    # "1006-13" (as some publishers deposit it) read as pages 1006 to 13: the build refused the
    # record and the article was not imported.
    assert run_import("crossref", crossref_work(tmp_path, page=page), "--source", content) == 0
    _, fields, _ = records_by_doi(content / "articles")["10.5555/crj.2025.0412"]
    assert fields["pages"] == pages


def test_an_article_whose_source_states_no_license_is_imported_with_a_note(
        content: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    # "Copyright 2010 Cancer Research UK" and no license: the record silently took the journal's
    # default license, which the site then states as the article's.
    source = fixture_with(tmp_path, "jats-case-report.xml", (
        '<license license-type="open-access" xlink:href="https://creativecommons.org/licenses/by/4.0/">\n'
        '          <license-p>Distributed under CC BY 4.0.</license-p>\n        </license>', ""))
    assert run_import("jats", source, "--source", content) == 0
    assert "the source gives no license for the article: the record falls back to the journal's license" in capsys.readouterr().out


# --- the site's language: bilingual sources ---------------------------------------------------


def content_in(tmp_path: Path, language: str) -> Path:
    """A content folder whose journal.yaml says the site is written in `language`."""
    folder = tmp_path / f"content-{language}"
    folder.mkdir()
    (folder / "journal.yaml").write_text(JOURNAL_YAML.replace("language: en", f"language: {language}"), encoding="utf-8")
    return folder


RJPHO_RECORD = "articles/2025/12-4/2311-1267-2025-12-4-89-96.md"


def test_a_russian_article_comes_in_an_english_sites_language_from_its_translations(
        tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """Russian journals give title, abstract, keywords and affiliations in Russian and in
    English: an English site's record takes the English, its `language:` stays the full text's."""
    content = content_in(tmp_path, "en")
    assert run_import("jats", FIXTURES / "jats-bilingual-ru.xml", "--source", content) == 0
    fields, body = read_record(content / RJPHO_RECORD)
    assert fields["language"] == "ru"
    assert fields["title"] == ("Problems of therapy and search for curative options in infantile acute B-cell "
                               "lymphoblastic leukemia: a clinical case")
    assert body.startswith("Infantile acute B-cell lymphoblastic leukemia (B-ALL) is a rare leukemia")
    assert fields["keywords"] == ["infant leukemia", "acute lymphoblastic leukemia", "KMT2A gene rearrangements"]
    assert fields["affiliations"] == {"aff1": {
        "name": "N.N. Blokhin National Medical Research Centre of Oncology, Ministry of Health of Russia",
        "address": "23 Kashirskoe Shosse, Moscow, 115522", "country": "Russian Federation"}}
    assert "site's language" not in capsys.readouterr().out  # nothing fell back
    assert main(["check", "--source", str(content)]) == 0


def test_a_russian_site_takes_the_articles_own_russian(tmp_path: Path) -> None:
    content = content_in(tmp_path, "ru")
    assert run_import("jats", FIXTURES / "jats-bilingual-ru.xml", "--source", content) == 0
    fields, body = read_record(content / RJPHO_RECORD)
    assert fields["title"].startswith("Проблемы терапии и поиск куративных опций")
    assert body.startswith("Инфантильный острый В-клеточный лимфобластный лейкоз")
    assert fields["keywords"][0] == "инфантильный лейкоз"
    assert fields["affiliations"]["aff1"]["country"] == "Россия"


ELPUB_NAMES = ('<name name-style="eastern" xml:lang="ru">', '<name name-style="western" xml:lang="en">')


@pytest.mark.parametrize(("language", "names", "first_author"), [
    # As the fixture tags them (after Elpub): the Cyrillic spelling family name first, the Latin one given name first.
    ("ru", ELPUB_NAMES, ("Мачнева Е. Б.", "Мачнева", "Е. Б.")),
    ("en", ELPUB_NAMES, ("E. B. Machneva", "Machneva", "E. B.")),
    # Not tagged with a language: told apart by their script.
    ("ru", ('<name name-style="eastern">', '<name name-style="western">'), ("Мачнева Е. Б.", "Мачнева", "Е. Б.")),
    ("ru", ("<name>", "<name>"), ("Е. Б. Мачнева", "Мачнева", "Е. Б.")),
    ("en", ("<name>", "<name>"), ("E. B. Machneva", "Machneva", "E. B.")),
])
def test_an_author_named_in_two_scripts_is_named_in_the_sites(
        tmp_path: Path, capsys: pytest.CaptureFixture, language: str, names: tuple[str, str],
        first_author: tuple[str, str, str]) -> None:
    """Russian journals give each name in Cyrillic and in Latin letters (`<name-alternatives>`):
    a Russian site's byline was in Latin letters."""
    content = content_in(tmp_path, language)
    russian, latin = names
    source = fixture_with(tmp_path, "jats-bilingual-ru.xml", *(
        [(ELPUB_NAMES[0], russian), (ELPUB_NAMES[1], latin)] * 2))  # both authors
    assert run_import("jats", source, "--source", content) == 0
    fields, _ = read_record(content / RJPHO_RECORD)
    first, second = fields["authors"]
    assert (first["name"], first["family_name"], first["given_names"]) == first_author
    assert second["family_name"] == ("Сергеенко" if language == "ru" else "Sergeenko")
    assert "site's language" not in capsys.readouterr().out
    assert main(["check", "--source", str(content)]) == 0


CROSSREF_4_RECORD = "articles/2024/11-1/fj-2024-e0101.md"


@pytest.mark.parametrize(("language", "alternative", "first_author"), [
    # Tagged with its language (Crossref's `language`), in the order its name-style says, as in JATS.
    ("ru", '<name name-style="eastern" language="ru"><surname>Мачнева</surname><given_name>Е. Б.</given_name></name>',
     ("Мачнева Е. Б.", "Мачнева", "Е. Б.")),
    ("en", '<name name-style="eastern" language="ru"><surname>Мачнева</surname><given_name>Е. Б.</given_name></name>',
     ("Elena B. Machneva", "Machneva", "Elena B.")),
    # Not tagged: told apart by its script.
    ("ru", "<name><surname>Мачнева</surname><given_name>Елена</given_name></name>", ("Елена Мачнева", "Мачнева", "Елена")),
    ("uk", "<string-name>Олена Мачнева</string-name>", ("Олена Мачнева", "Мачнева", "Олена")),
    ("de", "<name><surname>Мачнева</surname><given_name>Елена</given_name></name>", ("Elena B. Machneva", "Machneva", "Elena B.")),
], ids=["ru-tagged", "en-tagged-ru", "ru-untagged", "uk-string-name", "de-untagged"])
def test_a_crossref_deposit_name_given_in_another_script_too_is_named_in_the_sites(
        tmp_path: Path, language: str, alternative: str, first_author: tuple[str, str, str]) -> None:
    """Deposits in schema 4.x may give a name's other spelling as `<alt-name>` (Russian journals:
    the Cyrillic one); it was not read, and a Russian site's byline was in Latin letters."""
    content = content_in(tmp_path, language)
    source = fixture_with(tmp_path, "crossref-deposit-4.xml",
                          ("<given_name>Jane</given_name><surname>Doe</surname>",
                           "<given_name>Elena B.</given_name><surname>Machneva</surname>"),
                          ("0000-0002-1694-233X</ORCID>", f"0000-0002-1694-233X</ORCID><alt-name>{alternative}</alt-name>"))
    assert run_import("crossref", source, "--source", content) == 0
    fields, _ = read_record(content / CROSSREF_4_RECORD)
    author = fields["authors"][0]
    assert (author["name"], author["family_name"], author["given_names"]) == first_author
    assert author["orcid"] == "0000-0002-1694-233X"
    assert main(["check", "--source", str(content)]) == 0


@pytest.mark.parametrize(("language", "family_names"), [("sr-Latn", ("Machneva", "Sergeenko")), ("sr-Cyrl", ("Мачнева", "Сергеенко"))])
def test_a_script_subtag_of_the_sites_language_says_its_script(tmp_path: Path, language: str, family_names: tuple[str, str]) -> None:
    """Serbian is written in Cyrillic and in Latin letters: `sr-Latn` was taken for Cyrillic,
    the usual script of `sr`, and a Latin-letter Serbian site's byline got the Cyrillic names."""
    content = content_in(tmp_path, language)
    source = fixture_with(tmp_path, "jats-bilingual-ru.xml", *([(ELPUB_NAMES[0], "<name>"), (ELPUB_NAMES[1], "<name>")] * 2))
    assert run_import("jats", source, "--source", content) == 0
    fields, _ = read_record(content / RJPHO_RECORD)
    assert tuple(author["family_name"] for author in fields["authors"]) == family_names


def test_a_ukrainian_name_with_its_apostrophe_is_in_the_ukrainian_sites_script(tmp_path: Path) -> None:
    """Ukrainian spelling writes an apostrophe in names (Пʼятниця), as the modifier letter
    U+02BC, which Unicode counts a letter of no script: the Cyrillic spelling, untagged, was
    not told apart by its script, and a Ukrainian site's byline got the Latin one."""
    content = content_in(tmp_path, "uk")
    source = fixture_with(tmp_path, "jats-bilingual-ru.xml",
                          (ELPUB_NAMES[0] + "<surname>Мачнева", '<name name-style="eastern"><surname>П\u02bcятниця'),
                          (ELPUB_NAMES[1] + "<surname>Machneva", '<name name-style="western"><surname>Piatnytsia'))
    assert run_import("jats", source, "--source", content) == 0
    fields, _ = read_record(content / RJPHO_RECORD)
    assert fields["authors"][0]["family_name"] == "П\u02bcятниця"


def test_without_the_sites_language_the_articles_own_is_taken_with_a_note(
        tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    content = content_in(tmp_path, "en")
    source = fixture_with(tmp_path, "jats-bilingual-ru.xml",
                          ('<trans-abstract xml:lang="en">', '<trans-abstract xml:lang="de">'),
                          ('<kwd-group xml:lang="en">', '<kwd-group xml:lang="de">'))
    assert run_import("jats", source, "--source", content) == 0
    fields, body = read_record(content / RJPHO_RECORD)
    assert fields["title"].startswith("Problems of therapy")  # translated: no note for it
    assert body.startswith("Инфантильный") and fields["keywords"][0] == "инфантильный лейкоз"
    assert "(abstract and keywords: the source has none in the site's language (en), imported in ru" in capsys.readouterr().out


def test_a_title_group_tagged_in_the_sites_language_is_the_title(tmp_path: Path) -> None:
    """`xml:lang` on `<article-title>` says its language, whatever the article's."""
    content = content_in(tmp_path, "ru")
    source = fixture_with(tmp_path, "jats-bilingual-ru.xml",
                          ('<article-title xml:lang="ru">Проблемы терапии', '<article-title xml:lang="en">Problems of therapy'),
                          ('<trans-title-group xml:lang="en">\n          <trans-title>Problems of therapy',
                           '<trans-title-group xml:lang="ru">\n          <trans-title>Проблемы терапии'))
    run_import("jats", source, "--source", content)
    fields, _ = read_record(content / RJPHO_RECORD)
    assert fields["title"].startswith("Проблемы терапии")


def test_a_bilingual_crossref_deposit_gives_the_site_its_language(tmp_path: Path) -> None:
    """Deposits of Russian journals: `<title>` in English with the Russian
    `<original_language_title>`, and an abstract per language."""
    source = fixture_with(
        tmp_path, "crossref-deposit-5.xml",
        ("</title>\n        </titles>",
         '</title>\n          <original_language_title language="ru">Успешное лечение лейкоза у ребёнка</original_language_title>\n        </titles>'),
        ('<jats:abstract xml:lang="en">',
         '<jats:abstract xml:lang="ru"><jats:p>Вымышленная аннотация.</jats:p></jats:abstract><jats:abstract xml:lang="en">'))
    for language, title, abstract in (("en", "Successful treatment of", "A fictional abstract"),
                                      ("ru", "Успешное лечение лейкоза у ребёнка", "Вымышленная аннотация.")):
        content = content_in(tmp_path, language)
        assert run_import("crossref", source, "--source", content) == 0
        fields, body = read_record(content / "articles/2025/12-4/fjph-2025-12-4-89.md")
        assert fields["title"].startswith(title) and body.startswith(abstract)
        assert fields["language"] == "ru"


def pubmed_in_russian(tmp_path: Path) -> Path:
    """MEDLINE's way with an article in Russian: the English title in brackets, the Russian one
    as `VernacularTitle`, the publisher's Russian abstract as `OtherAbstract`."""
    return fixture_with(
        tmp_path, "pubmed.xml",
        ("<ArticleTitle>Infant leukemia with <i>KMT2A</i> rearrangement and CD34<sup>+</sup> blasts: a case report.</ArticleTitle>",
         "<ArticleTitle>[Infant leukemia with <i>KMT2A</i> rearrangement: a case report].</ArticleTitle>"),
        ("<Language>rus</Language>", "<Language>rus</Language><VernacularTitle>Младенческий лейкоз с перестройкой <i>KMT2A</i>.</VernacularTitle>"),
        ("</Article>", '</Article><OtherAbstract Type="Publisher" Language="rus"><AbstractText>Младенческий лейкоз редок.</AbstractText></OtherAbstract>'
                       '<OtherAbstract Type="plain-language-summary" Language="eng"><AbstractText>A summary for patients.</AbstractText></OtherAbstract>'))


@pytest.mark.parametrize(("language", "title", "abstract"), [
    ("en", "Infant leukemia with *KMT2A* rearrangement: a case report", "### Background\n\nInfant leukemia with *KMT2A*"),
    ("ru", "Младенческий лейкоз с перестройкой *KMT2A*", "Младенческий лейкоз редок."),
])
def test_pubmed_gives_the_site_its_language(tmp_path: Path, language: str, title: str, abstract: str) -> None:
    content = content_in(tmp_path, language)
    assert run_import("pubmed", pubmed_in_russian(tmp_path), "--source", content) == 0
    _, fields, body = records_by_doi(content / "articles")["10.5555/fjpho.2025.12.4.89"]
    assert (fields["title"], fields["language"]) == (title, "ru")
    assert body.startswith(abstract)


def test_a_compound_keyword_is_read_part_by_part(content: Path, tmp_path: Path) -> None:
    # JEL and MSC codes come as <compound-kwd>: they were left out.
    source = fixture_with(tmp_path, "jats-case-report.xml", (
        '<kwd-group xml:lang="en">',
        '<kwd-group xml:lang="en"><compound-kwd><compound-kwd-part content-type="code">I14</compound-kwd-part>'
        '<compound-kwd-part content-type="text">Health and Inequality</compound-kwd-part></compound-kwd>'))
    run_import("jats", source, "--source", content)
    fields, _ = read_record(content / "articles/2025/12-4/fjpho-2025-12-4-89-96.md")
    assert fields["keywords"] == ["I14: Health and Inequality", "infant leukemia", "KMT2A rearrangement"]


def test_an_orcid_with_a_wrong_check_digit_is_left_out_with_a_note(
        content: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    source = fixture_with(tmp_path, "jats-case-report.xml", ("https://orcid.org/0000-0002-1825-0097", "https://orcid.org/0000-0002-1825-0098"))
    assert run_import("jats", source, "--source", content) == 0
    fields, _ = read_record(content / "articles/2025/12-4/fjpho-2025-12-4-89-96.md")
    assert "orcid" not in fields["authors"][0]
    # The line names the source too: the notes speak of what it holds, and a record is named after its DOI.
    record = content / "articles/2025/12-4/fjpho-2025-12-4-89-96.md"
    note = "(the ORCID iD 0000-0002-1825-0098 of Елена Борисовна Мачнева has a wrong check digit: left out of the record)"
    assert f"imported {record} from {source} {note}" in capsys.readouterr().out.splitlines()
    # Imported again (after fixing something else, say): the record is as it was, and the note still holds.
    assert run_import("jats", source, "--source", content) == 0
    assert f"unchanged {record} from {source} {note}" in capsys.readouterr().out.splitlines()


@pytest.mark.parametrize(("fmt", "fixture", "change", "author"), [
    ("crossref", "crossref-work.json", ("", ""), "Ann Other"),  # the fixture's second author has one
    ("crossref", "crossref-deposit-5.xml", ("0000-0002-1825-0097", "0000-0002-1825-0098"), "Erik B. Machneva"),
    ("pubmed", "pubmed.xml", ("0000000218250097", "0000000218250098"), "Erik B Machneva"),
])
def test_crossref_and_pubmed_note_an_orcid_with_a_wrong_check_digit_too(
        content: Path, tmp_path: Path, capsys: pytest.CaptureFixture, fmt: str, fixture: str, change: tuple[str, str],
        author: str) -> None:
    assert run_import(fmt, fixture_with(tmp_path, fixture, change), "--source", content) == 0
    assert f"of {author} has a wrong check digit: left out of the record" in capsys.readouterr().out


@pytest.mark.parametrize(("article_type", "heading", "expected"), [
    ("", "Case Reports", "case-report"),
    ("", "Original Articles", "research-article"),
    ("", "Review Articles", "review"),
    ("", "Letters to the Editor", "letter"),
    ("", "Articles", None),  # names no kind of article: the record's default type applies
    (' article-type="editorial"', "Case Reports", "editorial"),  # a declared type decides
])
def test_a_jats_file_without_an_article_type_takes_it_from_its_section(
        content: Path, tmp_path: Path, article_type: str, heading: str, expected: str | None) -> None:
    """OJS's JATS Template plugin declares no @article-type; it names the journal section in
    the `heading` subject group instead."""
    source = fixture_with(
        tmp_path, "jats-case-report.xml",
        (' article-type="case-report"', article_type),
        ("<subject>Case report</subject>", f"<subject>{heading}</subject>"))
    assert run_import("jats", source, "--source", content) == 0
    fields = the_only_record(content)
    assert fields.get("type") == expected
    assert main(["check", "--source", str(content)]) == 0


PDF_GALLEY = "https://journal.example.org/index.php/fj/article/download/89/120"


@pytest.mark.parametrize(("links", "expected"), [
    ([{"URL": PDF_GALLEY, "content-type": "application/pdf", "content-version": "vor", "intended-application": "text-mining"}],
     PDF_GALLEY),
    ([{"URL": "https://journal.example.org/article/view/89/xml", "content-type": "application/xml", "content-version": "vor"},
      {"URL": "https://journal.example.org/am.pdf", "content-type": "application/pdf", "content-version": "am"},
      {"URL": "javascript:alert(1)", "content-type": "application/pdf", "content-version": "vor"},
      {"URL": PDF_GALLEY, "content-type": "application/pdf", "content-version": "unspecified"}],
     PDF_GALLEY),  # not XML, not the accepted manuscript, not a javascript: link
    ([{"URL": "https://journal.example.org/am.pdf", "content-type": "application/pdf", "content-version": "am"}], None),
    ([], None),
])
def test_crossref_json_pdf_is_the_version_of_records_pdf_link(content: Path, tmp_path: Path, links: list, expected: str | None) -> None:
    assert run_import("crossref", crossref_work(tmp_path, link=links), "--source", content) == 0
    fields, _ = read_record(content / "articles/2025/12-4/crj-2025-0412.md")
    assert fields.get("pdf") == expected
    assert main(["check", "--source", str(content)]) == 0


def test_crossref_deposit_pdf_is_the_galley_ojs_deposits(content: Path, tmp_path: Path) -> None:
    """OJS deposits its PDF galley in the DOI's text-mining and Similarity Check collections."""
    collections = (
        '<collection property="crawler-based"><item crawler="iParadigms"><resource>javascript:alert(1)</resource></item></collection>'
        '<collection property="text-mining">'
        '<item><resource mime_type="text/html">https://journal.example.org/article/view/89/121</resource></item>'
        f'<item><resource mime_type="application/pdf">{PDF_GALLEY}</resource></item></collection>')
    deposit = fixture_with(tmp_path, "crossref-deposit-5.xml", ("</doi_data>", f"{collections}</doi_data>"))
    assert run_import("crossref", deposit, "--source", content) == 0
    fields, _ = read_record(content / "articles/2025/12-4/fjph-2025-12-4-89.md")
    assert fields["pdf"] == PDF_GALLEY
    assert main(["check", "--source", str(content)]) == 0


@pytest.mark.parametrize(("self_uris", "expected"), [
    (f'<self-uri content-type="application/pdf" xlink:href="{PDF_GALLEY}"/>', PDF_GALLEY),  # OJS's JATS Template
    ('<self-uri content-type="pdf" xlink:href="ijms-22-01234.pdf"/>'  # PMC's: a file of the package
     '<self-uri content-type="pdf" xlink:href="info:doi/10.1371/journal.pbio.2001413"/>'  # PLOS's
     '<self-uri xlink:href="https://journal.example.org/article/view/9"/>', None),  # the article's page
])
def test_jats_pdf_is_a_self_uri_to_a_pdf_on_the_web(content: Path, tmp_path: Path, self_uris: str, expected: str | None) -> None:
    source = fixture_with(tmp_path, "jats-case-report.xml", ("<abstract", f"{self_uris}<abstract"))
    assert run_import("jats", source, "--source", content) == 0
    fields = the_only_record(content)
    assert fields.get("pdf") == expected
    assert main(["check", "--source", str(content)]) == 0


def test_a_crossref_deposit_with_a_titles_element_per_language_gives_the_site_its_language(tmp_path: Path) -> None:
    """OJS's deposits of a bilingual journal: a `<titles>` for each language, the article's
    own (`language="ru"`) first, none of them saying its language."""
    source = fixture_with(
        tmp_path, "crossref-deposit-5.xml",
        ("<titles>\n          <title>Successful treatment of",
         "<titles><title>Успешное лечение лейкоза у ребёнка</title></titles>\n        <titles>\n          <title>Successful treatment of"))
    for language, title in (("en", "Successful treatment of *BCR::ABL1*"), ("ru", "Успешное лечение лейкоза у ребёнка")):
        content = content_in(tmp_path, language)
        assert run_import("crossref", source, "--source", content) == 0
        fields, _ = read_record(content / "articles/2025/12-4/fjph-2025-12-4-89.md")
        assert fields["title"].startswith(title)


def test_a_jats_publication_date_in_the_form_ojs_writes_it(content: Path, tmp_path: Path) -> None:
    """JATS 1.2's `date-type="pub"` with OJS's `publication-format="epub"`: the online date."""
    source = fixture_with(
        tmp_path, "jats-case-report.xml",
        ('<pub-date pub-type="epub"><day>15</day><month>12</month><year>2025</year></pub-date>',
         '<pub-date date-type="pub" publication-format="epub"><day>15</day><month>12</month><year>2025</year></pub-date>'),
        ('<pub-date pub-type="collection"><year>2025</year></pub-date>', ""))
    assert run_import("jats", source, "--source", content) == 0
    fields = the_only_record(content)
    assert (fields["year"], fields["published"]) == (2025, date(2025, 12, 15))


def the_only_record(content: Path) -> dict:
    """The fields of the one record an import wrote into `content`."""
    (record,) = content.rglob("*.md")
    return read_record(record)[0]
