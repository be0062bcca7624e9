"""The scheduler's domain steps: decide and claim what is due, then record how sending went.

The Discord loop (bot/discord_app/scheduler.py) only sends; every rule lives here:

1. ``claim_due(now)``: for each active schedule on this process's shards whose check is due,
   apply :func:`bot.answers.prompts.schedule.decide`. A due day is *claimed* first: its row in
   the post log is committed (status ``claimed``) before anything is sent, under the unique
   (guild, local date) key, so a restart, a second process or a retry can never claim it again.
2. The loop sends each claimed job, with a nonce derived from the same key (Discord drops a
   repeat with the same nonce within a few minutes).
3. ``record_sent`` or ``record_failure``: a failure is retried with back-off; a permanent one
   (channel deleted, permission removed) pauses the schedule once the attempts are used up.
   Which failures are permanent is the surface's to say (a :class:`PostFailure`); so is which
   servers this process serves (the ``on_shard`` predicate of ``claim_due``).

Delivery is *at least once* only in one narrow case, documented in docs/prompts.md: a process
that dies after Discord accepted the message but before ``record_sent`` committed leaves a
claim without a message id; after ``claim_timeout`` it is retried within the grace period, and
Discord's nonce check drops that repeat only if it comes within Discord's nonce window.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.answers.core.model import Answer
from bot.answers.prompts.context import PromptContext
from bot.answers.prompts.rotation import Used, choose
from bot.answers.prompts.schedule import (
    Decision,
    PostFailure,
    PostState,
    Rule,
    Slot,
    current_slot,
    decide,
    next_slot,
    retry_delay,
)
from bot.answers.prompts.view import (
    day_label,
    prompt_answer,
    stored_prompt_answer,
    thread_name,
)
from bot.store.prompt_store import PostRecord, ScheduleRecord

log = logging.getLogger(__name__)

ERROR_BACK_OFF = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class PostJob:
    """One claimed post, ready to send."""

    post_id: int
    guild_id: int
    channel_id: int
    local_date: date
    scheduled_for: datetime
    token: str  # this claim; a later re-claim by someone else gets another
    attempt: int
    answer: Answer
    thread_name: str | None
    role_id: int | None

    @property
    def nonce(self) -> str:
        """The same for every attempt at one server's day, so the chat service can drop a
        repeat (the surface cuts it to the length it allows)."""
        key = f"readbot-prompt:{self.guild_id}:{self.local_date.isoformat()}"
        return hashlib.sha256(key.encode()).hexdigest()


def rule_of(schedule: ScheduleRecord) -> Rule:
    return Rule.of(schedule.local_time, schedule.timezone, schedule.days)


def state_of(post: PostRecord | None) -> PostState | None:
    if post is None:
        return None
    return PostState(post.status, post.claimed_at, post.retry_at, post.message_id)


def history_of(ctx: PromptContext, guild_id: int) -> list[Used]:
    return [Used(p.prompt_key or "", p.cycle, tuple(p.tags))
            for p in ctx.store.prompt_history(guild_id)]


# ---------------------------------------------------------------- claiming


def claim_due(ctx: PromptContext, now: datetime, on_shard: Callable[[int], bool]
              ) -> list[PostJob]:
    """Claim every post due at ``now`` for servers on this process's shards."""
    jobs = []
    for schedule in ctx.store.due_schedules(now):
        if not on_shard(schedule.guild_id):
            continue
        try:
            job = _claim_one(ctx, schedule, now)
        except zoneinfo.ZoneInfoNotFoundError:
            _pause(ctx, schedule.guild_id, f"the time zone {schedule.timezone} is not known on "
                   "this host (is the tzdata package installed?)")
            continue
        except Exception:  # one server's bad row must not stop every other server's post
            log.exception("prompt scheduling failed for guild %s", schedule.guild_id)
            _back_off(ctx, schedule.guild_id, now)
            continue
        if job is not None:
            jobs.append(job)
    return jobs


