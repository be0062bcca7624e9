"""/compare topic:<text>: what each text says about a topic, side by side, disagreements marked."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.answers.compare.answer import compare
from bot.answers.compare.topic import MAX_TOPIC_CHARS
from bot.answers.core.context import AnswerContext
from bot.answers.plan.spoilers import within_reach
from bot.discord_app.cogs.search import search_cooldown
from bot.discord_app.replying import Replier


class CompareCog(commands.Cog):
    def __init__(self, answers: AnswerContext, replier: Replier) -> None:
        self.answers = answers
        self.replier = replier

    @app_commands.command(name="compare",
                          description="What each text says about a topic, and where they disagree")
    @app_commands.describe(topic="e.g. Kronstadt · the bureaucracy as a class · "
                                 "permanent revolution")
    @app_commands.checks.dynamic_cooldown(search_cooldown)
    async def compare(self, interaction: discord.Interaction,
                      topic: app_commands.Range[str, 1, MAX_TOPIC_CHARS]) -> None:
        # The length cap lets Discord refuse a paste; the answer still checks (a client can
        # send anything) and says what is wrong.
        await self.replier.answer(interaction, within_reach, self.answers,
                                  interaction.guild_id, compare, topic)
