"""Read and write per-server switches (the ``guild_setting`` table)."""

from __future__ import annotations

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.store.models import GuildSetting

MENTIONS = "answer_mentions"
#: "on": answers are limited to what the server's reading plan has reached.
SPOILERS = "spoiler_control"


def get_setting(engine: Engine, guild_id: int, key: str, default: str) -> str:
    with engine.connect() as connection:
        value = connection.scalar(select(GuildSetting.value).where(
            GuildSetting.guild_id == guild_id, GuildSetting.key == key))
    return default if value is None else value


def set_setting(engine: Engine, guild_id: int, key: str, value: str) -> None:
    with Session(engine) as session, session.begin():
        session.merge(GuildSetting(guild_id=guild_id, key=key, value=value))
