"""/config: a server's settings for the bot (moderators only)."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.answers.conversation.settings import configure
from bot.answers.core.context import AnswerContext
from bot.discord_app.replying import Replier


class ConfigCog(commands.Cog):
    def __init__(self, answers: AnswerContext, replier: Replier) -> None:
        self.answers = answers
        self.replier = replier

    @app_commands.command(name="config", description="Server settings for the bot (moderators)")
    @app_commands.describe(mentions="Answer plain questions when members mention the bot",
                           spoilers="Limit answers to what the reading plan has reached")
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.checks.has_permissions(manage_guild=True)
    async def config(self, interaction: discord.Interaction,
                     mentions: bool | None = None, spoilers: bool | None = None) -> None:
        await self.replier.answer(interaction, configure, self.answers,
                                  interaction.guild_id or 0, mentions=mentions,
                                  spoilers=spoilers)
