"""The fake Discord world the stand-in serves: users, a guild, its roles and channels.

These are plain data holders so a test can read ids (``standin.guild.channel("general").id``)
without knowing how the wire payloads are shaped; ``payloads.py`` turns them into JSON.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field

DISCORD_EPOCH_MS = 1420070400000

# Permission bits (https://discord.com/developers/docs/topics/permissions). Only the ones a
# reading-group bot and its tests care about are named.
CREATE_INSTANT_INVITE = 1 << 0
ADMINISTRATOR = 1 << 3
MANAGE_CHANNELS = 1 << 4
MANAGE_GUILD = 1 << 5
ADD_REACTIONS = 1 << 6
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
MANAGE_MESSAGES = 1 << 13
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
MENTION_EVERYONE = 1 << 17
USE_EXTERNAL_EMOJIS = 1 << 18
CHANGE_NICKNAME = 1 << 26
USE_APPLICATION_COMMANDS = 1 << 31
CREATE_PUBLIC_THREADS = 1 << 35
SEND_MESSAGES_IN_THREADS = 1 << 38
ALL_PERMISSIONS = (1 << 51) - 1

#: What an ordinary member gets from @everyone in a fresh server (no Manage Server).
DEFAULT_MEMBER_PERMISSIONS = (
    CREATE_INSTANT_INVITE
    | ADD_REACTIONS
    | VIEW_CHANNEL
    | SEND_MESSAGES
    | EMBED_LINKS
    | ATTACH_FILES
    | READ_MESSAGE_HISTORY
    | USE_EXTERNAL_EMOJIS
    | CHANGE_NICKNAME
    | USE_APPLICATION_COMMANDS
    | CREATE_PUBLIC_THREADS
    | SEND_MESSAGES_IN_THREADS
)

#: What the bot may do in a channel by default: everything a text bot needs, no pinging everyone.
FULL_TEXT_PERMISSIONS = DEFAULT_MEMBER_PERMISSIONS | MANAGE_MESSAGES

# Channel types used here.
GUILD_TEXT = 0
DM = 1
PUBLIC_THREAD = 11
PRIVATE_THREAD = 12

# Gateway intent bits the stand-in looks at.
MESSAGE_CONTENT_INTENT = 1 << 15


class SnowflakeFactory:
    """Makes increasing, realistic snowflakes so ``created_at`` and ordering look real."""

    def __init__(self) -> None:
        self._last = 0
        self._counter = itertools.count()

    def next(self) -> int:
        """Return a new snowflake, strictly greater than every earlier one."""
        millis = int(time.time() * 1000) - DISCORD_EPOCH_MS
        candidate = (millis << 22) | (next(self._counter) & 0xFFF)
        self._last = max(candidate, self._last + 1)
        return self._last


@dataclass(frozen=True)
class UserSpec:
    """A Discord user (or bot account) the stand-in can put behind an interaction or message."""

    id: int
    username: str
    global_name: str | None = None
    bot: bool = False

    @property
    def mention(self) -> str:
        """The ``<@id>`` text Discord uses to mention this user in content."""
        return f"<@{self.id}>"


@dataclass(frozen=True)
class RoleSpec:
    """A guild role; the @everyone role has the guild's id, as on Discord."""

    id: int
    name: str
    permissions: int = 0
    position: int = 0
    mentionable: bool = False
    managed: bool = False

    @property
    def mention(self) -> str:
        """The ``<@&id>`` text that pings this role when allowed_mentions permits it."""
        return f"<@&{self.id}>"


@dataclass
class ChannelSpec:
    """A guild channel or thread the bot can see and post to."""

    id: int
    name: str
    type: int = GUILD_TEXT
    position: int = 0
    topic: str | None = None
    parent_id: int | None = None
    owner_id: int | None = None

    @property
    def is_thread(self) -> bool:
        """Threads are serialised differently (thread_metadata, parent_id)."""
        return self.type in (PUBLIC_THREAD, PRIVATE_THREAD)


