"""Bylines: authors (people and groups) and the affiliations they are linked to.

Affiliations get record keys `aff1`, `aff2`, ... in order of first use in the byline, which is
also the order the article page numbers them in; identical affiliations share one key.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import TypeVar

from lxml import etree

from caseshelf.importers.markup import SCRIPTS, XML_LANG, local_name, plain_text, script_text, tidy_text
from caseshelf.importers.languages import LanguageChoice, is_in_script_of, is_same_language
from caseshelf.importers.vocab import clean_email, clean_orcid, language_tag, wrong_orcid_note
from caseshelf.model import Affiliation, Author

_Name = TypeVar("_Name")

NAME_PARTICLES = frozenset({
    "van", "von", "de", "da", "di", "du", "del", "della", "der", "den", "le", "la", "ten", "ter",
    "dos", "das", "do", "af", "al", "el", "bin", "ibn",
})
_AUTHOR_GROUP_TYPES = frozenset({"", "author", "authors"})


def person(family: str, given: str, suffix: str = "", prefix: str = "", *, family_first: bool = False) -> Author:
    """An author from name parts: `name` is "Given Family" (and the suffix, as printed), or
    "Family Given" for a name printed family name first (Chinese, Japanese, Korean, Hungarian)."""
    family = tidy_text(family)
    given = tidy_text(given)
    prefix = tidy_text(prefix)
    if prefix and prefix.lower() in NAME_PARTICLES:
        # JATS <prefix> is meant for honorifics, but publishers put "van"/"de" there.
        family = f"{prefix} {family}"
    in_order = (family, given) if family_first else (given, family)
    name = " ".join(part for part in (*in_order, tidy_text(suffix)) if part)
    return Author(name=name, family_name=family, given_names=given)


def group(name: str) -> Author:
    return Author(name=tidy_text(name), family_name="", given_names="", is_group=True)


def name_from_parts(name: etree._Element, given_tag: str = "given-names") -> Author:
    """An author from a name element with `surname` and given names (JATS `<name>`, and the
    `<name>` of a Crossref `<alt-name>`, whose given names are `given_name`), in the order its
    `name-style` says; from a `string-name` without parts ("Jane Doe"), whose last word is then
    the family name."""
    surname = name.find("surname")
    if surname is None:
        given, _, family = plain_text(name).rpartition(" ")
        return person(family, given)
    return person(plain_text(surname), plain_text(name.find(given_tag)),
                  suffix=plain_text(name.find("suffix")), prefix=plain_text(name.find("prefix")),
                  family_first=name.get("name-style") == "eastern")


def in_sites_language_or_script(names: Sequence[_Name], site_language: str, *, language_of: Callable[[_Name], str | None],
                                text_of: Callable[[_Name], str]) -> _Name | None:
    """Of one person's names in several languages or scripts (Russian journals give a Cyrillic
    spelling and a Latin one), the first tagged with the site's language, else the first written
    in its script (a spelling whose language the source does not say is told apart this way),
    else the first. A record has one name per author, so the others are left out."""
    for is_wanted in (
        lambda name: is_same_language(language_of(name), site_language),
        lambda name: is_in_script_of(text_of(name), site_language),
    ):
        chosen = next(filter(is_wanted, names), None)
        if chosen is not None:
            return chosen
    return names[0] if names else None


def wrong_orcid_notes(given: Iterable[tuple[str | None, Author | None]]) -> tuple[str, ...]:
    """A note for each ORCID iD the source gives an author with a wrong check digit (left out
    of the record as no iD at all): (the iD as the source writes it, its author)."""
    return tuple(filter(None, (wrong_orcid_note(orcid, author.name) for orcid, author in given if author is not None)))


class AffiliationKeys:
    """Hands out `affN` keys to affiliations in order of first use, one key per distinct one."""

    def __init__(self) -> None:
        self._by_content: dict[tuple[str, str, str], Affiliation] = {}

    def key_for(self, name: str, address: str = "", country: str = "") -> Affiliation:
        content = (name, address, country)
        if content not in self._by_content:
            key = f"aff{len(self._by_content) + 1}"
            self._by_content[content] = Affiliation(key=key, name=name, address=address, country=country)
        return self._by_content[content]

    @property
    def affiliations(self) -> tuple[Affiliation, ...]:
        return tuple(self._by_content.values())


# --- JATS ------------------------------------------------------------------------------------

def read_jats_byline(meta: etree._Element, languages: LanguageChoice) -> tuple[tuple[Affiliation, ...], tuple[Author, ...], tuple[str, ...]]:
    """The authors of a JATS `<article-meta>`, the affiliations they use (of an affiliation
    in several languages, the version `languages` picks), and notes on what was left out."""
    contribs = jats_author_contribs(meta)
    affs_by_id = _affiliations_by_id(meta, languages)
    corresp_by_id = {note.get("id"): note for note in meta.iter("corresp", "fn") if note.get("id")}
    shared_affs = _unlinked_affiliations(meta, contribs, languages)
    keys = AffiliationKeys()
    authors = []
    notes: list[str] = []
    for contrib in contribs:
        author = _jats_author(contrib, corresp_by_id, languages.site_language)
        if author is None:
            continue  # a contrib without a name: nothing to print in the byline
        aff_elements = _linked_affiliations(contrib, affs_by_id) or shared_affs
        affiliations = tuple(keys.key_for(*jats_affiliation_parts(aff)) for aff in aff_elements)
        authors.append(with_details(author, affiliations=_unique(affiliations)))
        notes += wrong_orcid_notes((orcid.text, author) for orcid in _orcid_ids(contrib))
    return keys.affiliations, _with_note_email(_with_emails_by_name(authors, meta), meta), tuple(notes)


def _with_note_email(authors: list[Author], meta: etree._Element) -> tuple[Author, ...]:
    """The one corresponding author gets the one e-mail of the author notes, when both are
    unique (Wiley puts "Corresponding author" and the address in two different notes)."""
    corresponding = [index for index, author in enumerate(authors) if author.corresponding]
    emails = {clean_email(plain_text(e)) for e in meta.iterfind("author-notes//email")} - {None}
    if len(corresponding) == 1 and len(emails) == 1 and not authors[corresponding[0]].email:
        authors[corresponding[0]] = with_details(authors[corresponding[0]], email=emails.pop())
    return tuple(authors)


def _with_emails_by_name(authors: list[Author], meta: etree._Element) -> list[Author]:
    """Corresponding authors get their address from a note that gives several and says whose
    each is: by name before it ("Jinhwan Kim, jjnkim@...; Kelsey P. Kubelick, kp@...") or by
    initials after it (PLOS: "E-mail: cm@... (CAM); ma@... (MAP)")."""
    waiting = [index for index, author in enumerate(authors) if author.corresponding and not author.email]
    for note in meta.iterfind("author-notes/corresp"):
        for before, email, after in _addresses_in_context(note):
            owners = ([i for i in waiting if _is_named_before(authors[i], before)]
                      or [i for i in waiting if _is_initialled_after(authors[i], after)])
            if len(owners) == 1 and clean_email(email):
                authors[owners[0]] = with_details(authors[owners[0]], email=clean_email(email))
                waiting.remove(owners[0])
    return authors


def _addresses_in_context(note: etree._Element) -> list[tuple[str, str, str]]:
    """(text since the previous address, address, text up to the next) for each `<email>`."""
    segments, emails = [""], []
    for piece in _pieces_and_emails(note):
        if isinstance(piece, tuple):
            emails.append(piece[0])
            segments.append("")
        else:
            segments[-1] += piece
    return [(segments[i], email, segments[i + 1]) for i, email in enumerate(emails)] if len(emails) > 1 else []


def _pieces_and_emails(element: etree._Element) -> Iterable[str | tuple[str]]:
    if local_name(element) == "email":
        yield (plain_text(element),)
        return
    yield element.text or ""
    for child in element:
        yield from _pieces_and_emails(child)
        yield child.tail or ""


def _is_named_before(author: Author, before: str) -> bool:
    return bool(author.family_name) and re.search(rf"\b{re.escape(author.family_name)}\b", before) is not None


def _is_initialled_after(author: Author, after: str) -> bool:
    initials = "".join(part[0] for part in re.split(r"[\s.\-]+", f"{author.given_names} {author.family_name}") if part)
    return bool(initials) and re.match(rf"\s*\(\s*{re.escape(initials)}\s*\)", after) is not None


def jats_author_contribs(meta: etree._Element) -> list[etree._Element]:
    """Byline contributors: contrib-type author (or untyped in an author group), excluding
    the members listed inside a group author's <collab>."""
    found = []
    for contrib in meta.iter("contrib"):
        if any(local_name(ancestor) == "collab" for ancestor in contrib.iterancestors()):
            continue
        contrib_type = (contrib.get("contrib-type") or "").lower()
        if contrib_type:
            if contrib_type == "author":
                found.append(contrib)
            continue
        group_type = (contrib.getparent().get("content-type") or "").lower()
        if group_type in _AUTHOR_GROUP_TYPES:
            found.append(contrib)
    return found


