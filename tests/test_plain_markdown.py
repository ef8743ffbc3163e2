"""The plain-Markdown reader gives exactly markdown-it's tokens, or leaves the text to markdown-it.

`plain_tokens` is a fast path for abstracts: whatever it returns must be what the parser the
pages use returns for the same text (every field of every token, children included); text it
is not sure of must come back as None. Checked on the sample journal, a generated journal, the
real JATS corpus (when it is beside the checkout), hand-written corner cases and thousands of
seeded random mutations.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from conftest import REPO, generate_journal

from caseshelf.loading.frontmatter import split_front_matter
from caseshelf.markdown import _markdown, _plain_html, parse_block, render_block
from caseshelf.plain_markdown import OTHER_WHITESPACE, plain_tokens

JATS_CORPUS = REPO.parent / "shared" / "corpus" / "jats"


def abstract_of(path: Path) -> str:
    return split_front_matter(path.read_text(encoding="utf-8"), path.name).body


def abstracts_in(content: Path) -> dict[str, str]:
    return {path.relative_to(content).as_posix(): abstract_of(path) for path in sorted(content.rglob("*.md"))}


SAMPLE = abstracts_in(REPO / "content")


def assert_same_as_markdown_it(text: str) -> bool:
    """Whether the fast path read `text`; if it did, its tokens must be the parser's."""
    tokens = plain_tokens(text)
    if tokens is not None:
        assert tokens == _markdown().parse(text), text
    return tokens is not None


def test_the_sample_abstracts_are_read_fast_and_exactly() -> None:
    read_fast = [name for name, text in SAMPLE.items() if assert_same_as_markdown_it(text)]
    # Headings, paragraphs and italic gene names (*KMT2A*::*AFF1*) are all fast; the one left
    # to the parser has `code`.
    assert len(read_fast) == len(SAMPLE) - 1, sorted(set(SAMPLE) - set(read_fast))


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return abstracts_in(generate_journal(tmp_path_factory.mktemp("generated") / "content", 300, seed=5))


def test_generated_abstracts_are_read_fast_and_exactly(generated: dict[str, str]) -> None:
    assert all(assert_same_as_markdown_it(text) for text in generated.values())


@pytest.mark.skipif(not JATS_CORPUS.is_dir(), reason=f"the real JATS corpus is not beside the checkout ({JATS_CORPUS})")
def test_abstracts_imported_from_real_jats_are_read_exactly() -> None:
    from caseshelf.importers.imported import ImportedArticle
    from caseshelf.importers.jats import read_jats

    abstracts = [
        article.abstract
        for path in sorted(JATS_CORPUS.glob("*"))
        if path.suffix in (".xml", ".nxml")
        for article in read_jats(path.read_bytes())
        if isinstance(article, ImportedArticle) and article.abstract
    ]
    read_fast = sum(assert_same_as_markdown_it(text) for text in abstracts)
    assert len(abstracts) > 50 and read_fast > len(abstracts) // 4


READ_FAST = {
    "paragraphs": "One line.\nAnother line of the same paragraph.\n\nA second paragraph.",
    "headings of every level": "# One\ntext\n## Two\n### Three\n\n#### Four\n##### Five\n###### Six",
    "a heading interrupting a paragraph": "text\n### Case presentation\nmore text",
    "blank lines first and last": "\n\n\nText.\n\n\n",
    "spaces after the heading signs": "##    Background\ntext",
    "italics": "*KMT2A* (*MLL*), *KMT2A*::*AFF1*, *in vivo*. *ALK*-positive, *a*/*b*",
    "italics in a heading": "## *In vivo* findings",
    "italics at the start of a line": "text\n*ALK* was rearranged",
    "punctuation that is only text here": "5% of 1,000; x-y = z + w: @a {b} ^c $d # e 'f' \"g\" ? /h",
    "numbers that are not list markers": "2.4 mg/kg.\n10)x\n3.x",
    "no text at all": "",
    "non-ASCII text": "Ребёнок 3 лет; 10⁹/L × 2 — 中文 🙂",
}


@pytest.mark.parametrize("text", READ_FAST.values(), ids=READ_FAST.keys())
def test_plain_text_is_read_fast_and_exactly(text: str) -> None:
    assert assert_same_as_markdown_it(text)


