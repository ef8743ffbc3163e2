"""citeproc-py's questions of a loaded style tree, each answered once: patches that keep answers.

While rendering, citeproc-py asks the style tree the same questions again and again (an XPath
search, a child by name, a term, a macro, an option, whether an element renders a variable,
the words of an <if>'s test), and the answers depend on the loaded tree alone. Each patch here
keeps them, by element, in a memo of this module; `forget_style_answers` empties them all (and
the macro outputs of citeproc_macro_outputs) when a style is loaded or rewritten. citeproc_speed
applies the patches, in its order, through citeproc_patch_registry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from citeproc import model
from lxml import etree

from caseshelf.exports.citeproc_macro_outputs import forget_macro_outputs
from caseshelf.exports.citeproc_patch_registry import patch, subclasses

#: (style element, XPath expression) -> the elements it selects; see `memoise_xpaths`.
_xpath_results: dict[tuple[etree._Element, str], tuple[etree._Element, ...]] = {}
#: (style element, child tag) -> its first such child; see `memoise_found_children`.
_children: dict[tuple[etree._Element, str], etree._Element] = {}
#: Style element -> whether it renders a variable; see `memoise_calls_variable`.
_calls_variable: dict[etree._Element, bool] = {}
#: (locale, option name) -> its value, or _NO_STYLE_OPTIONS; see `memoise_locale_options`.
_locale_options: dict[tuple[etree._Element, str], Any] = {}
_NO_STYLE_OPTIONS = object()
#: (<if> element, attribute) -> the words of its test; see `_test_words`.
_test_words_found: dict[tuple[etree._Element, str], tuple[str, ...]] = {}
#: (element, term name, form, fallback, zero-padded) -> the <term> or None; see `memoise_terms`.
_terms: dict[tuple[etree._Element, str, str | None, bool, bool], etree._Element | None] = {}
#: Style element -> the root of its tree; see `memoise_roots`.
_roots: dict[etree._Element, etree._Element] = {}
#: (element, macro name) -> the <macro>; see `memoise_macros`.
_macros: dict[tuple[etree._Element, str], etree._Element] = {}
#: (<name> element, context element or None, option) -> its value; see `memoise_name_options`.
_name_options: dict[tuple[etree._Element, etree._Element | None, str], Any] = {}


def forget_style_answers() -> None:
    """Called when a style is loaded: answers found while citeproc-py set it up may name
    elements our loader removes next, and an older version of a .csl file needs none."""
    _xpath_results.clear()
    _children.clear()
    _calls_variable.clear()
    _locale_options.clear()
    _test_words_found.clear()
    _macros.clear()
    _terms.clear()
    _roots.clear()
    _name_options.clear()
    forget_macro_outputs()


def memoise_xpaths() -> None:
    """citeproc-py evaluates XPath expressions with `element.xpath(text)` on the style tree
    (macro by name, enclosing layout, locale term...): tens of thousands of calls for a
    thousand citations, nearly all of them the same question of the same element, and lxml
    compiles the text again on every call.

    The expressions select by structure and by the name, form and language attributes, which
    nothing changes once the style is loaded: while rendering, citeproc-py only adds a missing
    <name> to a <names> (a new element, so a new key) and copies attributes onto a date-part
    from the style's date-part of the same name. So one (element, expression) has one answer,
    kept here. The key holds the element, which keeps its lxml proxy alive, so the proxy's
    identity stays the key. All its elements share one class-level namespace map."""
    element_class = model.CitationStylesElement
    namespaces = getattr(element_class, "nsmap", None)  # a property, not a dict, on plain lxml elements
    if not isinstance(namespaces, dict) or not callable(getattr(element_class, "xpath_search", None)):
        return  # another citeproc-py layout: leave it as it is
    compiled: dict[str, etree.XPath] = {}

    def xpath_search(self, expression):  # noqa: ANN001, ANN202 - citeproc-py's signature
        key = (self, expression)
        found = _xpath_results.get(key)
        if found is None:
            xpath = compiled.get(expression)
            if xpath is None:
                xpath = compiled[expression] = etree.XPath(expression, namespaces=namespaces)
            found = _xpath_results[key] = tuple(xpath(self))
        return list(found)  # a list of its own, as lxml gives: no caller can change the memo

    patch(element_class, "xpath_search", xpath_search)


def memoise_found_children() -> None:
    """`element.terms`, `style.bibliography`: citeproc-py reads a child element as an attribute,
    through an ElementPath search each time. A child once found stays the first of its name
    (the <name> citeproc-py adds to a <names> is only added where none was found), so a found
    child is kept; a search that found nothing is repeated, as that child may be added."""
    element_class = model.SomewhatObjectifiedElement
    original = vars(element_class).get("__getattr__")
    if not callable(original):
        return

    def __getattr__(self, name):  # noqa: ANN001, ANN202, N807 - Python's hook
        key = (self, name)
        child = _children.get(key)
        if child is None:
            child = original(self, name)
            if child is not None:
                _children[key] = child
        return child

    patch(element_class, "__getattr__", __getattr__)


def memoise_calls_variable() -> None:
    """A <group> asks each child whether it renders a variable, and a child that holds others
    (a <choose>, an <if>, a macro) asks all of its own, for every entry: a walk of the subtree
    each time. The answer depends on the tree alone (which elements, which `variable` and
    `macro` attributes), and the one element citeproc-py adds while rendering, a <name> inside
    a <names>, does not change it (a <names> always answers yes); so each element answers once."""
    original = getattr(model.Parent, "calls_variable", None)
    if callable(original):
        patch(model.Parent, "calls_variable", _answering_once(original))


def _answering_once(calls_variable: Callable) -> Callable:
    """`calls_variable`, asked once per element (the answers are kept in `_calls_variable`)."""

    def answer_once(self):  # noqa: ANN001, ANN202 - citeproc-py's signature
        answer = _calls_variable.get(self)
        if answer is None:
            answer = _calls_variable[self] = calls_variable(self)
        return answer

    return answer_once


def memoise_text_calls_variable() -> None:
    """The same question of a <text>, which a <group> asks of each such child for every entry:
    its `variable` attribute, or its macro's subtree, neither of which changes once loaded."""
    original = vars(model.Text).get("calls_variable")
    if callable(original) and not any("calls_variable" in vars(cls) for cls in subclasses(model.Text)[1:]):
        patch(model.Text, "calls_variable", _answering_once(original))


