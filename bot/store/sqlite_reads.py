"""The reads of a person card over a SQLite index, with the standard library's sqlite3.

A one-shot ``ask "/who Lenin"`` used to spend most of its time importing SQLAlchemy (about
250 ms of CPU, eight times a whole process that opens SQLite and runs one query) to make four
small queries. ``SqliteReads`` makes the same queries, written out in SQL, and returns the same
records (``bot/store/records.py``) behind the same ``PersonReads`` interface as ``ReadStore``;
``tests/cli/test_quick_who.py`` holds every card of the labelled /who cases to being the same
through both.

It only reads, and only serves a store it can trust without the full start's checks: both
schemas at head (one version query each), the index fresh (``freshness.status_of``, the same
decision as ``ingest.index_status``), no problem recorded by the last ingest or start, no
legacy tables waiting to move, and the curated files' last good copies those of today's files.
Anything else, and the caller takes the full path, which ingests, migrates and records as it
always did. PostgreSQL always takes the full path.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bot.store.freshness import FINGERPRINT_KEY, StoredFileRow, status_of
from bot.store.layout import (
    CURATED_SHA_PREFIX,
    INDEX_VERSION_TABLE,
    INGEST_PROBLEMS,
    LEGACY_PREFIX,
    START_PROBLEMS,
    STATE_MIGRATIONS_DIR,
    STATE_VERSION_TABLE,
    head_revision,
    problems_from,
    state_file_for,
)
from bot.store.records import QUOTED_BY_SEPARATOR, PassageRecord, QuoteRecord, without_markers

SQLITE_BUSY_TIMEOUT_S = 5.0  # as bot/store/database.py: wait for a writer, do not fail

_PASSAGE = """
SELECT passage.id, source.slug, source.title, source.author, section.title,
       passage."index", passage.kind, passage.text, passage.sentences
FROM passage JOIN source ON source.id = passage.source_id
LEFT OUTER JOIN section ON section.id = passage.section_id
"""

_QUOTATION = """
SELECT quotation.id, quotation.text, quotation.kind, quotation.start, quotation."end",
       quotation.speaker, quotation.speaker_confidence, quotation.attribution_method,
       quotation.attribution_evidence, quotation.quoted_by, quotation.source_words,
       passage."index", passage.kind, source.slug, source.title, source.author,
       source.publication, source.published_iso, section.title, cited.display,
       cited.quoted_in,
       (SELECT group_concat(CAST(inner_.start AS VARCHAR) || ':' ||
                            CAST(inner_."end" AS VARCHAR), ',')
        FROM citation AS inner_
        WHERE inner_.passage_id = quotation.passage_id AND inner_.start >= quotation.start
          AND inner_."end" <= quotation."end")
