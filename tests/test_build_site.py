"""Whole-site tests: the sample journal and small fixture journals built into temporary
directories, checked with a real HTML parser: every page exists, every internal link and asset
resolves (at a host root and under sub-paths), and the index pages are in the right order."""

from __future__ import annotations

import functools
import hashlib
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from lxml import etree

from caseshelf.loading import load_content
from caseshelf.pipeline import BuildOptions, build
from caseshelf.site import Site, build_site
from caseshelf.urls import doi_path
from conftest import SAMPLE_CONTENT, write_files

SAMPLE_BASE_URL = "https://example.github.io/rjpho/"
SEED_SLUG = "2311-1267-2025-12-4-89-96"
SEED_DOI = "10.21682/2311-1267-2025-12-4-89-96"
JOURNAL = "title: Journal of Invented Cases\nbase_url: https://example.org/jic/\nlanguage: en\n"
LOOSE_ARTICLE = "---\ntitle: A *loose* article\ndoi: 10.5555/loose\nyear: 2025\nauthors:\n  - name: A. Author\n---\nText.\n"

# Reference attributes that a browser follows or loads.
LINK_ATTRIBUTES = (
    ("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"), ("source", "src"), ("iframe", "src"),
    ("form", "action"),
)  # fmt: skip


def parse(path: Path) -> BeautifulSoup:
    """A page parsed once per test session (read-only use): the sample has ~90 pages."""
    stat = path.stat()
    return _parse(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=1024)
def _parse(path: Path, mtime_ns: int, size: int) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def page_url_path(site: Path, page: Path, base_path: str) -> str:
    """The URL path a page is served at: `articles/x/index.html` -> `/base/articles/x/`."""
    relative = page.relative_to(site).as_posix()
    return base_path + (relative.removesuffix("index.html") if relative.endswith("index.html") else relative)


def target_file(site: Path, base_url: str, page_path: str, url: str) -> Path | None:
    """The output file an internal URL leads to, or None for links that leave the site.

    A root-relative URL outside the base path is internal *and broken*: under a GitHub Pages
    project sub-path it would leave the site. Returns a path that may not exist."""
    parts = urlsplit(url)
    if parts.scheme in ("mailto", "tel"):
        return None
    if parts.scheme or parts.netloc:
        if not url.startswith(base_url):
            return None  # an external link
        path = urlsplit(url).path
    else:
        path = urlsplit(urljoin(page_path, url)).path
    base_path = urlsplit(base_url).path
    if not path.startswith(base_path):
        return site / "__outside_the_base_path__" / path.lstrip("/")
    relative = unquote(path[len(base_path) :])
    if relative == "" or relative.endswith("/"):
        return site / relative / "index.html"
    return site / relative


def internal_references(site: Path, base_url: str) -> Iterator[tuple[str, str, str, Path]]:
    """(page, tag, url, target file) for every internal reference in every HTML page."""
    base_path = urlsplit(base_url).path
    for page in html_files(site):
        soup = parse(page)
        here = page_url_path(site, page, base_path)
        for tag_name, attribute in LINK_ATTRIBUTES:
            for tag in soup.find_all(tag_name, attrs={attribute: True}):
                url = tag[attribute].strip()
                if url.startswith("#"):
                    continue  # same-page anchors are checked by test_same_page_anchors_exist
                target = target_file(site, base_url, here, url)
                if target is not None:
                    yield page.relative_to(site).as_posix(), tag_name, url, target


def broken_references(site: Path, base_url: str) -> list[str]:
    return [f"{page}: <{tag}> {url}" for page, tag, url, target in internal_references(site, base_url) if not target.is_file()]


@pytest.fixture(scope="module", params=["https://example.org/sub/path/", "https://example.org/"])
def other_base_site(request, tmp_path_factory) -> tuple[Path, str]:
    """The sample journal under another base_url: a deeper sub-path, and a host root."""
    output = tmp_path_factory.mktemp("base") / "_site"
    build(BuildOptions(source=SAMPLE_CONTENT, output=output, base_url=request.param, search=False))
    return output, request.param


@pytest.fixture(scope="module")
def model() -> Site:
    return build_site(load_content(SAMPLE_CONTENT))


# --- every page of the site exists ----------------------------------------------------------


