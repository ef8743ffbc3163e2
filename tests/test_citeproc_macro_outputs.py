"""A macro's output kept for the values it reads (citeproc_macro_outputs.remember_macro_outputs) is the
output citeproc-py renders: for entries that share them, for entries whose names have hidden a
variable, and for text whose case is protected (which citeproc-py lower-cases all the same
when it comes through a macro)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from citeproc import model
from conftest import write_files

from caseshelf.exports import citation_style, citeproc_macro_outputs, citeproc_patch_registry

STYLE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0" default-locale="en-US">
  <info><title>Kept macros</title><id>kept</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <macro name="author">
    <names variable="author"><name initialize-with=""/><substitute><text variable="title"/></substitute></names>
  </macro>
  <macro name="title"><text variable="title"/></macro>
  <macro name="journal"><text variable="container-title" font-style="italic"/></macro>
  <macro name="lower-title"><text macro="title" text-case="lowercase"/></macro>
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography>
    <layout>
      <group delimiter=" | ">
        <text macro="author"/>
        <text macro="title"/>
        <text macro="journal"/>
        <text macro="lower-title"/>
      </group>
    </layout>
  </bibliography>
</style>
"""

SMITH = [{"family": "Smith", "given": "Jane"}]
ITEMS = [
    # Entries with a type that is no text share the style tree as loaded, whatever their
    # variables. The second has no authors, so its title takes their place and is left out
    # where it was: what the title macro rendered for the first is not the second's.
    {"author": SMITH, "title": "DNA in Dogs", "type": None},
    {"title": "DNA in Dogs", "type": None},
    # Another language, another set of variables: another style tree. (Making a tree empties
    # the memos of citeproc_style_memos: the trees are made before the entries that reuse outputs.)
    {"author": SMITH, "title": "DNA in Cats", "language": "de"},
    {"author": SMITH, "title": "DNA in Cats"},
    # No names, same title and variables: citeproc-py renders no names and substitutes nothing.
    {"author": [], "title": "DNA in Cats"},
    {"author": SMITH, "title": "DNA in Cats"},
    # Case-protected text: the same letters, another output once lower-cased.
    {"author": SMITH, "title": '<span class="nocase">DNA</span> in Cats'},
]


def _citations(style_path: str) -> list[str]:
    citation_style.forget_loaded_styles()
    items = [{"id": f"i{n}", "type": "article-journal", "container-title": "J Cases", **item} for n, item in enumerate(ITEMS)]
    return [citation_style._format(style_path, json.dumps(item)) for item in items]


def test_kept_macro_outputs_are_what_citeproc_renders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    style_path = str(write_files(tmp_path, {"kept.csl": STYLE}) / "kept.csl")
    kept = _citations(style_path)
    assert sum(kept.reused for kept in citeproc_macro_outputs._kept_macros.values() if kept) > 0  # outputs were reused
    monkeypatch.setattr(model.Text, "render", citeproc_patch_registry.ORIGINALS[(model.Text, "render")])
    assert kept == _citations(style_path)
    assert kept[:2] == ["J Smith | DNA in Dogs | J Cases | dna in dogs", "DNA in Dogs | J Cases"]
    assert kept[3:5] == ["J Smith | DNA in Cats | J Cases | dna in cats", "DNA in Cats | J Cases | dna in cats"]
