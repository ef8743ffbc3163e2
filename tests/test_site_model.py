"""The site model (caseshelf/site.py): people, issues, keywords and citations built from records."""

from __future__ import annotations

from pathlib import Path

import pytest
from slugify import slugify

from caseshelf.loading import load_content
from caseshelf.site import Site, build_site
from conftest import SAMPLE_CONTENT, write_files

SEED_DOI = "10.21682/2311-1267-2025-12-4-89-96"


@pytest.fixture(scope="module")
def sample_model() -> Site:
    return build_site(load_content(SAMPLE_CONTENT))


def build(root: Path, records: dict[str, str]) -> Site:
    write_files(root, {"content/journal.yaml": "title: J\nbase_url: https://example.org/\n"})
    write_files(root, {f"content/articles/{name}.md": text for name, text in records.items()})
    return build_site(load_content(root / "content"))


def record(doi: str, year: int = 2025, extra: str = "", authors: str = "  - name: A. Author\n") -> str:
    return f"---\ntitle: Article {doi}\ndoi: {doi}\nyear: {year}\n{extra}authors:\n{authors}---\n"


def person(site: Site, name: str):
    (found,) = [p for p in site.people if p.name == name]
    return found


# --- the sample journal -----------------------------------------------------------------------


def test_sample_articles_are_newest_first(sample_model):
    keys = [(a.year, int(a.volume), int(a.issue)) for a in sample_model.articles]
    assert keys == sorted(keys, reverse=True)
    assert len(sample_model.articles) == 11


def test_sample_issues_newest_first_with_tables_of_contents_by_first_page(sample_model):
    assert [i.slug for i in sample_model.issues] == ["12/4", "12/2", "12/1", "11/3", "11/2", "11/1"]
    latest = sample_model.latest_issue
    assert [a.pages.first for a in latest.articles] == ["80", "89", "97"]
    assert latest.label == "Vol. 12, No. 4"


def test_the_seed_is_cited_by_the_fictional_venetoclax_article(sample_model):
    citing = sample_model.cited_by[SEED_DOI]
    assert [a.doi for a in citing] == ["10.5555/caseshelf.12.4.97"]


def test_orcid_joins_jose_nunez_printed_with_initials(sample_model):
    nunez = person(sample_model, "José Núñez")
    assert nunez.orcid == "0000-0002-1825-0097"
    assert "10.5555/caseshelf.11.1.19" in [a.doi for a in nunez.articles]  # bylined "J. Núñez" there
    assert [a.year for a in nunez.articles] == sorted((a.year for a in nunez.articles), reverse=True)
    assert len(nunez.articles) == 4


def test_author_affiliations_over_time_latest_first(sample_model):
    nunez = person(sample_model, "José Núñez")
    assert [(aff.name, year) for aff, year in nunez.affiliations] == [
        ("Department of Paediatric Haematology, Valdoria University Children’s Hospital", 2025),
        ("Laboratory of Immunology, Valdoria Institute of Biomedical Research", 2024),
    ]


def test_coauthors_are_everyone_sharing_a_byline(sample_model):
    machneva = person(sample_model, "E. B. Machneva")
    names = {sample_model.people_by_key[key].name for key in machneva.coauthor_keys}
    assert names == {"K. A. Sergeenko", "N. A. Batmanova", "M. A. Shervashidze", "T. T. Valiev", "K. I. Kirgizov", "S. R. Varfolomeeva"}


def test_every_byline_entry_maps_to_a_person(sample_model):
    for article in sample_model.articles:
        for index in range(len(article.authors)):
            assert sample_model.person_keys[(article.doi, index)] in sample_model.people_by_key
    assert len({p.slug for p in sample_model.people}) == len(sample_model.people) == 22


def test_people_sorted_a_to_z_by_transliterated_family_name(sample_model):
    families = [slugify(p.family_name) for p in sample_model.people]
    assert families == sorted(families)


# --- small fixture archives ------------------------------------------------------------------


def test_table_of_contents_orders_pages_numerically(tmp_path):
    site = build(
        tmp_path,
        {
            "c": record("10.5555/c", extra="volume: 1\nissue: 2\npages: 100-104\n"),
            "a": record("10.5555/a", extra="volume: 1\nissue: 2\npages: 80-88\n"),
            "b": record("10.5555/b", extra="volume: 1\nissue: 2\npages: 9-12\n"),
        },
    )
    (issue,) = site.issues
    assert [str(a.pages) for a in issue.articles] == ["9-12", "80-88", "100-104"]


def test_issues_order_numerically_and_articles_without_volume_have_no_issue(tmp_path):
    site = build(
        tmp_path,
        {
            "v2": record("10.5555/v2", extra="volume: 2\nissue: 1\n"),
            "v10": record("10.5555/v10", extra="volume: 10\nissue: 1\n"),
            "v10i12": record("10.5555/v10i12", extra="volume: 10\nissue: 12\n"),
            "loose": record("10.5555/loose"),
        },
    )
    assert [i.slug for i in site.issues] == ["10/12", "10/1", "2/1"]
    assert "10.5555/loose" not in site.issue_by_doi


def test_issues_that_are_not_plain_numbers_order_by_their_first_number(tmp_path):
    """A double issue "1-2" is the first issue, not the twelfth (its digits were read as 12);
    a supplement goes with the issue of its number, after it; a label without a number last."""
    site = build(
        tmp_path,
        {
            "special": record("10.5555/special", extra="volume: 10\nissue: Special\n"),
            "supplement": record("10.5555/supplement", extra="volume: 10\nissue: Suppl. 1\n"),
            "double": record("10.5555/double", extra="volume: 10\nissue: 1-2\n"),
            "third": record("10.5555/third", extra="volume: 10\nissue: 3\n"),
        },
    )
    assert [i.slug for i in site.issues] == ["10/3", "10/1-2", "10/suppl-1", "10/special"]
    assert [i.label for i in site.issues] == ["Vol. 10, No. 3", "Vol. 10, No. 1-2", "Vol. 10, Suppl. 1", "Vol. 10, Special"]


