"""caseshelf: a static site generator for a journal's archive of case-report abstracts."""

__version__ = "0.1.0"
