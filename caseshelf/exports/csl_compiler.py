"""The compiler of csl_compiled: a style tree kept for one kind of entry, walked into renderers.

`Compiler` walks the <layout> of a tree citation_style keeps for one item type and one set of
variables, element by element, and gives each the renderer of csl_renderers (of
csl_name_renderers for <names>) that does for an entry what citeproc-py's element does:
options, terms, the branches taken and the variables each element renders are found here, once. Whatever it has not been written for raises
Declined (what it accepts of each element: csl_elements); a part whose text is the same for
every entry is rendered now (`_folded`).
"""

from __future__ import annotations

from typing import Any

from citeproc import DATES, NAMES
from lxml import etree

from caseshelf.exports import csl_text
from caseshelf.exports.csl_elements import ATTRIBUTES, CSL, checked_tag, csl_tag, is_true, markup_of
from caseshelf.exports.csl_name_renderers import NameList, Names
from caseshelf.exports.csl_renderers import (
    ByLanguage, Choose, DatePart, DateText, Declined, Fixed, Group, Label, Markup, NamesLabel,
    NumberText, PageText, Sequence, Substitute, Test, VariableText, fixed_string,
)  # fmt: skip

#: How deep macros may call macros before the compiler gives up (citeproc-py would recurse).
_MAX_DEPTH = 40

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


class Compiler:
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
        tag = checked_tag(element)
        if tag == "choose":
            return _folded(self.choose(element, context, delimiter))
        method = {"text": self.text, "group": self.group, "names": self.names, "date": self.date, "number": self.number, "label": self.label}.get(tag)
        if method is None:
            raise Declined(f"<{tag}> here")
        return _folded(method(element, context))

    # -- text -------------------------------------------------------------------------------

    def text(self, element: etree._Element, context: Any) -> Any:
        quotes = self._quotes(element) if "quotes" in element.attrib else None
        markup = markup_of(element, quotes)
        if "variable" in element.attrib:
            return self._text_variable(element, markup)
        if "macro" in element.attrib:
            return self._macro(element, context if context is not None else element, markup)
        if "term" in element.attrib:
            form = element.get("form", "long")
            lookup = element.get_plural_term if is_true(element, "plural") else element.get_single_term
            return self._fixed(lookup(name=element.get("term"), form=form if form != "long" else None), markup)
        if "value" in element.attrib:
            return self._fixed(fixed_string(element.get("value")), markup)
        raise Declined("<text> of nothing")

    def _quotes(self, element: etree._Element) -> tuple | None:
        element.get_locale_option("punctuation-in-quote").lower()  # citeproc-py reads it (and may fail)
        if not is_true(element, "quotes"):
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
        checked_tag(macro)
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
        return Group(tuple(children), calls_variable, delimiter, markup_of(element))

    def choose(self, element: etree._Element, context: Any, delimiter: str) -> Any:
        branches = []
        for branch in element:
            tag = checked_tag(branch)
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
        markup = markup_of(element)
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
        markup = markup_of(element)
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
        for date in self.root.iter(CSL + "date"):
            if date.get("form") == form and not date.is_locale_date():
                own = date.find(f"{CSL}date-part[@name='{name}']")
                overrides.add(frozenset(own.attrib.items()) if own is not None else frozenset())
        if len(overrides) > 1:
            raise Declined(f"<date form={form!r}>s override {name!r} differently")
        return dict(overrides.pop()) if overrides else {}

    def _date_part(self, part: etree._Element, attributes: dict, term_context: Any) -> DatePart:
        if csl_tag(part) != "date-part" or set(attributes) - ATTRIBUTES["date-part"]:
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
        return DatePart(name, form, terms, markup_of(attributes))

    # -- names -------------------------------------------------------------------------------

    def names(self, element: etree._Element, context: Any, names_context: Any = None) -> Any:
        context = context if context is not None else element
        names_context = names_context if names_context is not None else element
        for child in element:
            if csl_tag(child) not in ("name", "et-al", "label", "substitute"):
                raise Declined(f"<{csl_tag(child)}> in <names>")
        roles = element.get("variable").split()
        if set(roles) == {"editor", "translator"} and {"editor", "translator"} <= self.variables:
            raise Declined("editor and translator")
        # citeproc-py tests each role as written: "collection-editor" is never found.
        present = [role for role in roles if role in self.variables]
        name = names_context.find(CSL + "name")
        label = names_context.find(CSL + "label")
        compiled_roles = []
        if present:
            if name is None:
                raise Declined("<names> without a <name>")
            names = self._name_list(name, context)
            for role in present:
                compiled_roles.append((role, names, None if label is None else self._names_label(label, role, names_context)))
        substitute = None
        if not present and element.find(CSL + "substitute") is not None:
            substitute = self._substitute(element.find(CSL + "substitute"), element, context)
        if not present and substitute is None:
            return None
        delimiter = element.get("delimiter", element.get_parent_delimiter(context))
        return Names(tuple(compiled_roles), substitute, delimiter, markup_of(element))

    def _names_label(self, label: etree._Element, role: str, names_context: etree._Element) -> NamesLabel:
        checked_tag(label)
        single, plural = self._label_terms(label, role)
        return NamesLabel(single, plural, label.get("plural", "contextual"), names_context.index(label) == 0)

    def _substitute(self, substitute: etree._Element, names: etree._Element, context: Any) -> Any:
        checked_tag(substitute)
        children = []
        for child in substitute:
            if csl_tag(child) == "names" and child.find(CSL + "name") is None:
                checked_tag(child)
                renderer = self.names(child, context, names_context=names)
            else:
                renderer = self.node(child, context, "")
            if renderer is not None:
                represses = child.get("variable") if csl_tag(child) == "text" else None
                children.append((renderer, represses))
        return Substitute(tuple(children)) if children else None

    def _name_list(self, name: etree._Element, context: Any) -> NameList:
        checked_tag(name)
        if name.find(CSL + "name-part") is not None:
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
        for et_al in name.itersiblings(CSL + "et-al"):
            checked_tag(et_al)  # Name.et_al renders the first one
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
            markup=markup_of(name),
        )