def test_every_page_listed_in_the_specification_exists(sample_site, model):
    expected = {
        "index.html", "404.html", "authors/index.html", "doi/index.html", "issues/index.html", "keywords/index.html",
        f"articles/{SEED_SLUG}/index.html", "authors/e-b-machneva/index.html", "authors/iu-a-smirnova/index.html",
        f"doi/{SEED_DOI}/index.html", "issues/12/4/index.html", "keywords/infant-leukemia/index.html",
    }  # fmt: skip
    expected |= {f"articles/{a.slug}/index.html" for a in model.articles}
    expected |= {doi_path(a.doi) + "index.html" for a in model.articles}
    expected |= {f"authors/{p.slug}/index.html" for p in model.people}
    expected |= {f"issues/{i.slug}/index.html" for i in model.issues}
    expected |= {f"keywords/{k.slug}/index.html" for k in model.keywords}
    written = {path.relative_to(sample_site).as_posix() for path in sample_site.rglob("*") if path.is_file()}
    assert expected - written == set()
    assert len(expected) == 6 + 11 + 11 + 22 + 6 + len(model.keywords)


def test_nojekyll_so_github_pages_publishes_everything(sample_site):
    assert (sample_site / ".nojekyll").is_file()


def test_every_page_is_a_complete_html_document(sample_site):
    for page in html_files(sample_site):
        soup = parse(page)
        assert soup.html is not None and soup.html.get("lang") == "en", page
        assert soup.title is not None and soup.title.get_text().strip(), page
        assert soup.find("meta", charset=True)["charset"].lower() == "utf-8", page


def test_content_pages_have_one_h1_inside_main(sample_site):
    for page in html_files(sample_site):
        soup = parse(page)
        if soup.select_one("meta[http-equiv=refresh]"):
            continue  # DOI redirects are not content pages
        assert len(soup.select("main h1")) == 1, page
        assert len(soup.select("h1")) == 1, page


def test_content_pages_have_the_themes_icon_so_browsers_ask_the_host_root_for_none(sample_site):
    for page in html_files(sample_site):
        soup = parse(page)
        if soup.select_one("meta[http-equiv=refresh]"):
            continue  # DOI redirects are left at once
        assert soup.select_one("head link[rel=icon]")["href"] == "/rjpho/static/favicon.svg", page
    icon = etree.fromstring((sample_site / "static/favicon.svg").read_bytes())
    assert icon.tag == "{http://www.w3.org/2000/svg}svg"


# --- links and assets resolve ---------------------------------------------------------------


def test_every_internal_link_and_asset_resolves(sample_site):
    assert broken_references(sample_site, SAMPLE_BASE_URL) == []
    checked = list(internal_references(sample_site, SAMPLE_BASE_URL))
    assert len(checked) > 800  # the nav links of every page, and more
    assert {tag for _, tag, _, _ in checked} == {"a", "link", "script", "form"}


def test_every_internal_link_resolves_under_another_base_url(other_base_site):
    site, base_url = other_base_site
    assert broken_references(site, base_url) == []
    hrefs = [url for _, _, url, _ in internal_references(site, base_url)]
    assert hrefs and all(url.startswith(urlsplit(base_url).path) or url.startswith(base_url) for url in hrefs)


def test_no_page_links_to_the_default_base_path_when_another_is_given(other_base_site):
    site, _ = other_base_site
    for page in html_files(site):
        for tag_name, attribute in LINK_ATTRIBUTES:
            for tag in parse(page).find_all(tag_name, attrs={attribute: True}):
                assert not tag[attribute].startswith("/rjpho/"), (page, tag[attribute])


def test_the_link_checker_notices_a_broken_link(tmp_path):
    """The checker itself must be able to fail: break links in a small built site."""
    write_files(tmp_path, {"content/journal.yaml": JOURNAL, "content/articles/a.md": LOOSE_ARTICLE})
    site = tmp_path / "_site"
    build(BuildOptions(source=tmp_path / "content", output=site, search=False))
    assert broken_references(site, "https://example.org/jic/") == []
    shutil.rmtree(site / "authors" / "a-author")
    home = site / "index.html"
    home.write_text(home.read_text().replace('href="/jic/issues/"', 'href="/issues/"', 1))
    assert set(broken_references(site, "https://example.org/jic/")) >= {
        "articles/loose/index.html: <a> /jic/authors/a-author/",
        "index.html: <a> /issues/",
    }


def test_same_page_anchors_exist(sample_site):
    for page in html_files(sample_site):
        soup = parse(page)
        ids = {tag["id"] for tag in soup.find_all(id=True)}
        for link in soup.select("a[href^='#']"):
            assert link["href"][1:] in ids, (page, link["href"])


