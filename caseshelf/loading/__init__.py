"""Stage 1: load and validate `content/` into a `Loaded` (journal + articles), or fail with every problem.

Nothing is written and nothing is rendered here; the result is plain immutable records.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from caseshelf.loading.articles import is_record_file, load_article_file
from caseshelf.loading.collector import cycle_collector_paused
from caseshelf.loading.journal import load_journal
from caseshelf.cache import BuildCache, digest
from caseshelf.model import Article, Loaded
from caseshelf.parallel import map_shares
from caseshelf.problems import BuildFailed, Problem, display_path

JOURNAL_FILE = "journal.yaml"
ARTICLES_DIR = "articles"


def find_record_files(source: Path) -> list[Path]:
    """Every article record under content/articles, in a stable order."""
    articles_dir = source / ARTICLES_DIR
    if not articles_dir.is_dir():
        return []
    return sorted(path for path in articles_dir.rglob("*") if path.is_file() and is_record_file(path))


def load_content(source: Path, base_url: str | None = None, jobs: int = 1, cache: BuildCache | None = None) -> Loaded:
    """Read journal.yaml and every record; raise BuildFailed listing all problems found.

    With a cache, a record whose bytes are unchanged since the last build is not parsed again;
    the cache is updated with what this run read.
    """
    source = source.resolve()
    journal_path = source / JOURNAL_FILE
    if not journal_path.is_file():
        raise BuildFailed([Problem(JOURNAL_FILE, 0, "", f"not found in {source}: every site needs a journal.yaml")])
    journal, problems = load_journal(journal_path, source, base_url)
    default_license = journal.license if journal else "CC-BY-4.0"
    paths = find_record_files(source)
    known = cache.records if cache is not None else {}
    records: dict[str, tuple[str, Article | None, tuple[Problem, ...]]] = {}
    # Paused here too, not only in each share: unpickling the workers' records is as much
    # allocation as making them (see collector.py).
    with cycle_collector_paused():
        for share_records in map_shares(_load_share, (paths, source, default_license, known), len(paths), jobs):
            # A worker answers None for a record it found unchanged, rather than sending back a
            # copy of what this process already holds.
            records.update((name, known[name] if entry is None else entry) for name, entry in share_records.items())
    if cache is not None:
        cache.records = records
    articles = [article for _, article, _ in records.values() if article is not None]
    problems.extend(problem for _, _, record_problems in records.values() for problem in record_problems)
    articles.sort(key=lambda article: article.source)
    problems.extend(find_collisions(articles, source))
    if problems or journal is None:
        raise BuildFailed(problems)
    return Loaded(journal=journal, articles=tuple(articles))


def _load_share(shared: tuple, share: int, shares: int) -> dict[str, tuple[str, Article | None, tuple[Problem, ...]] | None]:
    """Record path -> (digest of its bytes, the article or None, its problems), or None when
    the record is unchanged since the cached entry."""
    paths, source, default_license, known = shared
    records = {}
    with cycle_collector_paused():  # see collector.py: records are trees
        for path in paths[share::shares]:
            name = display_path(path, source)
            try:
                record_digest = digest(path.read_bytes(), default_license.encode())
            except OSError:
                record_digest = ""
            cached = known.get(name)
            if cached is not None and record_digest and cached[0] == record_digest:
                records[name] = None
                continue
            article, article_problems = load_article_file(path, source, default_license)
            records[name] = (record_digest, article, tuple(article_problems))
    return records


def find_collisions(articles: list[Article], source: Path) -> list[Problem]:
    """Two records may not share a DOI (case-insensitive, as DOIs are) or a page address."""
    problems = []
    for label, key in (("doi", lambda a: a.doi.lower()), ("slug", lambda a: a.slug)):
        claimed: dict[str, list[Article]] = defaultdict(list)
        for article in articles:
            claimed[key(article)].append(article)
        for value, owners in claimed.items():
            if len(owners) > 1:
                for article in owners:
                    others = ", ".join(other.source for other in owners if other is not article)
                    line = _line_of_field(source / article.source, label)
                    problems.append(Problem(article.source, line, label, f"{value!r} is also used by {others}"))
    return problems


def _line_of_field(path: Path, field: str) -> int:
    """The line where a top-level field is written; a slug made from the DOI points at `doi:`.
    Only called for the rare collision, so reading the file again costs nothing."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return 0
    for wanted in (field, "doi"):
        for number, text in enumerate(lines, start=1):
            if text.startswith(f"{wanted}:"):
                return number
    return 0
