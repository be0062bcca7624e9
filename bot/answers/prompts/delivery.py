"""How one claimed post is delivered: look first (on a retry), send, record. No discord.py here.

The surface hands in a :class:`PostChannel` (bot/discord_app/scheduler.py wraps a Discord
channel; the scheduler simulation in bench/scheduler_sim.py a fake one), so the order of the
steps, which is what keeps a post from being doubled, is the same code everywhere:

1. An attempt after the first (``job.look_first``) reads the channel's recent messages for
   the bot's own post carrying ``job.marker``. An earlier attempt may have been accepted
   without the bot hearing of it: the process died between Discord's answer and the commit
   of ``sent``, or the answer was lost on the way back. Found: recorded as sent with that
   message id (its thread opened if it has none and one was asked for), and not sent again.
   Reading failed: the attempt fails like a failed send, and is retried; nothing is sent
   blind.
2. After the grace period nothing is sent: an attempt that found nothing records the day
   as missed, now confirmed.
3. Otherwise send, open the thread if asked, record ``sent``.

Store calls run in a worker thread (they block); the channel's calls are the surface's own
coroutines.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Protocol

from bot.answers.prompts.context import PromptContext
from bot.answers.prompts.jobs import PostJob, record_failure, record_not_posted, record_sent
from bot.answers.prompts.schedule import PostFailure

log = logging.getLogger(__name__)


class PostUnavailable(Exception):
    """The surface could not read or post in the channel; ``failure`` says why, as the rules
    need it (permanent or outage)."""

    def __init__(self, failure: PostFailure) -> None:
        super().__init__(failure.reason)
        self.failure = failure


@dataclass(frozen=True, slots=True)
class FoundPost:
    """The bot's own post of a day, found in the channel."""

    message_id: int
    thread_id: int | None = None


class PostChannel(Protocol):
    """What delivery needs from the chat service, for one job's channel."""

    async def find_post(self, job: PostJob) -> FoundPost | None:
        """The bot's own recent post carrying ``job.marker``; raises PostUnavailable."""
        ...

    async def send(self, job: PostJob) -> int:
        """Post the job (with ``job.marker`` in it); the new message's id. Raises
        PostUnavailable."""
        ...

    async def open_thread(self, job: PostJob, message_id: int) -> tuple[int | None, str | None]:
        """(thread id, None) or (None, why not, for moderators). Never raises."""
        ...


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one claimed post (tests and logs read it)."""

    job: PostJob
    sent: bool
    message_id: int | None = None
    detail: str = ""
    found: bool = False  # the post of an earlier attempt, found rather than sent


async def deliver(ctx: PromptContext, job: PostJob, channel: PostChannel) -> Outcome:
    """Deliver one claimed job through ``channel`` and record the outcome in the store."""
    try:
        if job.look_first:
            found = await channel.find_post(job)
            if found is not None:
                return await _found(ctx, job, channel, found)
        if ctx.clock.now() > job.send_until:
            await asyncio.to_thread(record_not_posted, ctx, job, now=ctx.clock.now())
            log.info("guild %s: no post for %s in the channel; missed", job.guild_id,
                     job.local_date)
            return Outcome(job, False, None, "missed: not in the channel after the grace period")
        message_id = await channel.send(job)
    except PostUnavailable as error:
        return await _failed(ctx, job, error.failure)
    # From here on the post is out: whatever happens, it must be recorded as sent.
    thread_id, thread_error = (await channel.open_thread(job, message_id) if job.thread_name
                               else (None, None))
    await _record_sent(ctx, job, message_id, thread_id, thread_error, found=False)
    log.info("guild %s: posted the prompt for %s (message %s)", job.guild_id, job.local_date,
             message_id)
    return Outcome(job, True, message_id, thread_error or "")


async def _found(ctx: PromptContext, job: PostJob, channel: PostChannel,
                 found: FoundPost) -> Outcome:
    thread_id, thread_error = found.thread_id, None
    if job.thread_name and thread_id is None:
        thread_id, thread_error = await channel.open_thread(job, found.message_id)
    await _record_sent(ctx, job, found.message_id, thread_id, thread_error, found=True)
    log.info("guild %s: the prompt for %s was already posted (message %s); not sent again",
             job.guild_id, job.local_date, found.message_id)
    return Outcome(job, True, found.message_id, "found in the channel", found=True)


async def _record_sent(ctx: PromptContext, job: PostJob, message_id: int,
                       thread_id: int | None, thread_error: str | None, *, found: bool) -> None:
    try:
        await asyncio.to_thread(record_sent, ctx, job, message_id=message_id,
                                thread_id=thread_id, thread_error=thread_error,
                                now=ctx.clock.now(), found=found)
    except Exception:
        # The post is out but not recorded: its claim will look interrupted, and the retry
        # finds this post in the channel instead of sending it again.
        log.exception("guild %s: posted %s but could not record it", job.guild_id, message_id)


async def _failed(ctx: PromptContext, job: PostJob, failure: PostFailure) -> Outcome:
    detail = await asyncio.to_thread(record_failure, ctx, job, failure, now=ctx.clock.now())
    log.warning("guild %s: the prompt for %s was not posted: %s", job.guild_id,
                job.local_date, detail)
    return Outcome(job, False, None, detail)
