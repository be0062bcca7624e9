"""Discord's message markup for users, roles and channels, in one place.

Discord turns ``<@id>``, ``<@&id>`` and ``<#id>`` into a name or a link when it shows a
message; everywhere else they are just text. Whether such markup may notify anyone is decided
by the ``allowed_mentions`` of the send, never by the text.
"""

from __future__ import annotations

import re

#: A user mention as members type it (``<@id>``, or ``<@!id>`` from older clients).
MENTION = re.compile(r"<@!?\d+>")


def channel(channel_id: int) -> str:
    """A channel as a link Discord shows with the channel's current name."""
    return f"<#{channel_id}>"


def role(role_id: int) -> str:
    return f"<@&{role_id}>"


def user(user_id: int) -> str:
    return f"<@{user_id}>"


class DiscordMarkup:
    """The prompt answers' ``Markup`` for Discord: names shown as the live channel or member."""

    def channel(self, channel_id: int) -> str:
        return channel(channel_id)

    def user(self, user_id: int) -> str:
        return user(user_id)

    def role(self, role_id: int) -> str:
        return role(role_id)
