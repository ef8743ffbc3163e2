"""Loading records from real files: line numbers, YAML 1.1 surprises, alias bombs, front matter,
encodings, file discovery, and every problem of a run reported at once."""

from __future__ import annotations

import os
import threading
from datetime import date
from pathlib import Path

import pytest

from caseshelf.loading import find_record_files, find_record_names, load_content
from caseshelf.loading.frontmatter import split_front_matter
from caseshelf.loading.source import read_record_bytes, start_reading
from caseshelf.model import Loaded, Pages
from caseshelf.problems import BuildFailed, Problem
from conftest import write_files

JOURNAL = """\
title: Journal of Invented Cases
abbreviation: J Invent Cases
issn_print: 2311-1267
base_url: https://example.org/jic/
language: en
license: CC-BY-4.0
doi_prefix: "10.5555"
"""

FRONT = """\
---
title: An invented case
doi: 10.5555/jic.1
year: 2025
authors:
  - name: A. B. Example
"""


def load(root: Path, files: dict[str, str]) -> Loaded:
    write_files(root, {"content/journal.yaml": JOURNAL, **files})
    return load_content(root / "content")


def problems_of(root: Path, files: dict[str, str]) -> tuple[Problem, ...]:
    with pytest.raises(BuildFailed) as failure:
        load(root, files)
    return failure.value.problems


def line_of(text: str, fragment: str) -> int:
    """1-based line of the file on which `fragment` first appears."""
    for number, line in enumerate(text.split("\n"), start=1):
        if fragment in line:
            return number
    raise AssertionError(f"{fragment!r} not in the text")


# --- line numbers -------------------------------------------------------------------------


def test_problem_lines_are_the_lines_of_the_markdown_file(tmp_path):
    text = """\
---
# a comment line before the fields
title: Line numbers
doi: 10.5555/jic.lines
year: 2025
pages: 96-89
authors:
  - name: A. B. Example
  - name: C. D. Example
    orcid: 0000-0002-1825-0098
    affiliations: [nowhere]
references:
  - text: First reference
  - text: Second reference
    doi: not-a-doi
---
The abstract.
"""
    problems = problems_of(tmp_path, {"content/articles/lines.md": text})
    found = {(p.path, p.field): p.line for p in problems}
    assert found == {
        ("articles/lines.md", "pages"): line_of(text, "pages:"),
        ("articles/lines.md", "authors[2].orcid"): line_of(text, "orcid:"),
        ("articles/lines.md", "authors[2].affiliations"): line_of(text, "[nowhere]"),
        ("articles/lines.md", "references[2].doi"): line_of(text, "not-a-doi"),
    }
    assert found[("articles/lines.md", "pages")] == 6


def test_problem_lines_in_a_yaml_record_and_in_journal_yaml(tmp_path):
    record = """\
# comment
title: YAML form
doi: 10.5555/jic.yaml
year: 2025
published: 2025-02-30
authors:
  - name: A. B. Example
    email: not-an-email
abstract: |
  Text.
"""
    journal = JOURNAL.replace("issn_print: 2311-1267", "issn_print: 2311-1268")
    write_files(tmp_path, {"content/journal.yaml": journal, "content/articles/r.yaml": record})
    with pytest.raises(BuildFailed) as failure:
        load_content(tmp_path / "content")
    found = {(p.path, p.line, p.field) for p in failure.value.problems}
    assert found == {
        ("journal.yaml", line_of(journal, "issn_print"), "issn_print"),
        ("articles/r.yaml", line_of(record, "published"), "published"),
        ("articles/r.yaml", line_of(record, "email"), "authors[1].email"),
    }


def test_lines_are_right_with_crlf_line_endings_and_a_byte_order_mark(tmp_path):
    text = FRONT + "pages: 96-89\n---\nAbstract.\n"
    path = tmp_path / "content/articles/windows.md"
    write_files(tmp_path, {"content/journal.yaml": JOURNAL})
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    with pytest.raises(BuildFailed) as failure:
        load_content(tmp_path / "content")
    (problem,) = failure.value.problems
    assert (problem.path, problem.line, problem.field) == ("articles/windows.md", line_of(text, "pages:"), "pages")


