"""Language codes as other formats want them: records hold BCP 47 tags (`en`, `pt-BR`); DOAJ
wants ISO 639-2/B (`eng`, `ger`), Crossref ISO 639-1 (`en`)."""

from __future__ import annotations

from functools import lru_cache

import pycountry


def primary_subtag(tag: str) -> str:
    """`pt-BR` -> `pt`."""
    return tag.split("-")[0].lower()


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
