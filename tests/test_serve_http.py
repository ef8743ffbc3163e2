"""The preview server over real HTTP: the sample journal as GitHub Pages would serve it under its
base path, the live-reload script only in served HTML, and nothing outside the build reachable."""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path

import pytest
from test_serve_support import ARTICLE_TITLE_START, ARTICLE_URL, EventStream, Preview, copy_sample, h1_text, running_preview

SECRET = "top secret: outside the served site"


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory):
    """One preview of the sample for read-only checks, with a secret file next to the served build."""
    with running_preview(copy_sample(tmp_path_factory.mktemp("serve-http"))) as running:
        root = running.session.preview.state.root
        for outside in (root.parent, root.parent.parent):
            (outside / "secret.txt").write_text(SECRET)
        yield running


def test_the_site_is_mounted_at_its_base_path_and_root_redirects_there(preview: Preview):
    assert preview.base == "/rjpho/"
    for target in ("/", "/rjpho"):
        response = preview.get(target)
        assert (response.status, response.headers["location"]) == (302, "/rjpho/")
    home = preview.get("/rjpho/")
    assert home.status == 200
    assert home.soup().select_one("h1") is not None


def test_directories_redirect_to_their_slash_and_serve_index_html(preview: Preview):
    response = preview.get("/rjpho/articles/fictional-jmml-ptpn11?x=1")
    assert (response.status, response.headers["location"]) == (302, "/rjpho/articles/fictional-jmml-ptpn11/?x=1")
    page = preview.page(ARTICLE_URL)
    assert page.status == 200
    assert h1_text(page).startswith(ARTICLE_TITLE_START)


def test_missing_pages_get_the_sites_404_page_with_status_404(preview: Preview):
    for target in ("/rjpho/no/such/page/", "/rjpho/missing.html", "/elsewhere/", "/rjpho/404.html/"):
        response = preview.get(target)
        assert response.status == 404, target
        assert h1_text(response) == "Page not found", target


def test_head_sends_the_headers_of_get_without_a_body(preview: Preview):
    for target in ("/rjpho/", "/rjpho/static/caseshelf.css", "/rjpho/nothing-here"):
        get, head = preview.get(target), preview.get(target, method="HEAD")
        assert head.status == get.status
        assert head.body == b""
        assert head.headers["content-type"] == get.headers["content-type"]
        assert int(head.headers["content-length"]) == len(get.body)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("page.html", "text/html; charset=utf-8"),
        ("style.css", "text/css; charset=utf-8"),
        ("app.js", "text/javascript; charset=utf-8"),
        ("sitemap.xml", "application/xml; charset=utf-8"),
        ("data.json", "application/json; charset=utf-8"),
        ("cite.ris", "application/x-research-info-systems; charset=utf-8"),
        ("cite.bib", "application/x-bibtex; charset=utf-8"),
        ("pagefind.wasm", "application/wasm"),
        ("index.pf_meta", "application/octet-stream"),
        ("logo.svg", "image/svg+xml"),
        ("font.woff2", "font/woff2"),
    ],
)
def test_content_types(preview: Preview, name: str, expected: str):
    root = preview.session.preview.state.root
    (root / "types").mkdir(exist_ok=True)
    (root / "types" / name).write_bytes(b"x")
    response = preview.get(f"/rjpho/types/{name}")
    assert response.status == 200
    assert response.headers["content-type"] == expected
    assert response.headers["x-content-type-options"] == "nosniff"


def test_live_reload_script_is_added_to_served_html_only(preview: Preview):
    root = preview.session.preview.state.root
    page = preview.page(ARTICLE_URL)
    scripts = [tag["src"] for tag in page.soup().select("script[src]")]
    assert "/__caseshelf__/livereload.js" in scripts
    on_disk = (root / ARTICLE_URL / "index.html").read_bytes()
    assert b"__caseshelf__" not in on_disk
    assert b"__caseshelf__" not in preview.page("static/caseshelf.css").body
    script = preview.get("/__caseshelf__/livereload.js")
    assert script.status == 200 and b"EventSource" in script.body
    assert not (preview.content.parent / "_site").exists(), "the preview must not write the user's output directory"