def test_stylesheet_and_script_are_local_files(sample_site):
    article = parse(sample_site / "articles" / SEED_SLUG / "index.html")
    assert article.select_one("link[rel=stylesheet]")["href"] == "/rjpho/static/caseshelf.css"
    assert [s["src"] for s in article.select("script[src]")] == ["/rjpho/static/caseshelf.js"]


def test_no_external_requests_for_assets(sample_site):
    """The site works offline: stylesheets, scripts and images never come from another host."""
    for page in html_files(sample_site):
        soup = parse(page)
        for tag in soup.select("link[rel=stylesheet], script[src], img[src], iframe[src]"):
            url = tag.get("href") or tag.get("src")
            assert not urlsplit(url).netloc, (page, url)


def test_feed_opensearch_and_search_page_are_linked_and_present(sample_site):
    soup = parse(sample_site / "index.html")
    assert soup.select_one("link[rel~=alternate][type='application/atom+xml']")["href"] == "/rjpho/feed.xml"
    assert soup.select_one("link[rel~=search]")["href"] == "/rjpho/opensearch.xml"
    assert soup.select_one("form[role=search]")["action"] == "/rjpho/search/"
    assert (sample_site / "feed.xml").is_file() and (sample_site / "opensearch.xml").is_file()
    assert (sample_site / "search" / "index.html").is_file()


# --- DOI pages ------------------------------------------------------------------------------


def test_doi_redirect_has_canonical_link_and_immediate_refresh_to_the_article(sample_site, model):
    for article in model.articles:
        soup = parse(sample_site / doi_path(article.doi) / "index.html")
        target = f"{SAMPLE_BASE_URL}articles/{article.slug}/"
        assert soup.select_one("link[rel=canonical]")["href"] == target
        # The reader is sent within the site it is on: the preview, or a copy, not the journal's host.
        link = f"/rjpho/articles/{article.slug}/"
        assert soup.select_one("meta[http-equiv=refresh]")["content"] == f"0; url={link}"
        assert soup.select_one("body a")["href"] == link  # for readers whose browser ignores refresh
        assert soup.select_one("main h1").get_text() == f"DOI {article.doi}"  # a page like any other to them
        assert target_file(sample_site, SAMPLE_BASE_URL, "/", target).is_file()


def test_doi_index_lists_every_doi_sorted_with_title_and_citation(sample_site, model):
    rows = parse(sample_site / "doi/index.html").select("table.doi-table tbody tr")
    dois = [row.select("td")[0].a.get_text() for row in rows]
    assert dois == sorted((a.doi for a in model.articles), key=str.lower)
    seed_row = rows[dois.index(SEED_DOI)]
    assert seed_row.select("td")[0].a["href"] == f"https://doi.org/{SEED_DOI}"
    assert seed_row.select("td")[1].a["href"] == f"/rjpho/articles/{SEED_SLUG}/"
    assert "Russ J Pediatr Hematol Oncol. 2025;12(4):89-96" in seed_row.select_one(".muted").get_text()
    # one full stop after the authors, also after initials
    assert "Varfolomeeva S.R. Russ J Pediatr Hematol Oncol." in seed_row.select_one(".muted").get_text()
    assert not [row for row in rows if ".." in row.select_one(".muted").get_text()]
    assert any(". Russ J" in row.select_one(".muted").get_text() and "Study Group. Russ J" in row.select_one(".muted").get_text() for row in rows)


# --- issues ---------------------------------------------------------------------------------


def test_issues_index_newest_first(sample_site):
    soup = parse(sample_site / "issues/index.html")
    assert [h.get_text() for h in soup.select("main section h2")] == ["Volume 12 (2025)", "Volume 11 (2024)"]
    assert [a["href"] for a in soup.select("main section a")] == [
        f"/rjpho/issues/{slug}/" for slug in ("12/4", "12/2", "12/1", "11/3", "11/2", "11/1")
    ]


def test_issue_table_of_contents_ordered_by_first_page(sample_site):
    soup = parse(sample_site / "issues/12/4/index.html")
    assert soup.select_one("main h1").get_text() == "Vol. 12, No. 4 (2025)"
    citations = [" ".join(span.get_text().split()) for span in soup.select("ol.article-list .article-citation")]
    assert [c.split(":")[1].split(" ")[0] for c in citations] == ["80-88", "89-96", "97-103"]
    assert soup.select("a.article-title")[1]["href"] == f"/rjpho/articles/{SEED_SLUG}/"