def _claim_one(ctx: PromptContext, schedule: ScheduleRecord, now: datetime) -> PostJob | None:
    rule = rule_of(schedule)
    slot = current_slot(rule, now)
    post = ctx.store.post_for(schedule.guild_id, slot.local_date) if slot else None
    decision = decide(rule, now, active_since=schedule.active_since, grace=ctx.grace,
                      claim_timeout=ctx.claim_timeout, state=state_of(post))
    job = None
    if decision.action == "post":
        job = _claim_new(ctx, schedule, decision, now)
    elif decision.action == "retry" and post is not None:
        job = _reclaim(ctx, schedule, post, now)
    elif decision.action == "miss":
        _miss(ctx, schedule, decision, post)
    if job is not None:
        # If this process dies before recording the outcome, look again once the claim is
        # stale; record_sent/record_failure move the check to the right time otherwise.
        check = now + ctx.claim_timeout
    elif decision.action == "wait" and decision.check_at is not None:
        check = decision.check_at
    elif decision.action in ("post", "retry"):
        check = now + ctx.claim_timeout  # lost the race: see how the winner did
    else:
        check = upcoming(ctx, schedule, now).at
    ctx.store.update_schedule(schedule.guild_id, next_check_at=check)
    return job


def _claim_new(ctx: PromptContext, schedule: ScheduleRecord, decision: Decision,
               now: datetime) -> PostJob | None:
    assert decision.slot is not None
    pick = choose(ctx.pool(schedule.guild_id), history_of(ctx, schedule.guild_id),
                  seed=schedule.guild_id)
    if pick is None:
        _note(ctx, schedule.guild_id, "No prompt to post: the pool is empty.")
        return None
    entry = pick.entry
    token = uuid.uuid4().hex
    post = ctx.store.claim_post(guild_id=schedule.guild_id, local_date=decision.slot.local_date,
                                scheduled_for=decision.slot.at, token=token, now=now,
                                prompt_key=entry.key, prompt_text=entry.question,
                                tags=list(entry.tags), cycle=pick.cycle,
                                channel_id=schedule.channel_id)
    if post is None:
        log.info("guild %s: the post for %s was claimed elsewhere", schedule.guild_id,
                 decision.slot.local_date)
        return None
    return _job(ctx, schedule, post, token)


def _reclaim(ctx: PromptContext, schedule: ScheduleRecord, post: PostRecord,
             now: datetime) -> PostJob | None:
    token = uuid.uuid4().hex
    taken = ctx.store.reclaim_post(post.id, token=token, now=now,
                                   stale_before=now - ctx.claim_timeout)
    if taken is None:
        return None
    log.info("guild %s: attempt %d at the post for %s", schedule.guild_id, taken.attempts,
             taken.local_date)
    return _job(ctx, schedule, taken, token)


def _job(ctx: PromptContext, schedule: ScheduleRecord, post: PostRecord, token: str) -> PostJob:
    """The message for a claimed day: the prompt stored with the claim, so every attempt (and
    every process) sends the same thing."""
    title = f"Daily prompt · {day_label(post.local_date)}"
    entry = ctx.entry(schedule.guild_id, post.prompt_key or "")
    answer = (prompt_answer(entry, title) if entry is not None
              else stored_prompt_answer(post.prompt_text or "", title, post.prompt_key))
    return PostJob(
        # The schedule's channel, not the one at claim time: a moderator who fixes a lost
        # channel by choosing another one redirects the pending retries too.
        post_id=post.id, guild_id=post.guild_id, channel_id=schedule.channel_id,
        local_date=post.local_date, scheduled_for=post.scheduled_for, token=token,
        attempt=post.attempts, answer=answer,
        thread_name=thread_name(answer.body, post.local_date) if schedule.open_thread else None,
        role_id=schedule.role_id)


def _miss(ctx: PromptContext, schedule: ScheduleRecord, decision: Decision,
          post: PostRecord | None) -> None:
    assert decision.slot is not None
    day = day_label(decision.slot.local_date)
    if post is None:
        note = (f"The post for {day} was skipped: I was offline for longer than the "
                f"{ctx.settings.grace_minutes}-minute grace period.")
        ctx.store.insert_marker(guild_id=schedule.guild_id, local_date=decision.slot.local_date,
                                scheduled_for=decision.slot.at, status="missed", note=note)
    else:
        note = (f"The post for {day} was given up after {post.attempts} attempt(s): "
                f"{post.error or 'no answer from Discord'}.")
        ctx.store.mark_final(post.id, status="missed", error=note)
    _note(ctx, schedule.guild_id, note)


