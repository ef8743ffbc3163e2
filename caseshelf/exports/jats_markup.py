"""Markdown (titles, abstracts) as JATS elements: italics stay <italic>, abstract headings
become <sec> with a <title>, lists become <list>.

Parsed with markdown-it's `js-default` preset, like the pages, so raw HTML is text here too and
`javascript:` links never become links.
"""

from __future__ import annotations

from functools import lru_cache

from lxml import etree
from markdown_it import MarkdownIt
from markdown_it.token import Token

from caseshelf.exports.xml import append_text, sub
from caseshelf.markdown import parse_block

XLINK_HREF = "{http://www.w3.org/1999/xlink}href"

_INLINE_TAGS = {"em_open": "italic", "strong_open": "bold", "s_open": "strike", "link_open": "ext-link"}
_BLOCK_TAGS = {
    "paragraph_open": ("p", {}),
    "bullet_list_open": ("list", {"list-type": "bullet"}),
    "ordered_list_open": ("list", {"list-type": "order"}),
    "list_item_open": ("list-item", {}),
    "blockquote_open": ("disp-quote", {}),
    "tr_open": ("p", {}),  # a table row of an abstract becomes a line of text
}
_BLOCK_CLOSES = {name.replace("_open", "_close") for name in _BLOCK_TAGS}


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    return MarkdownIt("js-default")


_MARKDOWN_SIGNS = frozenset("*_`[]<>!\\&~")


def append_inline(parent: etree._Element, markdown: str) -> None:
    """Inline Markdown (a title) appended to `parent` as JATS inline content."""
    if _MARKDOWN_SIGNS.isdisjoint(markdown) and "\n" not in markdown:  # most titles: no parser needed
        append_text(parent, markdown.strip())
        return
    for token in _markdown().parseInline(markdown):
        _append_inline_tokens(parent, token.children or [])


def append_blocks(root: etree._Element, markdown: str) -> None:
    """Block Markdown (an abstract) appended to `root` (an <abstract>): paragraphs first, then
    one <sec> per heading, as the Publishing tag set requires of abstracts."""
    stack = [root]
    for token in parse_block(markdown):  # shared with the plain text exports
        kind = token.type
        if kind == "heading_open":
            del stack[1:]  # abstract sections are flat, whatever the heading level
            section = sub(root, "sec")
            stack += [section, sub(section, "title")]
        elif kind == "heading_close":
            stack.pop()
        elif kind in _BLOCK_TAGS:
            tag, attrib = _BLOCK_TAGS[kind]
            stack.append(sub(_block_parent(stack, root, tag), tag, **attrib))
        elif kind in _BLOCK_CLOSES:
            stack.pop()
            if _is_wrapper(stack[-1], root):
                stack.pop()
        elif kind in ("code_block", "fence"):
            sub(_block_parent(stack, root, "preformat"), "preformat", token.content.rstrip("\n"))
            if _is_wrapper(stack[-1], root):
                stack.pop()
        elif kind in ("th_open", "td_open") and _has_content(stack[-1]):
            append_text(stack[-1], " | ")
        elif kind == "inline":
            _append_inline_tokens(stack[-1], token.children or [])


def _block_parent(stack: list[etree._Element], root: etree._Element, tag: str) -> etree._Element:
    """Directly in an <abstract> only <p> is allowed: other blocks are wrapped in one."""
    if stack[-1] is root and tag != "p":
        stack.append(sub(root, "p"))
    return stack[-1]


def _is_wrapper(element: etree._Element, root: etree._Element) -> bool:
    # Markdown paragraphs never hold blocks, so a <p> of the root on the stack after a block
    # closed can only be the wrapper _block_parent made for it.
    return (
        element is not root
        and element.tag == "p"
        and element.getparent() is root
        and len(element) > 0
        and element[-1].tag != "p"
    )


def _has_content(element: etree._Element) -> bool:
    return bool(element.text or len(element))


def _append_inline_tokens(parent: etree._Element, tokens: list[Token]) -> None:
    stack = [parent]
    for token in tokens:
        kind = token.type
        if kind == "text":
            append_text(stack[-1], token.content)
        elif kind in ("softbreak", "hardbreak"):
            append_text(stack[-1], " ")
        elif kind == "code_inline":
            sub(stack[-1], "monospace", token.content)
        elif kind == "image":
            append_text(stack[-1], token.content)
        elif kind in _INLINE_TAGS:
            element = sub(stack[-1], _INLINE_TAGS[kind])
            if kind == "link_open":
                element.set("ext-link-type", "uri")
                element.set(XLINK_HREF, str(token.attrGet("href") or ""))
            stack.append(element)
        elif kind.endswith("_close") and len(stack) > 1:
            stack.pop()
