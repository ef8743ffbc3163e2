"""The previewed site: builds it into a private directory and publishes the last good one.

Builds go through the normal pipeline into the preview's own output directory, never the
user's `_site/`. The pipeline changes the output only once a build is complete (a full build is
swapped in whole; an incremental one moves its changed files in, each one atomically), so a
request never sees a half-written file, and a failed build leaves the last good site served with its
problems alongside (MkDocs keeps the last good build too, but shows the error only in the
terminal). The output stays the same directory for the whole session, so the pipeline's cache
can reuse the previous build's files and a rebuild only renders what changed.
"""

from __future__ import annotations

import os
import secrets
import shutil
import threading
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from caseshelf.loading import JOURNAL_FILE
from caseshelf.loading.journal import load_journal
from caseshelf.pipeline import BuildOptions, BuildReport, build
from caseshelf.problems import BuildFailed, Problem, os_error_text, raised_while_stopping
from caseshelf.progress import SILENT, Meter
from caseshelf.theme import find_theme
from caseshelf.write import MARKER


@dataclass(frozen=True, slots=True)
class SiteState:
    """What is served now. Requests and event streams read one snapshot each."""

    site: str
    """Identifies the published build: the browser reloads when it changes."""
    root: Path | None
    """The served directory; None until a first build succeeds."""
    base_path: str
    """Where the site is mounted, from base_url: `/rjpho/`."""
    css_only_from: str | None
    """The previous site id when only stylesheets changed since it, so pages showing it can
    swap stylesheets instead of reloading."""
    problems: tuple[str, ...]
    """The last build's problems as printed in the terminal; empty when it succeeded."""
    version: int
    """Counts published results, good or failed, so event streams know when to speak."""


@dataclass(frozen=True, slots=True)
class Rebuilt:
    report: BuildReport
    rewritten_files: int | None
    """Files this build wrote or removed rather than kept from the previous good build (None
    for the first build of a session)."""


@dataclass(frozen=True, slots=True)
class Failed:
    problems: tuple[Problem, ...]
    crash: str | None = None
    """The traceback when caseshelf itself failed (a bug to report), not the user's input."""


def _failure_of(error: Exception) -> Failed:
    """A build that raised: the machine's problem (a full disk, a folder gone), or a bug in
    caseshelf, which must not stop the preview: shown, and the last good site kept."""
    if isinstance(error, OSError):
        return Failed((Problem("caseshelf", 0, "", f"could not build: {os_error_text(error)}"),))
    problem = Problem("caseshelf", 0, "", f"internal error while building ({type(error).__name__}: {error}); please report it")
    return Failed((problem,), traceback.format_exc())


class Preview:
    def __init__(self, options: BuildOptions, workspace: Path):
        self._output = workspace / "site"
        # The search index is skipped: it takes longer than the rest of a build on a big archive.
        self._options = replace(options, output=self._output, search=False)
        self._session = secrets.token_hex(4)
        self._builds = 0
        self._files: dict[str, int] = {}
        self._changed_since_good: list[Path] = []
        self._stopped = False
        self._changed = threading.Condition()
        self._state = SiteState(self._site_id(0), None, "/", None, (), 0)

    @property
    def state(self) -> SiteState:
        return self._state

    @property
    def stopped(self) -> bool:
        return self._stopped

    def seed(self, built_site: Path) -> bool:
        """Start from the user's last build (hard links, no copying), so the pipeline's cache can
        reuse its files and the first preview build only renders what changed since."""
        if not (built_site / MARKER).is_file() or self._output.exists():
            return False
        if built_site.stat().st_dev != self._output.parent.stat().st_dev:
            return False  # hard links cannot cross file systems
        try:
            shutil.copytree(built_site, self._output, symlinks=True, copy_function=os.link)
        except (OSError, shutil.Error):  # another file system: start from nothing instead
            shutil.rmtree(self._output, ignore_errors=True)
            return False
        return True

    def rebuild(self, changed: Sequence[Path] = (), meter: Meter = SILENT) -> Rebuilt | Failed:
        """Run the pipeline (which reuses what it can) and publish the result; `meter` is told
        how far it has got."""
        self._changed_since_good.extend(changed)
        self._builds += 1
        try:
            report = build(self._options, meter=meter)
            base_path = self._base_path()
        except BuildFailed as failure:
            return self._publish_failure(Failed(failure.problems))
        except Exception as error:
            if raised_while_stopping(error) or self._stopped:
                raise KeyboardInterrupt from None  # the preview is stopping: nothing to report
            return self._publish_failure(_failure_of(error))
        first = self._state.root is None
        self._publish_site(base_path)
        # After publishing: the browser reloads while this walks the output.
        try:
            files = _file_identities(self._output)
        except OSError:  # the preview is stopping and its workspace going
            return Rebuilt(report, None)
        rewritten = None if first else count_rewritten(self._files, files)
        self._files = files
        return Rebuilt(report, rewritten)

    def wait(self, seen_version: int | None, timeout: float) -> SiteState | None:
        """The state once its version differs from `seen_version`; None on timeout or stop."""
        with self._changed:
            self._changed.wait_for(lambda: self._stopped or self._state.version != seen_version, timeout)
            return None if self._stopped or self._state.version == seen_version else self._state

    def stop(self) -> None:
        with self._changed:
            self._stopped = True
            self._changed.notify_all()

    def _publish_site(self, base_path: str) -> None:
        old = self._state
        style_only = self._is_style_only(self._changed_since_good) and old.root is not None
        self._changed_since_good = []
        self._set(SiteState(self._site_id(self._builds), self._output, base_path, old.site if style_only else None, (), old.version + 1))

    def _publish_failure(self, failed: Failed) -> Failed:
        old = self._state
        self._set(replace(old, problems=tuple(str(problem) for problem in failed.problems), version=old.version + 1))
        return failed

    def _set(self, state: SiteState) -> None:
        with self._changed:
            self._state = state
            self._changed.notify_all()

    def _site_id(self, build_number: int) -> str:
        # The session part makes a tab left open across a server restart reload.
        return f"{self._session}-{build_number}"

    def _base_path(self) -> str:
        source = self._options.source.resolve()
        journal, _ = load_journal(source / JOURNAL_FILE, source, self._options.base_url)
        return journal.base_path if journal else "/"

    def _is_style_only(self, changed: list[Path]) -> bool:
        static_dirs = [d.resolve() for d in find_theme(self._options.source).static_dirs]
        return bool(changed) and all(
            path.suffix == ".css" and any(path.resolve().is_relative_to(d) for d in static_dirs) for path in changed
        )


def count_rewritten(before: dict[str, int], after: dict[str, int]) -> int:
    """Files added, removed or replaced between two builds. The pipeline hard-links the files
    it reuses from the previous build, so a file with the same inode was kept as it was."""
    return sum(1 for name, inode in after.items() if before.get(name) != inode) + len(before.keys() - after.keys())


def _file_identities(root: Path) -> dict[str, int]:
    """Relative path -> inode of every file of a build but the marker (rewritten every time).

    scandir's entries carry the inode from the directory listing itself: no stat per file, which
    matters at 70,000 files.
    """
    identities: dict[str, int] = {}
    pending = [(str(root), "")]
    while pending:
        directory, prefix = pending.pop()
        with os.scandir(directory) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    pending.append((entry.path, f"{prefix}{entry.name}/"))
                else:
                    identities[prefix + entry.name] = entry.inode()
    identities.pop(MARKER, None)
    return identities
