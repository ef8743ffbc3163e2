"""`caseshelf check-links`: is the built site ready for GitHub Pages?

Every internal link of every HTML page (href, src, srcset, form actions, meta refresh) must
resolve to a file of the output, taking the base path into account: on a project site
(`https://user.github.io/repo/`) a root-relative `/static/x.css` escapes the site and 404s,
and 404.html, which Pages serves for a missing URL at any depth, may not use relative links.
Fragments (`#ref-3`) must name an element of their page. File names must survive the Pages
artifact: no symlinks, no characters that tar archives or Windows checkouts reject, and no
hidden files or folders, which upload-pages-artifact leaves out.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import lxml.etree
import lxml.html

from caseshelf.parallel import map_shares
from caseshelf.problems import BuildFailed, Problem, terminal_safe

#: Element -> attributes that hold one URL. `srcset` and meta refresh are read separately.
_URL_ATTRIBUTES = {
    "a": ("href",), "area": ("href",), "link": ("href",), "form": ("action",),
    "script": ("src",), "img": ("src",), "iframe": ("src",), "embed": ("src",),
    "source": ("src",), "track": ("src",), "audio": ("src",), "video": ("src", "poster"),
    "object": ("data",),
}  # fmt: skip
_SRCSET_ELEMENTS = ("img", "source")
_NOT_FETCHED = ("mailto:", "tel:", "javascript:", "data:", "about:")
_REFRESH_URL = re.compile(r"url\s*=\s*['\"]?([^'\"]+)", re.IGNORECASE)
#: Characters tar, the Pages artifact or a Windows checkout of the site cannot carry.
_BAD_NAME_CHARS = re.compile(r'[\x00-\x1f\x7f"*:<>?\\|]')
#: Our own dotfiles: the output marker and .nojekyll are not needed on Actions-deployed Pages.
_KNOWN_DOTFILES = {".caseshelf-output", ".nojekyll"}


@dataclass(frozen=True, slots=True, order=True)
class BrokenLink:
    page: str
    """The page, relative to the output directory."""
    line: int
    link: str
    """The link as written in the page."""
    reason: str

    def __str__(self) -> str:
        # The link is what a page says (`&#x1b;` in an href is an ESC): printed terminal-safe.
        return terminal_safe(f"{self.page}:{self.line}: {self.link}: {self.reason}")


@dataclass(frozen=True, slots=True)
class LinkReport:
    pages: int
    links: int
    """Internal links checked (each occurrence counts)."""
    broken: tuple[BrokenLink, ...]
    bad_files: tuple[str, ...] = field(default=())
    """`path: reason` for files GitHub Pages would not publish as they are."""

    @property
    def ok(self) -> bool:
        return not self.broken and not self.bad_files


def check_links(site_dir: Path, base_url: str, jobs: int = 1) -> LinkReport:
    """Check every HTML page under site_dir as if served at base_url (which ends in `/`), the
    pages shared among `jobs` processes."""
    if not site_dir.is_dir():
        raise BuildFailed([Problem(str(site_dir), 0, "output", "no built site here: run the build first (or pass --output)")])
    site = _Listing(site_dir.resolve())
    checker = _Checker(site, base_url)
    pages = site.pages()
    if not pages:  # a folder with no page in it is no site whose links could be checked
        raise BuildFailed([Problem(str(site_dir), 0, "output", "no HTML pages here: run the build first (or pass --output)")])
    shares = map_shares(_check_share, (checker, pages), len(pages), jobs)
    broken = [link for _, broken_in_share in shares for link in broken_in_share]
    links = sum(checked for checked, _ in shares)
    return LinkReport(len(pages), links, tuple(sorted(broken)), tuple(_bad_files(site)))


def _check_share(checker_and_pages: tuple[_Checker, list[Path]], share: int, shares: int) -> tuple[int, list[BrokenLink]]:
    """Check pages[share::shares] (in a worker process, with its own copy of the checker)."""
    checker, pages = checker_and_pages
    checked, broken = 0, []
    for page in pages[share::shares]:
        checked_here, broken_here = checker.check_page(page)
        checked += checked_here
        broken += broken_here
    return checked, broken


@dataclass(frozen=True, slots=True)
class _Resolved:
    """Where a link leads, as far as that depends on the link alone."""

    internal: bool
    problem: str | None
    """Why the link would not work, fragment aside (None when its file is there)."""
    target: Path | None
    fragment: str


class _Checker:
    """Resolves links as a browser would, then looks for the file GitHub Pages would serve.

    A site of 10,000 articles has about a million internal links, most of them the same few
    thousand written on many pages (the stylesheet, the indexes, each author's page): where a
    link leads is worked out once per link (per page, for a link relative to its page), which
    file serves a path is looked up once per path, and each page is parsed once."""

    def __init__(self, site: _Listing, base_url: str) -> None:
        self.site_dir = site.root
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        parts = urlsplit(self.base_url)
        self.host = parts.netloc.lower()
        self.base_path = parts.path or "/"
        self._ids: dict[Path, frozenset[str]] = {}
        """The ids of pages other links point into (a fragment), parsed when first asked."""
        self._resolved: dict[object, _Resolved] = {}
        self.files, self.folders = site.files, site.folders

    def relative(self, path: Path) -> str:
        return path.relative_to(self.site_dir).as_posix()

    def check_page(self, page: Path) -> tuple[int, list[BrokenLink]]:
        """How many internal links the page has, and those that are broken."""
        tree = _parse(page)
        if tree is None:
            return 0, []
        name = self.relative(page)
        page_url, ids = self.base_url + name, _ids_in(tree)
        in_root_404 = name == "404.html"
        checked, broken = 0, []
        for line, link in _page_links(tree):
            resolved = self._resolve(page, page_url, link)
            if not resolved.internal:
                continue
            checked += 1
            problem = self._problem(page, ids, link.strip(), resolved, in_root_404)
            if problem:
                broken.append(BrokenLink(name, line, link, problem))
        return checked, broken

    def _problem(self, page: Path, ids: frozenset[str], link: str, resolved: _Resolved, in_root_404: bool) -> str | None:
        """Why an internal link would not work on the published site, or None when it does."""
        if in_root_404 and not link.startswith(("/", "#", "http:", "https:")):
            return "relative link in 404.html, which GitHub Pages serves at any depth: start it with the base path"
        if resolved.problem or not resolved.fragment or resolved.target is None or resolved.target.suffix != ".html":
            return resolved.problem
        known = ids if resolved.target == page else self._ids_of(resolved.target)
        if resolved.fragment in ("", "top") or resolved.fragment in known:  # browsers scroll to the top for these without an element
            return None
        return f"no element with id {resolved.fragment!r} in {self.relative(resolved.target)}"

    def _resolve(self, page: Path, page_url: str, link: str) -> _Resolved:
        if link.startswith("#"):  # into the page itself: a page's references and notes are many
            return _Resolved(True, None, page, unquote(link[1:].strip()))
        # A root-relative or absolute link leads to the same place from any page.
        key = link if link.startswith(("/", "http:", "https:")) else (page_url, link)
        resolved = self._resolved.get(key)
        if resolved is None:
            resolved = self._resolved[key] = self._resolve_afresh(page_url, link.strip())
        return resolved

    def _resolve_afresh(self, page_url: str, link: str) -> _Resolved:
        if not link or link.lower().startswith(_NOT_FETCHED):
            return _Resolved(False, None, None, "")
        # urljoin is the costliest step, and an absolute or root-relative link needs none of it
        # (the dot segments it would remove, normpath removes below).
        needs_page = not link.startswith(("http:", "https:", "/")) or link.startswith("//")
        parts = urlsplit(urljoin(page_url, link) if needs_page else link)
        if not parts.netloc:
            parts = parts._replace(scheme="https" if self.base_url.startswith("https:") else "http", netloc=self.host)
        if parts.scheme not in ("http", "https") or parts.netloc.lower() != self.host:
            return _Resolved(False, None, None, "")
        path = posixpath.normpath(unquote(parts.path) or "/")
        if parts.path.endswith("/") and path != "/":
            path += "/"
        if not (path + "/").startswith(self.base_path):
            return _Resolved(True, f"outside the site's base path {self.base_path}: it escapes the site on a project site", None, "")
        relative = path[len(self.base_path) :]
        if any(part.startswith(".") for part in relative.split("/") if part):
            return _Resolved(True, "hidden file or folder: left out of the GitHub Pages artifact", None, "")
        target = self._served_file(relative)
        if target is None:
            expected = relative + "index.html" if relative == "" or relative.endswith("/") else relative
            return _Resolved(True, f"no file {expected} in the output", None, "")
        return _Resolved(True, None, target, unquote(parts.fragment))

    def _served_file(self, relative: str) -> Path | None:
        """The file Pages serves for a path: `dir/` and `dir` both mean `dir/index.html`."""
        name = relative.rstrip("/")
        if not name or name in self.folders:
            name = f"{name}/index.html".lstrip("/")
        if name in self.files:
            return self.site_dir / name
        # Not a plain file of the listing: a missing one, or one reached through a symbolic link.
        candidate = self.site_dir / relative if relative else self.site_dir
        if candidate.is_dir():
            candidate = candidate / "index.html"
        return candidate if candidate.is_file() else None

    def _ids_of(self, page: Path) -> frozenset[str]:
        if page not in self._ids:
            tree = _parse(page)
            self._ids[page] = _ids_in(tree) if tree is not None else frozenset()
        return self._ids[page]


#: Plain strings: lxml's "smart" strings would each keep their whole document alive.
_IDS = lxml.etree.XPath("//@id | //a/@name", smart_strings=False)


class _Listing:
    """Everything below the site's folder, found in one walk (a site of 10,000 articles has
    80,000 files): its plain files and folders, relative to it (`articles/x/index.html`), its
    symbolic links, which it does not follow, and anything else (a named pipe, say). Its pages
    are the `.html` files, those reached through a link to a file included, as a browser
    would be served them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        files, folders, links, others = set(), set(), set(), set()
        unlisted = [("", str(root))]
        while unlisted:
            prefix, folder = unlisted.pop()
            with os.scandir(folder) as entries:
                for entry in entries:
                    name = prefix + entry.name
                    if entry.is_symlink():
                        links.add(name)
                    elif entry.is_dir(follow_symlinks=False):
                        folders.add(name)
                        unlisted.append((name + "/", entry.path))
                    elif entry.is_file(follow_symlinks=False):
                        files.add(name)
                    else:
                        others.add(name)
        self.files, self.folders, self.links, self.others = frozenset(files), frozenset(folders), frozenset(links), frozenset(others)

    def pages(self) -> list[Path]:
        linked = [name for name in self.links if name.endswith(".html") and (self.root / name).is_file()]
        return [self.root / name for name in _in_path_order([name for name in self.files if name.endswith(".html")] + linked)]

    def everything(self) -> list[str]:
        """Every file, folder and link, a folder before what it holds."""
        return _in_path_order(self.files | self.folders | self.links | self.others)


