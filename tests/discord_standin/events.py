"""Builders for the events a test pushes: INTERACTION_CREATE (commands, autocomplete, components)
and MESSAGE_CREATE, shaped like what Discord sends so discord.py's parsers accept them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .models import MESSAGE_CONTENT_INTENT, ChannelSpec, RoleSpec, UserSpec
from .payloads import (
    ATTACHMENT_SIZE_LIMIT,
    JSON,
    member_payload,
    message_payload,
    role_payload,
    user_payload,
)
from .state import ChannelRef

# Application command option types.
SUB_COMMAND = 1
SUB_COMMAND_GROUP = 2
STRING = 3
INTEGER = 4
BOOLEAN = 5
USER = 6
CHANNEL = 7
ROLE = 8
MENTIONABLE = 9
NUMBER = 10

# Application command types (``data.type``).
CHAT_INPUT = 1
USER_COMMAND = 2
MESSAGE_COMMAND = 3

# Interaction context types.
CONTEXT_GUILD = 0
CONTEXT_BOT_DM = 1

USER_MENTION_RE = re.compile(r"<@!?(\d+)>")
ROLE_MENTION_RE = re.compile(r"<@&(\d+)>")


@dataclass
class Invocation:
    """Who triggers an interaction, where, and with which permissions."""

    user: UserSpec
    channel: ChannelRef
    permissions: int
    app_permissions: int
    locale: str = "en-US"


@dataclass
class Resolved:
    """The ``data.resolved`` map Discord sends for user, role and channel options."""

    users: dict[str, JSON] = field(default_factory=dict)
    members: dict[str, JSON] = field(default_factory=dict)
    roles: dict[str, JSON] = field(default_factory=dict)
    channels: dict[str, JSON] = field(default_factory=dict)

    def payload(self) -> JSON:
        """Only non-empty sections, as Discord does."""
        sections = {
            "users": self.users,
            "members": self.members,
            "roles": self.roles,
            "channels": self.channels,
        }
        return {key: value for key, value in sections.items() if value}


# ---------------------------------------------------------------- interactions


def interaction_payload(
    *,
    interaction_id: int,
    token: str,
    interaction_type: int,
    data: JSON,
    application_id: int,
    invocation: Invocation,
    message: JSON | None = None,
) -> JSON:
    """INTERACTION_CREATE ``d``: the common envelope plus guild member or DM user."""
    channel = invocation.channel
    payload: JSON = {
        "id": str(interaction_id),
        "application_id": str(application_id),
        "type": interaction_type,
        "data": data,
        "token": token,
        "version": 1,
        "channel_id": str(channel.id),
        "channel": _interaction_channel(invocation),
        "app_permissions": str(invocation.app_permissions),
        "locale": invocation.locale,
        "entitlements": [],
        "entitlement_sku_ids": [],
        "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
    }
    if message is not None:
        payload["message"] = message
    if channel.guild is None:
        payload.update(_dm_part(invocation))
    else:
        payload.update(_guild_part(invocation))
    return payload


def _interaction_channel(invocation: Invocation) -> JSON:
    data = invocation.channel.payload()
    if invocation.channel.guild is not None:
        data["permissions"] = str(invocation.permissions)
    return data


def _guild_part(invocation: Invocation) -> JSON:
    guild = invocation.channel.guild
    assert guild is not None
    member = member_payload(guild, invocation.user)
    member["permissions"] = str(invocation.permissions)
    return {
        "guild_id": str(guild.id),
        "guild": {"id": str(guild.id), "locale": guild.preferred_locale, "features": []},
        "guild_locale": guild.preferred_locale,
        "member": member,
        "context": CONTEXT_GUILD,
        "authorizing_integration_owners": {"0": str(guild.id)},
    }


def _dm_part(invocation: Invocation) -> JSON:
    return {
        "user": user_payload(invocation.user),
        "context": CONTEXT_BOT_DM,
        "authorizing_integration_owners": {"0": "0"},
    }


def command_data(
    *,
    command: JSON | None,
    command_id: int,
    name: str,
    scope_guild_id: int | None,
    subcommand: str | None,
    options: Mapping[str, Any] | Sequence[JSON] | None,
    invocation: Invocation,
    focused: str | None = None,
) -> JSON:
    """``data`` of a chat-input command or autocomplete interaction.

    Option types come from the registered command when the bot synced it, else from the Python
    value (str, int, float, bool, UserSpec, RoleSpec, ChannelSpec). A raw list of option dicts
    is passed through untouched for cases this does not model.
    """
    path = subcommand.split() if subcommand else []
    leaf_schema = _leaf_schema(command, path)
    resolved = Resolved()
    if options is None or isinstance(options, Mapping):
        leaf = build_options(options or {}, leaf_schema, resolved, invocation, focused)
    else:
        leaf = [dict(option) for option in options]
    data: JSON = {
        "id": str(command_id),
        "name": name,
        "type": 1,
        "options": _nest(path, leaf),
    }
    if scope_guild_id is not None:
        data["guild_id"] = str(scope_guild_id)
    if resolved.payload():
        data["resolved"] = resolved.payload()
    return data


def _leaf_schema(command: JSON | None, path: list[str]) -> list[JSON]:
    """The registered option list under a subcommand path ([] if unknown)."""
    options = (command or {}).get("options") or []
    for part in path:
        match = next((o for o in options if o.get("name") == part), None)
        if match is None:
            return []
        options = match.get("options") or []
    return list(options)


def _nest(path: list[str], leaf: list[JSON]) -> list[JSON]:
    """Wrap leaf options in subcommand (group) options: ``"prompt today"`` -> nested lists."""
    if not path:
        return leaf
    if len(path) == 1:
        return [{"name": path[0], "type": SUB_COMMAND, "options": leaf}]
    group, sub = path[0], path[1]
    return [{"name": group, "type": SUB_COMMAND_GROUP, "options": _nest([sub], leaf)}]


def build_options(
    values: Mapping[str, Any],
    schema: list[JSON],
    resolved: Resolved,
    invocation: Invocation,
    focused: str | None,
) -> list[JSON]:
    """Turn ``{"name": value}`` into Discord option objects (and fill ``resolved``)."""
    types = {o["name"]: int(o["type"]) for o in schema}
    result = []
    for name, value in values.items():
        option_type = types.get(name) or infer_option_type(value)
        if name == focused:
            result.append({"name": name, "type": option_type, "value": str(value), "focused": True})
            continue
        wire = _wire_value(option_type, value, resolved, invocation)
        result.append({"name": name, "type": option_type, "value": wire})
    return result


def infer_option_type(value: Any) -> int:
    """The option type a Python value stands for (bool before int: bool is an int)."""
    if isinstance(value, bool):
        return BOOLEAN
    if isinstance(value, int):
        return INTEGER
    if isinstance(value, float):
        return NUMBER
    if isinstance(value, UserSpec):
        return USER
    if isinstance(value, RoleSpec):
        return ROLE
    if isinstance(value, ChannelSpec):
        return CHANNEL
    return STRING


def _wire_value(option_type: int, value: Any, resolved: Resolved, invocation: Invocation) -> Any:
    if option_type == STRING:
        return str(value)
    if option_type == INTEGER:
        return int(value)
    if option_type == NUMBER:
        return float(value)
    if option_type == BOOLEAN:
        return bool(value)
    if option_type in (USER, ROLE, CHANNEL, MENTIONABLE):
        _resolve(value, resolved, invocation)
        return str(getattr(value, "id", value))
    raise ValueError(
        f"option type {option_type} is not supported by the stand-in; pass raw options"
    )


def _resolve(value: Any, resolved: Resolved, invocation: Invocation) -> None:
    """Add the object behind a snowflake option to ``resolved`` (as Discord does)."""
    guild = invocation.channel.guild
    key = str(getattr(value, "id", value))
    if isinstance(value, UserSpec):
        resolved.users[key] = user_payload(value)
        if guild is not None:
            member = member_payload(guild, value, with_user=False)
            member["permissions"] = str(guild.permissions_of(value.id))
            resolved.members[key] = member
    elif isinstance(value, RoleSpec):
        resolved.roles[key] = role_payload(value)
    elif isinstance(value, ChannelSpec) and guild is not None:
        resolved.channels[key] = _resolved_channel(value, invocation)


def _resolved_channel(channel: ChannelSpec, invocation: Invocation) -> JSON:
    guild = invocation.channel.guild
    assert guild is not None
    data = ChannelRef(channel.id, guild=guild, spec=channel).payload()
    data["permissions"] = str(invocation.app_permissions)
    return data


def message_command_data(
    *, command_id: int, name: str, scope_guild_id: int | None, target: JSON
) -> JSON:
    """``data`` of a message context-menu command: the target message id and, in
    ``resolved.messages``, the whole message (content included whatever the bot's intents,
    as Discord sends it)."""
    data: JSON = {
        "id": str(command_id),
        "name": name,
        "type": MESSAGE_COMMAND,
        "target_id": str(target["id"]),
        "resolved": {"messages": {str(target["id"]): dict(target)}},
    }
    if scope_guild_id is not None:
        data["guild_id"] = str(scope_guild_id)
    return data


def component_data(message: JSON, custom_id: str, values: Sequence[str] | None = None) -> JSON:
    """``data`` of a component interaction; the component must exist and be enabled."""
    component = find_component(message, custom_id)
    if component is None:
        raise LookupError(f"message {message.get('id')} has no component {custom_id!r}")
    if component.get("disabled"):
        raise ValueError(f"component {custom_id!r} is disabled; a user cannot click it")
    data: JSON = {"custom_id": custom_id, "component_type": int(component["type"])}
    if "id" in component:
        data["id"] = component["id"]
    if values is not None:
        data["values"] = list(values)
    return data


def find_component(message: JSON, custom_id: str) -> JSON | None:
    """Search rows, containers and section accessories for a component by custom_id."""
    return next(
        (c for c in _walk(message.get("components") or []) if c.get("custom_id") == custom_id), None
    )


def _walk(components: list[JSON]) -> Iterator[JSON]:
    for component in components:
        yield component
        yield from _walk(component.get("components") or [])
        if isinstance(component.get("accessory"), dict):
            yield component["accessory"]


# ---------------------------------------------------------------- MESSAGE_CREATE


def mentioned_users(content: str, known: Sequence[UserSpec]) -> list[UserSpec]:
    """Users whose ``<@id>`` appears in content, as Discord fills ``mentions``."""
    ids = {int(m) for m in USER_MENTION_RE.findall(content)}
    return [user for user in known if user.id in ids]


def mentioned_roles(content: str) -> list[int]:
    """Role ids whose ``<@&id>`` appears in content."""
    return [int(m) for m in ROLE_MENTION_RE.findall(content)]


def incoming_message(
    *,
    message_id: int,
    content: str,
    author: UserSpec,
    channel: ChannelRef,
    mentions: Sequence[UserSpec],
    mention_roles: Sequence[int],
    mention_everyone: bool,
    reference_message_id: int | None,
) -> JSON:
    """A MESSAGE_CREATE payload for a user (or other bot) posting in a guild channel or DM."""
    body: JSON = {"content": content}
    if reference_message_id is not None:
        body["message_reference"] = {
            "message_id": str(reference_message_id),
            "channel_id": str(channel.id),
            **({"guild_id": str(channel.guild.id)} if channel.guild else {}),
        }
    data = message_payload(
        message_id=message_id,
        channel_id=channel.id,
        author=user_payload(author),
        body=body,
        guild_id=channel.guild.id if channel.guild else None,
        message_type=19 if reference_message_id is not None else 0,
    )
    data["mention_everyone"] = mention_everyone
    data["mention_roles"] = [str(r) for r in mention_roles]
    data["mentions"] = [_mention(user, channel) for user in mentions]
    if channel.guild is not None:
        data["member"] = member_payload(channel.guild, author, with_user=False)
    return data


def _mention(user: UserSpec, channel: ChannelRef) -> JSON:
    data = user_payload(user)
    if channel.guild is not None:
        data["member"] = member_payload(channel.guild, user, with_user=False)
    return data


def redact_for_intents(message: JSON, intents: int | None, bot_id: int) -> JSON:
    """Blank content the way Discord does for bots without the message content intent.

    Content, embeds, attachments and components stay visible in DMs, when the bot is
    mentioned, or when the bot wrote the message; otherwise they arrive empty.
    """
    if intents is None or intents & MESSAGE_CONTENT_INTENT or "guild_id" not in message:
        return message
    if int(message["author"]["id"]) == bot_id:
        return message
    if any(int(u["id"]) == bot_id for u in message.get("mentions", [])):
        return message
    return {**message, "content": "", "embeds": [], "attachments": [], "components": []}
