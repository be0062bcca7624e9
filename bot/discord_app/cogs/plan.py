"""/plan ...: a server's reading plan (show for everyone; set, advance, pause, resume for
moderators).

Thin: each command passes its options to one function of bot.answers.plan.commands and
renders the Answer through the one reply pipeline. Moderator commands require Manage Server,
and so do their autocomplete boxes (discord.py runs an autocomplete's own checks, not its
command's: see bot/discord_app/cogs/prompt.py). Section names autocomplete from the text
chosen in the same command.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.answers.core.model import Answer
from bot.answers.plan import commands as plans
from bot.answers.plan.rules import MAX_PER_WEEK
from bot.answers.prompts.context import PromptContext
from bot.discord_app.autocomplete import choices, source_choices, timezone_box
from bot.discord_app.limits import CHOICE_TEXT_MAX, CHOICES_MAX
from bot.discord_app.permissions import moderators_only
from bot.discord_app.replying import Replier


@app_commands.guild_only()
class PlanCog(commands.GroupCog, group_name="plan",
              group_description="The group's reading plan"):
    def __init__(self, prompts: PromptContext, replier: Replier) -> None:
        self.prompts = prompts  # its answers context: the plan, the texts, the shared clock
        self.replier = replier
        super().__init__()

    async def _reply(self, interaction: discord.Interaction, work: Callable[..., Answer],
                     *args: Any, private: bool, **kwargs: Any) -> None:
        await self.replier.reply(interaction, functools.partial(work, *args, **kwargs),
                                 private=private)

    @app_commands.command(name="show",
                          description="Where the group is in its reading, and what comes next")
    async def show(self, interaction: discord.Interaction) -> None:
        await self._reply(interaction, plans.show_plan, self.prompts.answers,
                          interaction.guild_id or 0, private=False)

    @app_commands.command(name="set", description="Set the reading plan (moderators)")
    @app_commands.describe(
        text="The text to read (start typing its title)",
        per_week="Sections a week (or give until and by instead)",
        until="The last section to read (default: the text's last)",
        by="Read up to that section by this date, e.g. 12 January",
        first="The first section to read (default: the text's first)",
        start="The date the first week starts (default: today)",
        timezone="IANA time zone of the group (default: the daily prompt's, else UTC)")
    @moderators_only
    async def set_(self, interaction: discord.Interaction,
                   text: app_commands.Range[str, 1, 100],
                   per_week: app_commands.Range[int, 1, MAX_PER_WEEK] | None = None,
                   until: app_commands.Range[str, 1, 200] | None = None,
                   by: app_commands.Range[str, 1, 40] | None = None,
                   first: app_commands.Range[str, 1, 200] | None = None,
                   start: app_commands.Range[str, 1, 40] | None = None,
                   timezone: app_commands.Range[str, 1, 64] | None = None) -> None:
        await self._reply(interaction, plans.set_server_plan, self.prompts,
                          interaction.guild_id or 0, interaction.user.id, text,
                          per_week=per_week, until=until, by=by, first=first, start=start,
                          timezone=timezone, private=True)

    @app_commands.command(name="advance", description="Move on to the next section now "
                                                      "(moderators)")
    @moderators_only
    async def advance(self, interaction: discord.Interaction) -> None:
        await self._reply(interaction, plans.advance_plan, self.prompts.answers,
                          interaction.guild_id or 0, interaction.user.id, private=True)

    @app_commands.command(name="pause", description="Stop the weeks counting (moderators)")
    @moderators_only
    async def pause(self, interaction: discord.Interaction) -> None:
        await self._reply(interaction, plans.pause_plan, self.prompts.answers,
                          interaction.guild_id or 0, interaction.user.id, private=True)

    @app_commands.command(name="resume", description="Carry on with the plan (moderators)")
    @moderators_only
    async def resume(self, interaction: discord.Interaction) -> None:
        await self._reply(interaction, plans.resume_plan, self.prompts.answers,
                          interaction.guild_id or 0, interaction.user.id, private=True)

    # ------------------------------------------------------------ autocomplete (moderators)

    @set_.autocomplete("text")
    @moderators_only
    async def text_autocomplete(self, interaction: discord.Interaction,
                                current: str) -> list[app_commands.Choice[str]]:
        return await source_choices(self.prompts.answers, current)

    @set_.autocomplete("first")
    @set_.autocomplete("until")
    @moderators_only
    async def section_autocomplete(self, interaction: discord.Interaction,
                                   current: str) -> list[app_commands.Choice[str]]:
        typed = current[:CHOICE_TEXT_MAX]
        text = getattr(interaction.namespace, "text", None)  # chosen before, in this command
        return await choices(functools.partial(plans.section_choices, self.prompts.answers,
                                               text, typed, CHOICES_MAX),
                             what="section", typed=typed)

    @set_.autocomplete("timezone")
    @moderators_only
    async def timezone_autocomplete(self, interaction: discord.Interaction,
                                    current: str) -> list[app_commands.Choice[str]]:
        return await timezone_box(current)
