"""/sources: the texts the circle reads, with author, date and publication."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.answers.core.context import AnswerContext
from bot.answers.texts.sources import list_sources
from bot.discord_app.replying import Replier


class SourcesCog(commands.Cog):
    def __init__(self, answers: AnswerContext, replier: Replier) -> None:
        self.answers = answers
        self.replier = replier

    @app_commands.command(
        name="sources", description="The texts the circle reads, with author, date and publication")
    async def sources(self, interaction: discord.Interaction) -> None:
        await self.replier.answer(interaction, list_sources, self.answers)