@dataclass
class GuildSpec:
    """One guild: what GUILD_CREATE announces and what interactions refer to."""

    id: int
    name: str
    owner_id: int
    roles: list[RoleSpec]
    channels: list[ChannelSpec]
    member_roles: dict[int, list[int]] = field(default_factory=dict)
    member_count: int = 3
    preferred_locale: str = "en-US"

    @property
    def everyone(self) -> RoleSpec:
        """The @everyone role (same id as the guild)."""
        return self.role_by_id(self.id)

    def channel(self, name: str) -> ChannelSpec:
        """Look a channel up by name, so tests need not hard-code ids."""
        for channel in self.channels:
            if channel.name == name:
                return channel
        raise KeyError(f"no channel named {name!r} in guild {self.name!r}")

    def channel_by_id(self, channel_id: int) -> ChannelSpec | None:
        """The channel or thread with this id, or None if the guild has none."""
        return next((c for c in self.channels if c.id == channel_id), None)

    def role(self, name: str) -> RoleSpec:
        """Look a role up by name."""
        for role in self.roles:
            if role.name == name:
                return role
        raise KeyError(f"no role named {name!r} in guild {self.name!r}")

    def role_by_id(self, role_id: int) -> RoleSpec:
        """Look a role up by id."""
        for role in self.roles:
            if role.id == role_id:
                return role
        raise KeyError(f"no role with id {role_id} in guild {self.name!r}")

    def roles_of(self, user_id: int) -> list[int]:
        """Role ids (excluding @everyone) a user holds, as Discord lists them in member objects."""
        return list(self.member_roles.get(user_id, []))

    def permissions_of(self, user_id: int) -> int:
        """Guild-level permissions of a member: @everyone plus their roles; Administrator = all.

        Discord sends this in ``member.permissions`` of an interaction; deriving it from roles
        means a test that picks the moderator user gets Manage Server without extra arguments.
        """
        if user_id == self.owner_id:
            return ALL_PERMISSIONS
        value = self.everyone.permissions
        for role_id in self.roles_of(user_id):
            value |= self.role_by_id(role_id).permissions
        return ALL_PERMISSIONS if value & ADMINISTRATOR else value


@dataclass
class World:
    """Everything the stand-in pretends exists: the bot account, people and one or more guilds."""

    bot_user: UserSpec
    application_id: int
    guilds: list[GuildSpec]
    reader: UserSpec
    moderator: UserSpec
    owner: UserSpec

    @property
    def guild(self) -> GuildSpec:
        """The first (usually only) guild."""
        return self.guilds[0]

    def guild_by_id(self, guild_id: int) -> GuildSpec | None:
        """The configured guild with this id, if any."""
        return next((g for g in self.guilds if g.id == guild_id), None)

    def find_channel(self, channel_id: int) -> tuple[GuildSpec, ChannelSpec] | None:
        """The guild and channel for a channel id, searching all guilds."""
        for guild in self.guilds:
            channel = guild.channel_by_id(channel_id)
            if channel is not None:
                return guild, channel
        return None


def default_world(ids: SnowflakeFactory) -> World:
    """A reading-circle guild with two text channels, a moderator role and a pingable role."""
    bot = UserSpec(id=ids.next(), username="reading-circle-bot", bot=True)
    owner = UserSpec(id=ids.next(), username="host", global_name="Host")
    reader = UserSpec(id=ids.next(), username="reader", global_name="Reader")
    moderator = UserSpec(id=ids.next(), username="moderator", global_name="Moderator")
    guild_id = ids.next()
    moderator_role = RoleSpec(ids.next(), "Moderator", MANAGE_GUILD | MANAGE_MESSAGES, 2)
    readers_role = RoleSpec(ids.next(), "Readers", 0, 1, mentionable=True)
    bot_role = RoleSpec(ids.next(), bot.username, FULL_TEXT_PERMISSIONS, 3, managed=True)
    guild = GuildSpec(
        id=guild_id,
        name="Reading Circle",
        owner_id=owner.id,
        roles=[
            RoleSpec(guild_id, "@everyone", DEFAULT_MEMBER_PERMISSIONS, 0),
            readers_role,
            moderator_role,
            bot_role,
        ],
        channels=[
            ChannelSpec(ids.next(), "general", position=0, topic="Talk about the reading"),
            ChannelSpec(ids.next(), "study-prompts", position=1, topic="Daily prompts"),
        ],
        member_roles={
            bot.id: [bot_role.id],
            reader.id: [readers_role.id],
            moderator.id: [moderator_role.id, readers_role.id],
        },
        member_count=4,
    )
    return World(
        bot_user=bot,
        application_id=bot.id,
        guilds=[guild],
        reader=reader,
        moderator=moderator,
        owner=owner,
    )
