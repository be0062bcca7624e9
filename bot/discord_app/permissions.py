"""Discord permissions by name: the one table of how moderators see them, what a prompt post
needs, and what the bot has in a channel.

discord.py names permissions by attribute (``manage_guild``); Discord's settings show
"Manage Server". The prompt answers only hear what a post would lack, by the label.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

import discord
from discord import app_commands

from bot.answers.core.text import join_words

#: On each moderator command AND on its autocomplete functions: discord.py runs an
#: autocomplete's own checks (not its command's) and answers no choices when they fail, so a
#: member who may not run a moderator command cannot read what it guards through its boxes
#: either (tests/discord_app/test_edges.py checks every command for this).
moderators_only = app_commands.checks.has_permissions(manage_guild=True)

#: The permissions a prompt post needs in its channel, as the server settings label them.
POST_PERMISSIONS: dict[str, str] = {
    "view_channel": "View Channel",
    "send_messages": "Send Messages",
    "embed_links": "Embed Links",
    "read_message_history": "Read Message History",
    "create_public_threads": "Create Public Threads",
    "mention_everyone": "Mention All Roles",
}
PERMISSION_LABELS: dict[str, str] = {
    **POST_PERMISSIONS,
    "manage_guild": "Manage Server",
    "use_application_commands": "Use Application Commands",
}


def label(name: str) -> str:
    """'embed_links' -> 'Embed Links' (spelt out from the name when the table lacks it)."""
    return PERMISSION_LABELS.get(name, name.replace("_", " ").title())


def permission_names(names: Iterable[str]) -> str:
    """['manage_guild', 'embed_links'] -> 'Manage Server and Embed Links'."""
    return join_words([label(n) for n in names])


def required_for_post(*, thread: bool, role_needs_mention_permission: bool) -> list[str]:
    """What the bot needs in the channel to make the post the moderator asked for."""
    # Read Message History: before any retry the scheduler reads the channel's recent
    # messages for its own post of that day, so a retry never doubles a post.
    needed = ["view_channel", "send_messages", "embed_links", "read_message_history"]
    if thread:
        needed.append("create_public_threads")
    if role_needs_mention_permission:
        needed.append("mention_everyone")  # a role that is not mentionable needs this
    return needed


def missing_for_post(granted: Collection[str], *, thread: bool,
                     role_needs_mention_permission: bool) -> list[str]:
    """The labels of what a post would lack, for the prompt answers to name."""
    needed = required_for_post(thread=thread,
                               role_needs_mention_permission=role_needs_mention_permission)
    return [label(name) for name in needed if name not in granted]


def granted_in(interaction: discord.Interaction, channel: discord.abc.GuildChannel | None
               ) -> frozenset[str]:
    """The bot's permissions in ``channel`` that a prompt post may need, by attribute name.

    In the channel the command was used in, Discord tells us (``app_permissions``); elsewhere
    they are computed from the cached roles and overwrites of the bot's member.
    """
    if channel is None:
        return frozenset()
    if channel.id == interaction.channel_id:
        permissions = interaction.app_permissions
    else:
        me = interaction.guild.me if interaction.guild else None
        permissions = channel.permissions_for(me) if me else interaction.app_permissions
    # By name, not by iterating: iteration says "read_messages" where we ask "view_channel".
    return frozenset(name for name in POST_PERMISSIONS if getattr(permissions, name, False))
