"""The daily prompt's scheduling rules, as pure functions of a schedule and a moment.

Nothing here reads a clock, a database or Discord: the scheduler passes ``now`` in (from an
injectable :class:`Clock`), so tests can stand on either side of a daylight-saving change.

Times are computed in the server's IANA zone from the *local* date and time, then converted to
UTC. A 09:00 Europe/London schedule is therefore 09:00 UTC in winter and 08:00 UTC in summer;
a UTC offset stored once would drift an hour twice a year. Two edge cases:

- a local time that does not exist (the hour skipped in spring) is read with the offset before
  the change, so 01:30 becomes 02:30 that one day;
- a local time that happens twice (the hour repeated in autumn) is the first of the two.
"""

from __future__ import annotations

import functools
import re
import zoneinfo
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal, Protocol

from rapidfuzz import fuzz

from bot.answers.core.text import CHOICES

# ---------------------------------------------------------------- the clock


class Clock(Protocol):
    """Where the scheduler gets "now" (an aware UTC datetime); tests pass a fake one."""

    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


# ---------------------------------------------------------------- input: days, time, zone


class ScheduleInputError(ValueError):
    """Input a moderator can fix; the message says how, with suggestions when there are some."""

    def __init__(self, message: str, suggestions: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.suggestions = list(suggestions)


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
EVERY_DAY = 0b1111111
_DAY_WORDS = {
    **{name[:3]: 1 << i for i, name in enumerate(WEEKDAYS)},
    **{name.lower(): 1 << i for i, name in enumerate(WEEKDAY_NAMES)},
    "tues": 1 << 1, "wednes": 1 << 2, "thur": 1 << 3, "thurs": 1 << 3,
    "daily": EVERY_DAY, "every": EVERY_DAY, "everyday": EVERY_DAY, "all": EVERY_DAY,
    "weekdays": 0b0011111, "weekday": 0b0011111, "weekends": 0b1100000, "weekend": 0b1100000,
}
_FILLER = {"day", "days", "and", "on", "&"}


def parse_days(text: str | None) -> int:
    """'mon,wed,fri', 'weekdays', 'Tuesday Thursday', '' (every day) -> a weekday bit mask."""
    words = [w for w in re.split(r"[\s,;/+]+", (text or "").strip().lower()) if w]
    words = [w for w in words if w not in _FILLER]
    if not words:
        return EVERY_DAY
    mask = 0
    for word in words:
        bit = _DAY_WORDS.get(word)
        if bit is None:
            raise ScheduleInputError(
                f"I don't know the day “{word[:20]}”. Use day names such as `mon,wed,fri`, "
                "or `weekdays`, `weekends`, `daily`.", ["mon,wed,fri", "weekdays", "daily"])
        mask |= bit
    return mask


def describe_days(mask: int) -> str:
    if mask == EVERY_DAY:
        return "every day"
    if mask == 0b0011111:
        return "weekdays"
    if mask == 0b1100000:
        return "weekends"
    return ", ".join(WEEKDAY_NAMES[i] for i in range(7) if mask & (1 << i))


_TIME = re.compile(r"^(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$")


def parse_time(text: str) -> time:
    """'09:00', '9:30', '21.15', '9am', '7:30 pm' -> a local time of day (minutes only)."""
    match = _TIME.match((text or "").strip().lower())
    if match is None:
        raise ScheduleInputError(
            f"“{(text or '')[:20]}” is not a time of day. Use 24-hour `HH:MM`, e.g. `09:00` or "
            "`19:30`.", ["09:00", "19:30"])
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    meridiem = (match.group(3) or "").replace(".", "")
    if meridiem:
        if not 1 <= hour <= 12:
            raise ScheduleInputError(f"“{text[:20]}”: with am/pm the hour is 1 to 12.")
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    if hour > 23 or minute > 59:
        raise ScheduleInputError(f"“{text[:20]}” is not a time of day: hours 0-23, minutes "
                                 "0-59.", ["09:00"])
    return time(hour, minute)


def format_time(value: time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


#: Abbreviations and legacy names people type, with the IANA zones they usually mean. Legacy
#: names such as "CET" exist in the database but name no place, so a server's local rules
#: (and the suggestions) come from a city instead.
_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "cet": ("Europe/Paris", "Europe/Berlin", "Europe/Madrid"),
    "cest": ("Europe/Paris", "Europe/Berlin", "Europe/Madrid"),
    "met": ("Europe/Paris", "Europe/Berlin"),
    "eet": ("Europe/Athens", "Europe/Helsinki", "Europe/Kyiv"),
    "eest": ("Europe/Athens", "Europe/Helsinki", "Europe/Kyiv"),
    "wet": ("Europe/Lisbon", "Atlantic/Canary"),
    "gmt": ("Europe/London", "UTC"),
    "bst": ("Europe/London",),
    "gb": ("Europe/London",),
    "uk": ("Europe/London",),
    "ist": ("Asia/Kolkata", "Europe/Dublin"),
    "msk": ("Europe/Moscow",),
    "w-su": ("Europe/Moscow",),
    "est": ("America/New_York", "America/Toronto"),
    "edt": ("America/New_York", "America/Toronto"),
    "est5edt": ("America/New_York",),
    "cst": ("America/Chicago", "America/Mexico_City"),
    "cdt": ("America/Chicago",),
    "cst6cdt": ("America/Chicago",),
    "mst": ("America/Denver", "America/Phoenix"),
    "mdt": ("America/Denver",),
    "mst7mdt": ("America/Denver",),
    "pst": ("America/Los_Angeles", "America/Vancouver"),
    "pdt": ("America/Los_Angeles",),
    "pst8pdt": ("America/Los_Angeles",),
    "hst": ("Pacific/Honolulu",),
    "jst": ("Asia/Tokyo",),
    "kst": ("Asia/Seoul",),
    "aest": ("Australia/Sydney", "Australia/Brisbane"),
    "aedt": ("Australia/Sydney",),
    "nzst": ("Pacific/Auckland",),
    "nz": ("Pacific/Auckland",),
    "z": ("UTC",),
    "zulu": ("UTC",),
    "utc+0": ("UTC",),
}
_ACCEPTED_WITHOUT_SLASH = {"UTC"}


@functools.cache
def zone_names() -> dict[str, str]:
    """lower-case IANA name -> canonical name, for place-based zones (plus UTC)."""
    names = {n for n in zoneinfo.available_timezones()
             if ("/" in n and not n.startswith(("posix/", "right/", "SystemV/")))
             or n in _ACCEPTED_WITHOUT_SLASH}
    return {n.lower(): n for n in names}


def resolve_timezone(text: str) -> str:
    """The canonical IANA name for what was typed; ScheduleInputError with suggestions if not.

    Case is forgiven ("europe/london"); anything else is refused rather than guessed, because
    a wrong zone means a post at the wrong hour every day.
    """
    typed = (text or "").strip()
    names = zone_names()
    if not names:
        raise ScheduleInputError("This bot's host has no time zone database. Ask the host to "
                                 "install the `tzdata` package.")
    canonical = names.get(typed.lower())
    if canonical is not None:
        return canonical
    suggestions = suggest_timezones(typed)
    hint = f" Did you mean {_join_or(suggestions)}?" if suggestions else ""
    raise ScheduleInputError(
        f"“{typed[:40]}” is not an IANA time zone name.{hint} Use a name like `Europe/London` "
        "or `America/New_York` (the zone of a city near you), so daylight saving is followed.",
        suggestions or ["Europe/London", "America/New_York", "UTC"])


def suggest_timezones(typed: str, limit: int = 3) -> list[str]:
    """Likely zones for a near miss: abbreviations first, then the closest names by spelling."""
    key = typed.strip().lower()
    names = zone_names()
    found = [z for z in _ABBREVIATIONS.get(key, ()) if z.lower() in names]
    query = key.replace(" ", "_")
    if len(query) >= 3:
        scored = []
        for lower, canonical in names.items():
            city = lower.rsplit("/", 1)[-1]
            score = max(fuzz.ratio(query, lower), fuzz.ratio(query, city))
            if score >= 75:
                scored.append((-score, canonical))
        found += [name for _, name in sorted(scored)]
    return list(dict.fromkeys(found))[:limit]


COMMON_ZONES = ("Europe/London", "Europe/Paris", "Europe/Berlin", "Europe/Moscow",
                "America/New_York", "America/Chicago", "America/Los_Angeles",
                "America/Mexico_City", "America/Sao_Paulo", "Asia/Kolkata", "Asia/Tokyo",
                "Australia/Sydney", "UTC")


def timezone_choices(typed: str, limit: int = CHOICES) -> list[str]:
    """Zones for autocomplete: names starting with or containing what was typed, then near
    misses; a few common ones before anything is typed."""
    key = typed.strip().lower().replace(" ", "_")
    names = zone_names()
    if not key:
        return [z for z in COMMON_ZONES if z.lower() in names][:limit]
    city_first = sorted(
        (canonical for lower, canonical in names.items() if key in lower),
        key=lambda z: (not z.lower().rsplit("/", 1)[-1].startswith(key),
                       not z.lower().startswith(key), z))
    return list(dict.fromkeys([*city_first, *suggest_timezones(typed, limit)]))[:limit]


def _join_or(items: list[str]) -> str:
    quoted = [f"`{item}`" for item in items]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


# ---------------------------------------------------------------- slots


@dataclass(frozen=True, slots=True)
class Rule:
    """When a server's prompt is due: a local time, an IANA zone and the weekdays."""

    local_time: time
    zone: zoneinfo.ZoneInfo
    days: int = EVERY_DAY

    @classmethod
    def of(cls, local_time: str, timezone: str, days: int = EVERY_DAY) -> Rule:
        return cls(parse_time(local_time), zoneinfo.ZoneInfo(timezone), days or EVERY_DAY)

    def runs_on(self, day: date) -> bool:
        return bool(self.days & (1 << day.weekday()))

    def occurrence(self, day: date) -> datetime:
        """The UTC instant of the post on a local date (see the module notes on DST edges)."""
        return datetime.combine(day, self.local_time, tzinfo=self.zone).astimezone(UTC)

    def local_date(self, moment: datetime) -> date:
        return moment.astimezone(self.zone).date()


@dataclass(frozen=True, slots=True)
class Slot:
    """One due post: the server's local date (the idempotency key) and its UTC instant."""

    local_date: date
    at: datetime


def current_slot(rule: Rule, now: datetime) -> Slot | None:
    """The latest post time at or before ``now`` (within the last eight days)."""
    today = rule.local_date(now)
    for back in range(0, 9):
        day = today - timedelta(days=back)
        if rule.runs_on(day):
            at = rule.occurrence(day)
            if at <= now:
                return Slot(day, at)
    return None


def next_slot(rule: Rule, after: datetime, taken: Collection[date] = ()) -> Slot:
    """The first post time strictly after ``after`` whose date is not already ``taken``."""
    day = rule.local_date(after) - timedelta(days=1)
    for _ in range(8 + 7 * (len(taken) + 1)):
        if rule.runs_on(day) and day not in taken:
            at = rule.occurrence(day)
            if at > after:
                return Slot(day, at)
        day += timedelta(days=1)
    raise ValueError("no weekday selected")  # parse_days never returns an empty mask


# ---------------------------------------------------------------- what to do now

PostStatus = Literal["claimed", "retry", "sent", "failed", "missed", "skipped"]
#: States after which a day needs nothing more.
FINAL_STATUSES = frozenset({"sent", "failed", "missed", "skipped"})
#: States of a day whose outcome is still open: an attempt started and may have reached the
#: chat service (a crash, or an answer lost on the way back, leaves it here).
OPEN_STATUSES = frozenset({"claimed", "retry"})
Action = Literal["post", "retry", "wait", "miss", "done", "idle"]

#: After the grace period, how long the bot keeps trying to *find out* whether an open day was
#: posted (it looks for its own post in the channel; it never sends after the grace period).
#: Only if the channel could not be read for this long is the day given up unconfirmed.
CONFIRM_WINDOW = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class PostState:
    """What the post log says about one day (the fields the rules need)."""

    status: str
    claimed_at: datetime | None = None
    retry_at: datetime | None = None
    message_id: int | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    action: Action
    slot: Slot | None = None
    check_at: datetime | None = None  # for "wait": when to look again


def decide(rule: Rule, now: datetime, *, active_since: datetime, grace: timedelta,
           claim_timeout: timedelta, state: PostState | None) -> Decision:
    """What the scheduler should do for a server's latest slot at ``now``.

    - ``post``: the latest slot is due, nobody has claimed it, and it is within the grace period;
    - ``retry``: an attempt failed and its back-off is over, or a claim went stale (the process
      that claimed it died mid-post). Within the grace period the retry may send (after looking
      for an earlier attempt's post); after it, the retry only looks (see :func:`decide_day`);
    - ``wait``: someone holds a fresh claim, or a back-off is running (``check_at`` says until
      when);
    - ``miss``: the slot is older than the grace period and was never attempted, or an open
      attempt could not be confirmed within :data:`CONFIRM_WINDOW`;
    - ``done``: the day is settled; ``idle``: no slot since the schedule became active.
    """
    slot = current_slot(rule, now)
    if slot is None or slot.at < active_since:
        return Decision("idle")
    return decide_day(slot, now, grace=grace, claim_timeout=claim_timeout, state=state)


def decide_day(slot: Slot, now: datetime, *, grace: timedelta, claim_timeout: timedelta,
               state: PostState | None) -> Decision:
    """:func:`decide` for one given day (also for an older day whose outcome is still open)."""
    within_grace = now - slot.at <= grace
    if state is None:
        return Decision("post" if within_grace else "miss", slot)
    if state.status in FINAL_STATUSES:
        return Decision("done", slot)
    if not within_grace and now - slot.at > grace + CONFIRM_WINDOW:
        return Decision("miss", slot)
    if state.status == "claimed":
        claimed_at = state.claimed_at or now
        if claim_is_fresh(claimed_at, now, claim_timeout):
            # The claimer may still be sending. Look again when the claim goes stale.
            return Decision("wait", slot, check_at=claimed_at + claim_timeout)
        return Decision("retry", slot)
    retry_at = state.retry_at or now
    if retry_at <= now:
        return Decision("retry", slot)
    return Decision("wait", slot, check_at=retry_at)


def claim_is_fresh(claimed_at: datetime, now: datetime, claim_timeout: timedelta) -> bool:
    """A claim younger than the timeout. One stamped more than a timeout *ahead* of ``now``
    (the clock was stepped back since) is stale too: otherwise it would hold the day for as
    long as the clock was wrong."""
    return abs(now - claimed_at) < claim_timeout


# ---------------------------------------------------------------- failures

#: What a failed post means for the schedule. ``permanent``: it will not go away by itself (a
#: moderator has to act), so once the attempts in ``retry_delays_seconds`` are used up the
#: schedule pauses. ``outage``: anything else (the chat service down, rate limits, the
#: network), retried with back-off until the grace period ends, and then noted as a missed day
#: without pausing. The surface decides which one an error is (bot/discord_app/failures.py
#: maps Discord's error codes).
FailureKind = Literal["permanent", "outage"]


@dataclass(frozen=True, slots=True)
class PostFailure:
    """Why a post did not go out, as the scheduling rules need it."""

    kind: FailureKind
    reason: str  # for moderators: what went wrong, in a few words
    channel: str  # the channel, as the surface names it to moderators

    @property
    def permanent(self) -> bool:
        return self.kind == "permanent"


def retry_delay(failed_attempts: int, delays: list[int]) -> timedelta:
    """The back-off after ``failed_attempts`` failures: the listed waits, then the last one
    again and again (an outage is retried until the grace period ends, not a fixed number of
    times)."""
    if not delays:
        return timedelta(0)
    return timedelta(seconds=delays[max(0, min(failed_attempts, len(delays)) - 1)])


def next_retry(now: datetime, failed_attempts: int, delays: list[int], *, slot_at: datetime,
               grace: timedelta, permanent: bool) -> datetime | None:
    """When to try a day again after a failure at ``now``, or None to give it up.

    Within the grace period the retry is kept inside it: the last wait is cut short so that
    one attempt lands on the end of the grace period itself, and a chat service that is back
    by then still gets the post. After the grace period (when an attempt only looks for an
    earlier post) it is kept inside the confirmation window. A permanent failure is retried
    only ``len(delays)`` times: a moderator has to act, and the schedule pauses.
    """
    if permanent and failed_attempts > len(delays):
        return None
    deadline = slot_at + grace
    if now >= deadline:
        deadline += CONFIRM_WINDOW
        if now >= deadline:
            return None
    return min(now + retry_delay(failed_attempts, delays), deadline)
