"""PostgreSQL indexes FTS5's terms exactly: a token of one or two bytes is not stemmed.

Revision ID: 0014_fts5_stems
Revises: 0013_server_state_apart
Create Date: 2026-12-10

FTS5's ``porter`` tokenizer (``bot/store/fts_schema.py``) passes a token of fewer than 3 or
more than 64 bytes through unchanged ("as", "is", "us") and stems every other one, even into
two letters ("ups" -> "up", "was" -> "wa"). Snowball's ``porter`` dictionary, which 0008's
``readbot`` configuration ends in, stems the short ones too ("as" -> "a", "is" -> "i",
"ay" -> "ai"), so at 100x the two indexes counted different documents for those terms and
ranked differently. No built-in dictionary passes a token through by its length (a stop-word
or synonym file on the server would be needed, which a managed host may not allow), so the
rule is applied in SQL:

- the ``readbot_plain`` configuration: 0008's tokens through ``unaccent`` and ``simple``
  (lower case, unstemmed);
- ``readbot_tsvector(text)``: that vector's lexemes, each stemmed by ``readbot_porter`` unless
  it is under 3 or over 64 bytes (FTS5's FTS5_PORTER_MAX_TOKEN), and finished with the two
  rules of Porter's own C stemmer that FTS5 follows and Snowball does not
  (``readbot_porter_departures``, below), rebuilt with its positions
  (lexemes meeting in one stem, "ups" and "up", merge their positions in tsvector input);
- ``readbot_query(text)``: the phrase of those lexemes in order, the tsquery the search builds
  for a unit (``phraseto_tsquery`` goes through a configuration, which cannot apply the rule).

``search_tsv`` and ``search_tokens`` stay generated columns (ingest writes nothing extra), now
of ``readbot_tsvector``. A generated column's expression cannot be altered in place before
PostgreSQL 17, so they are dropped and added again, which recomputes every existing row. The
``readbot`` configuration stays: ``ts_headline`` needs one to parse the text it highlights.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0014_fts5_stems"
down_revision: str | Sequence[str] | None = "0013_server_state_apart"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TOKEN_TYPES = ("asciiword, word, numword, uint, int, hword_part, hword_asciipart, "
                "hword_numpart")  # as 0008 maps them

_NEW = {
    "passage": "readbot_tsvector(text)",
    "sentence": "readbot_tsvector(text)",
    "quotation": ("setweight(readbot_tsvector(text), 'A') || "
                  "setweight(readbot_tsvector(coalesce(signature, '')), 'B')"),
}
_OLD = {  # 0008's
    "passage": "to_tsvector('readbot'::regconfig, readbot_words(text))",
    "sentence": "to_tsvector('readbot'::regconfig, readbot_words(text))",
    "quotation": ("setweight(to_tsvector('readbot'::regconfig, readbot_words(text)), 'A') || "
                  "setweight(to_tsvector('readbot'::regconfig, "
                  "readbot_words(coalesce(signature, ''))), 'B')"),
}

# The measure m of Porter's paper ([C](VC){m}[V]): y is a vowel after a consonant. Called
# only for the few stems that end in "bli" or "logi" (below), so a loop is cheap enough.
_MEASURE = """
CREATE FUNCTION readbot_porter_measure(text) RETURNS integer
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
AS $$
DECLARE
    m integer := 0;
    prev_vowel boolean := false;
    vowel boolean;
    c text;
BEGIN
    FOR i IN 1 .. length($1) LOOP
        c := substr($1, i, 1);
        vowel := c IN ('a', 'e', 'i', 'o', 'u') OR (c = 'y' AND i > 1 AND NOT prev_vowel);
        IF prev_vowel AND NOT vowel THEN
            m := m + 1;
        END IF;
        prev_vowel := vowel;
    END LOOP;
    RETURN m;
