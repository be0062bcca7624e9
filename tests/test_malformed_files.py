"""Every malformed value of every curated file and of config.yaml gets a file:line: key message.

Generated, not hand-picked: each real file is composed into YAML nodes, and each value (the
first occurrences of every key, e.g. ``people[*].born``, ``events[*].dates[*].date``) is
replaced in the text by wrong kinds of value: a list or a mapping where one value belongs,
one value where a list or mapping belongs, an impossible date, an empty text. Loading each
copy must either succeed (the value is one the key accepts) or raise the loader's own error,
which names the file, the line of that value (or of its key or entry) and a key path; never
any other exception. A wrong container and an impossible date must always be refused.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.config import ConfigError, load_settings
from bot.corpus.errors import CorpusError
from bot.corpus.events import load_events
from bot.corpus.lexicon import load_lexicon
from bot.corpus.people import load_people
from bot.corpus.prompts import load_curated_prompts
from bot.yamlfile import YamlFileError
from tests.corpus_helpers import REPO

PER_KEY = 3  # occurrences of each key pattern mutated (people.yaml alone has ~4,000 values)
LOADERS: dict[str, Callable[[Path], Any]] = {
    "corpus/people.yaml": load_people,
    "corpus/events.yaml": load_events,
    "corpus/prompts.yaml": load_curated_prompts,
    "corpus/lexicon.yaml": load_lexicon,
    "config.yaml": load_settings,
}
ERRORS: dict[str, type[YamlFileError]] = {name: CorpusError for name in LOADERS}
ERRORS["config.yaml"] = ConfigError
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Value:
    keys: tuple[str | int, ...]
    node: yaml.Node
    parent_line: int  # 1-based line of the entry holding it (an error may point there)


def values(node: yaml.Node, keys: tuple[str | int, ...] = (), parent_line: int = 1
           ) -> Iterator[Value]:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield Value((*keys, key.value), value, node.start_mark.line + 1)
            yield from values(value, (*keys, key.value), node.start_mark.line + 1)
    elif isinstance(node, yaml.SequenceNode):
        for number, item in enumerate(node.value):
            yield Value((*keys, number), item, node.start_mark.line + 1)
            yield from values(item, (*keys, number), node.start_mark.line + 1)


def pattern(keys: tuple[str | int, ...]) -> str:
    return ".".join("*" if isinstance(k, int) else str(k) for k in keys)


def sampled(text: str) -> list[Value]:
    """The first PER_KEY values of each key pattern."""
    seen: dict[str, int] = defaultdict(int)
    chosen = []
    for value in values(yaml.compose(text, Loader=_LOADER)):
        if seen[pattern(value.keys)] < PER_KEY:
            seen[pattern(value.keys)] += 1
            chosen.append(value)
    return chosen


def mutations(node: yaml.Node) -> list[tuple[str, str, bool]]:
    """(label, replacement, must be refused). A null may stand for an empty list (the
    default of ``shard_ids: null`` is "no list"), so a list in its place may be right."""
    scalar = isinstance(node, yaml.ScalarNode)
    one_value = scalar and node.tag != "tag:yaml.org,2002:null"
    return [
        ("a list", "[1, 2]", one_value),
        ("a mapping", "{wrong: 1}", one_value),
        ("one value", "1921", not scalar),
        ("an impossible date", "2024-02-30", True),
        ("empty text", '""', False),
    ]


def cases() -> Iterator[Any]:
    for name in LOADERS:
        text = (REPO / name).read_text(encoding="utf-8")
        for value in sampled(text):
            for label, replacement, refused in mutations(value.node):
                yield pytest.param(name, value, replacement, refused,
                                   id=f"{name}:{pattern(value.keys)}:{label}")


_CASES = list(cases())


@pytest.mark.parametrize(("name", "value", "replacement", "refused"), _CASES)
def test_a_malformed_value_is_named_by_file_line_and_key(
        tmp_path: Path, name: str, value: Value, replacement: str, refused: bool) -> None:
    text = (REPO / name).read_text(encoding="utf-8")
    start = value.node.start_mark.index
    end = start + len(text[start:value.node.end_mark.index].rstrip())
    path = tmp_path / Path(name).name
    path.write_text(text[:start] + replacement + text[end:], encoding="utf-8")
    try:
        LOADERS[name](path)
    except ERRORS[name] as exc:
        message = str(exc)
        match = re.match(rf"{re.escape(str(path))}:(\d+): ", message)
        assert match, f"no file:line in {message!r}"
        line = int(match[1])
        assert value.parent_line - 1 <= line <= value.node.end_mark.line + 1, message
        assert exc.key or "YAML" in message, f"no key in {message!r}"
        return
    assert not refused, f"{pattern(value.keys)} = {replacement} was accepted"


def test_the_generated_copies_cover_every_file_and_many_keys() -> None:
    per_file = defaultdict(set)
    for case in _CASES:
        name, value = case.values[0], case.values[1]
        per_file[name].add(pattern(value.keys))
    assert set(per_file) == set(LOADERS)
    assert {"people.*.born", "people.*.facts.*.evidence"} <= per_file["corpus/people.yaml"]
    assert {"events.*.dates.*.date", "events.*.dates"} <= per_file["corpus/events.yaml"]
    assert "search.max_results" in per_file["config.yaml"]
    assert len(_CASES) > 300
