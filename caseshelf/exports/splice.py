"""Archive-wide files made of one part per article, changed in place after an edit.

articles.json, doaj.xml, oai.xml and the Crossref deposit files hold each article's part (its
fragment: see fragments.py) between text that only the journal and the site model shape, but
for the deposit's head, which holds the build's timestamp. A build notes where each part lies
in each such file it writes (`PartSpans`). After edits that left the model and the journal as
they were, the next build makes such a file from the one in the output: a new head, then the
rest copied as it is (by the kernel, see write.Patch.splice) but for the edited articles'
parts, which are put in place of theirs (`splice_recipe`), instead of joining ten thousand
fragments again. The new head is taken from the file made with every part empty
(`NO_PARTS`), which costs next to nothing.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

#: How to make a file from the one in the output, in order: ranges of it to copy (offset,
#: length) and new bytes.
Recipe = list[tuple[int, int] | bytes]


@dataclass(frozen=True, slots=True)
class PartSpans:
    """Where each article's part lies in a file, as a build wrote it."""

    kind: str
    """The kind of fragment each part is (see fragments.ArticleFragments)."""
    keys: tuple[str, ...]
    """The articles' DOIs, in the order of their parts."""
    starts: array
    lengths: array
    size: int
    """Of the whole file."""

    def describe(self, file: Path) -> bool:
        """Whether the file could be the one these spans were noted for (it has their size)."""
        try:
            return file.stat().st_size == self.size
        except OSError:
            return False

    def holds(self, file: Path, head: bytes, parts: Mapping[str, bytes]) -> bool:
        """Whether the file already begins with `head` and has these parts (DOI -> part) where
        these spans put them."""
        with file.open("rb") as stream:
            if len(head) != self.starts[0] or stream.read(len(head)) != head:
                return False
            for index, key in enumerate(self.keys):
                if key in parts:
                    stream.seek(self.starts[index])
                    if stream.read(self.lengths[index]) != parts[key]:
                        return False
        return True


def note_spans(spans: dict[str, PartSpans] | None, path: str, kind: str, keys: list[str], found: list[tuple[int, int]], content: bytes) -> None:
    """Note in `spans` (when the caller asked for them) where the parts of `keys` lie in the
    file at `path`: `found` holds the (start, length) of each, as the file was assembled."""
    if spans is None:
        return
    if len(found) != len(keys):
        raise ValueError(f"{len(found)} parts found in {path} for {len(keys)} articles")
    spans[path] = PartSpans(kind, tuple(keys), array("q", [start for start, _ in found]), array("q", [length for _, length in found]), len(content))


class _NoParts(Mapping[str, bytes]):
    """An empty part for every article: a file made with these is its text alone."""

    def __getitem__(self, key: str) -> bytes:
        return b""

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


NO_PARTS = _NoParts()


def splice_recipe(spans: PartSpans, head: bytes, new_parts: Mapping[str, bytes]) -> tuple[Recipe, PartSpans]:
    """How to make the file with `head` before its first part, and `new_parts` (DOI -> part) in
    place of those articles' parts, from the file `spans` describe (which has a part); and
    where every part then lies."""
    edited = [index for index, key in enumerate(spans.keys) if key in new_parts]
    recipe: Recipe = [head] if head else []
    copied_to = spans.starts[0]
    lengths = array("q", spans.lengths)
    for index in edited:
        start = spans.starts[index]
        if start > copied_to:
            recipe.append((copied_to, start - copied_to))
        recipe.append(new_parts[spans.keys[index]])
        copied_to = start + spans.lengths[index]
        lengths[index] = len(new_parts[spans.keys[index]])
    if spans.size > copied_to:
        recipe.append((copied_to, spans.size - copied_to))
    starts, shift = array("q", spans.starts), len(head) - spans.starts[0]
    edited_lengths = {index: lengths[index] - spans.lengths[index] for index in edited}
    for index in range(len(starts)):
        starts[index] += shift
        shift += edited_lengths.get(index, 0)
    return recipe, PartSpans(spans.kind, spans.keys, starts, lengths, spans.size + shift)
