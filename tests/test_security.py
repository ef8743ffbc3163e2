"""Hostile records cannot put executable markup in the site, and the output directory is only
ever a directory caseshelf made.

A fixture journal carries classic injection strings in every field a reader sees (title,
authors, affiliations, keywords, abstract, references, journal title and description). Every
produced HTML page is parsed with a real HTML parser and must contain no script but the
theme's own, no `on*` attribute and no `javascript:`-style URL; the other outputs must still be
well-formed XML and JSON.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from lxml import etree
from playwright.sync_api import expect

from caseshelf.cli import main
from caseshelf.pipeline import BuildOptions, build
from caseshelf.write import Staging
from conftest import static_server, write_files

BREAK_OUT = '"><script>alert(1)</script>'
ATTRIBUTE = "' onmouseover=alert(1) x='"
MARKDOWN_LINK = "[x](javascript:alert(1))"
RAW_IMG = "<img src=x onerror=alert(1)>"
PAYLOADS = (BREAK_OUT, ATTRIBUTE, MARKDOWN_LINK, RAW_IMG)

HOSTILE_ABSTRACT = f"""\
## Background {BREAK_OUT}

{BREAK_OUT} and {ATTRIBUTE} and {MARKDOWN_LINK} and {RAW_IMG}.

<a href="javascript:alert(1)">raw link</a> <svg onload=alert(1)></svg>
<iframe src="javascript:alert(1)"></iframe> <object data="x.swf"></object>

