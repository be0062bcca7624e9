"""The buttons under a /quote answer: Another, More results, Context.

A view decides nothing about quotations: each button calls one answer function
(``another_quote``, ``more_quotes``, ``quote_context``) through the ``Replier`` and sends what
comes back. Anyone in the channel may press them: "Another" posts a new quotation for all to
see (with the same filters), "More results" and "Context" answer only the presser, privately,
so nobody's reading is pushed up the channel by someone else's curiosity.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import discord

from bot.answers.core.context import AnswerContext
from bot.answers.core.model import Answer, AnswerKind
from bot.answers.plan.spoilers import within_reach
from bot.answers.quote.answer import another_quote, more_quotes, quote_context
from bot.discord_app.replying import Replier, ViewFactory
from bot.discord_app.views import MessageView


@dataclass(frozen=True, slots=True)
class QuoteRequest:
    """What the user asked for, so that the buttons can ask again."""

    text: str | None
    person: str | None
    source: str | None
    channel: str  # the recent-history key: no quotation twice in a row in one channel


def channel_key(interaction: discord.Interaction) -> str:
    """The channel (or, in a DM without one, the user) whose recent quotations count."""
    if interaction.channel_id is not None:
        return f"channel:{interaction.channel_id}"
    return f"user:{interaction.user.id}"


class QuoteView(MessageView):
    def __init__(self, answers: AnswerContext, replier: Replier, answer: Answer,
                 request: QuoteRequest, *, key: int | str) -> None:
        super().__init__(cooldown=replier.button_cooldown,
                         timeout=replier.policy.pager_timeout)
        self.answers = answers
        self.replier = replier
        self.answer = answer
        self.request = request
        # The key (the interaction that produced the answer) keeps custom ids unique per
        # message, so two quotations in one channel never take each other's clicks.
        self._button("Another", "🔁", f"quote:{key}:another", self._another)
        if answer.items:
            self._button(f"More results ({len(answer.items)})", "📚", f"quote:{key}:more",
                         self._more)
        if answer.ref:
            self._button("Context", "📖", f"quote:{key}:context", self._context)

    @classmethod
    def factory(cls, answers: AnswerContext, replier: Replier,
                request: QuoteRequest) -> ViewFactory:
        """What the Replier calls with the answer and the id of what asked for it: buttons for
        a quote."""
        def make(answer: Answer, key: int) -> QuoteView | None:
            if answer.kind is not AnswerKind.QUOTE:
                return None
            return cls(answers, replier, answer, request, key=key)
        return make

    def _button(self, label: str, emoji: str, custom_id: str,
                action: Callable[[discord.Interaction], Awaitable[None]]) -> None:
        button: discord.ui.Button[QuoteView] = discord.ui.Button(
            label=label, emoji=emoji, custom_id=custom_id, style=discord.ButtonStyle.secondary)
        button.callback = action  # type: ignore[method-assign, assignment]
        self.add_item(button)

    async def _another(self, interaction: discord.Interaction) -> None:
        # The same filters, no words: a random quotation, new to this channel.
        request = QuoteRequest(None, self.request.person, self.request.source,
                               channel_key(interaction))
        # Spoiler control as for /quote itself: a server's plan limits the next one too.
        work = functools.partial(within_reach, self.answers, interaction.guild_id,
                                 another_quote, request.person, request.source,
                                 channel=request.channel)
        await self.replier.reply(interaction, work,
                                 view=QuoteView.factory(self.answers, self.replier, request))

    async def _more(self, interaction: discord.Interaction) -> None:
        work = functools.partial(more_quotes, self.answer, self.request.text)
        await self.replier.reply(interaction, work, private=True)

    async def _context(self, interaction: discord.Interaction) -> None:
        work = functools.partial(within_reach, self.answers, interaction.guild_id,
                                 quote_context, self.answer.ref or "")
        await self.replier.reply(interaction, work, private=True)
