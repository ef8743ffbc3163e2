"""Crossref deposit files. No registry package ships the Crossref 5.3.1 XSD for offline use, so
these tests check the structure element by element against the schema's rules: element order
in each sequence, required children, attribute values and the ORCID and date patterns."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from lxml import etree

from caseshelf.pipeline import BuildOptions, build

FIXTURE = Path(__file__).parent / "fixtures" / "exports" / "site"
CR = "http://www.crossref.org/schema/5.3.1"
JATS = "http://www.ncbi.nlm.nih.gov/JATS1"
AI = "http://www.crossref.org/AccessIndicators.xsd"
NS = {"cr": CR, "jats": JATS, "ai": AI}
# 2024-02-01 12:00:00 UTC: the deposit timestamp when SOURCE_DATE_EPOCH pins the build time.
EPOCH = "1706788800"

#: The sequence of <journal_article> in crossref5.3.1.xsd (each optional but doi_data/titles/date).
JOURNAL_ARTICLE_ORDER = [
    f"{{{CR}}}titles", f"{{{CR}}}contributors", f"{{{JATS}}}abstract", f"{{{CR}}}publication_date",
    f"{{{CR}}}acceptance_date", f"{{{CR}}}pages", f"{{{CR}}}publisher_item", f"{{{CR}}}crossmark",
    f"{{{AI}}}program", f"{{{CR}}}archive_locations", f"{{{CR}}}doi_data", f"{{{CR}}}citation_list",
]  # fmt: skip
PERSON_NAME_ORDER = [f"{{{CR}}}{tag}" for tag in ("given_name", "surname", "suffix", "affiliations", "ORCID")]
ORCID_PATTERN = re.compile(r"https?://orcid\.org/[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[X0-9]")


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("exports-source")
    shutil.copytree(FIXTURE, source, dirs_exist_ok=True)
    output = tmp_path_factory.mktemp("exports-output") / "_site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        build(BuildOptions(source=source, output=output, search=False))
    return output


def deposit(site_dir: Path, name: str) -> etree._Element:
    return etree.parse(str(site_dir / "crossref" / name)).getroot()


def children(element: etree._Element) -> list[str]:
    return [child.tag for child in element if isinstance(child.tag, str)]


def assert_in_order(tags: list[str], order: list[str]) -> None:
    """Each tag is allowed here, and they come in the schema's order."""
    assert all(tag in order for tag in tags), tags
    positions = [order.index(tag) for tag in tags]
    assert positions == sorted(positions), tags


def test_one_file_per_issue_and_one_for_the_archive(fixture_site: Path) -> None:
    assert sorted(path.name for path in (fixture_site / "crossref").iterdir()) == [
        "all.xml",
        "issue-3-2.xml",
        "issue-4-1.xml",
    ]
    issue = deposit(fixture_site, "issue-3-2.xml")
    assert issue.xpath("//cr:journal_article/cr:doi_data/cr:doi/text()", namespaces=NS) == ["10.5555/fixture.unicode"]
    everything = deposit(fixture_site, "all.xml")
    dois = everything.xpath("//cr:journal_article/cr:doi_data/cr:doi/text()", namespaces=NS)
    assert sorted(dois) == ["10.5555/fixture.minimal", "10.5555/fixture.script", "10.5555/fixture.unicode"]


def test_head_names_the_batch_and_depositor(fixture_site: Path) -> None:
    root = deposit(fixture_site, "all.xml")
    assert root.tag == f"{{{CR}}}doi_batch" and root.get("version") == "5.3.1"
    assert children(root) == [f"{{{CR}}}head", f"{{{CR}}}body"]
    head = root.find("cr:head", NS)
    assert children(head) == [f"{{{CR}}}{tag}" for tag in ("doi_batch_id", "timestamp", "depositor", "registrant")]
    assert head.findtext("cr:timestamp", namespaces=NS) == "20240201120000"
    assert head.findtext("cr:doi_batch_id", namespaces=NS) == "caseshelf-all-20240201120000"
    assert head.findtext("cr:depositor/cr:depositor_name", namespaces=NS) == "Fixture depositor"
    assert head.findtext("cr:depositor/cr:email_address", namespaces=NS) == "deposits@example.org"
    assert head.findtext("cr:registrant", namespaces=NS) == "Fixture Press"
    assert (
        deposit(fixture_site, "issue-3-2.xml").findtext("cr:head/cr:doi_batch_id", namespaces=NS)
        == "caseshelf-issue-3-2-20240201120000"
    )