def _in_path_order(names: Iterable[str]) -> list[str]:
    """Sorted as paths are (part by part), so `a/b` comes before `a-b`, as in `sorted(rglob())`."""
    return sorted(names, key=lambda name: name.split("/"))


def _ids_in(tree) -> frozenset[str]:  # noqa: ANN001 - an lxml element
    return frozenset(_IDS(tree))


def _parse(page: Path):  # noqa: ANN202 - lxml element or None
    data = page.read_bytes()
    if not data.strip():
        return None
    return lxml.html.fromstring(data)


def _page_links(tree) -> Iterator[tuple[int, str]]:  # noqa: ANN001 - an lxml element
    """(line, URL) for every URL in the page a browser would follow or fetch."""
    for element in tree.iter(*_URL_ATTRIBUTES):
        for attribute in _URL_ATTRIBUTES[element.tag]:
            value = element.get(attribute)
            if value is not None:
                yield element.sourceline or 0, value
    for element in tree.iter(*_SRCSET_ELEMENTS):
        for candidate in (element.get("srcset") or "").split(","):
            if candidate.strip():
                yield element.sourceline or 0, candidate.split()[0]
    for element in tree.iter("meta"):
        if (element.get("http-equiv") or "").lower() == "refresh":
            found = _REFRESH_URL.search(element.get("content") or "")
            if found:
                yield element.sourceline or 0, found.group(1)


