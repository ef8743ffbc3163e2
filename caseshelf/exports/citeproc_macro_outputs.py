"""A macro's output kept for the values it reads: a patch to citeproc-py's <text>.

Most of a style's macros render the same text for every entry of a journal; citeproc-py walks
them again for each. `remember_macro_outputs` (applied by citeproc_speed, last, through
citeproc_patch_registry) keeps what a macro rendered by the entry's type and the values of the
variables it reads; `forget_macro_outputs` drops them with the rest of a style's answers
(citeproc_style_memos.forget_style_answers). tests/test_citeproc_macro_outputs.py compares kept
outputs with citeproc-py's own.
"""

from __future__ import annotations

from typing import Any

from citeproc import model
from citeproc.source import VariableError
from lxml import etree

from caseshelf.exports.citeproc_patch_registry import patch, subclasses
from caseshelf.exports.csl_elements import CSL

#: <text> -> the outputs kept for it, or None when it is rendered every time (no macro, a
#: macro whose output may depend on more than the entry's variables, or one not worth it);
#: see `remember_macro_outputs`.
_kept_macros: dict[etree._Element, KeptOutputs | None] = {}


def forget_macro_outputs() -> None:
    """Drop every kept output (see citeproc_style_memos.forget_style_answers)."""
    _kept_macros.clear()


#: What makes a macro's output depend on more than its entry's variables: names (their
#: substitution hides variables from later elements of the entry, and disambiguation looks at
#: other entries), the entry's place in a list, and tests of its position in the citation.
_CONTEXTUAL_ELEMENTS = frozenset(f"{CSL}{tag}" for tag in ("names", "name", "substitute", "et-al", "name-part"))
_CONTEXTUAL_VARIABLES = frozenset({"citation-number", "year-suffix", "locator", "first-reference-note-number", "citation-label"})
_CONTEXTUAL_TESTS = ("position", "disambiguate", "locator")
#: Attributes naming the variables an element reads or tests.
_VARIABLE_ATTRIBUTES = ("variable", "is-numeric", "is-uncertain-date")
#: A macro rendered this many times, with fewer outputs reused than rendered, is rendered
#: every time from then on: its variables differ from entry to entry (a title, a DOI).
_MACRO_TRIALS = 64
#: Kept as a macro's output when it raised VariableError (it rendered no variable it called).
_RAISES = object()
_NOT_KEPT = object()


class KeptOutputs:
    """What one <text macro="..."> rendered, by what it was rendered from."""

    __slots__ = ("inputs", "outputs", "reused", "rendered")

    def __init__(self, inputs: tuple[str, ...]):
        self.inputs = inputs
        """The entry variables its macro reads (see `_macro_inputs_of`)."""
        self.outputs: dict[tuple, Any] = {}
        """(context, entry type, the variables' values) -> its output, or `_RAISES`."""
        self.reused = 0
        self.rendered = 0


def _kept_outputs_for(text: etree._Element) -> KeptOutputs | None:
    inputs = None if text.get("macro") is None else _macro_inputs_of(text)
    return None if inputs is None else KeptOutputs(inputs)


def _macro_inputs_of(text: etree._Element) -> tuple[str, ...] | None:
    """The entry variables (as citeproc-py's entries name them) that the macro of `text`, and
    the macros it calls, read or test; None when its output may depend on anything else."""
    read: set[str] = {"language"}  # every <text> reads the entry's language, for text-case
    pending, seen = [text.get_macro(text.get("macro"))], set()
    while pending:
        macro = pending.pop()
        if macro in seen:
            continue
        seen.add(macro)
        for element in macro.iter(f"{CSL}*"):
            if element.tag in _CONTEXTUAL_ELEMENTS or any(element.get(test) is not None for test in _CONTEXTUAL_TESTS):
                return None
            for attribute in _VARIABLE_ATTRIBUTES:
                for variable in (element.get(attribute) or "").split():
                    if variable in _CONTEXTUAL_VARIABLES:
                        return None
                    variable = "page" if variable == "page-first" else variable
                    read.update((variable.replace("-", "_"), f"{variable}_short".replace("-", "_")))
            if element.get("macro") is not None:
                pending.append(element.get_macro(element.get("macro")))
    return tuple(sorted(read))


def _frozen(value: Any) -> Any:
    """An entry's value as a dictionary key: its type counts (NoCase text is not cased, String
    text is), and so does every part of a list (names, MixedString) or mapping (dates)."""
    if isinstance(value, (list, tuple)):
        return type(value), tuple(_frozen(part) for part in value)
    if isinstance(value, dict):
        return type(value), tuple(sorted((key, _frozen(part)) for key, part in value.items()))
    return type(value), value


def remember_macro_outputs() -> None:
    """Most macros of a style render parts every entry of a journal shares: the journal's name,
    an empty series or publisher, the same notes. citeproc-py walks each of them again for
    every entry (about a quarter of a citation's time with nlm-citation-sequence). A macro's
    output depends on the entry's type and the values of the variables it reads, unless it
    holds names or position tests (see `_macro_inputs_of`), so it is kept per such values and
    given back when they recur; and while the entry's names have hidden a variable (a
    <substitute> did), every macro is rendered anew. A macro whose values keep changing stops
    being kept after `_MACRO_TRIALS` renders."""
    original = vars(model.Text).get("render")
    if not callable(original) or any("render" in vars(cls) for cls in subclasses(model.Text)[1:]):
        return

    def render(self, item, context=None, **kwargs):  # noqa: ANN001, ANN202, ANN003 - citeproc-py's
        kept = _kept_macros.get(self, _NOT_KEPT)
        if kept is _NOT_KEPT:
            kept = _kept_macros[self] = _kept_outputs_for(self)
        sorting = kwargs.get("sort_options") is not None or len(kwargs) > 1  # sort keys are rendered so
        if kept is None or sorting or (context if context is not None else self).get_layout().repressed:
            return original(self, item, context=context, **kwargs)
        reference = item.reference
        values = tuple(map(reference.get, kept.inputs))
        key = (context, reference.type, values, tuple(map(type, values)))
        try:
            hash(key)
        except TypeError:  # names, dates, text with case-protected parts
            key = (context, reference.type, _frozen(values))
        output = kept.outputs.get(key, _NOT_KEPT)
        if output is not _NOT_KEPT:
            kept.reused += 1
        else:
            try:
                output = original(self, item, context=context, **kwargs)
            except VariableError:
                output = _RAISES
            kept.outputs[key] = output
            kept.rendered += 1
            if kept.rendered >= _MACRO_TRIALS and kept.reused < kept.rendered:
                _kept_macros[self] = None  # not worth keeping: rendered every time from now on
        if output is _RAISES:
            raise VariableError
        return output

    patch(model.Text, "render", render)
