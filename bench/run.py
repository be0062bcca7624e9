"""Ingest time and memory, /search, /quote, /who, /when and plain-question latency and a
rapidfuzz-scan baseline at 1x, 10x, 100x.

    python -m bench.run                          # full run (1x, 10x, 100x; 5–6 minutes)
    python -m bench.run --quick                  # smoke run: 1x and 10x, few queries
    python -m bench.run --markdown docs/benchmarks.md
    python -m bench.run --sizes 1,100 --work /tmp/bench --reuse   # iterating: no re-ingest

Each ingest runs in a fresh subprocess (``bench.ingest_worker``) so its peak RSS is its own;
searches run here, against the file that subprocess wrote.

``--work DIR`` keeps the generated texts and the SQLite files (and each ingest's report) in DIR
instead of a temporary folder; ``--reuse`` then skips the corpus generation and the ingest of
any size that DIR already holds, and reports that earlier ingest's time and memory, so a 100x
run costs the timing alone. A reused store is only as fresh as its last ingest: run once
without ``--reuse`` after changing the parser, the ingest or the migrations.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import platform
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

if not __package__:  # run as `python bench/run.py`: make `bench` and `bot` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import yaml
from rapidfuzz import fuzz, process, utils

from bench import ask_eval
from bench.corpus import grow_corpus
from bench.queries import QUERIES
from bench.quote_eval import load_cases
from bot.answers.conversation.router import ask
from bot.answers.core.cache import AnswerCache
from bot.answers.dates.when import when
from bot.answers.people.who import person_choices, who
from bot.answers.texts.search import search as search_answer
from bot.config import Settings
from bot.reload import warm_indexes
from bot.services import answer_context
from bot.store.database import create_engine_for
from bot.store.ingest import people_file

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
TEXTS = CORPUS / "texts"
SCAN_SAMPLE_ABOVE = 10  # sizes above this time the scan on a sample: it is O(corpus) per query
SCAN_SAMPLE = 30
ROUNDS = 3  # each timing is repeated; the round with the lowest p99 is reported
MARK_START, MARK_END = "<!-- bench:start -->", "<!-- bench:end -->"


@dataclass(frozen=True, slots=True)
class Stats:
    p50: float  # milliseconds
    p99: float
    mean: float
    n: int

    @classmethod
    def of(cls, samples_ns: Sequence[int]) -> Stats:
        ordered = sorted(samples_ns)

        def rank(p: float) -> float:  # nearest-rank percentile: always a measured sample
            return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] / 1e6

        return cls(rank(50), rank(99), statistics.fmean(ordered) / 1e6, len(ordered))


@dataclass(frozen=True, slots=True)
class Result:
    size: int
    texts: int
    passages: int
    ingest_s: float
    peak_mb: float
    search: Stats  # the backend's search_passages
    answer: Stats  # the whole /search answer: what a user waits for
    scan: Stats  # rapidfuzz partial_ratio over every passage
    slowest: list[tuple[str, float]]  # answer time (ms) of the slowest queries
    quote: Stats  # the whole /quote answer (search, filters, random draws)
    quote_index_s: float  # building /quote's in-memory index (once per process and ingest)
    quote_slowest: list[tuple[str, float]]
    who: Stats  # the whole /who answer (lookup and card)
    who_complete: Stats  # /who's autocomplete
    when: Stats  # the whole /when answer (answers cached until the next ingest: warm)
    when_cold: Stats  # each distinct /when query once, with an empty answer cache
    asked: Stats  # a plain question answered end to end (the router's ask, a new conversation)
    ask_first_s: float  # the first plain question: builds the sentence vocabulary and works
    ask_slowest: list[tuple[str, float]]

    @property
    def speedup_p99(self) -> float:
        # Against the full answer, not just the query: the conservative comparison.
        return self.scan.p99 / self.answer.p99


# --- measuring ---------------------------------------------------------------------------------


def run_worker(*args: str) -> dict[str, Any]:
    """Run bench.ingest_worker in a fresh interpreter and return its JSON report."""
    # The repo root on the path, so `bench` imports even when the project is not installed.
    paths = [str(REPO), os.environ.get("PYTHONPATH", "")]
    env = os.environ | {"PYTHONPATH": os.pathsep.join(p for p in paths if p)}
    done = subprocess.run(
        [sys.executable, "-m", "bench.ingest_worker", *args],
        cwd=REPO, env=env, capture_output=True, text=True, check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"ingest worker failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def time_calls(call: Callable[[str], object], queries: Sequence[str]) -> list[int]:
    """Nanoseconds per call, in the order of ``queries``, from the round with the lowest p99.

    A p99 of a few hundred samples is its three slowest calls, so one burst of work from
    another process can double it; the best of ``ROUNDS`` keeps such bursts out, while a query
    that is slow every time stays slow in every round.
    """
    for query in dict.fromkeys(queries):  # warm-up: page cache, statement cache, pool
        call(query)
    rounds: list[list[int]] = []
    for _ in range(ROUNDS):
        samples: list[int] = []
        for query in queries:
            start = time.perf_counter_ns()
            call(query)
            samples.append(time.perf_counter_ns() - start)
        rounds.append(samples)
    return min(rounds, key=lambda samples: Stats.of(samples).p99)


def slowest(
    queries: Sequence[str], samples_ns: Sequence[int], n: int = 5
) -> list[tuple[str, float]]:
    """The queries with the highest median time (ms): what the p99 is made of."""
    by_query: dict[str, list[int]] = {}
    for query, ns in zip(queries, samples_ns, strict=True):
        by_query.setdefault(query, []).append(ns)
    medians = {q: statistics.median(ns) / 1e6 for q, ns in by_query.items()}
    return sorted(medians.items(), key=lambda item: -item[1])[:n]


def quote_queries() -> list[str]:
    """What readers type into /quote: the labelled cases (with their person and source
    filters), random draws with and without filters, and hostile input."""
    typed = []
    for case in load_cases():
        options = [f'person:"{case.person}"' if case.person else "",
                   f'source:"{case.source}"' if case.source else ""]
        typed.append(" ".join(["/quote", case.query, *options]).strip())
    draws = ["/quote", "/quote person:Trotsky", "/quote person:Goldman", "/quote source:medium",
             "/quote person:Lenin source:lead", "/quote", "/quote person:Serge", "/quote"]
    hostile = ['/quote "', "/quote NEAR(", "/quote ) OR (", "/quote the the the",
               "/quote person:Zzzz", "/quote zzqqxx platypusoid", "/quote 🔥🔥"]
    mixed = []
    for n, query in enumerate(typed):  # interleaved, so any sample keeps the mix
        mixed.append(query)
        if n % 6 == 0:
            mixed.append(draws[(n // 6) % len(draws)])
        if n % 20 == 0:
            mixed.append(hostile[(n // 20) % len(hostile)])
    return mixed


QUOTE_QUERIES: tuple[str, ...] = tuple(quote_queries())


def _labelled(name: str) -> tuple[str, ...]:
    """The queries of a hand-labelled set in tests/labelled/ (what readers type)."""
    path = REPO / "tests" / "labelled" / name
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
    return tuple(case["query"] for case in cases)


WHO_QUERIES = _labelled("who_cases.yaml")
WHEN_QUERIES = _labelled("when_cases.yaml")


def ask_queries() -> tuple[tuple[str, ...], int]:
    """Every ``q`` of tests/labelled/ask_cases.yaml, and how many shapes they cover.

    The file lists the cases shape by shape; they are interleaved here (one of each shape in
    turn), so the first n cycled questions, as in a --quick run, still cover every shape.
    """
    by_shape: dict[str, list[str]] = {}
    for case in ask_eval.load_cases(ask_eval.CASES):
        by_shape.setdefault(case.shape, []).append(case.q)
    queues = list(by_shape.values())
    mixed = [queue[i] for i in range(max(map(len, queues))) for queue in queues
             if i < len(queue)]
    return tuple(mixed), len(by_shape)


ASK_QUERIES, ASK_SHAPES = ask_queries()


def measure(size: int, n_queries: int, workdir: Path, say: Callable[[str], None],
            *, reuse: bool = False) -> Result:
    texts_dir = TEXTS
    if size > 1:
        texts_dir = workdir / f"texts-{size}x"
        if reuse and people_file(texts_dir).exists():
            say(f"{size}x: reusing the generated texts")
        else:
            say(f"{size}x: generating {grow_corpus(TEXTS, texts_dir, size)} texts")
            # The registry beside the texts, as in corpus/: ingest attributes quotations with it.
            shutil.copyfile(people_file(TEXTS), people_file(texts_dir))
    db_file = workdir / f"index-{size}x.sqlite3"
    # The worker's report is kept beside its store, so a reused store still has its figures.
    report_file = workdir / f"index-{size}x.report.json"
    if reuse and db_file.exists() and report_file.exists():
        say(f"{size}x: reusing the ingested store")
        report = json.loads(report_file.read_text(encoding="utf-8"))
    else:
        db_file.unlink(missing_ok=True)
        say(f"{size}x: ingesting")
        report = run_worker(str(texts_dir), str(db_file))
        report_file.write_text(json.dumps(report), encoding="utf-8")

    queries = [QUERIES[i % len(QUERIES)] for i in range(n_queries)]
    engine = create_engine_for(f"sqlite:///{db_file}")
    try:
        max_results = Settings().search.max_results
        # The wiring every surface uses; a seeded rng keeps /quote's random draws repeatable.
        ctx = answer_context(engine, CORPUS, texts_dir, max_results=max_results,
                             rng=random.Random(1917))
        backend = ctx.search
        say(f"{size}x: timing {len(queries)} searches")
        searched = time_calls(lambda q: backend.search_passages(q, limit=max_results), queries)
        answered = time_calls(lambda q: search_answer(ctx, q), queries)
        started = time.perf_counter()
        ctx.warm()
        quote_index_s = time.perf_counter() - started
        quotes = [QUOTE_QUERIES[i % len(QUOTE_QUERIES)] for i in range(n_queries)]
        say(f"{size}x: timing {len(quotes)} /quote answers")
        quoted = time_calls(lambda q: ask(ctx, q), quotes)
        say(f"{size}x: timing /who, its autocomplete and /when")
        names = [WHO_QUERIES[i % len(WHO_QUERIES)] for i in range(n_queries)]
        asked_who = time_calls(lambda q: who(ctx, ctx.people, q), names)
        completed = time_calls(lambda q: person_choices(ctx.people, q[:4]), names)
        events = [WHEN_QUERIES[i % len(WHEN_QUERIES)] for i in range(n_queries)]
        asked_when = time_calls(lambda q: when(ctx, ctx.events, q), events)
        cold_ctx = replace(ctx, cards=AnswerCache())
        # What a start builds before anyone asks (bot.services.warm_in_background), as the
        # bot does: the first asks then pay only for their own answers.
        warm_indexes(cold_ctx)
        cold_when = []
        for query in dict.fromkeys(events):  # first asks: nothing cached yet
            started_ns = time.perf_counter_ns()
            when(cold_ctx, cold_ctx.events, query)
            cold_when.append(time.perf_counter_ns() - started_ns)
        questions = [ASK_QUERIES[i % len(ASK_QUERIES)] for i in range(n_queries)]
        say(f"{size}x: timing {len(questions)} plain questions")
        started = time.perf_counter()
        ask(ctx, questions[0])  # the first one builds what every question reads, once per ingest
        ask_first_s = time.perf_counter() - started
        asked = time_calls(lambda q: ask(ctx, q), questions)
    finally:
        engine.dispose()

    # The baseline a typical bot uses: every passage in a list, fuzzy-scored on each query.
    # Passages are lower-cased once up front, so the scan pays only for the scoring itself.
    with sqlite3.connect(db_file) as connection:
        passages = [utils.default_process(t) for (t,) in connection.execute(
            "SELECT text FROM passage")]
    sample = queries
    if size > SCAN_SAMPLE_ABOVE:
        step = max(1, len(queries) // SCAN_SAMPLE)  # evenly spaced, so the mix of kinds holds
        sample = queries[::step][:SCAN_SAMPLE]
    say(f"{size}x: timing the scan baseline on {len(sample)} queries")

    def scan(query: str) -> object:
        return process.extract(utils.default_process(query), passages,
                               scorer=fuzz.partial_ratio, processor=None, limit=max_results)

    scanned = time_calls(scan, sample)
    return Result(size, report["texts"], report["passages"], report["duration_s"],
                  report["maxrss_kb"] / 1024, Stats.of(searched), Stats.of(answered),
                  Stats.of(scanned), slowest(queries, answered), Stats.of(quoted),
                  quote_index_s, slowest(quotes, quoted), Stats.of(asked_who),
                  Stats.of(completed), Stats.of(asked_when), Stats.of(cold_when),
                  Stats.of(asked), ask_first_s, slowest(questions, asked, n=10))


# --- reporting ---------------------------------------------------------------------------------


def machine() -> list[str]:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return [
        f"CPU: {cpu}, {cores} cores available",
        f"Code: {code_version()}",
        f"Python {platform.python_version()} ({platform.system()} {platform.release()}), "
        f"SQLite {sqlite3.sqlite_version}",
    ]


def code_version() -> str:
    """The commit measured, and whether bot/ had uncommitted changes (read-only git)."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True,
                              check=False)
        return done.stdout.strip() if done.returncode == 0 else ""

    commit = git("rev-parse", "--short", "HEAD") or "unknown commit"
    dirty = git("status", "--porcelain", "--", "bot")
    return f"{commit}" + (" + uncommitted changes in bot/" if dirty else "")


