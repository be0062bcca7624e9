"""People named in each passage (mention counts, co-mentions) and names the registry lacks.

Revision ID: 0003_mentions
Revises: 0002_quotation_speaker
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_mentions"
down_revision: str | Sequence[str] | None = "0002_quotation_speaker"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "mention",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("passage_id", sa.Integer(), nullable=False),
        sa.Column("person", sa.Text(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["source_id"], ["source.id"],
                                name=op.f("fk_mention_source_id_source"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["passage_id"], ["passage.id"],
                                name=op.f("fk_mention_passage_id_passage"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mention")),
    )
    op.create_index(op.f("ix_mention_source_id"), "mention", ["source_id"])
    op.create_index(op.f("ix_mention_passage_id"), "mention", ["passage_id"])
    op.create_index(op.f("ix_mention_person_source_id"), "mention", ["person", "source_id"])
    op.add_column("source", sa.Column("unknown_names", sa.JSON(), nullable=False,
                                      server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("source") as batch:
        batch.drop_column("unknown_names")
    op.drop_table("mention")
