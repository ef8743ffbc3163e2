"""Importers: bring an existing archive in from JATS XML, Crossref metadata and PubMed XML.

    reader (jats.py, crossref.py, pubmed.py): bytes -> [ImportedArticle | Unusable]
        (crossref.py hands JSON to crossref_json.py and XML to crossref_deposit.py)
    batch.py: per article, find an existing record by DOI and decide: write, update, skip
    records.py: ImportedArticle -> the text of a record file (YAML front matter + Markdown)
    command.py: the `import` subcommand (`add_import_parser`)

All XML goes through safexml.parse_xml (no entities, no DTDs, no network).
"""

from caseshelf.importers.command import add_import_parser, run_import

__all__ = ["add_import_parser", "run_import"]