[upper](JAVASCRIPT:alert(1)) [tab](java&#x09;script:alert(1)) [vb](vbscript:msgbox(1))
[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) ![img](javascript:alert(1))
<javascript:alert(1)> [ref]
[msdt](ms-msdt:/id%20PCWDiagnostic) [search](search-ms:query=x) <intent://x#Intent;end> [jar](JAR:file:///x!/)

[ref]: javascript:alert(1)

<script>alert("raw block")</script>
"""

#: DOIs may hold `<` and `>` (old Wiley DOIs do), but no space or `"`: what a DOI can carry.
HOSTILE_DOI = "10.5555/</script><script>alert(1)</script><img/src=x/onerror=alert(1)>'onmouseover=alert(1)//&amp;]]>"
HOSTILE_REFERENCE_DOI = "10.5555/<svg/onload=alert(1)>--><!--"
TITLE_WITH_LINKS = "Links [x](https://evil.example/) ![p](https://evil.example/p.png) <https://evil.example/a>"
BASE_URL = "https://example.org/jic/"
THEME_SCRIPTS = {"/jic/static/caseshelf.js", "/jic/static/search.js"}
DANGEROUS_URL = re.compile(r"^(javascript|vbscript|data|file):", re.IGNORECASE)
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcdoc", "background")


def front_matter(fields: dict, body: str = "") -> str:
    return "---\n" + yaml.safe_dump(fields, allow_unicode=True, sort_keys=False) + "---\n" + body


def hostile_files() -> dict[str, str]:
    journal = {
        "title": f"Journal {BREAK_OUT}",
        "abbreviation": f"J {ATTRIBUTE}",
        "publisher": f"Publisher {ATTRIBUTE} {RAW_IMG}",
        "base_url": BASE_URL,
        "description": f"Description {MARKDOWN_LINK} {RAW_IMG} {BREAK_OUT}",
    }
    first = {
        "title": f"Title {BREAK_OUT} {MARKDOWN_LINK} {RAW_IMG}",
        "doi": "10.5555/jic.hostile1",
        "year": 2025,
        "volume": "1",
        "issue": "1",
        "pages": "1-9",
        "keywords": list(PAYLOADS),
        "affiliations": {"clinic": {"name": f"Clinic {BREAK_OUT}", "address": ATTRIBUTE, "country": RAW_IMG}},
        "authors": [
            {"name": f"A. {BREAK_OUT}", "degrees": BREAK_OUT, "position": ATTRIBUTE, "affiliations": ["clinic"],
             "email": "a@example.org", "corresponding": True},
            {"name": f"B. {ATTRIBUTE}", "affiliations": ["clinic"]},
            {"name": f"C. {MARKDOWN_LINK}"},
            {"name": RAW_IMG, "group": True},
        ],
        "references": [
            {"text": f"Reference {BREAK_OUT} {RAW_IMG}", "doi": "10.5555/jic.hostile2"},
            {"text": f"Reference {ATTRIBUTE} {MARKDOWN_LINK}", "url": "https://example.org/?q='onmouseover=alert(1)"},
        ],
    }  # fmt: skip
    second = {
        "title": ATTRIBUTE,
        "doi": "10.5555/jic.hostile2",
        "year": 2024,
        "volume": "1",
        "issue": "1",
        "pages": "10-12",
        "keywords": [BREAK_OUT],
        "authors": [{"name": f"A. {BREAK_OUT}"}],
    }
    third = {
        "title": TITLE_WITH_LINKS,
        "doi": "10.5555/jic.links",
        "year": 2025,
        "volume": "1",
        "issue": "1",
        "pages": "13-15",
        "authors": [{"name": "D. Author"}],
        "references": [{"text": "Cites the first", "doi": "10.5555/jic.hostile1"}, {"text": "Cites the fourth", "doi": HOSTILE_DOI}],
    }
    fourth = {
        "title": "Hostile identifiers",
        "doi": HOSTILE_DOI,
        "slug": "jic-hostile-doi",
        "year": 2025,
        "volume": "1",
        "issue": "1",
        "pages": "16-18",
        "authors": [{"name": "E. Author"}],
        "references": [{"text": "Cites a hostile DOI", "doi": HOSTILE_REFERENCE_DOI}],
    }
    return {
        "content/articles/fourth.md": front_matter(fourth, "Text."),
        "content/articles/third.md": front_matter(third, "Text."),
        "content/journal.yaml": yaml.safe_dump(journal, allow_unicode=True),
        "content/articles/first.md": front_matter(first, HOSTILE_ABSTRACT),
        "content/articles/second.yaml": yaml.safe_dump({**second, "abstract": HOSTILE_ABSTRACT}, allow_unicode=True),
    }


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    write_files(root, hostile_files())
    build(BuildOptions(source=root / "content", output=root / "_site", search=False))
    return root / "_site"


def pages(site: Path) -> list[tuple[str, BeautifulSoup]]:
    return [(p.relative_to(site).as_posix(), BeautifulSoup(p.read_text("utf-8"), "html.parser")) for p in sorted(site.rglob("*.html"))]


def test_the_hostile_site_has_all_its_pages(hostile_site):
    names = {name for name, _ in pages(hostile_site)}
    assert {"articles/jic-hostile1/index.html", "articles/jic-hostile2/index.html", "index.html"} <= names
    assert len([n for n in names if n.startswith("keywords/") and n != "keywords/index.html"]) == 4


def executable_markup(soup: BeautifulSoup) -> list[str]:
    """Everything in a page that could run code: foreign scripts, on* handlers, script URLs."""
    found = []
    for tag in soup.find_all(True):
        if tag.name == "script":
            if tag.get("type") == "application/ld+json":
                try:
                    json.loads(tag.string or "")  # metadata must stay one intact JSON value
                except ValueError:
                    found.append(f"broken JSON-LD: {str(tag)[:120]}")
            elif tag.get("src") not in THEME_SCRIPTS or (tag.string or "").strip():
                found.append(f"script: {str(tag)[:120]}")
        found += [f"handler {name}: {str(tag)[:120]}" for name in tag.attrs if name.lower().startswith("on")]
        for attribute in URL_ATTRIBUTES:
            value = tag.get(attribute)
            if value is not None and DANGEROUS_URL.match(re.sub(r"[\x00-\x20]", "", value)):
                found.append(f"{attribute}={value!r}")
    return found


def test_no_executable_markup_in_any_page(hostile_site):
    for name, soup in pages(hostile_site):
        assert executable_markup(soup) == [], name


@pytest.mark.parametrize(
    "html",
    [
        '<p>"><script>alert(1)</script></p>',
        '<script src="/jic/static/caseshelf.js">alert(1)</script>',
        "<p title='' onmouseover=alert(1) x=''>x</p>",
        '<a href=" JavaScript:alert(1)">x</a>',
        '<a href="java\tscript:alert(1)">x</a>',
        '<iframe src="data:text/html,x"></iframe>',
        '<script type="application/ld+json">{"name": "</script><script>alert(1)</script>"}</script>',
    ],
)
def test_the_checks_notice_executable_markup(html):
    assert executable_markup(BeautifulSoup(html, "html.parser")) != []


def test_no_embedded_or_raw_html_elements(hostile_site):
    for name, soup in pages(hostile_site):
        assert soup.find_all(["iframe", "object", "embed", "svg", "img", "frame", "base", "form"], recursive=True) == [
            form for form in soup.find_all("form") if form.get("role") == "search"
        ], name


def test_meta_refresh_only_on_doi_redirects_and_only_to_the_site(hostile_site):
    for name, soup in pages(hostile_site):
        for meta in soup.select("meta[http-equiv]"):
            assert meta["http-equiv"].lower() == "refresh" and name.startswith("doi/"), name
            assert meta["content"].startswith(f"0; url={urlsplit(BASE_URL).path}articles/"), meta["content"]


def test_hostile_text_is_shown_as_text_not_dropped(hostile_site):
    article = BeautifulSoup((hostile_site / "articles/jic-hostile1/index.html").read_text("utf-8"), "html.parser")
    assert article.select_one("main h1").get_text() == f"Title {BREAK_OUT} {MARKDOWN_LINK} {RAW_IMG}"
    assert [a.get_text() for a in article.select("ul.byline li > a:first-child")] == [
        f"A. {BREAK_OUT}", f"B. {ATTRIBUTE}", f"C. {MARKDOWN_LINK}", RAW_IMG,
    ]  # fmt: skip
    assert [a.get_text() for a in article.select("section.keywords a")] == list(PAYLOADS)
    abstract = article.select_one("section.abstract").get_text()
    assert RAW_IMG in abstract and '<script>alert("raw block")</script>' in abstract
    # Hostile links are dropped, and so are links of schemes that start a program on the
    # reader's system (ms-msdt:, search-ms:...); `java&#x09;script:` survives only as a harmless
    # relative path (`java%09script:...` has no scheme: '%' cannot occur in one).
    links = [a["href"] for a in article.select("section.abstract a")]
    assert all(urlsplit(href).scheme == "" for href in links), links


def test_hostile_dois_are_shown_as_text_and_linked_percent_encoded(hostile_site):
    fourth = BeautifulSoup((hostile_site / "articles/jic-hostile-doi/index.html").read_text("utf-8"), "html.parser")
    link = fourth.select_one("a.doi")
    assert link["href"] == link.get_text() == (
        "https://doi.org/10.5555/%3C/script%3E%3Cscript%3Ealert(1)%3C/script%3E%3Cimg/src=x/onerror=alert(1)%3E"
        "'onmouseover=alert(1)//&amp;%5D%5D%3E"
    )
    assert [(a["href"], a.get_text()) for a in fourth.select("a.ref-doi")] == [
        ("https://doi.org/10.5555/%3Csvg/onload=alert(1)%3E--%3E%3C!--", HOSTILE_REFERENCE_DOI)
    ]
    third = BeautifulSoup((hostile_site / "articles/jic-links/index.html").read_text("utf-8"), "html.parser")
    assert third.select_one("#ref-2 a.ref-doi").get_text() == HOSTILE_DOI
    assert third.select_one("#ref-2 a.local-link")["href"] == "/jic/articles/jic-hostile-doi/"


def test_titles_carry_no_links_or_images(hostile_site):
    """A title sits inside links (tables of contents, cited-by lists): a link in it would nest
    <a> elements, and an image would load from another host."""
    article = BeautifulSoup((hostile_site / "articles/jic-links/index.html").read_text("utf-8"), "html.parser")
    assert article.select_one("main h1").get_text() == TITLE_WITH_LINKS
    for name, soup in pages(hostile_site):
        assert soup.select("a a, h1 a, title *") == [], name
        assert not any("evil.example" in (tag.get("href", "") + tag.get("src", "")) for tag in soup.find_all(True)), name


def test_hostile_names_get_safe_slugs(hostile_site):
    for path in hostile_site.rglob("*"):
        relative = path.relative_to(hostile_site).as_posix()
        assert re.fullmatch(r"[a-z0-9._()/\-]+", relative.lower()), relative
    assert (hostile_site / "authors/a-script-alert-1-script/index.html").is_file()


def test_other_outputs_stay_well_formed(hostile_site):
    for path in hostile_site.rglob("*"):
        if path.suffix == ".xml":
            etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
        elif path.suffix == ".json":
            json.loads(path.read_text("utf-8"))


def test_payloads_survive_yaml_writing_as_intended():
    """Guards the fixture: the records really carry the payloads, unescaped."""
    files = hostile_files()
    text = files["content/articles/first.md"]
    fields = yaml.safe_load(text.split("---\n")[1])
    assert fields["title"] == f"Title {BREAK_OUT} {MARKDOWN_LINK} {RAW_IMG}"
    assert RAW_IMG in text.split("---\n", 2)[2]


# --- output directory safety --------------------------------------------------------------------

JOURNAL = "title: J\nbase_url: https://example.org/\n"
ARTICLE = "---\ntitle: T\ndoi: 10.5555/t\nyear: 2025\nauthors:\n  - name: A. Author\n---\nText.\n"


def digest_tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def project(tmp_path) -> Path:
    write_files(tmp_path, {"content/journal.yaml": JOURNAL, "content/articles/t.md": ARTICLE})
    return tmp_path


def run_build(project: Path, output: Path) -> int:
    return main(["build", "--source", str(project / "content"), "--output", str(output), "--no-search", "--quiet"])


@pytest.mark.parametrize("where", ["content", "content/_site", "content/articles", ".", "content/.."])
def test_refuses_to_build_where_the_content_is(project, where, capsys):
    before = digest_tree(project)
    assert run_build(project, project / where) == 1
    err = capsys.readouterr().err
    assert "output: refusing to build here" in err
    assert digest_tree(project) == before


@pytest.mark.parametrize(("where", "folder"), [(".caseshelf-cache", ".caseshelf-cache"), ("static", "static"), ("templates/site", "templates")])
def test_refuses_to_build_into_a_folder_the_build_reads(project, where, folder, capsys):
    """The cache and the theme's own folders: a site built there would be read back by the
    next build (a template override, a static file published again, a cache entry)."""
    assert run_build(project, project / "_site") == 0
    before = digest_tree(project)
    assert run_build(project, project / where) == 1
    assert f"output: refusing to build in {folder}/: the build reads that folder" in capsys.readouterr().err
    assert digest_tree(project) == before


def test_an_output_whose_marker_is_not_text_is_built_anew(project):
    """The marker names the build that made the output; one overwritten with bytes that are
    not text names none, so nothing of the output is trusted and the site is made whole."""
    output = project / "_site"
    assert run_build(project, output) == 0
    site = digest_tree(output)
    (output / ".caseshelf-output").write_bytes(bytes(range(256)))
    (output / "articles/t/index.html").write_text("edited by hand")
    assert run_build(project, output) == 0
    assert (output / ".caseshelf-output").read_text(encoding="utf-8").startswith("This directory is generated by caseshelf")
    now = digest_tree(output)
    assert now.keys() == site.keys()
    assert [path for path in now if now[path] != site[path]] == [".caseshelf-output"]  # a new build's id


def test_refuses_a_non_empty_directory_it_did_not_make(project, capsys):
    mine = project / "my-files"
    write_files(mine, {"thesis.docx": "precious", "notes/todo.txt": "keep"})
    before = digest_tree(mine)
    assert run_build(project, mine) == 1
    assert "refusing to replace this directory: it was not made by caseshelf" in capsys.readouterr().err
    assert digest_tree(mine) == before


def test_builds_into_an_empty_directory_and_replaces_its_own_output(project):
    output = project / "_site"
    output.mkdir()
    assert run_build(project, output) == 0
    (output / "stale.html").write_text("from an older build")
    assert run_build(project, output) == 0
    assert not (output / "stale.html").exists()
    assert (output / "articles/t/index.html").is_file()
    # No staging directory left behind; the build cache is expected beside the content.
    assert [p.name for p in project.iterdir() if p.name.startswith(".")] == [".caseshelf-cache"]


def test_refuses_an_output_path_that_is_a_file(project, capsys):
    target = project / "site.txt"
    target.write_text("a file, not a directory")
    assert run_build(project, target) == 1
    assert "output" in capsys.readouterr().err
    assert target.read_text() == "a file, not a directory"


@pytest.mark.parametrize("base_url", ["https://example.org//evil.example/", "https://example.org/\\evil.example/", "https://example.org/jic//x/"])
def test_a_base_url_whose_links_browsers_read_as_another_host_is_refused(project, base_url, capsys):
    """Every link starts with the base path: with `//evil.example/` (or `/\\evil.example/`,
    a backslash being a slash to browsers) the pages loaded their scripts and styles from
    evil.example in Chromium."""
    (project / "content/journal.yaml").write_text(f"title: J\nbase_url: '{base_url}'\n", encoding="utf-8")
    assert run_build(project, project / "_site") == 1
    assert f"base_url: {base_url!r} has an empty folder" in capsys.readouterr().err
    (project / "content/journal.yaml").write_text(JOURNAL, encoding="utf-8")
    assert main(["build", "--source", str(project / "content"), "--output", str(project / "_site"), "--base-url", base_url, "-q"]) == 1
    assert f"--base-url: {base_url!r} has an empty folder" in capsys.readouterr().err
    assert not (project / "_site").exists()


@pytest.mark.parametrize("path", ["../escaped.html", "a/../../escaped.html", "/tmp/escaped.html", "a\\..\\escaped.html", "a\x00b.html"])
def test_no_output_path_can_leave_the_output_directory(tmp_path, path):
    with Staging(tmp_path / "site") as staging:
        with pytest.raises(ValueError, match="unsafe output path"):
            staging.write(path, b"x")
        staging.write("articles/a-slug/index.html", b"fine")
        staging.write("articles/a-slug/article.xml", b"fine too")
        assert (staging.root / "articles/a-slug/article.xml").read_bytes() == b"fine too"
    assert not (tmp_path / "escaped.html").exists()


# --- what a page makes the reader's browser fetch -------------------------------------------------

REMOTE_IMAGES = "A case ![pixel *one*](https://tracker.example/p.png) and ![](//tracker.example/q.png), [![badge](https://tracker.example/b.png)](https://example.org/about)."


def test_images_on_other_hosts_are_links_that_no_page_fetches(tmp_path, page):
    """An abstract's or the description's image on another host would be fetched by every
    reader's browser (a record could count and follow the journal's readers): it is shown as a
    link to the image, and only images of the site itself (or inline data) are shown."""
    journal = {"title": "J", "base_url": BASE_URL, "description": REMOTE_IMAGES}
    record = {"title": "Images", "doi": "10.5555/jic.images", "year": 2025, "authors": [{"name": "A. Author"}]}
    www = tmp_path / "www"
    write_files(tmp_path, {"content/journal.yaml": yaml.safe_dump(journal), "content/articles/a.md": front_matter(record, REMOTE_IMAGES)})
    build(BuildOptions(source=tmp_path / "content", output=www / "jic", search=False))
    with static_server(www) as origin:
        elsewhere = []
        page.on("request", lambda request: None if request.url.startswith(origin) else elsewhere.append(request.url))
        for address in ("/jic/", "/jic/articles/jic-images/"):
            page.goto(origin + address)
            page.wait_for_load_state("networkidle")
            assert page.locator("main img").count() == 0, address
            links = page.locator("main a[href*='tracker.example']")
            assert links.evaluate_all("links => links.map(a => [a.textContent, a.getAttribute('href')])") == [
                ["pixel one", "https://tracker.example/p.png"], ["//tracker.example/q.png", "//tracker.example/q.png"],
            ], address  # fmt: skip
            assert page.locator("main a[href='https://example.org/about']").inner_text() == "badge", address
    assert elsewhere == []


# --- the search page -------------------------------------------------------------------------


@contextmanager
def searchable_site(root: Path, record: dict, abstract: str) -> Iterator[str]:
    """A journal of one record, built with its search index and served; yields the origin."""
    www = root / "www"
    write_files(root, {"content/journal.yaml": yaml.safe_dump({"title": "J", "base_url": BASE_URL}), "content/articles/a.md": front_matter(record, abstract)})
    build(BuildOptions(source=root / "content", output=www / "jic", search=True))
    with static_server(www) as origin:
        yield origin


def test_search_filters_show_a_records_volume_and_issue_as_text(tmp_path, page):
    """Pagefind's search page puts each filter's value into its label as HTML: a volume
    `<img src=x onerror=...>` ran the record's script there, in Chromium."""
    volume, issue = "<img src=x onerror=window.__pwned=1>", "<svg onload=window.__pwned=2> & 2"
    record = {"title": "Filters", "doi": "10.5555/jic.filters", "year": 2025, "volume": volume, "issue": issue, "authors": [{"name": "A. Author"}]}
    with searchable_site(tmp_path, record, "Words.") as origin:
        page.goto(f"{origin}/jic/search/?q=words")
        expect(page.locator(".pagefind-ui__result")).to_have_count(1)
        issue_filter = page.locator("details.pagefind-ui__filter-block", has_text="Issue")
        issue_filter.locator("summary").click()
        shown = f"Vol. {volume}, {issue} (1)".replace("<", "\uff1c").replace(">", "\uff1e").replace("&", "\uff06")
        expect(issue_filter.locator(".pagefind-ui__filter-label")).to_have_text(shown)  # full-width <, > and &
        assert page.evaluate("window.__pwned") is None


