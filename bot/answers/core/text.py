"""Small text helpers every surface shares, so a cut is made the same way everywhere."""

from __future__ import annotations

import re
from collections.abc import Sequence

ELLIPSIS = "…"
#: The most suggestions a choice list (names, texts, time zones) offers unless the surface
#: asks for fewer: a list a reader can scan.
CHOICES = 25

#: Bidirectional controls: embeddings and overrides (U+202A-202E), isolates (U+2066-2069),
#: the left-to-right and right-to-left marks (U+200E, U+200F) and the Arabic letter mark
#: (U+061C). Typed into a query and echoed back, "\u202e" turns the rest of a title around
#: ("Passages matching ‮txet‬"), so no surface shows them. The corpus is English: no text of
#: it needs one.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
                          "\u200e\u200f\u061c")
_NO_BIDI = str.maketrans(dict.fromkeys(BIDI_CONTROLS))


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


def strip_bidi(text: str) -> str:
    """``text`` without bidirectional control characters: every surface passes what it
    shows through this (the Discord renderer in ``fit``, the CLI on its output)."""
    return text.translate(_NO_BIDI)


def one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def join_words(words: Sequence[str]) -> str:
    """['Send Messages', 'Embed Links', 'View Channel'] -> 'Send Messages, Embed Links and View
    Channel'."""
    if len(words) < 2:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]
