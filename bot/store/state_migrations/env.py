"""Alembic environment for server state (``bot.store.database.migrate_state``).

A history of its own, beside the index's (``bot/store/migrations``): its own script location
and its own version table, ``state_alembic_version``, so that on PostgreSQL, where both live in
one database, neither history sees the other's tables or revisions. Run as the index's is
(``config.attributes["connection"]``); for autogenerate, ``-x url=`` names the state database:

    alembic -c bot/store/alembic.ini -n state -x url=sqlite:///data/readbot-state.sqlite3 \\
        revision --autogenerate -m "add reading plan"
"""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy.engine import Connection

from bot.store.database import STATE_VERSION_TABLE, run_environment
from bot.store.models import STATE_TABLES, StateBase

config = context.config


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Only the server-state tables: on PostgreSQL the index's share the database."""
    return not (type_ == "table" and name is not None and name not in STATE_TABLES)


def run_with(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=StateBase.metadata,
        include_object=include_object,
        version_table=STATE_VERSION_TABLE,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported")
run_environment(context, run_with)
