"""The daily prompt loop: wake when a post is due, claim it, send it, record the outcome.

All decisions are made by :mod:`bot.answers.prompts.jobs` (in a worker thread: it uses the
store), and the order of look, send and record by :mod:`bot.answers.prompts.delivery`; this
module only does what needs discord.py: reading the channel's recent messages for the bot's
own post, the channel send (with the day's marker in the footer and its nonce), the thread,
the role ping. One plain asyncio task per bot, started when the prompts cog loads (inside
``setup_hook``), waiting for READY, and cancelled when the cog unloads (``bot.close()``).

It sleeps until the earliest check any schedule wants, capped at ``max_sleep_seconds`` so a
schedule changed by another process is picked up soon; ``wake()`` cuts a sleep short (after a
moderator changes the schedule). When the gateway comes back (``on_resumed``, or a new
``on_ready``) and at start, the days waiting out a back-off are retried at once: Discord being
reachable again is the moment to try, not the end of a 15-minute wait. Tests drive
:meth:`run_due` directly with a fake clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Literal

import aiohttp
import discord
from discord.ext import commands

from bot.answers.prompts.context import PromptContext
from bot.answers.prompts.delivery import FoundPost, Outcome, PostUnavailable, deliver
from bot.answers.prompts.jobs import PostJob, claim_due, hasten_retries
from bot.discord_app import markup
from bot.discord_app.failures import CANNOT_HOLD_MESSAGES, describe_failure, post_failure
from bot.discord_app.limits import EMBED_FOOTER_MAX, NONCE_MAX
from bot.discord_app.render import NO_MENTIONS, render_pages

log = logging.getLogger(__name__)

# A day: the next prompt's thread takes over. Discord accepts only these four durations.
THREAD_ARCHIVE_MINUTES: Literal[60, 1440, 4320, 10080] = 1440
MIN_SLEEP = 1.0
#: How far a retry reads the channel for its earlier post: messages from a little before the
#: day's post time on, oldest first, so the post is among the first read however busy the
#: channel has been since (two requests of 100 at most).
HISTORY_LIMIT = 200
HISTORY_MARGIN = timedelta(minutes=10)  # our clock against Discord's message timestamps


def on_shards(guild_id: int, shard_count: int, shard_ids: Collection[int]) -> bool:
    """Discord's rule for which shard a guild lives on: (guild_id >> 22) % shard_count."""
    return ((guild_id >> 22) % max(1, shard_count)) in shard_ids


def with_marker(footer: str | None, marker: str) -> str:
    """The post's footer with the day's marker at its end (the footer's own text cut to fit)."""
    if not footer:
        return marker
    room = EMBED_FOOTER_MAX - len(marker) - 3
    return f"{footer[:room]} · {marker}"


def carries_marker(message: discord.Message, me: int, marker: str) -> bool:
    """The bot's own post of that day: written by the bot, the marker in an embed footer."""
    return message.author.id == me and any(
        marker in (embed.footer.text or "") for embed in message.embeds)


class DiscordChannel:
    """A job's channel, as :func:`bot.answers.prompts.delivery.deliver` uses it."""

    def __init__(self, bot: discord.Client, job: PostJob) -> None:
        self.bot = bot
        self.job = job
        self.channel = (bot.get_channel(job.channel_id)
                        or bot.get_partial_messageable(job.channel_id, guild_id=job.guild_id))
        self._messages: dict[int, discord.Message] = {}

    def _target(self) -> discord.abc.Messageable:
        if not isinstance(self.channel, discord.abc.Messageable):
            raise self._unavailable(None, CANNOT_HOLD_MESSAGES, "the channel cannot hold messages")
        return self.channel

    def _unavailable(self, status: int | None, code: int | None, text: str) -> PostUnavailable:
        return PostUnavailable(post_failure(self.job.channel_id, status, code, text))

    async def find_post(self, job: PostJob) -> FoundPost | None:
        me = self.bot.user.id if self.bot.user else 0
        try:
            async for message in self._target().history(
                    limit=HISTORY_LIMIT, after=job.scheduled_for - HISTORY_MARGIN):
                if carries_marker(message, me, job.marker):
                    self._messages[message.id] = message
                    thread = message.thread
                    return FoundPost(message.id, thread.id if thread else None)
        except discord.HTTPException as error:
            raise self._unavailable(error.status, error.code,
                                    f"reading the channel's recent messages: {error.text}"
                                    ) from error
        except (aiohttp.ClientError, TimeoutError, OSError) as error:
            raise self._unavailable(None, None, f"{type(error).__name__}: {error}") from error
        return None

    async def send(self, job: PostJob) -> int:
        content, mentions = None, NO_MENTIONS
        if job.role_id is not None:
            # The one deliberate ping: the role the moderators chose, and nothing else.
            content = markup.role(job.role_id)
            mentions = discord.AllowedMentions(everyone=False, users=False, replied_user=False,
                                               roles=[discord.Object(job.role_id)])
        embed = render_pages(job.answer)[0]
        embed.set_footer(text=with_marker(embed.footer.text, job.marker))
        try:
            # discord.py sends enforce_nonce with a nonce: Discord answers a repeat within its
            # nonce window with the first message. The marker covers the rest (a later retry
            # looks for it first).
            message = await self._target().send(content=content, embed=embed,
                                                allowed_mentions=mentions,
                                                nonce=job.nonce[:NONCE_MAX])
        except discord.HTTPException as error:
            raise self._unavailable(error.status, error.code, error.text) from error
        except (aiohttp.ClientError, TimeoutError, OSError) as error:
            raise self._unavailable(None, None, f"{type(error).__name__}: {error}") from error
        except PostUnavailable:
            raise
        except Exception as error:  # a bug: still record it, or the claim would look stale
            log.exception("guild %s: sending the prompt failed", job.guild_id)
            raise self._unavailable(None, None, f"{type(error).__name__}: {error}") from error
        self._messages[message.id] = message
        return message.id

    async def open_thread(self, job: PostJob, message_id: int) -> tuple[int | None, str | None]:
        message = self._messages.get(message_id)
        if not job.thread_name or message is None:
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
        if isinstance(self.bot, commands.Bot):
            for event in ("on_resumed", "on_ready"):  # the gateway is back
                self.bot.add_listener(self.reconnected, event)
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="prompt-scheduler")

    async def stop(self) -> None:
        if isinstance(self.bot, commands.Bot):
            for event in ("on_resumed", "on_ready"):
                self.bot.remove_listener(self.reconnected, event)
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

    async def reconnected(self) -> None:
        """Discord is reachable again (or this process just started): retry now what waits."""
        try:
            await self.hasten()
        except Exception:
            log.exception("could not bring the waiting prompt retries forward")
        self.wake()

    async def hasten(self, now: datetime | None = None) -> int:
        """Make every back-off on our shards end ``now``; the next pass retries them."""
        now = now or self.prompts.clock.now()
        served = self.served_guilds()
        count = await asyncio.to_thread(hasten_retries, self.prompts, now, served.__contains__)
        if count:
            log.info("Discord is back: retrying %d waiting prompt post(s) now", count)
        return count

    async def _run(self) -> None:
        await self.bot.wait_until_ready()
        await self.reconnected()
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
        return await deliver(self.prompts, job, DiscordChannel(self.bot, job))
