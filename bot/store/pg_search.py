"""``SearchBackend`` on PostgreSQL full-text search, answering as ``Fts5Search`` does.

The index (migration 0008) is a generated ``search_tsv`` column with a GIN index on passage,
quotation and sentence, built with the ``readbot`` text search configuration: the text is cut
into runs of letters and digits exactly as FTS5's unicode61 tokenizer cuts it
(``readbot_words``), accents are folded (``unaccent``) and words are reduced by the original
Porter stemmer (Snowball's ``porter``, the algorithm of FTS5's ``porter`` tokenizer and of
``bot.corpus.lexicon``), with no stop words. So the index holds the terms FTS5's holds, and
``sentence_vocabulary`` gives the stems the answers layer computes in Python.

Queries: the same ``parse_query`` and ladder as FTS5 (phrase, all words, telling words, any
word). Each unit of a step becomes ``phraseto_tsquery('readbot', readbot_words(:word))``, a
bind parameter, joined with ``&&`` or ``||``: user text is never parsed as tsquery syntax, so
no operator (``!``, ``&``, ``:*``, quotes, parentheses) can reach it.

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
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Connection, Engine, Row, text

from bot.store.search import (
    ELLIPSIS,
    MARK_CLOSE,
    MARK_OPEN,
    MAX_LIMIT,
    RANK_CAP,
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

CONFIG = "readbot"  # the text search configuration of migration 0008
K1, B = 1.2, 0.75  # FTS5's bm25() constants
IDF_FLOOR = 1e-6  # FTS5 gives a term in more than half the rows this IDF instead of <= 0
# Column weights as tsvector labels: a quotation's words count fully, its signature half
# (FTS5: bm25(1.0, 0.5)); every other table has one column, labelled D by to_tsvector.
WEIGHTS = {"A": 1.0, "B": 0.5, "C": 1.0, "D": 1.0}
PASSAGE_SNIPPET_WORDS, QUOTATION_SNIPPET_WORDS = 32, 48  # FTS5 snippet() token counts
_LAST_INGEST_KEY = "last_ingest_at"  # ingest.LAST_INGEST_KEY (ingest imports this package)


@dataclass(frozen=True, slots=True)
class _Table:
    """What the ranking needs to know of one indexed table."""

    name: str
    source_column: str = "source_id"
    speaker_column: str | None = None


_TABLES = {
    "passage": _Table("passage"),
    "quotation": _Table("quotation", speaker_column="speaker"),
    "sentence": _Table("sentence"),
}


@dataclass(frozen=True, slots=True)
class _Stats:
    rows: int
    average_tokens: float


def _tsquery(step: LadderStep, params: dict[str, object], prefix: str = "u") -> str:
    """The step as a tsquery expression; every unit is a bind parameter added to ``params``."""
    parts = []
    for number, unit in enumerate(step.units):
        name = f"{prefix}{number}"
        params[name] = " ".join(unit)
        parts.append(f"phraseto_tsquery('{CONFIG}', readbot_words(CAST(:{name} AS text)))")
    return f" {'||' if step.any else '&&'} ".join(parts)


LEXEME_CACHE_MAX = 50_000  # words; forgotten wholesale when full
_LEXEMES_SQL = f"""
SELECT w.word, ARRAY(SELECT t.lexeme FROM unnest(to_tsvector('{CONFIG}', readbot_words(w.word)))
                     AS t ORDER BY t.positions[1]) AS lexemes
FROM unnest(CAST(:words AS text[])) AS w(word)
"""

_PASSAGES_SQL = """
SELECT hits.id AS passage_id, hits.score, {snippet} AS snippet,
       p."index" AS paragraph_index, p.kind, p.line, p.text,
       s.slug, s.title AS source_title, s.author, sec.title AS section_title
FROM unnest(CAST(:ids AS integer[]), CAST(:scores AS double precision[]))
     WITH ORDINALITY AS hits(id, score, ord)
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
       s.slug, s.title AS source_title, s.author, sec.title AS section_title
FROM unnest(CAST(:ids AS integer[]), CAST(:scores AS double precision[]))
     WITH ORDINALITY AS hits(id, score, ord)
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
       s.slug, s.title AS source_title, s.author, sec.title AS section_title
FROM unnest(CAST(:ids AS integer[]), CAST(:scores AS double precision[]))
     WITH ORDINALITY AS hits(id, score, ord)
