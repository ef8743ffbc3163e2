"""Splitting a Markdown record into its YAML front matter and the abstract below it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from caseshelf.problems import Problem

_FENCE = "---"
#: The line that closes the front matter: `---` or `...`, with trailing whitespace (what
#: str.rstrip strips, \r included) but no other text, found with the newline before it. One
#: search instead of a loop over the front matter's hundreds of lines.
_CLOSING_LINE = re.compile(r"\n(?:---|\.\.\.)[^\S\n]*(?=\n|\Z)")


@dataclass(frozen=True, slots=True)
class FrontMatter:
    yaml_text: str
    body: str
    yaml_first_line: int
    """Line of the file on which the YAML text starts."""


class FrontMatterError(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


def split_front_matter(text: str, path: str) -> FrontMatter:
    """`---` on the first line, YAML, then `---` (or `...`); everything after is the abstract."""
    first_end = text.find("\n")
    first_line = text if first_end == -1 else text[:first_end]
    if first_line.rstrip() != _FENCE:
        raise FrontMatterError(
            Problem(path, 1, "", "missing front matter: the file must start with a line '---', then the fields, then '---'")
        )
    closer = _CLOSING_LINE.search(text, first_end) if first_end != -1 else None
    if closer is not None:
        yaml_text = text[first_end + 1 : closer.start()]
        return FrontMatter(yaml_text, text[closer.end() + 1 :].strip("\n"), 2)
    raise FrontMatterError(Problem(path, 1, "", "front matter is not closed: add a line '---' after the last field"))
