"""The one place command failures become replies: short and private for what the user can fix,
logged with context plus an apology for what they cannot. Never silence.
"""

from __future__ import annotations

import logging
import math
from typing import Any

import discord
from discord import app_commands

from bot.answers.core.text import one_line, shorten, strip_bidi
from bot.discord_app.permissions import permission_names
from bot.discord_app.render import NO_MENTIONS

log = logging.getLogger(__name__)

#: Discord's "Unknown interaction": the response window had already closed.
UNKNOWN_INTERACTION = 10062


class UserFacingError(app_commands.AppCommandError):
    """Raise from a command when the input is wrong; the message is shown to the user as is."""


class ReadingCircleTree(app_commands.CommandTree):
    """Our command tree: every app-command error goes through :func:`handle_error`."""

    async def on_error(self, interaction: discord.Interaction,
                       error: app_commands.AppCommandError, /) -> None:
        await handle_error(interaction, error)


async def handle_error(interaction: discord.Interaction,
                       error: app_commands.AppCommandError) -> None:
    message = expected_message(error)
    if message is None:
        original = error.original if isinstance(error, app_commands.CommandInvokeError) else error
        await report_unexpected(interaction, original, where=_command_label(interaction))
        return
    log.info("%s refused for user %s: %s", _command_label(interaction), interaction.user.id,
             type(error).__name__)
    await reply_privately(interaction, message)


def slow_down(retry_after: float) -> str:
    """What a member over a command's or a button's rate is told (privately)."""
    return f"Slow down a little: try again in {max(1, math.ceil(retry_after))} s."


def expected_message(error: Exception) -> str | None:
    """A short message for failures the user can do something about; None for bugs."""
    if isinstance(error, app_commands.CommandOnCooldown):
        return slow_down(error.retry_after)
    if isinstance(error, app_commands.BotMissingPermissions):
        return (f"I am missing the {permission_names(error.missing_permissions)} permission "
                "in this channel. Ask a moderator to grant it, or use another channel.")
    if isinstance(error, app_commands.MissingPermissions):
        return (f"You need the {permission_names(error.missing_permissions)} permission to use "
                "this command.")
    if isinstance(error, app_commands.NoPrivateMessage):
        return "This command only works in a server, not in direct messages."
    if isinstance(error, app_commands.CheckFailure):
        return "You can't use this command here."
    if isinstance(error, app_commands.TransformerError):
        return f"I couldn't understand “{shorten(one_line(str(error.value)), 80)}” there."
    if isinstance(error, app_commands.CommandNotFound | app_commands.CommandSignatureMismatch):
        # Discord still shows an older version of the command (just after a deploy).
        return "This command has just changed. Give Discord a minute to catch up and try again."
    if isinstance(error, UserFacingError):
        return shorten(str(error), 500)
    return None


async def report_unexpected(interaction: discord.Interaction, error: BaseException,
                            *, where: str) -> None:
    """A bug: log it with who/where/what, then apologise so the user is not left waiting."""
    if isinstance(error, discord.NotFound) and error.code == UNKNOWN_INTERACTION:
        log.warning("%s answered too late (interaction expired): %s", where, context(interaction))
        return  # nothing can be sent on an expired interaction
    log.error("%s failed: %s", where, context(interaction), exc_info=error)
    await reply_privately(interaction, apology(interaction))


def apology(interaction: discord.Interaction) -> str:
    command = interaction.command
    doing = f" while answering {_command_label(interaction)}" if command is not None else ""
    return (f"Sorry, something went wrong on my side{doing}. It has been logged; please try "
            "again in a moment.")


async def reply_privately(interaction: discord.Interaction, text: str) -> None:
    """An ephemeral reply, whether or not the interaction was already answered or deferred."""
    text = strip_bidi(text)  # it may echo what was typed ("I couldn't understand ...")
    try:
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
        else:
            await interaction.response.send_message(text, ephemeral=True,
                                                    allowed_mentions=NO_MENTIONS)
    except discord.HTTPException as failure:
        # The interaction expired or Discord is down: the log is all that is left.
        log.warning("could not send an error reply for %s: %s", _command_label(interaction),
                    failure)


def context(interaction: discord.Interaction) -> dict[str, Any]:
    """What a maintainer needs to reproduce a failure (values shortened: they may be pastes)."""
    options = {name: shorten(one_line(str(value)), 200) for name, value in interaction.namespace}
    data = interaction.data  # None only before Discord's payload is read
    if data is not None and "custom_id" in data:  # a button's or a modal's, not a command's
        # .get, not [ ]: mypy does not narrow the union of (non-final) TypedDicts on ``in``.
        options["custom_id"] = str(data.get("custom_id"))
    return {
        "command": _command_label(interaction),
        "user_id": interaction.user.id,
        "guild_id": interaction.guild_id,
        "channel_id": interaction.channel_id,
        "interaction_id": interaction.id,
        "options": options,
    }


def _command_label(interaction: discord.Interaction) -> str:
    command = interaction.command
    if command is None:
        return "a component"
    if isinstance(command, app_commands.ContextMenu):  # "Find in the texts", not a slash
        return f"“{command.qualified_name}”"
    return f"/{command.qualified_name}"
