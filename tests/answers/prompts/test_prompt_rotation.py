"""Pool rotation as a pure function: no repeats until the pool is used up, topics take turns,
moderators' prompts first, stable per server."""

from __future__ import annotations

import itertools

from bot.answers.prompts.pool import PoolEntry
from bot.answers.prompts.rotation import Used, choose, unused

TAGS = ("bureaucracy", "Thermidor", "Kronstadt")


def pool(n: int = 12) -> list[PoolEntry]:
    return [PoolEntry(key=f"c:p{i}", question=f"Question {i}?", tags=(TAGS[i % 3],),
                      origin="curated") for i in range(n)]


def run(entries: list[PoolEntry], days: int, seed: int = 1, history: list[Used] | None = None
        ) -> list[Used]:
    """Simulate ``days`` posts; returns the history, newest first."""
    history = list(history or [])
    for _ in range(days):
        pick = choose(entries, history, seed)
        assert pick is not None
        history.insert(0, Used(pick.entry.key, pick.cycle, pick.entry.tags))
    return history


def test_no_repeats_until_the_pool_is_used_up() -> None:
    entries = pool(12)
    history = run(entries, 12)
    assert len({u.key for u in history}) == 12
    assert {u.cycle for u in history} == {0}
    assert unused(entries, history) == []


def test_then_a_new_cycle_starts_without_repeating_the_last_prompt() -> None:
    entries = pool(12)
    history = run(entries, 13)
    newest, last_of_first_cycle = history[0], history[1]
    assert newest.cycle == 1
    assert newest.key != last_of_first_cycle.key
    history = run(entries, 11, history=history)
    assert len({u.key for u in history if u.cycle == 1}) == 12


def test_topics_take_turns() -> None:
    history = run(pool(12), 12)
    tags = [u.tags[0] for u in reversed(history)]
    assert all(a != b for a, b in itertools.pairwise(tags))
    assert {frozenset(tags[i:i + 3]) for i in range(0, 12, 3)} == {frozenset(TAGS)}


def test_a_big_tag_does_not_crowd_out_small_ones() -> None:
    entries = pool(12) + [PoolEntry(key=f"c:b{i}", question="?", tags=("bureaucracy",),
                                    origin="curated") for i in range(20)]
    first_six = [u.tags[0] for u in reversed(run(entries, 6))]
    assert first_six.count("bureaucracy") == 2


def test_moderators_prompts_go_first_oldest_first() -> None:
    entries = [*pool(6), PoolEntry("m:9", "Mine?", ("x",), "moderator"),
               PoolEntry("m:3", "Older?", ("y",), "moderator")]
    history = run(entries, 3)
    assert [u.key for u in reversed(history)][:2] == ["m:3", "m:9"]


def test_order_is_stable_per_server_and_differs_between_servers() -> None:
    entries = pool(12)
    assert [u.key for u in run(entries, 6, seed=7)] == [u.key for u in run(entries, 6, seed=7)]
    orders = {tuple(u.key for u in run(entries, 6, seed=seed)) for seed in range(5)}
    assert len(orders) > 1


def test_pick_reports_what_is_left() -> None:
    entries = pool(5)
    pick = choose(entries, [], 1)
    assert pick is not None and pick.left_after == 4
    assert choose([], [], 1) is None
