"""The one YAML reader: config.yaml, the curated corpus files and the texts' front matter.

Every error it raises, and every error a caller raises through ``YamlDocument.fail``, names
the file, the line and the key (``people[3].born``), so a host can fix the file without a
traceback. The text is composed into a node tree once: the nodes give each key's line, then
the same tree is constructed into plain Python values. A value YAML itself cannot construct
(``born: 1879-13-07`` reads as a date, but no such date exists) is reported on its own key.

It imports nothing of bot/, so both bot/config.py and bot/corpus can use it. PyYAML itself is
imported by the first parse, not with this module: a process that reads no YAML (``ask "/who
Lenin"`` on the SQLite read path, whose curated files come from their cache) never loads it.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    import yaml

#: Where a value sits in a document: mapping keys (str) and list indices (int).
KeyPath = tuple[str | int, ...]


class YamlFileError(Exception):
    """A YAML file cannot be used; str() is ``file:line: key: what is wrong``."""

    def __init__(self, path: Path | str, message: str, line: int | None = None,
                 key: str | None = None) -> None:
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {key}: {message}" if key else f"{where}: {message}")
        self.path = str(path)
        self.line = line
        self.key = key
        self.message = message


def key_path(keys: KeyPath) -> str:
    """``("people", 3, "born")`` -> ``people[3].born``; () -> ''."""
    text = ""
    for key in keys:
        text += f"[{key}]" if isinstance(key, int) else f".{key}" if text else str(key)
    return text


def kind_of(value: object) -> str:
    """How a YAML value reads to someone editing the file, for "expected X, got Y"."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return f"the date {value}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    return f"the text {str(value)[:60]!r}"


@dataclass(frozen=True, slots=True)
class YamlDocument:
    """A parsed file: its data, and the line of every key, to point at what is wrong."""

    path: Path | str
    data: Any
    error: type[YamlFileError] = YamlFileError
    lines: Mapping[KeyPath, int] = field(default_factory=dict, repr=False)

    def line(self, keys: KeyPath = ()) -> int | None:
        """The 1-based line of ``keys``; of its nearest parent when the key itself is absent
        (a missing ``source:`` is reported on its entry's line)."""
        for end in range(len(keys), -1, -1):
            if (found := self.lines.get(keys[:end])) is not None:
                return found
        return None

    def fail(self, keys: KeyPath, message: str) -> NoReturn:
        """Raise the document's error for the value at ``keys``: file, line, key, message."""
        raise self.error(self.path, message, self.line(keys), key_path(keys) or None)

    def top_list(self, key: str) -> list[Any]:
        """The list under a top-level ``key:`` (people:, events:, prompts:, synonyms:)."""
        if not isinstance(self.data, dict) or key not in self.data:
            self.fail((), f"expected a top-level '{key}:' list")
        entries = self.data[key]
        if not isinstance(entries, list):
            self.fail((key,), f"expected a top-level '{key}:' list, got {kind_of(entries)}")
        return entries


def read_yaml(path: Path, error: type[YamlFileError] = YamlFileError, *,
              text: str | None = None) -> YamlDocument | None:
    """The document in ``path``; None when there is no such file. Any other problem (not
    UTF-8, not YAML, an impossible value) raises ``error`` naming the file and line.

    ``text``: read that instead of the file, reported as ``path`` (a last good copy of it,
    kept by the store)."""
    if text is not None:
        return parse_yaml(text, path, error)
    if not path.exists():
        return None
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise error(path, f"cannot be read ({exc.strerror})") from None
    try:
        text = data.decode("utf-8-sig")  # editors on Windows may add a BOM
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise error(path, "not UTF-8 text (save it as UTF-8)", line) from None
    return parse_yaml(text, path, error)


def parse_yaml(text: str, path: Path | str, error: type[YamlFileError] = YamlFileError, *,
               first_line: int = 1, subject: str | None = None) -> YamlDocument:
    """Parse YAML ``text`` read from ``path``. ``first_line`` is the file's line of the text's
    first line (2 for front matter under its ``---``), so every line reported is the file's;
    ``subject`` names the part of the file in a syntax error ("front matter")."""
    import yaml

    loader = _loader_class()(text)
    try:
        root = loader.get_single_node()
        lines: dict[KeyPath, int] = {}
        keys_of: dict[int, KeyPath] = {}
        if root is not None:
            _index(root, (), first_line, lines, keys_of)
        try:
            data = loader.construct_document(root) if root is not None else None
        except _Unconstructable as exc:
            keys = keys_of.get(id(exc.node), ())
            raise error(path, exc.describe(), exc.line + first_line,
                        key_path(keys) or None) from None
    except yaml.YAMLError as exc:
        raise error(path, *_syntax_error(exc, text, first_line, subject)) from None
    finally:
        loader.dispose()
    return YamlDocument(path, data, error, lines)


