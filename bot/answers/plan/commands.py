"""/plan: a server's reading plan — set it, see it, move it on, pause and resume it.

Every function returns an Answer (moderator refusals are the surface's: Discord checks Manage
Server before calling these). The rules of where a plan stands are in ``rules.py``; this
module reads and writes the plan through ``ctx.store.plans`` and says what happened.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rapidfuzz import fuzz, process, utils

from bot.answers.core.context import AnswerContext
from bot.answers.core.model import Answer, AnswerKind, Field
from bot.answers.core.text import CHOICES, one_line, shorten
from bot.answers.plan.rules import (
    MAX_PER_WEEK,
    Plan,
    PlanInputError,
    Position,
    advance,
    local_date,
    parse_day,
    pause,
    position,
    resume,
)
from bot.answers.plan.spoilers import spoilers_on
from bot.answers.plan.state import match_section, plan_of
from bot.answers.prompts.context import PromptContext
from bot.answers.prompts.schedule import ScheduleInputError, resolve_timezone
from bot.answers.prompts.view import day_label
from bot.answers.texts.sources import resolve_source
from bot.store.plans import PlanRecord
from bot.store.sources import SectionRecord

DEFAULT_TIMEZONE = "UTC"
SECTIONS_FIELD_MAX = 1000  # the list of sections in /plan, inside an embed field's 1024


def _error(title: str, body: str, suggestions: list[str] | None = None) -> Answer:
    return Answer(AnswerKind.ERROR, title, body, suggestions=suggestions or [])


def _no_plan() -> Answer:
    return Answer(AnswerKind.NOT_FOUND, "No reading plan yet",
                  "A moderator sets one with `/plan set`: a text, then a pace "
                  "(`per_week:1`) or a target (`until:<section> by:<date>`).",
                  suggestions=["/plan set"])


def _titled(sections: list[SectionRecord]) -> list[str]:
    return [s.title for s in sections if s.title]


# ---------------------------------------------------------------- set


def set_plan(ctx: AnswerContext, guild_id: int, user_id: int, text: str, *,
             per_week: int | None = None, until: str | None = None, by: str | None = None,
             first: str | None = None, start: str | None = None,
             timezone: str | None = None, default_timezone: str | None = None) -> Answer:
    """A plan over ``text`` from ``first`` (its first heading by default) to ``until`` (its
    last), at ``per_week`` sections a week or with every section read ``by`` a date."""
    slug, suggestions = resolve_source(ctx, text or "")
    if slug is None:
        return _error(f"No text called “{shorten(one_line(text or ''), 80)}”",
                      "Start typing its title and pick it from the list, or see `/sources`.",
                      suggestions)
    sections = ctx.store.sources.sections(slug)
    titles = _titled(sections)
    if not titles:
        return _error("That text has no sections",
                      "A plan goes through a text's headings, and this one has none. Pick a "
                      "text with chapters or headings.")
    try:
        zone = resolve_timezone(timezone) if timezone else (default_timezone or DEFAULT_TIMEZONE)
    except ScheduleInputError as problem:
        return _error("Unknown time zone", str(problem), problem.suggestions)
    today = local_date(ctx.now(), zone)
    chosen = _span(sections, titles, first, until)
    if isinstance(chosen, Answer):
        return chosen
    try:
        begins = parse_day(start, today) if start else today
        target = parse_day(by, begins) if by else None
    except PlanInputError as problem:
        return _error("Which date?", str(problem))
    if (per_week is None) == (target is None):
        return _error("A pace or a target date",
                      "Give either `per_week` (sections a week) or `by` (the date to have "
                      "read up to `until`), not both or neither.",
                      ["/plan set per_week:1", "/plan set until:<section> by:<date>"])
    if per_week is not None and not 1 <= per_week <= MAX_PER_WEEK:
        return _error("Sections a week", f"`per_week` is 1 to {MAX_PER_WEEK}.")
    if target is not None and target < begins:
        return _error("That date is before the start",
                      f"The plan starts on {day_label(begins)}; `by` must be on or after it.")
    record = PlanRecord(guild_id=guild_id, source_slug=slug, sections=chosen, start=begins,
                        timezone=zone, per_week=per_week, target_date=target, advanced=0,
                        paused_on=None, paused_days=0, updated_by=user_id,
                        updated_at=ctx.now())
    ctx.store.plans.put(record)
    return plan_answer(ctx, record, title="Reading plan set")


def _span(sections: list[SectionRecord], titles: list[str], first: str | None,
          until: str | None) -> tuple[str, ...] | Answer:
    """The headings from ``first`` to ``until`` (both included), in reading order."""
    bounds = []
    for typed, default in ((first, titles[0]), (until, titles[-1])):
        if not typed:
            bounds.append(default)
            continue
        found = match_section(sections, typed)
        if found is None:
            return _error(f"No section “{shorten(one_line(typed), 80)}” in that text",
                          "Start typing and pick one from the list. Its sections: "
                          + shorten("; ".join(titles), 600))
        bounds.append(found)
    begin, end = titles.index(bounds[0]), titles.index(bounds[1])
    if end < begin:
        return _error("The sections are the wrong way round",
                      f"“{bounds[1]}” comes before “{bounds[0]}” in the text.")
    return tuple(titles[begin:end + 1])


# ---------------------------------------------------------------- show


def show_plan(ctx: AnswerContext, guild_id: int) -> Answer:
    record = ctx.store.plans.get(guild_id)
    if record is None:
        return _no_plan()
    return plan_answer(ctx, record)


def plan_answer(ctx: AnswerContext, record: PlanRecord, *, title: str | None = None,
                note: str | None = None) -> Answer:
    plan = plan_of(record)
    today = local_date(ctx.now(), record.timezone)
    at = position(plan, today)
    source = ctx.store.sources.by_slug([record.source_slug]).get(record.source_slug)
    name = source.title if source else record.source_slug
    fields = [Field("Next", _next_line(plan, at)),
              Field("Pace", _pace_line(plan), inline=True),
              Field("Time zone", record.timezone, inline=True),
              Field("Spoiler control",
                    "on: answers stop at this week's section" if spoilers_on(ctx, record.guild_id)
                    else "off (`/config spoilers:true` limits answers to the plan)",
                    inline=True),
              Field("Sections", _section_list(plan, at))]
    if note:
        fields.insert(0, Field("Done", note))
    return Answer(AnswerKind.PLAN, title or f"Reading plan: {shorten(name, 200)}",
                  f"*{name}*\n{_now_line(plan, at)}", fields=fields)


def _names(plan: Plan, indexes: tuple[int, ...]) -> str:
    return ", ".join(f"**{plan.sections[i]}**" for i in indexes)


def _now_line(plan: Plan, at: Position) -> str:
    if not at.started:
        return f"Starts on {day_label(plan.start)} with {_names(plan, at.upcoming)}."
    current = _names(plan, at.current)
    if at.paused:
        return f"Paused at {current} since {day_label(plan.paused_on or plan.start)}."
    if at.finished:
        return f"On the last section of the plan: {current}."
    since = f" (week {at.week + 1}, from {day_label(at.week_began)})" if at.week_began else ""
    return f"This week{since}: {current}."


def _next_line(plan: Plan, at: Position) -> str:
    if not at.upcoming:
        return "Nothing: that is the end of the plan."
    when = (f" from {day_label(at.upcoming_on)}" if at.upcoming_on
            else " when the plan is resumed (`/plan resume`)")
    line = f"{_names(plan, at.upcoming)}{when}"
    if at.last_on and at.last_on != at.upcoming_on:
        line += f"; the last section from {day_label(at.last_on)}"
    return line


def _pace_line(plan: Plan) -> str:
    if plan.per_week is not None:
        return (f"{plan.per_week} section{'s' if plan.per_week != 1 else ''} a week "
                f"from {day_label(plan.start)}")
    assert plan.target is not None
    return f"up to “{plan.sections[-1]}” by {day_label(plan.target)}"


def _section_list(plan: Plan, at: Position) -> str:
    lines = []
    for index, title in enumerate(plan.sections):
        mark = ("▶" if index in at.current else "✓" if index < at.reached and at.started
                else "·")
        lines.append(f"{mark} {index + 1}. {shorten(title, 80)}")
    text = "\n".join(lines)
    return shorten(text, SECTIONS_FIELD_MAX)


# ---------------------------------------------------------------- move


def advance_plan(ctx: AnswerContext, guild_id: int, user_id: int) -> Answer:
    return _move(ctx, guild_id, user_id, "advance")


def pause_plan(ctx: AnswerContext, guild_id: int, user_id: int) -> Answer:
    return _move(ctx, guild_id, user_id, "pause")


def resume_plan(ctx: AnswerContext, guild_id: int, user_id: int) -> Answer:
    return _move(ctx, guild_id, user_id, "resume")


def _move(ctx: AnswerContext, guild_id: int, user_id: int, how: str) -> Answer:
    record = ctx.store.plans.get(guild_id)
    if record is None:
        return _no_plan()
    plan = plan_of(record)
    today = local_date(ctx.now(), record.timezone)
    moved: Plan | None
    if how == "advance":
        moved = advance(plan, today)
        if moved is None:
            return Answer(AnswerKind.NOT_FOUND, "Nothing to move on to",
                          "The group is on the last section of the plan. Set a new plan with "
                          "`/plan set`.")
        note = f"Moved on to {_names(moved, position(moved, today).current)}."
    elif how == "pause":
        if plan.paused:
            return Answer(AnswerKind.NOT_FOUND, "The plan is already paused",
                          "`/plan resume` starts it again.")
        moved, note = pause(plan, today), "Paused: the weeks stop counting until `/plan resume`."
    else:
        if not plan.paused:
            return Answer(AnswerKind.NOT_FOUND, "The plan is not paused",
                          "`/plan pause` stops it.")
        moved, note = resume(plan, today), "Resumed where the group left off."
    ctx.store.plans.update(guild_id, advanced=moved.advanced, paused_on=moved.paused_on,
                           paused_days=moved.paused_days, updated_by=user_id,
                           updated_at=ctx.now())
    if moved.start != plan.start:  # moving on before the start starts the plan today
        ctx.store.plans.put(replace(record, start=moved.start, updated_by=user_id,
                                    updated_at=ctx.now()))
    updated = ctx.store.plans.get(guild_id)
    assert updated is not None
    return plan_answer(ctx, updated, note=note)


# ---------------------------------------------------------------- autocomplete


def section_choices(ctx: AnswerContext, text: str | None, typed: str,
                    limit: int = CHOICES) -> list[tuple[str, str]]:
    """(label, heading) of the chosen text's sections best matching what was typed, in
    reading order when nothing is typed; [] until a text is chosen."""
    slug, _ = resolve_source(ctx, text or "") if text else (None, [])
    if slug is None:
        return []
    titles = _titled(ctx.store.sources.sections(slug))
    typed = one_line(typed)
    if typed:
        found = process.extract(typed, titles, scorer=fuzz.WRatio,
                                processor=utils.default_process, limit=limit, score_cutoff=40)
        titles = [title for title, _, _ in found]
    numbered = {t: n for n, t in enumerate(_titled(ctx.store.sources.sections(slug)), 1)}
    return [(f"{numbered[t]}. {t}", t) for t in titles[:limit]]


def set_server_plan(prompts: PromptContext, guild_id: int, user_id: int, text: str,
                    **options: Any) -> Answer:
    """``set_plan`` with the server's own time zone by default: its daily prompt's."""
    schedule = prompts.store.get_schedule(guild_id)
    return set_plan(prompts.answers, guild_id, user_id, text,
                    default_timezone=schedule.timezone if schedule else None, **options)
