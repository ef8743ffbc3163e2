"""Which caseshelf makes a build: its version number and a digest of its source code.

An editable install (`pip install -e .`, as the README says) updated with `git pull` keeps its
version number while its code changes. A build cache or an output made by the old code must
not be taken for this code's: the next build would keep the old code's pages and files.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from caseshelf import __version__


def source_digest(package: Path) -> str:
    """A digest of every Python file of the package: their paths and bytes."""
    hasher = hashlib.blake2b(digest_size=8)
    for path in sorted(package.rglob("*.py")):
        hasher.update(path.relative_to(package).as_posix().encode())
        hasher.update(path.read_bytes())
    return hasher.hexdigest()


#: Computed once per process (some 2 ms); worker processes are forked with it.
CODE_VERSION = f"{__version__}+{source_digest(Path(__file__).parent)}"
