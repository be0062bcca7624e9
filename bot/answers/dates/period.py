"""A span of years, the one way it is read: typed ("1927-29", "the 1920s"), or given as a
start and an end (/timeline's options, the CLI's years)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_PERIOD = re.compile(
    r"^\s*(?:the\s+)?(?:(?P<decade>\d{3}0)s|(?P<start>\d{4})(?:\s*(?:-|–|—|to|until)\s*(?P<end>\d{2,4}))?)"
    r"\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Period:
    start: int
    end: int

    def label(self) -> str:
        return str(self.start) if self.start == self.end else f"{self.start}–{self.end}"


def parse_period(text: str) -> Period | None:
    """'1921', '1927-1929', '1918-21', '1920s', '1927 to 1929' -> a span of years."""
    match = _PERIOD.match(text)
    if not match:
        return None
    if match["decade"]:
        start = int(match["decade"])
        return Period(start, start + 9)
    start = int(match["start"])
    end_text = match["end"]
    if not end_text:
        return Period(start, start)
    end = int(end_text) if len(end_text) == 4 else start // 100 * 100 + int(end_text)
    return Period(min(start, end), max(start, end))


def period_between(start: int | None, end: int | None) -> Period | None:
    """From ``start`` to ``end`` in either order; one of them alone is that year; neither,
    no period."""
    first = start if start is not None else end
    last = end if end is not None else start
    if first is None or last is None:
        return None
    return Period(min(first, last), max(first, last))