def test_search_results_and_the_query_show_hostile_text_as_text(tmp_path, page):
    """Titles, names, the citation and excerpts come from the index, and the query from the
    address: all are shown as text (a guard on Pagefind's own escaping, which caseshelf relies on)."""
    payload = "<img src=x onerror=window.__pwned=1>"
    typed = "&lt;img src=x onerror=window.__pwned=2&gt;"  # entities typed in the record itself
    record = {"title": f"Zebra {payload} {typed}", "doi": "10.5555/jic.results<img/src=x/onerror=window.__pwned=3>", "year": 2025, "volume": "1",
              "authors": [{"name": f"A. {payload}"}], "keywords": [payload]}  # fmt: skip
    with searchable_site(tmp_path, record, f"Zebra words {payload} {typed} {RAW_IMG}") as origin:
        page.goto(f"{origin}/jic/search/?q={quote('zebra ' + payload)}")
        result = page.locator(".pagefind-ui__result")
        expect(result).to_have_count(1)
        expect(page.locator("#search input[type=text]")).to_have_value("zebra " + payload)
        expect(result.locator(".pagefind-ui__result-title")).to_contain_text(payload)
        expect(result.locator("[data-pagefind-ui-meta=authors]")).to_contain_text("onerror=window.__pwned=1>")  # `Family I.`
        expect(result.locator(".pagefind-ui__result-excerpt")).to_contain_text(payload)
        assert result.locator("img, svg, script").count() == 0
        assert page.evaluate("window.__pwned") is None


