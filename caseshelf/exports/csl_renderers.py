"""The renderers csl_compiler.py builds from a style: one small object per style element, each
doing for an entry what citeproc-py's element does, with every answer that depends only on the
style (options, locale terms, which variables the entry has) already found.

A renderer's `render(entry)` gives the element's text or None where citeproc-py gives None or
raises VariableError (no parent of an element tells those apart). Anything else that goes wrong
raises, and the caller then asks citeproc-py, which fails or succeeds in its own way.
"""

from __future__ import annotations

from typing import Any

from citeproc import model
from citeproc.source import DateRange, LiteralDate
from citeproc.string import String, join

from caseshelf.exports import csl_text


class Declined(Exception):
    """The compiled style cannot reproduce citeproc-py here: ask citeproc-py."""


class Entry:
    """One CSL item being rendered, and what rendering it has changed so far."""

    __slots__ = ("reference", "language", "repressed")

    def __init__(self, reference: Any, default_language: str):
        self.reference = reference
        """citeproc-py's Reference, parsed from the CSL-JSON item (values as its types)."""
        # Every <text> of citeproc-py reads the language this way, and fails as this does.
        self.language = reference["language"][:2] if "language" in reference else default_language
        """The two letters citeproc-py's text-case compares with "en"."""
        self.repressed: set[str] = set()
        """Variables a <substitute> rendered as a <text>: later <text>s of them print nothing."""


class Markup:
    """The steps citeproc-py takes on an element's own text: strip-periods, text-case,
    formatting, then quotes (a <text> only) and affixes."""

    __slots__ = ("strip", "case", "formatted", "quotes", "prefix", "suffix")

    def __init__(self, strip: bool, case: str | None, formatted: bool, quotes: tuple | None, prefix: str | None, suffix: str | None):
        self.strip, self.case, self.formatted, self.quotes = strip, case, formatted, quotes
        self.prefix, self.suffix = prefix, suffix

    def finish(self, text: Any, language: str | None = None) -> Any:
        """Text.markup (with the entry's language) and Number, Label, Date_Part.markup (with
        None): nothing for an empty text."""
        if not text:
            return None
        if self.strip:
            text = csl_text.strip_periods(text)
        text = csl_text.format_text(self.formatted, csl_text.text_case(self.case, text, language))
        if self.quotes is not None:
            open_quote, close_quote = self.quotes
            text = open_quote + text + close_quote
        return csl_text.wrap(self.prefix, self.suffix, text)

    def enclose(self, text: Any) -> Any:
        """Group, Names and Name.markup: formatting and affixes, nothing for an empty text."""
        if not text:
            return None
        return csl_text.wrap(self.prefix, self.suffix, csl_text.format_text(self.formatted, text))


class Fixed:
    """A text that is the same for every entry of the tree (a term, a value)."""

    __slots__ = ("text",)

    def __init__(self, text: Any):
        self.text = text

    def render(self, entry: Entry) -> Any:
        return self.text


class ByLanguage:
    """A term or value with text-case="title": title-cased for English entries only."""

    __slots__ = ("english", "other")

    def __init__(self, english: Any, other: Any):
        self.english, self.other = english, other

    def render(self, entry: Entry) -> Any:
        return self.english if entry.language == "en" else self.other


class VariableText:
    """<text variable="..."> of a variable the entry has."""

    __slots__ = ("variable", "key", "markup")

    def __init__(self, variable: str, key: str, markup: Markup):
        self.variable, self.key, self.markup = variable, key, markup

    def render(self, entry: Entry) -> Any:
        if self.variable in entry.repressed:
            return None
        return self.markup.finish(entry.reference[self.key], entry.language)


