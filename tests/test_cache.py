"""The build cache: after any change, an incremental build equals a cold build byte for byte."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import caseshelf
from caseshelf import cache as cache_module
from caseshelf.cache import CACHE_DIR
from caseshelf.file_tree import FileTree
from caseshelf.freshness import OutputScan
from caseshelf.pipeline import BuildOptions, build, forget_kept_caches
from caseshelf.problems import BuildFailed
from caseshelf.write import MARKER
from conftest import SAMPLE_CONTENT

SEED = "articles/2025/12-4/2311-1267-2025-12-4-89-96.md"
CITING = "articles/2025/12-4/fictional-venetoclax-bridging.md"
SEED_FOLDER = "articles/2311-1267-2025-12-4-89-96/"  # its page and files in the output


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the sample journal with the default theme copied beside it (so it can be edited)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # the Crossref timestamp, pinned
    shutil.copytree(SAMPLE_CONTENT, tmp_path / "content")
    repo = SAMPLE_CONTENT.parent
    shutil.copytree(repo / "templates", tmp_path / "templates")
    shutil.copytree(repo / "static", tmp_path / "static")
    return tmp_path


def tree(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.name != MARKER
    }


def incremental_equals_cold(project: Path) -> dict[str, str]:
    """Build with the cache into _site and without it elsewhere; both trees must be identical.
    Each build starts as a new process would, from the cache on disk."""
    forget_kept_caches()
    build(BuildOptions(source=project / "content", output=project / "_site", search=False, jobs=1))
    build(BuildOptions(source=project / "content", output=project / "cold", search=False, cache=False, jobs=1))
    incremental, cold = tree(project / "_site"), tree(project / "cold")
    assert incremental.keys() == cold.keys()
    assert [name for name in cold if cold[name] != incremental[name]] == []
    return incremental


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_unchanged_rebuild_reuses_every_page_and_export(project):
    before = incremental_equals_cold(project)
    inode = (project / "_site/articles/2311-1267-2025-12-4-89-96/index.html").stat().st_ino
    after = incremental_equals_cold(project)
    assert before == after
    # Reused, not rendered again: the file is the previous build's, hard-linked into the new one.
    assert (project / "_site/articles/2311-1267-2025-12-4-89-96/index.html").stat().st_ino == inode


def test_edited_title_reaches_every_page_that_shows_it(project):
    incremental_equals_cold(project)
    edit(project / "content" / SEED, "a clinical case", "a clinical case REVISED")
    result = incremental_equals_cold(project)
    site = project / "_site"
    for page in (
        "articles/2311-1267-2025-12-4-89-96/index.html",  # the article
        "issues/12/4/index.html",  # its issue's table of contents
        "doi/index.html",  # the DOI index
        "authors/e-b-machneva/index.html",  # its authors' pages
        "index.html",  # the home page shows the latest issue
    ):
        assert page in result
        assert "REVISED" in (site / page).read_text(encoding="utf-8"), page
    # The article citing the seed is listed on the seed's page ("Cited in this archive by"),
    # and on its keyword pages: editing its title must reach those pages too.
    edit(project / "content" / CITING, 'title: "Venetoclax', 'title: "CHANGED Venetoclax')
    incremental_equals_cold(project)
    for page in ("articles/2311-1267-2025-12-4-89-96/index.html", "keywords/venetoclax/index.html"):
        assert "CHANGED Venetoclax" in (site / page).read_text(encoding="utf-8"), page


def test_an_edited_title_renders_exactly_the_pages_that_show_it(project):
    """Every page whose inputs hold the record is rendered again, and each of those shows the
    title: so the pages rendered must be exactly the pages that changed. A page rendered for
    nothing costs time at 10,000 articles; a page missing is stale."""
    incremental_equals_cold(project)
    before = tree(project / "_site")
    edit(project / "content" / SEED, "a clinical case", "a clinical case REVISED")
    report = build(BuildOptions(source=project / "content", output=project / "_site", search=False, jobs=1))
    after = tree(project / "_site")
    pages = [name for name in after if name.endswith("index.html") or name in ("404.html", "opensearch.xml")]
    changed_pages = {name for name in pages if after[name] != before[name]}
    assert set(report.rendered) == changed_pages
    assert {"articles/2311-1267-2025-12-4-89-96/index.html", "doi/index.html", "authors/e-b-machneva/index.html"} <= changed_pages
    assert "authors/index.html" not in report.rendered  # names only: the title is not on it


def test_only_the_pages_showing_an_edit_are_compared_when_the_site_model_is_unchanged(project):
    """A title edit changes no index, order, slug or link of the site model: only the pages
    showing the record can change, so only their inputs are compared, and each of them changed.
    Any other edit (an author, a template) compares every page again. Each build equals a cold one."""

    def edited_build(path: Path, old: str, new: str):
        edit(path, old, new)
        forget_kept_caches()
        report = build(BuildOptions(source=project / "content", output=project / "_site", search=False, jobs=1))
        incremental_equals_cold(project)  # the next build finds nothing changed, and equals a cold one
        return report

    incremental_equals_cold(project)
    title = edited_build(project / "content" / SEED, "a clinical case", "a clinical case REVISED")
    assert "doi/index.html" in title.rendered
    assert title.compared == len(title.rendered) < title.pages / 3
    citing = edited_build(project / "content" / CITING, 'title: "Venetoclax', 'title: "CHANGED Venetoclax')
    assert "articles/2311-1267-2025-12-4-89-96/index.html" in citing.rendered  # "Cited in this archive by"
    assert citing.compared == len(citing.rendered)
    # A publication date is shown only, but the sitemap (made again for it) and the feeds use it.
    dated = edited_build(project / "content" / CITING, "published: 2025-12-15", "published: 2025-12-16")
    assert dated.compared == len(dated.rendered) < dated.pages / 3
    assert "<lastmod>2025-12-16</lastmod>" in (project / "_site/sitemap.xml").read_text(encoding="utf-8")
    author = edited_build(project / "content" / SEED, "- name: K. A. Sergeenko", "- name: K. A. Sergeenko-Ivanova")
    assert author.compared == author.pages
    template = edited_build(project / "templates/doi_index.html", "</h1>", "</h1><p>Every DOI.</p>")
    assert template.compared == template.pages
    assert "Every DOI." in (project / "_site/doi/index.html").read_text(encoding="utf-8")


def test_added_deleted_and_renamed_records(project):
    incremental_equals_cold(project)
    content = project / "content"
    shutil.copy(content / CITING, content / "articles/2025/12-4/copy.md")
    edit(content / "articles/2025/12-4/copy.md", "10.5555/", "10.5555/copy.")
    edit(content / "articles/2025/12-4/copy.md", "title: \"", "title: \"Copied ")
    incremental_equals_cold(project)
    (content / "articles/2025/12-4/copy.md").rename(content / "articles/2025/12-4/renamed.md")
    incremental_equals_cold(project)
    (content / "articles/2025/12-4/renamed.md").unlink()
    result = incremental_equals_cold(project)
    assert not any("copy" in name for name in result)


def test_template_journal_and_static_changes(project):
    incremental_equals_cold(project)
    edit(project / "templates/author.html", "<h1>{{ page.name }}</h1>", "<h1 class=\"person\">{{ page.name }}</h1>")
    incremental_equals_cold(project)
    assert 'class="person"' in (project / "_site/authors/e-b-machneva/index.html").read_text(encoding="utf-8")
    edit(project / "content/journal.yaml", "title: Russian Journal", "title: The Russian Journal")
    incremental_equals_cold(project)
    (project / "static/extra.css").write_text("body { color: red; }\n")
    result = incremental_equals_cold(project)
    assert "static/extra.css" in result


def test_fewer_downloads_then_all_again(project):
    """The per-article files a journal stops publishing are removed; brought back, they return."""
    journal = project / "content/journal.yaml"
    original = journal.read_text(encoding="utf-8")
    assert SEED_FOLDER + "citation.bib" in incremental_equals_cold(project)
    journal.write_text(original + "downloads: [jats]\n", encoding="utf-8")
    fewer = incremental_equals_cold(project)
    assert SEED_FOLDER + "article.jats.xml" in fewer and SEED_FOLDER + "citation.bib" not in fewer
    journal.write_text(original, encoding="utf-8")
    assert SEED_FOLDER + "citation.bib" in incremental_equals_cold(project)


@pytest.mark.parametrize("damage", [b"", b"garbage that is not a pickle", None])
@pytest.mark.parametrize("part", ["build", "records", "fragments"])
def test_damaged_cache_is_ignored(project, part, damage, capsys):
    incremental_equals_cold(project)
    cache_file = next((project / CACHE_DIR).glob(f"{part}-v*.pickle"))
    if damage is None:  # truncated halfway
        cache_file.write_bytes(cache_file.read_bytes()[: cache_file.stat().st_size // 2])
    else:
        cache_file.write_bytes(damage)
    edit(project / "content" / SEED, "a clinical case", "a clinical case (edited)")  # so the cache is needed
    forget_kept_caches()
    messages: list[str] = []
    build(BuildOptions(source=project / "content", output=project / "_site", search=False, jobs=1), progress=messages.append)
    assert any("Ignoring the build cache" in message for message in messages)
    incremental_equals_cold(project)


def test_records_pickled_in_another_shape_are_ignored_not_misread(project, monkeypatch):
    """A cache written when the record classes had other fields (or packed other ones) is
    another version's: a blob unpickled into the wrong fields would only fail when read."""
    incremental_equals_cold(project)
    monkeypatch.setattr(cache_module, "_record_shapes_digest", lambda: "another shape")
    edit(project / "content" / SEED, "a clinical case", "a clinical case (edited)")  # so the cache is needed
    forget_kept_caches()
    messages: list[str] = []
    build(BuildOptions(source=project / "content", output=project / "_site", search=False, jobs=1), progress=messages.append)
    assert any("Ignoring the build cache" in message and "another version" in message for message in messages)
    incremental_equals_cold(project)


