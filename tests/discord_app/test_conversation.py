"""/who, /when, /timeline, /config and plain questions (mention, reply, DM) end to end."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from bot.answers.core.context import AnswerContext
from bot.answers.prompts.commands import prompt_today
from bot.answers.prompts.context import PromptContext, build_prompt_context
from bot.config import DiscordSettings, Settings
from bot.discord_app.client import ReadingCircleBot, create_bot
from tests.answer_helpers import connected_bot_context
from tests.corpus_helpers import REPO
from tests.discord_standin import DiscordStandin, UserSpec, running_bot

EPHEMERAL = 1 << 6


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> AnswerContext:
    return connected_bot_context(tmp_path_factory.mktemp("talk") / "talk.sqlite3")


@pytest_asyncio.fixture(loop_scope="function")
async def bot(discord_standin: DiscordStandin, answers: AnswerContext
              ) -> AsyncIterator[ReadingCircleBot]:
    settings = Settings(corpus_dir=REPO / "corpus").model_copy(update={
        "discord": DiscordSettings(dev_guild_ids=[discord_standin.guild.id],
                                   command_cooldown_seconds=0, questions_per_minute=3)})
    async with running_bot(create_bot(settings, answers), discord_standin) as running:
        await discord_standin.wait_for_command_sync()
        yield running


async def command(standin: DiscordStandin, name: str, options: dict[str, Any] | None = None,
                  **kwargs: Any):
    record = await standin.send_slash_command(name, options, **kwargs)
    return await standin.wait_for_response(record)


def embed_text(message: dict[str, Any]) -> str:
    parts = []
    for embed in message.get("embeds") or []:
        parts += [embed.get("title", ""), embed.get("description", "")]
        parts += [f"{f['name']} {f['value']}" for f in embed.get("fields", [])]
    return "\n".join(parts) + (message.get("content") or "")


async def test_who_resolves_any_spelling(bot, discord_standin: DiscordStandin) -> None:
    record = await command(discord_standin, "who", {"name": "Lev Davidovich"})
    assert record.embeds[0]["title"] == "Leon Trotsky"
    smirnov = await command(discord_standin, "who", {"name": "Smirnov"})
    assert "Which" in smirnov.embeds[0]["title"]
    discord_standin.assert_clean()


async def test_who_autocomplete_is_fuzzy_and_capped(bot, discord_standin: DiscordStandin) -> None:
    record = await discord_standin.send_autocomplete("who", {"name": "Trotksy"})
    record = await discord_standin.wait_for_response(record)
    assert record.choices[0]["value"] == "Leon Trotsky" and len(record.choices) <= 25
    discord_standin.assert_clean()


async def test_when_and_timeline(bot, discord_standin: DiscordStandin) -> None:
    kronstadt = await command(discord_standin, "when", {"event": "Kronstadt"})
    assert "1921" in embed_text(kronstadt.response_data)
    fourth = await command(discord_standin, "when", {"event": "Fourth International"})
    assert "1938" in embed_text(fourth.response_data) and "1939" in embed_text(fourth.response_data)
    line = await command(discord_standin, "timeline", {"start": 1927, "end": 1929})
    assert "1927" in embed_text(line.response_data)
    discord_standin.assert_clean()


async def test_a_mention_gets_a_reply_to_that_message(bot, discord_standin: DiscordStandin
                                                      ) -> None:
    channel = discord_standin.channel("general").id
    asked = await discord_standin.send_message_create(
        f"{discord_standin.bot_user.mention} who killed Trotsky?", channel_id=channel)
    reply = await discord_standin.wait_for_channel_message(channel)
    assert reply["message_reference"]["message_id"] == str(asked["id"])
    assert "Ramon Mercader" in embed_text(reply)
    discord_standin.assert_clean()


async def test_a_reply_to_the_bot_continues_the_conversation(
        bot, discord_standin: DiscordStandin) -> None:
    channel = discord_standin.channel("general").id
    await discord_standin.send_message_create(
        f"{discord_standin.bot_user.mention} who was Lenin?", channel_id=channel)
    first = await discord_standin.wait_for_channel_message(channel)
    await discord_standin.send_message_create(
        f"{discord_standin.bot_user.mention} and when did he die?", channel_id=channel,
        reference_message_id=int(first["id"]))
    second = await discord_standin.wait_for_channel_message(
        channel, predicate=lambda m: m["id"] != first["id"])
    assert "21 January 1924" in embed_text(second)
    discord_standin.assert_clean()


async def test_a_dm_is_answered(bot, discord_standin: DiscordStandin) -> None:
    dm = discord_standin.dm_channel_id()
    await discord_standin.send_message_create("who was Yagoda?", dm=True)
    reply = await discord_standin.wait_for_channel_message(dm)
    assert "Genrikh Yagoda" in embed_text(reply)
    discord_standin.assert_clean()


async def test_other_bots_and_unaddressed_messages_are_ignored(
        bot, discord_standin: DiscordStandin) -> None:
    channel = discord_standin.channel("general").id
    robot = UserSpec(id=424242, username="other-bot", bot=True)
    await discord_standin.send_message_create(
        f"{discord_standin.bot_user.mention} who was Lenin?", channel_id=channel, author=robot)
    await discord_standin.send_message_create("who was Lenin?", channel_id=channel)
    await discord_standin.send_message_create(
        f"{discord_standin.bot_user.mention} help", channel_id=channel)
    reply = await discord_standin.wait_for_channel_message(channel)
    assert "Reading-circle companion" in embed_text(reply)  # only the addressed human message
    assert len(discord_standin.channel_messages.get(channel, [])) == 1
    discord_standin.assert_clean()


async def test_config_turns_mention_replies_off_for_moderators_only(
        bot, discord_standin: DiscordStandin) -> None:
    refused = await command(discord_standin, "config", {"mentions": False},
                            user=discord_standin.reader)
    assert refused.ephemeral and "Manage Server" in (refused.content or "")
    done = await command(discord_standin, "config", {"mentions": False},
                         user=discord_standin.moderator)
    assert "off" in embed_text(done.response_data)
    channel = discord_standin.channel("general").id
    await discord_standin.send_message_create(
        f"{discord_standin.bot_user.mention} who was Lenin?", channel_id=channel)
    await discord_standin.send_message_create("who was Yagoda?", dm=True)  # DMs still answered
    await discord_standin.wait_for_channel_message(discord_standin.dm_channel_id())
    assert discord_standin.channel_messages.get(channel, []) == []
    await command(discord_standin, "config", {"mentions": True}, user=discord_standin.moderator)
    discord_standin.assert_clean()


async def test_a_flood_gets_one_polite_line(bot, discord_standin: DiscordStandin) -> None:
    dm = discord_standin.dm_channel_id()
    for _ in range(5):
        await discord_standin.send_message_create("who was Lenin?", dm=True)
    replies = await discord_standin.wait_for_channel_messages(dm, 4)
    warnings = [r for r in replies if "faster than I can read" in (r.get("content") or "")]
    assert len(warnings) == 1  # three answers, one warning, then silence for the minute
    discord_standin.assert_clean()


async def test_the_who_card_offers_the_persons_quotations(
        bot, discord_standin: DiscordStandin) -> None:
    card = await command(discord_standin, "who", {"name": "Emma Goldman"})
    (button,) = [b["custom_id"] for row in card.message["components"] for b in row["components"]]
    clicked = await discord_standin.click_button(card.message, button)
    clicked = await discord_standin.wait_for_response(clicked)
    assert clicked.embeds[0]["title"] == "Emma Goldman"  # her words, with the /quote buttons
    discord_standin.assert_clean()


def footer(message: dict[str, Any]) -> str:
    return message["embeds"][0].get("footer", {}).get("text", "")


async def test_a_long_answer_to_a_mention_is_paged_like_a_commands(
        bot, discord_standin: DiscordStandin) -> None:
    channel = discord_standin.channel("general").id
    asked = await discord_standin.send_message_create(
        f"{discord_standin.bot_user.mention} what happened in 1921?", channel_id=channel)
    reply = await discord_standin.wait_for_channel_message(channel)
    assert reply["message_reference"]["message_id"] == str(asked["id"])
    (sent,) = [c.json for c in discord_standin.calls
               if c.method == "POST" and c.path.endswith(f"/channels/{channel}/messages")]
    assert sent["allowed_mentions"] == {"parse": [], "replied_user": False}  # pings nobody
    assert footer(reply).startswith("page 1/")
    next_ = f"pager:{asked['id']}:next"
    intruder = await discord_standin.click_button(reply, next_, user=discord_standin.moderator)
    intruder = await discord_standin.wait_for_response(intruder)
    assert intruder.ephemeral and intruder.content.startswith("Only Reader can page this")
    click = await discord_standin.click_button(reply, next_)
    click = await discord_standin.wait_for_response(click)
    assert click.response_type == 7  # the bot's reply, edited in place
    assert footer(discord_standin.messages[int(reply["id"])]).startswith("page 2/")
    discord_standin.assert_clean()


@pytest_asyncio.fixture(loop_scope="function")
async def bot_with_prompts(discord_standin: DiscordStandin, answers: AnswerContext
                           ) -> AsyncIterator[tuple[ReadingCircleBot, PromptContext]]:
    """The bot as ``run_bot`` wires it: the prompt context built once, outside the bot (as
    ``open_services`` builds it), and handed in."""
    settings = Settings(corpus_dir=REPO / "corpus").model_copy(update={
        "discord": DiscordSettings(dev_guild_ids=[discord_standin.guild.id],
                                   command_cooldown_seconds=0)})
    prompts = build_prompt_context(settings, answers)
    async with running_bot(create_bot(settings, answers, prompts=prompts),
                           discord_standin) as running:
        await discord_standin.wait_for_command_sync()
        yield running, prompts


async def test_what_should_we_discuss_in_a_mention_gets_the_prompt_of_the_day(
        bot_with_prompts, discord_standin: DiscordStandin) -> None:
    running, prompts = bot_with_prompts
    assert running.prompts is prompts  # the one context, not a second one built inside
    expected = prompt_today(prompts, discord_standin.guild.id)
    assert expected.title.startswith("Prompt of the day")
    channel = discord_standin.channel("general").id
    asked = await discord_standin.send_message_create(
        f"{discord_standin.bot_user.mention} what should we discuss?", channel_id=channel)
    reply = await discord_standin.wait_for_channel_message(channel)
    assert reply["message_reference"]["message_id"] == str(asked["id"])
    assert reply["embeds"][0]["title"] == expected.title
    assert expected.body[:60] in reply["embeds"][0]["description"]
    today = await command(discord_standin, "prompt", subcommand="today")
    assert today.embeds[0]["title"] == expected.title  # the same as /prompt today
    discord_standin.assert_clean()
