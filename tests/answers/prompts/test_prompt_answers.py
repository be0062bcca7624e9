"""/prompt answers and the scheduler's domain steps through the real store, with a fake clock
(no Discord: what only Discord knows, such as permissions, is passed in)."""

from __future__ import annotations

import asyncio
import itertools
import re
import sqlite3
from datetime import date

import pytest

from bench.scheduler_sim import FakeDiscord, Killed, SimClock
from bot.answers.conversation.router import ask
from bot.answers.core.model import AnswerKind
from bot.answers.prompts import commands as prompts
from bot.answers.prompts.delivery import deliver
from bot.answers.prompts.jobs import claim_due, hasten_retries, record_failure, record_sent
from bot.answers.prompts.schedule import PostFailure
from bot.cli.main import main as cli_main
from tests.answer_helpers import store_copy
from tests.corpus_helpers import REPO
from tests.prompt_helpers import CURATED, FakeClock, Store, prompt_context, shared_store, utc

CHANNEL, MODERATOR, MEMBER = 1111, 2222, 3333
_guilds = itertools.count(1)


def only(guild: int):
    """This test's server: the module's store holds other tests' servers too."""
    return lambda guild_id: guild_id == guild


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, backend: str) -> Store:
    return shared_store(tmp_path_factory, backend)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(utc(2024, 1, 15, 8))  # a Monday morning, GMT in London


@pytest.fixture
def ctx(store: Store, clock: FakeClock):
    context = prompt_context(store, clock)
    yield context
    context.answers.store.engine.dispose()


@pytest.fixture
def guild() -> int:
    return (next(_guilds) << 22) + 7  # a fresh server per test; all on shard 0 of 1


def schedule(ctx, guild: int, **options):
    values = {"channel_id": CHANNEL, "time_text": "09:00", "timezone_text": "Europe/London",
              **options}
    return prompts.schedule_prompts(ctx, guild, MODERATOR, **values)


def fields(answer) -> dict[str, str]:
    return {f.name: f.value for f in answer.fields}


def post_due(ctx, clock: FakeClock, guild: int):
    """One scheduler pass that 'sends' everything it claims, like the Discord loop."""
    jobs = [j for j in claim_due(ctx, clock.now(), only(guild)) if j.guild_id == guild]
    for number, job in enumerate(jobs, start=1):
        record_sent(ctx, job, message_id=10_000 + number, thread_id=None, thread_error=None,
                    now=clock.now())
    return jobs


# ---------------------------------------------------------------- /prompt schedule


@pytest.mark.parametrize(("options", "expected"), [
    ({"timezone_text": "Europe/Londn"}, "Europe/London"),
    ({"timezone_text": "CET"}, "Europe/Paris"),
    ({"time_text": "25:00"}, "0-23"),
    ({"days_text": "mon,funday"}, "funday"),
    ({"missing_permissions": ["Embed Links"]}, "Embed Links"),
    ({"missing_permissions": ["Send Messages", "Embed Links"]}, "Send Messages and Embed Links"),
    ({"thread": True, "missing_permissions": ["Create Public Threads"]},
     "Create Public Threads"),
    ({"role_id": 5, "missing_permissions": ["Mention All Roles"]}, "Mention All Roles"),
    ({"role_id": 5, "role_is_everyone": True}, "@everyone"),
])
def test_bad_input_is_explained_and_changes_nothing(ctx, guild, options, expected) -> None:
    answer = schedule(ctx, guild, **options)
    assert answer.kind is AnswerKind.ERROR
    assert expected in answer.body + " ".join(answer.suggestions)
    assert ctx.store.get_schedule(guild) is None
    assert prompts.prompt_status(ctx, guild).kind is AnswerKind.NOT_FOUND


