"""The daily prompt end to end: the real bot (create_bot, the prompts cog, the scheduler) through
discord.py against the local Discord stand-in, with the clock in the test's hands.

The scheduler's loop runs as in production; the tests also call its ``run_due()`` step after
moving the fake clock, so nothing waits for real time. "Once" is checked on what the stand-in
received, whichever of the two (loop or test) made the post.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import discord
import pytest
import pytest_asyncio

from bot.answers.prompts.context import PromptContext
from bot.config import DiscordSettings, Settings
from bot.discord_app.client import Bot, create_bot
from bot.discord_app.scheduler import PromptScheduler
from tests.corpus_helpers import REPO
from tests.discord_standin import DiscordStandin, InteractionRecord, running_bot
from tests.discord_standin.models import (
    CREATE_PUBLIC_THREADS,
    FULL_TEXT_PERMISSIONS,
    READ_MESSAGE_HISTORY,
    SEND_MESSAGES,
    RoleSpec,
)
from tests.prompt_helpers import FakeClock, prompt_context, shared_store, utc

LONDON = {"time": "09:00", "timezone": "Europe/London"}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One store for the module; each test's stand-in invents new guild ids, so tests never
    see each other's schedules."""
    return shared_store(tmp_path_factory)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(utc(2024, 1, 15, 8, 0))  # Monday 15 January 2024, 08:00 GMT


@pytest_asyncio.fixture(loop_scope="function")
async def make_bot(discord_standin: DiscordStandin, store: Path, clock: FakeClock
                   ) -> AsyncIterator[Callable[[], Bot]]:
    """Build a production bot with its own engine on the shared file: one 'process' each."""
    contexts: list[PromptContext] = []
    settings = Settings(corpus_dir=REPO / "corpus").model_copy(update={"discord": DiscordSettings(
        dev_guild_ids=[discord_standin.guild.id], command_cooldown_seconds=0)})

    def build() -> Bot:
        prompts = prompt_context(store, clock)
        contexts.append(prompts)
        return create_bot(settings, prompts.answers, prompts=prompts)

    yield build
    for context in contexts:
        context.answers.store.engine.dispose()


async def command(standin: DiscordStandin, subcommand: str, options: dict[str, Any] | None = None,
                  **kwargs: Any) -> InteractionRecord:
    kwargs.setdefault("user", standin.moderator)
    record = await standin.send_slash_command("prompt", options, subcommand=subcommand, **kwargs)
    return await standin.wait_for_response(record)


async def schedule(standin: DiscordStandin, *, dispatch: dict[str, Any] | None = None,
                   **options: Any) -> InteractionRecord:
    """``/prompt schedule`` in #study-prompts at 09:00 London; ``dispatch`` says who and
    where (user, channel_id, app_permissions)."""
    values = {"channel": standin.channel("study-prompts"), **LONDON, **options}
    record = await command(standin, "schedule", values, **(dispatch or {}))
    assert record.ephemeral
    return record


def posts(standin: DiscordStandin) -> list[dict[str, Any]]:
    return list(standin.channel_messages.get(standin.channel("study-prompts").id, []))


def post_requests(standin: DiscordStandin) -> list[dict[str, Any]]:
    """What the bot sent to create its posts (the message objects do not echo
    allowed_mentions)."""
    path = f"/channels/{standin.channel('study-prompts').id}/messages"
    return [c.json for c in standin.calls if c.method == "POST" and c.path.endswith(path)]


def history_reads(standin: DiscordStandin) -> list[Any]:
    """The bot's reads of the prompt channel's recent messages (before each retry)."""
    path = f"/channels/{standin.channel('study-prompts').id}/messages"
    return [c for c in standin.calls if c.method == "GET" and c.path.endswith(path)]


def status_fields(record: InteractionRecord) -> dict[str, str]:
    (embed,) = record.embeds
    return {f["name"]: f["value"] for f in embed.get("fields", [])}


async def settle(bot: Bot) -> None:
    """One more pass: it also waits for a pass the loop may be running."""
    assert bot.prompt_scheduler is not None
    await bot.prompt_scheduler.run_due()


# ---------------------------------------------------------------- the post