def test_str_of_a_problem_is_path_line_field_message():
    assert str(Problem("articles/a.md", 7, "authors[2].orcid", "wrong")) == "articles/a.md:7: authors[2].orcid: wrong"
    assert str(Problem("articles/a.md", 0, "", "file is empty")) == "articles/a.md: file is empty"


# --- YAML 1.1 surprises: read the way the editor meant ------------------------------------


def test_unquoted_language_no_is_norwegian_not_false(tmp_path):
    loaded = load(tmp_path, {"content/articles/a.md": FRONT + "language: no\n---\n"})
    assert loaded.articles[0].language == "no"


def test_unquoted_doi_prefix_keeps_its_digits(tmp_path):
    for typed in ("10.21682", "10.2100"):  # a float would give 10.21682 and 10.21
        write_files(tmp_path / typed, {"content/journal.yaml": JOURNAL.replace('"10.5555"', typed)})
        loaded = load_content(tmp_path / typed / "content")
        assert loaded.journal.doi_prefix == typed


def test_unquoted_pmid_and_numbers_are_read_as_typed(tmp_path):
    text = FRONT + """\
volume: 012
issue: 4
references:
  - text: A reference
    pmid: 30322333
  - text: Octal in YAML 1.1
    pmid: 0123
---
"""
    article = load(tmp_path, {"content/articles/a.md": text}).articles[0]
    assert [ref.pmid for ref in article.references] == ["30322333", "0123"]
    assert (article.volume, article.issue) == ("012", "4")


@pytest.mark.parametrize("written, keywords", [
    ("keywords: KMT2A", ("KMT2A",)),
    ('keywords: "Leukemia, Myeloid, Acute"', ("Leukemia, Myeloid, Acute",)),  # the quotes say it is one
    ("keywords: 'Leukemia, Myeloid, Acute'", ("Leukemia, Myeloid, Acute",)),
    ('keywords: ["Leukemia, Myeloid, Acute", KMT2A]', ("Leukemia, Myeloid, Acute", "KMT2A")),
    ("keywords:\n  - Leukemia, Myeloid, Acute\n  - KMT2A", ("Leukemia, Myeloid, Acute", "KMT2A")),
])
def test_one_keyword_may_be_written_without_brackets_and_one_with_a_comma_in_quotes(tmp_path, written, keywords):
    article = load(tmp_path, {"content/articles/a.md": FRONT + written + "\n---\n"}).articles[0]
    assert article.keywords == keywords


def test_dates_and_times_in_text_fields_stay_text(tmp_path):
    text = FRONT.replace("title: An invented case", "title: 2024-01-01") + "keywords: [12:30, no, 1e3, on]\n---\n"
    article = load(tmp_path, {"content/articles/a.md": text}).articles[0]
    assert article.title == "2024-01-01"
    assert article.keywords == ("12:30", "no", "1e3", "on")


def test_unquoted_published_date_is_a_date(tmp_path):
    article = load(tmp_path, {"content/articles/a.md": FRONT + "published: 2025-12-15\n---\n"}).articles[0]
    assert article.published == date(2025, 12, 15)


def test_unquoted_doi_and_year_are_read(tmp_path):
    article = load(tmp_path, {"content/articles/a.md": FRONT + "---\n"}).articles[0]
    assert (article.doi, article.year, article.slug) == ("10.5555/jic.1", 2025, "jic-1")


# --- YAML that must be refused --------------------------------------------------------------

ALIAS_BOMB = """\
---
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
title: *i
---
"""


def test_alias_bomb_is_refused_with_a_clear_message(tmp_path):
    """Nine levels of nine aliases expand to 9**9 values: refused before anything walks them."""
    (problem,) = problems_of(tmp_path, {"content/articles/bomb.md": ALIAS_BOMB})
    assert problem.path == "articles/bomb.md"
    assert "alias bomb" in problem.message


def test_modest_anchors_and_aliases_are_fine(tmp_path):
    text = """\
---
title: Anchors
doi: 10.5555/jic.anchors
year: 2025
affiliations:
  one: {name: First Hospital}
authors:
  - name: A. B. Example
    affiliations: &both [one]
  - name: C. D. Example
    affiliations: *both
---
"""
    article = load(tmp_path, {"content/articles/a.md": text}).articles[0]
    assert [a.affiliations[0].name for a in article.authors] == ["First Hospital", "First Hospital"]


