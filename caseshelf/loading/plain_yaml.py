"""A fast reader for the plain shape of YAML that records are written in.

Nearly every record is block mappings and lists of `key: value` lines whose values are plain
text, one-line quoted text or one-line `[a, b]` lists, with comments. Reading that shape line
by line takes a third of the time libyaml's loader takes, because libyaml builds a node, with
its marks, for every value. `read_plain_yaml` reads only that shape and gives up on anything
else: tabs, multi-line or escaped text, anchors, tags, flow mappings, block scalars, a key
written twice, indentation it does not expect, characters YAML refuses. The caller then
reads the text with libyaml, which gives the same value or the error to report.
So a document gets either exactly the value libyaml gives it (every scalar as text) or
`NOT_PLAIN`; tests/test_plain_yaml.py checks that against libyaml on real and mangled records.
"""

from __future__ import annotations

import re
from typing import Any, Final

NOT_PLAIN: Final = object()
"""Returned for a document this reader leaves to libyaml."""


class _NotPlain(Exception):
    pass


# Characters that end or change a line's meaning in YAML, or that YAML refuses: tabs and other
# control characters, other line breaks, a byte-order mark, surrogates. Any of them: libyaml reads.
_OUTSIDE_PLAIN_TEXT = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")

# One line: its indentation, a list dash with its spaces, a `key:`, and the rest.
_LINE = re.compile(r"^( *)(?:(-)( +|$))?(?:([A-Za-z_][A-Za-z0-9_-]*):(?: +|$))?(.*)$", re.MULTILINE)

# The first character of a value that is not plain text here: indicators YAML gives a meaning
# (`- ? : , [ ] { } # & * ! | > ' " % @ backtick`) and the quotes and bracket read below.
_NOT_PLAIN_START = frozenset("-?:,[]{}#&*!|>'\"%@`")

# A one-line "text" without escapes, 'text' or [list], and a comment after it.
_QUOTED = re.compile(r"""(?:"([^"\\]*)"|'((?:[^']|'')*)'|\[([^\[\]{}"'#]*)\])(?: +#.*)?""")

# A `[a, b]` item that means itself in flow context.
_FLOW_ITEM = re.compile(r"[^ \-?:,\[\]{}#&*!|>'\"%@`][^:,\[\]{}#'\"]*")

_ITEM, _KEY, _VALUE = 0, 1, 2

#: YAML refuses a key longer than 1024 characters that is not marked with `?`.
_LONGEST_KEY = 1000


def read_plain_yaml(text: str) -> Any:
    """The value libyaml would read from `text`, or `NOT_PLAIN`."""
    # Printable text has none of them, and isprintable() tells that faster than the pattern can.
    if not text.replace("\n", "").isprintable() and _OUTSIDE_PLAIN_TEXT.search(text):
        return NOT_PLAIN
    try:
        tokens = _tokens(text)
        if not tokens or tokens[0][1] != 0:
            raise _NotPlain
        value, end = _block(tokens, 0, 0)
        if end != len(tokens):
            # A block takes only lines at its own column, and gives back the first one to
            # its left. A line no enclosing block takes (text continued on the next line, a
            # dash among keys, a stray indentation) ends every block: libyaml reads it.
            raise _NotPlain
        return value
    except _NotPlain:
        return NOT_PLAIN


def _tokens(text: str) -> list[tuple[int, int, Any]]:
    """(kind, column, key or value) for each dash, key and value, in order. Every line starts
    with a dash or a key, so a `_VALUE` is that of the dash or key just before it."""
    tokens: list[tuple[int, int, Any]] = []
    for indent, dash, dash_space, key, rest in _LINE.findall(text):
        has_value = rest != "" and rest[0] != "#"  # not nothing, not a comment
        column = len(indent)
        if dash:
            tokens.append((_ITEM, column, None))
            column += 1 + len(dash_space)
        if key:
            if len(key) > _LONGEST_KEY:
                raise _NotPlain
            tokens.append((_KEY, column, key))
            column += len(key) + 1
        elif not dash:
            if has_value:
                raise _NotPlain  # text on a line of its own: text continued, or not a mapping
            continue  # a blank or comment line
        if has_value:
            tokens.append((_VALUE, column, _scalar(rest.rstrip(" "))))
        elif not key:  # a dash alone: an empty item, or one whose value is on the next lines
            raise _NotPlain
    return tokens


def _block(tokens: list[tuple[int, int, Any]], start: int, column: int) -> tuple[Any, int]:
    """The mapping or list whose first token, at `column`, is `tokens[start]`; and where it ends."""
    if tokens[start][0] == _KEY:
        return _mapping(tokens, start, column)
    return _list(tokens, start, column)  # every line starts with a key or a dash


def _mapping(tokens: list[tuple[int, int, Any]], at: int, column: int) -> tuple[dict[str, Any], int]:
    mapping: dict[str, Any] = {}
    count = len(tokens)
    while at < count and tokens[at][0] == _KEY and tokens[at][1] == column:
        key = tokens[at][2]
        if key in mapping:
            raise _NotPlain  # libyaml's reading reports it
        at += 1
        if at < count and tokens[at][0] == _VALUE:
            mapping[key] = tokens[at][2]
            at += 1
        elif at < count and (tokens[at][1] > column or (tokens[at][1] == column and tokens[at][0] == _ITEM)):
            # The value is the block below; a list may start at the key's own column.
            mapping[key], at = _block(tokens, at, tokens[at][1])
        else:
            mapping[key] = ""  # `key:` and nothing: YAML's empty value, which we read as text
    return mapping, at


def _list(tokens: list[tuple[int, int, Any]], at: int, column: int) -> tuple[list[Any], int]:
    items: list[Any] = []
    count = len(tokens)
    while at < count and tokens[at][0] == _ITEM and tokens[at][1] == column:
        # A dash is followed by a value or a key on its own line (`- - x` has the value `- x`,
        # which _scalar refuses; a dash alone was refused in _tokens).
        kind, content_column, content = tokens[at + 1]
        if kind == _VALUE:
            items.append(content)
            at += 2
        else:
            item, at = _mapping(tokens, at + 1, content_column)
            items.append(item)
    return items, at


def _scalar(text: str) -> Any:
    """The value written as `text` (a comment after it allowed)."""
    if text[0] not in _NOT_PLAIN_START:
        if " #" in text:
            text = text[: text.index(" #")].rstrip(" ")
        if ": " in text or text[-1] == ":":
            raise _NotPlain  # YAML reads a second mapping there, or refuses the line
        return text
    if text[0] == '"' and text[-1] == '"' and len(text) > 1:  # most quoted values: no pattern needed
        inner = text[1:-1]
        if '"' not in inner and "\\" not in inner:
            return inner
    quoted = _QUOTED.fullmatch(text)
    if quoted is None:
        raise _NotPlain
    double, single, flow = quoted.group(1, 2, 3)
    if double is not None:
        return double
    if single is not None:
        return single.replace("''", "'")
    items = [item.strip(" ") for item in flow.split(",")]
    if items == [""]:
        return []
    if all(_FLOW_ITEM.fullmatch(item) for item in items):
        return items
    raise _NotPlain
