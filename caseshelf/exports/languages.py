"""Language codes as other formats want them: records hold BCP 47 tags (`en`, `pt-BR`); DOAJ
wants ISO 639-2/B (`eng`, `ger`), Crossref ISO 639-1 (`en`)."""

from __future__ import annotations

from functools import lru_cache

import pycountry

from caseshelf.model import Article, Journal


def primary_subtag(tag: str) -> str:
    """`pt-BR` -> `pt`."""
    return tag.split("-")[0].lower()


def text_language_if_other(article: Article, journal: Journal) -> str | None:
    """The language of a record's own text (title, abstract, keywords) when the full text is
    in another: a record is written in the site's language (docs/record-format.md), and
    `article.language` is the full text's. None when the two are the same language."""
    if primary_subtag(article.language) == primary_subtag(journal.language):
        return None
    return journal.language


@lru_cache(maxsize=256)
def iso639_2b(tag: str) -> str | None:
    """The bibliographic ISO 639-2 code (`de` -> `ger`, `ru` -> `rus`); None if unknown."""
    code = primary_subtag(tag)
    language = pycountry.languages.get(alpha_2=code) if len(code) == 2 else pycountry.languages.get(alpha_3=code)
    if language is None:
        return None
    return getattr(language, "bibliographic", None) or language.alpha_3


@lru_cache(maxsize=256)
def iso639_1(tag: str) -> str | None:
    """The two-letter code, for formats that accept nothing else; None if there is none."""
    code = primary_subtag(tag)
    if len(code) == 2:
        return code if pycountry.languages.get(alpha_2=code) else None
    language = pycountry.languages.get(alpha_3=code)
    return getattr(language, "alpha_2", None) if language else None
