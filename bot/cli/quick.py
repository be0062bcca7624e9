"""``ask "/who <name>"`` on a SQLite index, answered without SQLAlchemy, pydantic or PyYAML.

A one-shot ``ask`` is a whole process: the floor it is measured against (bench/startup.py) is
a process that opens the SQLite file and runs one query, about 30 ms here. The full start
(``bot.cli.main``) imports SQLAlchemy, pydantic and PyYAML and checks the store through them
before the first answer, 500 ms or more of which /who needs none. So when everything the
full start would check is already in order, this path answers the same way with less:

- the config's values from their snapshot (``bot/settings_snapshot.py``), taken only when the
  file hashes as it did when the full path last validated it;
- the store through ``SqliteReads`` (bot/store/sqlite_reads.py, the standard library's
  sqlite3), only when both schemas are at head, the index is fresh and nothing is recorded
  against it (``ready_to_serve``);
- the people from the curated cache (bot/curated_cache.py), only when every curated file is
  the one kept there and in the store;
- the answer from the same ``who`` code (``who_in``), rendered by the same renderer.

Any doubt, and ``answer_quickly`` returns None before printing anything: the full path then
runs as it always did (ingest, migrations, messages about bad files, PostgreSQL).
"""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.settings_snapshot import (
    DATABASE_URL_ENV,
    DEFAULT_CONFIG,
    INDEX_FILE,
    TOKEN_ENV,
    SettingsSnapshot,
    recall,
)

if TYPE_CHECKING:
    from bot.answers.core.model import Answer
    from bot.corpus.people import PeopleRegistry
    from bot.store.sqlite_reads import SqliteReads

#: The commands answered here: those that read no search index and no server state.
QUICK_COMMANDS = ("/who",)
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2  # as bot/cli/main.py


def _simple_ask(argv: list[str]) -> tuple[Path | None, str, bool] | None:
    """(config, input, --json) of ``[--config FILE] ask INPUT [--json]``; None for any other
    command line, which the full parser (with its help and errors) then reads."""
    config: Path | None = None
    rest = list(argv)
    if rest[:1] == ["--config"] and len(rest) >= 2:
        config, rest = Path(rest[1]), rest[2:]
    if len(rest) < 2 or rest[0] != "ask":
        return None
    text, options = rest[1], rest[2:]
    if text.startswith("-") or options not in ([], ["--json"]):
        return None
    return config, text, options == ["--json"]


def answer_quickly(argv: list[str]) -> int | None:
    """The exit code, once the answer is printed; None when the full path must answer."""
    asked = _simple_ask(argv)
    if asked is None:
        return None
    config, text, as_json = asked
    command, _, rest = text.strip().partition(" ")
    if command.lower() not in QUICK_COMMANDS or os.environ.get(DATABASE_URL_ENV, "").strip():
        return None
    settings = recall(config or DEFAULT_CONFIG)
    if settings is None or settings.database_url:  # a URL of its own: the full path
        return None
    try:
        answer = _who(settings, rest)
    except (sqlite3.Error, OSError):  # a store this path cannot read: the full path says why
        answer = None
    if answer is None:
        return None
    from bot import logs
    from bot.answers.core.model import AnswerKind
    from bot.cli.render import render_json, render_text

    # As the full path does, though this one logs nothing on its way to an answer.
    logs.configure(settings.logging_level, secrets=[os.environ.get(TOKEN_ENV, "").strip()])
    try:
        print(render_json(answer) if as_json else render_text(answer))
        sys.stdout.flush()
    except BrokenPipeError:  # `ask ... | head -1`: quiet, as bot/cli/main.py's main()
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_FAILED
    return EXIT_USAGE if answer.kind is AnswerKind.ERROR else EXIT_OK


def _who(settings: SettingsSnapshot, typed: str) -> Answer | None:
    """The /who answer, or None when this path may not serve it (see the module's doc)."""
    from bot.store.sqlite_reads import SqliteReads

    corpus_dir = Path(settings.corpus_dir)
    index_file = Path(settings.data_dir) / INDEX_FILE
    reads = SqliteReads.open(index_file)
    if reads is None:
        return None
    try:
        if not reads.ready_to_serve(index_file, corpus_dir / "texts"):
            return None
        people = _people(reads, index_file, corpus_dir, settings.prompts_file)
        if people is None:
            return None
        from bot.answers.core.cache import AnswerCache
        from bot.answers.core.reach import NO_LIMIT
        from bot.answers.people.who import who_in

        return who_in(reads, AnswerCache(), NO_LIMIT, people, typed)
    finally:
        reads.close()


def _people(reads: SqliteReads, index_file: Path, corpus_dir: Path,
            prompts_file: str) -> PeopleRegistry | None:
    """people.yaml's registry from the curated cache, when every curated file there is is
    the one kept there and its last good copy is in the store; else None. (A missing file
    other than people.yaml reads as empty on the full path too: /who needs none of them.)"""
    from bot.corpus.people import PeopleRegistry
    from bot.curated_cache import CuratedCache, cache_path_beside, curated_files

    kept = CuratedCache(cache_path_beside(index_file))
    texts: dict[str, str] = {}
    people: object = None
    for name, path in curated_files(corpus_dir, prompts_file).items():
        is_people = path == corpus_dir / "people.yaml"
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            if is_people:
                return None
            continue  # read as empty, and kept nowhere, by the full path too: nothing to check
        except OSError:  # unreadable: the full path names the file
            return None
        if not kept.holds(name, data):
            return None
        texts[name] = data.decode("utf-8-sig")
        if is_people:
            people = kept.get(name, data)
    if not isinstance(people, PeopleRegistry) or not reads.curated_saved(texts):
        return None
    return people
