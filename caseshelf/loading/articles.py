"""Loading one article record (Markdown with front matter, or YAML) into an `Article`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any


from caseshelf.identity import slug_of
from caseshelf.licenses import LICENSES
from caseshelf.loading import fields
from caseshelf.loading.reader import RecordReader
from caseshelf.loading.source import markdown_record, yaml_record
from caseshelf.loading.yamldoc import KeyPath
from caseshelf.model import ARTICLE_TYPES, Affiliation, Article, Author, Pages, Reference
from caseshelf.problems import Problem

ARTICLE_FIELDS = (
    "title", "doi", "type", "language", "year", "volume", "issue", "pages", "published",
    "keywords", "license", "slug", "pdf", "affiliations", "authors", "references",
)  # fmt: skip
AUTHOR_FIELDS = (
    "name", "family_name", "given_names", "orcid", "degrees", "position", "affiliations",
    "email", "corresponding", "group",
)  # fmt: skip
AFFILIATION_FIELDS = ("name", "address", "country")
REFERENCE_FIELDS = ("text", "doi", "pmid", "url")

#: The endings of record files.
RECORD_SUFFIXES = (".md", ".yaml", ".yml")


def is_record_name(name: str) -> bool:
    """Record files are .md/.yaml/.yml; editors' temporary and hidden files are not records."""
    if name.startswith((".", "#", "~")) or name.endswith("~") or name == "4913":
        return False
    # Any letter case: `CASE.MD`, as some systems save it, is a record too. A name starting
    # with "." (no stem) is out already.
    return name.lower().endswith(RECORD_SUFFIXES)


def load_record(
    path: Path, shown: str, default_license: str, raw: bytes | None = None,
) -> tuple[Article | None, list[Problem], list[Problem]]:  # fmt: skip
    """Read and validate one record; every problem in it is returned, not just the first, and
    the warnings (likely mistakes that may be meant: the record is loaded all the same).
    `shown`: its name in messages (its path relative to the content directory); `raw`: the
    file's bytes, when the caller has read them already."""
    is_markdown = path.suffix.lower() == ".md"
    if is_markdown:
        doc, body, problems = markdown_record(path, shown, raw)
    else:
        doc, problems = yaml_record(path, shown, raw)
        body = ""
    if doc is None:
        return None, problems, []
    reader = RecordReader(doc)
    data: dict[Any, Any] = doc.data
    allowed = ARTICLE_FIELDS if is_markdown else (*ARTICLE_FIELDS, "abstract")
    reader.check_keys(data, (), allowed)
    if not is_markdown:
        body = reader.text(data, (), "abstract") or ""
    article = _read_article(reader, data, body, default_license)
    return (article if not reader.problems else None), reader.problems, reader.warnings


def _read_article(reader: RecordReader, data: dict[Any, Any], body: str, default_license: str) -> Article | None:
    root: KeyPath = ()
    title = reader.text(data, root, "title", required=True)
    doi = reader.parsed(data, root, "doi", fields.parse_doi, required=True)
    year = reader.integer(data, root, "year", required=True)
    if year is not None:
        try:
            fields.parse_year(year)
        except fields.InvalidValue as error:
            reader.report(("year",), str(error))
    article_type = reader.text(data, root, "type") or "case-report"
    if article_type not in ARTICLE_TYPES:
        reader.report(("type",), f"unknown article type {article_type!r}{fields.hint(article_type, ARTICLE_TYPES)}")
    license_id = reader.text(data, root, "license") or default_license
    if license_id not in LICENSES:
        reader.report(("license",), f"unknown license {license_id!r}{fields.hint(license_id, LICENSES)}")
    affiliations = _read_affiliations(reader, data)
    authors = _read_authors(reader, data, affiliations)
    if data.get("authors") == []:  # items that were all broken are reported one by one instead
        reader.report(("authors",), "at least one author is required")
    elif "authors" not in data:
        reader.report(("authors",), "required field is missing (at least one author)")
    slug = reader.parsed(data, root, "slug", fields.parse_slug) or (slug_from_doi(doi) if doi else "")
    # Every field is read before deciding, so a record missing its title still has all its
    # other mistakes reported in the same run.
    optional = dict(
        language=reader.parsed(data, root, "language", fields.parse_language) or "en",
        volume=reader.text(data, root, "volume"),
        issue=reader.text(data, root, "issue"),
        pages=reader.parsed(data, root, "pages", fields.parse_pages) or Pages(),
        published=reader.date(data, root, "published", fields.parse_iso_date),
        keywords=_read_keywords(reader, data, root),
        references=_read_references(reader, data),
        pdf=reader.parsed(data, root, "pdf", fields.parse_pdf),
    )
    if title is None or doi is None or year is None:
        return None
    return Article(
        source=reader.doc.path,
        doi=doi,
        title=title,
        year=year,
        slug=slug,
        type=article_type,
        license=license_id,
        affiliations=_in_byline_order(authors),
        authors=tuple(authors),
        abstract=body,
        **optional,
    )


def slug_from_doi(doi: str) -> str:
    """The site's default slug: the DOI suffix made URL-safe (issue 2). The importers name
    records by it too."""
    return slug_of(doi.partition("/")[2]) or slug_of(doi)


def _read_affiliations(reader: RecordReader, data: dict[Any, Any]) -> dict[str, Affiliation]:
    affiliations = {}
    for key, value in reader.mapping(data, (), "affiliations").items():
        path: KeyPath = ("affiliations", str(key))
        if not isinstance(value, dict):
            reader.report(path, "expected name, address and country lines under the affiliation key")
            continue
        reader.check_keys(value, path, AFFILIATION_FIELDS)
        name = reader.text(value, path, "name", required=True)
        if name:
            affiliations[str(key)] = Affiliation(
                key=str(key),
                name=name,
                address=reader.text(value, path, "address") or "",
                country=reader.text(value, path, "country") or "",
            )
    return affiliations


