"""Server state in a history of its own: prompt schedules, the post log, moderators' prompts
and members' suggestions, per-server settings.

The same tables index migrations 0005 and 0006 made. On SQLite they now live in a database of
their own (``bot/store/state.py`` moves the rows of an older single-file store); on PostgreSQL
they stay where they are, in the one database, and this revision adopts them: a table that is
already there is left as it is.

Revision ID: 0001_server_state
Revises:
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001_server_state"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    if "prompt_schedule" not in existing:
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
    if "prompt_post" not in existing:
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
    if "custom_prompt" not in existing:
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
    if "guild_setting" not in existing:
        op.create_table(
            "guild_setting",
            sa.Column("guild_id", sa.BigInteger(), nullable=False),
            sa.Column("key", sa.String(40), nullable=False),
            sa.Column("value", sa.Text(), nullable=False),
            sa.PrimaryKeyConstraint("guild_id", "key", name=op.f("pk_guild_setting")),
        )


def downgrade() -> None:
    for table in ("guild_setting", "custom_prompt", "prompt_post", "prompt_schedule"):
        op.drop_table(table)
