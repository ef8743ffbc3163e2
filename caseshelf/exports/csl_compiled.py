"""A CSL style's bibliography layout compiled, once per kind of entry, into small renderers.

citeproc-py interprets the style tree for every citation: it walks every element, looks every
option and locale term up through the tree, and tries every branch of every <choose>, which is
most of the 1.6 ms an article's "For citation" line costs. Compiled here is the tree citation_style
keeps for one item type and one set of variables (its <choose> branches already folded by
citeproc_style_tree.specialise_style), so everything that depends only on the style and on which
variables an entry has is found once: options, terms, the branches taken, the variables each
element has to render. What is left for each entry is what citeproc-py does with the entry's
values, done with citeproc-py's own string types and seam rules (csl_text, csl_renderers).

The text must be exactly citeproc-py's. Whatever this compiler has not been written for (an
element, an attribute, an option value, a test it cannot decide, a date range...) makes it
decline, when compiling (`compile_bibliography` raises Declined) or for one entry
(`CompiledBibliography.render` raises Declined), and citation_style then asks citeproc-py.
benchmarks/csl_compiled_diff.py and tests/test_csl_compiled.py compare the two on real items.
"""

from __future__ import annotations

from typing import Any

from citeproc import DATES, NAMES, CitationStylesStyle, formatter
from citeproc import __version__ as citeproc_version
from lxml import etree

from caseshelf.exports import csl_text
from caseshelf.exports.csl_renderers import (
    ByLanguage, Choose, DatePart, DateText, Declined, Entry, Fixed, Group, Label, Markup, NameList,
    Names, NamesLabel, NumberText, PageText, Sequence, Substitute, Test, VariableText, fixed_string,
)  # fmt: skip

__all__ = ["CompiledBibliography", "Declined", "compile_bibliography"]

_CSL = "{http://purl.org/net/xbiblio/csl}"
#: How deep macros may call macros before the compiler gives up (citeproc-py would recurse).
_MAX_DEPTH = 40

# The attributes each element may have: those citeproc-py reads, and those it ignores (so
# ignoring them here gives the same text). Any other makes the compiler decline.
_FORMATTING = frozenset(csl_text.FORMATTING_VALUES)
_AFFIXES = frozenset({"prefix", "suffix"})
_DISPLAYED = _FORMATTING | _AFFIXES | {"display"}
_CASED = frozenset({"text-case", "strip-periods"})
_ATTRIBUTES = {
    "layout": _FORMATTING | _AFFIXES | {"delimiter"},
    "text": _DISPLAYED | _CASED | {"variable", "macro", "term", "value", "form", "plural", "quotes"},
    "group": _DISPLAYED | {"delimiter"},
    "number": _DISPLAYED | _CASED | {"variable", "form"},
    "label": _FORMATTING | _AFFIXES | _CASED | {"variable", "form", "plural"},
    "names": _DISPLAYED | {"variable", "delimiter"},
    "name": _FORMATTING | _AFFIXES | {
        "and", "delimiter", "delimiter-precedes-et-al", "delimiter-precedes-last", "et-al-min",
        "et-al-use-first", "et-al-subsequent-min", "et-al-subsequent-use-first", "et-al-use-last",
        "form", "initialize", "initialize-with", "initialize-with-hyphen", "name-as-sort-order",
        "sort-separator", "demote-non-dropping-particle",
    },  # fmt: skip
    "et-al": _FORMATTING | _AFFIXES | {"term"},
    # citeproc-py applies neither formatting nor text-case to a <date> as a whole.
    "date": _DISPLAYED | {"text-case", "variable", "form", "date-parts", "delimiter"},
    "date-part": _FORMATTING | _AFFIXES | _CASED | {"name", "form", "range-delimiter"},
    # `disambiguate` is not a test for citeproc-py (it never reads it).
    "if": frozenset({"type", "variable", "is-numeric", "is-uncertain-date", "locator", "match", "disambiguate"}),
    "choose": frozenset(), "else": frozenset(), "substitute": frozenset(), "macro": frozenset({"name"}),
}  # fmt: skip
_ATTRIBUTES["else-if"] = _ATTRIBUTES["if"]


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
    bibliography = style.root.find(_CSL + "bibliography")
    layout = None if bibliography is None else bibliography.find(_CSL + "layout")
    if layout is None:
        raise Declined("no bibliography layout")
    compiler = _Compiler(style.root, item_type, variables)
    try:
        _check(layout)
        children = compiler.sequence(layout, None, "")
        language = style.root.get("default-locale", "en")[:2]
        return CompiledBibliography(Sequence(children, ""), _formatted(layout), layout.get("prefix"), layout.get("suffix"), language)
    except Declined:
        raise
    except Exception as error:  # a style citeproc-py would fail on, or one read wrongly here
        raise Declined(f"{type(error).__name__}: {error}") from error


