"""Every module of the package can be imported on its own, as a maintainer reading one module
(or a tool, or a test of one stage) imports it: a cycle of imports that only works in the order
build.py happens to load them breaks the first time someone imports another module first."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import caseshelf

MODULES = sorted(module.name for module in pkgutil.walk_packages(caseshelf.__path__, "caseshelf.") if not module.name.endswith("__main__"))


def test_the_package_has_its_modules() -> None:
    assert {"caseshelf.render", "caseshelf.pages", "caseshelf.views", "caseshelf.exports.jats"} <= set(MODULES)


@pytest.mark.parametrize("chunk", [MODULES[start::4] for start in range(4)], ids=lambda chunk: chunk[0])
def test_each_module_imports_alone_in_a_fresh_interpreter(chunk: list[str]) -> None:
    # One interpreter per module (each must import with nothing loaded before it), run from a
    # script so that a few dozen of them take seconds, not a process start each from pytest.
    script = (
        "import subprocess, sys\n"
        "failed = [name for name in sys.argv[1:] if subprocess.run([sys.executable, '-c', 'import ' + name],"
        " capture_output=True).returncode]\n"
        "print(' '.join(failed))\n"
    )
    result = subprocess.run([sys.executable, "-c", script, *chunk], capture_output=True, text=True, check=True)
    assert result.stdout.split() == []
