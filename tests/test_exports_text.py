"""Plain text of titles: the shortcut for titles without Markdown (in `markdown.plain_text`,
which `title_text` caches) gives what the parser gives."""

from __future__ import annotations

import random

import pytest

from caseshelf import markdown
from caseshelf.exports.text import title_text

TITLES = [
    "Plain title", "  Spaces around  ", "Two  spaces\tand a tab", "Ünïcödé — dashes… «quotes»",
    "*In vivo* study", "A_b_c", "50% & more", "x < y > z", "[link](https://example.org)",
    "Line\nbreak", "Carriage\rreturn", "NUL\x00inside", "back\\slash", "code `x`", "~strike~",
    "Hash # and colon: fine", "IL-6 (interleukin-6)", "",
]  # fmt: skip


@pytest.mark.parametrize("title", TITLES)
def test_title_text_is_what_the_parser_gives(title: str) -> None:
    assert title_text(title) == parsed(title)


def test_title_text_is_what_the_parser_gives_for_random_titles() -> None:
    alphabet = "ab Z9 \t\u00a0\u2003é—-.,:;()#%+@$/'\"*_`[]<>&\\!~^=|\n\r\x00"
    generator = random.Random(7)
    for _ in range(2000):
        title = "".join(generator.choice(alphabet) for _ in range(generator.randint(0, 12)))
        assert title_text(title) == parsed(title), repr(title)


def parsed(title: str) -> str:
    """The title's plain text through markdown-it, with no shortcut."""
    return markdown._plain(markdown._title_markdown().parseInline(title))
