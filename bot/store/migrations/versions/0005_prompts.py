"""Daily study prompts: per-server schedules, the post log keyed by (guild, local date), and
moderators' own prompts and members' suggestions.

None of these tables references the corpus tables, so a re-ingest (which deletes and re-inserts
source rows) never touches them.

Revision ID: 0005_prompts
Revises: 0004_date_mentions
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_prompts"
down_revision: str | Sequence[str] | None = "0004_date_mentions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    if "prompt_schedule" in sa.inspect(op.get_bind()).get_table_names():
        return  # made by the server-state history already (bot/store/state_migrations)
    op.create_table(
        "prompt_schedule",
        sa.Column("guild_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("channel_id", sa.BigInteger(), nullable=False),
        sa.Column("local_time", sa.String(5), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("open_thread", sa.Boolean(), nullable=False),
        sa.Column("role_id", sa.BigInteger(), nullable=True),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("pause_reason", sa.Text(), nullable=True),
        sa.Column("active_since", _UTC, nullable=False),
        sa.Column("next_check_at", _UTC, nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("updated_by", sa.BigInteger(), nullable=True),
        sa.Column("updated_at", _UTC, nullable=False),
        sa.PrimaryKeyConstraint("guild_id", name=op.f("pk_prompt_schedule")),
    )
    op.create_index(op.f("ix_prompt_schedule_next_check_at"), "prompt_schedule",
                    ["next_check_at"])

    op.create_table(
        "prompt_post",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("local_date", sa.String(10), nullable=False),
        sa.Column("scheduled_for", _UTC, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("prompt_key", sa.String(200), nullable=True),
        sa.Column("prompt_text", sa.Text(), nullable=True),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("cycle", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.BigInteger(), nullable=True),
        sa.Column("claim_token", sa.String(64), nullable=True),
        sa.Column("claimed_at", _UTC, nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("retry_at", _UTC, nullable=True),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("thread_id", sa.BigInteger(), nullable=True),
        sa.Column("sent_at", _UTC, nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prompt_post")),
        # The idempotency key: one post per server per local date, whoever tries.
        sa.UniqueConstraint("guild_id", "local_date",
                            name=op.f("uq_prompt_post_guild_id_local_date")),
    )

    op.create_table(
        "custom_prompt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("source_slug", sa.String(80), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("author_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", _UTC, nullable=False),
        sa.Column("reviewed_by", sa.BigInteger(), nullable=True),
        sa.Column("reviewed_at", _UTC, nullable=True),
        sa.Column("duplicate_of", sa.Text(), nullable=True),
        sa.Column("duplicate_score", sa.Float(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_custom_prompt")),
    )
    op.create_index(op.f("ix_custom_prompt_guild_id_status"), "custom_prompt",
                    ["guild_id", "status"])


def downgrade() -> None:
    op.drop_table("custom_prompt")
    op.drop_table("prompt_post")
    op.drop_table("prompt_schedule")
