"""Where a reading plan stands on a given day: pure functions of a plan and a local date.

Nothing here reads a clock or a database: callers pass the server's *local* date (from
:func:`local_date`, in the plan's IANA zone), so tests can stand on either side of a
daylight-saving change, or of a pause, with plain dates.

A plan is a text's sections in reading order and one of two schedules, counted in *weeks of
reading* from the start date (a week is seven local days; days while the plan is paused do
not count):

- a pace: ``per_week`` sections a week (week 0 reads the first N, week 1 the next N...);
- a target: every section read by ``target`` (the sections are spread evenly over the weeks
  from the start to that date, so "up to chapter 4 by 12 January" reads chapter 4 in the
  week that holds 12 January).

``advanced`` moves the whole plan on by that many sections (``/plan advance``): the group is
ahead, and the following weeks keep the same pace from there.
"""

from __future__ import annotations

import math
import re
import zoneinfo
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

WEEK = 7
MAX_PER_WEEK = 20


@dataclass(frozen=True, slots=True)
class Plan:
    sections: tuple[str, ...]  # titles, in reading order
    start: date  # local date the first week starts
    per_week: int | None = None  # a pace; None when the plan has a target date
    target: date | None = None  # every section read by this local date
    advanced: int = 0  # sections moved on by hand
    paused_on: date | None = None  # local date of the pause; None while running
    paused_days: int = 0  # days of earlier pauses (they do not count as reading)

    def __post_init__(self) -> None:
        if not self.sections:
            raise ValueError("a plan needs at least one section")
        if (self.per_week is None) == (self.target is None):
            raise ValueError("a plan has either a pace or a target date")
        if self.per_week is not None and not 1 <= self.per_week <= MAX_PER_WEEK:
            raise ValueError(f"per_week must be 1 to {MAX_PER_WEEK}")

    @property
    def paused(self) -> bool:
        return self.paused_on is not None


@dataclass(frozen=True, slots=True)
class Position:
    """Where the group is on one day, and what comes next."""

    started: bool
    week: int  # weeks of reading since the start, from 0 (0 before the start too)
    reached: int  # sections reached, the current ones included (0 before the start)
    current: tuple[int, ...]  # this week's sections, by index; () before the start
    week_began: date | None  # when this week's reading started (None before the start)
    upcoming: tuple[int, ...]  # the sections that come next; () when none are left
    upcoming_on: date | None  # when they start; None when paused or nothing is left
    last_on: date | None  # when the last section starts; None when paused
    paused: bool

    @property
    def finished(self) -> bool:
        """Every section reached: the group is on (or past) the last one."""
        return not self.upcoming and self.started


def local_date(now: datetime, timezone: str) -> date:
    """The date it is in ``timezone`` at the aware moment ``now``."""
    return now.astimezone(zoneinfo.ZoneInfo(timezone)).date()


def reading_days(plan: Plan, today: date) -> int:
    """Days of reading since the start (negative before it); paused days do not count."""
    until = min(today, plan.paused_on) if plan.paused_on is not None else today
    return (until - plan.start).days - plan.paused_days


def _weeks_to_target(plan: Plan) -> int:
    assert plan.target is not None
    return max(1, math.ceil(((plan.target - plan.start).days + 1) / WEEK))


def _scheduled(plan: Plan, week: int) -> int:
    """Sections reached by the end of reading week ``week`` (-1: before the start), with
    the sections moved on by hand."""
    total = len(plan.sections)
    if week < 0:
        done = 0
    elif plan.per_week is not None:
        done = (week + 1) * plan.per_week
    else:
        done = math.ceil((week + 1) * total / _weeks_to_target(plan))
    return min(total, done + plan.advanced)


def _calendar(plan: Plan, week: int) -> date:
    """The local date reading week ``week`` starts, if the plan runs on from now."""
    return plan.start + timedelta(days=week * WEEK + plan.paused_days)


