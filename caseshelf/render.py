"""Stage 3: rendering pages, spread over worker processes that write straight into staging.

One Jinja environment per process: autoescaping on for every template (HTML and XML), undefined
names are errors rather than blanks, and template errors become problems naming the template
file and line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from caseshelf import urls
from caseshelf.pages import Page
from caseshelf.problems import Problem
from caseshelf.theme import Theme
from caseshelf.views import JournalView


@dataclass(frozen=True, slots=True)
class OutputFile:
    """One file of the built site: its path below the output directory and its bytes."""

    path: str
    content: bytes


def make_environment(theme: Theme) -> jinja2.Environment:
    """An environment for one build: each template is read and compiled once, when first used.

    `auto_reload` is off because a build never sees a template change: without it, Jinja would
    stat the template file (and every template it extends or includes) again for each page.
    A rebuild (`serve`) makes a new environment, which reads the edited templates.
    """
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in theme.template_dirs]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )


def render_page(env: jinja2.Environment, page: Page, journal: JournalView, view: Any = None) -> OutputFile:
    """The page as bytes; `view` is the page's view when the caller has already built it."""
    template = env.get_template(page.template)
    html = template.render(page=view if view is not None else page.build_view(), journal=journal, path=page.path)
    return OutputFile(str(urls.output_file(page.path)), html.encode("utf-8"))


def template_problem(error: jinja2.TemplateError, template_name: str) -> Problem:
    """A template error as `templates/x.html:12: message`, without a Python traceback."""
    filename = getattr(error, "filename", None) or template_name
    line = getattr(error, "lineno", None) or 0
    return Problem(_short(filename), line, "", f"template error: {error.message or error}")


def _short(filename: str) -> str:
    path = Path(filename)
    return f"{path.parent.name}/{path.name}" if path.parent.name else path.name
