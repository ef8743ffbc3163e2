"""Full-text search index of the built site (issue 5). Runs on the staging directory."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path


def build_search_index(site_dir: Path, progress: Callable[[str], None]) -> None:
    """Placeholder until the Pagefind step lands: builds no index yet."""
