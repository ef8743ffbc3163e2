"""The renderers of a style's <names> (see csl_renderers.py, and csl_compiler.py, which builds
them): the roles an entry has, each a list of people written as citeproc-py's Name.process
writes it (initials, et-al, the "and" term, sort order and the particles of a family name),
with every option of the style resolved once.
"""

from __future__ import annotations

from typing import Any

from citeproc.string import join, normalize_seam

from caseshelf.exports import csl_text
from caseshelf.exports.csl_renderers import Declined, Entry, Markup


class Names:
    """<names>: each role the entry has, by its <name> and with its <label>, or else what
    its <substitute> renders."""

    __slots__ = ("roles", "substitute", "delimiter", "markup")

    def __init__(self, roles: tuple, substitute: Any, delimiter: str, markup: Markup):
        self.roles = roles
        """(variable, NameList, NamesLabel or None) for each role the entry has."""
        self.substitute, self.delimiter, self.markup = substitute, delimiter, markup

    def render(self, entry: Entry) -> Any:
        if not self.roles:
            return None if self.substitute is None else self.markup.enclose(self.substitute.render(entry))
        output = []
        for role, names, label in self.roles:
            people = entry.reference[role]
            text = names.render(people)
            if text is None:
                raise Declined("a role with no names")  # citeproc-py would print "None" by a label
            if label is not None:
                term = label.render(len(people) > 1)
                if term is not None:
                    text = term + text if label.first else text + term
            output.append(text)
        return self.markup.enclose(join(output, self.delimiter))


class NameList:
    """<name>: a list of people as Name.process writes it, with its options resolved."""

    __slots__ = (
        "and_term", "delimiter", "own_delimiter", "precedes_et_al", "precedes_last", "et_al_min",
        "et_al_use_first", "et_al_last", "et_al", "initialize_with", "hyphen", "sort_order",
        "sort_separator", "form", "demote", "markup",
    )  # fmt: skip

    def __init__(self, **options: Any):
        for name in self.__slots__:
            setattr(self, name, options[name])

    def render(self, people: list) -> Any:
        count = len(people)
        truncated = count > 1 and self.et_al_min and count >= self.et_al_min
        if truncated:
            people = people[: self.et_al_use_first] + ([people[-1]] if self.et_al_last else [])
        output = [self._one(position, person) for position, person in enumerate(people)]
        return self.markup.enclose(self._joined(output, truncated))

    def _joined(self, output: list, truncated: Any) -> Any:
        if truncated and self.et_al:
            if self.et_al_last:
                output[-1] = "\N{HORIZONTAL ELLIPSIS}" + " " + output[-1]
                return join(output, self.delimiter)
            if self.precedes_et_al == "always" or (self.precedes_et_al == "contextual" and len(output) >= 2):
                return join([*output, self.et_al], self.delimiter)
            return join(output, self.delimiter) + " " + self.et_al
        if self.and_term is not None and len(output) > 1:
            # The names before the last are joined by the <name>'s own delimiter or ", ".
            list_delimiter = ", " if self.own_delimiter is None else self.own_delimiter
            text = join(output[:-1], list_delimiter)
            if self.precedes_last == "always" or (self.precedes_last == "contextual" and len(output) > 2):
                text = text + normalize_seam(text, list_delimiter)
            else:
                text += " "
            return text + (f"{self.and_term} " + output[-1])
        return join(output, self.delimiter)

    def _one(self, position: int, person: Any) -> str:
        given, family, dropping, non_dropping, suffix = person.parts()
        if given is not None and self.initialize_with is not None:
            given = csl_text.initials(given, self.initialize_with, self.hyphen)
        if self.form == "short":
            return _spaced(non_dropping, family)
        if self.sort_order == "all" or (self.sort_order == "first" and position == 0):
            if self.demote in ("never", "sort-only"):
                family, given = _spaced(non_dropping, family), _spaced(given, dropping)
            else:
                given = _spaced(given, dropping, non_dropping)
            return self.sort_separator.join(part for part in (family, given, suffix) if part)
        return _spaced(given, _spaced(dropping, non_dropping, family), suffix)


def _spaced(*parts: Any) -> str:
    return " ".join(part for part in parts if part)
