"""A built site's size, against the most GitHub Pages publishes.

Told after every build, with a warning as the archive nears the limit: over it, GitHub's deploy
fails or the site stops being updated, long after the build that grew it. Imported by the command
line before any build, so it imports nothing.
"""

from __future__ import annotations

#: "Published GitHub Pages sites may be no larger than 1 GB" (GitHub's Pages limits).
GITHUB_PAGES_LIMIT = 1_000_000_000
#: A warning from this share of the limit on: an archive grows by an issue at a time.
_NEAR = 0.9


def size_text(size: int) -> str:
    """`350 kB`, `816 MB`, `1.21 GB`: in the units GitHub states its limit in."""
    if size >= 1e9:
        return f"{size / 1e9:.2f} GB"
    return f"{size / 1e6:.0f} MB" if size >= 1e6 else f"{size / 1e3:.0f} kB"


def size_warning(size: int) -> str | None:
    """What to tell the editor of a site of `size` bytes about GitHub Pages' limit, if anything."""
    if size > GITHUB_PAGES_LIMIT:
        return f"the site is {size_text(size)}: GitHub Pages publishes sites of at most 1 GB (see README, Publish on GitHub Pages)"
    if size > _NEAR * GITHUB_PAGES_LIMIT:
        return f"the site is {size_text(size)}, near the 1 GB that GitHub Pages publishes at most (see README, Publish on GitHub Pages)"
    return None
