"""The edges a member can push on, through the real bot and the local Discord stand-in: buttons
pressed too fast, autocomplete of moderator commands, bidirectional control characters in what
is echoed, interaction tokens in the logs.

Every test ends with ``assert_clean()``: nothing Discord would reject, no unplanned API call,
nothing that could ping.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from bot.answers.core.context import AnswerContext
from bot.config import DiscordSettings, Settings
from bot.discord_app.client import create_bot
from bot.discord_app.replying import ReplyPolicy
from tests.answer_helpers import connected_bot_context
from tests.corpus_helpers import REPO
from tests.discord_standin import DiscordStandin, InteractionRecord, running_bot


class Clock:
    """A clock the test moves by hand: the cooldowns read it, nothing sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> AnswerContext:
    return connected_bot_context(tmp_path_factory.mktemp("discord-edges") / "edges.sqlite3")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest_asyncio.fixture(loop_scope="function")
async def start(discord_standin: DiscordStandin, answers: AnswerContext, clock: Clock
                ) -> AsyncIterator[Callable[..., Any]]:
    def starter(*, questions_per_minute: int = 6, **policy: Any) -> Any:
        settings = Settings(corpus_dir=REPO / "corpus", data_dir=Path("data")).model_copy(
            update={"discord": DiscordSettings(dev_guild_ids=[discord_standin.guild.id],
                                               command_cooldown_seconds=0,
                                               questions_per_minute=questions_per_minute)})
        bot = create_bot(settings, answers, ReplyPolicy(clock=clock, **policy))
        return running_bot(bot, discord_standin)

    yield starter


async def command(standin: DiscordStandin, name: str, options: dict[str, Any] | None = None,
                  **kwargs: Any) -> InteractionRecord:
    record = await standin.send_slash_command(name, options, **kwargs)
    return await standin.wait_for_response(record)


async def press(standin: DiscordStandin, message: dict[str, Any] | None, custom_id: str,
                **kwargs: Any) -> InteractionRecord:
    click = await standin.click_button(message or {}, custom_id, **kwargs)
    return await standin.wait_for_response(click)


def public(record: InteractionRecord) -> bool:
    """A new message everyone in the channel sees."""
    return record.response_type == 4 and not record.ephemeral


# ---------------------------------------------------------------- buttons


async def test_another_pressed_too_fast_slows_the_member_down_privately(
        start: Callable[..., Any], discord_standin: DiscordStandin, clock: Clock) -> None:
    async with start():
        asked = await command(discord_standin, "quote", {"person": "Trotsky"})
        another = f"quote:{asked.id}:another"
        presses = [await press(discord_standin, asked.message, another) for _ in range(8)]
        # Three quotations for the channel, then a private "slow down" for each extra press.
        assert [public(p) for p in presses] == [True] * 3 + [False] * 5
        for refused in presses[3:]:
            assert refused.response_type == 4 and refused.ephemeral
            assert refused.content == "Slow down a little: try again in 10 s."
            assert refused.response_data.get("allowed_mentions") == {"parse": []}

        # Pressing "Another" on one of the new quotations is the same member's allowance.
        newest = presses[2]
        refused = await press(discord_standin, newest.message, f"quote:{newest.id}:another")
        assert not public(refused) and "Slow down" in refused.content

        # Another member is not held up by the first one's presses.
        theirs = await press(discord_standin, asked.message, another,
                             user=discord_standin.moderator)
        assert public(theirs) and theirs.embeds[0]["title"] == "Leon Trotsky"

        clock.now += 4  # the wait shrinks as the window runs out
        waiting = await press(discord_standin, asked.message, another)
        assert waiting.content == "Slow down a little: try again in 6 s."
        clock.now += 6.5  # the window is over: the member may press again
        again = await press(discord_standin, asked.message, another)
        assert public(again) and again.embeds[0]["title"] == "Leon Trotsky"
    discord_standin.assert_clean()


async def test_the_quotations_button_of_a_person_card_has_the_cooldown_too(
        start: Callable[..., Any], discord_standin: DiscordStandin) -> None:
    async with start(button_presses=2):
        card = await command(discord_standin, "who", {"name": "Lenin"})
        quotes = f"who:{card.id}:quotes"
        presses = [await press(discord_standin, card.message, quotes) for _ in range(5)]
        assert [public(p) for p in presses] == [True, True, False, False, False]
        assert all("Slow down" in p.content for p in presses[2:])
    discord_standin.assert_clean()


