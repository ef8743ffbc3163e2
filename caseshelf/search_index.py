"""The search index: Pagefind run over the article pages, in parts that can be made one at a time.

Pagefind cannot add to an index, only make one anew, and it holds what it indexes in memory
(about 0.26 MiB an article: 38 s and 2.6 GiB for 10,000 articles in one run). The search page
merges the parts in the reader's browser (Pagefind's multisite search, `static/search.js`), but
each part costs the reader an index chunk of some 25 KiB for every word searched, so the parts
are few: the newest year's articles in one, where new articles and most edits go (remade in
seconds), and the years before in parts of whole years, each of at most MAX_PART_ARTICLES
articles, grouped from the oldest year on so that they keep their names as the archive grows.
A build remakes only the parts whose pages changed what they give the index.

`pagefind/parts.json` lists the parts, newest first, each with its years and a fingerprint of what its pages
give the index: of each page without the elements Pagefind ignores (`data-pagefind-ignore`,
whose filters and metadata it still reads unless the value is `all`). So a new title remakes
its own year's part, not those of the articles it cites, whose pages change only in their
ignored "cited in this archive by" list. A part is made again when its fingerprint differs or
its files are missing; anything else under `pagefind/` is removed. The list is written last,
so a build interrupted midway leaves none and the next one makes every part. What each page
gave is remembered beside the build cache (`search-pages.json`, with the page file's size,
time and inode number), so that only the pages a build rewrote are read again. A build without
search moves the index out of the site into the build cache's folder (`search-index/`), and
the next build with search moves it back before keeping or remaking its parts.

Each part is made by the Pagefind binary from the `pagefind_bin` wheel, as a plain subprocess
rather than through pagefind's asyncio service API (a subprocess has an exit status and its
output to report, where a service that dies mid-request leaves the API waiting), run on a
folder of hard links to the part's pages, so Pagefind reads nothing else. Up to `jobs` run at
once.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from caseshelf.model import Article
from caseshelf.parallel import map_shares
from caseshelf.problems import BuildFailed, Problem
from caseshelf.progress import counted
from caseshelf.urls import article_path, output_name

#: Where the parts go, below the site's root; the search page is told this folder.
BUNDLE_DIR = "pagefind"
#: The list of parts, in BUNDLE_DIR, read by static/search.js.
PARTS_FILE = "parts.json"
#: Where a build without search puts the index, in the build cache's folder: the index no
#: longer matches the pages (it may find articles that build removed), and the output is what
#: gets published, so it leaves the output; the next build with search takes its parts back.
KEPT_INDEX_DIR = "search-index"
#: What each page gave the index, kept in the build cache's folder.
SEARCH_PAGES_FILE = "search-pages.json"
_PARTS_FORMAT = 1
#: At most this many articles in a part of the years before the newest (unless one year has
#: more): Pagefind holds a part in memory while making it, and makes `--jobs` parts at once.
MAX_PART_ARTICLES = 10_000

_INDEXED_PAGES = re.compile(r"Indexed (\d+) pages?")


@dataclass(frozen=True, slots=True)
class IndexPart:
    """One part of the index: the article pages of one year or of a run of years."""

    name: str
    """Its folder below `pagefind/`: the year, or the first and last years (`2011-2024`)."""
    pages: tuple[str, ...]
    """The article pages it indexes, relative to the site's root (`articles/<slug>/index.html`)."""
    years: tuple[int, int]
    """The first and last years of its articles: the search page finds a part's articles by
    their Year filter."""


def index_parts(articles: Iterable[Article]) -> tuple[IndexPart, ...]:
    """The parts of the search index, newest first (the search page's first part)."""
    pages_by_year: dict[int, list[str]] = defaultdict(list)
    for article in articles:
        pages_by_year[article.year].append(output_name(article_path(article.slug)))
    years_by_part = _group_years({year: len(pages) for year, pages in pages_by_year.items()})
    return tuple(_part(years, pages_by_year) for years in reversed(years_by_part))


