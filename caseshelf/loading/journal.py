"""Loading content/journal.yaml into a `Journal`."""

from __future__ import annotations

from pathlib import Path

from caseshelf.exports.citation_style import StyleError, check_style
from caseshelf.licenses import LICENSES
from caseshelf.loading import fields
from caseshelf.loading.reader import RecordReader
from caseshelf.loading.source import read_yaml_file
from caseshelf.model import DOWNLOAD_FORMATS, Depositor, Journal
from caseshelf.paging import DEFAULT_PAGE_SIZE
from caseshelf.problems import Problem
from caseshelf.theme import is_in_project

JOURNAL_FIELDS = (
    "title", "abbreviation", "publisher", "issn_print", "issn_online", "base_url", "language",
    "license", "doi_prefix", "description", "citation_style", "crossref", "cname",
    "downloads", "page_size",
)  # fmt: skip
DEPOSITOR_FIELDS = ("name", "email", "registrant")


def load_journal(path: Path, root: Path, base_url_override: str | None = None) -> tuple[Journal | None, list[Problem]]:
    doc, problems = read_yaml_file(path, root)
    if doc is None:
        return None, problems
    reader = RecordReader(doc)
    data = doc.data
    reader.check_keys(data, (), JOURNAL_FIELDS)
    title = reader.text(data, (), "title", required=True)
    if base_url_override:
        base_url = _override_base_url(base_url_override, reader)
    else:
        base_url = reader.parsed(data, (), "base_url", fields.parse_base_url, required=True)
    license_id = reader.text(data, (), "license") or "CC-BY-4.0"
    if license_id not in LICENSES:
        reader.report(("license",), f"unknown license {license_id!r}{fields.hint(license_id, LICENSES)}")
    journal = Journal(
        title=title or "",
        abbreviation=reader.text(data, (), "abbreviation") or title or "",
        publisher=reader.text(data, (), "publisher") or "",
        issn_print=reader.parsed(data, (), "issn_print", fields.parse_issn),
        issn_online=reader.parsed(data, (), "issn_online", fields.parse_issn),
        base_url=base_url or "",
        language=reader.parsed(data, (), "language", fields.parse_language) or "en",
        license=license_id,
        doi_prefix=reader.text(data, (), "doi_prefix"),
        description=reader.text(data, (), "description") or "",
        citation_style=_citation_style(reader, data, root),
        crossref=_depositor(reader, data),
        cname=_custom_domain(reader, data, root, problems),
        downloads=_downloads(reader, data),
        page_size=reader.parsed(data, (), "page_size", fields.parse_page_size) or DEFAULT_PAGE_SIZE,
    )
    problems.extend(reader.problems)
    return (journal if not problems else None), problems


def load_site_language(path: Path, root: Path) -> tuple[str, list[Problem]]:
    """journal.yaml's `language` alone (`en` when left out), by load_journal's rule, for the
    importers: the rest of the file (its citation style, say) is not theirs to check."""
    doc, problems = read_yaml_file(path, root)
    if doc is None:
        return "en", problems
    reader = RecordReader(doc)
    language = reader.parsed(doc.data, (), "language", fields.parse_language) or "en"
    return language, problems + reader.problems


def _citation_style(reader: RecordReader, data: dict, root: Path) -> str:
    """A style of the CSL repository by name, or a .csl file: relative paths are relative to
    the content directory (where journal.yaml is), so a journal can carry its own style.
    Either is loaded and tried on a sample citation here, so that a style that cannot be used
    is reported with every other problem of the run, not when the first page is made."""
    written = reader.text(data, (), "citation_style") or "nlm-citation-sequence"
    style = written
    if written.endswith(".csl"):
        style = str((root / written).resolve())
        if not is_in_project(Path(style), root):
            # journal.yaml is the journal's text, not its machine: it names no file elsewhere.
            reader.report(("citation_style",), f"{written} is outside the project (the folder of the content directory): keep the style beside journal.yaml")
            return style
        if not Path(style).is_file():
            reader.report(("citation_style",), f"no CSL file at {written} (relative to the content directory)")
            return style
    try:
        check_style(style, written)
    except StyleError as error:
        reader.report(("citation_style",), str(error))
    return style


