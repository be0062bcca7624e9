"""/ask, the "Find in the texts" message menu, and a mention asking for something to discuss,
end to end: the real bot against the local Discord stand-in.

Every test ends with ``assert_clean()``: nothing Discord would reject, no unplanned API call,
nothing that could ping.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
import pytest_asyncio

from bot.answers.core.context import AnswerContext
from bot.config import DiscordSettings, Settings
from bot.discord_app.client import ReadingCircleBot, create_bot
from bot.discord_app.cogs.find import MENU_NAME
from bot.discord_app.render import SHORT_REPLY_MAX
from tests.answer_helpers import connected_bot_context
from tests.corpus_helpers import REPO
from tests.discord_standin import DiscordStandin, InteractionRecord, running_bot

#: Sentences copied from corpus/texts/life-of-leon-trotsky.md: one from Trotsky's will (a
#: block quotation, so a quotation with its speaker), one the essayist's own.
WILL = ("Life is beautiful. Let the future generations cleanse it of all evil, oppression, "
        "and violence, and enjoy it to the full.")
ESSAY = ("On 20th August 1940, the Stalinist agent Ramon Mercader attacked and killed Leon "
         "Trotsky with an ice-axe at his home in exile in Mexico.")
LIFE = "the life of Leon Trotsky"  # in that essay's title
#: Two whole paragraphs of that essay pasted at once (over 1000 characters): the first 500
#: characters, all in the first paragraph, are looked for.
LONG_PASTE = "\n\n".join(
    paragraph for paragraph in (REPO / "corpus/texts/life-of-leon-trotsky.md").read_text(
        encoding="utf-8").split("\n\n")
    if paragraph.startswith(("The life and death of Leon Trotsky", "Revolution goes in waves")))
INVENTED = ("Trotsky spent the winter of 1931 breeding prize pigeons on a farm outside "
            "Montevideo, far from any politics.")


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> AnswerContext:
    return connected_bot_context(tmp_path_factory.mktemp("ask") / "ask.sqlite3")


def _settings(standin: DiscordStandin, cooldown: float) -> Settings:
    return Settings(corpus_dir=REPO / "corpus").model_copy(update={
        "discord": DiscordSettings(dev_guild_ids=[standin.guild.id],
                                   command_cooldown_seconds=cooldown)})


@pytest_asyncio.fixture(loop_scope="function")
async def start(discord_standin: DiscordStandin, answers: AnswerContext
                ) -> AsyncIterator[Callable[..., Any]]:
    """``async with start(cooldown=...)``: the production bot, running, commands synced."""

    def starter(*, cooldown: float = 0.0):
        return running_bot(create_bot(_settings(discord_standin, cooldown), answers),
                           discord_standin)

    yield starter


@pytest_asyncio.fixture(loop_scope="function")
async def bot(start: Callable[..., Any], discord_standin: DiscordStandin
              ) -> AsyncIterator[ReadingCircleBot]:
    async with start() as running:
        await discord_standin.wait_for_command_sync()
        yield running


async def ask(standin: DiscordStandin, question: str, **kwargs: Any) -> InteractionRecord:
    record = await standin.send_slash_command("ask", {"question": question}, **kwargs)
    return await standin.wait_for_response(record)


async def find(standin: DiscordStandin, text: str, **kwargs: Any) -> InteractionRecord:
    """A member posts ``text`` in #general; the reader uses the menu on it."""
    posted = await standin.send_message_create(text, channel_id=standin.channel("general").id,
                                               **kwargs)
    record = await standin.send_message_command(MENU_NAME, posted)
    return await standin.wait_for_response(record)


def text_of(message: dict[str, Any] | None) -> str:
    message = message or {}
    parts = [message.get("content") or ""]
    for embed in message.get("embeds") or []:
        parts += [embed.get("title", ""), embed.get("description", "")]
        parts += [f"{f['name']} {f['value']}" for f in embed.get("fields", [])]
        parts.append((embed.get("footer") or {}).get("text", ""))
    return "\n".join(parts)


