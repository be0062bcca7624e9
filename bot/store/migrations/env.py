"""Alembic environment for the store.

``bot.store.database.migrate()`` passes an open connection in ``config.attributes["connection"]``
so the migration runs inside the caller's transaction. Run from the command line (for
``revision --autogenerate``), it connects to ``sqlalchemy.url`` instead:

    alembic -c bot/store/alembic.ini -x url=sqlite:///data/readbot.sqlite3 revision \\
        --autogenerate -m "add person"
"""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy.engine import Connection

from bot.store.database import run_environment
from bot.store.models import FTS_TABLES, FTS_VIEWS, STATE_TABLES, Base

config = context.config


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Hide the FTS5 virtual tables and their shadow tables from autogenerate, and
    PostgreSQL's generated search columns (``search_tsv``, ``search_tokens``, migration 0008).

    They are created by hand in the migrations (the ORM does not model them); without this,
    autogenerate would propose dropping them.
    """
    if type_ == "column" and name is not None and name.startswith("search_"):
        return False
    # Server state has its own history (bot/store/state_migrations); on PostgreSQL its tables
    # share this database, and 0013 leaves SQLite's old copies as legacy_* until moved.
    if type_ == "table" and name is not None and (
            name in STATE_TABLES or name.startswith("legacy_")
            or name == "state_alembic_version"):
        return False
    return not (type_ == "table" and name is not None and name.startswith(FTS_TABLES + FTS_VIEWS))


def run_with(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        include_object=include_object,
        # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported; FTS5 DDL is dialect-specific")
run_environment(context, run_with)
