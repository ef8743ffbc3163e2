"""`python -m caseshelf.importers jats|crossref|pubmed ...`: the import command on its own."""

import argparse
import sys

from caseshelf.importers.command import add_import_parser


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m caseshelf.importers")
    add_import_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["import", *(sys.argv[1:] if argv is None else argv)])
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