def test_each_journal_holds_one_issue(fixture_site: Path) -> None:
    journals = deposit(fixture_site, "all.xml").findall("cr:body/cr:journal", NS)
    assert len(journals) == 3  # two issues, and the article without one
    for journal in journals:
        tags = children(journal)
        assert tags[0] == f"{{{CR}}}journal_metadata"
        assert set(tags[1:]) <= {f"{{{CR}}}journal_issue", f"{{{CR}}}journal_article"}
        metadata = journal.find("cr:journal_metadata", NS)
        assert children(metadata) == [f"{{{CR}}}{tag}" for tag in ("full_title", "abbrev_title", "issn", "issn")]
        assert [issn.get("media_type") for issn in metadata.findall("cr:issn", NS)] == ["print", "electronic"]
        assert metadata.findtext("cr:full_title", namespaces=NS) == "Journal of Invented Cases & <Tests>"
    issue = journals[0].find("cr:journal_issue", NS)
    assert children(issue) == [f"{{{CR}}}publication_date", f"{{{CR}}}journal_volume", f"{{{CR}}}issue"]
    assert (
        issue.findtext("cr:journal_volume/cr:volume", namespaces=NS),
        issue.findtext("cr:issue", namespaces=NS),
    ) == ("3", "2")
    assert journals[2].find("cr:journal_issue", NS) is None


def test_articles_follow_the_schema_sequence(fixture_site: Path) -> None:
    articles = deposit(fixture_site, "all.xml").findall(".//cr:journal_article", NS)
    for article in articles:
        tags = children(article)
        assert_in_order(tags, JOURNAL_ARTICLE_ORDER)
        assert {f"{{{CR}}}titles", f"{{{CR}}}publication_date", f"{{{CR}}}doi_data"} <= set(tags)
        assert article.get("publication_type") in ("full_text", "abstract_only", "bibliographic_record")
        date = article.find("cr:publication_date", NS)
        assert_in_order(children(date), [f"{{{CR}}}{tag}" for tag in ("month", "day", "year")])
        assert re.fullmatch(r"[0-9]{4}", date.findtext("cr:year", namespaces=NS))
        doi_data = article.find("cr:doi_data", NS)
        assert children(doi_data) == [f"{{{CR}}}doi", f"{{{CR}}}resource"]
        slug = doi_data.findtext("cr:doi", namespaces=NS).removeprefix("10.5555/").replace(".", "-")
        assert (
            doi_data.findtext("cr:resource", namespaces=NS) == f"https://journal.example.org/sub/path/articles/{slug}/"
        )
        for person in article.findall("cr:contributors/cr:person_name", NS):
            assert_in_order(children(person), PERSON_NAME_ORDER)
            assert person.get("contributor_role") == "author"
            orcid = person.findtext("cr:ORCID", namespaces=NS)
            assert orcid is None or ORCID_PATTERN.fullmatch(orcid)
        sequences = [c.get("sequence") for c in article.find("cr:contributors", NS)]
        assert sequences[0] == "first" and set(sequences[1:]) <= {"additional"}
        keys = [citation.get("key") for citation in article.findall("cr:citation_list/cr:citation", NS)]
        assert len(keys) == len(set(keys))
        for citation in article.findall("cr:citation_list/cr:citation", NS):
            assert_in_order(children(citation), [f"{{{CR}}}doi", f"{{{CR}}}unstructured_citation"])


def test_the_unicode_article_in_full(fixture_site: Path) -> None:
    (article,) = deposit(fixture_site, "issue-3-2.xml").findall(".//cr:journal_article", NS)
    assert (article.get("language"), article.get("publication_type")) == ("ru", "abstract_only")
    assert article.findtext("cr:titles/cr:title", namespaces=NS) == "Эффект in vivo у младенцев: Ünïcödé 中文 title"
    people = article.findall("cr:contributors/cr:person_name", NS)
    names = [(p.findtext("cr:given_name", namespaces=NS), p.findtext("cr:surname", namespaces=NS)) for p in people]
    assert names == [("Ирина Петровна", "Смирнова"), ("José", "Núñez-García"), ("小明", "王")]
    assert (
        people[0].findtext("cr:affiliations/cr:institution/cr:institution_name", namespaces=NS)
        == "Институт детской гематологии"
    )
    assert people[0].find("cr:ORCID", NS).get("authenticated") == "false"
    (group,) = article.findall("cr:contributors/cr:organization", NS)
    assert (group.text, group.get("sequence")) == ("Группа исследователей «Пример»", "additional")
    abstract = article.find("jats:abstract", NS)
    assert [title.text for title in abstract.findall("jats:sec/jats:title", NS)] == ["Введение", "Conclusions"]
    assert all(element.tag.startswith(f"{{{JATS}}}") for element in abstract.iter())
    assert children(article.find("cr:pages", NS)) == [f"{{{CR}}}first_page", f"{{{CR}}}last_page"]
    assert (
        article.findtext("ai:program/ai:license_ref", namespaces=NS)
        == "https://creativecommons.org/licenses/by-nc/4.0/"
    )
    assert article.find("ai:program", NS).get("name") == "AccessIndicators"
    citations = article.findall("cr:citation_list/cr:citation", NS)
    assert citations[0].findtext("cr:doi", namespaces=NS) == "10.1000/example.ünïcode"
    assert citations[1].find("cr:doi", NS) is None
    assert citations[1].findtext("cr:unstructured_citation", namespaces=NS).startswith("Иванов И.И.")