def assert_no_pings(record: InteractionRecord) -> None:
    assert record.response_data.get("allowed_mentions") == {"parse": []}


# ---------------------------------------------------------------- registration


async def test_ask_and_the_menu_are_registered(bot: ReadingCircleBot,
                                               discord_standin: DiscordStandin) -> None:
    sync = await discord_standin.wait_for_command_sync()
    (ask_command,) = [c for c in sync.commands if c["name"] == "ask"]
    (question,) = ask_command["options"]
    assert (question["name"], question["required"], question["max_length"]) == (
        "question", True, 500)
    (menu,) = [c for c in sync.commands if c["name"] == MENU_NAME]
    assert menu["type"] == 3  # a message command: Apps > Find in the texts
    discord_standin.assert_clean()


# ---------------------------------------------------------------- /ask


async def test_ask_answers_publicly_and_pings_nobody(bot: ReadingCircleBot,
                                                     discord_standin: DiscordStandin) -> None:
    record = await ask(discord_standin, "who killed Trotsky?")
    assert record.response_type == 4 and not record.ephemeral
    assert "Mercader" in text_of(record.message)
    assert_no_pings(record)
    discord_standin.assert_clean()


async def test_a_mention_follows_up_an_ask(bot: ReadingCircleBot,
                                           discord_standin: DiscordStandin) -> None:
    """/ask and mentions share one memory and one key (member and channel)."""
    channel = discord_standin.channel("general").id
    first = await ask(discord_standin, "who was Lenin?", channel_id=channel)
    assert "Lenin" in text_of(first.message)
    await discord_standin.send_message_create(
        f"{discord_standin.bot_user.mention} and when did he die?", channel_id=channel)
    reply = await discord_standin.wait_for_channel_message(channel)
    assert "21 January 1924" in text_of(reply)
    discord_standin.assert_clean()


@pytest.mark.parametrize("question", [
    "",  # Discord's client refuses it, but a client can send anything
    "   ",
    "why " * 750,  # 3000 characters
    'NEAR( " * OR',
    "@everyone <@1> <@&2>",
])
async def test_odd_questions_get_a_short_answer_never_an_error(
        bot: ReadingCircleBot, discord_standin: DiscordStandin, question: str) -> None:
    record = await ask(discord_standin, question)
    assert record.acknowledged
    shown = text_of(record.message)
    assert "went wrong" not in shown
    if record.content:  # a mistake or "the texts don't answer that": one private line
        assert record.ephemeral and len(record.content) <= SHORT_REPLY_MAX
    assert_no_pings(record)
    discord_standin.assert_clean()


@pytest.mark.parametrize(("question", "expected"), [
    ("", "Ask me something"),
    ("why " * 750, "long question"),
])
async def test_empty_and_overlong_questions_say_what_to_do(
        bot: ReadingCircleBot, discord_standin: DiscordStandin, question: str,
        expected: str) -> None:
    record = await ask(discord_standin, question)
    assert record.ephemeral and expected in record.content
    discord_standin.assert_clean()


async def test_ask_and_the_menu_have_the_search_cooldown(
        start: Callable[..., Any], discord_standin: DiscordStandin) -> None:
    async with start(cooldown=60):
        await discord_standin.wait_for_command_sync()
        first = await ask(discord_standin, "who was Yagoda?")
        assert not first.ephemeral
        second = await ask(discord_standin, "who was Bukharin?")
        assert second.ephemeral and second.content.startswith("Slow down")
        looked_up = await find(discord_standin, WILL)
        assert looked_up.embeds and looked_up.embeds[0]["title"].startswith("Quoted in")
        again = await find(discord_standin, ESSAY)
        assert again.ephemeral and again.content.startswith("Slow down")
    discord_standin.assert_clean()


# ---------------------------------------------------------------- Find in the texts


