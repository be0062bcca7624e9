"""corpus/prompts.yaml: curated discussion questions, each tied to a passage of a text.

A prompt names its text by slug and the passage by ``evidence`` (an exact phrase of the text)
and/or ``section`` (a heading). The loader checks the file's shape and says which entry and line
is wrong; whether the phrase really occurs in the text is checked against the store when the
pool is built (and by a test on the real corpus), because only the store has the parsed text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.corpus.errors import CorpusError

_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,60}$")
QUESTION_MAX = 400  # room for the passage and source in one embed, and short enough to read


@dataclass(frozen=True, slots=True)
class CuratedPrompt:
    id: str
    question: str
    source: str  # slug of the text
    tags: tuple[str, ...]
    section: str | None = None
    evidence: str | None = None


def load_curated_prompts(path: Path) -> list[CuratedPrompt]:
    """The prompts in ``path``; an empty list if the file does not exist."""
    if not path.exists():
        return []
    try:
        text = path.read_text(encoding="utf-8")
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise CorpusError(path, f"cannot be read ({exc})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise CorpusError(path, f"invalid YAML: {getattr(exc, 'problem', exc)}",
                          mark.line + 1 if mark else None) from None
    entries = data.get("prompts") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise CorpusError(path, "expected a top-level `prompts:` list")
    lines = _entry_lines(root)
    prompts: list[CuratedPrompt] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        line = lines[index] if index < len(lines) else None
        prompt = _parse_entry(entry, path, line)
        if prompt.id in seen:
            raise CorpusError(path, f"prompt id {prompt.id!r} is used twice", line)
        seen.add(prompt.id)
        prompts.append(prompt)
    return prompts


def _entry_lines(root: Any) -> list[int]:
    """1-based line of each item of the `prompts:` list, for error messages."""
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if getattr(key, "value", None) == "prompts" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def _parse_entry(entry: Any, path: Path, line: int | None) -> CuratedPrompt:
    if not isinstance(entry, dict):
        raise CorpusError(path, "each prompt must be a mapping", line)
    unknown = set(entry) - {"id", "question", "source", "section", "evidence", "tags"}
    if unknown:
        raise CorpusError(path, f"unknown key(s) {sorted(unknown)}", line)
    prompt_id = _text(entry, "id", path, line)
    if not _ID.match(prompt_id):
        raise CorpusError(path, f"id {prompt_id!r}: use lower-case words joined by hyphens", line)
    question = " ".join(_text(entry, "question", path, line).split())
    if len(question) > QUESTION_MAX:
        raise CorpusError(path, f"{prompt_id}: question longer than {QUESTION_MAX} characters",
                          line)
    section = _optional_text(entry, "section", path, line)
    evidence = _optional_text(entry, "evidence", path, line)
    if section is None and evidence is None:
        raise CorpusError(path, f"{prompt_id}: name the passage with `evidence:` (an exact "
                          "phrase of the text) or `section:` (a heading)", line)
    tags = entry.get("tags")
    if not isinstance(tags, list) or not tags or not all(isinstance(t, str) and t.strip()
                                                         for t in tags):
        raise CorpusError(path, f"{prompt_id}: `tags` must be a non-empty list of words", line)
    return CuratedPrompt(id=prompt_id, question=question,
                         source=_text(entry, "source", path, line),
                         tags=tuple(t.strip() for t in tags), section=section, evidence=evidence)


def _text(entry: dict, key: str, path: Path, line: int | None) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise CorpusError(path, f"`{key}` is required and must be text", line)
    return value.strip()


def _optional_text(entry: dict, key: str, path: Path, line: int | None) -> str | None:
    if entry.get(key) is None:
        return None
    return _text(entry, key, path, line)
