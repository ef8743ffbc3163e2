"""markdown-it's tokens for the plain shape most abstracts are written in, without its parser.

Most abstracts are paragraphs of text and `## Heading` lines (Background, Case presentation,
Conclusions...), whose only inline syntax is a word or two in italics (`*KMT2A*`, `*in vivo*`).
markdown-it reads them character by character, in Python: about 0.1 ms for an abstract of
2,000 characters, a twentieth of what the rest of an article's exports and pages cost.
`plain_tokens` makes the same tokens directly, and gives up (returns None) on anything else:
any other character that can start inline syntax, an entity or raw HTML, a `*` that is not
one end of such an italic run, a line that could start a list, quote, rule, fence, table, code
block or setext heading, indentation, trailing spaces (line breaks), tabs and other
whitespace, NUL.
The caller then parses the text with markdown-it as before. tests/test_plain_markdown.py
holds the two to the same tokens on real, generated and mangled abstracts.
"""

from __future__ import annotations

import re

import markdown_it
from markdown_it.token import Token

#: The token model this was checked against; another major release is left to the parser.
CHECKED_MARKDOWN_IT_MAJORS = ("3", "4")
_CHECKED = markdown_it.__version__.split(".")[0] in CHECKED_MARKDOWN_IT_MAJORS

#: Every whitespace character but the space and the line break: all that `str.isspace` knows
#: (tabs, no-break spaces, other line separators), which markdown-it and Python strip differently.
OTHER_WHITESPACE = "\t\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000"

# Characters that start inline syntax (escapes, code, strikethrough, links, images, autolinks,
# entities; `*` is looked at line by line) or a block of another kind (quote, table); NUL,
# which markdown-it replaces; and other whitespace. A class of listed characters: `[^\S \n]`
# takes several times longer to search.
_NOT_PLAIN = re.compile("[" + re.escape("\\`_~[]<>&!|\x00" + OTHER_WHITESPACE) + "]")

# `*text*` that is sure to be emphasis whatever surrounds it: by CommonMark's flanking rules,
# a `*` after the start of the line, a space or ASCII punctuation and before a letter or digit
# can only open it, and one after a letter or digit and before the end, a space or ASCII
# punctuation can only close it. Between them, no `*`. (The pattern starts with the `*` and
# looks behind it only then: the search skips from `*` to `*` instead of trying the
# look-behind at every character.)
_PUNCTUATION = r"!-)+-/:-@\[-`{-~"  # ASCII's punctuation but `*`, as character ranges
_EMPHASIS = re.compile(rf"\*(?<![^ {_PUNCTUATION}]\*)([^\W_](?:[^*]*[^\W_])?)\*(?=[ {_PUNCTUATION}]|\Z)")

# A line that could start a block other than a paragraph when it begins one or interrupts
# one: indented (code), a list marker (`-`, `+`, or a number and `.` or `)` before a space),
# a rule or setext underline, a heading sign, or a line ending in spaces (a line break).
# Headings are matched first, by `_HEADING`; `*` at the start is looked at as emphasis.
_NOT_PARAGRAPH_LINE = re.compile(r"[ \-+=#]|\d+[.)](?: |\Z)|.* \Z")

# An ATX heading whose text has no `#` of its own and no spaces at either end.
_HEADING = re.compile(r"(#{1,6}) +([^ #](?:[^#]*[^ #])?)\Z")


def plain_tokens(text: str) -> list[Token] | None:
    """What `MarkdownIt("js-default").parse(text)` gives, or None where `text` is not plain."""
    if not _CHECKED or _NOT_PLAIN.search(text):
        return None
    try:
        return _blocks(text.split("\n"))
    except _NotPlain:
        return None


class _NotPlain(Exception):
    """A line or a `*` the plain shape does not explain: the parser's to read."""


def _blocks(lines: list[str]) -> list[Token]:
    """Paragraphs and headings, as markdown-it's block rules find them in plain lines."""
    tokens: list[Token] = []
    paragraph_start = None  # the first line of the paragraph being read
    for number, line in enumerate([*lines, ""]):  # an empty line ends the last paragraph
        heading = _HEADING.match(line)
        if heading is None and line and _NOT_PARAGRAPH_LINE.match(line):
            raise _NotPlain
        if paragraph_start is not None and (heading or not line):
            tokens += _paragraph(lines[paragraph_start:number], paragraph_start, number)
            paragraph_start = None
        if heading:
            tokens += _heading(heading[1], heading[2], number)
        elif line and paragraph_start is None:
            paragraph_start = number
    return tokens


def _paragraph(lines: list[str], start: int, end: int) -> list[Token]:
    children: list[Token] = []
    for line in lines:
        if children:
            children.append(Token("softbreak", "br", 0))
        children += _inline(line)
    return [
        Token("paragraph_open", "p", 1, map=[start, end], block=True),
        Token("inline", "", 0, map=[start, end], level=1, children=children, content="\n".join(lines), block=True),
        Token("paragraph_close", "p", -1, block=True),
    ]


def _heading(signs: str, text: str, line: int) -> list[Token]:
    tag = f"h{len(signs)}"
    return [
        Token("heading_open", tag, 1, map=[line, line + 1], markup=signs, block=True),
        Token("inline", "", 0, map=[line, line + 1], level=1, children=_inline(text), content=text, block=True),
        Token("heading_close", tag, -1, markup=signs, block=True),
    ]


def _inline(line: str) -> list[Token]:
    """One line's inline tokens: text, and italics where `*` marks them."""
    if "*" not in line:
        return [Token("text", "", 0, content=line)]
    runs = list(_EMPHASIS.finditer(line))
    if line.count("*") != 2 * len(runs):
        raise _NotPlain
    tokens, end = [], 0
    for run in runs:
        if run.start() > end:
            tokens.append(Token("text", "", 0, content=line[end : run.start()]))
        tokens += [
            Token("em_open", "em", 1, markup="*"),
            Token("text", "", 0, level=1, content=run[1]),
            Token("em_close", "em", -1, markup="*"),
        ]
        end = run.end()
    if end < len(line):
        tokens.append(Token("text", "", 0, content=line[end:]))
    return tokens