def test_yaml_syntax_error_is_reported_with_its_line(tmp_path):
    text = FRONT + 'keywords: [one, "two\n---\n'
    (problem,) = problems_of(tmp_path, {"content/articles/a.md": text})
    assert problem.message.startswith("YAML syntax error")
    assert problem.line == line_of(text, "keywords:")  # the front matter's last line, where the string runs out


def test_yaml_syntax_error_in_an_indented_mapping(tmp_path):
    text = FRONT + "  bad indentation: here\n---\n"
    (problem,) = problems_of(tmp_path, {"content/articles/a.md": text})
    assert problem.message.startswith("YAML syntax error")
    assert problem.line == line_of(text, "bad indentation")


def test_python_tags_are_refused_not_executed(tmp_path):
    marker = tmp_path / "pwned"
    text = FRONT + f'pdf: !!python/object/apply:os.system ["touch {marker}"]\n---\n'
    (problem,) = problems_of(tmp_path, {"content/articles/a.md": text})
    assert problem.path == "articles/a.md"
    assert "YAML" in problem.message
    assert not marker.exists()


def test_a_field_written_twice_is_reported_not_silently_replaced(tmp_path):
    text = FRONT + "year: 2024\n---\n"
    (problem,) = problems_of(tmp_path, {"content/articles/a.md": text})
    assert str(problem) == f"articles/a.md:{line_of(text, 'year: 2024')}: 'year' is written twice (also on line 4): keep one"


def test_the_same_field_in_different_blocks_is_fine(tmp_path):
    text = FRONT + "  - name: C. D. Example\n---\n"
    assert [a.name for a in load(tmp_path, {"content/articles/a.md": text}).articles[0].authors] == ["A. B. Example", "C. D. Example"]


def test_a_field_written_twice_in_a_nested_block_names_both_lines(tmp_path):
    text = FRONT + "    degrees: MD\n    degrees: PhD\n---\n"
    (problem,) = problems_of(tmp_path, {"content/articles/a.md": text})
    first, second = line_of(text, "degrees: MD"), line_of(text, "degrees: PhD")
    assert str(problem) == f"articles/a.md:{second}: 'degrees' is written twice (also on line {first}): keep one"


def test_explicit_tags_are_still_understood(tmp_path):
    """Explicitly tagged values leave the fast path for text, lists and mappings (see yamldoc)."""
    text = FRONT + "    corresponding: !!bool yes\npages: !!str 89-96\n---\n"
    article = load(tmp_path, {"content/articles/a.md": text}).articles[0]
    assert (article.authors[0].corresponding, str(article.pages)) == (True, "89-96")
    text = FRONT.replace("year: 2025", "year: !!float 2025") + "---\n"
    (problem,) = problems_of(tmp_path / "float", {"content/articles/a.md": text})
    assert (problem.field, problem.message) == ("year", "expected a whole number, found '2025.0'")


def test_deeply_nested_lists_are_a_problem_not_a_crash(tmp_path):
    text = FRONT + "keywords: " + "[" * 500 + "]" * 500 + "\n---\n"
    (problem,) = problems_of(tmp_path, {"content/articles/a.md": text})
    assert (problem.field, problem.line) == ("keywords[1]", line_of(text, "keywords"))


def test_the_shortcut_resolver_gives_the_tags_pyyaml_would():
    """yamldoc replaces PyYAML's `resolve` with a table lookup and its path tracking with a no-op,
    valid only while no implicit or path resolvers are registered; this checks they agree with
    PyYAML's own."""
    import yaml

    from caseshelf.loading import yamldoc

    loader = yamldoc._Loader("")
    assert yamldoc._Loader.resolve is yamldoc._resolve_to_default_tag  # the guard let it in
    for kind in (yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode):
        for value, implicit in (("no", (True, False)), ("10.21682", (False, True)), ("", (True, True))):
            implicit = implicit if kind is yaml.ScalarNode else True
            assert loader.resolve(kind, value, implicit) == yaml.resolver.BaseResolver.resolve(loader, kind, value, implicit)
    # Path tracking, replaced by a no-op, is one in PyYAML too while no path resolvers exist.
    assert yamldoc._Loader.descend_resolver is yamldoc._Loader.ascend_resolver is yamldoc._no_path_to_follow
    paths_before = (list(loader.resolver_exact_paths), list(loader.resolver_prefix_paths))
    yaml.resolver.BaseResolver.descend_resolver(loader, None, None)
    yaml.resolver.BaseResolver.ascend_resolver(loader)
    assert (loader.resolver_exact_paths, loader.resolver_prefix_paths) == paths_before
    loader.dispose()


