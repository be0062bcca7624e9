"""The scheduling rules as pure functions: input parsing, time zones, DST, weekdays, grace
periods, retries and shards. No database, no clock, no Discord."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from bot.answers.prompts.schedule import (
    EVERY_DAY,
    PostState,
    Rule,
    ScheduleInputError,
    Slot,
    current_slot,
    decide,
    decide_day,
    describe_days,
    next_retry,
    next_slot,
    parse_days,
    parse_time,
    resolve_timezone,
    retry_delay,
    timezone_choices,
)
from tests.prompt_helpers import utc

GRACE = timedelta(hours=3)
CLAIM = timedelta(minutes=2)
LONDON = Rule.of("09:00", "Europe/London")


# ---------------------------------------------------------------- input


@pytest.mark.parametrize(("typed", "expected"), [
    ("09:00", time(9)), ("9:30", time(9, 30)), ("21.15", time(21, 15)), ("7", time(7)),
    ("9am", time(9)), ("7:30 pm", time(19, 30)), ("12am", time(0)), ("12pm", time(12)),
])
def test_times_of_day(typed: str, expected: time) -> None:
    assert parse_time(typed) == expected


@pytest.mark.parametrize("typed", ["25:00", "9:75", "noon", "", "13pm", "09:00:00"])
def test_bad_times_say_how_to_write_one(typed: str) -> None:
    with pytest.raises(ScheduleInputError) as error:
        parse_time(typed)
    assert "09:00" in str(error.value) or "0-23" in str(error.value) or "1 to 12" in str(
        error.value)


def test_days() -> None:
    assert parse_days(None) == parse_days("") == parse_days("daily") == EVERY_DAY
    assert parse_days("mon,wed,fri") == 0b0010101
    assert parse_days("Tuesday and Thursday") == 0b0001010
    assert parse_days("weekends") == 0b1100000
    assert describe_days(0b0010101) == "Monday, Wednesday, Friday"
    assert describe_days(EVERY_DAY) == "every day"
    with pytest.raises(ScheduleInputError, match="funday"):
        parse_days("mon,funday")


def test_iana_names_are_accepted_in_any_case() -> None:
    assert resolve_timezone("Europe/London") == "Europe/London"
    assert resolve_timezone("america/new_york") == "America/New_York"
    assert resolve_timezone("utc") == "UTC"


@pytest.mark.parametrize(("typed", "first"), [
    ("Europe/Londn", "Europe/London"),
    ("CET", "Europe/Paris"),
    ("EST", "America/New_York"),
    ("GMT", "Europe/London"),
    ("Tokyo", "Asia/Tokyo"),
    ("new york", "America/New_York"),
])
def test_near_misses_are_refused_with_suggestions(typed: str, first: str) -> None:
    with pytest.raises(ScheduleInputError) as error:
        resolve_timezone(typed)
    assert error.value.suggestions[0] == first
    assert first in str(error.value)


def test_nonsense_zones_get_examples() -> None:
    with pytest.raises(ScheduleInputError) as error:
        resolve_timezone("qqqq")
    assert "Europe/London" in error.value.suggestions


def test_timezone_autocomplete() -> None:
    assert timezone_choices("london")[0] == "Europe/London"
    assert "UTC" in timezone_choices("")
    assert len(timezone_choices("a")) <= 25


# ---------------------------------------------------------------- DST


@pytest.mark.parametrize(("day", "utc_hour"), [
    (date(2024, 3, 30), 9),  # the last Saturday on GMT
    (date(2024, 3, 31), 8),  # clocks went forward at 01:00 UTC: 09:00 BST
    (date(2024, 10, 26), 8),  # the last Saturday on BST
    (date(2024, 10, 27), 9),  # clocks went back: 09:00 GMT again
])
def test_local_time_is_kept_on_both_sides_of_a_dst_change(day: date, utc_hour: int) -> None:
    at = LONDON.occurrence(day)
    assert at == utc(day.year, day.month, day.day, utc_hour)
    assert at.astimezone(LONDON.zone).hour == 9


def test_new_york_changes_on_its_own_date() -> None:
    rule = Rule.of("18:30", "America/New_York")
    assert rule.occurrence(date(2024, 3, 9)) == utc(2024, 3, 9, 23, 30)  # EST
    assert rule.occurrence(date(2024, 3, 10)) == utc(2024, 3, 10, 22, 30)  # EDT


def test_a_skipped_local_time_posts_an_hour_later_that_day() -> None:
    rule = Rule.of("01:30", "Europe/London")  # 01:00-02:00 does not exist on 31 March
    assert rule.occurrence(date(2024, 3, 31)) == utc(2024, 3, 31, 1, 30)  # 02:30 BST


def test_a_repeated_local_time_posts_once_at_the_first() -> None:
    rule = Rule.of("01:30", "Europe/London")  # 01:00-02:00 happens twice on 27 October
    assert rule.occurrence(date(2024, 10, 27)) == utc(2024, 10, 27, 0, 30)
    assert next_slot(rule, utc(2024, 10, 27, 0, 30)).local_date == date(2024, 10, 28)


def test_next_slot_crosses_the_change() -> None:
    slot = next_slot(LONDON, utc(2024, 3, 30, 9, 0))
    assert slot.local_date == date(2024, 3, 31)
    assert slot.at == utc(2024, 3, 31, 8)


# ---------------------------------------------------------------- days of the week


def test_only_chosen_weekdays() -> None:
    rule = Rule.of("19:00", "UTC", parse_days("mon,thu"))
    after = utc(2024, 1, 16, 12)  # a Tuesday
    first = next_slot(rule, after)
    assert (first.local_date, first.local_date.weekday()) == (date(2024, 1, 18), 3)
    second = next_slot(rule, first.at)
    assert second.local_date == date(2024, 1, 22)
    assert current_slot(rule, utc(2024, 1, 21, 12)).local_date == date(2024, 1, 18)


def test_taken_days_are_stepped_over() -> None:
    slot = next_slot(LONDON, utc(2024, 1, 15, 10), taken={date(2024, 1, 16)})
    assert slot.local_date == date(2024, 1, 17)


def test_the_day_is_the_servers_local_date() -> None:
    rule = Rule.of("00:30", "Asia/Tokyo")
    slot = current_slot(rule, utc(2024, 1, 15, 16))  # 01:00 on the 16th in Tokyo
    assert slot.local_date == date(2024, 1, 16)
    assert slot.at == utc(2024, 1, 15, 15, 30)


# ---------------------------------------------------------------- what to do now


LONG_AGO = utc(2024, 1, 1)


def _decide(now, state=None, active_since=LONG_AGO):
    return decide(LONDON, now, active_since=active_since, grace=GRACE, claim_timeout=CLAIM,
                  state=state)


def test_due_and_unclaimed_is_posted() -> None:
    decision = _decide(utc(2024, 1, 15, 9, 0))
    assert decision.action == "post"
    assert decision.slot.local_date == date(2024, 1, 15)


def test_before_the_time_nothing_is_due_today() -> None:
    decision = _decide(utc(2024, 1, 15, 8, 59), state=PostState("sent"))
    assert (decision.action, decision.slot.local_date) == ("done", date(2024, 1, 14))


def test_within_the_grace_period_a_missed_post_goes_out() -> None:
    assert _decide(utc(2024, 1, 15, 11, 59)).action == "post"


def test_past_the_grace_period_it_is_missed() -> None:
    assert _decide(utc(2024, 1, 15, 12, 1)).action == "miss"


def test_a_fresh_claim_is_left_alone_even_past_grace() -> None:
    claimed = PostState("claimed", claimed_at=utc(2024, 1, 15, 12, 30))
    decision = _decide(utc(2024, 1, 15, 12, 31), claimed)
    assert decision.action == "wait"
    assert decision.check_at == utc(2024, 1, 15, 12, 32)


def test_a_stale_claim_is_retried_and_after_grace_still_checked_never_left_open() -> None:
    """A stale claim may have been posted: past the grace period it is still retried (the
    retry only looks in the channel), until the confirmation window ends."""
    claimed = PostState("claimed", claimed_at=utc(2024, 1, 15, 9, 0))
    assert _decide(utc(2024, 1, 15, 9, 1), claimed).action == "wait"
    assert _decide(utc(2024, 1, 15, 9, 2), claimed).action == "retry"
    assert _decide(utc(2024, 1, 15, 12, 30), claimed).action == "retry"
    slot = Slot(date(2024, 1, 15), utc(2024, 1, 15, 9))  # checked on the next day too
    assert decide_day(slot, utc(2024, 1, 16, 11, 59), grace=GRACE, claim_timeout=CLAIM,
                      state=claimed).action == "retry"
    assert decide_day(slot, utc(2024, 1, 16, 12, 1), grace=GRACE, claim_timeout=CLAIM,
                      state=claimed).action == "miss"  # 3 h + 24 h later


def test_a_claim_from_a_clock_stepped_back_does_not_hold_the_day() -> None:
    ahead = PostState("claimed", claimed_at=utc(2024, 1, 15, 10, 0))
    assert _decide(utc(2024, 1, 15, 9, 59), ahead).action == "wait"
    assert _decide(utc(2024, 1, 15, 9, 30), ahead).action == "retry"  # 30 min "ahead"


def test_a_failed_attempt_waits_for_its_back_off() -> None:
    retry = PostState("retry", retry_at=utc(2024, 1, 15, 9, 5))
    assert _decide(utc(2024, 1, 15, 9, 4), retry).action == "wait"
    assert _decide(utc(2024, 1, 15, 9, 5), retry).action == "retry"


def test_settled_days_are_done() -> None:
    for status in ("sent", "failed", "missed", "skipped"):
        assert _decide(utc(2024, 1, 15, 9, 30), PostState(status)).action == "done"


def test_a_new_schedule_does_not_catch_up_on_todays_earlier_time() -> None:
    decision = _decide(utc(2024, 1, 15, 10), active_since=utc(2024, 1, 15, 9, 30))
    assert decision.action == "idle"


# ---------------------------------------------------------------- failures, shards, perms


def test_back_off_repeats_its_last_wait() -> None:
    delays = [60, 300, 900]
    assert [retry_delay(n, delays) for n in (1, 2, 3, 4, 40)] == [
        timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15),
        timedelta(minutes=15), timedelta(minutes=15)]


def test_outages_are_retried_to_the_end_of_grace_then_only_checked() -> None:
    slot, delays = utc(2024, 1, 15, 9), [60, 300, 900]

    def at(now, failed, permanent=False):
        return next_retry(now, failed, delays, slot_at=slot, grace=GRACE, permanent=permanent)

    assert at(utc(2024, 1, 15, 11, 0), 9) == utc(2024, 1, 15, 11, 15)
    assert at(utc(2024, 1, 15, 11, 50), 12) == utc(2024, 1, 15, 12, 0)  # one try at the end
    assert at(utc(2024, 1, 15, 12, 0), 13) == utc(2024, 1, 15, 12, 15)  # a check, not a post
    assert at(utc(2024, 1, 16, 12, 0), 99) is None  # the confirmation window is over
    assert at(utc(2024, 1, 15, 9, 6), 3, permanent=True) == utc(2024, 1, 15, 9, 21)
    assert at(utc(2024, 1, 15, 9, 21), 4, permanent=True) is None  # a moderator must act

