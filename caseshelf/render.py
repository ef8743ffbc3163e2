"""Stage 3: rendering pages, spread over worker processes that write straight into staging.

One Jinja environment per process: autoescaping on for every template (HTML and XML), undefined
names are errors rather than blanks, and template errors become problems naming the template
file and line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import markupsafe
from markupsafe import Markup

from caseshelf import urls
from caseshelf.problems import Problem
from caseshelf.progress import counted
from caseshelf.theme import Theme

if TYPE_CHECKING:  # imported for the annotations only: both import the exports, which use OutputFile
    from caseshelf.pages import Page
    from caseshelf.views import JournalView


@dataclass(frozen=True, slots=True)
class OutputFile:
    """One file of the built site: its path below the output directory and its bytes."""

    path: str
    content: bytes


#: markupsafe's escaping of a plain string without the Markup wrapping (which markupsafe 3 does
#: in Python); None when markupsafe no longer has it, and templates then keep markupsafe.escape.
_escape_str = getattr(markupsafe, "_escape_inner", None)


def escape_str(text: str) -> str:
    """`str(markupsafe.escape(text))` for a plain string, without making a Markup object: for
    markup written outside templates (an article's <head> tags)."""
    return _escape_str(text) if _escape_str is not None else str(markupsafe.escape(text))


def printed(value: Any) -> str:
    """What a template prints for `{{ value }}`: markupsafe.escape's text, made faster for
    plain strings and whole numbers, which are most of what pages print.

    Compiled templates call `escape` only where they print a value, and only join what it
    returns into the page (or into a `set` block's or a macro's output, which they wrap in
    Markup themselves). So the text is enough: markupsafe 3 would make each result a Markup
    object through `Markup.__new__`, a Python call that costs more than the escaping itself.
    Markup (a title's HTML, printed in every list of articles) is already safe: markupsafe
    would make a copy of it through its `__html__`. tests/test_render_escape.py checks both
    give the same text for every kind of value, and that safe values, set blocks and macros
    are escaped exactly once.
    """
    if type(value) is str:
        return _escape_str(value)
    if type(value) is Markup:
        return value
    if type(value) is int:  # reference and affiliation numbers, counts: 30 a page; only digits
        return str(value)
    return markupsafe.escape(value)


class _Template(jinja2.Template):
    """A template whose compiled code prints `{{ ... }}` through `printed` above.

    Compiled templates import `escape` into their own module namespace; replacing it there
    changes only this environment's templates, not Jinja. Skipped (markupsafe.escape stays)
    when Jinja or markupsafe no longer look the way this relies on.
    """

    @classmethod
    def from_code(cls, environment, code, globals, uptodate=None):  # noqa: ANN001, ANN206 - Jinja's signature
        template = super().from_code(environment, code, globals, uptodate)
        namespace = template.root_render_func.__globals__
        if _escape_str is not None and namespace.get("escape") is markupsafe.escape:
            namespace["escape"] = printed
        return template


class _Environment(jinja2.Environment):
    def make_globals(self, d):  # noqa: ANN001, ANN201 - Jinja's signature
        """The globals a template sees, as a plain dict instead of Jinja's ChainMap over the
        environment's: every page's context starts as a copy of them, and copying a ChainMap
        goes through Python code (4 µs a page, three pages an article). The ChainMap is there
        so that globals added to an environment later reach templates already loaded, and a
        build never adds any."""
        return dict(super().make_globals(d))


def make_environment(theme: Theme) -> jinja2.Environment:
    """An environment for one build: each template is read and compiled once, when first used.

    `auto_reload` is off because a build never sees a template change: without it, Jinja would
    stat the template file (and every template it extends or includes) again for each page.
    A rebuild (`serve`) makes a new environment, which reads the edited templates. A theme has
    a handful of templates, so they are kept in a plain dict (`cache_size=-1`) rather than an
    LRU cache that takes a lock and reorders itself on every lookup.
    """
    env = _Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in theme.template_dirs]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        cache_size=-1,
    )
    env.template_class = _Template
    env.filters["counted"] = counted  # `{{ page.total|counted("author") }}`: "1 author", "2 authors"
    return env


def render_page(env: jinja2.Environment, page: Page, journal: JournalView, view: Any = None) -> OutputFile:
    """The page as bytes; `view` is the page's view when the caller has already built it."""
    template = env.get_template(page.template)
    html = template.render(page=view if view is not None else page.build_view(), journal=journal, path=page.path)
    return OutputFile(urls.output_name(page.path), html.encode("utf-8"))


def is_template_error(error: Exception) -> bool:
    """Whether `error` is the template's own: one of Jinja's, or any other raised while a
    template was rendering (`{{ 1 // 0 }}`, a filter given what it cannot take), which Jinja
    shows by putting the template's lines on its traceback. An error raised before any
    template ran is caseshelf's, left to its traceback."""
    return isinstance(error, jinja2.TemplateError) or bool(_template_lines(error))


def template_problem(error: Exception, template_name: str, theme: Theme) -> Problem:
    """A template error as `templates/x.html:12: template error in your override of the
    default theme's x.html: message`, without a Python traceback. The file is named as the
    editor finds it and said to be theirs or the default theme's: both have a
    `templates/x.html`, and only theirs is theirs to fix."""
    lines = _template_lines(error)
    if not lines:  # a template not found, named by the template asking for it
        return Problem(template_name, 0, "", f"template error: {_message(error)}")
    path, line = lines[-1]
    return Problem(theme.template_shown_as(path), line, "", f"template error{_whose(theme, lines)}: {_message(error)}")


def _template_lines(error: Exception) -> list[tuple[Path, int]]:
    """The template files and lines that `error` was raised in, outermost first: where a
    syntax error is, or the lines that were rendering. Jinja rewrites the traceback of an
    error raised while rendering so that its frames in templates carry the template's file
    name and line; a template that includes or extends another may have raised it in the
    other."""
    if isinstance(error, jinja2.TemplateSyntaxError) and error.filename:
        return [(Path(error.filename), error.lineno)]
    lines = []
    traceback = error.__traceback__
    while traceback is not None:
        filename = traceback.tb_frame.f_code.co_filename
        if not filename.endswith(".py") and Path(filename).is_file():
            lines.append((Path(filename), traceback.tb_lineno))
        traceback = traceback.tb_next
    return lines


def _whose(theme: Theme, lines: list[tuple[Path, int]]) -> str:
    """Whose template failed: the site's own, an override or not; or the default theme's, and
    which line of the site's own reached it (its home.html including the default
    article_list.html without the `articles` it lists)."""
    path = lines[-1][0]
    if theme.is_own_template(path):
        name = path.relative_to(theme.own_templates).as_posix()
        return f" in your override of the default theme's {name}" if theme.overrides_default(path) else " in your own template"
    own = [(own_path, line) for own_path, line in lines if theme.is_own_template(own_path)]
    if not own:
        return ""
    own_path, line = own[-1]
    return f" (reached from your {theme.template_shown_as(own_path)}:{line})"


def _message(error: Exception) -> str:
    if not isinstance(error, jinja2.TemplateError):  # `ZeroDivisionError: integer division or modulo by zero`
        return f"{type(error).__name__}: {error}"
    message = error.message or str(error)
    if isinstance(error, jinja2.UndefinedError):
        # "'caseshelf.views.ArticlePage object' has no attribute 'titel'" names a Python class.
        message += " (the names each page's template can use are listed in caseshelf/views.py)"
    return message