def test_nothing_changed_is_detected_without_rebuilding_and_a_removed_output_is_rebuilt(project):
    incremental_equals_cold(project)
    messages: list[str] = []
    options = BuildOptions(source=project / "content", output=project / "_site", search=False, jobs=1)
    marker = (project / "_site" / MARKER).read_text()
    build(options, progress=messages.append)
    assert "Nothing changed since the last build: the site is up to date" in messages
    assert (project / "_site" / MARKER).read_text() == marker  # the same build: nothing was swapped
    shutil.rmtree(project / "_site")
    messages.clear()
    build(options, progress=messages.append)
    assert "Nothing changed since the last build: the site is up to date" not in messages
    assert tree(project / "_site") == tree(project / "cold")


def test_a_hand_edited_output_is_rebuilt_not_trusted(project):
    incremental_equals_cold(project)
    page = project / "_site" / "articles/2311-1267-2025-12-4-89-96/index.html"
    page.write_text("edited by hand", encoding="utf-8")
    messages: list[str] = []
    build(BuildOptions(source=project / "content", output=project / "_site", search=False, jobs=1), progress=messages.append)
    assert "Nothing changed since the last build: the site is up to date" not in messages
    assert tree(project / "_site") == tree(project / "cold")


def test_a_build_without_the_cache_rewrites_only_what_differs_from_the_output_it_finds(project):
    """A build that cannot trust the output (no cache here) still patches it: files whose bytes
    are right stay as they are (same inode, same time), the others are made right, and what
    the site no longer has goes, whatever stood in its place. The result is a cold build's."""
    site, cold = project / "_site", BuildOptions(source=project / "content", output=project / "_site", search=False, cache=False, jobs=1)
    build(cold)
    unrelated = site / "articles/caseshelf-11-2-e0123/index.html"
    kept = (unrelated.stat().st_ino, unrelated.stat().st_mtime_ns)
    (site / "articles/2311-1267-2025-12-4-89-96/index.html").write_text("edited by hand", encoding="utf-8")
    (site / "stray.txt").write_text("left by someone", encoding="utf-8")
    (site / "old/page").mkdir(parents=True)
    (site / "old/page/index.html").write_text("a page the site no longer has", encoding="utf-8")
    (site / "feed.xml").unlink()
    (site / "feed.xml").mkdir()  # a directory where a file goes
    (site / "feed.xml/index.html").write_text("in the way", encoding="utf-8")
    (site / "robots.txt").unlink()
    (site / "robots.txt").mkdir()  # an empty one, which no file listed leads to
    doi_json = site / "doi.json"  # a link to a file with the same bytes: replaced, not followed
    shutil.copyfile(doi_json, project / "elsewhere.json")
    doi_json.unlink()
    doi_json.symlink_to(project / "elsewhere.json")
    (site / ".nojekyll").unlink()
    os.mkfifo(site / ".nojekyll")  # empty like the file that goes there: must not pass for it
    author = next(path for path in (site / "authors").iterdir() if path.is_dir())
    shutil.rmtree(author)
    author.write_text("a file where a directory goes", encoding="utf-8")
    edit(project / "content" / SEED, "a clinical case", "a clinical case REVISED")

    build(cold)
    build(BuildOptions(source=project / "content", output=project / "fresh", search=False, cache=False, jobs=1))
    assert tree(site) == tree(project / "fresh")
    assert not doi_json.is_symlink() and (site / ".nojekyll").is_file()
    assert (unrelated.stat().st_ino, unrelated.stat().st_mtime_ns) == kept
    assert not (site / "old").exists() and not (site / "stray.txt").exists()
    assert "REVISED" in (site / "articles/2311-1267-2025-12-4-89-96/index.html").read_text(encoding="utf-8")
    assert [path.name for path in project.iterdir() if path.name.startswith("._site")] == []  # no patch left


