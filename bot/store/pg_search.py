"""``SearchBackend`` on PostgreSQL full-text search, answering as ``Fts5Search`` does.

The index (migrations 0008 and 0014) is a generated ``search_tsv`` column with a GIN index on
passage, quotation and sentence, built by ``readbot_tsvector``: the text is cut into runs of
letters and digits exactly as FTS5's unicode61 tokenizer cuts it (``readbot_words``), accents
are folded (``unaccent``) and words are reduced by the original Porter stemmer (Snowball's
``porter``, the algorithm of FTS5's ``porter`` tokenizer and of ``bot.corpus.lexicon``) with
FTS5's own exception: a token under 3 bytes (or over 64) is kept as it is ("as", not "a").
No stop words. So the index holds the terms FTS5's holds (tests/store/test_postgres_store.py
compares the two vocabularies on the corpus), and ``sentence_vocabulary`` gives the stems
the answers layer computes in Python.

Queries: the same ``parse_query`` and ladder as FTS5 (phrase, all words, telling words, any
word). Each unit of a step becomes ``readbot_query(unit)`` (the phrase of its index terms),
asked of the server once per process and bound as a tsquery value, joined with ``&&`` or
``||``: user text is never parsed as tsquery syntax, so no operator (``!``, ``&``, ``:*``,
quotes, parentheses) can reach it.

Ranking is FTS5's BM25 (k1 1.2, b 0.75, the same IDF floor and column weights), computed here
from the tsvector positions of the matching rows, not ``ts_rank_cd``: cover density ranks
differently, and the answers were tuned on BM25 (its score also feeds the plain-question
ranking), so the two backends give the same best hit. Like FTS5, only the first ``RANK_CAP``
matches (in id order) are ranked and the any-word fallback drops words too common to matter,
so a query's cost is bounded however large the corpus grows. Snippets come from
``ts_headline`` with FTS5's markers and ellipsis.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from psycopg import sql as pgsql
from sqlalchemy import Connection, Engine, Row, text

from bot.store.database import reads_only
from bot.store.search import (
    ELLIPSIS,
    MARK_CLOSE,
    MARK_OPEN,
    MAX_LIMIT,
    RANK_CAP,
    SENTENCE_RANK_CAP,
    LadderStep,
    MatchMode,
    PassageHit,
    QuotationHit,
    SentenceHit,
    _scope,
    parse_query,
    passage_hit,
    quotation_hit,
    rare_words,
    sentence_hit,
    sentence_step,
)

CONFIG = "readbot"  # the text search configuration of migration 0008 (for ts_headline)
K1, B = 1.2, 0.75  # FTS5's bm25() constants
IDF_FLOOR = 1e-6  # FTS5 gives a term in more than half the rows this IDF instead of <= 0
# Column weights as tsvector labels: a quotation's words count fully, its signature half
# (FTS5: bm25(1.0, 0.5)); every other table has one column, labelled D by to_tsvector.
WEIGHTS = {"A": 1.0, "B": 0.5, "C": 1.0, "D": 1.0}
PASSAGE_SNIPPET_WORDS, QUOTATION_SNIPPET_WORDS = 32, 48  # FTS5 snippet() token counts
_LAST_INGEST_KEY = "last_ingest_at"  # ingest.LAST_INGEST_KEY (ingest imports this package)
# A literal, not a parameter: with no parameters psycopg sends the simple query protocol,
# which may carry a second statement in the same round trip (_check_ingest).
_STAMP_SQL = f"SELECT value FROM store_meta WHERE key = '{_LAST_INGEST_KEY}'"


@dataclass(frozen=True, slots=True)
class _Table:
    """What the ranking needs to know of one indexed table."""

    name: str
    source_column: str = "source_id"
    speaker_column: str | None = None
    labels: tuple[str, ...] = ("D",)  # the tsvector weights its column(s) carry


_TABLES = {
    "passage": _Table("passage"),
    "quotation": _Table("quotation", speaker_column="speaker", labels=("A", "B")),
    "sentence": _Table("sentence"),
}
#: How many times fewer rows the primary-key walk must test than the GIN path fetches (_walk).
WALK_MARGIN = 2
COUNT_CACHE_MAX = 50_000  # (table, unit) document counts kept per ingest; forgotten when full
STEP_CACHE_MAX = 50_000  # steps' _Matched kept per ingest; forgotten when full


#: The first id range (_chunk) holds SPAN_MARGIN times the ids the cap is expected to need.
SPAN_MARGIN = 2.0


@dataclass(frozen=True, slots=True)
class _Matched:
    """What one ladder step matched in the store of one ingest: how many of its first ``cap``
    matches by id there are (``rows`` < cap: all of them), and the id of the last of those."""

    rows: int
    last_id: int | None


#: A step as ``_Matched`` knows it: table, any-word or not, the tsquery of each unit ranked,
#: source id, speaker, cap.
_StepKey = tuple[str, bool, tuple[str, ...], int | None, str | None, int]


@dataclass(frozen=True, slots=True)
class _Stats:
    rows: int
    average_tokens: float
    first_id: int = 0
    last_id: int = 0


def _tsquery(step: LadderStep, queries: dict[tuple[str, ...], tuple[str, str]],
             params: dict[str, object], prefix: str = "u", *, headline: bool = False) -> str:
    """The step as a tsquery expression; every unit is a bind parameter added to ``params``.

    ``queries`` holds each unit's tsquery as text, as the server made it (``_terms``):
    ``readbot_query``'s, the index's own terms (FTS5's rule, migration 0014), and a headline's,
    the ``readbot`` configuration's: ts_headline parses the text it marks with a
    configuration, which stems every word the Snowball way ("as" -> "a"), so only a query
    stemmed the same way finds the words to mark (a short word such as "as" would otherwise
    never be marked). They are bound as tsquery values, not computed in the statement: the
    planner folds ``readbot_query(constant)`` while planning, and with a question's 30 units
    that was 5-8 ms of planning per statement at 100x. A unit without terms is left out, as
    ``&&`` and ``||`` leave out an empty tsquery; with none left the query matches nothing.
    """
    parts = []
    for number, unit in enumerate(step.units):
        query = queries[unit][1 if headline else 0]
        if query:
            name = f"{prefix}{number}"
            params[name] = query
            parts.append(f"CAST(:{name} AS tsquery)")
    if not parts:
        return _NOTHING
    return f" {'||' if step.any else '&&'} ".join(parts)


def _condition(step: LadderStep, queries: dict[tuple[str, ...], tuple[str, str]],
               params: dict[str, object]) -> str:
    """The step as a WHERE condition on ``search_tsv``.

    Any-word steps are one ``@@`` per distinct tsquery, ORed: the planner then ORs one GIN
    bitmap per unit (a posting list or two each), where a single ``a | b | ...`` tsquery makes
    GIN test the whole query against every candidate row: 25 ms against 5 for a sentence
    search of 24 terms at 100x. Units that are the same terms ("peasants" and "peasant")
    are tested once: each is still ranked on its own, as FTS5 ranks every phrase. All-words
    steps stay one ``&&`` query, which GIN answers by skipping through the rarest word's
    postings.
    """
    if not step.any or len(step.units) == 1:
        return f"search_tsv @@ ({_tsquery(step, queries, params)})"
    distinct = list({queries[unit][0]: unit for unit in reversed(step.units)}.values())[::-1]
    return "(" + " OR ".join(
        f"search_tsv @@ {_tsquery(LadderStep('any', (unit,)), queries, params, f'u{n}_')}"
        for n, unit in enumerate(distinct)) + ")"


def _walk(rows: int, matching: list[int], cap: int, any_unit: bool) -> bool:
    """Whether walking the primary key finds the first ``cap`` matches by id faster than the GIN
    index and a sort (the same rows either way; "id + 0" keeps the planner off the key).

    The walk tests about ``rows * cap / matches`` rows and stops; the GIN path fetches every
    match. ``matching``: rows holding each unit; the step matches at most their sum (any) or
    their least (all), and an all-words step may match far fewer, where the walk would read
    most of the table for nothing ("Rev0lution betrayed!!": 53 of 60 ms). So the walk only
    when it is clearly ahead: WALK_MARGIN times fewer rows than the matches.
    """
    expected = sum(matching) if any_unit else min(matching)
    return expected > 0 and expected * expected > WALK_MARGIN * rows * cap


def _chunk(stats: _Stats, matching: list[int], cap: int, any_unit: bool
           ) -> tuple[int, int] | None:
    """(ids in the first range, ranges) for _CHUNKED_MATCHES, or None when the step is
    expected to match too few rows for ranges to pay (then every match is read anyway).

    The GIN path fetches every match from the heap to learn its id, and the primary-key walk
    tests every row it passes (a sentence search ORs some 30 tsqueries: 6 µs a row, and
    "the poet who shot himself" passed 46,000 rows for its 2,000 matches, 170 ms). By id
    ranges, the server ANDs the GIN bitmap with a primary-key range bitmap and visits only
    the matches in the range (16 ms for that one). The first range is sized for SPAN_MARGIN
    times the ids the cap needs if the matches were spread evenly, from the units' document
    counts (any: as if independent; all: the rarest unit's); each next range is twice the
    last, so matches bunched in a few texts cost a few more ranges, never a wrong answer.
    """
    if stats.rows == 0 or not matching:
        return None
    shares = [min(count, stats.rows) / stats.rows for count in matching]
    expected = stats.rows * (1.0 - math.prod(1.0 - share for share in shares) if any_unit
                             else min(shares))
    span = stats.last_id - stats.first_id + 1
    if expected <= 0:
        return None
    chunk = math.ceil(span * SPAN_MARGIN * cap / expected)
    if chunk >= span // 2:  # most of the table: ranges would save little
        return None
    chunks = 1
    while chunk * ((1 << chunks) - 1) < span:
        chunks += 1
    return chunk, chunks


TERM_CACHE_MAX = 50_000  # words (and units); forgotten wholesale when full
_NOTHING = "phraseto_tsquery('simple', '')"  # the empty tsquery, as readbot_query gives it
# Each word's index terms in order, and each unit's two tsqueries as text (see _tsquery).
_TERMS_SQL = f"""
SELECT w.word AS key,
       ARRAY(SELECT t.lexeme FROM unnest(readbot_tsvector(w.word)) AS t
             ORDER BY t.positions[1]) AS lexemes,
       CAST(NULL AS text) AS query, CAST(NULL AS text) AS headline
FROM unnest(CAST(:words AS text[])) AS w(word)
UNION ALL
SELECT u.unit, CAST(NULL AS text[]), CAST(readbot_query(u.unit) AS text),
       CAST(phraseto_tsquery('{CONFIG}', readbot_words(u.unit)) AS text)
FROM unnest(CAST(:units AS text[])) AS u(unit)
"""

_PASSAGES_SQL = """
SELECT hits.id AS passage_id, hits.score, {snippet} AS snippet,
       p."index" AS paragraph_index, p.kind, p.line, p.text,
       s.slug, s.title AS source_title, s.author, sec.title AS section_title,
       hits.matched, hits.last_id
FROM hits
JOIN passage AS p ON p.id = hits.id
JOIN source AS s ON s.id = p.source_id
LEFT JOIN section AS sec ON sec.id = p.section_id
ORDER BY hits.ord
"""

_QUOTATIONS_SQL = """
SELECT hits.id AS quotation_id, hits.score, {snippet} AS snippet,
       q.passage_id, q.kind, q.text, q.signature, q.start, q."end", q.speaker,
       c.display AS citation, c.resolved AS citation_resolved,
       p."index" AS paragraph_index,
       s.slug, s.title AS source_title, s.author, sec.title AS section_title,
       hits.matched, hits.last_id
FROM hits
JOIN quotation AS q ON q.id = hits.id
JOIN passage AS p ON p.id = q.passage_id
JOIN source AS s ON s.id = q.source_id
LEFT JOIN section AS sec ON sec.id = p.section_id
LEFT JOIN citation AS c ON c.id = q.citation_id
ORDER BY hits.ord
"""

_SENTENCES_SQL = """
SELECT hits.id AS sentence_id, hits.score, st.passage_id, st.position, st.text,
       p."index" AS paragraph_index, p.kind,
       s.slug, s.title AS source_title, s.author, sec.title AS section_title,
       hits.matched, hits.last_id
FROM hits
JOIN sentence AS st ON st.id = hits.id
JOIN passage AS p ON p.id = st.passage_id
JOIN source AS s ON s.id = st.source_id
LEFT JOIN section AS sec ON sec.id = p.section_id
ORDER BY hits.ord
"""


# One statement per ladder step: the matches (the first RANK_CAP by id, as FTS5 ranks), each
# one's BM25 from its tsvector, and the best ``limit`` as ``hits`` (id, score, ord) for the
# _*_SQL query appended to it. ``hits`` also carries how many rows ``matches`` holds and the
# last id among them, for every later search of the same step (_BOUNDED_RANK_SQL).
#
# ``matches`` takes only each row's address (ctid) out of the scan: the GIN path sorts every
# match by id to keep the first RANK_CAP, and sorting the tsvectors with them (or the parts
# cut out of them, which cost a few µs a row) was half of a query of 5,000 matches at 100x.
# The capped rows are then read again by address (a TID scan: no index, one heap visit each;
# the same snapshot, so the same row versions).
# ``f``: each unit's occurrences (FTS5's f(q, D), weighted by column). A unit of one lexeme
# takes it from ``ts_rank_cd`` (_occurrences), in ``m``, which OFFSET 0 keeps a subquery of its
# own so that the score's two uses of f do not compute it twice. A phrase lists the
# occurrences of its lexemes (``occ``), from the row's vector cut to them by setweight/
# ts_filter in C, one part per weight label, to find the first word followed by the others at
# the next positions.
_RANK_SQL = """
WITH matches AS MATERIALIZED (
    {matches}
    LIMIT :cap
), scored AS (
    SELECT m.id, {score} AS score
    FROM (SELECT id, search_tokens AS tokens, search_tsv AS tsv{counted} FROM {table}
          WHERE ctid = ANY(ARRAY(SELECT tid FROM matches)) OFFSET 0) AS m
    {frequencies}
), hits AS (
    SELECT s.id, s.score, row_number() OVER (ORDER BY s.score DESC, s.id) AS ord,
           c.matched, c.last_id
    FROM scored AS s
    CROSS JOIN (SELECT count(*) AS matched, max(id) AS last_id FROM matches) AS c
    ORDER BY s.score DESC, s.id
    LIMIT :limit
)
"""

# A step an earlier search of the same ingest ran (_Matched): its first ``cap`` matches by id
# are exactly its matches up to that search's last id, so they are read once, straight from
# the GIN bitmap (ANDed with a primary-key range where the planner finds that cheaper): no
# heap visit of the matches past the cap to learn their ids, no sort by id, no second visit
# by address. "bureaucracy" at 100x: 4,900 matches visited, then 2,000 again, before; 2,000
# once now.
_BOUNDED_RANK_SQL = """
WITH scored AS (
    SELECT m.id, {score} AS score
    FROM (SELECT id, search_tokens AS tokens, search_tsv AS tsv{counted} FROM {table}
          WHERE {condition}{bound}
            AND (CAST(:source_id AS integer) IS NULL OR {source_column} = :source_id)
            {speaker_filter}
          OFFSET 0) AS m
    {frequencies}
), hits AS (
    SELECT id, score, row_number() OVER (ORDER BY score DESC, id) AS ord,
           {matched} AS matched, CAST(NULL AS integer) AS last_id
    FROM scored
    ORDER BY score DESC, id
    LIMIT :limit
)
"""

_MATCHES = """SELECT ctid AS tid, id
    FROM {table}
    WHERE {condition}
      AND (CAST(:source_id AS integer) IS NULL OR {source_column} = :source_id)
      {speaker_filter}
    ORDER BY {order}"""

# The matches by id ranges (see _chunk): range k holds the ids from first + chunk * (2^k - 1)
# up to first + chunk * (2^(k+1) - 1), each range's matches sorted by id; the nested loop reads
# the ranges in order and LIMIT stops it at the cap, so the rows are the first ``cap`` matches
# by id whatever their spread, as in _MATCHES. Each range is one bitmap AND of the GIN bitmaps
# and a primary-key range (the statement runs with enable_indexscan off, see _rank).
_CHUNKED_MATCHES = """SELECT c.tid, c.id
    FROM (SELECT CAST(:first AS bigint) + CAST(:chunk AS bigint) * ((CAST(1 AS bigint) << k) - 1)
                 AS low,
                 CAST(:first AS bigint) + CAST(:chunk AS bigint) * ((CAST(2 AS bigint) << k) - 1)
                 AS high
          FROM generate_series(0, CAST(:chunks AS integer) - 1) AS g(k)) AS r
    CROSS JOIN LATERAL (
        SELECT ctid AS tid, id
        FROM {table}
        WHERE {condition} AND id >= r.low AND id < r.high
        ORDER BY id + 0
    ) AS c"""

_WORD_FREQUENCIES = """CROSS JOIN LATERAL (
        SELECT {columns}
        FROM ({lexemes}) AS x
    ) AS f"""

_PHRASE_FREQUENCIES = """CROSS JOIN LATERAL (
        SELECT array_agg(o.lexeme) AS lexemes, array_agg(o.pos) AS positions,
               array_agg(o.weight) AS weights, array_agg(o.lexeme || ' ' || o.pos) AS keys
        FROM ({occurrences}) AS o
    ) AS occ
    CROSS JOIN LATERAL (
        SELECT {columns}
        FROM unnest(occ.lexemes, occ.positions, occ.weights) AS x(lexeme, pos, weight)
    ) AS f"""


def _part(table: _Table, label: str) -> str:
    """The row's tsvector cut to the wanted lexemes that carry weight ``label``."""
    vector = f"ts_filter(m.tsv, '{{{label.lower()}}}')" if len(table.labels) > 1 else "m.tsv"
    return f"ts_filter(setweight({vector}, 'C', CAST(:wanted AS text[])), '{{c}}')"


def _occurrences(unit_query: str) -> str:
    """FTS5's f(q, D) of a unit of one lexeme (``unit_query``: the bind parameter of its
    tsquery): its positions in the row, each weighted by its column, as ``ts_rank_cd`` sums them.

    With a query of one lexeme, every position is a cover of its own, which ts_rank_cd scores
    as the weight of its label, and sums (no normalization asked): the row's positions of the
    lexeme times the column weights, exact in single precision. In C, with no set to unnest
    per row: the aggregate over ``unnest(ts_filter(...))`` it replaces cost about 0.5 µs a row
    more. ts_rank_cd's weights are for the labels D, C, B, A.
    """
    weights = ",".join(repr(WEIGHTS[label]) for label in "DCBA")
    return (f"CAST(ts_rank_cd(CAST('{{{weights}}}' AS real[]), search_tsv, CAST(:{unit_query} "
            "AS tsquery)) AS double precision)")


#: Past this many one-lexeme units in a step (a sentence search ORs some 30), one aggregate
#: over the row's cut vector counts them all more cheaply than a ts_rank_cd call for each.
ONE_BY_ONE_MAX = 4


def _aggregated(table: _Table, units: list[tuple[str, ...]], params: dict[str, object]
                ) -> tuple[str, list[str]]:
    """Every unit's f(q, D) from one lateral aggregate over the row's vector cut to the step's
    lexemes: the positions of each lexeme, or (a step with a phrase) the occurrences at
    consecutive positions. (The lateral join, each unit's expression.)"""
    _bind_lexemes(list(enumerate(units)), params)
    expressions = [f"f.f{n}" for n in range(len(units))]
    if all(len(lexemes) == 1 for lexemes in units):
        counted = " UNION ALL ".join(
            f"SELECT u.lexeme, cardinality(u.positions) * CAST({WEIGHTS[label]!r} AS double "
            f"precision) AS weight FROM unnest({_part(table, label)}) AS u"
            for label in table.labels)
        sums = ", ".join(f"coalesce(sum(x.weight) FILTER (WHERE x.lexeme = :l{n}_0), 0) "
                         f"AS f{n}" for n in range(len(units)))
        return _WORD_FREQUENCIES.format(columns=sums, lexemes=counted), expressions
    return _PHRASE_FREQUENCIES.format(
        occurrences=_phrase_occurrences(table),
        columns=", ".join(_phrase_count(n, lexemes) for n, lexemes in enumerate(units))
    ), expressions


def _bind_lexemes(units: list[tuple[int, tuple[str, ...]]], params: dict[str, object]) -> None:
    """Bind the lexemes the lateral aggregate reads: all of them as ``wanted`` (what the row's
    vector is cut to) and each of unit n's as ``l{n}_{offset}``."""
    params["wanted"] = sorted({lexeme for _n, lexemes in units for lexeme in lexemes})
    for n, lexemes in units:
        for offset, lexeme in enumerate(lexemes):
            params[f"l{n}_{offset}"] = lexeme


def _phrase_occurrences(table: _Table) -> str:
    return " UNION ALL ".join(
        f"SELECT u.lexeme, p.pos::integer AS pos, CAST({WEIGHTS[label]!r} AS double precision) "
        f"AS weight FROM unnest({_part(table, label)}) AS u, unnest(u.positions) AS p(pos)"
        for label in table.labels)


def _phrase_count(n: int, lexemes: tuple[str, ...]) -> str:
    """Unit n's occurrences in ``occ``: its first lexeme followed by the others."""
    conditions = [f"x.lexeme = :l{n}_0"] + [
        f"occ.keys @> ARRAY[CAST(:l{n}_{offset} AS text) || ' ' || (x.pos + {offset})]"
        for offset in range(1, len(lexemes))]
    return f"coalesce(sum(x.weight) FILTER (WHERE {' AND '.join(conditions)}), 0) AS f{n}"


def _frequencies(table: _Table, units: list[tuple[str, tuple[str, ...]]],
                 params: dict[str, object]) -> tuple[str, str, list[str]]:
    """FTS5's f(q, D) of each unit of a step: (the columns ``m`` adds, the lateral join after
    it, each unit's expression). ``units``: each unit's tsquery, as text, and index terms.

    A unit of one lexeme is counted in ``m`` (``_occurrences``). A phrase counts where its
    first lexeme is followed by the others at the next positions, from the occurrences of the
    phrases' lexemes. The sums are of column weights (1.0 and 0.5), exact in double precision
    in any order, so either gives FTS5's figure to the bit as summing occurrences one by one.
    """
    if sum(len(lexemes) == 1 for _query, lexemes in units) > ONE_BY_ONE_MAX:
        return "", *_aggregated(table, [lexemes for _query, lexemes in units], params)
    counted: list[str] = []
    expressions: list[str] = []
    phrases: list[tuple[int, tuple[str, ...]]] = []
    for n, (query, lexemes) in enumerate(units):
        if len(lexemes) == 1:
            params[f"r{n}"] = query
            counted.append(f", {_occurrences(f'r{n}')} AS f{n}")
            expressions.append(f"m.f{n}")
        else:
            phrases.append((n, lexemes))
            expressions.append(f"f.f{n}")
    if not phrases:
        return "".join(counted), "", expressions
    _bind_lexemes(phrases, params)
    lateral = _PHRASE_FREQUENCIES.format(
        occurrences=_phrase_occurrences(table),
        columns=", ".join(_phrase_count(n, lexemes) for n, lexemes in phrases))
    return "".join(counted), lateral, expressions


def _score(idfs: list[float], frequencies: list[str], params: dict[str, object]) -> str:
    """BM25 as FTS5's fts5Bm25Function sums it: unit by unit, in order, from 0.0.
    ``frequencies``: each unit's f(q, D) as an expression (``_frequencies``)."""
    terms = ["CAST(0.0 AS double precision)"]
    for n, (idf, f) in enumerate(zip(idfs, frequencies, strict=True)):
        params[f"idf{n}"] = idf
        terms.append(
            f"CAST(:idf{n} AS double precision) * ({f} * (CAST(:k1 AS double precision) "
            f"+ CAST(1.0 AS double precision))) / ({f} + CAST(:k1 AS double precision) * "
            f"(1 - CAST(:b AS double precision) + CAST(:b AS double precision) * m.tokens / "
            f"CAST(:avgdl AS double precision)))")
    return " + ".join(terms)


def _headline(column: str, words: int) -> str:
    options = (f"StartSel={MARK_OPEN}, StopSel={MARK_CLOSE}, MaxWords={words}, "
               f"MinWords={words // 2}, MaxFragments=1, FragmentDelimiter={ELLIPSIS}")
    return f"ts_headline('{CONFIG}', {column}, ({{query}}), '{options}')"


class PostgresSearch:
    """``SearchBackend`` on PostgreSQL (columns, index and configuration from migration 0008)."""

    def __init__(self, engine: Engine) -> None:
        # Autocommit connections: no BEGIN and ROLLBACK round trips of psycopg's and the
        # pool's around a search (bot.store.database.reads_only); a search of the whole
        # table opens its transaction in the round trip of its stamp check (_check_ingest).
        self._engine = reads_only(engine)
        # Row count and mean length per table, as of one ingest: BM25 needs them for every
        # query, and computing them is a scan of the table.
        self._stats: dict[str, _Stats] = {}
        # Rows holding each phrase unit (BM25's document frequency; one-term units come from
        # ``_vocabulary``), by (table, unit): like the
        # stats, valid until the next ingest.
        self._counts: dict[tuple[str, tuple[str, ...]], int] = {}
        # What each step searched matched, by _StepKey: valid until the next ingest too.
        self._matched: dict[_StepKey, _Matched] = {}
        # Rows holding each index term, by table (ts_stat's ndoc): valid until the next ingest.
        self._vocabulary: dict[str, dict[str, int]] = {}
        self._stamp: str | None = None  # the ingest both caches were filled under
        # A word's index terms (and a unit's tsqueries) depend only on the search
        # configuration (a migration), so each is asked of the server once per process, not
        # once per ladder step.
        self._lexeme_cache: dict[str, tuple[str, ...]] = {}
        self._query_cache: dict[str, tuple[str, str]] = {}  # a unit's (query, headline)

    def search_passages(
        self, query: str, *, source_slug: str | None = None, limit: int = 10
    ) -> list[PassageHit]:
        sql = _PASSAGES_SQL.replace("{snippet}", _headline("p.text", PASSAGE_SNIPPET_WORDS))
        rows = self._run(sql, "passage", query, source_slug, limit)
        return [replace(passage_hit(row, mode), snippet=_ellipsized(row.snippet, row.text))
                for mode, row in rows]

    def search_quotations(
        self, query: str, *, source_slug: str | None = None, limit: int = 10,
        speaker: str | None = None, snippets: bool = True,
    ) -> list[QuotationHit]:
        snippet = _headline("q.text", QUOTATION_SNIPPET_WORDS) if snippets else "''"
        sql = _QUOTATIONS_SQL.replace("{snippet}", snippet)
        rows = self._run(sql, "quotation", query, source_slug, limit, speaker=speaker)
        hits = [quotation_hit(row, mode) for mode, row in rows]
        return [replace(hit, snippet=_ellipsized(hit.snippet, hit.text)) for hit in hits
                ] if snippets else hits

    def search_sentences(
        self, terms: list[str], *, limit: int = 40, source_slug: str | None = None
    ) -> list[SentenceHit]:
        step = sentence_step(terms)
        if not step.units:
            return []
        limit = max(1, min(int(limit), MAX_LIMIT))
        with self._engine.connect() as connection:
            scope = _scope(connection, "sentence", source_slug)
            if scope is None:
                return []
            self._check_ingest(connection, bitmaps=scope.source_id is None, steps=[step])
            # As on FTS5: every term is ranked (the caller left out the commonest words).
            rows = self._rank(connection, _TABLES["sentence"], step, scope.source_id, None,
                              limit, ranked=True, drop_common=False, fetch=_SENTENCES_SQL,
                              rank_cap=min(SENTENCE_RANK_CAP, RANK_CAP))
        return [sentence_hit(row, score=row.score) for row in rows]

    def warm(self) -> None:
        """Each searched table's row statistics and term counts (``_table_stats``,
        ``_term_documents``), which every search needs and the first one after an ingest
        would otherwise read: a ts_stat pass over the table's vectors, 250-580 ms at 100x.
        Kept for the ingest found here; after a later ingest the next search reads them
        again, as before."""
        with self._engine.connect() as connection:
            self._check_ingest(connection)
            if self._stamp is None:  # never ingested: nothing is kept, so nothing to read
                return
            for table in _TABLES:
                self._table_stats(connection, table)
                self._term_documents(connection, table)

    def sentence_vocabulary(self) -> tuple[int, dict[str, int]]:
        with self._engine.connect() as connection:
            self._check_ingest(connection)
            total = self._table_stats(connection, "sentence").rows
            # In fts5vocab's order (by code point): typo correction breaks ties by position.
            terms = dict(sorted(self._term_documents(connection, "sentence").items()))
        return total, terms

    # --- the ladder ------------------------------------------------------------------------

    def _run(
        self, sql: str, table: str, query: str, source_slug: str | None, limit: int, *,
        speaker: str | None = None,
    ) -> list[tuple[MatchMode, Row[Any]]]:
        """Try the ladder until a step matches; rows come back best first (as ``Fts5Search``)."""
        parsed = parse_query(query)
        if not parsed:
            return []
        limit = max(1, min(int(limit), MAX_LIMIT))
        with self._engine.connect() as connection:
            scope = _scope(connection, table, source_slug)
            if scope is None:
                return []
            # Once per search, not once per step; with it, the terms of every step.
            steps = parsed.steps()
            self._check_ingest(connection, bitmaps=scope.source_id is None, steps=steps)
            for step in steps:
                rows = self._rank(connection, _TABLES[table], step, scope.source_id, speaker,
                                  limit, ranked=parsed.has_content_words, fetch=sql)
                if rows:
                    return [(step.mode, row) for row in rows]
        return []

    def _rank(
        self, connection: Connection, table: _Table, step: LadderStep, source_id: int | None,
        speaker: str | None, limit: int, *, ranked: bool, fetch: str,
        drop_common: bool = True, rank_cap: int | None = None,
    ) -> list[Row[Any]]:
        """The best ``limit`` rows matching ``step``, best first, as ``fetch`` selects them
        (one of the ``_*_SQL`` queries, reading the ranked ``hits``).

        ``ranked=False`` (a query of stop words only) scores just the first ``limit`` matches,
        as FTS5 does, instead of ranking nearly every row for nothing. ``drop_common``: the
        any-word step of the ladder (single words) leaves out words too common to rank.

        BM25 is computed by the server, in the one statement that finds the matches and
        joins the winners to their passage and source: only the top rows cross the wire
        (shipping every match's positions to Python and scoring them there was a third of a
        query's time at 100x, and a second round trip). The arithmetic is IEEE double
        arithmetic in the same order as FTS5's bm25(), with the IDFs computed here by
        ``math.log``, so the scores are the same to the last bit and ties still fall by id.
        """
        stats = self._table_stats(connection, table.name)
        if stats.rows == 0:
            return []
        lexemes, queries = self._terms(connection, step)
        counts = self._document_counts(connection, table.name, step, queries, lexemes)
        params: dict[str, object] = {}
        # The snippet marks every word of the step, also those too common to rank.
        fetch = fetch.replace("{query}", _tsquery(step, queries, params, "h", headline=True))
        if ranked and drop_common and step.any and (rare := rare_words(
                {unit[0]: min(counts[unit], RANK_CAP) for unit in step.units})):
            step = LadderStep(step.mode, tuple((word,) for word in rare))
        units = [(unit, lexemes[unit]) for unit in step.units if lexemes[unit]]
        if not units:
            return []
        cap = (rank_cap or RANK_CAP) if ranked else limit
        key: _StepKey = (table.name, step.any, tuple(queries[unit][0] for unit, _lxs in units),
                         source_id, speaker, cap)
        known = self._matched.get(key)
        if known is not None and known.rows == 0:
            return []  # a step that matched nothing costs no round trip the next time
        params |= {
            "cap": cap, "limit": limit, "source_id": source_id,
            "speaker": speaker, "k1": K1, "b": B, "avgdl": stats.average_tokens,
        }
        speaker_filter = (f"AND (CAST(:speaker AS text) IS NULL OR {table.speaker_column} = "
                          ":speaker)" if table.speaker_column else "")
        idfs = [_idf(stats.rows, counts.get(unit, 0)) for unit, _lxs in units]
        ranked_step = LadderStep(step.mode, tuple(unit for unit, _lxs in units))
        condition = _condition(ranked_step, queries, params)
        counted, frequencies, expressions = _frequencies(
            table, [(queries[unit][0], lxs) for unit, lxs in units], params)
        score = _score(idfs, expressions, params)
        matching = [counts.get(unit, 0) for unit, _lxs in units]
        # Fewer matches in the whole table than the cap (any: at most the units' sum; all:
        # at most the rarest unit's): every match is ranked, so the first search of the step
        # needs no first pass for their ids either, only the bounded statement's one visit.
        few = (sum(matching) if step.any else min(matching)) < cap
        if known is not None or few:
            bound = ""
            if known is not None and known.rows >= cap:
                bound, params["last_id"] = " AND id <= :last_id", known.last_id
            statement = _BOUNDED_RANK_SQL.format(
                table=table.name, condition=condition, bound=bound,
                source_column=table.source_column, speaker_filter=speaker_filter,
                counted=counted, frequencies=frequencies, score=score,
                matched="count(*) OVER ()" if known is None else "CAST(NULL AS bigint)")
            rows = list(connection.execute(text(statement + fetch), params))
            if known is None:
                self._remember(key, _Matched(int(rows[0].matched), None) if rows
                               else _Matched(0, None))
            return rows
        # Ranges only for the whole table (the counts are the whole table's) and no speaker
        # (which the counts do not see).
        chunked = (_chunk(stats, matching, cap, step.any)
                   if source_id is None and speaker is None else None)
        if chunked is not None:
            params |= {"first": stats.first_id, "chunk": chunked[0], "chunks": chunked[1]}
            matches = _CHUNKED_MATCHES.format(table=table.name, condition=condition)
            # The search's transaction has enable_indexscan off (_check_ingest): the planner
            # would test the condition on every row of a range by a plain primary-key scan
            # (it prices an @@ at next to nothing) rather than AND the two bitmaps.
        else:
            order = "id" if _walk(stats.rows, matching, cap, step.any) else "id + 0"
            matches = _MATCHES.format(
                order=order, table=table.name, source_column=table.source_column,
                condition=condition, speaker_filter=speaker_filter)
        statement = _RANK_SQL.format(matches=matches, table=table.name, counted=counted,
                                     frequencies=frequencies, score=score)
        rows = list(connection.execute(text(statement + fetch), params))
        self._remember(key, _Matched(int(rows[0].matched), rows[0].last_id) if rows
                       else _Matched(0, None))
        return rows

    def _remember(self, key: _StepKey, matched: _Matched) -> None:
        """Keep what a step matched for its next search in the same ingest."""
        if self._stamp is not None:  # nothing is kept for a store never ingested
            if len(self._matched) > STEP_CACHE_MAX:
                self._matched.clear()
            self._matched[key] = matched

    # --- statistics ------------------------------------------------------------------------

    def _check_ingest(self, connection: Connection, *, bitmaps: bool = False,
                      steps: list[LadderStep] | None = None) -> None:
        """Forget the statistics if an ingest happened since they were computed.

        One primary-key read per search: the stamp is what ingest writes last, in the same
        transaction as the rows, so equal stamps mean equal tables. ``bitmaps`` (a search of
        the whole table, which may read its matches by id ranges, see ``_chunk``): the same
        round trip turns plain index scans off for the rest of the search, in a transaction
        it opens itself (the engine's connections autocommit, see ``__init__``): ``SET
        LOCAL``, undone by the rollback when the connection goes back to the pool. Bitmap
        scans are left, so the key lookups of the winners still use the index. ``steps``:
        the same round trip also asks for the terms of their words and units that this
        process has not asked for yet (``_terms``), which was a round trip of its own on
        every first search of a word, before the first step's statement.
        """
        script = _STAMP_SQL + ("; BEGIN; SET LOCAL enable_indexscan = off" if bitmaps else "")
        words, units = self._missing_terms(steps or [])
        driver = connection.connection.driver_connection
        if words or units:
            # Quoted by psycopg (the simple query protocol has no bind parameters): user
            # text stays a string literal, whatever it holds.
            before, after = _TERMS_SQL.split(":words")
            middle, end = after.split(":units")
            script += (f"; {before}{_literal(words, driver)}{middle}"
                       f"{_literal(units, driver)}{end}")
        cursor = connection.connection.cursor()
        try:
            cursor.execute(script)
            row = cursor.fetchone()
            stamp = None if row is None else row[0]
            if words or units:
                while cursor.nextset():
                    pass  # to the last result: the terms
                self._keep_terms(cursor.fetchall())
        finally:
            cursor.close()
        if stamp is None or stamp != self._stamp:
            self._stats.clear()
            self._counts.clear()
            self._matched.clear()
            self._vocabulary.clear()
            self._stamp = stamp

    def _table_stats(self, connection: Connection, table: str) -> _Stats:
        """Rows and mean tokens per row (FTS5's N and avgdl), computed once per ingest."""
        cached = self._stats.get(table)
        if cached is not None:
            return cached
        rows, tokens, first, last = connection.execute(text(
            f"SELECT count(*), coalesce(sum(search_tokens), 0), coalesce(min(id), 0), "
            f"coalesce(max(id), 0) FROM {table}")).one()
        stats = _Stats(int(rows), float(tokens) / rows if rows else 0.0, int(first), int(last))
        if self._stamp is not None:  # a store never ingested may be written at any time
            self._stats[table] = stats
        return stats

    def _term_documents(self, connection: Connection, table: str) -> dict[str, int]:
        """Rows of ``table`` holding each index term (``ts_stat``'s ndoc), once per ingest.

        One pass over the table's vectors (at 100x: passage 0.25 s, sentence 0.4 s, paid by
        the first search of the table after an ingest, as ``_table_stats`` is) gives the
        count of every one-term unit, where a ``count(*)`` per new word is a scan of its
        matches: "the" is in 46,000 of 59,600 passages, a 80 ms sequential scan, and such
        counts were 590 of the 1,320 ms that the 64 /search queries took on their first ask.
        """
        cached = self._vocabulary.get(table)
        if cached is not None:
            return cached
        terms = {str(term): int(documents) for term, documents in connection.execute(
            text(f"SELECT word, ndoc FROM ts_stat('SELECT search_tsv FROM {table}')"))}
        if self._stamp is not None:  # a store never ingested may be written at any time
            self._vocabulary[table] = terms
        return terms

    def _document_counts(self, connection: Connection, table: str, step: LadderStep,
                         queries: dict[tuple[str, ...], tuple[str, str]],
                         lexemes: dict[tuple[str, ...], tuple[str, ...]]
                         ) -> dict[tuple[str, ...], int]:
        """Rows of the whole table holding each unit (FTS5's nHit), counted once per ingest.

        A unit of one index term takes its count from the table's vocabulary
        (``_term_documents``): the rows whose vector holds the term are exactly the rows its
        tsquery matches. A phrase is counted by the server; a common phrase's count is a scan
        of its matches, and it only changes with an ingest, so it is cached. Each unit missing
        from the cache is its own ``count(*)``: with no column to read, the server need not
        detoast and recheck every match's tsvector, which the former single scan with one
        ``count(*) FILTER`` per unit did (3x slower).
        """
        # One-term units from the vocabulary (not for a store never ingested, which keeps no
        # vocabulary: its terms are counted below like phrases).
        vocabulary = (self._term_documents(connection, table) if self._stamp is not None
                      and any(len(lexemes[unit]) == 1 for unit in step.units) else None)
        found = {unit: vocabulary.get(lexemes[unit][0], 0) for unit in step.units
                 if vocabulary is not None and len(lexemes[unit]) == 1}
        known = self._counts
        missing = [unit for unit in dict.fromkeys(step.units)
                   if unit not in found and (table, unit) not in known]
        if missing:
            params: dict[str, object] = {}
            columns = ", ".join(
                f"(SELECT count(*) FROM {table} WHERE search_tsv @@ "
                f"({_tsquery(LadderStep('any', (unit,)), queries, params, f'c{n}_')}))"
                for n, unit in enumerate(missing))
            row = connection.execute(text(f"SELECT {columns}"), params).one()
            counted = {unit: int(count) for unit, count in zip(missing, row, strict=True)}
            if self._stamp is None:  # nothing is cached for a store never ingested
                return {unit: counted[unit] for unit in step.units}
            if len(known) > COUNT_CACHE_MAX:
                known.clear()
            known.update(((table, unit), count) for unit, count in counted.items())
        return {unit: found[unit] if unit in found else known[(table, unit)]
                for unit in step.units}

    def _terms(self, connection: Connection, step: LadderStep
               ) -> tuple[dict[tuple[str, ...], tuple[str, ...]],
                          dict[tuple[str, ...], tuple[str, str]]]:
        """Each unit as the index's terms, as the database's own configuration makes them, and
        its two tsqueries as text (``_tsquery``): one round trip for what is not cached yet."""
        words, units = self._missing_terms([step])
        if words or units:
            self._keep_terms(connection.execute(text(_TERMS_SQL), {"words": words,
                                                                    "units": units}))
        known = self._lexeme_cache
        lexemes = {unit: tuple(lx for word in unit for lx in known.get(word, ()))
                   for unit in step.units}
        queries = {unit: self._query_cache.get(" ".join(unit), ("", "")) for unit in step.units}
        return lexemes, queries

    def _missing_terms(self, steps: list[LadderStep]) -> tuple[list[str], list[str]]:
        """The words and units of ``steps`` whose terms are not known yet (``_TERMS_SQL``)."""
        words = sorted({word for step in steps for unit in step.units for word in unit}
                       - self._lexeme_cache.keys())
        units = sorted({" ".join(unit) for step in steps for unit in step.units}
                       - self._query_cache.keys())
        return words, units

    def _keep_terms(self, rows: Iterable[Sequence[Any]]) -> None:
        """Keep the rows of ``_TERMS_SQL``: (key, lexemes, query, headline)."""
        if len(self._lexeme_cache) + len(self._query_cache) > TERM_CACHE_MAX:
            self._lexeme_cache.clear()
            self._query_cache.clear()
        for key, lexemes, query, headline in rows:
            if lexemes is not None:
                self._lexeme_cache[key] = tuple(lexemes)
            else:
                self._query_cache[key] = (query or "", headline or "")


def _literal(values: list[str], driver: Any) -> str:
    """``values`` as a text[] literal, quoted by psycopg for the connection ``driver``."""
    return pgsql.Literal(values).as_string(driver)


def _idf(rows: int, hits: int) -> float:
    idf = math.log((rows - hits + 0.5) / (hits + 0.5))
    return idf if idf > 0.0 else IDF_FLOOR


def _ellipsized(fragment: str | None, whole: str) -> str:
    """A ``ts_headline`` fragment with FTS5's "…" where the text goes on before or after it.

    ts_headline returns the best fragment alone; FTS5's snippet() marks a cut with "…", which
    the replies rely on to show that there is more.
    """
    # ts_headline marks each word of a phrase; FTS5 marks the phrase as one run.
    fragment = (fragment or "").strip().replace(f"{MARK_CLOSE} {MARK_OPEN}", " ")
    shown = " ".join(fragment.replace(MARK_OPEN, "").replace(MARK_CLOSE, "").split())
    body = " ".join(whole.split())
    if not shown:
        return fragment
    before = "" if body.startswith(shown) else ELLIPSIS
    after = "" if body.endswith(shown) else ELLIPSIS
    return f"{before}{fragment}{after}"