async def test_turning_pages_too_fast_is_refused_privately_and_leaves_the_page(
        start: Callable[..., Any], discord_standin: DiscordStandin) -> None:
    async with start(page_turns=2, page_size=1):
        listing = await command(discord_standin, "search", {"words": "bureaucracy"})
        assert public(listing) and listing.embeds[0]["footer"]["text"].startswith("page 1/")
        next_page = f"pager:{listing.id}:next"
        turns = [await press(discord_standin, listing.message, next_page) for _ in range(4)]
        assert [t.response_type for t in turns[:2]] == [7, 7]  # the message edited in place
        assert [(t.response_type, t.ephemeral) for t in turns[2:]] == [(4, True), (4, True)]
        assert "Slow down" in turns[3].content
        assert listing.embeds[0]["footer"]["text"].startswith("page 3/")  # two turns, no more
    discord_standin.assert_clean()


# ---------------------------------------------------------------- autocomplete


async def test_moderator_boxes_suggest_nothing_to_a_member_without_manage_server(
        start: Callable[..., Any], discord_standin: DiscordStandin) -> None:
    reader, moderator = discord_standin.reader, discord_standin.moderator
    secret = "What would Serge have asked Trotsky in 1936?"
    async with start():
        suggested = await command(discord_standin, "prompt", {"question": secret},
                                  subcommand="suggest", user=reader)
        assert "waiting for review" in suggested.embeds[0]["title"]
        added = await command(discord_standin, "prompt", {"question": "Is the NEP a retreat?"},
                              subcommand="add", user=moderator)
        assert added.ephemeral

        async def box(subcommand: str, options: dict[str, Any], user: Any) -> list[Any]:
            record = await discord_standin.send_autocomplete(
                "prompt", options, subcommand=subcommand, user=user)
            return (await discord_standin.wait_for_response(record)).choices

        # The moderator sees the waiting suggestion and the server's prompt by number ...
        assert [secret in c["name"] for c in await box("approve", {"number": ""},
                                                        moderator)] == [True]
        assert len(await box("remove", {"number": ""}, moderator)) == 1
        assert await box("schedule", {"time": "09:00", "timezone": "londo"}, moderator)
        # ... a member gets an empty box (no error), the same refusal as the command's.
        for subcommand, options in [("approve", {"number": ""}), ("decline", {"number": ""}),
                                    ("remove", {"number": ""}),
                                    ("schedule", {"time": "09:00", "timezone": "londo"}),
                                    ("add", {"question": "x", "source": "platypus"})]:
            assert await box(subcommand, options, reader) == [], subcommand
        # A box of a command for everyone still fills for everyone.
        assert await box("suggest", {"question": "x", "source": "platypus"}, reader)

        refused = await command(discord_standin, "prompt", {"number": 1},
                                subcommand="approve", user=reader)
        assert refused.ephemeral and "Manage Server" in refused.content
    discord_standin.assert_clean()


async def test_every_autocomplete_carries_its_commands_checks(
        start: Callable[..., Any], discord_standin: DiscordStandin) -> None:
    """discord.py runs an autocomplete's own checks, never its command's: a permission check
    left off one box would let anyone read what the command guards. (Cooldowns are left out:
    typing in a box must not use up the command's allowance.)"""
    async with start() as bot:
        guarded = 0
        for command_ in bot.tree.walk_commands():
            checks = {check for check in getattr(command_, "checks", ())
                      if "cooldown" not in check.__qualname__}
            for name, parameter in getattr(command_, "_params", {}).items():
                complete = parameter.autocomplete
                if complete is None or not checks:
                    continue
                guarded += 1
                carried = set(getattr(complete, "__discord_app_commands_checks__", ()))
                assert checks <= carried, f"/{command_.qualified_name} {name}"
        assert guarded >= 5  # schedule, add, remove, approve, decline
    discord_standin.assert_clean()


# ---------------------------------------------------------------- bounded per-member state