def test_a_failed_build_leaves_the_output_it_would_have_patched_as_it_was(project):
    site = project / "_site"
    build(BuildOptions(source=project / "content", output=site, search=False, cache=False, jobs=1))
    before = tree(site)
    edit(project / "content" / SEED, "a clinical case", "a clinical case REVISED")
    (project / "templates" / "author.html").write_text("{% for x in %}", encoding="utf-8")
    with pytest.raises(BuildFailed):
        build(BuildOptions(source=project / "content", output=site, search=False, cache=False, jobs=1))
    assert tree(site) == before
    assert [path.name for path in project.iterdir() if path.name.startswith("._site")] == []


def test_a_hand_edited_output_is_noticed_when_a_record_changed_too(project):
    """With an input changed, the output is listed by a child process while the cache loads
    (freshness.OutputScan): what it finds must still decide whether the output is trusted."""
    incremental_equals_cold(project)
    unrelated = project / "_site" / "articles/caseshelf-11-2-e0123/index.html"
    unrelated.write_text("edited by hand", encoding="utf-8")
    edit(project / "content" / SEED, "a clinical case", "a clinical case REVISED")
    incremental_equals_cold(project)


def test_the_output_listed_by_a_child_process_is_the_output(project):
    incremental_equals_cold(project)
    for shares in (1, 2, 3):
        scan = OutputScan(project / "_site", shares)
        assert scan.tree().entries == FileTree(project / "_site").entries
        assert scan.tree().state == FileTree(project / "_site").state
        assert len(scan.tree()) > 10