def test_issue_table_of_contents_is_in_sections_by_type_each_where_its_first_article_is(sample_site):
    def sections(page: str, heading: str) -> list[tuple[str, list[str]]]:
        soup = parse(sample_site / page)
        return [
            (section.find(heading).get_text(), [" ".join(c.get_text().split()).split(":")[1].split(" ")[0] for c in section.select(".article-citation")])
            for section in soup.select("main section.toc-section")
        ]

    assert sections("issues/12/1/index.html", "h2") == [("Letters", ["5-9"]), ("Case reports", ["10-16"])]
    assert sections("issues/11/1/index.html", "h2") == [("Case reports", ["12-18"]), ("Reviews", ["19-30"])]
    assert sections("index.html", "h3") == [("Case reports", ["80-88", "89-96", "97-103"])]  # the latest issue
    # The heading says the type: the entries under it do not repeat it; other lists do.
    assert parse(sample_site / "issues/12/1/index.html").select("main .article-type") == []
    assert parse(sample_site / "keywords/infant-leukemia/index.html").select("main .article-type") != []


# --- home page --------------------------------------------------------------------------------


def test_home_page_shows_the_journal_and_the_latest_issue(sample_site):
    soup = parse(sample_site / "index.html")
    assert soup.select_one("main h1").get_text() == "Russian Journal of Pediatric Hematology and Oncology"
    facts = " ".join(soup.select_one(".journal-facts").get_text().split())
    assert "ISSN 2311-1267 (Print)" in facts and "ISSN 2413-5496 (Online)" in facts
    assert "National Society of Pediatric Hematologists and Oncologists" in facts
    latest = soup.select_one("section.latest-issue")
    assert latest.h2.a["href"] == "/rjpho/issues/12/4/"
    assert len(latest.select("a.article-title")) == 3
    links = {a["href"] for a in soup.select(".archive-links a")}
    assert {"/rjpho/issues/", "/rjpho/authors/", "/rjpho/doi/", "/rjpho/keywords/"} <= links


def _archive_counts(index: Path) -> str:
    """The counts that open the home page's archive line: "11 articles · 6 issues · 22 authors"."""
    text = " ".join(parse(index).select_one(".archive-links").get_text().split())
    return text.split(" · Issues")[0]


def test_home_page_counts_the_archive(sample_site):
    assert _archive_counts(sample_site / "index.html") == "11 articles · 6 issues · 22 authors"


def test_home_page_of_a_new_journal_counts_in_the_singular(tmp_path):
    """A journal's first article made '1 articles · 1 issues · 1 authors' on its home page."""
    write_files(tmp_path, {
        "content/journal.yaml": "title: Journal of Invented Cases\nbase_url: https://example.org/jic/\n",
        "content/articles/a.md": "---\ntitle: A first record\ndoi: 10.5555/jic.1\nyear: 2025\nvolume: 1\nissue: 1\n"
        "authors:\n  - name: A. Author\n---\nText.\n",
    })  # fmt: skip
    build(BuildOptions(source=tmp_path / "content", output=tmp_path / "_site", search=False))
    assert _archive_counts(tmp_path / "_site" / "index.html") == "1 article · 1 issue · 1 author"


def test_home_page_description_is_rendered_markdown(sample_site):
    intro = parse(sample_site / "index.html").select_one("section.journal-intro")
    assert intro.select_one("strong").get_text() == "caseshelf sample archive"
    assert intro.select_one("p a[href='https://creativecommons.org/licenses/by/4.0/']") is not None


# --- references -----------------------------------------------------------------------------------


