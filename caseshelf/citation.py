"""How articles are cited in plain text: author lists, the journal's volume/issue/pages line,
and the language note. Shared by pages and exports so they never disagree.
"""

from __future__ import annotations

import re
from functools import lru_cache

from caseshelf.markdown import plain_text
from caseshelf.model import Article, Author, Journal
from caseshelf.urls import doi_url

_NAME_PARTS = re.compile(r"(-?)\s*([^\W\d_])[^\s.\-]*")

#: Language notes as printed after a citation when the full text is not in the site's language.
LANGUAGE_NOTES = {
    "ru": "In Russ.", "en": "In Engl.", "de": "In Germ.", "fr": "In Fr.", "es": "In Span.",
    "it": "In Ital.", "pt": "In Port.", "zh": "In Chin.", "ja": "In Jpn.", "uk": "In Ukr.",
    "kk": "In Kazakh", "pl": "In Pol.", "tr": "In Turk.", "be": "In Belarus.", "cs": "In Czech",
    "no": "In Norw.", "nb": "In Norw.", "nn": "In Norw.",
}  # fmt: skip


@lru_cache(maxsize=4096)  # given names recur, and each article's authors are cited a dozen times
def initials(given_names: str) -> str:
    """`E. B.` or `Elena Borisovna` -> `E.B.`; hyphenated names keep the hyphen (`J.-G.`)."""
    return "".join(f"{hyphen}{letter}." for hyphen, letter in _NAME_PARTS.findall(given_names))


def short_name(author: Author) -> str:
    """`Machneva E.B.`, as reference lists and citations print authors."""
    if author.is_group or not author.given_names:
        return author.family_name
    return f"{author.family_name} {initials(author.given_names)}"


def author_list(article: Article) -> str:
    return ", ".join(short_name(author) for author in article.authors)


def source_line(article: Article) -> str:
    """`2025;12(4):89-96`: year, volume, issue and pages as medical journals print them."""
    text = str(article.year)
    if article.volume:
        text += f";{article.volume}"
        if article.issue:
            text += f"({article.issue})"
    if str(article.pages):
        text += f":{article.pages}"
    return text


def language_note(article: Article, journal: Journal) -> str:
    """`(In Russ.)` when the full text is in another language than the site; else empty."""
    if article.language.split("-")[0] == journal.language.split("-")[0]:
        return ""
    note = LANGUAGE_NOTES.get(article.language.split("-")[0], f"In {article.language}")
    return f"({note})"


def plain_citation(article: Article, journal: Journal) -> str:
    """The "For citation" text in the NLM/Vancouver pattern of the model page."""
    parts = [sentence(author_list(article)), sentence(plain_text(article.title)), sentence(journal.title), f"{source_line(article)}."]
    note = language_note(article, journal)
    if note:
        parts.append(note)
    parts.append(doi_url(article.doi))
    return " ".join(parts)


def sentence(text: str) -> str:
    """Ends the text with one full stop: `Varfolomeeva S.R.` already has it (no `S.R..`)."""
    return text if text.endswith((".", "?", "!")) else f"{text}."
