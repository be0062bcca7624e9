"""/reload (the host only), and the background reloads: following the store's stamp, and
the corpus watcher when ``corpus.watch`` is on. The reloading itself is bot/reload.py.

Who may reload: the owner of the bot's Discord application (or a member of its team), that
is the host who runs the process. Manage Server is not enough: one process serves many
servers, a reload re-reads the texts for all of them, and the moderators of one server
among hundreds have no business re-reading the host's corpus (the files are on the host's
machine anyway). The command is hidden from members without Manage Server, where the host
usually is; anyone else who finds it is told who may use it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.config import Settings
from bot.discord_app.errors import UserFacingError
from bot.discord_app.replying import Replier
from bot.reload import Reloader, follow_stamp, watch_corpus

log = logging.getLogger(__name__)

NOT_THE_HOST = ("Only the host who runs this bot (the owner of its Discord application) can "
                "reload the texts: a reload re-reads them for every server the bot serves.")


async def _host_only(interaction: discord.Interaction) -> bool:
    client = interaction.client
    if isinstance(client, commands.Bot) and await client.is_owner(interaction.user):
        return True
    raise UserFacingError(NOT_THE_HOST)


class ReloadCog(commands.Cog):
    def __init__(self, reloader: Reloader, replier: Replier, settings: Settings) -> None:
        self.reloader = reloader
        self.replier = replier
        self.settings = settings
        self._tasks: list[asyncio.Task[None]] = []
        self._stop_watching = asyncio.Event()

    async def cog_load(self) -> None:
        self._stop_watching.clear()
        self._tasks.append(asyncio.create_task(follow_stamp(self.reloader),
                                               name="follow-index-stamp"))
        if self.settings.corpus.watch:
            watch = watch_corpus(self.reloader, self.settings.corpus_dir,
                                 debounce_ms=self.settings.corpus.watch_debounce_ms,
                                 stop=self._stop_watching)
            self._tasks.append(asyncio.create_task(watch, name="watch-corpus"))

    async def cog_unload(self) -> None:
        self._stop_watching.set()
        tasks, self._tasks = self._tasks, []
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    @app_commands.command(name="reload",
                          description="Re-read the texts folder now (the bot's host only)")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.check(_host_only)
    async def reload(self, interaction: discord.Interaction) -> None:
        reason = f"/reload by {interaction.user} ({interaction.user.id})"
        await self.replier.reply(interaction,
                                 lambda: self.reloader.reload(reason=reason).answer(),
                                 private=True)
