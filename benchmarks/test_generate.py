"""Checks of the benchmark's generator and converters: `pytest benchmarks/` (not part of tests/).

They check that the synthetic journal is what issue 7 describes and reads back exactly as
written; they time nothing.
"""

from __future__ import annotations

import io
import random
import re
import shutil
import sys
from collections import Counter
from datetime import date

import pytest
import yaml

import generate
import hugo_site
import instructions
import measure
import memory_timeline
import pelican_site
import records
import run
import yamlout


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus")
    generate.generate(600, out, seed=7, jobs=1)
    return out


@pytest.fixture(scope="module")
def loaded(corpus):
    return list(records.read_records(corpus))


def _orcid_is_valid(orcid: str) -> bool:
    digits = orcid.replace("-", "")
    total = 0
    for char in digits[:-1]:
        total = (total + int(char)) * 2
    check = (12 - total % 11) % 11
    return digits[-1] == ("X" if check == 10 else str(check))


def test_orcid_check_digit_matches_published_examples():
    # Examples from ORCID's own documentation of the checksum.
    assert generate.orcid_check_digit("000000021825009") == "7"
    assert generate.orcid_check_digit("000000021694233") == "X"


@pytest.mark.parametrize("text", [
    "no", "Yes", "null", "~", "123", "1e3", "0x1F", "2020-01-01", "10.5555", "a: b", "#x", "-x", "x #y",
    '"quoted"', "back\\slash", "tab\there", "", " lead", "trail ", "[x]", "{y}", "a, b", "Ю. С. Махнева",
    "O'Neil", "J. A. Smith", "line\nbreak", "× 10⁹/L", "*emphasis*", "& anchor", "! tag", "% directive",
])
def test_yaml_scalars_read_back_as_the_same_string(text):
    document = yamlout.dump({"value": text, "list": [text, "other"]})
    assert yaml.safe_load(document) == {"value": text, "list": [text, "other"]}


def test_every_record_reads_back_as_generated(tmp_path):
    corpus, _ = generate.plan_corpus(300, seed=5)
    generate._init_worker(corpus)
    for skeleton in corpus.skeletons:
        record, abstract = generate.make_record(corpus, skeleton)
        _, front, body = generate.render_record(record, abstract).split("---\n", 2)
        assert yaml.safe_load(front) == record
        assert body == f"\n{abstract}\n"


def test_same_seed_same_bytes_whatever_the_number_of_processes(tmp_path):
    generate.generate(1000, tmp_path / "one", seed=3, jobs=1)
    generate.generate(1000, tmp_path / "two", seed=3, jobs=2)
    one = {p.relative_to(tmp_path / "one"): p.read_bytes() for p in (tmp_path / "one").rglob("*") if p.is_file()}
    two = {p.relative_to(tmp_path / "two"): p.read_bytes() for p in (tmp_path / "two").rglob("*") if p.is_file()}
    assert len(one) == 1001 and one == two


def test_another_seed_gives_another_journal(tmp_path):
    generate.generate(20, tmp_path / "a", seed=1)
    generate.generate(20, tmp_path / "b", seed=2)
    first = next((tmp_path / "a" / "articles").rglob("bench-1.md")).read_bytes()
    assert first != next((tmp_path / "b" / "articles").rglob("bench-1.md")).read_bytes()


def test_record_fields_are_in_the_ranges_of_the_issue(loaded):
    for record in loaded:
        front = record.front
        assert set(front) == {
            "title", "doi", "type", "language", "year", "volume", "issue", "pages", "published",
            "keywords", "license", "affiliations", "authors", "references",
        }
        assert 1 <= len(front["authors"]) <= 12
        assert 5 <= len(front["references"]) <= 40
        assert 3 <= len(front["keywords"]) == len(set(front["keywords"])) <= 6
        words = len(re.sub(r"(?m)^### .*$", "", record.abstract).split())
        assert 200 <= words <= 350, record.path
        assert isinstance(front["published"], date) and front["published"].year == front["year"]
        assert front["volume"] == front["year"] - 2010
        for author in front["authors"]:
            assert set(author["affiliations"]) <= set(front["affiliations"])
            assert "orcid" not in author or _orcid_is_valid(author["orcid"])
        for reference in front["references"]:
            assert "pmid" not in reference or isinstance(reference["pmid"], str)
        assert sum(bool(a.get("corresponding")) for a in front["authors"]) == 1


def test_fifteen_volumes_of_four_to_six_issues(loaded):
    issues = Counter((r.front["volume"], r.front["issue"]) for r in loaded)
    volumes = Counter(volume for volume, _ in issues)
    assert sorted(volumes) == list(range(1, 16))
    assert all(4 <= count <= 6 for count in volumes.values())


