"""Stage 4: writing the site. The only code that touches the output directory.

Nothing reaches the output before the whole build has succeeded, so a failed build leaves the
previous `_site/` exactly as it was. Every build that finds an output of ours there writes only
the files whose bytes changed beside it and moves them in at the end, removing those it no
longer makes (`Patch`), and leaves every other file alone; only where there is none yet does a
build write a whole new site into a staging directory beside the output and move it in place
(`Staging`).
"""

from __future__ import annotations

import os
import shutil
import stat
from collections import Counter
from collections.abc import Collection, Iterable
from pathlib import Path, PurePosixPath
from typing import Self

from caseshelf.problems import BuildFailed, Problem

#: Written into every output directory, so we only ever replace a directory we made.
MARKER = ".caseshelf-output"


def check_output_dir(output: Path, source: Path, read_by_the_build: Iterable[Path] = ()) -> None:
    """Refuse output locations whose replacement would destroy the user's files, or that a
    build reads: `read_by_the_build` (the build cache, the theme's folders) would be filled
    with the site, which the next build would then read back, or publish again inside itself."""
    output = output.resolve()
    source = source.resolve()
    dangerous = {Path.home().resolve(), Path("/"), Path.cwd().resolve(), source, *source.parents}
    if output in dangerous or source.is_relative_to(output) or output.is_relative_to(source):
        raise BuildFailed([Problem(str(output), 0, "output", "refusing to build here: it contains your content or is a home/root directory; choose an output such as _site")])
    for folder in read_by_the_build:
        if output.is_relative_to(folder.resolve()):
            raise BuildFailed([Problem(str(output), 0, "output", f"refusing to build in {folder.name}/: the build reads that folder; choose an output such as _site")])
    if output.exists() and not output.is_dir():
        raise BuildFailed([Problem(str(output), 0, "output", "is a file, not a directory: choose another --output")])
    if output.exists() and any(output.iterdir()) and not (output / MARKER).exists():
        raise BuildFailed([Problem(str(output), 0, "output", "refusing to replace this directory: it was not made by caseshelf (delete it or choose another --output)")])


def find_path_collisions(paths: Collection[str]) -> list[Problem]:
    """Two outputs claiming one path would silently lose one of them: list every such path.
    Counted only when there is a collision to report: a set of the 700,000 paths of 100,000
    articles is made in a fifth of the time."""
    if len(set(paths)) == len(paths):
        return []
    counts = Counter(paths)
    return [Problem(path, 0, "", f"{count} files would be written to this output path") for path, count in counts.items() if count > 1]


def safe_relative(path: str) -> PurePosixPath:
    """An output path that cannot escape the output directory."""
    return PurePosixPath(_checked(path))


def _checked(path: str) -> str:
    """`path`, unless it could leave the output directory: absolute, with a `..` part, a
    backslash or a NUL. Checked as text, without a PurePosixPath: a build checks every file."""
    if path.startswith("/") or "\\" in path or "\x00" in path or ".." in path.split("/"):
        raise ValueError(f"unsafe output path {path!r}")
    return path


