"""The scheduler's domain steps: decide and claim what is due, then record how sending went.

The Discord loop (bot/discord_app/scheduler.py) only talks to Discord; every rule lives here
and in :mod:`bot.answers.prompts.delivery`:

1. ``claim_due(now)``: for each active schedule on this process's shards whose check is due,
   apply :func:`bot.answers.prompts.schedule.decide` to the latest slot and
   :func:`~bot.answers.prompts.schedule.decide_day` to any older day still open. A due day is
   *claimed* first: its row in the post log is committed (status ``claimed``) before anything
   is sent, under the unique (guild, local date) key, so a restart, a second process or a
   retry can never claim it again.
2. Delivery (``delivery.deliver``): a first attempt sends; every later attempt first looks in
   the channel for the bot's own post of that day (the job's ``marker``, which every post
   carries), because an earlier attempt may have been accepted by Discord without the bot
   hearing of it (a crash between send and record, an answer lost on the way back). Found: it
   is recorded as sent, never sent again. After the grace period an attempt only looks.
3. ``record_sent`` / ``record_found`` / ``record_not_posted`` / ``record_failure``: a failure
   is retried with back-off until the grace period ends; a permanent one (channel deleted,
   permission removed) pauses the schedule once the attempts in ``retry_delays_seconds`` are
   used up. Which failures are permanent is the surface's to say (a :class:`PostFailure`); so
   is which servers this process serves (the ``on_shard`` predicate of ``claim_due``).

A day becomes ``missed`` only when no post was confirmed: it was never attempted within the
grace period, or the channel was read after it and held no post of that day. No day stays
``claimed`` or ``retry``: a stale claim is retried (or, after the grace period, checked), and
a day whose channel could not be read for :data:`CONFIRM_WINDOW` after the grace period is
given up as missed, saying it could not be confirmed.
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
from bot.answers.plan.state import this_week
from bot.answers.prompts.context import PromptContext
from bot.answers.prompts.pool import PoolEntry
from bot.answers.prompts.rotation import Used, choose
from bot.answers.prompts.schedule import (
    CONFIRM_WINDOW,
    Decision,
    PostFailure,
    PostState,
    Rule,
    Slot,
    current_slot,
    decide,
    decide_day,
    next_retry,
    next_slot,
)
from bot.answers.prompts.view import (
    day_label,
    prompt_answer,
    reading_line,
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
    #: The end of the grace period: no attempt sends after it (it only looks for a post).
    send_until: datetime
    #: Why the previous attempt failed (for the note if the day is given up).
    last_error: str | None = None

    @property
    def nonce(self) -> str:
        """The same for every attempt at one server's day, so the chat service can drop a
        repeat (the surface cuts it to the length it allows)."""
        key = f"readbot-prompt:{self.guild_id}:{self.local_date.isoformat()}"
        return hashlib.sha256(key.encode()).hexdigest()

    @property
    def marker(self) -> str:
        """What every post of this server's day carries (the surface puts it in the post's
        footer) and a later attempt looks for in the channel: the date, and a tag from the
        nonce so that no other server's post, and no quoted copy of another day, matches."""
        return f"Daily prompt {self.local_date.isoformat()} · {self.nonce[:8]}"

    @property
    def look_first(self) -> bool:
        """Every attempt after the first looks for an earlier attempt's post before sending:
        the first attempt of a day is the only one that cannot have been sent before."""
        return self.attempt > 1


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
            jobs.extend(_claim_one(ctx, schedule, now))
        except zoneinfo.ZoneInfoNotFoundError:
            _pause(ctx, schedule.guild_id, f"the time zone {schedule.timezone} is not known on "
                   "this host (is the tzdata package installed?)")
            continue
        except Exception:  # one server's bad row must not stop every other server's post
            log.exception("prompt scheduling failed for guild %s", schedule.guild_id)
            _back_off(ctx, schedule.guild_id, now)
    return jobs


