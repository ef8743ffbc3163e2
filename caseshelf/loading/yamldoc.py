"""YAML documents that know where each value came from, parsed safely and fast.

Every scalar is read as the text the editor typed. A document in the plain shape records are
written in is read by `plain_yaml`, three times faster than libyaml; any other goes to
libyaml's safe loader, which reads it or reports what is wrong. The line numbers come from
the node tree libyaml composes: kept when libyaml read the document, composed when a message
about a plain-read document first needs a line (only documents with problems do).
"""

from __future__ import annotations

import re
from typing import Any, Callable

import yaml

from caseshelf.loading.fields import without_unshowable_characters
from caseshelf.loading.plain_yaml import NOT_PLAIN, read_plain_yaml
from caseshelf.problems import Problem


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's safe loader with every plain scalar read as text.

    YAML 1.1 guesses types from spelling: `no` becomes false, `10.21682` a float, `1:20` the
    number 80. Reading everything as text keeps exactly what the editor typed; the field
    validators then read numbers, dates and booleans where a field wants them. It is also
    about twice as fast, since no scalar goes through the type-guessing regexes.
    """


_Loader.yaml_implicit_resolvers = {}

_STR_TAG = "tag:yaml.org,2002:str"
_DEFAULT_TAGS = {yaml.ScalarNode: _STR_TAG, yaml.SequenceNode: "tag:yaml.org,2002:seq", yaml.MappingNode: "tag:yaml.org,2002:map"}


def _resolve_to_default_tag(self: _Loader, kind: type, value: Any, implicit: Any) -> str:
    """PyYAML's `resolve` with no implicit or path resolvers registered, which is our case:
    every untagged node gets the default tag of its kind. libyaml calls it once per node, and
    the general version walks the (empty) resolver tables each time."""
    return _DEFAULT_TAGS[kind]


def _no_path_to_follow(self: _Loader, *parent_and_index: Any) -> None:
    """PyYAML's `descend_resolver` and `ascend_resolver` follow the path to each node for path
    resolvers; with none registered they do nothing, but libyaml still calls both per node."""


if not _Loader.yaml_implicit_resolvers and not _Loader.yaml_path_resolvers:
    _Loader.resolve = _resolve_to_default_tag
    _Loader.descend_resolver = _Loader.ascend_resolver = _no_path_to_follow


class _DuplicateKey(yaml.constructor.ConstructorError):
    """A field written twice in one block: YAML keeps the last value without a word."""

    def __init__(self, key: str, first: yaml.Mark, second: yaml.Mark):
        super().__init__(None, None, f"'{key}' is written twice", second)
        self.key = key
        self.first_line = first.line


def _map_without_duplicate_keys(loader: yaml.SafeLoader, node: yaml.MappingNode) -> Any:
    seen: dict[str, yaml.Mark] = {}
    for key_node, _ in node.value:
        if isinstance(key_node, yaml.ScalarNode):
            if key_node.value in seen:
                raise _DuplicateKey(key_node.value, seen[key_node.value], key_node.start_mark)
            seen[key_node.value] = key_node.start_mark
    yield from loader.construct_yaml_map(node)


_Loader.add_constructor("tag:yaml.org,2002:map", _map_without_duplicate_keys)

#: A record with more nodes than this after alias expansion is refused (billion-laughs guard).
MAX_EXPANDED_NODES = 50_000

KeyPath = tuple[str | int, ...]


class YamlError(Exception):
    """The text is not YAML we can read; carries the problem to report."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


