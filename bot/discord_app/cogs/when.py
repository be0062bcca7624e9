"""/when and /timeline: dates as the corpus states them."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.answers.core.context import AnswerContext
from bot.answers.dates.period import period_between
from bot.answers.dates.when import MAX_QUERY_CHARS, event_choices, timeline, when
from bot.answers.plan.spoilers import within_reach
from bot.discord_app.autocomplete import choices
from bot.discord_app.limits import CHOICES_MAX
from bot.discord_app.replying import Replier

FIRST_YEAR, LAST_YEAR = 1600, 2100


class WhenCog(commands.Cog):
    def __init__(self, answers: AnswerContext, replier: Replier) -> None:
        self.answers = answers
        self.replier = replier

    @app_commands.command(name="when", description="When something happened, as the texts say")
    @app_commands.describe(event="An event or a year: Kronstadt, Lenin died, 1927, 1927-1929")
    async def when(self, interaction: discord.Interaction,
                   event: app_commands.Range[str, 1, MAX_QUERY_CHARS]) -> None:
        await self.replier.answer(interaction, within_reach, self.answers,
                                  interaction.guild_id, when, self.answers.events, event)

    @when.autocomplete("event")
    async def event_autocomplete(self, interaction: discord.Interaction,
                                 current: str) -> list[app_commands.Choice[str]]:
        typed = current[:MAX_QUERY_CHARS]
        # In memory and fast: no thread needed.
        return await choices(lambda: [(name, name) for name in event_choices(
            self.answers.events, typed, CHOICES_MAX)], what="event", typed=typed, blocking=False)

    @app_commands.command(name="timeline", description="What happened, in order")
    @app_commands.describe(start="From this year", end="Up to this year",
                           person="Only what involves this person")
    async def timeline(self, interaction: discord.Interaction,
                       start: app_commands.Range[int, FIRST_YEAR, LAST_YEAR] | None = None,
                       end: app_commands.Range[int, FIRST_YEAR, LAST_YEAR] | None = None,
                       person: app_commands.Range[str, 1, 100] | None = None) -> None:
        period = period_between(start, end)
        await self.replier.answer(interaction, within_reach, self.answers,
                                  interaction.guild_id, timeline, self.answers.events, period,
                                  person, self.answers.people)