class PageText:
    """<text variable="page"> and <number variable="page-first">...: ranges by the locale."""

    __slots__ = ("variable", "repressible", "range_delimiter", "range_format", "number", "markup", "language")

    def __init__(self, variable: str, repressible: bool, range_delimiter: Any, range_format: str | None, number: Any, markup: Markup, language: bool):
        self.variable, self.repressible, self.markup, self.language = variable, repressible, markup, language
        self.range_delimiter, self.range_format, self.number = range_delimiter, range_format, number

    def render(self, entry: Entry) -> Any:
        if self.repressible and self.variable in entry.repressed:
            return None
        text = csl_text.page_numbers(entry.reference["page"], self.variable, self.range_delimiter, self.range_format, self.number)
        return self.markup.finish(text, entry.language if self.language else None)


class NumberText:
    """<number variable="..."> (form="numeric") of a variable the entry has."""

    __slots__ = ("variable", "key", "markup")

    def __init__(self, variable: str, key: str, markup: Markup):
        self.variable, self.key, self.markup = variable, key, markup

    def render(self, entry: Entry) -> Any:
        text = csl_text.page_numbers(entry.reference[self.key], self.variable, csl_text.EN_DASH, None, csl_text.numeric)
        return self.markup.finish(text)


class Sequence:
    """The children of a <macro>, <if> or <else>, joined by the delimiter they inherit
    (Parent.render_children); a <text macro> finishes the macro's text with its own markup."""

    __slots__ = ("children", "delimiter", "markup")

    def __init__(self, children: tuple, delimiter: str, markup: Markup | None = None):
        self.children, self.delimiter, self.markup = children, delimiter, markup

    def render(self, entry: Entry) -> Any:
        output = [text for text in (child.render(entry) for child in self.children) if text is not None]
        text = join(output, self.delimiter) if output else None
        if self.markup is None:
            return text
        return self.markup.finish(text, entry.language if self.markup.case == "title" else None)


class Group:
    """<group>: nothing when it calls variables and none of them rendered."""

    __slots__ = ("children", "calls_variable", "delimiter", "markup")

    def __init__(self, children: tuple, calls_variable: bool, delimiter: str, markup: Markup):
        self.children = children
        """(renderer, whether its element calls a variable) for each child that may render."""
        self.calls_variable, self.delimiter, self.markup = calls_variable, delimiter, markup

    def render(self, entry: Entry) -> Any:
        output, variable_rendered = [], False
        for child, calls_variable in self.children:
            text = child.render(entry)
            if text is not None:
                output.append(text)
                variable_rendered = variable_rendered or calls_variable
        if not output or (self.calls_variable and not variable_rendered):
            return None
        return self.markup.enclose(join(output, self.delimiter))


class Choose:
    """<choose> with branches that depend on the entry's values (is-numeric...): the first
    branch whose tests pass renders; a branch whose tests are known is `always` or dropped."""

    __slots__ = ("branches",)

    def __init__(self, branches: tuple):
        self.branches = branches
        """(test or None for always, renderer) in order."""

    def render(self, entry: Entry) -> Any:
        for test, renderer in self.branches:
            if test is None or test.passes(entry):
                return renderer.render(entry)
        return None


class Test:
    """The tests of an <if> that the entry's values decide, and the results known already,
    combined by its `match` as citeproc-py combines them (all of them, "any" or "none")."""

    __slots__ = ("known", "numeric", "uncertain", "match")

    def __init__(self, known: list[bool], numeric: list[str], uncertain: list[str], match: str | None):
        self.known, self.numeric, self.uncertain, self.match = known, numeric, uncertain, match

    def passes(self, entry: Entry) -> bool:
        reference = entry.reference
        results = list(self.known)
        results += [bool(model.If.re_numeric.match(str(reference[key]))) for key in self.numeric]
        results += [_is_circa(reference[key]) for key in self.uncertain]
        return self.combined(results)

    def combined(self, results: list[bool]) -> bool:
        if self.match == "any":
            return any(results)
        if self.match == "none":
            return not any(results)
        return all(results)


def _is_circa(date: Any) -> bool:
    try:
        return bool(date.get("circa", False))
    except AttributeError:  # not a date: citeproc-py's test says no
        return False


