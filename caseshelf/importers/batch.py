"""One import run: read every input file, decide per article what to do, write records.

Decisions for an article whose DOI is already in the archive (see README, "Re-importing"):

    --skip-existing                                   -> skipped
    file is byte-identical to what we would write     -> unchanged
    file carries a valid import stamp (not edited)    -> updated in place
    file edited by hand since (or never imported)     -> skipped, unless --force -> updated

A file that cannot be read, or an article that cannot become a valid record, is a failure of
that file or article only; the run goes on with the rest.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from caseshelf.identity import slug_of
from caseshelf.importers.archive import ArchiveIndex, ExistingRecord
from caseshelf.importers.imported import (
    ImportedArticle,
    ReadResult,
    UnreadableInput,
    Unusable,
)
from caseshelf.importers.records import RecordText, is_untouched_since_import, render_record
from caseshelf.loading import ARTICLES_DIR, missing_journal
from caseshelf.loading.articles import load_record, slug_from_doi
from caseshelf.loading.source import read_record_bytes
from caseshelf.problems import Problem, display_path, terminal_safe

IMPORTED, UPDATED, UNCHANGED, SKIPPED, FAILED = "imported", "updated", "unchanged", "skipped", "failed"
STATUSES = (IMPORTED, UPDATED, UNCHANGED, SKIPPED, FAILED)

Reader = Callable[[bytes, str], ReadResult]
"""A format's reader: the file's bytes and the site's language -> its articles."""


@dataclass(frozen=True, slots=True)
class ImportOptions:
    source_dir: Path
    """The content folder; new records go to `<source_dir>/articles/<year>/<volume>-<issue>/`."""
    into: Path | None = None
    """Write new records here instead (flat): a folder inside `<source_dir>/articles`."""
    skip_existing: bool = False
    force: bool = False
    site_language: str = "en"
    """journal.yaml's `language`: records take their title, abstract, keywords and
    affiliations in it when the source translates them."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one article (or to a whole file that could not be read)."""

    status: str
    source: str
    """The input file as the user named it, plus `(article N)` in multi-article files."""
    record: str = ""
    """The record file written or left alone, as a path the user can open."""
    doi: str = ""
    message: str = ""
    line: int = 0
    warnings: tuple[Problem, ...] = ()
    """What the build will warn of in the record written (or found as it would be written): a
    keyword that looks like two, say. Said by the import, not only by the next build."""

    def __str__(self) -> str:
        # Messages quote the source (a license URL in Crossref JSON may hold "\u001b"): printed
        # terminal-safe, as the build's problems are.
        if self.status == FAILED:
            where = f"{self.source}:{self.line}" if self.line else self.source
            return terminal_safe(f"{where}: {self.message}")
        shown = self.record or self.source
        if self.has_notes:
            # Notes speak of the source ("reference no. 3", "the ORCID iD of ..."): in a run over
            # a folder, the record's name (from the DOI) does not say which file to look in.
            shown = f"{shown} from {self.source}"
        detail = f" ({self.message})" if self.message else ""
        return terminal_safe(f"{self.status} {shown}{detail}")

    @property
    def has_notes(self) -> bool:
        """True for an article imported with notes on what its source holds (the reader's notes)."""
        return bool(self.message) and self.status in (IMPORTED, UPDATED, UNCHANGED)


@dataclass(frozen=True, slots=True)
class ImportSummary:
    outcomes: tuple[Outcome, ...]

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def has_failures(self) -> bool:
        return any(outcome.status == FAILED for outcome in self.outcomes)

    def __str__(self) -> str:
        return ", ".join(f"{status} {self.count(status)}" for status in STATUSES)


def input_files(paths: Iterable[Path], suffixes: tuple[str, ...]) -> list[Path]:
    """The files named, with folders expanded to the files in them that have `suffixes`."""
    files = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in suffixes)
        else:
            files.append(path)
    return files


def why_not_importable_into(options: ImportOptions) -> str | None:
    """What is wrong with where the records would go; checked before anything is read or written."""
    articles_dir = options.source_dir / ARTICLES_DIR
    missing = missing_journal(options.source_dir)
    if missing is not None:
        return f"{missing} (--source names the content folder)"
    if options.into is not None and not options.into.resolve().is_relative_to(articles_dir.resolve()):
        # Records anywhere else are never built; and the folder is searched for existing
        # records, which for `/` or a home folder would take for ever.
        return f"--into {options.into}: must be a folder inside {articles_dir}, where the build reads records"
    return None


def import_files(
    files: list[Path],
    reader: Reader,
    options: ImportOptions,
    on_outcome: Callable[[Outcome], None] = lambda outcome: None,
    on_file_done: Callable[[Path], None] = lambda path: None,
) -> ImportSummary:
    index = ArchiveIndex.scan([options.source_dir / ARTICLES_DIR])  # --into is inside it
    outcomes: list[Outcome] = []

    def report(outcome: Outcome) -> None:
        outcomes.append(outcome)
        on_outcome(outcome)

    for path in files:
        for outcome in _import_file(path, reader, options, index):
            report(outcome)
        on_file_done(path)
    return ImportSummary(tuple(outcomes))


def _import_file(path: Path, reader: Reader, options: ImportOptions, index: ArchiveIndex) -> list[Outcome]:
    shown = str(path)
    try:
        items = reader(read_record_bytes(path), options.site_language)  # refuses a named pipe instead of waiting on it
    except OSError as error:
        return [Outcome(FAILED, shown, message=f"cannot read: {error.strerror or error}")]
    except UnreadableInput as error:
        return [Outcome(FAILED, shown, message=error.message, line=error.line)]
    if not items:
        return [Outcome(FAILED, shown, message="no article found in the file")]
    outcomes = []
    for number, item in enumerate(items, start=1):
        where = f"{shown} (article {number})" if len(items) > 1 else shown
        if isinstance(item, Unusable):
            outcomes.append(Outcome(FAILED, where, message=item.message, line=item.line))
        else:
            outcomes.append(_import_article(item, where, options, index))
    return outcomes