def test_top_level_must_be_a_mapping(tmp_path):
    (problem,) = problems_of(tmp_path, {"content/articles/a.md": "---\n- a list\n- not fields\n---\n"})
    assert (problem.line, problem.message) == (2, "expected 'field: value' lines at the top level")


# --- front matter and files -----------------------------------------------------------------


def test_body_after_front_matter_is_the_abstract(tmp_path):
    text = FRONT + "---\n\n## Background\n\nText of the abstract.\n"
    article = load(tmp_path, {"content/articles/a.md": text}).articles[0]
    assert article.abstract == "## Background\n\nText of the abstract."


def test_front_matter_may_end_with_three_dots(tmp_path):
    article = load(tmp_path, {"content/articles/a.md": FRONT + "...\nAbstract.\n"}).articles[0]
    assert article.abstract == "Abstract."


def test_a_later_horizontal_rule_belongs_to_the_abstract(tmp_path):
    article = load(tmp_path, {"content/articles/a.md": FRONT + "---\nOne.\n\n---\n\nTwo.\n"}).articles[0]
    assert article.abstract == "One.\n\n---\n\nTwo."


@pytest.mark.parametrize(
    "text, yaml_text, body",
    [
        ("---\ntitle: T\n---\nAbstract.\n", "title: T", "Abstract."),  # blank lines around it dropped
        ("---\r\ntitle: T\r\n--- \t\r\n\nAbstract.", "title: T\r", "Abstract."),  # Windows line ends, spaces
        ("---\ntitle: T\n...\nAbstract.", "title: T", "Abstract."),  # YAML's end-of-document line
        ("---\ntitle: T\n---", "title: T", ""),  # no newline at the end
        ("---\n---\nAbstract.", "", "Abstract."),  # no fields
        ("---\ntitle: T\n----\n--- x\n ---\n---\nAbstract.", "title: T\n----\n--- x\n ---", "Abstract."),
        ("---\ntitle: T\n---\n\n---\n\nMore.\n", "title: T", "---\n\nMore."),  # the first closer
    ],
)
def test_front_matter_ends_at_the_first_line_of_three_dashes_or_dots(text, yaml_text, body):
    front = split_front_matter(text, "a.md")
    assert (front.yaml_text, front.body) == (yaml_text, body)


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("title: No fences\n", 1, "missing front matter"),
        ("\n---\ntitle: Blank first line\n---\n", 1, "missing front matter"),
        ("---\ntitle: Never closed\n", 1, "front matter is not closed"),
        ("", 0, "file is empty"),
        ("  \n\n", 0, "file is empty"),
    ],
)
def test_front_matter_problems(tmp_path, text, line, message):
    (problem,) = problems_of(tmp_path, {"content/articles/a.md": text})
    assert (problem.path, problem.line) == ("articles/a.md", line)
    assert problem.message.startswith(message)


def test_non_utf8_file_is_reported_with_the_line_of_the_bad_byte(tmp_path):
    write_files(tmp_path, {"content/journal.yaml": JOURNAL})
    path = tmp_path / "content/articles/latin1.md"
    path.parent.mkdir(parents=True)
    path.write_bytes((FRONT + "keywords: [caf").encode() + b"\xe9]\n---\n")
    with pytest.raises(BuildFailed) as failure:
        load_content(tmp_path / "content")
    (problem,) = failure.value.problems
    assert (problem.path, problem.line) == ("articles/latin1.md", line_of(FRONT, "name:") + 1)
    assert "not UTF-8" in problem.message


def test_yaml_form_takes_the_abstract_field(tmp_path):
    record = FRONT.removeprefix("---\n") + "abstract: |\n  Line one.\n\n  Line two.\n"
    article = load(tmp_path, {"content/articles/a.yaml": record}).articles[0]
    assert article.abstract.strip() == "Line one.\n\nLine two."


