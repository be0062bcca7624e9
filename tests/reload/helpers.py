"""A corpus copy the reload tests may change, opened the way the bot opens its own."""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.config import Settings
from tests.corpus_helpers import REPO

#: A text that is not in the corpus: its odd word is found only once it is reloaded.
NEW_TEXT = """---
title: The lantern keepers
author: A. Reader
published: 2024-03-01
kind: essay
---

The lantern keepers read the pamphlet aloud every winter, and called its author a
quillfeather of the revolution.

They argued about it until the thaw.
"""
NEW_WORD = "quillfeather"
NEW_SLUG = "lantern-keepers"
#: Unclosed front matter: the parser names line 3.
BROKEN_TEXT = "---\ntitle: [unclosed\n---\n\nSome text.\n"


def corpus_copy(tmp_path: Path) -> Settings:
    """Settings over a copy of the real corpus and a store of its own under ``tmp_path``."""
    shutil.copytree(REPO / "corpus", tmp_path / "corpus")
    return Settings(corpus_dir=tmp_path / "corpus", data_dir=tmp_path / "data")


def add_text(settings: Settings, name: str, text: str) -> Path:
    path = settings.texts_dir / name
    path.write_text(text, encoding="utf-8")
    return path
