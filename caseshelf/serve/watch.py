"""Watching the content and theme directories, and turning an editor's burst of events into one rebuild.

Editors rarely write a file in place: vim renames the old file away and writes a new one (after
probing the directory with a file named `4913`), others write a hidden temporary file and rename
it over the real one, Emacs leaves `.#name` lock links. So whole directories are watched
recursively, the destination of a move counts as a change, noise files are ignored, and events
are collected until the directory has been quiet for a moment (MkDocs waits 0.1 s).
"""

from __future__ import annotations

import errno
import logging
import stat
import threading
import time
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePath

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

#: Only these change what a build reads. Opened/closed-without-writing events are left out
#: above all: the build itself opens every record, and must not trigger the next build.
_CHANGE_EVENTS = frozenset({"created", "modified", "deleted", "moved", "closed", "attrib"})

_TEMPORARY_SUFFIXES = ("~", ".swp", ".swo", ".swx", ".tmp", "___jb_tmp___", "___jb_old___")


def is_ignored(relative: PurePath) -> bool:
    """Editor and system noise: hidden names (`.git`, `.#lock`, `.x.md.swp`), backups, temp files."""
    return any(_is_ignored_name(part) for part in relative.parts)


def _is_ignored_name(name: str) -> bool:
    return (
        name.startswith(".")
        or (name.startswith("#") and name.endswith("#"))  # Emacs auto-save
        or name.endswith(_TEMPORARY_SUFFIXES)
        or name == "4913"  # vim checks it may write the directory with this name
        or name == "__pycache__"
    )


@dataclass(frozen=True, slots=True)
class Change:
    kind: str
    """watchdog's event type: created, modified, deleted, moved (the source), moved_to, closed, attrib."""
    path: Path


@dataclass(frozen=True, slots=True)
class WatchedDir:
    path: Path
    recursive: bool = True
    only_names: frozenset[str] | None = None
    """When set, only direct children with these names count (a project directory is watched
    for a `templates/` or `static/` directory appearing, not for everything else in it)."""

    def relevant(self, path: Path) -> bool:
        try:
            relative = path.relative_to(self.path)
        except ValueError:
            return False
        if not relative.parts or is_ignored(relative):
            return False
        return self.only_names is None or relative.parts[0] in self.only_names


class _Collector(FileSystemEventHandler):
    def __init__(self, watched: WatchedDir, collect: Callable[[list[Change]], None]):
        self._watched = watched
        self._collect = collect

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in _CHANGE_EVENTS:
            return
        if event.is_directory and event.event_type in ("modified", "closed", "attrib"):
            return  # a file event inside says more, and reading a directory touches it
        changes = [Change(event.event_type, Path(_text(event.src_path)))]
        if event.event_type == "moved":
            changes.append(Change("moved_to", Path(_text(event.dest_path))))
        relevant = [change for change in changes if self._watched.relevant(change.path)]
        if relevant:
            self._collect(relevant)


def _text(path: str | bytes) -> str:
    return path.decode() if isinstance(path, bytes) else path


#: How long stopping waits for a rebuild in progress to end (see Debouncer.stop).
_STOP_WAIT = 10.0


