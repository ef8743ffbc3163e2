"""Read a generated corpus back, for the converters that feed the same journal to Hugo and Pelican."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True, slots=True)
class Record:
    path: Path
    front: dict
    """The front matter as YAML loads it."""
    abstract: str
    """The Markdown body."""

    @property
    def slug(self) -> str:
        """The URL slug caseshelf derives from the DOI suffix: 10.5555/bench.12 -> bench-12."""
        suffix = self.front["doi"].split("/", 1)[1]
        return re.sub(r"[^a-z0-9]+", "-", suffix.lower()).strip("-")

    @property
    def first_page(self) -> int:
        return int(str(self.front["pages"]).split("-")[0])

    def numbered_affiliations(self) -> tuple[list[dict], dict[str, int]]:
        """Affiliations in order of first use in the byline, and each key's number (from 1)."""
        numbers: dict[str, int] = {}
        for author in self.front["authors"]:
            for key in author.get("affiliations", []):
                numbers.setdefault(key, len(numbers) + 1)
        affiliations = self.front.get("affiliations", {})
        return [affiliations[key] for key in numbers], numbers

    def numbered_people(self, numbers: dict[str, int]) -> list[dict]:
        """The byline for the converted sites' templates: each author with their affiliation
        numbers instead of keys."""
        people = []
        for author in self.front["authors"]:
            person = {k: v for k, v in author.items() if k != "affiliations"}
            person["numbers"] = [numbers[key] for key in author.get("affiliations", [])]
            people.append(person)
        return people


def read_journal(corpus: Path) -> dict:
    return yaml.load((corpus / "journal.yaml").read_text(encoding="utf-8"), Loader=_Loader)


def read_records(corpus: Path) -> Iterator[Record]:
    for path in sorted((corpus / "articles").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        _, front, abstract = text.split("---\n", 2)
        yield Record(path, yaml.load(front, Loader=_Loader), abstract.strip() + "\n")


def latest_issue(records: list[Record]) -> tuple[int, int]:
    return max((int(r.front["volume"]), int(r.front["issue"])) for r in records)


def converter_main(argv: list[str] | None, description: str, tool: str, write_site: Callable[[Path, Path], int]) -> int:
    """The command line shared by hugo_site.py and pelican_site.py: CORPUS SITE."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("corpus", type=Path, help="content directory written by generate.py")
    parser.add_argument("site", type=Path, help=f"{tool} site directory to write (replaced)")
    options = parser.parse_args(argv)
    count = write_site(options.corpus, options.site)
    print(f"{tool} site with {count} articles in {options.site}")
    return 0
