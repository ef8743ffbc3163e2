"""JSON as our files write it: what `json.dumps(data, ensure_ascii=False, indent=2)` writes.

Encoded by orjson, which writes it byte for byte (tests compare the two on awkward values and
every CSL item) and faster: json.dumps only uses its C encoder without indentation, and even
that took 82 µs for an article's JSON-LD (orjson 16 µs), 3–4% of a build's work. orjson takes what
our exporters make (dicts with string keys, lists, tuples, strings, ints, booleans, None) and
nothing else: a float or an integer past 64 bits would raise (the records hold neither).
"""

from __future__ import annotations

from typing import Any

import orjson


def dump_json(data: Any) -> bytes:
    """`json.dumps(data, ensure_ascii=False, indent=2)` and a final newline, as UTF-8."""
    return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)


def indented_json(data: Any, depth: int = 0) -> bytes:
    """`dump_json(data)` without its newline, as it reads `depth` levels deep in a larger
    document (every line after the first indented by `depth` more levels)."""
    return orjson.dumps(data, option=orjson.OPT_INDENT_2).replace(b"\n", b"\n" + b"  " * depth)


def compact_json(data: Any, sort_keys: bool = False) -> bytes:
    """`json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=sort_keys)`, as UTF-8."""
    return orjson.dumps(data, option=orjson.OPT_SORT_KEYS if sort_keys else 0)
