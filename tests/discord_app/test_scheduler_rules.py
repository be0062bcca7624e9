"""The Discord side of the daily prompt's rules: which failures are permanent, which guilds a
shard process owns, and how a failed send reaches the domain."""

from __future__ import annotations

import pytest

from bot.discord_app.failures import is_permanent, post_failure
from bot.discord_app.permissions import missing_for_post, required_for_post
from bot.discord_app.scheduler import on_shards

CAN_POST = {"view_channel", "send_messages", "embed_links", "read_message_history",
            "create_public_threads"}


def test_deleted_channels_and_lost_permissions_are_permanent() -> None:
    assert is_permanent(404, 10003) and is_permanent(403, 50013) and is_permanent(403, 50001)
    assert not is_permanent(503, 0) and not is_permanent(None, None)
    assert not is_permanent(429, 0)


def test_shard_of_a_guild_follows_discords_formula() -> None:
    guild_id = (123456 << 22) | 99
    assert on_shards(guild_id, 4, [123456 % 4])
    assert not on_shards(guild_id, 4, [(123456 + 1) % 4])
    assert on_shards(guild_id, 1, [0])


def test_a_failed_send_reaches_the_rules_as_a_kind_and_a_reason() -> None:
    lost = post_failure(42, 403, 50013, "Missing Permissions")
    assert lost.permanent and "Missing Permissions" in lost.reason and lost.channel == "<#42>"
    down = post_failure(42, 503, 0, "Service Unavailable")
    assert not down.permanent


def test_required_permissions() -> None:
    assert required_for_post(thread=False, role_needs_mention_permission=False) == [
        "view_channel", "send_messages", "embed_links", "read_message_history"]
    assert "create_public_threads" in required_for_post(
        thread=True, role_needs_mention_permission=False)
    assert "mention_everyone" in required_for_post(
        thread=False, role_needs_mention_permission=True)


@pytest.mark.parametrize(("granted", "options", "expected"), [
    ({"view_channel", "send_messages", "read_message_history"}, {}, ["Embed Links"]),
    ({"view_channel", "embed_links", "read_message_history"}, {}, ["Send Messages"]),
    ({"view_channel", "send_messages", "embed_links"}, {}, ["Read Message History"]),
    ({"view_channel", "send_messages", "embed_links", "read_message_history"}, {"thread": True},
     ["Create Public Threads"]),
    (CAN_POST, {"role_needs_mention_permission": True}, ["Mention All Roles"]),
    (CAN_POST, {"thread": True}, []),
])
def test_what_a_post_lacks_is_named_as_moderators_see_it(granted, options, expected) -> None:
    settings = {"thread": False, "role_needs_mention_permission": False, **options}
    assert missing_for_post(granted, **settings) == expected
