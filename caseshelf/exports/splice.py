"""Archive-wide files made of one part per article, changed in place after an edit.

articles.json, doaj.xml and oai.xml hold each article's part (its fragment: see fragments.py)
in the order of the site model's articles, between text that only the journal and the site
model shape. A build notes where each part lies in the file it wrote (`PartSpans`). After
edits that left the model and the journal as they were, the next build makes such a file from
the one in the output: the edited articles' parts are put in place of theirs, and the rest is
copied as it is (`splice_recipe`), instead of joining ten thousand fragments again.
"""

from __future__ import annotations

from array import array
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from caseshelf.exports import paths

#: The files made of one part per article, in the site model's order (see above), and the kind
#: of fragment each part is (see fragments.ArticleFragments).
SPLICED_FILES = {paths.ARTICLES_INDEX: "csl", paths.DOAJ: "doaj", paths.OAI: "oai"}

#: How to make a file from the one in the output, in order: ranges of it to copy (offset,
#: length) and new bytes.
Recipe = list[tuple[int, int] | bytes]


@dataclass(frozen=True, slots=True)
class PartSpans:
    """Where each article's part lies in a file, as a build wrote it."""

    keys: tuple[str, ...]
    """The articles' DOIs, in the order of their parts."""
    starts: array
    lengths: array
    size: int
    """Of the whole file."""

    @classmethod
    def recorded(cls, keys: tuple[str, ...], spans: list[tuple[int, int]], size: int) -> PartSpans:
        """From the (start, length) of each part, as the file was assembled."""
        if len(spans) != len(keys):
            raise ValueError(f"{len(spans)} parts recorded for {len(keys)} articles")
        return cls(keys, array("q", [start for start, _ in spans]), array("q", [length for _, length in spans]), size)

    def describe(self, file: Path) -> bool:
        """Whether the file could be the one these spans were noted for (it has their size)."""
        try:
            return file.stat().st_size == self.size
        except OSError:
            return False

    def holds(self, file: Path, parts: Mapping[str, bytes]) -> bool:
        """Whether the file already has these parts (DOI -> part) where these spans put them."""
        with file.open("rb") as stream:
            for index, key in enumerate(self.keys):
                if key in parts:
                    stream.seek(self.starts[index])
                    if stream.read(self.lengths[index]) != parts[key]:
                        return False
        return True


def splice_recipe(spans: PartSpans, new_parts: Mapping[str, bytes]) -> tuple[Recipe, PartSpans]:
    """How to make the file with `new_parts` (DOI -> part) in place of those articles' parts,
    and where every part then lies."""
    edited = sorted(index for index, key in enumerate(spans.keys) if key in new_parts)
    recipe: Recipe = []
    copied_to = 0
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
    starts, shift = array("q", spans.starts), 0
    for index in range(edited[0] if edited else len(starts), len(starts)):
        starts[index] += shift
        shift += lengths[index] - spans.lengths[index]
    return recipe, PartSpans(spans.keys, starts, lengths, spans.size + shift)
