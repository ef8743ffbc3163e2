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

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html

from caseshelf.problems import BuildFailed, Problem

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
        return f"{self.page}:{self.line}: {self.link}: {self.reason}"


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


def check_links(site_dir: Path, base_url: str) -> LinkReport:
    """Check every HTML page under site_dir as if served at base_url (which ends in `/`)."""
    if not site_dir.is_dir():
        raise BuildFailed([Problem(str(site_dir), 0, "output", "no built site here: run the build first (or pass --output)")])
    checker = _Checker(site_dir.resolve(), base_url)
    pages = sorted(path for path in checker.site_dir.rglob("*.html") if path.is_file())
    broken: list[BrokenLink] = []
    links = 0
    for page in pages:
        for line, link in _page_links(page):
            if not checker.is_internal(page, link):
                continue
            links += 1
            reason = checker.problem_with(page, link)
            if reason:
                broken.append(BrokenLink(checker.relative(page), line, link, reason))
    return LinkReport(len(pages), links, tuple(sorted(broken)), tuple(_bad_files(checker.site_dir)))


class _Checker:
    """Resolves links as a browser would, then looks for the file GitHub Pages would serve."""

    def __init__(self, site_dir: Path, base_url: str) -> None:
        self.site_dir = site_dir
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        parts = urlsplit(self.base_url)
        self.host = parts.netloc.lower()
        self.base_path = parts.path or "/"
        self._ids: dict[Path, frozenset[str]] = {}

    def relative(self, path: Path) -> str:
        return path.relative_to(self.site_dir).as_posix()

    def _resolve(self, page: Path, link: str):  # noqa: ANN202 - urllib's SplitResult
        return urlsplit(urljoin(self.base_url + self.relative(page), link.strip()))

    def is_internal(self, page: Path, link: str) -> bool:
        """A link to this site (relative, root-relative or absolute on its host), not mailto: etc."""
        if not link.strip() or link.strip().lower().startswith(_NOT_FETCHED):
            return False
        parts = self._resolve(page, link)
        return parts.scheme in ("http", "https") and parts.netloc.lower() == self.host

    def problem_with(self, page: Path, link: str) -> str | None:
        """Why an internal link would not work on the published site, or None when it does."""
        link = link.strip()
        parts = self._resolve(page, link)
        if page.name == "404.html" and page.parent == self.site_dir and not link.startswith(("/", "#", "http:", "https:")):
            return "relative link in 404.html, which GitHub Pages serves at any depth: start it with the base path"
        path = posixpath.normpath(unquote(parts.path) or "/")
        if parts.path.endswith("/") and path != "/":
            path += "/"
        if not (path + "/").startswith(self.base_path):
            return f"outside the site's base path {self.base_path}: it escapes the site on a project site"
        relative = path[len(self.base_path):]
        if any(part.startswith(".") for part in relative.split("/") if part):
            return "hidden file or folder: left out of the GitHub Pages artifact"
        target = self._served_file(relative)
        if target is None:
            expected = relative + "index.html" if relative == "" or relative.endswith("/") else relative
            return f"no file {expected} in the output"
        if parts.fragment and target.suffix == ".html" and not self._has_anchor(target, unquote(parts.fragment)):
            return f"no element with id {unquote(parts.fragment)!r} in {self.relative(target)}"
        return None

    def _served_file(self, relative: str) -> Path | None:
        """The file Pages serves for a path: `dir/` and `dir` both mean `dir/index.html`."""
        candidate = self.site_dir / relative if relative else self.site_dir
        if candidate.is_dir():
            candidate = candidate / "index.html"
        return candidate if candidate.is_file() else None

    def _has_anchor(self, page: Path, fragment: str) -> bool:
        if fragment in ("", "top"):  # browsers scroll to the top for these without an element
            return True
        if page not in self._ids:
            tree = _parse(page)
            self._ids[page] = frozenset(tree.xpath("//@id | //a/@name")) if tree is not None else frozenset()
        return fragment in self._ids[page]


def _parse(page: Path):  # noqa: ANN202 - lxml element or None
    data = page.read_bytes()
    if not data.strip():
        return None
    return lxml.html.fromstring(data)


def _page_links(page: Path) -> Iterator[tuple[int, str]]:
    """(line, URL) for every URL in the page a browser would follow or fetch."""
    tree = _parse(page)
    if tree is None:
        return
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


def _bad_files(site_dir: Path) -> Iterator[str]:
    for path in sorted(site_dir.rglob("*")):
        relative = path.relative_to(site_dir)
        name = relative.as_posix()
        hidden = [part for part in relative.parts if part.startswith(".")]
        if hidden:
            # Report a hidden folder once, not every file inside it.
            if name not in _KNOWN_DOTFILES and hidden == [relative.parts[-1]]:
                yield f"{name}: hidden, so upload-pages-artifact leaves it out (see include-hidden-files in pages.yml)"
        elif path.is_symlink():
            yield f"{name}: symbolic link (the Pages artifact copies whatever it points to)"
        elif _BAD_NAME_CHARS.search(path.name):
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