def why_not_a_record(article: ImportedArticle) -> str | None:
    """What keeps the article from being a valid record (issue 2's required fields)."""
    if not article.doi:
        return "no DOI in the source: a record needs one (add it to the source, or write the record by hand)"
    if not article.title:
        return f"{article.doi}: no title in the source"
    if not article.year:
        return f"{article.doi}: no publication year in the source"
    if not article.authors:
        return f"{article.doi}: no authors in the source: a record needs at least one"
    return None


#: Records are checked as the build checks them; which license applies to one that names none
#: does not matter for that, so any license caseshelf knows will do.
_SOME_DEFAULT_LICENSE = "CC-BY-4.0"


def what_the_build_says(record: RecordText, path: Path) -> tuple[str | None, tuple[Problem, ...]]:
    """What the build would say of the record at `path`, by the loader's own rules: why it
    refuses it (a DOI with `..` segments, say; None if it does not), so that an import never
    writes a record the next build rejects; and its warnings, named by the record's path as
    the import shows it (they are about the record written)."""
    _, problems, warnings = load_record(path, _shown(path), _SOME_DEFAULT_LICENSE, record.text.encode("utf-8"))
    # The problems' lines are the record's, which is not written: the input file is what to look at.
    refusal = "; ".join(f"{problem.field}: {problem.message}" if problem.field else problem.message
                        for problem in problems) or None
    return refusal, tuple(warnings)


def _import_article(article: ImportedArticle, where: str, options: ImportOptions, index: ArchiveIndex) -> Outcome:
    reason = why_not_a_record(article)
    if reason:
        return Outcome(FAILED, where, doi=article.doi or "", message=reason)
    existing = index.find(article.doi)
    if existing is None:
        return _write_new(article, where, options, index)
    return _update_existing(article, existing, where, options)


def _write_new(article: ImportedArticle, where: str, options: ImportOptions, index: ArchiveIndex) -> Outcome:
    slug = slug_from_doi(article.doi)
    written_slug = None
    owner = index.slug_owner(slug)
    if owner is not None and owner != article.doi.lower():
        # Another article already has this slug (same DOI suffix under another prefix).
        slug = written_slug = slug_of(article.doi)
    folder = options.into or _issue_folder(options.source_dir / ARTICLES_DIR, article)
    path = _free_path(folder, slug)
    record = render_record(article, slug=written_slug)
    refusal, warnings = what_the_build_says(record, path)
    if refusal:
        return Outcome(FAILED, where, doi=article.doi, message=refusal)
    try:
        write_atomically(path, record.text)
    except OSError as error:
        return Outcome(FAILED, where, doi=article.doi, message=f"cannot write {path}: {error.strerror or error}")
    index.remember(ExistingRecord(path=path, doi=article.doi, slug=slug))
    return Outcome(IMPORTED, where, record=_shown(path), doi=article.doi, message="; ".join(article.notes), warnings=warnings)


def _update_existing(article: ImportedArticle, existing: ExistingRecord, where: str, options: ImportOptions) -> Outcome:
    shown = _shown(existing.path)
    if options.skip_existing:
        return Outcome(SKIPPED, where, record=shown, doi=article.doi, message="already in the archive")
    try:
        current = existing.path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        current = None
    written_slug = existing.slug if existing.slug != slug_from_doi(article.doi) else None
    as_yaml = existing.path.suffix.lower() in (".yaml", ".yml")
    record = render_record(article, slug=written_slug, as_yaml=as_yaml)
    refusal, warnings = what_the_build_says(record, existing.path)
    if refusal:
        return Outcome(FAILED, where, doi=article.doi, message=refusal)
    if current == record.text:
        # The notes still hold: an editor importing again after fixing something sees them again.
        return Outcome(UNCHANGED, where, record=shown, doi=article.doi, message="; ".join(article.notes), warnings=warnings)
    if current is not None and not is_untouched_since_import(current) and not options.force:
        return Outcome(SKIPPED, where, record=shown, doi=article.doi,
                       message="edited by hand since it was imported (or not imported); --force overwrites")
    try:
        write_atomically(existing.path, record.text)
    except OSError as error:
        return Outcome(FAILED, where, doi=article.doi, message=f"cannot write {shown}: {error.strerror or error}")
    return Outcome(UPDATED, where, record=shown, doi=article.doi, message="; ".join(article.notes), warnings=warnings)


def _issue_folder(articles_dir: Path, article: ImportedArticle) -> Path:
    """`<year>/<volume>-<issue>`, or `<year>/<volume>`, or `<year>` with what is known."""
    issue_part = "-".join(slug_of(part) for part in (article.volume, article.issue) if part and slug_of(part))
    folder = articles_dir / str(article.year)
    return folder / issue_part if issue_part else folder


def _free_path(folder: Path, slug: str) -> Path:
    path = folder / f"{slug}.md"
    number = 2
    while path.exists():
        path = folder / f"{slug}-{number}.md"
        number += 1
    return path


def _shown(path: Path) -> str:
    """Relative to the working directory when inside it, as the user would type it."""
    return display_path(path, Path.cwd()) if path.is_absolute() else path.as_posix()


def write_atomically(path: Path, text: str) -> None:
    """Write via a temporary file and rename, so an interrupted run never leaves half a record."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
