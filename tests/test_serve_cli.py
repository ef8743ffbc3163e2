"""`python -m caseshelf serve` as a user runs it: in its own process, stopped with Ctrl-C."""

from __future__ import annotations

import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import REPO, SAMPLE_CONTENT, generate_journal
from test_serve_support import TIMEOUT, copy_sample, fetch


class ServeProcess:
    """`caseshelf serve` in a subprocess; its stderr read line by line as it comes."""

    def __init__(self, args: list[str], env: dict[str, str]):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "caseshelf", "serve", *args],
            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True,  # a process group of its own, which `ctrl_c` signals as a terminal does
        )  # fmt: skip
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def ctrl_c(self) -> None:
        """SIGINT to the server and its workers, as a terminal's Ctrl-C sends it."""
        os.killpg(self.process.pid, signal.SIGINT)

    def _read(self) -> None:
        for line in self.process.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def wait_for_line(self, start: str) -> str:
        while True:
            try:
                line = self._queue.get(timeout=TIMEOUT)
            except queue.Empty:
                raise AssertionError(f"no line starting {start!r} within {TIMEOUT} s; got {self.lines}") from None
            assert line is not None, f"the server ended before printing {start!r}: {self.lines}"
            self.lines.append(line)
            if line.startswith(start):
                return line

    def finish(self) -> int:
        """Wait for the process to end; every remaining line is read into `lines`. A process
        that does not end is made to print where each of its threads is (faulthandler, on
        SIGABRT) and the test fails with that: a hang seen once in CI can then be found."""
        try:
            code = self.process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.send_signal(signal.SIGABRT)
            self.process.wait(timeout=TIMEOUT)
            self._read_remaining_lines()
            raise AssertionError(f"the server did not end within {TIMEOUT} s; its output and threads:\n" + "\n".join(self.lines)) from None
        self._read_remaining_lines()
        return code

    def _read_remaining_lines(self) -> None:
        while (line := self._queue.get(timeout=TIMEOUT)) is not None:
            self.lines.append(line)


@contextmanager
def _ctrl_c_inherited() -> Iterator[None]:
    """A process started now gets SIGINT as a terminal gives it, even when the tests run
    where it is ignored: a shell starting them in the background (`pytest &`) ignores it, a
    child inherits an ignored signal, and Python then leaves it ignored, so the Ctrl-C these
    tests send would never arrive. A handled signal is reset to the default in the child."""
    previous = signal.getsignal(signal.SIGINT)
    if previous == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        if previous == signal.SIG_IGN:
            signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextmanager
