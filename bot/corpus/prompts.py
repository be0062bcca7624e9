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

from bot.corpus.errors import CorpusError
from bot.yamlfile import KeyPath, YamlDocument, kind_of, read_yaml

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


def load_curated_prompts(path: Path, text: str | None = None) -> list[CuratedPrompt]:
    """The prompts in ``path``; an empty list if the file does not exist."""
    doc = read_yaml(path, CorpusError, text=text)  # text: a last good copy
    if doc is None:
        return []
    prompts: list[CuratedPrompt] = []
    seen: set[str] = set()
    for index, entry in enumerate(doc.top_list("prompts")):
        at: KeyPath = ("prompts", index)
        prompt = _parse_entry(entry, doc, at)
        if prompt.id in seen:
            doc.fail((*at, "id"), f"prompt id {prompt.id!r} is used twice")
        seen.add(prompt.id)
        prompts.append(prompt)
    return prompts


def _parse_entry(entry: Any, doc: YamlDocument, at: KeyPath) -> CuratedPrompt:
    if not isinstance(entry, dict):
        doc.fail(at, f"each prompt must be a mapping, got {kind_of(entry)}")
    unknown = set(entry) - {"id", "question", "source", "section", "evidence", "tags"}
    if unknown:
        doc.fail((*at, str(min(unknown, key=str))), f"unknown key(s) {sorted(unknown, key=str)}")
    prompt_id = _text(entry, "id", doc, at)
    if not _ID.match(prompt_id):
        doc.fail((*at, "id"), f"id {prompt_id!r}: use lower-case words joined by hyphens")
    question = " ".join(_text(entry, "question", doc, at).split())
    if len(question) > QUESTION_MAX:
        doc.fail((*at, "question"), f"{prompt_id}: question longer than {QUESTION_MAX} "
                                    "characters")
    section = _optional_text(entry, "section", doc, at)
    evidence = _optional_text(entry, "evidence", doc, at)
    if section is None and evidence is None:
        doc.fail(at, f"{prompt_id}: name the passage with `evidence:` (an exact phrase of the "
                     "text) or `section:` (a heading)")
    tags = entry.get("tags")
    if not isinstance(tags, list) or not tags or not all(isinstance(t, str) and t.strip()
                                                         for t in tags):
        doc.fail((*at, "tags"), f"{prompt_id}: `tags` must be a non-empty list of words")
    return CuratedPrompt(id=prompt_id, question=question,
                         source=_text(entry, "source", doc, at),
                         tags=tuple(t.strip() for t in tags), section=section, evidence=evidence)


def _text(entry: dict, key: str, doc: YamlDocument, at: KeyPath) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        doc.fail((*at, key), f"`{key}` is required and must be text, got {kind_of(value)}")
    return value.strip()


def _optional_text(entry: dict, key: str, doc: YamlDocument, at: KeyPath) -> str | None:
    if entry.get(key) is None:
        return None
    return _text(entry, key, doc, at)
