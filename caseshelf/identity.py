"""Who is who: deciding which bylines across articles name the same person, and their slugs.

Same ORCID = same person. Without ORCID, the same normalised name (case-folded initials and
family name) is the same person; a name without ORCID joins the one ORCID holder of that name
when there is exactly one. Slugs are transliterated to ASCII and made unique in a stable way.
"""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from collections import defaultdict
from functools import lru_cache

from slugify import slugify

from caseshelf.model import Author

#: The transliteration python-slugify's `backend="auto"` would choose: Unidecode if installed,
#: else text-unidecode. "auto" tries to import Unidecode again on every call with non-ASCII
#: text, and a failed import searches sys.path each time (a third of the site model's time on
#: 10,000 articles); naming the backend it would pick gives the same slugs without the search.
_TRANSLITERATION = "unidecode" if importlib.util.find_spec("unidecode") else "text-unidecode"


#: The longest slug made from text. A slug names a folder of the site (`keywords/<slug>/`),
#: and file systems refuse names over 255 bytes: a keyword written as a sentence would stop
#: the build. The margin leaves room for what makes a slug unique (`-2`, an ORCID iD).
MAX_SLUG_LENGTH = 200


def slug_of(text: str, separator: str = "-", lowercase: bool = True) -> str:
    """python-slugify's slug of `text` (ASCII, words joined by `separator`), cut after
    `MAX_SLUG_LENGTH` characters. Use this, never `slugify` itself: see `_TRANSLITERATION`."""
    return slugify(text, separator=separator, lowercase=lowercase, backend=_TRANSLITERATION, max_length=MAX_SLUG_LENGTH)


#: Text -> `slug_of(text)`, for every text `make_slug` made or learned in this process.
_slugs: dict[str, str] = {}
#: The texts `make_slug` was asked about since the last `used_slugs`.
_asked: set[str] = set()


def make_slug(text: str) -> str:
    """`slug_of(text)`, made once per text: family names, volumes and issue numbers recur
    throughout an archive, and the build cache hands the slugs of one build to the next
    (`used_slugs`, `learn_slugs`), which spares it 10,000 names' slugs at 10,000 articles."""
    _asked.add(text)
    slug = _slugs.get(text)
    if slug is None:
        slug = _slugs[text] = slug_of(text)
    return slug


def used_slugs() -> dict[str, str]:
    """Text -> slug of every text asked about since the last call: what the next build of the
    same archive will ask about again."""
    used = {text: _slugs[text] for text in _asked}
    _asked.clear()
    return used


def learn_slugs(slugs: dict[str, str]) -> None:
    """Take slugs made earlier (`used_slugs` of another process) by the same slugify libraries."""
    _slugs.update(slugs)


def normalised_name(author: Author) -> str:
    """`Elena B. Machneva` and `E. B. Machneva` both become `e b machneva`."""
    return _normalised_name(author.given_names, author.family_name)


def _normalised_name(given_names: str, family_name: str) -> str:
    given = given_names.replace(".", " ").replace("-", " ").split()
    initials = " ".join(part[0] for part in given)
    text = f"{initials} {family_name}" if initials else family_name
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


#: The Russian letters that romanisation systems (passports, BGN/PCGN, Library of Congress,
#: scholarly, the French and German forms) spell differently, each spelled one way, in order:
#: so `Shchukina`, `Schukina` and `Щукина` (transliterated first) have one skeleton. Only the
#: letters the systems disagree on are here, so a different family name keeps a different one.
_ROMANISATION_VARIANTS = tuple((re.compile(pattern), spelling) for pattern, spelling in (
    (r"shch|shh|sch", "Щ"),  # Shchukina, Schukina
    (r"zh", "j"),  # Ж: Zhukov, Jukov
    (r"kh", "h"),  # Х: Kharitonova, Haritonova
    (r"ts|tz|tc", "c"),  # Ц: Tsoi, Tzoi, Tcoi
    (r"x", "ks"),  # Кс: Alexeev, Alekseev
    (r"[jy]", "i"),  # Й, and the ya/ia/ja of Я, yu/iu/ju of Ю: Tsoy, Yakovleva, Yury
    (r"i+", "i"),  # -ий as -ii, -iy, -y: Iurii, Yury
    (r"i(?=e)", ""),  # Е as ye or e: Yermakova, Ermakova; Sergeyev, Sergeev
    (r"io", "e"),  # Ё as yo, io or e: Fyodorov, Fedorov
))  # fmt: skip


