"""The "Find in the texts" message context menu (right-click or long-press a message > Apps).

Takes the message's text and answers with ``bot.answers.texts.find.find_in_texts``: the quotation
or passage it comes from, with its source, or "Not in the texts" with the closest passage.

The reply is private (ephemeral) to the member who used the menu: it is a lookup for the one
who asked, about someone else's message, and posting it would answer a question nobody in
the channel asked (and could read as calling the author out).
"""

from __future__ import annotations

import functools

import discord
from discord import app_commands
from discord.ext import commands

from bot.answers.core.context import AnswerContext
from bot.answers.plan.spoilers import within_reach
from bot.answers.texts.find import find_in_texts
from bot.discord_app.cogs.search import search_cooldown
from bot.discord_app.replying import Replier

MENU_NAME = "Find in the texts"


class FindCog(commands.Cog):
    def __init__(self, bot: commands.Bot, answers: AnswerContext, replier: Replier) -> None:
        self.bot = bot
        self.answers = answers
        self.replier = replier
        # discord.py has no decorator for context menus inside a cog: the menu is built here,
        # and added to (and removed from) the tree with the cog.
        self.menu = app_commands.ContextMenu(name=MENU_NAME, callback=self.find)
        app_commands.checks.dynamic_cooldown(search_cooldown)(self.menu)

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.menu)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.menu.name, type=self.menu.type)

    async def find(self, interaction: discord.Interaction, message: discord.Message) -> None:
        # Discord sends the target message's text with the interaction even without the
        # Message Content intent; mentions, emoji and links are find_in_texts' to drop.
        work = functools.partial(within_reach, self.answers, interaction.guild_id,
                                 find_in_texts, message.content or "")
        await self.replier.reply(interaction, work, private=True)
