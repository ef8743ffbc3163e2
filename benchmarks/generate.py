"""Write a deterministic synthetic journal in caseshelf's record format, for benchmarks.

    python benchmarks/generate.py N OUTDIR [--seed S] [--jobs J]

OUTDIR becomes a content directory: OUTDIR/journal.yaml and
OUTDIR/articles/<year>/<volume>-<issue>/bench-<n>.md, one Markdown record (YAML front matter,
abstract body) per article, with DOIs 10.5555/bench.<n> (10.5555 is the test prefix: nothing
resolves). The same N and seed give byte-identical files, whatever the number of jobs.

What the corpus looks like (issue 7): 15 yearly volumes of 4-6 issues with consecutive,
non-overlapping page ranges; abstracts of 200-350 words, some structured with `###` headings;
1-12 authors per article from a pool of about N people, so authors recur (mostly with
colleagues of the same institution), ~20% of them with non-ASCII names (Cyrillic, accented
Latin, Chinese, Japanese), about a third with a valid ORCID iD; 5-40 references, some citing
earlier articles of the corpus by DOI; 3-6 keywords. journal.yaml is written last, so a
directory that has it holds a complete corpus.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import re
import shutil
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

import vocabulary as V
import yamlout

FIRST_YEAR = 2011
YEARS = 15
DOI_PREFIX = "10.5555"
JOURNAL_ABBREVIATION = "J Synth Case Rep"


# random.randint/choice cost ~0.5 µs each in argument checks; the generator draws millions of
# values, so it uses these thin helpers (still fully determined by the seed).
def _between(rng: random.Random, low: int, high: int) -> int:
    return low + int(rng.random() * (high - low + 1))


def _pick(rng: random.Random, items):
    return items[int(rng.random() * len(items))]


# --- identifiers with check digits ------------------------------------------------------------

def orcid_check_digit(base_digits: str) -> str:
    """ISO 7064 11-2 check character of the first 15 digits of an ORCID iD."""
    total = 0
    for digit in base_digits:
        total = (total + int(digit)) * 2
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def make_orcid(rng: random.Random) -> str:
    # Real iDs are allocated from 0000-0001-5000-0007 to 0000-0003-5000-0001.
    base = f"0000000{_between(rng, 1, 2)}{_between(rng, 0, 9_999_999):07d}"
    digits = base + orcid_check_digit(base)
    return "-".join(digits[i:i + 4] for i in range(0, 16, 4))


def _new_orcid(rng: random.Random, drawn: set[str]) -> str:
    """An iD not in `drawn` (added to it). From 100,000 articles on, about 38,000 people have
    one, and some would be drawn twice; the build rightly warns of an iD given to two names,
    which in a benchmark is noise. Drawing again only when that happens leaves smaller
    journals as they were."""
    orcid = make_orcid(rng)
    while orcid in drawn:
        orcid = make_orcid(rng)
    drawn.add(orcid)
    return orcid


def make_issn(rng: random.Random) -> str:
    digits = [_between(rng, 0, 9) for _ in range(7)]
    check = (11 - sum(d * w for d, w in zip(digits, range(8, 1, -1))) % 11) % 11
    text = "".join(map(str, digits)) + ("X" if check == 10 else str(check))
    return f"{text[:4]}-{text[4:]}"


# --- the pools: institutions and people -------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Institution:
    name: str
    address: str
    country: str


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    orcid: str | None
    degrees: str
    position: str
    email: str
    home: int
    """Index of the person's institution in the pool; people are sorted by it."""
    moved_to: int | None
    """Institution the person works at from `moved_in` on, for the few who change jobs."""
    moved_in: int


def make_institutions(rng: random.Random, count: int) -> list[Institution]:
    institutions = []
    for index in range(count):
        city, country, streets, postcode = V.CITIES[index % len(V.CITIES)]
        name = _pick(rng, V.INSTITUTION_PATTERNS).format(
            city=city, n=index % 40 + 1
        )
        code = re.sub("#", lambda _: str(_between(rng, 0, 9)), postcode)
        address = f"{_between(rng, 1, 240)} {_pick(rng, streets)}, {city}, {code}"
        institutions.append(Institution(name, address, country))
    return institutions


def _initials(rng: random.Random, letters: str) -> str:
    return " ".join(f"{c}." for c in rng.sample(letters, _pick(rng, (1, 2, 2, 2, 3))))


