"""/config: the switches a moderator sets for their server."""

from __future__ import annotations

from bot.answers.core.context import AnswerContext
from bot.answers.core.model import Answer, AnswerKind, Field
from bot.store.guild_settings import MENTIONS


def mentions_on(ctx: AnswerContext, guild_id: int) -> bool:
    """Does the bot answer plain questions that mention it here? On unless turned off."""
    return ctx.store.server_setting(guild_id, MENTIONS, "on") == "on"


def configure(ctx: AnswerContext, guild_id: int, *, mentions: bool | None = None) -> Answer:
    """Change what was given, then show every setting as it now stands."""
    if mentions is not None:
        ctx.store.set_server_setting(guild_id, MENTIONS, "on" if mentions else "off")
    state = "on" if mentions_on(ctx, guild_id) else "off"
    return Answer(AnswerKind.CONFIG, "Server settings",
                  fields=[Field("Answer mentions", state, inline=True)])
