"""Quotation attribution: who said the words, how sure, and how it was decided.

Revision ID: 0002_quotation_speaker
Revises: 0001_initial
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_quotation_speaker"
down_revision: str | Sequence[str] | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("quotation", sa.Column("speaker", sa.Text(), nullable=True))
    op.add_column("quotation", sa.Column("speaker_confidence", sa.Float(), nullable=False,
                                         server_default="0"))
    op.add_column("quotation", sa.Column("attribution_method", sa.String(20), nullable=False,
                                         server_default="none"))
    op.add_column("quotation", sa.Column("attribution_evidence", sa.Text(), nullable=True))
    op.create_index(op.f("ix_quotation_speaker"), "quotation", ["speaker"])


def downgrade() -> None:
    op.drop_index(op.f("ix_quotation_speaker"), table_name="quotation")
    with op.batch_alter_table("quotation") as batch:
        for column in ("attribution_evidence", "attribution_method", "speaker_confidence",
                       "speaker"):
            batch.drop_column(column)