def _group_years(articles_per_year: dict[int, int]) -> list[list[int]]:
    """The newest year alone; the years before it in runs of at most MAX_PART_ARTICLES
    articles, from the oldest on (so a run, once full, stays as it is). Oldest run first."""
    if not articles_per_year:
        return []
    *older, newest = sorted(articles_per_year)
    runs: list[list[int]] = []
    size = 0
    for year in older:
        if not runs or size + articles_per_year[year] > MAX_PART_ARTICLES:
            runs.append([])
            size = 0
        runs[-1].append(year)
        size += articles_per_year[year]
    return [*runs, [newest]]


def _part(years: list[int], pages_by_year: dict[int, list[str]]) -> IndexPart:
    name = str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"
    return IndexPart(name, tuple(sorted(page for year in years for page in pages_by_year[year])), (years[0], years[-1]))


def build_search_index(site_dir: Path, parts: tuple[IndexPart, ...], progress: Callable[[str], None], jobs: int = 1, remembered: Path | None = None) -> None:
    """Bring `site_dir/pagefind/` up to date with the article pages in `site_dir`; problems are
    raised as BuildFailed. `progress` gets a line saying what was indexed and how long it took.
    `remembered`: the file keeping what each page gave the index (None: read every page)."""
    index_dir = site_dir / BUNDLE_DIR
    if not parts:
        # Pagefind fails when it finds nothing to index; the search page of a journal with no
        # articles yet says that search is not available.
        shutil.rmtree(index_dir, ignore_errors=True)
        progress("Search index: no articles to index yet")
        return
    made_from = _read_parts_file(index_dir)
    _remove_all_but(index_dir, {part.name for part in parts})  # the list too, until every part is in place again
    digests = _PageDigests(site_dir, parts, remembered)
    # A part with no record of what it was made from is made whatever its pages give the index
    # (in a cold build, all of them): its pages are read while Pagefind runs, for next time.
    recorded = [part for part in parts if part.name in made_from and (index_dir / part.name / "pagefind.js").is_file()]
    digests.read([page for part in recorded for page in part.pages], jobs)
    stale = [part for part in parts if part not in recorded or made_from[part.name] != digests.fingerprint(part)]
    started = time.perf_counter()
    indexed = _make_parts(site_dir, index_dir, stale, jobs, meanwhile=lambda: digests.read(digests.pages, 1))
    _write_parts_file(index_dir, parts, {part.name: digests.fingerprint(part) for part in parts})
    digests.remember()
    progress(_summary(indexed, len(stale), len(parts), time.perf_counter() - started))


def set_search_index_aside(site_dir: Path, kept: Path | None) -> bool:
    """After a build without search: move the index an earlier build made out of the site, to
    `kept`; removed where there is no `kept` (a build without the cache) or it cannot be moved
    there (on another file system: the next build with search then makes every part). Moved,
    not copied: a rename, where the index is 60 MB at 10,000 articles. Whether there was one."""
    index_dir = site_dir / BUNDLE_DIR
    if not index_dir.exists():
        return False
    if kept is None or not _moved(index_dir, kept):
        shutil.rmtree(index_dir, ignore_errors=True)
    return True


def take_search_index_back(site_dir: Path, kept: Path) -> None:
    """Before a build with search: put the index set aside back into the site, where
    build_search_index keeps the parts whose pages gave the index nothing new, as if it had
    stayed there. Removed instead when the site has an index again."""
    index_dir = site_dir / BUNDLE_DIR
    if index_dir.exists() or not _moved(kept, index_dir):
        shutil.rmtree(kept, ignore_errors=True)


def _moved(folder: Path, to: Path) -> bool:
    """Whether `folder` could be renamed `to` (replacing whatever was there)."""
    shutil.rmtree(to, ignore_errors=True)
    try:
        to.parent.mkdir(parents=True, exist_ok=True)
        os.replace(folder, to)
    except OSError:
        return False
    return True


def _summary(indexed: int, made: int, total: int, seconds: float) -> str:
    if not made:
        return "Search index: no article page changed, the index is as it was"
    pages = f"{counted(indexed, 'page')} indexed in {seconds:.2f} s"
    if made == total:
        return f"Search index: {pages}"
    return f"Search index: {pages} ({made} of its {total} parts; the others unchanged)"


