"""A running preview: the HTTP server, the watcher and the builds, started and stopped together."""

from __future__ import annotations

import ipaddress
import os
import shutil
import tempfile
import threading
import traceback
from pathlib import Path

from caseshelf.pipeline import BuildOptions
from caseshelf.progress import SILENT, Meter
from caseshelf.serve.console import Console, describe_changes
from caseshelf.serve.preview import Failed, Preview, Rebuilt
from caseshelf.serve.server import PreviewServer
from caseshelf.serve.watch import Change, WatchedDir, Watcher
from caseshelf.theme import find_theme

#: Directories next to the content whose appearance changes the theme (see caseshelf.theme).
_THEME_DIR_NAMES = frozenset({"templates", "static"})
_WORKSPACE_PREFIX = ".caseshelf-preview-"


class PreviewSession:
    """Binds at once (so a busy port fails before any build); `start()` builds and serves.

    Use as a context manager, or call `close()`: it stops the threads and deletes the builds.
    """

    def __init__(self, options: BuildOptions, host: str = "127.0.0.1", port: int = 8000, console: Console | None = None):
        self._options = options
        self._console = console or Console()
        self._workspace = make_workspace(options.output)
        self.preview = Preview(options, self._workspace)
        try:
            self._server = PreviewServer(host.strip("[]"), port, self.preview)
        except BaseException:
            shutil.rmtree(self._workspace, ignore_errors=True)
            raise
        self._watcher = Watcher(self._rebuild, self._console.warn)
        self._first_build_running = False
        self._warned: set[str] = set()  # see _EndedWhenStopped.warning
        self._serving = threading.Thread(target=self._server.serve_forever, name="caseshelf-http", daemon=True)

    @property
    def origin(self) -> str:
        """The URL to open in a browser on this computer, without the site's base path."""
        host, port = self._server.bound_host, self._server.server_address[1]
        if host in ("", "0.0.0.0", "::"):
            host = "127.0.0.1"
        elif _is_ipv6(host):
            host = f"[{host}]"
        return f"http://{host}:{port}"

    @property
    def url(self) -> str:
        return self.origin + self.preview.state.base_path

    def start(self) -> Rebuilt | Failed:
        """Serve at once (a "building" page), build, then rebuild on every change."""
        self._serving.start()
        self._watcher.start(self.watched_dirs())  # changes made during the first build are kept
        self.preview.seed(self._options.output.resolve())
        with self._console.meter() as meter:  # the first build may take minutes; rebuilds say one line each
            self._first_build_running = True
            try:
                outcome = self.preview.rebuild(meter=_EndedWhenStopped(self.preview, self._warned, meter))
            finally:
                self._first_build_running = False
        if self.preview.stopped:  # asked to stop after the build's last step (see stop_first_build)
            raise KeyboardInterrupt
        self._watcher.resume()
        return outcome

    def stop_first_build(self) -> bool:
        """Ask the first build, when it is running, to end at its next step (where ending is
        safe: see serve's signal handler); False when there is none to ask."""
        if not self._first_build_running or self.preview.stopped:
            return False
        self.preview.stop()
        return True

    def watched_dirs(self) -> list[WatchedDir]:
        source = self._options.source.resolve()
        theme = find_theme(source)
        dirs = [WatchedDir(source)]
        dirs += [WatchedDir(d.resolve()) for d in (*theme.template_dirs, *theme.static_dirs)]
        # The project folder, for a templates/ or static/ appearing, and for the content folder
        # itself made again or replaced (see Watcher.watch).
        dirs.append(WatchedDir(source.parent, recursive=False, only_names=_THEME_DIR_NAMES | {source.name}))
        return list(dict.fromkeys(dirs))

    def close(self) -> None:
        self.preview.stop()  # first: a rebuild that fails as the workers stop then says nothing
        self._watcher.stop()
        if self._serving.is_alive():
            self._server.shutdown()
        self._server.server_close()
        shutil.rmtree(self._workspace, ignore_errors=True)

    def __enter__(self) -> PreviewSession:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _rebuild(self, changes: list[Change]) -> None:
        if self.preview.stopped:
            return
        try:
            # A templates/ or static/ may have appeared: watch it before the build reads it, so
            # no edit falls between this build and the next.
            self._watcher.watch(self.watched_dirs())
            rebuilding = _EndedWhenStopped(self.preview, self._warned, _WarningsTo(self._console))
            outcome = self.preview.rebuild([change.path for change in changes], meter=rebuilding)
        except KeyboardInterrupt:  # the preview is stopping (see Preview.rebuild)
            return
        except Exception:  # noqa: BLE001 - the next save must still be rebuilt: report and go on
            self._console.warn(f"The preview failed to rebuild; please report this:\n{traceback.format_exc()}")
            return
        if not self.preview.stopped:
            self._console.rebuilt(describe_changes(changes, self._options.source.resolve().parent), outcome)