def test_a_bad_change_leaves_the_existing_schedule_alone(ctx, guild) -> None:
    assert schedule(ctx, guild).kind is AnswerKind.PROMPT_SCHEDULE
    before = ctx.store.get_schedule(guild)
    assert schedule(ctx, guild, time_text="10:00", timezone_text="Mars/Olympus").kind is \
        AnswerKind.ERROR
    assert ctx.store.get_schedule(guild) == before


def test_status_shows_the_next_post_in_server_time_and_utc(ctx, clock, guild) -> None:
    clock.set(2024, 3, 30, 10)  # after Saturday's post time: next is Sunday, the DST day
    answer = schedule(ctx, guild, days_text="weekends", thread=True, role_id=77)
    shown = fields(answer)
    assert shown["Next post"] == ("Sun 31 Mar 2024, 09:00 BST (Europe/London)\n"
                                  "Sun 31 Mar 2024, 08:00 UTC")
    assert shown["When"] == "09:00 Europe/London, weekends"
    assert shown["Where"] == f"channel {CHANNEL} · thread: yes · ping: role 77"
    assert len(answer.fields) <= 5  # one embed page
    left, total = shown["Prompts left before the pool repeats"].split(" of ")
    assert left == total and int(total) >= len(CURATED)


# ---------------------------------------------------------------- posting


def test_a_due_post_is_claimed_once_and_today_shows_it(ctx, clock, guild) -> None:
    schedule(ctx, guild)
    clock.set(2024, 1, 15, 8, 59)
    assert post_due(ctx, clock, guild) == []
    clock.set(2024, 1, 15, 9, 0)
    (job,) = post_due(ctx, clock, guild)
    assert job.local_date == date(2024, 1, 15) and job.channel_id == CHANNEL
    assert job.answer.title == "Daily prompt · Monday 15 January 2024"
    assert job.answer.kind is AnswerKind.PROMPT and "Source" in fields(job.answer)
    clock.set(2024, 1, 15, 9, 30)
    assert post_due(ctx, clock, guild) == []
    today = prompts.prompt_today(ctx, guild)
    assert today.title == "Today's prompt · Monday 15 January 2024"
    assert today.body == job.answer.body
    status = fields(prompts.prompt_status(ctx, guild))
    assert "Mon 15 Jan: sent" in status["Recent posts"]
    assert status["Next post"].startswith("Tue 16 Jan 2024, 09:00 GMT")


def test_no_repeats_and_topics_rotate_day_after_day(ctx, clock, guild) -> None:
    schedule(ctx, guild)
    questions, tags = [], []
    for day in range(15, 22):
        clock.set(2024, 1, day, 9, 1)
        (job,) = post_due(ctx, clock, guild)
        questions.append(job.answer.body)
        entry = ctx.entry(guild, job.answer.ref)
        tags.append(entry.primary_tag)
    assert len(set(questions)) == 7
    assert all(a != b for a, b in itertools.pairwise(tags))


def test_a_post_missed_past_the_grace_period_is_skipped_and_noted(ctx, clock, guild) -> None:
    schedule(ctx, guild)
    clock.set(2024, 1, 15, 12, 30)  # 3.5 h late: the bot was down
    assert post_due(ctx, clock, guild) == []
    assert ctx.store.post_for(guild, date(2024, 1, 15)).status == "missed"
    note = prompts.prompt_status(ctx, guild).body
    assert "Note: The post for Monday 15 January 2024 was skipped" in note
    assert "grace period" in note
    clock.set(2024, 1, 16, 9, 0)
    assert len(post_due(ctx, clock, guild)) == 1  # the next day goes out as usual


def test_a_post_interrupted_mid_send_is_retried_with_the_same_prompt_and_nonce(
        ctx, clock, guild) -> None:
    schedule(ctx, guild)
    clock.set(2024, 1, 15, 9, 0)
    (first,) = claim_due(ctx, clock.now(), only(guild))  # ...and the process dies here
    clock.set(2024, 1, 15, 9, 1)
    assert claim_due(ctx, clock.now(), only(guild)) == []  # the claim may still be in flight
    clock.set(2024, 1, 15, 9, 2)
    (second,) = claim_due(ctx, clock.now(), only(guild))
    assert (second.post_id, second.nonce, second.answer) == (first.post_id, first.nonce,
                                                            first.answer)
    assert second.attempt == 2 and second.token != first.token