def test_abstract_field_in_markdown_front_matter_is_unknown(tmp_path):
    (problem,) = problems_of(tmp_path, {"content/articles/a.md": FRONT + "abstract: In the wrong place\n---\n"})
    assert (problem.field, problem.message) == ("abstract", "unknown field (known fields: title, doi, type, language, year, volume, issue, pages, published, keywords, license, slug, pdf, affiliations, authors, references)")


def test_record_files_are_md_yaml_and_yml_but_not_editor_leftovers(tmp_path):
    names = [
        "a.md", "b.yaml", "sub/dir/c.yml", "E.MD", "f.Yaml", ".hidden.md", "#autosave.md#", "backup.md~", "~lock.md",
        "notes.txt", "d.md.swp", "4913",
    ]  # fmt: skip
    write_files(tmp_path, {f"content/articles/{name}": "x" for name in names})
    found = [path.relative_to(tmp_path / "content/articles").as_posix() for path in find_record_files(tmp_path / "content")]
    assert found == ["E.MD", "a.md", "b.yaml", "f.Yaml", "sub/dir/c.yml"]


def test_a_record_named_in_capitals_is_read_as_its_kind(tmp_path):
    loaded = load(tmp_path, {"content/articles/CASE.MD": FRONT + "---\nThe *abstract*.\n"})
    assert loaded.articles[0].abstract == "The *abstract*."


def test_record_names_are_relative_paths_in_the_order_of_the_record_files(tmp_path):
    names = ["a-c.md", "a/b.md", "a/z/y.yaml", "b.md", "A.md", "a/.hidden.md"]
    write_files(tmp_path, {f"content/articles/{name}": "x" for name in names})
    content = tmp_path / "content"
    files = [path.relative_to(content).as_posix() for path in find_record_files(content)]
    assert find_record_names(content) == files == ["articles/A.md", "articles/a/b.md", "articles/a/z/y.yaml", "articles/a-c.md", "articles/b.md"]


def test_no_articles_directory_is_an_empty_archive_with_a_warning(tmp_path, capsys):
    write_files(tmp_path, {"content/journal.yaml": JOURNAL})
    assert load_content(tmp_path / "content").articles == ()
    assert "Warning: no folder articles/ beside journal.yaml" in capsys.readouterr().err


def test_an_articles_link_to_nothing_is_a_problem_not_an_empty_archive(tmp_path):
    write_files(tmp_path, {"content/journal.yaml": JOURNAL})
    (tmp_path / "content/articles").symlink_to(tmp_path / "moved-away")
    with pytest.raises(BuildFailed) as failure:
        load_content(tmp_path / "content")
    assert [str(problem) for problem in failure.value.problems] == [
        "articles: is not a folder: the records go in a folder articles/ beside journal.yaml, one Markdown file per article"
    ]


# --- defaults and journal -------------------------------------------------------------------


def test_record_defaults(tmp_path):
    article = load(tmp_path, {"content/articles/a.md": FRONT + "---\n"}).articles[0]
    assert (article.type, article.language, article.license, article.pages) == ("case-report", "en", "CC-BY-4.0", Pages())
    assert article.source == "articles/a.md"


def test_license_defaults_to_the_journals(tmp_path):
    write_files(tmp_path, {"content/journal.yaml": JOURNAL.replace("CC-BY-4.0", "CC-BY-NC-4.0"), "content/articles/a.md": FRONT + "---\n"})
    assert load_content(tmp_path / "content").articles[0].license == "CC-BY-NC-4.0"


def test_author_names_are_split_into_family_and_given_names(tmp_path):
    text = """\
---
title: Names
doi: 10.5555/jic.names
year: 2025
authors:
  - name: E. B. Machneva
  - name: Machneva, Elena B.
  - name: Anouk van den Berg
    family_name: van den Berg
    given_names: Anouk
  - name: Fictional Study Group
    group: true
  - name: Ludwig van der Waals
    family_name: van der Waals
  - name: Chen Wei
    family_name: Chen
  - name: Teller
---
"""
    authors = load(tmp_path, {"content/articles/a.md": text}).articles[0].authors
    assert [(a.family_name, a.given_names, a.is_group) for a in authors] == [
        ("Machneva", "E. B.", False),
        ("Machneva", "Elena B.", False),
        ("van den Berg", "Anouk", False),
        ("Fictional Study Group", "", True),
        # A family name alone: the given names are the rest of the name, without its particle.
        ("van der Waals", "Ludwig", False),
        ("Chen", "Wei", False),
        ("Teller", "", False),
    ]


