"""The previewed site: builds it into a private directory and publishes the last good one.

Every build goes into a fresh directory of the preview's own temporary workspace (never the
user's `_site/`) through the normal pipeline. Only a complete, successful build is published,
by swapping one reference, so a request never sees a half-written site, and a failed build
leaves the last good site served with its problems alongside (MkDocs keeps the last good build
too, but shows the error only in the terminal).
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
from caseshelf.problems import BuildFailed, Problem
from caseshelf.theme import find_theme
from caseshelf.write import MARKER

#: Good builds kept on disk: the served one and the one before it, which requests that began
#: just before the swap may still be reading, and which the next build is compared with.
_KEPT_BUILDS = 2


@dataclass(frozen=True, slots=True)
class SiteState:
    """What is served now. Requests and event streams read one snapshot each."""

    site: str
    """Identifies the published build: the browser reloads when it changes."""
    root: Path | None
    """The published build's directory; None until a first build succeeds."""
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
    changed_files: int | None
    """Files added, removed or different compared with the previous good build (None for the first)."""


@dataclass(frozen=True, slots=True)
class Failed:
    problems: tuple[Problem, ...]
    crash: str | None = None
    """The traceback when caseshelf itself failed (a bug to report), not the user's input."""


class Preview:
    def __init__(self, options: BuildOptions, workspace: Path):
        # The search index is skipped: it takes longer than the rest of a build on a big archive.
        self._options = replace(options, search=False)
        self._workspace = workspace
        self._session = secrets.token_hex(4)
        self._builds = 0
        self._good: list[Path] = []
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

    def rebuild(self, changed: Sequence[Path] = ()) -> Rebuilt | Failed:
        """Build the whole site again (the pipeline reuses what it can) and publish the result."""
        self._changed_since_good.extend(changed)
        self._builds += 1
        output = self._workspace / f"site-{self._builds}"
        try:
            report = build(replace(self._options, output=output))
            base_path = self._base_path()
        except BuildFailed as failure:
            return self._publish_failure(Failed(failure.problems))
        except Exception as error:  # a caseshelf bug must not stop the preview: show it, keep serving
            problem = Problem("caseshelf", 0, "", f"internal error while building ({type(error).__name__}: {error}); please report it")
            return self._publish_failure(Failed((problem,), traceback.format_exc()))
        previous = self._good[-1] if self._good else None
        self._publish_site(output, base_path)
        changed_files = count_changed_files(previous, output) if previous else None
        self._retire_old_builds()
        return Rebuilt(report, changed_files)

    def wait(self, seen_version: int | None, timeout: float) -> SiteState | None:
        """The state once its version differs from `seen_version`; None on timeout or stop."""
        with self._changed:
            self._changed.wait_for(lambda: self._stopped or self._state.version != seen_version, timeout)
            return None if self._stopped or self._state.version == seen_version else self._state

    def stop(self) -> None:
        with self._changed:
            self._stopped = True
            self._changed.notify_all()

    def _publish_site(self, output: Path, base_path: str) -> None:
        old = self._state
        style_only = self._is_style_only(self._changed_since_good) and old.root is not None
        self._good.append(output)
        self._changed_since_good = []
        self._set(SiteState(self._site_id(self._builds), output, base_path, old.site if style_only else None, (), old.version + 1))

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

    def _retire_old_builds(self) -> None:
        while len(self._good) > _KEPT_BUILDS:
            shutil.rmtree(self._good.pop(0), ignore_errors=True)


def count_changed_files(old: Path, new: Path) -> int:
    """Files added, removed or with different bytes between two builds."""
    old_sizes, new_sizes = _file_sizes(old), _file_sizes(new)
    changed = len(old_sizes.keys() ^ new_sizes.keys())
    for name in old_sizes.keys() & new_sizes.keys():
        if old_sizes[name] != new_sizes[name] or (old / name).read_bytes() != (new / name).read_bytes():
            changed += 1
    return changed


def _file_sizes(root: Path) -> dict[str, int]:
    sizes = {}
    for directory, _, names in os.walk(root):
        for name in names:
            path = os.path.join(directory, name)
            sizes[os.path.relpath(path, root)] = os.stat(path).st_size
    sizes.pop(MARKER, None)
    return sizes