FROM quotation JOIN passage ON passage.id = quotation.passage_id
JOIN source ON source.id = quotation.source_id
LEFT OUTER JOIN section ON section.id = passage.section_id
LEFT OUTER JOIN citation AS cited ON cited.id = quotation.citation_id
"""


class SqliteReads:
    """``PersonReads`` over one SQLite index file; ``close`` when done."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection
        # The card's three repositories are this object's methods (see the properties).

    @classmethod
    def open(cls, index_file: Path) -> SqliteReads | None:
        """Over an existing index file; None if there is none (the full path builds it),
        or if its folder or files are not writable (the full path says so, naming them)."""
        if not index_file.is_file() or not os.access(index_file.parent, os.W_OK | os.X_OK):
            return None
        for file in (index_file, index_file.with_name(index_file.name + "-wal"),
                     index_file.with_name(index_file.name + "-shm")):
            if file.exists() and not os.access(file, os.R_OK | os.W_OK):
                return None
        connection = sqlite3.connect(index_file, timeout=SQLITE_BUSY_TIMEOUT_S,
                                     isolation_level=None)
        connection.execute("PRAGMA query_only=ON")  # a reader, whatever a bug might try
        return cls(connection)

    def close(self) -> None:
        self._db.close()

    # --- may this path serve? -----------------------------------------------------------

    def _version(self, connection: sqlite3.Connection, table: str) -> str | None:
        try:
            row = connection.execute(f"SELECT version_num FROM {table}").fetchone()
        except sqlite3.OperationalError:  # no such table: never migrated
            return None
        return row[0] if row else None

    def _meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM store_meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def ready_to_serve(self, index_file: Path, texts_dir: Path) -> bool:
        """True when the full start would find nothing to do before answering: both
        schemas at head, the index fresh, no problem recorded, no state left to move."""
        if self._version(self._db, INDEX_VERSION_TABLE) != head_revision():
            return False
        state_file = state_file_for(index_file)
        if not state_file.is_file():
            return False
        state = sqlite3.connect(state_file, timeout=SQLITE_BUSY_TIMEOUT_S, isolation_level=None)
        try:
            if self._version(state, STATE_VERSION_TABLE) != head_revision(STATE_MIGRATIONS_DIR):
                return False
        finally:
            state.close()
        legacy = self._db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                                  "substr(name, 1, ?) = ? LIMIT 1",
                                  (len(LEGACY_PREFIX), LEGACY_PREFIX)).fetchone()
        if legacy is not None or problems_from(self._meta(START_PROBLEMS)):
            return False
        stored = {path: StoredFileRow(content_hash, size, mtime_ns)
                  for path, content_hash, size, mtime_ns in self._db.execute(
                      "SELECT path, content_hash, file_size, file_mtime_ns FROM source")}
        problems = problems_from(self._meta(INGEST_PROBLEMS))
        return status_of(stored, self._meta(FINGERPRINT_KEY), problems, texts_dir) == "fresh"

    def curated_saved(self, texts: Mapping[str, str]) -> bool:
        """Whether each curated file's text is the last good copy the store keeps (so the
        full start would have nothing to write)."""
        keys = [CURATED_SHA_PREFIX + name for name in texts]
        marks = ", ".join("?" for _ in keys)
        stored = dict(self._db.execute(
            f"SELECT key, value FROM store_meta WHERE key IN ({marks})", keys).fetchall())
        return all(stored.get(CURATED_SHA_PREFIX + name) ==
                   hashlib.sha256(text.encode()).hexdigest() for name, text in texts.items())

    # --- PersonReads ----------------------------------------------------------------------

    @property
    def mentions(self) -> SqliteReads:
        return self

    @property
    def passages(self) -> SqliteReads:
        return self

    @property
    def quotes(self) -> SqliteReads:
        return self

    def stamp(self) -> str:
        count, latest = self._db.execute(
            "SELECT count(id), max(ingested_at) FROM source").fetchone()
        return f"{int(count)}:{latest}"

    def counts_by_text(self, person: str) -> list[tuple[str, int]]:
        rows = self._db.execute(
            "SELECT source.title, count(mention.id) FROM source "
            "JOIN mention ON mention.source_id = source.id WHERE mention.person = ? "
            "GROUP BY source.id, source.title ORDER BY count(mention.id) DESC, source.title",
            (person,))
        return [(title, int(count)) for title, count in rows]

    def named_with(self, person: str, limit: int) -> list[str]:
        # The same semi-join as MentionRepository.named_with (see why there).
        rows = self._db.execute(
            "SELECT mention.person, count(DISTINCT mention.passage_id) AS shared FROM mention "
            "WHERE mention.person != ? AND mention.passage_id IN "
            "(SELECT passage_id FROM mention WHERE person = ?) "
            "GROUP BY mention.person ORDER BY shared DESC, mention.person LIMIT ?",
            (person, person, limit))
        return [name for name, _ in rows]

    def holding(self, slug: str, phrase: str, *, section: str | None = None
                ) -> PassageRecord | None:
        # LIKE narrows (case-insensitive, as SQLAlchemy's contains() with autoescape writes
        # it), the exact substring test decides: as PassageRepository.holding.
        escaped = phrase.replace("/", "//").replace("%", "/%").replace("_", "/_")
        rows = self._db.execute(
            _PASSAGE + "WHERE source.slug = ? AND passage.text LIKE '%' || ? || '%' ESCAPE '/' "
            'ORDER BY passage."index"', (slug, escaped))
        for row in rows:
            if phrase in row[7] and (section is None or row[4] == section):
                spans = tuple((int(a), int(b)) for a, b in json.loads(row[8]) or ()) \
                    if row[8] is not None else ()
                return PassageRecord(row[0], row[1], row[2], row[3], row[4], row[5], row[6],
                                     row[7], spans)
        return None

    def most_certain(self, speaker: str, limit: int) -> list[QuoteRecord]:
        ids = [quotation_id for (quotation_id,) in self._db.execute(
            "SELECT id FROM quotation WHERE speaker = ? "
            "ORDER BY speaker_confidence DESC, length(text) DESC, id LIMIT ?",
            (speaker, limit))]
        if not ids:
            return []
        marks = ", ".join("?" for _ in ids)
        by_id = {row[0]: _quote_record(row) for row in self._db.execute(
            _QUOTATION + f"WHERE quotation.id IN ({marks})", ids)}
        return [by_id[i] for i in ids if i in by_id]


def _quote_record(row: tuple[Any, ...]) -> QuoteRecord:
    (quotation_id, text, kind, start, end, speaker, confidence, method, evidence, quoted_by,
     source_words, paragraph, passage_kind, slug, title, author, publication, published_iso,
     section, citation, quoted_in, markers) = row
    spans = [span.split(":") for span in (markers or "").split(",") if span]
    inside = [(int(s) - start, int(e) - start) for s, e in spans]
    return QuoteRecord(
        quotation_id=quotation_id, text=text, words=without_markers(text, inside), kind=kind,
        start=start, end=end, speaker=speaker, confidence=confidence, method=method,
        evidence=evidence, paragraph=paragraph, passage_kind=passage_kind, slug=slug,
        source_title=title, source_author=author, source_publication=publication,
        source_published_iso=published_iso, section=section, citation=citation,
        quoted_in=bool(quoted_in),
        quoted_by=tuple(n for n in (quoted_by or "").split(QUOTED_BY_SEPARATOR) if n),
        source_words=source_words)