def _linked_affiliations(contrib: etree._Element, affs_by_id: dict[str, etree._Element]) -> list[etree._Element]:
    linked = []
    for xref in contrib.iter("xref"):
        if xref.get("ref-type") == "aff":
            linked += [affs_by_id[rid] for rid in (xref.get("rid") or "").split() if rid in affs_by_id]
    linked += [aff for aff in contrib.iter("aff")]
    return linked


def _affiliations_by_id(meta: etree._Element, languages: LanguageChoice) -> dict[str, etree._Element]:
    """The affiliations xrefs point at, by id; for an `<aff-alternatives>` (one affiliation in
    several languages, the id on the group) the version `languages` picks."""
    found = {aff.get("id"): aff for aff in meta.iter("aff") if aff.get("id")}
    for group in meta.iter("aff-alternatives"):
        if group.get("id") and group.find("aff") is not None:
            found[group.get("id")] = _in_chosen_language(group, languages)
    return found


def _in_chosen_language(alternatives: etree._Element, languages: LanguageChoice) -> etree._Element:
    versions = [(language_tag(aff.get(XML_LANG)) or languages.article_language, aff) for aff in alternatives.findall("aff")]
    return languages.one("affiliations", versions)


def _unlinked_affiliations(meta: etree._Element, contribs: list[etree._Element], languages: LanguageChoice) -> list[etree._Element]:
    """Affiliations every author shares: when no author points at an affiliation, those
    listed beside the byline (not inside any contrib, not pointed at by anyone) apply to all;
    of an affiliation in several languages, the version `languages` picks."""
    if any(_links_any_affiliation(contrib) for contrib in contribs):
        return []
    referenced = {rid for xref in meta.iter("xref") for rid in (xref.get("rid") or "").split()}
    return [
        aff for aff in meta.iter("aff")
        if not any(local_name(a) == "contrib" for a in aff.iterancestors())
        and aff.get("id") not in referenced
        and (local_name(aff.getparent()) != "aff-alternatives"
             or aff is _in_chosen_language(aff.getparent(), languages))
    ]


