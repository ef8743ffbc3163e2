"""The compiled CSL styles write exactly what citeproc-py writes, or decline.

Every item (the sample journal's, 300 generated ones, hand-made ones) is formatted both ways
(benchmarks/csl_compiled_diff.py): the compiled style's text,
where it does not decline, must equal citeproc-py's, in every style tried; the default style and
the sample journal's own must not decline the sample journal's articles at all.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from caseshelf.exports import citation_style, csl_compiled
from caseshelf.exports.csl import citation_item
from caseshelf.loading import load_content
from caseshelf.site import build_site
from conftest import REPO, generate_journal

_spec = importlib.util.spec_from_file_location("csl_compiled_diff", REPO / "benchmarks/csl_compiled_diff.py")
diff = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(diff)

#: Styles the compiler must take whole for the sample journal's articles.
FULLY_COMPILED = ("nlm-citation-sequence", str(REPO / "content/citation-style.csl"))
#: Styles of other families, which may decline an item but never differ.
OTHER_STYLES = (
    "elsevier-vancouver", "american-medical-association", "apa", "gost-r-7-0-5-2008-numeric", "ieee",
    "chicago-author-date", "harvard-cite-them-right",
)  # fmt: skip


DECLINED_HINT = (
    f"the compiled style declined entries; under a new citeproc-py release (now {csl_compiled.citeproc_version}), "
    "compare with benchmarks/csl_compiled_diff.py and add the release to csl_compiled.CHECKED_CITEPROC_RELEASES"
)


@pytest.fixture(scope="module")
def sample_items() -> list[dict]:
    site = build_site(load_content(REPO / "content", jobs=1))
    return [citation_item(article, site.journal) for article in site.articles]


def _assert_no_difference(style: str, items: list[dict]) -> int:
    identical, declined, different = diff.compare(style, items)
    assert not different, [(item["id"], compiled, expected) for item, compiled, expected in different]
    return declined


@pytest.fixture(scope="module")
def generated_items(tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    """300 articles of the benchmark's generator: 1 to 12 authors from a pool, a fifth of the
    names not in ASCII, volumes, issues and pages of every shape it makes."""
    content = generate_journal(tmp_path_factory.mktemp("generated") / "content", 300, seed=11)
    site = build_site(load_content(content, jobs=1))
    return [citation_item(article, site.journal) for article in site.articles]


@pytest.mark.parametrize("style", FULLY_COMPILED)
def test_a_generated_journal_is_compiled_whole_and_identical(style: str, generated_items: list[dict]) -> None:
    assert len(generated_items) == 300
    assert _assert_no_difference(style, generated_items) == 0, DECLINED_HINT


@pytest.mark.parametrize("style", FULLY_COMPILED)
def test_the_sample_journal_is_compiled_whole_and_identical(style: str, sample_items: list[dict]) -> None:
    assert _assert_no_difference(style, sample_items) == 0, DECLINED_HINT


@pytest.mark.parametrize("style", FULLY_COMPILED + OTHER_STYLES)
def test_hand_made_items_are_identical_or_declined(style: str) -> None:
    items = diff.adversarial_items()
    declined = _assert_no_difference(style, items)
    assert declined < len(items) // 4  # the compiler takes most of them


@pytest.mark.parametrize("style", OTHER_STYLES)
def test_the_sample_journal_in_other_styles_is_identical_or_declined(style: str, sample_items: list[dict]) -> None:
    _assert_no_difference(style, sample_items)


def test_the_comparison_can_fail(monkeypatch: pytest.MonkeyPatch) -> None:
    # A compiled text one character off is reported as a difference, not passed over.
    original = citation_style._compiled_text
    monkeypatch.setattr(citation_style, "_compiled_text", lambda *args: (original(*args) or "") + "!")
    identical, declined, different = diff.compare("nlm-citation-sequence", diff.adversarial_items()[:3])
    assert len(different) == 3 and identical == 0


def test_what_the_compiler_declines_citeproc_formats() -> None:
    # An author list with nobody in it: declined, and the citation is citeproc-py's.
    item = {**diff.adversarial_items()[0], "author": []}
    compiled, expected = diff.both_ways("nlm-citation-sequence", item)
    assert compiled is None
    assert citation_style.format_citation(item, "nlm-citation-sequence") == expected


def test_an_unknown_attribute_makes_the_compiler_decline(tmp_path: Path) -> None:
    style = (REPO / "content/citation-style.csl").read_text("utf-8").replace('<text variable="title"/>', '<text variable="title" invented="yes"/>')
    path = tmp_path / "style.csl"
    path.write_text(style, "utf-8")
    item = diff.adversarial_items()[0]
    compiled, expected = diff.both_ways(str(path), item)
    assert compiled is None and "A case of something" in expected


def test_format_citation_uses_the_compiled_style(monkeypatch: pytest.MonkeyPatch) -> None:
    item = {**diff.adversarial_items()[0], "title": "Only the compiled style formats this"}
    monkeypatch.setattr(citation_style, "_citeproc_text", lambda *args: pytest.fail("citeproc-py was asked"))
    citation_style._formatted.clear()
    text = citation_style.format_citation(item, "nlm-citation-sequence")
    assert "Only the compiled style formats this" in text
    assert json.dumps(item)  # the item itself was not changed


def test_a_citeproc_release_the_compiler_was_not_checked_against_makes_it_decline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csl_compiled, "citeproc_version", "0.99.0")
    citation_style.forget_loaded_styles()
    try:
        compiled, expected = diff.both_ways("nlm-citation-sequence", diff.adversarial_items()[0])
        assert compiled is None and "A case of something" in expected
    finally:
        citation_style.forget_loaded_styles()  # compiled again under the real release


@pytest.mark.parametrize(("page", "printed"), [("S12-S15", "S12–S15"), ("e123-e130", "e123–e130"), ("1203-1210", "1203–10"), ("S9-10", "S9–10")])
def test_nlm_shortens_only_a_range_of_two_numbers_both_ways(page: str, printed: str) -> None:
    """The supplement's S12-S15 was S12–5 both ways, as if it ended on page 5."""
    item = {**diff._BASE, "page": page}  # Smith and Doe's article, without a variation
    compiled, by_citeproc = diff.both_ways("nlm-citation-sequence", item)
    expected = f"Smith J, Doe J. A case of something. J Invent Cases. 2024;12(3):{printed}."
    assert (compiled, by_citeproc) == (expected, expected)
