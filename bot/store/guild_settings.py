"""Read and write per-server switches (the ``guild_setting`` table)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.store.models import GuildSetting

MENTIONS = "answer_mentions"


def get_setting(sessions: sessionmaker[Session], guild_id: int, key: str,
                default: str) -> str:
    with sessions() as session:
        value = session.scalar(select(GuildSetting.value).where(
            GuildSetting.guild_id == guild_id, GuildSetting.key == key))
    return default if value is None else value


def set_setting(sessions: sessionmaker[Session], guild_id: int, key: str, value: str) -> None:
    with sessions.begin() as session:
        session.merge(GuildSetting(guild_id=guild_id, key=key, value=value))
