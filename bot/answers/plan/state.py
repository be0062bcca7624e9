"""Where a server's plan is today, and the headings of its text: what the plan commands, the
daily prompt and spoiler control all read."""

from __future__ import annotations

from datetime import datetime

from rapidfuzz import fuzz, process, utils

from bot.answers.core.context import AnswerContext
from bot.answers.core.text import one_line
from bot.answers.plan.rules import Plan, local_date, position
from bot.store.plans import PlanRecord
from bot.store.sources import SectionRecord

SECTION_MATCH = 75  # rapidfuzz WRatio a typed section name needs to stand for a heading


def plan_of(record: PlanRecord) -> Plan:
    return Plan(sections=record.sections, start=record.start, per_week=record.per_week,
                target=record.target_date, advanced=record.advanced,
                paused_on=record.paused_on, paused_days=record.paused_days)


def this_week(ctx: AnswerContext, guild_id: int, now: datetime | None = None
              ) -> tuple[str, tuple[str, ...]] | None:
    """(slug, this week's section titles) of the server's plan, or None: no plan, or not
    started yet. A paused plan stays on its section. What the daily prompt draws from."""
    record = ctx.store.plans.get(guild_id)
    if record is None:
        return None
    plan = plan_of(record)
    at = position(plan, local_date(now or ctx.now(), record.timezone))
    if not at.current:
        return None
    return record.source_slug, tuple(plan.sections[i] for i in at.current)


def match_section(sections: list[SectionRecord], typed: str) -> str | None:
    """The heading a typed name stands for: exact (case aside), else a close match."""
    titles = [s.title for s in sections if s.title]
    wanted = one_line(typed).casefold()
    exact = next((t for t in titles if t.casefold() == wanted), None)
    if exact is not None or not titles:
        return exact
    best = process.extractOne(typed, titles, scorer=fuzz.WRatio,
                              processor=utils.default_process, score_cutoff=SECTION_MATCH)
    return best[0] if best else None