#: A file in the content folder naming the site's custom domain, as GitHub Pages reads it.
CNAME_FILE = "CNAME"


def _custom_domain(reader: RecordReader, data: dict, root: Path, problems: list[Problem]) -> str | None:
    """The custom domain publish.py writes into CNAME: journal.yaml's `cname`, or the one line
    of a CNAME file in the content folder (the two must agree). Checked here, so that a wrong
    one is reported with its line and with every other problem of the run; the CNAME file's
    problems are added to `problems`."""
    from_yaml = reader.parsed(data, (), "cname", fields.parse_domain)
    from_file = _cname_file_domain(root / CNAME_FILE, problems)
    if from_yaml and from_file and from_yaml != from_file:
        problems.append(Problem(CNAME_FILE, 1, "", f"says {from_file!r} but journal.yaml's cname is {from_yaml!r}: keep one of them"))
    return from_yaml or from_file


def _cname_file_domain(path: Path, problems: list[Problem]) -> str | None:
    if not path.is_file():
        return None
    if not is_in_project(path, path.parent):
        # A wrong domain is quoted in its problem: a link to ~/.git-credentials would be
        # quoted in a build log (one line is all a CNAME holds).
        problems.append(Problem(CNAME_FILE, 0, "", "is a link to a file outside the project: write the domain into it, or into journal.yaml's cname"))
        return None
    lines = [(number, line.strip()) for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1) if line.strip()]
    if not lines:
        return None
    if len(lines) > 1:
        problems.append(Problem(CNAME_FILE, lines[1][0], "", "a CNAME file holds exactly one domain name"))
        return None
    number, text = lines[0]
    try:
        return fields.parse_domain(text)
    except fields.InvalidValue as error:
        problems.append(Problem(CNAME_FILE, number, "", str(error)))
        return None


def _downloads(reader: RecordReader, data: dict) -> tuple[str, ...]:
    """The download files to make, named in any case: all of them when the field is left out
    (or left empty), none for `[]`. Always in DOWNLOAD_FORMATS' order, so the links on a page
    do not follow the list's."""
    value = data.get("downloads")
    if value is None or value == "":
        return DOWNLOAD_FORMATS
    # Names as the page shows them ("BibTeX", "JATS") are taken too. text_list reports any
    # item that is not text.
    chosen = {name.casefold() for name in reader.text_list(data, (), "downloads")}
    for index, name in enumerate(value if isinstance(value, list) else [value]):
        if isinstance(name, str) and name.casefold() not in DOWNLOAD_FORMATS:
            where = ("downloads", index) if isinstance(value, list) else ("downloads",)
            reader.report(where, f"unknown download {name!r}{fields.hint(name, DOWNLOAD_FORMATS)}")
    return tuple(name for name in DOWNLOAD_FORMATS if name in chosen)


def _override_base_url(value: str, reader: RecordReader) -> str | None:
    try:
        return fields.parse_base_url(value)
    except fields.InvalidValue as error:
        reader.problems.append(Problem("--base-url", 0, "", str(error)))
        return None


def _depositor(reader: RecordReader, data: dict) -> Depositor | None:
    block = reader.mapping(data, (), "crossref")
    if not block:
        return None
    reader.check_keys(block, ("crossref",), DEPOSITOR_FIELDS)
    name = reader.text(block, ("crossref",), "name", required=True)
    email = reader.parsed(block, ("crossref",), "email", fields.parse_email, required=True)
    registrant = reader.text(block, ("crossref",), "registrant", required=True)
    if name and email and registrant:
        return Depositor(name=name, email=email, registrant=registrant)
    return None
