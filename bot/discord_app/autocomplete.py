"""The one way an autocomplete box is filled: (label, value) pairs -> Discord choices.

Every cog's autocomplete calls :func:`choices` with a function of the answer layer that
ranks what was typed, so the limits (25 choices, 100-character names and string values) and
the failure rule are kept in one place. Autocomplete errors never reach the command tree's
error handler and Discord shows nothing for a failed response, so a failure is logged and
answered with an empty list: the member can still type a value by hand.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable, Iterable
from typing import TypeVar

from discord import app_commands

from bot.answers.core.context import AnswerContext
from bot.answers.core.text import shorten, strip_bidi
from bot.answers.prompts.schedule import timezone_choices
from bot.answers.texts.sources import match_sources
from bot.discord_app.limits import CHOICE_TEXT_MAX, CHOICES_MAX

log = logging.getLogger(__name__)

#: What a choice's value can be in this bot: a name or slug, or a number.
V = TypeVar("V", str, int)


async def choices(work: Callable[[], Iterable[tuple[str, V]]], *, what: str, typed: str = "",
                  blocking: bool = True) -> list[app_commands.Choice[V]]:
    """``work()``'s (label, value) pairs as at most 25 choices, or [] if ``work`` fails.

    ``blocking`` (the default) runs ``work`` in a worker thread, for lookups that use the
    store; an in-memory lookup (names, events, time zones) passes False and runs inline.
    ``what`` and ``typed`` only name the box in the log.
    """
    try:
        pairs = list(await asyncio.to_thread(work) if blocking else work())
    except Exception:
        log.exception("%s autocomplete failed for %r", what, typed[:CHOICE_TEXT_MAX])
        return []
    return [
        # Labels can be members' own words (suggested prompts): no bidirectional controls.
        app_commands.Choice(name=shorten(strip_bidi(label), CHOICE_TEXT_MAX) or str(value),
                            value=value)
        for label, value in pairs
        if _fits(value)
    ][:CHOICES_MAX]


def _fits(value: str | int) -> bool:
    """A string value cut to the limit would no longer resolve, so it is left out instead."""
    return not isinstance(value, str) or 1 <= len(value) <= CHOICE_TEXT_MAX


async def timezone_box(typed: str) -> list[app_commands.Choice[str]]:
    """IANA zones best matching what was typed, for every ``timezone`` option (/prompt
    schedule, /plan set). In memory: no thread."""
    typed = typed[:64]
    return await choices(lambda: [(zone, zone) for zone in timezone_choices(typed, CHOICES_MAX)],
                         what="timezone", typed=typed, blocking=False)


async def source_choices(answers: AnswerContext, typed: str) -> list[app_commands.Choice[str]]:
    """The texts best matching what was typed, by title, for every ``source`` option (/search,
    /quote, /prompt add and suggest): the value is the slug, which every answer resolves."""
    typed = typed[:CHOICE_TEXT_MAX]
    return await choices(functools.partial(match_sources, answers, typed, CHOICES_MAX),
                         what="source", typed=typed)
