"""PostgreSQL counts a row's tokens without building its tsvector a second time.

Revision ID: 0015_pg_token_counts
Revises: 0014_fts5_stems
Create Date: 2026-12-11

0014 made ``search_tsv`` of ``readbot_tsvector`` (each word stemmed in SQL, about 1.5x 0008's
``to_tsvector``) and ``search_tokens`` of ``readbot_token_count(readbot_tsvector(...))``:
every inserted row built its vector twice (a quotation four times), since a generated column
cannot read another. A row's token count does not depend on the stems: the parser cuts the
tokens before any dictionary sees them, and ``readbot_plain`` (``unaccent``, ``simple``)
gives each token exactly one lexeme, as ``readbot_tsvector`` gives each of those one stem at
the same position. So ``search_tokens`` now counts the positions of the unstemmed vector,
which costs 0008's ``to_tsvector``, not 0014's vector again. (The one way the two could part:
more than 256 occurrences of two words meeting in one stem, in one row, where tsvector keeps
256 positions per lexeme; FTS5, which counts every token, then agrees with the new count.)

The column is dropped and added again (a generated column's expression cannot be altered in
place before PostgreSQL 17), which recomputes every existing row.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0015_pg_token_counts"
down_revision: str | Sequence[str] | None = "0014_fts5_stems"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _plain(column: str) -> str:
    return f"to_tsvector('readbot_plain'::regconfig, readbot_words({column}))"


_SIGNATURE = "coalesce(signature, '')"
_NEW = {
    "passage": _plain("text"),
    "sentence": _plain("text"),
    "quotation": f"setweight({_plain('text')}, 'A') || setweight({_plain(_SIGNATURE)}, 'B')",
}
_OLD = {  # 0014's
    "passage": "readbot_tsvector(text)",
    "sentence": "readbot_tsvector(text)",
    "quotation": ("setweight(readbot_tsvector(text), 'A') || "
                  "setweight(readbot_tsvector(coalesce(signature, '')), 'B')"),
}


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _rebuild(_NEW)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _rebuild(_OLD)


def _rebuild(vectors: dict[str, str]) -> None:
    for table, vector in vectors.items():
        op.execute(f"ALTER TABLE {table} DROP COLUMN search_tokens")
        op.execute(f"ALTER TABLE {table} ADD COLUMN search_tokens integer "
                   f"GENERATED ALWAYS AS (readbot_token_count({vector})) STORED")
