"""A small block-style YAML writer for the generated records and Hugo front matter.

Hand-written because yaml.dump spends most of its time in its Python representer (a 10,000
record corpus took ~25 s to write with it). It handles exactly what the benchmark writes:
mappings, lists of mappings, flow lists of scalars, strings, ints, bools and dates. Strings are
plain where they read back as the same string, else double-quoted; test_generate.py checks
that every record reads back equal with PyYAML.
"""

from __future__ import annotations

import json
import re
from datetime import date

_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f\x85\u2028\u2029]')
_PLAIN_SAFE = re.compile(r"[^\W\d_][\w .'\-]*[\w.]\Z")
_YAML11_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def scalar(value: object) -> str:
    if isinstance(value, str):
        if _PLAIN_SAFE.match(value) and value.lower() not in _YAML11_WORDS:
            return value
        if _NEEDS_ESCAPE.search(value):
            return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted one
        return f'"{value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, date)):
        return str(value)
    raise TypeError(f"no YAML scalar for {type(value).__name__}")


def _flow_item(value: object) -> str:
    text = scalar(value)
    # Inside [...] a comma or bracket would end a plain scalar early.
    return f'"{text}"' if text[0] != '"' and any(c in text for c in ",[]{}") else text


def _mapping_lines(mapping: dict, indent: str, lines: list[str], first_prefix: str | None = None) -> None:
    prefix = indent if first_prefix is None else first_prefix
    for key, value in mapping.items():
        if isinstance(value, dict):
            lines.append(f"{prefix}{key}:")
            _mapping_lines(value, indent + "  ", lines)
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            lines.append(f"{prefix}{key}:")
            for item in value:
                _mapping_lines(item, indent + "    ", lines, first_prefix=indent + "  - ")
        elif isinstance(value, list):
            lines.append(f"{prefix}{key}: [{', '.join(_flow_item(v) for v in value)}]")
        else:
            lines.append(f"{prefix}{key}: {scalar(value)}")
        prefix = indent


def dump(mapping: dict) -> str:
    """The mapping as a block-style YAML document (without `---` markers)."""
    lines: list[str] = []
    _mapping_lines(mapping, "", lines)
    return "\n".join(lines) + "\n"
