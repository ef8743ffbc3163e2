"""Citation files reference managers import: BibTeX, RIS, CSL-JSON, and the "For citation" line
of the article page.

BibTeX and RIS are written here line by line, as bibtexparser's and rispy's writers write them
(tests compare both): the libraries built a database or a tag map per file and went through a
format() call per line, most of what the two files cost, to put each value between a tag and a
line break. Their escaping is ours anyway (`_tex`, `_one_line`).
"""

from __future__ import annotations

import re

from caseshelf.citation import language_note
from caseshelf.exports import paths
from caseshelf.exports.citation_style import format_citation
from caseshelf.exports.csl import citation_item, csl_entry
from caseshelf.exports.text import abstract_line, title_text
from caseshelf.identity import slug_of
from caseshelf.licenses import LICENSES
from caseshelf.model import Article, Author, Journal
from caseshelf.urls import doi_url

# Characters TeX treats as commands; in a BibTeX value they must be escaped to reach the
# reader as text (a title with "50% & more" would otherwise break LaTeX, an unbalanced
# brace would break the .bib file itself).
_TEX_SPECIALS = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "#": r"\#",
    "_": r"\_", "$": r"\$", "^": r"\^{}", "~": r"\~{}",
}  # fmt: skip
_TEX_SPECIAL = re.compile("|".join(re.escape(char) for char in _TEX_SPECIALS))
#: BibTeX's month macros, in month order. Classic styles print a month written `{2}` as "2";
#: the macro, written bare (`month = feb`), is what BibTeX, biblatex, JabRef, Zotero and
#: bibtexparser all read as the month.
_MONTH_MACROS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
#: Fields whose value is a macro name, written without braces (braced, it is text).
_MACRO_FIELDS = frozenset({"month"})


def for_citation(article: Article, journal: Journal) -> str:
    """The page's "For citation" line: the CSL style's citation, the language note, the DOI link."""
    text = _elocation_as_written(format_citation(citation_item(article, journal), journal.citation_style), article)
    return " ".join(part for part in (text, language_note(article, journal), doi_url(article.doi)) if part)


def _elocation_as_written(text: str, article: Article) -> str:
    """CSL has no e-location variable, so it is cited as the page, and a processor prints the
    hyphen of a page range as an en dash: `e01197-23` came out `e01197–23`, an article number
    nobody finds. It is put back as the record writes it."""
    elocation = article.pages.elocation_id
    if not elocation or "-" not in elocation:
        return text
    return text.replace(elocation.replace("-", "\u2013"), elocation)


def render_csl_json(article: Article, journal: Journal) -> bytes:
    """citation.json: a CSL-JSON array with the one article, as Zotero and Mendeley import it
    (what `dump_json([csl_item(article, journal)])` writes)."""
    return b"[\n" + csl_entry(article, journal) + b"\n]\n"


def render_bibtex(article: Article, journal: Journal) -> bytes:
    """citation.bib: one @article entry, a field a line, each value in braces."""
    fields = [
        f"  {name} = {value}" if name in _MACRO_FIELDS else f"  {name} = {{{value}}}"
        for name, value in _bibtex_fields(article, journal).items()
        if value
    ]
    return (",\n".join([f"@article{{{citation_key(article)}", *fields]) + "\n}\n").encode("utf-8")


def citation_key(article: Article) -> str:
    """`machneva2025problems`: first author, year, first title word, ASCII only."""
    first = article.authors[0].family_name if article.authors else "anonymous"
    words = [word for word in slug_of(title_text(article.title)).split("-") if len(word) > 3]
    return slug_of(first, separator="") + str(article.year) + (words[0] if words else "")


def _bibtex_fields(article: Article, journal: Journal) -> dict[str, str]:
    """Field name -> BibTeX value, in the order the file lists them; the file leaves out empty ones."""
    return {
        "author": " and ".join(_bibtex_name(author) for author in article.authors),
        "title": _cased(_tex(title_text(article.title))),
        "journal": _tex(journal.title),
        "year": str(article.year),
        "month": _bibtex_month(article),
        "volume": _tex(article.volume or ""),
        "number": _tex(article.issue or ""),
        "pages": _tex(_bibtex_pages(article)),
        "doi": _verbatim(article.doi),
        "url": paths.article_url(journal, article),
        "issn": ", ".join(issn for issn in (journal.issn_print, journal.issn_online) if issn),
        "publisher": _tex(journal.publisher),
        "language": article.language,
        "keywords": _bibtex_keywords(article.keywords),
        "abstract": _tex(abstract_line(article.abstract)),
        "copyright": _tex(LICENSES[article.license].name),
    }


def _bibtex_month(article: Article) -> str:
    """The month of the date the article is cited by: not that of an online date in the year
    before its volume's, which would make December 2024 in the 2025 volume December 2025."""
    date = article.cited_date
    return _MONTH_MACROS[date.month - 1] if date else ""


