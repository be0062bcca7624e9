"""PostgreSQL full-text search: the ``readbot`` configuration, tsvector columns, GIN indexes.

Revision ID: 0008_postgres_search
Revises: 0007_sentences
Create Date: 2026-12-08

Runs only on PostgreSQL (SQLite has its FTS5 tables since 0001 and 0007). What it builds is
what ``bot.store.pg_search`` reads; see there for why the index must hold FTS5's terms:

- ``readbot_words(text)``: every run of characters that are not letters or digits becomes one
  space, so the parser sees unicode61's tokens and nothing else ("ice-axe" is "ice axe",
  "x.org/a" is "x org a"). The ICU root collation makes ``[:alnum:]`` Unicode-aware whatever
  the database's locale (with "C", é would not be a letter).
- the ``readbot`` configuration: those tokens through ``unaccent`` then the original Porter
  stemmer, no stop words (FTS5 keeps them; phrases such as "dustbin of history" need them).
- ``search_tsv`` (generated, so ingest writes nothing extra and a row can never be stale) and
  ``search_tokens``, the row's length in tokens, for BM25; a quotation's signature is weighted
  B (half, as FTS5's bm25(1.0, 0.5)).
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0008_postgres_search"
down_revision: str | Sequence[str] | None = "0007_sentences"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TOKEN_TYPES = ("asciiword, word, numword, uint, int, hword_part, hword_asciipart, "
                "hword_numpart")  # the parts of a hyphenated word, for ts_headline on raw text
_UNUSED_TYPES = ("asciihword, hword, numhword, email, file, float, host, sfloat, url, url_path, "
                 "version")  # whole compounds: FTS5 indexes only their parts

_VECTORS = {
    "passage": "to_tsvector('readbot'::regconfig, readbot_words(text))",
    "sentence": "to_tsvector('readbot'::regconfig, readbot_words(text))",
    "quotation": ("setweight(to_tsvector('readbot'::regconfig, readbot_words(text)), 'A') || "
                  "setweight(to_tsvector('readbot'::regconfig, "
                  "readbot_words(coalesce(signature, ''))), 'B')"),
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")  # a trusted extension since PG 13
    collation = _unicode_collation()
    op.execute(f"""
        CREATE FUNCTION readbot_words(text) RETURNS text
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        AS $$ SELECT regexp_replace($1 COLLATE {collation}, '[^[:alnum:]]+', ' ', 'g') $$
    """)
    op.execute("""
        CREATE FUNCTION readbot_token_count(tsvector) RETURNS integer
        LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
        AS $$ SELECT coalesce(sum(array_length(positions, 1)), 0)::integer FROM unnest($1) $$
    """)
    op.execute("CREATE TEXT SEARCH DICTIONARY readbot_porter "
               "(TEMPLATE = snowball, Language = porter)")
    op.execute("CREATE TEXT SEARCH CONFIGURATION readbot (COPY = simple)")
    op.execute(f"ALTER TEXT SEARCH CONFIGURATION readbot ALTER MAPPING FOR {_TOKEN_TYPES} "
               "WITH unaccent, readbot_porter")
    op.execute(f"ALTER TEXT SEARCH CONFIGURATION readbot DROP MAPPING FOR {_UNUSED_TYPES}")
    for table, vector in _VECTORS.items():
        op.execute(f"ALTER TABLE {table} ADD COLUMN search_tsv tsvector "
                   f"GENERATED ALWAYS AS ({vector}) STORED")
        op.execute(f"ALTER TABLE {table} ADD COLUMN search_tokens integer "
                   f"GENERATED ALWAYS AS (readbot_token_count({vector})) STORED")
        op.execute(f"CREATE INDEX ix_{table}_search_tsv ON {table} USING gin (search_tsv)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in _VECTORS:
        op.execute(f"DROP INDEX IF EXISTS ix_{table}_search_tsv")
        op.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_tokens")
        op.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_tsv")
    op.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS readbot")
    op.execute("DROP TEXT SEARCH DICTIONARY IF EXISTS readbot_porter")
    op.execute("DROP FUNCTION IF EXISTS readbot_token_count(tsvector)")
    op.execute("DROP FUNCTION IF EXISTS readbot_words(text)")


def _unicode_collation() -> str:
    """ICU's root collation when the server has ICU (Debian's does), else the default."""
    found = op.get_bind().exec_driver_sql(
        "SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu'").first()
    return '"und-x-icu"' if found else '"default"'