def test_affiliations_are_numbered_in_byline_order(tmp_path):
    text = """\
---
title: Affiliations
doi: 10.5555/jic.aff
year: 2025
affiliations:
  zeta: {name: Zeta Hospital}
  alpha: {name: Alpha Institute, address: 1 Example St, country: Spain}
authors:
  - name: A. Example
    affiliations: [alpha]
  - name: B. Example
    affiliations: [zeta, alpha]
---
"""
    article = load(tmp_path, {"content/articles/a.md": text}).articles[0]
    assert [a.name for a in article.affiliations] == ["Alpha Institute", "Zeta Hospital"]
    assert article.affiliation_numbers == {"alpha": 1, "zeta": 2}
    assert (article.affiliations[0].address, article.affiliations[0].country) == ("1 Example St", "Spain")


def test_missing_journal_yaml_is_one_problem(tmp_path):
    (tmp_path / "content").mkdir()
    with pytest.raises(BuildFailed) as failure:
        load_content(tmp_path / "content")
    (problem,) = failure.value.problems
    assert problem.path == "journal.yaml" and "not found" in problem.message


def test_base_url_option_overrides_journal_yaml(tmp_path):
    write_files(tmp_path, {"content/journal.yaml": JOURNAL})
    loaded = load_content(tmp_path / "content", "https://example.org/sub/path")
    assert (loaded.journal.base_url, loaded.journal.base_path) == ("https://example.org/sub/path/", "/sub/path/")


def test_bad_base_url_option_is_a_problem(tmp_path):
    write_files(tmp_path, {"content/journal.yaml": JOURNAL})
    with pytest.raises(BuildFailed) as failure:
        load_content(tmp_path / "content", "javascript:alert(1)")
    (problem,) = failure.value.problems
    assert problem.path == "--base-url" and "http" in problem.message


# --- all problems together --------------------------------------------------------------------


def test_problems_of_every_file_are_reported_together_and_sorted(tmp_path):
    files = {
        "content/journal.yaml": JOURNAL.replace("issn_print: 2311-1267", "issn_print: 1234-5678"),
        "content/articles/a.md": FRONT.replace("10.5555/jic.1", "10.5555/jic.a") + "pages: 9-1\n---\n",
        "content/articles/b.md": "no front matter\n",
        "content/articles/c.yaml": "title: [unclosed\n",
        "content/articles/d.md": FRONT.replace("10.5555/jic.1", "10.5555/jic.d") + "titel: typo\n---\n",
    }
    write_files(tmp_path, files)
    with pytest.raises(BuildFailed) as failure:
        load_content(tmp_path / "content")
    problems = failure.value.problems
    assert [(p.path, p.field) for p in problems] == [
        ("articles/a.md", "pages"),
        ("articles/b.md", ""),
        ("articles/c.yaml", ""),
        ("articles/d.md", "titel"),
        ("journal.yaml", "issn_print"),
    ]
    assert list(problems) == sorted(problems)
    assert problems[3].message == "unknown field (did you mean 'title'?)"


def test_a_record_missing_its_title_still_has_its_other_fields_checked(tmp_path):
    text = "---\ndoi: 10.5555/jic.x\nyear: 2025\npages: 9-1\nkeywords: {a: b}\nauthors:\n  - name: A\n---\n"
    fields = {p.field for p in problems_of(tmp_path, {"content/articles/a.md": text})}
    assert fields == {"title", "pages", "keywords"}


def test_duplicate_doi_is_case_insensitive_and_names_both_files(tmp_path):
    problems = problems_of(
        tmp_path,
        {
            "content/articles/one.md": FRONT.replace("10.5555/jic.1", "10.5555/JIC.Same") + "---\n",
            "content/articles/two.md": FRONT.replace("10.5555/jic.1", "https://doi.org/10.5555/jic.same") + "---\n",
        },
    )
    assert [str(p) for p in problems] == [
        # Each slug is made from the shared DOI: its collision is the DOI's, reported once.
        "articles/one.md:3: doi: '10.5555/jic.same' is also used by articles/two.md",
        "articles/two.md:3: doi: '10.5555/jic.same' is also used by articles/one.md",
    ]