# ---------------------------------------------------------------- outcomes


def record_sent(ctx: PromptContext, job: PostJob, *, message_id: int, thread_id: int | None,
                thread_error: str | None, now: datetime) -> None:
    note = (f"The post for {day_label(job.local_date)} went out, but I could not open its "
            f"thread: {thread_error}." if thread_error else None)
    ctx.store.mark_sent(job.post_id, message_id=message_id, thread_id=thread_id, now=now, note=note)
    schedule = ctx.store.get_schedule(job.guild_id)
    if schedule is None:
        return
    values: dict[str, object] = {"next_check_at": upcoming(ctx, schedule, now).at}
    if note:
        values["note"] = note
    ctx.store.update_schedule(job.guild_id, **values)


def record_failure(ctx: PromptContext, job: PostJob, failure: PostFailure, *,
                   now: datetime) -> str:
    """Schedule a retry, or give the day up (pausing for a permanent failure). Returns what
    happened, for the log."""
    reason = failure.reason
    delay = retry_delay(job.attempt, ctx.settings.retry_delays_seconds)
    deadline = job.scheduled_for + ctx.grace
    if delay is not None and now + delay <= deadline:
        retry_at = now + delay
        ctx.store.mark_retry(job.post_id, retry_at=retry_at, error=reason)
        ctx.store.update_schedule(
            job.guild_id, next_check_at=retry_at,
            note=f"Attempt {job.attempt} at the post for {day_label(job.local_date)} failed: "
                 f"{reason}. Trying again soon.")
        return f"attempt {job.attempt} failed ({reason}); retrying at {retry_at.isoformat()}"
    if failure.permanent:
        ctx.store.mark_final(job.post_id, status="failed", error=reason)
        _pause(ctx, job.guild_id, f"I could not post in {failure.channel} after "
               f"{job.attempt} attempt(s): {reason}. Fix it (or pick another channel with "
               "/prompt schedule), then /prompt resume.")
        return f"gave up after {job.attempt} attempts ({reason}); schedule paused"
    note = (f"The post for {day_label(job.local_date)} was missed: {reason} "
            f"({job.attempt} attempt(s)).")
    ctx.store.mark_final(job.post_id, status="missed", error=note)
    schedule = ctx.store.get_schedule(job.guild_id)
    if schedule is not None:
        ctx.store.update_schedule(job.guild_id, note=note,
                                  next_check_at=upcoming(ctx, schedule, now).at)
    return f"missed after {job.attempt} attempts ({reason})"


# ---------------------------------------------------------------- shared helpers


def upcoming(ctx: PromptContext, schedule: ScheduleRecord, now: datetime) -> Slot:
    """The next post time after ``now``, stepping over days already in the log (skipped)."""
    rule = rule_of(schedule)
    since = rule.local_date(now)
    taken = {p.local_date for p in ctx.store.posts_since(schedule.guild_id, since)}
    return next_slot(rule, max(now, schedule.active_since), taken)


def _pause(ctx: PromptContext, guild_id: int, reason: str) -> None:
    log.warning("guild %s: daily prompt paused: %s", guild_id, reason)
    ctx.store.update_schedule(guild_id, paused=True, pause_reason=reason, next_check_at=None,
                              note=None)  # the reason says it all


def _back_off(ctx: PromptContext, guild_id: int, now: datetime) -> None:
    """After an unexpected error, look at this server again later rather than every tick."""
    try:
        ctx.store.update_schedule(guild_id, next_check_at=now + ERROR_BACK_OFF)
    except Exception:
        log.exception("could not postpone guild %s after an error", guild_id)


def _note(ctx: PromptContext, guild_id: int, note: str) -> None:
    ctx.store.update_schedule(guild_id, note=note)
