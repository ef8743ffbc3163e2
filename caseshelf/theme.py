"""Where templates and static files come from: the user's own files over the default theme.

The default theme is `templates/` and `static/` at the top of the caseshelf repository (packaged
inside the wheel as `caseshelf/theme/`). A site's own `templates/` and `static/` directories,
next to its content directory, override it file by file: a file with the same relative name wins.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from caseshelf.problems import display_path

_PACKAGE = Path(__file__).resolve().parent


def default_theme_root() -> Path:
    packaged = _PACKAGE / "theme"
    return packaged if (packaged / "templates").is_dir() else _PACKAGE.parent


@dataclass(frozen=True, slots=True)
class Theme:
    template_dirs: tuple[Path, ...]
    """Searched in order: the user's first, then the default theme."""
    static_dirs: tuple[Path, ...]
    own_templates: Path | None = None
    """The site's own templates folder, when it has one (then the first of `template_dirs`)."""

    def static_files(self) -> dict[str, Path]:
        """Relative name -> file to copy; the user's file wins.

        Symlinks are skipped (rglob does not descend into linked directories either), so nothing
        outside the theme directories can be published by accident.
        """
        chosen: dict[str, Path] = {}
        for directory in reversed(self.static_dirs):
            for path in sorted(directory.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    chosen[path.relative_to(directory).as_posix()] = path
        return chosen

    def is_own_template(self, path: Path) -> bool:
        """Whether the template file `path` is the site's own, not the default theme's."""
        return self.own_templates is not None and path.is_relative_to(self.own_templates)

    def overrides_default(self, path: Path) -> bool:
        """Whether the site's own template `path` stands for a default theme's file of its name."""
        name = path.relative_to(self.own_templates)
        return any((directory / name).is_file() for directory in self.template_dirs[1:])

    def template_shown_as(self, path: Path) -> str:
        """How an error names a template file: the site's own as the editor finds it in the
        project folder (`templates/article.html`); the default theme's said to be so
        (`the default theme's templates/article.html`), as it is not in their project."""
        if self.is_own_template(path):
            return display_path(path, self.own_templates.parent)
        for directory in self.template_dirs:
            if path.is_relative_to(directory):
                return f"the default theme's templates/{path.relative_to(directory).as_posix()}"
        return display_path(path, Path.cwd())

    def fingerprint(self) -> str:
        """Changes whenever any template changes: part of every cached page's key."""
        digest = hashlib.sha256()
        for directory in self.template_dirs:
            for path in sorted(directory.rglob("*")):
                if path.is_file():
                    digest.update(path.relative_to(directory).as_posix().encode())
                    digest.update(path.read_bytes())
        return digest.hexdigest()


def project_folder(source: Path) -> Path:
    """The folder holding the content directory: the journal's project, with its templates,
    static files and build cache."""
    return source.resolve().parent


def is_in_project(path: Path, source: Path) -> bool:
    """Whether `path`, links followed, is inside the project of the content folder `source`."""
    return path.resolve().is_relative_to(project_folder(source))


def user_theme_dirs(source: Path) -> tuple[Path, Path]:
    """Where a site's own templates and static files are looked for, whether there or not."""
    project = project_folder(source)
    return project / "templates", project / "static"


def find_theme(source: Path) -> Theme:
    default = default_theme_root()
    own_templates, own_static = user_theme_dirs(source)
    template_dirs = [default / "templates"]
    static_dirs = [default / "static"]
    has_own_templates = own_templates.is_dir() and own_templates.resolve() != template_dirs[0].resolve()
    if has_own_templates:
        template_dirs.insert(0, own_templates)
    if own_static.is_dir() and own_static.resolve() != static_dirs[0].resolve():
        static_dirs.insert(0, own_static)
    return Theme(tuple(template_dirs), tuple(d for d in static_dirs if d.is_dir()), own_templates if has_own_templates else None)