class YamlDocument:
    """One parsed YAML mapping, and the line where each of its values is written."""

    def __init__(self, text: str, path: str, first_line: int = 1):
        self.path = path
        self.text = text
        self.first_line = first_line
        """Line of the file where the YAML text starts (front matter starts on line 2)."""
        self._root_node: yaml.Node | None = None
        self.data: Any = read_plain_yaml(text)
        if self.data is NOT_PLAIN:
            self.data = self._load(self._compose_and_construct)
            if "\\" in text:  # an escape may have typed a character no page can show: "\x1b", "\0"
                self.data = _without_unshowable_characters(self.data)

    def _compose_and_construct(self, loader: _Loader) -> Any:
        """What yaml.load does, in two steps so the node tree is kept for the line numbers."""
        self._root_node = loader.get_single_node()
        may_have_aliases = "&" in self.text and "*" in self.text
        if may_have_aliases:
            _refuse_alias_bombs(self._root_node, self.path, self.first_line)
        return _construct(loader, self._root_node, may_have_aliases)

    def _compose(self) -> yaml.Node | None:
        return self._load(lambda loader: loader.get_single_node())

    def _load(self, step: Callable[[_Loader], Any]) -> Any:
        """`step` done with a loader of this document, its YAML errors made our problems."""
        loader = _Loader(self.text)
        try:
            return step(loader)
        except yaml.YAMLError as error:
            raise YamlError(self._syntax_problem(error)) from None
        finally:
            loader.dispose()

    def line_of(self, key_path: KeyPath) -> int:
        """Line of the value at `key_path`, or of the nearest enclosing value that exists."""
        node = self._nearest_node(key_path)
        return node.start_mark.line + self.first_line if node is not None else self.first_line

    def is_quoted(self, key_path: KeyPath) -> bool:
        """Whether the value at `key_path` is a text written in quotes: the data loses the
        quotes, which may be all that says how the editor meant a value to be read."""
        node = self._nearest_node(key_path)
        return isinstance(node, yaml.ScalarNode) and node.style in ("'", '"')

    def _nearest_node(self, key_path: KeyPath) -> yaml.Node | None:
        if self._root_node is None:
            self._root_node = self._compose()  # read fast, without the nodes: read them now
        node = self._root_node
        for key in key_path:
            child = _child(node, key)
            if child is None:
                break
            node = child
        return node

    def _syntax_problem(self, error: yaml.YAMLError) -> Problem:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + self.first_line if mark is not None else self.first_line
        if isinstance(error, _DuplicateKey):
            first = error.first_line + self.first_line
            return Problem(self.path, line, "", f"'{error.key}' is written twice (also on line {first}): keep one")
        reason = getattr(error, "problem", None) or str(error)
        context = getattr(error, "context", None)
        context_mark = getattr(error, "context_mark", None)
        if context and context_mark is not None and context_mark.line + self.first_line != line:
            # An unclosed quote or bracket is noticed lines later: name the line where it opened.
            context = f"{context} started on line {context_mark.line + self.first_line}"
        detail = f"{context}, {reason}" if context else reason
        hint = _syntax_hint(detail, *_line_at(self.text, mark), has_block_text=_BLOCK_TEXT.search(self.text) is not None)
        if hint:
            detail = f"{detail} ({hint})"
        return Problem(self.path, line, "", f"YAML syntax error: {detail}")


#: The slip an editor most likely made to get each of libyaml's messages, and how to put it
#: right: libyaml's words name the parser's state ("mapping values are not allowed in this
#: context"), which tells an editor nothing. Each entry is (words of the message, the character
#: at its mark or "" for any, hint); the first that fits gives the hint.
_SYNTAX_HINTS: tuple[tuple[str, str, str], ...] = (
    ("", "\t", "this line has a tab: indent with spaces, never with tabs"),
    ("tab character", "", "this line has a tab: indent with spaces, never with tabs"),
    ("alias", "", "a value starting with * (italics, say) must be put in double quotes: \"*...*\""),
    ("anchor", "", "a value starting with & must be put in double quotes"),
    ("cannot start any token", "", "a value starting with this character must be put in double quotes"),
    ("mapping values are not allowed", "",
     "a value with ': ' in it must be put in double quotes, \"...\"; else this line or the one above "
     "is not lined up with the fields around it"),
    ("did not find expected key", "",
     "check that this line is lined up with the fields around it, "
     "and that a value in quotes has nothing after its closing quote"),
    ("did not find expected '-' indicator", "",
     "check that this line is lined up with the fields of its item, under the first one after the '- '"),
    ("did not find expected ',' or ']'", "",
     "a list in [ ] must end with ]; put an item with ':' or ',' in it in double quotes"),
    ("could not find expected ':'", "",
     "a line of a long text written after '|' must be indented like the lines above it, "
     "and a field's name must be followed by ': '"),
    ("end of stream", "", "a quote or bracket opened there is not closed"),
    ("found another document", "",
     "a .yaml record has no '---' lines, which frame the fields of a .md record: remove them, "
     "or name the file .md"),
)


#: Quotes a word processor types for '"': YAML reads them as letters, so a title "quoted" with
#: them and holding ': ' is an error, where the editor sees a quoted value.
_TYPOGRAPHIC_QUOTES = "“”„«»"


#: A field whose text is written on the lines below it (`abstract: |`), which a line that lost
#: its indentation ends; without one, "could not find expected ':'" is a name missing its ': '.
_BLOCK_TEXT = re.compile(r"^[^#\n]*:\s+[|>][-+]?\s*(?:#.*)?$", re.MULTILINE)


def _syntax_hint(message: str, line: str, column: int, has_block_text: bool = True) -> str:
    """How to fix the slip behind libyaml's `message` about `line` at `column` (see
    _SYNTAX_HINTS); "" if unknown."""
    if "could not find expected ':'" in message and not has_block_text:
        return "a field's name must be followed by ': ', a colon and a space"
    if "mapping values are not allowed" in message and _is_curly_quoted(line):
        return 'curly quotes (“...”) do not quote a value: type straight double quotes, "..."'
    character = line[column:column + 1]
    for words, at, hint in _SYNTAX_HINTS:
        if words in message and (not at or character == at):
            return hint
    return ""


