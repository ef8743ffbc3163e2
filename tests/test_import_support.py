"""Helpers shared by the importer tests (no tests here): run the real command, read records back."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from caseshelf.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "import"

JOURNAL_YAML = """\
title: Imported Test Journal
abbreviation: Imp Test J
publisher: Test Publisher
issn_print: 2311-1267
issn_online: 2413-5496
base_url: https://example.github.io/imported/
language: en
license: CC-BY-4.0
doi_prefix: "10.5555"
"""


def make_content(folder: Path) -> Path:
    """A content folder with a journal.yaml and no records yet, as `import` requires."""
    folder.mkdir(parents=True)
    (folder / "journal.yaml").write_text(JOURNAL_YAML, encoding="utf-8")
    return folder


def run_import(*args: str | Path) -> int:
    """`python build.py import ...` in-process, through the CLI the user calls."""
    return main(["import", *map(str, args)])


def read_record(path: Path) -> tuple[dict, str]:
    """(front matter, body) of a Markdown record, parsed with a plain YAML loader."""
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n"), path
    head, _, body = text[4:].partition("\n---\n")
    return yaml.safe_load(head), body


def records_by_doi(folder: Path) -> dict[str, tuple[Path, dict, str]]:
    found = {}
    for path in sorted(folder.rglob("*.md")):
        fields, body = read_record(path)
        found[str(fields["doi"]).lower()] = (path, fields, body)
    return found


def fixture_with(folder: Path, fixture: str, *replacements: tuple[str, str]) -> Path:
    """A copy of a fixture in `folder`, each (old, new) replaced once; every old must be there."""
    text = (FIXTURES / fixture).read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    (folder / fixture).write_text(text, encoding="utf-8")
    return folder / fixture


def crossref_work(folder: Path, **changes) -> Path:
    """The Crossref fixture with fields replaced: a value, or a function of the old value."""
    document = json.loads((FIXTURES / "crossref-work.json").read_text(encoding="utf-8"))
    work = document["message"]
    for key, change in changes.items():
        work[key] = change(work.get(key)) if callable(change) else change
    (folder / "work.json").write_text(json.dumps(document), encoding="utf-8")
    return folder / "work.json"