def test_page_ranges_do_not_overlap_within_an_issue(loaded):
    by_issue: dict[tuple, list[tuple[int, int]]] = {}
    for record in loaded:
        first, last = map(int, record.front["pages"].split("-"))
        assert first <= last
        by_issue.setdefault((record.front["volume"], record.front["issue"]), []).append((first, last))
    for ranges in by_issue.values():
        ranges.sort()
        assert all(previous[1] < current[0] for previous, current in zip(ranges, ranges[1:]))


def test_authors_recur_and_about_a_fifth_have_non_ascii_names(loaded):
    bylines = Counter(a["name"] for r in loaded for a in r.front["authors"])
    assert max(bylines.values()) >= 5
    assert 0.12 <= sum(not name.isascii() for name in bylines) / len(bylines) <= 0.30
    assert any(re.search("[\u0400-\u04ff]", name) for name in bylines)
    assert any(re.search("[\u4e00-\u9fff]", name) for name in bylines)


def test_some_references_cite_earlier_articles_of_the_corpus(loaded):
    number = {r.front["doi"]: int(r.path.stem.split("-")[1]) for r in loaded}
    internal = [
        (number[r.front["doi"]], number[ref["doi"]])
        for r in loaded for ref in r.front["references"] if ref.get("doi", "").startswith("10.5555/")
    ]
    assert len(internal) > 100
    assert all(cited < citing for citing, cited in internal)


def test_structured_abstracts_are_a_part_of_the_corpus(loaded):
    structured = sum("### " in r.abstract for r in loaded) / len(loaded)
    assert 0.2 < structured < 0.6


def test_converted_sites_have_one_content_file_per_article(corpus, loaded, tmp_path):
    assert hugo_site.write_site(corpus, tmp_path / "hugo") == len(loaded)
    assert pelican_site.write_site(corpus, tmp_path / "pelican") == len(loaded)
    hugo_pages = list((tmp_path / "hugo" / "content" / "articles").glob("*.md"))
    pelican_pages = list((tmp_path / "pelican" / "content" / "articles").glob("*.md"))
    assert len(hugo_pages) == len(pelican_pages) == len(loaded)
    front = yaml.safe_load((tmp_path / "hugo" / "content" / "articles" / "bench-1.md").read_text().split("---\n")[1])
    assert front["authors"] == [p["name"] for p in front["people"]]


def test_refuses_to_replace_records_it_did_not_write(tmp_path):
    own = tmp_path / "articles" / "2025" / "my-case.md"
    own.parent.mkdir(parents=True)
    own.write_text("---\ntitle: mine\n---\n", encoding="utf-8")
    with pytest.raises(FileExistsError):
        generate.generate(5, tmp_path)
    assert own.read_text(encoding="utf-8") == "---\ntitle: mine\n---\n"
    with pytest.raises(SystemExit):
        generate.main(["5", str(tmp_path)])
    assert own.exists()


def test_regenerating_replaces_a_generated_corpus(tmp_path):
    generate.generate(30, tmp_path, seed=1)
    generate.generate(10, tmp_path, seed=1)
    assert len(list((tmp_path / "articles").rglob("*.md"))) == 10


def test_a_converted_site_is_made_again_when_its_converter_changes(corpus, tmp_path, monkeypatch):
    import run

    log = tmp_path / "conversions"  # the conversion runs in a child process: counted on disk

    def convert(corpus_dir, site):
        with log.open("a", encoding="utf-8") as conversions:
            conversions.write(f"{site}\n")
        return hugo_site.write_site(corpus_dir, site)

    def conversions() -> list[str]:
        return log.read_text(encoding="utf-8").splitlines() if log.exists() else []

    convert.__module__ = hugo_site.__name__
    site = tmp_path / "hugo"
    run.prepare_site(corpus, site, convert, regenerate=False)
    run.prepare_site(corpus, site, convert, regenerate=False)
    assert len(conversions()) == 1
    monkeypatch.setattr(run, "_converter_fingerprint", lambda writer: "templates edited since")
    run.prepare_site(corpus, site, convert, regenerate=False)
    assert len(conversions()) == 2


def test_tools_are_measured_with_the_bytecode_cache_on(monkeypatch, tmp_path):
    """A sandbox's PYTHONDONTWRITEBYTECODE would charge every build for compiling its modules."""
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    log = tmp_path / "flags.log"
    sample = measure.measure([sys.executable, "-c", "import sys; print(sys.flags.dont_write_bytecode)"], log=log, timeout=60)
    assert sample.returncode == 0
    assert log.read_text().strip() == "0"