def _is_curly_quoted(line: str) -> bool:
    """Whether the value on `line` opens with a word processor's quote, as if to quote it: only
    then is the quote the slip. Curly quotes inside an unquoted value (`title: The “Blue” baby:
    a case`) are letters the value may keep; its ': ' is what wants the value in quotes."""
    key, separator, value = line.partition(": ")
    value = value if separator else key.lstrip(" -")
    first = value.lstrip()[:1]
    return first != "" and first in _TYPOGRAPHIC_QUOTES  # "" is in every string: an empty value is none


def _line_at(text: str, mark: yaml.Mark | None) -> tuple[str, int]:
    """The line of `text` at libyaml's `mark` and the mark's column ("" past the end); libyaml's
    marks carry no buffer to read it from."""
    if mark is None:
        return "", 0
    lines = text.split("\n")
    if mark.line >= len(lines):
        return "", 0
    return lines[mark.line], mark.column


class _NotPlainData(Exception):
    """The node tree holds something `_plain_data` leaves to PyYAML's constructor."""


def _without_unshowable_characters(value: Any) -> Any:
    """`value` with the control characters left out of every text in it (see
    fields.without_unshowable_characters). Only libyaml reads escapes, so only what it read
    can hold them."""
    if isinstance(value, str):
        return without_unshowable_characters(value)
    if isinstance(value, list):
        return [_without_unshowable_characters(item) for item in value]
    if isinstance(value, dict):
        return {key: _without_unshowable_characters(item) for key, item in value.items()}
    return value  # from an explicit tag: a number, a date


def _construct(loader: _Loader, root: yaml.Node | None, may_have_aliases: bool) -> Any:
    """The document's value, as PyYAML's constructor would make it.

    Almost every record is text, lists and mappings with text keys, which `_plain_data` builds
    in a fraction of the time PyYAML's general constructor takes. Anything else (explicit
    tags, non-text keys, a key written twice, aliases) goes to PyYAML's constructor, which
    builds it or raises the error it always raised. So does nesting deeper than any record
    needs, which PyYAML handles without recursion.
    """
    if root is None:
        return None
    if not may_have_aliases:
        try:
            return _plain_data(root)
        except _NotPlainData:
            pass
    return loader.construct_document(root)


#: Records nest four levels deep (authors -> author -> affiliations -> key).
_MAX_PLAIN_DEPTH = 32


def _plain_data(node: yaml.Node, depth: int = 0) -> Any:
    kind = type(node)
    if kind is yaml.ScalarNode and node.tag == _STR_TAG:
        return node.value
    if node.tag != _DEFAULT_TAGS.get(kind) or depth > _MAX_PLAIN_DEPTH:
        raise _NotPlainData
    if kind is yaml.SequenceNode:
        return [_text_or_plain_data(item, depth + 1) for item in node.value]
    mapping = {}
    for key_node, value_node in node.value:
        if type(key_node) is not yaml.ScalarNode or key_node.tag != _STR_TAG or key_node.value in mapping:
            raise _NotPlainData
        mapping[key_node.value] = _text_or_plain_data(value_node, depth + 1)
    return mapping


def _text_or_plain_data(node: yaml.Node, depth: int) -> Any:
    """`_plain_data`, with the text of a scalar taken without a call: most nodes are text."""
    return node.value if type(node) is yaml.ScalarNode and node.tag == _STR_TAG else _plain_data(node, depth)


def _child(node: yaml.Node | None, key: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode) and isinstance(key, str):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                return value_node
    if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and 0 <= key < len(node.value):
        return node.value[key]
    return None


def _refuse_alias_bombs(root: yaml.Node | None, path: str, first_line: int) -> None:
    """Anchors are legal YAML, but nested aliases can expand exponentially when walked."""
    sizes: dict[int, int] = {}

    def expanded_size(node: yaml.Node) -> int:
        known = sizes.get(id(node))
        if known is not None:
            return known
        sizes[id(node)] = 1  # a cycle counts once instead of recursing forever
        if isinstance(node, yaml.MappingNode):
            total = 1 + sum(expanded_size(k) + expanded_size(v) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            total = 1 + sum(expanded_size(item) for item in node.value)
        else:
            total = 1
        sizes[id(node)] = min(total, MAX_EXPANDED_NODES + 1)
        return sizes[id(node)]

    if root is not None and expanded_size(root) > MAX_EXPANDED_NODES:
        raise YamlError(
            Problem(
                path,
                first_line,
                "",
                "YAML anchors and aliases expand to too much data (an 'alias bomb'); "
                "write the values out instead of using nested aliases",
            )
        )
