"""Command line: `caseshelf [build|check|serve|import|clean]`. Parses arguments, prints, exits; no logic."""

from __future__ import annotations

import argparse
import difflib
import multiprocessing
import os
import shutil
import sys
from pathlib import Path
from typing import NoReturn

from caseshelf import __version__
from caseshelf.cache import cache_dir
from caseshelf.freshness import BuildOptions, check_freshness, report_nothing_changed
from caseshelf.problems import BuildFailed, Problem, os_error_text, raised_while_stopping
from caseshelf.progress import SILENT, Meter, shown_meter
from caseshelf.site_size import size_text, size_warning
from caseshelf.write import MARKER

COMMANDS = ("build", "check", "check-links", "serve", "import", "clean")


def run() -> NoReturn:
    """The command line's entry point (`python build.py`, `caseshelf`): `main`, then the end of
    the process without Python's own teardown. After a large build, the interpreter would free
    a million cached objects one by one, after a last collection over all of them: seconds of
    work that the operating system does at once. Nothing is left to clean up by then (worker
    pools are closed, files written) but what Python's exit would stop: the daemonic children
    (a listing of the output nobody asked for, when the build failed before it needed it)."""
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    for child in multiprocessing.active_children():
        if child.daemon:
            child.terminate()
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = _parser()
    if argv and not argv[0].startswith("-") and argv[0] not in COMMANDS:
        parser.error(_unknown_command(argv[0]))
    if not argv or argv[0] not in COMMANDS and argv[0] not in ("-h", "--help", "--version"):
        argv.insert(0, "build")  # `python build.py` and `python build.py --output X` mean build
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except BuildFailed as failure:
        _print_problems(failure.problems)
        return 1
    except KeyboardInterrupt:
        print("\nStopped.", file=sys.stderr)
        return 130
    except OSError as error:
        if raised_while_stopping(error):
            print("\nStopped.", file=sys.stderr)
            return 130
        # A full disk, a folder that cannot be written: the machine's problem, not the content's,
        # and the output is left as it was (see write.py), so one line says which and where.
        print(f"Error: {os_error_text(error)}", file=sys.stderr)
        return 1


def _unknown_command(word: str) -> str:
    """`buidl` is a typo, not a build option: named as such, with the command it is closest to."""
    close = difflib.get_close_matches(word, COMMANDS, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else f" (the commands: {', '.join(COMMANDS)})"
    return f"unknown command {word!r}{hint}"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="caseshelf", description="Build a journal archive site from content/.")
    parser.add_argument("--version", action="version", version=f"caseshelf {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, help_text, run, *extra_options in _SITE_COMMANDS:
        command = commands.add_parser(name, help=help_text)
        _add_site_options(command)
        for add_options in extra_options:
            add_options(command)
        command.set_defaults(func=run)
    _add_import_command(commands)
    return parser


def _add_site_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--source", type=Path, default=Path("content"), help="content directory (default: content)")
    parser.add_argument("--output", type=Path, default=Path("_site"), help="output directory (default: _site)")
    parser.add_argument("--base-url", help="override base_url from journal.yaml, e.g. https://user.github.io/repo/")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    parser.add_argument("-v", "--verbose", action="store_true", help="print timings of each stage")
    parser.add_argument("--no-search", dest="search", action="store_false", help="skip the search index (quicker builds)")
    parser.add_argument("--no-cache", dest="cache", action="store_false", help="ignore the build cache: a cold build")
    parser.add_argument("-j", "--jobs", type=_whole_number(1), default=0, help="processes building at once, this one included (default: one per CPU core)")


def _add_serve_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this computer only)")
    parser.add_argument("--port", type=_whole_number(0, 65535), default=8000, help="port to listen on (default 8000; 0: any free port)")
    parser.add_argument("--open", action="store_true", help="open the site in a web browser")


def _whole_number(least: int, most: int | None = None):
    """An argparse type: a whole number in [least, most], else a usage error naming the range
    (a port out of range would otherwise end in the socket library's traceback)."""
    wanted = f"from {least} to {most}" if most is not None else f"{least} or more"

    def whole_number(text: str) -> int:
        try:
            number = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if number < least or (most is not None and number > most):
            raise argparse.ArgumentTypeError(f"{number} is out of range: give a number {wanted}")
        return number

    return whole_number


def _add_import_command(commands: argparse._SubParsersAction) -> None:
    try:
        from caseshelf.importers import add_import_parser
    except ImportError:  # importers are optional while being developed
        return
    add_import_parser(commands)


