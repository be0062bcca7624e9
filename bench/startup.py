"""Start-up, ingest and memory as a host sees them, each beside its floor and its target.

    python -m bench.startup                      # 1x, 10x, 100x (about 3 minutes here)
    python -m bench.startup --sizes 1,10         # quicker
    python -m bench.startup --markdown docs/benchmarks.md
    python -m bench.startup --sizes 100 --parts ingest    # only some of the figures

Every figure is a whole process, started the way a host starts it:

- ``ask "/who Lenin"`` (index fresh) beside a floor process that only opens the SQLite file and
  runs an FTS5 query (``python -c 'import sqlite3; ...'``); the best of ``--repeat`` runs each.
  Target: under 5x the floor.
- ``console``: from the start to its first ``> `` prompt on a terminal (a pty).
- ``run``: from the start to the first answered ``/sources`` through the Discord stand-in
  (tests/discord_standin, the real discord.py client), and to the gateway identify.
- ingest of a fresh store at each size (``bench.ingest_worker``, its own process) beside the
  bulk-insert floor of the same rows: a migrated empty store (the same indexes, foreign keys
  enforced as the bot's connections enforce them), every row copied in with
  ``INSERT ... SELECT`` with no FTS triggers, each full-text index rebuilt once. Target at
  100x: under 5x the floor and under 10 s.
- peak memory (ru_maxrss, read as VmHWM) of ``run`` at each size, after /quote's indexes are
  built (read once a ``/quote`` with text has its answer, which waits for them). Target at
  100x: under 120 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import pty
import resource
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if not __package__:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import grow_corpus

REPO = Path(__file__).resolve().parent.parent
#: Whose ``bot`` the measured processes run: this checkout, or ``--code`` (an export of an
#: older commit, to measure "before" on the same machine in the same minutes).
CODE = REPO
CORPUS = REPO / "corpus"
MARK_START, MARK_END = "<!-- startup:start -->", "<!-- startup:end -->"
DEFERRED = 5  # Discord's interaction callback type "deferred channel message"
FLOOR_SCRIPT = ("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
                "print(c.execute(\"SELECT rowid FROM passage_fts WHERE passage_fts MATCH 'lenin' "
                "ORDER BY rank LIMIT 10\").fetchall())")


@dataclass
class Figure:
    what: str
    value: str
    floor: str = ""
    target: str = ""
    met: bool | None = None

    def row(self) -> str:
        verdict = "" if self.met is None else ("met" if self.met else "**missed**")
        return f"| {self.what} | {self.value} | {self.floor} | {self.target} | {verdict} |"


def _env(*, first: Path | None = None, **extra: str) -> dict[str, str]:
    paths = [str(first or CODE), str(REPO), os.environ.get("PYTHONPATH", "")]
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISCORD_TOKEN", "READBOT_DATABASE_URL")}
    return env | {"PYTHONPATH": os.pathsep.join(p for p in paths if p)} | extra


def _layout(root: Path, size: int) -> Path:
    """A corpus folder (texts and the curated YAML) and a config; returns the config."""
    corpus = root / f"corpus-{size}x"
    for name in ("people.yaml", "events.yaml", "lexicon.yaml", "prompts.yaml"):
        corpus.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(CORPUS / name, corpus / name)
    if size == 1:
        shutil.copytree(CORPUS / "texts", corpus / "texts")
    else:
        grow_corpus(CORPUS / "texts", corpus / "texts", size)
    config = root / f"config-{size}x.yaml"
    config.write_text(f"corpus_dir: {corpus}\ndata_dir: {root / f'data-{size}x'}\n"
                      "logging:\n  level: WARNING\n", encoding="utf-8")
    return config


def _database(config: Path) -> Path:
    return config.parent / config.stem.replace("config", "data") / "readbot.sqlite3"


def _children_cpu() -> float:
    """CPU seconds (user + system) of every finished child process and its own children: on
    a shared machine the wall clock measures the neighbours too, this does not."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(command: list[str], repeat: int) -> tuple[float, float]:
    """Best wall time and best CPU time (s) of ``repeat`` runs: the machine is shared, the
    minimum is the figure least disturbed by other work."""
    best, best_cpu = float("inf"), float("inf")
    for _ in range(repeat):
        cpu = _children_cpu()
        started = time.perf_counter()
        subprocess.run(command, cwd=CODE, env=_env(), capture_output=True, check=True)
        best = min(best, time.perf_counter() - started)
        best_cpu = min(best_cpu, _children_cpu() - cpu)
    return best, best_cpu


