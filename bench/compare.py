"""/compare latency on the 1x corpus, beside /search's on the same run.

    python -m bench.compare            # 300 calls each, best of 3 rounds (bench.run.time_calls)
    python -m bench.compare -n 60      # quicker

/compare is timed uncached (``comparison``: every call reads the texts again), as a topic
typed for the first time costs; the cached figure is a repeat of a topic until the next
ingest. What every answer reads once per ingest (the sentence vocabulary, the list of
texts) is built before timing, as it is in a running bot.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

if not __package__:  # run as `python bench/compare.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.queries import QUERIES
from bench.run import CORPUS, TEXTS, Stats, run_worker, time_calls
from bot.answers.compare.answer import compare, comparison
from bot.answers.compare.topic import TopicError, read_topic
from bot.answers.texts.search import search
from bot.services import answer_context
from bot.store.database import create_engine_for

#: What a reading group compares: the three topics of docs/compare.md, events, concepts,
#: people, a typo and input that is refused.
TOPICS: tuple[str, ...] = (
    "Kronstadt", "the bureaucracy as a class", "permanent revolution", "Fourth International",
    "Thermidor", "socialism in one country", "Left Opposition", "the purges", "NEP",
    "Kronstad", "Lenin's testament", "collectivisation", "Stalin", "workers democracy",
    '"NEAR(', "vegan bread",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=300, help="calls per measurement")
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="readbot-bench-compare-"))
    try:
        db_file = workdir / "index-1x.sqlite3"
        run_worker(str(TEXTS), str(db_file))
        engine = create_engine_for(f"sqlite:///{db_file}")
        ctx = answer_context(engine, CORPUS, TEXTS)
        compare(ctx, "Kronstadt")  # once per ingest: vocabulary, texts, caches of stems

        def uncached(topic: str) -> object:
            try:
                return comparison(ctx, read_topic(ctx, topic))
            except TopicError:
                return None

        topics = [TOPICS[i % len(TOPICS)] for i in range(args.n)]
        queries = [QUERIES[i % len(QUERIES)] for i in range(args.n)]
        searched = Stats.of(time_calls(lambda q: search(ctx, q), queries))
        compared = Stats.of(time_calls(uncached, topics))
        repeated = Stats.of(time_calls(lambda t: compare(ctx, t), topics))
        engine.dispose()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"1x corpus, {args.n} calls each, best of 3 rounds")
    print(f"{'':28}{'p50 ms':>9}{'p99 ms':>9}")
    for name, stats in (("/search", searched), ("/compare (first time)", compared),
                        ("/compare (repeat, cached)", repeated)):
        print(f"{name:28}{stats.p50:9.2f}{stats.p99:9.2f}")
    target = compared.p99 < 100
    print(f"target: /compare p99 at 1x < 100 ms: {'met' if target else 'MISSED'}")
    return 0 if target else 1


if __name__ == "__main__":
    raise SystemExit(main())
