"""PostgreSQL beside SQLite, in the same run: /search, /quote, /who, /when and a plain question
at 1x and 100x, with the ratio of their p99.

    python -m bench.backends                   # 1x and 100x (about 10 minutes: two ingests
                                               # at 100x)
    python -m bench.backends --sizes 1,10 --queries 100    # a quicker look
    python -m bench.backends --postgres-url URL --work DIR --reuse   # iterating on search

The PostgreSQL side runs on a throwaway local cluster (the tests' ``tests/pg_cluster.py``:
initdb into a temporary folder, 127.0.0.1, fsync off) or on ``--postgres-url``. Both stores
are filled by the same ingest from the same generated corpus; the answers are asked through
the same ``answer_context`` wiring as every surface. The target (issue 13): PostgreSQL within
3x of SQLite's p99 at 100x, both warm (queries repeated after a warm-up pass of the same
queries: what a backend remembers per ingest helps) and on first asks (``first_asks``: each
query asked once of a new answer context, as a member's new query meets a running process).

While working on a backend, ``--work DIR`` keeps the generated texts and the SQLite files in
DIR instead of a temporary folder, and ``--reuse`` then skips the ingest of any store (that
SQLite file, or the ``bench_<size>x`` database on ``--postgres-url``) that already holds one,
so a 100x run costs the timing alone. A reused store is only as fresh as its last ingest:
run once without ``--reuse`` after changing the ingest or the migrations. Without
``--postgres-url`` the cluster is thrown away at the end, so ``--reuse`` helps SQLite only;
``python -m tests.pg_cluster`` starts one that lives until Enter.
"""

from __future__ import annotations

import argparse
import math
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

if not __package__:  # run as `python bench/backends.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Engine, text

from bench.corpus import grow_corpus
from bench.queries import QUERIES
from bench.run import (
    ASK_QUERIES,
    CORPUS,
    QUOTE_QUERIES,
    ROUNDS,
    TEXTS,
    WHEN_QUERIES,
    WHO_QUERIES,
    Stats,
    machine,
    table,
    time_calls,
)
from bot.answers.conversation.router import ask
from bot.answers.core.context import AnswerContext
from bot.answers.dates.when import when
from bot.answers.people.who import who
from bot.answers.texts.search import search as search_answer
from bot.reload import warm_indexes
from bot.services import answer_context
from bot.store.database import create_engine_for, migrate
from bot.store.ingest import LAST_INGEST_KEY, ingest, people_file

TARGET_RATIO = 3.0  # PostgreSQL's p99 within this many times SQLite's, at 100x
COMMANDS = ("/search", "/quote", "/who", "/when", "question")


@dataclass(frozen=True, slots=True)
class Run:
    backend: str
    size: int
    ingest_s: float
    stats: dict[str, Stats]
    #: The same commands' queries each asked once of a new answer context (``first_asks``):
    #: what a member sees on a query the process has not answered since the ingest.
    first: dict[str, Stats]
    #: Every search hit of the benchmark's queries, as (query, table, rank) -> (row id, score):
    #: what the backends are compared by (``differing``).
    hits: dict[tuple[str, str, int], tuple[int, float]]


def measure(backend: str, url: str, texts_dir: Path, size: int, n: int,
            say: Callable[[str], None], *, reuse: bool = False) -> Run:
    engine = create_engine_for(url)
    try:
        migrate(engine)
        ingest_s = float("nan")  # not measured when a previous run's ingest is reused
        if reuse and _ingested(engine):
            say(f"{size}x {backend}: reusing the ingested store")
        else:
            say(f"{size}x {backend}: ingesting")
            started = time.perf_counter()
            ingest(engine, texts_dir)
            ingest_s = time.perf_counter() - started
        say(f"{size}x {backend}: timing up to {n} first asks of each command")
        first = first_asks(engine, texts_dir, n)
        ctx = _started(engine, texts_dir)
        say(f"{size}x {backend}: timing {n} of each command")
        stats = {name: Stats.of(time_calls(call, [pool[i % len(pool)] for i in range(n)]))
                 for name, (call, pool) in _commands(ctx).items()}
        hits = _hits(ctx)
    finally:
        engine.dispose()
    return Run(backend, size, ingest_s, stats, first, hits)


def _started(engine: Engine, texts_dir: Path) -> AnswerContext:
    """A new answer context as a process has it once started: what ``warm_in_background``
    builds at every start (/quote's index and the sentence vocabulary), built here too.
    (Warming /quote's index alone left the vocabulary to whichever timed question first
    corrected a typo: a ts_stat of every sentence, 230-400 ms on PostgreSQL at 100x, in
    one first ask's time, which no member meets after a start.)"""
    ctx = answer_context(engine, CORPUS, texts_dir, rng=random.Random(1917))
    warm_indexes(ctx)
    ask(ctx, ASK_QUERIES[0])  # what every question reads, built once per ingest
    return ctx


