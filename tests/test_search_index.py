"""The search index: Pagefind's parts (the newest year, and the years before in parts of at most
10,000 articles), made by the build and remade only when their article pages change. Read here as Pagefind wrote them (its list of pages and the text it
kept of each); what readers see when they search is in test_search_browser.py."""

from __future__ import annotations

import gzip
import importlib.metadata
import json
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from caseshelf.pipeline import BuildOptions, build, forget_kept_caches
from caseshelf.problems import BuildFailed
from caseshelf.cache import CACHE_DIR
from caseshelf.file_tree import FileTree
from caseshelf.freshness import check_freshness
from caseshelf.search_index import KEPT_INDEX_DIR, MAX_PART_ARTICLES, SEARCH_PAGES_FILE, IndexPart, build_search_index, index_parts, indexed_digest
from conftest import SAMPLE_CONTENT, write_files
from test_cache import edit

SEED_PAGE = "/articles/2311-1267-2025-12-4-89-96/"
THROMBUS_RECORD = "articles/2024/11-2/fictional-neonatal-atrial-thrombus.md"
THROMBUS_PAGE = "/articles/caseshelf-11-2-e0123/"
VENETOCLAX_RECORD = "articles/2025/12-4/fictional-venetoclax-bridging.md"
VENETOCLAX_TITLE = "Venetoclax bridging to a second transplant"
LINEAGE_PAGE = "/articles/caseshelf-11-1-19/"  # 2024, cited by the venetoclax case
FANCONI_RECORD = "articles/2025/12-1/fictional-fanconi-anemia.md"
FANCONI_PAGE = "/articles/caseshelf-12-1-10/"


def page_with_body(heading: str) -> str:
    return f"<html><body><main data-pagefind-body><h1>{heading}</h1></main></body></html>"


def parts_listed(site: Path) -> list[str]:
    return [part["name"] for part in json.loads((site / "pagefind" / "parts.json").read_text(encoding="utf-8"))["parts"]]


def indexed_pages(site: Path, part: str) -> dict[str, str]:
    """Page URL -> the text Pagefind kept of it, in one part: its fragments, each gzip-compressed
    JSON after a signature."""
    pages = {}
    for fragment in (site / "pagefind" / part / "fragment").iterdir():
        page = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))
        pages[page["url"]] = page["content"]
    return pages


def part_times(site: Path, part: str) -> dict[str, int]:
    return {path.relative_to(site).as_posix(): path.stat().st_mtime_ns for path in (site / "pagefind" / part).rglob("*") if path.is_file()}