def position(plan: Plan, today: date) -> Position:
    days = reading_days(plan, today)
    total = len(plan.sections)
    started = days >= 0
    week = max(0, days // WEEK)
    if started:
        reached = _scheduled(plan, week)
        before = _scheduled(plan, week - 1)
        current = tuple(range(before, reached)) or (reached - 1,)
    else:
        reached = min(total, plan.advanced)
        current = ()
    # The next week that brings new sections (a target plan may spend two weeks on one).
    upcoming: tuple[int, ...] = ()
    upcoming_week = None
    for later in range(week + 1 if started else 0, week + total + _horizon(plan) + 2):
        due = _scheduled(plan, later)
        if due > reached:
            upcoming, upcoming_week = tuple(range(reached, due)), later
            break
    last_week = next((w for w in range(0, week + total + _horizon(plan) + 2)
                      if _scheduled(plan, w) >= total), None)
    running = not plan.paused
    return Position(
        started=started, week=week, reached=reached, current=current,
        week_began=_calendar(plan, week) if started and running else None,
        upcoming=upcoming,
        upcoming_on=_calendar(plan, upcoming_week)
        if upcoming_week is not None and running else None,
        last_on=_calendar(plan, last_week) if last_week is not None and running else None,
        paused=plan.paused)


def _horizon(plan: Plan) -> int:
    return _weeks_to_target(plan) if plan.target is not None else 0


# ---------------------------------------------------------------- moving the plan


def advance(plan: Plan, today: date) -> Plan | None:
    """The plan moved on to the next section now; None when there is none left."""
    at = position(plan, today)
    if not at.upcoming:
        return None
    if not at.started:  # moving on before the start: start now, with the first section
        return replace(plan, start=today)
    return replace(plan, advanced=plan.advanced + 1)


def pause(plan: Plan, today: date) -> Plan:
    return plan if plan.paused else replace(plan, paused_on=today)


def resume(plan: Plan, today: date) -> Plan:
    """Running again: the days paused are added to the pauses, so the plan carries on from
    the section it stopped at."""
    if plan.paused_on is None:
        return plan
    # A pause before the start only moves the start: nothing was being read.
    stopped = max(plan.paused_on, plan.start)
    gap = max(0, (today - stopped).days)
    return replace(plan, paused_on=None, paused_days=plan.paused_days + gap)


# ---------------------------------------------------------------- input


class PlanInputError(ValueError):
    """Input a moderator can fix; the message says how."""


_MONTHS = {name: number for number, name in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"), start=1)}
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_WORDS = re.compile(r"^(?:(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?|([a-z]+)\.?\s+(\d{1,2})"
                    r"(?:st|nd|rd|th)?),?(?:\s+(\d{4}))?$")


def parse_day(text: str, today: date) -> date:
    """'2025-01-12', '12 January', 'Jan 12 2025', 'today', 'tomorrow' -> a date.

    Without a year: the first such date from two months ago on, so "12 January" typed in
    December is next January, and "3 March" typed on 10 March is this year's (just past)."""
    typed = " ".join(text.strip().lower().split())
    if typed in ("today", "now"):
        return today
    if typed == "tomorrow":
        return today + timedelta(days=1)
    iso = _ISO.match(typed)
    try:
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        words = _WORDS.match(typed)
        if words:
            day = int(words[1] or words[4])
            month = _month(words[2] or words[3])
            if words[5]:
                return date(int(words[5]), month, day)
            found = date(today.year, month, day)
            if found < today - timedelta(days=61):
                found = date(today.year + 1, month, day)
            return found
    except ValueError:
        raise PlanInputError(f"“{text[:40]}” is not a date on the calendar.") from None
    raise PlanInputError(f"I can't read the date “{text[:40]}”. Write it as `2025-01-12` "
                         "or `12 January`.")


def _month(word: str) -> int:
    for name, number in _MONTHS.items():
        if len(word) >= 3 and name.startswith(word):
            return number
    raise PlanInputError(f"“{word[:20]}” is not a month.")
