"""Spoiler control and the plan commands on the real corpus, through the store.

"We know our duty" (life-of-leon-trotsky) has ten headings; a group reading it one a week is,
in week two, on "1905 and the theory of permanent revolution" (paragraphs 11-18). Its
Zimmerwald section (paragraphs 26-27) and everything after must then stay out of answers,
counted; the other texts are not in the plan and are not limited.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.answers.conversation.router import ask
from bot.answers.conversation.settings import configure
from bot.answers.core.context import AnswerContext
from bot.answers.core.model import AnswerKind
from bot.answers.plan import commands as plans
from bot.answers.plan.spoilers import limited, upto_limits, within_reach
from bot.answers.prompts.commands import prompt_today
from bot.answers.prompts.context import PromptContext
from bot.answers.prompts.pool import SECTION_QUESTION, section_entry
from bot.answers.quote.answer import quote
from bot.answers.texts.search import search
from tests.answer_helpers import build_context
from tests.prompt_helpers import CURATED

GUILD = 424242
MOD = 7
TEXT = "life-of-leon-trotsky"
WEEK_TWO = datetime(2024, 1, 16, 12, tzinfo=UTC)  # a plan from Monday 8 January, week two
PERMANENT = "1905 and the theory of permanent revolution"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> AnswerContext:
    ctx = build_context(tmp_path_factory.mktemp("spoilers") / "store.sqlite3")
    return replace(ctx, now=lambda: WEEK_TWO)


def weekly_plan(ctx: AnswerContext, guild: int = GUILD) -> None:
    answer = plans.set_plan(ctx, guild, MOD, "We know our duty", per_week=1,
                            start="2024-01-08", timezone="Europe/London")
    assert answer.kind is AnswerKind.PLAN, answer


def test_a_search_whose_best_hit_is_in_a_later_section_is_withheld_and_counted(
        base: AnswerContext) -> None:
    everything = search(base, "Zimmerwald manifesto")
    best = everything.items[0].source
    assert best is not None and best.slug == TEXT and best.section == "The Zimmerwald manifesto"
    limits = upto_limits(base, f"{TEXT}:{PERMANENT}")
    assert not isinstance(limits, type(everything))
    answer = limited(base, limits, search, "Zimmerwald manifesto")
    shown = [item.source for item in answer.items if item.source]
    assert all(ref.slug != TEXT or (ref.paragraph is not None and ref.paragraph <= 18)
               for ref in shown)
    withheld = sum(1 for item in everything.items
                   if item.source and item.source.slug == TEXT
                   and item.source.paragraph is not None and item.source.paragraph > 18)
    text = answer.body + " ".join(f.value for f in answer.fields)
    assert f"{withheld} more in sections you haven't reached yet" in text
    assert f"the reading plan is at “{PERMANENT}”" in text


def test_texts_outside_the_plan_and_reached_sections_are_still_answered(
        base: AnswerContext) -> None:
    limits = upto_limits(base, f"{TEXT}:{PERMANENT}")
    assert isinstance(limits, dict)
    answer = limited(base, limits, search, "permanent revolution")
    slugs = {item.source.slug for item in answer.items if item.source}
    assert TEXT in slugs  # its own section on permanent revolution is reached
    assert slugs - {TEXT}  # the essays not in the plan are not limited
    # The same results as without the limit, less those past the plan, in the same order.
    everything = search(base, "permanent revolution")
    reached = [i for i in everything.items
               if i.source and (i.source.slug != TEXT or (i.source.paragraph or 0) <= 18)]
    assert [i.source for i in answer.items] == [i.source for i in reached]


def test_quote_and_plain_questions_stop_at_the_plan(base: AnswerContext) -> None:
    limits = upto_limits(base, f"{TEXT}:Always with his class")
    assert isinstance(limits, dict)
    unlimited = quote(base, "the Zimmerwald manifesto")
    if unlimited.kind is AnswerKind.QUOTE:  # the words are quoted only in later sections
        assert all(ref.slug != TEXT or (ref.paragraph or 0) > 10 for ref in unlimited.sources)
    answer = limited(base, limits, quote, "the Zimmerwald manifesto")
    assert all(ref.slug != TEXT or (ref.paragraph or 0) <= 10 for ref in answer.sources)
    asked = limited(base, limits, ask, "what did the Zimmerwald manifesto say?")
    assert all(ref.slug != TEXT or (ref.paragraph or 0) <= 10 for ref in asked.sources)
    assert all(item.source is None or item.source.slug != TEXT
               or (item.source.paragraph or 0) <= 10 for item in asked.items)


def test_spoiler_control_is_off_by_default_and_follows_the_plan_when_on(
        base: AnswerContext) -> None:
    guild = GUILD + 1
    weekly_plan(base, guild)
    off = within_reach(base, guild, search, "Zimmerwald manifesto")
    assert off.items[0].source and off.items[0].source.section == "The Zimmerwald manifesto"
    settings = configure(base, guild, spoilers=True)
    assert "answers stop at" in settings.fields[1].value
    on = within_reach(base, guild, search, "Zimmerwald manifesto")
    assert all(i.source and (i.source.slug != TEXT or i.source.section in (
        "Always with his class", PERMANENT, None)) for i in on.items)
    assert any("more in sections you haven't reached yet" in f.value for f in on.fields) \
        or "more in sections you haven't reached yet" in on.body
    # Two advances later the group is on the Zimmerwald section: it is answered again.
    plans.advance_plan(base, guild, MOD)
    plans.advance_plan(base, guild, MOD)
    moved = within_reach(base, guild, search, "Zimmerwald manifesto")
    assert moved.items[0].source and moved.items[0].source.section == "The Zimmerwald manifesto"
    assert within_reach(base, None, search, "Zimmerwald manifesto").items  # a DM: no plan


def test_plan_shows_this_week_what_comes_next_and_the_dates(base: AnswerContext) -> None:
    guild = GUILD + 2
    weekly_plan(base, guild)
    shown = plans.show_plan(base, guild)
    assert shown.kind is AnswerKind.PLAN
    assert f"This week (week 2, from Monday 15 January 2024): **{PERMANENT}**" in shown.body
    fields = {f.name: f.value for f in shown.fields}
    assert fields["Next"].startswith("**1907-1916 — the years of reaction and war** from "
                                     "Monday 22 January 2024")
    assert "the last section from Monday 11 March 2024" in fields["Next"]
    assert fields["Time zone"] == "Europe/London"
    assert "▶ 2." in fields["Sections"] and "✓ 1." in fields["Sections"]
    paused = plans.pause_plan(base, guild, MOD)
    assert "Paused at" in paused.body and "when the plan is resumed" in paused.fields[1].value


def test_bad_plans_are_refused_with_what_to_do(base: AnswerContext) -> None:
    cases = {
        "struggle against stalinism": {"per_week": 1},  # a text with no headings
        TEXT: {},  # neither a pace nor a target
    }
    for text, options in cases.items():
        answer = plans.set_plan(base, GUILD + 3, MOD, text, **options)  # type: ignore[arg-type]
        assert answer.kind is AnswerKind.ERROR and answer.body
    wrong = plans.set_plan(base, GUILD + 3, MOD, TEXT, until="Always with his class",
                           first="The Fourth International", by="1 March")
    assert wrong.title == "The sections are the wrong way round"
    unknown = plans.set_plan(base, GUILD + 3, MOD, TEXT, until="Chapter Nine", by="1 March")
    assert "Zimmerwald" in unknown.body  # it lists the text's sections
    assert plans.show_plan(base, GUILD + 3).kind is AnswerKind.NOT_FOUND  # nothing was saved
    target = plans.set_plan(base, GUILD + 3, MOD, TEXT, until="the zimmerwald manifest",
                            by="2024-02-05", start="2024-01-08")
    assert target.kind is AnswerKind.PLAN
    assert {f.name: f.value for f in target.fields}["Pace"] == (
        "up to “The Zimmerwald manifesto” by Monday 5 February 2024")


def test_sections_autocomplete_from_the_chosen_text(base: AnswerContext) -> None:
    found = plans.section_choices(base, TEXT, "zimer")
    assert found[0] == ("4. The Zimmerwald manifesto", "The Zimmerwald manifesto")
    assert len(plans.section_choices(base, TEXT, "")) == 10
    assert plans.section_choices(base, None, "zimer") == []


def test_the_daily_prompt_comes_from_the_week_s_section(base: AnswerContext) -> None:
    from bot.store.prompt_store import PromptRepository
    from tests.prompt_helpers import FakeClock

    prompts = PromptContext(answers=base, store=PromptRepository(base.store.state),
                            curated=CURATED, clock=FakeClock(WEEK_TWO))
    guild = GUILD + 4
    weekly_plan(base, guild)
    pool, sections = prompts.week_pool(guild)
    assert sections == (PERMANENT,)
    assert pool and all(e.source and e.source.section == PERMANENT for e in pool)
    today = prompt_today(prompts, guild)
    assert {f.name: f.value for f in today.fields}["Section"].startswith(f"“{PERMANENT}”")
    plans.advance_plan(base, guild, MOD)  # "1907-1916 — the years of reaction and war"
    plans.advance_plan(base, guild, MOD)  # "The Zimmerwald manifesto"
    pool, sections = prompts.week_pool(guild)
    assert sections == ("The Zimmerwald manifesto",)
    assert pool and all(e.source and e.source.section == "The Zimmerwald manifesto"
                        for e in pool)
    # A section no prompt is about still gets one, on the section itself, that a retry of
    # its post finds again by its key.
    own = section_entry(base.store, "revolutionary-appraised", "Conclusions")
    assert own is not None and own.question == SECTION_QUESTION.format(section="Conclusions")
    assert own.source and own.source.section == "Conclusions" and own.excerpt
    assert prompts.entry(guild, own.key) == own


def test_upto_refuses_what_it_cannot_read(base: AnswerContext, tmp_path: Path) -> None:
    for typed in ("life-of-leon-trotsky", "nosuchtext:Intro", f"{TEXT}:Chapter Nine"):
        answer = upto_limits(base, typed)
        assert not isinstance(answer, dict) and answer.kind is AnswerKind.ERROR