async def test_a_scheduled_post_arrives_once_at_the_local_time(
        make_bot, discord_standin: DiscordStandin, clock: FakeClock) -> None:
    async with running_bot(make_bot(), discord_standin) as bot:
        sync = await discord_standin.wait_for_command_sync()
        prompt = next(c for c in sync.commands if c["name"] == "prompt")
        assert prompt["contexts"] == [0]  # servers only
        assert {o["name"] for o in prompt["options"]} == {
            "today", "status", "suggest", "schedule", "pause", "resume", "skip", "add", "list",
            "remove", "approve", "decline"}
        zones = await discord_standin.wait_for_response(await discord_standin.send_autocomplete(
            "prompt", {"time": "09:00", "timezone": "londo"}, subcommand="schedule",
            user=discord_standin.moderator))
        assert zones.choices[0]["value"] == "Europe/London"
        record = await schedule(discord_standin)
        assert record.embeds[0]["title"] == "Daily prompt scheduled"
        assert bot.prompt_scheduler.running
        clock.set(2024, 1, 15, 8, 59)
        await settle(bot)
        assert posts(discord_standin) == []
        clock.set(2024, 1, 15, 9, 0)
        await settle(bot)
        clock.set(2024, 1, 15, 9, 30)
        await settle(bot)
        (post,) = posts(discord_standin)
        (embed,) = post["embeds"]
        assert embed["title"] == "Daily prompt · Monday 15 January 2024"
        assert embed["description"].strip() and "?" in embed["description"]
        assert {f["name"] for f in embed["fields"]} >= {"Source", "Topics"}
        (sent,) = post_requests(discord_standin)
        assert sent["allowed_mentions"] == {"parse": []} and not post.get("content")
        assert sent["nonce"] and sent["enforce_nonce"] is True
        today = await command(discord_standin, "today", user=discord_standin.reader)
        assert not today.ephemeral
        assert today.embeds[0]["title"] == "Today's prompt · Monday 15 January 2024"
        assert today.embeds[0]["description"] == embed["description"]
        status = status_fields(await command(discord_standin, "status"))
        assert status["Next post"].startswith("Tue 16 Jan 2024, 09:00 GMT (Europe/London)")
        assert "Tue 16 Jan 2024, 09:00 UTC" in status["Next post"]
        assert "Mon 15 Jan: sent" in status["Recent posts"]
    discord_standin.assert_clean()


async def test_thread_and_role_ping_only_when_chosen(
        make_bot, discord_standin: DiscordStandin, clock: FakeClock) -> None:
    channel = discord_standin.channel("study-prompts")
    readers = discord_standin.guild.role("Readers")
    discord_standin.allow_role_ping(channel.id, readers.id)
    async with running_bot(make_bot(), discord_standin) as bot:
        await schedule(discord_standin, thread=True, role=readers)
        clock.set(2024, 1, 15, 9, 0)
        await settle(bot)
    (post,) = posts(discord_standin)
    assert post["content"] == f"<@&{readers.id}>"
    (sent,) = post_requests(discord_standin)
    assert sent["allowed_mentions"]["parse"] == []
    assert [int(r) for r in sent["allowed_mentions"]["roles"]] == [readers.id]
    (thread,) = discord_standin.threads
    assert int(thread["parent_id"]) == channel.id and thread["name"].startswith("15 Jan: ")
    discord_standin.assert_clean()


# ---------------------------------------------------------------- restarts and processes


async def test_restarting_just_after_posting_does_not_post_again(
        make_bot, discord_standin: DiscordStandin, clock: FakeClock) -> None:
    async with running_bot(make_bot(), discord_standin) as bot:
        await schedule(discord_standin)
        clock.set(2024, 1, 15, 9, 0)
        await settle(bot)
        assert len(posts(discord_standin)) == 1
    clock.set(2024, 1, 15, 9, 1)
    async with running_bot(make_bot(), discord_standin) as restarted:
        await settle(restarted)
        clock.set(2024, 1, 15, 11, 0)
        await settle(restarted)
    assert len(posts(discord_standin)) == 1
    discord_standin.assert_clean()


async def test_down_over_the_post_time_posts_once_on_return(
        make_bot, discord_standin: DiscordStandin, clock: FakeClock) -> None:
    async with running_bot(make_bot(), discord_standin):
        await schedule(discord_standin)
    clock.set(2024, 1, 15, 10, 40)  # back 100 minutes late: inside the 3-hour grace period
    async with running_bot(make_bot(), discord_standin) as restarted:
        await settle(restarted)
        await settle(restarted)
        (post,) = posts(discord_standin)
        assert post["embeds"][0]["title"] == "Daily prompt · Monday 15 January 2024"
        # down again over Tuesday's time, this time for longer than the grace period
    clock.set(2024, 1, 16, 13, 0)
    async with running_bot(make_bot(), discord_standin) as again:
        await settle(again)
        status = await command(discord_standin, "status")
    assert len(posts(discord_standin)) == 1
    assert "Note: The post for Tuesday 16 January 2024 was skipped" in \
        status.embeds[0]["description"]
    assert "Tue 16 Jan: missed" in status_fields(status)["Recent posts"]
    discord_standin.assert_clean()


