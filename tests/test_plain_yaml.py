"""The plain-YAML reader gives exactly libyaml's value, or leaves the document to libyaml.

`read_plain_yaml` is a fast path: whatever it returns must be what libyaml's safe loader (with
every scalar as text, as caseshelf reads records) returns for the same text; a document it
does not fully understand must come back as NOT_PLAIN. Checked on the sample journal, on hand-
written YAML corner cases, and on thousands of seeded random mutations of real records.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml

from caseshelf.loading import plain_yaml, yamldoc
from caseshelf.loading.plain_yaml import NOT_PLAIN, read_plain_yaml
from caseshelf.loading.source import split_front_matter

CONTENT = Path(__file__).resolve().parent.parent / "content"


def libyaml_reads(text: str) -> object:
    """What caseshelf's libyaml loader reads from `text`; an exception class if it refuses it."""
    loader = yamldoc._Loader(text)
    try:
        return yamldoc._construct(loader, loader.get_single_node(), may_have_aliases=True)
    except yaml.YAMLError as error:
        return type(error)
    finally:
        loader.dispose()


def yaml_of(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return split_front_matter(text, path.name).yaml_text if path.suffix == ".md" else text


SAMPLE_YAML = {path.relative_to(CONTENT).as_posix(): yaml_of(path) for path in sorted(CONTENT.rglob("*.md"))}


def assert_same_as_libyaml(text: str) -> object:
    value = read_plain_yaml(text)
    if value is not NOT_PLAIN:
        assert value == libyaml_reads(text), text
    return value


@pytest.mark.parametrize("name", sorted(SAMPLE_YAML))
def test_every_sample_record_is_read_fast_and_exactly(name: str) -> None:
    value = assert_same_as_libyaml(SAMPLE_YAML[name])
    # If the sample records' style (comments after values, quoted and bracketed values) fell
    # back to libyaml, the fast path would be lost without anything else noticing.
    assert value is not NOT_PLAIN


READ_PLAINLY = {
    "text, quoted text, comments": 'a: x y  \nb: "q: #1"  # why\nc: \'it\'\'s\'\n# a comment line\nd: z # note\n',
    "empty values": 'a:\nb: ""\nc: \'\'\nd: []\ne:   # nothing yet\n',
    "nested blocks": "a:\n  b:\n    c: d\n  e: f\ng: h\n",
    "list of mappings": "l:\n  - k: 1\n    m: [x, y z]\n  -   k: 2\n      m: []\nn: o\n",
    "list at the key's column": "l:\n- a\n- b\nn: o\nm:\n- k: v\n  j: w\n",
    "lists of text": "l:\n  - one\n  - 'two'\n  - \"three\"\n  - [four, five]\n",
    "YAML 1.1 lookalikes stay text": "a: no\nb: 010\nc: 1:20\nd: 2024-01-02\ne: ~\nf: null\ng: .inf\n",
    "non-ASCII and symbols": "a: Đorđević — “q” 🙂 ×10⁹/L\nb: a, b [c] {d} & e * f ! g\nc: http://x.org/a#b\n",
    "spaces YAML does not break at": "a: 10\xa0mg\u2009q\u00ad\u200b\ue000\n",
    "blank lines": "\n\na: b\n\n   \nc: d\n\n",
    "a list at the top": "- a\n- b: c\n",
}


@pytest.mark.parametrize("text", READ_PLAINLY.values(), ids=READ_PLAINLY.keys())
def test_plain_documents_are_read_fast_and_exactly(text: str) -> None:
    assert assert_same_as_libyaml(text) is not NOT_PLAIN


LEFT_TO_LIBYAML = {
    "key written twice": "a: 1\nb: 2\na: 3\n",
    "unclosed quote": 'a: "x\nb: y\n',
    "colon in text": "a: b: c\n",
    "text ending in a colon": "a: b:\n",
    "multi-line text": "a: first\n  second\nb: c\n",
    "text on its own line": "a:\n  text\n",
    "tab": "a:\tb\n",
    "carriage return": "a: b\r\nc: d\r\n",
    "control character": "a: b\x01\n",
    "next-line character": "a: b\x85c\n",
    "byte-order mark inside": "a: b\ufeffc\n",
    "escapes": 'a: "\\u00e9\\n"\n',
    "block scalar": "a: |\n  x\n",
    "folded scalar": "a: >\n  x\n",
    "anchor and alias": "a: &x b\nc: *x\n",
    "tag": "a: !!int 1\n",
    "flow mapping": "a: {b: c}\n",
    "nested flow list": "a: [[b]]\n",
    "quoted item in a flow list": "a: [\"b\", c]\n",
    "empty flow item": "a: [b, , c]\n",
    "list in a list": "a:\n  - - b\n",
    "empty item": "a:\n  -\n  - b\n",
    "bad indentation": "a:\n    b: 1\n  c: 2\n",
    "dash among keys": "a: b\n- c\n",
    "root text": "hello\n",
    "indented root": "  a: b\n",
    "empty document": "",
    "only comments": "# nothing\n",
    "document marker": "---\na: b\n",
    "directive": "%YAML 1.1\n---\na: b\n",
    "quoted key": '"a": b\n',
    "number key": "2020: b\n",
    "complex key": "? a\n: b\n",
    "no space after colon": "a:b\n",
    "comment glued to quote": 'a: "b"# c\n',
    "dash text": "a: -5\n",
    "question mark text": "a: ?b\n",
    "reserved character": "a: @b\n",
    "over-long key": "k" * 1100 + ": v\n",
}


@pytest.mark.parametrize("text", LEFT_TO_LIBYAML.values(), ids=LEFT_TO_LIBYAML.keys())
def test_anything_else_is_left_to_libyaml(text: str) -> None:
    assert read_plain_yaml(text) is NOT_PLAIN


EVERY_CHARACTER = [chr(code) for code in [*range(0x10000), 0x10000, 0x1F642, 0xE0001, 0xF0000, 0x10FFFF]]


def test_every_character_in_a_value_is_read_as_libyaml_reads_it() -> None:
    read_plainly = [char for char in EVERY_CHARACTER if assert_same_as_libyaml(f"a: x{char}y\n") is not NOT_PLAIN]
    assert len(read_plainly) > 60_000


def test_printable_text_needs_no_closer_look() -> None:
    """read_plain_yaml asks str.isprintable() before searching for the characters it leaves to
    libyaml: no printable character may be one of them."""
    assert not [char for char in EVERY_CHARACTER if char.isprintable() and plain_yaml._OUTSIDE_PLAIN_TEXT.search(char)]


# What a careless edit or a strange record puts into YAML text.
MUTATION_PIECES = [" ", "  ", "\n", "\n  ", "- ", ": ", ":", "#", " #", '"', "'", "''", "[", "]", ",",
                   "{", "&a ", "*a", "!", "|", ">", "?", "%", "\\", "\t", "\r", "-", "x", "é", "\n- x",
                   "\n  - ", "\na: b", "\n    k: v", "---", "~"]  # fmt: skip


def mutants(text: str, count: int, seed: int) -> list[str]:
    generator = random.Random(seed)
    lines = text.split("\n")
    found = []
    for _ in range(count):
        mutant = list(lines)
        for _ in range(generator.randint(1, 3)):
            row = generator.randrange(len(mutant))
            line = mutant[row]
            where = generator.randint(0, len(line))
            action = generator.random()
            if action < 0.5:
                mutant[row] = line[:where] + generator.choice(MUTATION_PIECES) + line[where:]
            elif action < 0.7:
                mutant[row] = line[:where] + line[where + generator.randint(1, 4) :]
            elif action < 0.85:
                mutant.insert(row, mutant[generator.randrange(len(mutant))])
            else:
                mutant[row] = " " * generator.randint(0, 6) + line.lstrip(" ")
        found.append("\n".join(mutant))
    return found


@pytest.mark.parametrize("name", sorted(SAMPLE_YAML)[:8])
def test_mangled_records_are_read_exactly_or_left_to_libyaml(name: str) -> None:
    read_plainly = 0
    for text in mutants(SAMPLE_YAML[name], count=400, seed=len(name)):
        value = assert_same_as_libyaml(text)
        read_plainly += value is not NOT_PLAIN
    # Many mutants stay valid plain YAML (a changed letter, a repeated line in a list): they
    # must be read fast too, or the comparison above would be checking almost nothing.
    assert read_plainly > 40


def test_a_plain_read_record_still_reports_problems_on_their_lines(tmp_path: Path) -> None:
    text = "title: A title\nyear: 2020\nauthors:\n  - name: A. Author\n    orcid: not-an-orcid\n"
    assert read_plain_yaml(text) is not NOT_PLAIN
    document = yamldoc.YamlDocument(text, "record.yaml", first_line=1)
    assert document.line_of(("authors", 0, "orcid")) == 5
    assert document.line_of(("year",)) == 2
    assert document.line_of(("authors", 3)) == 4  # no such author: where the list starts
