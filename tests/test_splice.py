"""Splicing an archive-wide file after an edit (exports/splice.py): the file made from the last
one, with some articles' parts replaced, must be the file a build would make whole, and the
parts must be noted where they now lie, for the next edit."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from caseshelf.exports.doaj import render_doaj
from caseshelf.exports.fragments import UnpackedFragments, collect_fragments
from caseshelf.exports.indexes import render_articles_index
from caseshelf.exports.oai import render_oai
from caseshelf.exports.splice import PartSpans, splice_recipe
from caseshelf.loading import load_content
from caseshelf.site import Site, build_site
from caseshelf.write import Patch
from conftest import SAMPLE_CONTENT

RENDERERS = {"doaj": render_doaj, "oai": render_oai, "csl": render_articles_index}


@pytest.fixture(scope="module")
def site() -> Site:
    return build_site(load_content(SAMPLE_CONTENT))


def _made(site: Site, render: Callable, parts: dict[str, bytes]) -> tuple[bytes, PartSpans]:
    found: list[tuple[int, int]] = []
    content = bytes(render(site, parts, found))
    return content, PartSpans.recorded(tuple(article.doi for article in site.articles), found, len(content))


def _spliced(tmp_path: Path, before: bytes, recipe: list) -> bytes:
    output = tmp_path / "site"
    output.mkdir(exist_ok=True)
    (output / "file").write_bytes(before)
    with Patch(output) as patch:
        patch.splice("file", recipe)
        return (patch.root / "file").read_bytes()


@pytest.mark.parametrize("kind", sorted(RENDERERS))
@pytest.mark.parametrize("edited", [[0], [5], [-1], [0, 3, -1]], ids=["first", "middle", "last", "several"])
def test_a_spliced_file_is_the_file_made_whole_with_the_new_parts(tmp_path, site, kind, edited):
    render = RENDERERS[kind]
    parts = dict(UnpackedFragments(collect_fragments(site, 1), kind))
    before, spans = _made(site, render, parts)
    # new parts both shorter and longer than the ones they replace
    new_parts = {site.articles[index].doi: parts[site.articles[index].doi][: 20 + 7 * number] * (1 + number % 2) for number, index in enumerate(edited)}
    recipe, spliced_spans = splice_recipe(spans, new_parts)
    expected, expected_spans = _made(site, render, {**parts, **new_parts})
    assert _spliced(tmp_path, before, recipe) == expected != before
    assert spliced_spans == expected_spans
    # the spans noted are right for the next edit too
    again = {site.articles[1].doi: b"  <again/>\n"}
    recipe, _ = splice_recipe(spliced_spans, again)
    assert _spliced(tmp_path, expected, recipe) == _made(site, render, {**parts, **new_parts, **again})[0]


def test_a_splice_copies_through_a_buffer_where_the_system_cannot_copy_between_the_files(tmp_path, site, monkeypatch):
    def refused(*_args, **_kwargs):
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(os, "copy_file_range", refused, raising=False)
    parts = dict(UnpackedFragments(collect_fragments(site, 1), "doaj"))
    before, spans = _made(site, render_doaj, parts)
    new_parts = {site.articles[2].doi: b"  <record/>\n"}
    recipe, _ = splice_recipe(spans, new_parts)
    assert _spliced(tmp_path, before, recipe) == _made(site, render_doaj, {**parts, **new_parts})[0]
