"""Re-importing: never a duplicate; unchanged records left alone; records the importer wrote are
updated; hand-edited ones are skipped unless --force; --skip-existing leaves every existing one."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_import_support import JOURNAL_YAML, read_record, run_import

from caseshelf.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "import" / "jats-case-report.xml"
RECORD = Path("articles/2025/12-4/fjpho-2025-12-4-89-96.md")


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "journal.yaml").write_text(JOURNAL_YAML, encoding="utf-8")
    return folder


def revised_source(tmp_path: Path, new_title: str = "A corrected title") -> Path:
    """The fixture as the publisher re-exported it after correcting the title."""
    text = FIXTURE.read_text(encoding="utf-8")
    start, end = text.index('<article-title xml:lang="en">'), text.index("</article-title>")
    revised = tmp_path / "revised.xml"
    revised.write_text(text[:start] + f'<article-title xml:lang="en">{new_title}' + text[end:], encoding="utf-8")
    return revised


def summary(capsys: pytest.CaptureFixture) -> str:
    return capsys.readouterr().out.strip().splitlines()[-1]


def record_files(content: Path) -> list[Path]:
    return sorted((content / "articles").rglob("*.md"))


def test_reimporting_the_same_file_changes_nothing(content: Path, capsys: pytest.CaptureFixture) -> None:
    assert run_import("jats", FIXTURE, "--source", content) == 0
    first = (content / RECORD).read_bytes()
    capsys.readouterr()
    assert run_import("jats", FIXTURE, "--source", content) == 0
    assert summary(capsys) == "imported 0, updated 0, unchanged 1, skipped 0, failed 0"
    assert (content / RECORD).read_bytes() == first
    assert record_files(content) == [content / RECORD]


def test_a_record_the_importer_wrote_is_updated_in_place(content: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    run_import("jats", FIXTURE, "--source", content)
    capsys.readouterr()
    assert run_import("jats", revised_source(tmp_path), "--source", content) == 0
    assert summary(capsys) == "imported 0, updated 1, unchanged 0, skipped 0, failed 0"
    assert read_record(content / RECORD)[0]["title"] == "A corrected title"
    assert record_files(content) == [content / RECORD]
    assert main(["check", "--source", str(content)]) == 0


def test_a_hand_edited_record_is_skipped_unless_forced(content: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    run_import("jats", FIXTURE, "--source", content)
    record = content / RECORD
    hand_edited = record.read_text(encoding="utf-8").replace("degrees: Cand. of Sci. (Med.)", "degrees: MD, PhD")
    record.write_text(hand_edited, encoding="utf-8")
    capsys.readouterr()

    assert run_import("jats", revised_source(tmp_path), "--source", content) == 0
    out = capsys.readouterr().out
    assert "skipped" in out and "edited by hand" in out and "--force" in out
    assert out.strip().splitlines()[-1] == "imported 0, updated 0, unchanged 0, skipped 1, failed 0"
    assert record.read_text(encoding="utf-8") == hand_edited

    assert run_import("jats", revised_source(tmp_path), "--source", content, "--force") == 0
    assert summary(capsys) == "imported 0, updated 1, unchanged 0, skipped 0, failed 0"
    fields, _ = read_record(record)
    assert fields["title"] == "A corrected title" and fields["authors"][0]["degrees"] == "Cand. of Sci. (Med.)"
    # Once overwritten, the record carries a valid stamp again: the next change is an update.
    assert run_import("jats", FIXTURE, "--source", content) == 0
    assert summary(capsys) == "imported 0, updated 1, unchanged 0, skipped 0, failed 0"


def test_skip_existing_leaves_every_existing_record_alone(content: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    run_import("jats", FIXTURE, "--source", content)
    before = (content / RECORD).read_bytes()
    capsys.readouterr()
    assert run_import("jats", revised_source(tmp_path), "--source", content, "--skip-existing") == 0
    assert summary(capsys) == "imported 0, updated 0, unchanged 0, skipped 1, failed 0"
    assert (content / RECORD).read_bytes() == before


def test_an_existing_hand_written_record_is_found_anywhere_by_doi(content: Path, capsys: pytest.CaptureFixture) -> None:
    # Written by hand, in a folder of the editor's choosing, the DOI in other letter case.
    own = content / "articles" / "mine" / "machneva.md"
    own.parent.mkdir(parents=True)
    own.write_text("---\ntitle: Mine\ndoi: 10.5555/FJPHO-2025-12-4-89-96\nyear: 2025\n"
                   "authors:\n  - name: E. B. Machneva\n---\nMy abstract.\n", encoding="utf-8")
    assert run_import("jats", FIXTURE, "--source", content) == 0
    assert "skipped" in capsys.readouterr().out
    assert record_files(content) == [own]
    assert run_import("jats", FIXTURE, "--source", content, "--force") == 0
    assert record_files(content) == [own]
    assert read_record(own)[0]["doi"] == "10.5555/fjpho-2025-12-4-89-96"


def test_a_yaml_record_is_updated_as_yaml(content: Path) -> None:
    own = content / "articles" / "machneva.yaml"
    own.parent.mkdir(parents=True)
    own.write_text("title: Mine\ndoi: 10.5555/fjpho-2025-12-4-89-96\nyear: 2025\nauthors:\n  - name: E. B. Machneva\n", encoding="utf-8")
    assert run_import("jats", FIXTURE, "--source", content, "--force") == 0
    text = own.read_text(encoding="utf-8")
    assert text.startswith("# imported-by caseshelf; sha256=") and "\nabstract: |\n  ### Background\n" in text
    assert record_files(content) == []
    assert main(["check", "--source", str(content)]) == 0


def test_the_same_doi_twice_in_one_batch_gives_one_record(content: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    copy = tmp_path / "copy.xml"
    copy.write_bytes(FIXTURE.read_bytes())
    assert run_import("jats", FIXTURE, copy, "--source", content) == 0
    assert summary(capsys) == "imported 1, updated 0, unchanged 1, skipped 0, failed 0"
    assert record_files(content) == [content / RECORD]


def test_into_writes_new_records_flat_and_still_finds_existing_ones(content: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    into = content / "articles" / "incoming"
    assert run_import("jats", FIXTURE, "--source", content, "--into", into) == 0
    assert sorted(into.iterdir()) == [into / "fjpho-2025-12-4-89-96.md"]
    capsys.readouterr()
    assert run_import("jats", FIXTURE, "--source", content, "--into", into) == 0
    assert summary(capsys) == "imported 0, updated 0, unchanged 1, skipped 0, failed 0"


def test_a_different_doi_with_the_same_suffix_gets_its_own_slug(content: Path, tmp_path: Path) -> None:
    other = tmp_path / "other-prefix.xml"
    other.write_text(FIXTURE.read_text(encoding="utf-8").replace("10.5555/fjpho", "10.9999/fjpho"), encoding="utf-8")
    assert run_import("jats", FIXTURE, other, "--source", content) == 0
    second = content / "articles/2025/12-4/10-9999-fjpho-2025-12-4-89-96.md"
    assert read_record(second)[0]["slug"] == "10-9999-fjpho-2025-12-4-89-96"
    assert main(["check", "--source", str(content)]) == 0


def test_a_record_saved_with_a_bom_and_windows_line_ends_is_still_found(content: Path) -> None:
    own = content / "articles" / "windows.md"
    own.parent.mkdir(parents=True)
    own.write_bytes("\ufeff---\r\ntitle: Mine\r\ndoi: 10.5555/fjpho-2025-12-4-89-96\r\nyear: 2025\r\n"
                    "authors:\r\n  - name: E. B. Machneva\r\n---\r\nMy abstract.\r\n".encode())
    assert run_import("jats", FIXTURE, "--source", content) == 0
    assert record_files(content) == [own]