def test_event_stream_starts_with_the_served_sites_state(preview: Preview):
    page_site = preview.page(ARTICLE_URL).soup().select_one("script[data-site]")["data-site"]
    with EventStream(preview.origin) as events:
        first = events.next()
    assert first == {"site": page_site, "css_only_from": None, "problems": []}


@pytest.mark.parametrize(
    "target",
    [
        "/rjpho/../secret.txt",
        "/rjpho/../../secret.txt",
        "/rjpho/%2e%2e/secret.txt",
        "/rjpho/%2E%2E/%2e%2e/secret.txt",
        "/rjpho/..%2fsecret.txt",
        "/rjpho/..%2F..%2Fsecret.txt",
        "/rjpho/static/%2e%2e%2f%2e%2e%2f..%2fsecret.txt",
        "/rjpho/..%5csecret.txt",
        "/rjpho/..\\secret.txt",
        "/rjpho/static\\..\\..\\secret.txt",
        "/rjpho/.%2e/secret.txt",
        "/rjpho//../secret.txt",
        "/rjpho/%252e%252e/secret.txt",
        "/rjpho/%00/../secret.txt",
        "//rjpho/../secret.txt",
        "/../rjpho/../secret.txt",
        "http://127.0.0.1/rjpho/../secret.txt",
    ],
)
def test_path_traversal_never_reaches_files_outside_the_build(preview: Preview, target: str):
    response = preview.get(target)
    assert response.status in (400, 403, 404)
    assert SECRET.encode() not in response.body


def test_symlinks_pointing_out_of_the_build_are_not_followed(preview: Preview, tmp_path: Path):
    root = preview.session.preview.state.root
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "index.html").write_text(SECRET)
    (outside / "secret.txt").write_text(SECRET)
    os.symlink(outside / "secret.txt", root / "linked-file.txt")
    os.symlink(outside, root / "linked-dir")
    (root / "inside").mkdir()
    os.symlink(outside / "index.html", root / "inside" / "index.html")
    for target in ("/rjpho/linked-file.txt", "/rjpho/linked-dir/", "/rjpho/linked-dir/secret.txt", "/rjpho/inside/"):
        response = preview.get(target)
        assert response.status in (403, 404), target
        assert SECRET.encode() not in response.body, target


def test_a_leading_double_slash_is_not_an_open_redirect(preview: Preview):
    response = preview.get("//evil.example/rjpho")
    assert response.status == 404
    assert "location" not in response.headers


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "[::1]", "localhost:{port}", "127.0.0.1:{port}", "[::1]:{port}"])
def test_requests_for_loopback_hosts_are_answered(preview: Preview, host: str):
    port = preview.origin.rpartition(":")[2]
    assert preview.get("/rjpho/", host=host.format(port=port)).status == 200


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "localhost.evil.example", "127.0.0.1.nip.io:{port}", "bad:port"])
def test_requests_for_other_host_names_are_refused(preview: Preview, host: str):
    """A DNS-rebinding page reaches the server under its own name: refuse it, including the events."""
    port = preview.origin.rpartition(":")[2]
    for target in ("/rjpho/", "/__caseshelf__/events", "/rjpho/nothing"):
        response = preview.get(target, host=host.format(port=port))
        assert response.status == 403, (host, target)
        assert b"<html" not in response.body


def test_a_client_that_never_finishes_its_request_is_let_go(preview: Preview):
    """Slowloris: a connection that sends half a request line and waits held a server thread for
    ever. It is closed after a few seconds, and the preview goes on answering meanwhile."""
    host, port = preview.origin.removeprefix("http://").rsplit(":", 1)
    with socket.create_connection((host, int(port))) as slow:
        slow.sendall(b"GET /rjpho/ HTTP/1.1\r\nHost: local")
        assert preview.get("/rjpho/").status == 200
        slow.settimeout(30)
        started = time.monotonic()
        assert slow.recv(1024) == b"", "the server closes the connection without an answer"
        assert time.monotonic() - started < 20
