"""Entry point: `python build.py [build|check|serve|import ...]`. See README.md."""
from caseshelf.cli import run

run()
