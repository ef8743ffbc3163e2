"""The search step of a build: Pagefind's index of the finished pages (see search_index.py),
made in the staging folder of a site written anew or in the output of a patched one, and the
index set aside in the build cache's folder by a build without search (and taken back by the
next build with it).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from caseshelf.cache import BuildCache, cache_dir
from caseshelf.file_tree import FileTree
from caseshelf.freshness import BuildOptions
from caseshelf.search_index import (
    KEPT_INDEX_DIR,
    SEARCH_PAGES_FILE,
    build_search_index,
    index_parts,
    set_search_index_aside,
    take_search_index_back,
)
from caseshelf.site import Site
from caseshelf.write import mark_incomplete


def make_search_index(site_dir: Path, site: Site, options: BuildOptions, cache: BuildCache, progress: Callable[[str], None], jobs: int) -> None:
    """The index of the site in `site_dir` (a site written anew, in its staging folder before
    it is published), the index a build without search set aside taken back first, so that
    its parts whose pages gave the index nothing new are kept."""
    _take_search_index_back(site_dir, options, cache)
    build_search_index(site_dir, index_parts(site.articles), progress, jobs, _search_memory(options))


def index_patched_output(output: Path, site: Site, options: BuildOptions, cache: BuildCache, progress: Callable[[str], None], jobs: int) -> None:
    """Pagefind indexes the finished pages, so after a build that patched the output it runs on
    the output itself (remaking only the parts whose pages changed); should it fail, the output
    is marked so that the next build starts afresh."""
    site_dir = output.resolve()
    try:
        make_search_index(site_dir, site, options, cache, progress, jobs)
    except BaseException:
        mark_incomplete(site_dir)
        raise


def set_index_aside(output: Path, options: BuildOptions, cache: BuildCache) -> bool:
    """Move the index out of the output (see search_index.set_search_index_aside), noting in the
    cache what it is as set aside; whether there was one."""
    kept = _kept_search_index(options)
    if not set_search_index_aside(output, kept):
        return False
    cache.kept_search_index = FileTree(kept).state if kept is not None and kept.is_dir() else ""
    return True


def _search_memory(options: BuildOptions) -> Path | None:
    """Where the search step remembers what each page gave the index (see search_index.py)."""
    return cache_dir(options.source) / SEARCH_PAGES_FILE if options.cache else None


def _kept_search_index(options: BuildOptions) -> Path | None:
    """Where a build without search keeps the index for the next build with it."""
    return cache_dir(options.source) / KEPT_INDEX_DIR if options.cache else None


def _take_search_index_back(site_dir: Path, options: BuildOptions, cache: BuildCache) -> None:
    """Put the index set aside back into the site, if it is the one this user's last build set
    aside, as it left it: the cache (sealed, see cache_seal.py) says what that was. Any other
    would be published with the site; it is removed."""
    kept = _kept_search_index(options)
    if kept is None or not kept.exists():
        return
    if cache.kept_search_index and FileTree(kept).state == cache.kept_search_index:
        take_search_index_back(site_dir, kept)
    else:
        shutil.rmtree(kept, ignore_errors=True)
    cache.kept_search_index = ""