class _EndedWhenStopped(Meter):
    """A build's meter (passing on to `shown`) that ends the build at its next step (a stage
    begun, a share of pages done) once the preview stops, so that stopping waits a moment for
    the build, not its whole length, and the build writes nothing into the workspace after it
    is deleted. Only in the build's own thread: a worker's share is told done on the process
    pool's thread, which must not be interrupted."""

    def __init__(self, preview: Preview, warned: set[str], shown: Meter = SILENT):
        self._preview = preview
        self._warned = warned
        self._shown = shown
        self._thread = threading.current_thread()

    def stage(self, label: str, total: int = 0, unit: str = "") -> None:
        self._end_if_stopped()
        self._shown.stage(label, total, unit)

    def advance(self, count: int) -> None:
        self._end_if_stopped()
        self._shown.advance(count)

    def message(self, line: str) -> None:
        self._shown.message(line)

    def warning(self, line: str) -> None:
        """Passed on once a preview: every build warns again (an ORCID iD given to two names),
        and a warning repeated on each save would bury the rebuild lines."""
        if line not in self._warned:
            self._warned.add(line)
            self._shown.warning(line)

    def _end_if_stopped(self) -> None:
        if self._preview.stopped and threading.current_thread() is self._thread:
            raise KeyboardInterrupt  # see Preview.rebuild and `_rebuild`


class _WarningsTo(Meter):
    """A rebuild's meter: its one line is said by the console, but a warning is news that an
    edit brought (an ORCID iD pasted into the wrong author block), shown as it comes."""

    def __init__(self, console: Console):
        self._console = console

    def warning(self, line: str) -> None:
        self._console.warn(line)


def make_workspace(output: Path) -> Path:
    """A private directory for the preview's builds, beside the user's output: on the same file
    system, so the last build's files can be hard-linked instead of rendered again, and on disk
    rather than in a RAM-backed /tmp (a 10,000-article archive is about a gigabyte).
    Workspaces left behind by a preview that was killed are removed first."""
    parent = output.resolve().parent
    _remove_abandoned_workspaces(parent)
    try:
        workspace = Path(tempfile.mkdtemp(prefix=f"{_WORKSPACE_PREFIX}{os.getpid()}-", dir=parent))
    except OSError:  # the output's parent is missing or read-only
        return Path(tempfile.mkdtemp(prefix=_WORKSPACE_PREFIX.lstrip(".")))
    (workspace / ".gitignore").write_text("*\n")
    return workspace


def _remove_abandoned_workspaces(parent: Path) -> None:
    for workspace in parent.glob(f"{_WORKSPACE_PREFIX}*-*"):
        pid = workspace.name.removeprefix(_WORKSPACE_PREFIX).partition("-")[0]
        if pid.isdigit() and not _is_running(int(pid)):
            shutil.rmtree(workspace, ignore_errors=True)


def _is_running(pid: int) -> bool:
    if os.name == "nt":
        return True  # os.kill would terminate the process there, not probe it
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists but belongs to someone else
        return True
    return True


def _is_ipv6(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).version == 6
    except ValueError:
        return False
