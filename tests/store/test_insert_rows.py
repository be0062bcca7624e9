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
