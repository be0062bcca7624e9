"""Engine, sessions and schema migrations.

SQLite is the default (one file, no server); PostgreSQL URLs pass straight through. Alembic owns
the schema: ``migrate()`` runs ``upgrade head`` from the migrations shipped inside this package,
so a fresh clone, an installed wheel and the tests all build the same schema the same way.

Alembic is imported only when there is something to migrate: a start whose schema is already at
head costs one ``SELECT version_num FROM alembic_version`` (importing Alembic and reading its
script directory took about 0.15 s of every ``ask``). The head is read from the file names of
``migrations/versions`` (each revision id is its file's stem, ``0008_postgres_search``; a test
holds every migration to that and checks the result against Alembic's own head).
"""

from __future__ import annotations

import getpass
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DisconnectionError, OperationalError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:  # Alembic is imported by the functions that migrate, see the docstring
    from alembic.config import Config

from bot.store.layout import (  # the schema's head, read without SQLAlchemy too
    MIGRATIONS_DIR,
    STATE_MIGRATIONS_DIR,
    STATE_VERSION_TABLE,
    head_revision,
)

__all__ = ["MIGRATIONS_DIR", "STATE_MIGRATIONS_DIR", "STATE_VERSION_TABLE", "DataFolderError",
           "alembic_config", "create_engine_for", "current_revision", "head_revision",
           "migrate", "migrate_state", "reads_only", "run_environment", "schema_is_current",
           "session_factory", "write_transaction"]
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
        server = create_engine(parsed, **kwargs)
        event.listen(server, "checkout", _ping_if_idle)
        event.listen(server, "checkin", _note_checkin)
        return server
    _check_sqlite_folder(parsed)
    engine = create_engine(parsed, **kwargs)
    event.listen(engine, "connect", _on_sqlite_connect)
    event.listen(engine, "begin", _on_sqlite_begin)
    return engine


def reads_only(engine: Engine) -> Engine:
    """The engine for repositories that only read: on a server, its connections autocommit.

    A connection in a transaction costs two round trips of its own on PostgreSQL, psycopg's
    BEGIN before the first statement and the pool's ROLLBACK when it is returned, and an
    answer checks out several (a /quote about six round trips, four of them these). Under
    READ COMMITTED every statement takes its own snapshot anyway, so a reader loses nothing
    by autocommit; ingest is one transaction, so each statement still sees the whole of one
    ingest. The pool is the engine's own (``execution_options`` shares it) and each
    connection goes back to it as it was. SQLite keeps its own transactions (a read
    transaction there is no round trip; see ``_on_sqlite_begin``).
    """
    if engine.dialect.name == "sqlite":
        return engine
    return engine.execution_options(isolation_level="AUTOCOMMIT")


#: A pooled server connection idle longer than this is pinged before use (_ping_if_idle).
PING_AFTER_IDLE_S = 10.0
_LAST_USED = "readbot_last_used"  # connection record info key: time.monotonic() at checkin


def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    """SQLAlchemy's pool_pre_ping, for connections that sat idle in the pool only.

    A ping is a round trip on every checkout, and a search checks a connection out for each
    call (a plain question three or four times): at 100x a third of /search's median on
    PostgreSQL was round trips. A connection back in the pool seconds ago is alive unless
    the server went away in those seconds, and then the query fails once and the pool
    starts afresh (SQLAlchemy invalidates every connection on a disconnect error); the
    common case, a server restarted or a connection dropped while the bot was quiet, is
    still caught here, where the pool replaces the connection (DisconnectionError)."""
    if time.monotonic() - record.info.get(_LAST_USED, 0.0) < PING_AFTER_IDLE_S:
        return
    try:
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        if not dbapi_connection.autocommit:
            dbapi_connection.rollback()  # the ping opened a transaction; leave none behind
    except Exception as exc:  # the driver's own errors: whatever it is, try a new connection
        raise DisconnectionError(f"pooled connection failed its ping: {exc}") from exc


def _note_checkin(_dbapi_connection: Any, record: Any) -> None:
    if record is not None:
        record.info[_LAST_USED] = time.monotonic()


class DataFolderError(Exception):
    """The folder of a SQLite store is missing and cannot be made, or cannot be written;
    str() names the path and what to do (SQLite's own "attempt to write a readonly database"
    names neither)."""


def _check_sqlite_folder(url: URL) -> None:
    """Create the folder of a file database, so a fresh clone needs no manual mkdir, and
    check up front that this user can write it and the database's files (SQLite writes the
    -wal and -shm files beside the database even to read it, in WAL mode)."""
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database).expanduser()
    folder = path.parent
    fix = (f"make it writable for the user the bot runs as ({_user()}), or set data_dir in "
           "config.yaml to a folder that is")
    if folder.exists() and not folder.is_dir():
        raise DataFolderError(f"{folder}: the data folder is a file, not a folder; move it "
                              "away, or set data_dir in config.yaml to a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataFolderError(f"{folder}: the data folder does not exist and cannot be "
                              f"created ({exc.strerror}); create it and {fix}") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise DataFolderError(f"{folder}: the data folder is read-only, and the bot keeps its "
                              f"index and server state there; {fix}")
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if file.exists() and not os.access(file, os.R_OK | os.W_OK):
            raise DataFolderError(f"{file}: this database file is read-only; {fix}")


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container): the number will do
        return f"uid {os.getuid()}" if hasattr(os, "getuid") else "this user"


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


def run_environment(context: Any, run_with: Callable[[Connection], None]) -> None:
    """What both env.py files (the index's and server state's) do: migrate on the connection
    ``migrate()`` passed in, or, from the alembic command line, on ``-x url=...``."""
    config = context.config
    connection = config.attributes.get("connection")
    if connection is not None:
        run_with(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
        "sqlalchemy.url")
    if not url:
        raise SystemExit("no database: pass -x url=... or set sqlalchemy.url")
    engine = create_engine_for(url)
    try:
        with engine.begin() as begun:
            run_with(begun)
    finally:
        engine.dispose()


def alembic_config(engine: Engine | None = None, *,
                   migrations: Path = MIGRATIONS_DIR) -> Config:
    """An Alembic Config built in code: no alembic.ini needed at the repository root."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations))
    if engine is not None:
        # Escape % for ConfigParser interpolation (passwords may contain it).
        url = engine.url.render_as_string(hide_password=False).replace("%", "%%")
        config.set_main_option("sqlalchemy.url", url)
    return config


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (creates everything on an empty database).

    At head already (every start but the first after an upgrade): one query, no Alembic."""
    _upgrade(engine, MIGRATIONS_DIR, "alembic_version")


def migrate_state(engine: Engine) -> None:
    """The same for the server-state database (its own history and version table)."""
    _upgrade(engine, STATE_MIGRATIONS_DIR, STATE_VERSION_TABLE)


def _upgrade(engine: Engine, migrations: Path, version_table: str) -> None:
    if current_revision(engine, version_table) == head_revision(migrations):
        return
    from alembic import command

    config = alembic_config(engine, migrations=migrations)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def current_revision(engine: Engine, version_table: str = "alembic_version") -> str | None:
    """The revision the database is at; None for an empty database (no version table yet,
    or an empty one)."""
    with engine.connect() as connection:
        try:
            # What Alembic's MigrationContext.get_current_revision() reads, without importing
            # Alembic: one row in a linear history like ours. (The name is ours, not input.)
            return connection.scalar(text(f"SELECT version_num FROM {version_table}"))
        except (OperationalError, ProgrammingError):  # no such table: never migrated
            connection.rollback()
            return None


def schema_is_current(engine: Engine) -> bool:
    return current_revision(engine) == head_revision()
