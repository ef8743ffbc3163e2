"""Which build caches this user's builds made: the only ones a build opens.

The cache is pickles, and unpickling runs whatever code a pickle names. A `.caseshelf-cache/`
that arrives with a project (committed in spite of its .gitignore, or in an archive of the
project), or pickles that a `git pull` adds to one, would run their author's code as soon as
anyone built or previewed the journal. So each save of the cache ends with a seal: a keyed
digest of the folder's path and of the name, inode, size and modification time of every pickle
in it, made with a key kept in this user's own cache folder (`~/.cache/caseshelf/`), which no
project carries. A folder whose seal is missing or does not match its pickles was written by
someone else, or changed since: none of its pickles is opened.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from functools import lru_cache
from pathlib import Path

SEAL_FILE = "seal"
_KEY_BYTES = 32


def seal(directory: Path) -> None:
    """Mark `directory` as a cache this user's builds made (nothing when there is no key)."""
    digest = _digest(directory)
    if digest is not None:
        temporary = directory / f"{SEAL_FILE}.tmp-{os.getpid()}"
        temporary.write_text(digest)
        os.replace(temporary, directory / SEAL_FILE)


def is_sealed(directory: Path) -> bool:
    """Whether this user's builds made the folder's pickles, and nothing changed them since."""
    try:
        written = (directory / SEAL_FILE).read_text()
        digest = _digest(directory)
    except (OSError, UnicodeDecodeError):
        return False
    return digest is not None and hmac.compare_digest(written, digest)


def _digest(directory: Path) -> str | None:
    key = _user_key()
    if key is None:
        return None
    return hmac.new(key, os.fsencode(directory.resolve()) + b"\0" + _pickles(directory), hashlib.sha256).hexdigest()


def _pickles(directory: Path) -> bytes:
    """Every pickle of the folder as the file system sees it: a file written by anything but
    the build that sealed the folder has another inode or time."""
    with os.scandir(directory) as entries:
        found = sorted((entry.name, entry.inode(), entry.stat().st_size, entry.stat().st_mtime_ns)
                       for entry in entries if entry.name.endswith(".pickle"))
    return repr(found).encode()


def key_path() -> Path:
    """Where the user's key lives: `$XDG_CACHE_HOME/caseshelf/`, else `~/.cache/caseshelf/`."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "caseshelf" / "cache-key"


@lru_cache(maxsize=1)
def _user_key() -> bytes | None:
    """This user's key, made on first use; None when it can be neither read nor made (a home
    folder that cannot be written): caches are then never trusted, and builds are cold."""
    path = key_path()
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    except OSError:
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        _make_key(path)
        return _read_key(path)
    except OSError:
        return None


def _read_key(path: Path) -> bytes | None:
    key = path.read_bytes()
    return key if len(key) == _KEY_BYTES else None


def _make_key(path: Path) -> None:
    """Written beside its place and linked there, so that two builds starting at once end up
    with the same key (the second link fails, and that build reads the first one's key)."""
    temporary = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with open(descriptor, "wb") as file:
        file.write(secrets.token_bytes(_KEY_BYTES))
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        temporary.unlink(missing_ok=True)
