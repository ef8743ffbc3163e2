"""Faster citeproc-py, same citations: patches to its hot spots, applied once at import.

citeproc-py walks the whole style tree for every entry and asks the tree the same questions
again and again; for a journal of thousands of articles that is most of what exporting costs.
Each patch replaces one of its methods by one that gives the same answer with less work, and
is only applied when citeproc-py still has the shape it was written for. Those below do less
work per call; those that keep the style tree's answers are in citeproc_style_memos, and the
one that keeps macro outputs in citeproc_macro_outputs. The end of this module applies them
all, in one order, through citeproc_patch_registry, whose `ORIGINALS` keeps citeproc-py's own
versions. citeproc_style_tree's `prepare_style` makes a loaded style tree render the same way
with less work (`STYLE_PREPARATIONS`): tests/test_exports_cite.py formats citations in several
styles with and without both and requires the same text.
"""

from __future__ import annotations

from operator import itemgetter

from citeproc import model
from citeproc.source import Citation, CitationItem, CustomDict, Reference, VariableError
from citeproc.string import MixedString, NoCase, String

from caseshelf.exports.citeproc_macro_outputs import remember_macro_outputs
from caseshelf.exports.citeproc_patch_registry import patch, subclasses
from caseshelf.exports.citeproc_style_memos import (
    conditions_read_the_entry_once,
    memoise_calls_variable,
    memoise_found_children,
    memoise_locale_options,
    memoise_macros,
    memoise_name_options,
    memoise_roots,
    memoise_terms,
    memoise_text_calls_variable,
    memoise_xpaths,
)


def _choose_without_listing_branches() -> None:
    """A <choose> lists all its branches (an lxml proxy made for each) before it tries the
    first; it returns at the first branch taken, and in a tree kept for one type that is
    nearly always the first (see citeproc_style_tree's `_fold_entry_tests`), with the
    branches never taken after it. The same walk, one branch at a time."""
    original = vars(model.Choose).get("render")
    if not callable(original) or any("render" in vars(cls) for cls in subclasses(model.Choose)[1:]):
        return
    condition_failed = getattr(model, "ConditionFailed", None)
    if not (isinstance(condition_failed, type) and issubclass(condition_failed, Exception)):
        return

    def render(self, item, context=None, delimiter="", **kwargs):  # noqa: ANN001, ANN202, ANN003 - citeproc-py's
        for branch in self.iterchildren():
            try:
                return branch.render(item, context=context, delimiter=delimiter, **kwargs)
            except condition_failed:
                continue
        return None

    patch(model.Choose, "render", render)


#: The attributes citeproc-py's Formatted.format reads, each through a method of its own.
_FORMATTING_ATTRIBUTES = ("font-style", "font-variant", "font-weight", "text-decoration", "vertical-align")
_FORMATTING_ATTRIBUTE_SET = frozenset(_FORMATTING_ATTRIBUTES)


def _format_only_what_asks_for_it() -> None:
    """Every rendered element passes its text through five formatting methods (font style,
    variant, weight, decoration, vertical alignment), each of which looks up the formatter
    through the tree root and returns the text unchanged when its attribute is absent, as it
    is on nearly every element. An element with none of the five attributes skips them; the
    attributes are read on every call, since citeproc-py copies attributes onto a locale's
    date-parts while rendering."""
    methods = ["format", *(name.replace("-", "_") for name in _FORMATTING_ATTRIBUTES)]
    if not all(name in vars(model.Formatted) for name in methods) or any(
        name in vars(cls) for cls in subclasses(model.Formatted)[1:] for name in methods
    ):
        return  # not the layout this was written for
    original = model.Formatted.format

    def format(self, string):  # noqa: A001, ANN001, ANN202 - citeproc-py's signature
        # The element's attribute names in one call: five get() calls cost five times as much.
        if _FORMATTING_ATTRIBUTE_SET.isdisjoint(self.keys()):
            return str(string) if isinstance(string, (int, float)) else string
        return original(self, string)

    patch(model.Formatted, "format", format)


def _lookup_without_python_frames() -> None:
    """Every variable of an entry is read through citeproc-py's CustomDict, whose `__getattr__`
    calls its `__getitem__`, which calls dict's and turns a KeyError into VariableError: two
    Python calls per read, a million for a thousand citations. dict's own `__missing__` hook
    gives the same VariableError, so the reads that find their key run no Python code at all."""
    hooks = ("__getitem__", "__getattr__", "__missing__")
    overridden = any(name in vars(cls) for cls in subclasses(CustomDict)[1:] for name in hooks)
    if overridden or "__missing__" in vars(CustomDict) or "__getitem__" not in vars(CustomDict):
        return  # a layout this was not written for

    def __missing__(self, key):  # noqa: ANN001, ANN202, N807 - dict's hook
        raise VariableError

    CustomDict.__missing__ = __missing__
    patch(CustomDict, "__getitem__", dict.__getitem__)
    patch(CustomDict, "__getattr__", dict.__getitem__)


