"""/prompt ...: the daily discussion prompt (today, schedule, pause, resume, status, skip) and
the prompts moderators add and review (add, list, remove, suggest, approve, decline).

Thin: each command parses its options, measures what only Discord knows (the bot's permissions
in a channel, whether a role can be pinged), calls one function of bot.answers.prompts.commands and
renders the Answer. Replies are private except /prompt today. Moderator commands require
Manage Server (refusals go through the tree's error handler, privately).
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.answers.core.model import Answer
from bot.answers.prompts import commands as answers
from bot.answers.prompts.context import PromptContext
from bot.corpus.prompts import QUESTION_MAX
from bot.discord_app.autocomplete import choices, source_choices, timezone_box
from bot.discord_app.limits import CHOICES_MAX
from bot.discord_app.permissions import granted_in, missing_for_post, moderators_only
from bot.discord_app.replying import Replier
from bot.discord_app.scheduler import PromptScheduler

log = logging.getLogger(__name__)



@app_commands.guild_only()
class PromptCog(commands.GroupCog, group_name="prompt",
                 group_description="The daily discussion prompt"):
    def __init__(self, prompts: PromptContext, replier: Replier,
                 scheduler: PromptScheduler) -> None:
        self.prompts = prompts
        self.replier = replier
        self.scheduler = scheduler
        super().__init__()

    async def cog_load(self) -> None:
        self.scheduler.start()

    async def cog_unload(self) -> None:
        await self.scheduler.stop()

    async def _reply(self, interaction: discord.Interaction, work: Callable[..., Answer],
                     *args: Any, private: bool, **kwargs: Any) -> None:
        """Through the one pipeline; moderator replies stay private whatever the answer."""
        await self.replier.reply(interaction, functools.partial(work, *args, **kwargs),
                                 private=private)

    # ------------------------------------------------------------ for everyone

    @app_commands.command(name="today", description="The current discussion prompt")
    async def today(self, interaction: discord.Interaction) -> None:
        await self._reply(interaction, answers.prompt_today, self.prompts, interaction.guild_id,
                          private=False)

    @app_commands.command(name="status",
                          description="Where and when the daily prompt is posted, and what is next")
    async def status(self, interaction: discord.Interaction) -> None:
        await self._reply(interaction, answers.prompt_status, self.prompts,
                          interaction.guild_id, private=True)

    @app_commands.command(name="suggest", description="Suggest a discussion prompt to moderators")
    @app_commands.describe(question="Your question for the group",
                           source="The text it is about (start typing its title)")
    async def suggest(self, interaction: discord.Interaction,
                      question: app_commands.Range[str, 1, QUESTION_MAX],
                      source: app_commands.Range[str, 1, 100] | None = None) -> None:
        await self._reply(interaction, answers.suggest_prompt, self.prompts,
                          interaction.guild_id, interaction.user.id, question, source=source,
                          private=True)

    # ------------------------------------------------------------ scheduling (moderators)

    @app_commands.command(name="schedule", description="Post a prompt every day (moderators)")
    @app_commands.describe(
        channel="Where to post", time="Local time, 24-hour, e.g. 09:00",
        timezone="IANA time zone of the group, e.g. Europe/London",
        days="Only on these days, e.g. mon,wed,fri (default: every day)",
        thread="Open a discussion thread on each prompt", role="A role to ping with each prompt")
    @moderators_only
    async def schedule(self, interaction: discord.Interaction, channel: discord.TextChannel,
                       time: app_commands.Range[str, 1, 20],
                       timezone: app_commands.Range[str, 1, 64],
                       days: app_commands.Range[str, 1, 80] | None = None,
                       thread: bool = False, role: discord.Role | None = None) -> None:
        await self._reply(
            interaction, answers.schedule_prompts, self.prompts, interaction.guild_id,
            interaction.user.id, channel_id=channel.id, time_text=time, timezone_text=timezone,
            days_text=days, thread=thread, role_id=role.id if role else None,
            role_is_everyone=bool(role and role.is_default()),
            missing_permissions=missing_for_post(
                granted_in(interaction, channel), thread=thread,
                role_needs_mention_permission=bool(role and not role.mentionable)),
            private=True)
        self.scheduler.wake()

    @schedule.autocomplete("timezone")
    @moderators_only
    async def timezone_autocomplete(self, interaction: discord.Interaction,
                                    current: str) -> list[app_commands.Choice[str]]:
        return await timezone_box(current)

    @app_commands.command(name="pause", description="Stop posting the daily prompt (moderators)")
    @moderators_only
    async def pause(self, interaction: discord.Interaction) -> None:
        await self._reply(interaction, answers.pause_prompts, self.prompts, interaction.guild_id,
                          interaction.user.id, private=True)
        self.scheduler.wake()

    @app_commands.command(name="resume", description="Post the daily prompt again (moderators)")
    @moderators_only
    async def resume(self, interaction: discord.Interaction) -> None:
        guild_id = interaction.guild_id  # never None in a guild_only cog; then no schedule
        target = (await asyncio.to_thread(answers.schedule_target, self.prompts, guild_id)
                  if guild_id is not None else None)
        guild = interaction.guild
        channel = guild.get_channel(target.channel_id) if guild and target else None
        role = guild.get_role(target.role_id) if guild and target and target.role_id else None
        await self._reply(interaction, answers.resume_prompts, self.prompts,
                          interaction.guild_id, interaction.user.id,
                          missing_permissions=missing_for_post(
                              granted_in(interaction, channel),
                              thread=bool(target and target.thread),
                              role_needs_mention_permission=bool(role and not role.mentionable)),
                          channel_exists=channel is not None or target is None,
                          private=True)
        self.scheduler.wake()

    @app_commands.command(name="skip", description="Skip the next daily prompt (moderators)")
    @moderators_only
    async def skip(self, interaction: discord.Interaction) -> None:
        await self._reply(interaction, answers.skip_next, self.prompts, interaction.guild_id,
                          interaction.user.id, private=True)
        self.scheduler.wake()

    # ------------------------------------------------------------ the server's own prompts

    @app_commands.command(name="add", description="Add a discussion prompt (moderators)")
    @app_commands.describe(question="The question to post",
                           source="The text it is about (start typing its title)",
                           about="A phrase of that text it is about, exactly as written",
                           tags="Topics, separated by commas, e.g. NEP, bureaucracy")
    @moderators_only
    async def add(self, interaction: discord.Interaction,
                  question: app_commands.Range[str, 1, QUESTION_MAX],
                  source: app_commands.Range[str, 1, 100] | None = None,
                  about: app_commands.Range[str, 1, 300] | None = None,
                  tags: app_commands.Range[str, 1, 200] | None = None) -> None:
        await self._reply(interaction, answers.add_prompt, self.prompts, interaction.guild_id,
                          interaction.user.id, question, source=source, about=about, tags=tags,
                          private=True)

    @app_commands.command(name="list",
                          description="This server's own prompts and waiting suggestions")
    @moderators_only
    async def list_(self, interaction: discord.Interaction) -> None:
        await self._reply(interaction, answers.list_prompts, self.prompts, interaction.guild_id,
                          private=True)

    @app_commands.command(name="remove", description="Remove a prompt this server added "
                                                     "(moderators)")
    @app_commands.describe(number="The prompt's number (see /prompt list)")
    @moderators_only
    async def remove(self, interaction: discord.Interaction, number: int) -> None:
        await self._reply(interaction, answers.remove_prompt, self.prompts, interaction.guild_id,
                          interaction.user.id, number, private=True)

    @app_commands.command(name="approve", description="Approve a member's suggestion "
                                                      "(moderators)")
    @app_commands.describe(number="The suggestion's number (see /prompt list)")
    @moderators_only
    async def approve(self, interaction: discord.Interaction, number: int) -> None:
        await self._reply(interaction, answers.approve_suggestion, self.prompts,
                          interaction.guild_id, interaction.user.id, number, private=True)

    @app_commands.command(name="decline", description="Decline a member's suggestion "
                                                      "(moderators)")
    @app_commands.describe(number="The suggestion's number (see /prompt list)",
                           reason="Why (kept with the suggestion)")
    @moderators_only
    async def decline(self, interaction: discord.Interaction, number: int,
                      reason: app_commands.Range[str, 1, 300] | None = None) -> None:
        await self._reply(interaction, answers.decline_suggestion, self.prompts,
                          interaction.guild_id, interaction.user.id, number, reason,
                          private=True)

    # ------------------------------------------------------------ autocomplete

    @suggest.autocomplete("source")
    async def source_autocomplete(self, interaction: discord.Interaction,
                                  current: str) -> list[app_commands.Choice[str]]:
        return await source_choices(self.prompts.answers, current)

    @add.autocomplete("source")
    @moderators_only
    async def add_source_autocomplete(self, interaction: discord.Interaction,
                                      current: str) -> list[app_commands.Choice[str]]:
        return await source_choices(self.prompts.answers, current)

    @remove.autocomplete("number")
    @moderators_only
    async def active_autocomplete(self, interaction: discord.Interaction,
                                  current: str) -> list[app_commands.Choice[int]]:
        return await self._numbers(interaction, ("active",), current)

    @approve.autocomplete("number")
    @decline.autocomplete("number")
    @moderators_only
    async def pending_autocomplete(self, interaction: discord.Interaction,
                                   current: str) -> list[app_commands.Choice[int]]:
        return await self._numbers(interaction, ("pending",), current)

    async def _numbers(self, interaction: discord.Interaction, statuses: tuple[str, ...],
                       current: str) -> list[app_commands.Choice[int]]:
        """The server's own prompts in ``statuses``, by number, for a ``number`` option."""
        typed = str(current)
        return await choices(lambda: [(label, number) for number, label in answers.custom_choices(
            self.prompts, interaction.guild_id or 0, statuses, typed, CHOICES_MAX)],
            what="prompt number", typed=typed)
