"""/quote: a quotation by words, person or text, or one at random; buttons under it."""

from __future__ import annotations

import functools

import discord
from discord import app_commands
from discord.ext import commands

from bot.answers.core.context import AnswerContext
from bot.answers.plan.spoilers import within_reach
from bot.answers.quote.answer import MAX_NAME_CHARS, match_people, quote
from bot.answers.texts.search import MAX_QUERY_CHARS
from bot.discord_app.autocomplete import choices, source_choices
from bot.discord_app.cogs.search import search_cooldown
from bot.discord_app.limits import CHOICE_TEXT_MAX, CHOICES_MAX
from bot.discord_app.quote_view import QuoteRequest, QuoteView, channel_key
from bot.discord_app.replying import Replier


class QuoteCog(commands.Cog):
    def __init__(self, answers: AnswerContext, replier: Replier) -> None:
        self.answers = answers
        self.replier = replier

    @app_commands.command(name="quote",
                          description="A quotation: who said it and where it comes from")
    @app_commands.describe(
        text="Words you remember, e.g. dustbin of history (leave out for a random quotation)",
        person="Only quotations by this person (start typing a name)",
        source="Only quotations in this text (start typing its title)")
    @app_commands.checks.dynamic_cooldown(search_cooldown)
    async def quote(self, interaction: discord.Interaction,
                    text: app_commands.Range[str, 1, MAX_QUERY_CHARS] | None = None,
                    person: app_commands.Range[str, 1, MAX_NAME_CHARS] | None = None,
                    source: app_commands.Range[str, 1, MAX_NAME_CHARS] | None = None) -> None:
        # Discord enforces the lengths before sending; the answer layer still validates,
        # since a client can send anything.
        request = QuoteRequest(text, person, source, channel_key(interaction))
        work = functools.partial(within_reach, self.answers, interaction.guild_id, quote,
                                 text, person, source, channel=request.channel)
        await self.replier.reply(interaction, work,
                                 view=QuoteView.factory(self.answers, self.replier, request))

    @quote.autocomplete("person")
    async def person_choices(self, interaction: discord.Interaction,
                             current: str) -> list[app_commands.Choice[str]]:
        typed = current[:CHOICE_TEXT_MAX]
        return await choices(functools.partial(match_people, self.answers, typed, CHOICES_MAX),
                             what="person", typed=typed)

    @quote.autocomplete("source")
    async def source_choices(self, interaction: discord.Interaction,
                             current: str) -> list[app_commands.Choice[str]]:
        return await source_choices(self.answers, current)
