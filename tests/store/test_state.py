"""Server state lives apart from the rebuildable index: no rebuild or deletion of the index can
lose a schedule, the post log, a moderator's prompt, a suggestion or a server's setting."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect

from bot.config import Settings
from bot.services import open_services
from bot.store import state as state_module
from bot.store.database import (
    STATE_MIGRATIONS_DIR,
    STATE_VERSION_TABLE,
    alembic_config,
    create_engine_for,
    current_revision,
    head_revision,
    migrate,
    migrate_state,
)
from bot.store.guild_settings import MENTIONS, get_setting, set_setting
from bot.store.models import STATE_TABLES, Base
from bot.store.prompt_store import PromptRepository, ScheduleRecord
from bot.store.state import move_legacy_state, state_url_for
from tests.corpus_helpers import TEXTS
from tests.postgres import new_database
from tests.prompt_helpers import utc

GUILD = 81384788765712384
NOW = utc(2024, 3, 31, 8)
DAY = date(2024, 3, 31)
SCHEDULE = ScheduleRecord(
    guild_id=GUILD, channel_id=1, local_time="09:00", timezone="Europe/London", days=127,
    open_thread=True, role_id=None, paused=False, pause_reason=None, active_since=NOW,
    next_check_at=NOW, note=None, updated_by=5, updated_at=NOW)


def write_state(engine: Engine) -> None:
    """One of each kind of server state, through the repositories the bot writes with."""
    repository = PromptRepository(engine)
    repository.save_schedule(SCHEDULE)
    for status, question in (("active", "What did Kronstadt change?"),
                             ("pending", "Was the NEP a retreat?")):
        repository.add_custom(guild_id=GUILD, question=question, source_slug=None,
                              evidence=None, tags=["Kronstadt"], status=status, author_id=5,
                              now=NOW, duplicate_of=None, duplicate_score=None)
    assert repository.claim_post(guild_id=GUILD, local_date=DAY, scheduled_for=NOW, token="t",
                                 now=NOW, prompt_key="k", prompt_text="Q?", tags=["t"],
                                 cycle=0, channel_id=1) is not None
    set_setting(engine, GUILD, MENTIONS, "off")


def assert_state(engine: Engine) -> None:
    repository = PromptRepository(engine)
    assert repository.get_schedule(GUILD) == SCHEDULE
    assert [c.question for c in repository.list_custom(GUILD, ("active",))] == [
        "What did Kronstadt change?"]
    assert [c.question for c in repository.list_custom(GUILD, ("pending",))] == [
        "Was the NEP a retreat?"]
    post = repository.post_for(GUILD, DAY)
    assert post is not None and post.prompt_text == "Q?" and post.tags == ["t"]
    assert get_setting(engine, GUILD, MENTIONS, "on") == "off"


def settings_in(folder: Path) -> Settings:
    return Settings(corpus_dir=TEXTS.parent, data_dir=folder / "data")


def test_the_state_file_sits_beside_a_sqlite_index_and_postgres_shares_its_database() -> None:
    assert state_url_for("sqlite:////srv/readbot/data/readbot.sqlite3") == \
        "sqlite:////srv/readbot/data/readbot-state.sqlite3"
    server = "postgresql+psycopg://bot:secret@db/readbot"
    assert state_url_for(server) == server
    assert state_url_for("sqlite://") == "sqlite://"  # in memory: one database


def test_deleting_the_index_loses_no_server_state(tmp_path: Path) -> None:
    settings = settings_in(tmp_path)
    services = open_services(settings)
    assert services.state_engine is not None
    write_state(services.state_engine)
    services.close()
    data = tmp_path / "data"
    assert {p.name for p in data.glob("*.sqlite3")} == {"readbot.sqlite3",
                                                        "readbot-state.sqlite3"}
    index = create_engine_for(settings.effective_database_url)
    assert not set(STATE_TABLES) & set(inspect(index).get_table_names())
    index.dispose()
    for path in data.glob("readbot.sqlite3*"):  # the index, with its -wal and -shm
        path.unlink()
    services = open_services(settings)  # rebuilt from the corpus
    assert services.ingest_report is not None and services.ingest_report.totals.texts == 5
    assert_state(services.answers.store.state)
    services.close()


def old_single_file_store(path: Path) -> Engine:
    """A store as the code before the split built it: the index at 0012, server state in it
    (no reading plan set: an empty state table is dropped, not moved)."""
    from alembic import command

    engine = create_engine_for(f"sqlite:///{path}")
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0012_reading_plan")
    write_state(engine)
    return engine


def test_an_old_single_file_store_moves_its_state_out_once(tmp_path: Path) -> None:
    settings = settings_in(tmp_path)
    old_single_file_store(tmp_path / "data" / "readbot.sqlite3").dispose()
    services = open_services(settings)
    assert_state(services.answers.store.state)
    tables = set(inspect(services.engine).get_table_names())
    assert not tables & set(STATE_TABLES) and not any(t.startswith("legacy_") for t in tables)
    assert services.answers.store.sources.all()  # the index itself was kept and brought on
    services.close()
    services = open_services(settings)  # nothing left to move: still exactly one of each
    assert_state(services.answers.store.state)
    assert len(PromptRepository(services.answers.store.state).list_custom(
        GUILD, ("active", "pending"))) == 2
    services.close()


def test_a_move_cut_short_after_the_copy_is_finished_without_doubling(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    index = old_single_file_store(tmp_path / "readbot.sqlite3")
    migrate(index)  # 0013: the state tables become legacy_*, rows and all
    moved = {f"legacy_{t}" for t in STATE_TABLES if t != "reading_plan"}  # the plan: empty
    assert moved <= set(inspect(index).get_table_names())
    state = create_engine_for(state_url_for(str(index.url)))
    migrate_state(state)

    def killed(*_: object) -> None:
        raise KeyboardInterrupt  # the process dies between the copy and the drop

    monkeypatch.setattr(state_module, "_drop", killed)
    with pytest.raises(KeyboardInterrupt):
        move_legacy_state(index, state)
    monkeypatch.undo()
    assert move_legacy_state(index, state) == 5  # copied again, each row ignored as present
    assert_state(state)
    assert len(PromptRepository(state).list_custom(GUILD, ("active", "pending"))) == 2
    assert move_legacy_state(index, state) == 0
    index.dispose()
    state.dispose()


def test_the_state_history_is_its_own(tmp_path: Path) -> None:
    state = create_engine_for(f"sqlite:///{tmp_path / 'state.sqlite3'}")
    migrate_state(state)
    assert current_revision(state, STATE_VERSION_TABLE) == head_revision(STATE_MIGRATIONS_DIR)
    assert current_revision(state) is None  # no index revision in a state database
    assert set(inspect(state).get_table_names()) == {*STATE_TABLES, STATE_VERSION_TABLE}
    state.dispose()


@pytest.mark.postgres
def test_on_postgres_dropping_the_index_tables_leaves_server_state() -> None:
    engine = create_engine_for(new_database("state"))
    migrate(engine)
    migrate_state(engine)  # adopts the tables 0005 and 0006 made in this database
    write_state(engine)
    Base.metadata.drop_all(engine)  # every index table (FTS columns and all)
    assert not {"source", "passage"} & set(inspect(engine).get_table_names())
    assert_state(engine)
    engine.dispose()
