"""/quote: a quotation by words, person or text, or one at random; buttons under it."""

from __future__ import annotations

import asyncio
import functools
import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot.answers.core.context import AnswerContext
from bot.answers.core.text import shorten
from bot.answers.quote.answer import MAX_CHOICES, MAX_NAME_CHARS, match_people, quote
from bot.answers.texts.search import MAX_QUERY_CHARS
from bot.answers.texts.sources import match_sources
from bot.discord_app.cogs.search import CHOICE_TEXT_MAX, search_cooldown
from bot.discord_app.quote_view import QuoteRequest, QuoteView, channel_key
from bot.discord_app.replying import Replier

log = logging.getLogger(__name__)


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
        work = functools.partial(quote, self.answers, text, person, source,
                                 channel=request.channel)
        await self.replier.reply(interaction, work,
                                 view=QuoteView.factory(self.answers, self.replier, request))

    @quote.autocomplete("person")
    async def person_choices(self, interaction: discord.Interaction,
                             current: str) -> list[app_commands.Choice[str]]:
        return await _choices(functools.partial(match_people, self.answers,
                                                current[:CHOICE_TEXT_MAX], MAX_CHOICES),
                              "person", current)

    @quote.autocomplete("source")
    async def source_choices(self, interaction: discord.Interaction,
                             current: str) -> list[app_commands.Choice[str]]:
        return await _choices(functools.partial(match_sources, self.answers,
                                                current[:CHOICE_TEXT_MAX], MAX_CHOICES),
                              "source", current)


async def _choices(work: functools.partial[list[tuple[str, str]]], what: str,
                   current: str) -> list[app_commands.Choice[str]]:
    """(label, value) pairs as Discord choices, within its limits; [] if anything fails."""
    try:
        pairs = await asyncio.to_thread(work)
    except Exception:
        # Autocomplete errors never reach the tree's error handler; an empty list is the
        # friendliest answer, and the log keeps the cause.
        log.exception("%s autocomplete failed for %r", what, current[:CHOICE_TEXT_MAX])
        return []
    return [
        app_commands.Choice(name=shorten(label, CHOICE_TEXT_MAX) or value, value=value)
        for label, value in pairs
        if 1 <= len(value) <= CHOICE_TEXT_MAX  # a cut value would not resolve
    ][:MAX_CHOICES]
