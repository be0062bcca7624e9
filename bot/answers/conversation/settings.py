"""/config: the switches a moderator sets for their server."""

from __future__ import annotations

from bot.answers.core.context import AnswerContext
from bot.answers.core.model import Answer, AnswerKind, Field
from bot.answers.plan.spoilers import spoilers_on
from bot.store.guild_settings import MENTIONS, SPOILERS


def mentions_on(ctx: AnswerContext, guild_id: int) -> bool:
    """Does the bot answer plain questions that mention it here? On unless turned off."""
    return ctx.store.server_setting(guild_id, MENTIONS, "on") == "on"


def configure(ctx: AnswerContext, guild_id: int, *, mentions: bool | None = None,
              spoilers: bool | None = None) -> Answer:
    """Change what was given, then show every setting as it now stands."""
    if mentions is not None:
        ctx.store.set_server_setting(guild_id, MENTIONS, "on" if mentions else "off")
    if spoilers is not None:
        ctx.store.set_server_setting(guild_id, SPOILERS, "on" if spoilers else "off")
    state = "on" if mentions_on(ctx, guild_id) else "off"
    limited = spoilers_on(ctx, guild_id)
    planned = ctx.store.plans.get(guild_id) is not None
    spoiler_line = ("on: answers stop at the reading plan's current section" if limited and planned
                    else "on, but no reading plan is set (`/plan set`): nothing is limited yet"
                    if limited else "off: answers come from every section")
    return Answer(AnswerKind.CONFIG, "Server settings",
                  fields=[Field("Answer mentions", state, inline=True),
                          Field("Spoiler control", spoiler_line, inline=True)])
