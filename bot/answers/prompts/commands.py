"""/prompt: today's prompt, a server's schedule, and the prompts moderators add and review.

Plain functions returning Answers, so Discord and the CLI give the same replies. Input a user
can get wrong (a time zone, a time, a channel the bot cannot post in) is answered with an
``ERROR`` that says what to do, and changes nothing. What the bot may do in a channel is
measured by the surface (only Discord knows): it passes in the permissions a post would lack,
named as moderators see them ("Embed Links"), and how to name a channel, member or role.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from rapidfuzz import fuzz, process, utils

from bot.answers.core.model import Answer, AnswerKind, Field, Item
from bot.answers.core.text import CHOICES, join_words, one_line, shorten
from bot.answers.prompts.context import PromptContext
from bot.answers.prompts.jobs import history_of, rule_of, upcoming
from bot.answers.prompts.pool import DEFAULT_MODERATOR_TAG, find_anchor, moderator_entry
from bot.answers.prompts.rotation import unused
from bot.answers.prompts.schedule import (
    Rule,
    ScheduleInputError,
    describe_days,
    format_time,
    parse_days,
    parse_time,
    resolve_timezone,
)
from bot.answers.prompts.view import (
    day_label,
    moment_label,
    prompt_answer,
    reading_line,
    stored_prompt_answer,
)
from bot.answers.texts.sources import resolve_source
from bot.corpus.prompts import QUESTION_MAX
from bot.store.prompt_store import CustomRecord, PostRecord, ScheduleRecord

QUESTION_MIN = 15
DUPLICATE_SCORE = 85  # token_sort_ratio: reworded punctuation and order still match
MAX_PENDING_PER_MEMBER = 5  # suggestions waiting per member, so the review list stays usable
MAX_TAGS, TAG_MAX = 5, 40
NO_SCHEDULE = "No daily prompt is scheduled in this server yet."


def _error(title: str, body: str, suggestions: Collection[str] = ()) -> Answer:
    return Answer(AnswerKind.ERROR, title, body, suggestions=list(suggestions))


# ---------------------------------------------------------------- /prompt today


def prompt_today(ctx: PromptContext, guild_id: int | None = None) -> Answer:
    """The server's latest posted prompt; before any post (and in the CLI) the prompt of the
    day, the same for everyone on a given date."""
    now = ctx.clock.now()
    if guild_id is not None:
        posted = next((p for p in ctx.store.latest_posts(guild_id, 10)
                       if p.status == "sent"), None)
        if posted is not None:
            schedule = ctx.store.get_schedule(guild_id)
            today = rule_of(schedule).local_date(now) if schedule else now.date()
            label = "Today's prompt" if posted.local_date == today else "Latest prompt"
            title = f"{label} · {day_label(posted.local_date)}"
            entry = ctx.entry(guild_id, posted.prompt_key or "")
            if entry is None:
                return stored_prompt_answer(posted.prompt_text or "", title, posted.prompt_key)
            return prompt_answer(entry, title)
    week_pool, sections = ctx.week_pool(guild_id)
    pool = sorted(week_pool if sections else ctx.corpus_pool(), key=lambda e: e.key)
    if not pool:
        return Answer(AnswerKind.NOT_FOUND, "No prompts yet",
                      "There are no curated prompts and no quotations to build one from: check "
                      "corpus/prompts.yaml and run `readbot ingest`.")
    day = now.date()
    pick = int(hashlib.sha256(day.isoformat().encode()).hexdigest(), 16) % len(pool)
    note = ("Moderators can post one every day: /prompt schedule" if guild_id is not None
            else None)
    reading = reading_line(pool[pick]) if sections else None
    return prompt_answer(pool[pick], f"Prompt of the day · {day_label(day)}", note=note,
                         reading=reading)


# ---------------------------------------------------------------- scheduling


@dataclass(frozen=True, slots=True)
class Target:
    """Where a server's prompt goes, for the surface to check its own permissions there."""

    channel_id: int
    thread: bool
    role_id: int | None


def schedule_target(ctx: PromptContext, guild_id: int) -> Target | None:
    schedule = ctx.store.get_schedule(guild_id)
    return Target(schedule.channel_id, schedule.open_thread, schedule.role_id) if schedule else None


