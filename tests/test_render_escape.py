"""Templates print values through caseshelf.render.printed, a faster markupsafe.escape: it must
give the same text for every kind of value, escape exactly once, and the environment must really
use it (else the speed-up has silently gone after a Jinja or markupsafe upgrade)."""

from __future__ import annotations

from pathlib import Path

import markupsafe
import pytest
from markupsafe import Markup

from caseshelf.render import escape_str, make_environment, printed
from caseshelf.theme import Theme


class _HasHtml:
    def __html__(self) -> str:
        return "<b>safe</b>"


class _StrSubclass(str):
    pass


VALUES = [
    "",
    "plain text",
    "<script>alert('x') & \"y\"</script>",
    "Ю. А. Смирнова & José Núñez <i>",
    Markup("<em>already safe</em>"),
    _StrSubclass("<sub> & 'quoted'"),
    _HasHtml(),
    12,
    0,
    -7,
    10**30,
    3.5,
    None,
    True,
    ("a", "<b>"),
]


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_printed_is_markupsafe_escapes_text(value):
    assert printed(value) == str(markupsafe.escape(value))


def _environment(tmp_path: Path, templates: dict[str, str]):
    for name, text in templates.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return make_environment(Theme(template_dirs=(tmp_path,), static_dirs=()))


def test_templates_print_through_printed(tmp_path):
    env = _environment(tmp_path, {"base.html": "<p>{% block main %}{% endblock %}</p>", "page.html": '{% extends "base.html" %}{% block main %}{{ text }}{% endblock %}'})
    template = env.get_template("page.html")
    assert template.root_render_func.__globals__["escape"] is printed
    assert env.get_template("base.html").root_render_func.__globals__["escape"] is printed
    assert template.render(text="<b> & 'x'", path="") == "<p>&lt;b&gt; &amp; &#39;x&#39;</p>"


def test_safe_values_and_set_blocks_are_not_escaped_twice(tmp_path):
    env = _environment(tmp_path, {"page.html": "{% set link %}<a>{{ text }}</a>{% endset %}{{ html }}|{{ link }}|{{ link }}"})
    html = env.get_template("page.html").render(text="x & y", html=Markup("<i>ok</i>"))
    assert html == "<i>ok</i>|<a>x &amp; y</a>|<a>x &amp; y</a>"


def test_macros_calls_and_joins_escape_once(tmp_path):
    templates = {
        "macros.html": "{% macro em(v) %}<em>{{ v }}</em>{% endmacro %}",
        "page.html": (
            '{% from "macros.html" import em %}{% macro box() %}<div>{{ caller() }}</div>{% endmacro %}'
            "{{ em(text) }}|{% call box() %}{{ em(text) }}{{ text }}{% endcall %}|{{ text ~ html }}|{{ em(html) }}|{{ text|e }}"
        ),
    }
    html = _environment(tmp_path, templates).get_template("page.html").render(text="x & <y>", html=Markup("<i>ok</i>"))
    assert html == (
        "<em>x &amp; &lt;y&gt;</em>|<div><em>x &amp; &lt;y&gt;</em>x &amp; &lt;y&gt;</div>"
        "|x &amp; &lt;y&gt;<i>ok</i>|<em><i>ok</i></em>|x &amp; &lt;y&gt;"
    )


@pytest.mark.parametrize("value", [value for value in VALUES if type(value) is str])
def test_escape_str_is_markupsafe_escape_as_a_plain_string(value: str) -> None:
    assert escape_str(value) == str(markupsafe.escape(value))
    assert type(escape_str(value)) is str
