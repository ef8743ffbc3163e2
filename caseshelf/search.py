"""Full-text search (issue 5): what article pages give the index, and the Pagefind build step.

Pagefind indexes the finished HTML, so search sees exactly what readers see. Article pages
mark their body with `data-pagefind-body` and add a hidden block (templates/search_fields.html)
with the filters (year, issue, type), the metadata shown in results (authors, citation) and
words readers may type that the page does not show: the bare DOI (the page shows it as a
https://doi.org link, which the index keeps as one word) and author names transliterated to
Latin letters, because Pagefind folds accents (`Nunez` finds `Núñez`) but does not transliterate
(`Smirnova` would not find `Смирнова`).

The index is built by the Pagefind binary from the `pagefind_bin` wheel, run on the complete
staging directory just before it is swapped in. It reads only the article pages (`--glob`):
the others have no `data-pagefind-body`, and at 10,000 articles parsing them took Pagefind a
sixth of its time. The binary is run as a plain subprocess rather
than through pagefind's asyncio service API: a subprocess has an exit status and its output to
report, where a service that dies mid-request leaves the API waiting for an answer.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


from caseshelf.citation import author_list, source_line
from caseshelf.identity import slug_of
from caseshelf.loading.articles import ARTICLE_TYPES
from caseshelf.model import Article, Journal
from caseshelf.problems import BuildFailed, Problem
from caseshelf.urls import article_path, output_name

#: Where the search page lives and where Pagefind writes its bundle, below the base path.
SEARCH_PAGE = "search/"
OPENSEARCH_FILE = "opensearch.xml"
BUNDLE_DIR = "pagefind"
#: The pages Pagefind reads, relative to the site: the article pages, the only ones it indexes.
ARTICLE_PAGES = output_name(article_path("*"))

_INDEXED_PAGES = re.compile(r"Indexed (\d+) pages?")


@dataclass(frozen=True, slots=True)
class SearchFields:
    """What an article page adds for the search index only; readers never see it."""

    filters: tuple[tuple[str, str], ...]
    """(filter name, value) pairs, e.g. ("Year", "2025"), offered as checkboxes on /search/."""
    meta: tuple[tuple[str, str], ...]
    """(key, value) pairs each result shows under its title: authors and citation."""
    doi: str
    """The bare DOI, weighted so that a DOI query ranks the article above pages citing it."""
    names: tuple[str, ...]
    """Author names in Latin letters where the byline uses other letters or accents."""


def search_fields(journal: Journal, article: Article, issue_label: str | None) -> SearchFields:
    filters = [("Year", str(article.year))]
    if issue_label:
        filters.append(("Issue", issue_label))
    filters.append(("Type", ARTICLE_TYPES.get(article.type, "Article")))
    return SearchFields(
        filters=tuple(filters),
        meta=(("authors", author_list(article)), ("citation", f"{journal.abbreviation}. {source_line(article)}")),
        doi=article.doi,
        names=latin_spellings(author.name for author in article.authors),
    )


def latin_spellings(names: Iterable[str]) -> tuple[str, ...]:
    """`Ю. А. Смирнова` -> `Iu A Smirnova`, `José Núñez` -> `Jose Nunez`; ASCII names are skipped.

    python-slugify's transliteration (text-unidecode) is the same one that makes author slugs,
    so the name in an author's URL is also a name that finds their articles.
    """
    spellings: dict[str, None] = {}
    for name in names:
        if not name.isascii():
            spellings.setdefault(_latin_spelling(name), None)
    return tuple(spelling for spelling in spellings if spelling)


@lru_cache(maxsize=None)
def _latin_spelling(name: str) -> str:
    """Cached: authors recur across articles."""
    return slug_of(name, separator=" ", lowercase=False)


def opensearch_short_name(journal: Journal) -> str:
    """The name browsers list the search engine under: at most 16 characters (OpenSearch 1.1).

    `Russ J Pediatr Hematol Oncol` is too long, so its initials are used: `RJPHO`.
    """
    for candidate in (journal.abbreviation, _initials(journal.abbreviation), _initials(journal.title)):
        if 0 < len(candidate) <= 16:
            return candidate
    return journal.title[:16].rstrip()


def _initials(name: str) -> str:
    return "".join(word[0] for word in name.split() if word[0].isupper())


def build_search_index(site_dir: Path, progress: Callable[[str], None]) -> None:
    """Write the Pagefind bundle into `site_dir/pagefind/`; problems are raised as BuildFailed.
    `progress` gets the line saying how many pages were indexed and how long it took."""
    bundle = site_dir / BUNDLE_DIR
    if bundle.exists():
        # A staging dir seeded from an earlier build: its bundle would keep chunks of gone pages.
        shutil.rmtree(bundle)
    if next(site_dir.glob(ARTICLE_PAGES), None) is None:
        # Pagefind fails when it finds nothing to index; the search page of a journal with no
        # articles yet says that search is not available.
        progress("Search index: no articles to index yet")
        return
    executable = _pagefind_executable()  # the build's progress meter says the index is being built
    started = time.perf_counter()
    result = subprocess.run(
        [str(executable), "--site", str(site_dir.resolve()), "--output-subdir", BUNDLE_DIR, "--glob", ARTICLE_PAGES],
        cwd=site_dir,  # Pagefind reads pagefind.yml/.toml from its working directory: never the user's
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        check=False,
    )
    if result.returncode != 0 or not (bundle / "pagefind.js").is_file():
        raise BuildFailed([Problem("pagefind", 0, "search", f"Pagefind failed (exit {result.returncode}): {_last_lines(result)} (build with --no-search to skip the index)")])
    found = _INDEXED_PAGES.search(result.stdout)
    pages = f"{found.group(1)} pages" if found else "the site"
    progress(f"Search index: {pages} indexed in {time.perf_counter() - started:.2f} s")


def _pagefind_executable() -> Path:
    try:
        from pagefind_bin import get_executable

        return get_executable()
    except (ImportError, FileNotFoundError):
        raise BuildFailed([Problem("pagefind", 0, "search", "the search engine is not installed: pip install 'pagefind[bin]', or build with --no-search")]) from None


def _last_lines(result: subprocess.CompletedProcess, count: int = 5) -> str:
    lines = [line.strip() for line in (result.stderr + "\n" + result.stdout).splitlines() if line.strip()]
    return " / ".join(lines[-count:]) or "no output"
