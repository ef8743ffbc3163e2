"""Who is who across articles (caseshelf/identity.py), and readable, unique, stable slugs."""

from __future__ import annotations

from pathlib import Path

import pytest
from slugify import slugify

from caseshelf.identity import MAX_SLUG_LENGTH, assign_slugs, byline_identity_keys, identity_keys, make_slug, normalised_name, romanisation_skeleton
from caseshelf.loading import load_content
from caseshelf.model import Author
from caseshelf.pipeline import BuildOptions, build
from caseshelf.site import build_site
from conftest import write_files

MACHNEVA_ORCID = "0000-0002-1825-0097"
OTHER_ORCID = "0000-0001-5109-3700"


def author(name: str, orcid: str | None = None) -> Author:
    parts = name.split()
    return Author(name=name, family_name=parts[-1], given_names=" ".join(parts[:-1]), orcid=orcid)


# --- normalised names ---------------------------------------------------------------------


def test_initials_full_given_names_and_case_normalise_alike():
    variants = ["E. B. Machneva", "Elena B. Machneva", "e. b. MACHNEVA", "Elena Borisovna Machneva", "E.B. Machneva"]
    assert {normalised_name(author(name)) for name in variants} == {"e b machneva"}


def test_hyphenated_given_names_give_two_initials():
    assert normalised_name(author("Jean-Gabriel Dupont")) == normalised_name(author("J.-G. Dupont")) == "j g dupont"


def test_different_initials_or_family_names_differ():
    assert normalised_name(author("E. Machneva")) != normalised_name(author("E. B. Machneva"))
    assert normalised_name(author("E. B. Machneva")) != normalised_name(author("E. B. Machnev"))


def test_cyrillic_names_are_case_folded_too():
    assert normalised_name(author("Ю. А. Смирнова")) == normalised_name(author("Юлия А. СМИРНОВА"))


# --- identity keys ------------------------------------------------------------------------


def test_same_orcid_is_one_person_whatever_the_printed_name():
    keys = identity_keys([author("José Núñez", MACHNEVA_ORCID), author("J. Núñez", MACHNEVA_ORCID)])
    assert set(keys.values()) == {f"orcid:{MACHNEVA_ORCID}"}


def test_same_normalised_name_without_orcid_is_one_person():
    names = [author("E. B. Machneva"), author("Elena B. Machneva"), author("e. b. MACHNEVA")]
    keys = identity_keys(names)
    assert set(keys.values()) == {"name:e b machneva"}


def test_orcid_holder_absorbs_the_same_name_without_orcid_when_unique():
    with_orcid = author("Elena B. Machneva", MACHNEVA_ORCID)
    without = author("E. B. Machneva")
    keys = identity_keys([with_orcid, without])
    assert keys[without] == keys[with_orcid] == f"orcid:{MACHNEVA_ORCID}"


def test_name_without_orcid_stays_apart_when_two_orcid_holders_share_it():
    first, second, unknown = author("A. Ivanova", MACHNEVA_ORCID), author("A. Ivanova", OTHER_ORCID), author("A. Ivanova")
    keys = identity_keys([first, second, unknown])
    assert keys[first] == f"orcid:{MACHNEVA_ORCID}"
    assert keys[second] == f"orcid:{OTHER_ORCID}"
    assert keys[unknown] == "name:a ivanova"


def test_namesakes_with_different_orcids_are_different_people():
    keys = identity_keys([author("A. Ivanova", MACHNEVA_ORCID), author("A. Ivanova", OTHER_ORCID)])
    assert len(set(keys.values())) == 2


# --- slugs ----------------------------------------------------------------------------------


def test_slugs_are_readable_ascii_for_cyrillic_and_accented_names():
    slugs = assign_slugs(
        {
            "name:a": "Ю. А. Смирнова",
            "name:b": "Д. И. Волков",
            "name:c": "Zoë Müller",
            "name:d": "Øystein Håland",
            "name:e": "José Núñez",
            "name:f": "Tomasz Wiśniewski",
            "name:g": "Aoife O'Connell",
        }
    )
    assert slugs == {
        "name:a": "iu-a-smirnova",
        "name:b": "d-i-volkov",
        "name:c": "zoe-muller",
        "name:d": "oystein-haland",
        "name:e": "jose-nunez",
        "name:f": "tomasz-wisniewski",
        "name:g": "aoife-o-connell",
    }