COLUMNS = ("size", "texts", "passages", "ingest_s", "peak_MB", "search_p50_ms", "search_p99_ms",
           "answer_p50_ms", "answer_p99_ms", "answer_mean_ms", "scan_p50_ms", "scan_p99_ms",
           "scan_n", "speedup_p99", "quote_p50_ms", "quote_p99_ms", "quote_index_ms",
           "who_p99_ms", "who_ac_p99_ms", "when_p99_ms", "when_cold_p99_ms", "ask_p50_ms",
           "ask_p99_ms", "ask_p99_vs_1x", "ask_first_ms")


def row(r: Result, one: Result | None) -> list[str]:
    """One size's cells; ``one`` is the 1x result, for the growth column (– without it)."""
    growth = f"{r.asked.p99 / one.asked.p99:.1f}x" if one else "–"
    return [f"{r.size}x", str(r.texts), str(r.passages), f"{r.ingest_s:.2f}", f"{r.peak_mb:.0f}",
            f"{r.search.p50:.2f}", f"{r.search.p99:.2f}", f"{r.answer.p50:.2f}",
            f"{r.answer.p99:.2f}", f"{r.answer.mean:.2f}", f"{r.scan.p50:.1f}",
            f"{r.scan.p99:.1f}", str(r.scan.n), f"{r.speedup_p99:.0f}x", f"{r.quote.p50:.2f}",
            f"{r.quote.p99:.2f}", f"{r.quote_index_s * 1000:.0f}", f"{r.who.p99:.2f}",
            f"{r.who_complete.p99:.2f}", f"{r.when.p99:.2f}", f"{r.when_cold.p99:.2f}",
            f"{r.asked.p50:.2f}", f"{r.asked.p99:.2f}", growth, f"{r.ask_first_s * 1000:.0f}"]


