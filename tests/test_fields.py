"""Field validators (caseshelf/loading/fields.py): each returns the clean value or raises InvalidValue."""

from __future__ import annotations

from datetime import date

import pytest

from caseshelf.loading import fields
from caseshelf.loading.fields import InvalidValue
from caseshelf.model import Pages

# --- DOI ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("10.21682/2311-1267-2025-12-4-89-96", "10.21682/2311-1267-2025-12-4-89-96"),
        ("  10.1080/10428194.2018.1508667 ", "10.1080/10428194.2018.1508667"),
        ("https://doi.org/10.1016/S0140-6736(07)61126-X", "10.1016/S0140-6736(07)61126-X"),
        ("http://doi.org/10.1002/pbc.25953", "10.1002/pbc.25953"),
        ("https://dx.doi.org/10.1038/leu.2015.246", "10.1038/leu.2015.246"),
        ("HTTPS://DOI.ORG/10.1038/leu.2015.246", "10.1038/leu.2015.246"),
        ("doi:10.1182/blood-2019-02-204214", "10.1182/blood-2019-02-204214"),
        ("doi: 10.1182/blood-2019-02-204214", "10.1182/blood-2019-02-204214"),
        ("10.5555/a..b", "10.5555/a..b"),  # dots inside a segment are fine
    ],
)
def test_doi_is_normalised_to_the_bare_doi(text, expected):
    assert fields.parse_doi(text) == expected


SICI_DOI = "10.1002/(SICI)1097-0142(19960101)77:1<1::AID-CNCR1>3.0.CO;2-K"


@pytest.mark.parametrize(
    "text",
    [
        SICI_DOI,
        f"doi:{SICI_DOI}",
        # As browsers copy the link, and as pages link it (urls.doi_url): percent-encoded.
        "https://doi.org/10.1002/(SICI)1097-0142(19960101)77:1%3C1::AID-CNCR1%3E3.0.CO;2-K",
        "https://doi.org/10.1002%2F%28SICI%291097-0142%2819960101%2977%3A1%3C1%3A%3AAID-CNCR1%3E3.0.CO%3B2-K",
    ],
)
def test_an_old_wiley_doi_in_sici_form_is_a_doi(text):
    """SICI DOIs (1990s Wiley papers) hold `<` and `>`: real, registered DOIs case reports cite."""
    assert fields.parse_doi(text) == SICI_DOI


@pytest.mark.parametrize("text", ["https://doi.org/10.5555/a%20b", "https://doi.org/10.5555/a%22b", "https://doi.org/10.5555/%2E%2E/x"])
def test_a_link_is_checked_as_the_doi_it_decodes_to(text):
    with pytest.raises(InvalidValue, match="is not a DOI|'.' or '..' path segments"):
        fields.parse_doi(text)


@pytest.mark.parametrize(
    "text",
    [
        "https://doi.org/10.5555/a%00b",  # a NUL: written into pages, BibTeX and RIS as it was
        "https://doi.org/10.5555/a%1B[31mb",  # a terminal escape
        "https://doi.org/10.5555/a%C2%9Bb",  # the one-character terminal escape (C1 CSI)
        "https://doi.org/10.5555/a%0A",  # a line break at the end, which `$` let through
        "https://doi.org/10.5555/a%FFb",  # not UTF-8: it was read as U+FFFD, another DOI
    ],
)
def test_a_link_whose_escapes_decode_to_no_text_is_not_a_doi(text):
    """Control characters in a record are left out when YAML reads it; in a link they only
    appear when its %-escapes are decoded, after that, so the DOI check is what refuses them."""
    with pytest.raises(InvalidValue, match="is not a DOI|not UTF-8"):
        fields.parse_doi(text)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("https://doi.org/10.5555%2Fx.1", "10.5555/x.1"),
        ("https://doi.org/10.5555/50%25-off", "10.5555/50%-off"),  # decoded once: %25 is the DOI's %
        ("https://doi.org/10.5555/a+b", "10.5555/a+b"),  # a path's + is a +, not a space
        ("doi:10.5555/a%3Cb", "10.5555/a%3Cb"),  # only a link is percent-encoded
    ],
)
def test_a_link_is_decoded_once_as_a_path(text, expected):
    assert fields.parse_doi(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "not-a-doi",
        "10.12/short-registrant",
        "11.5555/x",
        "10.5555/",
        "10.5555/has space",
        '10.5555/a"b',
        "https://example.org/10.5555/x",
    ],
)
def test_malformed_doi_is_refused(text):
    with pytest.raises(InvalidValue, match="is not a DOI"):
        fields.parse_doi(text)


