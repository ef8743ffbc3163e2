"""Shared fixtures: the sample journal built once, fixture sites in tmp_path, a static HTTP
server laid out like GitHub Pages, and a real headless Chromium."""

from __future__ import annotations

import fcntl
import functools
import http.server
import os
import pty
import re
import shutil
import struct
import subprocess
import sys
import termios
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from caseshelf.cache import cache_dir
from caseshelf.pipeline import BuildOptions, build

REPO = Path(__file__).resolve().parents[1]
SAMPLE_CONTENT = REPO / "content"
# Debian's package; GitHub's Ubuntu runners ship Google Chrome instead.
CHROMIUM = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


#: A line of a build's progress, as stderr shows it when it is not a terminal and the build has
#: run for a second (caseshelf/progress.py): `Reading records (6)...`, `Building the site
#: model...`, `Rendering articles: 50 of 300`.
_PROGRESS_LINE = re.compile(r"[A-Z][a-z]+(?: [a-z]+)*(?: \([\d,]+\))?\.\.\.|[A-Z][a-z]+(?: [a-z]+)*: [\d,]+ of [\d,]+")


@pytest.fixture(scope="session", autouse=True)
def _a_user_cache_folder_of_the_tests(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Builds seal their cache with a key of the user's (caseshelf/cache_seal.py), made in the
    user's cache folder on first use: the tests' builds, and the commands they run, make theirs
    in a folder of their own, not in the home folder of whoever runs the tests."""
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("user-cache"))


@pytest.fixture(scope="session", autouse=True)
def _the_users_build_cache_left_as_it_was(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The tests build the sample journal where it is, so their builds keep a cache beside it
    (the checkout's `.caseshelf-cache/`), sealed with the tests' own key: left there, it made
    the user's next `python build.py` say that it ignored a cache it had not saved. The
    user's own cache is set aside while the tests run (so they start as on a clean clone) and
    put back afterwards; the tests' is removed."""
    users = cache_dir(SAMPLE_CONTENT)
    aside = tmp_path_factory.mktemp("users-build-cache") / users.name
    had_one = users.exists()
    if had_one:
        shutil.move(users, aside)
    yield
    shutil.rmtree(users, ignore_errors=True)
    if had_one:
        shutil.move(aside, users)


def problem_lines(stderr: str) -> list[str]:
    """What a command printed on stderr, without its progress lines: whether a build shows
    them depends on how quickly this machine got through its first second."""
    return [line for line in stderr.splitlines() if not _PROGRESS_LINE.fullmatch(line)]


def generate_journal(content: Path, articles: int, seed: int) -> Path:
    """A journal made by the benchmark's generator into `content` (authors recur, articles
    cite each other, a fifth of the names not in ASCII)."""
    command = [sys.executable, str(REPO / "benchmarks/generate.py"), str(articles), str(content), "--seed", str(seed), "--jobs", "1"]
    subprocess.run(command, check=True, capture_output=True)
    return content


def run_on_a_terminal(command: list[str]) -> tuple[subprocess.CompletedProcess, str]:
    """Run `command` with its stderr on a real pseudo-terminal 100 columns wide (a new one has
    no size, and a bar in 0 columns prints nothing) and its stdout piped: the finished process,
    and everything the terminal was sent."""
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    shown = bytearray()

    def read_terminal() -> None:
        # Read while the command runs: a full terminal buffer would block it, and what is left
        # in the buffer when the terminal closes may be lost.
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:
                return
            if not chunk:
                return
            shown.extend(chunk)

    reader = threading.Thread(target=read_terminal, daemon=True)
    reader.start()
    try:
        result = subprocess.run(command, stdout=subprocess.PIPE, stderr=terminal, text=True, timeout=300, check=False)
    finally:
        os.close(terminal)
        reader.join(timeout=30)
        os.close(controller)
    return result, shown.decode("utf-8", "replace").replace("\r\n", "\n")


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample journal built once for read-only checks (no search index: faster)."""
    output = tmp_path_factory.mktemp("sample") / "_site"
    build(BuildOptions(source=SAMPLE_CONTENT, output=output, search=False))
    return output


EXPORTS_FIXTURE = Path(__file__).parent / "fixtures" / "exports" / "site"


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The exports fixture journal (Unicode names, a group author, a minimal record), built once."""
    source = tmp_path_factory.mktemp("exports-source")
    shutil.copytree(EXPORTS_FIXTURE, source, dirs_exist_ok=True)
    output = tmp_path_factory.mktemp("exports-output") / "_site"
    build(BuildOptions(source=source, output=output, search=False))
    return output


AWKWARD_FIXTURE = Path(__file__).parent / "fixtures" / "exports" / "awkward"


def _built_fixture(tmp_path_factory: pytest.TempPathFactory, source: Path) -> Path:
    """A fixture journal built into a folder of its own, without the search index and without
    a build cache (which would be saved beside the fixture)."""
    output = tmp_path_factory.mktemp(f"{source.name}-output") / "_site"
    build(BuildOptions(source=source, output=output, search=False, cache=False))
    return output


@pytest.fixture(scope="session")
def awkward_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A journal of awkward but legal records (a mononym, particles, a suffix, an article whose
    full text is not in the journal's language), built once."""
    return _built_fixture(tmp_path_factory, AWKWARD_FIXTURE)


FRONT_MATTER_FIXTURE = Path(__file__).parent / "fixtures" / "exports" / "front-matter"


@pytest.fixture(scope="session")
def front_matter_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A journal whose issue opens with front matter in Roman page numbers (`iii-iv`, `IX`)
    before its article on pages 1-7, built once."""
    return _built_fixture(tmp_path_factory, FRONT_MATTER_FIXTURE)


ONLINE_DATES_FIXTURE = Path(__file__).parent / "fixtures" / "exports" / "online-dates"


@pytest.fixture(scope="session")
def online_dates_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A journal with an article published online in the year before its volume's (`ahead`),
    one in an issue that came out the year after its own (`late`) and one in its year
    (`on-time`), built once."""
    return _built_fixture(tmp_path_factory, ONLINE_DATES_FIXTURE)


def write_files(root: Path, files: dict[str, str]) -> Path:
    """Write a small fixture site: {relative path: text}."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


@contextmanager
def static_server(document_root: Path) -> Iterator[str]:
    """Serve a directory on a free loopback port, like GitHub Pages serves a site; yields the origin."""
    handler = functools.partial(_QuietHandler, directory=str(document_root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright. In CI a missing browser is a failure."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"chromium not found at {CHROMIUM}: .ci/run must install it")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    # Pages load scripts and data in steps (Pagefind's filters come last); on a machine busy
    # with another build they once took longer than Playwright's default 5 s. Waiting longer
    # changes no assertion: each still fails if what it expects never appears.
    expect.set_options(timeout=15_000)
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    tab = context.new_page()
    try:
        yield tab
    finally:
        context.close()