async def test_two_bot_processes_sharing_the_database_post_once(
        make_bot, discord_standin: DiscordStandin, clock: FakeClock) -> None:
    async with running_bot(make_bot(), discord_standin) as first, \
            running_bot(make_bot(), discord_standin) as second:
        await schedule(discord_standin)
        for minute in (0, 1, 5):
            clock.set(2024, 1, 15, 9, minute)
            await asyncio.gather(first.prompt_scheduler.run_due(),
                                 second.prompt_scheduler.run_due())
    assert len(posts(discord_standin)) == 1
    discord_standin.assert_clean()


async def test_a_dst_change_keeps_the_local_time(
        make_bot, discord_standin: DiscordStandin, clock: FakeClock) -> None:
    clock.set(2024, 3, 30, 8, 0)  # Saturday, the last day on GMT
    async with running_bot(make_bot(), discord_standin) as bot:
        await schedule(discord_standin)
        clock.set(2024, 3, 30, 9, 0)
        await settle(bot)
        clock.set(2024, 3, 31, 7, 59)  # 08:59 BST
        await settle(bot)
        assert len(posts(discord_standin)) == 1
        clock.set(2024, 3, 31, 8, 0)  # 09:00 BST
        await settle(bot)
        clock.set(2024, 3, 31, 9, 0)  # 09:00 UTC, the wrong hour now: nothing more
        await settle(bot)
        status = status_fields(await command(discord_standin, "status"))
    first, second = posts(discord_standin)
    assert first["embeds"][0]["title"].endswith("Saturday 30 March 2024")
    assert second["embeds"][0]["title"].endswith("Sunday 31 March 2024")
    assert status["Next post"] == ("Mon 1 Apr 2024, 09:00 BST (Europe/London)\n"
                                   "Mon 1 Apr 2024, 08:00 UTC")
    discord_standin.assert_clean()


# ---------------------------------------------------------------- failures


@pytest.mark.parametrize(("break_channel", "reason"), [
    ("forbid_channel", "Missing Permissions"),
    ("delete_channel", "Unknown Channel"),
])
async def test_a_channel_the_bot_lost_pauses_the_schedule_with_the_reason(
        make_bot, discord_standin: DiscordStandin, clock: FakeClock, break_channel: str,
        reason: str) -> None:
    async with running_bot(make_bot(), discord_standin) as bot:
        await schedule(discord_standin)
        getattr(discord_standin, break_channel)(discord_standin.channel("study-prompts").id)
        for minute in (0, 1, 6, 7):  # first try, then after 60 s and 300 s of back-off
            clock.set(2024, 1, 15, 9, minute)
            await settle(bot)
        status = await command(discord_standin, "status")
    assert posts(discord_standin) == []
    # three attempts, then it gave up and paused; each retry read the channel first
    assert len(history_reads(discord_standin)) == 2
    assert len(post_requests(discord_standin)) == (3 if break_channel == "forbid_channel" else 1)
    why = status.embeds[0]["description"]
    assert why.startswith("**Paused.** I could not post in <#")
    assert reason in why and "/prompt resume" in why and "Note" not in why
    discord_standin.assert_clean()


async def test_a_post_whose_answer_was_lost_is_found_in_the_channel_not_posted_again(
        make_bot, discord_standin: DiscordStandin, clock: FakeClock) -> None:
    """Discord made the post but its answer never reached the bot: the retry reads the
    channel's recent messages, finds its own post by the footer's marker, and records it."""
    async with running_bot(make_bot(), discord_standin) as bot:
        await schedule(discord_standin)
        discord_standin.lose_post_answers(1)
        clock.set(2024, 1, 15, 9, 0)
        await settle(bot)
        assert len(posts(discord_standin)) == 1 and history_reads(discord_standin) == []
        clock.set(2024, 1, 15, 9, 1)
        await settle(bot)
        clock.set(2024, 1, 15, 9, 30)
        await settle(bot)
        status = await command(discord_standin, "status")
    (post,) = posts(discord_standin)
    assert post["embeds"][0]["footer"]["text"].startswith("Daily prompt 2024-01-15 · ")
    (read,) = history_reads(discord_standin)
    assert int(read.query["limit"]) <= 100 and "after" in read.query
    assert len(post_requests(discord_standin)) == 1
    assert "Mon 15 Jan: sent" in status_fields(status)["Recent posts"]
    assert "found it in the channel and did not post it again" in status.embeds[0]["description"]
    discord_standin.assert_clean()