def schedule_prompts(ctx: PromptContext, guild_id: int, user_id: int, *, channel_id: int,
                     time_text: str, timezone_text: str, days_text: str | None = None,
                     thread: bool = False, role_id: int | None = None,
                     role_is_everyone: bool = False,
                     missing_permissions: Sequence[str] = ()) -> Answer:
    """Create or replace the server's schedule, after checking every input (nothing changes
    unless all of it is right)."""
    try:
        local_time = parse_time(time_text)
        timezone = resolve_timezone(timezone_text)
        days = parse_days(days_text)
    except ScheduleInputError as exc:
        return _error("That schedule was not saved", str(exc), exc.suggestions)
    if role_is_everyone:
        return _error("That schedule was not saved",
                      "Pick a role to ping (or none), not @everyone: the daily prompt should only "
                      "notify people who asked for it.")
    if missing_permissions:
        return _cannot_post(ctx, channel_id, missing_permissions, "That schedule was not saved")
    now = ctx.clock.now()
    record = ScheduleRecord(
        guild_id=guild_id, channel_id=channel_id, local_time=format_time(local_time),
        timezone=timezone, days=days, open_thread=thread, role_id=role_id, paused=False,
        pause_reason=None, active_since=now, next_check_at=None, note=None, updated_by=user_id,
        updated_at=now)
    record = _with_next_check(ctx, record, now)
    ctx.store.save_schedule(record)
    return status_answer(ctx, record, now, "Daily prompt scheduled")


def _cannot_post(ctx: PromptContext, channel_id: int, missing: Sequence[str],
                 title: str) -> Answer:
    return _error(title, f"I can't post the prompt in {ctx.markup.channel(channel_id)}: I am "
                  f"missing the {join_words(missing)} permission there. Give my role that "
                  "permission in the channel (or choose another channel), then try again.")


def _with_next_check(ctx: PromptContext, record: ScheduleRecord, now: datetime
                     ) -> ScheduleRecord:
    slot = upcoming(ctx, record, now)
    return ScheduleRecord(**{**{n: getattr(record, n) for n in ScheduleRecord.__slots__},
                             "next_check_at": slot.at})


def pause_prompts(ctx: PromptContext, guild_id: int, user_id: int) -> Answer:
    schedule = ctx.store.get_schedule(guild_id)
    if schedule is None:
        return _error(NO_SCHEDULE, "There is nothing to pause.", ["/prompt schedule"])
    now = ctx.clock.now()
    if not schedule.paused:
        ctx.store.update_schedule(guild_id, paused=True, next_check_at=None, updated_by=user_id,
                                  updated_at=now,
                                  pause_reason=f"Paused by {ctx.markup.user(user_id)} on "
                                               f"{moment_label(now)}.")
    return status_answer(ctx, _reload(ctx, guild_id), now,
                         "Daily prompt paused" if not schedule.paused else "Already paused")


def resume_prompts(ctx: PromptContext, guild_id: int, user_id: int, *,
                   missing_permissions: Sequence[str] = (), channel_exists: bool = True
                   ) -> Answer:
    """Start again from now (days missed while paused are not caught up), once the bot can
    post in the channel again."""
    schedule = ctx.store.get_schedule(guild_id)
    if schedule is None:
        return _error(NO_SCHEDULE, "There is nothing to resume.", ["/prompt schedule"])
    now = ctx.clock.now()
    if not schedule.paused:
        return status_answer(ctx, schedule, now, "The daily prompt is already running")
    if not channel_exists:
        return _error("Still paused", f"The channel {ctx.markup.channel(schedule.channel_id)} no "
                      "longer exists. Choose another one with `/prompt schedule`.",
                      ["/prompt schedule"])
    if missing_permissions:
        return _cannot_post(ctx, schedule.channel_id, missing_permissions, "Still paused")
    resumed = ScheduleRecord(**{**{n: getattr(schedule, n) for n in ScheduleRecord.__slots__},
                                "paused": False, "pause_reason": None, "active_since": now,
                                "note": None, "updated_by": user_id, "updated_at": now})
    resumed = _with_next_check(ctx, resumed, now)
    ctx.store.save_schedule(resumed)
    return status_answer(ctx, resumed, now, "Daily prompt resumed")


def skip_next(ctx: PromptContext, guild_id: int, user_id: int) -> Answer:
    """Skip the next post (the prompt it would have used is kept for the one after)."""
    schedule = ctx.store.get_schedule(guild_id)
    if schedule is None:
        return _error(NO_SCHEDULE, "There is nothing to skip.", ["/prompt schedule"])
    if schedule.paused:
        return _error("The daily prompt is paused", "Nothing will be posted until it is resumed,"
                      " so there is nothing to skip.", ["/prompt resume"])
    now = ctx.clock.now()
    slot = upcoming(ctx, schedule, now)
    marked = ctx.store.insert_marker(guild_id=guild_id, local_date=slot.local_date,
                                     scheduled_for=slot.at, status="skipped",
                                     note=f"Skipped by {ctx.markup.user(user_id)}.")
    if not marked:
        return _error("Too late to skip", "That post is already on its way.")
    schedule = _reload(ctx, guild_id)
    ctx.store.update_schedule(guild_id, next_check_at=upcoming(ctx, schedule, now).at)
    return status_answer(ctx, _reload(ctx, guild_id), now,
                         f"Skipped the post for {day_label(slot.local_date)}")


