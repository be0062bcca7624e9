"""Server state apart from the rebuildable index: where it lives, and the one-time move.

Server state is what no corpus can rebuild: prompt schedules, the post log, moderators'
prompts and members' suggestions, per-server settings (``StateBase`` in ``models.py``; a
reading plan's tables belong there too). The index can be deleted, rebuilt or re-ingested at
will; server state must survive all of it.

- SQLite: a second database file beside the index, ``<index>-state.sqlite3``
  (``data/readbot-state.sqlite3`` by default), with its own migrations
  (``bot/store/state_migrations``, version table ``state_alembic_version``). Deleting
  ``readbot.sqlite3`` to rebuild the index leaves it alone.
- PostgreSQL: the same database (one connection pool, one backup), the same tables as before;
  no index table refers to them, so dropping or rebuilding the index tables leaves them be.

A store from before the split has its state in the index file; index migration 0013 renames
those tables ``legacy_*`` and ``move_legacy_state`` copies their rows into the state database
once, then drops them. Copying first and dropping after, with rows keyed by their own primary
keys (INSERT OR IGNORE), makes the move safe to repeat after a crash half-way.
"""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import Connection, Engine, inspect
from sqlalchemy.engine import make_url

from bot.store.database import migrate_state, write_transaction
from bot.store.layout import LEGACY_PREFIX, state_file_for
from bot.store.models import STATE_TABLES

log = logging.getLogger(__name__)


def sqlite_file_of(index_url: str) -> Path | None:
    """The file of a SQLite index; None for a server database or an in-memory index (no
    folder to put anything beside it)."""
    url = make_url(index_url)
    database = url.database
    if url.get_backend_name() != "sqlite" or not database or database == ":memory:" \
            or database.startswith("file:"):
        return None
    return Path(database)


def state_url_for(index_url: str) -> str:
    """The state database for an index: a file beside a SQLite index file, the same database
    on a server (or for an in-memory SQLite index, which has no folder to put a file in)."""
    path = sqlite_file_of(index_url)
    if path is None:
        return index_url
    state = state_file_for(path)
    return make_url(index_url).set(database=str(state)).render_as_string(hide_password=False)


def open_state(index: Engine, state: Engine) -> None:
    """Bring the state database to its head and move an older store's state into it."""
    migrate_state(state)
    move_legacy_state(index, state)


def move_legacy_state(index: Engine, state: Engine) -> int:
    """Copy the rows of the index's ``legacy_*`` tables into the state database, then drop
    them from the index. Returns the number of rows copied (0: nothing to move)."""
    if index.dialect.name != "sqlite":
        return 0
    legacy = [t for t in inspect(index).get_table_names()
              if t.startswith(LEGACY_PREFIX) and t[len(LEGACY_PREFIX):] in STATE_TABLES]
    if not legacy:
        return 0
    same = index is state or index.url == state.url  # an in-memory store: one database
    with write_transaction(state) as target:
        if same:
            moved = _copy(target, target, legacy)
            _drop(target, legacy)
        else:
            with index.connect() as source:
                moved = _copy(source, target, legacy)
    if not same:  # only once the copy is committed
        with write_transaction(index) as connection:
            _drop(connection, legacy)
    log.warning("moved %d rows of server state (%s) out of the index into %s", moved,
                ", ".join(t[len(LEGACY_PREFIX):] for t in legacy),
                state.url.render_as_string(hide_password=True))
    return moved


def _copy(source: Connection, target: Connection, legacy: list[str]) -> int:
    moved = 0
    for table in legacy:
        name = table[len(LEGACY_PREFIX):]
        # Raw values, SQLite to SQLite: the stored text of a date or a JSON list is copied as
        # it is, not decoded and encoded again. Only the columns both sides have.
        wanted = {c["name"] for c in inspect(target).get_columns(name)}
        columns = [c["name"] for c in inspect(source).get_columns(table) if c["name"] in wanted]
        names = ", ".join(f'"{c}"' for c in columns)
        rows = source.exec_driver_sql(f'SELECT {names} FROM "{table}"').all()
        if rows:
            marks = ", ".join("?" for _ in columns)
            target.exec_driver_sql(f'INSERT OR IGNORE INTO "{name}" ({names}) VALUES ({marks})',
                                   [tuple(row) for row in rows])
        moved += len(rows)
    return moved


def _drop(connection: Connection, legacy: list[str]) -> None:
    for table in legacy:
        connection.exec_driver_sql(f'DROP TABLE "{table}"')
