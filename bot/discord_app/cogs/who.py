"""/who: a person card for any name or spelling, with name autocomplete."""

from __future__ import annotations

import functools

import discord
from discord import app_commands
from discord.ext import commands

from bot.answers.core.context import AnswerContext
from bot.answers.people.who import MAX_NAME_CHARS, person_choices, who
from bot.answers.plan.spoilers import within_reach
from bot.discord_app.autocomplete import choices
from bot.discord_app.limits import CHOICES_MAX
from bot.discord_app.replying import Replier
from bot.discord_app.who_view import WhoView


class WhoCog(commands.Cog):
    def __init__(self, answers: AnswerContext, replier: Replier) -> None:
        self.answers = answers
        self.replier = replier

    @app_commands.command(name="who", description="Who was this? A short, sourced summary")
    @app_commands.describe(name="Any name or spelling: Lev Davidovich, Natasha, Bukarin…")
    async def who(self, interaction: discord.Interaction,
                  name: app_commands.Range[str, 1, MAX_NAME_CHARS]) -> None:
        work = functools.partial(within_reach, self.answers, interaction.guild_id, who,
                                 self.answers.people, name)
        await self.replier.reply(interaction, work,
                                 view=WhoView.factory(self.answers, self.replier))

    @who.autocomplete("name")
    async def name_choices(self, interaction: discord.Interaction,
                           current: str) -> list[app_commands.Choice[str]]:
        typed = current[:MAX_NAME_CHARS]
        # In memory and fast (well under a millisecond): no thread needed.
        return await choices(lambda: [(name, name) for name in person_choices(
            self.answers.people, typed, CHOICES_MAX)], what="name", typed=typed, blocking=False)