async def test_the_question_rate_and_the_conversation_forget_members_who_went_quiet(
        start: Callable[..., Any], discord_standin: DiscordStandin, clock: Clock) -> None:
    reader, moderator = discord_standin.reader, discord_standin.moderator

    async def ask_in_dm(user: Any, text: str, replies: int) -> list[dict[str, Any]]:
        await discord_standin.send_message_create(text, author=user, dm=True)
        return await discord_standin.wait_for_channel_messages(
            discord_standin.dm_channel_id(user), replies)

    async with start(questions_per_minute=2) as bot:
        talk = bot.get_cog("ConversationCog")
        await ask_in_dm(moderator, "who was Lenin?", 1)
        for n in range(3):  # two answers, then one polite line
            replies = await ask_in_dm(reader, "who was Lenin?", n + 1)
        assert "faster than I can read" in replies[-1]["content"]
        assert set(talk.limit.askers) == {reader.id, moderator.id}
        assert len(talk.memory.turns) == 2

        clock.now += 61  # a minute of quiet: the rate forgets both members
        assert len(talk.limit.askers) == 0
        replies = await ask_in_dm(reader, "and when did he die?", 4)
        assert "21 January 1924" in str(replies[-1]["embeds"])  # still remembered: 10 minutes
        assert set(talk.limit.askers) == {reader.id}

        clock.now += 10 * 60 + 1  # the conversation forgets too
        assert len(talk.memory.turns) == 0
        replies = await ask_in_dm(reader, "and when did he die?", 5)
        assert "Who do you mean" in str(replies[-1])
    discord_standin.assert_clean()


def test_a_crowd_of_askers_is_capped_and_then_forgotten(clock: Clock) -> None:
    from bot.discord_app.cogs.conversation import RateLimit, Verdict

    limit = RateLimit(3, clock=clock, max_members=1000)
    assert all(limit.check(member) is Verdict.ANSWER for member in range(5000))
    assert len(limit.askers) == 1000  # the oldest askers are dropped first
    assert limit.check(4999) is Verdict.ANSWER  # the latest are still counted
    clock.now += 61
    assert len(limit.askers) == 0


# ---------------------------------------------------------------- bidirectional controls

RLO, PDF, RLI, PDI, RLM = "\u202e", "\u202c", "\u2067", "\u2069", "\u200f"


