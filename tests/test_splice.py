"""Splicing an archive-wide file after an edit (exports/splice.py): the file made from the last
one, with a new head and some articles' parts replaced, must be the file a build would make
whole, and the parts must be noted where they now lie, for the next edit."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from functools import partial
from pathlib import Path

import pytest

from caseshelf.exports import render_part_files
from caseshelf.exports.fragments import UnpackedFragments, collect_fragments
from caseshelf.exports.splice import NO_PARTS, PartSpans, splice_recipe
from caseshelf.loading import load_content
from caseshelf.site import Site, build_site
from caseshelf.write import Patch
from conftest import SAMPLE_CONTENT

MOMENT = datetime(2026, 1, 1, tzinfo=timezone.utc)
LATER = datetime(2026, 11, 26, 9, 30, tzinfo=timezone.utc)  # another Crossref timestamp and batch id


@pytest.fixture(scope="module")
def site() -> Site:
    return build_site(load_content(SAMPLE_CONTENT))


@pytest.fixture(scope="module")
def fragments(site: Site) -> dict:
    return collect_fragments(site, 1)


def _made(site: Site, parts_of: Callable[[str], Mapping[str, bytes]], moment: datetime = MOMENT) -> tuple[dict[str, bytes], dict[str, PartSpans]]:
    """Every file made of one part per article, and where its parts lie."""
    spans: dict[str, PartSpans] = {}
    return {file.path: bytes(file.content) for file in render_part_files(site, moment, parts_of, spans)}, spans


def _spliced(tmp_path: Path, before: bytes, recipe: list) -> bytes:
    output = tmp_path / "site"
    output.mkdir(exist_ok=True)
    (output / "file").write_bytes(before)
    with Patch(output) as patch:
        patch.splice("file", recipe)
        return (patch.root / "file").read_bytes()


def test_every_file_made_of_parts_is_spliced_here(site, fragments):
    files, spans = _made(site, partial(UnpackedFragments, fragments))
    assert set(files) == set(spans) >= {"articles.json", "doaj.xml", "oai.xml", "crossref/all.xml"}
    assert {span.kind for span in spans.values()} == {"csl", "doaj", "oai", "crossref"}
    assert len(spans) > 4  # a Crossref deposit per issue too


@pytest.mark.parametrize("edited", [[0], [5], [-1], [0, 3, -1]], ids=["first", "middle", "last", "several"])
def test_a_spliced_file_is_the_file_made_whole_with_the_new_parts(tmp_path, site, fragments, edited):
    """Each file is made again with some articles' parts changed (shorter and longer) and, for
    the Crossref deposits, the head of a later build (its timestamp)."""
    parts_of = partial(UnpackedFragments, fragments)
    before, spans = _made(site, parts_of)
    new_parts = {kind: {} for kind in ("csl", "doaj", "oai", "crossref")}
    for number, index in enumerate(edited):
        doi = site.articles[index].doi
        for kind, changed in new_parts.items():
            changed[doi] = parts_of(kind)[doi][: 20 + 7 * number] * (1 + number % 2)
    expected, expected_spans = _made(site, lambda kind: {**parts_of(kind), **new_parts[kind]}, LATER)
    heads, _ = _made(site, lambda _: NO_PARTS, LATER)
    for path, last in spans.items():
        if not last.keys:
            continue
        head = heads[path][: expected_spans[path].starts[0]]
        if last.kind == "crossref":
            assert before[path][: last.starts[0]] != head  # a later timestamp and batch id
        recipe, spliced_spans = splice_recipe(last, head, new_parts[last.kind])
        assert _spliced(tmp_path, before[path], recipe) == expected[path], path
        assert spliced_spans == expected_spans[path], path
    # the spans noted are right for the next edit too
    again = {site.articles[1].doi: b"  <again/>\n"}
    recipe, _ = splice_recipe(expected_spans["doaj.xml"], heads["doaj.xml"][: expected_spans["doaj.xml"].starts[0]], again)
    assert _spliced(tmp_path, expected["doaj.xml"], recipe) == _made(site, lambda kind: {**parts_of(kind), **new_parts[kind], **again}, LATER)[0]["doaj.xml"]


def _refused(*_args, **_kwargs):
    raise OSError(18, "Invalid cross-device link")


def _copied_nothing(*_args, **_kwargs):
    return 0


@pytest.mark.parametrize("copy_file_range", [_refused, _copied_nothing, None], ids=["refused", "copied-nothing", "absent"])
def test_a_splice_copies_through_a_buffer_where_the_system_cannot_copy_between_the_files(tmp_path, site, fragments, monkeypatch, copy_file_range):
    if copy_file_range is None:
        monkeypatch.delattr(os, "copy_file_range", raising=False)
    else:
        monkeypatch.setattr(os, "copy_file_range", copy_file_range, raising=False)
    parts_of = partial(UnpackedFragments, fragments)
    before, spans = _made(site, parts_of)
    new_parts = {site.articles[2].doi: b"  <record/>\n"}
    recipe, _ = splice_recipe(spans["doaj.xml"], before["doaj.xml"][: spans["doaj.xml"].starts[0]], new_parts)
    assert _spliced(tmp_path, before["doaj.xml"], recipe) == _made(site, lambda kind: {**parts_of(kind), **new_parts})[0]["doaj.xml"]
