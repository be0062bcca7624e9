"""``DiscordStandin``: a local Discord (REST + gateway) for end-to-end tests of a discord.py bot.

Tests point ``discord.http.Route.BASE`` and ``DiscordWebSocket.DEFAULT_GATEWAY`` at it (see
``fixtures.py``), start the bot, push interactions and messages, and await what the bot sent.
"""

from __future__ import annotations

import asyncio
import secrets
import socket
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import yarl
from aiohttp import web

from . import events
from .events import Invocation
from .gateway import Gateway
from .models import (
    ChannelSpec,
    GuildSpec,
    SnowflakeFactory,
    UserSpec,
    World,
    default_world,
)
from .payloads import FLAG_LOADING, JSON
from .records import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    MESSAGE_COMPONENT,
    InteractionRecord,
    RecordedCall,
    Violation,
)
from .rest import GATEWAY_PATH, RestApi
from .state import ChannelRef, CommandSync, StandinState

T = TypeVar("T")
HOST = "127.0.0.1"
DEFAULT_TIMEOUT = 5.0


class DiscordStandin:
    """A Discord stand-in on 127.0.0.1 with a random free port.

    Attributes worth knowing: ``calls`` (every REST call), ``unexpected_calls`` (unmodelled
    endpoints), ``violations`` (requests Discord or the no-ping policy rejects),
    ``interactions`` (id -> :class:`InteractionRecord`), ``channel_messages`` (channel id ->
    bot posts), ``messages`` (id -> latest message object), ``global_commands`` /
    ``guild_commands`` (registered commands).
    """

    def __init__(
        self,
        *,
        world: World | None = None,
        response_window: float = 3.0,
        token: str | None = None,
        require_registered_commands: bool = False,
    ) -> None:
        ids = SnowflakeFactory()
        self.state = StandinState(
            world=world or default_world(ids),
            ids=ids,
            response_window=response_window,
            expected_token=token,
            require_registered_commands=require_registered_commands,
        )
        self.gateway = Gateway(self.state)
        self.rest = RestApi(self.state)
        self.port = 0
        self._runner: web.AppRunner | None = None
        #: (bot, connect task) pairs started by ``start_bot``; stopped on ``stop()``.
        self.running_bots: list[tuple[Any, asyncio.Task[None]]] = []

    # ------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        """Bind a free port on 127.0.0.1 and serve REST and the gateway."""
        app = web.Application(middlewares=[self.rest.middleware])
        app.router.add_get(GATEWAY_PATH, self.gateway.handle)
        self.rest.add_routes(app)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind((HOST, 0))
        self.port = sock.getsockname()[1]
        self.gateway.url = str(self.gateway_url)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.SockSite(self._runner, sock).start()

    async def stop(self) -> None:
        """Stop bots a test left running, close sockets, free the port."""
        from .bot_runner import stop_bot  # local import: bot_runner imports this module

        for bot, task in list(self.running_bots):
            await stop_bot(bot, task, self)
        await self.gateway.close_all()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> DiscordStandin:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def api_base(self) -> str:
        """Value for ``discord.http.Route.BASE``."""
        return f"http://{HOST}:{self.port}/api/v10"

    @property
    def gateway_url(self) -> yarl.URL:
        """Value for ``discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY``."""
        return yarl.URL(f"ws://{HOST}:{self.port}{GATEWAY_PATH}")

    # ------------------------------------------------------------ world and records

    @property
    def world(self) -> World:
        """The bot account, people and guilds the stand-in pretends exist."""
        return self.state.world

    @property
    def guild(self) -> GuildSpec:
        """The (first) guild."""
        return self.state.world.guild

    @property
    def bot_user(self) -> UserSpec:
        """The bot's own account (``bot.user``)."""
        return self.state.world.bot_user

    @property
    def reader(self) -> UserSpec:
        """An ordinary member (no Manage Server)."""
        return self.state.world.reader

    @property
    def moderator(self) -> UserSpec:
        """A member whose Moderator role grants Manage Server."""
        return self.state.world.moderator

    def dm_channel_id(self, user: UserSpec | None = None) -> int:
        """The DM channel between the bot and ``user`` (default: the reader)."""
        return self.state.dm_channel_for(user or self.reader)

    def channel(self, name: str = "general") -> ChannelSpec:
        """A channel of the first guild by name (``general``, ``study-prompts``)."""
        return self.guild.channel(name)

    @property
    def calls(self) -> list[RecordedCall]:
        """Every REST call, in order."""
        return self.state.calls

    @property
    def unexpected_calls(self) -> list[RecordedCall]:
        """REST calls to endpoints the stand-in does not model (answered 404)."""
        return self.state.unexpected_calls

    @property
    def violations(self) -> list[Violation]:
        """Requests rejected because Discord (or the no-ping policy) would reject them."""
        return self.state.violations

    @property
    def interactions(self) -> dict[int, InteractionRecord]:
        """Interaction id -> what the bot answered."""
        return self.state.interactions

    @property
    def messages(self) -> dict[int, JSON]:
        """Message id -> latest message object (bot and user messages)."""
        return self.state.messages

    @property
    def channel_messages(self) -> Mapping[int, list[JSON]]:
        """Channel id -> messages the bot posted there with ``POST /channels/{id}/messages``."""
        return self.state.channel_messages

    @property
    def global_commands(self) -> list[JSON]:
        """Globally registered application commands."""
        return self.state.global_commands

    @property
    def guild_commands(self) -> dict[int, list[JSON]]:
        """Guild id -> registered guild commands."""
        return self.state.guild_commands

    @property
    def threads(self) -> list[JSON]:
        """Threads the bot created."""
        return self.state.threads

    def assert_clean(self) -> None:
        """Fail if any request was rejected as a violation or hit an unmodelled endpoint."""
        problems = [f"violation {v.kind}: {v.message}" for v in self.violations]
        problems += [f"unexpected {c.method} {c.path}" for c in self.unexpected_calls]
        assert not problems, "\n".join(problems)

    # ------------------------------------------------------------ policy knobs

    @property
    def response_window(self) -> float:
        """Seconds allowed for the initial interaction response (Discord: 3)."""
        return self.state.response_window

    @response_window.setter
    def response_window(self, seconds: float) -> None:
        self.state.response_window = seconds

    @property
    def app_permissions(self) -> int:
        """Default ``app_permissions`` sent with interactions."""
        return self.state.app_permissions

    @app_permissions.setter
    def app_permissions(self, value: int) -> None:
        self.state.app_permissions = value

    def allow_role_ping(self, channel_id: int, role_id: int) -> None:
        """Let messages in ``channel_id`` ping ``role_id`` (a moderator-chosen prompt role)."""
        self.state.role_ping_whitelist[channel_id].add(role_id)

    def forbid_channel(self, channel_id: int) -> None:
        """Make posts to a channel fail with 403 / 50013 Missing Permissions."""
        self.state.forbidden_channels.add(channel_id)

    def hide_history(self, channel_id: int) -> None:
        """Make reading a channel's history fail with 403 / 50001 (no Read Message History)."""
        self.state.no_history_channels.add(channel_id)

    def lose_post_answers(self, count: int = 1) -> None:
        """The next ``count`` channel posts are made but answered with a 503, as when
        Discord's answer is lost on the way back."""
        self.state.lost_post_answers += count

    def delete_channel(self, channel_id: int) -> None:
        """Make a channel answer 404 / 10003 Unknown Channel (deleted after configuration)."""
        self.state.deleted_channels.add(channel_id)

    # ------------------------------------------------------------ pushing events

    async def dispatch(self, event: str, data: JSON) -> None:
        """Send any gateway event (op 0) to the connected bot."""
        await self.gateway.dispatch(event, data)

    async def request_reconnect(self, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Make the bot reconnect and RESUME (op 7), and await the resumed session."""
        resumed = len(self.state.resumes)
        await self.gateway.request_reconnect()
        await self.wait_for(
            lambda: True if len(self.state.resumes) > resumed and self.gateway.connected else None,
            timeout=timeout,
            describe="the bot to resume",
        )

    async def send_slash_command(
        self,
        name: str,
        options: Mapping[str, Any] | Sequence[JSON] | None = None,
        *,
        subcommand: str | None = None,
        user: UserSpec | None = None,
        channel_id: int | None = None,
        dm: bool = False,
        permissions: int | None = None,
        app_permissions: int | None = None,
        locale: str = "en-US",
    ) -> InteractionRecord:
        """Dispatch a chat-input command (``subcommand="prompt today"`` style for groups).

        Returns the :class:`InteractionRecord` that fills in as the bot answers.
        """
        invocation = self._invocation(user, channel_id, dm, permissions, app_permissions, locale)
        data = self._command_data(name, options, subcommand, invocation, focused=None)
        return await self._dispatch_interaction(APPLICATION_COMMAND, data, invocation)

    async def send_autocomplete(
        self,
        name: str,
        options: Mapping[str, Any],
        *,
        focused: str | None = None,
        subcommand: str | None = None,
        user: UserSpec | None = None,
        channel_id: int | None = None,
        dm: bool = False,
        permissions: int | None = None,
        locale: str = "en-US",
    ) -> InteractionRecord:
        """Dispatch an autocomplete request; ``focused`` defaults to the last option given."""
        if not options:
            raise ValueError("autocomplete needs at least the focused option")
        focused = focused or list(options)[-1]
        invocation = self._invocation(user, channel_id, dm, permissions, None, locale)
        data = self._command_data(name, options, subcommand, invocation, focused=focused)
        return await self._dispatch_interaction(AUTOCOMPLETE, data, invocation)

    async def send_message_command(
        self,
        name: str,
        message: JSON | int,
        *,
        user: UserSpec | None = None,
        permissions: int | None = None,
        app_permissions: int | None = None,
        locale: str = "en-US",
    ) -> InteractionRecord:
        """Dispatch a message context-menu command (Apps > ``name``) on a stored message.

        ``message`` is a message object or id the stand-in recorded (one a test sent with
        :meth:`send_message_create`, or one the bot posted); the interaction comes from that
        message's channel, and carries the message in ``data.resolved.messages``.
        """
        stored = self._stored_message(message)
        ref = self._channel_ref(int(stored["channel_id"]))
        invocation = self._invocation_for(ref, user, permissions, app_permissions, locale)
        guild_id = ref.guild.id if ref.guild else None
        found = self.state.registered_command(name, guild_id, events.MESSAGE_COMMAND)
        if found is None and self.state.require_registered_commands:
            raise LookupError(f"the bot never registered a message command named {name!r}")
        command, scope = found if found is not None else (None, None)
        command_id = (int(command["id"]) if command
                      else self.state.fallback_command_id(f"message:{name}"))
        data = events.message_command_data(
            command_id=command_id, name=name, scope_guild_id=scope, target=stored
        )
        return await self._dispatch_interaction(APPLICATION_COMMAND, data, invocation)

    async def click_button(
        self,
        message: JSON | int,
        custom_id: str,
        *,
        user: UserSpec | None = None,
        values: Sequence[str] | None = None,
        permissions: int | None = None,
        app_permissions: int | None = None,
    ) -> InteractionRecord:
        """Dispatch a component interaction for a button (or select, with ``values``).

        ``message`` is a message object or id the stand-in recorded (e.g. ``record.message``);
        the latest stored version is used, so edits made by earlier clicks are honoured.
        """
        stored = self._stored_message(message)
        data = events.component_data(stored, custom_id, values)
        ref = self._channel_ref(int(stored["channel_id"]))
        invocation = self._invocation_for(ref, user, permissions, app_permissions, "en-US")
        return await self._dispatch_interaction(MESSAGE_COMPONENT, data, invocation, stored)

    async def send_message_create(
        self,
        content: str,
        *,
        author: UserSpec | None = None,
        channel_id: int | None = None,
        dm: bool = False,
        mentions: Sequence[UserSpec] | None = None,
        mention_roles: Sequence[int] | None = None,
        mention_everyone: bool = False,
        reference_message_id: int | None = None,
    ) -> JSON:
        """Dispatch MESSAGE_CREATE from a user (or another bot) in a channel or DM.

        ``mentions`` and ``mention_roles`` default to what ``<@id>`` / ``<@&id>`` in the content
        name. Content is blanked as Discord does if the bot lacks the message content intent
        and is not mentioned (guild messages only). Returns the payload as dispatched.
        """
        author = author or self.reader
        ref = self._message_channel(author, channel_id, dm)
        payload = events.incoming_message(
            message_id=self.state.ids.next(),
            content=content,
            author=author,
            channel=ref,
            mentions=mentions
            if mentions is not None
            else events.mentioned_users(content, self.state.known_users()),
            mention_roles=mention_roles
            if mention_roles is not None
            else events.mentioned_roles(content),
            mention_everyone=mention_everyone,
            reference_message_id=reference_message_id,
        )
        self.state.store_message(payload)
        self.state.incoming_messages.append(payload)
        dispatched = events.redact_for_intents(payload, self.gateway.intents, self.bot_user.id)
        await self.dispatch("MESSAGE_CREATE", dispatched)
        return dispatched

    # ------------------------------------------------------------ waiting

    async def wait_for(
        self,
        probe: Callable[[], T | None],
        *,
        timeout: float = DEFAULT_TIMEOUT,
        describe: str = "condition",
    ) -> T:
        """Await until ``probe()`` returns non-None (re-checked after every recorded change)."""
        try:
            return await self.state.signal.wait_until(probe, timeout, describe)
        except TimeoutError as error:
            raise TimeoutError(f"{error}\n{self.state.summary()}") from None

    async def wait_until_connected(self, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Await a bot identifying on the gateway."""
        await self.wait_for(
            lambda: True if self.gateway.connected else None,
            timeout=timeout,
            describe="a bot to identify",
        )

    async def wait_for_response(
        self, interaction: InteractionRecord | int, *, timeout: float = DEFAULT_TIMEOUT
    ) -> InteractionRecord:
        """Await the bot's first initial-response attempt (accepted or rejected).

        Returns the :class:`InteractionRecord`: ``.response`` is the accepted callback body
        (``{"type": ..., "data": ...}``) or None, ``.attempts`` every try with its status,
        ``.message`` the original message now, ``.followups`` and ``.edits`` so far.
        """
        record = self._record(interaction)
        return await self.wait_for(
            lambda: record if record.attempts else None,
            timeout=timeout,
            describe=f"a response to interaction {record.id}",
        )

    async def wait_for_followup(
        self,
        interaction: InteractionRecord | int,
        *,
        count: int = 1,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> InteractionRecord:
        """Await ``count`` followup messages for an interaction."""
        record = self._record(interaction)
        return await self.wait_for(
            lambda: record if len(record.followups) >= count else None,
            timeout=timeout,
            describe=f"{count} followup(s) to {record.id}",
        )

    async def wait_for_answer(self, interaction: InteractionRecord | int, *,
                              timeout: float = DEFAULT_TIMEOUT) -> InteractionRecord:
        """The interaction's answer: its first response, or, when that only deferred (a
        slow answer on a loaded machine), the followup or edit that replaces "thinking..."."""
        record = await self.wait_for_response(interaction, timeout=timeout)
        if record.response_type == 5:
            await self.wait_for(
                lambda: record if not int((record.message or {}).get("flags") or 0)
                & FLAG_LOADING else None,
                timeout=timeout, describe=f"the answer that ends {record.id}'s thinking")
        return record

    async def wait_for_edit(
        self,
        interaction: InteractionRecord | int,
        *,
        count: int = 1,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> InteractionRecord:
        """Await ``count`` webhook edits (original response or followups) for an interaction."""
        record = self._record(interaction)
        return await self.wait_for(
            lambda: record if len(record.edits) >= count else None,
            timeout=timeout,
            describe=f"{count} edit(s) of {record.id}",
        )

    async def wait_for_channel_message(
        self,
        channel_id: int,
        *,
        predicate: Callable[[JSON], bool] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> JSON:
        """Await the first bot post in a channel (matching ``predicate`` if given)."""

        def probe() -> JSON | None:
            posts = self.state.channel_messages.get(channel_id, [])
            return next((m for m in posts if predicate is None or predicate(m)), None)

        return await self.wait_for(
            probe, timeout=timeout, describe=f"a bot message in channel {channel_id}"
        )

    async def wait_for_channel_messages(
        self, channel_id: int, count: int, *, timeout: float = DEFAULT_TIMEOUT
    ) -> list[JSON]:
        """Await at least ``count`` bot posts in a channel; returns all of them so far."""

        def probe() -> list[JSON] | None:
            posts = self.state.channel_messages.get(channel_id, [])
            return list(posts) if len(posts) >= count else None

        return await self.wait_for(
            probe, timeout=timeout, describe=f"{count} bot message(s) in channel {channel_id}"
        )

    async def wait_for_command_sync(
        self, *, count: int = 1, timeout: float = DEFAULT_TIMEOUT
    ) -> CommandSync:
        """Await the ``count``-th accepted command registration (global or guild)."""
        syncs = self.state.command_syncs
        return await self.wait_for(
            lambda: syncs[count - 1] if len(syncs) >= count else None,
            timeout=timeout,
            describe=f"command sync #{count}",
        )

    # ------------------------------------------------------------ internals

    def _record(self, interaction: InteractionRecord | int) -> InteractionRecord:
        key = interaction.id if isinstance(interaction, InteractionRecord) else int(interaction)
        return self.state.interactions[key]

    def _stored_message(self, message: JSON | int) -> JSON:
        message_id = int(message["id"]) if isinstance(message, Mapping) else int(message)
        stored = self.state.messages.get(message_id)
        if stored is None:
            raise LookupError(f"the stand-in has no message {message_id}")
        return stored

    def _channel_ref(self, channel_id: int) -> ChannelRef:
        ref = self.state.channel_ref(channel_id)
        if ref is None:
            raise LookupError(f"the stand-in has no channel {channel_id}")
        return ref

    def _message_channel(self, author: UserSpec, channel_id: int | None, dm: bool) -> ChannelRef:
        if dm:
            return self._channel_ref(self.state.dm_channel_for(author))
        return self._channel_ref(channel_id or self.guild.channels[0].id)

    def _invocation(
        self,
        user: UserSpec | None,
        channel_id: int | None,
        dm: bool,
        permissions: int | None,
        app_permissions: int | None,
        locale: str,
    ) -> Invocation:
        ref = self._message_channel(user or self.reader, channel_id, dm)
        return self._invocation_for(ref, user, permissions, app_permissions, locale)

    def _invocation_for(
        self,
        ref: ChannelRef,
        user: UserSpec | None,
        permissions: int | None,
        app_permissions: int | None,
        locale: str,
    ) -> Invocation:
        """Member permissions default to what the user's roles grant in the guild."""
        user = user or self.reader
        if permissions is None:
            permissions = ref.guild.permissions_of(user.id) if ref.guild else 0
        return Invocation(
            user=user,
            channel=ref,
            permissions=permissions,
            app_permissions=self.state.app_permissions
            if app_permissions is None
            else app_permissions,
            locale=locale,
        )

    def _command_data(
        self,
        name: str,
        options: Mapping[str, Any] | Sequence[JSON] | None,
        subcommand: str | None,
        invocation: Invocation,
        focused: str | None,
    ) -> JSON:
        guild_id = invocation.channel.guild.id if invocation.channel.guild else None
        found = self.state.registered_command(name, guild_id)
        if found is None and self.state.require_registered_commands:
            raise LookupError(f"the bot never registered a command named {name!r}")
        command, scope = found if found is not None else (None, None)
        command_id = int(command["id"]) if command else self.state.fallback_command_id(name)
        return events.command_data(
            command=command,
            command_id=command_id,
            name=name,
            scope_guild_id=scope,
            subcommand=subcommand,
            options=options,
            invocation=invocation,
            focused=focused,
        )

    async def _dispatch_interaction(
        self,
        interaction_type: int,
        data: JSON,
        invocation: Invocation,
        message: JSON | None = None,
    ) -> InteractionRecord:
        """Record, then send INTERACTION_CREATE; the response window starts at the send."""
        interaction_id = self.state.ids.next()
        token = f"aW50ZXJhY3Rpb24{secrets.token_urlsafe(24)}"
        payload = events.interaction_payload(
            interaction_id=interaction_id,
            token=token,
            interaction_type=interaction_type,
            data=data,
            application_id=self.world.application_id,
            invocation=invocation,
            message=message,
        )
        record = InteractionRecord(
            id=interaction_id,
            token=token,
            type=interaction_type,
            payload=payload,
            channel_id=invocation.channel.id,
            guild_id=invocation.channel.guild.id if invocation.channel.guild else None,
            dispatched_at=asyncio.get_running_loop().time(),
        )
        self.state.interactions[interaction_id] = record
        await self.dispatch("INTERACTION_CREATE", payload)
        return record
