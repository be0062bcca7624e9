"""/help: what the bot can do."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.answers.conversation.router import help_answer
from bot.discord_app.replying import Replier


class HelpCog(commands.Cog):
    def __init__(self, replier: Replier) -> None:
        self.replier = replier

    @app_commands.command(name="help", description="What the bot can do")
    async def help(self, interaction: discord.Interaction) -> None:
        await self.replier.answer(interaction, help_answer)
