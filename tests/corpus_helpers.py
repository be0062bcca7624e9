"""Shared paths and cached parses of the real corpus for the tests."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from bot.corpus.load import load_text
from bot.corpus.model import ParsedText

REPO = Path(__file__).resolve().parents[1]
TEXTS = REPO / "corpus" / "texts"
SEEDS = REPO.parent / "shared" / "seeds"


@cache
def parsed(slug: str) -> ParsedText:
    return load_text(TEXTS / f"{slug}.md")
