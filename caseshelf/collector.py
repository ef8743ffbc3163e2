"""Keeping Python's cycle collector away from the build's many small, acyclic records.

Loading, unpickling the cache and the site model allocate hundreds of thousands of tuples,
dicts and records while everything made so far stays alive. Each allocation burst triggers the
cycle collector, which walks the growing pile again and finds nothing: records, YAML nodes and
indexes are trees, and reference counting frees them. So the collector is paused while such a
stage runs, and what lives until the end of the build is frozen out of its sight afterwards.
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


@contextmanager
def long_lived_allocations() -> Iterator[None]:
    """For a block making what lives until the build ends (the cache, the records, the site
    model): the collector is paused inside it, and what exists at its end is moved out of the
    collector's sight before it runs again. Otherwise the first allocation after the block
    starts collections that walk all of it, again and again as it ages (and forked workers
    copy their memory just to mark it). The build gives it back to the collector at its end
    (`release_long_lived`)."""
    with cycle_collector_paused():
        yield
        gc.freeze()


def release_long_lived() -> None:
    gc.unfreeze()