def measure_ingest(config: Path) -> tuple[float, float, int, float]:
    """(ingest seconds, floor seconds, texts, ingest CPU seconds of all its processes) for a
    fresh store at this size."""
    database = _database(config)
    database.parent.mkdir(parents=True, exist_ok=True)
    texts = config.parent / config.stem.replace("config", "corpus") / "texts"
    cpu = _children_cpu()
    done = subprocess.run([sys.executable, "-m", "bench.ingest_worker", str(texts),
                           str(database)], cwd=CODE, env=_env(), capture_output=True,
                          text=True, check=True)
    cpu = _children_cpu() - cpu
    report = json.loads(done.stdout.strip().splitlines()[-1])
    floor = subprocess.run([sys.executable, "-m", "bench.startup", "--floor-insert",
                            str(database)], cwd=REPO, env=_env(first=REPO),
                           capture_output=True, text=True, check=True)
    return (report["duration_s"], float(floor.stdout.strip().splitlines()[-1]), report["texts"],
            cpu)


def floor_insert(source: Path) -> float:
    """Copy every row of ``source`` into a freshly migrated store, no triggers, each FTS5
    index rebuilt once; prints and returns the seconds that took (migration excluded)."""
    from bot.store.database import create_engine_for, migrate
    from bot.store.models import FTS_TABLES, Base

    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "floor.sqlite3"
        engine = create_engine_for(f"sqlite:///{target}")
        migrate(engine)
        engine.dispose()
        connection = sqlite3.connect(target, isolation_level=None)
        # The bot's own connection settings (bot/store/database.py), foreign keys included:
        # the ingest's inserts are checked against their parent rows, so the floor's are too
        # (without, the floor skipped about 0.3 s of that work at 100x).
        connection.execute("PRAGMA foreign_keys=ON")
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute("ATTACH DATABASE ? AS src", (str(source),))
        started = time.perf_counter()
        connection.execute("BEGIN IMMEDIATE")
        triggers = connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall()
        for (name,) in triggers:
            connection.execute(f'DROP TRIGGER "{name}"')
        for table in Base.metadata.sorted_tables:
            connection.execute(f'INSERT INTO main."{table.name}" SELECT * FROM src."{table.name}"')
        for fts in FTS_TABLES:
            connection.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
        connection.execute("COMMIT")
        elapsed = time.perf_counter() - started
        connection.close()
    print(f"{elapsed:.4f}")
    return elapsed


def console_first_prompt(config: Path, repeat: int) -> float:
    """Best time from starting ``console`` on a terminal to its first ``> `` prompt."""
    best = float("inf")
    for _ in range(repeat):
        controller, terminal = pty.openpty()
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "bot", "--config", str(config),
                                    "console"], stdin=terminal, stdout=terminal,
                                   stderr=terminal, cwd=CODE, env=_env())  # the prompt
        seen = b""
        try:
            while b"> " not in seen:
                ready, _, _ = select.select([controller], [], [], 60)
                if not ready:
                    raise RuntimeError(f"console gave no prompt: {seen[-200:]!r}")
                seen += os.read(controller, 4096)
            best = min(best, time.perf_counter() - started)
        finally:
            process.terminate()
            process.wait(timeout=10)
            os.close(terminal)
            os.close(controller)
    return best


async def _run_until_serving(config: Path) -> tuple[float, float, float]:
    """(seconds to identify, seconds to the first answered /sources, peak RSS in MB)."""
    sys.path.insert(0, str(REPO))
    from tests.discord_standin import DiscordStandin

    standin = DiscordStandin()
    await standin.start()
    try:
        dev_config = config.with_name(config.stem + "-run.yaml")
        dev_config.write_text(config.read_text(encoding="utf-8")
                              + f"discord:\n  dev_guild_ids: [{standin.guild.id}]\n",
                              encoding="utf-8")
        env = _env(DISCORD_TOKEN="bench", READBOT_DISCORD_API_BASE=standin.api_base,
                   READBOT_DISCORD_GATEWAY=str(standin.gateway_url))
        started = time.perf_counter()
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "--config", str(dev_config), "run", cwd=CODE,
            env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
        try:
            await standin.wait_until_connected(timeout=120)
            identified = time.perf_counter() - started
            record = await standin.send_slash_command("sources")
            await standin.wait_for_response(record, timeout=120)
            serving = time.perf_counter() - started
            # /quote's indexes are built in the background; a /quote with text waits for
            # them, so the peak below includes them. Its answer, not its first response: a
            # slow answer is deferred first, and the peak read at the deferral missed the
            # index still being built.
            record = await standin.send_slash_command("quote", {"text": "dustbin of history"})
            await _answered(standin, record)
            peak = _peak_rss_mb(process.pid)
            process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(process.wait(), timeout=20)
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
    finally:
        await standin.stop()
    return identified, serving, peak


async def _answered(standin: Any, record: Any, timeout: float = 120) -> None:
    """Until the interaction has its answer: the first response, or after a deferral
    (callback type 5, "thinking...") the message that follows it (a followup or an edit)."""
    await standin.wait_for_response(record, timeout=timeout)
    deferred = (record.response or {}).get("type") == DEFERRED
    await standin.wait_for(lambda: record if not deferred or record.edits or record.followups
                           else None,
                           timeout=timeout, describe=f"the answer to interaction {record.id}")


