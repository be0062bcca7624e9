"""Read a curated YAML file whose content is one top-level list (people:, events:)."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.corpus.errors import CorpusError


def read_yaml_list(path: Path, key: str) -> list[object] | None:
    """The list under ``key``; None when the file is absent. A malformed file raises
    CorpusError naming the file, the line and what was expected."""
    if not path.exists():
        return None
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise CorpusError(path, f"not valid YAML ({getattr(exc, 'problem', exc)})",
                          mark.line + 1 if mark else None) from None
    except UnicodeDecodeError:
        raise CorpusError(path, "not UTF-8 text") from None
    entries = data.get(key) if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise CorpusError(path, f"expected a top-level '{key}:' list")
    return entries
