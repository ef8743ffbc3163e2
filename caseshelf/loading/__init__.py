"""Stage 1: load and validate `content/` into a `Loaded` (journal + articles), or fail with every problem.

Nothing is written and nothing is rendered here; the result is plain immutable records.
"""

from __future__ import annotations

import os
import time
from collections import defaultdict
from pathlib import Path

from caseshelf.loading.articles import is_record_name, load_record, slug_from_doi
from caseshelf.collector import cycle_collector_paused
from caseshelf.loading.journal import load_journal
from caseshelf.loading.source import read_record_bytes, start_reading
from caseshelf.cache import SETTLED_SECONDS, BuildCache, digest
from caseshelf.model import Article, Loaded
from caseshelf.parallel import map_shares
from caseshelf.progress import SILENT, Meter
from caseshelf.problems import BuildFailed, Problem
from caseshelf.theme import is_in_project

JOURNAL_FILE = "journal.yaml"
ARTICLES_DIR = "articles"


def find_record_files(source: Path) -> list[Path]:
    """Every article record under content/articles, in a stable order."""
    return [source / name for name in find_record_names(source)]


def find_record_names(source: Path) -> list[str]:
    """Every record's path relative to `source` as messages and the cache name it
    (`articles/2019/a.md`), in the order of `find_record_files`; links that are not read are
    left out (see `list_records`)."""
    return list_records(source)[0]


def list_records(source: Path) -> tuple[list[str], list[Problem]]:
    """`find_record_names`, and a problem for each link under articles/ that is not read.

    A link to a record file is read when it leads to a file in the project: a link elsewhere on
    the machine is a problem, for the build would publish that file, and quote its field names
    in its problems (in a public CI log, say). A link to a folder is not followed (nor watched
    by the preview, nor looked at for changes): a problem says so, where os.walk skipped it.

    Made as text from what os.scandir lists: every build walks all the records, and making,
    comparing and relativising a Path object per record cost half a second at 10,000.
    """
    if not (source / ARTICLES_DIR).is_dir():
        return [], []
    found: list[str] = []
    problems: list[Problem] = []
    folders = [ARTICLES_DIR]
    while folders:
        folder = folders.pop()
        try:
            entries = _entries(source / folder)
        except OSError as error:  # os.walk skipped a folder it could not list, and its records
            problems.append(Problem(folder, 0, "", f"cannot be listed: {error.strerror or error}"))
            continue
        for entry in entries:
            name = f"{folder}/{entry.name}"
            if entry.is_dir(follow_symlinks=False):
                folders.append(name)
            elif entry.is_symlink() and entry.is_dir():
                problems.append(Problem(name, 0, "", "is a link to a folder, which caseshelf does not follow: move the records into articles/"))
            elif not is_record_name(entry.name):
                continue
            elif not entry.is_symlink() or is_in_project(source / name, source):
                found.append(name)
            else:
                problems.append(Problem(name, 0, "", "is a link to a file outside the project, which a build does not read: copy the record here"))
    found.sort(key=_path_order)
    return found, sorted(problems)


def _entries(folder: Path) -> list[os.DirEntry]:
    with os.scandir(folder) as entries:
        return list(entries)


def _path_order(name: str) -> list[str]:
    """Paths sort directory by directory (`a/b.md` before `a-c.md`), as Path objects do."""
    return name.split("/")


def load_content(source: Path, base_url: str | None = None, jobs: int = 1, cache: BuildCache | None = None, meter: Meter = SILENT) -> Loaded:
    """Read journal.yaml and every record; raise BuildFailed listing all problems found.

    With a cache, a record whose size and modification time are those of the last build is not
    read again, one whose bytes are unchanged is not parsed again; the cache is updated with
    what this run read.
    """
    source = source.resolve()
    missing = missing_journal(source)
    if missing is not None:
        raise BuildFailed([missing])
    journal, problems = load_journal(source / JOURNAL_FILE, source, base_url)
    default_license = journal.license if journal else "CC-BY-4.0"
    problems += _articles_folder_problems(source)
    if not os.path.lexists(source / ARTICLES_DIR):  # a new journal; or a folder moved away by mistake
        meter.warning(f"Warning: no folder {ARTICLES_DIR}/ beside {JOURNAL_FILE} in {source}: the site has no articles")
    names, link_problems = list_records(source)
    names, badly_named = _by_name_encoding(names)
    problems += link_problems + [Problem(name, 0, "", "the file name is not UTF-8 text: rename it") for name in badly_named]
    known = cache.records if cache is not None else {}
    # Records whose size and time are unchanged are found here: after an edit, that is nearly
    # all of them, and the workers would cost more to start than the rest costs to read.
    records = _unchanged_records(names, source, default_license, known)
    to_read = [name for name in names if name not in records]
    # Paused here too, not only in each share: unpickling the workers' records is as much
    # allocation as making them (see caseshelf/collector.py).
    meter.stage("Reading records", len(to_read), "record")
    with cycle_collector_paused():
        for share_records in map_shares(_load_share, (to_read, source, default_license, known), len(to_read), jobs, meter.advance):
            records.update(share_records)
    records = {name: records[name] for name in names}  # problems are reported in file order
    if cache is not None:
        cache.records = records
    articles = [entry[1] for entry in records.values() if entry[1] is not None]
    problems.extend(problem for entry in records.values() for problem in entry[2])
    for entry in records.values():
        for warning in entry[4]:  # kept in the cache too: every build says them
            meter.warning(warning.as_warning())
    articles.sort(key=lambda article: article.source)
    problems.extend(find_collisions(articles, source))
    if problems or journal is None:
        raise BuildFailed(problems)
    return Loaded(journal=journal, articles=tuple(articles))


