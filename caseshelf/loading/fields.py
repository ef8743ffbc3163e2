"""Validators for identifiers and values in records: each returns the clean value or raises.

A validator gets the text the user wrote and either returns the normalised value or raises
`InvalidValue` with a message written for an editor, not a programmer.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from datetime import date
from urllib.parse import SplitResult, unquote, urlsplit

from caseshelf.identity import MAX_SLUG_LENGTH
from caseshelf.model import Pages, roman_page_number


class InvalidValue(ValueError):
    """The value is present but wrong; the message says how to fix it."""


def hint(value: str, choices: Iterable[str]) -> str:
    """` (did you mean 'case-report'?)` for a near miss, else ` (use one of: ...)`."""
    choices = list(choices)
    by_folded = {choice.casefold().replace(" ", "-"): choice for choice in choices}
    close = difflib.get_close_matches(value.casefold().replace(" ", "-"), list(by_folded), n=1, cutoff=0.6)
    return f" (did you mean '{by_folded[close[0]]}'?)" if close else f" (use one of: {', '.join(choices)})"


#: `<` and `>` are allowed: old Wiley DOIs in SICI form have them
#: (`10.1002/(SICI)1097-0142(19960101)77:1<1::AID-CNCR1>3.0.CO;2-K`), and they are real,
#: registered DOIs that case reports cite. Every output escapes them (pages, XML, JSON-LD) or
#: percent-encodes them (doi.org links, urls.doi_url); the resolver page's folder has `_`
#: for them (urls.doi_path). Control characters are not: YAML's are left out before a field is
#: read, but a doi.org link's `%00` or `%1B` is decoded here. `\Z`, as `$` allows a final `\n`.
_DOI = re.compile(r"^10\.\d{4,9}/[^\s\"\x00-\x1f\x7f-\x9f]+\Z")
_DOI_PREFIXES = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:")
_ORCID = re.compile(r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")
_ORCID_PREFIXES = ("https://orcid.org/", "http://orcid.org/", "orcid.org/")
_ISSN = re.compile(r"^\d{4}-\d{3}[\dX]$")
_LANGUAGE = re.compile(r"^[a-zA-Z]{2,3}(-[A-Za-z0-9]{2,8})*$")
#: No `?`, `#` or `%`: the address is shown as a mailto: link, where `?` starts the message's
#: fields and `%40` is an @, so `a@example.org?bcc=b%40example.net` would copy in a stranger.
_EMAIL = re.compile(r"^[^@\s<>\"?#%]+@[^@\s<>\"?#%]+\.[^@\s<>\"?#%]+$")
_PAGE_RANGE = re.compile(r"^([A-Za-z]?\d+)\s*[-\u2010-\u2015]\s*([A-Za-z]?\d+)$")
_SINGLE_PAGE = re.compile(r"^[A-Za-z]?\d+$")
#: Two words of letters: a range of front-matter pages in Roman numerals (`iii-iv`), when both are.
_LETTERS_RANGE = re.compile(r"^([A-Za-z]+)\s*[-\u2010-\u2015]\s*([A-Za-z]+)$")
_E_NUMBER = re.compile(r"^[eE]\d+$")
"""`e0123`: an article number (PLOS, BMJ Case Reports...), not page 123 of a supplement."""
_ELOCATION = re.compile(r"^[A-Za-z][A-Za-z0-9.\-]*\d[A-Za-z0-9.\-]*$")
_PMID = re.compile(r"^\d{1,9}$")
_URL = re.compile(r"^https?://[^\s<>\"]+$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
#: What browsers delete from a link wherever it occurs before they read it (WHATWG URL parsing).
_DELETED_FROM_URLS = re.compile("[\t\n\r]")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
#: The longest part of a DOI between slashes: each is a folder of its resolver page
#: (`doi/10.5555/<suffix>/`), and file systems refuse longer names.
MAX_DOI_SEGMENT_BYTES = 255


def parse_doi(text: str) -> str:
    """A DOI such as `10.21682/2311-1267-2025-12-4-89-96`; a doi.org link is accepted too."""
    value = text.strip()
    if value.lower().startswith(_DOI_PREFIXES):  # most DOIs are written bare: one test instead of five
        try:
            value = _without_doi_prefix(value)
        except UnicodeDecodeError:
            raise InvalidValue(f"{text!r}: its %-escapes are not UTF-8 text, so it names no DOI (copy the link again)") from None
    if not _DOI.match(value):
        raise InvalidValue(f"{text!r} is not a DOI (expected 10.<registrant>/<suffix>, e.g. 10.5555/12345678)")
    # Both tests below are about parts between slashes; the first part is `10.<registrant>`.
    # Most DOIs pass them without being split: no "/." in them, fewer bytes than a part may have.
    if "/." in value and {".", ".."} & set(value.split("/")):
        raise InvalidValue(f"{text!r}: a DOI may not contain '.' or '..' path segments")
    if len(value) * 4 <= MAX_DOI_SEGMENT_BYTES:  # UTF-8 takes at most 4 bytes a character
        return value
    longest = max(len(segment.encode("utf-8", "surrogateescape")) for segment in value.split("/"))
    if longest > MAX_DOI_SEGMENT_BYTES:
        # Its resolver page (doi/<doi>/) has a folder per part, and folder names are limited.
        raise InvalidValue(f"{text!r}: a part between slashes is {longest} bytes long, more than the {MAX_DOI_SEGMENT_BYTES} a folder name of the site can have")
    return value


def _without_doi_prefix(value: str) -> str:
    """The DOI of a doi.org link or a `doi:` form. A link carries its DOI percent-encoded, as
    browsers copy it (`...77:1%3C1::AID-CNCR1%3E3.0.CO;2-K`): its DOI is the decoded path."""
    for prefix in _DOI_PREFIXES:
        if value.lower().startswith(prefix):
            value = value[len(prefix) :].strip()  # `doi: 10.1000/x`, as reference lists print it
            if prefix.startswith("http"):
                # Strict: a link cut inside a character (`%E2%80`) would otherwise name another DOI, with U+FFFD.
                value = unquote(value, errors="strict")
    return value


def parse_orcid(text: str) -> str:
    """A bare ORCID iD whose check digit (ISO 7064 11-2) is right."""
    value = text.strip()
    for prefix in _ORCID_PREFIXES:
        if value.startswith(prefix):
            value = value[len(prefix) :]
    value = value.upper()  # the check character X is sometimes typed in lower case
    if not _ORCID.match(value):
        raise InvalidValue(f"{text!r} is not an ORCID iD (expected 0000-0000-0000-0000)")
    digits = value.replace("-", "")
    if _orcid_check_digit(digits[:-1]) != digits[-1]:
        raise InvalidValue(f"{value} has a wrong check digit: please copy the iD again from orcid.org")
    return value


def _orcid_check_digit(base_digits: str) -> str:
    total = 0
    for digit in base_digits:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def parse_issn(text: str) -> str:
    """An ISSN such as `2311-1267` whose check digit is right."""
    value = text.strip().upper()
    if not _ISSN.match(value):
        raise InvalidValue(f"{text!r} is not an ISSN (expected NNNN-NNNN)")
    digits = value.replace("-", "")
    total = sum(int(d) * weight for d, weight in zip(digits[:7], range(8, 1, -1)))
    check = (11 - total % 11) % 11
    if ("X" if check == 10 else str(check)) != digits[7]:
        raise InvalidValue(f"{value} has a wrong check digit")
    return value


def parse_language(text: str) -> str:
    """A language code such as `en`, `ru` or `pt-BR`."""
    value = text.strip()
    if not _LANGUAGE.match(value):
        raise InvalidValue(f"{text!r} is not a language code (use e.g. en, ru, pt-BR)")
    return value


def parse_email(text: str) -> str:
    value = text.strip()
    if not _EMAIL.match(value):
        raise InvalidValue(f"{text!r} is not an e-mail address")
    return value


def parse_pmid(text: str) -> str:
    value = text.strip()
    if not _PMID.match(value):
        raise InvalidValue(f"{text!r} is not a PubMed id (digits only)")
    return value


#: Control characters (but the tab and line ends) and the two non-characters: no page can show
#: them and XML 1.0 cannot hold them, even escaped. A record gets them only as YAML escapes
#: (`"\x1b"`); imported metadata, from a paste out of a PDF.
_UNSHOWABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def without_unshowable_characters(text: str) -> str:
    # isprintable() is a fast C check that passes almost every string untouched.
    return text if text.isprintable() else _UNSHOWABLE.sub("", text)


def parse_url(text: str) -> str:
    """An absolute http(s) URL: other schemes (javascript:, data:) never reach a page."""
    value = text.strip()
    if not _URL.match(value) or _split_url(value) is None:
        raise InvalidValue(f"{text!r} is not an http:// or https:// address")
    return value


def _split_url(url: str) -> SplitResult | None:
    """The URL's parts, when it has a host and any port is a port number; else None (what the
    pattern lets through, such as `https://[::1/`, would make a later reader of it fail)."""
    try:
        parts = urlsplit(url)
        parts.port  # checked when asked for
    except ValueError:
        return None
    return parts if parts.hostname else None


def parse_pdf(text: str) -> str:
    """The full text: an http(s) address, or a file path relative to the article page.

    Checked as a browser will read the link, which first deletes every tab and line break in
    it: `java<tab>script:` or `java<newline>script:` is a javascript: link to the reader."""
    value = text.strip()
    # isprintable() is a fast C check: tabs and line breaks are not printable.
    as_browsers_read_it = value if value.isprintable() else _DELETED_FROM_URLS.sub("", value)
    if _SCHEME.match(as_browsers_read_it):
        return parse_url(value)  # javascript:, data: and other schemes are refused here
    if as_browsers_read_it.startswith("/") or "\\" in value or ".." in as_browsers_read_it.split("/"):
        raise InvalidValue(f"{text!r} is neither an https:// address nor a path relative to the article page")
    return value


def parse_base_url(text: str) -> str:
    value = parse_url(text)
    if "?" in value or "#" in value:
        raise InvalidValue(f"{text!r} has a ?query or #fragment: give the address of the site's home page, such as https://user.github.io/repo/")
    if _is_read_as_another_host(urlsplit(value).path):
        raise InvalidValue(f"{text!r} has an empty folder (`//`) or a backslash in its path, which browsers would read as another host in every link of the site")
    return value if value.endswith("/") else value + "/"


def _is_read_as_another_host(path: str) -> bool:
    """Every link of the site starts with the base path: `//evil.example/static/search.js` is a
    script of evil.example to a browser, and so is `/\\evil.example/...` (browsers read a
    backslash in an http(s) address as a slash, so no base path needs one)."""
    return "//" in path or "\\" in path


_DOMAIN_NAME = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def parse_domain(text: str) -> str:
    """A custom domain for GitHub Pages (`cname:`, or the CNAME file), in lower case."""
    value = text.strip().lower()
    if not _DOMAIN_NAME.match(value):
        raise InvalidValue(f"{text.strip()!r} is not a domain name such as journal.example.org (no https://, no path)")
    return value


def parse_slug(text: str) -> str:
    value = text.strip()
    if not _SLUG.match(value):
        raise InvalidValue(f"{text!r} is not a slug (use lowercase letters, digits and single hyphens)")
    if len(value) > MAX_SLUG_LENGTH:
        raise InvalidValue(f"is {len(value)} characters long: a slug names a folder of the site, keep it to {MAX_SLUG_LENGTH}")
    return value


def parse_pages(text: str) -> Pages:
    """A page range `89-96`, a single page `12`, or an electronic location id `e0123`; front
    matter in Roman numerals, `iii-iv` or `xii`."""
    value = text.strip()
    page_range = _PAGE_RANGE.match(value)
    if page_range and not _is_elocation_with_year(*page_range.groups()):
        first, last = page_range.groups()
        if _is_reversed(first, last):
            raise InvalidValue(f"{text!r}: the last page comes before the first")
        return Pages(first=first, last=last)
    if _E_NUMBER.match(value):
        return Pages(elocation_id=value)
    if _SINGLE_PAGE.match(value):
        return Pages(first=value, last=value)
    if _ELOCATION.match(value):
        return Pages(elocation_id=value)
    # Last: front matter is rare, and no value above has letters only.
    roman = _roman_pages(value)
    if roman is not None:
        if roman_page_number(roman.last) < roman_page_number(roman.first):
            raise InvalidValue(f"{text!r}: the last page comes before the first")
        return roman
    raise InvalidValue(f"{text!r} is not a page range (89-96), a page (12) or an e-location id (e0123)")


def _roman_pages(value: str) -> Pages | None:
    """Front matter numbered in Roman numerals: a range `iii-iv` (both ends in one letter
    case) or a page `xii`; None for anything else."""
    letters_range = _LETTERS_RANGE.match(value)
    first, last = letters_range.groups() if letters_range else (value, value)
    if roman_page_number(first) is None or roman_page_number(last) is None or first.islower() != last.islower():
        return None
    return Pages(first=first, last=last)


def _is_elocation_with_year(first: str, last: str) -> bool:
    """`e01197-23` (ASM journals) is one e-location id, not pages e01197 to 23: only the first
    part has a letter, and it is the `e` of an e-location."""
    return first[:1].lower() == "e" and last[:1].isdigit()


def _is_reversed(first: str, last: str) -> bool:
    """`96-89` or `S15-S12`; pages with different prefixes (`S9-10`) are left alone."""
    first_prefix, last_prefix = first.rstrip("0123456789"), last.rstrip("0123456789")
    if first_prefix != last_prefix:
        return False
    return int(last[len(last_prefix) :]) < int(first[len(first_prefix) :])


def parse_iso_date(text: str) -> date:
    value = text.strip()
    try:
        # Python's fromisoformat also takes 20251215 and week dates (2025-W50-1): editors mean YYYY-MM-DD.
        if not _ISO_DATE.match(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidValue(f"{text!r} is not a date (expected YYYY-MM-DD, e.g. 2025-12-15)") from None


def parse_page_size(text: str) -> int:
    value = text.strip()
    if not value.isdigit() or not value.isascii() or int(value) < 1:
        raise InvalidValue(f"{text!r} is not a number of entries (expected a whole number such as 200)")
    return int(value)


def parse_year(value: int) -> int:
    if not 1600 <= value <= 2999:
        raise InvalidValue(f"{value} is not a plausible publication year")
    return value