def test_a_reference_that_writes_its_doi_shows_it_once_linked_where_it_stands(tmp_path):
    """A reference pasted as printed (as most imported ones are) has its DOI in its text too:
    the page printed it twice, '... 1006-13. doi: 10.1080/x doi: 10.1080/x.'"""
    references = [
        ("Knez V. Leuk Lymphoma. 2019;60(4):1006-13. doi: 10.1080/10428194.2018.1508667", "10.1080/10428194.2018.1508667"),
        ("Lee A. Blood. 2016. https://doi.org/10.1182/BLOOD-2016-01-1.", "10.1182/blood-2016-01-1"),
        ("Brown P. How I treat infant leukemia. Blood. 2019;133(3):205-14.", "10.1182/blood-2018-04-785980"),
        ("Ng K. A DOI that only begins like the reference's: 10.5555/abc-2.", "10.5555/abc"),
        ("Poe C. ... or goes on after a dot: 10.5555/abc.2", "10.5555/abc"),
        ("Roe B. <script>alert(1)</script> 10.5555/xyz<i>x</i>", "10.5555/xyz"),  # stays text
    ]
    listed = "".join(f'  - text: "{text}"\n    doi: "{doi}"\n' for text, doi in references)
    write_files(tmp_path, {
        "content/journal.yaml": "title: Journal of Invented Cases\nbase_url: https://example.org/jic/\n",
        "content/articles/a.md": "---\ntitle: A record\ndoi: 10.5555/jic.1\nyear: 2025\nauthors:\n  - name: A. Author\n"
        f"references:\n{listed}---\nText.\n",
    })  # fmt: skip
    build(BuildOptions(source=tmp_path / "content", output=tmp_path / "_site", search=False))
    items = parse(tmp_path / "_site" / "articles" / "jic-1" / "index.html").select("section.references li")
    shown = [(" ".join(li.get_text().split()), [(a["href"], a.get_text()) for a in li.select("a.ref-doi")]) for li in items]
    assert shown == [
        (references[0][0], [("https://doi.org/10.1080/10428194.2018.1508667", "10.1080/10428194.2018.1508667")]),
        # The DOI as the text writes it is the link's text; the link is to the record's DOI.
        # A resolver's address before the DOI is part of the link's text: the reader sees one address.
        (references[1][0], [("https://doi.org/10.1182/blood-2016-01-1", "https://doi.org/10.1182/BLOOD-2016-01-1")]),
        (f"{references[2][0]} doi: 10.1182/blood-2018-04-785980.", [("https://doi.org/10.1182/blood-2018-04-785980", "10.1182/blood-2018-04-785980")]),
        (f"{references[3][0]} doi: 10.5555/abc.", [("https://doi.org/10.5555/abc", "10.5555/abc")]),
        (f"{references[4][0]} doi: 10.5555/abc.", [("https://doi.org/10.5555/abc", "10.5555/abc")]),
        (references[5][0], [("https://doi.org/10.5555/xyz", "10.5555/xyz")]),
    ]
    assert not [element.name for item in items for element in item.select("script, i")]


# --- authors ------------------------------------------------------------------------------------


def test_authors_index_a_to_z_with_article_counts(sample_site, model):
    soup = parse(sample_site / "authors/index.html")
    letters = [h.get_text() for h in soup.select("main section h2")]
    assert letters == sorted(letters)
    assert [a.get_text() for a in soup.select("nav.letters a")] == letters
    entries = {li.a.get_text(): li.select_one(".count").get_text() for li in soup.select("ul.index-list li")}
    assert len(entries) == len(model.people) == 22
    assert entries["José Núñez"] == "4 articles"
    assert entries["E. B. Machneva"] == "1 article"
    assert entries["Ю. А. Смирнова"] == "4 articles"
    smirnova_section = soup.find("a", string="Ю. А. Смирнова").find_parent("section")
    assert smirnova_section.h2.get_text() == "S"  # filed under its transliteration


def test_author_page_affiliations_latest_first_articles_newest_first_coauthors_linked(sample_site):
    soup = parse(sample_site / "authors/jose-nunez/index.html")
    assert soup.select_one("main h1").get_text() == "José Núñez"
    assert soup.select_one(".orcid-line a")["href"] == "https://orcid.org/0000-0002-1825-0097"
    years = [li.select_one(".muted").get_text() for li in soup.select("ul.affiliation-history li")]
    assert years == ["(2025)", "(2024)"]
    citations = [span.get_text() for span in soup.select("ol.article-list .article-citation")]
    assert [c.split(". ")[1][:4] for c in citations] == ["2025", "2024", "2024", "2024"]
    issues = [c.split(";")[1].split(":")[0] for c in citations]
    assert issues == ["12(4)", "11(3)", "11(1)", "11(1)"]
    coauthors = {a.get_text(): a["href"] for a in soup.select("main section:last-of-type ul a")}
    assert coauthors == {
        "Anouk van den Berg": "/rjpho/authors/anouk-van-den-berg/",
        "Lucía Fernández-Ortega": "/rjpho/authors/lucia-fernandez-ortega/",
        "Priya Raman": "/rjpho/authors/priya-raman/",
        "Zoë Müller": "/rjpho/authors/zoe-muller/",
        "Ю. А. Смирнова": "/rjpho/authors/iu-a-smirnova/",
    }


