"""Shared, mutable state of the stand-in: the world, stored objects, records and test policy.

The REST handlers, the gateway and the test-facing helpers all read and write this one object;
every recording method calls :meth:`StandinState.changed` so waiting tests wake up.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .models import (
    DM,
    FULL_TEXT_PERMISSIONS,
    ChannelSpec,
    GuildSpec,
    SnowflakeFactory,
    UserSpec,
    World,
)
from .payloads import JSON, channel_payload, dm_channel_payload
from .records import ChangeSignal, InteractionRecord, RecordedCall, Violation


@dataclass
class CommandSync:
    """One accepted bulk overwrite of application commands (``guild_id`` None = global)."""

    guild_id: int | None
    commands: list[JSON]


@dataclass
class ChannelRef:
    """Where a channel id points: a guild channel/thread, or a DM with a user."""

    id: int
    guild: GuildSpec | None = None
    spec: ChannelSpec | None = None
    dm_user: UserSpec | None = None

    def payload(self) -> JSON:
        """The channel object Discord would return for this channel."""
        if self.guild is not None and self.spec is not None:
            return channel_payload(self.guild, self.spec)
        assert self.dm_user is not None
        return dm_channel_payload(self.id, self.dm_user)

    @property
    def type(self) -> int:
        """Discord channel type number."""
        return self.spec.type if self.spec is not None else DM


@dataclass
class StandinState:
    """Everything the stand-in knows and has recorded; see the attribute comments."""

    world: World
    ids: SnowflakeFactory
    #: Seconds the bot has for its initial interaction response (Discord: 3).
    response_window: float = 3.0
    #: If set, REST and IDENTIFY must present this token (else 401 / close 4004).
    expected_token: str | None = None
    #: If True, dispatching a slash command that the bot never registered is a test error.
    require_registered_commands: bool = False
    #: ``app_permissions`` sent with interactions unless a test overrides it per call.
    app_permissions: int = FULL_TEXT_PERMISSIONS

    calls: list[RecordedCall] = field(default_factory=list)
    unexpected_calls: list[RecordedCall] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    interactions: dict[int, InteractionRecord] = field(default_factory=dict)
    messages: dict[int, JSON] = field(default_factory=dict)
    channel_messages: defaultdict[int, list[JSON]] = field(
        default_factory=lambda: defaultdict(list)
    )
    incoming_messages: list[JSON] = field(default_factory=list)
    threads: list[JSON] = field(default_factory=list)
    global_commands: list[JSON] = field(default_factory=list)
    guild_commands: dict[int, list[JSON]] = field(default_factory=dict)
    command_syncs: list[CommandSync] = field(default_factory=list)
    identifies: list[JSON] = field(default_factory=list)
    resumes: list[JSON] = field(default_factory=list)
    gateway_frames: list[JSON] = field(default_factory=list)

    role_ping_whitelist: defaultdict[int, set[int]] = field(
        default_factory=lambda: defaultdict(set)
    )
    forbidden_channels: set[int] = field(default_factory=set)
    deleted_channels: set[int] = field(default_factory=set)
    #: Channels whose history the bot may not read (no Read Message History).
    no_history_channels: set[int] = field(default_factory=set)
    #: The next this many bot posts are made, but answered with a 503 (a lost answer).
    lost_post_answers: int = 0
    dm_channels: dict[int, int] = field(default_factory=dict)
    #: Users outside the world definition that tests used (DM partners, extra members).
    extra_users: dict[int, UserSpec] = field(default_factory=dict)
    signal: ChangeSignal = field(default_factory=ChangeSignal)
    _fallback_command_ids: dict[str, int] = field(default_factory=dict)

    def changed(self) -> None:
        """Wake every test waiting on a condition; call after any recorded change."""
        self.signal.notify()

    # ------------------------------------------------------------ lookups

    def interaction_by_token(self, token: str) -> InteractionRecord | None:
        """The interaction whose token a webhook URL carries."""
        return next((r for r in self.interactions.values() if r.token == token), None)

    def channel_ref(self, channel_id: int) -> ChannelRef | None:
        """Resolve a channel id to a guild channel, thread or known DM channel."""
        found = self.world.find_channel(channel_id)
        if found is not None:
            return ChannelRef(channel_id, guild=found[0], spec=found[1])
        for user_id, dm_id in self.dm_channels.items():
            if dm_id == channel_id:
                return ChannelRef(channel_id, dm_user=self.known_user(user_id))
        return None

    def dm_channel_for(self, user: UserSpec) -> int:
        """The (stable) DM channel id between the bot and ``user``."""
        if user.id not in self.dm_channels:
            self.dm_channels[user.id] = self.ids.next()
            self.extra_users[user.id] = user
        return self.dm_channels[user.id]

    def known_user(self, user_id: int) -> UserSpec:
        """A user by id among the world's people, the bot and DM partners."""
        world = self.world
        for user in (world.bot_user, world.reader, world.moderator, world.owner):
            if user.id == user_id:
                return user
        return self.extra_users.get(user_id) or UserSpec(user_id, f"user{user_id}")

    def known_users(self) -> list[UserSpec]:
        """Everyone the stand-in can resolve a ``<@id>`` mention for."""
        world = self.world
        people = [world.bot_user, world.reader, world.moderator, world.owner]
        return people + list(self.extra_users.values())

    def registered_command(
        self, name: str, guild_id: int | None, command_type: int = 1
    ) -> tuple[JSON, int | None] | None:
        """The registered command and its scope (guild id, or None for global).

        Guild commands shadow global ones, as in Discord's client.
        """
        scopes: list[tuple[list[JSON], int | None]] = []
        if guild_id is not None:
            scopes.append((self.guild_commands.get(guild_id, []), guild_id))
        scopes.append((self.global_commands, None))
        for commands, scope in scopes:
            for command in commands:
                if command["name"] == name and command.get("type", 1) == command_type:
                    return command, scope
        return None

    def fallback_command_id(self, name: str) -> int:
        """A stable id for a command the bot did not register (tests that skip syncing)."""
        return self._fallback_command_ids.setdefault(name, self.ids.next())

    # ------------------------------------------------------------ recording

    def record_violation(self, violation: Violation) -> None:
        """Remember a rejected request so ``assert_clean`` and tests can see it."""
        self.violations.append(violation)
        self.changed()

    def store_message(self, message: JSON, *, channel_post: bool = False) -> JSON:
        """Keep a message by id; bot channel posts are also listed per channel."""
        self.messages[int(message["id"])] = message
        if channel_post:
            self.channel_messages[int(message["channel_id"])].append(message)
        self.changed()
        return message

    def summary(self, limit: int = 12) -> str:
        """Recent calls and problems, appended to timeout errors to make failures readable."""
        lines = [f"  {c.method} {c.path} -> {c.status}" for c in self.calls[-limit:]]
        lines += [f"  VIOLATION {v.kind}: {v.message}" for v in self.violations]
        lines += [f"  UNEXPECTED {c.method} {c.path}" for c in self.unexpected_calls]
        return "\n".join(["stand-in saw:", *lines]) if lines else "stand-in saw no REST calls"
