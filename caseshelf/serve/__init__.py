"""`caseshelf serve`: build, serve on 127.0.0.1, rebuild on change, reload the browser.

    server.py     HTTP: the site as GitHub Pages serves it, plus the live-reload endpoints
    routing.py    request path -> file, redirect or not found; the Host header check
    preview.py    builds into a private workspace; publishes the last good site and problems
    watch.py      watchdog on content and theme, ignore rules, debouncing
    livereload.*  the injected script, its event stream, the pages shown before a first build
    console.py    what the terminal shows
    session.py    all of the above started and stopped together
"""

from __future__ import annotations

import errno
import ipaddress
import signal
import socket
import threading
import webbrowser
from collections.abc import Iterator
from contextlib import contextmanager

from caseshelf.pipeline import BuildOptions
from caseshelf.serve.console import Console
from caseshelf.serve.session import PreviewSession

__all__ = ["PreviewSession", "serve"]


def serve(options: BuildOptions, host: str = "127.0.0.1", port: int = 8000, open_browser: bool = False, quiet: bool = False) -> int:
    """Run the preview until Ctrl-C; the exit code for the command line."""
    console = Console(quiet)
    if not (options.source / "journal.yaml").is_file():
        console.warn(f"{options.source}: no journal.yaml here; is this the content directory? (choose another with --source)")
        return 1
    if not _is_loopback(host):
        console.warn(
            f"Warning: listening on {host}: anyone who can reach this computer on port {port} can read "
            "the preview. It is meant for your own machine; use --host 0.0.0.0 only on a network you trust."
        )
    try:
        session = PreviewSession(options, host, port, console)
    except OSError as error:
        console.warn(_bind_failure(error, host, port))
        return 1
    with _stopping_on_signals(session):
        try:
            console.info(f"Building {options.source} for the preview (your {options.output} is left alone)…")
            console.built(session.start())
            console.info(f"Serving {session.url} and watching for changes; press Ctrl-C to stop.")
            if open_browser:
                webbrowser.open(session.url)
            _wait_forever()
        except KeyboardInterrupt:
            console.info("Stopped.")
        finally:
            session.close()
    return 0


def _wait_forever() -> None:
    forever = threading.Event()
    while not forever.wait(1.0):  # a timed wait, so Ctrl-C is seen promptly on every platform
        pass


def _bind_failure(error: OSError, host: str, port: int) -> str:
    if error.errno == errno.EADDRINUSE:
        return f"Port {port} is already in use on {host}: stop the other server, or choose another port with --port."
    if error.errno == errno.EACCES:
        return f"Not allowed to listen on port {port} on {host}: choose a port above 1023 with --port."
    if isinstance(error, socket.gaierror) or error.errno == errno.EADDRNOTAVAIL:
        return f"Cannot listen on {host!r}: it is not an address of this computer ({error.strerror})."
    return f"Cannot listen on {host}:{port}: {error.strerror or error}"


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@contextmanager
def _stopping_on_signals(session: PreviewSession) -> Iterator[None]:
    """Ctrl-C and `kill` (SIGTERM) stop the preview cleanly: threads stopped, builds deleted.
    During the first build, the first signal asks it to end at its next step: an exception
    raised wherever the signal lands (in the middle of a fork, holding a lock) once left the
    preview hung. A second signal, or one while serving, interrupts at once."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        if not session.stop_first_build():
            raise KeyboardInterrupt

    previous = {number: signal.signal(number, interrupt) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
