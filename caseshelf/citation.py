"""How articles are cited in plain text: author lists, the journal's volume/issue/pages line,
the language note, and whether a reference's text writes its DOI. Shared by pages and exports
so they never disagree.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from caseshelf.markdown import plain_text
from caseshelf.model import Article, Author, Journal, Reference
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


def doi_in_text(reference: Reference) -> tuple[int, int] | None:
    """Where the reference's text writes its own DOI (start, end), in any letter case as DOIs
    are compared, or None. The page links the DOI there and the meta tags and JATS leave it in
    the text; when None, each adds the DOI after the text. One function decides it so that a
    page and what indexers read never disagree. Only where the DOI is not the start of a
    longer one (`10.1/ab` in `10.1/abc`): a DOI's own characters may follow a DOI, not end it."""
    text, doi = reference.text, reference.doi
    if not doi or doi[: doi.find("/") + 1] not in text:  # `10.1002/`, no letters: most texts name no DOI
        return None
    return next((place for place in _places_written(text, doi) if not _continues_doi(text, place[1])), None)


def writes_its_doi(reference: Reference) -> bool:
    return doi_in_text(reference) is not None


def _places_written(text: str, doi: str) -> Iterator[tuple[int, int]]:
    """Where `text` has `doi`: as the record writes it first, with a plain search, as most
    references do (a regular expression per reference costs 200 times as much); then in any
    letter case. The expression matches letter by letter, so its places are the text's own,
    where `casefold()` may change the length before them (`ß` -> `ss`)."""
    start = text.find(doi)
    while start >= 0:
        yield start, start + len(doi)
        start = text.find(doi, start + 1)
    for match in re.finditer(re.escape(doi), text, re.IGNORECASE):
        yield match.span()


def _continues_doi(text: str, end: int) -> bool:
    """Whether a longer DOI goes on at `end`: a DOI's own characters (`10.1/ab` in
    `10.1/abc`), or a '.', ';' or ':' before more of them (`10.1/ab` in `10.1/ab.c`). A '.'
    followed by a space or nothing ends the sentence, not the DOI."""
    following = text[end:end + 2]
    if not following:
        return False
    if following[0].isalnum() or following[0] in "-_/":
        return True
    return following[0] in ".;:" and len(following) == 2 and following[1].isalnum()
