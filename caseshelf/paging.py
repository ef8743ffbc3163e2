"""Long lists cut into pages: the DOI index, the A–Z index of authors, each keyword's page and each
author's page.

A list of more entries than journal.yaml's `page_size` is shown on numbered pages: the first
at the list's own address, page N at `<address>page/N/` (as Hugo and Pelican number theirs).
At 100,000 articles the DOI index alone would be a 40 MB page, more than a phone opens and
more than a search engine's crawler reads of one page.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

_Entry = TypeVar("_Entry")

#: Entries on a page of a list, unless journal.yaml says otherwise.
DEFAULT_PAGE_SIZE = 200


def page_count(entry_count: int, page_size: int) -> int:
    """How many pages a list of `entry_count` entries takes: one even when it is empty."""
    return max(1, -(-entry_count // page_size))


def page_numbers(entry_count: int, page_size: int) -> range:
    return range(1, page_count(entry_count, page_size) + 1)


def page_path(list_path: str, number: int) -> str:
    """The path of page `number` of the list at `list_path` (a folder path, ending in `/`)."""
    return list_path if number == 1 else f"{list_path}page/{number}/"


def entries_on(entries: Sequence[_Entry], number: int, page_size: int) -> Sequence[_Entry]:
    return entries[(number - 1) * page_size : number * page_size]


def page_of(position: int, page_size: int) -> int:
    """The number of the page showing the entry at `position` (from 0) of a list."""
    return position // page_size + 1


def pager_numbers(number: int, count: int, around: int = 2) -> list[int | None]:
    """The page numbers a pager links to: the first, the last, and those within `around` of
    page `number`; None stands for each run of numbers left out (an ellipsis would be no
    shorter than the one number it hides, so that number is shown)."""
    shown = sorted({1, count, *range(max(1, number - around), min(count, number + around) + 1)})
    numbers: list[int | None] = []
    for previous, shown_number in zip([0, *shown], shown):
        if previous and shown_number - previous == 2:
            numbers.append(previous + 1)
        elif previous and shown_number - previous > 2:
            numbers.append(None)
        numbers.append(shown_number)
    return numbers
