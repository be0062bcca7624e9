"""Where a reading plan stands on a day: the pure rules, with plain dates (no clock, no store)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.answers.plan.rules import (
    Plan,
    PlanInputError,
    advance,
    local_date,
    parse_day,
    pause,
    position,
    resume,
)

CHAPTERS = ("One", "Two", "Three", "Four", "Five")
MONDAY = date(2024, 1, 8)


def weekly(**changes: object) -> Plan:
    options: dict[str, object] = {"sections": CHAPTERS, "start": MONDAY, "per_week": 1}
    options.update(changes)
    return Plan(**options)  # type: ignore[arg-type]


def current(plan: Plan, day: date) -> list[str]:
    return [plan.sections[i] for i in position(plan, day).current]


def test_one_section_a_week_moves_on_each_seventh_day() -> None:
    plan = weekly()
    assert current(plan, date(2024, 1, 8)) == ["One"]
    assert current(plan, date(2024, 1, 14)) == ["One"]  # the Sunday still reads week one
    assert current(plan, date(2024, 1, 15)) == ["Two"]
    at = position(plan, date(2024, 1, 16))
    assert at.upcoming == (2,) and at.upcoming_on == date(2024, 1, 22)
    assert at.last_on == date(2024, 2, 5)


def test_two_sections_a_week_reads_them_together() -> None:
    plan = weekly(per_week=2)
    assert current(plan, MONDAY) == ["One", "Two"]
    assert current(plan, date(2024, 1, 15)) == ["Three", "Four"]
    assert current(plan, date(2024, 1, 22)) == ["Five"]
    assert position(plan, date(2024, 1, 22)).finished


def test_before_the_start_nothing_is_reached_and_the_first_section_is_next() -> None:
    at = position(weekly(), date(2024, 1, 1))
    assert not at.started and at.reached == 0 and at.current == ()
    assert at.upcoming == (0,) and at.upcoming_on == MONDAY


def test_after_the_last_week_the_group_stays_on_the_last_section() -> None:
    at = position(weekly(), date(2024, 6, 1))
    assert at.finished and at.reached == 5 and at.current == (4,) and at.upcoming == ()


def test_a_target_spreads_the_sections_over_the_weeks_to_the_date() -> None:
    # "up to Four by 2 February": four sections over four weeks, one each.
    plan = Plan(sections=CHAPTERS[:4], start=MONDAY, target=date(2024, 2, 2))
    assert [current(plan, date(2024, 1, d)) for d in (8, 15, 22, 29)] == [
        ["One"], ["Two"], ["Three"], ["Four"]]
    # Three sections over five weeks: some weeks stay on a section; the last one is read by
    # the target date.
    slow = Plan(sections=CHAPTERS[:3], start=MONDAY, target=date(2024, 2, 11))
    days = [date(2024, 1, 8), date(2024, 1, 15), date(2024, 1, 22), date(2024, 1, 29),
            date(2024, 2, 5)]
    read = [current(slow, d) for d in days]
    assert read[0] == ["One"] and read[-1] == ["Three"]
    assert sorted({s for week in read for s in week}) == ["One", "Three", "Two"]
    assert position(slow, date(2024, 1, 8)).last_on <= date(2024, 2, 11)


def test_a_paused_plan_stays_on_its_section_and_resumes_from_it() -> None:
    plan = pause(weekly(), date(2024, 1, 17))  # in week two
    assert current(plan, date(2024, 3, 1)) == ["Two"]
    at = position(plan, date(2024, 3, 1))
    assert at.paused and at.upcoming_on is None and at.last_on is None
    resumed = resume(plan, date(2024, 3, 4))  # 47 days later
    assert current(resumed, date(2024, 3, 4)) == ["Two"]
    # Week two had 5 days left when it was paused (17 Jan was its third day): they run now.
    assert current(resumed, date(2024, 3, 8)) == ["Two"]
    assert current(resumed, date(2024, 3, 9)) == ["Three"]
    assert position(resumed, date(2024, 3, 4)).upcoming_on == date(2024, 3, 9)


def test_pause_before_the_start_moves_the_start() -> None:
    plan = pause(weekly(), date(2024, 1, 1))
    resumed = resume(plan, date(2024, 1, 10))
    assert current(resumed, date(2024, 1, 10)) == ["One"]
    assert current(resumed, date(2024, 1, 16)) == ["One"]
    assert current(resumed, date(2024, 1, 17)) == ["Two"]


def test_advance_moves_on_one_section_and_keeps_the_pace() -> None:
    plan = advance(weekly(), date(2024, 1, 9))
    assert plan is not None
    assert current(plan, date(2024, 1, 9)) == ["Two"]
    assert current(plan, date(2024, 1, 15)) == ["Three"]
    last = weekly()
    for _ in range(4):
        moved = advance(last, MONDAY)
        assert moved is not None
        last = moved
    assert current(last, MONDAY) == ["Five"]
    assert advance(last, MONDAY) is None  # nothing left to move on to


def test_advance_before_the_start_starts_the_plan_today() -> None:
    plan = advance(weekly(), date(2024, 1, 3))
    assert plan is not None and current(plan, date(2024, 1, 3)) == ["One"]


def test_the_week_turns_at_local_midnight_across_a_dst_change() -> None:
    # London went to BST at 01:00 UTC on Sunday 31 March 2024. Week two of a plan starting
    # Monday 25 March begins at local midnight on 1 April, which is 23:00 UTC on 31 March.
    plan = weekly(start=date(2024, 3, 25))
    before = datetime(2024, 3, 31, 22, 59, tzinfo=UTC)
    after = datetime(2024, 3, 31, 23, 1, tzinfo=UTC)
    assert current(plan, local_date(before, "Europe/London")) == ["One"]
    assert current(plan, local_date(after, "Europe/London")) == ["Two"]
    # The same moment in UTC is still Sunday: the zone decides, not the server's clock.
    assert current(plan, local_date(after, "UTC")) == ["One"]
    # And in autumn (BST ends 27 October 2024), midnight is 00:00 UTC again.
    autumn = weekly(start=date(2024, 10, 21))
    assert current(autumn, local_date(datetime(2024, 10, 27, 23, 30, tzinfo=UTC),
                                      "Europe/London")) == ["One"]
    assert current(autumn, local_date(datetime(2024, 10, 28, 0, 0, tzinfo=UTC),
                                      "Europe/London")) == ["Two"]


def test_dates_as_moderators_type_them() -> None:
    today = date(2024, 12, 10)
    assert parse_day("2025-01-12", today) == date(2025, 1, 12)
    assert parse_day("12 January", today) == date(2025, 1, 12)  # next January
    assert parse_day("Jan 12th, 2026", today) == date(2026, 1, 12)
    assert parse_day("1 December", today) == date(2024, 12, 1)  # just past: this year's
    assert parse_day("tomorrow", today) == date(2024, 12, 11)
    for bad in ("31 February", "next week", "12 Smarch"):
        with pytest.raises(PlanInputError):
            parse_day(bad, today)


def test_a_plan_needs_exactly_one_schedule() -> None:
    with pytest.raises(ValueError):
        Plan(sections=CHAPTERS, start=MONDAY)
    with pytest.raises(ValueError):
        Plan(sections=CHAPTERS, start=MONDAY, per_week=1, target=date(2024, 2, 1))