def serve_process(tmp_path: Path, *args: str) -> Iterator[ServeProcess]:
    if "--output" not in args:  # the preview's private builds go beside the output: keep them in tmp_path
        args = (*args, "--output", str(tmp_path / "_site"))
    with _ctrl_c_inherited():
        server = ServeProcess(list(args), {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONFAULTHANDLER": "1"})
    try:
        yield server
    finally:
        if server.process.poll() is None:
            server.process.kill()
            server.process.wait(timeout=TIMEOUT)


def test_ctrl_c_stops_the_server_cleanly_and_removes_its_builds(tmp_path: Path):
    content = copy_sample(tmp_path)
    with serve_process(tmp_path, "--port", "0", "--source", str(content), "--output", str(tmp_path / "_site")) as server:
        serving = server.wait_for_line("Serving ")
        url = serving.split()[1]
        assert url.startswith("http://127.0.0.1:") and url.endswith("/rjpho/")
        assert fetch(url.removesuffix("/rjpho/"), "/rjpho/").status == 200
        [workspace] = tmp_path.glob(".caseshelf-preview-*")
        assert (workspace / "site" / "index.html").is_file(), "builds go to a private directory beside the output"
        server.process.send_signal(signal.SIGINT)
        assert server.finish() == 0
    assert "Stopped." in server.lines
    assert not any("Traceback" in line for line in server.lines), server.lines
    assert not workspace.exists()
    assert not (tmp_path / "_site").exists(), "the user's output is not written"


def test_a_busy_port_is_reported_clearly_with_exit_code_1(tmp_path: Path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with serve_process(tmp_path, "--port", str(port), "--source", str(SAMPLE_CONTENT)) as server:
            code = server.finish()
    assert code == 1
    assert f"Port {port} is already in use on 127.0.0.1: stop the other server, or choose another port with --port." in server.lines
    assert not any("Traceback" in line for line in server.lines), server.lines


def test_listening_on_all_interfaces_prints_a_warning(tmp_path: Path):
    with serve_process(tmp_path, "--host", "0.0.0.0", "--port", "0", "--source", str(SAMPLE_CONTENT)) as server:
        warning = server.wait_for_line("Warning: listening on 0.0.0.0")
        assert "anyone who can reach this computer" in warning
        server.wait_for_line("Serving http://127.0.0.1:")
        server.process.send_signal(signal.SIGINT)
        assert server.finish() == 0


def test_the_default_loopback_address_prints_no_warning_and_sigterm_stops_cleanly(tmp_path: Path):
    with serve_process(tmp_path, "--port", "0", "--source", str(SAMPLE_CONTENT)) as server:
        server.wait_for_line("Serving http://127.0.0.1:")
        server.process.send_signal(signal.SIGTERM)
        assert server.finish() == 0
    assert not any("Warning" in line for line in server.lines)


def test_a_source_without_journal_yaml_is_refused(tmp_path: Path):
    with serve_process(tmp_path, "--port", "0", "--source", str(tmp_path)) as server:
        assert server.finish() == 1
    assert any("no journal.yaml here" in line for line in server.lines), server.lines


@pytest.fixture(scope="module")
def larger_journal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A journal whose articles take well over a second to render, even in one process and on a
    fast machine (300 took 1.0 s on one in 2026: the second was reached after them)."""
    return generate_journal(tmp_path_factory.mktemp("larger") / "content", 800, seed=4)


def test_a_long_first_build_says_how_far_it_has_got(tmp_path: Path, larger_journal: Path):
    with serve_process(tmp_path, "--port", "0", "--source", str(larger_journal), "--jobs", "1") as server:
        server.wait_for_line("Serving http://127.0.0.1:")
        server.process.send_signal(signal.SIGINT)
        assert server.finish() == 0
    before_serving = server.lines[: next(n for n, line in enumerate(server.lines) if line.startswith("Serving "))]
    # Plain lines, as stderr is a pipe here (a terminal gets the bar: see test_progress.py).
    assert any(line.startswith(("Rendering articles (800)...", "Rendering articles: ")) for line in before_serving), server.lines
    assert before_serving[-1].startswith("Built "), server.lines


def test_a_quiet_preview_shows_no_progress(tmp_path: Path, larger_journal: Path):
    with serve_process(tmp_path, "--port", "0", "--source", str(larger_journal), "--jobs", "1", "--quiet") as server:
        # Quiet prints nothing once serving: wait until the preview answers, then stop it.
        deadline = time.monotonic() + TIMEOUT
        while not list(tmp_path.glob(".caseshelf-preview-*/site/index.html")):
            assert time.monotonic() < deadline, server.lines
            time.sleep(0.2)
        server.process.send_signal(signal.SIGINT)
        assert server.finish() == 0
    assert not any(line.startswith(("Reading records", "Rendering")) for line in server.lines), server.lines


# --- stopped in the middle of a build ------------------------------------------------------------


def processes_naming(text: str) -> list[str]:
    """The command lines of the processes still running whose command line holds `text`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue  # ended meanwhile
            if text in command:
                found.append(command)
    return found


def wait_for_path(pattern: str, root: Path) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not list(root.glob(pattern)):
        assert time.monotonic() < deadline, f"no {pattern} under {root} within {TIMEOUT} s"
        time.sleep(0.01)


def assert_stopped_cleanly(server: ServeProcess, tmp_path: Path) -> None:
    """Said "Stopped." and nothing else after it; no worker lives on; the builds are gone."""
    assert server.finish() == 0
    assert "Stopped." in server.lines, server.lines
    after = server.lines[server.lines.index("Stopped.") + 1 :]
    assert after == [], server.lines
    assert not any("Traceback" in line or "could not build" in line or "internal error" in line for line in server.lines), server.lines
    deadline = time.monotonic() + TIMEOUT
    while processes_naming(str(tmp_path)):
        assert time.monotonic() < deadline, processes_naming(str(tmp_path))
        time.sleep(0.1)
    assert not list(tmp_path.glob(".caseshelf-preview-*"))


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="lists processes through /proc")
def test_kill_during_the_first_build_stops_the_preview(tmp_path: Path, larger_journal: Path):
    with serve_process(tmp_path, "--port", "0", "--source", str(larger_journal), "--jobs", "2") as server:
        wait_for_path(".caseshelf-preview-*/.site.staging-*", tmp_path)  # the build is writing
        server.process.send_signal(signal.SIGTERM)
        assert_stopped_cleanly(server, tmp_path)


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="lists processes through /proc")
@pytest.mark.parametrize("stop", ["kill", "ctrl-c"])
def test_stopping_during_a_rebuild_leaves_no_worker_and_says_only_stopped(tmp_path: Path, larger_journal: Path, stop: str):
    content = tmp_path / "content"
    shutil.copytree(larger_journal, content)
    with serve_process(tmp_path, "--port", "0", "--source", str(content), "--jobs", "2") as server:
        server.wait_for_line("Serving http://127.0.0.1:")
        journal = content / "journal.yaml"  # the journal's title is on every page: all rebuilt
        journal.write_text(journal.read_text(encoding="utf-8").replace("title: ", "title: Renamed ", 1), encoding="utf-8")
        wait_for_path(".caseshelf-preview-*/.site.patch-*", tmp_path)
        if stop == "kill":
            server.process.send_signal(signal.SIGTERM)
        else:
            server.ctrl_c()
        assert_stopped_cleanly(server, tmp_path)
