"""citeproc-py's text operations, for the compiled renderers of csl_compiled.py.

Each function here does what one citeproc-py method does to a string (model.py: text-case,
affixes, page ranges, initials), with the same steps on the same string types (citeproc.string:
String, NoCase, MixedString and plain str), because the types decide the result: adding two of
citeproc's strings drops a doubled space or punctuation mark at the seam (normalize_seam), while
adding two plain str does not. So the joins and seams are citeproc-py's own functions, and the
steps around them keep citeproc-py's order. Written from a reading of citeproc-py's model.py
at the version pinned by this project; csl_compiled's differential test holds them to it.
"""

from __future__ import annotations

import re
from typing import Any

from citeproc import model
from citeproc.string import MixedString, NoCase, String, join, normalize_seam

#: The string types whose affix-less wrapping gives them back as they are (see `wrap`).
_PLAIN_STRINGS = (str, String, NoCase, MixedString)
#: Formatting attribute -> the values that leave the text alone; the others make it a plain
#: str (the plain formatter's Italic, Bold... are `str`).
FORMATTING_NEUTRAL = {
    "font-style": "normal", "font-variant": "normal", "font-weight": "normal",
    "text-decoration": "none", "vertical-align": "baseline",
}  # fmt: skip
#: Formatting attribute -> every value citeproc-py knows (any other fails in citeproc-py).
FORMATTING_VALUES = {
    "font-style": ("normal", "italic", "oblique"), "font-variant": ("normal", "small-caps"),
    "font-weight": ("normal", "bold", "light"), "text-decoration": ("none", "underline"),
    "vertical-align": ("baseline", "sup", "sub"),
}  # fmt: skip
TEXT_CASES = ("lowercase", "uppercase", "capitalize-first", "capitalize-all", "title", "sentence")
EN_DASH = "\N{EN DASH}"
_PLAIN_NUMBER = re.compile("[0-9]+")


def wrap(prefix: str | None, suffix: str | None, text: Any) -> Any:
    """Affixed.wrap (as citeproc_speed patches it: without affixes, the text as it was)."""
    if prefix is None and suffix is None and type(text) in _PLAIN_STRINGS:
        return text
    if text is None:
        return None
    prefix, suffix = prefix or "", suffix or ""
    text = prefix + normalize_seam(prefix, text)
    return text + normalize_seam(text, suffix)


def format_text(formatted: bool, text: Any) -> Any:
    """Formatted.format with the plain formatter: numbers become str, and so does any text
    given a font style, weight... (each a `str` call there)."""
    if isinstance(text, (int, float)) or formatted:
        return str(text)
    return text


def strip_periods(text: Any) -> Any:
    return text.replace(".", "")


def text_case(case: str | None, text: Any, language: str | None) -> Any:
    """TextCased.case: `language` is the entry's two-letter language for a <text>, None for the
    other elements (so they never title-case)."""
    if case is None or (case == "title" and language != "en"):
        return text
    if case == "lowercase":
        return text.lower()
    if case == "uppercase":
        return text.upper()
    if case == "capitalize-first":
        return text.capitalize_first()
    if case == "capitalize-all":
        return " ".join(word.capitalize_first() for word in text.words())
    if case == "title":
        return _title_case(text)
    if case == "sentence":
        return _sentence_case(text)
    return text  # a value citeproc-py does not know leaves the text alone


def _title_case(text: Any) -> str:
    words, previous_end = [], ":"  # the first word is capitalised as after a colon
    for word in text.words():
        if word.islower() and (str(word) not in model.TextCased._stop_words or previous_end in (":", ".")):
            word = word.capitalize_first()
        elif word.islower():
            word = word.soft_lower()
        previous_end = word[-1]
        words.append(word)
    return " ".join(words)


def _sentence_case(text: Any) -> str:
    words = []
    for position, word in enumerate(text.words()):
        if not text.isupper() and not word.isupper():
            word = word.soft_lower()
        if position == 0:
            word = word.capitalize_first()
        words.append(word)
    return " ".join(words)


def page_numbers(value: Any, variable: str, range_delimiter: Any, range_format: str | None, number: Any) -> Any:
    """FormatNumber._process: each range of a "1-3, 5 & 7" list with its last number shortened
    by the page-range format (for `page`) and the locale's delimiter. `number` formats one
    number (str for a <text>, Number.format_number for a <number>)."""

    def one(item: str) -> Any:
        ends = item.replace(EN_DASH, "-").split("-")
        if len(ends) != 2:
            return number(item.strip())
        first = number(ends[0].strip())
        if variable == "page-first":
            return first
        last = ends[1].strip()
        last = number(last_page(first, last, range_format) if variable == "page" else last)
        return join((first, last), range_delimiter)

    groups = [join([one(item) for item in group.split("&")], " & ") for group in str(value).split(",")]
    return join(groups, ", ")


def is_range_of_numbers(first: str, last: str) -> bool:
    """Whether a page range's ends are both plain numbers, the only ranges a style's
    page-range-format shortens here: the supplement's `S12-S15` kept its letter only on the
    first page in citeproc-py (`S12–5`, as if it ended on page 5), front matter's `iii-iv`
    became another range (`iii–v`), and `e123-e130` lost its `e` (see
    citation_style.shorten_only_ranges_of_numbers)."""
    return _PLAIN_NUMBER.fullmatch(first) is not None and _PLAIN_NUMBER.fullmatch(last) is not None


def last_page(first: str, last: str, range_format: str | None) -> str:
    """FormatNumber._format_last_page, with any range but one of two numbers printed whole
    (see `is_range_of_numbers`)."""
    if not is_range_of_numbers(first, last):
        return last
    common = _common_length(first, last)
    if range_format in ("chicago", "chicago-15", "chicago-16"):
        digits = re.search(r"\d+", first)
        if not digits:
            return last
        first_number = int(digits.group())
        if first_number < 100 or first_number % 100 == 0:
            range_format = "expanded"
        elif len(first) >= 4 and common < 2:
            range_format = "expanded"
        elif first_number % 100 in range(1, 10):
            range_format = "minimal"
        elif first_number % 100 in range(10, 100):
            range_format = "minimal-two"
    if range_format == "minimal":
        return last[common:]
    if range_format == "minimal-two":
        return last[min(common, len(first) - 2) :]
    return last


def _common_length(first: str, last: str) -> int:
    """citeproc-py's count of leading characters two numbers share; 1 when either is empty."""
    for index, (left, right) in enumerate(zip(first, last)):
        if left != right:
            return index
    return min(len(first), len(last)) or 1


def numeric(text: str) -> Any:
    """Number.format_number for form="numeric": "05" prints as 5, a non-number as it is."""
    try:
        return str(int(text))
    except ValueError:
        return text


def initials(given: str, mark: str, hyphen: bool) -> str:
    """Name.initialize: each capitalised word of the given names as its initial and `mark`;
    lower-case words (particles, and scripts without case) are kept whole."""
    parts = given.split("-") if hyphen else [given.replace("-", " ")]
    return "-".join(_initials_of_part(part, mark) for part in parts)


def _initials_of_part(part: str, mark: str) -> str:
    text, group = "", []
    for word in part.replace(".", " ").split():
        if word[0].isupper():
            group.append(word[0])
        else:
            text += mark.join(group) + mark + " " + word + " "
            group = []
    text += mark.join(group) + mark
    return " ".join(text.split())