def targets(results: list[Result]) -> list[tuple[str, str, bool]]:
    """(target, measured, met) for every target whose size was run."""
    by_size = {r.size: r for r in results}
    checks: list[tuple[str, str, bool]] = []
    if one := by_size.get(1):
        checks += [
            ("ingest of the real corpus < 1 s", f"{one.ingest_s:.2f} s", one.ingest_s < 1),
            ("/search p99 at 1x < 5 ms", f"{one.answer.p99:.2f} ms", one.answer.p99 < 5),
            ("plain question p99 at 1x < 20 ms", f"{one.asked.p99:.2f} ms",
             one.asked.p99 < 20),
        ]
    if big := by_size.get(100):
        checks += [
            ("/search p99 at 100x < 20 ms", f"{big.answer.p99:.2f} ms", big.answer.p99 < 20),
            ("at 100x ≥ 50x faster than the scan (p99)", f"{big.speedup_p99:.0f}x",
             big.speedup_p99 >= 50),
            ("peak memory of the 100x ingest < 200 MB", f"{big.peak_mb:.0f} MB",
             big.peak_mb < 200),
            ("/quote p99 at 100x < 10 ms", f"{big.quote.p99:.2f} ms", big.quote.p99 < 10),
            ("/who p99 < 2 ms (largest size)", f"{big.who.p99:.2f} ms", big.who.p99 < 2),
            ("/who autocomplete p99 < 2 ms", f"{big.who_complete.p99:.2f} ms",
             big.who_complete.p99 < 2),
            ("/when p99 at 100x < 5 ms", f"{big.when.p99:.2f} ms", big.when.p99 < 5),
            ("/when p99 at 100x, first asks (nothing cached) < 5 ms",
             f"{big.when_cold.p99:.2f} ms", big.when_cold.p99 < 5),
            ("plain question p99 at 100x < 50 ms", f"{big.asked.p99:.2f} ms",
             big.asked.p99 < 50),
        ]
    return checks


