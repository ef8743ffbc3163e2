"""Translating the sources' vocabularies into the record format's: article types, licenses,
languages, and the identifiers (DOI, ORCID, PMID) that must be clean before they are written.

Every table here is documented in README.md ("Importing an existing archive").
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from caseshelf.licenses import LICENSES
from caseshelf.model import ARTICLE_TYPES  # noqa: F401  (every mapping below targets these)

_JATS_ARTICLE_TYPES = {
    "case-report": "case-report",
    "case-study": "case-report",
    "case-reports": "case-report",
    "research-article": "research-article",
    "brief-report": "brief-report",
    "rapid-communication": "research-article",
    "research-note": "brief-report",
    "review-article": "review",
    "systematic-review": "review",
    "mini-review": "review",
    "letter": "letter",
    "reply": "letter",
    "editorial": "editorial",
}

# PubMed lists several publication types per article; the first that matches, in this order,
# decides. "Journal Article" alone says nothing about the kind of article.
_PUBMED_TYPES = (
    ("Case Reports", "case-report"),
    ("Systematic Review", "review"),
    ("Review", "review"),
    ("Editorial", "editorial"),
    ("Letter", "letter"),
    ("Comment", "letter"),
    ("Randomized Controlled Trial", "research-article"),
    ("Clinical Trial", "research-article"),
    ("Observational Study", "research-article"),
    ("Comparative Study", "research-article"),
    ("Published Erratum", "other"),
    ("Retraction of Publication", "other"),
)


def article_type_from_jats(value: str | None) -> str | None:
    """JATS `@article-type` -> record type; any other declared type is `other`."""
    if not value or not value.strip():
        return None
    return _JATS_ARTICLE_TYPES.get(value.strip().lower(), "other")


#: Words of a journal section's name -> the record type, the first found deciding: for a JATS
#: file that declares no `@article-type` but names its section (OJS's JATS Template plugin
#: writes the section as the `heading` subject: "Case Reports", "Original Articles").
_SECTION_WORDS = (
    ("case", "case-report"),
    ("review", "review"),
    ("editorial", "editorial"),
    ("letter", "letter"),
    ("correspondence", "letter"),
    ("brief", "brief-report"),
    ("short communication", "brief-report"),
    ("original", "research-article"),
    ("research", "research-article"),
)


def article_type_from_section(heading: str | None) -> str | None:
    """A journal section's name -> record type (see `_SECTION_WORDS`); None when it names none
    of those kinds ("Articles", "Vol. 3"): the record's default type then applies."""
    name = (heading or "").casefold()
    return next((record_type for word, record_type in _SECTION_WORDS if word in name), None)


def article_type_from_pubmed(publication_types: list[str]) -> str | None:
    declared = {value.strip() for value in publication_types}
    for pubmed_type, record_type in _PUBMED_TYPES:
        if pubmed_type in declared:
            return record_type
    return None


_CC_LICENSE = re.compile(
    r"creativecommons\.org/licenses/(by|by-sa|by-nd|by-nc|by-nc-sa|by-nc-nd)/(2\.0|2\.5|3\.0|4\.0)/?(?:legalcode)?(?:[#?].*)?$",
    re.IGNORECASE,
)
_CC_ZERO = re.compile(r"creativecommons\.org/publicdomain/zero/1\.0/?(?:legalcode)?(?:[#?].*)?$", re.IGNORECASE)


def spdx_from_license_url(url: str | None) -> str | None:
    """`https://creativecommons.org/licenses/by-nc/4.0/` -> `CC-BY-NC-4.0`; None if unknown.

    Only unported Creative Commons licenses and CC0 are recognised, and only those caseshelf
    knows (caseshelf/licenses.py): a record may not name any other. Jurisdiction ports
    (`.../3.0/us/`), the Public Domain Mark and publishers' own licenses are left out, and the
    record then falls back to the journal's default license.
    """
    if not url:
        return None
    url = url.strip()
    match = _CC_LICENSE.search(url)
    spdx = None
    if match:
        spdx = f"CC-{match.group(1).upper()}-{match.group(2)}"
    elif _CC_ZERO.search(url):
        spdx = "CC0-1.0"
    return spdx if spdx in LICENSES else None


def unknown_license_note(stated: str | None) -> str:
    """Why a record has no `license:` although the source states one."""
    what = f"license {stated}" if stated else "a license stated in words only"
    return f"{what} is not one caseshelf knows: the record falls back to the journal's license"


#: Said of a record whose source has no license (all rights reserved, say): the site will state
#: the journal's default license for it unless the editor writes one.
NO_LICENSE_NOTE = "the source gives no license for the article: the record falls back to the journal's license"