JOIN sentence AS st ON st.id = hits.id
JOIN passage AS p ON p.id = st.passage_id
JOIN source AS s ON s.id = st.source_id
LEFT JOIN section AS sec ON sec.id = p.section_id
ORDER BY hits.ord
"""


def _headline(column: str, words: int) -> str:
    options = (f"StartSel={MARK_OPEN}, StopSel={MARK_CLOSE}, MaxWords={words}, "
               f"MinWords={words // 2}, MaxFragments=1, FragmentDelimiter={ELLIPSIS}")
    return f"ts_headline('{CONFIG}', {column}, ({{query}}), '{options}')"


class PostgresSearch:
    """``SearchBackend`` on PostgreSQL (columns, index and configuration from migration 0008)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        # Row count and mean length per table, as of one ingest: BM25 needs them for every
        # query, and computing them is a scan of the table.
        self._stats: dict[str, tuple[str | None, _Stats]] = {}
        # A word's index terms depend only on the search configuration (a migration), so
        # each word is asked of the server once per process, not once per ladder step.
        self._lexeme_cache: dict[str, tuple[str, ...]] = {}

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
            # As on FTS5: every term is ranked (the caller left out the commonest words).
            ranked = self._rank(connection, _TABLES["sentence"], step, scope.source_id, None,
                                limit, ranked=True, drop_common=False)
            if not ranked:
                return []
            rows = self._fetch(connection, _SENTENCES_SQL, step, ranked)
        return [sentence_hit(row, score=row.score) for row in rows]

    def sentence_vocabulary(self) -> tuple[int, dict[str, int]]:
        with self._engine.connect() as connection:
            total = connection.execute(text("SELECT count(*) FROM sentence")).scalar() or 0
            rows = connection.execute(
                text("SELECT word, ndoc FROM ts_stat('SELECT search_tsv FROM sentence')"))
            # In fts5vocab's order (by code point): typo correction breaks ties by position.
            terms = dict(sorted((str(word), int(docs)) for word, docs in rows))
        return int(total), terms

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
            for step in parsed.steps():
                ranked = self._rank(connection, _TABLES[table], step, scope.source_id, speaker,
                                    limit, ranked=parsed.has_content_words)
                if ranked:
                    return [(step.mode, row) for row in self._fetch(connection, sql, step, ranked)]
        return []

    def _rank(
        self, connection: Connection, table: _Table, step: LadderStep, source_id: int | None,
        speaker: str | None, limit: int, *, ranked: bool, drop_common: bool = True,
    ) -> list[tuple[int, float]]:
        """(id, BM25 score) of the best ``limit`` rows matching ``step``, best first.

        ``ranked=False`` (a query of stop words only) scores just the first ``limit`` matches,
        as FTS5 does, instead of ranking nearly every row for nothing. ``drop_common``: the
        any-word step of the ladder (single words) leaves out words too common to rank.
        """
        stats = self._table_stats(connection, table.name)
        if stats.rows == 0:
            return []
        counts = self._document_counts(connection, table.name, step)
        if ranked and drop_common and step.any and (rare := rare_words(
                {unit[0]: min(counts[unit], RANK_CAP) for unit in step.units})):
            step = LadderStep(step.mode, tuple((word,) for word in rare))
        lexemes = self._lexemes(connection, step)
        units = [(unit, lexemes[unit]) for unit in step.units if lexemes[unit]]
        if not units:
            return []
        params: dict[str, object] = {"cap": RANK_CAP if ranked else limit,
                                     "source_id": source_id, "speaker": speaker,
                                     "wanted": sorted({lx for _u, lxs in units for lx in lxs})}
        speaker_filter = (f"AND (CAST(:speaker AS text) IS NULL OR {table.speaker_column} = "
                          ":speaker)" if table.speaker_column else "")
        statement = text(f"""
            SELECT id, search_tokens,
                   ARRAY(SELECT ARRAY[u.lexeme, array_to_string(u.positions, ' '),
                                      array_to_string(u.weights, ' ')]
                         FROM unnest(search_tsv) AS u
                         WHERE u.lexeme = ANY(CAST(:wanted AS text[]))) AS found
            FROM {table.name}
            WHERE search_tsv @@ ({_tsquery(step, params)})
              AND (CAST(:source_id AS integer) IS NULL OR {table.source_column} = :source_id)
              {speaker_filter}
            ORDER BY id
            LIMIT :cap
        """)
        scored = []
        for row_id, tokens, found in connection.execute(statement, params):
            positions = _positions(found)
            score = 0.0
            for unit, unit_lexemes in units:
                idf = _idf(stats.rows, counts.get(unit, 0))
                frequency = _frequency(unit_lexemes, positions)
                score += idf * (frequency * (K1 + 1.0)) / (
                    frequency + K1 * (1 - B + B * tokens / stats.average_tokens))
            scored.append((row_id, score))
        scored.sort(key=lambda pair: (-pair[1], pair[0]))  # FTS5's ORDER BY score DESC, rowid
        return scored[:limit]

    def _fetch(self, connection: Connection, sql: str, step: LadderStep,
               ranked: list[tuple[int, float]]) -> list[Row[Any]]:
        """The ranked rows with their passage, source and section (and snippet), in order."""
        params: dict[str, object] = {"ids": [i for i, _s in ranked],
                                     "scores": [s for _i, s in ranked]}
        statement = text(sql.replace("{query}", _tsquery(step, params)))
        return list(connection.execute(statement, params))

    # --- statistics ------------------------------------------------------------------------

    def _table_stats(self, connection: Connection, table: str) -> _Stats:
        """Rows and mean tokens per row (FTS5's N and avgdl), recomputed after each ingest."""
        stamp = connection.execute(text("SELECT value FROM store_meta WHERE key = :key"),
                                   {"key": _LAST_INGEST_KEY}).scalar()
        cached = self._stats.get(table)
        if cached is not None and cached[0] == stamp and stamp is not None:
            return cached[1]
        rows, tokens = connection.execute(
            text(f"SELECT count(*), coalesce(sum(search_tokens), 0) FROM {table}")).one()
        stats = _Stats(int(rows), float(tokens) / rows if rows else 0.0)
        self._stats[table] = (stamp, stats)
        return stats

    def _document_counts(self, connection: Connection, table: str, step: LadderStep
                         ) -> dict[tuple[str, ...], int]:
        """Rows of the whole table holding each unit (FTS5's nHit), in one index scan."""
        params: dict[str, object] = {}
        any_unit = _tsquery(LadderStep("any", step.units), params)
        singles = [_tsquery(LadderStep("any", (unit,)), params, f"c{n}_")
                   for n, unit in enumerate(step.units)]
        columns = ", ".join(f"count(*) FILTER (WHERE search_tsv @@ ({one}))" for one in singles)
        row = connection.execute(
            text(f"SELECT {columns} FROM {table} WHERE search_tsv @@ ({any_unit})"), params).one()
        return {unit: int(count) for unit, count in zip(step.units, row, strict=True)}

    def _lexemes(self, connection: Connection, step: LadderStep
                 ) -> dict[tuple[str, ...], tuple[str, ...]]:
        """Each unit as the index's terms, as the database's own configuration makes them."""
        known = self._lexeme_cache
        words = sorted({word for unit in step.units for word in unit} - known.keys())
        if words:
            if len(known) > LEXEME_CACHE_MAX:
                known.clear()
            known.update((word, tuple(lexemes)) for word, lexemes in connection.execute(
                text(_LEXEMES_SQL), {"words": words}))
        return {unit: tuple(lx for word in unit for lx in known.get(word, ())) for unit in
                step.units}


def _positions(found: Sequence[Sequence[str]]) -> dict[str, dict[int, float]]:
    """{lexeme: {position: column weight}} from the row's (lexeme, positions, weights)."""
    positions: dict[str, dict[int, float]] = defaultdict(dict)
    for lexeme, places, labels in found:
        for place, label in zip(places.split(), labels.split(), strict=True):
            positions[lexeme][int(place)] = WEIGHTS.get(label, 1.0)
    return positions


def _frequency(lexemes: tuple[str, ...], positions: dict[str, dict[int, float]]) -> float:
    """FTS5's f(q, D): the unit's occurrences in the row, each weighted by its column."""
    first, rest = lexemes[0], lexemes[1:]
    return sum(weight for start, weight in positions.get(first, {}).items()
               if all(start + offset in positions.get(lexeme, {})
                      for offset, lexeme in enumerate(rest, start=1)))


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