def test_shares_of_a_file_tree_hold_each_file_once_and_about_as_many(tmp_path):
    """Wide directories (`articles/`, and `doi/<prefix>/` one level further down) share out
    their subdirectories; the files above them are listed once."""
    for directory in [f"articles/a{number}" for number in range(200)] + [f"doi/10.1/d{number}" for number in range(200)]:
        (tmp_path / directory).mkdir(parents=True)
        (tmp_path / directory / "index.html").write_text(directory)
    (tmp_path / "index.html").write_text("home")
    (tmp_path / "articles/index.html").write_text("list")
    whole = FileTree(tmp_path)
    shares = [FileTree(tmp_path, share, 3) for share in range(3)]
    assert sum(len(share) for share in shares) == len(whole) == 402
    assert all(100 < len(share) < 170 for share in shares), [len(share) for share in shares]
    assert FileTree.joined(tmp_path, shares).state == whole.state
    assert FileTree.joined(tmp_path, shares).entries == whole.entries


def test_a_file_trees_state_updated_for_the_files_touched_is_the_state_of_a_new_listing(tmp_path):
    """After a build only the files it touched are looked at again (`refresh`): the state must
    then be what listing everything again gives, and differ from the state before."""
    for name in ("a.html", "b/c.html", "b/d.html"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(name)
    files = FileTree(tmp_path)
    before = files.state
    (tmp_path / "a.html").write_text("a longer text")  # edited
    (tmp_path / "b/c.html").unlink()  # removed
    (tmp_path / "e.html").write_text("new")  # added
    files.refresh(["a.html", "b/c.html", "e.html", "b/d.html", "never-there.html"])
    assert files.state == FileTree(tmp_path).state != before
    assert files.entries == FileTree(tmp_path).entries
    (tmp_path / "e.html").unlink()
    (tmp_path / "b/c.html").write_text("b/c.html")
    os.utime(tmp_path / "a.html", ns=(0, 0))
    files.refresh(["e.html", "b/c.html", "a.html"])
    assert files.state == FileTree(tmp_path).state


def test_a_folder_listed_again_gives_the_state_of_a_new_listing(tmp_path):
    """`relist` is for a folder that something other than the writer rewrote (the search
    index): files added, removed and changed there are seen, the rest is not looked at."""
    for name in ("a.html", "pagefind/old.js", "pagefind/part/kept.pf", "pagefindings.html"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(name)
    files = FileTree(tmp_path)
    before = files.state  # from here on kept up to date entry by entry, not summed anew
    (tmp_path / "pagefind/old.js").unlink()
    (tmp_path / "pagefind/part/kept.pf").write_text("longer than before")
    (tmp_path / "pagefind/new/made.pf").parent.mkdir()
    (tmp_path / "pagefind/new/made.pf").write_text("new")
    files.relist("pagefind")
    assert files.entries == FileTree(tmp_path).entries
    assert files.state == FileTree(tmp_path).state != before
    (tmp_path / "a.html").write_text("outside the folder: not looked at")
    files.relist("pagefind")
    assert files.state != FileTree(tmp_path).state


def test_a_summary_from_an_older_caseshelf_is_not_trusted(project):
    incremental_equals_cold(project)
    summary = next((project / CACHE_DIR).glob("summary-v*.json"))
    summary.write_text('{"stamp": [], "inputs": "x"}')  # another version's shape: keys missing
    messages: list[str] = []
    build(BuildOptions(source=project / "content", output=project / "_site", search=False, jobs=1), progress=messages.append)
    assert "Nothing changed since the last build: the site is up to date" not in messages
    summary.write_text("not json at all")
    build(BuildOptions(source=project / "content", output=project / "_site", search=False, jobs=1))
    assert tree(project / "_site") == tree(project / "cold")


def test_a_build_by_changed_code_of_the_same_version_number_trusts_nothing_of_the_last(project):
    """`git pull` in an editable install changes caseshelf's code, not its version number: the
    next build must not keep the pages and files the old code made."""
    code = project / "code"  # a copy of caseshelf that can be changed, imported instead of ours
    shutil.copytree(Path(caseshelf.__file__).parent, code / "caseshelf", ignore=shutil.ignore_patterns("__pycache__"))
    for theme_dir in ("templates", "static"):
        shutil.copytree(SAMPLE_CONTENT.parent / theme_dir, code / theme_dir)
    command = [sys.executable, "-m", "caseshelf", "build", "--source", str(project / "content"), "--output", str(project / "_site"), "--no-search", "--jobs", "1"]

    def printed_by_a_build() -> str:
        done = subprocess.run(command, cwd=project, env={**os.environ, "PYTHONPATH": str(code)}, capture_output=True, text=True, check=True)
        return done.stdout + done.stderr

    printed_by_a_build()
    assert "Nothing changed since the last build" in printed_by_a_build()
    module = code / "caseshelf/exports/cite.py"
    module.write_text(module.read_text(encoding="utf-8") + "\n# A change of the code, not of its version number.\n", encoding="utf-8")
    printed = printed_by_a_build()
    assert "Nothing changed since the last build" not in printed
    assert "it was written by another version" in printed


def test_an_edit_rewrites_only_the_files_that_change(project):
    incremental_equals_cold(project)
    site = project / "_site"
    unrelated = site / "articles/caseshelf-11-2-e0123/index.html"
    edited = site / "articles/2311-1267-2025-12-4-89-96/index.html"
    before = {page: (page.stat().st_ino, page.stat().st_mtime_ns) for page in (unrelated, edited)}
    edit(project / "content" / SEED, "a clinical case", "a clinical case REVISED")
    incremental_equals_cold(project)
    assert (unrelated.stat().st_ino, unrelated.stat().st_mtime_ns) == before[unrelated]
    assert (edited.stat().st_ino, edited.stat().st_mtime_ns) != before[edited]
    assert "REVISED" in edited.read_text(encoding="utf-8")


def test_a_removed_record_takes_its_files_and_directories_with_it(project):
    incremental_equals_cold(project)
    (project / "content" / CITING).unlink()
    incremental_equals_cold(project)
    assert not (project / "_site/articles/caseshelf-12-4-97").exists()


def test_an_interrupted_incremental_build_is_not_trusted(project):
    """Were a build stopped while moving its changed files in, the marker says "incomplete":
    the next build must not take the output for the one its cache describes."""
    incremental_equals_cold(project)
    marker = project / "_site" / MARKER
    marker.write_text(marker.read_text().replace("build: ", "build: incomplete-"))
    (project / "_site/articles/2311-1267-2025-12-4-89-96/index.html").write_text("half written")
    os.utime(project / "_site/articles/2311-1267-2025-12-4-89-96/index.html", ns=(0, 0))
    incremental_equals_cold(project)


def test_a_long_running_process_keeps_its_cache_in_memory(project):
    """The preview server rebuilds in one process: the cache the last build left is reused from
    memory (here the file on disk is garbage, and nobody notices), and the result is exact."""
    incremental_equals_cold(project)
    options = BuildOptions(source=project / "content", output=project / "_site", search=False, jobs=1)
    build(options)  # up to date: keeps nothing new, but the earlier build's cache is kept
    next((project / CACHE_DIR).glob("records-v*.pickle")).write_bytes(b"garbage")
    edit(project / "content" / SEED, "a clinical case", "a clinical case KEPT")
    messages: list[str] = []
    build(options, progress=messages.append)
    assert not any("Ignoring the build cache" in message for message in messages)
    build(BuildOptions(source=project / "content", output=project / "cold", search=False, cache=False, jobs=1))
    assert tree(project / "_site") == tree(project / "cold")
    assert "KEPT" in (project / "_site/articles/2311-1267-2025-12-4-89-96/index.html").read_text(encoding="utf-8")


def _swap_same_size(path: Path, old: str, new: str) -> None:
    """Change a record without changing its size, then give it back its modification time."""
    assert len(old.encode()) == len(new.encode())
    info = path.stat()
    edit(path, old, new)
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))