def test_namesakes_get_distinct_slugs_orcid_holders_by_their_last_digits():
    slugs = assign_slugs(
        {
            f"orcid:{MACHNEVA_ORCID}": "A. Ivanova",
            f"orcid:{OTHER_ORCID}": "A. Ivanova",
            "name:a ivanova": "A. Ivanova",
            "name:a  ivanova": "A Ivanova",
        }
    )
    assert slugs == {
        "name:a  ivanova": "a-ivanova",
        "name:a ivanova": "a-ivanova-2",
        f"orcid:{MACHNEVA_ORCID}": "a-ivanova-0097",
        f"orcid:{OTHER_ORCID}": "a-ivanova-3700",
    }


def test_orcid_holders_sharing_the_last_four_digits_still_get_distinct_slugs():
    slugs = assign_slugs({"orcid:0000-0002-1825-0097": "A. Ivanova", "orcid:0000-0001-2345-0097": "A. Ivanova"})
    assert len(set(slugs.values())) == 2
    assert all(slug.startswith("a-ivanova-") for slug in slugs.values())


def test_a_suffixed_slug_never_takes_another_persons_plain_slug():
    slugs = assign_slugs({"name:x": "A B", "name:y": "A-B", "name:z": "A B 2"})
    assert slugs["name:z"] == "a-b-2"
    assert len(set(slugs.values())) == 3


def test_nameless_slug_falls_back_to_author():
    assert assign_slugs({"name:": "???"}) == {"name:": "author"}


def test_slugs_do_not_depend_on_the_order_keys_arrive_in():
    names = {f"orcid:{MACHNEVA_ORCID}": "A. Ivanova", f"orcid:{OTHER_ORCID}": "A. Ivanova", "name:a": "A. Ivanova", "name:b": "A-Ivanova"}
    assert assign_slugs(names) == assign_slugs(dict(reversed(list(names.items()))))


# --- across a whole archive ------------------------------------------------------------------

JOURNAL = "title: J\nbase_url: https://example.org/\n"


def record(doi: str, year: int, authors: str) -> str:
    return f"---\ntitle: Article {doi}\ndoi: {doi}\nyear: {year}\nauthors:\n{authors}---\n"


RECORDS = {
    "one": record("10.5555/one", 2024, "  - name: Elena B. Machneva\n    orcid: 0000-0002-1825-0097\n"),
    "two": record("10.5555/two", 2025, "  - name: E. B. Machneva\n  - name: Ю. А. Смирнова\n"),
    "three": record("10.5555/three", 2025, "  - name: A. Ivanova\n    orcid: 0000-0001-5109-3700\n  - name: Юлия А. Смирнова\n"),
    "four": record("10.5555/four", 2023, "  - name: A. Ivanova\n    orcid: 0000-0002-1694-233X\n"),
}


def people_in(root: Path, file_names: dict[str, str]) -> dict[str, tuple[str, int]]:
    """Build the site model from RECORDS written under the given file names: slug -> (name, articles)."""
    write_files(root, {"content/journal.yaml": JOURNAL})
    write_files(root, {f"content/articles/{file_names[key]}": text for key, text in RECORDS.items()})
    site = build_site(load_content(root / "content"))
    return {person.slug: (person.name, len(person.articles)) for person in site.people}


def test_people_across_an_archive(tmp_path):
    people = people_in(tmp_path, {key: f"{key}.md" for key in RECORDS})
    assert people == {
        "e-b-machneva": ("E. B. Machneva", 2),  # the ORCID holder absorbed the byline without ORCID
        "iuliia-a-smirnova": ("Юлия А. Смирнова", 2),  # same initials and family name; newest spelling
        "a-ivanova-3700": ("A. Ivanova", 1),  # namesakes with different ORCIDs
        "a-ivanova-233x": ("A. Ivanova", 1),
    }