@pytest.mark.parametrize("text", ["10.5555/../etc", "10.5555/a/../../b", "10.5555/./x", "https://doi.org/10.5555/.."])
def test_doi_with_dot_segments_is_refused(text):
    """DOIs become output paths (/doi/<doi>/): a '..' segment must never reach the writer."""
    with pytest.raises(InvalidValue, match=r"'\.' or '\.\.' path segments"):
        fields.parse_doi(text)


# --- ORCID --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("0000-0002-1825-0097", "0000-0002-1825-0097"),
        ("0000-0001-5109-3700", "0000-0001-5109-3700"),
        ("0000-0002-1694-233X", "0000-0002-1694-233X"),  # check character X (= 10)
        ("0000-0002-1694-233x", "0000-0002-1694-233X"),
        ("https://orcid.org/0000-0002-1825-0097", "0000-0002-1825-0097"),
        ("http://orcid.org/0000-0002-1825-0097", "0000-0002-1825-0097"),
        (" orcid.org/0000-0002-1825-0097 ", "0000-0002-1825-0097"),
    ],
)
def test_valid_orcid_is_returned_bare(text, expected):
    assert fields.parse_orcid(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "0000-0002-1825-0098",  # last digit changed
        "0000-0002-1825-0079",  # two digits swapped
        "0000-0002-1694-2339",  # a digit where X belongs
        "0000-0002-1825-009X",  # X where 7 belongs
    ],
)
def test_orcid_with_wrong_check_digit_is_refused(text):
    with pytest.raises(InvalidValue, match="wrong check digit"):
        fields.parse_orcid(text)


@pytest.mark.parametrize("text", ["0000000218250097", "0000-0002-1825-00", "0000-0002-1825-00977", "ORCID 0000"])
def test_malformed_orcid_is_refused(text):
    with pytest.raises(InvalidValue, match="is not an ORCID iD"):
        fields.parse_orcid(text)


# --- ISSN ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [("2311-1267", "2311-1267"), ("2413-5496", "2413-5496"), ("0317-8471", "0317-8471"), ("2434-561x", "2434-561X")],
)
def test_valid_issn(text, expected):
    assert fields.parse_issn(text) == expected


@pytest.mark.parametrize("text", ["2311-1268", "2413-5495", "2434-5610", "0317-847X"])
def test_issn_with_wrong_check_digit_is_refused(text):
    with pytest.raises(InvalidValue, match="wrong check digit"):
        fields.parse_issn(text)


@pytest.mark.parametrize("text", ["23111267", "2311-126", "ISSN 2311-1267", "2311_1267"])
def test_malformed_issn_is_refused(text):
    with pytest.raises(InvalidValue, match="is not an ISSN"):
        fields.parse_issn(text)


# --- pages --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("89-96", Pages(first="89", last="96")),
        ("89–96", Pages(first="89", last="96")),  # en dash, as typeset
        ("89 - 96", Pages(first="89", last="96")),
        ("12", Pages(first="12", last="12")),
        ("S12-S15", Pages(first="S12", last="S15")),
        ("e0123", Pages(elocation_id="e0123")),
        ("e1234567", Pages(elocation_id="e1234567")),
        ("bcr-2024-000123", Pages(elocation_id="bcr-2024-000123")),
    ],
)
def test_pages(text, expected):
    assert fields.parse_pages(text) == expected


