"""Whatever the source holds, the importer writes only records the build accepts: an empty
reference is left out, and an article the build would refuse (its DOI, say) is reported as
failed, with nothing written for it."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_import_support import crossref_work, fixture_with, make_content, records_by_doi, run_import

from caseshelf.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "import"


def with_empty_jats_references(folder: Path) -> Path:
    text = (FIXTURES / "jats-case-report.xml").read_text(encoding="utf-8")
    empty = '<ref id="r0"/><ref id="r00"><mixed-citation></mixed-citation></ref>'
    return write(folder / "empty-refs.xml", text.replace('<ref id="r1">', empty + '<ref id="r1">', 1))


def with_empty_pubmed_reference(folder: Path) -> Path:
    text = (FIXTURES / "pubmed.xml").read_text(encoding="utf-8")
    empty = "<Reference><Citation></Citation></Reference>"
    return write(folder / "empty-refs.xml", text.replace("<ReferenceList>", "<ReferenceList>" + empty, 1))


def with_empty_crossref_references(folder: Path) -> Path:
    # {"DOI": 5}: a number where Crossref writes a string; the reference is then empty too.
    return crossref_work(folder, reference=lambda references: [{}, {"unstructured": ""}, {"DOI": 5}, *references])


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("fmt", "source", "doi", "references"),
    [
        ("jats", with_empty_jats_references, "10.5555/fjpho-2025-12-4-89-96", 3),
        ("pubmed", with_empty_pubmed_reference, "10.5555/fjpho.2025.12.4.89", 2),
        ("crossref", with_empty_crossref_references, "10.5555/crj.2025.0412", 3),
    ],
)
def test_an_empty_reference_is_left_out(tmp_path: Path, fmt: str, source, doi: str, references: int) -> None:
    content = make_content(tmp_path / "content")
    assert run_import(fmt, source(tmp_path), "--source", content) == 0
    _, fields, _ = records_by_doi(content)[doi]
    assert len(fields["references"]) == references
    assert all(reference["text"] for reference in fields["references"])
    assert main(["check", "--source", str(content)]) == 0


@pytest.mark.parametrize(
    ("doi", "reason"),
    [
        ("10.5555/../../../../../tmp/pt/imp/PWN", "a DOI may not contain '.' or '..' path segments"),
        ("10.5555/" + "a" * 400, "a part between slashes is 400 bytes long"),
    ],
    ids=["dot-segments", "too-long"],
)
def test_an_article_the_build_would_refuse_is_reported_and_not_written(
    tmp_path: Path, capsys: pytest.CaptureFixture, doi: str, reason: str
) -> None:
    content = make_content(tmp_path / "content")
    work = crossref_work(tmp_path, DOI=doi)
    assert run_import("crossref", work, "--source", content) == 1
    out, err = capsys.readouterr()
    assert err.startswith(f"{work}: doi: ") and reason in err
    assert out.strip().splitlines()[-1] == "imported 0, updated 0, unchanged 0, skipped 0, failed 1"
    assert sorted(path.name for path in content.rglob("*")) == ["journal.yaml"]


def test_a_reference_identifier_the_build_would_refuse_is_left_out(tmp_path: Path) -> None:
    content = make_content(tmp_path / "content")
    odd = {"key": "odd", "unstructured": "Odd J. An odd article. 1998.", "DOI": "10.5555/../../etc"}
    work = crossref_work(tmp_path, reference=[odd])
    assert run_import("crossref", work, "--source", content) == 0
    _, fields, _ = records_by_doi(content)["10.5555/crj.2025.0412"]
    assert fields["references"] == [{"text": "Odd J. An odd article. 1998."}]
    assert main(["check", "--source", str(content)]) == 0


def test_a_reference_doi_in_sici_form_is_kept_and_the_record_builds(tmp_path: Path) -> None:
    """Old Wiley DOIs have `<` and `>`; the build accepts them, so the import keeps them."""
    content = make_content(tmp_path / "content")
    sici = "10.1002/(SICI)1097-0142(19960101)77:1<1::AID-CNCR1>3.0.CO;2-K"
    old = {"key": "old", "unstructured": "Old J. An old article. Cancer. 1996;77:1-5.", "DOI": sici}
    work = crossref_work(tmp_path, reference=[old])
    assert run_import("crossref", work, "--source", content) == 0
    _, fields, _ = records_by_doi(content)["10.5555/crj.2025.0412"]
    assert fields["references"] == [{"text": "Old J. An old article. Cancer. 1996;77:1-5.", "doi": sici}]
    assert main(["check", "--source", str(content)]) == 0


@pytest.mark.parametrize("options", [[], ["-q"]])
def test_the_import_says_the_warnings_the_build_will_say_of_the_records_it_writes(
    tmp_path: Path, capsys: pytest.CaptureFixture, options: list[str]
) -> None:
    """A keyword the source gives as two is warned about as the record is written (even with
    --quiet, as the build warns), not first by the next build: in the build's words, with
    the record's path as the import names it, its line and its field."""
    content = make_content(tmp_path / "content")
    source = fixture_with(tmp_path, "jats-case-report.xml", ("<kwd>infant leukemia</kwd>", "<kwd>leukemia; infant</kwd>"))
    assert run_import("jats", source, "--source", content, *options) == 0
    imported = _warnings(capsys.readouterr().err)
    assert len(imported) == 1 and "keywords[1]: 'leukemia; infant' looks like two keywords" in imported[0]
    assert main(["check", "--source", str(content)]) == 0
    checked = _warnings(capsys.readouterr().err)  # named relative to the content folder
    assert imported == [line.replace("Warning: ", f"Warning: {content.as_posix()}/", 1) for line in checked]


def _warnings(printed: str) -> list[str]:
    return [line for line in printed.splitlines() if line.startswith("Warning")]