def make_name(rng: random.Random, country: str) -> str:
    """A printed name, in the script people at an institution of that country often use.

    Over the default city list this gives ~20% non-ASCII names: Cyrillic in Russia, Chinese
    and Japanese in China and Japan, accented Latin names anywhere.
    """
    roll = rng.random()
    if country == "Russian Federation" and roll < 0.7:
        return f"{_initials(rng, V.CYRILLIC_INITIALS)} {_pick(rng, V.CYRILLIC_FAMILY_NAMES)}"
    if country == "China" and roll < 0.5:
        return _pick(rng, V.CHINESE_FAMILY_NAMES) + _pick(rng, V.CHINESE_GIVEN_NAMES)
    if country == "Japan" and roll < 0.6:
        return f"{_pick(rng, V.JAPANESE_FAMILY_NAMES)} {_pick(rng, V.JAPANESE_GIVEN_NAMES)}"
    if roll > 0.89:
        return f"{_pick(rng, V.ACCENTED_GIVEN_NAMES)} {_pick(rng, V.ACCENTED_FAMILY_NAMES)}"
    family = _pick(rng, V.ASCII_FAMILY_NAMES)
    if roll > 0.62:
        return f"{_pick(rng, V.FULL_GIVEN_NAMES)} {family}"
    return f"{_initials(rng, V.LATIN_INITIALS)} {family}"


def make_people(rng: random.Random, count: int, institutions: list[Institution]) -> list[Person]:
    seen: set[str] = set()
    orcids: set[str] = set()
    people: list[Person] = []
    while len(people) < count:
        home = len(people) * len(institutions) // count  # blocks of colleagues, in pool order
        name = make_name(rng, institutions[home].country)
        if name in seen:  # homonyms exist, but a clean pool keeps the author count predictable
            continue
        seen.add(name)
        people.append(Person(
            name=name,
            orcid=_new_orcid(rng, orcids) if rng.random() < 0.35 else None,
            degrees=_pick(rng, V.DEGREES),
            position=f"{_pick(rng, V.POSITIONS)}, Department of {_pick(rng, V.DEPARTMENTS)}",
            email=f"author{len(people) + 1}@{_pick(rng, ('example.org', 'example.com', 'example.net'))}",
            home=home,
            moved_to=_between(rng, 0, len(institutions) - 1) if rng.random() < 0.15 else None,
            moved_in=_between(rng, FIRST_YEAR + 2, FIRST_YEAR + YEARS - 1),
        ))
    return people


# --- the issue schedule -----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class IssueSlot:
    year: int
    volume: int
    issue: int
    published: date
    articles: int


def plan_issues(rng: random.Random, article_count: int) -> list[IssueSlot]:
    """15 volumes of 4-6 issues, the archive growing a little every year, N articles in all."""
    dates = []
    for offset in range(YEARS):
        year = FIRST_YEAR + offset
        issues = _between(rng, 4, 6)
        for number in range(1, issues + 1):
            month = 1 + (number - 1) * 12 // issues + 1
            dates.append((year, offset + 1, number, date(year, month, _between(rng, 10, 28))))
    weights = [1 + 0.06 * (year - FIRST_YEAR) for year, *_ in dates]
    shares = [article_count * w / sum(weights) for w in weights]
    counts = [int(s) for s in shares]
    # The articles left over from rounding down go to the largest remainders.
    for index in sorted(range(len(shares)), key=lambda i: counts[i] - shares[i])[: article_count - sum(counts)]:
        counts[index] += 1
    return [IssueSlot(y, v, i, d, c) for (y, v, i, d), c in zip(dates, counts)]


# --- article skeletons: everything another article may refer to -------------------------------

@dataclass(frozen=True, slots=True)
class Skeleton:
    """The parts of an article decided in order, one after another (bylines, pages, citations)."""

    number: int
    slot: IssueSlot
    first_page: int
    last_page: int
    topic: dict[str, str]
    title: str
    people: tuple[int, ...]

    @property
    def doi(self) -> str:
        return f"{DOI_PREFIX}/bench.{self.number}"

    @property
    def path(self) -> str:
        return f"articles/{self.slot.year}/{self.slot.volume}-{self.slot.issue}/bench-{self.number}.md"


_AUTHOR_COUNT_WEIGHTS = [3, 6, 9, 10, 10, 9, 8, 6, 5, 4, 3, 2]  # 1..12 authors
_COLLEAGUE_SPREAD = 40  # a co-author is usually within this many places of the lead in the pool


