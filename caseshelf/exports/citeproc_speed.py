"""Faster citeproc-py, same citations: patches to its hot spots, applied once at import.

citeproc-py walks the whole style tree for every entry and asks the tree the same questions
again and again; for a journal of thousands of articles that is most of what exporting costs.
Each patch below replaces one of its methods by one that gives the same answer with less work,
and is only applied when citeproc-py still has the shape it was written for. `ORIGINALS` keeps
citeproc-py's own versions, and `prepare_style` makes a loaded style tree render the same way
with less work (`STYLE_PREPARATIONS`): tests/test_exports_cite.py formats citations in several
styles with and without both and requires the same text.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import itemgetter
from typing import Any

from citeproc import model
from citeproc.source import Citation, CitationItem, CustomDict, Reference, VariableError
from citeproc.string import MixedString, NoCase, String
from lxml import etree

#: (class, method name) -> citeproc-py's own method, for each patch that was applied; ABSENT
#: where the class had no such attribute (the patch added one).
ORIGINALS: dict[tuple[type, str], Any] = {}
ABSENT = object()

#: (style element, XPath expression) -> the elements it selects; see `_memoise_xpaths`.
_xpath_results: dict[tuple[etree._Element, str], tuple[etree._Element, ...]] = {}
#: (style element, child tag) -> its first such child; see `_memoise_found_children`.
_children: dict[tuple[etree._Element, str], etree._Element] = {}
#: Style element -> whether it renders a variable; see `_memoise_calls_variable`.
_calls_variable: dict[etree._Element, bool] = {}
#: (locale, option name) -> its value, or _NO_STYLE_OPTIONS; see `_memoise_locale_options`.
_locale_options: dict[tuple[etree._Element, str], Any] = {}
_NO_STYLE_OPTIONS = object()
#: (<if> element, attribute) -> the words of its test; see `_test_words`.
_test_words_found: dict[tuple[etree._Element, str], tuple[str, ...]] = {}
#: (element, term name, form, fallback, zero-padded) -> the <term> or None; see `_memoise_terms`.
_terms: dict[tuple[etree._Element, str, str | None, bool, bool], etree._Element | None] = {}
#: Style element -> the root of its tree; see `_memoise_roots`.
_roots: dict[etree._Element, etree._Element] = {}
#: (element, macro name) -> the <macro>; see `_memoise_macros`.
_macros: dict[tuple[etree._Element, str], etree._Element] = {}
#: (<name> element, context element or None, option) -> its value; see `_memoise_name_options`.
_name_options: dict[tuple[etree._Element, etree._Element | None, str], Any] = {}
#: <text> -> the outputs kept for it, or None when it is rendered every time (no macro, a
#: macro whose output may depend on more than the entry's variables, or one not worth it);
#: see `_remember_macro_outputs`.
_kept_macros: dict[etree._Element, KeptOutputs | None] = {}


_CSL = "{http://purl.org/net/xbiblio/csl}"


def prepare_style(root: etree._Element) -> None:
    """What a freshly loaded style tree needs before it renders anything (see
    `STYLE_PREPARATIONS`)."""
    for preparation in STYLE_PREPARATIONS:
        preparation(root)


def _give_names_their_name(root: etree._Element) -> None:
    """A <names> without a <name> child (nlm-citation-sequence's author list is one) renders
    its names through a <name> without attributes that citeproc-py makes and inserts first in
    it, every time: made without the CSL namespace, it is never found again, so the style
    tree grows by an element per citation (tens of thousands in a build, each also a new key
    for the memos here). Inserted once, in the namespace, it is found and reused: the same
    element without attributes, in the same place. A <names> inside <substitute> is left
    without one: citeproc-py renders it with the enclosing <names>' <name> only when it has
    none of its own."""
    for names in root.iter(_CSL + "names"):
        parent = names.getparent()
        inside_substitute = parent is not None and parent.tag == _CSL + "substitute"
        if not inside_substitute and names.find(_CSL + "name") is None:
            names.insert(0, names.makeelement(_CSL + "name"))


#: Changes to a style tree that render the same citations faster; the patch test renders
#: without them (and without the patches) for comparison.
STYLE_PREPARATIONS: tuple[Callable[[etree._Element], None], ...] = (_give_names_their_name,)


def specialise_style(root: etree._Element, item_type: str, variables: frozenset[str]) -> None:
    """Make a prepared style tree, kept for entries of one type with one set of variables
    (the keys of citeproc-py's Reference, as `variable in reference` tests them), render them
    with less work (see `ENTRY_PREPARATIONS`)."""
    for preparation in ENTRY_PREPARATIONS:
        preparation(root, item_type, variables)


#: The tests citeproc-py's <if> runs besides `type`, none of which can raise for an entry of
#: a bibliography: a branch that the type decides may skip them. `position` is left out (it
#: reads the citation around the entry), and a branch that tests it is left as it is.
_TESTS_WITHOUT_SIDE_EFFECTS = ("variable", "is-numeric", "is-uncertain-date", "locator")
_IF_TAGS = (_CSL + "if", _CSL + "else-if")
_ALWAYS, _NEVER, _DEPENDS = "always", "never", "depends"


def _fold_entry_tests(root: etree._Element, item_type: str, variables: frozenset[str]) -> None:
    """A style chooses by type and by which variables an entry has dozens of times per entry
    (`<if type="book chapter">`, `<else-if type="article-journal" variable="DOI">`), each
    choice a walk of the branches and an exception per branch not taken; for a tree kept for
    one type and one set of variables, what they decide is decided once. Each <choose> keeps
    its branches in order up to the first one that is always taken, which becomes an <else>;
    the `type` and `variable` tests of a branch that other tests still decide are dropped
    where they cannot change the outcome. Branches never taken are kept, after an <else> (an
    empty one renders nothing, as no branch taken does), so that they are never reached:
    citeproc-py asks a <choose> whether any of its branches renders a variable (a <group>
    shows or hides itself by that answer), and the answer stays the same."""
    for choose in list(root.iter(_CSL + "choose")):
        _fold_choose(choose, item_type, variables)


def _fold_choose(choose: etree._Element, item_type: str, variables: frozenset[str]) -> None:
    branches = list(choose)
    if not all(branch.tag in (*_IF_TAGS, _CSL + "else") for branch in branches):
        return  # citeproc-py would fail on it in any case: left as it is
    reached: list[etree._Element] = []
    never_reached: list[etree._Element] = []
    taken = None
    for branch in branches:
        outcome = _branch_outcome(branch, item_type, variables) if taken is None else _NEVER
        if outcome == _ALWAYS:
            taken = _as_else(branch)
        elif outcome == _NEVER:
            never_reached.append(branch)
        else:
            reached.append(branch)
    if taken is None and never_reached:
        taken = choose.makeelement(_CSL + "else")
    for branch in (*reached, *([taken] if taken is not None else []), *never_reached):
        choose.append(branch)  # moves it to the end: the children end in this order


def _branch_outcome(branch: etree._Element, item_type: str, variables: frozenset[str]) -> str:
    """Whether citeproc-py always takes the branch for this entry, never, or depends on the
    entry's values; in the last case the tests that cannot decide it are dropped."""
    if branch.tag not in _IF_TAGS:
        return _ALWAYS  # an <else>
    if "position" in branch.attrib:
        return _DEPENDS
    other_tests = [test for test in _TESTS_WITHOUT_SIDE_EFFECTS if test in branch.attrib]
    known = {"type": [word.lower() == item_type for word in branch.get("type", "").split()]}
    variable_words = [word.replace("-", "_") for word in branch.get("variable", "").split()]
    if "variable" in other_tests and "locator" not in variable_words:  # a locator is the citation's
        known["variable"] = [word in variables for word in variable_words]
        other_tests.remove("variable")
    results = [result for test_results in known.values() for result in test_results]
    # citeproc-py joins all results of all tests by the branch's `match`; "all" unless
    # "any" or "none".
    match = branch.get("match")
    if match == "any":
        decisive, outcome_when_decisive, outcome_without_tests = any(results), _ALWAYS, _NEVER
    elif match == "none":
        decisive, outcome_when_decisive, outcome_without_tests = any(results), _NEVER, _ALWAYS
    else:
        decisive, outcome_when_decisive, outcome_without_tests = not all(results), _NEVER, _ALWAYS
    if decisive:
        return outcome_when_decisive
    if not other_tests:
        return outcome_without_tests
    for test in known:
        branch.attrib.pop(test, None)
    return _DEPENDS


def _as_else(branch: etree._Element) -> etree._Element:
    """The branch as an <else> with the same children: rendered the same way, with no test."""
    if branch.tag == _CSL + "else":
        return branch
    replacement = branch.makeelement(_CSL + "else")
    replacement.extend(list(branch))
    branch.getparent().replace(branch, replacement)
    return replacement


#: Changes to a style tree kept for entries of one type (a str: the item's "type") and one
#: set of variables, made after `STYLE_PREPARATIONS`; the patch test renders without them too.
ENTRY_PREPARATIONS: tuple[Callable[[etree._Element, str, frozenset[str]], None], ...] = (_fold_entry_tests,)


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
    _kept_macros.clear()


def _patch(owner: type, name: str, replacement: Any) -> None:
    ORIGINALS[(owner, name)] = getattr(owner, name) if name in dir(owner) else ABSENT
    setattr(owner, name, replacement)


def _subclasses(cls: type) -> list[type]:
    """`cls` and every class below it."""
    found, pending = [], [cls]
    while pending:
        found.append(current := pending.pop())
        pending += current.__subclasses__()
    return found


def _memoise_xpaths() -> None:
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

    _patch(element_class, "xpath_search", xpath_search)


def _memoise_found_children() -> None:
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

    _patch(element_class, "__getattr__", __getattr__)


def _memoise_calls_variable() -> None:
    """A <group> asks each child whether it renders a variable, and a child that holds others
    (a <choose>, an <if>, a macro) asks all of its own, for every entry: a walk of the subtree
    each time. The answer depends on the tree alone (which elements, which `variable` and
    `macro` attributes), and the one element citeproc-py adds while rendering, a <name> inside
    a <names>, does not change it (a <names> always answers yes); so each element answers once."""
    original = getattr(model.Parent, "calls_variable", None)
    if callable(original):
        _patch(model.Parent, "calls_variable", _answering_once(original))


def _answering_once(calls_variable: Callable) -> Callable:
    """`calls_variable`, asked once per element (the answers are kept in `_calls_variable`)."""

    def answer_once(self):  # noqa: ANN001, ANN202 - citeproc-py's signature
        answer = _calls_variable.get(self)
        if answer is None:
            answer = _calls_variable[self] = calls_variable(self)
        return answer

    return answer_once


def _memoise_text_calls_variable() -> None:
    """The same question of a <text>, which a <group> asks of each such child for every entry:
    its `variable` attribute, or its macro's subtree, neither of which changes once loaded."""
    original = vars(model.Text).get("calls_variable")
    if callable(original) and not any("calls_variable" in vars(cls) for cls in _subclasses(model.Text)[1:]):
        _patch(model.Text, "calls_variable", _answering_once(original))


def _choose_without_listing_branches() -> None:
    """A <choose> lists all its branches (an lxml proxy made for each) before it tries the
    first; it returns at the first branch taken, and in a tree kept for one type that is
    nearly always the first (see `_fold_entry_tests`), with the branches never taken after it.
    The same walk, one branch at a time."""
    original = vars(model.Choose).get("render")
    if not callable(original) or any("render" in vars(cls) for cls in _subclasses(model.Choose)[1:]):
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

    _patch(model.Choose, "render", render)


def _memoise_locale_options() -> None:
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

    _patch(model.Locale, "get_option", get_option)


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
        name in vars(cls) for cls in _subclasses(model.Formatted)[1:] for name in methods
    ):
        return  # not the layout this was written for
    original = model.Formatted.format

    def format(self, string):  # noqa: A001, ANN001, ANN202 - citeproc-py's signature
        # The element's attribute names in one call: five get() calls cost five times as much.
        if _FORMATTING_ATTRIBUTE_SET.isdisjoint(self.keys()):
            return str(string) if isinstance(string, (int, float)) else string
        return original(self, string)

    _patch(model.Formatted, "format", format)


def _lookup_without_python_frames() -> None:
    """Every variable of an entry is read through citeproc-py's CustomDict, whose `__getattr__`
    calls its `__getitem__`, which calls dict's and turns a KeyError into VariableError: two
    Python calls per read, a million for a thousand citations. dict's own `__missing__` hook
    gives the same VariableError, so the reads that find their key run no Python code at all."""
    hooks = ("__getitem__", "__getattr__", "__missing__")
    overridden = any(name in vars(cls) for cls in _subclasses(CustomDict)[1:] for name in hooks)
    if overridden or "__missing__" in vars(CustomDict) or "__getitem__" not in vars(CustomDict):
        return  # a layout this was not written for

    def __missing__(self, key):  # noqa: ANN001, ANN202, N807 - dict's hook
        raise VariableError

    CustomDict.__missing__ = __missing__
    _patch(CustomDict, "__getitem__", dict.__getitem__)
    _patch(CustomDict, "__getattr__", dict.__getitem__)


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
            _patch(owner, name, property(itemgetter(name)))


def _reference_in_one_step() -> None:
    """Every variable, condition and name of an entry reads `item.reference`, which asks the
    `bibliography` property for the citation's bibliography and looks the key up in its source:
    two Python calls, a hundred and forty times per citation. The same lookup, in one."""
    if not all(isinstance(vars(CitationItem).get(name), property) for name in ("reference", "bibliography")):
        return  # a layout this was not written for

    def reference(self):  # noqa: ANN001, ANN202 - citeproc-py's property
        return self.citation.bibliography.source[self.key]

    _patch(CitationItem, "reference", property(reference))


#: What citeproc-py's strings are made of: `"" + text + ""` gives `text` back, same type, for
#: these (a str subclass of another formatter may come back as a plain str, so it is left alone).
_PLAIN_STRINGS = (str, String, NoCase, MixedString)


def _wrap_only_what_has_affixes() -> None:
    """Every rendered element puts its prefix and suffix around its text, joining them with a
    seam check each; nearly every element has neither, and then the text comes back as it was."""
    if "wrap" not in vars(model.Affixed) or any("wrap" in vars(cls) for cls in _subclasses(model.Affixed)[1:]):
        return  # not the layout this was written for
    original = model.Affixed.wrap

    def wrap(self, string):  # noqa: ANN001, ANN202 - citeproc-py's signature
        if type(string) in _PLAIN_STRINGS and self.get("prefix") is None and self.get("suffix") is None:
            return string
        return original(self, string)

    _patch(model.Affixed, "wrap", wrap)


def _quote_only_what_asks_for_it() -> None:
    """Every text reads the locale's punctuation-in-quote option (a walk of the locales)
    before it checks whether it has quotes at all, and without a `quotes` attribute it is
    returned as it was. The option is always found: citeproc-py always adds the en-US locale,
    which sets it."""
    if "quote" not in vars(model.Quoted) or any("quote" in vars(cls) for cls in _subclasses(model.Quoted)[1:]):
        return  # not the layout this was written for
    original = model.Quoted.quote

    def quote(self, string):  # noqa: ANN001, ANN202 - citeproc-py's signature
        if self.get("quotes") is None:
            return string
        return original(self, string)

    _patch(model.Quoted, "quote", quote)


def _test_words(element: etree._Element, attribute: str) -> tuple[str, ...]:
    """The words of an <if>'s `type` or `variable` test, split once per element: citeproc-py
    never changes a condition's attributes."""
    key = (element, attribute)
    words = _test_words_found.get(key)
    if words is None:
        words = _test_words_found[key] = tuple(element.get(attribute).split())
    return words


def _conditions_read_the_entry_once() -> None:
    """An <if type="book chapter ..."> or <if variable="...">, of which a style has dozens,
    splits its attribute and reads `item.reference` again for every word of it. The same
    tests, with the words split once per element and the entry read once per test (and only
    when a word needs it, as before)."""
    if any(name not in vars(model.If) for name in ("_type", "_variable")) or any(
        name in vars(cls) for cls in _subclasses(model.If)[1:] for name in ("_type", "_variable")
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

    _patch(model.If, "_type", _type)
    _patch(model.If, "_variable", _variable)


def _memoise_macros() -> None:
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

    _patch(model.CitationStylesElement, "get_macro", get_macro)


def _memoise_terms() -> None:
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

    _patch(model.CitationStylesElement, "get_term", get_term)


def _memoise_roots() -> None:
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

    _patch(model.CitationStylesElement, "get_root", get_root)


def _memoise_name_options() -> None:
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

    _patch(model.Name, "get_option", get_option)


#: What makes a macro's output depend on more than its entry's variables: names (their
#: substitution hides variables from later elements of the entry, and disambiguation looks at
#: other entries), the entry's place in a list, and tests of its position in the citation.
_CONTEXTUAL_ELEMENTS = frozenset(f"{_CSL}{tag}" for tag in ("names", "name", "substitute", "et-al", "name-part"))
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
        for element in macro.iter(f"{_CSL}*"):
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


def _remember_macro_outputs() -> None:
    """Most macros of a style render parts every entry of a journal shares: the journal's name,
    an empty series or publisher, the same notes. citeproc-py walks each of them again for
    every entry (about a quarter of a citation's time with nlm-citation-sequence). A macro's
    output depends on the entry's type and the values of the variables it reads, unless it
    holds names or position tests (see `_macro_inputs_of`), so it is kept per such values and
    given back when they recur; and while the entry's names have hidden a variable (a
    <substitute> did), every macro is rendered anew. A macro whose values keep changing stops
    being kept after `_MACRO_TRIALS` renders."""
    original = vars(model.Text).get("render")
    if not callable(original) or any("render" in vars(cls) for cls in _subclasses(model.Text)[1:]):
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

    _patch(model.Text, "render", render)


_memoise_xpaths()
_memoise_found_children()
_memoise_calls_variable()
_memoise_text_calls_variable()
_choose_without_listing_branches()
_memoise_locale_options()
_format_only_what_asks_for_it()
_lookup_without_python_frames()
_item_attributes_without_exceptions()
_reference_in_one_step()
_wrap_only_what_has_affixes()
_quote_only_what_asks_for_it()
_conditions_read_the_entry_once()
_memoise_name_options()
_memoise_macros()
_memoise_terms()
_memoise_roots()
_remember_macro_outputs()
