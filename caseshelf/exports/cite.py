"""Citation files reference managers import: BibTeX (bibtexparser), RIS (rispy), CSL-JSON, and
the "For citation" line of the article page."""

from __future__ import annotations

import json
import re
from json.encoder import encode_basestring
from typing import Any

import bibtexparser
import rispy
from bibtexparser.bibdatabase import BibDatabase
from bibtexparser.bwriter import BibTexWriter
from slugify import slugify

from caseshelf.citation import language_note
from caseshelf.exports import paths
from caseshelf.exports.citation_style import format_citation
from caseshelf.exports.csl import citation_item, csl_item
from caseshelf.exports.text import abstract_line, abstract_text, title_text
from caseshelf.licenses import LICENSES
from caseshelf.model import Article, Author, Journal

# Characters TeX treats as commands; in a BibTeX value they must be escaped to reach the
# reader as text (a title with "50% & more" would otherwise break LaTeX, an unbalanced
# brace would break the .bib file itself).
_TEX_SPECIALS = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "#": r"\#",
    "_": r"\_", "$": r"\$", "^": r"\^{}", "~": r"\~{}",
}  # fmt: skip
_TEX_SPECIAL = re.compile("|".join(re.escape(char) for char in _TEX_SPECIALS))
_BIBTEX_WRITER = BibTexWriter()
_BIBTEX_WRITER.indent = "  "
_BIBTEX_WRITER.order_entries_by = None
_BIBTEX_WRITER.display_order = [
    "author", "title", "journal", "year", "month", "volume", "number", "pages", "doi", "url",
    "issn", "publisher", "language", "keywords", "abstract", "copyright",
]  # fmt: skip


def for_citation(article: Article, journal: Journal) -> str:
    """The page's "For citation" line: the CSL style's citation, the language note, the DOI link."""
    text = format_citation(citation_item(article, journal), journal.citation_style)
    return " ".join(part for part in (text, language_note(article, journal), f"https://doi.org/{article.doi}") if part)


def render_csl_json(article: Article, journal: Journal) -> bytes:
    """citation.json: a CSL-JSON array with the one article, as Zotero and Mendeley import it."""
    return dump_json([csl_item(article, journal)])


def dump_json(data: Any) -> bytes:
    """`json.dumps(data, ensure_ascii=False, indent=1)` and a final newline, as UTF-8."""
    return (indented_json(data) + "\n").encode("utf-8")


def indented_json(data: Any, depth: int = 0) -> str:
    """`json.dumps(data, ensure_ascii=False, indent=1)`, as it reads `depth` levels deep in a
    larger document (every line after the first indented by `depth` more spaces).

    json.dumps only uses its C encoder without indentation; with it, the pure-Python encoder
    makes a few calls per token, which was most of the cost of citation.json. Here each string
    is encoded by the C function json uses for it, and only containers take a Python call.
    Dict keys must be strings (json would also accept numbers and None as keys)."""
    return _indented(data, "\n" + " " * depth)


#: Leaves other than strings (numbers, booleans, None), encoded as json.dumps would.
_LEAF_ENCODER = json.JSONEncoder(ensure_ascii=False)


def _indented(value: Any, newline: str) -> str:
    """`value` as JSON; `newline` is a line break followed by the indentation of its own line.
    Strings inside a container are encoded in place, without a call of this function each:
    they are most of the values of a CSL item."""
    if type(value) is str:
        return encode_basestring(value)
    inner = newline + " "
    if isinstance(value, dict):
        if not value:
            return "{}"
        members = [
            encode_basestring(key) + ": " + (encode_basestring(item) if type(item) is str else _indented(item, inner))
            for key, item in value.items()
        ]
        return "{" + inner + ("," + inner).join(members) + newline + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        items = [encode_basestring(item) if type(item) is str else _indented(item, inner) for item in value]
        return "[" + inner + ("," + inner).join(items) + newline + "]"
    if type(value) is int:  # date parts: JSONEncoder.encode would make a C encoder for each
        return repr(value)
    return _LEAF_ENCODER.encode(value)


def render_bibtex(article: Article, journal: Journal) -> bytes:
    database = BibDatabase()
    database.entries = [_bibtex_entry(article, journal)]
    return bibtexparser.dumps(database, _BIBTEX_WRITER).encode("utf-8")