#: The attributes of citeproc-py's entries read while rendering (each an item of the entry, as
#: CustomDict keeps them): an item's key and citation, a citation's bibliography and items, a
#: reference's key, type and language (read by every <text>).
_ITEM_ATTRIBUTES = {
    CitationItem: ("key", "citation"),
    Citation: ("bibliography", "cites"),
    Reference: ("key", "type", "language"),
}


def _item_attributes_without_exceptions() -> None:
    """citeproc-py's entries (CustomDict) keep their attributes as dict items and read them
    through `__getattr__`, which Python calls only after the ordinary lookup failed: each read
    pays for a search of the class and an AttributeError, about a microsecond, four hundred
    times per citation. A property reading the item gives the same value (or VariableError,
    as `self[name]` does) without them. Only names the classes do not define otherwise."""
    if "__getattr__" not in vars(CustomDict) or "__setattr__" not in vars(CustomDict):
        return  # attributes may no longer be items
    for owner, names in _ITEM_ATTRIBUTES.items():
        if not issubclass(owner, CustomDict) or any(name in dir(owner) for name in names):
            continue  # a name that means something else there: its lookup stays as it is
        for name in names:
            patch(owner, name, property(itemgetter(name)))


def _reference_in_one_step() -> None:
    """Every variable, condition and name of an entry reads `item.reference`, which asks the
    `bibliography` property for the citation's bibliography and looks the key up in its source:
    two Python calls, a hundred and forty times per citation. The same lookup, in one."""
    if not all(isinstance(vars(CitationItem).get(name), property) for name in ("reference", "bibliography")):
        return  # a layout this was not written for

    def reference(self):  # noqa: ANN001, ANN202 - citeproc-py's property
        return self.citation.bibliography.source[self.key]

    patch(CitationItem, "reference", property(reference))


#: What citeproc-py's strings are made of: `"" + text + ""` gives `text` back, same type, for
#: these (a str subclass of another formatter may come back as a plain str, so it is left alone).
_PLAIN_STRINGS = (str, String, NoCase, MixedString)


def _wrap_only_what_has_affixes() -> None:
    """Every rendered element puts its prefix and suffix around its text, joining them with a
    seam check each; nearly every element has neither, and then the text comes back as it was."""
    if "wrap" not in vars(model.Affixed) or any("wrap" in vars(cls) for cls in subclasses(model.Affixed)[1:]):
        return  # not the layout this was written for
    original = model.Affixed.wrap

    def wrap(self, string):  # noqa: ANN001, ANN202 - citeproc-py's signature
        if type(string) in _PLAIN_STRINGS and self.get("prefix") is None and self.get("suffix") is None:
            return string
        return original(self, string)

    patch(model.Affixed, "wrap", wrap)


def _quote_only_what_asks_for_it() -> None:
    """Every text reads the locale's punctuation-in-quote option (a walk of the locales)
    before it checks whether it has quotes at all, and without a `quotes` attribute it is
    returned as it was. The option is always found: citeproc-py always adds the en-US locale,
    which sets it."""
    if "quote" not in vars(model.Quoted) or any("quote" in vars(cls) for cls in subclasses(model.Quoted)[1:]):
        return  # not the layout this was written for
    original = model.Quoted.quote

    def quote(self, string):  # noqa: ANN001, ANN202 - citeproc-py's signature
        if self.get("quotes") is None:
            return string
        return original(self, string)

    patch(model.Quoted, "quote", quote)


# The order citeproc-py's methods are replaced in, and so of `ORIGINALS`.
memoise_xpaths()
memoise_found_children()
memoise_calls_variable()
memoise_text_calls_variable()
_choose_without_listing_branches()
memoise_locale_options()
_format_only_what_asks_for_it()
_lookup_without_python_frames()
_item_attributes_without_exceptions()
_reference_in_one_step()
_wrap_only_what_has_affixes()
_quote_only_what_asks_for_it()
conditions_read_the_entry_once()
memoise_name_options()
memoise_macros()
memoise_terms()
memoise_roots()
remember_macro_outputs()