async def test_a_retry_that_cannot_read_the_channel_sends_nothing(
        make_bot, discord_standin: DiscordStandin, clock: FakeClock) -> None:
    """Without Read Message History a retry cannot know whether the post went out, so it does
    not post blind: it is a permanent failure, and the schedule pauses saying so."""
    channel = discord_standin.channel("study-prompts")
    async with running_bot(make_bot(), discord_standin) as bot:
        await schedule(discord_standin)
        discord_standin.lose_post_answers(1)
        discord_standin.hide_history(channel.id)
        for minute in (0, 1, 6, 21):
            clock.set(2024, 1, 15, 9, minute)
            await settle(bot)
        status = await command(discord_standin, "status")
    assert len(posts(discord_standin)) == 1 and len(post_requests(discord_standin)) == 1
    why = status.embeds[0]["description"]
    assert why.startswith("**Paused.**") and "Missing Access" in why
    discord_standin.assert_clean()


# ---------------------------------------------------------------- refusals change nothing


async def test_a_bad_timezone_is_refused_with_a_suggestion(
        make_bot, discord_standin: DiscordStandin, store: Path) -> None:
    async with running_bot(make_bot(), discord_standin):
        record = await schedule(discord_standin, timezone="Europe/Londn")
        assert record.embeds == [] and "`Europe/London`" in record.content
        status = await command(discord_standin, "status")
    assert "No daily prompt is scheduled" in status.content
    discord_standin.assert_clean()


async def test_a_channel_the_bot_cannot_write_to_is_refused(
        make_bot, discord_standin: DiscordStandin) -> None:
    target = discord_standin.channel("study-prompts")
    async with running_bot(make_bot(), discord_standin):
        # used in the channel itself: Discord's app_permissions say what the bot may do there
        no_send = await schedule(discord_standin, dispatch={
            "channel_id": target.id, "app_permissions": FULL_TEXT_PERMISSIONS & ~SEND_MESSAGES})
        no_threads = await schedule(discord_standin, thread=True, dispatch={
            "channel_id": target.id,
            "app_permissions": FULL_TEXT_PERMISSIONS & ~CREATE_PUBLIC_THREADS})
        no_history = await schedule(discord_standin, dispatch={
            "channel_id": target.id,
            "app_permissions": FULL_TEXT_PERMISSIONS & ~READ_MESSAGE_HISTORY})
        status = await command(discord_standin, "status")
    assert "missing the Send Messages" in no_send.content
    assert "missing the Create Public Threads permission" in no_threads.content
    assert "missing the Read Message History permission" in no_history.content
    assert "No daily prompt is scheduled" in status.content
    discord_standin.assert_clean()


async def test_a_channel_the_bots_role_cannot_post_in_is_refused(
        make_bot, discord_standin: DiscordStandin) -> None:
    """Checked from the bot's cached roles when the command is used in another channel."""
    guild = discord_standin.guild
    bot_role = guild.role(discord_standin.bot_user.username)
    guild.roles[guild.roles.index(bot_role)] = RoleSpec(
        bot_role.id, bot_role.name, FULL_TEXT_PERMISSIONS & ~SEND_MESSAGES, bot_role.position,
        managed=True)
    everyone = guild.everyone  # members' Send Messages comes from @everyone: take it away too
    guild.roles[guild.roles.index(everyone)] = RoleSpec(
        everyone.id, everyone.name, everyone.permissions & ~SEND_MESSAGES, 0)
    async with running_bot(make_bot(), discord_standin):
        record = await schedule(discord_standin)  # used in #general, about #study-prompts
    assert "missing the Send Messages" in record.content
    discord_standin.assert_clean()


async def test_members_without_manage_server_are_refused(
        make_bot, discord_standin: DiscordStandin) -> None:
    async with running_bot(make_bot(), discord_standin):
        refused = await schedule(discord_standin, dispatch={"user": discord_standin.reader})
        paused = await command(discord_standin, "pause", user=discord_standin.reader)
        status = await command(discord_standin, "status", user=discord_standin.reader)
    assert "You need the Manage Server permission" in refused.content
    assert "You need the Manage Server permission" in paused.content
    assert "No daily prompt is scheduled" in status.content
    discord_standin.assert_clean()


