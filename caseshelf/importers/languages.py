"""Which language version of a title, abstract, keyword list, affiliation or name a record gets.

A record's title, abstract and keywords are written in the site's language (journal.yaml
`language`), whatever the language of the full text (the record's `language:`), see
docs/record-format.md. Journals published in two languages give both: a Russian article in JATS
has its Russian title and an English `<trans-title-group>`, a Russian abstract and an English
`<trans-abstract>`. The importers take the version in the site's language when the source has
one; otherwise the article's own, and say so in a note.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import TypeVar

from caseshelf.exports.languages import primary_subtag

T = TypeVar("T")

#: A version of one field: (its language tag, or None when the source does not say; the value).
Version = tuple[str | None, T]


def is_same_language(tag: str | None, other: str | None) -> bool:
    """`en` is `en-GB` and `EN`: records and sites name languages, not regional variants."""
    if not tag or not other:
        return False
    return primary_subtag(tag) == primary_subtag(other)


#: The script of each language a site may be written in whose script is not the Latin alphabet,
#: as Unicode's character names begin (CYRILLIC CAPITAL LETTER A, CJK UNIFIED IDEOGRAPH-4E2D).
_SCRIPTS = {
    **dict.fromkeys(("ru", "uk", "be", "bg", "mk", "sr", "kk", "ky", "tg", "mn"), ("CYRILLIC",)),
    "el": ("GREEK",), "hy": ("ARMENIAN",), "ka": ("GEORGIAN",), "he": ("HEBREW",),
    **dict.fromkeys(("ar", "fa", "ur"), ("ARABIC",)),
    "zh": ("CJK",), "ja": ("CJK", "HIRAGANA", "KATAKANA"), "ko": ("HANGUL", "CJK"),
    "hi": ("DEVANAGARI",), "th": ("THAI",),
}
#: BCP 47's script subtags (`sr-Latn`, `zh-Hant`), which say the script whatever the language's usual one.
_SCRIPT_SUBTAGS = {
    "latn": ("LATIN",), "cyrl": ("CYRILLIC",), "grek": ("GREEK",), "arab": ("ARABIC",), "hebr": ("HEBREW",),
    "hans": ("CJK",), "hant": ("CJK",), "jpan": ("CJK", "HIRAGANA", "KATAKANA"), "kore": ("HANGUL", "CJK"),
}  # fmt: skip


def is_in_script_of(text: str, language: str) -> bool:
    """True when every letter of `text` is of the script `language` is written in (Cyrillic
    for `ru`, Latin letters for `sr-Latn`; the Latin alphabet for any language not listed in
    `_SCRIPTS`). A name the source gives in two scripts without saying which language each is
    in is told apart this way."""
    subtags = language.lower().split("-")
    scripts = next((_SCRIPT_SUBTAGS[tag] for tag in subtags[1:] if tag in _SCRIPT_SUBTAGS), None) or _SCRIPTS.get(subtags[0], ("LATIN",))
    # Modifier letters (Lm) belong to no one script: Ukrainian's apostrophe (Пʼятниця, U+02BC)
    # is one, and so is the Hawaiian ʻokina of a name in Latin letters.
    letters = [character for character in text if character.isalpha() and unicodedata.category(character) != "Lm"]
    return bool(letters) and all(unicodedata.name(letter, "").startswith(scripts) for letter in letters)


class LanguageChoice:
    """Picks, field by field, the versions an article's record gets, and remembers the fields
    that had none in the site's language (for the import's note)."""

    def __init__(self, site_language: str, article_language: str | None):
        self.site_language = site_language
        self.article_language = article_language
        self._fallbacks: dict[str, str] = {}
        """Field name -> the language it was taken in, when that is not the site's."""

    def one(self, field: str, versions: Iterable[Version[T]]) -> T | None:
        """The value of the best version (see `all_of`), or None when there is none."""
        chosen = self.all_of(field, versions)
        return chosen[0] if chosen else None

    def all_of(self, field: str, versions: Iterable[Version[T]]) -> list[T]:
        """The values of every version in the best language: the site's; else an untagged
        version's, which may be the site's (a Crossref `<title>` beside its
        `<original_language_title>`); else the article's; else the first version's."""
        versions = list(versions)
        if not versions:
            return []
        for is_wanted in (self._is_site_language, _is_untagged, self._is_article_language):
            chosen = [(language, value) for language, value in versions if is_wanted(language)]
            if chosen:
                break
        else:
            first_language = versions[0][0]
            chosen = [(language, value) for language, value in versions if is_same_language(language, first_language)]
        taken_in = chosen[0][0]
        if taken_in is not None and not self._is_site_language(taken_in):
            self._fallbacks[field] = taken_in
        return [value for _, value in chosen]

    def notes(self) -> tuple[str, ...]:
        """A note per language fields were taken in instead of the site's."""
        fields_by_language: dict[str, list[str]] = {}
        for field, language in self._fallbacks.items():
            fields_by_language.setdefault(language, []).append(field)
        return tuple(
            f"{_listed(fields)}: the source has none in the site's language ({self.site_language}), imported in {language}"
            for language, fields in fields_by_language.items()
        )

    def _is_site_language(self, language: str | None) -> bool:
        return is_same_language(language, self.site_language)

    def _is_article_language(self, language: str | None) -> bool:
        return is_same_language(language, self.article_language)


def _is_untagged(language: str | None) -> bool:
    return language is None


def _listed(fields: list[str]) -> str:
    return fields[0] if len(fields) == 1 else f"{', '.join(fields[:-1])} and {fields[-1]}"
