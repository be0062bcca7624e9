"""The one reply pipeline: run an answer function off the event loop, render its answer, send
it. Slash commands, buttons, the /prompt commands and plain questions (mentions, replies to the
bot, DMs) all reply through :class:`Replier`, so the timing, paging, privacy and no-ping rules
are written once.

Timing: Discord drops an interaction that gets no initial response within 3 seconds. The
answer runs in a worker thread (the store is blocking I/O, and the event loop must keep
heartbeating and serving other users). If it is done within ``defer_after`` seconds the
reply is sent directly: one round trip, and a mistake in the input can still be answered
privately. If not, the interaction is deferred ("thinking...") well inside the window and
the reply follows when the answer is ready. A message has no response window, so a reply to
one simply follows when the answer is ready.

Where the reply goes is a *target*: an interaction (initial response, or the followup after a
defer) or a member's message (a reply to that message, never pinging its author). Both get
the same rendering, and a long answer is paged under either with the same Pager.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ParamSpec, Protocol

import discord

from bot.answers.core.model import Answer
from bot.discord_app.render import NO_MENTIONS, PAGE_SIZE, Reply, render
from bot.discord_app.views import PAGER_TIMEOUT, ButtonCooldown, MessageView, Pager

log = logging.getLogger(__name__)

P = ParamSpec("P")
#: Makes the buttons that go under an answer (None: no buttons beyond the pager). Called with
#: the answer and the id of what asked for it, which keeps the buttons' custom ids unique.
ViewFactory = Callable[[Answer, int], "MessageView | None"]
#: Told about each message a reply to a member's message created (the conversation cog keeps
#: their ids, to recognise a reply to the bot).
OnSent = Callable[[discord.Message], None]


@dataclass(frozen=True, slots=True)
class ReplyPolicy:
    #: Seconds to wait for an answer before deferring. A third of Discord's window leaves
    #: room for gateway delay and a slow defer request.
    defer_after: float = 1.0
    pager_timeout: float = PAGER_TIMEOUT
    page_size: int = PAGE_SIZE
    #: Presses per member in ``button_per`` seconds of the buttons that answer (Another,
    #: Quotations, More results, Context): a reader presses one, reads, presses again; forty
    #: presses in a row must not become forty messages in the channel.
    button_presses: int = 3
    button_per: float = 10.0
    #: Turning pages edits the asker's own message in place and is quicker work for a reader
    #: (skimming to page 4), so it has its own, roomier allowance.
    page_turns: int = 8
    page_turn_per: float = 10.0
    #: What the cooldowns read the time from (tests pass a clock they move by hand).
    clock: Callable[[], float] = time.monotonic


class _Target(Protocol):
    """Where a reply goes: what the pipeline needs to know and do, whatever asked."""

    @property
    def owner(self) -> discord.abc.User: ...  # who asked: the only one who may turn pages

    @property
    def key(self) -> int: ...  # what asked: makes custom ids unique per message

    async def defer(self, *, private: bool) -> None: ...

    async def deliver(self, message: dict[str, Any], *, ephemeral: bool,
                      view: MessageView | None) -> None: ...


@dataclass(frozen=True, slots=True)
class _InteractionTarget:
    interaction: discord.Interaction

    @property
    def owner(self) -> discord.abc.User:
        return self.interaction.user

    @property
    def key(self) -> int:
        return self.interaction.id

    async def defer(self, *, private: bool) -> None:
        await self.interaction.response.defer(thinking=True, ephemeral=private)

    async def deliver(self, message: dict[str, Any], *, ephemeral: bool,
                      view: MessageView | None) -> None:
        """The initial response, or the followup that replaces "thinking..." after a defer."""
        interaction = self.interaction
        if view is not None:
            message["view"] = view
        if interaction.response.is_done():
            # A followup after a defer takes the deferred message's visibility, whatever
            # flag it carries, so ``ephemeral`` is not passed here.
            sent = await interaction.followup.send(wait=True, **message)
            if view is not None:
                view.message = sent
            return
        callback = await interaction.response.send_message(ephemeral=ephemeral, **message)
        if view is not None:
            resource = callback.resource
            view.message = (resource if isinstance(resource, discord.InteractionMessage)
                            else await interaction.original_response())


@dataclass(frozen=True, slots=True)
class _MessageTarget:
    message: discord.Message
    on_sent: OnSent | None = None

    @property
    def owner(self) -> discord.abc.User:
        return self.message.author

    @property
    def key(self) -> int:
        return self.message.id

    async def defer(self, *, private: bool) -> None:
        """Nothing to do: a message, unlike an interaction, does not expire unanswered."""

    async def deliver(self, message: dict[str, Any], *, ephemeral: bool,
                      view: MessageView | None) -> None:
        """A reply to the member's message. It cannot be ephemeral (only interaction responses
        can), and ``mention_author=False`` keeps the reply itself from pinging them."""
        if view is not None:
            message["view"] = view
        try:
            sent = await self.message.reply(mention_author=False, **message)
        except discord.HTTPException as error:  # deleted message, lost permission
            log.warning("could not reply in channel %s: %s", self.message.channel.id, error)
            if view is not None:
                view.stop()  # nothing to page: do not keep it waiting for clicks
            return
        if view is not None:
            view.message = sent
        if self.on_sent is not None:
            self.on_sent(sent)


class Replier:
    def __init__(self, policy: ReplyPolicy | None = None) -> None:
        self.policy = policy or ReplyPolicy()
        #: Shared by every answer's buttons (the views get it from here), so the allowance is
        #: per member, not per message.
        policy = self.policy
        self.button_cooldown = ButtonCooldown(policy.button_presses, policy.button_per,
                                              clock=policy.clock)
        self.pager_cooldown = ButtonCooldown(policy.page_turns, policy.page_turn_per,
                                             clock=policy.clock)

    # ------------------------------------------------------------ interactions

    async def answer(self, interaction: discord.Interaction,
                     work: Callable[P, Answer], *args: P.args, **kwargs: P.kwargs) -> None:
        """Compute ``work(*args)`` in a thread, deferring if it is slow, then send the reply.

        An exception from ``work`` propagates to the command tree's error handler, which
        answers with an apology through the followup if the interaction was deferred.
        """
        await self.reply(interaction, functools.partial(work, *args, **kwargs))

    async def reply(self, interaction: discord.Interaction, work: Callable[[], Answer], *,
                    private: bool = False, view: ViewFactory | None = None) -> None:
        """``answer`` for a prepared call: shown only to the user if ``private`` (whatever the
        answer: moderator commands, lookups for one member), with the buttons ``view`` makes
        for the answer (a command's, or a button's own reply)."""
        await self._respond(_InteractionTarget(interaction), work, private=private, view=view)

    # ------------------------------------------------------------ members' messages

    async def reply_to_message(self, message: discord.Message, work: Callable[[], Answer], *,
                               on_sent: OnSent | None = None) -> None:
        """Answer a member's message (a mention, a reply to the bot, a DM) with a reply to it,
        paged like a command's answer. An exception from ``work`` propagates to the caller:
        there is no command tree to apologise for a message."""
        await self._respond(_MessageTarget(message, on_sent), work, private=False, view=None)

    async def say_to_message(self, message: discord.Message, text: str, *,
                             on_sent: OnSent | None = None) -> None:
        """A short line (a warning, an apology) in reply to a member's message."""
        await self._deliver(_MessageTarget(message, on_sent), Reply(content=text),
                            private=False, view=None)

    # ------------------------------------------------------------ the pipeline

    async def _respond(self, target: _Target, work: Callable[[], Answer], *, private: bool,
                       view: ViewFactory | None) -> None:
        task = asyncio.ensure_future(asyncio.to_thread(work))
        done, _ = await asyncio.wait({task}, timeout=self.policy.defer_after)
        if not done:
            await target.defer(private=private)
        answer = await task
        reply = render(answer, page_size=self.policy.page_size, private=private)
        # Buttons go under embeds; a short line (a mistake, nothing found) has none.
        buttons = view(answer, target.key) if view is not None and reply.content is None else None
        await self._deliver(target, reply, private=private, view=buttons)

    async def _deliver(self, target: _Target, reply: Reply, *, private: bool,
                       view: MessageView | None) -> None:
        view = view if view is not None else self._pager(target, reply)
        # Passed on every send on top of the bot's default: whatever the corpus or a member
        # typed, nobody is pinged.
        message: dict[str, Any] = {"allowed_mentions": NO_MENTIONS}
        if reply.content is not None:
            message["content"] = reply.content
        if reply.pages:
            message["embed"] = reply.pages[0]
        await target.deliver(message, ephemeral=reply.ephemeral or private, view=view)

    def _pager(self, target: _Target, reply: Reply) -> Pager | None:
        if not reply.paged:
            return None
        return Pager(reply.pages, owner=target.owner, key=target.key,
                     cooldown=self.pager_cooldown, timeout=self.policy.pager_timeout)