class _PageDigests:
    """What each article page gives the index (`indexed_digest`), read from the page only when
    its file changed since `remembered` was written."""

    def __init__(self, site_dir: Path, parts: tuple[IndexPart, ...], remembered: Path | None):
        self.site_dir, self.remembered = site_dir, remembered
        self.pages = [page for part in parts for page in part.pages]
        self.files = {page: _file_identity(site_dir / page) for page in self.pages}
        known = _read_remembered(remembered)
        self.digests = {page: known[page][1] for page in self.pages if page in known and known[page][0] == self.files[page]}

    def read(self, pages: list[str], jobs: int) -> None:
        """Read those of `pages` not known yet, on `jobs` processes."""
        unread = [page for page in pages if page not in self.digests]
        for share in map_shares(_digest_share, (self.site_dir, unread), len(unread), jobs):
            self.digests.update(share)

    def fingerprint(self, part: IndexPart) -> str:
        hasher = hashlib.blake2b(digest_size=16)
        for page in part.pages:
            hasher.update(f"{page}\0{self.digests[page]}\n".encode("utf-8", "surrogateescape"))
        return hasher.hexdigest()

    def remember(self) -> None:
        if self.remembered is not None:
            _write_remembered(self.remembered, {page: (self.files[page], self.digests[page]) for page in self.pages})


def _digest_share(site_and_pages: tuple[Path, list[str]], share: int, shares: int) -> dict[str, str]:
    site_dir, pages = site_and_pages
    return {page: indexed_digest((site_dir / page).read_bytes()) for page in pages[share::shares]}


def indexed_digest(html: bytes) -> str:
    """A digest of what a page can give Pagefind: the page without the elements it ignores,
    but with the filters, metadata and sorts inside those, which it still reads (unless
    `data-pagefind-ignore="all"`)."""
    import lxml.html  # here: a build without search (and the preview) need not load it

    hasher = hashlib.blake2b(digest_size=16)
    if not html.strip():
        return hasher.hexdigest()
    root = lxml.html.fromstring(html)
    for ignored in root.xpath("//*[@data-pagefind-ignore]"):
        if ignored.getparent() is None:  # the whole page
            continue
        if ignored.get("data-pagefind-ignore") != "all":
            for kept in ignored.xpath(".//*[@data-pagefind-filter or @data-pagefind-meta or @data-pagefind-sort]"):
                hasher.update(lxml.html.tostring(kept, with_tail=False))
        ignored.drop_tree()
    hasher.update(lxml.html.tostring(root))
    return hasher.hexdigest()


def _file_identity(path: Path) -> list[int]:
    """Size, modification time and inode number: a file the build rewrote is a new file."""
    info = os.stat(path)
    return [info.st_size, info.st_mtime_ns, info.st_ino]


def _read_remembered(remembered: Path | None) -> dict[str, list]:
    """Page -> [file identity, digest], from the last build with search; empty when unusable."""
    if remembered is None:
        return {}
    try:
        kept = json.loads(remembered.read_text(encoding="utf-8"))
        return kept["pages"] if kept["format"] == _PARTS_FORMAT and isinstance(kept["pages"], dict) else {}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _write_remembered(remembered: Path, pages: dict[str, tuple[list[int], str]]) -> None:
    """Only saves time: a file that cannot be written is left out (every page is read next time)."""
    try:
        remembered.parent.mkdir(parents=True, exist_ok=True)
        temporary = remembered.with_name(f"{remembered.name}.tmp-{os.getpid()}")
        temporary.write_text(json.dumps({"format": _PARTS_FORMAT, "pages": pages}), encoding="utf-8")
        os.replace(temporary, remembered)
    except OSError:
        pass


def _read_parts_file(index_dir: Path) -> dict[str, str]:
    """Part name -> the fingerprint it was made from; empty when there is no usable list, or the
    parts were made by another Pagefind (the search page merges them into one index, and a
    version reads only its own bundles)."""
    try:
        listed = json.loads((index_dir / PARTS_FILE).read_text(encoding="utf-8"))
        if listed["format"] != _PARTS_FORMAT or listed.get("pagefind") != _pagefind_version():
            return {}
        return {part["name"]: part["made_from"] for part in listed["parts"]}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _write_parts_file(index_dir: Path, parts: tuple[IndexPart, ...], fingerprints: dict[str, str]) -> None:
    listed = {"format": _PARTS_FORMAT, "pagefind": _pagefind_version(), "parts": [_listed(part, fingerprints[part.name]) for part in parts]}
    (index_dir / PARTS_FILE).write_text(json.dumps(listed, indent=1) + "\n", encoding="utf-8")