def memoise_locale_options() -> None:
    """Punctuation-in-quote and the like are read from the locales' <style-options> for every
    quoted or ordinal text, each read a search of the locale's children. Nothing changes
    those elements after loading, so each (locale, option) is read once; a locale without
    <style-options> raises IndexError every time, as citeproc-py's own method does."""
    original = getattr(model.Locale, "get_option", None)
    if not callable(original):
        return

    def get_option(self, name):  # noqa: ANN001, ANN202 - citeproc-py's signature
        key = (self, name)
        if key not in _locale_options:
            try:
                _locale_options[key] = original(self, name)
            except IndexError:
                _locale_options[key] = _NO_STYLE_OPTIONS
        value = _locale_options[key]
        if value is _NO_STYLE_OPTIONS:
            raise IndexError(name)
        return value

    patch(model.Locale, "get_option", get_option)


def _test_words(element: etree._Element, attribute: str) -> tuple[str, ...]:
    """The words of an <if>'s `type` or `variable` test, split once per element: citeproc-py
    never changes a condition's attributes."""
    key = (element, attribute)
    words = _test_words_found.get(key)
    if words is None:
        words = _test_words_found[key] = tuple(element.get(attribute).split())
    return words


def conditions_read_the_entry_once() -> None:
    """An <if type="book chapter ..."> or <if variable="...">, of which a style has dozens,
    splits its attribute and reads `item.reference` again for every word of it. The same
    tests, with the words split once per element and the entry read once per test (and only
    when a word needs it, as before)."""
    if any(name not in vars(model.If) for name in ("_type", "_variable")) or any(
        name in vars(cls) for cls in subclasses(model.If)[1:] for name in ("_type", "_variable")
    ):
        return  # not the layout this was written for

    def _type(self, item):  # noqa: ANN001, ANN202 - citeproc-py's signature
        types = _test_words(self, "type")
        if not types:
            return []
        reference_type = item.reference.type
        return [kind.lower() == reference_type for kind in types]

    def _variable(self, item):  # noqa: ANN001, ANN202 - citeproc-py's signature
        variables = [variable.replace("-", "_") for variable in _test_words(self, "variable")]
        reference = item.reference if any(variable != "locator" for variable in variables) else None
        return [("locator" in item) if variable == "locator" else (variable in reference) for variable in variables]

    patch(model.If, "_type", _type)
    patch(model.If, "_variable", _variable)


def memoise_macros() -> None:
    """A <text macro="..."> finds its macro by name on every render, formatting an XPath
    expression and going up to the root for it. The macros of a loaded style stay where they
    are, so each element finds each macro once (a missing one raises, as before, every time)."""
    original = vars(model.CitationStylesElement).get("get_macro")
    if not callable(original):
        return

    def get_macro(self, name):  # noqa: ANN001, ANN202 - citeproc-py's signature
        key = (self, name)
        macro = _macros.get(key)
        if macro is None:
            macro = _macros[key] = original(self, name)
        return macro

    patch(model.CitationStylesElement, "get_macro", get_macro)


def memoise_terms() -> None:
    """A term ("et al.", "and", an ordinal) is looked up in the style's locales each time an
    element renders it: a trip to the root of the tree, then an XPath search per locale until
    one has it. Locales do not change after loading, so each element finds each term once."""
    original = vars(model.CitationStylesElement).get("get_term")
    if not callable(original):
        return

    def get_term(self, name, form=None, fallback_locale=True, zero_padded=False):  # noqa: ANN001, ANN202 - citeproc-py's
        key = (self, name, form, fallback_locale, zero_padded)
        if key not in _terms:
            _terms[key] = original(self, name, form, fallback_locale, zero_padded)
        return _terms[key]

    patch(model.CitationStylesElement, "get_term", get_term)


def memoise_roots() -> None:
    """Many elements ask for the root of their tree (its default locale, its options) while
    rendering, each time through a new lxml tree object. An element of a loaded style stays
    in its tree (specialise_style moves branches only before anything renders, and is
    followed by `forget_style_answers`), so each element finds its root once."""
    original = vars(model.CitationStylesElement).get("get_root")
    if not callable(original):
        return

    def get_root(self):  # noqa: ANN001, ANN202 - citeproc-py's signature
        root = _roots.get(self)
        if root is None:
            root = _roots[self] = original(self)
        return root

    patch(model.CitationStylesElement, "get_root", get_root)


def memoise_name_options() -> None:
    """A <name> reads fourteen options each time it renders, each through an XPath search for
    the enclosing <citation> or <bibliography> and its attributes, or the style's; none of
    which changes after loading. Options given as sort options (while sorting) are read as
    before."""
    original = vars(model.Name).get("get_option")
    if not callable(original):
        return

    def get_option(self, name, context=None, sort_options=None):  # noqa: ANN001, ANN202 - citeproc-py's
        if sort_options is not None:
            return original(self, name, context, sort_options)
        key = (self, context, name)
        if key not in _name_options:
            _name_options[key] = original(self, name, context, sort_options)
        return _name_options[key]

    patch(model.Name, "get_option", get_option)
