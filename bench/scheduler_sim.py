"""The daily-prompt scheduler under a year of restarts, kills, outages and clock jumps.

    python -m bench.scheduler_sim                 # 400 days, 8 servers, seed 1917
    python -m bench.scheduler_sim --days 800 --seed 7

A fake clock drives the real rules (``claim_due``, ``deliver``, ``hasten_retries``) over the
real store (an SQLite copy of the ingested corpus) and a fake Discord channel; the pass is the
one the Discord loop runs (bot/discord_app/scheduler.py: ``run_due`` and ``reconnected``). What
happens, drawn from a seeded generator so a run is repeatable:

- **restarts**: the process stops between passes and comes back after seconds to hours;
- **kills between send and record**: Discord has accepted the post, the process dies before
  ``sent`` is committed (the last job of a pass, so that no other claim is left behind: a
  kill between claim and send holds that day for ``claim_timeout``, which the unit tests
  cover); and **lost answers**: Discord made the post but its answer never arrived;
- **Discord outages** from a minute to six hours (gateway and REST together: the bot hears
  when it is back, as it does from ``on_resumed``);
- **clock jumps**: the host's clock stepped back or forward by up to an hour and corrected
  later;
- **DST**: servers in zones whose offset changes (London, New York, Sydney, Lord Howe's
  half-hour, Chatham), some at local times that do not exist or happen twice on the change.

Then it counts, from what the fake channel received and not from the post log: posts,
doubled days (two posts of one server's day), missed days (none), and, computed from the
timeline alone, the days that *had* to be missed: the first moment after the post time at
which both the bot and Discord were up came when the bot's clock was already past the grace
period (down for the whole grace period, or the clock jumped over it). It also checks the log
against the channel: every day ``sent`` with the id of its one post, ``missed`` only where
nothing was posted, nothing left ``claimed`` or ``retry``.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import itertools
import logging
import random
import sys
import tempfile
import time as timer
from collections.abc import Callable
from concurrent import futures
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

if not __package__:  # run as `python bench/scheduler_sim.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.answers.prompts import commands as prompts
from bot.answers.prompts.context import PromptContext
from bot.answers.prompts.delivery import FoundPost, PostUnavailable, deliver
from bot.answers.prompts.jobs import PostJob, claim_due, hasten_retries
from bot.answers.prompts.schedule import EVERY_DAY, PostFailure, parse_days

START = datetime(2023, 1, 2, tzinfo=UTC)  # a Monday; the year holds both DST changes
MODERATOR = 1
#: (zone, local time, days): DST zones at times that are skipped or doubled on the change.
SERVERS = (
    ("Europe/London", "01:30", "daily"),       # 01:30 skipped in March, twice in October
    ("America/New_York", "02:30", "daily"),    # 02:30 skipped in March
    ("America/New_York", "01:30", "weekdays"),  # 01:30 twice in November
    ("Australia/Sydney", "02:30", "daily"),    # skipped in October, twice in April
    ("Australia/Lord_Howe", "02:15", "daily"),  # a half-hour change
    ("Pacific/Chatham", "03:00", "mon,wed,fri"),
    ("Asia/Kolkata", "09:00", "daily"),        # no DST: the control
    ("UTC", "23:45", "daily"),                 # the day boundary
)


class Killed(BaseException):
    """The process died here (not an Exception: nothing in the bot may catch it)."""


@dataclass
class SimClock:
    """True time, and the host's clock as the bot reads it (true + offset)."""

    true: datetime
    offset: timedelta = timedelta(0)

    def now(self) -> datetime:
        return self.true + self.offset


@dataclass(frozen=True, slots=True)
class Post:
    message_id: int
    guild_id: int
    local_date: date
    marker: str
    true_at: datetime
    clock_at: datetime  # the bot's clock when it sent


@dataclass
class FakeDiscord:
    """The channels, whether Discord is up, and the mishaps the next send will meet."""

    clock: SimClock
    up: bool = True
    posts: dict[int, list[Post]] = field(default_factory=dict)  # channel id -> posts
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(10**17))
    kill_after_send: bool = False
    lose_answer: bool = False
    lost: int = 0
    reads: int = 0

    def channel(self, job: PostJob) -> FakeChannel:
        return FakeChannel(self, job.channel_id)


