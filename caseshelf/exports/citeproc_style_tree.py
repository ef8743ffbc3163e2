"""A loaded CSL style tree, rewritten to render the same citations with less work.

`prepare_style` makes the changes every use of a style gains from (`STYLE_PREPARATIONS`);
`specialise_style` those that hold only for entries of one type with one set of variables
(`ENTRY_PREPARATIONS`), for the copy of the tree citation_style keeps for each such kind of
entry. tests/test_exports_cite.py renders without both (and without citeproc_speed's patches)
and requires the same text.
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from caseshelf.exports.csl_elements import CSL


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
    for names in root.iter(CSL + "names"):
        parent = names.getparent()
        inside_substitute = parent is not None and parent.tag == CSL + "substitute"
        if not inside_substitute and names.find(CSL + "name") is None:
            names.insert(0, names.makeelement(CSL + "name"))


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
_IF_TAGS = (CSL + "if", CSL + "else-if")
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
    for choose in list(root.iter(CSL + "choose")):
        _fold_choose(choose, item_type, variables)


def _fold_choose(choose: etree._Element, item_type: str, variables: frozenset[str]) -> None:
    branches = list(choose)
    if not all(branch.tag in (*_IF_TAGS, CSL + "else") for branch in branches):
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
        taken = choose.makeelement(CSL + "else")
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
    if branch.tag == CSL + "else":
        return branch
    replacement = branch.makeelement(CSL + "else")
    replacement.extend(list(branch))
    branch.getparent().replace(branch, replacement)
    return replacement


#: Changes to a style tree kept for entries of one type (a str: the item's "type") and one
#: set of variables, made after `STYLE_PREPARATIONS`; the patch test renders without them too.
ENTRY_PREPARATIONS: tuple[Callable[[etree._Element, str, frozenset[str]], None], ...] = (_fold_entry_tests,)
