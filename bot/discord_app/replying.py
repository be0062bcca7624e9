"""Run one answer function off the event loop, render its answer, send it: the body of every
command, so no cog repeats the timing and sending rules.

Timing: Discord drops an interaction that gets no initial response within 3 seconds. The
answer runs in a worker thread (the store is blocking I/O, and the event loop must keep
heartbeating and serving other users). If it is done within ``defer_after`` seconds the
reply is sent directly: one round trip, and a mistake in the input can still be answered
privately. If not, the interaction is deferred ("thinking...") well inside the window and
the reply follows when the answer is ready.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ParamSpec

import discord

from bot.answers.core.model import Answer
from bot.discord_app.render import NO_MENTIONS, PAGE_SIZE, Reply, render
from bot.discord_app.views import PAGER_TIMEOUT, MessageView, Pager

P = ParamSpec("P")
#: Makes the buttons that go under an answer (None: no buttons beyond the pager).
ViewFactory = Callable[[discord.Interaction, Answer], "MessageView | None"]


@dataclass(frozen=True, slots=True)
class ReplyPolicy:
    #: Seconds to wait for an answer before deferring. A third of Discord's window leaves
    #: room for gateway delay and a slow defer request.
    defer_after: float = 1.0
    pager_timeout: float = PAGER_TIMEOUT
    page_size: int = PAGE_SIZE


class Replier:
    def __init__(self, policy: ReplyPolicy | None = None) -> None:
        self.policy = policy or ReplyPolicy()

    async def answer(self, interaction: discord.Interaction,
                     work: Callable[P, Answer], *args: P.args, **kwargs: P.kwargs) -> None:
        """Compute ``work(*args)`` in a thread, deferring if it is slow, then send the reply.

        An exception from ``work`` propagates to the command tree's error handler, which
        answers with an apology through the followup if the interaction was deferred.
        """
        await self.reply(interaction, functools.partial(work, *args, **kwargs))

    async def reply(self, interaction: discord.Interaction, work: Callable[[], Answer], *,
                    private: bool = False, view: ViewFactory | None = None) -> None:
        """``answer`` for a prepared call: shown only to the user if ``private``, with the
        buttons ``view`` makes for the answer (a command's, or a button's own reply)."""
        task = asyncio.ensure_future(asyncio.to_thread(work))
        done, _ = await asyncio.wait({task}, timeout=self.policy.defer_after)
        if not done:
            await interaction.response.defer(thinking=True, ephemeral=private)
        answer = await task
        reply = render(answer, page_size=self.policy.page_size, private=private)
        # Buttons go under embeds; a short line (a mistake, nothing found) has none.
        buttons = view(interaction, answer) if view is not None and reply.content is None else None
        await self.send(interaction, reply, private=private, view=buttons)

    async def send(self, interaction: discord.Interaction, reply: Reply, *,
                   private: bool = False, view: MessageView | None = None) -> None:
        """The initial response, or the followup that replaces "thinking..." after a defer."""
        view = view if view is not None else self._pager(interaction, reply)
        message: dict[str, Any] = {"allowed_mentions": NO_MENTIONS}
        if reply.content is not None:
            message["content"] = reply.content
        if reply.pages:
            message["embed"] = reply.pages[0]
        if view is not None:
            message["view"] = view
        if interaction.response.is_done():
            # A followup after a defer takes the deferred message's visibility, whatever
            # flag it carries, so ``ephemeral`` is not passed here.
            sent = await interaction.followup.send(wait=True, **message)
            if view is not None:
                view.message = sent
            return
        callback = await interaction.response.send_message(
            ephemeral=reply.ephemeral or private, **message)
        if view is not None:
            resource = callback.resource
            view.message = (resource if isinstance(resource, discord.InteractionMessage)
                            else await interaction.original_response())

    def _pager(self, interaction: discord.Interaction, reply: Reply) -> Pager | None:
        if not reply.paged:
            return None
        return Pager(reply.pages, owner=interaction.user, key=interaction.id,
                     timeout=self.policy.pager_timeout)