class Debouncer:
    """Calls `action(changes)` once the stream of changes has paused for `quiet` seconds.

    A steady stream still gets a rebuild every `max_delay` seconds. Changes that arrive while
    the action runs are kept for the next call, so no save is ever lost.
    """

    def __init__(self, action: Callable[[list[Change]], None], quiet: float = 0.15, max_delay: float = 2.0):
        self._action = action
        self._quiet = quiet
        self._max_delay = max_delay
        self._pending: list[Change] = []
        self._first = self._last = 0.0
        self._stopped = False
        self._wake = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="caseshelf-rebuild", daemon=True)

    def add(self, changes: list[Change]) -> None:
        with self._wake:
            now = time.monotonic()
            if not self._pending:
                self._first = now
            self._pending.extend(changes)
            self._last = now
            self._wake.notify()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        with self._wake:
            self._stopped = True
            self._wake.notify()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            # A build in progress ends at its next step (see session._EndedWhenStopped), within
            # a second or so: waited for, so that nothing it writes outlives the workspace. The
            # wait is bounded all the same (the thread is a daemon: it ends with the process).
            self._thread.join(timeout=_STOP_WAIT)

    def _run(self) -> None:
        while True:
            batch = self._next_batch()
            if batch is None:
                return
            self._action(batch)

    def _next_batch(self) -> list[Change] | None:
        with self._wake:
            while not self._stopped:
                if self._pending:
                    due = min(self._last + self._quiet, self._first + self._max_delay)
                    if time.monotonic() >= due:
                        batch, self._pending = self._pending, []
                        return batch
                    self._wake.wait(due - time.monotonic())
                else:
                    self._wake.wait()
            return None


class Watcher:
    """watchdog observers on the watched directories, feeding a Debouncer."""

    def __init__(self, on_changes: Callable[[list[Change]], None], warn: Callable[[str], None]):
        # watchdog warns when a folder moved away comes back within a recursive watch (it then
        # watches it again, as it should): kilobytes of warning in the terminal for nothing.
        warnings.filterwarnings("ignore", message="Callback with id .* for watch", category=RuntimeWarning)
        self._debouncer = Debouncer(on_changes)
        self._warn = warn
        self._observer = Observer()
        self._watches: dict[WatchedDir, tuple[object, tuple[int, int]]] = {}
        """Each directory watched: watchdog's watch, and the identity of the folder it follows."""

    def start(self, dirs: Iterable[WatchedDir]) -> None:
        """Start watching; changes are collected at once but acted on only after `resume()`."""
        try:
            self._observer.start()
            self.watch(dirs)
        except OSError as error:
            if error.errno not in (errno.ENOSPC, errno.EMFILE):
                raise
            # inotify watch/instance limits (watchdog issues 673, 846): polling still works.
            self._warn(f"cannot watch with inotify ({error.strerror}); polling for changes instead")
            self._observer.stop()
            self._observer = PollingObserver(timeout=0.5)
            self._watches = {}
            self._observer.start()
            self.watch(dirs)

    def resume(self) -> None:
        self._debouncer.start()

    def watch(self, dirs: Iterable[WatchedDir]) -> None:
        """Watch exactly these directories (the theme's set can change while serving). A watch
        follows a folder, not its name: when another folder now has the name (the content
        folder deleted and made again, or a copy renamed into its place), it is watched instead."""
        wanted = {d: identity for d in dirs if (identity := _folder_identity(d.path)) is not None}
        for known, (watch, identity) in list(self._watches.items()):
            if wanted.get(known) != identity:
                self._observer.unschedule(watch)
                del self._watches[known]
        for new, identity in wanted.items():
            if new not in self._watches:
                handler = _Collector(new, self._debouncer.add)
                self._watches[new] = (self._observer.schedule(handler, str(new.path), recursive=new.recursive), identity)

    def stop(self) -> None:
        _quiet_watchdog_shutdown()
        self._observer.stop()
        self._debouncer.stop()
        if self._observer.is_alive():
            self._observer.join(timeout=5)


def _folder_identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of the folder at `path`; None when there is none."""
    try:
        info = path.stat()
    except OSError:
        return None
    return (info.st_dev, info.st_ino) if stat.S_ISDIR(info.st_mode) else None


def _quiet_watchdog_shutdown() -> None:
    """watchdog logs "InotifyEmitter.queue_events() called when the thread is inactive" when an
    event arrives while it stops (a race inside watchdog 7). Without logging configured, Python
    prints that to the terminal on Ctrl-C; a handler on its logger keeps the stop quiet."""
    watchdog_logger = logging.getLogger("watchdog")
    if not any(isinstance(handler, logging.NullHandler) for handler in watchdog_logger.handlers):
        watchdog_logger.addHandler(logging.NullHandler())
