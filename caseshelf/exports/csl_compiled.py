"""A CSL style's bibliography layout compiled, once per kind of entry, into small renderers.

citeproc-py interprets the style tree for every citation: it walks every element, looks every
option and locale term up through the tree, and tries every branch of every <choose>, which is
most of the 1.6 ms an article's "For citation" line costs. Compiled here is the tree citation_style
keeps for one item type and one set of variables (its <choose> branches already folded by
citeproc_style_tree.specialise_style), so everything that depends only on the style and on which
variables an entry has is found once: options, terms, the branches taken, the variables each
element has to render. What is left for each entry is what citeproc-py does with the entry's
values, done with citeproc-py's own string types and seam rules (csl_text, csl_renderers, csl_name_renderers).
This module is the way in; the walk of the tree is csl_compiler's, and what it accepts of
each element csl_elements'.

The text must be exactly citeproc-py's. Whatever this compiler has not been written for (an
element, an attribute, an option value, a test it cannot decide, a date range...) makes it
decline, when compiling (`compile_bibliography` raises Declined) or for one entry
(`CompiledBibliography.render` raises Declined), and citation_style then asks citeproc-py.
benchmarks/csl_compiled_diff.py and tests/test_csl_compiled.py compare the two on real items.
"""

from __future__ import annotations

from typing import Any

from citeproc import CitationStylesStyle, formatter
from citeproc import __version__ as citeproc_version

from caseshelf.exports import csl_text
from caseshelf.exports.csl_compiler import Compiler
from caseshelf.exports.csl_elements import CSL, checked_tag, is_formatted
from caseshelf.exports.csl_renderers import Declined, Entry, Sequence

__all__ = ["CompiledBibliography", "Declined", "compile_bibliography"]


#: The citeproc-py releases (major.minor) this compiler was written from and checked against
#: with benchmarks/csl_compiled_diff.py. Under any other it declines every style, as that
#: release may write citations differently: tests/test_csl_compiled.py then fails until the
#: compiler has been checked against it and the release added here.
CHECKED_CITEPROC_RELEASES = ("0.11",)


class CompiledBibliography:
    """A style's bibliography entry for items of one type with one set of variables."""

    def __init__(self, layout: Sequence, formatted: bool, prefix: str | None, suffix: str | None, default_language: str):
        self._layout, self._formatted, self._prefix, self._suffix = layout, formatted, prefix, suffix
        self._default_language = default_language

    def render(self, reference: Any) -> str:
        """The entry as citeproc-py's plain formatter writes it (before caseshelf's spacing)."""
        try:
            text = self._layout.render(Entry(reference, self._default_language))
            if text is None:
                raise Declined("no entry")  # citeproc-py lists no entry at all
            # Layout.render_bibliography: affixes first, then formatting.
            return str(csl_text.format_text(self._formatted, csl_text.wrap(self._prefix, self._suffix, text)))
        except Declined:
            raise
        except Exception as error:  # whatever citeproc-py does here, it is its to do
            raise Declined(f"{type(error).__name__}: {error}") from error


def compile_bibliography(style: CitationStylesStyle, item_type: str, variables: frozenset[str]) -> CompiledBibliography:
    """Compile the style's bibliography layout for entries of `item_type` whose variables (as
    citeproc-py's Reference keys them) are `variables`; raises Declined."""
    if ".".join(citeproc_version.split(".")[:2]) not in CHECKED_CITEPROC_RELEASES:
        raise Declined(f"citeproc-py {citeproc_version} is not a release this compiler was checked against")
    # Terms are read through the tree's formatter, which citeproc-py sets for each bibliography.
    style.root.formatter = formatter.plain
    bibliography = style.root.find(CSL + "bibliography")
    layout = None if bibliography is None else bibliography.find(CSL + "layout")
    if layout is None:
        raise Declined("no bibliography layout")
    compiler = Compiler(style.root, item_type, variables)
    try:
        checked_tag(layout)
        children = compiler.sequence(layout, None, "")
        language = style.root.get("default-locale", "en")[:2]
        return CompiledBibliography(Sequence(children, ""), is_formatted(layout), layout.get("prefix"), layout.get("suffix"), language)
    except Declined:
        raise
    except Exception as error:  # a style citeproc-py would fail on, or one read wrongly here
        raise Declined(f"{type(error).__name__}: {error}") from error