async def test_find_names_the_essay_a_quotation_comes_from(
        bot: ReadingCircleBot, discord_standin: DiscordStandin) -> None:
    record = await find(discord_standin, WILL)
    assert record.ephemeral  # a lookup for the member who asked
    (embed,) = record.embeds
    assert embed["title"].startswith("Quoted in") and LIFE in embed["title"]
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert fields["Said or written by"] == "Leon Trotsky"
    assert LIFE in fields["In"]
    assert fields["Match"] == "every word of the message, in order"
    assert_no_pings(record)
    discord_standin.assert_clean()


async def test_find_names_the_essay_a_sentence_comes_from(
        bot: ReadingCircleBot, discord_standin: DiscordStandin) -> None:
    # Quoted the way members quote, with a Markdown quote mark, curly quotes and a mention.
    record = await find(discord_standin,
                        f"> “{ESSAY}” {discord_standin.moderator.mention} is this right?")
    (embed,) = record.embeds
    assert embed["title"].startswith("From") and LIFE in embed["title"]
    assert "**On 20th August 1940" in embed["description"]  # the sentence, in bold
    assert LIFE in {f["name"]: f["value"] for f in embed["fields"]}["In"]
    assert_no_pings(record)
    discord_standin.assert_clean()


async def test_find_says_an_invented_sentence_is_not_in_the_texts(
        bot: ReadingCircleBot, discord_standin: DiscordStandin) -> None:
    record = await find(discord_standin, INVENTED)
    assert record.ephemeral
    (embed,) = record.embeds
    assert embed["title"] == "Not in the texts"
    assert any("The closest passage" in f["name"] for f in embed["fields"])
    assert_no_pings(record)
    discord_standin.assert_clean()


async def test_a_failing_lookup_gets_an_apology(
        bot: ReadingCircleBot, discord_standin: DiscordStandin,
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    def boom(*_: Any) -> None:
        raise RuntimeError("the store fell over")

    monkeypatch.setattr("bot.discord_app.cogs.find.find_in_texts", boom)
    with caplog.at_level(logging.ERROR, logger="bot.discord_app.errors"):
        record = await find(discord_standin, WILL)
    assert record.ephemeral
    assert record.content.startswith("Sorry, something went wrong on my side while answering "
                                     "“Find in the texts”")
    assert any("“Find in the texts” failed" in r.getMessage() for r in caplog.records)
    discord_standin.assert_clean()


async def test_find_on_a_message_without_text_says_so(
        bot: ReadingCircleBot, discord_standin: DiscordStandin) -> None:
    record = await find(discord_standin, "")  # an image or a sticker, say
    assert record.ephemeral and record.embeds == []
    assert record.content.startswith("**That message has no text**")
    discord_standin.assert_clean()


async def test_find_on_a_long_message_looks_at_its_start(
        bot: ReadingCircleBot, discord_standin: DiscordStandin) -> None:
    record = await find(discord_standin, LONG_PASTE)
    assert len(LONG_PASTE) > 1000
    assert LIFE in record.embeds[0]["title"]
    assert "first 500 characters" in record.embeds[0]["description"]
    discord_standin.assert_clean()


# ---------------------------------------------------------------- the prompt of the day


async def test_a_mention_asking_what_to_discuss_gets_the_prompt_of_the_day(
        bot: ReadingCircleBot, discord_standin: DiscordStandin) -> None:
    today = await discord_standin.send_slash_command("prompt", subcommand="today")
    today = await discord_standin.wait_for_response(today)
    (expected,) = today.embeds
    assert expected["title"].startswith("Prompt of the day")
    channel = discord_standin.channel("general").id
    await discord_standin.send_message_create(
        f"{discord_standin.bot_user.mention} what should we discuss?", channel_id=channel)
    reply = await discord_standin.wait_for_channel_message(channel)
    (embed,) = reply["embeds"]
    assert (embed["title"], embed.get("description")) == (
        expected["title"], expected.get("description"))
    asked = await ask(discord_standin, "give us something to discuss")
    assert asked.embeds[0]["title"] == expected["title"]
    discord_standin.assert_clean()
