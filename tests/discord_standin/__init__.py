"""A local stand-in for Discord's REST and gateway APIs, for end-to-end tests of a discord.py bot.

Typical use::

    async def test_ping(discord_standin):
        async with running_bot(make_bot(), discord_standin):
            record = await discord_standin.send_slash_command("ping")
            await discord_standin.wait_for_response(record)
            assert record.embeds[0]["title"] == "Pong"
        discord_standin.assert_clean()
"""

from .bot_runner import running_bot, start_bot, stop_bot
from .fixtures import discord_standin, point_discord_at
from .models import (
    ADMINISTRATOR,
    DEFAULT_MEMBER_PERMISSIONS,
    FULL_TEXT_PERMISSIONS,
    MANAGE_GUILD,
    ChannelSpec,
    GuildSpec,
    RoleSpec,
    UserSpec,
    World,
    default_world,
)
from .records import CallbackAttempt, InteractionRecord, RecordedCall, Violation
from .server import DiscordStandin
from .state import CommandSync

__all__ = [
    "ADMINISTRATOR",
    "DEFAULT_MEMBER_PERMISSIONS",
    "FULL_TEXT_PERMISSIONS",
    "MANAGE_GUILD",
    "CallbackAttempt",
    "ChannelSpec",
    "CommandSync",
    "DiscordStandin",
    "GuildSpec",
    "InteractionRecord",
    "RecordedCall",
    "RoleSpec",
    "UserSpec",
    "Violation",
    "World",
    "default_world",
    "discord_standin",
    "point_discord_at",
    "running_bot",
    "start_bot",
    "stop_bot",
]