def test_slugs_are_stable_across_builds_and_independent_of_file_order(tmp_path):
    forward = people_in(tmp_path / "a", {key: f"{index}-{key}.md" for index, key in enumerate(RECORDS)})
    backward = people_in(tmp_path / "b", {key: f"{9 - index}-{key}.md" for index, key in enumerate(RECORDS)})
    nested = people_in(tmp_path / "c", {key: f"{key}/deep/{key}.md" for key in RECORDS})
    assert forward == backward == nested


# --- the fast paths give what the plain calls give ---------------------------------------


@pytest.mark.parametrize("text", ["Machneva", "Núñez-García", "Смирнова", "Ångström", "O'Brien", "12", "Å&amp;B", "", "李"])
def test_make_slug_is_python_slugifys_default_slug(text):
    """make_slug names the transliteration backend that slugify's "auto" picks (see identity.py)."""
    assert make_slug(text) == slugify(text)


def test_byline_keys_are_identity_keys_in_byline_order():
    bylines = [author("Elena B. Machneva", MACHNEVA_ORCID), author("E. B. Machneva"), author("J. Smith"), author("E. B. Machneva")]
    assert byline_identity_keys(bylines) == [identity_keys(bylines)[a] for a in bylines]
    assert byline_identity_keys(bylines) == [f"orcid:{MACHNEVA_ORCID}"] * 2 + ["name:j smith", f"orcid:{MACHNEVA_ORCID}"]


def test_slugs_of_long_text_are_cut_to_a_folder_names_length_and_stay_unique():
    """A keyword written as a sentence names its page's folder: it must fit a file system."""
    shared = "word " * 60  # 300 characters: the first 200 of both slugs are the same
    slugs = assign_slugs({"a": shared + "one", "b": shared + "two"})
    assert slugs == {"a": ("word-" * 40)[:199], "b": ("word-" * 40)[:199] + "-2"}
    assert all(len(slug) <= MAX_SLUG_LENGTH + 2 for slug in slugs.values())


def test_a_keyword_too_long_for_a_folder_name_still_gets_its_page(tmp_path):
    keyword = "a very long keyword " * 20  # 400 characters
    text = record("10.5555/long.1", 2025, "  - name: A. Author\n").replace("authors:", f"keywords: [{keyword.strip()}]\nauthors:")
    write_files(tmp_path, {"content/journal.yaml": JOURNAL, "content/articles/a.md": text})
    build(BuildOptions(source=tmp_path / "content", output=tmp_path / "_site", search=False, cache=False))
    (page,) = (tmp_path / "_site" / "keywords").glob("*/index.html")
    assert len(page.parent.name) <= MAX_SLUG_LENGTH
    assert keyword.strip() in page.read_text(encoding="utf-8")


# --- romanisation skeletons (the ORCID warning's test of one name) ------------------------


@pytest.mark.parametrize("spellings", [
    ("Shchukina", "Schukina", "Щукина"),
    ("Iakovleva", "Yakovleva", "Jakovleva", "Яковлева"),
    ("Kharitonova", "Haritonova", "Харитонова"),
    ("Tsoi", "Tsoy", "Цой"),
    ("Zhukov", "Jukov", "Жуков"),
    ("Alekseev", "Alexeev", "Алексеев"),
    ("Iurii", "Yury", "Yuriy", "Юрий"),
    ("Fyodorov", "Fedorov", "Фёдоров"),
    ("Sergeyev", "Sergeev", "Сергеев"),
])
def test_romanisations_of_one_russian_name_have_one_skeleton(spellings):
    assert len({romanisation_skeleton(spelling) for spelling in spellings}) == 1


@pytest.mark.parametrize("one, other", [("Núñez", "Machneva"), ("Smith", "Jones"), ("Ivanova", "Petrova"), ("Ivanova", "Ivanov"), ("Kim", "Kin")])
def test_different_names_have_different_skeletons(one, other):
    assert romanisation_skeleton(one) != romanisation_skeleton(other)