LEFT_TO_MARKDOWN_IT = {
    "bold": "**bold** text",
    "underscore": "snake_case and _em_",
    "italics inside a word": "a*b*c",
    "italics next to a letter": "x*a* y",
    "an unclosed star": "*KMT2A and more",
    "a star before a space": "* item",
    "three stars": "***",
    "code": "a `slug:` field",
    "an escape": "a \\* star",
    "a link": "[a](https://example.org)",
    "an image": "![alt](x.png)",
    "an autolink": "<https://example.org>",
    "an entity": "AT&amp;T",
    "raw HTML": "<b>x</b>",
    "strikethrough": "~~gone~~",
    "a table": "a | b\n--|--\n1 | 2",
    "a quote": "> quoted",
    "a bullet list": "text\n- item",
    "a plus list": "+ item",
    "an ordered list": "1. first\n2. second",
    "an ordered list with )": "1) first",
    "a rule": "text\n\n---\n",
    "a setext heading": "Title\n=====",
    "a setext heading with dashes": "Title\n---",
    "indented code": "    code",
    "an indented line": "text\n  indented",
    "a line break": "text  \nmore",
    "a trailing space": "text \nmore",
    "a tab": "a\tb",
    "a no-break space": "a\u00a0b",
    "a carriage return": "a\r\nb",
    "NUL": "a\x00b",
    "a hash that is not a heading": "#hashtag",
    "a heading with closing signs": "## Title ##",
    "an empty heading": "##",
    "seven signs": "####### seven",
}


@pytest.mark.parametrize("text", LEFT_TO_MARKDOWN_IT.values(), ids=LEFT_TO_MARKDOWN_IT.keys())
def test_anything_else_is_left_to_markdown_it(text: str) -> None:
    assert plain_tokens(text) is None


def test_every_other_whitespace_character_is_left_to_markdown_it() -> None:
    others = {chr(code) for code in range(sys.maxunicode + 1) if chr(code).isspace()} - {" ", "\n"}
    assert set(OTHER_WHITESPACE) == others
    assert all(plain_tokens(f"a{character}b") is None for character in others)


# What an editor's typing or a converted document puts into an abstract.
MUTATION_PIECES = ["*", "**", " *", "* ", "*a*", "(*", "*)", "*x*y", "x*", "#", "## ", "\n## ", "\n", "\n\n",
                   " ", "  ", "- ", "\n- ", "1. ", "\n1. ", "1) ", "\n2.4", "=", "\n===", "\n---", ">", "\n> ",
                   "    ", "\n    ", "\t", "\\", "`", "_", "&", "&amp;", "<", "[", "]", "!", "~~", "|", "\u00a0",
                   "é", "x", ":", "(", ")", ".", "#x", "***", "+", "\n+ x", "-", "\u2028"]  # fmt: skip


def mutants(text: str, count: int, seed: int) -> list[str]:
    generator = random.Random(seed)
    found = []
    for _ in range(count):
        mutant = text
        for _ in range(generator.randint(1, 3)):
            where = generator.randint(0, len(mutant))
            if generator.random() < 0.75:
                mutant = mutant[:where] + generator.choice(MUTATION_PIECES) + mutant[where:]
            else:
                mutant = mutant[:where] + mutant[where + generator.randint(1, 4) :]
        found.append(mutant)
    return found


@pytest.mark.parametrize("name", sorted(name for name, text in SAMPLE.items() if plain_tokens(text) is not None))
def test_mangled_abstracts_are_read_exactly_or_left_to_markdown_it(name: str) -> None:
    read_fast = sum(assert_same_as_markdown_it(text) for text in mutants(SAMPLE[name], count=300, seed=len(name)))
    # Most mutants stay plain (a letter, a space, a paragraph break, a heading moved): they must
    # be read fast too, or the comparison above would be checking almost nothing.
    assert read_fast > 60


def test_parse_block_gives_the_parsers_tokens_either_way() -> None:
    for text in [*SAMPLE.values(), *READ_FAST.values(), *LEFT_TO_MARKDOWN_IT.values()]:
        parse_block.cache_clear()
        assert list(parse_block(text)) == _markdown().parse(text)


def test_the_html_of_plain_tokens_is_the_renderers() -> None:
    markdown = _markdown()
    texts = [*SAMPLE.values(), *READ_FAST.values(), *LEFT_TO_MARKDOWN_IT.values(), "1. a\n\n   b\n2. c", "- a\n- b"]
    for text in [*texts, *mutants(SAMPLE["articles/2025/12-4/fictional-venetoclax-bridging.md"], 300, seed=2)]:
        tokens = markdown.parse(text)
        assert render_block(text) == markdown.renderer.render(tokens, markdown.options, {}), text
    # ...and the plain ones were written without the renderer.
    assert all(_plain_html(parse_block(text)) is not None for text in texts if plain_tokens(text) is not None)
