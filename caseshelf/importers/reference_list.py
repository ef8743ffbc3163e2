"""A source's reference list -> the references a record keeps, and a note on those it leaves out.

The record format needs a reference's text. A reference the source gives no text for is cited by
what identifies it when it has anything (`doi:10.…`, `PMID 123`, its link): a reader can still
follow it, and the references after it keep the numbers the full text cites them by. One with
nothing at all to cite is left out, and the import says which (its place in the list and what the
source calls it), so that it can be written in by hand: the references after it move up one number.
"""

from __future__ import annotations

from collections.abc import Iterable

from caseshelf.model import Reference

Listed = tuple[str, Reference | None]
"""One entry of a source's reference list: how a note names it (`place_name`, or a Crossref
key), and the reference, or None when it has nothing to cite."""


def citing_text(text: str) -> str:
    """The text a source gives a reference, or "" when it has no letter or digit: `();` or `—`
    cites nothing, and the reference is then cited by its identifier or left out."""
    return text if any(character.isalnum() for character in text) else ""


def identifier_text(doi: str | None = None, pmid: str | None = None, url: str | None = None) -> str:
    """The text of a reference the source gives no text for: what identifies it, if anything."""
    if doi:
        return f"doi:{doi}"
    if pmid:
        return f"PMID {pmid}"
    return url or ""


def place_name(place: int, *names: str) -> str:
    """`no. 3 (id r3, label 3)`: a reference's place in its list (from 1), and the names the
    source gives it, if any."""
    given = ", ".join(filter(None, names))
    return f"no. {place} ({given})" if given else f"no. {place}"


def kept_references(listed: Iterable[Listed], lacking: str) -> tuple[tuple[Reference, ...], tuple[str, ...]]:
    """The references that cite something, and a note naming the others, which are left out of
    the record; `lacking` says what they lack ("no text, DOI, PMID or link")."""
    listed = list(listed)
    left_out = [name for name, reference in listed if reference is None]
    kept = tuple(reference for _, reference in listed if reference is not None)
    if not left_out:
        return kept, ()
    which = f"references {', '.join(left_out)} have" if len(left_out) > 1 else f"reference {left_out[0]} has"
    return kept, (f"{which} nothing to cite ({lacking}): left out of the record",)
