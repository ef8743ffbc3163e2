"""The files below a directory, with their sizes and modification times, and a digest of them.

The build cache fingerprints the inputs with it, and notes the state of the output after a
build, so that a build can tell "nothing changed" (and a hand-edited `_site/`) from a
directory walk alone, without reading a file.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path


class FileTree:
    """The files below a directory with their sizes and modification times, found with one
    scandir per directory. Its state is a digest that changes when anyone adds, removes or
    edits a file there: for the output, so that a hand-edited `_site/` is rebuilt, not
    trusted. After an incremental build only the files it touched are looked at again, and
    the state is updated for those alone: it is the sum of a hash of each entry (modulo
    2**160), which a changed entry changes by the difference of its two hashes.

    Several processes can list one tree, each its `share` of `shares` (`joined` puts them
    together). Each lists the directories above the pages' (the root, `articles/`, `doi/10.x/`)
    and the first takes their files; a directory with many subdirectories (`articles/`) gives
    each to one of them, chosen by the hash of its name (the same in processes forked from one
    another), and that one lists all below it."""

    def __init__(self, root: Path, share: int = 0, shares: int = 1):
        self.root = root
        self.entries: dict[str, tuple[int, int]] = {}
        """Relative name -> (size, modification time in ns)."""
        self._sum: int | None = None
        """The state as a number, once asked for."""
        self._scan(share, shares)

    @classmethod
    def of_entries(cls, root: Path, entries: Iterable[tuple[str, tuple[int, int]]]) -> FileTree:
        """The tree below `root` made of entries already known (the files a build wrote, with
        their sizes and times as written), without listing it."""
        tree = cls.__new__(cls)
        tree.root, tree.entries, tree._sum = root, dict(entries), None
        return tree

    @classmethod
    def joined(cls, root: Path, shares: list[FileTree]) -> FileTree:
        """The tree below `root` from its shares, one listed by each process."""
        tree = cls.__new__(cls)
        tree.root, tree.entries = root, {}
        for part in shares:
            tree.entries.update(part.entries)
        sums = [part._sum for part in shares]
        tree._sum = None if None in sums else sum(sums) % _STATE_MODULUS  # type: ignore[arg-type]
        return tree

    @property
    def state(self) -> str:
        if self._sum is None:
            self._sum = sum(map(_entry_hash, self.entries.items())) % _STATE_MODULUS
        return f"{self._sum:040x}"

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def size(self) -> int:
        """Bytes in all its files."""
        return sum(size for size, _ in self.entries.values())

    def refresh(self, names: Iterable[str]) -> None:
        for name in names:
            try:
                info = os.stat(f"{self.root}/{name}", follow_symlinks=False)
            except (FileNotFoundError, NotADirectoryError):  # gone, or a file now stands above it
                self._set(name, None)
            else:
                self._set(name, (info.st_size, info.st_mtime_ns))

    def relist(self, folder: str) -> None:
        """Look again at every file below `folder` (relative to the root), as they are now: for
        a folder that something other than the build's writer changed, instead of the whole tree."""
        prefix = f"{folder}/"
        now = {prefix + name: entry for name, entry in FileTree(self.root / folder).entries.items()}
        for name in [name for name in self.entries if name.startswith(prefix) and name not in now]:
            self._set(name, None)
        for name, entry in now.items():
            self._set(name, entry)

    def _set(self, name: str, after: tuple[int, int] | None) -> None:
        """The entry of `name` is now `after` (None: no such file), the state kept up to date."""
        before = self.entries.pop(name, None)
        if after is not None:
            self.entries[name] = after
        if self._sum is not None and before != after:
            change = (_entry_hash((name, after)) if after else 0) - (_entry_hash((name, before)) if before else 0)
            self._sum = (self._sum + change) % _STATE_MODULUS

    def _scan(self, share: int, shares: int) -> None:
        prefix = len(str(self.root)) + 1  # entry paths are str(root) + "/" + the relative name
        stack = [(str(self.root), True)]  # (directory, whether every process lists it)
        while stack:
            directory, everyone = stack.pop()
            try:
                with os.scandir(directory) as scan:
                    entries = list(scan)
            except OSError:
                continue
            split = everyone and shares > 1 and len(entries) > _FEW_ENTRIES
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if not split:
                        stack.append((entry.path, everyone))
                    elif hash(entry.name) % shares == share:
                        stack.append((entry.path, False))
                elif not everyone or share == 0:
                    info = entry.stat(follow_symlinks=False)
                    self.entries[entry.path[prefix:]] = (info.st_size, info.st_mtime_ns)


#: A directory listed by every process sharing a listing with more entries than this (e.g.
#: `articles/`) shares out its subdirectories among them (see FileTree).
_FEW_ENTRIES = 64


_STATE_MODULUS = 2**160


def _entry_hash(entry: tuple[str, tuple[int, int]]) -> int:
    name, (size, mtime) = entry
    line = f"{name}\0{size}\0{mtime}".encode("utf-8", "surrogateescape")
    return int.from_bytes(hashlib.blake2b(line, digest_size=20).digest())
