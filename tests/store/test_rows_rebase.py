"""Rows made ahead of the writer (RelativeIds, in an ingest worker) and rebased by it are the
rows ``text_rows`` makes with the store's ids: every id and every reference between rows."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime

from bot.corpus.load import load_text
from bot.corpus.people import load_people
from bot.store.rows import FileInfo, RelativeIds, rebase, text_rows
from tests.corpus_helpers import REPO, TEXTS


class _Shared:
    """One sequence for every table, starting past other rows: ids that differ from the
    relative ones in every table, as a store holding other texts hands out."""

    def __init__(self) -> None:
        self._next = itertools.count(1000)

    def take(self, _table: str, n: int) -> Iterator[int]:
        return iter([next(self._next) for _ in range(n)])


def test_rebased_rows_are_the_rows_made_with_the_stores_ids() -> None:
    people = load_people(REPO / "corpus" / "people.yaml")
    now = datetime(2026, 12, 2, tzinfo=UTC)
    direct_ids, later_ids = _Shared(), _Shared()
    cited = 0
    for path in sorted(TEXTS.glob("*.md")):
        parsed = load_text(path, people)
        info = FileInfo(path.name, 1, 2)
        direct = text_rows(parsed, info, direct_ids, now)
        ahead = text_rows(parsed, info, RelativeIds(), now)
        rebase(ahead, later_ids)
        assert ahead.tables == direct.tables, path.name
        cited += sum(1 for row in direct.tables["quotation"] if row["citation_id"])
    assert cited  # references between rows of a text were rebased too