def _listed(part: IndexPart, made_from: str) -> dict:
    return {"name": part.name, "years": list(part.years), "pages": len(part.pages), "made_from": made_from}


def _remove_all_but(index_dir: Path, names: set[str]) -> None:
    """Everything under `pagefind/` but the parts named: the parts of years gone, and an index
    in another layout (one made by an older caseshelf, or copied in by hand)."""
    if not index_dir.is_dir():
        index_dir.unlink(missing_ok=True)
        return
    for entry in index_dir.iterdir():
        is_folder = entry.is_dir() and not entry.is_symlink()
        if not is_folder:
            entry.unlink()
        elif entry.name not in names:
            shutil.rmtree(entry)


def _make_parts(site_dir: Path, index_dir: Path, parts: list[IndexPart], jobs: int, meanwhile: Callable[[], None]) -> int:
    """Run Pagefind for each part, `jobs` at a time, and `meanwhile` in this process once the
    first ones have started; the number of pages indexed."""
    if not parts:
        meanwhile()
        return 0
    executable = _pagefind_executable()
    running: list[tuple[IndexPart, subprocess.Popen, Path]] = []
    indexed, problems = 0, []
    at_once = max(1, jobs)
    try:
        for part in parts[:at_once]:
            running.append(_start(executable, site_dir, index_dir, part))
        meanwhile()  # Pagefind leaves a core idle much of the time, more so once the small parts are done
        for part in parts[at_once:]:
            indexed += _finish(*running.pop(0), problems)
            running.append(_start(executable, site_dir, index_dir, part))
        while running:
            indexed += _finish(*running.pop(0), problems)
    finally:
        for _, process, pages_dir in running:  # only when interrupted
            process.kill()
            process.wait()
            shutil.rmtree(pages_dir, ignore_errors=True)
    if problems:
        raise BuildFailed(problems)
    return indexed


def _start(executable: Path, site_dir: Path, index_dir: Path, part: IndexPart) -> tuple[IndexPart, subprocess.Popen, Path]:
    part_dir = index_dir / part.name
    shutil.rmtree(part_dir, ignore_errors=True)
    pages_dir = _linked_pages(site_dir, part)
    process = subprocess.Popen(
        [str(executable), "--site", str(pages_dir), "--output-path", str(part_dir.resolve())],
        cwd=pages_dir,  # Pagefind reads pagefind.yml/.toml from its working directory: never the user's
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        errors="replace",
    )
    return part, process, pages_dir


def _finish(part: IndexPart, process: subprocess.Popen, pages_dir: Path, problems: list[Problem]) -> int:
    output, _ = process.communicate()
    shutil.rmtree(pages_dir, ignore_errors=True)
    found = _INDEXED_PAGES.search(output)
    if process.returncode != 0 or found is None:
        problems.append(Problem("pagefind", 0, "search", f"Pagefind failed on the articles of {part.name} (exit {process.returncode}): {_last_lines(output)} (build with --no-search to skip the index)"))
        return 0
    return int(found.group(1))


def _linked_pages(site_dir: Path, part: IndexPart) -> Path:
    """A folder beside the site holding only the part's pages, at their paths in the site:
    hard links where the file system has them (nothing is copied), copies where not."""
    pages_dir = site_dir.parent / f".{site_dir.name}.search-{os.getpid()}-{part.name}"
    shutil.rmtree(pages_dir, ignore_errors=True)
    for page in part.pages:
        target = pages_dir / page
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(site_dir / page, target)
        except OSError:
            shutil.copyfile(site_dir / page, target)
    return pages_dir


@lru_cache(maxsize=1)  # read when the parts list is read and again when it is written
def _pagefind_version() -> str:
    try:
        return importlib.metadata.version("pagefind_bin")
    except importlib.metadata.PackageNotFoundError:
        return ""


def _pagefind_executable() -> Path:
    try:
        from pagefind_bin import get_executable

        return get_executable()
    except (ImportError, FileNotFoundError):
        raise BuildFailed([Problem("pagefind", 0, "search", "the search engine is not installed: pip install 'pagefind[bin]', or build with --no-search")]) from None


def _last_lines(output: str, count: int = 5) -> str:
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    return " / ".join(lines[-count:]) or "no output"