# ISO 639-2 (PubMed `Language`) -> ISO 639-1 (BCP 47), for the languages journals publish in.
_ISO_639_2 = {
    "eng": "en", "rus": "ru", "ukr": "uk", "fre": "fr", "fra": "fr", "ger": "de", "deu": "de",
    "spa": "es", "ita": "it", "por": "pt", "pol": "pl", "cze": "cs", "ces": "cs", "slo": "sk",
    "slk": "sk", "dut": "nl", "nld": "nl", "swe": "sv", "nor": "no", "dan": "da", "fin": "fi",
    "hun": "hu", "rum": "ro", "ron": "ro", "bul": "bg", "srp": "sr", "hrv": "hr", "slv": "sl",
    "gre": "el", "ell": "el", "tur": "tr", "heb": "he", "ara": "ar", "per": "fa", "fas": "fa",
    "chi": "zh", "zho": "zh", "jpn": "ja", "kor": "ko", "lit": "lt", "lav": "lv", "est": "et",
}
_LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")


def language_tag(value: str | None) -> str | None:
    """A BCP 47 tag from `xml:lang` ("EN" -> "en"), Crossref or PubMed ("eng" -> "en")."""
    if not value:
        return None
    value = value.strip().replace("_", "-")
    primary, _, rest = value.partition("-")
    primary = primary.lower()
    primary = _ISO_639_2.get(primary, primary)
    tag = f"{primary}-{rest}" if rest else primary
    return tag if _LANGUAGE_TAG.match(tag) else None


_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_DOI_PREFIXES = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*|urn:doi:)", re.IGNORECASE)
#: A DOI in a citation's text, as a doi.org link when it is one (its path is percent-encoded, as
#: browsers copy it: `clean_doi` decodes it, `/` as `%2F` included). `<` and `>` only as a SICI
#: segment, which always holds a `:` (Wiley's `77:1<1::AID-CNCR1>3.0.CO;2-K`, AMS's
#: `038<1179:TSPOTA>2.0.CO;2`) and no `/`: a DOI cut at that `<` is another, wrong one, while
#: markup left in as text (`10.1/x<br>`, `10.1/x<https://...>`) or a `>` the DOI did not open
#: (`<doi:10.1/x>`) is not the DOI's.
_DOI_IN_TEXT = re.compile(
    r"(?:(?i:https?://(?:dx\.)?doi\.org/)10\.\d{4,9}(?:/|%2[Ff])|\b10\.\d{4,9}/)"
    r"(?:[^\s\"<>]|<[^\s\"<>/]*:[^\s\"<>/]*>)+"
)
#: The closing brackets a DOI holds only when it opened them: 10.1016/S0140-6736(96)91689-X.
_OPENING_BRACKETS = {")": "(", "]": "[", ">": "<"}


def clean_doi(value: str | None) -> str | None:
    """A bare DOI (`10.1234/abc`) from a DOI, `doi:` form or doi.org URL; None if not a DOI."""
    if not value:
        return None
    value = value.strip()
    if value.lower().startswith("http"):
        value = unquote(value)
    value = _DOI_PREFIXES.sub("", value).strip()
    value = _strip_trailing_punctuation(value)
    return value if _DOI.match(value) else None


def find_doi_in_text(text: str) -> str | None:
    """The first DOI written out in a citation text, without the sentence's punctuation."""
    match = _DOI_IN_TEXT.search(text)
    return clean_doi(match.group(0)) if match else None


def _strip_trailing_punctuation(value: str) -> str:
    value = value.rstrip(".,;:")
    while value[-1:] in _OPENING_BRACKETS and value.count(value[-1]) > value.count(_OPENING_BRACKETS[value[-1]]):
        value = value[:-1].rstrip(".,;:")
    return value


_ORCID = re.compile(r"(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dXx])")


def clean_orcid(value: str | None) -> str | None:
    """The bare ORCID iD (`0000-0002-1825-0097`) in a URL or id, if its checksum is right."""
    if not value:
        return None
    match = _ORCID.search(value)
    if not match:
        return None
    digits = "".join(match.groups()).upper()
    if not is_orcid_checksum_valid(digits):
        return None
    return "-".join(digits[i:i + 4] for i in range(0, 16, 4))


def wrong_orcid_note(value: str | None, author: str) -> str | None:
    """What to tell the user of an ORCID iD the source gives with a wrong check digit (a typo
    at the publisher's), which `clean_orcid` leaves out of the record; None for any other."""
    match = _ORCID.search(value or "")
    if not match or is_orcid_checksum_valid("".join(match.groups()).upper()):
        return None
    return f"the ORCID iD {match.group(0)} of {author} has a wrong check digit: left out of the record"


def is_orcid_checksum_valid(digits: str) -> bool:
    """ISO 7064 11-2 over the first 15 digits, as ORCID specifies."""
    total = 0
    for digit in digits[:15]:
        total = (total + int(digit)) * 2
    check = (12 - total % 11) % 11
    return digits[15] == ("X" if check == 10 else str(check))


_PMID = re.compile(r"^\d{1,9}$")


def clean_pmid(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()
    return value if _PMID.match(value) else None


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def clean_email(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip().removeprefix("mailto:").rstrip(".,;")
    return value if _EMAIL.match(value) else None
