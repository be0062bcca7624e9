"""The events registry (corpus/events.yaml): curated events, each date with its evidence.

Where essays disagree (the Fourth International founded in 1938 in one, 1939 in another),
every version is kept with its source, and answers show them all.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

from bot.corpus.errors import CorpusError
from bot.corpus.model import PartialDate
from bot.yamlfile import KeyPath, YamlDocument, kind_of, read_yaml

_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


@dataclass(frozen=True, slots=True)
class EventDate:
    date: PartialDate
    until: PartialDate | None  # the end of a range ("1923/1925")
    source: str  # slug
    evidence: str  # exact words of one paragraph that state the date
    note: str | None = None  # how an implied date was derived

    def display(self) -> str:
        return f"{self.date.display()}–{self.until.display()}" if self.until \
            else self.date.display()

    @property
    def precision(self) -> str:
        return "range" if self.until else self.date.precision


@dataclass(frozen=True, slots=True)
class Event:
    name: str
    aliases: tuple[str, ...]
    summary: str | None
    people: tuple[str, ...]
    dates: tuple[EventDate, ...]
    related: tuple[str, ...]

    @property
    def first_year(self) -> int | None:
        return min((d.date.year for d in self.dates), default=None)


def parse_event_date(text: str) -> tuple[PartialDate, PartialDate | None]:
    """'1921', '1921-03', '1924-01-21' or a range '1923/1925' -> (start, end or None)."""
    start_text, _, end_text = str(text).partition("/")
    start = _partial(start_text)
    end = _partial(end_text) if end_text else None
    return start, end


def _partial(text: str) -> PartialDate:
    match = _DATE.fullmatch(text.strip())
    if not match:
        raise ValueError(f"expected YYYY, YYYY-MM, YYYY-MM-DD or a range A/B, got {text!r}")
    year = int(match[1])  # the year group is not optional: every match has one
    month, day = (int(g) if g else None for g in match.groups()[1:])
    try:  # a quoted "1921-13-01" passes the pattern but would break every display of it
        datetime.date(year, month or 1, day or 1)
    except ValueError as exc:
        raise ValueError(f"{text.strip()!r} is not a real date ({exc})") from None
    return PartialDate(year, month, day)


def load_events(path: Path, text: str | None = None) -> list[Event]:
    """Read events.yaml; a missing file means no curated events, a malformed one an error."""
    doc = read_yaml(path, CorpusError, text=text)  # text: a last good copy
    if doc is None:
        return []
    return [_event(entry, doc, ("events", number))
            for number, entry in enumerate(doc.top_list("events"))]


def _strings(entry: dict, key: str, doc: YamlDocument, at: KeyPath) -> tuple[str, ...]:
    values = entry.get(key) or []
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        doc.fail((*at, key), f"{entry.get('name')}: '{key}' must be a list of text, "
                             f"got {kind_of(values)}")
    return tuple(v.strip() for v in values)


def _event(entry: object, doc: YamlDocument, at: KeyPath) -> Event:
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
        doc.fail(at, f"expected a mapping with a 'name', got {kind_of(entry)}")
    raw_dates = entry.get("dates") or []
    if not isinstance(raw_dates, list):  # `dates: 1921` is one date, not the list of them
        doc.fail((*at, "dates"), f"{entry['name']}: expected a list of dates, each with "
                                 f"'date', 'source' and 'evidence', got {kind_of(raw_dates)}")
    dates = []
    for number, raw in enumerate(raw_dates):
        if not isinstance(raw, dict) or not all(k in raw for k in ("date", "source", "evidence")):
            doc.fail((*at, "dates", number), f"{entry['name']}: each date needs 'date', "
                                             "'source' and 'evidence'")
        where: KeyPath = (*at, "dates", number)
        for key in ("date", "source", "evidence", "note"):
            if isinstance(raw.get(key), (dict, list)) or (
                    key != "note" and not str(raw[key]).strip()):
                doc.fail((*where, key), f"{entry['name']}: '{key}' must be text, got "
                                        f"{kind_of(raw.get(key))}")
        try:
            start, end = parse_event_date(str(raw["date"]))
        except ValueError as exc:
            doc.fail((*where, "date"), f"{entry['name']}: {exc}")
        note = raw.get("note")
        dates.append(EventDate(start, end, str(raw["source"]), str(raw["evidence"]),
                               str(note) if note is not None else None))
    summary = entry.get("summary")
    if isinstance(summary, (dict, list)):
        doc.fail((*at, "summary"), f"{entry['name']}: 'summary' must be text, got "
                                   f"{kind_of(summary)}")
    return Event(
        name=entry["name"].strip(),
        aliases=_strings(entry, "aliases", doc, at),
        summary=str(summary).strip() if summary else None,
        people=_strings(entry, "people", doc, at),
        dates=tuple(dates),
        related=_strings(entry, "related", doc, at),
    )
