"""From a request line's target to a file of the served site, a redirect, or "not found".

The site is mounted at its base path, as GitHub Pages mounts a project site (`/rjpho/`). Only
regular files under the served directory can be reached: encoded slashes and backslashes, `.`
and `..` segments, empty segments (`//host` open redirects, CVE-2021-28861) and symlinks that
resolve outside are all refused with "not found" (MkDocs CVE-2021-40978 is the cautionary tale).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

#: Percent-escapes that would smuggle a separator or a NUL past the segment checks.
_FORBIDDEN_ESCAPES = ("%2f", "%5c", "%00")


@dataclass(frozen=True, slots=True)
class ServeFile:
    path: Path
    """Resolved, inside the served directory."""


@dataclass(frozen=True, slots=True)
class Redirect:
    location: str


@dataclass(frozen=True, slots=True)
class NotFound:
    pass


Route = ServeFile | Redirect | NotFound
NOT_FOUND = NotFound()


def route(target: str, base_path: str, root: Path) -> Route:
    """What to answer for `target` (path and query, as in the request line)."""
    raw_path, _, query = target.partition("?")
    raw_path = raw_path.partition("#")[0]
    if not _is_plain(raw_path):
        return NOT_FOUND
    try:
        path = unquote(raw_path, errors="strict")
    except UnicodeDecodeError:
        return NOT_FOUND
    base = unquote(base_path)
    if path != base and path in ("/", base.rstrip("/")):
        return Redirect(base_path)
    if not path.startswith(base):
        return NOT_FOUND
    segments = path[len(base) :].split("/")
    if not all(_is_plain_segment(segment) for segment in segments[:-1]) or segments[-1] in (".", ".."):
        return NOT_FOUND
    try:
        return _find_file(root, [segment for segment in segments if segment], raw_path, query, path.endswith("/"))
    except (OSError, RuntimeError):  # a name too long for the file system; a symbolic link loop
        return NOT_FOUND


def _find_file(root: Path, segments: list[str], raw_path: str, query: str, is_dir_request: bool) -> Route:
    root = root.resolve()
    candidate = _inside(root, root.joinpath(*segments))
    if candidate is None:
        return NOT_FOUND
    if candidate.is_dir():
        if not is_dir_request:
            # raw_path starts with one "/" (checked above), so the Location stays on this host.
            return Redirect(raw_path + "/" + (f"?{query}" if query and _is_visible_ascii(query) else ""))
        candidate = _inside(root, candidate / "index.html")
        if candidate is None:
            return NOT_FOUND
    elif is_dir_request:
        return NOT_FOUND  # `page.html/` is not a page, on GitHub Pages either
    return ServeFile(candidate) if candidate.is_file() else NOT_FOUND


def _inside(root: Path, path: Path) -> Path | None:
    """The path with symlinks resolved, or None when that leaves the served directory."""
    resolved = path.resolve()
    return resolved if resolved == root or resolved.is_relative_to(root) else None


def _is_visible_ascii(text: str) -> bool:
    """No control character, space or other byte a Location header should not carry."""
    return all(" " < char < "\x7f" for char in text)


def _is_plain(raw_path: str) -> bool:
    lowered = raw_path.lower()
    return (
        raw_path.startswith("/")
        and "\\" not in raw_path
        and not any(escape in lowered for escape in _FORBIDDEN_ESCAPES)
        and all(" " < char != "\x7f" for char in raw_path)
    )


def _is_plain_segment(segment: str) -> bool:
    return segment not in ("", ".", "..") and "\\" not in segment and "\x00" not in segment


def is_allowed_host(host_header: str | None, bound_host: str) -> bool:
    """Whether a request's Host header names this server (defence against DNS rebinding).

    A rebinding attack needs a domain name the attacker controls, so loopback names, the name
    the server was bound to and IP address literals (how phones on the LAN reach a server bound
    to 0.0.0.0) are accepted, and every other name is refused. Browsers always send Host; a
    client that sends none is not a browser and is let through.
    """
    if host_header is None:
        return True
    name = _host_name(host_header.strip())
    if name is None:
        return False
    if name in ("localhost", bound_host.lower().strip("[]")) or name.endswith(".localhost"):
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _host_name(header: str) -> str | None:
    """`example.org:8000` -> `example.org`, `[::1]:8000` -> `::1`; None when malformed."""
    if header.startswith("["):
        name, bracket, rest = header[1:].partition("]")
        if not bracket or (rest and not (rest.startswith(":") and rest[1:].isdigit())):
            return None
        return name.lower()
    name, colon, port = header.partition(":")
    if colon and not port.isdigit():
        return None
    return name.lower().rstrip(".") or None