#: A branch that prints nothing (it still ends the <choose>).
_NOTHING = Sequence((), "")


def _folded(renderer: Any) -> Any:
    """A renderer whose text is the same for every entry of the tree (a group of terms, a
    macro whose branches for these entries print nothing) as that text, found now; None
    when that text is nothing."""
    if renderer is None or not _is_fixed(renderer):
        return renderer
    text = renderer.render(None)  # reads no entry
    return None if text is None else Fixed(text)


def _is_fixed(renderer: Any) -> bool:
    if isinstance(renderer, Fixed):
        return True
    if isinstance(renderer, Sequence):
        by_language = renderer.markup is not None and renderer.markup.case == "title"
        return not by_language and all(_is_fixed(child) for child in renderer.children)
    if isinstance(renderer, Group):
        return all(_is_fixed(child) for child, _ in renderer.children)
    if isinstance(renderer, Choose):
        return len(renderer.branches) == 1 and renderer.branches[0][0] is None and _is_fixed(renderer.branches[0][1])
    return False


def _tag(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str) or not tag.startswith(_CSL):
        raise Declined(f"element {tag!r}")
    return tag[len(_CSL) :]


def _check(element: etree._Element) -> str:
    tag = _tag(element)
    unknown = set(element.attrib) - _ATTRIBUTES.get(tag, frozenset())
    if tag not in _ATTRIBUTES or unknown:
        raise Declined(f"<{tag}> {sorted(unknown)}")
    return tag


def _formatted(attributes: Any) -> bool:
    """Whether citeproc-py's Formatted.format turns the text into a plain str."""
    for name, values in csl_text.FORMATTING_VALUES.items():
        value = attributes.get(name)
        if value is not None and value not in values:
            raise Declined(f"{name}={value!r}")  # citeproc-py fails on it
    return any(attributes.get(name, neutral) != neutral for name, neutral in csl_text.FORMATTING_NEUTRAL.items())


def _is_true(attributes: Any, name: str) -> bool:
    return attributes.get(name, "false").lower() == "true"


def _markup(attributes: Any, quotes: tuple | None = None) -> Markup:
    strip = _is_true(attributes, "strip-periods")
    return Markup(strip, attributes.get("text-case"), _formatted(attributes), quotes, attributes.get("prefix"), attributes.get("suffix"))