async def test_a_refused_change_keeps_the_schedule_as_it_was(
        make_bot, discord_standin: DiscordStandin, store: Path) -> None:
    async with running_bot(make_bot(), discord_standin):
        await schedule(discord_standin)
        await schedule(discord_standin, time="10:00", timezone="CET")
        status = status_fields(await command(discord_standin, "status"))
    assert status["When"] == "09:00 Europe/London, every day"
    discord_standin.assert_clean()


# ---------------------------------------------------------------- moderators' prompts


async def test_a_moderators_prompt_goes_out_next_and_suggestions_are_reviewed(
        make_bot, discord_standin: DiscordStandin, clock: FakeClock) -> None:
    async with running_bot(make_bot(), discord_standin) as bot:
        added = await command(discord_standin, "add", {
            "question": "Which of Trotsky's predictions aged best?", "tags": "legacy"})
        assert added.ephemeral and added.embeds[0]["title"].startswith("Added prompt #")
        suggested = await command(discord_standin, "suggest", {
            "question": "What would Serge have asked Trotsky in 1936?"},
            user=discord_standin.reader)
        assert suggested.ephemeral and "waiting for review" in suggested.embeds[0]["title"]
        choices = await discord_standin.wait_for_response(await discord_standin.send_autocomplete(
            "prompt", {"number": ""}, subcommand="approve", user=discord_standin.moderator))
        (choice,) = choices.choices
        approved = await command(discord_standin, "approve", {"number": int(choice["value"])})
        assert approved.embeds[0]["title"].startswith("Approved suggestion #")
        await schedule(discord_standin)
        for day in (15, 16):
            clock.set(2024, 1, day, 9, 0)
            await settle(bot)
    first, second = posts(discord_standin)
    assert first["embeds"][0]["description"] == "Which of Trotsky's predictions aged best?"
    assert second["embeds"][0]["description"] == "What would Serge have asked Trotsky in 1936?"
    discord_standin.assert_clean()


async def test_skip_and_pause_are_honoured(
        make_bot, discord_standin: DiscordStandin, clock: FakeClock, store: Path) -> None:
    async with running_bot(make_bot(), discord_standin) as bot:
        await schedule(discord_standin)
        skipped = await command(discord_standin, "skip")
        assert skipped.embeds[0]["title"] == "Skipped the post for Monday 15 January 2024"
        clock.set(2024, 1, 15, 9, 0)
        await settle(bot)
        paused = await command(discord_standin, "pause")
        assert paused.embeds[0]["description"].startswith("**Paused.** Paused by <@")
        clock.set(2024, 1, 16, 9, 0)
        await settle(bot)
        assert posts(discord_standin) == []
        clock.set(2024, 1, 16, 12, 0)
        resumed = await command(discord_standin, "resume")
        assert resumed.embeds[0]["title"] == "Daily prompt resumed"
        clock.set(2024, 1, 17, 9, 0)
        await settle(bot)
    (post,) = posts(discord_standin)
    assert post["embeds"][0]["title"] == "Daily prompt · Wednesday 17 January 2024"
    discord_standin.assert_clean()


# ---------------------------------------------------------------- shards


class _Guilds:
    """A client whose cache holds these guild ids (no connection needed)."""

    def __init__(self, guild_ids: list[int], **options: Any) -> None:
        super().__init__(intents=discord.Intents.none(), **options)  # type: ignore[call-arg]
        self._guild_ids = guild_ids

    @property
    def guilds(self) -> list[Any]:
        return [SimpleNamespace(id=guild_id) for guild_id in self._guild_ids]


class _ShardedClient(_Guilds, discord.AutoShardedClient):
    pass


class _PlainClient(_Guilds, discord.Client):
    pass


def test_a_process_posts_only_for_the_guilds_on_its_shards(store: Path) -> None:
    even, odd = 10 << 22, 11 << 22  # (guild_id >> 22) % 2 picks the shard
    prompts = prompt_context(store, FakeClock(utc(2024, 1, 1)))
    one_of_two = PromptScheduler(_ShardedClient([even, odd], shard_count=2, shard_ids=[1]),
                                 prompts)
    every_shard = PromptScheduler(_ShardedClient([even, odd], shard_count=2), prompts)
    single = PromptScheduler(_PlainClient([even, odd]), prompts)
    assert one_of_two.served_guilds() == {odd}
    assert every_shard.served_guilds() == single.served_guilds() == {even, odd}
    prompts.answers.store.engine.dispose()