def _sample(wall: float) -> measure.Sample:
    return measure.Sample(wall=wall, cpu=wall, peak_rss=1, returncode=0)


def test_paired_ratios_divide_by_the_baseline_of_the_same_round():
    """A round whose baseline failed has no ratio; the others pair up by round, not by position."""
    results = run.Results(
        samples={run.HUGO: [_sample(40.0), _sample(50.0)], run.COLD: [_sample(30.0), _sample(44.0), _sample(60.0)]},
        rounds={run.HUGO: [1, 3], run.COLD: [1, 2, 3]},
    )
    assert run.paired_ratios(results, run.COLD, run.HUGO) == [0.75, 1.2]
    assert run.paired_ratios(results, run.WARM, run.HUGO) == []


def test_the_target_report_gives_each_rounds_ratio_after_the_ratio_of_medians():
    results = run.Results(
        samples={run.HUGO: [_sample(40.0), _sample(50.0)], run.COLD: [_sample(30.0), _sample(60.0)]},
        rounds={run.HUGO: [1, 2], run.COLD: [1, 2]},
    )
    line = next(line for line in run.targets_report(run.medians(results), results) if line.startswith(f"- {run.COLD} wall ÷ {run.HUGO}"))
    assert line == f"- {run.COLD} wall ÷ {run.HUGO}: 1.00× (target ≤ 1.0×): met; round by round 0.75×, 1.20× (median 0.97×)"


def test_the_instruction_count_is_read_from_cachegrinds_summary():
    log = "==41== Cachegrind, a cache and branch-prediction profiler\n==41== \n==41== I   refs:      8,430,895,860\n"
    assert instructions.instructions_in(log) == 8_430_895_860
    with pytest.raises(ValueError):
        instructions.instructions_in("==41== ERROR SUMMARY: 0 errors\n")


@pytest.mark.skipif(shutil.which("valgrind") is None, reason="needs Valgrind (apt-get install valgrind)")
def test_a_build_executes_the_same_instructions_every_time(tmp_path):
    """What makes the count worth having: two runs of one build agree to within a
    two-thousandth, and a journal with more articles costs more. Runs usually agree to two
    hundred-thousandths; one CI run of the whole suite (2026-11-28) saw 1.3 ten-thousandths,
    which three reruns in the same environment did not repeat. Comparisons of two versions are
    reported to the thousandth."""
    few, many = tmp_path / "few", tmp_path / "many"
    generate.generate(2, few, seed=3, jobs=1)
    generate.generate(12, many, seed=3, jobs=1)
    instructions.write_bytecode(sys.executable, run.REPO, few)
    first, second = (instructions.count_build(sys.executable, run.REPO, few) for _ in range(2))
    assert abs(first - second) < first / 2_000
    cost = instructions.cost_of(sys.executable, run.REPO, (2, few), (12, many))
    assert cost.per_article > 1_000_000 and cost.fixed > cost.per_article


_FORKS_A_CHILD_THAT_HOLDS_MEMORY = """
import os, time
data = bytearray(64 * 1024 * 1024)  # touched: resident
print("forking", flush=True)
if os.fork() == 0:
    data[::4096] = b"x" * len(data[::4096])  # the child's own copy of every page
    time.sleep(1.0)
    os._exit(0)
os.wait()
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_memory_timeline_shows_each_process_and_what_it_copied():
    out = io.StringIO()
    code = memory_timeline.watch([sys.executable, "-c", _FORKS_A_CHILD_THAT_HOLDS_MEMORY], every=0.1, out=out)
    lines = out.getvalue().splitlines()
    assert code == 0
    assert any(line.endswith("| forking") for line in lines)
    privates = [[int(mib) for mib in re.findall(r"private (\d+)", line)] for line in lines]
    # The parent's 64 MiB and the child's copy of it, each private once the child wrote to it.
    assert any(len(both) == 2 and min(both) >= 60 for both in privates), lines
    peak = int(re.search(r"peak of the tree's PSS: (\d+) MiB", lines[-1]).group(1))
    assert peak >= 120


def test_no_orcid_id_is_given_to_two_people():
    """At 60,000 people some 21,000 have an iD: drawn at random, a few would repeat, and a
    build warns of each (an iD given to two names)."""
    rng = random.Random(1)
    people = generate.make_people(rng, 60_000, generate.make_institutions(rng, 400))
    orcids = [person.orcid for person in people if person.orcid]
    assert len(orcids) > 20_000
    assert len(set(orcids)) == len(orcids)
