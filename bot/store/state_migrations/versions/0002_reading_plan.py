"""Server state: each server's reading plan (the table index migration 0012 made).

On SQLite it now lives in the state database (the index's 0013 renames a table with rows to
``legacy_reading_plan``, and opening the state store copies them here); on PostgreSQL the
table stays in the one database and this revision adopts it.

Revision ID: 0002_reading_plan
Revises: 0001_server_state
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_reading_plan"
down_revision: str | Sequence[str] | None = "0001_server_state"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if "reading_plan" in set(sa.inspect(op.get_bind()).get_table_names()):
        return
    op.create_table(
        "reading_plan",
        sa.Column("guild_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("source_slug", sa.String(80), nullable=False),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column("start_date", sa.String(10), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("per_week", sa.Integer(), nullable=True),
        sa.Column("target_date", sa.String(10), nullable=True),
        sa.Column("advanced", sa.Integer(), nullable=False),
        sa.Column("paused_on", sa.String(10), nullable=True),
        sa.Column("paused_days", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.BigInteger(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("guild_id", name=op.f("pk_reading_plan")),
    )


def downgrade() -> None:
    op.drop_table("reading_plan")
