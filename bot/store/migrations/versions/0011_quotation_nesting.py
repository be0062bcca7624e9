"""Nested quotations: who quotes whom, and an unnamed source in the text's own words.

Revision ID: 0011_quotation_nesting
Revises: 0008_postgres_search
Create Date: 2026-12-10

``quoted_by``: the chain of the quotations' speakers these words are quoted inside, innermost
quoter first, joined by " | " ("Leon Trotsky" for Lenin's testament inside Trotsky's account);
empty for a top-level quotation. ``source_words``: "One report", "a market woman" — the text's
own words for a source it does not name (the speaker then stays NULL).

Numbered 0011 because 0009 and 0010 are another branch's; when both are merged, this
revision's ``down_revision`` becomes that branch's 0010 (a one-line change).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_quotation_nesting"
down_revision: str | Sequence[str] | None = "0008_postgres_search"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("quotation", sa.Column("quoted_by", sa.Text(), nullable=False,
                                         server_default=""))
    op.add_column("quotation", sa.Column("source_words", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("quotation") as batch:
        batch.drop_column("source_words")
        batch.drop_column("quoted_by")