def test_page_range_and_elocation_print_as_written():
    assert str(fields.parse_pages("89-96")) == "89-96"
    assert str(fields.parse_pages("e0123")) == "e0123"
    assert str(fields.parse_pages("12")) == "12"


@pytest.mark.parametrize("text", ["96-89", "S15-S12", "100-99"])
def test_reversed_page_range_is_refused(text):
    with pytest.raises(InvalidValue, match="the last page comes before the first"):
        fields.parse_pages(text)


@pytest.mark.parametrize("text", ["12-", "abc", "89--96", "pp. 89-96"])
def test_unreadable_pages_are_refused(text):
    with pytest.raises(InvalidValue, match="is not a page range"):
        fields.parse_pages(text)


def test_pages_sort_by_first_page_numerically():
    ordered = sorted(["100-104", "9-12", "e0042", "89-96"], key=lambda t: fields.parse_pages(t).sort_key)
    assert ordered == ["9-12", "e0042", "89-96", "100-104"]


# --- dates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [("2025-12-15", date(2025, 12, 15)), ("2024-02-29", date(2024, 2, 29)), (" 2025-01-01 ", date(2025, 1, 1))],
)
def test_iso_date(text, expected):
    assert fields.parse_iso_date(text) == expected


@pytest.mark.parametrize("text", ["2023-02-29", "2025-13-01", "2025-12-32", "15.12.2025", "2025-12", "20251215", "2025-W50-1"])
def test_impossible_or_non_iso_date_is_refused(text):
    with pytest.raises(InvalidValue, match=r"is not a date \(expected YYYY-MM-DD"):
        fields.parse_iso_date(text)


@pytest.mark.parametrize("year", [1600, 2025, 2999])
def test_plausible_year(year):
    assert fields.parse_year(year) == year


@pytest.mark.parametrize("year", [0, 1200, 3000, 20251])
def test_implausible_year_is_refused(year):
    with pytest.raises(InvalidValue, match="not a plausible publication year"):
        fields.parse_year(year)


# --- language, e-mail, PubMed id, URL, slug ------------------------------------------------


@pytest.mark.parametrize("text", ["en", "ru", "no", "pt-BR", "zh-Hant-TW", "kk"])
def test_language_code(text):
    assert fields.parse_language(text) == text


@pytest.mark.parametrize("text", ["english", "e", "en_US", "Russian", "r1"])
def test_bad_language_code_is_refused(text):
    with pytest.raises(InvalidValue, match="is not a language code"):
        fields.parse_language(text)


@pytest.mark.parametrize("text", ["someone@example.org", "first.last+tag@mail.example.co.uk"])
def test_email(text):
    assert fields.parse_email(f" {text} ") == text


@pytest.mark.parametrize("text", ["someone@example", "some one@example.org", "<a@example.org>", "a@b@example.org", "mailto"])
def test_bad_email_is_refused(text):
    with pytest.raises(InvalidValue, match="is not an e-mail address"):
        fields.parse_email(text)


@pytest.mark.parametrize("text", ["30322333", "1", "123456789"])
def test_pmid(text):
    assert fields.parse_pmid(text) == text


@pytest.mark.parametrize("text", ["PMID 30322333", "3032a", "1234567890", "30322333.1"])
def test_bad_pmid_is_refused(text):
    with pytest.raises(InvalidValue, match="is not a PubMed id"):
        fields.parse_pmid(text)


@pytest.mark.parametrize("text", ["https://www.example.org/fptsg/anti-xa-protocol", "http://example.org/?q=1&r=2"])
def test_http_url(text):
    assert fields.parse_url(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
        "//evil.example.org/",
        "ftp://example.org/file",
        "https://exa mple.org/",
        'https://example.org/"onmouseover="alert(1)',
        "https://[::1/",
        "https://example.org:99999/",
        "https://:80/",
    ],
)
def test_url_other_than_http_is_refused(text):
    with pytest.raises(InvalidValue, match=r"is not an http:// or https:// address"):
        fields.parse_url(text)