def _links_any_affiliation(contrib: etree._Element) -> bool:
    return any(xref.get("ref-type") == "aff" for xref in contrib.iter("xref")) or contrib.find(".//aff") is not None


def _jats_author(contrib: etree._Element, notes_by_id: dict[str, etree._Element], site_language: str) -> Author | None:
    collab = contrib.find("collab")
    if collab is None:
        collab = contrib.find("collab-alternatives/collab")
    name = _preferred_name(contrib, site_language)
    if name is None and collab is not None:
        author = group(plain_text(collab, silent=("contrib-group", "xref")))
    elif name is not None:
        author = name_from_parts(name)
    else:
        return None
    if not author.name:
        return None
    orcid = next(filter(None, (clean_orcid(cid.text) for cid in _orcid_ids(contrib))), None)
    corresponding, note_email = _correspondence(contrib, notes_by_id)
    own_email = next((clean_email(plain_text(e)) for e in contrib.iter("email")
                      if not any(local_name(a) == "aff" for a in e.iterancestors())), None)
    return with_details(
        author,
        orcid=orcid,
        degrees=", ".join(filter(None, (plain_text(d) for d in contrib.findall("degrees")))),
        position=", ".join(filter(None, (plain_text(r) for r in contrib.findall("role") if not _is_credit_role(r)))),
        email=own_email or note_email,
        corresponding=corresponding,
    )


def _orcid_ids(contrib: etree._Element) -> list[etree._Element]:
    return [cid for cid in contrib.findall("contrib-id") if (cid.get("contrib-id-type") or "").lower() == "orcid"]


def _preferred_name(contrib: etree._Element, site_language: str) -> etree._Element | None:
    """The contributor's name; of one given in several languages or scripts (`<name-alternatives>`),
    the one `in_sites_language_or_script` chooses.

    A structured `<name>` comes before a `<string-name>`, and a western-style one (a romanisation,
    readable on any site) before the others. `xml:lang` is not inherited here: an English
    article's Japanese author has a kanji name and its romanisation, often neither tagged, and the
    kanji is not English."""
    names = [*contrib.findall("name"), *_western_first(contrib.findall("name-alternatives/name")),
             *contrib.findall("string-name"), *_western_first(contrib.findall("name-alternatives/string-name"))]
    return in_sites_language_or_script(names, site_language, language_of=lambda name: language_tag(name.get(XML_LANG)),
                                       text_of=plain_text)


def _western_first(names: list[etree._Element]) -> list[etree._Element]:
    return sorted(names, key=lambda name: name.get("name-style") != "western")


def _is_credit_role(role: etree._Element) -> bool:
    # CRediT contribution roles ("Methodology") say what someone did, not their position.
    marks = f"{role.get('vocab', '')} {role.get('content-type', '')} {role.get('vocab-identifier', '')}".lower()
    return "credit" in marks


