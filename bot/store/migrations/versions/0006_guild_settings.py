"""Per-server switches a moderator sets with /config (e.g. answering mentions).

Revision ID: 0006_guild_settings
Revises: 0005_prompts
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_guild_settings"
down_revision: str | Sequence[str] | None = "0005_prompts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if "guild_setting" in sa.inspect(op.get_bind()).get_table_names():
        return  # made by the server-state history already (bot/store/state_migrations)
    op.create_table(
        "guild_setting",
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("key", sa.String(40), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("guild_id", "key", name=op.f("pk_guild_setting")),
    )


def downgrade() -> None:
    op.drop_table("guild_setting")
