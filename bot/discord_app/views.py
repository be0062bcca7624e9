"""Buttons under a paged answer. A view only moves between pages it was given; it decides
nothing about the answer itself.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

import discord
from cachetools import TTLCache
from discord import app_commands

from bot.answers.core.text import strip_bidi
from bot.discord_app import errors
from bot.discord_app.render import NO_MENTIONS

log = logging.getLogger(__name__)

#: Interaction tokens (which edit the message) live 15 minutes; the buttons are disabled
#: before that, while the bot can still edit the message to show they are dead.
PAGER_TIMEOUT = 600.0

#: The message a command response created, a followup, or the bot's reply to a member's
#: message: all can be edited.
PagedMessage = discord.InteractionMessage | discord.WebhookMessage | discord.Message


class ButtonCooldown:
    """At most ``presses`` button presses per member in any ``per`` seconds, across messages.

    One instance is shared by all the views of one kind (the Replier holds them), so pressing
    "Another" on each new quotation in turn counts like pressing one button. The token bucket
    is discord.py's own ``Cooldown`` (the one ``app_commands.checks.cooldown`` uses for
    commands); the buckets live in a TTL cache that drops a member's bucket ``per`` seconds
    after their last press (its window is over by then), so only members who pressed lately
    are held, and ``MAX_MEMBERS`` caps even a flood of new accounts.
    """

    MAX_MEMBERS = 100_000

    def __init__(self, presses: int, per: float, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.presses, self.per = presses, per
        self._clock = clock  # injectable: tests press at a fixed time, no sleeping
        self.buckets: TTLCache[int, app_commands.Cooldown] = TTLCache(
            self.MAX_MEMBERS, ttl=per, timer=clock)

    def retry_after(self, interaction: discord.Interaction) -> float | None:
        """None if this press may go ahead (and it is counted), else seconds to wait."""
        member = interaction.user.id
        bucket = self.buckets.get(member) or app_commands.Cooldown(self.presses, self.per)
        retry = bucket.update_rate_limit(self._clock())
        self.buckets[member] = bucket  # set again: the time to live runs from the last press
        return retry


class MessageView(discord.ui.View):
    """Buttons under one message: greyed out in place when they time out, a member pressing
    too fast gets a private "slow down" instead of a new message, and a failing button gets
    the same apology as a failing command."""

    def __init__(self, *, cooldown: ButtonCooldown, timeout: float = PAGER_TIMEOUT) -> None:
        super().__init__(timeout=timeout)
        #: Set by whoever sends the view, so a timeout can disable the buttons in place.
        self.message: PagedMessage | None = None
        self.cooldown = cooldown

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        """Every press is counted against its member; over the rate, a private note and the
        button's action does not run (nothing is posted for the channel)."""
        retry = self.cooldown.retry_after(interaction)
        if retry is None:
            return True
        await errors.reply_privately(interaction, errors.slow_down(retry))
        return False

    async def on_timeout(self) -> None:
        """Grey the buttons out so nobody clicks a dead control."""
        for item in self.children:
            if isinstance(item, discord.ui.Button):
                item.disabled = True
        if self.message is None:
            return
        try:
            await self.message.edit(view=self, allowed_mentions=NO_MENTIONS)
        except discord.NotFound:
            pass  # the message (or the whole channel) was deleted: nothing left to disable
        except discord.HTTPException as error:
            log.info("could not disable the buttons on message %s: %s", self.message.id, error)

    async def on_error(self, interaction: discord.Interaction, error: Exception,
                       item: discord.ui.Item[Any], /) -> None:
        where = f"button {getattr(item, 'custom_id', item)}"
        await errors.report_unexpected(interaction, error, where=where)


class Pager(MessageView):
    """Previous / next over pre-rendered pages; only the user who asked may turn them."""

    def __init__(self, pages: Sequence[discord.Embed], *, owner: discord.abc.User,
                 key: int | str, cooldown: ButtonCooldown,
                 timeout: float = PAGER_TIMEOUT) -> None:
        super().__init__(cooldown=cooldown, timeout=timeout)
        self.pages = tuple(pages)
        self.index = 0
        self.owner_id = owner.id
        self.owner_name = discord.utils.escape_markdown(strip_bidi(owner.display_name))
        # The key (the invoking interaction's id) makes custom ids unique per message, so
        # two pagers in one channel can never take each other's clicks.
        self.previous_button = self._button("Previous", "◀", f"pager:{key}:previous", -1)
        self.next_button = self._button("Next", "▶", f"pager:{key}:next", +1)
        self._sync_buttons()

    def _button(self, label: str, emoji: str, custom_id: str, step: int) -> discord.ui.Button:
        button: discord.ui.Button[Pager] = discord.ui.Button(
            label=label, emoji=emoji, custom_id=custom_id, style=discord.ButtonStyle.secondary)

        async def turn(interaction: discord.Interaction) -> None:
            await self._turn(interaction, step)

        button.callback = turn  # type: ignore[method-assign]
        self.add_item(button)
        return button

    def _sync_buttons(self) -> None:
        self.previous_button.disabled = self.index == 0
        self.next_button.disabled = self.index >= len(self.pages) - 1

    async def _turn(self, interaction: discord.Interaction, step: int) -> None:
        self.index = max(0, min(len(self.pages) - 1, self.index + step))
        self._sync_buttons()
        await interaction.response.edit_message(embed=self.pages[self.index], view=self,
                                                allowed_mentions=NO_MENTIONS)

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        """Someone else's click gets a private note instead of moving the asker's pages."""
        if interaction.user.id == self.owner_id:
            return await super().interaction_check(interaction)
        await interaction.response.send_message(
            f"Only {self.owner_name} can page this. Run the command yourself to get your own "
            "copy.", ephemeral=True, allowed_mentions=NO_MENTIONS)
        return False