def test_a_record_with_its_old_size_and_time_is_not_read_again(project):
    """Like make and Hugo, the cache trusts a file's size and modification time: that is what
    lets 10,000 unchanged records cost a stat each. (Editors and git always change the time.)"""
    seed = project / "content" / SEED
    old = seed.stat().st_mtime_ns - 60 * 10**9
    os.utime(seed, ns=(old, old))
    incremental_equals_cold(project)
    _swap_same_size(seed, "a clinical case", "a clinical CASE")
    forget_kept_caches()
    build(BuildOptions(source=project / "content", output=project / "_site", search=False, jobs=1))
    assert "a clinical CASE" not in (project / "_site/articles/2311-1267-2025-12-4-89-96/index.html").read_text(encoding="utf-8")


def test_a_record_modified_moments_before_the_build_is_read_again(project):
    """A time within the last seconds is not trusted (the clock tick of some file systems is
    coarse), so an edit that keeps the size is still seen (git's "racily clean" rule)."""
    os.utime(project / "content" / SEED)  # saved just now
    incremental_equals_cold(project)
    _swap_same_size(project / "content" / SEED, "a clinical case", "a clinical CASE")
    incremental_equals_cold(project)
    assert "a clinical CASE" in (project / "_site/articles/2311-1267-2025-12-4-89-96/index.html").read_text(encoding="utf-8")


