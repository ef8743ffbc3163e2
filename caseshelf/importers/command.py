"""`python build.py import jats|crossref|pubmed FILE_OR_DIR... [--into DIR] [--skip-existing |
--force] [--source DIR]`: the command line of the importers, and nothing else.

Per-article lines go to stdout (failures, and the build's warnings about a record written, to
stderr) as they happen; a progress bar replaces them on a terminal when there are many files;
the summary line comes last. Exit code 1 if any file or article failed, else 0.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Self

if TYPE_CHECKING:
    from caseshelf.importers.batch import Outcome

FORMATS = {
    # name: (suffixes looked for in folders, help); the reader is read_<name> in importers/<name>.py
    "jats": ((".xml", ".nxml"), "JATS 1.0-1.3 / NLM 3.0 article XML (PMC, Europe PMC, publishers)"),
    "crossref": ((".json", ".xml"), "Crossref REST API works JSON, or Crossref deposit XML"),
    "pubmed": ((".xml",), "PubMed/MEDLINE XML (PubmedArticleSet)"),
}
_PROGRESS_BAR_FROM = 20
"""Number of input files from which a terminal shows a progress bar instead of a line per article."""


def add_import_parser(subparsers) -> None:
    """Register `import <format> ...` on the CLI's subparsers (called by caseshelf/cli.py)."""
    parser = subparsers.add_parser(
        "import",
        help="import articles from JATS, Crossref or PubMed files into content/articles",
        description="Write one record per article into content/articles/<year>/<volume>-<issue>/ "
                    "(or --into DIR). Articles already in the archive (same DOI) are updated "
                    "in place if unchanged since their import, never duplicated.",
    )
    formats = parser.add_subparsers(dest="import_format", metavar="FORMAT", required=True)
    for name, (_, help_text) in FORMATS.items():
        format_parser = formats.add_parser(name, help=help_text, description=help_text)
        format_parser.add_argument("paths", nargs="+", type=Path, metavar="FILE_OR_DIR",
                                   help="files to import; folders are searched for " + ", ".join(FORMATS[name][0]))
        format_parser.add_argument("--into", type=_folder, metavar="DIR",
                                   help="write new records into DIR, a folder inside content/articles, "
                                        "instead of content/articles/<year>/<volume>-<issue>/")
        existing = format_parser.add_mutually_exclusive_group()
        existing.add_argument("--skip-existing", action="store_true",
                              help="leave every article already in the archive (same DOI) as it is")
        existing.add_argument("--force", action="store_true",
                              help="overwrite existing records even if they were edited by hand")
        # SUPPRESS: a --source given to the main parser (before `import`) is not overridden.
        format_parser.add_argument("--source", type=_folder, metavar="DIR", default=argparse.SUPPRESS,
                                   help="the content folder (default: content)")
        output = format_parser.add_mutually_exclusive_group()
        output.add_argument("-q", "--quiet", action="store_true", help="print only failures, warnings and the summary")
        output.add_argument("-v", "--verbose", action="store_true",
                            help="print a line for every article, even when a progress bar is shown")
        format_parser.set_defaults(func=run_import)


def _folder(text: str) -> Path:
    """A folder named on the command line. An empty name is refused: as a Path it would be
    the current folder, which the user did not name."""
    if not text:
        raise argparse.ArgumentTypeError("an empty folder name (leave the option out for its default)")
    return Path(text)


def run_import(args: argparse.Namespace) -> int:
    # Imported here, not at the top: the readers bring lxml and more, which every other
    # command's start-up (a build with nothing to do, say) would otherwise pay for.
    from caseshelf.importers.batch import (
        FAILED,
        ImportOptions,
        import_files,
        input_files,
        why_not_importable_into,
    )
    from caseshelf.loading import JOURNAL_FILE
    from caseshelf.loading.journal import load_site_language

    suffixes, _ = FORMATS[args.import_format]
    reader = getattr(importlib.import_module(f"caseshelf.importers.{args.import_format}"), f"read_{args.import_format}")
    options = ImportOptions(
        source_dir=Path(getattr(args, "source", None) or "content"),
        into=args.into,
        skip_existing=args.skip_existing,
        force=args.force,
    )
    wrong_destination = why_not_importable_into(options)
    if wrong_destination:
        print(f"import: {wrong_destination}", file=sys.stderr)
        return 1
    site_language, problems = load_site_language(options.source_dir / JOURNAL_FILE, options.source_dir)
    if problems:
        for problem in problems:
            print(f"import: {problem}", file=sys.stderr)
        return 1
    options = replace(options, site_language=site_language)
    files = input_files(args.paths, suffixes)
    if not files:
        print("import: no files to import in " + ", ".join(map(str, args.paths)), file=sys.stderr)
        return 1
    quiet, verbose = args.quiet, args.verbose
    with _Progress(len(files)) as progress:
        def show(outcome: Outcome) -> None:
            if outcome.status == FAILED:
                progress.write(str(outcome), stream=sys.stderr)
            elif not quiet and (outcome.message or verbose or not progress.active):  # skips and notes always show
                progress.write(str(outcome), stream=sys.stdout)
            for warning in outcome.warnings:  # even with --quiet, as the build says them
                progress.write(warning.as_warning(), stream=sys.stderr)

        summary = import_files(files, reader, options, on_outcome=show, on_file_done=lambda path: progress.step())
    print(summary)
    return 1 if summary.has_failures else 0


class _Progress:
    """A tqdm bar on a terminal for large batches; otherwise nothing. Lines printed while the
    bar is shown go through it so they do not tear it."""

    def __init__(self, total: int):
        self._bar = None
        if total >= _PROGRESS_BAR_FROM and sys.stderr.isatty():
            try:
                from tqdm import tqdm
            except ImportError:
                tqdm = None
            if tqdm is not None:
                self._bar = tqdm(total=total, unit="file", leave=False, file=sys.stderr)

    @property
    def active(self) -> bool:
        return self._bar is not None

    def step(self) -> None:
        if self._bar is not None:
            self._bar.update(1)

    def write(self, line: str, *, stream) -> None:
        if self._bar is not None:
            self._bar.write(line, file=stream)
        else:
            print(line, file=stream)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.close()