def test_keywords_group_case_insensitively(tmp_path):
    site = build(
        tmp_path,
        {
            "a": record("10.5555/a", 2025, "keywords: [Infant leukemia, MLL]\n"),
            "b": record("10.5555/b", 2024, "keywords: [infant leukemia]\n"),
        },
    )
    assert [(k.name, k.slug, len(k.articles)) for k in site.keywords] == [("Infant leukemia", "infant-leukemia", 2), ("MLL", "mll", 1)]
    assert site.keyword_slugs["infant leukemia"] == "infant-leukemia"


def test_keywords_with_the_same_slug_get_distinct_slugs(tmp_path):
    site = build(tmp_path, {"a": record("10.5555/a", extra="keywords: [CAR T cells, CAR-T cells]\n")})
    assert sorted(k.slug for k in site.keywords) == ["car-t-cells", "car-t-cells-2"]


def test_keywords_of_punctuation_only_are_keyword_pages_not_author_ones(tmp_path):
    site = build(tmp_path, {"a": record("10.5555/a", extra='keywords: ["!!!", "***", pain]\n')})
    assert sorted(k.slug for k in site.keywords) == ["keyword", "keyword-2", "pain"]


def test_citations_match_dois_case_insensitively_and_skip_self_citations(tmp_path):
    site = build(
        tmp_path,
        {
            "cited": record("10.5555/Cited", 2024, "references:\n  - text: Itself\n    doi: 10.5555/cited\n"),
            "citing": record(
                "10.5555/citing",
                extra="references:\n  - text: One\n    doi: 10.5555/CITED\n  - text: Again\n    doi: https://doi.org/10.5555/cited\n",
            ),
        },
    )
    assert [a.doi for a in site.cited_by["10.5555/cited"]] == ["10.5555/citing"]
    assert "10.5555/citing" not in site.cited_by
    assert site.article_by_doi["10.5555/cited"].doi == "10.5555/Cited"


def test_person_name_is_the_newest_spelling(tmp_path):
    orcid = "    orcid: 0000-0002-1825-0097\n"
    site = build(
        tmp_path,
        {
            "old": record("10.5555/old", 2020, authors="  - name: J. Núñez\n" + orcid),
            "new": record("10.5555/new", 2025, authors="  - name: José Núñez\n" + orcid),
        },
    )
    (only,) = site.people
    assert (only.name, only.slug, [a.doi for a in only.articles]) == ("José Núñez", "jose-nunez", ["10.5555/new", "10.5555/old"])


def test_a_person_named_twice_in_a_byline_has_the_article_once_and_is_not_their_own_coauthor(tmp_path):
    twice = "  - name: A. Author\n  - name: B. Other\n  - name: A. Author\n"
    site = build(tmp_path, {"one": record("10.5555/one", 2025, authors=twice), "two": record("10.5555/two", 2024)})
    author = person(site, "A. Author")
    assert [a.doi for a in author.articles] == ["10.5555/one", "10.5555/two"]
    assert [site.people_by_key[key].name for key in author.coauthor_keys] == ["B. Other"]
    assert site.person_keys[("10.5555/one", 0)] == site.person_keys[("10.5555/one", 2)] == author.key


def test_a_model_kept_without_its_records_takes_edited_records_back_in():
    """The incremental build keeps the model without its records and puts the edited records
    in: the result must be the model built from them, holding the new records themselves."""
    from dataclasses import replace

    from caseshelf.model import Loaded
    from caseshelf.site import model_part, model_without_records, relinked_model

    loaded = load_content(SAMPLE_CONTENT)
    kept = model_without_records(build_site(loaded))
    seed = next(article for article in loaded.articles if article.doi == "10.21682/2311-1267-2025-12-4-89-96")
    assert seed.title.encode() not in kept and loaded.journal.title.encode() not in kept  # the records are left out
    edited = replace(seed, title="An edited title", abstract="An edited abstract.")
    assert model_part(edited) == model_part(seed)
    articles = tuple(edited if article is seed else article for article in loaded.articles)
    journal = replace(loaded.journal, title="An edited journal")
    now = Loaded(journal, articles)

    relinked = relinked_model(kept, now)
    assert relinked == build_site(now)
    assert relinked.journal is journal
    assert relinked.article_by_doi[seed.doi.lower()] is edited
    assert all(article in articles for person in relinked.people for article in person.articles)
    assert any(edited in person.articles for person in relinked.people)


def test_the_model_part_of_an_article_is_what_the_site_model_reads():
    from dataclasses import replace

    from caseshelf.model import Reference
    from caseshelf.site import model_part

    seed = next(article for article in load_content(SAMPLE_CONTENT).articles if article.references)
    shown = replace(seed, title="T", abstract="A", license="CC0-1.0", references=tuple(replace(r, text="x") for r in seed.references))
    assert model_part(shown) == model_part(seed)
    for read in (
        replace(seed, year=seed.year + 1), replace(seed, keywords=(*seed.keywords, "new")),
        replace(seed, authors=seed.authors[1:]), replace(seed, slug="other"), replace(seed, volume="99"),
        replace(seed, references=(*seed.references, Reference("x", doi="10.1/new"))),
    ):  # fmt: skip
        assert model_part(read) != model_part(seed)