def table(header: Sequence[str], rows: list[list[str]], markdown: bool) -> list[str]:
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        return lines + ["| " + " | ".join(cells) + " |" for cells in rows]
    widths = [max(len(h), *(len(c[i]) for c in rows)) for i, h in enumerate(header)]
    return ["  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()
            for cells in [list(header), *rows]]


def render(results: list[Result], baseline_mb: float, n_queries: int, markdown: bool) -> str:
    notes = [
        f"Baseline RSS of a Python process that only imports the project: {baseline_mb:.0f} MB "
        "(peak_MB includes it).",
        f"search = backend search_passages; answer = the full /search answer; {n_queries} "
        f"queries cycled from {len(QUERIES)}, after one warm-up pass; best of {ROUNDS} rounds "
        "by p99 (filters out bursts from other processes).",
        "scan = rapidfuzz.process.extract(partial_ratio, limit=10) over every passage; "
        f"above {SCAN_SAMPLE_ABOVE}x it is timed on an evenly spaced sample of {SCAN_SAMPLE} "
        "queries (scan_n).",
        "speedup_p99 = scan_p99 / answer_p99.",
        f"quote = the whole /quote answer (`ask(ctx, \"/quote ...\")`), {n_queries} cycled from "
        f"{len(QUOTE_QUERIES)}: the labelled cases' queries with their filters, random draws and "
        "hostile input; quote_index = building its vocabulary and random pool once.",
        f"ask = a plain question answered end to end (`ask(ctx, question)`, each in a new "
        f"conversation), {n_queries} cycled from {len(ASK_QUERIES)}: every `q` of "
        f"tests/labelled/ask_cases.yaml, interleaved by shape ({ASK_SHAPES} shapes); "
        "ask_p99_vs_1x = "
        "ask_p99 over ask_p99 at 1x; ask_first = the first plain question after an ingest, "
        "which builds the sentence vocabulary and the list of texts it keeps.",
    ]
    by_size = {r.size: r for r in results}
    if (one := by_size.get(1)) and (big := by_size.get(100)):
        notes.append(f"Plain questions from 1x to 100x: p50 {one.asked.p50:.2f} → "
                     f"{big.asked.p50:.2f} ms ({big.asked.p50 / one.asked.p50:.1f}x), p99 "
                     f"{one.asked.p99:.2f} → {big.asked.p99:.2f} ms "
                     f"({big.asked.p99 / one.asked.p99:.1f}x).")
    check_rows = [[name, measured, "met" if ok else "MISSED"]
                  for name, measured, ok in targets(results)]
    bullet = "- " if markdown else ""
    lines = [bullet + line for line in machine()] + [""]
    lines += [*table(COLUMNS, [row(r, by_size.get(1)) for r in results], markdown), ""]
    lines += [bullet + note for note in notes]
    if check_rows:
        lines += ["", *table(("target", "measured", "result"), check_rows, markdown)]
    largest = max(results, key=lambda r: r.size)
    lines += ["", f"Slowest queries at {largest.size}x (median answer time):", ""]
    lines += table(("query", "ms"), [[f"`{q}`" if markdown else repr(q), f"{ms:.2f}"]
                                     for q, ms in largest.slowest], markdown)
    lines += ["", f"Slowest /quote answers at {largest.size}x (median):", ""]
    lines += table(("query", "ms"), [[f"`{q}`" if markdown else repr(q), f"{ms:.2f}"]
                                     for q, ms in largest.quote_slowest], markdown)
    lines += ["", f"Slowest plain questions at {largest.size}x (median):", ""]
    lines += table(("question", "ms"), [[f"`{q}`" if markdown else repr(q), f"{ms:.2f}"]
                                        for q, ms in largest.ask_slowest], markdown)
    return "\n".join(lines) + "\n"