class FakeChannel:
    """:class:`bot.answers.prompts.delivery.PostChannel` over :class:`FakeDiscord`."""

    def __init__(self, discord: FakeDiscord, channel_id: int) -> None:
        self.discord = discord
        self.channel_id = channel_id

    def _check_up(self) -> None:
        if not self.discord.up:
            raise PostUnavailable(PostFailure("outage", "Discord answered 503",
                                              f"channel {self.channel_id}"))

    async def find_post(self, job: PostJob) -> FoundPost | None:
        self._check_up()
        self.discord.reads += 1
        for post in self.discord.posts.get(self.channel_id, []):
            if post.marker == job.marker:
                return FoundPost(post.message_id)
        return None

    async def send(self, job: PostJob) -> int:
        self._check_up()
        post = Post(next(self.discord.ids), job.guild_id, job.local_date, job.marker,
                    self.discord.clock.true, self.discord.clock.now())
        self.discord.posts.setdefault(self.channel_id, []).append(post)
        if self.discord.kill_after_send:
            self.discord.kill_after_send = False
            raise Killed
        if self.discord.lose_answer:
            self.discord.lose_answer = False
            self.discord.lost += 1
            raise PostUnavailable(PostFailure("outage", "Discord could not be reached "
                                              "(TimeoutError)", f"channel {self.channel_id}"))
        return post.message_id

    async def open_thread(self, job: PostJob, message_id: int) -> tuple[int | None, str | None]:
        return None, None


# ---------------------------------------------------------------- the timeline


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of true time with one state: bot up?, Discord up?, the clock's offset."""

    start: datetime
    end: datetime
    bot_up: bool
    discord_up: bool
    offset: timedelta


@dataclass
class Plan:
    """What will happen, drawn up front (kills and lost answers are drawn at each send)."""

    restarts: list[tuple[datetime, timedelta]]  # when the process stops, for how long
    outages: list[tuple[datetime, timedelta]]
    clock_steps: list[tuple[datetime, timedelta]]  # when, the offset from then on
    kill_rate: float
    lose_rate: float


