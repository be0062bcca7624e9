"""Shared paths and cached parses of the real corpus for the tests."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from bot.corpus.load import load_text
from bot.corpus.model import ParsedText

REPO = Path(__file__).resolve().parents[1]
TEXTS = REPO / "corpus" / "texts"
SEEDS = REPO.parent / "shared" / "seeds"
LABELLED = REPO / "tests" / "labelled"  # the hand-labelled sets (see its README)


def labelled_cases(name: str) -> list[dict[str, Any]]:
    """The ``cases`` of one labelled set, e.g. ``labelled_cases("who_cases.yaml")``."""
    return yaml.safe_load((LABELLED / name).read_text(encoding="utf-8"))["cases"]


@cache
def parsed(slug: str) -> ParsedText:
    return load_text(TEXTS / f"{slug}.md")