def missing_journal(source: Path) -> Problem | None:
    """The problem of a content folder without its journal.yaml; None when it has one."""
    if (source / JOURNAL_FILE).is_file():
        return None
    if not source.is_dir():
        # Most often the command was typed in another folder than the journal's (a new
        # terminal opens in the home folder), where the default `content` does not exist.
        return Problem(
            JOURNAL_FILE, 0, "",
            f"not found in {source}: there is no such folder. Run the command in your journal's "
            "folder (the one that holds content/), or name the content folder with --source DIR",
        )
    return Problem(JOURNAL_FILE, 0, "", f"not found in {source}: every site needs a journal.yaml")


def _articles_folder_problems(source: Path) -> list[Problem]:
    """An `articles` that is not a folder (a file, a link to nothing) is a mistake to report,
    not an archive without articles: building it would empty a good site."""
    folder = source / ARTICLES_DIR
    if folder.is_dir() or not os.path.lexists(folder):
        return []
    return [Problem(ARTICLES_DIR, 0, "", f"is not a folder: the records go in a folder {ARTICLES_DIR}/ beside {JOURNAL_FILE}, one Markdown file per article")]


def _by_name_encoding(names: list[str]) -> tuple[list[str], list[str]]:
    """The record paths that are UTF-8 text, and those that are not (bytes the file system
    gave that decode to no character: every page and cache key names its record in UTF-8)."""
    good, bad = [], []
    for name in names:
        (good if name.isascii() or _is_utf8(name) else bad).append(name)
    return good, bad


def _is_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _unchanged_records(names: list[str], source: Path, default_license: str, known: dict[str, RecordEntry]) -> dict[str, RecordEntry]:
    """Record path -> the cached entry, for each record whose `_signature` is the cached one."""
    root, now = os.path.join(str(source), ""), time.time()
    unchanged = {}
    for name in names:
        cached = known.get(name)
        if cached is not None and cached[3] is not None and _signature(root + name, default_license, now) == cached[3]:
            unchanged[name] = cached
    return unchanged


def _load_share(shared: tuple, share: int, shares: int) -> dict[str, RecordEntry]:
    """Record path -> its entry (see `RecordEntry`), for records whose size or time differ
    from the cached entry's (`_unchanged_records` found the others)."""
    names, source, default_license, known = shared
    root = os.path.join(str(source), "")
    records: dict[str, RecordEntry] = {}
    started = time.time()
    share_names = names[share::shares]
    start_reading([root + name for name in share_names])
    with cycle_collector_paused():  # see caseshelf/collector.py: records are trees
        for name in share_names:
            path = root + name
            cached = known.get(name)
            signature = _signature(path, default_license, started)
            try:
                raw: bytes | None = read_record_bytes(path)
                record_digest = digest(raw, default_license.encode())
            except OSError:
                raw, record_digest = None, ""  # load_record reads it again, to say why it cannot
            if cached is not None and record_digest and cached[0] == record_digest:
                records[name] = (*cached[:3], signature, cached[4])  # touched, not changed
                continue
            article, article_problems, warnings = load_record(Path(path), name, default_license, raw)
            records[name] = (record_digest, article, tuple(article_problems), signature, tuple(warnings))
    return records


#: (digest of the file's bytes, the article or None, its problems, its `_signature`, its warnings).
RecordEntry = tuple[str, Article | None, tuple[Problem, ...], tuple | None, tuple[Problem, ...]]


def _signature(path: str, default_license: str, now: float) -> tuple | None:
    """Size and modification time of the file (and the license records default to): equal
    signatures mean the same record, without reading it. None when it cannot be trusted."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    if now - info.st_mtime < SETTLED_SECONDS:  # may still change unseen: read it next time too
        return None
    return info.st_size, info.st_mtime_ns, default_license


def find_collisions(articles: list[Article], source: Path) -> list[Problem]:
    """Two records may not share a DOI (case-insensitive, as DOIs are) or a page address."""
    problems = []
    for label, key in (("doi", lambda a: a.doi.lower()), ("slug", lambda a: a.slug)):
        claimed: dict[str, list[Article]] = defaultdict(list)
        for article in articles:
            claimed[key(article)].append(article)
        for value, owners in claimed.items():
            if len(owners) < 2:
                continue
            if label == "slug" and _is_slug_of_one_doi(owners):
                continue  # the DOI's own problem says it all: fixing the DOI fixes the slug
            for article in owners:
                others = ", ".join(other.source for other in owners if other is not article)
                line = _line_of_field(source / article.source, label)
                problems.append(Problem(article.source, line, label, f"{value!r} is also used by {others}"))
    return problems


def _is_slug_of_one_doi(owners: list[Article]) -> bool:
    """Records sharing one DOI, each with the slug made from it: a copied record whose DOI
    was not changed. Its slug collision would double the lines of the DOI's."""
    return len({article.doi.lower() for article in owners}) == 1 and all(
        article.slug == slug_from_doi(article.doi) for article in owners
    )


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
