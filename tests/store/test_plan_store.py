"""A server's reading plan in the store, on both backends: the round trip, and that a full
re-ingest (every source row deleted and inserted again) leaves it as it was."""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path

from bot.store.ingest import ingest
from bot.store.plans import PlanRecord
from tests.answer_helpers import build_context
from tests.corpus_helpers import TEXTS
from tests.prompt_helpers import utc

GUILD = 81384788765712384  # larger than 2**53 and than a 32-bit int: a real snowflake
SECTIONS = ("Always with his class", "1905 and the theory of permanent revolution",
            "1907-1916 — the years of reaction and war")


def test_a_plan_round_trips_moves_and_survives_a_full_re_ingest(tmp_path: Path,
                                                                 backend: str) -> None:
    ctx = build_context(tmp_path / "plans.sqlite3", backend=backend)
    plans = ctx.store.plans
    record = PlanRecord(guild_id=GUILD, source_slug="life-of-leon-trotsky", sections=SECTIONS,
                        start=date(2024, 1, 8), timezone="Europe/London", per_week=None,
                        target_date=date(2024, 2, 2), advanced=0, paused_on=None,
                        paused_days=0, updated_by=5, updated_at=utc(2024, 1, 7, 12))
    assert plans.get(GUILD) is None
    plans.put(record)
    assert plans.get(GUILD) == record
    assert plans.update(GUILD, advanced=2, paused_on=date(2024, 1, 20), paused_days=3,
                        updated_by=6, updated_at=utc(2024, 1, 20, 9))
    moved = plans.get(GUILD)
    assert moved is not None
    assert (moved.advanced, moved.paused_on, moved.paused_days, moved.updated_by) == (
        2, date(2024, 1, 20), 3, 6)
    assert moved.updated_at == utc(2024, 1, 20, 9)
    assert not plans.update(GUILD + 1, advanced=1, paused_on=None, paused_days=0,
                            updated_by=6, updated_at=utc(2024, 1, 20, 9))

    ingest(ctx.store.engine, TEXTS, force=True)  # the index rebuilt from scratch
    assert plans.get(GUILD) == moved
    # ... and the sections it names are still the text's, in order, with their paragraphs.
    titles = [s.title for s in ctx.store.sources.sections("life-of-leon-trotsky")]
    assert titles[1:4] == list(SECTIONS)
    assert plans.remove(GUILD) and plans.get(GUILD) is None
    ctx.store.engine.dispose()


def test_sections_come_in_reading_order_with_their_paragraph_ranges(tmp_path: Path,
                                                                     backend: str) -> None:
    ctx = build_context(tmp_path / "sections.sqlite3", backend=backend)
    sections = ctx.store.sources.sections("to-lead-the-people")
    assert [s.title for s in sections] == [
        None, "War Communism: 1917-21", "The Natural Necessity of the New Industrial-Elite",
        "The Results of the NEP", "The Material Logic of Stalinism", "In Conclusion"]
    # Contiguous: each section starts where the one before it ended.
    assert all(b.first_paragraph == a.last_paragraph + 1 for a, b in
               itertools.pairwise(sections))
    assert ctx.store.sources.sections("no-such-text") == []
    ctx.store.engine.dispose()
