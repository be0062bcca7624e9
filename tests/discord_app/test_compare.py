"""/compare end to end: the real bot against the local Discord stand-in.

Every test ends with ``assert_clean()``: nothing Discord would reject (the stand-in checks
content, embed and field limits), no unplanned API call, nothing that could ping.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from bot.answers.core.context import AnswerContext
from bot.discord_app.client import ReadingCircleBot, create_bot
from bot.discord_app.render import SHORT_REPLY_MAX
from tests.answer_helpers import connected_bot_context
from tests.discord_app.test_ask import _settings, assert_no_pings, text_of
from tests.discord_standin import DiscordStandin, InteractionRecord, running_bot


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> AnswerContext:
    return connected_bot_context(tmp_path_factory.mktemp("compare") / "compare.sqlite3")


@pytest_asyncio.fixture(loop_scope="function")
async def bot(discord_standin: DiscordStandin, answers: AnswerContext
              ) -> AsyncIterator[ReadingCircleBot]:
    async with running_bot(create_bot(_settings(discord_standin, 0.0), answers),
                           discord_standin) as running:
        await discord_standin.wait_for_command_sync()
        yield running


async def compare(standin: DiscordStandin, topic: str) -> InteractionRecord:
    record = await standin.send_slash_command("compare", {"topic": topic})
    return await standin.wait_for_response(record)


async def test_compare_is_registered_with_a_capped_topic(bot: ReadingCircleBot,
                                                         discord_standin: DiscordStandin) -> None:
    sync = await discord_standin.wait_for_command_sync()
    (command,) = [c for c in sync.commands if c["name"] == "compare"]
    (topic,) = command["options"]
    assert (topic["name"], topic["required"], topic["max_length"]) == ("topic", True, 200)
    discord_standin.assert_clean()


async def test_compare_fourth_international_shows_lines_and_the_date_disagreement(
        bot: ReadingCircleBot, discord_standin: DiscordStandin) -> None:
    record = await compare(discord_standin, "Fourth International")
    assert record.acknowledged and not record.ephemeral
    shown = text_of(record.message)
    assert "What the texts say about “Fourth International”" in shown
    assert "Jason Dawsey" in shown  # the first line: the text that speaks of it most
    assert "Disagreement — dates" in shown and "September 1938" in shown and "1939" in shown
    assert_no_pings(record)
    discord_standin.assert_clean()


async def test_compare_the_bureaucracy_as_a_class_fits_discord_and_pings_nobody(
        bot: ReadingCircleBot, discord_standin: DiscordStandin) -> None:
    # Five lines and a judgement: more than one page of embeds, each within the limits.
    record = await compare(discord_standin, "the bureaucracy as a class")
    assert record.acknowledged and record.embeds
    assert "not a ruling class" in text_of(record.message)
    assert_no_pings(record)
    discord_standin.assert_clean()


@pytest.mark.parametrize("topic", ["   ", "🔥", 'NEAR( " * OR', "vegan bread", "x" * 200])
async def test_odd_topics_get_a_short_private_reply(bot: ReadingCircleBot,
                                                    discord_standin: DiscordStandin,
                                                    topic: str) -> None:
    record = await compare(discord_standin, topic)
    assert record.acknowledged
    assert record.ephemeral and 0 < len(record.content) <= SHORT_REPLY_MAX
    assert "went wrong" not in record.content
    assert_no_pings(record)
    discord_standin.assert_clean()


async def test_a_topic_with_mentions_is_compared_and_pings_nobody(
        bot: ReadingCircleBot, discord_standin: DiscordStandin) -> None:
    # "everyone" is a word the texts use ("he couldn't break everyone"): compared, not pinged.
    record = await compare(discord_standin, "@everyone <@1>")
    assert record.acknowledged
    assert_no_pings(record)
    discord_standin.assert_clean()