def test_records_sharing_a_doi_and_a_slug_of_their_own_have_both_reported(tmp_path):
    """A slug written in both records is a second mistake, not the DOI's echo."""
    front = FRONT.replace("10.5555/jic.1", "10.5555/jic.same") + "slug: same-page\n---\n"
    problems = problems_of(tmp_path, {"content/articles/one.md": front, "content/articles/two.md": front})
    assert [p.field for p in problems] == ["doi", "slug", "doi", "slug"]


def test_the_cycle_collector_runs_again_after_loading_and_stays_off_if_it_was(tmp_path):
    import gc

    from caseshelf.collector import cycle_collector_paused

    load(tmp_path, {"content/articles/a.md": FRONT + "---\n"})
    assert gc.isenabled()
    gc.disable()
    try:
        with cycle_collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_asking_the_kernel_to_read_records_ahead_skips_what_is_not_a_readable_file(tmp_path):
    """`start_reading` runs before every share of records is read: a named pipe must not make
    it wait for a writer, and a missing file or a folder must not stop it. The records are
    read as before afterwards."""
    record = tmp_path / "a.md"
    record.write_bytes(b"---\ntitle: A\n---\n")
    os.mkfifo(tmp_path / "pipe.md")
    (tmp_path / "folder.md").mkdir()
    paths = [str(tmp_path / name) for name in ("pipe.md", "missing.md", "folder.md", "a.md")]
    finished = threading.Event()
    worker = threading.Thread(target=lambda: (start_reading(paths), finished.set()), daemon=True)
    worker.start()
    worker.join(10)
    assert finished.is_set()
    assert read_record_bytes(str(record)) == b"---\ntitle: A\n---\n"


def test_control_characters_typed_as_yaml_escapes_are_left_out_of_every_field(tmp_path):
    # No page can show them and XML cannot hold them: a NUL in a title made every page naming it binary.
    text = FRONT.replace("title: An invented case", 'title: "An \\x1b[31minvented\\0 case\\uFFFE"').replace(
        "name: A. B. Example", 'name: "A. B.\\x07 Example"'
    ) + 'keywords: ["tab\\tand line\\nend stay"]\n---\n'
    article = load(tmp_path, {"content/articles/a.md": text}).articles[0]
    assert (article.title, article.authors[0].name) == ("An [31minvented case", "A. B. Example")
    assert article.keywords == ("tab\tand line\nend stay",)


def test_links_under_articles_are_read_only_to_record_files_in_the_project(tmp_path):
    """A link elsewhere on the machine would publish that file, and a record there would have
    its field names quoted in problems (in a CI log); a link to a folder was skipped silently."""
    project, elsewhere = tmp_path / "project", tmp_path / "elsewhere"
    record = FRONT + "---\nThe abstract.\n"
    write_files(project, {"content/journal.yaml": JOURNAL, "content/articles/a.md": record, "shared/b.md": record.replace("jic.1", "jic.2")})
    write_files(elsewhere, {"c.md": record.replace("jic.1", "jic.3"), "folder/d.md": record.replace("jic.1", "jic.4")})
    articles = project / "content/articles"
    (articles / "b.md").symlink_to(project / "shared/b.md")  # in the project: read
    (articles / "c.md").symlink_to(elsewhere / "c.md")
    (articles / "folder").symlink_to(elsewhere / "folder", target_is_directory=True)
    (articles / "notes.txt").symlink_to(elsewhere / "c.md")  # not named as a record: not looked at
    assert find_record_names(project / "content") == ["articles/a.md", "articles/b.md"]
    with pytest.raises(BuildFailed) as failure:
        load_content(project / "content")
    assert [str(problem) for problem in failure.value.problems] == [
        "articles/c.md: is a link to a file outside the project, which a build does not read: copy the record here",
        "articles/folder: is a link to a folder, which caseshelf does not follow: move the records into articles/",
    ]
