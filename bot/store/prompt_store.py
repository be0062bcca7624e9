"""Queries for daily prompts: schedules, the post log, moderators' prompts and suggestions.

Every write is its own short ``write_transaction`` (BEGIN IMMEDIATE on SQLite), so two bot
processes sharing one database serialise on the write lock instead of failing half-way. The
post log's unique (guild_id, local_date) key is what stops a second post: ``claim_post`` either
inserts the day's row or learns that someone else already has it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, Engine, Row, Table, and_, delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from bot.store.database import write_transaction
from bot.store.models import CustomPrompt, PromptPost, PromptSchedule

_SCHEDULE = cast(Table, PromptSchedule.__table__)
_POST = cast(Table, PromptPost.__table__)
_CUSTOM = cast(Table, CustomPrompt.__table__)


@dataclass(frozen=True, slots=True)
class ScheduleRecord:
    guild_id: int
    channel_id: int
    local_time: str
    timezone: str
    days: int
    open_thread: bool
    role_id: int | None
    paused: bool
    pause_reason: str | None
    active_since: datetime
    next_check_at: datetime | None
    note: str | None
    updated_by: int | None
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class PostRecord:
    id: int
    guild_id: int
    local_date: date
    scheduled_for: datetime
    status: str
    prompt_key: str | None
    prompt_text: str | None
    tags: list[str]
    cycle: int
    channel_id: int | None
    claim_token: str | None
    claimed_at: datetime | None
    attempts: int
    retry_at: datetime | None
    message_id: int | None
    thread_id: int | None
    sent_at: datetime | None
    error: str | None


@dataclass(frozen=True, slots=True)
class CustomRecord:
    id: int
    guild_id: int
    question: str
    source_slug: str | None
    evidence: str | None
    tags: list[str]
    status: str
    author_id: int
    created_at: datetime
    reviewed_by: int | None
    reviewed_at: datetime | None
    duplicate_of: str | None
    duplicate_score: float | None
    note: str | None


def _schedule(row: Row[Any]) -> ScheduleRecord:
    return ScheduleRecord(**row._mapping)


def _post(row: Row[Any]) -> PostRecord:
    values = dict(row._mapping)
    values["local_date"] = date.fromisoformat(values["local_date"])
    values["tags"] = list(values["tags"] or [])
    return PostRecord(**values)


def _custom(row: Row[Any]) -> CustomRecord:
    values = dict(row._mapping)
    values["tags"] = list(values["tags"] or [])
    return CustomRecord(**values)


def _chunks(values: list[int], size: int = 500) -> list[list[int]]:
    """Bounded IN lists (SQLite caps the parameters of one statement)."""
    return [values[i:i + size] for i in range(0, len(values), size)]


def _inserted_id(result: CursorResult[Any]) -> int:
    """The id of the one row a single-row INSERT just added."""
    key = result.inserted_primary_key
    if key is None:  # no key came back, which an autoincrement id always does
        raise RuntimeError("the INSERT returned no primary key")
    new_id: int = key[0]
    return new_id


class PromptRepository:
    """The prompt tables over one engine: schedules, the post log, moderators' prompts."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    # ---------------------------------------------------------------- schedules


    def get_schedule(self, guild_id: int) -> ScheduleRecord | None:
        with self._engine.connect() as connection:
            row = connection.execute(
                select(_SCHEDULE).where(_SCHEDULE.c.guild_id == guild_id)).first()
        return _schedule(row) if row else None


    def all_schedules(self) -> list[ScheduleRecord]:
        with self._engine.connect() as connection:
            rows = connection.execute(select(_SCHEDULE).order_by(_SCHEDULE.c.guild_id)).all()
        return [_schedule(row) for row in rows]


    def due_schedules(self, now: datetime) -> list[ScheduleRecord]:
        """Active schedules whose next check is due (or was never computed)."""
        check = _SCHEDULE.c.next_check_at
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(_SCHEDULE)
                .where(_SCHEDULE.c.paused.is_(False), or_(check.is_(None), check <= now))
                .order_by(_SCHEDULE.c.guild_id)).all()
        return [_schedule(row) for row in rows]


    def next_checks(self) -> list[tuple[int, datetime]]:
        """(guild_id, next check) of every active schedule: the scheduler sleeps until the
        earliest of its own servers'."""
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(_SCHEDULE.c.guild_id, _SCHEDULE.c.next_check_at)
                .where(_SCHEDULE.c.paused.is_(False), _SCHEDULE.c.next_check_at.is_not(None)))
            return [(guild_id, at) for guild_id, at in rows]


    def save_schedule(self, record: ScheduleRecord) -> None:
        """Insert or replace a server's schedule (a portable upsert under the write lock)."""
        values = {name: getattr(record, name) for name in ScheduleRecord.__slots__}
        with write_transaction(self._engine) as connection:
            connection.execute(delete(_SCHEDULE).where(_SCHEDULE.c.guild_id == record.guild_id))
            connection.execute(insert(_SCHEDULE).values(**values))


    def update_schedule(self, guild_id: int, **values: Any) -> None:
        with write_transaction(self._engine) as connection:
            connection.execute(update(_SCHEDULE).where(_SCHEDULE.c.guild_id == guild_id)
                               .values(**values))


    # ---------------------------------------------------------------- the post log


    def post_for(self, guild_id: int, local_date: date) -> PostRecord | None:
        with self._engine.connect() as connection:
            row = connection.execute(select(_POST).where(
                _POST.c.guild_id == guild_id, _POST.c.local_date == local_date.isoformat())).first()
        return _post(row) if row else None


    def posts_since(self, guild_id: int, local_date: date) -> list[PostRecord]:
        """The log from a local date on (upcoming skipped days, today's post), oldest first."""
        with self._engine.connect() as connection:
            rows = connection.execute(select(_POST).where(
                _POST.c.guild_id == guild_id, _POST.c.local_date >= local_date.isoformat())
                .order_by(_POST.c.local_date)).all()
        return [_post(row) for row in rows]


    def prompt_history(self, guild_id: int, limit: int = 2000) -> list[PostRecord]:
        """Days that used a prompt (posted, or being posted), newest first: rotation's memory."""
        with self._engine.connect() as connection:
            rows = connection.execute(
                select(_POST)
                .where(_POST.c.guild_id == guild_id, _POST.c.prompt_key.is_not(None),
                       _POST.c.status.in_(("sent", "claimed", "retry")))
                .order_by(_POST.c.local_date.desc()).limit(limit)).all()
        return [_post(row) for row in rows]


    def latest_posts(self, guild_id: int, limit: int = 5) -> list[PostRecord]:
        with self._engine.connect() as connection:
            rows = connection.execute(select(_POST).where(_POST.c.guild_id == guild_id)
                                      .order_by(_POST.c.local_date.desc()).limit(limit)).all()
        return [_post(row) for row in rows]


    def claim_post(self, *, guild_id: int, local_date: date, scheduled_for: datetime,
                   token: str, now: datetime, prompt_key: str, prompt_text: str, tags: list[str],
                   cycle: int, channel_id: int) -> PostRecord | None:
        """Claim a day for posting, committed before anything is sent. None: someone has it."""
        try:
            with write_transaction(self._engine) as connection:
                post_id = _inserted_id(connection.execute(insert(_POST).values(
                    guild_id=guild_id, local_date=local_date.isoformat(),
                    scheduled_for=scheduled_for, status="claimed", prompt_key=prompt_key,
                    prompt_text=prompt_text, tags=tags, cycle=cycle, channel_id=channel_id,
                    claim_token=token, claimed_at=now, attempts=1)))
        except IntegrityError:
            return None  # the unique (guild_id, local_date) key: another process or run has it
        return self.post_for_id(post_id)


    def reclaim_post(self, post_id: int, *, token: str, now: datetime,
                     claim_timeout: timedelta) -> PostRecord | None:
        """Take over a day whose back-off is over or whose claim went stale; None if we lost.

        A claim is stale once it is ``claim_timeout`` old, or stamped more than that ahead of
        ``now`` (the clock was stepped back since). The conditions are re-checked inside the
        UPDATE, so of two processes that both saw the day as retryable exactly one gets the row.
        """
        claimed_at = _POST.c.claimed_at
        with write_transaction(self._engine) as connection:
            taken = connection.execute(
                update(_POST)
                .where(_POST.c.id == post_id, _POST.c.message_id.is_(None), or_(
                    and_(_POST.c.status == "retry", _POST.c.retry_at <= now),
                    and_(_POST.c.status == "claimed",
                         or_(claimed_at <= now - claim_timeout,
                             claimed_at >= now + claim_timeout))))
                .values(status="claimed", claim_token=token, claimed_at=now,
                        attempts=_POST.c.attempts + 1)).rowcount
        return self.post_for_id(post_id) if taken == 1 else None


    def open_posts(self, guild_id: int) -> list[PostRecord]:
        """A server's days whose outcome is still open (``claimed`` or ``retry``), oldest first."""
        with self._engine.connect() as connection:
            rows = connection.execute(select(_POST).where(
                _POST.c.guild_id == guild_id, _POST.c.status.in_(("claimed", "retry")))
                .order_by(_POST.c.local_date)).all()
        return [_post(row) for row in rows]


    def waiting_retries(self, now: datetime) -> list[tuple[int, int]]:
        """(post id, guild id) of every day waiting out a back-off that ends after ``now``."""
        with self._engine.connect() as connection:
            rows = connection.execute(select(_POST.c.id, _POST.c.guild_id).where(
                _POST.c.status == "retry", _POST.c.retry_at > now)).all()
        return [(post_id, guild_id) for post_id, guild_id in rows]


    def hasten(self, waiting: list[tuple[int, int]], *, now: datetime) -> None:
        """Make these retries (post id, guild id) due at ``now``, and their servers' checks."""
        post_ids = [post_id for post_id, _ in waiting]
        guild_ids = sorted({guild_id for _, guild_id in waiting})
        with write_transaction(self._engine) as connection:
            for chunk in _chunks(post_ids):
                connection.execute(update(_POST).where(
                    _POST.c.id.in_(chunk), _POST.c.status == "retry").values(retry_at=now))
            for chunk in _chunks(guild_ids):
                connection.execute(update(_SCHEDULE).where(
                    _SCHEDULE.c.guild_id.in_(chunk)).values(next_check_at=now))


    def post_for_id(self, post_id: int) -> PostRecord | None:
        with self._engine.connect() as connection:
            row = connection.execute(select(_POST).where(_POST.c.id == post_id)).first()
        return _post(row) if row else None


    def mark_sent(self, post_id: int, *, message_id: int, thread_id: int | None,
                  now: datetime, note: str | None = None) -> None:
        with write_transaction(self._engine) as connection:
            connection.execute(update(_POST).where(_POST.c.id == post_id).values(
                status="sent", message_id=message_id, thread_id=thread_id, sent_at=now,
                retry_at=None, error=note))


    def mark_retry(self, post_id: int, *, retry_at: datetime, error: str) -> None:
        with write_transaction(self._engine) as connection:
            connection.execute(update(_POST).where(_POST.c.id == post_id, _POST.c.status != "sent")
                               .values(status="retry", retry_at=retry_at, error=error))


    def mark_final(self, post_id: int, *, status: str, error: str | None) -> None:
        """Give a day up (``failed`` or ``missed``), unless it was sent meanwhile."""
        with write_transaction(self._engine) as connection:
            connection.execute(update(_POST).where(_POST.c.id == post_id, _POST.c.status != "sent")
                               .values(status=status, retry_at=None, error=error))


    def insert_marker(self, *, guild_id: int, local_date: date, scheduled_for: datetime,
                      status: str, note: str) -> bool:
        """Record a day that will not be posted (missed, skipped); False if the day has a row."""
        try:
            with write_transaction(self._engine) as connection:
                connection.execute(insert(_POST).values(
                    guild_id=guild_id, local_date=local_date.isoformat(),
                    scheduled_for=scheduled_for, status=status, tags=[], cycle=0, attempts=0,
                    error=note))
        except IntegrityError:
            return False
        return True


    # ---------------------------------------------------------------- moderators' prompts


    def add_custom(self, *, guild_id: int, question: str, source_slug: str | None,
                   evidence: str | None, tags: list[str], status: str, author_id: int,
                   now: datetime, duplicate_of: str | None, duplicate_score: float | None
                   ) -> CustomRecord:
        with write_transaction(self._engine) as connection:
            new_id = _inserted_id(connection.execute(insert(_CUSTOM).values(
                guild_id=guild_id, question=question, source_slug=source_slug, evidence=evidence,
                tags=tags, status=status, author_id=author_id, created_at=now,
                duplicate_of=duplicate_of, duplicate_score=duplicate_score)))
        record = self.get_custom(guild_id, new_id)
        assert record is not None
        return record


    def get_custom(self, guild_id: int, prompt_id: int) -> CustomRecord | None:
        with self._engine.connect() as connection:
            row = connection.execute(select(_CUSTOM).where(
                _CUSTOM.c.guild_id == guild_id, _CUSTOM.c.id == prompt_id)).first()
        return _custom(row) if row else None


    def list_custom(self, guild_id: int, statuses: tuple[str, ...]) -> list[CustomRecord]:
        with self._engine.connect() as connection:
            rows = connection.execute(select(_CUSTOM).where(
                _CUSTOM.c.guild_id == guild_id, _CUSTOM.c.status.in_(statuses))
                .order_by(_CUSTOM.c.id)).all()
        return [_custom(row) for row in rows]


    def review_custom(self, guild_id: int, prompt_id: int, *, from_statuses: tuple[str, ...],
                      status: str, reviewer: int, now: datetime, note: str | None = None) -> bool:
        """Move a prompt from one of ``from_statuses`` to ``status``; False if it was not there."""
        with write_transaction(self._engine) as connection:
            changed = connection.execute(
                update(_CUSTOM)
                .where(_CUSTOM.c.guild_id == guild_id, _CUSTOM.c.id == prompt_id,
                       _CUSTOM.c.status.in_(from_statuses))
                .values(status=status, reviewed_by=reviewer, reviewed_at=now, note=note)).rowcount
        return changed == 1