END
$$
"""

# FTS5's porter is Martin Porter's own C version, with its two departures from the paper
# that Snowball's ``porter`` leaves out: step 2 turns (m>0) BLI into BLE (not only ABLI) and
# (m>0) LOGI into LOG ("possibly" -> "possibl", "ideology" -> "ideolog"; Snowball gives
# "possibli", "ideologi"). Snowball's stem ends in "bli" or "logi" exactly where its step 2
# declined one of them (steps 3-5 never touch those endings), so the stem is finished here
# as FTS5's steps 2-5 would: "log"; "bl" (BLE, whose E step 5 always drops after a
# consonant pair), or nothing of -ible/-able when step 4 removes it (m>1 before it).
_DEPARTURES = """
CREATE FUNCTION readbot_porter_departures(text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
SELECT CASE
    WHEN $1 LIKE '%logi' AND readbot_porter_measure(left($1, -4)) > 0 THEN left($1, -1)
    WHEN $1 LIKE '%bli' AND readbot_porter_measure(left($1, -3)) > 0 THEN
        CASE WHEN ($1 LIKE '%abli' OR $1 LIKE '%ibli')
                  AND readbot_porter_measure(left($1, -4)) > 1 THEN left($1, -4)
             ELSE left($1, -1) END
    ELSE $1 END
$$
"""

# The stem inline, not a function of its own: a SQL function called per lexeme is not
# inlined inside the aggregate and cost 5 µs a call (3.5x the whole vector); inline, the
# vector costs about 1.5x 0008's to_tsvector. Lexemes are runs of letters and digits
# (readbot_words), but quotes and backslashes are escaped anyway for tsvector input.
# unaccent folds "ø" to "o"; unicode61's remove_diacritics does not ("Høgsbjerg" is
# "høgsbjerg" in FTS5), so ø goes through as Greek koppa (a letter unaccent leaves alone and
# no text of the corpus holds) and comes back after.
_TSVECTOR = """
CREATE FUNCTION readbot_tsvector(text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
SELECT coalesce(string_agg(
           '''' || replace(replace(replace(s.stem, 'ϙ', 'ø'), '\\', '\\\\'), '''', '''''')
           || ''':' || array_to_string(t.positions, ','), ' '), '')::tsvector
FROM unnest(to_tsvector('readbot_plain', readbot_words(translate($1, 'øØ', 'ϙϘ')))) AS t
CROSS JOIN LATERAL (
    SELECT CASE WHEN octet_length(t.lexeme) < 3 OR octet_length(t.lexeme) > 64 THEN t.lexeme
                WHEN p.stem LIKE '%bli' OR p.stem LIKE '%logi'
                    THEN readbot_porter_departures(p.stem)
                ELSE p.stem END AS stem
    FROM (SELECT coalesce((ts_lexize('readbot_porter', t.lexeme))[1], t.lexeme) AS stem) AS p
) AS s
$$
"""

# One occurrence per position, in order: "up and up" is 'up' <-> 'and' <-> 'up'. No lexemes
# gives the empty tsquery (matching nothing), as phraseto_tsquery does, without the NOTICE
# that casting '' to tsquery raises.
_QUERY = """
CREATE FUNCTION readbot_query(text) RETURNS tsquery
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
SELECT CASE WHEN q.phrase IS NULL THEN phraseto_tsquery('simple', '')
            ELSE q.phrase::tsquery END
FROM (SELECT string_agg('''' || replace(replace(t.lexeme, '\\', '\\\\'), '''', '''''') || '''',
                        ' <-> ' ORDER BY p.pos) AS phrase
      FROM unnest(readbot_tsvector($1)) AS t, unnest(t.positions) AS p(pos)) AS q
$$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE TEXT SEARCH CONFIGURATION readbot_plain (COPY = readbot)")
    op.execute(f"ALTER TEXT SEARCH CONFIGURATION readbot_plain ALTER MAPPING FOR {_TOKEN_TYPES} "
               "WITH unaccent, simple")
    for function in (_MEASURE, _DEPARTURES, _TSVECTOR, _QUERY):
        op.execute(function)
    _rebuild(_NEW)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    _rebuild(_OLD)
    op.execute("DROP FUNCTION IF EXISTS readbot_query(text)")
    op.execute("DROP FUNCTION IF EXISTS readbot_tsvector(text)")
    op.execute("DROP FUNCTION IF EXISTS readbot_porter_departures(text)")
    op.execute("DROP FUNCTION IF EXISTS readbot_porter_measure(text)")
    op.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS readbot_plain")


def _rebuild(vectors: dict[str, str]) -> None:
    """The columns and index again from ``vectors``: adding them computes every row."""
    for table, vector in vectors.items():
        op.execute(f"DROP INDEX IF EXISTS ix_{table}_search_tsv")
        op.execute(f"ALTER TABLE {table} DROP COLUMN search_tokens")
        op.execute(f"ALTER TABLE {table} DROP COLUMN search_tsv")
        op.execute(f"ALTER TABLE {table} ADD COLUMN search_tsv tsvector "
                   f"GENERATED ALWAYS AS ({vector}) STORED")
        op.execute(f"ALTER TABLE {table} ADD COLUMN search_tokens integer "
                   f"GENERATED ALWAYS AS (readbot_token_count({vector})) STORED")
        op.execute(f"CREATE INDEX ix_{table}_search_tsv ON {table} USING gin (search_tsv)")
