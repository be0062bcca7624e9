"""/search: passages in the texts, optionally in one of them."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.answers.core.context import AnswerContext
from bot.answers.plan.spoilers import within_reach
from bot.answers.texts.search import MAX_QUERY_CHARS, search
from bot.discord_app.autocomplete import source_choices
from bot.discord_app.replying import Replier


def search_cooldown(interaction: discord.Interaction) -> app_commands.Cooldown | None:
    """One search per user per ``discord.command_cooldown_seconds`` (0 turns it off).

    Read from the running bot's settings at call time, so the setting needs no global.
    """
    seconds = interaction.client.settings.discord.command_cooldown_seconds  # type: ignore[attr-defined]
    return app_commands.Cooldown(1, seconds) if seconds > 0 else None


class SearchCog(commands.Cog):
    def __init__(self, answers: AnswerContext, replier: Replier) -> None:
        self.answers = answers
        self.replier = replier

    @app_commands.command(name="search", description="Find passages in the texts")
    @app_commands.describe(words="A few words to look for, e.g. bureaucracy",
                           source="Only search this text (start typing its title)")
    @app_commands.checks.dynamic_cooldown(search_cooldown)
    async def search(self, interaction: discord.Interaction,
                     words: app_commands.Range[str, 1, MAX_QUERY_CHARS],
                     source: str | None = None) -> None:
        # The length cap lets Discord refuse a paste before sending it; the answer layer
        # still validates, since a client can send anything.
        # Limited to what the server's reading plan has reached, when spoiler control is on.
        await self.replier.answer(interaction, within_reach, self.answers,
                                  interaction.guild_id, search, words, source)

    @search.autocomplete("source")
    async def source_choices(self, interaction: discord.Interaction,
                             current: str) -> list[app_commands.Choice[str]]:
        return await source_choices(self.answers, current)
