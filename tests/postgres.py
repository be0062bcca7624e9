"""pytest plugin: the PostgreSQL half of the suite, in the same one test command.

- A server: ``READBOT_TEST_POSTGRES_URL`` (a superuser URL, e.g.
  ``postgresql+psycopg://postgres@127.0.0.1:5432/postgres``) if set; otherwise, when the server
  binaries are found (PATH, or /usr/lib/postgresql/*/bin), ONE throwaway cluster per session
  (``tests/pg_cluster.py``), started at the first PostgreSQL test and deleted at the end.
- Neither: the PostgreSQL tests are skipped, with the reason in each skip and in a line of the
  terminal summary; with ``READBOT_REQUIRE_POSTGRES=1`` (CI) they fail instead.
- ``backend``: a fixture parametrised over "sqlite" and "postgres" (the latter marked
  ``postgres``) for tests that take their store from ``tests.answer_helpers``.
- Databases: the corpus is ingested once into ``corpus_template``; each test store is a
  ``CREATE DATABASE ... TEMPLATE corpus_template`` copy (PostgreSQL's analogue of copying the
  SQLite file), so every store starts from the same index and no test sees another's writes.
- The summary ends with how many tests ran on each backend.
"""

from __future__ import annotations

import functools
import importlib.util
import itertools
import os
import re
from collections import Counter
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from tests.pg_cluster import Cluster, ClusterError, find_binaries, start_cluster

URL_VARIABLE = "READBOT_TEST_POSTGRES_URL"
REQUIRE_VARIABLE = "READBOT_REQUIRE_POSTGRES"
TEMPLATE = "corpus_template"
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


class _Server:
    """The session's server, started on first use (a run of SQLite tests starts nothing)."""

    def __init__(self) -> None:
        self.cluster: Cluster | None = None
        self.admin_url: str | None = None
        self.unavailable: str | None = None
        self._names = itertools.count(1)

    def url(self) -> str:
        """The admin URL; skips (or, when required, fails) the test if there is no server."""
        if self.admin_url is None and self.unavailable is None:
            self._start()
        if self.admin_url is None:
            if os.environ.get(REQUIRE_VARIABLE) == "1":
                pytest.fail(f"PostgreSQL is required ({REQUIRE_VARIABLE}=1): {self.unavailable}",
                            pytrace=False)
            pytest.skip(f"PostgreSQL tests skipped: {self.unavailable}")
        return self.admin_url

    def _start(self) -> None:
        if importlib.util.find_spec("psycopg") is None:
            self.unavailable = ("the psycopg driver is not installed "
                                "(pip install -e '.[test,postgres]')")
            return
        given = os.environ.get(URL_VARIABLE)
        if given:
            self.admin_url = given
            return
        binaries = find_binaries()
        if binaries is None:
            self.unavailable = (f"no PostgreSQL server binaries (initdb, pg_ctl) on PATH or in "
                                f"/usr/lib/postgresql/*/bin, and {URL_VARIABLE} is not set")
            return
        try:
            self.cluster = start_cluster(binaries)
        except (ClusterError, OSError) as error:
            self.unavailable = f"could not start a cluster with {binaries}: {error}"
            return
        self.admin_url = self.cluster.url()

    def stop(self) -> None:
        if self.cluster is not None:
            self.cluster.stop()
            self.cluster = None

    def database(self, hint: str = "db", template: str | None = None) -> str:
        """A new empty (or template copy) database; returns its URL."""
        name = f"{re.sub(r'[^a-z0-9]+', '_', hint.lower())[:40]}_{next(self._names)}"
        clause = f" TEMPLATE {template}" if template else ""
        _admin(self.url(), f"CREATE DATABASE {name}{clause}")
        return make_url(self.url()).set(database=name).render_as_string(hide_password=False)


SERVER = _Server()


def _admin(url: str, statement: str) -> None:
    """CREATE/DROP DATABASE cannot run in a transaction: an autocommit connection of its own."""
    from bot.store.database import create_engine_for

    engine = create_engine_for(url, poolclass=_null_pool())
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text(statement))
    finally:
        engine.dispose()


def _null_pool() -> Any:
    from sqlalchemy.pool import NullPool

    return NullPool


def postgres_url() -> str:
    """The server's admin URL (skips or fails the calling test without a server)."""
    return SERVER.url()


def new_database(hint: str = "db") -> str:
    """An empty database (no schema) on the session's server."""
    return SERVER.database(hint)


@functools.cache
def _corpus_template() -> str:
    """The real corpus ingested once per session into the template database."""
    from bot.store.database import create_engine_for, migrate
    from bot.store.ingest import ingest
    from tests.corpus_helpers import TEXTS

    _admin(SERVER.url(), f"CREATE DATABASE {TEMPLATE}")
    url = make_url(SERVER.url()).set(database=TEMPLATE).render_as_string(hide_password=False)
    engine = create_engine_for(url, poolclass=_null_pool())
    migrate(engine)
    ingest(engine, TEXTS)
    engine.dispose()  # a template may have no connections when it is copied
    return TEMPLATE


def corpus_database(hint: str = "corpus") -> str:
    """A copy of the ingested corpus database; returns its URL."""
    SERVER.url()
    return SERVER.database(hint, template=_corpus_template())


# --- fixtures and hooks ------------------------------------------------------------------------


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """"sqlite" or "postgres"; a postgres test without a server is skipped (or fails)."""
    if request.param == "postgres":
        postgres_url()
    return str(request.param)


@pytest.fixture(scope="session")
def postgres_server() -> str:
    return postgres_url()


_COUNTS: Counter[tuple[str, str]] = Counter()  # (backend, outcome) -> tests


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "postgres: runs against the session's PostgreSQL server")


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    name = "PostgreSQL" if "postgres" in report.keywords else "SQLite"
    if report.when == "call" or (report.when == "setup" and not report.passed):
        _COUNTS[(name, report.outcome)] += 1


def pytest_sessionfinish(session: pytest.Session) -> None:
    SERVER.stop()


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config
                            ) -> None:
    terminalreporter.section("tests per database backend")
    for name in ("SQLite", "PostgreSQL"):
        outcomes = {outcome: n for (backend, outcome), n in _COUNTS.items() if backend == name}
        shown = ", ".join(f"{n} {outcome}" for outcome, n in sorted(outcomes.items())) or "none"
        terminalreporter.write_line(f"{name}: {shown}")
    if SERVER.unavailable and _COUNTS[("PostgreSQL", "skipped")]:
        terminalreporter.write_line(
            f"!!! PostgreSQL tests were SKIPPED: {SERVER.unavailable}. Install PostgreSQL "
            f"(apt-get install postgresql postgresql-contrib) or set {URL_VARIABLE}; CI sets "
            f"{REQUIRE_VARIABLE}=1 so that they fail instead.", red=True, bold=True)
