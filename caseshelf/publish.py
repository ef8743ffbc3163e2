"""Files GitHub Pages reads from the site root: CNAME, for a custom domain.

The domain comes from `cname:` in journal.yaml or a `CNAME` file in content/ (the two must
agree). A branch-published site takes its custom domain from this file; a site deployed by the
Actions workflow ignores it and takes the domain from Settings -> Pages instead, which the
README says. Publishing the file anyway keeps both ways of publishing working.
"""

from __future__ import annotations

from pathlib import Path

from caseshelf.loading.fields import InvalidValue, parse_domain
from caseshelf.model import Journal
from caseshelf.problems import BuildFailed, Problem
from caseshelf.render import OutputFile

CNAME_FILE = "CNAME"

def publish_files(journal: Journal, source: Path) -> list[OutputFile]:
    """CNAME for the site root when a custom domain is configured; raises BuildFailed if it is invalid."""
    domain, origin = _configured_domain(journal, source)
    if domain is None:
        return []
    try:
        domain = parse_domain(domain)  # journal.yaml's was checked when it was loaded; the file's was not
    except InvalidValue as error:
        raise BuildFailed([Problem(origin, 0, "cname", str(error))]) from None
    return [OutputFile(CNAME_FILE, f"{domain}\n".encode("ascii"))]


def _configured_domain(journal: Journal, source: Path) -> tuple[str | None, str]:
    from_yaml = (journal.cname or "").strip().lower() or None
    cname_path = source / CNAME_FILE
    from_file = None
    if cname_path.is_file():
        lines = [line.strip() for line in cname_path.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip()]
        if len(lines) > 1:
            raise BuildFailed([Problem(CNAME_FILE, 2, "", "a CNAME file holds exactly one domain name")])
        from_file = lines[0].lower() if lines else None
    if from_yaml and from_file and from_yaml != from_file:
        raise BuildFailed([Problem(CNAME_FILE, 1, "", f"says {from_file!r} but journal.yaml's cname is {from_yaml!r}: keep one of them")])
    if from_yaml:
        return from_yaml, "journal.yaml"
    return from_file, CNAME_FILE