def prompt_status(ctx: PromptContext, guild_id: int) -> Answer:
    schedule = ctx.store.get_schedule(guild_id)
    if schedule is None:
        return Answer(AnswerKind.NOT_FOUND, NO_SCHEDULE,
                      "A moderator can set one up with `/prompt schedule`; `/prompt today` shows "
                      "a prompt meanwhile.", suggestions=["/prompt schedule", "/prompt today"])
    return status_answer(ctx, schedule, ctx.clock.now(), "Daily prompt")


def _reload(ctx: PromptContext, guild_id: int) -> ScheduleRecord:
    schedule = ctx.store.get_schedule(guild_id)
    assert schedule is not None
    return schedule


def status_answer(ctx: PromptContext, schedule: ScheduleRecord, now: datetime,
                  title: str) -> Answer:
    """Where, when, the next post (server time and UTC), what is left of the pool, and any
    problem. The state and problems lead the description; at most five fields, so a Discord
    embed shows it all on one page."""
    rule = rule_of(schedule)
    when = f"{schedule.local_time} {schedule.timezone}, {describe_days(schedule.days)}"
    ping = ctx.markup.role(schedule.role_id) if schedule.role_id else "none"
    where = (f"{ctx.markup.channel(schedule.channel_id)} · thread: "
             f"{'yes' if schedule.open_thread else 'no'} · ping: {ping}")
    pool = ctx.pool(schedule.guild_id)
    left = len(unused(pool, history_of(ctx, schedule.guild_id)))
    fields = [Field("Where", where, inline=True), Field("When", when, inline=True),
              Field("Next post", _next_post(ctx, schedule, rule, now)),
              Field("Prompts left before the pool repeats", f"{left} of {len(pool)}")]
    recent = ctx.store.latest_posts(schedule.guild_id, 3)
    if recent:
        fields.append(Field("Recent posts", "\n".join(_log_line(p) for p in recent)))
    if schedule.paused:
        state = f"**Paused.** {schedule.pause_reason or ''}".strip()
    else:
        state = f"Posting at {when}."
    if schedule.note:
        state += f"\n\nNote: {schedule.note}"
    return Answer(AnswerKind.PROMPT_SCHEDULE, title, state, fields=fields)


def _next_post(ctx: PromptContext, schedule: ScheduleRecord, rule: Rule, now: datetime) -> str:
    if schedule.paused:
        return "none while paused (/prompt resume)"
    slot = upcoming(ctx, schedule, now)
    return f"{moment_label(slot.at, rule.zone)} ({schedule.timezone})\n{moment_label(slot.at)}"


def _log_line(post: PostRecord) -> str:
    day = f"{post.local_date:%a} {post.local_date.day} {post.local_date:%b}"
    if post.status == "sent":
        return f"{day}: sent — “{shorten(one_line(post.prompt_text or ''), 80)}”"
    detail = f" — {shorten(one_line(post.error), 140)}" if post.error else ""
    return f"{day}: {post.status}{detail}"


def schedule_check(ctx: PromptContext) -> Answer:
    """Every server's next post time in its own zone and in UTC (for `readbot schedule-check`)."""
    now = ctx.clock.now()
    items = []
    for schedule in ctx.store.all_schedules():
        rule = rule_of(schedule)
        when = f"channel {schedule.channel_id} · {schedule.local_time} {schedule.timezone}, " \
               f"{describe_days(schedule.days)}"
        if schedule.paused:
            body = f"{when}\npaused: {schedule.pause_reason or 'by a moderator'}"
        else:
            at = upcoming(ctx, schedule, now).at
            body = f"{when}\nnext post: {moment_label(at, rule.zone)} = {moment_label(at)}"
        items.append(Item(title=f"Server {schedule.guild_id}", body=body))
    title = f"Daily prompt schedules: {len(items)} server(s)"
    return Answer(AnswerKind.PROMPT_SCHEDULE, title,
                  "" if items else "No server has scheduled a daily prompt yet.", items=items)


# ---------------------------------------------------------------- moderators' prompts


