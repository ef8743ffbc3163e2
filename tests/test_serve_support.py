"""Helpers shared by the preview-server tests (no tests here): a real preview of a copy of the
sample journal on a free port, a plain HTTP client that sends paths exactly as given, and
waiting on conditions with a timeout instead of sleeping."""

from __future__ import annotations

import http.client
import io
import json
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from bs4 import BeautifulSoup
from conftest import SAMPLE_CONTENT

from caseshelf.pipeline import BuildOptions
from caseshelf.serve import PreviewSession
from caseshelf.serve.console import Console

T = TypeVar("T")

#: A sample article whose record the tests edit: content/articles/2025/12-2/...
ARTICLE_RECORD = Path("articles/2025/12-2/fictional-jmml-ptpn11.md")
ARTICLE_URL = "articles/fictional-jmml-ptpn11/"
ARTICLE_TITLE_START = "A made-up toddler with juvenile myelomonocytic leukemia"
#: Its DOI line, which tests break and restore.
DOI_LINE = 'doi: "10.5555/caseshelf.12.2.55"'
#: Generous: a rebuild of the sample takes well under a second, but CI machines stall.
TIMEOUT = 20.0


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def soup(self) -> BeautifulSoup:
        return BeautifulSoup(self.body, "html.parser")


class Preview:
    """A started PreviewSession, with what its terminal printed."""

    def __init__(self, session: PreviewSession, terminal: io.StringIO, content: Path):
        self.session = session
        self.content = content
        self._terminal = terminal

    @property
    def origin(self) -> str:
        return self.session.origin

    @property
    def base(self) -> str:
        return self.session.preview.state.base_path

    def terminal_lines(self) -> list[str]:
        return self._terminal.getvalue().splitlines()

    def rebuild_lines(self) -> list[str]:
        """The one-line reports of rebuilds after the first build ("HH:MM:SS what: result")."""
        return [line for line in self.terminal_lines() if line[:2].isdigit() and line[2:3] == ":"]

    def get(self, target: str, method: str = "GET", host: str | None = None) -> Response:
        return fetch(self.origin, target, method, host)

    def page(self, site_path: str) -> Response:
        """A page of the site by its path below the base path."""
        return self.get(self.base + site_path)


@contextmanager
def running_preview(content: Path) -> Iterator[Preview]:
    terminal = io.StringIO()
    options = BuildOptions(source=content, output=content.parent / "_site")
    with PreviewSession(options, host="127.0.0.1", port=0, console=Console(stream=terminal)) as session:
        session.start()
        yield Preview(session, terminal, content)


def copy_sample(tmp_path: Path) -> Path:
    return Path(shutil.copytree(SAMPLE_CONTENT, tmp_path / "content"))


def fetch(origin: str, target: str, method: str = "GET", host: str | None = None) -> Response:
    """One request with the target sent exactly as given (no normalisation of `..` or `%2e`)."""
    address = origin.removeprefix("http://")
    name, _, port = address.rpartition(":")
    connection = http.client.HTTPConnection(name.strip("[]"), int(port), timeout=TIMEOUT)
    try:
        connection.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
        connection.putheader("Host", host or address)
        connection.endheaders()
        response = connection.getresponse()
        body = response.read()
        return Response(response.status, {k.lower(): v for k, v in response.getheaders()}, body)
    finally:
        connection.close()


def wait_until(condition: Callable[[], T], what: str, timeout: float = TIMEOUT) -> T:
    """Poll `condition` until it returns something true; fail with `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.05)


def h1_text(response: Response) -> str:
    heading = response.soup().select_one("main h1, h1")
    return heading.get_text(" ", strip=True) if heading else ""


class EventStream:
    """The live-reload event stream, read as the browser's EventSource reads it."""

    def __init__(self, origin: str):
        address = origin.removeprefix("http://")
        name, _, port = address.rpartition(":")
        self._connection = http.client.HTTPConnection(name, int(port), timeout=TIMEOUT)
        self._connection.request("GET", "/__caseshelf__/events")
        self._response = self._connection.getresponse()
        assert self._response.status == 200
        assert self._response.getheader("Content-Type").startswith("text/event-stream")

    def next(self) -> dict:
        """The next message (the current state first, then each new one); fails on timeout."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            assert time.monotonic() < deadline, "no event within the timeout"
            line = self._response.fp.readline().decode()
            assert line, "the event stream ended"
            if line.startswith("data: "):
                return json.loads(line[len("data: ") :])

    def next_where(self, condition: Callable[[dict], object]) -> dict:
        """The first message that meets `condition`, skipping others (such as the state of a
        build that was being published when the stream opened)."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            message = self.next()
            if condition(message):
                return message
        raise AssertionError("no matching event within the timeout")

    def __enter__(self) -> EventStream:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._connection.close()


def replace_in_file(path: Path, old: str, new: str) -> None:
    """Edit a file the way editors with "atomic save" do: write a temporary file, rename it over."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    temporary = path.with_name(f".{path.name}.tmp-save")
    temporary.write_text(text.replace(old, new), encoding="utf-8")
    temporary.replace(path)
