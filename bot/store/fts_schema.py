"""DDL for SQLite FTS5 tables kept in step with a content table, shared by the migrations.

External-content FTS5 tables: the words are indexed, the text itself is read from the content
table, so nothing is stored twice. Triggers keep the index in step with every insert, update
and delete -- including rows removed by ON DELETE CASCADE when a source is replaced.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

# Porter stemming ("killed" finds "kill"), Unicode word rules, accents folded ("Lyubanka").
TOKENIZE = "porter unicode61 remove_diacritics 2"


def create_fts(execute: Callable[[str], object], fts: str, content: str,
               columns: Sequence[str]) -> None:
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    execute(
        f"CREATE VIRTUAL TABLE {fts} USING fts5({cols}, content='{content}', "
        f"content_rowid='id', tokenize='{TOKENIZE}')"
    )
    execute(
        f"CREATE TRIGGER {content}_fts_ai AFTER INSERT ON {content} BEGIN "
        f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END"
    )
    execute(
        f"CREATE TRIGGER {content}_fts_ad AFTER DELETE ON {content} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); END"
    )
    execute(
        f"CREATE TRIGGER {content}_fts_au AFTER UPDATE OF {cols} ON {content} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END"
    )


def drop_fts(execute: Callable[[str], object], fts: str, content: str) -> None:
    for suffix in ("ai", "ad", "au"):
        execute(f"DROP TRIGGER IF EXISTS {content}_fts_{suffix}")
    execute(f"DROP TABLE IF EXISTS {fts}")