def test_permanent_failures_are_retried_then_pause_with_the_reason(ctx, clock, guild) -> None:
    schedule(ctx, guild)
    clock.set(2024, 1, 15, 9, 0)
    for minute in (0, 1, 6):  # attempts at 09:00, then after 60 s and 300 s of back-off
        clock.set(2024, 1, 15, 9, minute)
        (job,) = claim_due(ctx, clock.now(), only(guild))
        lost = PostFailure("permanent", "I am no longer allowed to post there (Missing "
                           "Permissions), error 50013", f"<#{job.channel_id}>")
        record_failure(ctx, job, lost, now=clock.now())
    saved = ctx.store.get_schedule(guild)
    assert saved.paused and "Missing Permissions" in saved.pause_reason
    status = prompts.prompt_status(ctx, guild)
    assert status.body.startswith("**Paused.** I could not post in")
    assert "error 50013" in status.body and "/prompt resume" in status.body
    clock.set(2024, 1, 16, 9, 0)
    assert claim_due(ctx, clock.now(), only(guild)) == []  # paused: nothing more is tried
    resumed = prompts.resume_prompts(ctx, guild, MODERATOR,
                                     missing_permissions=["Send Messages", "Embed Links"])
    assert resumed.kind is AnswerKind.ERROR and "Send Messages" in resumed.body
    resumed = prompts.resume_prompts(ctx, guild, MODERATOR)
    assert resumed.title == "Daily prompt resumed"
    clock.set(2024, 1, 17, 9, 0)
    assert len(post_due(ctx, clock, guild)) == 1


def deliver_due(ctx, clock: FakeClock, guild: int, discord: FakeDiscord) -> list:
    """One scheduler pass through the real delivery steps, on a fake Discord channel."""
    async def one_pass() -> list:
        jobs = claim_due(ctx, clock.now(), only(guild))
        return [await deliver(ctx, job, discord.channel(job)) for job in jobs]

    return asyncio.run(one_pass())