def _claim_one(ctx: PromptContext, schedule: ScheduleRecord, now: datetime) -> list[PostJob]:
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
    checks = [_check_after(ctx, schedule, decision, job, now)]
    older = [p for p in ctx.store.open_posts(schedule.guild_id)
             if slot is None or p.local_date != slot.local_date]
    jobs = [job] if job is not None else []
    for open_post in older:  # an earlier day still open: settle it (it never sends again)
        day = decide_day(Slot(open_post.local_date, open_post.scheduled_for), now,
                         grace=ctx.grace, claim_timeout=ctx.claim_timeout,
                         state=state_of(open_post))
        older_job = None
        if day.action == "retry":
            older_job = _reclaim(ctx, schedule, open_post, now)
        elif day.action == "miss":
            _miss(ctx, schedule, day, open_post)
        checks.append(_check_after(ctx, schedule, day, older_job, now))
        if older_job is not None:
            jobs.append(older_job)
    ctx.store.update_schedule(schedule.guild_id, next_check_at=min(checks))
    return jobs


def _check_after(ctx: PromptContext, schedule: ScheduleRecord, decision: Decision,
                 job: PostJob | None, now: datetime) -> datetime:
    """When this server needs looking at again, after this day's decision."""
    if job is not None:
        # If this process dies before recording the outcome, look again once the claim is
        # stale; record_sent/record_failure move the check to the right time otherwise.
        return now + ctx.claim_timeout
    if decision.action == "wait" and decision.check_at is not None:
        return decision.check_at
    if decision.action in ("post", "retry"):
        return now + ctx.claim_timeout  # lost the race: see how the winner did
    return upcoming(ctx, schedule, now).at


def _claim_new(ctx: PromptContext, schedule: ScheduleRecord, decision: Decision,
               now: datetime) -> PostJob | None:
    assert decision.slot is not None
    pool, _ = ctx.week_pool(schedule.guild_id)  # the plan's week, when one is set
    pick = choose(pool, history_of(ctx, schedule.guild_id), seed=schedule.guild_id)
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
    return _job(ctx, schedule, post, token, entry)


def _reclaim(ctx: PromptContext, schedule: ScheduleRecord, post: PostRecord,
             now: datetime) -> PostJob | None:
    token = uuid.uuid4().hex
    taken = ctx.store.reclaim_post(post.id, token=token, now=now,
                                   claim_timeout=ctx.claim_timeout)
    if taken is None:
        return None
    log.info("guild %s: attempt %d at the post for %s", schedule.guild_id, taken.attempts,
             taken.local_date)
    return _job(ctx, schedule, taken, token)


def _job(ctx: PromptContext, schedule: ScheduleRecord, post: PostRecord, token: str,
         entry: PoolEntry | None = None) -> PostJob:
    """The message for a claimed day: the prompt stored with the claim, so every attempt (and
    every process) sends the same thing (``entry``: the one just chosen for a first claim)."""
    title = f"Daily prompt · {day_label(post.local_date)}"
    if entry is None:
        entry = ctx.entry(schedule.guild_id, post.prompt_key or "")
    answer = (prompt_answer(entry, title, reading=_of_the_week(ctx, schedule.guild_id, entry))
              if entry is not None
              else stored_prompt_answer(post.prompt_text or "", title, post.prompt_key))
    return PostJob(
        # The schedule's channel, not the one at claim time: a moderator who fixes a lost
        # channel by choosing another one redirects the pending retries too.
        post_id=post.id, guild_id=post.guild_id, channel_id=schedule.channel_id,
        local_date=post.local_date, scheduled_for=post.scheduled_for, token=token,
        attempt=post.attempts, answer=answer,
        thread_name=thread_name(answer.body, post.local_date) if schedule.open_thread else None,
        role_id=schedule.role_id, send_until=post.scheduled_for + ctx.grace,
        last_error=post.error)


