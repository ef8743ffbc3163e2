"""JSON as our files write it: `json.dumps(data, ensure_ascii=False, indent=1)`, only faster.

json.dumps only uses its C encoder without indentation; with it, the pure-Python encoder makes
a few calls per token, which was most of the cost of citation.json and articles.json. Here each
string is encoded by the C function json uses for it, and only containers and numbers take a
Python call. Tests compare the output with json.dumps on awkward values and every CSL item.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring
from typing import Any


def dump_json(data: Any) -> bytes:
    """`json.dumps(data, ensure_ascii=False, indent=1)` and a final newline, as UTF-8."""
    return (indented_json(data) + "\n").encode("utf-8")


def indented_json(data: Any, depth: int = 0) -> str:
    """`json.dumps(data, ensure_ascii=False, indent=1)`, as it reads `depth` levels deep in a
    larger document (every line after the first indented by `depth` more spaces). Dict keys
    must be strings (json would also accept numbers and None as keys)."""
    return _indented(data, "\n" + " " * depth)


#: Leaves other than strings (numbers, booleans, None), encoded as json.dumps would.
_LEAF_ENCODER = json.JSONEncoder(ensure_ascii=False)


def _indented(value: Any, newline: str) -> str:
    """`value` as JSON; `newline` is a line break followed by the indentation of its own line.
    Strings inside a container are encoded in place, without a call of this function each:
    they are most of the values of a CSL item."""
    if type(value) is str:
        return encode_basestring(value)
    inner = newline + " "
    if isinstance(value, dict):
        if not value:
            return "{}"
        members = [
            encode_basestring(key) + ": " + (encode_basestring(item) if type(item) is str else _indented(item, inner))
            for key, item in value.items()
        ]
        return "{" + inner + ("," + inner).join(members) + newline + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        items = [encode_basestring(item) if type(item) is str else _indented(item, inner) for item in value]
        return "[" + inner + ("," + inner).join(items) + newline + "]"
    if type(value) is int:  # date parts: JSONEncoder.encode would make a C encoder for each
        return repr(value)
    return _LEAF_ENCODER.encode(value)
