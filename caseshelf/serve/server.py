"""The HTTP side of the preview: serves the last good build as GitHub Pages would, plus the
live-reload script and event stream.

Built on the standard library's threading HTTP server, but not on SimpleHTTPRequestHandler,
whose own path translation follows symlinks and lists directories (gh-81054): every path goes
through `routing.route`, every answer through `_send`.
"""

from __future__ import annotations

import socket
import socketserver
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from caseshelf.serve import livereload
from caseshelf.serve.content_types import content_type, is_html
from caseshelf.serve.preview import Preview, SiteState
from caseshelf.serve.routing import Redirect, ServeFile, is_allowed_host, route

_HTML = "text/html; charset=utf-8"
_TEXT = "text/plain; charset=utf-8"
#: An event-stream comment this often lets a closed tab's thread notice and end.
_KEEPALIVE_SECONDS = 15.0
#: How long a connection may take to send its request, or to take a part of an answer. A
#: browser sends its request at once; a client that never finishes one (Slowloris) held a
#: thread of the preview for good, and a thousand of them a thousand threads.
_SLOW_CLIENT_SECONDS = 5.0
_SWAP_WAIT_SECONDS = 2.0


def _wait_for_swap(root: Path) -> bool:
    """Whether a new build was being swapped in (for a moment the output directory is missing,
    between two renames): if so, wait until it is back, so the request can be answered from it."""
    if root.exists():
        return False
    deadline = time.monotonic() + _SWAP_WAIT_SECONDS
    while not root.exists() and time.monotonic() < deadline:
        time.sleep(0.005)
    return True


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host: str, port: int, preview: Preview):
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.preview = preview
        self.bound_host = host
        super().__init__((host, port), _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind would look up the host's FQDN: a DNS query that can hang.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.bound_host, self.server_address[1]


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "caseshelf-preview"
    sys_version = ""
    timeout = _SLOW_CLIENT_SECONDS

    def version_string(self) -> str:
        return self.server_version

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def handle(self) -> None:
        try:
            super().handle()
        except (ConnectionError, TimeoutError):
            pass  # the browser went away (a reload, a closed tab): nothing to tell anyone

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass  # one line per rebuild is what the terminal shows, not one per request

    def _answer(self, send_body: bool) -> None:
        if not is_allowed_host(self.headers.get("Host"), self.server.bound_host):
            message = b"This preview answers only requests addressed to localhost or to its own address.\n"
            return self._send(403, message, _TEXT, send_body)
        if self.path.startswith(livereload.PREFIX):
            return self._answer_live(send_body)
        state = self.server.preview.state
        if state.root is None:
            return self._send(500 if state.problems else 503, livereload.status_page(state), _HTML, send_body)
        if self._answer_from_site(state, send_body):
            return
        if _wait_for_swap(state.root) and self._answer_from_site(state, send_body):
            return
        self._send_not_found(state, send_body)

    def _answer_from_site(self, state: SiteState, send_body: bool) -> bool:
        """Answer with a file or a redirect; False when there is nothing at that address."""
        assert state.root is not None
        match route(self.path, state.base_path, state.root):
            case Redirect(location=location):
                # 302, not GitHub's 301: browsers cache a 301 for good, and the next site
                # previewed on this port may have another base path.
                self._send(302, b"", _TEXT, send_body, {"Location": location})
                return True
            case ServeFile(path=path):
                try:
                    body = path.read_bytes()
                except OSError:
                    return False
                kind = content_type(path)
                self._send(200, livereload.inject(body, state) if is_html(kind) else body, kind, send_body)
                return True
        return False

    def _send_not_found(self, state: SiteState, send_body: bool) -> None:
        assert state.root is not None
        try:
            page = livereload.inject((state.root / "404.html").read_bytes(), state)
        except OSError:
            return self._send(404, b"Not found\n", _TEXT, send_body)
        self._send(404, page, _HTML, send_body)

    def _answer_live(self, send_body: bool) -> None:
        path = self.path.partition("?")[0]
        if path == livereload.SCRIPT_URL:
            self._send(200, livereload.SCRIPT, "text/javascript; charset=utf-8", send_body)
        elif path == livereload.EVENTS_URL:
            self._stream_events(send_body)
        else:
            self._send(404, b"Not found\n", _TEXT, send_body)

    def _stream_events(self, send_body: bool) -> None:
        """Server-sent events: the current state at once, then every new one until the tab closes."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.close_connection = True
        if not send_body:
            return
        preview = self.server.preview
        self.wfile.write(b"retry: 1000\n\n")
        seen = None
        while not preview.stopped:
            state = preview.wait(seen, _KEEPALIVE_SECONDS)
            if state is None:
                self.wfile.write(b": keep-alive\n\n")
            else:
                self.wfile.write(livereload.event_message(state))
                seen = state.version
            self.wfile.flush()

    def _send(self, status: int, body: bytes, kind: str, send_body: bool, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        # Every answer is fresh: an edit must show on reload, never a cached copy.
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(body)
