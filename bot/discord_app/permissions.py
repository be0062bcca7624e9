"""Discord permissions by name: the one table of how moderators see them, and what the bot
has in a channel.

discord.py names permissions by attribute (``manage_guild``); Discord's settings show
"Manage Server". The prompt rules name the permissions a post needs
(``bot.answers.prompts.schedule.PERMISSION_NAMES``); this table adds the ones only commands
need, so no permission is labelled in two places.
"""

from __future__ import annotations

import discord

from bot.answers.prompts.schedule import PERMISSION_NAMES as POST_PERMISSIONS
from bot.answers.prompts.schedule import join_names

PERMISSION_LABELS: dict[str, str] = {
    **POST_PERMISSIONS,
    "manage_guild": "Manage Server",
    "use_application_commands": "Use Application Commands",
}


def permission_names(names: list[str]) -> str:
    """['manage_guild', 'embed_links'] -> 'Manage Server and Embed Links'."""
    return join_names(names, PERMISSION_LABELS)


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
