"""The preview's rules one by one, on real files: routing, Host names, ignored files, content
types, the injected script, change summaries, debouncing and build comparison."""

from __future__ import annotations

import threading
import time
from pathlib import Path, PurePath

import pytest

from caseshelf.problems import Problem
from caseshelf.serve.console import describe_changes
from caseshelf.serve.content_types import content_type
from caseshelf.serve.livereload import inject
from caseshelf.serve.preview import SiteState, count_rewritten
from caseshelf.serve.routing import NOT_FOUND, Redirect, ServeFile, is_allowed_host, route
from caseshelf.serve.watch import Change, Debouncer, is_ignored


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    for name in ("index.html", "404.html", "articles/a/index.html", "static/s.css", "empty/.keep"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(name)
    (tmp_path / "secret.txt").write_text("secret")
    return root


@pytest.mark.parametrize("base", ["/", "/rjpho/"])
def test_routes_to_files_index_pages_and_slash_redirects(site: Path, base: str):
    assert route(base, base, site) == ServeFile((site / "index.html").resolve())
    assert route(f"{base}articles/a/", base, site) == ServeFile((site / "articles/a/index.html").resolve())
    assert route(f"{base}articles/a/?q=1#top", base, site) == ServeFile((site / "articles/a/index.html").resolve())
    assert route(f"{base}articles/a", base, site) == Redirect(f"{base}articles/a/")
    assert route(f"{base}static/s.css", base, site) == ServeFile((site / "static/s.css").resolve())
    assert route(f"{base}static/s.css/", base, site) == NOT_FOUND
    assert route(f"{base}empty/", base, site) == NOT_FOUND, "no directory listings"
    assert route(f"{base}%61rticles/%61/", base, site) == ServeFile((site / "articles/a/index.html").resolve())


def test_a_slash_redirect_keeps_a_query_only_of_visible_characters(site: Path):
    assert route("/articles/a?q=1&r=%20x", "/", site) == Redirect("/articles/a/?q=1&r=%20x")
    assert route("/articles/a?a\x00b\x01\xff", "/", site) == Redirect("/articles/a/")


def test_the_site_root_and_the_bare_base_path_redirect_to_the_base_path(site: Path):
    assert route("/", "/rjpho/", site) == Redirect("/rjpho/")
    assert route("/rjpho", "/rjpho/", site) == Redirect("/rjpho/")
    assert route("/other/index.html", "/rjpho/", site) == NOT_FOUND


@pytest.mark.parametrize("base", ["/", "/rjpho/"])
@pytest.mark.parametrize(
    "attack",
    ["../secret.txt", "%2e%2e/secret.txt", "..%2fsecret.txt", "..%2Fsecret.txt", "..%5csecret.txt", "..\\secret.txt",
     "articles/../../secret.txt", ".%2E/secret.txt", "/../secret.txt", "%00../secret.txt", "..", "%2e%2e", "./index.html",
     "%ff/", "articles//a/", "\x01"],
)  # fmt: skip
def test_traversal_and_odd_paths_are_not_found(site: Path, base: str, attack: str):
    assert route(base + attack, base, site) == NOT_FOUND


@pytest.mark.parametrize("target", ["/" + "a" * 300, "/" + "a" * 300 + "/", "/b" * 2000 + "/", "/loop/", "/loop/x.html"])
def test_names_the_file_system_cannot_look_up_are_not_found(site: Path, target: str):
    """A name longer than the file system allows, a path longer than the system's limit or a
    symbolic link loop: the lookup fails with an error, and the request must not."""
    (site / "loop").symlink_to(site / "loop")
    assert route(target, "/", site) == NOT_FOUND


def test_symlinks_are_followed_only_inside_the_site(site: Path):
    (site / "inside-link.css").symlink_to(site / "static" / "s.css")
    (site / "outside-link.txt").symlink_to(site.parent / "secret.txt")
    (site / "outside-dir").symlink_to(site.parent)
    assert route("/inside-link.css", "/", site) == ServeFile((site / "static/s.css").resolve())
    assert route("/outside-link.txt", "/", site) == NOT_FOUND
    assert route("/outside-dir/", "/", site) == NOT_FOUND
    assert route("/outside-dir/secret.txt", "/", site) == NOT_FOUND


@pytest.mark.parametrize(
    ("header", "bound", "allowed"),
    [
        ("localhost:8000", "127.0.0.1", True),
        ("LOCALHOST", "127.0.0.1", True),
        ("127.0.0.1:8000", "127.0.0.1", True),
        ("[::1]:8000", "127.0.0.1", True),
        ("preview.localhost:8000", "127.0.0.1", True),
        ("192.168.1.20:8000", "0.0.0.0", True),
        ("my-laptop.lan:8000", "my-laptop.lan", True),
        (None, "127.0.0.1", True),
        ("attacker.example:8000", "127.0.0.1", False),
        ("attacker.example", "0.0.0.0", False),
        ("localhost.attacker.example", "127.0.0.1", False),
        ("localhost:80x", "127.0.0.1", False),
        ("[::1", "127.0.0.1", False),
        ("", "127.0.0.1", False),
    ],
)
def test_host_header_check(header: str | None, bound: str, allowed: bool):
    assert is_allowed_host(header, bound) is allowed


@pytest.mark.parametrize(
    ("name", "ignored"),
    [
        ("articles/2025/x.md", False),
        ("articles/2025/.x.md.swp", True),
        ("articles/2025/x.md~", True),
        ("articles/2025/.#x.md", True),
        ("articles/2025/#x.md#", True),
        ("articles/2025/4913", True),
        ("articles/2025/x.md.tmp", True),
        ("articles/2025/x.md___jb_tmp___", True),
        (".git/index", True),
        ("articles/.hidden/x.md", True),
        ("journal.yaml", False),
        ("caseshelf.css", False),
    ],
)
def test_editor_and_system_noise_is_ignored(name: str, ignored: bool):
    assert is_ignored(PurePath(name)) is ignored


def test_content_types_do_not_depend_on_the_machine():
    assert content_type(PurePath("a/B.HTML")) == "text/html; charset=utf-8"
    assert content_type(PurePath("x.ris")) == "application/x-research-info-systems; charset=utf-8"
    assert content_type(PurePath("x.unknown-suffix")) == "application/octet-stream"


def test_the_script_goes_before_the_last_closing_body_tag_or_at_the_end():
    state = SiteState("abc-1", None, "/", None, (), 1)
    page = inject(b"<html><body><p>a</body> text</BODY></html>", state)
    assert page.startswith(b"<html><body><p>a</body> text<script src=")
    assert page.endswith(b"</script>\n</BODY></html>")
    assert b'data-site="abc-1"' in page
    assert inject(b"fragment", state).startswith(b"fragment<script")


def test_change_summaries(tmp_path: Path):
    kept = tmp_path / "content" / "a.md"
    kept.parent.mkdir()
    kept.write_text("x")
    gone = tmp_path / "content" / "b.md"
    temporary = tmp_path / "content" / "sedX1y2z3"
    assert describe_changes([Change("created", temporary), Change("moved", temporary), Change("moved_to", kept)], tmp_path) == "changed content/a.md"
    assert describe_changes([Change("deleted", gone)], tmp_path) == "deleted content/b.md"
    assert describe_changes([Change("moved", gone), Change("moved_to", kept)], tmp_path) == "renamed content/b.md → content/a.md"
    assert describe_changes([Change("modified", kept), Change("closed", kept), Change("deleted", gone)], tmp_path) == "changed content/a.md and 1 more"


def test_change_summaries_show_what_a_name_holds_instead_of_sending_it_to_the_terminal(tmp_path: Path):
    # ESC ] 0 ; ... BEL retitles the terminal's window; ESC [ 2 J clears it.
    evil = tmp_path / "content" / "evil\x1b]0;pwned\x07\x1b[2J.md"
    evil.parent.mkdir()
    evil.write_text("x")
    assert describe_changes([Change("modified", evil)], tmp_path) == "changed content/evil\\x1b]0;pwned\\x07\\x1b[2J.md"
    problem = Problem("articles/evil\x1b[2J.md", 2, "title", "required field is missing")
    assert str(problem) == "articles/evil\\x1b[2J.md:2: title: required field is missing"


def test_a_burst_of_changes_gives_one_batch_and_later_changes_another():
    batches: list[list[Change]] = []
    delivered = threading.Semaphore(0)

    def collect(batch: list[Change]) -> None:
        batches.append(batch)
        delivered.release()

    debouncer = Debouncer(collect, quiet=0.2, max_delay=10)
    debouncer.start()
    try:
        burst = [Change(kind, Path("a.md")) for kind in ("moved", "created", "modified", "closed")]
        for change in burst:
            debouncer.add([change])
        assert delivered.acquire(timeout=10)
        debouncer.add([Change("modified", Path("b.md"))])
        assert delivered.acquire(timeout=10)
    finally:
        debouncer.stop()
    assert batches == [burst, [Change("modified", Path("b.md"))]]


def test_a_steady_stream_of_changes_still_gets_a_rebuild():
    delivered = threading.Event()
    debouncer = Debouncer(lambda batch: delivered.set(), quiet=0.5, max_delay=0.3)
    debouncer.start()
    try:
        deadline = time.monotonic() + 10
        while not delivered.is_set() and time.monotonic() < deadline:
            debouncer.add([Change("modified", Path("a.md"))])  # never quiet for 0.5 s
            time.sleep(0.05)
        assert delivered.is_set()
    finally:
        debouncer.stop()


def test_rewritten_files_are_those_with_a_new_inode_and_those_removed():
    before = {"kept.html": 1, "rendered.html": 2, "removed.html": 3}
    after = {"kept.html": 1, "rendered.html": 4, "added.html": 5}
    assert count_rewritten(before, after) == 3
    assert count_rewritten(after, after) == 0
