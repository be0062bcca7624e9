"""The button under a /who card: more quotations by that person (a /quote with the filter)."""

from __future__ import annotations

import functools

import discord

from bot.answers.core.context import AnswerContext
from bot.answers.core.model import Answer, AnswerKind
from bot.answers.plan.spoilers import within_reach
from bot.answers.quote.answer import another_quote
from bot.discord_app.quote_view import QuoteRequest, QuoteView, channel_key
from bot.discord_app.replying import Replier, ViewFactory
from bot.discord_app.views import MessageView


class WhoView(MessageView):
    def __init__(self, answers: AnswerContext, replier: Replier, person: str, *,
                 key: int | str) -> None:
        super().__init__(cooldown=replier.button_cooldown,
                         timeout=replier.policy.pager_timeout)
        self.answers = answers
        self.replier = replier
        self.person = person
        button: discord.ui.Button[WhoView] = discord.ui.Button(
            label="Quotations", emoji="💬", custom_id=f"who:{key}:quotes",
            style=discord.ButtonStyle.secondary)
        # discord.py's way to give one button its own callback; mypy refuses any method
        # assignment, so only that check is silenced.
        button.callback = self._quotes  # type: ignore[method-assign]
        self.add_item(button)

    @classmethod
    def factory(cls, answers: AnswerContext, replier: Replier) -> ViewFactory:
        def make(answer: Answer, key: int) -> WhoView | None:
            if answer.kind is not AnswerKind.WHO:
                return None  # a "which one?" list or an error has no person to quote
            return cls(answers, replier, answer.title, key=key)
        return make

    async def _quotes(self, interaction: discord.Interaction) -> None:
        request = QuoteRequest(None, self.person, None, channel_key(interaction))
        work = functools.partial(within_reach, self.answers, interaction.guild_id,
                                 another_quote, self.person, channel=request.channel)
        await self.replier.reply(interaction, work,
                                 view=QuoteView.factory(self.answers, self.replier, request))
