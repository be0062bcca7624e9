"""The error handler's wording for failures a user can fix (the e2e tests cover the wiring)."""

from __future__ import annotations

import pytest
from discord import app_commands

from bot.discord_app.errors import UserFacingError, expected_message
from bot.discord_app.permissions import permission_names


@pytest.mark.parametrize(("error", "message"), [
    (app_commands.CommandOnCooldown(app_commands.Cooldown(1, 30), 12.2),
     "Slow down a little: try again in 13 s."),
    (app_commands.MissingPermissions(["manage_guild"]),
     "You need the Manage Server permission to use this command."),
    (app_commands.BotMissingPermissions(["send_messages", "embed_links"]),
     "I am missing the Send Messages and Embed Links permission in this channel. Ask a "
     "moderator to grant it, or use another channel."),
    (app_commands.NoPrivateMessage(), "This command only works in a server, not in direct "
     "messages."),
    (app_commands.CheckFailure(), "You can't use this command here."),
    (UserFacingError("Pick a time like 09:30."), "Pick a time like 09:30."),
])
def test_expected_errors_get_a_short_message(error: Exception, message: str) -> None:
    assert expected_message(error) == message


@pytest.mark.parametrize("error", [RuntimeError("bug"), KeyError("x"),
                                   app_commands.AppCommandError("unknown")])
def test_anything_else_is_a_bug_to_log(error: Exception) -> None:
    assert expected_message(error) is None


def test_permission_names_read_like_discord() -> None:
    assert permission_names(["create_public_threads"]) == "Create Public Threads"
    assert permission_names(["send_messages", "embed_links", "manage_guild"]) == (
        "Send Messages, Embed Links and Manage Server")
