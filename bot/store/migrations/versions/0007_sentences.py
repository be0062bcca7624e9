"""Every sentence as a row with a full-text index: plain questions are answered from these.

Revision ID: 0007_sentences
Revises: 0006_guild_settings
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.store.fts_schema import create_fts, drop_fts

revision: str = "0007_sentences"
down_revision: str | Sequence[str] | None = "0006_guild_settings"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sentence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("passage_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["source_id"], ["source.id"],
                                name=op.f("fk_sentence_source_id_source"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["passage_id"], ["passage.id"],
                                name=op.f("fk_sentence_passage_id_passage"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sentence")),
    )
    op.create_index(op.f("ix_sentence_source_id"), "sentence", ["source_id"])
    op.create_index(op.f("ix_sentence_passage_id"), "sentence", ["passage_id"])
    if op.get_bind().dialect.name == "sqlite":
        create_fts(op.execute, "sentence_fts", "sentence", ("text",))
        # The indexed terms (stemmed) and how many sentences hold each: the vocabulary that
        # typo correction and term weighting read without scanning the sentences.
        op.execute("CREATE VIRTUAL TABLE sentence_vocab USING fts5vocab(sentence_fts, 'row')")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS sentence_vocab")
        drop_fts(op.execute, "sentence_fts", "sentence")
    op.drop_table("sentence")