def search_lines(lines: list[str]) -> list[str]:
    return [line for line in lines if line.startswith("Search index:")]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the sample journal with the default theme copied beside it (so it can be edited)."""
    shutil.copytree(SAMPLE_CONTENT, tmp_path / "content")
    for theme_dir in ("templates", "static"):
        shutil.copytree(SAMPLE_CONTENT.parent / theme_dir, tmp_path / theme_dir)
    return tmp_path


def edit_author_pages(project: Path) -> None:
    """A change to the theme that changes no article page."""
    edit(project / "templates" / "author.html", "{% block main %}", "{% block main %}<!-- edited -->")


def build_with_search(project: Path, search: bool = True) -> list[str]:
    """Build as a new process would (the cache read from disk); the progress lines."""
    forget_kept_caches()
    lines: list[str] = []
    build(BuildOptions(source=project / "content", output=project / "_site", search=search, jobs=2), progress=lines.append)
    return lines


# --- a cold build ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def searched_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str], dict[str, float]]:
    """The sample journal built with its search index: (output, progress lines, stage timings)."""
    output = tmp_path_factory.mktemp("searched") / "_site"
    lines: list[str] = []
    report = build(BuildOptions(source=SAMPLE_CONTENT, output=output, search=True), progress=lines.append)
    return output, lines, report.timings


def test_the_sample_index_has_a_part_for_each_of_its_two_years_newest_first(searched_site):
    output, _, _ = searched_site
    assert parts_listed(output) == ["2025", "2024"]
    assert [part["years"] for part in json.loads((output / "pagefind" / "parts.json").read_text(encoding="utf-8"))["parts"]] == [[2025, 2025], [2024, 2024]]
    for part in ("2025", "2024"):
        for name in ("pagefind.js", "pagefind-ui.js", "pagefind-ui.css", "pagefind-entry.json"):
            assert (output / "pagefind" / part / name).is_file(), (part, name)
    assert sorted(path.name for path in (output / "pagefind").iterdir()) == ["2024", "2025", "parts.json"]


def test_each_part_holds_the_article_pages_of_its_years(searched_site):
    output, _, _ = searched_site
    in_2024, in_2025 = indexed_pages(output, "2024"), indexed_pages(output, "2025")
    assert len(in_2024) == 4 and len(in_2025) == 7
    assert THROMBUS_PAGE in in_2024 and SEED_PAGE in in_2025
    assert all(url.startswith("/articles/") for url in [*in_2024, *in_2025])  # no other page


def test_build_reports_the_search_step_and_its_time(searched_site):
    _, lines, timings = searched_site
    assert search_lines(lines)[0].startswith("Search index: 11 pages indexed in")
    assert "search" in timings


def test_the_references_are_not_indexed(searched_site):
    """An article is not found by the words of the works it cites (Rubnitz wrote some of the
    seed article's references, nothing else in the journal)."""
    output, _, _ = searched_site
    text = indexed_pages(output, "2025")[SEED_PAGE]
    assert "infantile acute B-cell lymphoblastic leukemia" in text  # the title
    assert "Rubnitz" not in text and "References" not in text


def test_the_labels_of_the_article_details_are_words_of_their_own(searched_site):
    """Pagefind ran a `<dt>` into its `<dd>`: excerpts read "DOIhttps://doi.org/..." and
    "Published inRussian Journal...", and the word "Russian" there was not found."""
    output, _, _ = searched_site
    words = indexed_pages(output, "2025")[SEED_PAGE].split()
    assert "inRussian" not in words and not any(word.startswith("DOIhttps") for word in words)
    assert "https://doi.org/10.21682/2311-1267-2025-12-4-89-96" in words


def test_the_copy_button_is_not_indexed(searched_site):
    """Its label made "copy" a word of every article: "copy number" found the whole archive."""
    output, _, _ = searched_site
    for part in ("2024", "2025"):
        assert all("Copy" not in text.split() for text in indexed_pages(output, part).values())


def test_no_search_build_has_no_index_but_keeps_the_search_page(sample_site):
    assert not (sample_site / "pagefind").exists()
    assert (sample_site / "search" / "index.html").is_file()
    assert (sample_site / "opensearch.xml").is_file()


def test_a_journal_without_articles_yet_builds_without_an_index(tmp_path):
    """Pagefind fails when it has nothing to index; a new journal must still build."""
    write_files(tmp_path / "content", {"journal.yaml": (SAMPLE_CONTENT / "journal.yaml").read_text(encoding="utf-8")})
    shutil.copy(SAMPLE_CONTENT / "citation-style.csl", tmp_path / "content")
    lines: list[str] = []
    build(BuildOptions(source=tmp_path / "content", output=tmp_path / "_site", search=True), progress=lines.append)
    assert "Search index: no articles to index yet" in lines
    assert (tmp_path / "_site" / "search" / "index.html").is_file()
    assert not (tmp_path / "_site" / "pagefind").exists()


# --- which parts ----------------------------------------------------------------------------------


def articles_per_year(counts: dict[int, int]) -> list[SimpleNamespace]:
    return [SimpleNamespace(year=year, slug=f"a-{year}-{n}") for year, count in counts.items() for n in range(count)]


def part_sizes(counts: dict[int, int]) -> dict[str, int]:
    return {part.name: len(part.pages) for part in index_parts(articles_per_year(counts))}


def test_the_newest_year_has_a_part_and_the_years_before_share_one():
    assert list(part_sizes({2011: 600, 2012: 700, 2013: 650, 2014: 680})) == ["2014", "2011-2013"]
    assert part_sizes({2011: 600, 2012: 700, 2013: 650, 2014: 680})["2011-2013"] == 1950
    assert part_sizes({2025: 3}) == {"2025": 3}
    assert index_parts([]) == ()


def test_older_parts_hold_at_most_the_limit_and_keep_their_years_as_the_archive_grows():
    year = MAX_PART_ARTICLES * 2 // 5  # two years fit in a part, three do not
    assert part_sizes({2011: year, 2012: year, 2013: year, 2014: 10}) == {"2014": 10, "2013": year, "2011-2012": 2 * year}
    grown = part_sizes({2011: year, 2012: year, 2013: year, 2014: year, 2015: year, 2016: 10})
    assert grown == {"2016": 10, "2015": year, "2013-2014": 2 * year, "2011-2012": 2 * year}


def test_a_year_larger_than_the_limit_has_a_part_of_its_own():
    assert part_sizes({2011: 5, 2012: MAX_PART_ARTICLES + 1, 2013: 5, 2014: 5}) == {"2014": 5, "2013": 5, "2012": MAX_PART_ARTICLES + 1, "2011": 5}


def test_a_part_knows_its_first_and_last_years():
    year = MAX_PART_ARTICLES * 2 // 5
    parts = index_parts(articles_per_year({2011: year, 2012: year, 2013: year, 2014: 10}))
    assert [part.years for part in parts] == [(2014, 2014), (2013, 2013), (2011, 2012)]


def test_a_part_lists_its_article_pages_sorted():
    (part,) = index_parts([SimpleNamespace(year=2025, slug="b"), SimpleNamespace(year=2025, slug="a")])
    assert part.pages == ("articles/a/index.html", "articles/b/index.html")


# --- the step on its own -----------------------------------------------------------------------


def test_only_the_pages_of_a_part_are_read_by_pagefind(tmp_path):
    """Other pages are not indexed even with a body marker (a theme's own page, say)."""
    write_files(tmp_path, {
        "articles/one/index.html": page_with_body("One"),
        "articles/two/index.html": page_with_body("Two"),
        "authors/someone/index.html": page_with_body("Someone"),
        "index.html": page_with_body("Home"),
    })  # fmt: skip
    build_search_index(tmp_path, (IndexPart("2025", ("articles/one/index.html", "articles/two/index.html"), (2025, 2025)),), lambda _: None)
    assert sorted(indexed_pages(tmp_path, "2025")) == ["/articles/one/", "/articles/two/"]
    assert not [path for path in tmp_path.parent.iterdir() if ".search-" in path.name], "the folder of linked pages was left behind"


def test_pagefind_failure_is_a_problem_not_a_traceback(tmp_path):
    write_files(tmp_path, {"articles/empty/index.html": ""})
    with pytest.raises(BuildFailed) as failure:
        build_search_index(tmp_path, (IndexPart("2025", ("articles/empty/index.html",), (2025, 2025)),), lambda _: None)  # nothing in it: Pagefind refuses
    message = str(failure.value.problems[0])
    assert "Pagefind failed on the articles of 2025" in message and "--no-search" in message
    assert not (tmp_path / "pagefind" / "parts.json").exists()


def test_an_index_in_another_layout_is_replaced(tmp_path):
    """What an older caseshelf made (one bundle at pagefind/ itself), or anything else there."""
    write_files(tmp_path, {"articles/fresh/index.html": page_with_body("Fresh"), "pagefind/pagefind.js": "old", "pagefind/index/old.pf_index": "old"})
    build_search_index(tmp_path, (IndexPart("2025", ("articles/fresh/index.html",), (2025, 2025)),), lambda _: None)
    assert sorted(path.name for path in (tmp_path / "pagefind").iterdir()) == ["2025", "parts.json"]


def test_without_its_list_every_part_is_made_again(searched_site, tmp_path):
    """The list is written last: a build interrupted while indexing leaves none."""
    site = tmp_path / "_site"
    shutil.copytree(searched_site[0], site)
    (site / "pagefind" / "parts.json").unlink()
    lines: list[str] = []
    build_search_index(site, _parts_of(searched_site[0]), lines.append)
    assert lines[0].startswith("Search index: 11 pages indexed in")


def test_parts_made_by_another_pagefind_are_all_made_again(searched_site, tmp_path):
    """The search page merges the parts into one index: a part made by another version of
    Pagefind (before an upgrade) is not kept beside the others, whatever its pages."""
    site = tmp_path / "_site"
    shutil.copytree(searched_site[0], site)
    listed = site / "pagefind" / "parts.json"
    parts = json.loads(listed.read_text(encoding="utf-8"))
    assert parts["pagefind"] == importlib.metadata.version("pagefind_bin")
    lines: list[str] = []
    build_search_index(site, _parts_of(searched_site[0]), lines.append)
    assert lines[0] == "Search index: no article page changed, the index is as it was"
    listed.write_text(json.dumps({**parts, "pagefind": "1.0.0"}), encoding="utf-8")
    build_search_index(site, _parts_of(searched_site[0]), lines.append)
    assert lines[1].startswith("Search index: 11 pages indexed in")
    assert json.loads(listed.read_text(encoding="utf-8"))["pagefind"] == parts["pagefind"]


def _parts_of(site: Path) -> tuple[IndexPart, ...]:
    listed = json.loads((site / "pagefind" / "parts.json").read_text(encoding="utf-8"))["parts"]
    return tuple(IndexPart(part["name"], tuple(url.lstrip("/") + "index.html" for url in sorted(indexed_pages(site, part["name"]))), tuple(part["years"])) for part in listed)


# --- rebuilds ------------------------------------------------------------------------------------


def test_an_edit_remakes_only_the_part_of_its_year(project):
    """An abstract is shown on its article's page alone. (A title is shown on the pages of the
    articles an article cites too, and those pages' parts are made again with it.)"""
    build_with_search(project)
    before_2024, before_2025 = part_times(project / "_site", "2024"), part_times(project / "_site", "2025")
    edit(project / "content" / FANCONI_RECORD, "remains necessary after transplantation", "is needed for life")
    lines = build_with_search(project)
    assert search_lines(lines)[0].endswith("(1 of its 2 parts; the others unchanged)")
    assert part_times(project / "_site", "2024") == before_2024
    assert part_times(project / "_site", "2025") != before_2025
    text = indexed_pages(project / "_site", "2025")[FANCONI_PAGE]
    assert "carcinoma is needed for life" in text and "remains necessary" not in text


def test_a_new_title_remakes_its_own_part_not_those_of_the_articles_it_cites(project):
    """The cited articles' pages change too, but only in their "cited in this archive by"
    list, which the index ignores."""
    build_with_search(project)
    cited_page = project / "_site" / LINEAGE_PAGE.strip("/") / "index.html"
    before_2024, cited_before = part_times(project / "_site", "2024"), cited_page.read_bytes()
    edit(project / "content" / VENETOCLAX_RECORD, VENETOCLAX_TITLE, "Venetoclax as a bridge to a second transplant")
    lines = build_with_search(project)
    assert cited_page.read_bytes() != cited_before, "the cited article's page no longer shows who cites it"
    assert search_lines(lines)[0].endswith("(1 of its 2 parts; the others unchanged)")
    assert part_times(project / "_site", "2024") == before_2024
    assert any("Venetoclax as a bridge to a second transplant" in text for text in indexed_pages(project / "_site", "2025").values())


def test_without_what_pages_gave_the_index_they_are_read_again_to_the_same_effect(project):
    build_with_search(project)
    (project / CACHE_DIR / SEARCH_PAGES_FILE).write_text("not json", encoding="utf-8")
    edit_author_pages(project)
    assert search_lines(build_with_search(project)) == ["Search index: no article page changed, the index is as it was"]
    assert json.loads((project / CACHE_DIR / SEARCH_PAGES_FILE).read_text(encoding="utf-8"))["pages"], "not written again"


PAGE = """<html><head><title>T</title></head><body><main data-pagefind-body><h1>{title}</h1>
<section data-pagefind-ignore><h2>Cited by</h2><p>{cited_by}</p></section>
<div data-pagefind-ignore><span data-pagefind-filter="Year">{year}</span></div>
<div data-pagefind-ignore="all"><span data-pagefind-filter="Hidden">{hidden}</span></div>
</main></body></html>"""


def digest_of(**changes: str) -> str:
    fields = {"title": "A case", "cited_by": "Another case", "year": "2025", "hidden": "x", **changes}
    return indexed_digest(PAGE.format(**fields).encode())


def test_what_a_page_gives_the_index_leaves_out_what_pagefind_ignores():
    assert digest_of(cited_by="A renamed case") == digest_of()
    assert digest_of(hidden="y") == digest_of()  # data-pagefind-ignore="all": filters too
    assert digest_of(title="A new title") != digest_of()
    assert digest_of(year="2024") != digest_of()  # filters inside an ignored element still count


def test_an_article_moved_to_another_year_leaves_the_part_of_the_old_one(project):
    build_with_search(project)
    edit(project / "content" / THROMBUS_RECORD, "year: 2024", "year: 2025")
    build_with_search(project)
    assert THROMBUS_PAGE not in indexed_pages(project / "_site", "2024")
    assert THROMBUS_PAGE in indexed_pages(project / "_site", "2025")
    assert len(indexed_pages(project / "_site", "2024")) + len(indexed_pages(project / "_site", "2025")) == 11


def test_a_year_with_no_articles_left_loses_its_part(project):
    build_with_search(project)
    shutil.rmtree(project / "content" / "articles" / "2024")
    build_with_search(project)
    assert parts_listed(project / "_site") == ["2025"]
    assert not (project / "_site" / "pagefind" / "2024").exists()


def test_pages_changed_by_a_build_without_search_are_indexed_by_the_next_with_it(project):
    build_with_search(project)
    before_2025 = part_times(project / "_site", "2025")
    edit(project / "content" / THROMBUS_RECORD, "Catheter-related right atrial thrombus", "Catheter-related atrial thrombus")
    build_with_search(project, search=False)
    edit_author_pages(project)
    lines = build_with_search(project)
    assert search_lines(lines)[0].endswith("(1 of its 2 parts; the others unchanged)")
    assert "Catheter-related atrial thrombus" in indexed_pages(project / "_site", "2024")[THROMBUS_PAGE]
    assert part_times(project / "_site", "2025") == before_2025


def test_a_build_without_search_leaves_no_index_in_the_output_and_the_next_with_it_reuses_its_parts(project):
    """The index no longer matches the pages (it may find articles the build removed), and
    whatever is in the output is published: it goes to the build cache's folder, from where
    the next build with search takes its parts back, remaking only what changed."""
    build_with_search(project)
    before = {part: part_times(project / "_site", part) for part in ("2024", "2025")}
    build_with_search(project, search=False)
    assert not (project / "_site" / "pagefind").exists()
    assert (project / CACHE_DIR / KEPT_INDEX_DIR / "parts.json").is_file()
    lines = build_with_search(project)
    assert search_lines(lines) == ["Search index: no article page changed, the index is as it was"]
    assert parts_listed(project / "_site") == ["2025", "2024"]
    assert {part: part_times(project / "_site", part) for part in ("2024", "2025")} == before
    assert not (project / CACHE_DIR / KEPT_INDEX_DIR).exists()


def test_after_builds_without_search_the_index_is_that_of_a_cold_build(project):
    build_with_search(project)
    edit(project / "content" / FANCONI_RECORD, "remains necessary after transplantation", "is needed for life")
    build_with_search(project, search=False)
    shutil.rmtree(project / "content" / "articles" / "2024" / "11-2")
    build_with_search(project, search=False)
    build_with_search(project)
    build(BuildOptions(source=project / "content", output=project / "cold", search=True, cache=False, jobs=2))
    assert parts_listed(project / "_site") == parts_listed(project / "cold")
    for part in parts_listed(project / "cold"):
        assert indexed_pages(project / "_site", part) == indexed_pages(project / "cold", part), part
    assert THROMBUS_PAGE not in indexed_pages(project / "_site", "2024")


def test_an_index_set_aside_is_not_taken_back_once_changed(project):
    """Only the index this user's last build set aside, as it left it, goes back into the site
    (the build cache, sealed, says what it was): files put there by anyone else would be
    published with the site."""
    build_with_search(project)
    build_with_search(project, search=False)
    kept = project / CACHE_DIR / KEPT_INDEX_DIR
    (kept / "2025" / "pagefind.js").write_text("window.__planted = 1;", encoding="utf-8")
    lines = build_with_search(project)
    assert search_lines(lines)[0].startswith("Search index: 11 pages indexed in")
    assert "__planted" not in (project / "_site" / "pagefind" / "2025" / "pagefind.js").read_text(encoding="utf-8")
    assert not kept.exists()


def test_a_build_without_search_or_cache_removes_the_index(project):
    build_with_search(project)
    forget_kept_caches()
    build(BuildOptions(source=project / "content", output=project / "_site", search=False, cache=False, jobs=2))
    assert not (project / "_site" / "pagefind").exists()
    assert not (project / CACHE_DIR / KEPT_INDEX_DIR).exists()


def test_a_rebuild_that_changes_no_article_page_leaves_the_index_as_it_was(project):
    build_with_search(project)
    before = {part: part_times(project / "_site", part) for part in ("2024", "2025")}
    edit_author_pages(project)
    lines = build_with_search(project)
    assert search_lines(lines) == ["Search index: no article page changed, the index is as it was"]
    assert {part: part_times(project / "_site", part) for part in ("2024", "2025")} == before


def test_a_rebuild_with_search_saves_the_state_of_the_output_as_it_left_it(project):
    """After a patching build, only the files the writer touched and the index's folder are
    looked at again (not the whole output): the state saved for the next build must still be
    that of a new listing, or the next build would find the output changed by hand."""
    build_with_search(project)
    edit(project / "content" / FANCONI_RECORD, "remains necessary after transplantation", "is needed for life")
    build_with_search(project)
    options = BuildOptions(source=project / "content", output=project / "_site")
    saved = check_freshness(options).last["output"]
    assert saved == FileTree((project / "_site").resolve()).state


def test_a_first_build_with_search_saves_the_state_of_its_output(project):
    """The files of a first build are noted as written, Pagefind's listed after it ran."""
    build_with_search(project)
    saved = check_freshness(BuildOptions(source=project / "content", output=project / "_site")).last["output"]
    assert saved == FileTree((project / "_site").resolve()).state

