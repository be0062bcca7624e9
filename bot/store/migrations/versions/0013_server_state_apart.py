"""Server state leaves the SQLite index file (it moves to a database of its own).

On SQLite, each server-state table of the index file (made by 0005 and 0006) is dropped when
empty, and renamed ``legacy_<name>`` when it holds rows: never dropped with data in it, whoever
runs this migration (``readbot ingest`` migrates too). Opening the state store
(``bot/store/state.py``) then copies those rows into the state database and drops the legacy
tables. On PostgreSQL nothing changes here: the tables stay in the one database, now owned by
the state history (``bot/store/state_migrations``), and no index table refers to them.

The reading plan (0012) is server state too: it moves with the others, and the state history
creates it (state revision 0002).

Revision ID: 0013_server_state_apart
Revises: 0012_reading_plan
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_server_state_apart"
down_revision: str | Sequence[str] | None = "0012_reading_plan"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLES = ("prompt_schedule", "prompt_post", "custom_prompt", "guild_setting", "reading_plan")


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    existing = set(sa.inspect(bind).get_table_names())
    for table in _TABLES:
        if table not in existing:
            continue
        if bind.exec_driver_sql(f'SELECT 1 FROM "{table}" LIMIT 1').first() is None:
            op.drop_table(table)
        else:
            op.rename_table(table, f"legacy_{table}")
    # Index names are per database in SQLite: free them for a state store in this same file
    # (an in-memory one); a legacy table needs no index to be copied once.
    for index in ("ix_prompt_schedule_next_check_at", "ix_custom_prompt_guild_id_status"):
        op.execute(f'DROP INDEX IF EXISTS "{index}"')


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    # Empty tables again, for 0006 and 0005 to drop on the way down (any rows are in the
    # state database, which a downgrade of the index does not touch).
    from bot.store.models import StateBase

    StateBase.metadata.create_all(bind, checkfirst=True)