def pick_people(rng: random.Random, pool_size: int) -> tuple[int, ...]:
    count = rng.choices(range(1, 13), _AUTHOR_COUNT_WEIGHTS)[0]
    # The lead is skewed towards the front of the pool: a few prolific authors, a long tail.
    lead = int(pool_size * rng.random() ** 1.3)
    chosen = [lead]
    while len(chosen) < min(count, pool_size):
        if rng.random() < 0.75:
            index = min(pool_size - 1, max(0, lead + _between(rng, -_COLLEAGUE_SPREAD, _COLLEAGUE_SPREAD)))
        else:
            index = int(pool_size * rng.random() ** 1.3)
        if index not in chosen:
            chosen.append(index)
    return tuple(chosen)


def make_skeletons(rng: random.Random, article_count: int, pool_size: int) -> list[Skeleton]:
    skeletons = []
    volume_pages: dict[int, int] = {}
    for slot in plan_issues(rng, article_count):
        for _ in range(slot.articles):
            # Page numbers run on through a volume, so ranges never overlap within an issue.
            first_page = volume_pages.get(slot.volume, 0) + 1
            last_page = first_page + _between(rng, 3, 11)
            volume_pages[slot.volume] = last_page
            topic = {
                "condition": _pick(rng, V.CONDITIONS), "patient": _pick(rng, V.PATIENTS),
                "finding": _pick(rng, V.FINDINGS),
            }
            title = TextMaker(rng, topic).fill(_pick(rng, V.TITLE_PATTERNS))
            skeletons.append(Skeleton(
                len(skeletons) + 1, slot, first_page, last_page, topic, title, pick_people(rng, pool_size)
            ))
    return skeletons


def citation_text(skeleton: Skeleton, people: list[Person]) -> str:
    names = [people[i].name for i in skeleton.people]
    shown = ", ".join(names[:3]) + (", et al." if len(names) > 3 else "")
    slot = skeleton.slot
    return (f"{shown}. {skeleton.title}. {JOURNAL_ABBREVIATION}. {slot.year};{slot.volume}({slot.issue}):"
            f"{skeleton.first_page}-{skeleton.last_page}.")


# --- text -------------------------------------------------------------------------------------

_SLOT = re.compile(r"\{(\w+)\}")
_POOLS = {
    "gene": V.GENES, "drug": V.DRUGS, "test": V.TESTS, "symptom": V.SYMPTOMS,
    "outcome": V.OUTCOMES, "outcome_phrase": V.OUTCOMES, "condition": V.CONDITIONS,
    "finding": V.FINDINGS, "patient": V.PATIENTS,
}


class TextMaker:
    """Fills sentence templates: the article's topic stays fixed, other slots vary per use."""

    def __init__(self, rng: random.Random, topic: dict[str, str]):
        self.rng = rng
        self.topic = topic

    def _slot(self, match: re.Match[str]) -> str:
        name = match.group(1)
        if name in self.topic:
            return self.topic[name]
        if name == "number":
            return f"{_between(self.rng, 2, 450)}.{_between(self.rng, 0, 9)}"
        if name == "small":
            return str(_between(self.rng, 2, 30))
        return _pick(self.rng, _POOLS[name])

    def fill(self, template: str) -> str:
        text = _SLOT.sub(self._slot, template)
        return text[0].upper() + text[1:]

    def paragraph(self, templates: list[str], words: int) -> str:
        sentences, count = [], 0
        while count < words:
            sentence = self.fill(_pick(self.rng, templates))
            sentences.append(sentence)
            count += sentence.count(" ") + 1
        return " ".join(sentences)


def make_abstract(text: TextMaker, rng: random.Random) -> str:
    words = _between(rng, 200, 300)  # each part's last sentence overshoots, by 45 words at most
    parts = [(V.BACKGROUND_SENTENCES, 0.25), (V.CASE_SENTENCES, 0.55), (V.CONCLUSION_SENTENCES, 0.20)]
    if rng.random() < 0.4:
        headings = _pick(rng, V.SECTION_HEADINGS)
        if len(headings) == 4:  # the "Outcome" section takes part of the case presentation
            parts = [parts[0], (V.CASE_SENTENCES, 0.30), (V.CASE_SENTENCES, 0.25), parts[2]]
        return "\n\n".join(
            f"### {heading}\n\n{text.paragraph(templates, int(words * share))}"
            for heading, (templates, share) in zip(headings, parts)
        )
    return " ".join(text.paragraph(templates, int(words * share)) for templates, share in parts)


def make_reference_names(rng: random.Random, count: int = 4000) -> list[str]:
    """Names as reference lists print them ("Knez V.", "Yang L.H."), drawn from per reference."""
    families = V.ASCII_FAMILY_NAMES + V.ACCENTED_FAMILY_NAMES
    return [
        f"{_pick(rng, families)} {''.join(c + '.' for c in rng.sample(V.LATIN_INITIALS, _between(rng, 1, 2)))}"
        for _ in range(count)
    ]


