"""The scheduler simulation (bench/scheduler_sim.py) as a test: months of restarts, kills
between send and record, lost answers, Discord outages, clock jumps and DST changes over the
real rules and the real store, with a fake clock. Deterministic (seeded).

What it asserts is what a server would notice: no day posted twice, no day without its post
unless the timeline alone says it had to be missed (the bot or Discord down, or the clock
off, for the whole grace period), and a post log that agrees with the channel.
"""

from __future__ import annotations

import pytest

from bench.scheduler_sim import SimClock, simulate
from tests.answer_helpers import store_copy
from tests.prompt_helpers import prompt_context

DAYS, RESTARTS, SEED = 100, 1000, 1917


@pytest.fixture(scope="module")
def figures(tmp_path_factory: pytest.TempPathFactory, backend: str):
    url = store_copy(tmp_path_factory.mktemp("sim") / "scheduler-sim.sqlite3", backend)
    contexts = []

    def make(clock: SimClock):
        # production's back-off, not the tests' shorter one
        contexts.append(prompt_context(url, clock, retry_delays_seconds=[60, 300, 900]))
        return contexts[-1]

    result = simulate(make, days=DAYS, restarts=RESTARTS, seed=SEED)
    for context in contexts:
        context.answers.store.engine.dispose()
    return result


def test_the_run_covers_what_it_claims(figures) -> None:
    assert figures.days == DAYS and figures.servers == 8
    assert figures.restarts >= 1000 and figures.kills >= 20 and figures.lost_answers >= 20
    assert figures.outages >= 30 and figures.clock_jumps >= 30 and figures.dst_days >= 3
    assert figures.missed_justified >= 5  # long stops do happen, so missing can be seen


def test_no_day_is_posted_twice(figures) -> None:
    assert figures.doubled == 0


def test_only_the_days_the_timeline_says_had_to_be_missed_are_missed(figures) -> None:
    assert figures.missed_unjustified == 0
    assert figures.posted_when_justified == 0  # the timeline's reckoning is not too generous
    assert figures.missed == figures.missed_justified


def test_the_post_log_agrees_with_the_channel(figures) -> None:
    # every posted day 'sent' with the id of its one post, sent inside its grace period by the
    # bot's clock; 'missed' only where nothing was posted; nothing left claimed or retrying
    assert figures.log_mismatches == []