def test_a_template_change_formats_no_citation_again(project, monkeypatch):
    """Every article page is rendered again after a template change, but the "For citation"
    lines come from the build cache, not from citeproc (which costs milliseconds each)."""
    from citeproc import CitationStylesBibliography

    from caseshelf.exports import citation_style

    incremental_equals_cold(project)
    citation_style._formatted.clear()  # as in a new process: only the build cache knows them
    calls = []
    original = CitationStylesBibliography.bibliography
    monkeypatch.setattr(CitationStylesBibliography, "bibliography", lambda self: calls.append(1) or original(self))
    edit(project / "templates/article.html", "</h1>", "</h1><!-- changed -->")
    forget_kept_caches()
    build(BuildOptions(source=project / "content", output=project / "_site", search=False, jobs=1))
    page = (project / "_site/articles/2311-1267-2025-12-4-89-96/index.html").read_text(encoding="utf-8")
    assert "<!-- changed -->" in page
    assert calls == []
    build(BuildOptions(source=project / "content", output=project / "cold", search=False, cache=False, jobs=1))
    assert tree(project / "_site") == tree(project / "cold")


def _rebuild_with_slugs(project: Path, slugs: tuple) -> None:
    """Build after an edit, as a new process would, from a cache whose slugs are `slugs`."""
    from caseshelf import identity
    from caseshelf.cache import load_cache, save_cache

    cache = load_cache(project / CACHE_DIR)
    cache.slugs = slugs
    # A build that made these slugs would have kept a model made with them, and noted other
    # pages (under other slugs) as showing each record; those cannot be faked, so they are left
    # out, as in a cache that lacks them.
    cache.model, cache.page_records = b"", {}
    save_cache(project / CACHE_DIR, cache)
    identity._slugs.clear()  # as in a new process: only the build cache knows them
    forget_kept_caches()
    edit(project / "content" / SEED, "a clinical case", "a clinical case, again")
    build(BuildOptions(source=project / "content", output=project / "_site", search=False, jobs=1))


