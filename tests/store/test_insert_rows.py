"""ingest._insert (rows through the driver on SQLite) stores exactly what SQLAlchemy's own
``connection.execute(insert(table), rows)`` stores: every table, every column, every type
(JSON lists, the aware ingested_at, booleans, NULLs)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert, text

from bot.corpus.load import load_text
from bot.corpus.people import load_people
from bot.store.database import create_engine_for, migrate, write_transaction
from bot.store.ingest import _insert, _insert_plan
from bot.store.models import Base
from bot.store.rows import FileInfo, text_rows
from tests.corpus_helpers import REPO, TEXTS


class _Ids:
    def __init__(self) -> None:
        self._next = itertools.count(1)

    def take(self, _table: str, n: int):
        return iter([next(self._next) for _ in range(n)])


def _rows():
    people = load_people(REPO / "corpus" / "people.yaml")
    now = datetime(2026, 12, 2, 4, 5, 6, 789, tzinfo=UTC)
    ids = _Ids()
    return [text_rows(load_text(path, people), FileInfo(path.name, 1, 2), ids, now)
            for path in sorted(TEXTS.glob("*.md"))[:2]]


def _dump(engine) -> dict[str, list[tuple]]:
    with engine.connect() as connection:
        return {name: connection.execute(text(f'SELECT * FROM "{name}" ORDER BY rowid')).all()
                for name in ("source", "section", "passage", "citation", "quotation", "note",
                             "reference", "sentence", "mention", "date_mention")}


def test_rows_stored_through_the_driver_equal_sqlalchemys(tmp_path: Path) -> None:
    rows = _rows()
    stores = []
    for name, write in (("sqlalchemy", None), ("driver", _insert)):
        engine = create_engine_for(f"sqlite:///{tmp_path / name / 'store.sqlite3'}")
        migrate(engine)
        with write_transaction(engine) as connection:
            for text_ in rows:
                for table, table_rows in text_.tables.items():
                    if not table_rows:
                        continue
                    if write is None:
                        connection.execute(insert(Base.metadata.tables[table]), table_rows)
                    else:
                        write(connection, table, table_rows)
        stores.append(_dump(engine))
        used = {table: _insert_plan(engine.dialect, table, tuple(table_rows[0])) is not None
                for table, table_rows in rows[0].tables.items() if table_rows}
        engine.dispose()
    assert all(used.values()), used  # the driver path was taken for every table
    assert stores[0]["passage"] and stores[0]["sentence"]
    assert stores[0] == stores[1]


def test_an_ingest_of_packed_rows_stores_what_the_row_dicts_stored(
        tmp_path: Path, monkeypatch) -> None:
    """The workers pack each text's rows for the driver (value tuples, converted, ids
    relative) and the writer moves the ids: every table as the dict rows stored it."""
    from bot.store import ingest as ingest_module

    def fresh(name: str):
        engine = create_engine_for(f"sqlite:///{tmp_path / name / 'store.sqlite3'}")
        report = ingest_module.ingest(engine, TEXTS)
        assert report.totals.texts == len(list(TEXTS.glob("*.md"))), report.problems
        with engine.connect() as connection:
            connection.execute(text("UPDATE source SET ingested_at = ''"))  # the clock's
            connection.commit()
        dumped = _dump(engine)
        assert original(_rows()[0], engine.dialect) is not None  # the packed path exists
        engine.dispose()
        return dumped, report

    original = ingest_module._pack
    packed, report = fresh("packed")
    # Forked workers inherit the module as it is: none of them packs this time.
    monkeypatch.setattr(ingest_module, "_pack", lambda rows, dialect: None)
    unpacked, report_unpacked = fresh("dicts")
    monkeypatch.setattr(ingest_module, "_pack", original)
    assert packed["passage"] and packed["sentence"] and packed["mention"]
    assert packed == unpacked
    assert [t.counts for t in report.texts] == [t.counts for t in report_unpacked.texts]


def test_full_text_indexes_of_a_bulk_write_hold_what_their_tables_hold(
        tmp_path: Path) -> None:
    """A bulk write rebuilds each full-text index with no triggers (bot/store/ingest.py,
    _bulk_fts): FTS5's own integrity check finds each index exactly in step with its content
    table, after a fresh ingest and after a second one that rewrites all but one text."""
    from bot.store.ingest import ingest
    from bot.store.models import FTS_TABLES

    texts = tmp_path / "texts"
    texts.mkdir()
    for path in sorted(TEXTS.glob("*.md")):
        (texts / path.name).write_bytes(path.read_bytes())
    engine = create_engine_for(f"sqlite:///{tmp_path / 'store.sqlite3'}")

    def checked() -> None:
        with engine.connect() as connection:
            for fts in FTS_TABLES:  # raises "database disk image is malformed" if not
                connection.exec_driver_sql(f"INSERT INTO {fts}({fts}, rank) "
                                           "VALUES ('integrity-check', 1)")
            hits = connection.exec_driver_sql(
                "SELECT count(*) FROM passage_fts WHERE passage_fts MATCH 'bureaucracy'"
            ).scalar()
            assert hits

    ingest(engine, texts)
    checked()
    for path in sorted(texts.glob("*.md"))[1:]:  # most of the index rewritten: bulk again
        path.write_text(path.read_text(encoding="utf-8") + "\nA new closing line.\n",
                        encoding="utf-8")
    report = ingest(engine, texts)
    assert {t.status for t in report.texts} == {"updated", "unchanged"}
    checked()
    engine.dispose()