def write_markdown(path: Path, body: str) -> None:
    """Replace the block between the bench markers, keeping the prose around it."""
    block = f"{MARK_START}\n{body}{MARK_END}"
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if MARK_START in old and MARK_END in old:
        head, rest = old.split(MARK_START, 1)
        new = head + block + rest.split(MARK_END, 1)[1]
    else:
        new = (old.rstrip() + "\n\n" if old else "# Benchmarks\n\n") + block + "\n"
    path.write_text(new, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,100", help="corpus multiples, e.g. 1,10,100")
    parser.add_argument("--queries", type=int, default=300, help="timed searches per size")
    parser.add_argument("--quick", action="store_true", help="1x and 10x, 60 queries")
    parser.add_argument("--markdown", type=Path, help="also write the results into this file")
    parser.add_argument("--work", type=Path, help="keep generated texts and SQLite files here "
                        "instead of a temporary folder")
    parser.add_argument("--reuse", action="store_true", help="with --work: skip the ingest of "
                        "any size whose store and report are already there")
    args = parser.parse_args(argv)
    if args.reuse and args.work is None:
        parser.error("--reuse needs --work DIR")
    sizes = [1, 10] if args.quick else [int(s) for s in args.sizes.split(",") if s.strip()]
    n_queries = min(args.queries, len(QUERIES)) if args.quick else args.queries

    def say(message: str) -> None:
        print(f"… {message}", file=sys.stderr, flush=True)

    started = time.perf_counter()
    baseline_mb = run_worker("--baseline")["maxrss_kb"] / 1024
    with contextlib.ExitStack() as stack:
        if args.work is not None:
            args.work.mkdir(parents=True, exist_ok=True)
            workdir = args.work
        else:
            workdir = Path(stack.enter_context(
                tempfile.TemporaryDirectory(prefix="readbot-bench-")))
        results = [measure(size, n_queries, workdir, say, reuse=args.reuse) for size in sizes]
    say(f"done in {time.perf_counter() - started:.0f} s")
    print(render(results, baseline_mb, n_queries, markdown=False))
    if args.markdown:
        write_markdown(args.markdown, render(results, baseline_mb, n_queries, markdown=True))
        say(f"wrote {args.markdown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