def make_plan(rng: random.Random, days: int, restarts: int) -> Plan:
    span = days * 86400

    def at() -> datetime:
        return START + timedelta(seconds=rng.uniform(0, span))

    def stop_length() -> timedelta:
        roll = rng.random()
        if roll < 0.80:  # a deploy or a crash loop: seconds to minutes
            return timedelta(seconds=rng.uniform(2, 600))
        if roll < 0.96:  # a bad night
            return timedelta(minutes=rng.uniform(10, 170))
        return timedelta(hours=rng.uniform(3, 9))  # longer than the grace period

    def outage_length() -> timedelta:
        return timedelta(minutes=round(10 ** rng.uniform(0, 2.56)))  # 1 min to about 6 h

    steps: list[tuple[datetime, timedelta]] = []
    for _ in range(days // 5):  # a wrong clock, then its correction
        when = at()
        steps.append((when, timedelta(minutes=rng.choice([-1, 1]) * rng.uniform(1, 60))))
        steps.append((when + timedelta(hours=rng.uniform(0.1, 30)), timedelta(0)))
    return Plan(restarts=sorted((at(), stop_length()) for _ in range(restarts)),
                outages=sorted((at(), outage_length()) for _ in range(days // 3)),
                clock_steps=sorted(steps), kill_rate=0.06, lose_rate=0.05)


# ---------------------------------------------------------------- the run


@dataclass
class Figures:
    days: int
    servers: int
    restarts: int
    kills: int
    lost_answers: int
    outages: int
    clock_jumps: int
    dst_days: int
    passes: int
    posts: int
    doubled: int
    missed: int
    missed_justified: int
    missed_unjustified: int
    posted_when_justified: int
    log_mismatches: list[str]
    seconds: float = 0.0

    def lines(self) -> list[str]:
        return [
            f"days {self.days}, servers {self.servers}, DST days {self.dst_days}",
            f"restarts {self.restarts}, kills between send and record {self.kills}, "
            f"lost answers {self.lost_answers}",
            f"Discord outages {self.outages}, clock jumps {self.clock_jumps}, "
            f"scheduler passes {self.passes}",
            f"posts {self.posts}, doubled {self.doubled}, missed {self.missed} "
            f"(justified {self.missed_justified}, unjustified {self.missed_unjustified})",
            f"post log disagreeing with the channel: {len(self.log_mismatches)}",
            f"{self.seconds:.1f} s",
        ]


class Simulation:
    def __init__(self, make_context: Callable[[SimClock], PromptContext], *, days: int,
                 restarts: int, seed: int, guild_base: int = 900_000) -> None:
        self.rng = random.Random(seed)
        self.days = days
        self.clock = SimClock(START - timedelta(days=1))
        self.ctx = make_context(self.clock)
        self.discord = FakeDiscord(self.clock)
        self.plan = make_plan(self.rng, days, restarts)
        self.guilds = {((guild_base + i) << 22) + i: server for i, server in enumerate(SERVERS)}
        self.channels = {guild: 5_000 + i for i, guild in enumerate(self.guilds)}
        self.segments: list[Segment] = []
        self.kills = self.passes = 0
        self.bot_up = True
        self.down_until = self.clock.true

    # ------------------------------------------------------------ the bot's side

    def on_shard(self, guild_id: int) -> bool:
        return guild_id in self.guilds

    async def run_pass(self) -> None:
        """PromptScheduler.run_due: claim what is due, deliver each job."""
        self.passes += 1
        jobs = await asyncio.to_thread(claim_due, self.ctx, self.clock.now(), self.on_shard)
        mishaps = self.clock.true < START + timedelta(days=self.days)  # none while settling
        for number, job in enumerate(jobs):
            last = number == len(jobs) - 1
            self.discord.kill_after_send = (mishaps and last
                                            and self.rng.random() < self.plan.kill_rate)
            self.discord.lose_answer = (mishaps and not self.discord.kill_after_send
                                        and self.rng.random() < self.plan.lose_rate)
            try:
                await deliver(self.ctx, job, self.discord.channel(job))
            except Killed:
                self.kills += 1
                self._stop(timedelta(seconds=self.rng.uniform(1, 900)))
                return
            finally:
                self.discord.kill_after_send = self.discord.lose_answer = False

    async def reconnected(self) -> None:
        """PromptScheduler.reconnected: retry now what waits out a back-off, then a pass."""
        await asyncio.to_thread(hasten_retries, self.ctx, self.clock.now(), self.on_shard)
        await self.run_pass()

    def _stop(self, length: timedelta) -> None:
        self.bot_up = False
        self.down_until = max(self.down_until, self.clock.true + length)

    # ------------------------------------------------------------ the world's side

    def _segment(self, until: datetime) -> None:
        if self.segments and self.segments[-1].end >= until:
            return
        start = self.segments[-1].end if self.segments else self.clock.true
        state = (self.bot_up, self.discord.up, self.clock.offset)
        last = self.segments[-1] if self.segments else None
        if last and (last.bot_up, last.discord_up, last.offset) == state:
            self.segments[-1] = Segment(last.start, until, *state)
        else:
            self.segments.append(Segment(start, until, *state))

    def _next_check(self) -> datetime | None:
        checks = [at for guild, at in self.ctx.store.next_checks() if guild in self.guilds]
        if not checks:
            return None
        return min(checks) - self.clock.offset  # the bot's clock -> true time

    async def run(self) -> Figures:
        started = timer.perf_counter()
        self._schedule_servers()
        end = START + timedelta(days=self.days + 2)  # then two quiet days to settle
        events: list[tuple[datetime, int, str, timedelta]] = []
        for when, length in self.plan.restarts:
            events.append((when, 0, "stop", length))
        for when, length in self.plan.outages:
            events.append((when, 1, "discord_down", length))
            events.append((when + length, 2, "discord_up", timedelta(0)))
        for when, offset in self.plan.clock_steps:
            events.append((when, 3, "clock", offset))
        # Nothing new starts while settling; what started before still ends.
        horizon = START + timedelta(days=self.days)
        events = sorted(e for e in events if e[0] < horizon or e[2] in ("discord_up", "clock"))
        outages_open = 0
        index = 0
        last_pass = self.clock.true - timedelta(seconds=1)
        while self.clock.true < end:
            candidates = []
            if index < len(events):
                candidates.append(events[index][0])
            if not self.bot_up:
                candidates.append(self.down_until)
            else:
                check = self._next_check()
                if check is not None:
                    candidates.append(max(check, last_pass + timedelta(seconds=1)))
            moment = min([*candidates, end])
            moment = max(moment, self.clock.true)
            self._segment(moment)
            self.clock.true = moment
            if moment >= end:
                break
            if index < len(events) and events[index][0] <= moment:
                _, _, kind, value = events[index]
                index += 1
                if kind == "stop":
                    self._stop(value)
                elif kind == "discord_down":
                    outages_open += 1
                    self.discord.up = False
                elif kind == "discord_up":
                    outages_open -= 1
                    if outages_open == 0:
                        self.discord.up = True
                        if self.bot_up:
                            await self.reconnected()
                            last_pass = moment
                elif kind == "clock":
                    self.clock.offset = value
                    if self.bot_up:  # the loop's next wake-up reads the new time
                        await self.run_pass()
                        last_pass = moment
                continue
            if not self.bot_up:
                if moment >= self.down_until:
                    self.bot_up = True  # a new process: it retries what waits, then a pass
                    await self.reconnected()
                    last_pass = moment
                continue
            await self.run_pass()
            last_pass = moment
        self._segment(end)
        figures = self.count()
        figures.seconds = timer.perf_counter() - started
        return figures

    def _schedule_servers(self) -> None:
        for guild, (zone, local, days) in self.guilds.items():
            answer = prompts.schedule_prompts(self.ctx, guild, MODERATOR,
                                              channel_id=self.channels[guild], time_text=local,
                                              timezone_text=zone, days_text=days)
            assert answer.title == "Daily prompt scheduled", answer.body

    # ------------------------------------------------------------ counting

    def expected_days(self) -> list[tuple[int, date, datetime]]:
        """(guild, local date, post instant) for every day in the run, from zoneinfo alone."""
        out = []
        for guild, (zone_name, local, days) in self.guilds.items():
            zone = ZoneInfo(zone_name)
            mask = parse_days(days) or EVERY_DAY
            hour, minute = map(int, local.split(":"))
            day = START.astimezone(zone).date()
            last = (START + timedelta(days=self.days)).astimezone(zone).date()
            while day < last:
                if mask & (1 << day.weekday()):
                    # PEP 495: fold=0 is the first of a doubled time, and a skipped time is
                    # read with the offset before the change (01:30 -> 02:30 that day)
                    at = datetime.combine(day, time(hour, minute), tzinfo=zone).astimezone(UTC)
                    if at >= START:
                        out.append((guild, day, at))
                day += timedelta(days=1)
        return out

    def had_to_miss(self, slot: datetime) -> bool:
        """From the timeline alone: the first moment after the post time (by the bot's clock)
        when the bot and Discord were both up came after the grace period, or never."""
        grace = self.ctx.grace
        starts = [s.start for s in self.segments]
        first = max(0, bisect.bisect_right(starts, slot - timedelta(hours=2)) - 1)
        for segment in self.segments[first:]:
            if not (segment.bot_up and segment.discord_up):
                continue
            if segment.end + segment.offset <= slot:
                continue  # over before the post time, as the bot's clock read it
            return segment.start + segment.offset > slot + grace
        return True

    def count(self) -> Figures:
        posts_by_day: dict[tuple[int, date], list[Post]] = {}
        for channel_posts in self.discord.posts.values():
            for post in channel_posts:
                posts_by_day.setdefault((post.guild_id, post.local_date), []).append(post)
        mismatches = []
        doubled = missed = justified = unjustified = posted_when_justified = dst_days = 0
        grace = self.ctx.grace
        for guild, day, slot in self.expected_days():
            zone = ZoneInfo(self.guilds[guild][0])
            noon = datetime.combine(day, time(12), tzinfo=zone)
            if noon.utcoffset() != (noon + timedelta(days=1)).utcoffset():
                dst_days += 1
            got = posts_by_day.get((guild, day), [])
            must_miss = self.had_to_miss(slot)
            row = self.ctx.store.post_for(guild, day)
            status = row.status if row else "none"
            if len(got) > 1:
                doubled += 1
            if not got:
                missed += 1
                if must_miss:
                    justified += 1
                else:
                    unjustified += 1
                if status != "missed":
                    mismatches.append(f"{guild} {day}: nothing posted, log says {status}")
                continue
            if must_miss:
                posted_when_justified += 1
            if status != "sent" or row is None or row.message_id != got[0].message_id:
                mismatches.append(f"{guild} {day}: posted {got[0].message_id}, log says "
                                  f"{status} {row.message_id if row else None}")
            for post in got:
                if not slot <= post.clock_at <= slot + grace:
                    mismatches.append(f"{guild} {day}: posted at {post.clock_at} by the bot's "
                                      f"clock, outside {slot}..{slot + grace}")
        for guild in self.guilds:
            for row in self.ctx.store.open_posts(guild):
                mismatches.append(f"{guild} {row.local_date}: still {row.status}")
        stops = len([r for r in self.plan.restarts
                     if r[0] < START + timedelta(days=self.days)])
        return Figures(
            days=self.days, servers=len(self.guilds), restarts=stops + self.kills,
            kills=self.kills, lost_answers=self.discord.lost, outages=len([
                o for o in self.plan.outages if o[0] < START + timedelta(days=self.days)]),
            clock_jumps=len([c for c in self.plan.clock_steps
                             if c[0] < START + timedelta(days=self.days)]),
            dst_days=dst_days, passes=self.passes,
            posts=sum(len(p) for p in posts_by_day.values()), doubled=doubled, missed=missed,
            missed_justified=justified, missed_unjustified=unjustified,
            posted_when_justified=posted_when_justified, log_mismatches=mismatches)


class InlineExecutor(futures.ThreadPoolExecutor):
    """Runs the store calls that the bot sends to a worker thread right away, on the one
    thread: the order is the same (every call is awaited before the next), and a run is
    faster and repeatable to the last step."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> futures.Future[Any]:
        future: futures.Future[Any] = futures.Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as error:  # handed back to the awaiting coroutine
            future.set_exception(error)
        return future


def simulate(make_context: Callable[[SimClock], PromptContext], *, days: int = 400,
             restarts: int = 1100, seed: int = 1917) -> Figures:
    async def run() -> Figures:
        asyncio.get_running_loop().set_default_executor(InlineExecutor())
        return await Simulation(make_context, days=days, restarts=restarts, seed=seed).run()

    return asyncio.run(run())


# ---------------------------------------------------------------- the command


def _sqlite_context(folder: Path) -> Callable[[SimClock], PromptContext]:
    from bot.config import Settings
    from bot.services import open_services

    repo = Path(__file__).resolve().parent.parent
    settings = Settings(corpus_dir=repo / "corpus",
                        database_url=f"sqlite:///{folder / 'sim.sqlite3'}")
    services = open_services(settings)

    def make(clock: SimClock) -> PromptContext:
        services.prompts.clock = clock
        return services.prompts

    return make


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=400)
    parser.add_argument("--restarts", type=int, default=1100)
    parser.add_argument("--seed", type=int, default=1917)
    options = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # every failed attempt is logged: thousands of lines
    with tempfile.TemporaryDirectory() as folder:
        figures = simulate(_sqlite_context(Path(folder)), days=options.days,
                           restarts=options.restarts, seed=options.seed)
    print("\n".join(figures.lines()))
    for line in figures.log_mismatches[:20]:
        print("  ", line)
    ok = (figures.doubled == 0 and figures.missed_unjustified == 0
          and not figures.log_mismatches)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

