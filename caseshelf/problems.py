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
        # The field and the message quote what a record says (a field named "\x1b]0;...\x07"
        # retitled the terminal): all three parts are printed terminal-safe.
        path, field, message = terminal_safe(self.path), terminal_safe(self.field), terminal_safe(self.message)
        location = f"{path}:{self.line}" if self.line else path
        return f"{location}: {field}: {message}" if field else f"{location}: {message}"

    def as_warning(self) -> str:
        """The line that says it as a warning (a likely mistake that may be meant, which stops
        nothing): in these words from every command that says it, the build and the import."""
        return f"Warning: {self}"


class BuildFailed(Exception):
    """Raised with every problem of the run; the CLI prints them and exits 1."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]):
        self.problems = tuple(sorted(problems))
        super().__init__(f"{len(self.problems)} problem(s)")


def display_path(path: Path, root: Path) -> str:
    """The path as the user should see it: relative to `root` when it is inside it."""
    try:
        return terminal_safe(path.relative_to(root).as_posix())
    except ValueError:
        return terminal_safe(path.as_posix())


def terminal_safe(text: str) -> str:
    """`text` with each character a terminal would act on or cannot print written as an
    escape: a file name or a record may hold ESC and BEL (which retitle the window, clear the
    screen), a C1 control such as `\\x9b` (which some terminals read as ESC [), or a byte that
    is not UTF-8 (`\\xff`)."""
    if text.isprintable():  # nearly always: a fast check
        return text
    return "".join(char if char.isprintable() else _escaped(char) for char in text)


def _escaped(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # the byte of a name that was not UTF-8 (os.fsdecode's surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def os_error_text(error: OSError) -> str:
    """What the operating system refused, and where: "No space left on device: _site/x.html"."""
    where = f": {error.filename}" if error.filename else ""
    return f"{error.strerror or error}{where}"


def raised_while_stopping(error: BaseException) -> bool:
    """Whether `error` was raised while a Ctrl-C or `kill` (KeyboardInterrupt) was unwinding
    the build: cleaning up after it (a worker still writing into a folder being removed) can
    fail, and that failure must not hide that the user asked to stop."""
    seen = error.__context__
    while seen is not None:
        if isinstance(seen, KeyboardInterrupt):
            return True
        seen = seen.__context__
    return False
