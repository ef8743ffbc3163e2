"""Block-style YAML for the front matter of imported records, as people write it by hand:
nested lists indented under their key, one value per line, quotes only where needed.

PyYAML's own emitter writes the same thing when told to indent lists, but in pure Python it
took two thirds of an import's time; records only ever hold mappings, lists, strings, integers,
booleans and dates, which this module writes directly. Quoting follows YAML 1.1 (what PyYAML
reads: `no`, `on`, `12`, `2025-01-01`, `~` stay strings) and also YAML 1.2 numbers (`1e3`).
Whether a string may go unquoted is decided by PyYAML's own resolver, so the reading side and
this writing side cannot disagree; tests read every record of the real corpus back.
"""

from __future__ import annotations

import re
from datetime import date

import yaml

_RESOLVER = yaml.resolver.Resolver()
# Implicit types (bool, int, float, null, timestamp, merge, value) are keyed by first character:
# a string starting with any other character is always read as a string.
_RESOLVABLE_FIRST_CHARS = frozenset(key for key in yaml.resolver.Resolver.yaml_implicit_resolvers if key)
_STR_TAG = "tag:yaml.org,2002:str"

# Characters YAML does not allow raw, or reads as line breaks (NEL, LS, PS), or a BOM.
_NEEDS_ESCAPE = re.compile("[^\t\n\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029\ufeff]")
_PLAIN_FIRST_CHAR_FORBIDDEN = frozenset("-?:,[]{}#&*!|>'\"%@` \t")
_YAML12_NUMBER = re.compile(
    r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\t": "\\t", "\n": "\\n", "\r": "\\r", "\x00": "\\0",
            "\x85": "\\N", "\u2028": "\\L", "\u2029": "\\P", "\ufeff": "\\uFEFF"}


#: Empty collections have no block form: written in flow style.
_EMPTY = {dict: "{}", list: "[]"}


class Literal(str):
    """A multi-line string written as a literal block (`|`): abstracts in `.yaml` records."""


def dump(fields: dict) -> str:
    """`fields` as a YAML document (no `---`) that loads back equal."""
    lines: list[str] = []
    _mapping(fields, 0, lines)
    return "\n".join(lines) + "\n"


def _mapping(mapping: dict, indent: int, lines: list[str]) -> None:
    pad = " " * indent
    for key, value in mapping.items():
        label = f"{pad}{scalar(key)}:"
        if value in ({}, []):
            lines.append(f"{label} {_EMPTY[type(value)]}")  # block style would read back as null
        elif isinstance(value, dict):
            lines.append(label)
            _mapping(value, indent + 2, lines)
        elif isinstance(value, list):
            lines.append(label)
            _sequence(value, indent + 2, lines)
        elif isinstance(value, Literal) and _can_be_literal(value):
            lines.append(f"{label} |")
            lines.extend(f"{pad}  {line}" if line else "" for line in value.rstrip("\n").split("\n"))
        else:
            lines.append(f"{label} {scalar(value)}")


def _sequence(items: list, indent: int, lines: list[str]) -> None:
    pad = " " * indent
    for item in items:
        if item in ({}, []):
            lines.append(f"{pad}- {_EMPTY[type(item)]}")  # no first line to hang the dash on
        elif isinstance(item, dict):
            nested: list[str] = []
            _mapping(item, indent + 2, nested)
            nested[0] = f"{pad}- {nested[0][indent + 2:]}"
            lines.extend(nested)
        else:
            lines.append(f"{pad}- {scalar(item)}")


def scalar(value: object) -> str:
    """One value as a YAML scalar: plain when that reads back as the same string, else quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, date)):
        return str(value) if isinstance(value, int) else value.isoformat()
    text = str(value)
    if _can_be_plain(text):
        return text
    if _NEEDS_ESCAPE.search(text) or "\n" in text:
        return '"' + "".join(_ESCAPES.get(ch) or (f"\\u{ord(ch):04X}" if _NEEDS_ESCAPE.match(ch) else ch) for ch in text) + '"'
    return "'" + text.replace("'", "''") + "'"


def _can_be_plain(text: str) -> bool:
    return bool(
        text
        and text[0] not in _PLAIN_FIRST_CHAR_FORBIDDEN
        and text[-1] not in " :\t"
        and ": " not in text
        and " #" not in text
        and "\t" not in text
        and not _NEEDS_ESCAPE.search(text)
        and "\n" not in text
        and (text[0] not in _RESOLVABLE_FIRST_CHARS or (
            not _YAML12_NUMBER.fullmatch(text)
            and _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == _STR_TAG))
    )


def _can_be_literal(text: str) -> bool:
    lines = text.rstrip("\n").split("\n")
    return bool(lines[0]) and not lines[0][0].isspace() and not _NEEDS_ESCAPE.search(text) and "\r" not in text
