"""Markdown for untrusted text: abstracts, titles and the journal description.

`js-default` disables raw HTML (a `<script>` in an abstract is shown as text) and markdown-it's
link validation drops `javascript:`, `vbscript:`, `file:` and non-image `data:` links.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.common.normalize_url import validateLink as markdown_it_allows
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from markupsafe import Markup

from caseshelf.plain_markdown import plain_tokens


#: The scheme at the start of a link (`https:`), where markdown-it leaves it.
_URL_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    md = MarkdownIt("js-default", {"typographer": False})
    # A structured abstract's sections (Background, Case presentation...) sit under the page's
    # <h2>Abstract</h2>, so every heading in it becomes an <h3> whatever level the editor typed.
    md.add_render_rule("heading_open", _section_heading)
    md.add_render_rule("heading_close", _section_heading)
    md.add_render_rule("image", _image_with_alt_text)
    md.validateLink = _is_allowed_link
    return md


#: The schemes a link in an abstract may have. markdown-it drops only javascript:, vbscript:,
#: file: and data: (but images'); any other scheme (ms-msdt:, search-ms:, intent:...) asks the
#: reader's system to start a program when the link is clicked.
_LINK_SCHEMES = frozenset(("http", "https", "mailto"))


def _is_allowed_link(url: str) -> bool:
    """A link without a scheme (a path on the site), an http(s) or mailto: link, or an image
    as inline data that markdown-it lets through."""
    scheme = _URL_SCHEME.match(url.strip())
    if scheme is None:
        return True
    name = scheme.group(1).lower()
    return name in _LINK_SCHEMES or (name == "data" and markdown_it_allows(url))


@lru_cache(maxsize=1)
def _title_markdown() -> MarkdownIt:
    """Titles are shown inside links (tables of contents) and headings: no links or images in
    them (a nested <a> breaks the list; an image would load from another host). Link syntax
    stays visible as text."""
    return MarkdownIt("js-default", {"typographer": False}).disable(["link", "image", "autolink"])


# The two rules below render from the tokens `parse_block` shares with other readers, so they
# change a copy of the token: markdown-it's own rules (renaming a heading, the image's alt text)
# change the token itself.


def _section_heading(self, tokens, idx, options, env):  # noqa: ANN001 - markdown-it's signature
    return self.renderToken(_replaced(tokens, idx, tokens[idx].copy(tag="h3")), idx, options, env)


def _image_with_alt_text(self, tokens, idx, options, env):  # noqa: ANN001 - markdown-it's signature
    """markdown-it's image rule: the alt attribute is the image's description as plain text.

    An image on another host becomes a link to it: shown in the page, it would be fetched from
    that host by every reader (a record could count and follow them, and the site would not
    work offline, see README "Changing the look")."""
    image = tokens[idx]
    alt = self.renderInlineAsText(image.children or [], options, env)
    source = str(image.attrGet("src") or "")
    if _is_on_another_host(source):
        text = escapeHtml(alt or source)
        # Inside a link already (`[![alt](image)](page)`): a link in a link would break both.
        return text if _is_inside_link(tokens[:idx]) else f'<a href="{escapeHtml(source)}">{text}</a>'
    return self.renderToken(_replaced(tokens, idx, image.copy(attrs={**image.attrs, "alt": alt})), idx, options, env)


def _is_on_another_host(source: str) -> bool:
    """`https://...`, `//host/...` or any other scheme but `data:` (which markdown-it lets
    through for images only as inline PNG, GIF, JPEG or WebP, fetched from nowhere)."""
    scheme = _URL_SCHEME.match(source)
    return source.startswith("//") or (scheme is not None and scheme.group(1).lower() != "data")


def _is_inside_link(before: Sequence[Token]) -> bool:
    opened = sum(1 for token in before if token.type == "link_open")
    return opened > sum(1 for token in before if token.type == "link_close")


def _replaced(tokens: Sequence[Token], idx: int, token: Token) -> list[Token]:
    changed = list(tokens)
    changed[idx] = token
    return changed


def render_block(text: str) -> Markup:
    """Block Markdown (the abstract) to safe HTML, from the tokens its exports parsed."""
    tokens = parse_block(text)
    html = _plain_html(tokens)
    if html is None:
        md = _markdown()
        html = md.renderer.render(tokens, md.options, {})
    return Markup(html)


# What markdown-it's renderer, with the rules above, writes for the tokens of a plain abstract
# (`plain_markdown`): paragraphs, headings (as <h3>), text, line breaks in a paragraph, italics.
_PLAIN_BLOCK_TAGS = {"paragraph_open": "<p>", "paragraph_close": "</p>\n", "heading_open": "<h3>", "heading_close": "</h3>\n"}
_PLAIN_INLINE_TAGS = {"softbreak": "\n", "em_open": "<em>", "em_close": "</em>"}


def _plain_html(tokens: Sequence[Token]) -> str | None:
    """The HTML of tokens of those kinds only, written directly: a fifth of the renderer's time,
    which looks up a rule for each token and copies the token list for each heading. None for
    tokens of any other kind (or with attributes), which the renderer renders."""
    parts = []
    for token in tokens:
        if token.type == "inline":
            for child in token.children or ():
                if child.type == "text":
                    parts.append(escapeHtml(child.content))
                elif child.type in _PLAIN_INLINE_TAGS and not child.attrs:
                    parts.append(_PLAIN_INLINE_TAGS[child.type])
                else:
                    return None
        elif token.type in _PLAIN_BLOCK_TAGS and not token.attrs and not token.hidden:
            parts.append(_PLAIN_BLOCK_TAGS[token.type])
        else:
            return None
    return "".join(parts)


#: Characters that can start inline Markdown syntax or an entity; a title without any of them
#: renders as its escaped text, which skips the parser for the vast majority of titles.
_INLINE_SYNTAX = frozenset("*_`[]<>&\\!~^=|\n")


def render_inline(text: str) -> Markup:
    """Inline Markdown (a title: italics, bold, code) to safe HTML, without a paragraph."""
    if _INLINE_SYNTAX.isdisjoint(text):
        return Markup.escape(text)
    return Markup(_title_markdown().renderInline(text))


#: A title without these is one text token for markdown-it (which also turns \r and NUL into
#: other characters), so its plain text is the title itself, stripped.
_PLAIN_SYNTAX = _INLINE_SYNTAX | frozenset("\r\0")


def plain_text(text: str) -> str:
    """Inline Markdown (a title) as plain text, for <title>, meta tags and exports."""
    if _PLAIN_SYNTAX.isdisjoint(text):
        return text.strip()
    return _plain(_title_markdown().parseInline(text))


@lru_cache(maxsize=64)
def parse_block(text: str) -> tuple[Token, ...]:
    """Block Markdown's tokens, parsed once for every reader of an abstract (its page, its plain
    text, its JATS). Read-only: shared by every caller. An abstract's readers come
    one after the other, so few are kept: keeping every abstract's tokens cost each worker
    10 KiB per article (50 MB at 10,000 articles) for nothing. Plain abstracts (paragraphs,
    headings and italic words only) get their tokens without the parser, see `plain_markdown`."""
    tokens = plain_tokens(text)
    return tuple(tokens if tokens is not None else _markdown().parse(text))


def block_plain_text(text: str) -> str:
    """Block Markdown as plain text paragraphs (headings kept as lines), for exports and search."""
    lines = [_plain([token]) for token in parse_block(text) if token.type == "inline"]
    return "\n\n".join(line for line in lines if line)


def _plain(inline_tokens: list[Token]) -> str:
    parts: list[str] = []
    for token in inline_tokens:
        for child in token.children or []:
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
            elif child.type == "image":
                parts.append(child.content)  # the alt text
            elif child.type in ("softbreak", "hardbreak"):
                parts.append(" ")
    return "".join(parts).strip()
