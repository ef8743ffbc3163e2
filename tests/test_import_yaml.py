"""The YAML writer of imported records: every string comes back as the same string, whatever
YAML 1.1 (or 1.2) would make of it unquoted, and the layout is the hand-written one."""

from __future__ import annotations

from datetime import date

import pytest
import yaml

from caseshelf.importers.yamlout import Literal, dump

TRICKY = [
    "no", "No", "yes", "on", "off", "y", "n", "true", "FALSE", "null", "Null", "~", "", "12", "012", "0x1F",
    "0o17", "1e3", "1.0", "-1", "+1", ".5", ".inf", ".NaN", "1_000", "12:30:00", "2025-01-01",
    "2025-01-01 10:00:00", "=", "<<", "-", "- dash", "? q", ":", "key: value", "ends:", "a #b", "#c",
    "'quoted'", '"double"', "trailing ", "  leading", "tab\tin", "line\nbreak", "\u2028", "\x85", "\ufeff",
    "\x00", "\x07", "é ü Мачнева 中文 🧬", "back\\slash", "*star", "&anchor", "!tag", "%pct", "@at",
    "`tick", "|pipe", ">gt", "[x]", "{y}", ",comma", "10.1016/S0140-6736(96)91689-X", "0000-0002-1825-0097",
]


@pytest.mark.parametrize("text", TRICKY, ids=[repr(t) for t in TRICKY])
def test_every_string_reads_back_as_itself(text: str) -> None:
    fields = {"title": text, "keywords": [text, "plain"], "authors": [{"name": text, "family_name": "x"}],
              "affiliations": {"aff1": {"name": text}}}
    assert yaml.safe_load(dump(fields)) == fields


def test_layout_is_block_style_with_indented_lists() -> None:
    fields = {"title": "A title", "doi": "10.5555/x", "year": 2025, "volume": "12", "published": date(2025, 12, 15),
              "keywords": ["a", "b"], "affiliations": {"aff1": {"name": "N", "country": "Norway"}},
              "authors": [{"name": "A B", "affiliations": ["aff1"], "corresponding": True}]}
    assert dump(fields) == (
        "title: A title\ndoi: 10.5555/x\nyear: 2025\nvolume: '12'\npublished: 2025-12-15\n"
        "keywords:\n  - a\n  - b\naffiliations:\n  aff1:\n    name: N\n    country: Norway\n"
        "authors:\n  - name: A B\n    affiliations:\n      - aff1\n    corresponding: true\n"
    )


def test_abstract_of_a_yaml_record_is_a_literal_block() -> None:
    text = dump({"title": "T", "abstract": Literal("### Background\n\nOne: two # three\n")})
    assert text == "title: T\nabstract: |\n  ### Background\n\n  One: two # three\n"
    assert yaml.safe_load(text)["abstract"] == "### Background\n\nOne: two # three\n"


def test_empty_mappings_and_lists_read_back_as_themselves() -> None:
    fields = {"references": [{}, {"text": "A"}, {}, []], "affiliations": {}, "keywords": []}
    assert yaml.safe_load(dump(fields)) == fields