class _Compiler:
    """Walks a style tree for entries of one type with one set of variables. `context` is the
    element citeproc-py renders a part with as context (the <text> that called the macro),
    None at the layout's level, as there."""

    def __init__(self, root: etree._Element, item_type: str, variables: frozenset[str]):
        self.root, self.item_type, self.variables = root, item_type, variables
        self.depth = 0

    def sequence(self, parent: etree._Element, context: Any, delimiter: str) -> tuple:
        """The renderers of a parent's children that may render (Parent.render_children:
        a <choose> child inherits the delimiter)."""
        renderers = (self.node(child, context, delimiter) for child in parent)
        return tuple(renderer for renderer in renderers if renderer is not None)

    def node(self, element: etree._Element, context: Any, delimiter: str) -> Any:
        """The renderer of one element, or None when it renders nothing for these entries."""
        tag = _check(element)
        if tag == "choose":
            return _folded(self.choose(element, context, delimiter))
        method = {"text": self.text, "group": self.group, "names": self.names, "date": self.date, "number": self.number, "label": self.label}.get(tag)
        if method is None:
            raise Declined(f"<{tag}> here")
        return _folded(method(element, context))

    # -- text -------------------------------------------------------------------------------

    def text(self, element: etree._Element, context: Any) -> Any:
        quotes = self._quotes(element) if "quotes" in element.attrib else None
        markup = _markup(element, quotes)
        if "variable" in element.attrib:
            return self._text_variable(element, markup)
        if "macro" in element.attrib:
            return self._macro(element, context if context is not None else element, markup)
        if "term" in element.attrib:
            form = element.get("form", "long")
            lookup = element.get_plural_term if _is_true(element, "plural") else element.get_single_term
            return self._fixed(lookup(name=element.get("term"), form=form if form != "long" else None), markup)
        if "value" in element.attrib:
            return self._fixed(fixed_string(element.get("value")), markup)
        raise Declined("<text> of nothing")

    def _quotes(self, element: etree._Element) -> tuple | None:
        element.get_locale_option("punctuation-in-quote").lower()  # citeproc-py reads it (and may fail)
        if not _is_true(element, "quotes"):
            return None
        return element.get_single_term(name="open-quote"), element.get_single_term(name="close-quote")

    @staticmethod
    def _fixed(text: Any, markup: Markup) -> Any:
        english, other = markup.finish(text, "en"), markup.finish(text, "other")
        if english is None and other is None:
            return None
        return Fixed(english) if markup.case != "title" else ByLanguage(english, other)

    def _text_variable(self, element: etree._Element, markup: Markup) -> Any:
        variable = looked_up = element.get("variable")
        if variable == "citation-number":
            raise Declined("citation-number")
        if variable == "locator":
            return None  # a bibliography entry has no locator
        if element.get("form") == "short" and (variable + "-short").replace("-", "_") in self.variables:
            looked_up = variable + "-short"
        if looked_up.startswith("page"):
            if "page" not in self.variables:
                return None
            return PageText(looked_up, True, self._range_delimiter(element), self._range_format(), str, markup, True)
        key = looked_up.replace("-", "_")
        if key not in self.variables:
            return None
        if key in NAMES or key in DATES:
            raise Declined(f"<text variable={variable!r}>")
        return VariableText(variable, key, markup)

    def _range_delimiter(self, element: etree._Element) -> Any:
        return element.get_single_term(name="page-range-delimiter") or element.unicode_character("EN DASH")

    def _range_format(self) -> str | None:
        return self.root.get_option("page-range-format")

    def _macro(self, element: etree._Element, context: Any, markup: Markup) -> Sequence:
        try:
            macro = element.get_macro(element.get("macro"))
        except IndexError:
            raise Declined(f"no macro {element.get('macro')!r}") from None
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise Declined("macros call each other too deep")
        _check(macro)
        children = self.sequence(macro, context, "")
        self.depth -= 1
        return _folded(Sequence(children, "", markup))

    # -- groups and choices ------------------------------------------------------------------

    def group(self, element: etree._Element, context: Any) -> Any:
        delimiter = element.get("delimiter", "")
        children = []
        for child in element:
            renderer = self.node(child, context, delimiter)
            if renderer is not None:
                children.append((renderer, child.calls_variable()))
        calls_variable = any(child.calls_variable() for child in element)
        if not children:
            return None
        return Group(tuple(children), calls_variable, delimiter, _markup(element))

    def choose(self, element: etree._Element, context: Any, delimiter: str) -> Any:
        branches = []
        for branch in element:
            tag = _check(branch)
            if tag not in ("if", "else-if", "else"):
                raise Declined(f"<{tag}> in <choose>")
            test = True if tag == "else" else self._test(branch)
            if test is False:
                continue
            branches.append((None if test is True else test, _folded(Sequence(self.sequence(branch, context, delimiter), delimiter)) or _NOTHING))
            if test is True:
                break
        return Choose(tuple(branches)) if branches else None

    def _test(self, branch: etree._Element) -> Any:
        """True or False when the entry's type and variables decide the branch, else a Test."""
        known: list[bool] = []
        numeric: list[str] = []
        uncertain: list[str] = []
        if "type" in branch.attrib:
            known += [word.lower() == self.item_type for word in branch.get("type").split()]
        if "variable" in branch.attrib:
            keys = [word.replace("-", "_") for word in branch.get("variable").split()]
            known += [key != "locator" and key in self.variables for key in keys]
        for attribute, runtime in (("is-numeric", numeric), ("is-uncertain-date", uncertain)):
            for word in branch.get(attribute, "").split():
                key = word.replace("-", "_")
                if key in self.variables:
                    runtime.append(key)
                else:
                    known.append(False)
        if "locator" in branch.attrib:
            known += [False for _ in branch.get("locator").split()]
        test = Test(known, numeric, uncertain, branch.get("match"))
        return test if numeric or uncertain else test.combined(known)

    # -- numbers, labels, dates --------------------------------------------------------------

    def number(self, element: etree._Element, context: Any) -> Any:
        if element.get("form", "numeric") != "numeric":
            raise Declined(f"<number form={element.get('form')!r}>")
        variable = element.get("variable")
        markup = _markup(element)
        if variable == "locator":
            return None
        # citeproc-py looks a <number>'s variable up as written: "number-of-pages" is never found.
        key = "page" if variable == "page-first" else variable
        if key not in self.variables:
            return None
        if key in NAMES or key in DATES:
            raise Declined(f"<number variable={variable!r}>")
        if variable.startswith("page"):
            return PageText(variable, False, self._range_delimiter(element), self._range_format(), csl_text.numeric, markup, False)
        return NumberText(variable, key, markup)

    def label(self, element: etree._Element, context: Any) -> Any:
        variable = element.get("variable")
        if variable == "locator":
            return None
        single, plural = self._label_terms(element, variable)
        plural_option = element.get("plural", "contextual")
        key = variable.replace("-", "_")
        if key not in self.variables:
            text = plural if plural_option == "always" else single
            return None if text is None else Fixed(text)
        if variable.startswith("number-of"):
            return None  # citeproc-py looks the count up on the citation item, and fails
        return Label(key, plural_option, single, plural)

    @staticmethod
    def _label_terms(element: etree._Element, name: str) -> tuple:
        """A label's singular and plural terms, with the label's markup."""
        form = element.get("form", "long")
        form = form if form != "long" else None
        markup = _markup(element)
        return markup.finish(element.get_single_term(name=name, form=form)), markup.finish(element.get_plural_term(name=name, form=form))

    def date(self, element: etree._Element, context: Any) -> Any:
        key = element.get("variable").replace("-", "_")
        if key not in self.variables:
            return None
        form = element.get("form")
        if form is None:
            parts = [(part, dict(part.attrib)) for part in element]
            term_context = None
        else:
            localised = element.get_date(form)
            if localised is None:
                raise Declined(f"no localised date {form!r}")
            shown = element.get("date-parts", "year-month-day").split("-")
            parts = [(part, {**part.attrib, **self._date_part_override(form, part.get("name"))}) for part in localised if part.get("name") in shown]
            term_context = element
        renderers = tuple(self._date_part(part, attributes, term_context) for part, attributes in parts if part.get("name") in ("year", "month", "day"))
        return DateText(key, renderers, element.get("delimiter", ""), element.get("prefix"), element.get("suffix"))

    def _date_part_override(self, form: str, name: str) -> dict:
        """The attributes citeproc-py copies onto a localised date's part from the style's
        date of that form, while rendering it. They stay on the locale's part afterwards, so
        when two dates of one form override a part differently, the text depends on which
        was rendered before: declined."""
        overrides = set()
        for date in self.root.iter(_CSL + "date"):
            if date.get("form") == form and not date.is_locale_date():
                own = date.find(f"{_CSL}date-part[@name='{name}']")
                overrides.add(frozenset(own.attrib.items()) if own is not None else frozenset())
        if len(overrides) > 1:
            raise Declined(f"<date form={form!r}>s override {name!r} differently")
        return dict(overrides.pop()) if overrides else {}

    def _date_part(self, part: etree._Element, attributes: dict, term_context: Any) -> DatePart:
        if _tag(part) != "date-part" or set(attributes) - _ATTRIBUTES["date-part"]:
            raise Declined(f"date part {attributes}")
        name = attributes["name"]
        terms_from = term_context if term_context is not None else part
        form = attributes.get("form", {"day": "numeric", "month": "long", "year": "long"}[name])
        allowed = {"year": ("long", "short"), "month": ("long", "short", "numeric", "numeric-leading-zeros"), "day": ("numeric", "numeric-leading-zeros")}
        if form not in allowed[name]:
            raise Declined(f"date-part {name} form={form!r}")
        terms: dict = {}
        if name == "year":
            terms = {"bc": terms_from.get_single_term(name="bc"), "ad": terms_from.get_single_term(name="ad")}
        elif name == "month" and form in ("long", "short"):
            term_form = "short" if form == "short" else None
            for kind, count in (("month", 12), ("season", 4)):
                for index in range(1, count + 1):
                    terms[(kind, index)] = terms_from.get_single_term(name=f"{kind}-{index:02}", form=term_form)
        return DatePart(name, form, terms, _markup(attributes))

    # -- names -------------------------------------------------------------------------------

    def names(self, element: etree._Element, context: Any, names_context: Any = None) -> Any:
        context = context if context is not None else element
        names_context = names_context if names_context is not None else element
        for child in element:
            if _tag(child) not in ("name", "et-al", "label", "substitute"):
                raise Declined(f"<{_tag(child)}> in <names>")
        roles = element.get("variable").split()
        if set(roles) == {"editor", "translator"} and {"editor", "translator"} <= self.variables:
            raise Declined("editor and translator")
        # citeproc-py tests each role as written: "collection-editor" is never found.
        present = [role for role in roles if role in self.variables]
        name = names_context.find(_CSL + "name")
        label = names_context.find(_CSL + "label")
        compiled_roles = []
        if present:
            if name is None:
                raise Declined("<names> without a <name>")
            names = self._name_list(name, context)
            for role in present:
                compiled_roles.append((role, names, None if label is None else self._names_label(label, role, names_context)))
        substitute = None
        if not present and element.find(_CSL + "substitute") is not None:
            substitute = self._substitute(element.find(_CSL + "substitute"), element, context)
        if not present and substitute is None:
            return None
        delimiter = element.get("delimiter", element.get_parent_delimiter(context))
        return Names(tuple(compiled_roles), substitute, delimiter, _markup(element))

    def _names_label(self, label: etree._Element, role: str, names_context: etree._Element) -> NamesLabel:
        _check(label)
        single, plural = self._label_terms(label, role)
        return NamesLabel(single, plural, label.get("plural", "contextual"), names_context.index(label) == 0)

    def _substitute(self, substitute: etree._Element, names: etree._Element, context: Any) -> Any:
        _check(substitute)
        children = []
        for child in substitute:
            if _tag(child) == "names" and child.find(_CSL + "name") is None:
                _check(child)
                renderer = self.names(child, context, names_context=names)
            else:
                renderer = self.node(child, context, "")
            if renderer is not None:
                represses = child.get("variable") if _tag(child) == "text" else None
                children.append((renderer, represses))
        return Substitute(tuple(children)) if children else None

    def _name_list(self, name: etree._Element, context: Any) -> NameList:
        _check(name)
        if name.find(_CSL + "name-part") is not None:
            raise Declined("<name-part>")

        def option(option_name: str) -> Any:
            return name.get_option(option_name, context)

        and_ = option("and")
        if and_ not in (None, "text", "symbol"):
            raise Declined(f"and={and_!r}")
        form = option("form")
        if form not in ("long", "short"):
            raise Declined(f"<name form={form!r}>")
        option("et-al-subsequent-min"), option("et-al-subsequent-use-first")  # read (and may fail) there too
        for et_al in name.itersiblings(_CSL + "et-al"):
            _check(et_al)  # Name.et_al renders the first one
            break
        initialize_with = option("initialize-with")
        et_al_min, et_al_use_first = option("et-al-min"), option("et-al-use-first")
        return NameList(
            and_term=None if and_ is None else (name.get_single_term(name="and") if and_ == "text" else "&"),
            delimiter=option("delimiter"),
            own_delimiter=name.get("delimiter"),
            precedes_et_al=option("delimiter-precedes-et-al"),
            precedes_last=option("delimiter-precedes-last"),
            et_al_min=et_al_min,
            et_al_use_first=et_al_use_first,
            et_al_last=option("et-al-use-last") and et_al_use_first <= et_al_min - 2,
            et_al=name.et_al(),
            initialize_with=initialize_with,
            hyphen=None if initialize_with is None else name.get_option("initialize-with-hyphen", context),
            sort_order=option("name-as-sort-order"),
            sort_separator=option("sort-separator"),
            form=form,
            demote=option("demote-non-dropping-particle"),
            markup=_markup(name),
        )
