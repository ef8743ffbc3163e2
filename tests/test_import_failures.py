"""One bad file never stops a batch: it is reported as `path[:line]: reason`, the others import,
and the exit code is 1. Hostile XML (entity expansion, external entities) is refused without
hanging and without reading local files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_import_support import make_content, run_import

from caseshelf.importers.imported import UnreadableInput
from caseshelf.importers.safexml import parse_xml

FIXTURES = Path(__file__).parent / "fixtures" / "import"
REPO = Path(__file__).resolve().parents[1]

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE article [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<article><front><article-meta><article-id pub-id-type="doi">10.5555/lol</article-id>
<title-group><article-title>&lol9;</article-title></title-group></article-meta></front></article>
"""


def external_entity(uri: str) -> str:
    return f"""<?xml version="1.0"?>
<!DOCTYPE article [ <!ENTITY secret SYSTEM "{uri}"> ]>
<article><front><article-meta><article-id pub-id-type="doi">10.5555/xxe</article-id>
<title-group><article-title>&secret;</article-title></title-group>
<contrib-group><contrib contrib-type="author"><name><surname>X</surname></name></contrib></contrib-group>
<pub-date><year>2024</year></pub-date></article-meta></front></article>
"""


def parameter_entity(uri: str) -> str:
    return f"""<?xml version="1.0"?>
<!DOCTYPE article [ <!ENTITY % remote SYSTEM "{uri}"> %remote; ]>
<article><front><article-meta><title-group><article-title>x</article-title></title-group></article-meta></front></article>
"""


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A local file an attacker would like to read; its content must never show up."""
    path = tmp_path / "secret.txt"
    path.write_text("TOKEN-5f1c2e-DO-NOT-LEAK", encoding="utf-8")
    return path


def run_in_subprocess(*args: str | Path, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    # A separate process with a generous timeout: an expansion bomb would hang here, not the run.
    return subprocess.run([sys.executable, str(REPO / "build.py"), "import", *map(str, args)],
                          cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False)


def test_billion_laughs_is_refused_and_the_batch_goes_on(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xml"
    bomb.write_text(BILLION_LAUGHS, encoding="utf-8")
    content = make_content(tmp_path / "content")
    result = run_in_subprocess("jats", bomb, FIXTURES / "jats-case-report.xml", "--source", content, cwd=tmp_path)
    assert result.returncode == 1
    assert f"{bomb}: refused: the DOCTYPE declares entities" in result.stderr
    assert result.stdout.strip().splitlines()[-1] == "imported 1, updated 0, unchanged 0, skipped 0, failed 1"
    assert "lollollol" not in result.stdout + result.stderr


@pytest.mark.parametrize("document", [external_entity, parameter_entity], ids=["general", "parameter"])
def test_external_entities_are_refused_without_reading_the_file(tmp_path: Path, secret: Path, document) -> None:
    content = make_content(tmp_path / "content")
    for target in (secret.as_uri(), "file:///etc/passwd"):
        hostile = tmp_path / "hostile.xml"
        hostile.write_text(document(target), encoding="utf-8")
        result = run_in_subprocess("jats", hostile, "--source", content, cwd=tmp_path)
        assert result.returncode == 1
        assert "refused: the DOCTYPE declares entities" in result.stderr
        everything = result.stdout + result.stderr
        assert "TOKEN-5f1c2e" not in everything and "root:" not in everything
        assert not list(content.rglob("*.md"))


def test_the_parser_itself_refuses_entity_declarations(secret: Path) -> None:
    for document in (BILLION_LAUGHS, external_entity(secret.as_uri()), parameter_entity(secret.as_uri())):
        with pytest.raises(UnreadableInput, match="refused"):
            parse_xml(document.encode("utf-8"))
    utf16 = external_entity(secret.as_uri()).replace('encoding="UTF-8"', "").encode("utf-16")
    with pytest.raises(UnreadableInput, match="refused"):
        parse_xml(utf16)


def test_an_external_dtd_is_neither_fetched_nor_required() -> None:
    # Real PMC files name their DTD; it is never loaded (no network, no file), and need not exist.
    root = parse_xml(b'<!DOCTYPE article SYSTEM "http://example.invalid/evil.dtd"><article><front/></article>')
    assert root.tag == "article"


def test_bad_files_are_reported_and_the_good_ones_import(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_text("<article>\n<front>\n<article-meta>\n</front></article>\n", encoding="utf-8")
    not_jats = tmp_path / "not-jats.xml"
    not_jats.write_text("<html><body>hello</body></html>", encoding="utf-8")
    missing = tmp_path / "missing.xml"
    content = make_content(tmp_path / "content")
    assert run_import("jats", broken, not_jats, missing, FIXTURES / "jats-case-report.xml", "--source", content) == 1
    out, err = capsys.readouterr()
    assert f"{broken}:4: XML syntax error: " in err
    assert f"{not_jats}: no JATS <article> element (the root element is <html>)" in err
    assert f"{missing}: cannot read: " in err
    assert out.strip().splitlines()[-1] == "imported 1, updated 0, unchanged 0, skipped 0, failed 3"
    assert len(list(content.rglob("*.md"))) == 1


def test_wrong_format_for_the_command_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    content = make_content(tmp_path / "content")
    assert run_import("pubmed", FIXTURES / "jats-case-report.xml", "--source", content) == 1
    assert "not PubMed XML (the root element is <article>, not <PubmedArticleSet>)" in capsys.readouterr().err
    assert run_import("crossref", FIXTURES / "pubmed.xml", "--source", content) == 1
    assert "not Crossref deposit XML" in capsys.readouterr().err
    submission = tmp_path / "ojs-pubmed-export.xml"  # PubMed's submission format, as OJS exports it
    submission.write_text("<ArticleSet><Article><ArticleTitle>A title</ArticleTitle></Article></ArticleSet>", encoding="utf-8")
    assert run_import("pubmed", submission, "--source", content) == 1
    err = capsys.readouterr().err
    assert f"{submission}: PubMed's submission format (<ArticleSet>, as OJS's PubMed export plugin writes it)" in err
    assert "import the journal's Crossref export (import crossref)" in err
    bad_json = tmp_path / "bad.json"
    bad_json.write_text('{"message": {"DOI": "10.5555/x",\n  "title": [}', encoding="utf-8")
    assert run_import("crossref", bad_json, "--source", content) == 1
    assert f"{bad_json}:2: JSON syntax error: " in capsys.readouterr().err
    for text in ("null", '"a string"', "42"):  # JSON, but no works
        bad_json.write_text(text, encoding="utf-8")
        assert run_import("crossref", bad_json, "--source", content) == 1
        assert f"{bad_json}: not Crossref works JSON: no work with a DOI found" in capsys.readouterr().err


def test_a_folder_without_matching_files_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run_import("jats", empty, "--source", make_content(tmp_path / "content")) == 1
    assert "no files to import" in capsys.readouterr().err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.xml"
    os.mkfifo(fifo)
    # In a subprocess: opening the pipe the plain way would wait for a writer for ever.
    result = run_in_subprocess("jats", fifo, FIXTURES / "jats-case-report.xml", "--source", make_content(tmp_path / "content"),
                               cwd=tmp_path, timeout=30)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"{fifo}: cannot read: it is not a regular file (a named pipe, socket or device)"]
    assert result.stdout.strip().splitlines()[-1] == "imported 1, updated 0, unchanged 0, skipped 0, failed 1"


def test_a_content_folder_without_journal_yaml_is_an_error_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    missing = tmp_path / "nonexist"
    assert run_import("jats", FIXTURES / "jats-case-report.xml", "--source", missing) == 1
    assert capsys.readouterr().err.startswith(f"import: journal.yaml: not found in {missing}: ")
    assert not missing.exists()


@pytest.mark.parametrize("into", ["/", "..", "elsewhere"], ids=["root", "parent", "beside-content"])
def test_into_outside_the_articles_folder_is_an_error(tmp_path: Path, into: str) -> None:
    content = make_content(tmp_path / "content")
    # In a subprocess: `--into /` searched the whole file system for records.
    result = run_in_subprocess("jats", FIXTURES / "jats-case-report.xml", "--source", content, "--into", into,
                               cwd=content, timeout=30)
    assert result.returncode == 1
    assert result.stderr == f"import: --into {into}: must be a folder inside {content}/articles, where the build reads records\n"
    assert sorted(path.name for path in tmp_path.rglob("*")) == ["content", "journal.yaml"]


@pytest.mark.parametrize("option", ["--into", "--source"])
def test_an_empty_folder_name_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture, option: str) -> None:
    content = make_content(tmp_path / "content")
    # `--source content --source ""`: the last one counts, as for any option given twice.
    with pytest.raises(SystemExit) as exit_:
        run_import("jats", FIXTURES / "jats-case-report.xml", "--source", content, option, "")
    assert exit_.value.code == 2
    assert f"argument {option}: an empty folder name" in capsys.readouterr().err
    assert not (content / "articles").exists()


def test_json_nested_too_deeply_is_reported_and_the_batch_goes_on(tmp_path: Path) -> None:
    """Python's JSON parser recurses once per level: a file of 100,000 `[` ended the whole run
    with a RecursionError traceback, and the files after it were never imported."""
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    result = run_in_subprocess("crossref", deep, FIXTURES / "crossref-work.json", "--source", make_content(tmp_path / "content"), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"{deep}: JSON nested too deeply to be Crossref works JSON"]
    assert result.stdout.strip().splitlines()[-1] == "imported 1, updated 0, unchanged 0, skipped 0, failed 1"


def test_an_unreadable_site_language_stops_the_import_before_anything_is_read(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """Records are written in journal.yaml's `language`: without it, the importer cannot tell
    which of a source's translations to take."""
    content = make_content(tmp_path / "content")
    journal = content / "journal.yaml"
    journal.write_text(journal.read_text(encoding="utf-8").replace("language: en", "language: english!"), encoding="utf-8")
    assert run_import("jats", FIXTURES / "jats-case-report.xml", "--source", content) == 1
    assert "journal.yaml:7: language: 'english!' is not a language code" in capsys.readouterr().err
    assert not (content / "articles").exists()