def test_every_byline_name_links_to_an_author_page_showing_that_article(sample_site, model):
    for article in model.articles:
        soup = parse(sample_site / "articles" / article.slug / "index.html")
        for link in soup.select("ul.byline li > a:first-child"):
            author_page = parse(target_file(sample_site, SAMPLE_BASE_URL, "/", link["href"]))
            listed = [a["href"] for a in author_page.select("ol.article-list a.article-title")]
            assert f"/rjpho/articles/{article.slug}/" in listed, (article.slug, link["href"])


# --- keywords --------------------------------------------------------------------------------


def test_keywords_index_and_keyword_page(sample_site):
    index = parse(sample_site / "keywords/index.html")
    counts = {li.a.get_text(): li.select_one(".count").get_text() for li in index.select("ul.index-list li")}
    assert counts["infant leukemia"] == "3"
    page = parse(sample_site / "keywords/infant-leukemia/index.html")
    assert page.select_one("main h1").get_text() == "infant leukemia"
    assert len(page.select("a.article-title")) == 3


# --- 404 -------------------------------------------------------------------------------------------


def test_404_page_links_work_from_any_depth(sample_site):
    soup = parse(sample_site / "404.html")
    assert soup.select_one("main h1").get_text() == "Page not found"
    for tag_name, attribute in LINK_ATTRIBUTES:
        for tag in soup.find_all(tag_name, attrs={attribute: True}):
            url = tag[attribute]
            assert url.startswith(("/rjpho/", "#", "https://")), url  # never relative to the missing URL
    offered = {link.get_text(): link["href"] for link in soup.select("main a")}
    assert offered == {"home page": "/rjpho/", "DOI index": "/rjpho/doi/", "search the archive": "/rjpho/search/"}


# --- builds are reproducible ---------------------------------------------------------------------


def digest_tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_for_byte_identical(sample_site, tmp_path):
    """Same content, same site: slugs, orders and pages do not depend on the run.

    Crossref deposits are the exception by design: Crossref requires a new, larger
    <timestamp> and batch id for every deposit, so they carry the build time."""
    again = tmp_path / "_site"
    build(BuildOptions(source=SAMPLE_CONTENT, output=again, search=False))
    first, second = digest_tree(sample_site), digest_tree(again)
    assert first.keys() == second.keys()
    differing = sorted(name for name in first if first[name] != second[name])
    # The Crossref deposit carries its timestamp and the marker file the build's id: nothing else may differ.
    assert [name for name in differing if not name.startswith("crossref/") and name != ".caseshelf-output"] == []


# --- small fixture journals ---------------------------------------------------------------------


def test_archive_without_volumes_lists_recent_articles_on_home(tmp_path):
    write_files(
        tmp_path,
        {
            "content/journal.yaml": JOURNAL,
            "content/articles/a.md": LOOSE_ARTICLE,
        },
    )
    build(BuildOptions(source=tmp_path / "content", output=tmp_path / "_site", search=False))
    site = tmp_path / "_site"
    home = parse(site / "index.html")
    assert home.select_one("section.latest-issue") is None
    assert [a["href"] for a in home.select("a.article-title")] == ["/jic/articles/loose/"]
    assert home.select_one("a.article-title em").get_text() == "loose"  # Markdown in titles
    assert parse(site / "issues/index.html").select_one("main p").get_text() == "No issues yet."
    assert broken_references(site, "https://example.org/jic/") == []


def test_empty_archive_builds(tmp_path):
    write_files(tmp_path, {"content/journal.yaml": JOURNAL, "content/articles/.gitkeep": ""})  # as git keeps an empty folder
    build(BuildOptions(source=tmp_path / "content", output=tmp_path / "_site", search=False))
    site = tmp_path / "_site"
    assert {p.relative_to(site).as_posix() for p in html_files(site)} >= {
        "index.html", "404.html", "authors/index.html", "doi/index.html", "issues/index.html", "keywords/index.html",
    }  # fmt: skip
    assert not any(site.glob("articles/*/index.html")) and not any(site.glob("authors/*/index.html"))
    doi_index = parse(site / "doi/index.html")
    assert doi_index.select("main table") == [] and doi_index.select_one("main p").get_text() == "No articles yet."
    assert broken_references(site, "https://example.org/jic/") == []


