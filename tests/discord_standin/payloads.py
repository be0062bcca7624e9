"""JSON payload builders shaped like Discord API v10 objects.

Each builder includes the keys discord.py reads with ``data[...]`` (a missing one is a
``KeyError`` deep inside the library), so the real client code paths run unchanged.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .models import (
    DM,
    PUBLIC_THREAD,
    ChannelSpec,
    GuildSpec,
    RoleSpec,
    UserSpec,
    World,
)

JSON = dict[str, Any]

#: Discord's message flag bits used by the stand-in.
FLAG_EPHEMERAL = 1 << 6
FLAG_LOADING = 1 << 7

ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024
JOINED_AT = "2024-01-01T00:00:00+00:00"


def now_iso() -> str:
    """Current UTC time in the ISO 8601 form Discord uses for timestamps."""
    return dt.datetime.now(dt.UTC).isoformat()


def user_payload(user: UserSpec) -> JSON:
    """A user object (as in message authors, interaction users, mentions)."""
    return {
        "id": str(user.id),
        "username": user.username,
        "global_name": user.global_name,
        "discriminator": "0",
        "avatar": None,
        "bot": user.bot,
        "system": False,
        "public_flags": 0,
        "flags": 0,
        "banner": None,
        "accent_color": None,
        "avatar_decoration_data": None,
    }


def current_user_payload(user: UserSpec) -> JSON:
    """``GET /users/@me``: the bot account, with the private fields ClientUser reads."""
    return {**user_payload(user), "verified": True, "mfa_enabled": False, "locale": "en-US"}


def application_payload(world: World) -> JSON:
    """``GET /oauth2/applications/@me``: AppInfo needs owner, verify_key and a null endpoint url.

    ``interactions_endpoint_url`` must be null, otherwise discord.py warns that interactions
    will not be delivered over the gateway.
    """
    return {
        "id": str(world.application_id),
        "name": world.bot_user.username,
        "icon": None,
        "description": "Reading circle bot (stand-in)",
        "summary": "",
        "rpc_origins": [],
        "bot_public": True,
        "bot_require_code_grant": False,
        "owner": user_payload(world.owner),
        "verify_key": "0" * 64,
        "team": None,
        "flags": 0,
        "interactions_endpoint_url": None,
        "bot": user_payload(world.bot_user),
        "tags": [],
        "redirect_uris": [],
    }


def role_payload(role: RoleSpec) -> JSON:
    """A role object (GUILD_CREATE, resolved role options)."""
    return {
        "id": str(role.id),
        "name": role.name,
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
        "hoist": False,
        "icon": None,
        "unicode_emoji": None,
        "position": role.position,
        "permissions": str(role.permissions),
        "managed": role.managed,
        "mentionable": role.mentionable,
        "flags": 0,
    }


def channel_payload(guild: GuildSpec, channel: ChannelSpec) -> JSON:
    """A guild text channel or thread object."""
    if channel.is_thread:
        return thread_payload(guild, channel)
    return {
        "id": str(channel.id),
        "type": channel.type,
        "guild_id": str(guild.id),
        "name": channel.name,
        "position": channel.position,
        "permission_overwrites": [],
        "topic": channel.topic,
        "nsfw": False,
        "parent_id": str(channel.parent_id) if channel.parent_id else None,
        "rate_limit_per_user": 0,
        "last_message_id": None,
        "default_auto_archive_duration": 1440,
        "flags": 0,
    }


def thread_payload(guild: GuildSpec, channel: ChannelSpec) -> JSON:
    """A thread channel object (what thread creation returns)."""
    return {
        "id": str(channel.id),
        "type": channel.type,
        "guild_id": str(guild.id),
        "parent_id": str(channel.parent_id),
        "owner_id": str(channel.owner_id),
        "name": channel.name,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "message_count": 0,
        "member_count": 1,
        "total_message_sent": 0,
        "flags": 0,
        "thread_metadata": {
            "archived": False,
            "auto_archive_duration": 1440,
            "archive_timestamp": now_iso(),
            "locked": False,
            "invitable": channel.type == PUBLIC_THREAD,
            "create_timestamp": now_iso(),
        },
    }


def dm_channel_payload(channel_id: int, recipient: UserSpec) -> JSON:
    """A DM channel object, as sent in DM interactions."""
    return {
        "id": str(channel_id),
        "type": DM,
        "last_message_id": None,
        "recipients": [user_payload(recipient)],
        "flags": 0,
    }


def member_payload(guild: GuildSpec, user: UserSpec, *, with_user: bool = True) -> JSON:
    """A guild member object (``flags`` and ``roles`` are required by discord.py)."""
    data: JSON = {
        "roles": [str(r) for r in guild.roles_of(user.id)],
        "joined_at": JOINED_AT,
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "flags": 0,
        "pending": False,
        "nick": None,
        "avatar": None,
        "communication_disabled_until": None,
    }
    if with_user:
        data["user"] = user_payload(user)
    return data


def guild_create_payload(guild: GuildSpec, bot_user: UserSpec) -> JSON:
    """GUILD_CREATE: enough for Guild, TextChannel, Role and ``guild.me`` to exist."""
    return {
        "id": str(guild.id),
        "name": guild.name,
        "icon": None,
        "splash": None,
        "discovery_splash": None,
        "banner": None,
        "description": None,
        "owner_id": str(guild.owner_id),
        "afk_channel_id": None,
        "afk_timeout": 300,
        "verification_level": 1,
        "default_message_notifications": 1,
        "explicit_content_filter": 0,
        "mfa_level": 0,
        "nsfw_level": 0,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "premium_progress_bar_enabled": False,
        "system_channel_id": str(guild.channels[0].id) if guild.channels else None,
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "public_updates_channel_id": None,
        "safety_alerts_channel_id": None,
        "vanity_url_code": None,
        "preferred_locale": guild.preferred_locale,
        "features": [],
        "roles": [role_payload(r) for r in guild.roles],
        "emojis": [],
        "stickers": [],
        "joined_at": JOINED_AT,
        "large": False,
        "unavailable": False,
        "member_count": guild.member_count,
        "members": [member_payload(guild, bot_user)],
        "channels": [channel_payload(guild, c) for c in guild.channels if not c.is_thread],
        "threads": [thread_payload(guild, c) for c in guild.channels if c.is_thread],
        "presences": [],
        "voice_states": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
        "max_members": 500000,
        "max_video_channel_users": 25,
    }


def ready_payload(world: World, session_id: str, resume_url: str) -> JSON:
    """READY: bot user, application, and every guild unavailable until its GUILD_CREATE."""
    return {
        "v": 10,
        "user": current_user_payload(world.bot_user),
        "guilds": [{"id": str(g.id), "unavailable": True} for g in world.guilds],
        "session_id": session_id,
        "session_type": "normal",
        "resume_gateway_url": resume_url,
        "application": {"id": str(world.application_id), "flags": 0},
        "private_channels": [],
        "relationships": [],
        "presences": [],
        "guild_join_requests": [],
        "geo_ordered_rtc_regions": [],
        "user_settings": {},
        "_trace": ["discord-standin"],
    }


def message_payload(
    *,
    message_id: int,
    channel_id: int,
    author: JSON,
    body: JSON,
    guild_id: int | None = None,
    message_type: int = 0,
    application_id: int | None = None,
) -> JSON:
    """A full message object built from a create-message body (content, embeds, components...).

    Discord echoes embeds and components back with defaults filled in; echoing what the bot sent
    is enough for discord.py to rebuild Message, Embed and component objects.
    """
    data: JSON = {
        "id": str(message_id),
        "channel_id": str(channel_id),
        "author": author,
        "content": body.get("content") or "",
        "timestamp": now_iso(),
        "edited_timestamp": None,
        "tts": bool(body.get("tts", False)),
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "mention_channels": [],
        "attachments": attachments_from_body(body),
        "embeds": list(body.get("embeds") or []),
        "components": list(body.get("components") or []),
        "reactions": [],
        "pinned": False,
        "type": message_type,
        "flags": int(body.get("flags") or 0),
        "nonce": body.get("nonce"),
    }
    if guild_id is not None:
        data["guild_id"] = str(guild_id)
    if application_id is not None:
        data["application_id"] = str(application_id)
        data["webhook_id"] = str(application_id)
    if body.get("message_reference"):
        data["message_reference"] = _stringify_ids(body["message_reference"])
    if body.get("poll"):
        data["poll"] = body["poll"]
    return data


def _stringify_ids(reference: JSON) -> JSON:
    """discord.py sends reference ids as ints; Discord echoes snowflakes as strings."""
    return {k: str(v) if k.endswith("_id") and v is not None else v for k, v in reference.items()}


def attachments_from_body(body: JSON) -> list[JSON]:
    """Attachment objects for files the bot uploaded (multipart), enough for Attachment()."""
    result = []
    for index, item in enumerate(body.get("attachments") or []):
        filename = item.get("filename", f"file{index}")
        result.append(
            {
                "id": str(item.get("id", index)),
                "filename": filename,
                "size": int(item.get("size", 0)),
                "url": f"https://cdn.invalid/attachments/{filename}",
                "proxy_url": f"https://media.invalid/attachments/{filename}",
                "content_type": item.get("content_type"),
                "description": item.get("description"),
            }
        )
    return result


def apply_message_edit(message: JSON, body: JSON) -> None:
    """Apply a PATCH/UPDATE_MESSAGE body to a stored message in place (only keys present change)."""
    for key in ("content", "embeds", "components", "flags"):
        if key in body:
            message[key] = body[key] if body[key] is not None else _empty_for(key)
    if "attachments" in body:
        message["attachments"] = attachments_from_body(body)
    message["edited_timestamp"] = now_iso()


def _empty_for(key: str) -> Any:
    """Discord treats ``null`` in an edit as clearing the field."""
    return {"content": "", "flags": 0}.get(key, [])


def command_registration_response(
    command: JSON, *, command_id: int, application_id: int, guild_id: int | None
) -> JSON:
    """An application command object as Discord returns it after a bulk overwrite."""
    data: JSON = {
        "type": 1,
        "description": "",
        "options": [],
        "default_member_permissions": None,
        "dm_permission": True,
        "nsfw": False,
        **command,
        "id": str(command_id),
        "application_id": str(application_id),
        "version": str(command_id),
    }
    if guild_id is not None:
        data["guild_id"] = str(guild_id)
    return data