def add_prompt(ctx: PromptContext, guild_id: int, user_id: int, question: str, *,
               source: str | None = None, about: str | None = None,
               tags: str | None = None) -> Answer:
    return _store_prompt(ctx, guild_id, user_id, question, source, about, tags, status="active")


def suggest_prompt(ctx: PromptContext, guild_id: int, user_id: int, question: str, *,
                   source: str | None = None) -> Answer:
    pending = [r for r in ctx.store.list_custom(guild_id, ("pending",))
               if r.author_id == user_id]
    if len(pending) >= MAX_PENDING_PER_MEMBER:
        return _error("Your suggestions are still waiting",
                      f"You have {len(pending)} suggestions waiting for a moderator; please wait "
                      "until they are reviewed.")
    return _store_prompt(ctx, guild_id, user_id, question, source, None, None, status="pending")


def _store_prompt(ctx: PromptContext, guild_id: int, user_id: int, question: str,
                  source: str | None, about: str | None, tags: str | None, *,
                  status: str) -> Answer:
    verb = "added" if status == "active" else "suggested"
    question = " ".join((question or "").split())
    if not QUESTION_MIN <= len(question) <= QUESTION_MAX:
        return _error(f"That prompt was not {verb}",
                      f"A prompt is a question of {QUESTION_MIN} to {QUESTION_MAX} characters.")
    slug, anchor_problem = _anchor_slug(ctx, source, about)
    if anchor_problem is not None:
        return anchor_problem
    tag_list = [t.strip()[:TAG_MAX] for t in (tags or "").split(",") if t.strip()][:MAX_TAGS]
    duplicate = near_duplicate(ctx, guild_id, question)
    record = ctx.store.add_custom(guild_id=guild_id, question=question, source_slug=slug,
                                  evidence=about.strip() if about and slug else None, tags=tag_list,
                                  status=status, author_id=user_id, now=ctx.clock.now(),
                                  duplicate_of=duplicate[0] if duplicate else None,
                                  duplicate_score=duplicate[1] if duplicate else None)
    anchor = find_anchor(ctx.answers.store, slug, record.evidence) if slug else None
    entry = moderator_entry(record.id, question, record.tags, anchor)
    flag = (f"Close to an existing prompt ({duplicate[1]:.0f}% alike): "
            f"“{shorten(duplicate[0], 200)}”" if duplicate else None)
    if status == "active":
        return prompt_answer(entry, f"Added prompt #{record.id}: it goes out next",
                             note=flag)
    note = "A moderator will review it." + (f" {flag}" if flag else "")
    return prompt_answer(entry, f"Thanks! Suggestion #{record.id} is waiting for review",
                         note=note)


def _anchor_slug(ctx: PromptContext, source: str | None, about: str | None
                 ) -> tuple[str | None, Answer | None]:
    """The text a prompt is about (and that the phrase really is in it), or an error."""
    if not source or not source.strip():
        if about and about.strip():
            return None, _error("Which text is that phrase from?",
                                "Give the text as `source` along with the phrase.")
        return None, None
    slug, suggestions = resolve_source(ctx.answers, source)
    if slug is None:
        return None, _error(f"I don't know the text “{shorten(source, 60)}”",
                            "Pick one of the texts (start typing its title).", suggestions)
    phrase = (about or "").strip()
    if phrase and find_anchor(ctx.answers.store, slug, phrase) is None:
        return None, _error("I couldn't find that phrase",
                            f"“{shorten(phrase, 80)}” is not in `{slug}`. Paste a few "
                            "words exactly as the text has them.")
    return slug, None


def near_duplicate(ctx: PromptContext, guild_id: int, question: str
                   ) -> tuple[str, float] | None:
    """The most similar existing prompt (pool, this server's prompts and waiting suggestions)
    if it is close enough to be the same question reworded."""
    choices = [e.question for e in ctx.pool(guild_id)]
    choices += [r.question for r in ctx.store.list_custom(guild_id, ("pending",))]
    match = process.extractOne(question, choices, scorer=fuzz.token_sort_ratio,
                               processor=utils.default_process, score_cutoff=DUPLICATE_SCORE)
    return (match[0], float(match[1])) if match else None


def list_prompts(ctx: PromptContext, guild_id: int) -> Answer:
    records = ctx.store.list_custom(guild_id, ("active", "pending"))
    corpus = len(ctx.corpus_pool())
    items = [_custom_item(ctx, r) for r in records]
    waiting = sum(r.status == "pending" for r in records)
    title = f"This server's prompts: {len(records) - waiting} added, {waiting} suggested"
    body = (f"Besides these, {corpus} prompts come from the texts themselves. "
            "Moderators: `/prompt approve`, `/prompt decline`, `/prompt remove` take the number.")
    if not records:
        body = (f"None yet: `/prompt add` adds one (it goes out next), members can "
                f"`/prompt suggest`. Meanwhile {corpus} prompts come from the texts themselves.")
    return Answer(AnswerKind.PROMPTS, title, body, items=items)