_DOI_RECORD = "---\ntitle: T\ndoi: '{doi}'\nyear: 2025\nslug: {slug}\nauthors:\n  - name: A. Author\n---\n"


def resolvers_built(tmp_path: Path, records: dict[str, tuple[str, str]]) -> list[str]:
    """The paths of the DOI resolver pages of a journal of `records` (file name -> (DOI, slug)),
    built once every link of the site is checked to resolve."""
    files = {f"content/articles/{name}.md": _DOI_RECORD.format(doi=doi, slug=slug) for name, (doi, slug) in records.items()}
    write_files(tmp_path, {"content/journal.yaml": JOURNAL, **files})
    build(BuildOptions(source=tmp_path / "content", output=tmp_path / "_site", search=False))
    site = tmp_path / "_site"
    assert broken_references(site, "https://example.org/jic/") == []
    return sorted(p.relative_to(site).as_posix() for p in (site / "doi").rglob("index.html") if p.parent != site / "doi")


def test_doi_with_unusual_characters_gets_a_safe_resolver_path(tmp_path):
    # `<` and `>` (old Wiley DOIs in SICI form have them) are forbidden in Windows file names, as `:` is.
    doi = "10.5555/ABC(2025)<1>:x;y"
    assert resolvers_built(tmp_path, {"a": (doi, "odd")}) == ["doi/10.5555/abc(2025)_1__x_y/index.html"]


def test_a_doi_part_starting_with_a_dot_gets_a_resolver_github_pages_publishes(tmp_path):
    # The Pages workflow's upload leaves hidden files and folders out: /doi/10.5555/.x/ would 404.
    assert resolvers_built(tmp_path, {"a": ("10.5555/.hidden/.v2", "hidden")}) == ["doi/10.5555/_hidden/_v2/index.html"]


def test_a_doi_naming_another_dois_page_file_gets_a_folder_of_its_own(tmp_path):
    # /doi/10.5555/p/ is written as doi/10.5555/p/index.html: a DOI 10.5555/p/index.html/x
    # needed that file as a folder, and the build failed with "File exists" in its staging folder.
    resolvers = resolvers_built(tmp_path, {"a": ("10.5555/p", "p"), "b": ("10.5555/p/index.html/x", "x")})
    assert resolvers == ["doi/10.5555/p/index.html", "doi/10.5555/p/index_html/x/index.html"]


def test_the_listed_paths_of_each_article_are_those_of_its_pages():
    """The build lists every output path (for collisions and the cache) without planning the
    article pages; the list must name the pages the build then writes."""
    from caseshelf.pages import article_page_paths, article_pages

    site = build_site(load_content(SAMPLE_CONTENT))
    assert site.articles
    for article in site.articles:
        assert article_page_paths(article) == tuple(page.path for page in article_pages(site, article, None))


def test_front_matter_in_roman_numerals_opens_its_issue(front_matter_site):
    soup = parse(front_matter_site / "issues/8/1/index.html")
    citations = [" ".join(span.get_text().split()) for span in soup.select("ol.article-list .article-citation")]
    assert [c.split(":")[1].split(" ")[0] for c in citations] == ["iii-iv", "IX", "1-7"]


@pytest.mark.parametrize(("facts", "shown"), [
    ("issn_online: 2413-5496\n", "ISSN 2413-5496 (Online)"),
    ("publisher: Invented Society\n", "Invented Society"),
    ("issn_print: 2311-1267\npublisher: Invented Society\n", "ISSN 2311-1267 (Print) · Invented Society"),
    ("issn_print: 2311-1267\nissn_online: 2413-5496\n", "ISSN 2311-1267 (Print) · ISSN 2413-5496 (Online)"),
])  # fmt: skip
def test_the_home_page_separates_the_journals_facts_it_has_and_only_those(tmp_path, facts, shown):
    """An online-only journal's facts began with a separator: ` · ISSN 2413-5496 (Online)`."""
    write_files(tmp_path, {"content/journal.yaml": JOURNAL + facts, "content/articles/a.md": LOOSE_ARTICLE})
    build(BuildOptions(source=tmp_path / "content", output=tmp_path / "_site", search=False))
    home = BeautifulSoup((tmp_path / "_site/index.html").read_text(encoding="utf-8"), "html.parser")
    assert " ".join(home.select_one(".journal-facts").get_text().split()) == shown
