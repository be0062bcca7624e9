"""The real bot (create_bot, cogs, render, views, error handler) through discord.py's own code
paths, against the local Discord stand-in: gateway, command sync, interactions, components.

Every test ends with ``assert_clean()``: nothing Discord would reject, no unplanned API call,
nothing that could ping.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from bot.answers.core.context import AnswerContext
from bot.answers.core.model import Answer
from bot.answers.texts.search import search as real_search
from bot.config import DiscordSettings, Settings
from bot.discord_app import client as client_module
from bot.discord_app.client import ReadingCircleBot, create_bot
from bot.discord_app.main import API_BASE_ENV, run_bot, run_sync
from bot.discord_app.replying import ReplyPolicy
from bot.discord_app.views import Pager
from tests.answer_helpers import connected_bot_context
from tests.corpus_helpers import REPO
from tests.discord_standin import (
    DiscordStandin,
    InteractionRecord,
    limits,
    point_discord_at,
    running_bot,
)
from tests.discord_standin.bot_runner import start_run_process, stop_run_process

PLATYPUS = "to-topple-the-stalinist-bureaucracy"
EPHEMERAL = 1 << 6


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> AnswerContext:
    return connected_bot_context(tmp_path_factory.mktemp("discord") / "discord.sqlite3")


def settings_for(standin: DiscordStandin, *, cooldown: float = 0.0,
                 tmp_path: Path | None = None, dev_guild: bool = True) -> Settings:
    base = Settings(corpus_dir=REPO / "corpus", data_dir=tmp_path or Path("data"))
    guilds = [standin.guild.id] if dev_guild else []
    return base.model_copy(update={"discord": DiscordSettings(
        dev_guild_ids=guilds, command_cooldown_seconds=cooldown)})


@pytest_asyncio.fixture(loop_scope="function")
async def start(discord_standin: DiscordStandin, answers: AnswerContext
                ) -> AsyncIterator[Callable[..., Any]]:
    """``async with start(cooldown=..., policy=...)``: the production bot, running."""

    def starter(*, cooldown: float = 0.0, policy: ReplyPolicy | None = None):
        bot = create_bot(settings_for(discord_standin, cooldown=cooldown), answers, policy)
        return running_bot(bot, discord_standin)

    yield starter


@pytest_asyncio.fixture(loop_scope="function")
async def bot(start: Callable[..., Any]) -> AsyncIterator[ReadingCircleBot]:
    async with start() as running:
        yield running


async def answered(standin: DiscordStandin, name: str, options: dict[str, Any] | None = None,
                   **kwargs: Any) -> InteractionRecord:
    record = await standin.send_slash_command(name, options, **kwargs)
    return await standin.wait_for_response(record)


def buttons(message: dict[str, Any] | None) -> dict[str, bool]:
    """custom_id -> disabled, for every button on a message."""
    rows = (message or {}).get("components") or []
    return {b["custom_id"]: bool(b.get("disabled")) for row in rows for b in row["components"]}


def assert_sent_without_pings(record: InteractionRecord) -> None:
    assert record.response_data.get("allowed_mentions") == {"parse": []}


# ---------------------------------------------------------------- startup


async def test_logs_in_and_registers_commands_in_the_dev_guild(
        bot: ReadingCircleBot, discord_standin: DiscordStandin) -> None:
    sync = await discord_standin.wait_for_command_sync()
    assert sync.guild_id == discord_standin.guild.id
    assert discord_standin.global_commands == []  # global registration is `python -m bot sync`
    commands = {c["name"]: c for c in sync.commands if c.get("type", 1) == 1}
    assert set(commands) == {"sources", "search", "quote", "prompt", "help", "who", "when",
                             "timeline", "config", "ask", "compare", "plan", "reload"}
    menus = [(c["name"], c["type"]) for c in sync.commands if c.get("type", 1) != 1]
    assert menus == [("Find in the texts", 3)]  # a message command: Apps > Find in the texts
    for command in commands.values():
        assert 1 <= len(command["description"]) <= limits.COMMAND_DESCRIPTION_MAX
    words, source = commands["search"]["options"]
    assert (words["name"], words["required"], words["max_length"]) == ("words", True, 300)
    assert (source["name"], source.get("required", False), source["autocomplete"]) == (
        "source", False, True)
    intents = bot.intents
    assert not (intents.members or intents.presences or intents.message_content)
    assert bot.allowed_mentions is not None and bot.allowed_mentions.to_dict() == {"parse": []}
    discord_standin.assert_clean()


# ---------------------------------------------------------------- /sources and /help


async def test_sources_lists_the_five_texts(bot: ReadingCircleBot,
                                            discord_standin: DiscordStandin) -> None:
    record = await answered(discord_standin, "sources")
    assert record.response_type == 4 and not record.ephemeral
    (embed,) = record.embeds
    assert embed["title"] == "The corpus: 5 texts"
    assert len(embed["fields"]) == 5
    assert any(PLATYPUS in field["value"] for field in embed["fields"])
    assert buttons(record.message) == {}  # one page: no pager
    assert_sent_without_pings(record)
    discord_standin.assert_clean()


async def test_help_lists_the_commands(bot: ReadingCircleBot,
                                       discord_standin: DiscordStandin) -> None:
    record = await answered(discord_standin, "help")
    (embed,) = record.embeds
    assert [f["name"] for f in embed["fields"]] == ["/sources", "/search", "/quote", "/who",
                                                  "/when", "/timeline", "/compare", "/prompt",
                                                  "/ask", "/plan", "Find in the texts", "/help"]
    discord_standin.assert_clean()


# ---------------------------------------------------------------- /search and paging


async def test_search_pages_and_only_the_asker_may_turn_them(
        bot: ReadingCircleBot, discord_standin: DiscordStandin) -> None:
    record = await answered(discord_standin, "search", {"words": "bureaucracy"})
    assert record.response_type == 4 and not record.ephemeral
    (first,) = record.embeds
    assert first["footer"]["text"] == "page 1/2"
    assert all("bureaucracy" in f["value"].lower() for f in first["fields"])
    previous, next_ = f"pager:{record.id}:previous", f"pager:{record.id}:next"
    assert buttons(record.message) == {previous: True, next_: False}
    assert_sent_without_pings(record)

    click = await discord_standin.click_button(record.message, next_)
    await discord_standin.wait_for_response(click)
    assert click.response_type == 7  # the same message, edited in place
    (second,) = record.embeds
    assert second["footer"]["text"] == "page 2/2"
    assert second["fields"][0]["name"].startswith("6. ")
    assert buttons(record.message) == {previous: False, next_: True}

    intruder = await discord_standin.click_button(record.message, previous,
                                                  user=discord_standin.moderator)
    await discord_standin.wait_for_response(intruder)
    assert intruder.response_type == 4 and intruder.ephemeral
    assert intruder.content.startswith("Only Reader can page this")
    assert record.embeds[0]["footer"]["text"] == "page 2/2"  # unchanged

    back = await discord_standin.click_button(record.message, previous)
    await discord_standin.wait_for_response(back)
    assert record.embeds[0]["footer"]["text"] == "page 1/2"
    discord_standin.assert_clean()


async def test_commands_work_in_direct_messages(bot: ReadingCircleBot,
                                               discord_standin: DiscordStandin) -> None:
    record = await answered(discord_standin, "search", {"words": "Kronstadt"}, dm=True)
    assert record.response_type == 4 and record.embeds
    discord_standin.assert_clean()


async def test_search_in_one_source(bot: ReadingCircleBot,
                                    discord_standin: DiscordStandin) -> None:
    record = await answered(discord_standin, "search", {"words": "Stalin", "source": PLATYPUS})
    fields = [f for embed in record.embeds for f in embed["fields"]]
    assert fields and all(f"`{PLATYPUS}`" in f["value"] for f in fields)
    discord_standin.assert_clean()


async def test_search_without_results_says_so_privately(
        bot: ReadingCircleBot, discord_standin: DiscordStandin) -> None:
    record = await answered(discord_standin, "search", {"words": "zzqqxx platypusoid"})
    assert record.ephemeral and record.embeds == []
    assert record.content.startswith("**No passages found**")
    discord_standin.assert_clean()


@pytest.mark.parametrize(("words", "expected"), [
    ('"', "Nothing to search for"),
    ("NEAR(", None),  # a word like any other once escaped: results or "none", never a crash
    (") OR (", None),
    ("*", "Nothing to search for"),
    ("bureaucracy " * 416 + "x" * 8, "too long"),  # 5000 characters
    ("🔥🔥🔥", "Nothing to search for"),
    ("@everyone <@1> <@&2>", None),  # echoed back in the title, pinging nobody
])
async def test_hostile_input_gets_an_answer_and_never_breaks_anything(
        bot: ReadingCircleBot, discord_standin: DiscordStandin, words: str,
        expected: str | None) -> None:
    record = await answered(discord_standin, "search", {"words": words})
    assert record.acknowledged
    if expected is not None:
        assert record.ephemeral and expected in record.content
    assert_sent_without_pings(record)
    discord_standin.assert_clean()


async def test_source_autocomplete(bot: ReadingCircleBot,
                                   discord_standin: DiscordStandin) -> None:
    record = await discord_standin.send_autocomplete(
        "search", {"words": "Stalin", "source": "platypus"}, focused="source")
    await discord_standin.wait_for_response(record)
    assert record.response_type == 8
    assert 1 <= len(record.choices) <= limits.CHOICES_MAX
    assert record.choices[0]["value"] == PLATYPUS
    everything = await discord_standin.send_autocomplete("search", {"source": ""})
    await discord_standin.wait_for_response(everything)
    assert len(everything.choices) == 5
    assert all(1 <= len(c["name"]) <= limits.CHOICE_TEXT_MAX for c in everything.choices)
    discord_standin.assert_clean()


# ---------------------------------------------------------------- timing


def slowed(seconds: float, then: Callable[..., Answer]) -> Callable[..., Answer]:
    def slow(*args: Any) -> Answer:
        time.sleep(seconds)  # runs in the worker thread, like a slow database
        return then(*args)
    return slow


async def test_slow_answers_are_deferred_then_followed_up(
        start: Callable[..., Any], discord_standin: DiscordStandin,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bot.discord_app.cogs.search.search", slowed(0.3, real_search))
    async with start(policy=ReplyPolicy(defer_after=0.05)):
        record = await answered(discord_standin, "search", {"words": "bureaucracy"})
        assert record.response_type == 5  # "thinking...", well inside the window
        await discord_standin.wait_for_followup(record)
        assert record.embeds[0]["footer"]["text"] == "page 1/2"
        click = await discord_standin.click_button(record.message, f"pager:{record.id}:next")
        await discord_standin.wait_for_response(click)
        assert record.embeds[0]["footer"]["text"] == "page 2/2"
    discord_standin.assert_clean()


async def test_pager_buttons_are_disabled_when_it_times_out(
        start: Callable[..., Any], discord_standin: DiscordStandin) -> None:
    async with start(policy=ReplyPolicy(pager_timeout=0.2)):
        record = await answered(discord_standin, "search", {"words": "bureaucracy"})
        await discord_standin.wait_for_edit(record)
        assert set(buttons(record.message).values()) == {True}
        assert record.embeds[0]["footer"]["text"] == "page 1/2"  # the page stays readable
    discord_standin.assert_clean()


async def test_fast_answers_take_one_round_trip(bot: ReadingCircleBot,
                                                discord_standin: DiscordStandin) -> None:
    record = await answered(discord_standin, "search", {"words": "Kronstadt sailors"})
    assert record.response_type == 4 and record.followups == []
    # Not a benchmark (that is bench/), a guard against an accidental sleep or defer.
    assert record.attempts[0].time - record.dispatched_at < 1.0
    discord_standin.assert_clean()


# ---------------------------------------------------------------- errors


def boom(*_: Any) -> Answer:
    raise RuntimeError("the store fell over")


async def test_unexpected_error_is_logged_and_apologised_for(
        bot: ReadingCircleBot, discord_standin: DiscordStandin,
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr("bot.discord_app.cogs.search.search", boom)
    with caplog.at_level(logging.ERROR, logger="bot.discord_app.errors"):
        record = await answered(discord_standin, "search", {"words": "bureaucracy"})
    assert record.ephemeral
    assert record.content.startswith("Sorry, something went wrong on my side while answering "
                                     "/search")
    (logged,) = [r for r in caplog.records if r.name == "bot.discord_app.errors"]
    message = logged.getMessage()
    assert "/search failed" in message
    assert str(discord_standin.reader.id) in message
    assert str(discord_standin.guild.id) in message
    assert "'words': 'bureaucracy'" in message
    assert logged.exc_info is not None and "store fell over" in str(logged.exc_info[1])
    discord_standin.assert_clean()


async def test_unexpected_error_after_a_defer_still_gets_an_apology(
        start: Callable[..., Any], discord_standin: DiscordStandin,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bot.discord_app.cogs.search.search", slowed(0.2, boom))
    logging.getLogger("bot.discord_app.errors").disabled = True  # expected; keep output quiet
    try:
        async with start(policy=ReplyPolicy(defer_after=0.05)):
            record = await answered(discord_standin, "search", {"words": "bureaucracy"})
            assert record.response_type == 5
            await discord_standin.wait_for_followup(record)
            assert record.content.startswith("Sorry, something went wrong")
    finally:
        logging.getLogger("bot.discord_app.errors").disabled = False
    discord_standin.assert_clean()


async def test_a_failing_button_gets_an_apology_too(
        bot: ReadingCircleBot, discord_standin: DiscordStandin,
        monkeypatch: pytest.MonkeyPatch) -> None:
    async def broken(*_: Any) -> None:
        raise RuntimeError("page lost")

    record = await answered(discord_standin, "search", {"words": "bureaucracy"})
    monkeypatch.setattr(Pager, "_turn", broken)
    logging.getLogger("bot.discord_app.errors").disabled = True  # expected; keep output quiet
    try:
        click = await discord_standin.click_button(record.message, f"pager:{record.id}:next")
        await discord_standin.wait_for_response(click)
    finally:
        logging.getLogger("bot.discord_app.errors").disabled = False
    assert click.ephemeral and click.content.startswith("Sorry, something went wrong")
    discord_standin.assert_clean()


async def test_cooldown_gets_a_private_message(start: Callable[..., Any],
                                               discord_standin: DiscordStandin) -> None:
    async with start(cooldown=60):
        first = await answered(discord_standin, "search", {"words": "bureaucracy"})
        assert first.response_type == 4 and not first.ephemeral
        again = await answered(discord_standin, "search", {"words": "Kronstadt"})
        assert again.ephemeral
        assert again.content.startswith("Slow down a little: try again in 6")  # 60 or 59 s
        other = await answered(discord_standin, "search", {"words": "Kronstadt"},
                               user=discord_standin.moderator)
        assert not other.ephemeral  # per user, not per server
        help_ = await answered(discord_standin, "help")
        assert not help_.ephemeral  # only search-type commands are rate limited
    discord_standin.assert_clean()


# ---------------------------------------------------------------- run_bot / run_sync


async def test_bad_token_is_one_clear_line_and_exit_code_2(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    async with DiscordStandin(token="the-right-token") as standin:
        point_discord_at(standin, monkeypatch)
        settings = settings_for(standin, tmp_path=tmp_path)
        code = await asyncio.to_thread(run_bot, settings, "a-wrong-token")
    assert code == 2
    err = capsys.readouterr().err
    assert "Discord refused the token in DISCORD_TOKEN" in err
    assert "Traceback" not in err


def test_endpoint_overrides_only_accept_this_machine(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv(API_BASE_ENV, "https://example.org/api/v10")
    assert run_bot(Settings(), "x") == 2  # refused before the store or the network is touched
    assert "may only point at this machine" in capsys.readouterr().err


async def test_sync_registers_commands_globally(
        discord_standin: DiscordStandin, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    settings = settings_for(discord_standin, tmp_path=tmp_path, dev_guild=False)
    code = await asyncio.to_thread(run_sync, settings, "x")
    assert code == 0
    assert {c["name"] for c in discord_standin.global_commands} == {
        "sources", "search", "quote", "prompt", "help", "who", "when", "timeline", "config",
        "ask", "compare", "plan", "reload", "Find in the texts"}
    assert discord_standin.guild_commands == {}
    assert "Registered 14 commands" in capsys.readouterr().out
    discord_standin.assert_clean()


async def test_python_m_bot_run_serves_then_stops_cleanly_on_sigterm(
        discord_standin: DiscordStandin, tmp_path: Path) -> None:
    """The real entry point, as a host runs it, pointed at the stand-in by environment."""
    config = tmp_path / "config.yaml"
    config.write_text(f"corpus_dir: {REPO / 'corpus'}\ndata_dir: {tmp_path / 'data'}\n"
                      f"discord:\n  dev_guild_ids: [{discord_standin.guild.id}]\n",
                      encoding="utf-8")
    process = await start_run_process(discord_standin, config, REPO)
    try:
        record = await answered(discord_standin, "sources")
        assert record.embeds[0]["title"] == "The corpus: 5 texts"
    finally:
        log = await stop_run_process(process)
    assert process.returncode == 0, log
    assert "shutting down" in log and "stopped" in log
    assert "Traceback" not in log
    discord_standin.assert_clean()


def test_sharded_settings_build_an_auto_sharded_bot(answers: AnswerContext) -> None:
    settings = Settings(discord=DiscordSettings(shard_count=4, shard_ids=[0, 1]))
    bot = create_bot(settings, answers)
    assert isinstance(bot, client_module.ShardedReadingCircleBot)
    assert (bot.shard_count, bot.shard_ids) == (4, [0, 1])