def first_asks(engine: Engine, texts_dir: Path, n: int) -> dict[str, Stats]:
    """Each command's distinct queries (up to ``n``), each asked once of a new context.

    The timed calls of ``time_calls`` repeat their queries after a warm-up pass of the same
    queries, so they measure what a backend remembers per ingest (document counts, terms,
    what each ladder step matched) as much as the search. Here nothing of a query is known
    before it is asked: every round starts a new context (new backend caches), which answers
    one query of each command untimed (what the first query after a start builds once, such
    as the person index), then each of the others once. Best of ROUNDS rounds by p99, as
    ``time_calls``: a new context costs no more on the second round, since the server's
    caches stay warm as a running server's do.
    """
    rounds: dict[str, list[Stats]] = {name: [] for name in COMMANDS}
    for _ in range(ROUNDS):
        ctx = _started(engine, texts_dir)
        for name, (call, pool) in _commands(ctx).items():
            first, *others = [q for q in dict.fromkeys(pool) if q != ASK_QUERIES[0]][:n + 1]
            call(first)
            samples = []
            for query in others:
                start = time.perf_counter_ns()
                call(query)
                samples.append(time.perf_counter_ns() - start)
            rounds[name].append(Stats.of(samples))
    return {name: min(stats, key=lambda s: s.p99) for name, stats in rounds.items()}


def _hits(ctx: AnswerContext) -> dict[tuple[str, str, int], tuple[int, float]]:
    """The passage and quotation hits of every /search and /quote query, by rank."""
    found: dict[tuple[str, str, int], tuple[int, float]] = {}
    for query in dict.fromkeys((*QUERIES, *(q.removeprefix("/quote ") for q in QUOTE_QUERIES))):
        for rank, p in enumerate(ctx.search.search_passages(query)):
            found[(query, "passage", rank)] = (p.passage_id, p.score)
        for rank, q in enumerate(ctx.search.search_quotations(query)):
            found[(query, "quotation", rank)] = (q.quotation_id, q.score)
    return found


def differing(a: Run, b: Run) -> int:
    """Hits that are not the same row with the same score (to 1e-9: the backends sum a
    double in different orders) on both backends, or found by one only."""
    def same(x: tuple[int, float] | None, y: tuple[int, float] | None) -> bool:
        return (x is not None and y is not None and x[0] == y[0]
                and math.isclose(x[1], y[1], rel_tol=1e-9))
    return sum(not same(a.hits.get(key), b.hits.get(key)) for key in a.hits.keys() | b.hits.keys())


def _ingested(engine: Engine) -> bool:
    """Whether the store holds a finished ingest (ingest writes its stamp last)."""
    with engine.connect() as connection:
        return connection.execute(text("SELECT 1 FROM store_meta WHERE key = :key"),
                                  {"key": LAST_INGEST_KEY}).first() is not None


def _commands(ctx: AnswerContext) -> dict[str, tuple[Callable[[str], object], tuple[str, ...]]]:
    return {
        "/search": (lambda q: search_answer(ctx, q), QUERIES),
        "/quote": (lambda q: ask(ctx, q), QUOTE_QUERIES),
        "/who": (lambda q: who(ctx, ctx.people, q), WHO_QUERIES),
        "/when": (lambda q: when(ctx, ctx.events, q), WHEN_QUERIES),
        "question": (lambda q: ask(ctx, q), ASK_QUERIES),
    }


@contextmanager
def postgres(url: str | None) -> Iterator[str]:
    """A server URL: the one given, or a throwaway local cluster stopped afterwards."""
    if url:
        yield url
        return
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests.pg_cluster import find_binaries, start_cluster

    binaries = find_binaries()
    if binaries is None:
        raise SystemExit("no PostgreSQL server binaries (initdb, pg_ctl): install postgresql, "
                         "or give --postgres-url")
    cluster = start_cluster(binaries)
    try:
        yield cluster.url()
    finally:
        cluster.stop()


def fresh_database(server_url: str, name: str, *, reuse: bool = False) -> str:
    """The URL of database ``name``, dropped and created empty (``reuse``: kept if it exists)."""
    admin = create_engine_for(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                        {"name": name}).first() is not None
            if not (reuse and exists):
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return server_url.rsplit("/", 1)[0] + f"/{name}"


