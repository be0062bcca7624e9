"""/quote end to end: the real bot against the local Discord stand-in.

The command, its autocomplete and its three buttons (Another, More results, Context) go through
discord.py's own code; every test ends with ``assert_clean()`` (nothing Discord would reject,
no unplanned call, nothing that could ping).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy import select

from bot.answers.core.context import AnswerContext
from bot.answers.quote.answer import more_quotes, quote_answer, quote_context
from bot.config import DiscordSettings, Settings
from bot.discord_app.client import ReadingCircleBot, create_bot
from bot.discord_app.render import render
from bot.discord_app.replying import ReplyPolicy
from bot.store.database import session_factory
from bot.store.models import Quotation
from tests.answer_helpers import connected_bot_context
from tests.corpus_helpers import REPO
from tests.discord_standin import DiscordStandin, InteractionRecord, limits, running_bot


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> AnswerContext:
    return connected_bot_context(tmp_path_factory.mktemp("discord-quote") / "quote.sqlite3")


@pytest_asyncio.fixture(loop_scope="function")
async def start(discord_standin: DiscordStandin, answers: AnswerContext
                ) -> AsyncIterator[Callable[..., Any]]:
    def starter(policy: ReplyPolicy | None = None) -> Any:
        settings = Settings(corpus_dir=REPO / "corpus", data_dir=Path("data")).model_copy(
            update={"discord": DiscordSettings(dev_guild_ids=[discord_standin.guild.id],
                                               command_cooldown_seconds=0)})
        return running_bot(create_bot(settings, answers, policy), discord_standin)

    yield starter


@pytest_asyncio.fixture(loop_scope="function")
async def bot(start: Callable[..., Any]) -> AsyncIterator[ReadingCircleBot]:
    async with start() as running:
        yield running


async def answered(standin: DiscordStandin, options: dict[str, Any] | None = None,
                   **kwargs: Any) -> InteractionRecord:
    record = await standin.send_slash_command("quote", options, **kwargs)
    # The answer itself: the first response, or the edit after "thinking..." when the
    # machine is loaded enough for the answer to take longer than the defer threshold.
    return await standin.wait_for_answer(record)


async def clicked(standin: DiscordStandin, message: dict[str, Any] | None, custom_id: str,
                  **kwargs: Any) -> InteractionRecord:
    click = await standin.click_button(message or {}, custom_id, **kwargs)
    return await standin.wait_for_response(click)


def buttons(message: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    """custom_id -> button, for every button on a message."""
    rows = (message or {}).get("components") or []
    return {b["custom_id"]: b for row in rows for b in row["components"]}


def field(embed: dict[str, Any], name: str) -> str:
    return next(f["value"] for f in embed["fields"] if f["name"] == name)


def assert_public_embed_within_limits(record: InteractionRecord) -> dict[str, Any]:
    assert record.response_type in (4, 5) and not record.ephemeral
    if record.response_type == 4:  # a deferred answer's followup is checked by the stand-in
        assert record.response_data.get("allowed_mentions") == {"parse": []}
    (embed,) = record.embeds
    assert limits.message_problems({"embeds": [embed]}, creating=True) == []
    return embed


# ---------------------------------------------------------------- searching


async def test_the_dustbin_line_is_trotskys_with_its_essay(
        bot: ReadingCircleBot, discord_standin: DiscordStandin) -> None:
    record = await answered(discord_standin, {"text": "dustbin of histroy"})
    embed = assert_public_embed_within_limits(record)
    assert embed["title"] == "Leon Trotsky"
    assert "dustbin of history" in embed["description"]
    assert field(embed, "Said or written by") == "Leon Trotsky"
    assert "life of Leon Trotsky" in field(embed, "In")
    assert set(buttons(record.message)) >= {f"quote:{record.id}:another",
                                            f"quote:{record.id}:context"}
    discord_standin.assert_clean()


async def test_mediocrity_has_alternatives_behind_more_results(
        bot: ReadingCircleBot, discord_standin: DiscordStandin) -> None:
    record = await answered(discord_standin, {"text": "mediocrity nonentity"})
    embed = assert_public_embed_within_limits(record)
    assert embed["title"] == "Leon Trotsky"
    assert "Mediocrity, yes; nonentity, no" in embed["description"]
    assert "Stalin: An appraisal" in field(embed, "Original source")
    # The alternatives are not on the quotation's own page but behind the button.
    assert not any(f["name"].startswith("1.") for f in embed["fields"])
    more = f"quote:{record.id}:more"
    assert buttons(record.message)[more]["label"].startswith("More results (")

    listing = await clicked(discord_standin, record.message, more,
                            user=discord_standin.moderator)
    assert listing.response_type == 4 and listing.ephemeral  # only the presser sees it
    (page,) = listing.embeds
    assert page["title"].startswith("More quotations matching")
    assert page["fields"] and page["fields"][0]["name"].startswith("1. ")
    assert "colorless nonentity" in " ".join(f["value"] for f in page["fields"])
    discord_standin.assert_clean()


async def test_a_person_filter_takes_any_spelling(
        bot: ReadingCircleBot, discord_standin: DiscordStandin) -> None:
    record = await answered(discord_standin, {"text": "leopard spots", "person": "Goldmann"})
    embed = assert_public_embed_within_limits(record)
    assert embed["title"] == "Emma Goldman"
    assert "leopard changing his spots" in embed["description"]
    discord_standin.assert_clean()


# ---------------------------------------------------------------- buttons


async def test_another_and_context_work_for_anyone(
        bot: ReadingCircleBot, discord_standin: DiscordStandin) -> None:
    record = await answered(discord_standin, {"person": "Trotksy"})
    first = assert_public_embed_within_limits(record)
    assert first["title"] == "Leon Trotsky"

    another = await clicked(discord_standin, record.message, f"quote:{record.id}:another",
                            user=discord_standin.moderator)
    second = assert_public_embed_within_limits(another)  # a new message for the channel
    assert second["title"] == "Leon Trotsky"  # the same filter
    assert second["description"] != first["description"]  # no immediate repeat
    assert f"quote:{another.id}:another" in buttons(another.message)  # its own buttons

    context = await clicked(discord_standin, another.message, f"quote:{another.id}:context",
                            user=discord_standin.moderator)
    assert context.response_type == 4 and context.ephemeral
    (page,) = context.embeds
    assert page["title"].startswith("Context: paragraph ")
    assert limits.message_problems({"embeds": [page]}, creating=True) == []
    discord_standin.assert_clean()


async def test_context_marks_the_quotation_in_its_paragraph(
        bot: ReadingCircleBot, discord_standin: DiscordStandin) -> None:
    record = await answered(discord_standin, {"text": "no better Bolshevik than Trotsky"})
    context = await clicked(discord_standin, record.message, f"quote:{record.id}:context")
    (page,) = context.embeds
    assert "**There has been no better Bolshevik than Trotsky**" in page["description"]
    discord_standin.assert_clean()


async def test_buttons_are_disabled_when_they_time_out(
        start: Callable[..., Any], discord_standin: DiscordStandin) -> None:
    async with start(ReplyPolicy(pager_timeout=0.2)):
        record = await answered(discord_standin, {"text": "dustbin of history"})
        await discord_standin.wait_for_edit(record)
        assert {b.get("disabled", False) for b in buttons(record.message).values()} == {True}
        assert record.embeds[0]["title"] == "Leon Trotsky"  # the quotation stays readable
    discord_standin.assert_clean()


# ---------------------------------------------------------------- autocomplete


async def test_person_autocomplete_finds_misspelt_names_within_limits(
        bot: ReadingCircleBot, discord_standin: DiscordStandin) -> None:
    record = await discord_standin.send_autocomplete(
        "quote", {"text": "", "person": "Trotksy"}, focused="person")
    await discord_standin.wait_for_response(record)
    assert record.response_type == 8
    assert record.choices[0]["value"] == "Leon Trotsky"
    everyone = await discord_standin.send_autocomplete("quote", {"person": ""},
                                                       focused="person")
    await discord_standin.wait_for_response(everyone)
    assert len(everyone.choices) == limits.CHOICES_MAX
    assert everyone.choices[0]["value"] == "Leon Trotsky"  # the most quoted first
    for choice in record.choices + everyone.choices:
        assert 1 <= len(choice["name"]) <= limits.CHOICE_TEXT_MAX
        assert 1 <= len(choice["value"]) <= limits.CHOICE_TEXT_MAX
    discord_standin.assert_clean()


async def test_source_autocomplete(bot: ReadingCircleBot,
                                   discord_standin: DiscordStandin) -> None:
    record = await discord_standin.send_autocomplete("quote", {"source": "platypus"},
                                                     focused="source")
    await discord_standin.wait_for_response(record)
    assert record.choices[0]["value"] == "to-topple-the-stalinist-bureaucracy"
    discord_standin.assert_clean()


# ---------------------------------------------------------------- hostile input


@pytest.mark.parametrize(("options", "expected"), [
    ({"text": '"'}, "Nothing to search for"),
    ({"text": "🔥🔥🔥"}, "Nothing to search for"),
    ({"text": "zzqqxx platypusoid"}, "No quotation found"),
    ({"text": "dustbin", "person": "Zzzzzz"}, "No one called"),
    ({"person": "x" * 100}, "No one called"),
    ({"source": "no such text at all"}, "No text called"),
    ({"text": "NEAR( ) OR ( col:text *"}, None),  # any answer, never a crash
    ({"text": "@everyone <@1> <@&2>"}, None),
])
async def test_hostile_input_is_answered_privately(
        bot: ReadingCircleBot, discord_standin: DiscordStandin, options: dict[str, str],
        expected: str | None) -> None:
    record = await answered(discord_standin, options)
    assert record.acknowledged
    assert record.response_data.get("allowed_mentions") == {"parse": []}
    if expected is not None:
        assert record.ephemeral and expected in record.content
        assert buttons(record.message) == {}  # no buttons under a problem
    discord_standin.assert_clean()


# ---------------------------------------------------------------- every quotation renders


def test_every_quotation_and_its_context_render_within_limits(answers: AnswerContext) -> None:
    with session_factory(answers.store.engine)() as session:
        ids = list(session.scalars(select(Quotation.id).order_by(Quotation.id)))
    records = answers.store.quotes.records(ids)
    assert len(records) == len(ids) > 300
    for n, record in enumerate(records):
        answer = quote_answer(record, records[n + 1:n + 5])
        for reply in (render(answer), render(more_quotes(answer, "x" * 300)),
                      render(quote_context(answers, record.ref))):
            for page in reply.pages:
                assert limits.message_problems({"embeds": [page.to_dict()]},
                                               creating=True) == [], record.ref
        (page,) = render(answer).pages
        assert page.description and record.words[:50] in page.description  # not cut short