def _read_authors(reader: RecordReader, data: dict[Any, Any], affiliations: dict[str, Affiliation]) -> list[Author]:
    authors = []
    for path, item in reader.mappings(data, (), "authors"):
        reader.check_keys(item, path, AUTHOR_FIELDS)
        name = reader.text(item, path, "name", required=True)
        if not name:
            continue
        is_group = reader.boolean(item, path, "group")
        family, given = _split_name(name, is_group, reader.text(item, path, "family_name"))
        authors.append(
            Author(
                name=name,
                family_name=family,
                given_names=reader.text(item, path, "given_names") or given,
                orcid=reader.parsed(item, path, "orcid", fields.parse_orcid),
                degrees=reader.text(item, path, "degrees") or "",
                position=reader.text(item, path, "position") or "",
                affiliations=_author_affiliations(reader, item, path, affiliations),
                email=reader.parsed(item, path, "email", fields.parse_email),
                corresponding=reader.boolean(item, path, "corresponding"),
                is_group=is_group,
            )
        )
    return authors


def _split_name(name: str, is_group: bool, family: str | None) -> tuple[str, str]:
    """`E. B. Machneva` -> (`Machneva`, `E. B.`); `Machneva, E. B.` works too. A `family_name`
    of the record is the family name, and the given names are the rest of `name` around it:
    `Ludwig van der Waals` with `van der Waals` gives `Ludwig`, not `Ludwig van der`, and
    `Chen Wei` with `Chen` gives `Wei`."""
    if is_group:
        return family or name, ""
    if "," in name:
        family_part, given = name.split(",", 1)
        return family or family_part.strip(), given.strip()
    if family and name.endswith(" " + family):
        return family, name[: -len(family)].strip()
    if family and name.startswith(family + " "):
        return family, name[len(family) :].strip()
    parts = name.split()
    return family or parts[-1], " ".join(parts[:-1])


def _author_affiliations(
    reader: RecordReader, item: dict[Any, Any], path: KeyPath, known: dict[str, Affiliation]
) -> tuple[Affiliation, ...]:
    result = []
    for key in reader.text_list(item, path, "affiliations"):
        if key in known:
            result.append(known[key])
        else:
            choices = ", ".join(known) or "none are defined under 'affiliations:'"
            message = f"unknown affiliation key {key!r} (known keys: {choices})"
            if "," in key:  # `affiliations: blokhin, rcch`: YAML's one text without the brackets
                message += f": several keys are written in brackets, [{key}]"
            reader.report((*path, "affiliations"), message)
    return tuple(result)


def _in_byline_order(authors: list[Author]) -> tuple[Affiliation, ...]:
    seen: dict[str, Affiliation] = {}
    for author in authors:
        for affiliation in author.affiliations:
            seen.setdefault(affiliation.key, affiliation)
    return tuple(seen.values())


def _read_keywords(reader: RecordReader, data: dict[Any, Any], root: KeyPath) -> tuple[str, ...]:
    """The keywords. `keywords: infant leukemia, KMT2A` (the brackets forgotten) is one text to
    YAML, which would make one keyword page for "infant leukemia, KMT2A": reported instead. One
    keyword with a comma of its own (MeSH's "Leukemia, Myeloid, Acute") is written in quotes,
    in a list or not: the quotes say it is one."""
    value = data.get("keywords")
    if isinstance(value, str) and "," in value and not reader.doc.is_quoted((*root, "keywords")):
        reader.report(
            (*root, "keywords"),
            f"{value!r} is one keyword: write the keywords in brackets, [{value}], "
            f"or one keyword with a comma in quotes, \"{value}\"",
        )
        return ()
    _warn_of_keywords_run_together(reader, value, (*root, "keywords"))
    return reader.text_list(data, root, "keywords")


#: What separates keywords where they are pasted from (a journal platform's `leukemia; infant`,
#: a Chinese or Japanese record's full-width and ideographic commas), never in a list in YAML.
_KEYWORD_SEPARATORS = re.compile("[;\uff1b\uff0c\u3001]")  # ; ； ， 、


def _warn_of_keywords_run_together(reader: RecordReader, value: Any, key_path: KeyPath) -> None:
    """A warning for each keyword that looks like two (`[leukemia; infant]` makes one keyword
    page "leukemia; infant"). Not a problem: a chemical name may hold a semicolon, and the
    quotes say it is meant (`["a; b"]`), as they do for a comma."""
    items = enumerate(value) if isinstance(value, list) else [(None, value)]
    for index, item in items:
        item_path = key_path if index is None else (*key_path, index)
        if isinstance(item, str) and _KEYWORD_SEPARATORS.search(item) and not reader.doc.is_quoted(item_path):
            parts = ", ".join(part.strip() for part in _KEYWORD_SEPARATORS.split(item) if part.strip())
            reader.warn(item_path, f"{item.strip()!r} looks like two keywords; write them as [{parts}], or in quotes if it is one")


def _read_references(reader: RecordReader, data: dict[Any, Any]) -> tuple[Reference, ...]:
    references = []
    for path, item in reader.mappings(data, (), "references"):
        reader.check_keys(item, path, REFERENCE_FIELDS)
        text = reader.text(item, path, "text", required=True)
        if text:
            references.append(
                Reference(
                    text=text,
                    doi=reader.parsed(item, path, "doi", fields.parse_doi),
                    pmid=reader.parsed(item, path, "pmid", fields.parse_pmid),
                    url=reader.parsed(item, path, "url", fields.parse_url),
                )
            )
    return tuple(references)
