"""YAML documents that know where each value came from, parsed safely and fast.

Values are loaded with libyaml's safe loader, every scalar as the text the editor typed. The
node tree, which carries line numbers, is composed only when a message needs a line.
"""

from __future__ import annotations

from typing import Any

import yaml

from caseshelf.problems import Problem



class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's safe loader with every plain scalar read as text.

    YAML 1.1 guesses types from spelling: `no` becomes false, `10.21682` a float, `1:20` the
    number 80. Reading everything as text keeps exactly what the editor typed; the field
    validators then read numbers, dates and booleans where a field wants them. It is also
    about twice as fast, since no scalar goes through the type-guessing regexes.
    """


_Loader.yaml_implicit_resolvers = {}


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
    """One parsed YAML mapping, plus lazy access to the position and spelling of each value."""

    def __init__(self, text: str, path: str, first_line: int = 1):
        self.path = path
        self.text = text
        self.first_line = first_line
        """Line of the file where the YAML text starts (front matter starts on line 2)."""
        self._root_node: yaml.Node | None = None
        if "&" in text and "*" in text:
            _refuse_alias_bombs(self._nodes(), path, first_line)
        try:
            self.data: Any = yaml.load(text, Loader=_Loader)
        except yaml.YAMLError as error:
            raise YamlError(self._syntax_problem(error)) from None

    def line_of(self, key_path: KeyPath) -> int:
        """Line of the value at `key_path`, or of the nearest enclosing value that exists."""
        node = self._nodes()
        for key in key_path:
            child = _child(node, key)
            if child is None:
                break
            node = child
        return node.start_mark.line + self.first_line if node is not None else self.first_line

    def _nodes(self) -> yaml.Node | None:
        if self._root_node is None:
            try:
                self._root_node = yaml.compose(self.text, Loader=_Loader)
            except yaml.YAMLError as error:
                raise YamlError(self._syntax_problem(error)) from None
        return self._root_node

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
        return Problem(self.path, line, "", f"YAML syntax error: {detail}")


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
