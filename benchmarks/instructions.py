"""Count the instructions a cold caseshelf build executes: a measure of its CPU cost that the
machine's speed does not move.

    python benchmarks/instructions.py [--articles 300] [--against REV]

Wall and CPU times on a shared machine drift by a third within minutes, so a change that saves
3% cannot be seen in them. The number of instructions a build executes is the same, to about
five digits, from one run to the next: this script counts them with Valgrind's cachegrind (the
build runs about 50 times slower under it). It builds two generated journals, `--articles` and
a tenth of that, each cold (`--no-cache`) in one process (`--jobs 1`, so that no work is
split between processes Valgrind would have to follow), and reports the cost of one more
article (the difference of the two counts divided by the difference in articles) and the cost
that does not grow with the journal (start-up, journal-wide pages).

With `--against REV`, the same is measured for a git revision, checked out into a worktree
under the work directory, and the ratios are printed: how a change moves the CPU cost, for
A/B comparisons the timed benchmark (run.py) is too noisy to make. Instructions are not time
(a cache miss costs more than an add), so confirm a change that matters with run.py.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from measure import user_environment
from run import DEFAULT_WORK, REPO, prepare_corpus

_INSTRUCTIONS = re.compile(r"^==\d+== I\s+refs:\s+([\d,]+)\s*$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Cost:
    """Instructions of a cold build, split into what each article adds and the rest."""

    per_article: float
    fixed: float


def instructions_in(valgrind_log: str) -> int:
    """The `I refs` total from cachegrind's summary."""
    found = _INSTRUCTIONS.search(valgrind_log)
    if found is None:
        raise ValueError(f"no instruction count in Valgrind's output:\n{valgrind_log[-2000:]}")
    return int(found.group(1).replace(",", ""))


def build_command(python: str, tree: Path, corpus: Path, output: Path) -> list[str]:
    """A cold build of `corpus` by the caseshelf in `tree` (build.py imports the caseshelf
    package beside it), without the search index, as the timed benchmark builds."""
    return [python, str(tree / "build.py"), "build", "--source", str(corpus), "--output", str(output), "--quiet", "--no-search", "--no-cache"]


def count_build(python: str, tree: Path, corpus: Path) -> int:
    """Instructions of one cold build of `corpus` by the caseshelf in `tree`, in one process."""
    with tempfile.TemporaryDirectory(prefix="caseshelf-instructions-") as scratch:
        log = Path(scratch, "valgrind.log")
        valgrind = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null", f"--log-file={log}"]
        command = [*valgrind, *build_command(python, tree, corpus, Path(scratch, "site")), "--jobs", "1"]
        # The same string hashes in every run: dict layouts, and so the work, do not vary.
        environment = user_environment() | {"PYTHONHASHSEED": "0"}
        result = subprocess.run(command, cwd=scratch, env=environment, capture_output=True, text=True)
        if result.returncode != 0:
            raise SystemExit(f"the build under Valgrind failed ({result.returncode}):\n{result.stderr[-2000:]}")
        return instructions_in(log.read_text(encoding="utf-8", errors="replace"))


def write_bytecode(python: str, tree: Path, corpus: Path) -> None:
    """Build once outside Valgrind, which writes the bytecode of every module a build imports
    (in a fresh clone, none has any yet): compiling them is not the build's cost, and would
    make the first count higher than the next (see measure.user_environment)."""
    with tempfile.TemporaryDirectory(prefix="caseshelf-instructions-") as scratch:
        subprocess.run(build_command(python, tree, corpus, Path(scratch, "site")), cwd=scratch, capture_output=True, env=user_environment())


def cost_of(python: str, tree: Path, small: tuple[int, Path], large: tuple[int, Path]) -> Cost:
    write_bytecode(python, tree, small[1])
    (few, few_corpus), (many, many_corpus) = small, large
    with ThreadPoolExecutor(2) as pool:  # each count is a process of its own: two cores, half the wait
        at_few, at_many = pool.map(lambda corpus: count_build(python, tree, corpus), (few_corpus, many_corpus))
    per_article = (at_many - at_few) / (many - few)
    return Cost(per_article=per_article, fixed=at_few - few * per_article)


@contextmanager
def checkout(revision: str, work: Path) -> Iterator[Path]:
    """A git worktree of the repository at `revision`, removed afterwards."""
    tree = work / "instructions-against"
    _remove_worktree(tree)  # left by an interrupted run
    subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", str(tree), revision], check=True, capture_output=True)
    try:
        yield tree
    finally:
        _remove_worktree(tree)


def _remove_worktree(tree: Path) -> None:
    subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(tree)], capture_output=True)
    shutil.rmtree(tree, ignore_errors=True)
    subprocess.run(["git", "-C", str(REPO), "worktree", "prune"], capture_output=True)


def describe(cost: Cost) -> str:
    return f"{cost.per_article / 1e6:.2f} M instructions per article, {cost.fixed / 1e9:.2f} G for the rest"


def parse_options(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=300, help="size of the larger journal (default 300; the smaller has a tenth)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--against", metavar="REV", help="also measure this git revision and print the ratios")
    parser.add_argument("--python", default=sys.executable, help="Python that runs build.py (default: this one)")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help="where corpora and the worktree go")
    options = parser.parse_args(argv)
    if options.articles < 20:
        parser.error("--articles must be at least 20")
    return options


def main(argv: list[str] | None = None) -> int:
    options = parse_options(argv)
    if shutil.which("valgrind") is None:
        print("Valgrind is not installed (Debian: apt-get install valgrind).", file=sys.stderr)
        return 2
    work = options.work.resolve()
    few = options.articles // 10
    small = (few, prepare_corpus(work, few, options.seed, regenerate=False))
    large = (options.articles, prepare_corpus(work, options.articles, options.seed, regenerate=False))
    this = cost_of(options.python, REPO, small, large)
    print(f"this tree: {describe(this)}")
    if options.against:
        with checkout(options.against, work) as tree:
            other = cost_of(options.python, tree, small, large)
        print(f"{options.against}: {describe(other)}")
        print(f"this tree ÷ {options.against}: {this.per_article / other.per_article:.4f}× per article, "
              f"{this.fixed / other.fixed:.4f}× for the rest")
    return 0


if __name__ == "__main__":
    sys.exit(main())
