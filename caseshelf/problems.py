"""Problems in the user's input, and the exception that carries all of them at once.

Every stage that reads what the user wrote reports a `Problem` instead of raising on the first
mistake, so one run lists everything that needs fixing (file, line, field, message).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One thing the user has to fix, printed as `path:line: field: message`."""

    path: str
    """The file, relative to the source directory where possible."""
    line: int
    """1-based line in the file; 0 when the problem concerns the whole file."""
    field: str
    """Dotted field name such as `authors[2].orcid`; empty when not about one field."""
    message: str

    def __str__(self) -> str:
        location = f"{self.path}:{self.line}" if self.line else self.path
        return f"{location}: {self.field}: {self.message}" if self.field else f"{location}: {self.message}"


class BuildFailed(Exception):
    """Raised with every problem of the run; the CLI prints them and exits 1."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]):
        self.problems = tuple(sorted(problems))
        super().__init__(f"{len(self.problems)} problem(s)")


def display_path(path: Path, root: Path) -> str:
    """The path as the user should see it: relative to `root` when it is inside it."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def os_error_text(error: OSError) -> str:
    """What the operating system refused, and where: "No space left on device: _site/x.html"."""
    where = f": {error.filename}" if error.filename else ""
    return f"{error.strerror or error}{where}"
