"""citation.bib, citation.ris and citation.json parsed back with bibtexparser, rispy and json,
and the citation cache."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import bibtexparser
import pytest
import rispy
from bibtexparser.bparser import BibTexParser
from bibtexparser.customization import convert_to_unicode
from citeproc.source.json import CiteProcJSON

from caseshelf.exports import (
    citation_style,
    cite,
    citeproc_macro_outputs,
    citeproc_patch_registry,
    citeproc_style_tree,
    jsontext,
)
from caseshelf.exports.citation_style import citations_to_save, format_citation, seed_cache
from caseshelf.exports.csl import citation_item
from caseshelf.loading import load_content
from caseshelf.site import build_site

FIXTURE = Path(__file__).parent / "fixtures" / "exports" / "site"
UNICODE_AUTHORS = ["Смирнова", "Núñez-García", "王", "Группа исследователей «Пример»"]


@pytest.fixture(scope="module")
def model():
    return build_site(load_content(FIXTURE, None))


def parse_bibtex(text: str) -> dict:
    parser = BibTexParser(common_strings=True)
    parser.customization = convert_to_unicode
    (entry,) = bibtexparser.loads(text, parser).entries
    return entry


def test_bibtex_parses_back_to_the_same_title_authors_and_doi(fixture_site: Path) -> None:
    text = (fixture_site / "articles/fixture-unicode/citation.bib").read_text("utf-8")
    # A group author is braced, so BibTeX takes it as one name, not as "family, given" words.
    assert "and {Группа исследователей «Пример»}}" in text
    entry = parse_bibtex(text)
    assert entry["ENTRYTYPE"] == "article"
    assert entry["title"] == "Эффект in vivo у младенцев: Ünïcödé 中文 title"
    assert entry["author"].split(" and ") == [
        "Смирнова, Ирина Петровна", "Núñez-García, José", "王, 小明", "Группа исследователей «Пример»",
    ]  # fmt: skip
    assert entry["doi"] == "10.5555/fixture.unicode"
    assert entry["journal"] == "Journal of Invented Cases & <Tests>"
    assert (entry["year"], entry["month"], entry["volume"], entry["number"], entry["pages"]) == (
        "2024",
        "March",  # the `mar` macro, as bibtexparser reads BibTeX's month macros
        "3",
        "2",
        "10--15",
    )
    assert entry["url"] == "https://journal.example.org/sub/path/articles/fixture-unicode/"


def test_bibtex_names_split_as_bibtex_splits_them(awkward_site: Path) -> None:
    """BibTeX reads `Last, First` and `Last, Jr, First`: a name written `King, Martin Luther, Jr.`
    (the record's given names hold the suffix) must put the suffix second, or BibTeX takes
    `Martin Luther` for the suffix and `Jr.` for the given name."""
    from bibtexparser.customization import splitname

    text = (awkward_site / "articles/awkward-names/citation.bib").read_text("utf-8")
    # Read without convert_to_unicode, which takes off the braces that keep a group one name.
    (entry,) = bibtexparser.loads(text, BibTexParser(common_strings=True)).entries
    names = [splitname(name) for name in entry["author"].split(" and ")]
    assert [(name.get("von", []), name["last"], name.get("jr", []), name.get("first", [])) for name in names] == [
        ([], ["{Teller}"], [], []),
        (["van", "der"], ["Waals"], [], ["Ludwig"]),
        (["de", "la"], ["Cruz"], [], ["María"]),
        ([], ["King"], ["Jr."], ["Martin", "Luther"]),
        ([], ["{Fictional Onomastics Consortium}"], [], []),
    ]


def test_bibtex_of_tex_specials_stays_balanced_and_reads_back(model) -> None:
    article = replace(model.article_by_doi["10.5555/fixture.minimal"], title="50% of {braces}, a_b & #1 $x$ ~ ^ \\ end")
    text = cite.render_bibtex(article, model.journal).decode()
    entry = parse_bibtex(text)
    assert entry["title"].startswith("50% of ")
    assert r"\{braces\}" in text and r"\textbackslash{}" in text
    assert text.count("{") - text.count(r"\{") == text.count("}") - text.count(r"\}")


def test_bibtex_braces_words_whose_capitals_styles_would_lowercase(model) -> None:
    article = replace(model.article_by_doi["10.5555/fixture.minimal"], title="Infant B-ALL with MLL (KMT2A) and mRNA: a Case in Moscow")
    text = cite.render_bibtex(article, model.journal).decode()
    assert "  title = {Infant {B-ALL} with {MLL} {(KMT2A)} and {mRNA:} a Case in Moscow},\n" in text
    assert parse_bibtex(text)["title"] == "Infant B-ALL with MLL (KMT2A) and mRNA: a Case in Moscow"


def test_bibtex_month_is_the_month_macro_that_readers_take_for_the_month(model) -> None:
    article = replace(model.article_by_doi["10.5555/fixture.minimal"], published=date(2023, 2, 14))  # its year: 2023
    text = cite.render_bibtex(article, model.journal).decode()
    # Bare, not braced: classic BibTeX styles print a braced {2} as "2".
    assert "  month = feb,\n" in text
    assert parse_bibtex(text)["month"] == "February"


def _split_outside_braces(value: str) -> list[str]:
    """A comma-separated list as biblatex reads it: a comma inside braces separates nothing,
    and the braces around a whole item go."""
    items, depth, current = [], 0, ""
    for char in value:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if char == "," and depth == 0:
            items.append(current)
            current = ""
        else:
            current += char
    return [item.strip().removeprefix("{").removesuffix("}") for item in [*items, current]]


MESH_KEYWORDS = ("Leukemia, Myeloid, Acute", "infant leukemia", "50% & more")


def test_a_keyword_with_a_comma_stays_one_keyword_in_bibtex_csl_json_and_ris(model) -> None:
    article = replace(model.article_by_doi["10.5555/fixture.minimal"], keywords=MESH_KEYWORDS)
    (bibtex,) = bibtexparser.loads(cite.render_bibtex(article, model.journal).decode(), BibTexParser(common_strings=True)).entries
    assert bibtex["keywords"] == r"{Leukemia, Myeloid, Acute}, infant leukemia, 50\% \& more"
    assert _split_outside_braces(bibtex["keywords"]) == ["Leukemia, Myeloid, Acute", "infant leukemia", r"50\% \& more"]
    (item,) = json.loads(cite.render_csl_json(article, model.journal))
    assert item["keyword"].split("; ") == list(MESH_KEYWORDS)
    (ris,) = rispy.loads(cite.render_ris(article, model.journal).decode())
    assert ris["keywords"] == list(MESH_KEYWORDS)


def test_keywords_without_commas_are_joined_by_commas(model) -> None:
    article = replace(model.article_by_doi["10.5555/fixture.minimal"], keywords=("infant leukemia", "KMT2A"))
    assert "  keywords = {infant leukemia, KMT2A},\n" in cite.render_bibtex(article, model.journal).decode()
    (item,) = json.loads(cite.render_csl_json(article, model.journal))
    assert item["keyword"] == "infant leukemia, KMT2A"


def test_bibtex_doi_is_written_as_it_is_read_verbatim(model) -> None:
    # biblatex and the doi/url packages read the field verbatim: `\_` would reach the link.
    article = replace(model.article_by_doi["10.5555/fixture.minimal"], doi="10.5555/case_1%2#x&y")
    assert "  doi = {10.5555/case_1%2#x&y},\n" in cite.render_bibtex(article, model.journal).decode()
    braced = replace(article, doi="10.5555/a{b")  # a brace would unbalance the entry: escaped
    assert "doi = {10.5555/a\\{b}" in cite.render_bibtex(braced, model.journal).decode()


def test_ris_parses_back(fixture_site: Path) -> None:
    (entry,) = rispy.loads((fixture_site / "articles/fixture-unicode/citation.ris").read_text("utf-8"))
    assert entry["type_of_reference"] == "JOUR"
    assert entry["title"] == "Эффект in vivo у младенцев: Ünïcödé 中文 title"
    assert entry["authors"] == [
        "Смирнова, Ирина Петровна",
        "Núñez-García, José",
        "王, 小明",
        "Группа исследователей «Пример»",
    ]
    assert entry["doi"] == "10.5555/fixture.unicode"
    assert entry["secondary_title"] == "Journal of Invented Cases & <Tests>"
    assert (entry["start_page"], entry["end_page"], entry["date"]) == ("10", "15", "2024/03/05")
    assert entry["keywords"] == ["лейкоз", "Übersicht", "白血病"]
    # The structured abstract keeps its words but is one line: RIS is line-based.
    assert entry["abstract"].startswith("Введение Краткое вымышленное описание случая с символами < & >")


def test_ris_starts_with_the_type_tag(fixture_site: Path) -> None:
    text = (fixture_site / "articles/fixture-minimal/citation.ris").read_text("utf-8")
    assert text.splitlines()[0] == "TY  - JOUR"
    assert text.rstrip().splitlines()[-1].startswith("ER  -")


def test_csl_json_parses_back(fixture_site: Path) -> None:
    (item,) = json.loads((fixture_site / "articles/fixture-unicode/citation.json").read_text("utf-8"))
    assert item["type"] == "article-journal"
    assert item["title"] == "Эффект in vivo у младенцев: Ünïcödé 中文 title"
    assert item["DOI"] == "10.5555/fixture.unicode"
    assert item["author"] == [
        {"family": "Смирнова", "given": "Ирина Петровна"},
        {"family": "Núñez-García", "given": "José"},
        {"family": "王", "given": "小明"},
        {"literal": "Группа исследователей «Пример»"},
    ]
    assert item["issued"] == {"date-parts": [[2024, 3, 5]]}
    assert (item["volume"], item["issue"], item["page"]) == ("3", "2", "10-15")
    assert item["container-title-short"] == "J Invent Cases"


def test_minimal_record_files_parse(fixture_site: Path) -> None:
    folder = fixture_site / "articles/fixture-minimal"
    entry = parse_bibtex((folder / "citation.bib").read_text("utf-8"))
    assert (entry["title"], entry["author"], entry["doi"], entry["year"]) == (
        "Minimal record",
        "Mal, Mini",
        "10.5555/fixture.minimal",
        "2023",
    )
    assert "pages" not in entry and "volume" not in entry
    (ris,) = rispy.loads((folder / "citation.ris").read_text("utf-8"))
    assert (ris["title"], ris["authors"], ris["doi"]) == ("Minimal record", ["Mal, Mini"], "10.5555/fixture.minimal")
    (item,) = json.loads((folder / "citation.json").read_text("utf-8"))
    assert item["issued"] == {"date-parts": [[2023]]} and "page" not in item


def test_citations_are_cached_by_content(model) -> None:
    article = model.article_by_doi["10.5555/fixture.minimal"]
    item = citation_item(article, model.journal)
    seed_cache({})  # a build starts
    first = format_citation(item, "nlm-citation-sequence")
    assert first == "Mal M. Minimal record. J Invent Cases. 2023."
    saved = citations_to_save({})
    assert list(saved.values()) == [first]
    assert citations_to_save({}) == {}  # each citation is given once
    # A seeded entry is used instead of formatting again: what a saved cache gives the next build.
    seed_cache({key: "from the cache" for key in saved})
    assert format_citation(item, "nlm-citation-sequence") == "from the cache"
    changed = dict(item, title="Another title")
    assert format_citation(changed, "nlm-citation-sequence").startswith("Mal M. Another title.")
    # Only what the cache on disk lacks is to be saved: the changed article's citation.
    assert list(citations_to_save(saved).values()) == [format_citation(changed, "nlm-citation-sequence")]
    seed_cache(dict.fromkeys(saved, first))


def test_a_citation_this_process_knows_is_saved_when_the_cache_lacks_it(model) -> None:
    """A long-running process (the preview) keeps citations in memory; a cache on disk that
    dropped one must get it back, though it is not formatted again."""
    item = citation_item(model.article_by_doi["10.5555/fixture.minimal"], model.journal)
    seed_cache({})
    text = format_citation(item, "nlm-citation-sequence")
    citations_to_save({})
    seed_cache({})  # the next build, with a cache that lacks it
    assert format_citation(item, "nlm-citation-sequence") == text
    assert list(citations_to_save({}).values()) == [text]


#: Styles of different families (numeric, author-date, GOST, humanities), each its own tree.
PATCH_CHECK_STYLES = (
    "nlm-citation-sequence", "gost-r-7-0-5-2008-numeric", "apa", "chicago-author-date", "ieee",
    "modern-language-association", "american-medical-association", "harvard-cite-them-right",
)  # fmt: skip


def _citations(items: list[str]) -> list[str]:
    # Freshly parsed trees for each run, so nothing one run's patches left behind serves the other.
    citation_style.forget_loaded_styles()
    return [citation_style._format(style, item) for style in PATCH_CHECK_STYLES for item in items]


#: Other kinds of works, with the variables their styles' branches ask for: a style chosen by
#: type must still cite them as citeproc-py does.
OTHER_TYPES = {
    "book": {"publisher": "Medica", "publisher-place": "Moscow", "edition": "2", "number-of-pages": "310"},
    "chapter": {"editor": [{"family": "Editor", "given": "Eve"}], "publisher": "Medica", "page": "12-19"},
    "webpage": {"URL": "https://example.org/case", "accessed": {"date-parts": [[2024, 5, 1]]}},
    "thesis": {"genre": "PhD thesis", "publisher": "Kazan University", "publisher-place": "Kazan"},
    "report": {"number": "17", "publisher": "Ministry of Health", "medium": "Internet"},
    "paper-conference": {"event": "Congress of Cases", "publisher-place": "Berlin", "DOI": "10.5555/c"},
    "article-journal": {"DOI": "10.5555/x", "URL": "https://example.org/x", "PMID": "123"},
    "article-newspaper": {"page": "4", "section": "Health"},
    "Book": {},  # citeproc-py compares a style's type words lower-cased with the item's as it is
}  # fmt: skip


def _items_of_other_types(items: list[str]) -> list[str]:
    shapes = []
    for kind, extra in OTHER_TYPES.items():
        for item in items[:2]:
            shapes.append(json.dumps({**json.loads(item), "type": kind, **extra}, sort_keys=True))
    # And an item whose type is no string, rendered by the style as loaded.
    shapes.append(json.dumps({**json.loads(items[0]), "type": None}))
    # Items with no authors, whose titles earlier items had: styles then put the title in the
    # authors' place (a <substitute>) and leave it out where it was, so the title macro's
    # output seen for the earlier items is not this item's.
    for item in items[:2]:
        shapes.append(json.dumps({**json.loads(item), "author": []}, sort_keys=True))
        shapes.append(json.dumps({key: value for key, value in json.loads(item).items() if key != "author"}, sort_keys=True))
    return shapes


def test_citeproc_speed_patches_change_no_citation(model, monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import SAMPLE_CONTENT

    articles = [*build_site(load_content(SAMPLE_CONTENT, None)).articles, *model.articles]
    items = [json.dumps(citation_item(article, model.journal), sort_keys=True) for article in articles]
    items += _items_of_other_types(items)
    # The same items twice: the second pass reads what the first left in the memos.
    patched = _citations(items + items)
    assert citeproc_patch_registry.ORIGINALS, "citeproc-py changed shape: no patch applies any more"
    monkeypatch.setattr(citeproc_style_tree, "STYLE_PREPARATIONS", ())
    monkeypatch.setattr(citeproc_style_tree, "ENTRY_PREPARATIONS", ())
    for (owner, name), original in citeproc_patch_registry.ORIGINALS.items():
        if original is citeproc_patch_registry.ABSENT:
            monkeypatch.delattr(owner, name)
        else:
            monkeypatch.setattr(owner, name, original)
    assert _citations(items + items) == patched


def test_a_macro_whose_values_differ_for_every_entry_is_not_kept(model) -> None:
    # The macros that print what every article shares are kept; the title's, different for
    # each article, stops being kept after a trial, so the memo does not grow with the archive.
    item = json.loads(json.dumps(citation_item(model.articles[0], model.journal), sort_keys=True))
    citation_style.forget_loaded_styles()
    for number in range(3 * citeproc_macro_outputs._MACRO_TRIALS):
        citation_style._format("nlm-citation-sequence", json.dumps({**item, "title": f"Case {number}"}))
    kept = {element.get("macro"): memo.outputs for element, memo in citeproc_macro_outputs._kept_macros.items() if memo}
    assert "title" not in kept
    assert len(kept["container-title"]) == 1
    assert max(len(outputs) for outputs in kept.values()) < citeproc_macro_outputs._MACRO_TRIALS


def test_a_style_tree_does_not_grow_with_each_citation(model) -> None:
    # citeproc-py inserts a <name> into a <names> that has none, each time it renders one,
    # unless the style was prepared; the nlm style's author list has none.
    items = [json.dumps(citation_item(article, model.journal), sort_keys=True) for article in model.articles]
    citation_style.forget_loaded_styles()
    fingerprint = citation_style.style_fingerprint("nlm-citation-sequence")
    (reference,) = CiteProcJSON([json.loads(items[0])]).values()
    style = citation_style._style_for_reference("nlm-citation-sequence", fingerprint, reference)
    citation_style._format("nlm-citation-sequence", items[0])
    size = len(list(style.root.iter()))
    for item in items:
        citation_style._format("nlm-citation-sequence", item)
    assert len(list(style.root.iter())) == size


#: Shapes json.dumps indents in its own ways: empty containers, nesting, numbers, escapes (all
#: a record's text can hold: YAML refuses lone surrogates, loading drops control characters).
JSON_SHAPES = (
    {}, [], "", 0, -1, 2**63 - 1, True, None, (1, "a"), {"a": [], "b": {}}, [{}, []],
    {"date-parts": [[2024, 3, 5]]}, ["x\n\"é<\u2028\t\\/\U0001f600", False, None], {"k": {"n": [[1, [2]]], "e": {}}},
)  # fmt: skip


@pytest.mark.parametrize("data", JSON_SHAPES, ids=repr)
def test_dump_json_writes_what_json_dumps_indents(data) -> None:
    expected = json.dumps(data, ensure_ascii=False, indent=2)
    assert jsontext.dump_json(data) == (expected + "\n").encode("utf-8")
    # Three levels deep, every line after the first is three levels (six spaces) further in.
    assert jsontext.indented_json(data, 3) == expected.replace("\n", "\n      ").encode("utf-8")


@pytest.mark.parametrize("data", JSON_SHAPES, ids=repr)
@pytest.mark.parametrize("sort_keys", [False, True])
def test_compact_json_is_what_json_dumps_writes_without_spaces(data, sort_keys: bool) -> None:
    expected = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=sort_keys)
    assert jsontext.compact_json(data, sort_keys) == expected.encode("utf-8")


def test_dump_json_of_every_csl_item_is_json_dumps(model) -> None:
    from conftest import SAMPLE_CONTENT

    from caseshelf.exports.csl import csl_item

    sample = build_site(load_content(SAMPLE_CONTENT, None))
    for site in (model, sample):
        items = [csl_item(article, site.journal) for article in site.articles]
        assert jsontext.dump_json(items) == (json.dumps(items, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def test_citation_json_and_the_articles_json_entry_are_the_same_item(model) -> None:
    from caseshelf.exports.cite import render_csl_json
    from caseshelf.exports.csl import csl_entry, csl_item

    articles = list(model.articles)
    for article in [*articles, *reversed(articles), articles[0], articles[0]]:  # made for each article, kept for the last
        expected = json.dumps([csl_item(article, model.journal)], ensure_ascii=False, indent=2)
        assert render_csl_json(article, model.journal) == (expected + "\n").encode("utf-8")
        assert b"[\n" + csl_entry(article, model.journal) + b"\n]" == expected.encode("utf-8")


def _library_bibtex(article, journal) -> str:
    """citation.bib as bibtexparser's writer writes the same fields (what cite.py used to call)."""
    from bibtexparser.bibdatabase import BibDatabase, BibDataString
    from bibtexparser.bwriter import BibTexWriter

    writer = BibTexWriter()
    writer.indent = "  "
    writer.order_entries_by = None
    fields = {name: value for name, value in cite._bibtex_fields(article, journal).items() if value}
    writer.display_order = list(fields)
    database = BibDatabase()
    if "month" in fields:  # a macro: the writer puts it bare, not in braces
        fields["month"] = BibDataString(database, fields["month"])
    database.entries = [{**fields, "ENTRYTYPE": "article", "ID": cite.citation_key(article)}]
    return bibtexparser.dumps(database, writer)


#: RIS tags as rispy names them.
RISPY_KEYS = {
    "TI": "title", "AU": "authors", "T2": "secondary_title", "JF": "alternate_title3", "J2": "alternate_title1",
    "PY": "year", "DA": "date", "VL": "volume", "IS": "number", "SP": "start_page", "EP": "end_page", "DO": "doi",
    "UR": "urls", "SN": "issn", "PB": "publisher", "LA": "language", "KW": "keywords", "AB": "abstract",
}  # fmt: skip


def _library_ris(article, journal) -> str:
    """citation.ris as rispy's writer writes the same values, without its "1." header line."""

    class PlainRisWriter(rispy.RisWriter):
        def set_header(self, count: int) -> str:
            return ""

    from caseshelf.exports.text import abstract_text

    fields = {**cite._ris_fields(article, journal), "AB": abstract_text(article.abstract)}
    entry = {"type_of_reference": "JOUR"}
    for tag, value in fields.items():
        if value:
            one_line = [cite._one_line(item) for item in value] if isinstance(value, list) else cite._one_line(value)
            entry[RISPY_KEYS[tag]] = one_line
    return rispy.dumps([entry], implementation=PlainRisWriter)


def _awkward_articles(model) -> list:
    """The fixture and sample records, and some with values the writers could trip on."""
    from conftest import SAMPLE_CONTENT

    base = model.article_by_doi["10.5555/fixture.unicode"]
    minimal = model.article_by_doi["10.5555/fixture.minimal"]
    return [
        *model.articles,
        *build_site(load_content(SAMPLE_CONTENT, None)).articles,
        replace(base, title="A  title\nover two lines, with {braces} & 50%", keywords=("one\ntwo", "  spaced  ")),
        replace(minimal, abstract="# Heading\n\nFirst  paragraph.\n\nSecond\nparagraph.", volume="", issue=None),
    ]


def test_bibtex_is_what_bibtexparser_writes(model) -> None:
    for article in _awkward_articles(model):
        assert cite.render_bibtex(article, model.journal).decode("utf-8") == _library_bibtex(article, model.journal)


def test_ris_is_what_rispy_writes(model) -> None:
    for article in _awkward_articles(model):
        assert cite.render_ris(article, model.journal).decode("utf-8") == _library_ris(article, model.journal)


def test_front_matter_in_roman_numerals_in_bibtex_ris_and_csl_json(front_matter_site: Path) -> None:
    folder = front_matter_site / "articles/roman-editorial"
    assert parse_bibtex((folder / "citation.bib").read_text("utf-8"))["pages"] == "iii--iv"
    (entry,) = rispy.loads((folder / "citation.ris").read_text("utf-8"))
    assert (entry["start_page"], entry["end_page"]) == ("iii", "iv")
    assert json.loads((folder / "citation.json").read_text("utf-8"))[0]["page"] == "iii-iv"


#: Page ranges with letters in them, and the range every style must print: the whole range.
#: citeproc-py shortened them by the characters their ends share, in a "minimal" style (NLM's):
#: S12-S15 to S12–5, e123-e130 to e123–30, iii-iv to iii–v.
LETTERED_RANGES = {"iii-iv": r"\biii[-–]iv\b", "S12-S15": r"\bS12[-–]S15\b", "e123-e130": r"\be123[-–]e130\b"}


def _citation_with_pages(page: str) -> dict:
    return {"id": "x", "type": "article-journal", "title": "Front matter", "container-title": "J Front Matter",
            "author": [{"family": "Editor", "given": "Ada"}], "issued": {"date-parts": [[2025]]},
            "volume": "8", "issue": "1", "page": page}


@pytest.mark.parametrize("page", LETTERED_RANGES)
@pytest.mark.parametrize("style", PATCH_CHECK_STYLES)
def test_a_page_range_with_letters_is_printed_whole_by_citeproc_and_the_compiled_style(style: str, page: str) -> None:
    item = _citation_with_pages(page)
    citation_style.forget_loaded_styles()
    by_citeproc = citation_style._format(style, json.dumps(item))
    assert re.search(LETTERED_RANGES[page], by_citeproc), by_citeproc
    assert format_citation(item, style) == by_citeproc  # the compiled style, where it can


def test_an_article_out_in_another_year_than_its_issue_is_cited_by_its_year(online_dates_site: Path) -> None:
    """Online on 2024-12-20 in the 2025 volume: BibTeX said December 2025, CSL-JSON 2024-12-20."""
    folder = online_dates_site / "articles"
    ahead = parse_bibtex((folder / "ahead/citation.bib").read_text("utf-8"))
    assert ahead["year"] == "2025" and "month" not in ahead
    assert parse_bibtex((folder / "on-time/citation.bib").read_text("utf-8"))["month"] == "March"
    slugs = ("ahead", "late", "on-time", "digitised")
    issued = {slug: json.loads((folder / slug / "citation.json").read_text("utf-8"))[0]["issued"] for slug in slugs}
    assert issued == {
        "ahead": {"date-parts": [[2025]]}, "late": {"date-parts": [[2024]]}, "on-time": {"date-parts": [[2025, 3, 10]]},
        "digitised": {"date-parts": [[1998]]},
    }  # fmt: skip
    # RIS has a tag for each: the year cited by, and the date it came out.
    (ris,) = rispy.loads((folder / "ahead/citation.ris").read_text("utf-8"))
    assert (ris["year"], ris["date"]) == ("2025", "2024/12/20")