def _bibtex_name(author: Author) -> str:
    """`Machneva, E. B.`; a group author in braces, so BibTeX does not split it into names.
    Given names written with a suffix (`King, Martin Luther, Jr.`, the RIS and Scholar order)
    become BibTeX's `King, Jr., Martin Luther`: BibTeX reads a second comma as `Last, Jr, First`."""
    if author.is_group or not author.given_names:
        return "{" + _tex(author.family_name) + "}"
    family = _one_bibtex_part(author.family_name)
    if "," in author.given_names:  # rare: tested before splitting, which every name would pay for
        given, _, suffix = author.given_names.rpartition(",")
        if given.strip() and suffix.strip():
            return f"{family}, {_one_bibtex_part(suffix.strip())}, {_one_bibtex_part(given.strip())}"
        return f"{family}, {_one_bibtex_part(author.given_names)}"
    return f"{family}, {_tex(author.given_names)}"


def _one_bibtex_part(text: str) -> str:
    """A part of a name, braced when a comma or an `and` in it would split it."""
    part = _tex(text)
    if "," in part or " and " in f" {part.lower()} ":
        return "{" + part + "}"
    return part


def _bibtex_keywords(keywords: tuple[str, ...]) -> str:
    """biblatex's comma-separated `keywords` list. A keyword with a comma in it (MeSH's
    `Leukemia, Myeloid, Acute`) is braced, which keeps it one item of the list instead of three."""
    joined = ", ".join(keywords)
    if joined.count(",") == len(keywords) - 1:  # no comma inside a keyword: nearly every record
        return _tex(joined)
    return ", ".join("{" + _tex(keyword) + "}" if "," in keyword else _tex(keyword) for keyword in keywords)


def _bibtex_pages(article: Article) -> str:
    pages = article.pages
    if pages.elocation_id:
        return pages.elocation_id
    if pages.first and pages.last and pages.last != pages.first:
        return f"{pages.first}--{pages.last}"
    return pages.first or ""


def _tex(text: str) -> str:
    return _TEX_SPECIAL.sub(lambda match: _TEX_SPECIALS[match.group()], text)


def _cased(title: str) -> str:
    """The title with each word that has a capital after its first letter (B-ALL, MLL, GATA1,
    mRNA) in braces: bibliography styles lowercase titles, and BibTeX keeps braced letters."""
    if not _capital_inside(title):  # most titles: a capital at the start, if anywhere
        return title
    return " ".join("{" + word + "}" if _capital_inside(word) else word for word in title.split(" "))


def _capital_inside(text: str) -> bool:
    rest = text[1:]
    return rest != rest.lower()


def _verbatim(text: str) -> str:
    """A value biblatex and the `doi`/`url` packages read as it is written (a DOI): TeX escapes
    would reach the reader as backslashes. Braces and backslashes, which would unbalance or
    end the entry, are escaped all the same."""
    return _tex(text) if "{" in text or "}" in text or "\\" in text else text


def render_ris(article: Article, journal: Journal) -> bytes:
    """citation.ris: `TY` first (rispy's own writer put a "1." line before it, which other
    readers refuse), a line per value, `ER` last."""
    lines = ["TY  - JOUR"]
    for tag, value in _ris_fields(article, journal).items():
        if value:
            lines += [f"{tag}  - {_one_line(item)}" for item in (value if isinstance(value, list) else [value])]
    # The abstract, last, is on one line already (and shared with BibTeX and <head>): splitting
    # it into words again took a third of the file's time.
    abstract = abstract_line(article.abstract)
    if abstract:
        lines.append(f"AB  - {abstract}")
    return "\n".join([*lines, "ER  - ", ""]).encode("utf-8")


def _ris_fields(article: Article, journal: Journal) -> dict[str, str | list[str]]:
    """RIS tag -> value, in the order the file lists them (the abstract follows); a list is a
    line per item."""
    pages = article.pages
    date = article.published
    return {
        "TI": title_text(article.title),
        "AU": [_ris_name(author) for author in article.authors],
        "T2": journal.title,  # secondary title: the journal
        "JF": journal.title,  # journal, full name
        "J2": journal.abbreviation,
        "PY": str(article.year),
        "DA": f"{date.year}/{date.month:02d}/{date.day:02d}" if date else "",
        "VL": article.volume or "",
        "IS": article.issue or "",
        "SP": pages.first or pages.elocation_id or "",
        "EP": pages.last if pages.last and pages.last != pages.first else "",
        "DO": article.doi,
        "UR": [paths.article_url(journal, article)],
        "SN": journal.issn_online or journal.issn_print or "",
        "PB": journal.publisher,
        "LA": article.language,
        "KW": list(article.keywords),
    }


def _ris_name(author: Author) -> str:
    if author.is_group or not author.given_names:
        return author.family_name
    return f"{author.family_name}, {author.given_names}"


def _one_line(text: str) -> str:
    """RIS is line-based: a line break inside a value would start a bogus tag."""
    return " ".join(text.split())
