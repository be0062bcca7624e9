"""Dates the texts state, with sentence spans and the people named with them.

Revision ID: 0004_date_mentions
Revises: 0003_mentions
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_date_mentions"
down_revision: str | Sequence[str] | None = "0003_mentions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "date_mention",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("passage_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("precision", sa.String(10), nullable=False),
        sa.Column("date_iso", sa.String(10), nullable=False),
        sa.Column("until_iso", sa.String(10), nullable=True),
        sa.Column("year_start", sa.Integer(), nullable=False),
        sa.Column("year_end", sa.Integer(), nullable=False),
        sa.Column("sentence_start", sa.Integer(), nullable=False),
        sa.Column("sentence_end", sa.Integer(), nullable=False),
        sa.Column("people", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["source_id"], ["source.id"],
                                name=op.f("fk_date_mention_source_id_source"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["passage_id"], ["passage.id"],
                                name=op.f("fk_date_mention_passage_id_passage"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_date_mention")),
    )
    op.create_index(op.f("ix_date_mention_source_id"), "date_mention", ["source_id"])
    op.create_index(op.f("ix_date_mention_passage_id"), "date_mention", ["passage_id"])
    op.create_index(op.f("ix_date_mention_year_start_year_end"), "date_mention",
                    ["year_start", "year_end"])


def downgrade() -> None:
    op.drop_table("date_mention")
