"""A reading plan per server: a text, its sections in order, a pace or a target date.

Revision ID: 0012_reading_plan
Revises: 0011_quotation_nesting
Create Date: 2026-12-14

Server state: no foreign key to ``source``/``section`` (ingest deletes and re-inserts a
changed text's rows), so a re-ingest or a rebuilt index never touches a plan.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_reading_plan"
down_revision: str | Sequence[str] | None = "0011_quotation_nesting"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
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
