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
    first_end = text.find("\n")
    first_line = text if first_end == -1 else text[:first_end]
    if first_line.rstrip() != _FENCE:
        raise FrontMatterError(
            Problem(path, 1, "", "missing front matter: the file must start with a line '---', then the fields, then '---'")
        )
    # Line by line with find, so the abstract below is not cut into lines only to be joined again.
    yaml_start = line_start = first_end + 1
    while first_end != -1:
        line_end = text.find("\n", line_start)
        line = text[line_start:] if line_end == -1 else text[line_start:line_end]
        if line.rstrip() in _CLOSERS:
            yaml_text = text[yaml_start : line_start - 1] if line_start > yaml_start else ""
            body = "" if line_end == -1 else text[line_end + 1 :]
            return FrontMatter(yaml_text, body.strip("\n"), 2)
        if line_end == -1:
            break
        line_start = line_end + 1
    raise FrontMatterError(Problem(path, 1, "", "front matter is not closed: add a line '---' after the last field"))