def _verdict(ratio: float) -> str:
    return "met" if ratio <= TARGET_RATIO else "MISSED"


def render(runs: list[Run], n: int) -> str:
    lines = [*machine(), ""]
    header = ["size", "command", "sqlite_p50_ms", "sqlite_p99_ms", "postgres_p50_ms",
              "postgres_p99_ms", "p99_ratio", "first_sqlite_p99", "first_postgres_p99",
              "first_ratio"]
    rows = []
    verdicts = []
    verdicts_hits: list[str] = []
    for size in sorted({r.size for r in runs}):
        lite = next(r for r in runs if r.size == size and r.backend == "sqlite")
        pg = next(r for r in runs if r.size == size and r.backend == "postgresql")
        ingest_ratio = pg.ingest_s / lite.ingest_s  # nan when either ingest was reused
        verdicts_hits.append(f"  {size}x: {differing(lite, pg)} of "
                             f"{len(lite.hits.keys() | pg.hits.keys())} search hits differ")
        rows.append([f"{size}x", "ingest (s)", f"{lite.ingest_s:.2f}", "", f"{pg.ingest_s:.2f}",
                     "", "reused" if math.isnan(ingest_ratio) else f"{ingest_ratio:.1f}x",
                     "", "", ""])
        for name in COMMANDS:
            a, b = lite.stats[name], pg.stats[name]
            first_a, first_b = lite.first[name], pg.first[name]
            ratio, first_ratio = b.p99 / a.p99, first_b.p99 / first_a.p99
            rows.append([f"{size}x", name, f"{a.p50:.2f}", f"{a.p99:.2f}", f"{b.p50:.2f}",
                         f"{b.p99:.2f}", f"{ratio:.1f}x", f"{first_a.p99:.2f}",
                         f"{first_b.p99:.2f}", f"{first_ratio:.1f}x"])
            if size == max(r.size for r in runs):
                verdicts.append((name, ratio, first_ratio))
    lines += table(header, rows, markdown=False)
    largest = max(r.size for r in runs)
    lines += ["", f"{n} calls per command and backend, cycled from the labelled sets' queries "
              "(as bench.run), best of 3 rounds by p99, after a warm-up pass.",
              f"first = up to {n} distinct queries per command, each asked once of a new answer "
              "context (nothing of the query known before), best of 3 rounds by p99.",
              f"target: PostgreSQL p99 within {TARGET_RATIO:.0f}x of SQLite's at {largest}x "
              "(warm, first)"]
    for name, ratio, first_ratio in verdicts:
        lines.append(f"  {name:<9} {ratio:.1f}x  {_verdict(ratio)}"
                     f"  first {first_ratio:.1f}x  {_verdict(first_ratio)}")
    lines += ["same answers: hits of the /search and /quote queries (passages and quotations, "
              "row and BM25 score by rank)", *verdicts_hits]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,100", help="corpus multiples, e.g. 1,100")
    parser.add_argument("--queries", type=int, default=300, help="timed calls per command")
    parser.add_argument("--postgres-url", help="a server to use instead of a throwaway one "
                        "(a role that may create databases)")
    parser.add_argument("--work", type=Path, help="keep generated texts and SQLite files here "
                        "(default: a temporary folder, removed afterwards)")
    parser.add_argument("--reuse", action="store_true", help="skip the ingest of a store that "
                        "already holds one (with --work and --postgres-url)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]

    def say(message: str) -> None:
        print(f"… {message}", file=sys.stderr, flush=True)

    runs = []
    with ExitStack() as stack:
        if args.work is not None:
            args.work.mkdir(parents=True, exist_ok=True)
            work = args.work
        else:
            work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="readbot-bench-")))
        server = stack.enter_context(postgres(args.postgres_url))
        for size in sizes:
            texts_dir = TEXTS
            if size > 1:
                texts_dir = work / f"texts-{size}x"
                if args.reuse and people_file(texts_dir).exists():
                    say(f"{size}x: reusing the generated texts")
                else:
                    say(f"{size}x: generating {grow_corpus(TEXTS, texts_dir, size)} texts")
                    shutil.copyfile(people_file(TEXTS), people_file(texts_dir))
            lite = f"sqlite:///{work / f'index-{size}x.sqlite3'}"
            runs.append(measure("sqlite", lite, texts_dir, size, args.queries, say,
                                reuse=args.reuse))
            pg = fresh_database(server, f"bench_{size}x", reuse=args.reuse)
            runs.append(measure("postgresql", pg, texts_dir, size, args.queries, say,
                                reuse=args.reuse))
    print(render(runs, args.queries))
    return 0


if __name__ == "__main__":
    sys.exit(main())
