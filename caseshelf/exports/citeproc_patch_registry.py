"""The record of citeproc-py's methods replaced by citeproc_speed and its companion modules.

Every patch goes through `patch`, which keeps citeproc-py's own method in `ORIGINALS` before
replacing it: tests/test_exports_cite.py puts them all back and requires the same citations.
"""

from __future__ import annotations

from typing import Any

#: (class, method name) -> citeproc-py's own method, for each patch that was applied; ABSENT
#: where the class had no such attribute (the patch added one).
ORIGINALS: dict[tuple[type, str], Any] = {}
ABSENT = object()


def patch(owner: type, name: str, replacement: Any) -> None:
    ORIGINALS[(owner, name)] = getattr(owner, name) if name in dir(owner) else ABSENT
    setattr(owner, name, replacement)


def subclasses(cls: type) -> list[type]:
    """`cls` and every class below it."""
    found, pending = [], [cls]
    while pending:
        found.append(current := pending.pop())
        pending += current.__subclasses__()
    return found
