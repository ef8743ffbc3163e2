"""Markdown for titles and abstracts (caseshelf/markdown.py): the shortcuts for titles without
Markdown give exactly what markdown-it gives."""

from __future__ import annotations

import pytest

from caseshelf import markdown
from caseshelf.markdown import plain_text, render_inline

TITLES = [
    "Successful treatment of Wilms tumor in a 10-month-old boy",
    "  Leading and trailing spaces\u00a0",
    "Punctuation: #1, 50% (n=3), {braces}, +/- 2 @ 10:30; www.example.org or https://example.org?",
    "Кишечная инвагинация у ребёнка 3 лет — клинический случай",
    "Tabs\tand\u2028separators\u3000here",
    "",
]


@pytest.mark.parametrize("title", TITLES)
def test_plain_text_of_a_title_without_markdown_is_markdown_its(title):
    assert plain_text(title) == markdown._plain(markdown._title_markdown().parseInline(title))


@pytest.mark.parametrize("title", TITLES[:-1])
def test_render_inline_of_a_title_without_markdown_is_markdown_its(title):
    assert render_inline(title) == markdown._title_markdown().renderInline(title)


def test_titles_with_markdown_or_special_characters_still_go_through_the_parser():
    assert plain_text("*Escherichia coli* &amp; `code` [link](x)") == "Escherichia coli & code [link](x)"  # no links in titles
    assert plain_text("Carriage\rreturn") == markdown._plain(markdown._title_markdown().parseInline("Carriage\rreturn"))


ABSTRACT = "# Background\n\nA *case*.\n\n## Case presentation\n\n- one\n- two\n"


def test_parsed_abstract_is_shared_and_equal_to_a_fresh_parse():
    from markdown_it import MarkdownIt

    tokens = markdown.parse_block(ABSTRACT)
    assert markdown.parse_block(ABSTRACT) is tokens
    fresh = MarkdownIt("js-default").parse(ABSTRACT)
    assert [token.as_dict() for token in tokens] == [token.as_dict() for token in fresh]


def test_rendering_a_page_leaves_the_shared_tokens_as_parsed():
    before = [token.tag for token in markdown.parse_block(ABSTRACT)]
    assert "<h3>Background</h3>" in markdown.render_block(ABSTRACT)
    assert [token.tag for token in markdown.parse_block(ABSTRACT)] == before
    assert "h1" in before and "h3" not in before


def test_block_plain_text_keeps_headings_as_lines():
    assert markdown.block_plain_text(ABSTRACT) == "Background\n\nA case.\n\nCase presentation\n\none\n\ntwo"


RICH_ABSTRACT = (
    "# Background\n\nA *case* with ![an **MRI** scan](scan.png \"T2\") and ![](empty.png).\n\n"
    "### Case\n\n```text\ncode\n```\n\n> quoted [link](https://example.org)\n"
)


def test_a_page_renders_from_the_shared_tokens_as_from_a_fresh_parse_and_leaves_them_as_parsed():
    from markdown_it import MarkdownIt

    reference = MarkdownIt("js-default", {"typographer": False}).render(RICH_ABSTRACT)
    reference = reference.replace("<h1>", "<h3>").replace("</h1>", "</h3>")
    assert 'alt="an MRI scan"' in reference and 'alt=""' in reference
    before = [token.as_dict() for token in markdown.parse_block(RICH_ABSTRACT)]
    assert markdown.render_block(RICH_ABSTRACT) == reference
    assert [token.as_dict() for token in markdown.parse_block(RICH_ABSTRACT)] == before