@lru_cache(maxsize=None)
def romanisation_skeleton(word: str) -> str:
    """`word` with every romanisation of a Russian letter spelled one way: `Yakovleva`,
    `Iakovleva` and `Яковлева` are all `iakovleva`. For telling names apart, never for showing:
    `Zhukov` and `Yukov` share one too. Cached: family names recur."""
    skeleton = slug_of(word, separator="")
    for variant, spelling in _ROMANISATION_VARIANTS:
        skeleton = variant.sub(spelling, skeleton)
    return skeleton


def identity_keys(authors: list[Author]) -> dict[Author, str]:
    """A stable key per byline entry: `orcid:<id>` or `name:<normalised name>`."""
    return dict(zip(authors, byline_identity_keys(authors)))


def byline_identity_keys(authors: list[Author]) -> list[str]:
    """`identity_keys` as a list in the order of `authors`, for callers that walk the bylines
    anyway: it spares hashing every Author (all its fields and affiliations) to look one up."""
    name_of: dict[tuple[str, str], str] = {}  # one person's name recurs in every article
    names = []
    orcids_by_name: dict[str, set[str]] = defaultdict(set)
    for author in authors:
        pair = (author.given_names, author.family_name)
        name = name_of.get(pair)
        if name is None:
            name = name_of[pair] = _normalised_name(*pair)
        names.append(name)
        if author.orcid:
            orcids_by_name[name].add(author.orcid)
    # Each key made once: the same person recurs in many bylines.
    orcid_keys = {orcid: f"orcid:{orcid}" for orcids in orcids_by_name.values() for orcid in orcids}
    name_keys = {name: _key_without_orcid(name, orcids_by_name, orcid_keys) for name in name_of.values()}
    return [orcid_keys[author.orcid] if author.orcid else name_keys[name] for author, name in zip(authors, names)]


def _key_without_orcid(name: str, orcids_by_name: dict[str, set[str]], orcid_keys: dict[str, str]) -> str:
    """A byline without ORCID joins the one ORCID holder of its name, if there is exactly one."""
    orcids = orcids_by_name.get(name, ())
    return orcid_keys[next(iter(orcids))] if len(orcids) == 1 else f"name:{name}"


def assign_slugs(display_names: dict[str, str], unnamed: str = "author") -> dict[str, str]:
    """Identity key -> unique ASCII slug. Namesakes with ORCID get its last digits; others -2, -3.
    A name with no letter or digit to make a slug of gets `unnamed` (`author`, `author-2`...).

    Keys are visited in sorted order, so the same people always get the same slugs whatever
    the order of the files. A suffixed slug never takes another person's plain slug.
    """
    by_base: dict[str, list[str]] = defaultdict(list)
    for key in sorted(display_names):
        by_base[make_slug(display_names[key]) or unnamed].append(key)
    taken = set(by_base)
    slugs = {}
    for base, keys in sorted(by_base.items()):
        if len(keys) == 1:
            slugs[keys[0]] = base
            continue
        plain = [key for key in keys if not key.startswith("orcid:")]
        if plain:
            slugs[plain.pop(0)] = base
        for key in keys:
            if key.startswith("orcid:"):
                orcid = key.removeprefix("orcid:").lower()
                slugs[key] = _first_free([f"{base}-{orcid[-4:]}", f"{base}-{orcid}"], base, taken)
        for key in plain:
            slugs[key] = _first_free([], base, taken)
    return slugs


def _first_free(candidates: list[str], base: str, taken: set[str]) -> str:
    """The first candidate nobody has, else `base-2`, `base-3`...; it is then taken."""
    chosen = next((c for c in candidates if c not in taken), None)
    number = 2
    while chosen is None:
        chosen = f"{base}-{number}" if f"{base}-{number}" not in taken else None
        number += 1
    taken.add(chosen)
    return chosen