def texts_in(value: Any) -> list[str]:
    """Every string anywhere in a message or response payload."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in texts_in(item)]
    if isinstance(value, list):
        return [text for item in value for text in texts_in(item)]
    return []


def bidi_in(value: Any) -> list[str]:
    from bot.answers.core.text import BIDI_CONTROLS

    return [text for text in texts_in(value) if BIDI_CONTROLS & set(text)]


async def test_bidirectional_controls_typed_are_never_echoed(
        start: Callable[..., Any], discord_standin: DiscordStandin) -> None:
    async with start():
        found = await command(discord_standin, "search",
                              {"words": f"{RLO}leopard changing his spots{PDF}"})
        assert public(found)
        assert found.embeds[0]["title"] == "Passages matching “leopard changing his spots”"
        nobody = await command(discord_standin, "who", {"name": f"{RLI}Zzyzx{PDI}{RLM}"})
        assert nobody.ephemeral and "“Zzyzx”" in nobody.content
        undated = await command(discord_standin, "when",
                                {"event": f"{RLO}the founding of Atlantis"})
        for record in (found, nobody, undated):
            assert bidi_in(record.response) == [] and bidi_in(record.message) == []

        # A member's suggested prompt shown to a moderator in the approve box.
        await command(discord_standin, "prompt", {"question": f"Was the NEP {RLO}a retreat?"},
                      subcommand="suggest")
        box = await discord_standin.wait_for_response(await discord_standin.send_autocomplete(
            "prompt", {"number": ""}, subcommand="approve", user=discord_standin.moderator))
        (choice,) = box.choices
        assert "Was the NEP a retreat?" in choice["name"]
    discord_standin.assert_clean()


# ---------------------------------------------------------------- tokens in the logs


def test_a_real_looking_interaction_url_is_redacted_at_debug() -> None:
    import io
    import logging

    from bot import logs

    token = ("aW50ZXJhY3Rpb246MTI2OTk4NDE2MzY0NjEyMzkwNDpPT3BPRk5lWlVaV2R3c0VvN0RaZklXQ3J"
             "hOTJ2TnpuTnA3dHpMSnJMRmxxb0pUWGZqTnZoSU9lS1ZzMQ")
    bot_token = "MTI2OTk4NDE2MzY0NjEyMzkwNA.GkXyZa.abcdefghijklmnopqrstuvwxyz0123456789AB"
    stream = io.StringIO()
    level = logging.getLogger().level
    handler = logs.configure("DEBUG", stream=stream, secrets=["s3cret-database-password"])
    assert handler is not None
    try:
        http = logging.getLogger("discord.http")
        http.debug("%s %s with %s has returned %s", "POST",
                   f"https://discord.com/api/v10/interactions/1269984163646123904/{token}"
                   "/callback?with_response=1", '{"type":4}', 200)
        logging.getLogger("discord.webhook.async_").debug(
            "Webhook ID %s with %s %s has returned status code %s", 1269984163646123904,
            "PATCH", f"https://discord.com/api/v10/webhooks/1269984163646123904/{token}"
            "/messages/@original", 200)
        logging.getLogger("discord.gateway").debug(
            "For Shard ID %s: WebSocket Event: %s", None,
            {"t": "INTERACTION_CREATE", "d": {"id": "1269984163646123904", "token": token}})
        logging.getLogger("bot").info("login with Bot %s to postgresql://u:%s@db", bot_token,
                                      "s3cret-database-password")
        try:
            raise RuntimeError(f"could not reach /webhooks/1/{token}")
        except RuntimeError:
            logging.getLogger("bot").exception("a followup failed")
    finally:
        logging.getLogger().removeHandler(handler)
        logging.getLogger().setLevel(level)
    written = stream.getvalue()
    assert token not in written and bot_token not in written
    assert "s3cret" not in written
    assert "/interactions/1269984163646123904/[redacted]/callback?with_response=1" in written
    assert "/webhooks/1269984163646123904/[redacted]/messages/@original" in written
    assert "'token': '[redacted]'" in written
    assert "RuntimeError: could not reach /webhooks/1/[redacted]" in written  # traceback too


async def test_discord_pys_debug_log_never_shows_an_interaction_token(
        start: Callable[..., Any], discord_standin: DiscordStandin) -> None:
    import io
    import logging

    from bot import logs

    stream = io.StringIO()
    level = logging.getLogger().level
    handler = logs.configure("DEBUG", stream=stream)
    assert handler is not None
    try:
        # Long enough for the press to reach a live view on a loaded machine (2 s was not,
        # with four other test runs on two cores); the test then waits for the timeout edit,
        # which must go through the webhook too.
        async with start(pager_timeout=6.0):
            asked = await discord_standin.wait_for_answer(
                await discord_standin.send_slash_command("quote", {"text": "dustbin of history"}))
            answered_edits = len(asked.edits)  # 1 when the answer came deferred, as an edit
            pressed = await press(discord_standin, asked.message, f"quote:{asked.id}:context")
            # the timeout edits through the webhook
            await discord_standin.wait_for_edit(asked, count=answered_edits + 1, timeout=20.0)
    finally:
        logging.getLogger().removeHandler(handler)
        logging.getLogger().setLevel(level)
    written = stream.getvalue()
    for record in (asked, pressed):
        assert record.token not in written
        assert f"/interactions/{record.id}/[redacted]/callback" in written
    assert "/[redacted]/messages/@original" in written  # the edit on timeout
    assert "'token': '[redacted]'" in written  # the INTERACTION_CREATE events
    discord_standin.assert_clean()


def test_logging_already_set_up_keeps_its_handlers_and_gets_the_filter() -> None:
    import io
    import logging

    from bot import logs

    root = logging.getLogger()
    mine = logging.StreamHandler(io.StringIO())
    root.addHandler(mine)
    try:
        assert logs.configure("INFO") is None  # nothing added: no doubled lines
        assert mine in root.handlers
        assert any(isinstance(f, logs.RedactTokens) for f in mine.filters)
        root.warning("callback /interactions/1/aW50ZXJhY3Rpb246MToxMjM0NTY3ODkw/callback")
        assert "/interactions/1/[redacted]/callback" in mine.stream.getvalue()
    finally:
        root.removeHandler(mine)
