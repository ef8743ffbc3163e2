"""A style tree kept for one item type and one set of variables (citeproc_style_tree.specialise_style)
cites every such entry as the style as written does, through citeproc-py, for a style made of
the awkward cases: tests of type and variables mixed with others, each `match`, branches with no
test, and a <group> that shows or hides itself by whether a <choose> in it could render a
variable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from citeproc.source.json import CiteProcJSON

from caseshelf.exports import citation_style, citeproc_style_tree

CHOICES = """
<macro name="kind">
  <choose>
    <if type="book chapter"><text value="book-like"/></if>
    <else-if type="article-journal" variable="DOI"><text value="journal with DOI"/></else-if>
    <else-if type="article-journal webpage" match="any" variable="URL"><text value="online"/></else-if>
    <else-if type="thesis" match="none" variable="publisher"><text value="no thesis, no publisher"/></else-if>
    <else-if type="report article-journal"><text value="never both"/></else-if>
    <else-if type="" variable="genre"><text variable="genre"/></else-if>
    <else-if match="any" type="report"/>
    <else><text value="other"/></else>
  </choose>
</macro>
<macro name="no-else">
  <choose>
    <if type="WebPage"><text variable="URL"/></if>
    <else-if match="none" type="article-journal book"><text value="not journal, not book"/></else-if>
    <else-if variable="publisher-place"><text variable="publisher-place"/></else-if>
    <else-if variable="archive" is-numeric="volume"><text value="archived, numbered"/></else-if>
    <else-if variable="volume locator" match="any"><text value="volume or locator"/></else-if>
  </choose>
</macro>
<macro name="no-test">
  <choose>
    <if match="any"><text value="any of nothing"/></if>
    <else-if match="none"><text value="none of nothing"/></else-if>
  </choose>
</macro>
<macro name="group-by-variables">
  <!-- The group is shown when a child that could render a variable did: a branch of this
       choose, even one never taken for the type, makes the term count as one. -->
  <group delimiter=" / ">
    <choose>
      <if type="book"><text variable="publisher"/></if>
      <else><text term="in"/></else>
    </choose>
    <text variable="archive"/>
  </group>
</macro>
<macro name="nested">
  <choose>
    <if type="article-journal chapter" match="any">
      <choose>
        <if type="chapter"><text value="chapter inside"/></if>
        <else-if is-numeric="volume" type="article-journal"><text value="numbered volume"/></else-if>
        <else><text value="journal inside"/></else>
      </choose>
    </if>
  </choose>
</macro>
"""

STYLE = f"""<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0" default-locale="en-US">
  <info><title>Choices</title><id>choices</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  {CHOICES}
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography>
    <layout delimiter=" | ">
      <text macro="kind"/>
      <text macro="no-else" prefix="[" suffix="]"/>
      <text macro="no-test"/>
      <text macro="group-by-variables"/>
      <text macro="nested"/>
      <text variable="title"/>
    </layout>
  </bibliography>
</style>
"""

TYPES = ("article-journal", "book", "chapter", "webpage", "thesis", "report", "dataset", "Book", "")
EXTRAS = (
    {},
    {"DOI": "10.5555/1"},
    {"URL": "https://example.org/1", "publisher": "Medica"},
    {"genre": "Preprint", "volume": "12"},
    {"volume": "XII", "archive": "Archive A", "publisher": "Medica"},
    {"publisher-place": "Kazan", "archive": "Archive B", "volume": "7"},
)


def _items() -> list[str]:
    items = []
    for number, (kind, extra) in enumerate((kind, extra) for kind in TYPES for extra in EXTRAS):
        item = {"id": f"item-{number}", "type": kind, "title": f"Title {number}", **extra}
        items.append(json.dumps(item, sort_keys=True))
    return items


def _citations(style_path: str) -> list[str]:
    citation_style.forget_loaded_styles()
    return [citation_style._format(style_path, item) for item in _items()]


@pytest.fixture
def style_path(tmp_path: Path) -> str:
    path = tmp_path / "choices.csl"
    path.write_text(STYLE, "utf-8")
    return str(path)


def test_a_style_kept_for_one_kind_of_entry_cites_as_the_style_as_written(style_path, monkeypatch) -> None:
    specialised = _citations(style_path)
    monkeypatch.setattr(citeproc_style_tree, "ENTRY_PREPARATIONS", ())
    as_written = _citations(style_path)
    assert specialised == as_written
    # The style's choices are all made: the check compares something.
    assert len(set(as_written)) > len(TYPES)


def _first_branches(style_path: str, extra: dict) -> list[tuple[str, dict, list[str]]]:
    """The first two branches of the tree kept for an article-journal entry with `extra`: tag,
    attributes, and the values of the <text>s in it."""
    item = {"id": "x", "type": "article-journal", "title": "T", **extra}
    (reference,) = CiteProcJSON([item]).values()
    fingerprint = citation_style.style_fingerprint(style_path)
    style = citation_style._style_for_reference(style_path, fingerprint, reference)
    (kind,) = style.root.xpath("//cs:macro[@name='kind']/cs:choose", namespaces={"cs": citeproc_style_tree.CSL[1:-1]})
    return [
        (branch.tag.split("}")[1], dict(branch.attrib), [text.get("value") for text in branch]) for branch in kind
    ][:2]


def test_what_the_type_and_variables_decide_is_decided_once(style_path) -> None:
    citation_style.forget_loaded_styles()
    # With a DOI, the second branch of "kind" is always taken; the first is never.
    assert _first_branches(style_path, {"DOI": "10.5555/1"}) == [
        ("else", {}, ["journal with DOI"]),
        ("if", {"type": "book chapter"}, ["book-like"]),
    ]
    # Without one, the URL branch (type matches, match="any") is.
    assert _first_branches(style_path, {})[0] == ("else", {}, ["online"])