def _custom_item(ctx: PromptContext, record: CustomRecord) -> Item:
    label = ("added" if record.status == "active"
             else f"suggested by {ctx.markup.user(record.author_id)}")
    tags = ", ".join(record.tags) or DEFAULT_MODERATOR_TAG
    body = record.question
    if record.duplicate_of:
        body += (f"\n⚠ near-duplicate ({record.duplicate_score or 0:.0f}%) of "
                 f"“{shorten(record.duplicate_of, 120)}”")
    return Item(title=f"#{record.id} · {label} · {tags}", body=body)


def remove_prompt(ctx: PromptContext, guild_id: int, user_id: int, prompt_id: int) -> Answer:
    return _review(ctx, guild_id, user_id, prompt_id, ("active",), "removed",
                   "Removed prompt #{id}", "It will not be posted again.")


def approve_suggestion(ctx: PromptContext, guild_id: int, user_id: int,
                       prompt_id: int) -> Answer:
    return _review(ctx, guild_id, user_id, prompt_id, ("pending",), "active",
                   "Approved suggestion #{id}", "It goes out next.")


def decline_suggestion(ctx: PromptContext, guild_id: int, user_id: int, prompt_id: int,
                       reason: str | None = None) -> Answer:
    return _review(ctx, guild_id, user_id, prompt_id, ("pending",), "declined",
                   "Declined suggestion #{id}", "It will not be posted.",
                   note=shorten(one_line(reason), 300) if reason else None)


def _review(ctx: PromptContext, guild_id: int, user_id: int, prompt_id: int,
            from_statuses: tuple[str, ...], status: str, title: str, body: str,
            note: str | None = None) -> Answer:
    record = ctx.store.get_custom(guild_id, prompt_id)
    changed = record is not None and ctx.store.review_custom(guild_id, prompt_id,
                                                             from_statuses=from_statuses,
                                                             status=status, reviewer=user_id,
                                                             now=ctx.clock.now(), note=note)
    if not changed or record is None:
        kind = "suggestion waiting for review" if from_statuses == ("pending",) else "prompt"
        options = [f"#{r.id}" for r in ctx.store.list_custom(guild_id, from_statuses)][:5]
        return _error(f"No {kind} #{prompt_id} here", "`/prompt list` shows the numbers.",
                      options)
    return Answer(AnswerKind.PROMPTS, title.format(id=prompt_id), body,
                  items=[Item(title=f"#{record.id}", body=record.question)])


def custom_choices(ctx: PromptContext, guild_id: int, statuses: tuple[str, ...], typed: str,
                   limit: int = CHOICES) -> list[tuple[int, str]]:
    """(id, '#12 · question…') for autocomplete, best match for what was typed first."""
    records = ctx.store.list_custom(guild_id, statuses)
    typed = (typed or "").strip().lstrip("#").lower()
    if typed:
        records = [r for r in records if typed in str(r.id) or typed in r.question.lower()]
    return [(r.id, shorten(f"#{r.id} · {one_line(r.question)}", 100)) for r in records[:limit]]


# ---------------------------------------------------------------- typed commands (CLI)

SUBCOMMANDS = ("today", "status", "schedule", "pause", "resume", "skip", "add", "list",
               "remove", "suggest", "approve", "decline")


def prompt_command(ctx: PromptContext | None, rest: str) -> Answer:
    """``/prompt [today]`` typed in the CLI or console; the rest need a Discord server."""
    sub = (rest or "").strip().split(" ", 1)[0].lower() or "today"
    if ctx is None:
        return _error("Prompts are not available here", "This surface was started without the "
                      "prompt pool.")
    if sub == "today":
        return prompt_today(ctx, None)
    if sub in SUBCOMMANDS:
        return _error(f"/prompt {sub} works in a Discord server",
                      "It reads or changes that server's schedule and prompts. Here you can see "
                      "the prompt of the day with `/prompt today`; `readbot schedule-check` "
                      "lists every server's next post.", ["/prompt today"])
    near = [match for match, score, _ in process.extract(sub, SUBCOMMANDS, limit=2)
            if score >= 60]
    return _error(f"Unknown prompt command {shorten(sub, 30)}",
                  "Try `/prompt today`.", [f"/prompt {n}" for n in near] or ["/prompt today"])