def test_an_outage_is_retried_until_the_grace_period_ends(ctx, clock, guild) -> None:
    """Discord down from 09:00 to 11:50: long past the four tries of a fixed budget, and the
    post still goes out, once, inside the 3-hour grace period."""
    schedule(ctx, guild)
    discord = FakeDiscord(SimClock(clock.now()))
    discord.up = False
    attempts = []
    for minute in range(0, 181):
        clock.set(2024, 1, 15, 9 + minute // 60, minute % 60)
        discord.up = minute >= 170
        attempts += deliver_due(ctx, clock, guild, discord)
    failed = [o for o in attempts if not o.sent]
    assert len(failed) > 4 and not ctx.store.get_schedule(guild).paused
    (posted,) = [o for o in attempts if o.sent]
    assert [p.message_id for p in discord.posts[CHANNEL]] == [posted.message_id]
    row = ctx.store.post_for(guild, date(2024, 1, 15))
    assert row.status == "sent" and row.message_id == posted.message_id
    assert posted.job.scheduled_for + ctx.grace >= clock.now()


def test_an_outage_over_the_whole_grace_period_is_missed_once_the_channel_is_read(
        ctx, clock, guild) -> None:
    schedule(ctx, guild)
    discord = FakeDiscord(SimClock(clock.now()))
    discord.up = False
    for minute in range(0, 200, 5):
        clock.set(2024, 1, 15, 9 + minute // 60, minute % 60)
        deliver_due(ctx, clock, guild, discord)
    assert ctx.store.post_for(guild, date(2024, 1, 15)).status == "retry"  # not known yet
    clock.set(2024, 1, 15, 13, 0)
    discord.up = True
    hasten_retries(ctx, clock.now(), only(guild))
    (looked,) = deliver_due(ctx, clock, guild, discord)
    assert not looked.sent and discord.posts == {}  # read the channel, sent nothing
    assert ctx.store.post_for(guild, date(2024, 1, 15)).status == "missed"
    assert "was missed: Discord answered 503" in prompts.prompt_status(ctx, guild).body


def test_a_post_whose_answer_was_lost_is_found_and_not_sent_again(ctx, clock, guild) -> None:
    """Discord made the post but the bot never heard: the retry reads the channel first."""
    schedule(ctx, guild)
    discord = FakeDiscord(SimClock(clock.now()))
    discord.lose_answer = True
    clock.set(2024, 1, 15, 9, 0)
    (lost,) = deliver_due(ctx, clock, guild, discord)
    assert not lost.sent and ctx.store.post_for(guild, date(2024, 1, 15)).status == "retry"
    clock.set(2024, 1, 15, 9, 1)
    (found,) = deliver_due(ctx, clock, guild, discord)
    (post,) = discord.posts[CHANNEL]
    assert found.found and found.message_id == post.message_id
    row = ctx.store.post_for(guild, date(2024, 1, 15))
    assert (row.status, row.message_id) == ("sent", post.message_id)
    assert "found it in the channel" in prompts.prompt_status(ctx, guild).body


def test_a_kill_between_send_and_record_is_found_after_the_grace_period(
        ctx, clock, guild) -> None:
    """The process dies after Discord took the post, and is back only after the grace
    period: the day is recorded as sent (it was posted), not as missed."""
    schedule(ctx, guild)
    discord = FakeDiscord(SimClock(clock.now()))
    discord.kill_after_send = True
    clock.set(2024, 1, 15, 9, 0)
    with pytest.raises(Killed):
        deliver_due(ctx, clock, guild, discord)
    assert ctx.store.post_for(guild, date(2024, 1, 15)).status == "claimed"
    clock.set(2024, 1, 15, 14, 0)  # back 5 hours later
    (found,) = deliver_due(ctx, clock, guild, discord)
    assert found.found and len(discord.posts[CHANNEL]) == 1
    assert ctx.store.post_for(guild, date(2024, 1, 15)).status == "sent"


def test_only_guilds_on_this_processs_shards(ctx, clock, guild) -> None:
    schedule(ctx, guild)
    clock.set(2024, 1, 15, 9, 0)
    assert claim_due(ctx, clock.now(), lambda guild_id: False) == []  # another shard's
    assert ctx.store.post_for(guild, date(2024, 1, 15)) is None


# ---------------------------------------------------------------- pause, resume, skip


def test_skip_pause_and_resume(ctx, clock, guild) -> None:
    schedule(ctx, guild)
    skipped = prompts.skip_next(ctx, guild, MODERATOR)
    assert skipped.title == "Skipped the post for Monday 15 January 2024"
    assert fields(skipped)["Next post"].startswith("Tue 16 Jan")
    clock.set(2024, 1, 15, 9, 0)
    assert post_due(ctx, clock, guild) == []
    paused = prompts.pause_prompts(ctx, guild, MODERATOR)
    assert paused.title == "Daily prompt paused"
    assert paused.body.startswith("**Paused.** Paused by member 2222")
    clock.set(2024, 1, 16, 9, 0)
    assert post_due(ctx, clock, guild) == []
    assert prompts.skip_next(ctx, guild, MODERATOR).kind is AnswerKind.ERROR
    clock.set(2024, 1, 16, 9, 30)
    prompts.resume_prompts(ctx, guild, MODERATOR)
    assert post_due(ctx, clock, guild) == []  # no catching up on a day missed while paused
    clock.set(2024, 1, 17, 9, 0)
    assert len(post_due(ctx, clock, guild)) == 1


def test_commands_without_a_schedule_say_so(ctx, guild) -> None:
    for answer in (prompts.pause_prompts(ctx, guild, MODERATOR),
                   prompts.resume_prompts(ctx, guild, MODERATOR),
                   prompts.skip_next(ctx, guild, MODERATOR)):
        assert answer.kind is AnswerKind.ERROR and "/prompt schedule" in answer.suggestions


# ---------------------------------------------------------------- moderators' prompts


def test_an_added_prompt_goes_out_next_and_can_be_removed(ctx, clock, guild) -> None:
    added = prompts.add_prompt(ctx, guild, MODERATOR, "Was Kronstadt the turning point of 1921?",
                               source="revolutionary-appraised", about="Kronstadt revolted",
                               tags="Kronstadt, 1921")
    assert added.title.startswith("Added prompt #") and "**Kronstadt revolted**" in fields(
        added)["The passage"]
    listed = prompts.list_prompts(ctx, guild)
    assert listed.title == "This server's prompts: 1 added, 0 suggested"
    schedule(ctx, guild)
    clock.set(2024, 1, 15, 9, 0)
    (job,) = post_due(ctx, clock, guild)
    assert job.answer.body == "Was Kronstadt the turning point of 1921?"
    number = int(added.title.split("#")[1].split(":")[0])
    assert prompts.remove_prompt(ctx, guild, MODERATOR, number).title == \
        f"Removed prompt #{number}"
    assert prompts.remove_prompt(ctx, guild, MODERATOR, number).kind is AnswerKind.ERROR
    assert prompts.prompt_today(ctx, guild).body == job.answer.body  # kept as posted


@pytest.mark.parametrize(("kwargs", "expected"), [
    ({"question": "Why?"}, "15 to"),
    ({"question": "What does this passage say about NEP?", "source": "zzzz qqqq"},
     "don't know the text"),
    ({"question": "What does this passage say about NEP?", "source": "revolutionary-appraised",
      "about": "words that are not in the text"}, "couldn't find"),
])
def test_bad_prompts_are_refused(ctx, guild, kwargs, expected) -> None:
    kwargs = dict(kwargs)  # the parameter's dict is shared by every backend's run
    question = kwargs.pop("question")
    answer = prompts.add_prompt(ctx, guild, MODERATOR, question, **kwargs)
    assert answer.kind is AnswerKind.ERROR and expected in answer.title + answer.body
    assert ctx.store.list_custom(guild, ("active",)) == []


def test_suggestions_near_duplicates_are_flagged_then_reviewed(ctx, guild) -> None:
    curated = CURATED[0].question
    reworded = curated.replace("Three hundred thousand", "300,000").rstrip("?") + " ?"
    suggested = prompts.suggest_prompt(ctx, guild, MEMBER, reworded)
    assert suggested.title.startswith("Thanks! Suggestion #")
    assert "Close to an existing prompt" in fields(suggested)["Note"]
    fresh = prompts.suggest_prompt(ctx, guild, MEMBER, "Which of our texts changed your mind "
                                   "about something, and how?")
    assert "Close to" not in fields(fresh)["Note"]
    listed = prompts.list_prompts(ctx, guild)
    assert listed.title == "This server's prompts: 0 added, 2 suggested"
    assert "near-duplicate" in listed.items[0].body
    first, second = (int(item.title.split(" ")[0][1:]) for item in listed.items)
    assert prompts.approve_suggestion(ctx, guild, MODERATOR, second).title == \
        f"Approved suggestion #{second}"
    assert prompts.decline_suggestion(ctx, guild, MODERATOR, first, "a duplicate").title == \
        f"Declined suggestion #{first}"
    assert prompts.approve_suggestion(ctx, guild, MODERATOR, first).kind is AnswerKind.ERROR
    assert [e.question for e in ctx.pool(guild) if e.origin == "moderator"] == [
        "Which of our texts changed your mind about something, and how?"]
    assert prompts.custom_choices(ctx, guild, ("active",), "mind")[0][0] == second


def test_members_cannot_flood_the_review_list(ctx, guild) -> None:
    for number in range(prompts.MAX_PENDING_PER_MEMBER):
        prompts.suggest_prompt(ctx, guild, MEMBER, f"Question number {number} about the NEP?")
    refused = prompts.suggest_prompt(ctx, guild, MEMBER, "One more question about the NEP?")
    assert refused.kind is AnswerKind.ERROR


# ---------------------------------------------------------------- today and the CLI


def test_prompt_of_the_day_is_the_same_all_day_and_changes_daily(ctx, clock) -> None:
    first = prompts.prompt_today(ctx)
    clock.set(2024, 1, 15, 23)
    assert prompts.prompt_today(ctx) == first
    clock.set(2024, 1, 16, 1)
    assert prompts.prompt_today(ctx).body != first.body
    assert first.title == "Prompt of the day · Monday 15 January 2024"


def test_typed_prompt_commands(ctx) -> None:
    answers = ctx.answers
    assert ask(answers, "/prompt today", prompts=ctx).kind is AnswerKind.PROMPT
    assert ask(answers, "/prompt", prompts=ctx).kind is AnswerKind.PROMPT
    status = ask(answers, "/prompt status", prompts=ctx)
    assert status.kind is AnswerKind.ERROR and "Discord server" in status.title
    assert "/prompt today" in ask(answers, "/prompt todya", prompts=ctx).suggestions
    assert ask(answers, "/prompt today").kind is AnswerKind.ERROR  # no pool given


def test_schedule_check_lists_local_and_utc(ctx, clock, guild) -> None:
    clock.set(2024, 3, 30, 10)
    schedule(ctx, guild)
    item = next(i for i in prompts.schedule_check(ctx).items if i.title == f"Server {guild}")
    assert "next post: Sun 31 Mar 2024, 09:00 BST = Sun 31 Mar 2024, 08:00 UTC" in item.body


def test_the_cli_prints_todays_prompt_and_every_schedule(store, tmp_path, capsys) -> None:
    data = tmp_path / "data"
    data.mkdir()
    config = tmp_path / "config.yaml"
    config.write_text(f"corpus_dir: {REPO / 'corpus'}\ndata_dir: {data}\n")
    copied: Store = data / "readbot.sqlite3"
    if isinstance(store, str):  # PostgreSQL: a copy of the ingested template
        copied = store_copy(tmp_path / "cli", "postgres")
        config.write_text(config.read_text() + f"database_url: {copied}\n")
    else:
        with sqlite3.connect(store) as source, sqlite3.connect(copied) as copy:
            source.backup(copy)  # already ingested (WAL included): the CLI need not ingest
    # SQLite: the schedule goes where the bot keeps server state, beside the index.
    state = None if isinstance(copied, str) else data / "readbot-state.sqlite3"
    copy = prompt_context(copied, FakeClock(utc(2024, 3, 30, 10)), state=state)
    schedule(copy, 4 << 22, timezone_text="America/New_York", days_text="mon,fri")
    copy.answers.store.engine.dispose()
    copy.answers.store.state.dispose()
    assert cli_main(["--config", str(config), "ask", "/prompt today"]) == 0
    today = capsys.readouterr().out
    assert today.startswith("Prompt of the day · ") and "Source: *" in today
    assert cli_main(["--config", str(config), "schedule-check"]) == 0
    listing = capsys.readouterr().out
    assert f"Server {4 << 22}" in listing
    assert "09:00 America/New_York, Monday, Friday" in listing
    assert re.search(r"next post: \w{3} \d+ \w{3} \d{4}, 09:00 E[SD]T = .*, 1[34]:00 UTC", listing)
    assert cli_main(["--config", str(config), "ask", "/prompt skip"]) == 2