def test_elocation_is_an_article_number_and_a_pdf_means_full_text(fixture_site: Path) -> None:
    (article,) = deposit(fixture_site, "issue-4-1.xml").findall(".//cr:journal_article", NS)
    assert article.get("publication_type") == "full_text"
    item = article.find("cr:publisher_item/cr:item_number", NS)
    assert (item.text, item.get("item_number_type")) == ("e0042", "article_number")
    assert article.find("cr:pages", NS) is None


def test_minimal_record_has_only_what_it_needs(fixture_site: Path) -> None:
    journal = deposit(fixture_site, "all.xml").findall("cr:body/cr:journal", NS)[-1]
    (article,) = journal.findall("cr:journal_article", NS)
    assert children(article) == [f"{{{CR}}}{tag}" for tag in ("titles", "contributors", "publication_date")] + [
        f"{{{AI}}}program", f"{{{CR}}}doi_data",
    ]  # fmt: skip
    assert children(article.find("cr:publication_date", NS)) == [f"{{{CR}}}year"]


def test_no_depositor_no_deposit_files(tmp_path: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(FIXTURE, source)
    journal = source / "journal.yaml"
    text = journal.read_text("utf-8")
    journal.write_text(text[: text.index("crossref:")], "utf-8")
    build(BuildOptions(source=source, output=tmp_path / "_site", search=False))
    assert not (tmp_path / "_site" / "crossref").exists()
    assert not (tmp_path / "_site" / "oai.xml").exists()
    assert (tmp_path / "_site" / "doaj.xml").is_file()


def test_a_person_known_by_one_name_is_a_person_with_a_surname(awkward_site: Path) -> None:
    """Crossref's <person_name> needs a surname and no given name; <organization> is for groups
    and has no place for an affiliation or an ORCID iD, which a mononym author keeps."""
    (article,) = deposit(awkward_site, "issue-7-2.xml").findall(".//cr:journal_article", NS)
    contributors = article.find("cr:contributors", NS)
    teller = contributors[0]
    assert teller.tag == f"{{{CR}}}person_name" and teller.get("sequence") == "first"
    assert children(teller) == [f"{{{CR}}}surname", f"{{{CR}}}affiliations", f"{{{CR}}}ORCID"]
    assert_in_order(children(teller), PERSON_NAME_ORDER)
    assert teller.findtext("cr:surname", namespaces=NS) == "Teller"
    assert teller.findtext("cr:ORCID", namespaces=NS) == "https://orcid.org/0000-0002-1825-0097"
    assert [element.findtext("cr:surname", namespaces=NS) or element.text for element in contributors] == [
        "Teller", "van der Waals", "de la Cruz", "King", "Fictional Onomastics Consortium",
    ]  # fmt: skip
    assert [element.tag for element in contributors].count(f"{{{CR}}}organization") == 1


def test_front_matter_in_roman_numerals_is_first_and_last_page(front_matter_site: Path) -> None:
    pages = {
        article.findtext("cr:doi_data/cr:doi", namespaces=NS): (
            article.findtext("cr:pages/cr:first_page", namespaces=NS), article.findtext("cr:pages/cr:last_page", namespaces=NS))
        for article in deposit(front_matter_site, "issue-8-1.xml").findall(".//cr:journal_article", NS)
    }
    assert pages == {"10.5555/roman.editorial": ("iii", "iv"), "10.5555/roman.preface": ("IX", None),
                     "10.5555/roman.first": ("1", "7")}


def _publication_dates(site_dir: Path) -> dict[str, list[tuple]]:
    """DOI -> (media type, month, day, year) of each publication_date of its journal_article."""
    return {
        article.findtext("cr:doi_data/cr:doi", namespaces=NS): [
            (date.get("media_type"), *(date.findtext(f"cr:{part}", namespaces=NS) for part in ("month", "day", "year")))
            for date in article.findall("cr:publication_date", NS)
        ]
        for article in deposit(site_dir, "all.xml").findall(".//cr:journal_article", NS)
    }


def test_an_article_out_in_another_year_than_its_issue_has_an_online_date_and_a_print_year(online_dates_site: Path) -> None:
    """Online on 2024-12-20 in the 2025 volume: its online date was deposited as 2025-12-20,
    a day that had not come."""
    assert _publication_dates(online_dates_site) == {
        "10.5555/dates.ahead": [("online", "12", "20", "2024"), ("print", None, None, "2025")],
        "10.5555/dates.late": [("online", "02", "03", "2025"), ("print", None, None, "2024")],
        "10.5555/dates.on-time": [("online", "03", "10", "2025")],
        "10.5555/dates.digitised": [("online", "03", "01", "2006"), ("print", None, None, "1998")],
    }
    for article in deposit(online_dates_site, "all.xml").findall(".//cr:journal_article", NS):
        assert_in_order(children(article), JOURNAL_ARTICLE_ORDER)
