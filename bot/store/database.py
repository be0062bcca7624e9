"""Engine, sessions and schema migrations.

SQLite is the default (one file, no server); PostgreSQL URLs pass straight through. Alembic owns
the schema: ``migrate()`` runs ``upgrade head`` from the migrations shipped inside this package,
so a fresh clone, an installed wheel and the tests all build the same schema the same way.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 5000  # wait for a concurrent writer instead of failing at once
_IMMEDIATE = "readbot_sqlite_immediate"  # execution option read by the BEGIN hook


def create_engine_for(url: str, *, pool_size: int = 5, max_overflow: int = 5,
                      pool_timeout: float = 30.0, **kwargs: Any) -> Engine:
    """An engine for ``url``; for SQLite, also the data folder and the connection PRAGMAs.

    The pool settings are for a server database (one file needs no pool tuning)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        if "poolclass" not in kwargs:  # a caller's own pool (tests: NullPool) has no sizes
            kwargs.update(pool_size=pool_size, max_overflow=max_overflow,
                          pool_timeout=pool_timeout)
        return create_engine(parsed, pool_pre_ping=True, **kwargs)
    _ensure_sqlite_folder(parsed)
    engine = create_engine(parsed, **kwargs)
    event.listen(engine, "connect", _on_sqlite_connect)
    event.listen(engine, "begin", _on_sqlite_begin)
    return engine


def _ensure_sqlite_folder(url: URL) -> None:
    """Create the folder of a file database, so a fresh clone needs no manual mkdir."""
    database = url.database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    """Per-connection PRAGMAs, and hand transaction control to SQLAlchemy.

    ``isolation_level = None`` stops Python's sqlite3 module from issuing its own implicit
    BEGIN (which it skips for SELECT and DDL); ``_on_sqlite_begin`` emits BEGIN instead, so
    migrations are transactional DDL and an ingest is one real transaction. WAL lets the bot keep
    reading the previous index while an ingest writes; NORMAL sync is safe with WAL.
    """
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")  # in-memory databases answer "memory": fine
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def _on_sqlite_begin(connection: Connection) -> None:
    """BEGIN, or BEGIN IMMEDIATE for a writer (see ``write_transaction``)."""
    immediate = connection.get_execution_options().get(_IMMEDIATE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """One transaction that intends to write, committed on success, rolled back on error.

    On SQLite it starts with BEGIN IMMEDIATE: the write lock is taken up front (waiting up to
    the busy timeout for another writer), so a transaction that reads before it writes cannot
    fail half-way on a lock upgrade, and ids read at its start stay valid until it commits.
    """
    with engine.connect() as connection:
        connection.execution_options(**{_IMMEDIATE: True})
        with connection.begin():
            yield connection


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions for one use case each; objects stay readable after commit (answers use them)."""
    return sessionmaker(bind=engine, expire_on_commit=False)


def alembic_config(engine: Engine | None = None) -> Config:
    """An Alembic Config built in code: no alembic.ini needed at the repository root."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        # Escape % for ConfigParser interpolation (passwords may contain it).
        url = engine.url.render_as_string(hide_password=False).replace("%", "%%")
        config.set_main_option("sqlalchemy.url", url)
    return config


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (creates everything on an empty database)."""
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def head_revision() -> str | None:
    """The newest revision shipped with this code."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at; None for an empty database."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def schema_is_current(engine: Engine) -> bool:
    return current_revision(engine) == head_revision()