# --- what the terminal shows ------------------------------------------------------------------

TERMINAL_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
RETITLE = "\x1b]0;owned\x07\x9b2J"  # an OSC sequence that retitles the window, then C1 CSI "clear screen"


def test_problems_quote_what_a_record_says_without_terminal_controls(project, capsys):
    """A field named with ESC ] ... BEL (or C1 controls) was printed raw in its problem line."""
    record = ARTICLE.replace("year: 2025\n", f'year: 2025\n"{RETITLE.encode("unicode_escape").decode()}": 1\n')
    (project / "content/articles/t.md").write_text(record, encoding="utf-8")
    assert main(["check", "--source", str(project / "content")]) == 1
    printed = "".join(capsys.readouterr())
    assert "articles/t.md:5: \\x1b]0;owned\\x07\\x9b2J: unknown field" in printed
    assert TERMINAL_CONTROL.findall(printed.replace("\n", "")) == []


def test_import_lines_quote_the_source_without_terminal_controls(project, capsys):
    work = json.loads((Path(__file__).parent / "fixtures/import/crossref-work.json").read_text(encoding="utf-8"))
    work.get("message", work)["license"] = [{"URL": f"https://example.org/{RETITLE}"}]
    source = project / "work.json"
    source.write_text(json.dumps(work), encoding="utf-8")
    assert main(["import", "crossref", "--source", str(project / "content"), "-v", str(source)]) == 0
    printed = "".join(capsys.readouterr())
    assert "license https://example.org/\\x1b]0;owned\\x07\\x9b2J is not one caseshelf knows" in printed
    assert TERMINAL_CONTROL.findall(printed.replace("\n", "")) == []


