"""Read and write a server's reading plan (the ``reading_plan`` table, migration 0012).

Server state, kept apart from the rebuildable index: the plan names its text by slug and its
sections by title, so a re-ingest (which deletes and re-inserts a changed text's rows) leaves
it as it was. Each write is one short transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Engine, Row, Table, delete, select, update
from sqlalchemy.orm import Session

from bot.store.database import write_transaction
from bot.store.models import ReadingPlan

_PLAN = cast(Table, ReadingPlan.__table__)


@dataclass(frozen=True, slots=True)
class PlanRecord:
    guild_id: int
    source_slug: str
    sections: tuple[str, ...]
    start: date
    timezone: str
    per_week: int | None
    target_date: date | None
    advanced: int
    paused_on: date | None
    paused_days: int
    updated_by: int | None
    updated_at: datetime


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _record(row: Row[Any]) -> PlanRecord:
    start = _day(row.start_date)
    assert start is not None  # NOT NULL
    return PlanRecord(guild_id=row.guild_id, source_slug=row.source_slug,
                      sections=tuple(row.sections or ()), start=start, timezone=row.timezone,
                      per_week=row.per_week, target_date=_day(row.target_date),
                      advanced=row.advanced, paused_on=_day(row.paused_on),
                      paused_days=row.paused_days, updated_by=row.updated_by,
                      updated_at=row.updated_at)


class PlanRepository:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def get(self, guild_id: int) -> PlanRecord | None:
        with self._engine.connect() as connection:
            row = connection.execute(select(_PLAN).where(_PLAN.c.guild_id == guild_id)).first()
        return _record(row) if row is not None else None

    def put(self, plan: PlanRecord) -> None:
        """Set (or replace) the server's plan."""
        with Session(self._engine) as session, session.begin():
            session.merge(ReadingPlan(
                guild_id=plan.guild_id, source_slug=plan.source_slug,
                sections=list(plan.sections), start_date=plan.start.isoformat(),
                timezone=plan.timezone, per_week=plan.per_week,
                target_date=plan.target_date.isoformat() if plan.target_date else None,
                advanced=plan.advanced,
                paused_on=plan.paused_on.isoformat() if plan.paused_on else None,
                paused_days=plan.paused_days, updated_by=plan.updated_by,
                updated_at=plan.updated_at))

    def update(self, guild_id: int, *, advanced: int, paused_on: date | None,
               paused_days: int, updated_by: int | None, updated_at: datetime) -> bool:
        """Move or pause the plan; False when the server has none."""
        with write_transaction(self._engine) as connection:
            result = connection.execute(
                update(_PLAN).where(_PLAN.c.guild_id == guild_id).values(
                    advanced=advanced,
                    paused_on=paused_on.isoformat() if paused_on else None,
                    paused_days=paused_days, updated_by=updated_by, updated_at=updated_at))
        return bool(result.rowcount)

    def remove(self, guild_id: int) -> bool:
        with write_transaction(self._engine) as connection:
            result = connection.execute(delete(_PLAN).where(_PLAN.c.guild_id == guild_id))
        return bool(result.rowcount)
