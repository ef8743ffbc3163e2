"""Files GitHub Pages reads from the site root: CNAME, for a custom domain.

The domain comes from `cname:` in journal.yaml or a `CNAME` file in content/ (the two must
agree). A branch-published site takes its custom domain from this file; a site deployed by the
Actions workflow ignores it and takes the domain from Settings -> Pages instead, which the
README says. Publishing the file anyway keeps both ways of publishing working.
"""

from __future__ import annotations

from caseshelf.loading.journal import CNAME_FILE
from caseshelf.model import Journal
from caseshelf.render import OutputFile


def publish_files(journal: Journal) -> list[OutputFile]:
    """CNAME for the site root when a custom domain is configured (checked when journal.yaml
    was loaded: see loading.journal)."""
    if journal.cname is None:
        return []
    return [OutputFile(CNAME_FILE, f"{journal.cname}\n".encode("ascii"))]