def citation_key(article: Article) -> str:
    """`machneva2025problems`: first author, year, first title word, ASCII only."""
    first = article.authors[0].family_name if article.authors else "anonymous"
    words = [word for word in slugify(title_text(article.title)).split("-") if len(word) > 3]
    return slugify(first, separator="") + str(article.year) + (words[0] if words else "")


def _bibtex_entry(article: Article, journal: Journal) -> dict[str, str]:
    fields = {
        "author": " and ".join(_bibtex_name(author) for author in article.authors),
        "title": _tex(title_text(article.title)),
        "journal": _tex(journal.title),
        "year": str(article.year),
        "month": str(article.published.month) if article.published else "",
        "volume": _tex(article.volume or ""),
        "number": _tex(article.issue or ""),
        "pages": _tex(_bibtex_pages(article)),
        "doi": _tex(article.doi),
        "url": paths.article_url(journal, article),
        "issn": ", ".join(issn for issn in (journal.issn_print, journal.issn_online) if issn),
        "publisher": _tex(journal.publisher),
        "language": article.language,
        "keywords": _tex(", ".join(article.keywords)),
        "abstract": _tex(abstract_line(article.abstract)),
        "copyright": _tex(LICENSES[article.license].name),
    }
    entry = {key: value for key, value in fields.items() if value}
    entry.update({"ENTRYTYPE": "article", "ID": citation_key(article)})
    return entry


def _bibtex_name(author: Author) -> str:
    """`Machneva, E. B.`; a group author in braces, so BibTeX does not split it into names."""
    if author.is_group or not author.given_names:
        return "{" + _tex(author.family_name) + "}"
    family = _tex(author.family_name)
    if "," in family or " and " in f" {family.lower()} ":
        family = "{" + family + "}"
    return f"{family}, {_tex(author.given_names)}"


def _bibtex_pages(article: Article) -> str:
    pages = article.pages
    if pages.elocation_id:
        return pages.elocation_id
    if pages.first and pages.last and pages.last != pages.first:
        return f"{pages.first}--{pages.last}"
    return pages.first or ""


def _tex(text: str) -> str:
    return _TEX_SPECIAL.sub(lambda match: _TEX_SPECIALS[match.group()], text)


class _PlainRisWriter(rispy.RisWriter):
    """rispy numbers references with a "1." line of its own; other readers expect TY first."""

    def set_header(self, count: int) -> str:
        return ""


def render_ris(article: Article, journal: Journal) -> bytes:
    return rispy.dumps([_ris_entry(article, journal)], implementation=_PlainRisWriter).encode("utf-8")


def _ris_entry(article: Article, journal: Journal) -> dict[str, Any]:
    pages = article.pages
    date = article.published
    fields: dict[str, Any] = {
        "type_of_reference": "JOUR",
        "title": title_text(article.title),
        "authors": [_ris_name(author) for author in article.authors],
        "secondary_title": journal.title,
        "alternate_title3": journal.title,
        "alternate_title1": journal.abbreviation,
        "year": str(article.year),
        "date": f"{date.year}/{date.month:02d}/{date.day:02d}" if date else "",
        "volume": article.volume or "",
        "number": article.issue or "",
        "start_page": pages.first or pages.elocation_id or "",
        "end_page": pages.last if pages.last and pages.last != pages.first else "",
        "doi": article.doi,
        "urls": [paths.article_url(journal, article)],
        "issn": journal.issn_online or journal.issn_print or "",
        "publisher": journal.publisher,
        "language": article.language,
        "keywords": list(article.keywords),
        "abstract": abstract_text(article.abstract),
    }
    # RIS is line-based: a line break inside a value would start a bogus tag.
    return {key: _one_line(value) for key, value in fields.items() if value}


def _ris_name(author: Author) -> str:
    if author.is_group or not author.given_names:
        return author.family_name
    return f"{author.family_name}, {author.given_names}"


def _one_line(value: Any) -> Any:
    if isinstance(value, list):
        return [_one_line(item) for item in value]
    return " ".join(value.split()) if isinstance(value, str) else value