@pytest.mark.parametrize("text", ["https://example.org/?q=1", "https://example.org/rjpho/#top"])
def test_base_url_with_a_query_or_fragment_is_refused(text):
    with pytest.raises(InvalidValue, match=r"has a \?query or #fragment"):
        fields.parse_base_url(text)


def test_base_url_gets_a_trailing_slash():
    assert fields.parse_base_url("https://example.github.io/rjpho") == "https://example.github.io/rjpho/"
    assert fields.parse_base_url("https://example.github.io/rjpho/") == "https://example.github.io/rjpho/"


@pytest.mark.parametrize("text", ["my-case", "case-2025-1", "a"])
def test_slug(text):
    assert fields.parse_slug(text) == text


@pytest.mark.parametrize("text", ["My-Case", "../etc", "a--b", "-a", "a b", "случай", "a/b"])
def test_bad_slug_is_refused(text):
    with pytest.raises(InvalidValue, match="is not a slug"):
        fields.parse_slug(text)


def test_an_elocation_id_with_a_year_suffix_is_not_a_page_range():
    from caseshelf.loading.fields import parse_pages

    pages = parse_pages("e01197-23")
    assert (pages.elocation_id, pages.first, pages.last) == ("e01197-23", None, None)


def test_a_slug_longer_than_a_folder_name_may_be_is_refused():
    assert fields.parse_slug("a" * fields.MAX_SLUG_LENGTH) == "a" * fields.MAX_SLUG_LENGTH
    with pytest.raises(InvalidValue, match="is 201 characters long: a slug names a folder of the site, keep it to 200"):
        fields.parse_slug("a" * 201)


def test_a_doi_with_a_part_too_long_for_a_folder_name_is_refused():
    """Each part of a DOI between slashes is a folder of its resolver page (doi/<doi>/)."""
    suffix = "x" * fields.MAX_DOI_SEGMENT_BYTES
    assert fields.parse_doi(f"10.5555/{suffix}") == f"10.5555/{suffix}"
    with pytest.raises(InvalidValue, match="a part between slashes is 256 bytes long"):
        fields.parse_doi(f"10.5555/{suffix}x")
    with pytest.raises(InvalidValue, match="a part between slashes is 256 bytes long"):
        fields.parse_doi(f"10.5555/{'й' * 128}")  # two bytes a letter in UTF-8
    assert fields.parse_doi(f"10.5555/{'𝔵' * 63}") == f"10.5555/{'𝔵' * 63}"  # four bytes each
    with pytest.raises(InvalidValue, match="a part between slashes is 256 bytes long"):
        fields.parse_doi(f"10.5555/{'𝔵' * 64}")


# --- pages in Roman numerals (front matter) ----------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("iii-iv", Pages(first="iii", last="iv")),
        ("iii–iv", Pages(first="iii", last="iv")),
        ("IX - XI", Pages(first="IX", last="XI")),
        ("xii", Pages(first="xii", last="xii")),
        ("XLIV", Pages(first="XLIV", last="XLIV")),
    ],
)
def test_front_matter_pages_in_roman_numerals(text, expected):
    assert fields.parse_pages(text) == expected


@pytest.mark.parametrize("text", ["iv-iii", "XII-IX"])
def test_reversed_roman_range_is_refused(text):
    with pytest.raises(InvalidValue, match="the last page comes before the first"):
        fields.parse_pages(text)


@pytest.mark.parametrize("text", ["iii-IV", "Xii", "iiii", "vx", "iic", "abc", "xii-", "c", "d", "m", "mix", "dim", "xc"])
def test_what_is_no_roman_numeral_in_one_case_stays_refused(text):
    with pytest.raises(InvalidValue, match="is not a page range"):
        fields.parse_pages(text)


def test_front_matter_sorts_before_page_one_by_its_roman_value():
    ordered = sorted(["1-7", "ix-x", "e0042", "iii-iv", "IV", "v"], key=lambda t: fields.parse_pages(t).sort_key)
    assert ordered == ["iii-iv", "IV", "v", "ix-x", "1-7", "e0042"]
