"""Splitting a Markdown record into its YAML front matter and the abstract below it."""

from __future__ import annotations

from dataclasses import dataclass

from caseshelf.problems import Problem

_FENCE = "---"
_CLOSERS = ("---", "...")


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
    lines = text.split("\n")
    if lines[0].rstrip() != _FENCE:
        raise FrontMatterError(
            Problem(path, 1, "", "missing front matter: the file must start with a line '---', then the fields, then '---'")
        )
    for index in range(1, len(lines)):
        if lines[index].rstrip() in _CLOSERS:
            return FrontMatter("\n".join(lines[1:index]), "\n".join(lines[index + 1 :]).strip("\n"), 2)
    raise FrontMatterError(Problem(path, 1, "", "front matter is not closed: add a line '---' after the last field"))
