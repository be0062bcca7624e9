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
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ParamSpec

import discord

from bot.answers.model import Answer
from bot.discord_app.render import NO_MENTIONS, PAGE_SIZE, Reply, render
from bot.discord_app.views import PAGER_TIMEOUT, Pager

P = ParamSpec("P")


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
        task = asyncio.ensure_future(asyncio.to_thread(work, *args, **kwargs))
        done, _ = await asyncio.wait({task}, timeout=self.policy.defer_after)
        if not done:
            await interaction.response.defer(thinking=True)
        answer = await task
        await self.send(interaction, render(answer, page_size=self.policy.page_size))

    async def send(self, interaction: discord.Interaction, reply: Reply) -> None:
        """The initial response, or the followup that replaces "thinking..." after a defer."""
        pager = self._pager(interaction, reply)
        message: dict[str, Any] = {"allowed_mentions": NO_MENTIONS}
        if reply.content is not None:
            message["content"] = reply.content
        if reply.pages:
            message["embed"] = reply.pages[0]
        if pager is not None:
            message["view"] = pager
        if interaction.response.is_done():
            # A followup after a defer takes the deferred message's visibility, whatever
            # flag it carries, so ``ephemeral`` is not passed here.
            sent = await interaction.followup.send(wait=True, **message)
            if pager is not None:
                pager.message = sent
            return
        callback = await interaction.response.send_message(ephemeral=reply.ephemeral, **message)
        if pager is not None:
            resource = callback.resource
            pager.message = (resource if isinstance(resource, discord.InteractionMessage)
                             else await interaction.original_response())

    def _pager(self, interaction: discord.Interaction, reply: Reply) -> Pager | None:
        if not reply.paged:
            return None
        return Pager(reply.pages, owner=interaction.user, key=interaction.id,
                     timeout=self.policy.pager_timeout)
