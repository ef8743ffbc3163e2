"""The records already in the archive, found by DOI, so that re-importing never duplicates.

DOIs are compared case-insensitively (the DOI system does). The index is built once per import
run by reading the front matter of every record under the scanned folders, and it learns each
record the run writes, so a DOI met twice in one batch is handled like a re-import.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from caseshelf.loading.articles import is_record_name, slug_from_doi

_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FRONT_MATTER_END = re.compile(r"^---[ \t]*$", re.MULTILINE)
_DOI_LINE = re.compile(r"""^doi:[ \t]*["']?([^"'\s#]+)""", re.MULTILINE)
_SLUG_LINE = re.compile(r"""^slug:[ \t]*["']?([^"'\s#]+)""", re.MULTILINE)
_IDENTITY_LINES = re.compile(r"^(?:doi|slug):[^\n]*$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class ExistingRecord:
    path: Path
    doi: str
    slug: str
    """The article's slug on the site: its `slug:` or the one derived from the DOI."""


class ArchiveIndex:
    """Existing records by DOI and by slug; updated as the import writes."""

    def __init__(self, records: Iterable[ExistingRecord] = ()):
        self._by_doi: dict[str, ExistingRecord] = {}
        self._doi_by_slug: dict[str, str] = {}
        for record in records:
            self.remember(record)

    @classmethod
    def scan(cls, folders: list[Path]) -> ArchiveIndex:
        records = []
        seen: set[Path] = set()
        for folder in folders:
            if not folder.is_dir():
                continue
            for path in sorted(folder.rglob("*")):
                resolved = path.resolve()
                if is_record_name(path.name) and path.is_file() and resolved not in seen:  # what the build reads
                    seen.add(resolved)
                    record = read_existing(path)
                    if record is not None:
                        records.append(record)
        return cls(records)

    def find(self, doi: str) -> ExistingRecord | None:
        return self._by_doi.get(doi.lower())

    def slug_owner(self, slug: str) -> str | None:
        """The DOI (lower-cased) of the record that has this slug, if any."""
        return self._doi_by_slug.get(slug)

    def remember(self, record: ExistingRecord) -> None:
        self._by_doi[record.doi.lower()] = record
        self._doi_by_slug.setdefault(record.slug, record.doi.lower())


def read_existing(path: Path) -> ExistingRecord | None:
    """The DOI and slug of a record file; None if it has no readable DOI.

    A record that does not parse still counts if a `doi:` line can be read from it: better to
    skip an article than to write a second record for it.
    """
    try:
        # As the loader reads records: a BOM or Windows line ends do not hide the DOI.
        text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    except (OSError, UnicodeDecodeError):
        return None
    head = _front_matter(text) if path.suffix.lower() == ".md" else text
    if head is None:
        return None
    fields = _load_identity_lines(head) or _load(head)
    if isinstance(fields, dict) and fields.get("doi"):
        doi, slug = str(fields["doi"]).strip(), fields.get("slug")
    else:
        doi_match, slug_match = _DOI_LINE.search(head), _SLUG_LINE.search(head)
        if not doi_match:
            return None
        doi, slug = doi_match.group(1), slug_match.group(1) if slug_match else None
    return ExistingRecord(path=path, doi=doi, slug=str(slug) if slug else slug_from_doi(doi))


def _load_identity_lines(head: str) -> dict | None:
    """Just the top-level `doi:` and `slug:` lines, read as YAML: a record's references and
    affiliations need not be parsed to know which article it is (re-import scans them all)."""
    lines = _IDENTITY_LINES.findall(head)
    if not lines:
        return None
    fields = _load("\n".join(lines))
    return fields if isinstance(fields, dict) and isinstance(fields.get("doi"), str) else None


def _load(text: str):
    try:
        return yaml.load(text, Loader=_SafeLoader)
    except yaml.YAMLError:
        return None


def _front_matter(text: str) -> str | None:
    if not text.startswith("---"):
        return None
    first_newline = text.find("\n")
    if first_newline < 0:
        return None
    end = _FRONT_MATTER_END.search(text, first_newline + 1)
    return text[first_newline + 1: end.start()] if end else None