def write_file(root: Path, path: str, content: bytes, made_dirs: set[str], stat: bool = False) -> os.stat_result | None:
    """Write one output file below `root` (used by the worker processes too); with `stat`,
    returns what the system says of it once written (a `Staging` notes it; a `Patch` has no
    use for it). Through the system calls themselves: a build writes 70,000 files, and a
    buffered file object costs half as much again as the calls."""
    descriptor = os.open(_new_file(root, path, made_dirs), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    try:
        _write_all(descriptor, content)
        return os.fstat(descriptor) if stat else None
    finally:
        os.close(descriptor)


def _new_file(root: Path, path: str, made_dirs: set[str]) -> str:
    """Where the file at `path` goes below `root`, its directory made. `made_dirs`: the
    directories this process already made there; a build writes seven files per article, and
    asking the system for each file's directory again costs more than writing the file."""
    target = f"{root}/{_checked(path)}"
    directory = target.rpartition("/")[0]
    if directory not in made_dirs:
        _make_dir(directory)
        made_dirs.add(directory)
    return target


def _make_dir(directory: str) -> None:
    """`os.makedirs(directory, exist_ok=True)`, in one system call when the parent exists,
    as it mostly does (makedirs asks the system whether it does first: 30,000 directories)."""
    try:
        os.mkdir(directory)
    except FileNotFoundError:
        os.makedirs(directory, exist_ok=True)
    except FileExistsError:
        if not os.path.isdir(directory):
            raise


def _marker_text(build_id: str) -> str:
    return f"This directory is generated by caseshelf; it is replaced on every build.\nbuild: {build_id}\n"


class _BesideOutput:
    """A directory beside the output that a build writes into. Used as a context manager:
    leaving it without publishing (an error, Ctrl-C) removes it and leaves the output as it was."""

    kind = ""

    def __init__(self, output: Path):
        self.output = output.resolve()
        self.root = self.output.parent / f".{self.output.name}.{self.kind}-{os.getpid()}"

    def __enter__(self) -> Self:
        _remove(self.root)
        try:
            self.root.mkdir(parents=True)
        except OSError as error:  # named as the output's folder: the staging folder is ours, not the user's
            raise OSError(error.errno, error.strerror, str(self.output.parent)) from None
        self.made_dirs: set[str] = set()
        """Directories made below `root` by this process (each worker has its own copy)."""
        self.written: list[tuple[str, tuple[int, int]]] = []
        """(path, (size, modification time in ns)) of each file written whole (see `Staging`)."""
        return self

    def take_written(self) -> list[tuple[str, tuple[int, int]]]:
        """The `written` entries noted so far, taken out: each share of work hands them over
        with its results (a worker's to the main process), so each file is counted once."""
        taken, self.written = self.written, []
        return taken

    def __exit__(self, *exc_info: object) -> None:
        _remove(self.root)


class Staging(_BesideOutput):
    """The whole new site; `publish()` swaps it in place of the output. Each file's size and
    time are noted as it is written (`written`), so that the build need not list the 70,000
    files it has just written to know the state of its output (file_tree.FileTree)."""

    kind = "staging"

    def write(self, path: str, content: bytes) -> None:
        self._note(path, write_file(self.root, path, content, self.made_dirs, stat=True))

    def copy(self, path: str, source: Path) -> None:
        target = self.root / safe_relative(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        self._note(path, os.stat(target))

    def publish(self, build_id: str) -> None:
        _write_marker(self.root, build_id)
        self._note(MARKER, os.stat(self.root / MARKER))
        retired = self.output.parent / f".{self.output.name}.old-{os.getpid()}"
        if self.output.exists():
            os.replace(self.output, retired)
        os.replace(self.root, self.output)  # the files keep their sizes and times
        _remove(retired)

    def _note(self, path: str, info: os.stat_result) -> None:
        self.written.append((path, (info.st_size, info.st_mtime_ns)))


class Patch(_BesideOutput):
    """The changed files of an incremental build, kept beside the output until `apply()`.

    `write` keeps a file only when its bytes differ from the output's, so unchanged files are
    never rewritten (their modification times stay, and so do servers' caches of them).
    """

    kind = "patch"

    def write(self, path: str, content: bytes) -> None:
        if not _holds(f"{self.output}/{_checked(path)}", content):
            write_file(self.root, path, content, self.made_dirs)

    def splice(self, path: str, recipe: list[tuple[int, int] | bytes]) -> None:
        """Write the file at `path` made from the output's file there by `recipe` (see
        exports/splice.py): the ranges it copies are copied by the kernel, never read in."""
        target = _new_file(self.root, path, self.made_dirs)
        with open(self.output / safe_relative(path), "rb", buffering=0) as old, open(target, "wb", buffering=0) as new:
            for step in recipe:
                if isinstance(step, tuple):
                    _copy_range(old.fileno(), new.fileno(), *step)
                else:
                    _write_all(new.fileno(), step)

    def copy(self, path: str, source: Path) -> None:
        self.write(path, source.read_bytes())

    def apply(self, build_id: str, removed: Iterable[str]) -> list[str]:
        """Move the changed files in and delete the `removed` ones; returns the paths of every
        file touched. The marker says "incomplete" meanwhile: were this interrupted, the next
        build would not trust the output and would rebuild it whole."""
        mark_incomplete(self.output)
        touched = [MARKER]
        # Removed first: a file removed may stand where a directory of the new files goes.
        for path in removed:
            _remove_file(self.output, safe_relative(path))
            touched.append(path)
        root = str(self.root)
        for directory, _, names in os.walk(root):
            prefix = directory[len(root) + 1 :] + "/" if directory != root else ""
            for name in names:
                _move_file(f"{directory}/{name}", f"{self.output}/{prefix}{name}")
                touched.append(prefix + name)
        _write_marker(self.output, build_id)
        return touched


def _move_file(source: str, target: str) -> None:
    """Move a file into the output, making its directory when there is none yet, and replacing
    what is at `target`: an empty directory too, which an output not made by the last build
    may have there (a full build patches the output it finds, and a directory with files in
    it was removed with them). A build that changed every file moves 70,000 of them, so the
    directory is made only when the move finds it missing."""
    try:
        os.replace(source, target)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        os.replace(source, target)
    except IsADirectoryError:
        shutil.rmtree(target)
        os.replace(source, target)


def _copy_range(source: int, target: int, offset: int, length: int) -> None:
    """Append `length` bytes of `source` from `offset` to `target`: with copy_file_range where
    the system has it for these files, else through a buffer."""
    copy = getattr(os, "copy_file_range", None)
    while length > 0:
        copied = 0
        if copy is not None:
            try:
                copied = copy(source, target, length, offset)
            except OSError:  # not between these file systems, or not on this kernel
                copied = 0
            if copied == 0:  # some file systems copy nothing rather than fail
                copy = None
        if copied == 0:
            data = os.pread(source, min(length, 1 << 20), offset)
            if not data:
                raise OSError(f"the file ended before the {length} bytes at {offset} to copy")
            copied = _write_all(target, data)
        offset, length = offset + copied, length - copied


def _write_all(target: int, data: bytes) -> int:
    view = memoryview(data)
    while view:
        view = view[os.write(target, view):]
    return len(data)


#: An output not made by the last build may hold anything: a symbolic link is not followed (it
#: is replaced), and a named pipe does not make the build wait for a writer.
_NEITHER_LINK_NOR_WAIT = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


def _holds(target: str, content: bytes) -> bool:
    """Whether the file at target already has exactly this content. A build without the cache
    asks this of every file of the output, so it takes four system calls and no Path (a
    third of the time). A short read can only make it answer no, which costs a write."""
    try:
        descriptor = os.open(target, os.O_RDONLY | _NEITHER_LINK_NOR_WAIT)
    except OSError:
        return False
    try:
        info = os.fstat(descriptor)
        return stat.S_ISREG(info.st_mode) and info.st_size == len(content) and os.read(descriptor, len(content) + 1) == content
    except OSError:
        return False
    finally:
        os.close(descriptor)


def _remove_file(output: Path, path: PurePosixPath) -> None:
    """Delete one output file, and the directories it leaves empty."""
    target = output / path
    target.unlink(missing_ok=True)
    for parent in target.parents:
        if parent == output:
            break
        try:
            parent.rmdir()  # only an empty directory goes
        except OSError:
            break


def mark_incomplete(output: Path) -> None:
    """Make the next build ignore the cache for this output (it no longer matches it)."""
    _write_marker(output, "incomplete")


def _write_marker(directory: Path, build_id: str) -> None:
    """Replaced, not rewritten: the file may be a hard link shared with another directory
    (the preview server starts from links to `_site/`), which must not change."""
    temporary = directory / f"{MARKER}.tmp-{os.getpid()}"
    temporary.write_text(_marker_text(build_id))
    os.replace(temporary, directory / MARKER)


def read_build_id(output: Path) -> str | None:
    """The id of the build that made this output directory (None if it is not ours)."""
    try:
        text = (output / MARKER).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):  # not ours, or overwritten by something else
        return None
    for line in text.splitlines():
        if line.startswith("build: "):
            return line.removeprefix("build: ").strip()
    return None


def _remove(path: Path) -> None:
    if path.exists():
        shutil.rmtree(path)
