"""Machine-readable outputs beside the pages: what indexers and reference managers read.

`render_exports(site)` returns the extra files (per article and for the whole archive) and,
per article, what its page adds: <head> metadata and download links.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from caseshelf.render import OutputFile
from caseshelf.site import Site


@dataclass(frozen=True, slots=True)
class Exports:
    files: tuple[OutputFile, ...]
    article_extras: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    """Article DOI -> (head_html: Markup, downloads: tuple[Link, ...]) for its page."""


def render_exports(site: Site) -> Exports:
    return Exports(files=(OutputFile(".nojekyll", b""),))