def _options(args: argparse.Namespace) -> BuildOptions:
    return BuildOptions(source=args.source, output=args.output, base_url=args.base_url, search=args.search, jobs=args.jobs, cache=args.cache)


def _run_build(args: argparse.Namespace) -> int:
    options = _options(args)
    with _meter(args) as meter:
        freshness = check_freshness(options)
        if freshness.up_to_date:  # decided before the pipeline's libraries are even imported
            report = report_nothing_changed(freshness, meter.message, meter)
        else:
            from caseshelf.pipeline import build

            report = build(options, meter.message, freshness, meter)
    if args.verbose:
        for stage, seconds in report.timings.items():
            print(f"  {stage:<8} {seconds:7.2f} s", file=sys.stderr)
        print(f"  {len(report.rendered)} of {report.pages} pages rendered, the others unchanged", file=sys.stderr)
        if report.compared < report.pages and report.rendered:
            print(f"  only the {report.compared} pages showing an edited record were compared", file=sys.stderr)
    if not args.quiet:
        size = f", {size_text(report.size)}" if report.size else ""  # not known after an older version's build
        print(f"Built {report.pages} pages ({report.files} files{size}) into {args.output} in {report.seconds:.2f} s")
    warning = size_warning(report.size)
    if warning:
        print(f"Warning: {warning}", file=sys.stderr)  # even with --quiet, like every warning
    return 0


def _run_check(args: argparse.Namespace) -> int:
    from caseshelf.pipeline import check

    with _meter(args) as meter:
        loaded = check(_options(args), meter)
    if not args.quiet:
        print(f"OK: journal.yaml and {len(loaded.articles)} article records are valid")
    return 0


def _meter(args: argparse.Namespace) -> Meter:
    """What the build shows of its stages on stderr: a bar on a terminal, lines in a log,
    nothing with --quiet; and the lines it prints (which go through the bar)."""
    return SILENT if args.quiet else shown_meter(sys.stderr)


def _run_serve(args: argparse.Namespace) -> int:
    from caseshelf.serve import serve

    return serve(_options(args), host=args.host, port=args.port, open_browser=args.open, quiet=args.quiet)


def _run_check_links(args: argparse.Namespace) -> int:
    from caseshelf.linkcheck import check_links, site_base_url
    from caseshelf.parallel import default_jobs

    report = check_links(args.output, site_base_url(args.source, args.base_url), args.jobs if args.jobs > 0 else default_jobs())
    for line in [*map(str, report.broken), *report.bad_files]:
        print(line, file=sys.stderr)
    if not args.quiet or not report.ok:
        verdict = "all resolve" if not report.broken else f"{len(report.broken)} broken"
        print(f"Checked {report.links} internal links on {report.pages} pages in {args.output}: {verdict}", file=sys.stderr if not report.ok else sys.stdout)
    if report.bad_files:
        print(f"{len(report.bad_files)} file(s) GitHub Pages would not publish as they are", file=sys.stderr)
    return 0 if report.ok else 1


def _run_clean(args: argparse.Namespace) -> int:
    """Remove only what caseshelf made: an output directory without our marker is left alone."""
    cache = cache_dir(args.source)
    if cache.is_dir():
        shutil.rmtree(cache)
        print(f"Removed {cache}")
    if args.output.is_symlink():  # what it links to may be anyone's: only a build replaces it
        print(f"Left {args.output} alone: it is a link to {os.readlink(args.output)}", file=sys.stderr)
    elif (args.output / MARKER).is_file():
        shutil.rmtree(args.output)
        print(f"Removed {args.output}")
    elif args.output.exists():
        print(f"Left {args.output} alone: it was not made by caseshelf", file=sys.stderr)
    return 0


def _print_problems(problems: tuple[Problem, ...]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(problems)} problem(s) found; nothing was written.", file=sys.stderr)


#: The commands that work on a site: name, help, what runs it, and any options of its own on
#: top of the site options (`import` is set up by the importers).
_SITE_COMMANDS = (
    ("build", "build the site into the output directory (default)", _run_build),
    ("check", "validate content/ without writing anything", _run_check),
    ("serve", "build, preview on http://127.0.0.1:8000/<base path>/ and rebuild on change", _run_serve, _add_serve_options),
    ("clean", "delete the output directory and the build cache", _run_clean),
    ("check-links", "check that every internal link of the built site resolves (GitHub Pages readiness)", _run_check_links),
)