def _of_the_week(ctx: PromptContext, guild_id: int, entry: PoolEntry) -> str | None:
    """The section line for a prompt from the reading plan's week (None for any other)."""
    week = this_week(ctx.answers, guild_id, ctx.clock.now())
    ref = entry.source
    if week is None or ref is None or ref.slug != week[0] or ref.section not in week[1]:
        return None
    return reading_line(entry)


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
        # Only an open day whose channel could not be read for the whole confirmation window.
        hours = int(CONFIRM_WINDOW.total_seconds() // 3600)
        note = (f"The post for {day} was given up after {post.attempts} attempt(s): "
                f"{post.error or 'no answer from Discord'}. I could not check the channel "
                f"for it within {hours} hours, so it may have gone out.")
        ctx.store.mark_final(post.id, status="missed", error=note)
    _note(ctx, schedule.guild_id, note)


# ---------------------------------------------------------------- outcomes


def record_sent(ctx: PromptContext, job: PostJob, *, message_id: int, thread_id: int | None,
                thread_error: str | None, now: datetime, found: bool = False) -> None:
    """The day is posted (``found``: an earlier attempt's post, found in the channel)."""
    day = day_label(job.local_date)
    notes = []
    if found:
        notes.append(f"The post for {day} had gone out on an earlier attempt; I found it in the "
                     "channel and did not post it again.")
    if thread_error:
        notes.append(f"The post for {day} went out, but I could not open its thread: "
                     f"{thread_error}.")
    note = " ".join(notes) or None
    ctx.store.mark_sent(job.post_id, message_id=message_id, thread_id=thread_id, now=now, note=note)
    _reschedule(ctx, job.guild_id, now, note=note)


def record_not_posted(ctx: PromptContext, job: PostJob, *, now: datetime) -> None:
    """After the grace period: the channel was read and holds no post of the day, so it is
    missed (confirmed, not guessed)."""
    note = (f"The post for {day_label(job.local_date)} was missed: "
            f"{job.last_error or 'Discord did not answer'}. I checked the channel after the "
            f"{ctx.settings.grace_minutes}-minute grace period: it was not posted.")
    ctx.store.mark_final(job.post_id, status="missed", error=note)
    _reschedule(ctx, job.guild_id, now, note=note)


def record_failure(ctx: PromptContext, job: PostJob, failure: PostFailure, *,
                   now: datetime) -> str:
    """Schedule a retry, or give the day up (pausing for a permanent failure). Returns what
    happened, for the log."""
    reason = failure.reason
    retry_at = next_retry(now, job.attempt, ctx.settings.retry_delays_seconds,
                          slot_at=job.scheduled_for, grace=ctx.grace,
                          permanent=failure.permanent)
    day = day_label(job.local_date)
    if retry_at is not None:
        ctx.store.mark_retry(job.post_id, retry_at=retry_at, error=reason)
        doing = ("Trying again soon." if now <= job.send_until else
                 "I will look in the channel again to see whether it went out.")
        _reschedule(ctx, job.guild_id, now,
                    note=f"Attempt {job.attempt} at the post for {day} failed: {reason}. {doing}")
        return f"attempt {job.attempt} failed ({reason}); retrying at {retry_at.isoformat()}"
    if failure.permanent:
        ctx.store.mark_final(job.post_id, status="failed", error=reason)
        _pause(ctx, job.guild_id, f"I could not post in {failure.channel} after "
               f"{job.attempt} attempt(s): {reason}. Fix it (or pick another channel with "
               "/prompt schedule), then /prompt resume.")
        return f"gave up after {job.attempt} attempts ({reason}); schedule paused"
    # An outage that outlasted the confirmation window: the day could not be confirmed.
    hours = int(CONFIRM_WINDOW.total_seconds() // 3600)
    note = (f"The post for {day} was given up after {job.attempt} attempt(s): {reason}. I could "
            f"not check the channel for it within {hours} hours, so it may have gone out.")
    ctx.store.mark_final(job.post_id, status="missed", error=note)
    _reschedule(ctx, job.guild_id, now, note=note)
    return f"missed after {job.attempt} attempts ({reason})"


def _reschedule(ctx: PromptContext, guild_id: int, now: datetime, *,
                note: str | None) -> None:
    """After an outcome: the server's next check is its next post, or sooner if one of its
    days is still open (a retry's back-off, a claim that may go stale)."""
    schedule = ctx.store.get_schedule(guild_id)
    if schedule is None:
        return
    checks = [upcoming(ctx, schedule, now).at]
    for post in ctx.store.open_posts(guild_id):
        if post.status == "retry" and post.retry_at is not None:
            checks.append(post.retry_at)
        elif post.claimed_at is not None:
            checks.append(max(now, post.claimed_at) + ctx.claim_timeout)
    values: dict[str, object] = {"next_check_at": min(checks)}
    if note:
        values["note"] = note
    ctx.store.update_schedule(guild_id, **values)


def hasten_retries(ctx: PromptContext, now: datetime, on_shard: Callable[[int], bool]) -> int:
    """Discord is back (the gateway reconnected, or this process started): every day waiting
    out a back-off on this process's shards is retried now rather than at the end of it, so
    a short return of the service between two retries is not wasted. Returns how many."""
    waiting = [(post_id, guild_id) for post_id, guild_id in ctx.store.waiting_retries(now)
               if on_shard(guild_id)]
    if waiting:
        ctx.store.hasten(waiting, now=now)
    return len(waiting)


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