def make_reference(rng: random.Random, text: TextMaker, names: list[str], before_year: int) -> dict[str, str]:
    abbreviation, prefix, middle = _pick(rng, V.CITED_JOURNALS)
    year = _between(rng, 1990, before_year)
    first_page = _between(rng, 1, 3000)
    count = _between(rng, 1, 8)
    authors = ", ".join(_pick(rng, names) for _ in range(min(count, 6))) + (", et al." if count > 6 else "")
    reference = {
        "text": f"{authors} {text.fill(_pick(rng, V.REFERENCE_TOPICS))}. {abbreviation}. {year};"
                f"{_between(rng, 1, 140)}({_between(rng, 1, 12)}):{first_page}–{first_page + _between(rng, 2, 14)}."
    }
    if rng.random() < 0.7:
        reference["doi"] = f"{prefix}/{middle}.{year}.{_between(rng, 10000, 9_999_999)}"
    if rng.random() < 0.5:
        reference["pmid"] = str(_between(rng, 10_000_000, 39_999_999))
    return reference


# --- records ----------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Corpus:
    """Everything shared by all records; sent once to each worker process."""

    seed: int
    skeletons: list[Skeleton]
    people: list[Person]
    institutions: list[Institution]
    reference_names: list[str]
    citations: list[str]
    """citation_text() of each skeleton, by number - 1."""


def _byline(rng: random.Random, corpus: Corpus, skeleton: Skeleton) -> tuple[dict, list]:
    """Authors and affiliations of one record; affiliation keys in order of first use."""
    keys: dict[int, str] = {}
    corresponding = 0 if rng.random() < 0.7 else len(skeleton.people) - 1
    authors = []
    for position, index in enumerate(skeleton.people):
        person = corpus.people[index]
        moved = person.moved_to is not None and skeleton.slot.year >= person.moved_in
        own = [person.moved_to if moved else person.home]
        if rng.random() < 0.12:  # a second, visiting or joint, appointment
            own.append(_between(rng, 0, len(corpus.institutions) - 1))
        for institution in own:
            keys.setdefault(institution, f"aff{len(keys) + 1}")
        author: dict[str, object] = {"name": person.name}
        if person.orcid:
            author["orcid"] = person.orcid
        if person.degrees:
            author["degrees"] = person.degrees
        author["position"] = f"{person.position}, {corpus.institutions[own[0]].name}"
        author["affiliations"] = list(dict.fromkeys(keys[i] for i in own))
        if position == corresponding or rng.random() < 0.15:
            author["email"] = person.email
        if position == corresponding:
            author["corresponding"] = True
        authors.append(author)
    affiliations = {}
    for index, key in keys.items():
        institution = corpus.institutions[index]
        affiliations[key] = {"name": institution.name, "address": institution.address, "country": institution.country}
    return affiliations, authors


def make_record(corpus: Corpus, skeleton: Skeleton) -> tuple[dict, str]:
    """The front matter and abstract of one article, from its own random stream."""
    rng = random.Random(corpus.seed * 1_000_003 + skeleton.number)
    text = TextMaker(rng, skeleton.topic)
    affiliations, authors = _byline(rng, corpus, skeleton)
    references = []
    for _ in range(_between(rng, 5, 40)):
        if skeleton.number > 1 and rng.random() < 0.12:
            # Earlier articles of the corpus, recent ones more often.
            cited = int((skeleton.number - 1) * (1 - rng.random() ** 2))
            references.append({"text": corpus.citations[cited], "doi": corpus.skeletons[cited].doi})
        else:
            references.append(make_reference(rng, text, corpus.reference_names, skeleton.slot.year))
    slot = skeleton.slot
    record = {
        "title": skeleton.title,
        "doi": skeleton.doi,
        "type": rng.choices(["case-report", "research-article", "review", "brief-report", "letter"], [84, 7, 5, 2, 2])[0],
        "language": rng.choices(["en", "ru", "de", "fr", "es"], [80, 14, 2, 2, 2])[0],
        "year": slot.year,
        "volume": slot.volume,
        "issue": slot.issue,
        "pages": f"{skeleton.first_page}-{skeleton.last_page}",
        "published": slot.published,
        "keywords": rng.sample(V.KEYWORDS, _between(rng, 3, 6)),
        "license": "CC-BY-4.0" if rng.random() < 0.9 else "CC-BY-NC-4.0",
        "affiliations": affiliations,
        "authors": authors,
        "references": references,
    }
    return record, make_abstract(text, rng)


