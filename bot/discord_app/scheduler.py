"""The daily prompt loop: wake when a post is due, claim it, send it, record the outcome.

All decisions are made by :mod:`bot.answers.prompts.jobs` (in a worker thread: it uses the
store); this module only does what needs discord.py: the channel send, the thread, the role
ping. One plain asyncio task per bot, started when the prompts cog loads (inside
``setup_hook``), waiting for READY, and cancelled when the cog unloads (``bot.close()``).

It sleeps until the earliest check any schedule wants, capped at ``max_sleep_seconds`` so a
schedule changed by another process is picked up soon; ``wake()`` cuts a sleep short (after a
moderator changes the schedule). Tests drive :meth:`run_due` directly with a fake clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import aiohttp
import discord

from bot.answers.prompts.context import PromptContext
from bot.answers.prompts.jobs import PostJob, claim_due, record_failure, record_sent
from bot.discord_app import markup
from bot.discord_app.failures import CANNOT_HOLD_MESSAGES, describe_failure, post_failure
from bot.discord_app.limits import NONCE_MAX
from bot.discord_app.render import NO_MENTIONS, render_pages

log = logging.getLogger(__name__)

# A day: the next prompt's thread takes over. Discord accepts only these four durations.
THREAD_ARCHIVE_MINUTES: Literal[60, 1440, 4320, 10080] = 1440
MIN_SLEEP = 1.0


def on_shards(guild_id: int, shard_count: int, shard_ids: Collection[int]) -> bool:
    """Discord's rule for which shard a guild lives on: (guild_id >> 22) % shard_count."""
    return ((guild_id >> 22) % max(1, shard_count)) in shard_ids


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one claimed post (tests and logs read it)."""

    job: PostJob
    sent: bool
    message_id: int | None = None
    detail: str = ""


class PromptScheduler:
    def __init__(self, bot: discord.Client, prompts: PromptContext) -> None:
        self.bot = bot
        self.prompts = prompts
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._tick = asyncio.Lock()  # one pass at a time in this process
        self._stopping = False

    # ------------------------------------------------------------ lifecycle

    def start(self) -> None:
        self._stopping = False
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="prompt-scheduler")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is None:
            return
        self._stopping = True
        # Python 3.11's asyncio.wait_for can swallow a cancellation that lands just as its
        # timeout fires or the event is set; cancel until the task has really ended.
        while not task.done():
            task.cancel()
            await asyncio.wait({task}, timeout=1.0)
        with contextlib.suppress(asyncio.CancelledError, Exception):
            task.result()

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def wake(self) -> None:
        """Look at the schedules now rather than at the end of the current sleep."""
        self._wake.set()

    async def _run(self) -> None:
        await self.bot.wait_until_ready()
        while not self._stopping:
            try:
                await self.run_due()
            except Exception:  # a store hiccup must not end the loop for every server
                log.exception("the prompt scheduler's pass failed; trying again shortly")
            await self._sleep()

    async def _sleep(self) -> None:
        limit = self.prompts.settings.max_sleep_seconds
        served = self.served_guilds()
        try:
            checks = await asyncio.to_thread(self.prompts.store.next_checks)
        except Exception:
            log.exception("could not read the next prompt times")
            checks = []
        # Other processes' servers are theirs to wake for (they may be due and never handled
        # here); only ours decide how long this loop sleeps.
        due = min((at for guild_id, at in checks if guild_id in served), default=None)
        seconds = limit
        if due is not None:
            seconds = (due - self.prompts.clock.now()).total_seconds()
        seconds = min(limit, max(MIN_SLEEP, seconds))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=seconds)
        self._wake.clear()

    # ------------------------------------------------------------ one pass

    async def run_due(self, now: datetime | None = None) -> list[Outcome]:
        """Claim what is due at ``now`` (default: the clock) on our shards, and post it."""
        async with self._tick:
            now = now or self.prompts.clock.now()
            served = self.served_guilds()
            jobs = await asyncio.to_thread(claim_due, self.prompts, now, served.__contains__)
            return [await self._deliver(job) for job in jobs]

    def served_guilds(self) -> frozenset[int]:
        """Servers this process posts for: on its own shards (another process posts for the
        rest; the unique key stops a double post if two ever overlap), and that the bot is in.

        Read on the event loop, not in the worker thread. A guild that is only unavailable
        (a Discord outage) stays in the cache, so its post waits for the grace period rather
        than being dropped; one the bot was removed from is left alone.
        """
        count = self.bot.shard_count or 1
        if isinstance(self.bot, discord.AutoShardedClient):
            ids = self.bot.shard_ids or range(count)  # None: this process runs every shard
        else:
            ids = [self.bot.shard_id or 0]
        return frozenset(guild.id for guild in self.bot.guilds
                         if on_shards(guild.id, count, ids))

    async def _deliver(self, job: PostJob) -> Outcome:
        channel = (self.bot.get_channel(job.channel_id)
                   or self.bot.get_partial_messageable(job.channel_id, guild_id=job.guild_id))
        if not isinstance(channel, discord.abc.Messageable):
            return await self._failed(job, None, CANNOT_HOLD_MESSAGES,
                                      "the channel cannot hold messages")
        content, mentions = None, NO_MENTIONS
        if job.role_id is not None:
            # The one deliberate ping: the role the moderators chose, and nothing else.
            content = markup.role(job.role_id)
            mentions = discord.AllowedMentions(everyone=False, users=False, replied_user=False,
                                               roles=[discord.Object(job.role_id)])
        try:
            message = await channel.send(content=content, embed=render_pages(job.answer)[0],
                                         allowed_mentions=mentions,
                                         nonce=job.nonce[:NONCE_MAX])
        except discord.HTTPException as error:
            return await self._failed(job, error.status, error.code, error.text)
        except (aiohttp.ClientError, TimeoutError, OSError) as error:
            return await self._failed(job, None, None, f"{type(error).__name__}: {error}")
        except Exception as error:  # a bug: still record it, or the claim would look stale
            log.exception("guild %s: sending the prompt failed", job.guild_id)
            return await self._failed(job, None, None, f"{type(error).__name__}: {error}")
        # From here on the post is out: whatever happens, it must be recorded as sent.
        thread_id, thread_error = await self._open_thread(job, message)
        try:
            await asyncio.to_thread(record_sent, self.prompts, job, message_id=message.id,
                                    thread_id=thread_id, thread_error=thread_error,
                                    now=self.prompts.clock.now())
        except Exception:
            # The post is out but not recorded: its claim will look interrupted and be retried
            # with the same nonce (see docs/prompts.md on at-least-once delivery).
            log.exception("guild %s: posted %s but could not record it", job.guild_id,
                          message.id)
        log.info("guild %s: posted the prompt for %s (message %s)", job.guild_id,
                 job.local_date, message.id)
        return Outcome(job, True, message.id, thread_error or "")

    async def _open_thread(self, job: PostJob, message: discord.Message
                           ) -> tuple[int | None, str | None]:
        if not job.thread_name:
            return None, None
        try:
            thread = await message.create_thread(name=job.thread_name,
                                                 auto_archive_duration=THREAD_ARCHIVE_MINUTES)
        except discord.HTTPException as error:
            return None, describe_failure(error.status, error.code, error.text)
        except Exception as error:  # e.g. a message without guild info: never lose the post
            log.exception("guild %s: opening the prompt's thread failed", job.guild_id)
            return None, f"{type(error).__name__}: {error}"
        return thread.id, None

    async def _failed(self, job: PostJob, status: int | None, code: int | None,
                      text: str) -> Outcome:
        failure = post_failure(job.channel_id, status, code, text)
        detail = await asyncio.to_thread(record_failure, self.prompts, job, failure,
                                         now=self.prompts.clock.now())
        log.warning("guild %s: the prompt for %s was not posted: %s", job.guild_id,
                    job.local_date, detail)
        return Outcome(job, False, None, detail)
