"""Markdown (titles, abstracts) as JATS elements: italics stay <italic>, abstract headings
become <sec> with a <title>, lists become <list>.

Parsed with markdown-it's `js-default` preset, like the pages, so raw HTML is text here too and
`javascript:` links never become links. The elements are `TextElement`s, written as text:
as they are in article.jats.xml, with the `jats:` prefix in the Crossref deposit.
"""

from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from caseshelf.exports.xml import TextElement
from caseshelf.markdown import parse_block

#: The link attribute, with the prefix the files declare on their root (JATS and Crossref both).
_HREF = "xlink:href"

_INLINE_TAGS = {"em_open": "italic", "strong_open": "bold", "s_open": "strike", "link_open": "ext-link"}
_BLOCK_TAGS = {
    "paragraph_open": ("p", ()),
    "bullet_list_open": ("list", (("list-type", "bullet"),)),
    "ordered_list_open": ("list", (("list-type", "order"),)),
    "list_item_open": ("list-item", ()),
    "blockquote_open": ("disp-quote", ()),
    "tr_open": ("p", ()),  # a table row of an abstract becomes a line of text
}
_BLOCK_CLOSES = {name.replace("_open", "_close") for name in _BLOCK_TAGS}


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    return MarkdownIt("js-default")


_MARKDOWN_SIGNS = frozenset("*_`[]<>!\\&~")


def append_inline(parent: TextElement, markdown: str) -> None:
    """Inline Markdown (a title) appended to `parent` as JATS inline content."""
    if _MARKDOWN_SIGNS.isdisjoint(markdown) and "\n" not in markdown:  # most titles: no parser needed
        parent.add_text(markdown.strip())
        return
    for token in _markdown().parseInline(markdown):
        _append_inline_tokens(parent, token.children or [])


def append_blocks(root: TextElement, markdown: str) -> None:
    """Block Markdown (an abstract) appended to `root` (an <abstract>): paragraphs first, then
    one <sec> per heading, as the Publishing tag set requires of abstracts."""
    stack = [root]
    for token in parse_block(markdown):  # shared with the plain text exports
        kind = token.type
        if kind == "heading_open":
            del stack[1:]  # abstract sections are flat, whatever the heading level
            section = root.add("sec")
            stack += [section, section.add("title")]
        elif kind == "heading_close":
            stack.pop()
        elif kind in _BLOCK_TAGS:
            tag, attributes = _BLOCK_TAGS[kind]
            stack.append(_block_parent(stack, root, tag).add(tag, None, attributes))
        elif kind in _BLOCK_CLOSES:
            stack.pop()
            if _is_wrapper(stack):
                stack.pop()
        elif kind in ("code_block", "fence"):
            _block_parent(stack, root, "preformat").add("preformat", token.content.rstrip("\n"))
            if _is_wrapper(stack):
                stack.pop()
        elif kind in ("th_open", "td_open") and stack[-1].has_content():
            stack[-1].add_text(" | ")
        elif kind == "inline":
            _append_inline_tokens(stack[-1], token.children or [])


def _block_parent(stack: list[TextElement], root: TextElement, tag: str) -> TextElement:
    """Directly in an <abstract> only <p> is allowed: other blocks are wrapped in one."""
    if stack[-1] is root and tag != "p":
        stack.append(root.add("p"))
    return stack[-1]


def _is_wrapper(stack: list[TextElement]) -> bool:
    """Whether the top of the stack is a wrapper `_block_parent` made. Each element on the stack
    is a child of the one below it, so one right above the root is the root's child. Markdown
    paragraphs never hold blocks, so a <p> of the root holding a block can only be a wrapper.
    (Elements know no parent: a tree without cycles is freed as soon as it is written.)"""
    if len(stack) != 2 or stack[1].tag != "p":
        return False
    last = stack[1].last_element()
    return last is not None and last.tag != "p"


def _append_inline_tokens(parent: TextElement, tokens: list[Token]) -> None:
    stack = [parent]
    for token in tokens:
        kind = token.type
        if kind == "text":
            stack[-1].add_text(token.content)
        elif kind in ("softbreak", "hardbreak"):
            stack[-1].add_text(" ")
        elif kind == "code_inline":
            stack[-1].add("monospace", token.content)
        elif kind == "image":
            stack[-1].add_text(token.content)
        elif kind in _INLINE_TAGS:
            link = (("ext-link-type", "uri"), (_HREF, str(token.attrGet("href") or ""))) if kind == "link_open" else ()
            stack.append(stack[-1].add(_INLINE_TAGS[kind], None, link))
        elif kind.endswith("_close") and len(stack) > 1:
            stack.pop()