class Label:
    """A <label> outside <names>, for a variable the entry has: singular or plural term by
    its value ("1-3" is plural)."""

    __slots__ = ("key", "plural_option", "single", "plural")

    def __init__(self, key: str, plural_option: str, single: Any, plural: Any):
        self.key, self.plural_option, self.single, self.plural = key, plural_option, single, plural

    def render(self, entry: Entry) -> Any:
        many = model.Label.RE_MULTIPLE_NUMBERS.search(str(entry.reference[self.key])) is not None
        return _label_term(self.plural_option, many, self.single, self.plural)


def _label_term(plural_option: str, many: bool, single: Any, plural: Any) -> Any:
    """A label's plural term where its `plural` option asks for one ("contextual": when
    there are many), else its singular term."""
    return plural if plural_option == "always" or (plural_option == "contextual" and many) else single


class Substitute:
    """<substitute>: the first child that renders something; a <text variable> that does
    hides that variable from the entry's later <text>s."""

    __slots__ = ("children",)

    def __init__(self, children: tuple):
        self.children = children
        """(renderer, variable it represses or None) in order."""

    def render(self, entry: Entry) -> Any:
        text = None
        for child, represses in self.children:
            text = child.render(entry)
            if text:
                if represses is not None:
                    entry.repressed.add(represses)
                return text
        return text


class DateText:
    """<date> of a date variable the entry has: its parts joined by the style's <date>
    delimiter and within its affixes (citeproc-py applies no other formatting to a date)."""

    __slots__ = ("key", "parts", "delimiter", "prefix", "suffix")

    def __init__(self, key: str, parts: tuple, delimiter: str, prefix: str | None, suffix: str | None):
        self.key, self.parts, self.delimiter, self.prefix, self.suffix = key, parts, delimiter, prefix, suffix

    def render(self, entry: Entry) -> Any:
        date = entry.reference[self.key]
        if not date:
            return None
        if isinstance(date, LiteralDate):
            text = date.text
        elif isinstance(date, DateRange):
            raise Declined("a date range")
        else:
            output = [text for text in (part.render(date) for part in self.parts) if text is not None]
            text = join(output, self.delimiter) if output else None
        return None if text is None else csl_text.wrap(self.prefix, self.suffix, text)


class DatePart:
    """One <date-part> (with a localised date's attributes as the style overrides them)."""

    __slots__ = ("name", "form", "terms", "markup")

    def __init__(self, name: str, form: str, terms: dict, markup: Markup):
        self.name, self.form, self.terms, self.markup = name, form, terms, markup
        """`terms`: the month and season names, and the era suffixes, this part may print."""

    def render(self, date: Any) -> Any:
        text = getattr(self, "_" + self.name)(date)
        return None if text is None else self.markup.finish(text)

    def _year(self, date: Any) -> Any:
        year = date["year"]
        if self.form == "short":
            return str(year)[-2:]
        text = str(abs(year))
        if year < 0:
            return text + self.terms["bc"]
        if year < 1000:
            return text + self.terms["ad"]
        return text

    def _month(self, date: Any) -> Any:
        kind = "month" if "month" in date else "season" if "season" in date else None
        if kind is None:
            return None
        index = date[kind]
        if self.form in ("long", "short"):
            if (kind, index) not in self.terms:
                raise Declined(f"{kind} {index!r}")
            return self.terms[(kind, index)]
        if kind != "month":
            raise Declined("a numeric season")
        return f"{index}" if self.form == "numeric" else f"{index:02}"

    def _day(self, date: Any) -> Any:
        if "day" not in date:
            return None
        return date["day"] if self.form == "numeric" else f"{date['day']:02}"


class NamesLabel:
    """The <label> of a <names>, before the names when it is the first child, else after."""

    __slots__ = ("single", "plural", "plural_option", "first")

    def __init__(self, single: Any, plural: Any, plural_option: str, first: bool):
        self.single, self.plural, self.plural_option, self.first = single, plural, plural_option, first

    def render(self, many: bool) -> Any:
        return _label_term(self.plural_option, many, self.single, self.plural)


def fixed_string(text: str) -> String:
    """A <text value> or term as citeproc-py makes it (the plain formatter preformats nothing)."""
    return String(text)
