"""The post log's unique key under real concurrency, and what survives a re-ingest."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from bot.store import prompt_store
from bot.store.database import create_engine_for, migrate, migrate_state
from bot.store.ingest import ingest
from bot.store.prompt_store import PromptRepository
from tests.prompt_helpers import tiny_corpus, utc

GUILD = 81384788765712384
DAY = date(2024, 3, 31)
NOW = utc(2024, 3, 31, 8)


@pytest.fixture
def engines(tmp_path: Path):
    """Two engines on one file: two bot processes sharing a database."""
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    first, second = create_engine_for(url), create_engine_for(url)
    migrate(first)
    migrate_state(first)  # index and server state in one file, as a test may
    yield first, second
    first.dispose()
    second.dispose()


def race(work: Callable[[Engine, int], Any], engines: tuple[Engine, ...]) -> list[Any]:
    """Run ``work`` on every engine at the same moment, each in its own thread."""
    barrier = threading.Barrier(len(engines))
    results: list[Any] = [None] * len(engines)
    errors: list[BaseException] = []

    def run(index: int, engine: Engine) -> None:
        try:
            barrier.wait()
            results[index] = work(engine, index)
        except BaseException as error:  # surfaced below, with the test's traceback
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i, e)) for i, e in enumerate(engines)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    return results


def claim(engine: Engine, index: int, day: date = DAY):
    return PromptRepository(engine).claim_post(guild_id=GUILD, local_date=day, scheduled_for=NOW,
                                               token=f"process-{index}", now=NOW,
                                               prompt_key=f"c:prompt-{index}", prompt_text="Why?",
                                               tags=["NEP"], cycle=0, channel_id=1)


def test_two_processes_racing_for_a_day_exactly_one_wins(engines) -> None:
    for offset in range(5):  # several rounds: a lucky interleaving must not pass by chance
        day = DAY + timedelta(days=offset)
        results = race(lambda engine, index, day=day: claim(engine, index, day), engines)
        winners = [r for r in results if r is not None]
        assert len(winners) == 1, results
        stored = PromptRepository(engines[0]).post_for(GUILD, day)
        assert stored is not None and stored.claim_token == winners[0].claim_token
        assert stored.status == "claimed" and stored.attempts == 1

CLAIM = timedelta(minutes=2)


def test_a_claimed_day_cannot_be_claimed_again_or_marked(engines) -> None:
    first, second = engines
    assert claim(first, 0) is not None
    assert claim(second, 1) is None
    assert not PromptRepository(second).insert_marker(guild_id=GUILD, local_date=DAY,
                                                      scheduled_for=NOW, status="skipped", note="x")


def test_racing_to_retry_a_stale_claim_exactly_one_wins(engines) -> None:
    post = claim(engines[0], 0)
    later = NOW + timedelta(minutes=5)
    results = race(lambda engine, index: PromptRepository(engine).reclaim_post(
        post.id, token=f"retry-{index}", now=later, claim_timeout=CLAIM), engines)
    winners = [r for r in results if r is not None]
    assert len(winners) == 1 and winners[0].attempts == 2
    # a fresh claim is not stale: nobody may take it over
    assert PromptRepository(engines[0]).reclaim_post(post.id, token="late", now=later,
                                                     claim_timeout=CLAIM) is None


def test_a_retry_waits_for_its_time(engines) -> None:
    post = claim(engines[0], 0)
    PromptRepository(engines[0]).mark_retry(post.id, retry_at=NOW + timedelta(minutes=1), error="x")
    early = PromptRepository(engines[0]).reclaim_post(post.id, token="t", now=NOW,
                                                      claim_timeout=CLAIM)
    assert early is None
    due = NOW + timedelta(minutes=1)
    assert PromptRepository(engines[0]).reclaim_post(post.id, token="t", now=due,
                                                     claim_timeout=CLAIM) is not None


def test_a_claim_stamped_ahead_of_a_clock_stepped_back_goes_stale(engines) -> None:
    """A claim made before the clock was stepped back an hour must not hold the day an hour."""
    post = claim(engines[0], 0)
    behind = NOW - timedelta(hours=1)
    repository = PromptRepository(engines[0])
    assert repository.reclaim_post(post.id, token="t", now=NOW - timedelta(minutes=1),
                                   claim_timeout=CLAIM) is None  # within the timeout: fresh
    taken = repository.reclaim_post(post.id, token="t", now=behind, claim_timeout=CLAIM)
    assert taken is not None and taken.attempts == 2


def test_times_come_back_aware_in_utc(engines) -> None:
    post = claim(engines[0], 0)
    assert post.claimed_at == NOW and post.claimed_at.tzinfo is not None
    assert post.local_date == DAY


def test_moderators_prompts_schedules_and_the_log_survive_a_re_ingest(tmp_path: Path) -> None:
    texts = tiny_corpus(tmp_path)
    engine = create_engine_for(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    ingest(engine, texts)
    migrate_state(engine)
    added = PromptRepository(engine).add_custom(guild_id=GUILD,
                                                question="What did Kronstadt change?",
                                                source_slug="new-essay", evidence="social weight",
                                                tags=["Kronstadt"], status="active", author_id=5,
                                                now=NOW, duplicate_of=None, duplicate_score=None)
    record = prompt_store.ScheduleRecord(
        guild_id=GUILD, channel_id=1, local_time="09:00", timezone="Europe/London", days=127,
        open_thread=False, role_id=None, paused=False, pause_reason=None, active_since=NOW,
        next_check_at=NOW, note=None, updated_by=5, updated_at=NOW)
    PromptRepository(engine).save_schedule(record)
    assert claim(engine, 0) is not None
    ingest(engine, texts, force=True)  # every source row is deleted and inserted again
    assert PromptRepository(engine).list_custom(GUILD, ("active",)) == [added]
    assert PromptRepository(engine).get_schedule(GUILD) == record
    assert PromptRepository(engine).post_for(GUILD, DAY) is not None
    engine.dispose()
