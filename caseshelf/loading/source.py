"""Reading a record file from disk: size, encoding and YAML syntax checks shared by all records."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from caseshelf.loading.frontmatter import FrontMatter, FrontMatterError, split_front_matter
from caseshelf.loading.yamldoc import YamlDocument, YamlError
from caseshelf.problems import Problem, display_path

#: Records are abstracts, not books: anything larger is almost certainly a mistake.
MAX_RECORD_BYTES = 2 * 1024 * 1024


#: Opening a named pipe for reading waits for a writer, unless it is opened non-blocking.
_READ_WITHOUT_WAITING = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)


def read_record_bytes(path: str | Path) -> bytes:
    """The file's bytes. A named pipe among the records would make a plain `open` wait for a
    writer for ever, and a device could be read for ever: either is refused, as not a file."""
    descriptor = os.open(path, _READ_WITHOUT_WAITING)
    with open(descriptor, "rb") as file:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise OSError(errno.EINVAL, "it is not a regular file (a named pipe, socket or device)")
        return file.read()


def start_reading(paths: list[str]) -> None:
    """Ask the kernel to start reading these files from the disk now, all at once
    (`posix_fadvise(WILLNEED)`), for a process about to read them one by one. Records not in
    the page cache (after a reboot, or after a build of a large archive wrote gigabytes) were
    otherwise read one at a time, each waiting for the disk while nothing else happened: a
    fifth of the load stage at 10,000 articles. Best effort: a file that cannot be opened, or
    a system without posix_fadvise, is simply read when its turn comes."""
    advise = getattr(os, "posix_fadvise", None)
    if advise is None:
        return
    for path in paths:
        try:
            descriptor = os.open(path, _READ_WITHOUT_WAITING)
        except OSError:
            continue
        try:
            advise(descriptor, 0, 0, os.POSIX_FADV_WILLNEED)
        except OSError:
            pass  # a pipe or a device: read_record_bytes refuses it later
        finally:
            os.close(descriptor)


def record_text(path: Path, shown: str, raw: bytes | None = None) -> tuple[str | None, list[Problem]]:
    """The file's text, or the problem that prevents reading it (missing, too big, not UTF-8,
    empty). `shown`: its name in messages; `raw`: its bytes, when the caller has read them."""
    if raw is None:
        try:
            raw = read_record_bytes(path)
        except OSError as error:
            return None, [Problem(shown, 0, "", f"cannot read the file: {error.strerror}")]
    if len(raw) > MAX_RECORD_BYTES:
        return None, [Problem(shown, 0, "", f"file is larger than {MAX_RECORD_BYTES // 1024 // 1024} MB")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, [Problem(shown, line, "", "file is not UTF-8 text: save it with UTF-8 encoding")]
    if not text or text.isspace():  # text.strip() would copy the whole file to find out
        return None, [Problem(shown, 0, "", "file is empty")]
    return text.replace("\r\n", "\n"), []


def read_yaml_file(path: Path, root: Path) -> tuple[YamlDocument | None, list[Problem]]:
    """A whole-file YAML mapping (journal.yaml, records in .yaml form)."""
    return yaml_record(path, display_path(path, root))


def yaml_record(path: Path, shown: str, raw: bytes | None = None) -> tuple[YamlDocument | None, list[Problem]]:
    """`read_yaml_file` for a file named `shown` in messages; `raw`: its bytes, when already read."""
    text, problems = record_text(path, shown, raw)
    if text is None:
        return None, problems
    return _parse_mapping(text, shown, 1)


def markdown_record(path: Path, shown: str, raw: bytes | None = None) -> tuple[YamlDocument | None, str, list[Problem]]:
    """A Markdown record: its front matter as YAML, and the body (the abstract). `shown`: its
    name in messages; `raw`: its bytes, when the caller has read them."""
    text, problems = record_text(path, shown, raw)
    if text is None:
        return None, "", problems
    try:
        front: FrontMatter = split_front_matter(text, shown)
    except FrontMatterError as error:
        return None, "", [error.problem]
    doc, problems = _parse_mapping(front.yaml_text, shown, front.yaml_first_line)
    return doc, front.body, problems


def _parse_mapping(text: str, shown: str, first_line: int) -> tuple[YamlDocument | None, list[Problem]]:
    try:
        doc = YamlDocument(text, shown, first_line)
    except YamlError as error:
        return None, [error.problem]
    if not isinstance(doc.data, dict):
        return None, [Problem(shown, first_line, "", "expected 'field: value' lines at the top level")]
    return doc, []
