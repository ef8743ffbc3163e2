"""What the browser side of live reload needs: the script, its tag in HTML responses, the event
stream's messages, and the pages shown before any build has succeeded.

The script tag is added to HTML at serve time only (MkDocs does the same; Zola's mistake was to
inject it in the renderer), so nothing of the preview ever reaches the built site.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from caseshelf.serve.preview import SiteState

#: The server's own URLs, outside any base path a site is likely to have.
PREFIX = "/__caseshelf__/"
SCRIPT_URL = PREFIX + "livereload.js"
EVENTS_URL = PREFIX + "events"

SCRIPT = (Path(__file__).parent / "livereload.js").read_bytes()


def script_tag(state: SiteState) -> bytes:
    return (
        f'<script src="{SCRIPT_URL}" data-events="{EVENTS_URL}" '
        f'data-site="{html.escape(state.site)}" defer></script>\n'
    ).encode()


def inject(page: bytes, state: SiteState) -> bytes:
    """The page with the live-reload script before its last `</body>` (or at the end)."""
    tag = script_tag(state)
    at = page.lower().rfind(b"</body")
    return page + tag if at < 0 else page[:at] + tag + page[at:]


def event_message(state: SiteState) -> bytes:
    """One server-sent event carrying the state the script acts on."""
    data = {"site": state.site, "css_only_from": state.css_only_from, "problems": list(state.problems)}
    return b"data: " + json.dumps(data, ensure_ascii=True).encode() + b"\n\n"


def status_page(state: SiteState) -> bytes:
    """Shown for every URL until a first build succeeds: building, or the problems to fix."""
    if state.problems:
        title = "The build failed"
        body = (
            "<p>Fix these problems and save; this page reloads by itself.</p>\n<pre>"
            + html.escape("\n".join(state.problems))
            + "</pre>"
        )
    else:
        title = "Building the site…"
        body = "<p>This page reloads by itself when the first build is ready.</p>"
    page = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title} | caseshelf preview</title>\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<style>body{font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem}"
        "pre{white-space:pre-wrap;background:#fbeaea;border-left:4px solid #8b1a1a;padding:1rem}</style>\n"
        f"</head>\n<body>\n<main>\n<h1>{title}</h1>\n{body}\n</main>\n</body>\n</html>\n"
    )
    return inject(page.encode(), state)
