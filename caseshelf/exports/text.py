"""Plain text of record fields, shared by every exporter.

Each article's abstract is read by a dozen formats; parsing its Markdown once per process
instead of once per format is most of what exporting costs.
"""

from __future__ import annotations

from functools import lru_cache

from caseshelf.markdown import block_plain_text, plain_text

#: An abstract's readers (a dozen formats) come one after the other, so few are kept: keeping
#: every abstract's text cost each worker 6 KiB per article. Titles are short, and shown again
#: wherever an article is cited or listed.
_ABSTRACTS_KEPT = 64
_TITLES_KEPT = 4096


@lru_cache(maxsize=_TITLES_KEPT)
def title_text(markdown: str) -> str:
    """A title without its Markdown: `*In vivo* study` -> `In vivo study`."""
    return plain_text(markdown)  # which answers a title without Markdown signs without parsing it


@lru_cache(maxsize=_ABSTRACTS_KEPT)
def abstract_text(markdown: str) -> str:
    """An abstract as plain paragraphs separated by blank lines (headings kept as lines)."""
    return block_plain_text(markdown)


@lru_cache(maxsize=_ABSTRACTS_KEPT)
def abstract_line(markdown: str) -> str:
    """An abstract on one line, for formats without line breaks (meta tags, RIS, BibTeX)."""
    return " ".join(abstract_text(markdown).split())