def _syntax_error(exc: yaml.YAMLError, text: str, first_line: int,
                  subject: str | None) -> tuple[str, int | None]:
    """(message, line) for PyYAML's own error: the scanner's or parser's mark, or the
    reader's character position (a control character)."""
    import yaml

    what = f"{subject} is not valid YAML" if subject else "not valid YAML"
    # The scanner's, parser's and composer's errors are MarkedYAMLErrors: a mark and a problem.
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        if mark is not None:
            line = mark.line + first_line
            context = f" ({exc.context})" if exc.context else ""
            problem = exc.problem or "unreadable"
            return (f"{what}: invalid YAML syntax at line {line}, column {mark.column + 1}: "
                    f"{problem}{context}", line)
    position = getattr(exc, "position", None)
    if isinstance(position, int):
        line = text.count("\n", 0, position) + first_line
        reason = getattr(exc, "reason", None) or "unreadable character"
        return f"{what}: invalid YAML at line {line}: {reason}", line
    return f"{what}: invalid YAML ({exc})", None


def _index(node: yaml.Node, keys: KeyPath, first_line: int, lines: dict[KeyPath, int],
           keys_of: dict[int, KeyPath]) -> None:
    """Record the line of every key and list item under ``node``, and each node's key path
    (to name the key of a value that cannot be constructed)."""
    if id(node) in keys_of:
        return  # an alias of a node already indexed (and the end of a recursive one)
    import yaml

    keys_of[id(node)] = keys
    lines.setdefault(keys, node.start_mark.line + first_line)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            child = (*keys, key)
            lines[child] = key_node.start_mark.line + first_line  # a repeated key: the last
            keys_of.setdefault(id(key_node), child)                # wins, as in the data
            _index(value_node, child, first_line, lines, keys_of)
    elif isinstance(node, yaml.SequenceNode):
        for number, item in enumerate(node.value):
            _index(item, (*keys, number), first_line, lines, keys_of)


class _Unconstructable(Exception):
    """A node the safe constructor refused: carries the node, so its key can be named."""

    def __init__(self, node: yaml.Node, cause: Exception) -> None:
        super().__init__(str(cause))
        self.node = node
        self.cause = cause
        mark = getattr(cause, "problem_mark", None) or node.start_mark
        self.line: int = mark.line  # 0-based, as PyYAML counts

    def describe(self) -> str:
        import yaml

        value = self.node.value if isinstance(self.node, yaml.ScalarNode) else None
        if isinstance(self.cause, yaml.YAMLError):  # e.g. an unknown !tag
            return f"cannot be read: {getattr(self.cause, 'problem', None) or self.cause}"
        if self.node.tag == "tag:yaml.org,2002:timestamp":
            return (f"{value!r} is not a real date ({self.cause}): expected a real YYYY-MM-DD "
                    "date, or the value in quotes if it is not meant as a date")
        kind = self.node.tag.rpartition(":")[2]
        return f"{value!r} cannot be read as {kind} ({self.cause})"


@functools.cache
def _loader_class() -> type:
    """The safe loader, reporting which node a constructor failed on.

    SafeLoader turns ``2024-02-30`` into datetime.date(...) and lets the ValueError escape
    with no file or line; catching it here, at the innermost node, keeps that node. Built on
    libyaml's parser where PyYAML was built with it (several times faster on events.yaml),
    else the pure-Python one; both construct with SafeConstructor (no Python objects). Typed
    as a bare type: CSafeLoader is no subclass of SafeLoader.
    """
    import yaml

    base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):
        def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
            try:
                return super().construct_object(node, deep)
            except (ValueError, TypeError, OverflowError,
                    yaml.constructor.ConstructorError) as exc:
                raise _Unconstructable(node, exc) from None

    return Loader
