"""Small text helpers every surface shares, so a cut is made the same way everywhere."""

from __future__ import annotations

import re
from collections.abc import Sequence

ELLIPSIS = "…"
#: The most suggestions a choice list (names, texts, time zones) offers unless the surface
#: asks for fewer: a list a reader can scan.
CHOICES = 25


def shorten(text: str, limit: int, more: str = "") -> str:
    """Cut at a word boundary so the result, plus ``more``, fits in ``limit`` characters.

    ``more`` is a pointer to the rest (e.g. " (continued in /quote context)"); it is added
    only when something was cut.
    """
    text = text.strip()
    if len(text) <= limit:
        return text
    room = max(1, limit - len(ELLIPSIS) - len(more))
    cut = text[:room]
    space = cut.rfind(" ")
    if space > room // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:—–-") + ELLIPSIS + more


def one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def join_words(words: Sequence[str]) -> str:
    """['Send Messages', 'Embed Links', 'View Channel'] -> 'Send Messages, Embed Links and View
    Channel'."""
    if len(words) < 2:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]
