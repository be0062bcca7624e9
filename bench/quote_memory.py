"""What each of /quote's in-memory indexes costs, over a store already ingested.

    python -m bench.quote_memory /tmp/bench/index-100x.sqlite3 /tmp/bench/texts-100x

(a store and texts folder left by ``python -m bench.run --work /tmp/bench``). Each index is
built in turn, as a started bot builds them, under tracemalloc: "kept" is what the built index
holds (traced memory after a collection, less before), "build peak" the most tracemalloc saw
above that base while building it (the transient part decides the process's peak).
The process's VmHWM at the end is the peak resident set, the figure ``bench.startup``
reports for ``run`` (which adds discord.py). tracemalloc's own bookkeeping makes the process
slower and larger than a plain one: ``--no-trace`` for the times and the resident peak.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

if not __package__:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _hwm_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _measure(what: str, build: Callable[[], object], traced: bool) -> object:
    gc.collect()
    if traced:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
    started = time.perf_counter()
    value = build()
    took = time.perf_counter() - started
    gc.collect()
    if traced:
        now, peak = tracemalloc.get_traced_memory()
        kept = now - base
        print(f"{what}: kept {kept / 2**20:.1f} MB, build peak +{(peak - base) / 2**20:.1f} MB,"
              f" {took:.2f} s (traced)")
    else:
        print(f"{what}: {took:.2f} s, VmHWM so far {_hwm_mb():.0f} MB")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database", type=Path)
    parser.add_argument("texts", type=Path)
    parser.add_argument("--no-trace", action="store_true",
                        help="no tracemalloc: times and the resident peak as the bot has them")
    args = parser.parse_args(argv)
    traced = not args.no_trace
    if traced:
        tracemalloc.start()
    from bot.services import answer_context
    from bot.store.database import create_engine_for

    corpus = Path(__file__).resolve().parent.parent / "corpus"
    engine = create_engine_for(f"sqlite:///{args.database}")
    ctx = _measure("answer context (curated files)",
                   lambda: answer_context(engine, corpus, args.texts), traced)
    assert hasattr(ctx, "quotes")
    index = ctx.quotes  # type: ignore[attr-defined]
    _measure("quote index (QuoteCatalog.current)", lambda: index.current(ctx.store), traced)
    _measure("meaning index (QuoteCatalog.meaning)", lambda: index.meaning(ctx.store), traced)
    print(f"VmHWM at the end: {_hwm_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