def test_slugs_come_from_the_last_build_when_the_same_libraries_made_them(project):
    """Slugs cost tens of microseconds each, so a build takes the last build's from the cache;
    but only when the slugify libraries are the ones that made them."""
    from caseshelf.cache import LIBRARY_VERSIONS, load_cache
    from caseshelf.identity import slug_of

    incremental_equals_cold(project)
    made_with, slugs = load_cache(project / CACHE_DIR).slugs
    assert made_with == LIBRARY_VERSIONS
    assert slugs["E. B. Machneva"] == "e-b-machneva"
    assert all(slug == slug_of(text) for text, slug in slugs.items())

    _rebuild_with_slugs(project, (LIBRARY_VERSIONS, {**slugs, "E. B. Machneva": "from-the-cache"}))
    assert (project / "_site/authors/from-the-cache/index.html").is_file()

    _rebuild_with_slugs(project, (("python-slugify=0.0",), {**slugs, "E. B. Machneva": "from-the-cache"}))
    assert (project / "_site/authors/e-b-machneva/index.html").is_file()
    assert not (project / "_site/authors/from-the-cache").exists()
    assert load_cache(project / CACHE_DIR).slugs == (LIBRARY_VERSIONS, slugs)


def test_saving_the_cache_removes_the_files_of_other_formats(project):
    """An upgrade changes the cache format; the old format's files would stay forever."""
    from caseshelf.cache import CACHE_FORMAT

    cache = project / CACHE_DIR
    cache.mkdir()
    old = CACHE_FORMAT - 1
    stale = [f"build-v{old}.pickle", f"records-v{old}-3.pickle", f"fragments-v{old}-15.pickle", f"summary-v{old}.json"]
    for name in [*stale, "notes.txt"]:
        (cache / name).write_bytes(b"old")
    incremental_equals_cold(project)
    names = {path.name for path in cache.iterdir()}
    assert not names & set(stale)
    assert {"notes.txt", f"build-v{CACHE_FORMAT}.pickle", f"summary-v{CACHE_FORMAT}.json", f"records-v{CACHE_FORMAT}-0.pickle"} <= names


def test_a_cache_that_cannot_be_saved_whole_is_not_trusted_and_the_build_still_succeeds(project, capsys):
    incremental_equals_cold(project)
    cache = project / CACHE_DIR
    # A folder where a fragments shard goes: saving fails after the records' shards were
    # written, as it would when the disk fills up halfway through.
    shard = next(cache.glob("fragments-v*-3.pickle"))
    shard.unlink()
    shard.mkdir()
    edit(project / "content" / SEED, "a clinical case", "a clinical case (edited)")
    forget_kept_caches()
    build(BuildOptions(source=project / "content", output=project / "_site", search=False, jobs=1))
    assert "Warning: the build cache could not be saved" in capsys.readouterr().err
    assert not list(cache.glob("build-v*.pickle")) and not list(cache.glob("summary-v*.json"))
    shard.rmdir()
    # What was saved is not trusted: the next build renders everything, and it is right.
    edit(project / "content" / SEED, "a clinical case (edited)", "a clinical case (edited twice)")
    forget_kept_caches()
    report = build(BuildOptions(source=project / "content", output=project / "_site", search=False, jobs=1))
    assert len(report.rendered) == report.pages
    incremental_equals_cold(project)