def _peak_rss_mb(pid: int) -> float:
    """VmHWM: the process's peak resident set, the figure ru_maxrss reports at its exit."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


PARTS = ("ingest", "ask", "console", "run")


def run_benchmark(sizes: list[int], repeat: int, parts: tuple[str, ...] = PARTS
                  ) -> list[Figure]:
    """Every figure of ``parts``; an ``ask``, ``console`` or ``run`` without ``ingest`` still
    ingests each size first (untimed), since they are timed on a fresh index."""
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="readbot-startup-") as folder:
        root = Path(folder)
        configs = {size: _layout(root, size) for size in sizes}
        for size in sizes:
            if "ingest" not in parts:
                measure_ingest(configs[size])
                continue
            ingest_s, floor_s, texts, cpu = measure_ingest(configs[size])
            ratio = ingest_s / floor_s
            target = "< 5x floor, < 10 s" if size == 100 else ""
            met = (ratio < 5 and ingest_s < 10) if size == 100 else None
            figures.append(Figure(f"ingest {size}x ({texts} texts, fresh store)",
                                  f"{ingest_s:.2f} s ({ratio:.0f}x floor; {cpu:.1f} s CPU in "
                                  "all its processes)",
                                  f"{floor_s:.2f} s bulk insert", target, met))
            print(figures[-1].row(), flush=True)
        for size in sizes:  # run at every size; ask and console at the ends
            config = configs[size]
            if size in (sizes[0], sizes[-1]) and "ask" in parts:
                floor, floor_cpu = _timed([sys.executable, "-c", FLOOR_SCRIPT,
                                           str(_database(config))], repeat)
                ask, ask_cpu = _timed([sys.executable, "-m", "bot", "--config", str(config),
                                       "ask", "/who Lenin"], repeat)
                figures.append(Figure(f'ask "/who Lenin" at {size}x, whole process',
                                      f"{ask * 1000:.0f} ms ({ask / floor:.1f}x floor; CPU "
                                      f"{ask_cpu * 1000:.0f} ms)",
                                      f"{floor * 1000:.0f} ms sqlite3 + FTS5 query (CPU "
                                      f"{floor_cpu * 1000:.0f} ms)",
                                      "< 5x floor", ask / floor < 5))
                print(figures[-1].row(), flush=True)
            if size in (sizes[0], sizes[-1]) and "console" in parts:
                prompt = console_first_prompt(config, repeat)
                figures.append(Figure(f"console at {size}x: start to first prompt",
                                      f"{prompt * 1000:.0f} ms"))
                print(figures[-1].row(), flush=True)
            if "run" not in parts:
                continue
            identified, serving, peak = asyncio.run(_run_until_serving(config))
            figures.append(Figure(f"run at {size}x: start to first answer (identify)",
                                  f"{serving:.2f} s ({identified:.2f} s)"))
            print(figures[-1].row(), flush=True)
            figures.append(Figure(f"run at {size}x: peak memory (VmHWM = ru_maxrss)",
                                  f"{peak:.0f} MB", "", "< 120 MB" if size == 100 else "",
                                  peak < 120 if size == 100 else None))
            print(figures[-1].row(), flush=True)
    return figures


def _header() -> list[str]:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO,
                            capture_output=True, text=True, check=False).stdout.strip()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return [f"- {cores} cores available; code {commit}; Python {platform.python_version()}, "
            f"SQLite {sqlite3.sqlite_version}; best of the runs for each timed process",
            "", "| figure | measured | floor | target | |", "|---|---|---|---|---|"]


def write_markdown(path: Path, lines: list[str]) -> None:
    text = path.read_text(encoding="utf-8")
    block = "\n".join([MARK_START, *lines, MARK_END])
    if MARK_START in text:
        before, rest = text.split(MARK_START, 1)
        text = before + block + rest.split(MARK_END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,100")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--markdown", type=Path, default=None)
    parser.add_argument("--parts", default=",".join(PARTS),
                        help="which figures, of " + ", ".join(PARTS) + " (default: all)")
    parser.add_argument("--code", type=Path, default=None,
                        help="measure the bot in this folder (e.g. an export of an older commit)")
    parser.add_argument("--floor-insert", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.floor_insert:
        floor_insert(args.floor_insert)
        return 0
    global CODE
    CODE = (args.code or REPO).resolve()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    header = _header()
    print("\n".join(header), flush=True)
    parts = tuple(p.strip() for p in args.parts.split(",") if p.strip())
    unknown = set(parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown --parts: {', '.join(sorted(unknown))}")
    figures = run_benchmark(sizes, args.repeat, parts)
    if args.markdown:
        with contextlib.suppress(FileNotFoundError):
            write_markdown(args.markdown, [*header, *(f.row() for f in figures)])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
