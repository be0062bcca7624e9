"""Spoiler control: answers limited to what a server's reading plan has reached.

A server setting, off by default (``/config spoilers:on``). When it is on and a plan is set,
every answer a member asks for runs through :func:`within_reach`: the plan's text is limited
to the end of the plan's current section (other texts are not limited); hits beyond it are
withheld by the context's search (bot/answers/core/reach.py) and counted, and the answer
says how many ("3 more in sections you haven't reached yet"). The CLI's ``--upto
<text>:<section>`` applies the same limit through :func:`limited`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Concatenate, ParamSpec

from bot.answers.core.context import AnswerContext
from bot.answers.core.model import Answer, AnswerKind, Field
from bot.answers.core.reach import Reach, TextReach
from bot.answers.core.text import one_line
from bot.answers.plan.rules import local_date, position
from bot.answers.plan.state import match_section, plan_of
from bot.answers.texts.sources import resolve_source
from bot.store.guild_settings import SPOILERS
from bot.store.sources import SectionRecord

P = ParamSpec("P")


def spoilers_on(ctx: AnswerContext, guild_id: int) -> bool:
    """Are this server's answers limited to its plan? Off unless a moderator turned it on."""
    return ctx.store.server_setting(guild_id, SPOILERS, "off") == "on"


def reach_of(sections: list[SectionRecord], planned: tuple[str, ...], reached: int,
             ) -> TextReach:
    """The end of the last section reached (``reached`` planned sections are), as a limit.

    Before the first section: everything before the plan's first heading (an introduction
    under no heading) and nothing after. A heading no longer in the text (edited since the
    plan was set) counts as not reached: a limit that is too tight hides, one too loose
    spoils."""
    by_title = {s.title: s for s in sections if s.title}
    found = [by_title[t] for t in planned[:reached] if t in by_title]
    if found:
        last = found[-1]
        return TextReach(last.last_paragraph, last.title or "")
    first = by_title.get(planned[0]) if planned else None
    return TextReach((first.first_paragraph if first else 0) - 1,
                     "the start of the plan")


def server_limits(ctx: AnswerContext, guild_id: int | None) -> dict[str, TextReach]:
    """What this server's answers are limited to: {} when spoiler control is off, no plan is
    set, or the request is not from a server (a DM)."""
    if guild_id is None or not spoilers_on(ctx, guild_id):
        return {}
    record = ctx.store.plans.get(guild_id)
    if record is None:
        return {}
    at = position(plan_of(record), local_date(ctx.now(), record.timezone))
    sections = ctx.store.sources.sections(record.source_slug)
    return {record.source_slug: reach_of(sections, record.sections, at.reached)}


def within_reach(ctx: AnswerContext, guild_id: int | None,
                 work: Callable[Concatenate[AnswerContext, P], Answer],
                 *args: P.args, **kwargs: P.kwargs) -> Answer:
    """``work(ctx, ...)`` limited to what this server's plan has reached (if it is on)."""
    return limited(ctx, server_limits(ctx, guild_id), work, *args, **kwargs)


def limited(ctx: AnswerContext, limits: Mapping[str, TextReach],
            work: Callable[Concatenate[AnswerContext, P], Answer],
            *args: P.args, **kwargs: P.kwargs) -> Answer:
    """``work`` run with a context limited to ``limits``, and what it withheld said."""
    if not limits:
        return work(ctx, *args, **kwargs)
    scoped = ctx.within(limits)
    return with_withheld(scoped.reach, work(scoped, *args, **kwargs))


def with_withheld(reach: Reach, answer: Answer) -> Answer:
    """The answer without items beyond the reach (what an answer read from the store by
    another way than the search), and with the count of all that was withheld."""
    items = reach.keep_items(answer.items)
    sources = [ref for ref in answer.sources if reach.allows_ref(ref)]
    answer = replace(answer, items=items, sources=sources)
    count = reach.withheld
    if not count or answer.kind is AnswerKind.ERROR:
        return answer
    note = withheld_note(count, reach)
    if answer.kind is AnswerKind.NOT_FOUND:  # a short reply: the line goes in its text
        return replace(answer, body=f"{answer.body}\n\n{note}".strip())
    return replace(answer, fields=[*answer.fields, Field("Not shown", note)])


def withheld_note(count: int, reach: Reach) -> str:
    at = ", ".join(f"“{r.section}”" for r in reach.texts.values())
    more = "1 more" if count == 1 else f"{count} more"
    return (f"{more} in sections you haven't reached yet (spoiler control: the reading plan "
            f"is at {at}).")


# ---------------------------------------------------------------- the CLI's --upto


def upto_limits(ctx: AnswerContext, typed: str) -> dict[str, TextReach] | Answer:
    """``<text>:<section>`` (a slug or title, then a heading) as a limit, or an ERROR."""
    text, colon, section = typed.partition(":")
    if not colon or not text.strip() or not section.strip():
        return Answer(AnswerKind.ERROR, "--upto needs a text and a section",
                      "Write it as `--upto <text>:<section>`, e.g. "
                      "`--upto life-of-leon-trotsky:The Zimmerwald manifesto`.")
    slug, suggestions = resolve_source(ctx, text)
    if slug is None:
        return Answer(AnswerKind.ERROR, f"No text called “{one_line(text)[:80]}”",
                      "Use `/sources` to see the texts.", suggestions=suggestions)
    sections = ctx.store.sources.sections(slug)
    title = match_section(sections, section)
    if title is None:
        return Answer(AnswerKind.ERROR, f"No section “{one_line(section)[:80]}” in `{slug}`",
                      "Its sections are: " + "; ".join(s.title for s in sections if s.title)
                      if any(s.title for s in sections) else "That text has no sections.")
    titles = tuple(s.title for s in sections if s.title)
    return {slug: reach_of(sections, titles, titles.index(title) + 1)}
