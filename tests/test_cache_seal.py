"""The build cache is pickles, and unpickling runs code: only caches this user's builds sealed
are opened (caseshelf/cache_seal.py). A hostile pickle here makes a folder when unpickled, what
a cache committed to a journal's repository could do instead."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest
from test_security import ARTICLE, JOURNAL

from caseshelf.cache import CACHE_DIR, CACHE_FORMAT
from caseshelf.cli import main
from caseshelf.pipeline import forget_kept_caches
from conftest import write_files


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A one-article journal."""
    write_files(tmp_path, {"content/journal.yaml": JOURNAL, "content/articles/t.md": ARTICLE})
    return tmp_path


class _RunsCode:
    """A pickle that makes a folder when unpickled: what a hostile cache file could do instead."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (os.mkdir, (str(self.marker),))


def hostile_pickle(marker: Path) -> bytes:
    return pickle.dumps(_RunsCode(marker))


def test_a_cache_that_came_with_the_project_is_never_unpickled(project, capsys):
    """A `.caseshelf-cache/` committed to the repository (or unpacked with it) ran its code on
    the first `python build.py` of whoever cloned it."""
    marker = project / "code-ran"
    cache = project / CACHE_DIR
    cache.mkdir()
    for name in ("build-v{}.pickle", "records-v{}-0.pickle", "fragments-v{}-0.pickle"):
        (cache / name.format(CACHE_FORMAT)).write_bytes(hostile_pickle(marker))
    assert build_verbosely(project) == 0
    assert "its files are not the ones your last build saved" in "".join(capsys.readouterr())
    assert not marker.exists()
    (project / "content/articles/t.md").write_text(ARTICLE.replace("Text.", "Edited."), encoding="utf-8")
    forget_kept_caches()
    assert build_verbosely(project) == 0
    assert "the others unchanged" in "".join(capsys.readouterr()), "the cache its own build made is used"


def build_verbosely(project: Path) -> int:
    return main(["build", "--source", str(project / "content"), "--output", str(project / "_site"), "--no-search", "-v"])


def test_a_pickle_added_to_the_cache_later_is_never_unpickled(project, capsys):
    """`git pull` of a commit adding cache files, into a cache the user's builds made."""
    assert build_verbosely(project) == 0
    marker = project / "code-ran"
    (project / CACHE_DIR / f"build-v{CACHE_FORMAT}.pickle").write_bytes(hostile_pickle(marker))
    (project / "content/articles/t.md").write_text(ARTICLE.replace("Text.", "Edited."), encoding="utf-8")
    forget_kept_caches()  # read from disk, as the next `python build.py` does
    capsys.readouterr()
    assert build_verbosely(project) == 0
    assert "its files are not the ones your last build saved" in "".join(capsys.readouterr())
    assert not marker.exists()