def _bad_files(site: _Listing) -> Iterator[str]:
    for name in site.everything():
        parts = name.split("/")
        hidden = [part for part in parts if part.startswith(".")]
        if hidden:
            # Report a hidden folder once, not every file inside it.
            if name not in _KNOWN_DOTFILES and hidden == [parts[-1]]:
                yield f"{name}: hidden, so upload-pages-artifact leaves it out (see include-hidden-files in pages.yml)"
        elif name in site.links:
            yield f"{name}: symbolic link (the Pages artifact copies whatever it points to)"
        elif _BAD_NAME_CHARS.search(parts[-1]):
            yield f"{name}: a character in this file name is rejected by archives or Windows checkouts"


def site_base_url(source: Path, override: str | None) -> str:
    """The base_url the site was built for: --base-url when given, else journal.yaml's."""
    if override:
        parts = urlsplit(override)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise BuildFailed([Problem("--base-url", 0, "", f"{override!r} is not an absolute http(s) URL such as https://user.github.io/repo/")])
        return override if override.endswith("/") else override + "/"
    from caseshelf.loading import JOURNAL_FILE
    from caseshelf.loading.journal import load_journal

    journal_path = source.resolve() / JOURNAL_FILE
    if not journal_path.is_file():
        raise BuildFailed([Problem(JOURNAL_FILE, 0, "", f"not found in {source}: pass --source, or --base-url to say where the site is published")])
    journal, problems = load_journal(journal_path, source.resolve())
    if journal is None:
        raise BuildFailed(problems)
    return journal.base_url
