"""Reading typed fields out of a YAML mapping, collecting every problem instead of stopping.

A `RecordReader` is made for one file. Each getter takes the mapping, the key path of that
mapping inside the document (for line numbers) and a key; it returns the clean value, or None
after recording a problem that names the file, line and field.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any, TypeVar

from caseshelf.loading.fields import InvalidValue
from caseshelf.loading.yamldoc import KeyPath, YamlDocument
from caseshelf.problems import Problem

T = TypeVar("T")

_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_BOOLEANS = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}


def field_name(key_path: KeyPath) -> str:
    """`('authors', 2, 'orcid')` -> `authors[3].orcid` (items count from 1, as editors do)."""
    name = ""
    for key in key_path:
        if isinstance(key, int):
            name += f"[{key + 1}]"
        else:
            name += f".{key}" if name else key
    return name


class RecordReader:
    """Typed access to one YAML document's fields; problems accumulate in `problems`, and what
    is likely a mistake but may be meant (the build goes on) in `warnings`."""

    def __init__(self, doc: YamlDocument):
        self.doc = doc
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []

    def report(self, key_path: KeyPath, message: str) -> None:
        self.problems.append(self._at(key_path, message))

    def warn(self, key_path: KeyPath, message: str) -> None:
        self.warnings.append(self._at(key_path, message))

    def _at(self, key_path: KeyPath, message: str) -> Problem:
        return Problem(self.doc.path, self.doc.line_of(key_path), field_name(key_path), message)

    def check_keys(self, mapping: dict[Any, Any], path: KeyPath, allowed: Iterable[str]) -> None:
        """Unknown keys are usually typos, so each is reported with the closest known name."""
        allowed = tuple(allowed)
        for key in mapping:
            if key in allowed:
                continue
            hint = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
            suggestion = f" (did you mean '{hint[0]}'?)" if hint else f" (known fields: {', '.join(allowed)})"
            self.report((*path, str(key)), f"unknown field{suggestion}")

    def text(self, mapping: dict[Any, Any], path: KeyPath, key: str, *, required: bool = False) -> str | None:
        """The text as typed (scalars are loaded as text, see yamldoc); empty or `~` is missing."""
        value = mapping.get(key)
        if value is not None and not isinstance(value, str):
            if not isinstance(value, (bool, int, float, date, datetime)):
                self.report((*path, key), f"expected text, found {_kind(value)}")
                return None
            value = str(value)  # only from explicit !!tags
        if value is not None:
            value = value.strip()
            if value not in _NULLS:
                return value
        if required:
            # Named in the field slot, at the line of the enclosing mapping: `title: required field is missing`.
            self.report((*path, key), "must not be empty" if key in mapping else "required field is missing")
        return None

    def parsed(
        self, mapping: dict[Any, Any], path: KeyPath, key: str, parse: Callable[[str], T], *, required: bool = False
    ) -> T | None:
        """Text checked and normalised by a validator from `fields`."""
        if not required and mapping.get(key) is None:  # most optional fields are absent: the short way
            return None
        value = self.text(mapping, path, key, required=required)
        if value is None:
            return None
        try:
            return parse(value)
        except InvalidValue as error:
            self.report((*path, key), str(error))
            return None

    def integer(self, mapping: dict[Any, Any], path: KeyPath, key: str, *, required: bool = False) -> int | None:
        value = self.text(mapping, path, key, required=required)
        if value is None:
            return None
        if value.isdigit():
            return int(value)
        self.report((*path, key), f"expected a whole number, found {value!r}")
        return None

    def boolean(self, mapping: dict[Any, Any], path: KeyPath, key: str) -> bool:
        value = self.text(mapping, path, key)
        if value is None:
            return False
        if value.lower() in _BOOLEANS:
            return _BOOLEANS[value.lower()]
        self.report((*path, key), f"expected true or false, found {value!r}")
        return False

    def date(self, mapping: dict[Any, Any], path: KeyPath, key: str, parse: Callable[[str], date]) -> date | None:
        return self.parsed(mapping, path, key, parse)

    def text_list(self, mapping: dict[Any, Any], path: KeyPath, key: str) -> tuple[str, ...]:
        """A list of texts; a single text is accepted as a list of one."""
        value = mapping.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            single = self.text(mapping, path, key)
            return (single,) if single else ()
        # text() reads a value by key and reports it by key path: a list item's key is its index.
        by_index = dict(enumerate(value))
        texts = (self.text(by_index, (*path, key), index) for index in by_index)  # type: ignore[arg-type]
        return tuple(text for text in texts if text)

    def mappings(self, mapping: dict[Any, Any], path: KeyPath, key: str) -> list[tuple[KeyPath, dict[Any, Any]]]:
        """The items of a list of mappings, each with its key path; other items are reported."""
        value = mapping.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.report((*path, key), f"expected a list (lines starting with '- '), found {_kind(value)}")
            return []
        items = []
        for index, item in enumerate(value):
            if isinstance(item, dict):
                items.append(((*path, key, index), item))
            else:
                self.report((*path, key, index), f"expected a set of 'field: value' lines, found {_kind(item)}")
        return items

    def mapping(self, mapping: dict[Any, Any], path: KeyPath, key: str) -> dict[Any, Any]:
        value = mapping.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.report((*path, key), f"expected a set of 'field: value' lines, found {_kind(value)}")
            return {}
        return value


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a set of fields"
    return f"{value!r}"