_CORRESPONDING_NOTE = re.compile(r"correspond", re.IGNORECASE)


def _correspondence(contrib: etree._Element, notes_by_id: dict[str, etree._Element]) -> tuple[bool, str | None]:
    """Whether the contributor is a corresponding author, and the e-mail the note gives
    when it gives exactly one (a note shared by several authors cannot say whose it is)."""
    corresponding = (contrib.get("corresp") or "").lower() == "yes"
    email = None
    for xref in contrib.iter("xref"):
        ref_type = xref.get("ref-type")
        if ref_type not in ("corresp", "author-notes", "fn"):
            continue
        for rid in (xref.get("rid") or "").split():
            note = notes_by_id.get(rid)
            if note is None:
                continue
            if ref_type == "corresp" or local_name(note) == "corresp" or _CORRESPONDING_NOTE.search(plain_text(note)):
                corresponding = True
                emails = [clean_email(plain_text(e)) for e in note.iter("email")]
                if len(emails) == 1 and emails[0]:
                    email = emails[0]
    return corresponding, email


_AFF_NAME_PARTS = frozenset({"institution", "institution-wrap"})
_AFF_SKIPPED = frozenset({"label", "institution-id", "email", "ext-link", "uri", "phone", "fax", "xref"})
#: Formatting within running text ("Department of <italic>Drosophila</italic> Genetics"): no
#: boundary between two parts of the affiliation.
_AFF_INLINE = frozenset({
    "italic", "bold", "sc", "underline", "monospace", "roman", "sans-serif", "styled-content", "sup", "sub",
    "chem-struct", "inline-formula",
})


def jats_affiliation_parts(aff: etree._Element) -> tuple[str, str, str]:
    """(name, address, country) of an `<aff>`.

    With tagged institutions, the institution(s) and divisions are the name and the rest is the
    address; untagged affiliations are one line of text, kept whole as the name rather than
    guessed apart. Country is only ever the tagged `<country>`.
    """
    country = plain_text(aff.find(".//country"))
    has_institution = aff.find(".//institution") is not None
    name_parts: list[str] = []
    address_parts: list[str] = []
    seen_institution = False
    for piece_kind, text in _walk_affiliation(aff, "address"):
        if piece_kind == "country":
            continue
        seen_institution = seen_institution or piece_kind == "name"
        # Departments are written before the institution, the address after it.
        if not has_institution or piece_kind == "name" or not seen_institution:
            name_parts.append(text)
        else:
            address_parts.append(text)
    return _join_affiliation_text(name_parts), _join_affiliation_text(address_parts), country


def _walk_affiliation(element: etree._Element, kind: str) -> Iterable[tuple[str, str]]:
    """(kind, text) pieces of the affiliation: each tagged part, and the running text between."""
    running = element.text or ""
    for child in element:
        name = local_name(child)
        if name == "email":
            # Affiliations that list e-mails (MDPI) end with them: nothing after is affiliation.
            break
        if _is_label(child, running):
            running += " " + (child.tail or "")
            continue
        if name in _AFF_INLINE:
            running += (script_text(child) if name in SCRIPTS else plain_text(child, silent=_AFF_SKIPPED)) + (child.tail or "")
            continue
        if running.strip():
            yield kind, running
        running = child.tail or ""
        if name and name not in _AFF_SKIPPED:
            yield from _affiliation_part(child, kind)
    if running.strip():
        yield kind, running


def _is_label(child: etree._Element, running: str) -> bool:
    """`<label>`, or a superscript before a word rather than after one: the number of an
    affiliation ("<sup>2</sup>Anhui Medical University"), not an exponent ("Ca<sup>2+</sup>")."""
    name = local_name(child)
    return name == "label" or (name == "sup" and (not running.strip() or running[-1].isspace()))


def _affiliation_part(child: etree._Element, kind: str) -> Iterable[tuple[str, str]]:
    name = local_name(child)
    if name == "country":
        yield "country", plain_text(child)
    elif name in _AFF_NAME_PARTS or (name == "named-content" and "division" in (child.get("content-type") or "")):
        yield "name", plain_text(child, silent=_AFF_SKIPPED)
    else:
        yield from _walk_affiliation(child, kind)


def _join_affiliation_text(parts: list[str]) -> str:
    pieces = [tidy_text(part).strip(" ,;") for part in parts]
    return ", ".join(piece for piece in pieces if piece)


def _unique(affiliations: tuple[Affiliation, ...]) -> tuple[Affiliation, ...]:
    return tuple(dict.fromkeys(affiliations))


def with_details(author: Author, **changes) -> Author:
    """The author with the given fields set; None values leave a field as it was."""
    return replace(author, **{key: value for key, value in changes.items() if value is not None})