def test_check_links_quotes_a_broken_link_without_terminal_controls(project, capsys):
    assert run_build(project, project / "_site") == 0
    home = project / "_site/index.html"
    home.write_text(home.read_text("utf-8").replace("</main>", '<a href="&#x1b;]0;owned&#x07;.html">x</a></main>'), "utf-8")
    capsys.readouterr()
    assert main(["check-links", "--source", str(project / "content"), "--output", str(project / "_site")]) == 1
    printed = "".join(capsys.readouterr())
    assert ": \\x1b]0;owned\\x07.html: " in printed  # the link as the page's parser reads it
    assert TERMINAL_CONTROL.findall(printed.replace("\n", "")) == []


# --- what the build reads ---------------------------------------------------------------------


def test_a_cname_linked_to_a_file_outside_the_project_is_not_read(project, capsys):
    """A wrong domain is quoted in its problem line, so a CNAME linked to a one-line secret
    outside the project printed the secret in the build's log."""
    secret = project.parent / f"{project.name}-credentials"
    secret.write_text("https://user:TOKEN-5f1c2e@github.com\n", encoding="utf-8")
    (project / "content/CNAME").symlink_to(secret)
    assert main(["check", "--source", str(project / "content")]) == 1
    printed = "".join(capsys.readouterr())
    assert "CNAME: is a link to a file outside the project" in printed
    assert "TOKEN-5f1c2e" not in printed