def render_record(record: dict, abstract: str) -> str:
    """The record file: YAML front matter in the order of the record format, then the abstract."""
    return f"---\n{yamlout.dump(record)}---\n\n{abstract}\n"


def journal_config(rng: random.Random) -> dict:
    return {
        "title": "Journal of Synthetic Case Reports",
        "abbreviation": JOURNAL_ABBREVIATION,
        "publisher": "caseshelf benchmark (fictional journal)",
        "issn_print": make_issn(rng),
        "issn_online": make_issn(rng),
        "base_url": "https://example.org/bench/",
        "language": "en",
        "license": "CC-BY-4.0",
        "doi_prefix": DOI_PREFIX,
        "description": "A generated journal for benchmarks. Every record, person and finding in it is invented.",
    }


# --- the run ----------------------------------------------------------------------------------

_worker_corpus: Corpus | None = None


def _init_worker(corpus: Corpus) -> None:
    global _worker_corpus
    _worker_corpus = corpus


def _write_range(out_dir: Path, start: int, stop: int) -> int:
    corpus = _worker_corpus
    written = 0
    for skeleton in corpus.skeletons[start:stop]:
        data = render_record(*make_record(corpus, skeleton)).encode("utf-8")
        (out_dir / skeleton.path).write_bytes(data)
        written += len(data)
    return written


def plan_corpus(article_count: int, seed: int) -> tuple[Corpus, dict]:
    """The shared, sequential part: pools, schedule, titles and bylines of every article."""
    rng = random.Random(seed)
    institutions = make_institutions(rng, max(len(V.CITIES), article_count // 25))
    people = make_people(rng, max(20, article_count * 11 // 10), institutions)
    journal = journal_config(rng)
    names = make_reference_names(rng)
    skeletons = make_skeletons(rng, article_count, len(people))
    citations = [citation_text(s, people) for s in skeletons]
    return Corpus(seed, skeletons, people, institutions, names, citations), journal


_GENERATED_NAME = re.compile(r"bench-\d+\.md\Z")


def foreign_file(out_dir: Path) -> Path | None:
    """A file under out_dir/articles that this generator did not write, if there is one."""
    articles = out_dir / "articles"
    if not articles.exists():
        return None
    return next((p for p in articles.rglob("*") if p.is_file() and not _GENERATED_NAME.match(p.name)), None)


def generate(article_count: int, out_dir: Path, seed: int = 1, jobs: int | None = None) -> int:
    """Write the corpus into out_dir (replacing its articles/); return the bytes of records."""
    stranger = foreign_file(out_dir)
    if stranger:  # never wipe someone's real content/ by a slip of the command line
        raise FileExistsError(f"{stranger} was not written by the generator; choose another directory")
    corpus, journal = plan_corpus(article_count, seed)
    (out_dir / "journal.yaml").unlink(missing_ok=True)
    if (out_dir / "articles").exists():
        shutil.rmtree(out_dir / "articles")
    for folder in sorted({(out_dir / s.path).parent for s in corpus.skeletons}):
        folder.mkdir(parents=True)
    jobs = max(1, min(jobs or os.cpu_count() or 1, article_count // 500 or 1))
    chunk = -(-article_count // (jobs * 4))
    ranges = [(out_dir, start, min(start + chunk, article_count)) for start in range(0, article_count, chunk)]
    if jobs == 1:
        _init_worker(corpus)
        written = sum(_write_range(*r) for r in ranges)
    else:
        with multiprocessing.get_context("fork").Pool(jobs, _init_worker, (corpus,)) as pool:
            written = sum(pool.starmap(_write_range, ranges))
    text = yaml.safe_dump(journal, allow_unicode=True, sort_keys=False, width=100_000)
    (out_dir / "journal.yaml").write_text(text, encoding="utf-8")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("articles", type=int, help="number of articles to generate")
    parser.add_argument("out_dir", type=Path, help="content directory to write (its articles/ is replaced)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: all cores)")
    options = parser.parse_args(argv)
    if options.articles < 1:
        parser.error("the number of articles must be at least 1")
    stranger = foreign_file(options.out_dir)
    if stranger:
        parser.error(f"{stranger} was not written by this generator: choose an empty or generated directory")
    options.out_dir.mkdir(parents=True, exist_ok=True)
    written = generate(options.articles, options.out_dir, options.seed, options.jobs)
    print(f"{options.articles} articles, {written / 1e6:.1f} MB of records in {options.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