def test_records_that_cannot_be_saved_alongside_the_build_leave_no_cache_to_trust(project, capsys, monkeypatch):
    """The records are saved by another process while the build goes on (a cold build of a
    large archive; at the end when the test run has threads, see the test below); when that
    fails, the build still succeeds and the cache is not trusted."""
    monkeypatch.setattr(cache_module, "MIN_RECORDS_SAVED_ALONGSIDE", 1)
    incremental_equals_cold(project)
    cache = project / CACHE_DIR
    edit(project / "content" / SEED, "a clinical case", "a clinical case (edited)")
    shard = next(cache.glob(f"records-v*-{cache_module._shard_of(SEED)}.pickle"))  # the edited record's
    shard.unlink()
    shard.mkdir()  # where the shard goes: saving it fails, as on a full disk
    forget_kept_caches()
    build(BuildOptions(source=project / "content", output=project / "_site", search=False, cache=True, jobs=2))
    err = capsys.readouterr().err
    assert "Warning: the build cache could not be saved (Is a directory" in err
    assert "Traceback" not in err
    assert not list(cache.glob("build-v*.pickle")) and not list(cache.glob("summary-v*.json"))
    shard.rmdir()
    report = build(BuildOptions(source=project / "content", output=project / "_site", search=False, jobs=2))
    assert len(report.rendered) == report.pages
    incremental_equals_cold(project)


_SAVE_ALONGSIDE = """
import sys
from pathlib import Path
from caseshelf import cache
cache.MIN_RECORDS_SAVED_ALONGSIDE = 1
project = Path(sys.argv[1])
for target in ("elsewhere", "blocked"):
    saved = cache.load_cache(project / cache.CACHE_DIR)
    saved.changed_records = None  # as after a cold build: every record to save
    wait = cache.save_records_alongside(project / target, saved)
    print(wait is not cache.nothing_to_wait_for, saved.changed_records == frozenset(), wait())
"""


def test_records_saved_alongside_are_saved_by_another_process_and_left_out_of_the_end_save(project):
    """In a fresh process (one thread, as a build from the command line: the test run may have
    threads left by other tests, and a process with threads saves at the end instead)."""
    incremental_equals_cold(project)
    blocked = project / "blocked" / f"records-v{cache_module.CACHE_FORMAT}-0.pickle"
    blocked.mkdir(parents=True)  # where a shard goes: saving it fails
    result = subprocess.run([sys.executable, "-c", _SAVE_ALONGSIDE, str(project)], capture_output=True, text=True, check=True)
    started, left_out, outcome = result.stdout.splitlines()[0].split(" ", 2)
    assert (started, left_out, outcome) == ("True", "True", "None")  # another process saved them all
    records = cache_module.load_cache(project / CACHE_DIR).records
    assert cache_module._load_shards(project / "elsewhere", cache_module._RECORDS).keys() == records.keys()
    started, left_out, outcome = result.stdout.splitlines()[1].split(" ", 2)
    assert (started, left_out) == ("True", "True") and outcome.startswith("Is a directory")


def test_a_title_edit_unpacks_only_the_records_of_the_pages_it_changes(tmp_path, monkeypatch):
    """Cached records stay packed (model.PackedFields) until something reads a field the model
    does not hold. An edit build reading one from every record (an ORCID check did) costs
    seconds at 10,000 articles and shows in no output: counted here instead."""
    from caseshelf import model
    from conftest import generate_journal

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    content = generate_journal(tmp_path / "content", 400, seed=5)
    options = BuildOptions(source=content, output=tmp_path / "_site", search=False, jobs=1, cache=True)
    build(options)
    record = next((content / "articles").rglob("bench-200.md"))
    text = record.read_text(encoding="utf-8")
    record.write_text(re.sub(r"^title: .*$", 'title: "A title edited"', text, count=1, flags=re.MULTILINE), encoding="utf-8")
    forget_kept_caches()  # as a new process: every record from the cache on disk
    unpacked, unpack = set(), model._BlobHolder.unpack

    def counting(holder, record, packed):
        unpacked.add(record.source)
        return unpack(holder, record, packed)

    monkeypatch.setattr(model._BlobHolder, "unpack", counting)
    report = build(options)
    assert "articles/bench-200/index.html" in report.rendered
    assert record.relative_to(content).as_posix() in unpacked
    assert len(unpacked) < 400 / 4  # those of its issue, its authors' and keywords' pages...
