"""Pausing Python's cycle collector while a stage builds many small, acyclic records.

Loading and the site model allocate hundreds of thousands of tuples, dicts and records while
everything loaded so far stays alive. Each allocation burst triggers the cycle collector, which
walks the growing pile again and finds nothing: records, YAML nodes and indexes are trees, and
reference counting frees them. The collector runs as usual again when the stage ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Disable the cycle collector inside the block; nested uses restore what they found."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
