"""What the index knows about its own health: why it is stale, and the last good curated files.

Kept in ``store_meta`` beside the index it describes, so every process that opens the store
(the bot, ``ask``, a shard on another machine) sees the same reasons:

- ``INGEST_PROBLEMS``: texts the last ingest skipped, each "file:line: key: reason" (written
  in the ingest's own transaction, so it never disagrees with what the index holds).
- ``START_PROBLEMS``: what the last start-up could not use (an ingest that failed as a whole,
  a curated file that is malformed), written by ``bot.services`` after the fact.
- ``curated:<file>`` / ``curated-sha:<file>``: the text of each curated YAML file
  (people.yaml, events.yaml, lexicon.yaml, prompts.yaml) as last read without error, so a
  malformed edit can be answered with the version the bot had, not with a crash.
"""

from __future__ import annotations

import hashlib
import json
import logging

from sqlalchemy import Connection, Engine, delete, insert, select
from sqlalchemy.exc import SQLAlchemyError

from bot.store.database import write_transaction
from bot.store.layout import CURATED_PREFIX as _CURATED
from bot.store.layout import CURATED_SHA_PREFIX as _CURATED_SHA
from bot.store.layout import INGEST_PROBLEMS, START_PROBLEMS, problems_from
from bot.store.models import StoreMeta

__all__ = ["INGEST_PROBLEMS", "START_PROBLEMS", "CannotServe", "index_problems",
           "last_good_curated", "read_problems", "record_start_problems", "remember_curated",
           "write_problems"]
log = logging.getLogger(__name__)


class CannotServe(Exception):
    """Nothing to serve: no index yet and none can be built, or a malformed curated file with
    no earlier good copy. str() says what to fix."""


def read_problems(connection: Connection, key: str) -> list[str]:
    return problems_from(connection.scalar(select(StoreMeta.value).where(StoreMeta.key == key)))


def write_problems(connection: Connection, key: str, problems: list[str]) -> None:
    """Replace the list under ``key`` (none: the key is removed). Inside the caller's
    transaction."""
    connection.execute(delete(StoreMeta).where(StoreMeta.key == key))
    if problems:
        connection.execute(insert(StoreMeta).values(key=key, value=json.dumps(problems)))


def index_problems(engine: Engine) -> list[str]:
    """Every recorded reason the index is stale: skipped texts, then start-up problems."""
    with engine.connect() as connection:
        found = read_problems(connection, INGEST_PROBLEMS)
        found += [p for p in read_problems(connection, START_PROBLEMS) if p not in found]
    return found


def record_start_problems(engine: Engine, problems: list[str]) -> None:
    """Best effort: remember this start's problems for /sources (written only when they
    changed, so a healthy start writes nothing). A store that refuses the write (read-only,
    locked) loses only the note, which the log has too."""
    try:
        with engine.connect() as connection:
            if read_problems(connection, START_PROBLEMS) == problems:
                return
        with write_transaction(engine) as connection:
            write_problems(connection, START_PROBLEMS, problems)
    except SQLAlchemyError as exc:
        log.warning("could not record the index's problems in the store: %s",
                    str(exc).splitlines()[0])


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def last_good_curated(engine: Engine, name: str) -> str | None:
    """The text of curated file ``name`` as last read without error; None if never saved."""
    with engine.connect() as connection:
        return connection.scalar(select(StoreMeta.value)
                                 .where(StoreMeta.key == _CURATED + name))


def remember_curated(engine: Engine, texts: dict[str, str]) -> None:
    """Save each curated file that read without error as the last good copy.

    One small query at every start (the hashes); a write only when a file changed. Best
    effort, as ``record_start_problems``."""
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                select(StoreMeta.key, StoreMeta.value)
                .where(StoreMeta.key.in_([_CURATED_SHA + name for name in texts])))
            stored = {row.key: row.value for row in rows}
        changed = {name: text for name, text in texts.items()
                   if stored.get(_CURATED_SHA + name) != _sha(text)}
        if not changed:
            return
        with write_transaction(engine) as connection:
            for name, text in changed.items():
                keys = (_CURATED + name, _CURATED_SHA + name)
                connection.execute(delete(StoreMeta).where(StoreMeta.key.in_(keys)))
                connection.execute(insert(StoreMeta), [
                    {"key": _CURATED + name, "value": text},
                    {"key": _CURATED_SHA + name, "value": _sha(text)}])
    except SQLAlchemyError as exc:
        log.warning("could not save the last good copy of %s: %s", ", ".join(texts),
                    str(exc).splitlines()[0])
