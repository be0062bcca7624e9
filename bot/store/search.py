"""Full-text search over passages and quotations.

``SearchBackend`` is what the answers layer uses; ``Fts5Search`` implements it on SQLite FTS5,
``bot.store.pg_search.PostgresSearch`` on PostgreSQL full-text search. Both take the same
parsed query and the same ladder (``FtsQuery.steps``) and build the same hits.

User text never reaches FTS5 as syntax. ``parse_query`` keeps only words (runs of Unicode
letters and digits) and phrases the user put in double quotes, and ``FtsQuery`` writes each one
as an FTS5 string literal, so ``NEAR(``, ``*``, ``^``, ``col:``, ``AND``/``OR``/``NOT`` and stray
quotes or parentheses are just words or nothing. Matching then relaxes step by step until
something matches: the phrases as typed, then all the words, then any of the words.

Cost is proportional to the matches, not the corpus: FTS5 reads the doclists of the query's
words, ranks the matching rows with ``ORDER BY rank`` (BM25) and only the top ``limit`` rows
are joined to their passage and source and get a snippet. A source filter is a rowid range
that FTS5 applies itself; a query of stop words only is not ranked at all.

Snippets mark matches with ``**``; a text that itself contains ``*`` would need escaping by
the renderer (the current corpus has none).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Row, TextClause, text
from sqlalchemy.exc import OperationalError

from bot.store.search_types import (  # what answers see of search, without SQLAlchemy
    STOP_WORDS,
    MatchMode,
    PassageHit,
    QuotationHit,
    SearchBackend,
    SentenceHit,
)

__all__ = [
    "STOP_WORDS",
    "Fts5Search",
    "FtsQuery",
    "MatchMode",
    "PassageHit",
    "QuotationHit",
    "SearchBackend",
    "SentenceHit",
    "parse_query",
    "search_backend_for",
]

log = logging.getLogger(__name__)

MAX_QUERY_CHARS = 2000  # longer input is cut before tokenizing (bounds the regex work)
MAX_WORDS = 32  # words kept from a query; more only slows FTS5 down without helping ranking
MAX_LIMIT = 100
MARK_OPEN, MARK_CLOSE = "**", "**"  # how snippets mark matched words (Discord/Markdown bold)
ELLIPSIS = "…"

_WORD = re.compile(r"[^\W_]+")  # letters and digits of any script, as FTS5's unicode61 sees them

# --- turning user text into a safe FTS5 query --------------------------------------------------


@dataclass(frozen=True, slots=True)
class FtsQuery:
    """A user's query as words and quoted phrases; renders only quoted FTS5 strings."""

    phrases: tuple[tuple[str, ...], ...]  # each a phrase the user quoted, or a single word

    @property
    def words(self) -> list[str]:
        return [word for phrase in self.phrases for word in phrase]

    def __bool__(self) -> bool:
        return bool(self.phrases)

    @property
    def has_content_words(self) -> bool:
        return any(word.casefold() not in STOP_WORDS for word in self.words)

    def exact(self) -> str:
        """Every phrase as typed and every loose word (implicit AND)."""
        return " ".join(_literal(phrase) for phrase in self.phrases)

    def all_words(self) -> str:
        return " ".join(_literal((word,)) for word in _unique(self.words))

    def telling_words(self) -> list[str]:
        """The words that say what is wanted: not stop words, not single characters."""
        words = _unique(self.words)
        return [w for w in words if len(w) > 1 and w.casefold() not in STOP_WORDS] or words

    def any_word(self) -> str:
        """Any one of the telling words."""
        return " OR ".join(_literal((word,)) for word in self.telling_words())

    def steps(self) -> list[LadderStep]:
        """The ladder from strictest to loosest, without repeats, for any backend to render."""
        steps: list[LadderStep] = []
        if any(len(phrase) > 1 for phrase in self.phrases):
            steps.append(LadderStep("exact", self.phrases))
        steps.append(LadderStep("all", tuple((word,) for word in _unique(self.words))))
        loosest = LadderStep("any", tuple((word,) for word in self.telling_words()))
        if loosest.fts5() != steps[-1].fts5():  # a one-word query needs no fallback
            steps.append(loosest)
        return steps

    def ladder(self) -> list[tuple[MatchMode, str]]:
        """FTS5 queries from strictest to loosest, without repeats."""
        return [(step.mode, step.fts5()) for step in self.steps()]


@dataclass(frozen=True, slots=True)
class LadderStep:
    """One rung of the ladder: every unit must match, or (mode "any") at least one.

    A unit is a phrase (consecutive words) or a single word. FTS5 and BM25 both treat each
    unit as one "phrase": it is what gets a document frequency and a weight.
    """

    mode: MatchMode
    units: tuple[tuple[str, ...], ...]

    @property
    def any(self) -> bool:
        return self.mode == "any"

    def fts5(self) -> str:
        """As FTS5 query syntax: quoted strings only, joined by space (AND) or OR."""
        return (" OR " if self.any else " ").join(_literal(unit) for unit in self.units)


def parse_query(user_text: str) -> FtsQuery:
    """Words and "quoted phrases" from whatever the user typed; everything else is dropped.

    A quote left open ("dustbin of) is ignored and its words count as loose words.
    """
    normalized = unicodedata.normalize("NFKC", user_text[:MAX_QUERY_CHARS])
    # Curly and other double quotes delimit phrases too (phones type them).
    normalized = re.sub(r"[“”„‟″＂«»]", '"', normalized)
    pieces = normalized.split('"')
    if len(pieces) % 2 == 0:  # odd number of quotes: the last one opens nothing
        pieces[-2:] = [pieces[-2] + " " + pieces[-1]]
    phrases: list[tuple[str, ...]] = []
    budget = MAX_WORDS
    for position, piece in enumerate(pieces):
        words = _WORD.findall(piece)[:budget]
        budget -= len(words)
        if position % 2 == 1 and len(words) > 1:
            phrases.append(tuple(words))
        else:
            phrases.extend((word,) for word in words)
        if budget <= 0:
            break
    return FtsQuery(tuple(phrases))


def _literal(words: tuple[str, ...]) -> str:
    # Words hold only letters and digits, so no '"' can occur; doubling them is belt and braces.
    return '"' + " ".join(word.replace('"', '""') for word in words) + '"'


def _unique(words: list[str]) -> list[str]:
    """Words in order, each once (case-insensitively)."""
    seen: set[str] = set()
    unique: list[str] = []
    for word in words:
        if word.casefold() not in seen:
            seen.add(word.casefold())
            unique.append(word)
    return unique


# --- SQLite FTS5 backend -----------------------------------------------------------------------

# The ranked subquery is answered by FTS5 alone: MATCH, a rowid range and ORDER BY rank are all
# consumed by the virtual table, so only the top rows leave it. Any other condition in there
# (a join, an IN list) would make SQLite rank every match itself, 10-100x slower at scale.
_PASSAGES_SQL = """
SELECT hits.rowid AS passage_id, hits.score, hits.snippet,
       p."index" AS paragraph_index, p.kind, p.line, p.text,
       s.slug, s.title AS source_title, s.author, sec.title AS section_title
FROM (
    SELECT rowid, -rank AS score,
           snippet(passage_fts, 0, :open, :close, :ellipsis, 32) AS snippet
    FROM passage_fts
    WHERE passage_fts MATCH :query AND rowid BETWEEN :low AND :high
    ORDER BY {order}
    LIMIT :inner_limit
) AS hits
JOIN passage AS p ON p.id = hits.rowid
JOIN source AS s ON s.id = p.source_id
LEFT JOIN section AS sec ON sec.id = p.section_id
WHERE :source_id IS NULL OR p.source_id = :source_id
ORDER BY hits.score DESC, hits.rowid
LIMIT :limit
"""

_SENTENCES_SQL = """
SELECT hits.rowid AS sentence_id, hits.score, st.passage_id, st.position, st.text,
       p."index" AS paragraph_index, p.kind,
       s.slug, s.title AS source_title, s.author, sec.title AS section_title
FROM (
    SELECT rowid, -rank AS score
    FROM sentence_fts
    WHERE sentence_fts MATCH :query AND rowid BETWEEN :low AND :high
    ORDER BY rank
    LIMIT :inner_limit
) AS hits
JOIN sentence AS st ON st.id = hits.rowid
JOIN passage AS p ON p.id = st.passage_id
JOIN source AS s ON s.id = st.source_id
LEFT JOIN section AS sec ON sec.id = p.section_id
WHERE :source_id IS NULL OR st.source_id = :source_id
ORDER BY hits.score DESC, hits.rowid
LIMIT :limit
"""

_QUOTATION_SNIPPET = "snippet(quotation_fts, 0, :open, :close, :ellipsis, 48)"
_QUOTATIONS_SQL = """
SELECT hits.rowid AS quotation_id, hits.score, hits.snippet,
       q.passage_id, q.kind, q.text, q.signature, q.start, q."end", q.speaker,
       c.display AS citation, c.resolved AS citation_resolved,
       p."index" AS paragraph_index,
       s.slug, s.title AS source_title, s.author, sec.title AS section_title
FROM (
    SELECT rowid, -rank AS score,
           {snippet} AS snippet
    FROM quotation_fts
    WHERE quotation_fts MATCH :query AND rowid BETWEEN :low AND :high
    ORDER BY {order}
    LIMIT :inner_limit
) AS hits
JOIN quotation AS q ON q.id = hits.rowid
JOIN passage AS p ON p.id = q.passage_id
JOIN source AS s ON s.id = q.source_id
LEFT JOIN section AS sec ON sec.id = p.section_id
LEFT JOIN citation AS c ON c.id = q.citation_id
WHERE (:source_id IS NULL OR q.source_id = :source_id)
  AND (:speaker IS NULL OR q.speaker = :speaker)
ORDER BY hits.score DESC, hits.rowid
LIMIT :limit
"""

# Ids of one table for one source: ingest hands them out as one contiguous block per text.
_SCOPE_SQL = """
SELECT s.id, min(t.id), max(t.id), count(t.id)
FROM source AS s LEFT JOIN {table} AS t ON t.source_id = s.id
WHERE s.slug = :slug
GROUP BY s.id
"""

_ALL_ROWS = (0, 2**62)


@dataclass(frozen=True, slots=True)
class _Scope:
    """Which rows a search may return, as FTS5 can apply it: a rowid range.

    Ingest gives each text's rows one contiguous block of ids, so a source is exactly a range
    and the filter costs nothing. If the block is ever not contiguous, the range still bounds
    the work and the outer query drops rows of other sources (with no inner LIMIT, so that
    none of the right rows are cut).
    """

    low: int
    high: int
    source_id: int | None = None
    exact: bool = True


class Fts5Search:
    """``SearchBackend`` on SQLite FTS5 (tables and triggers created by the migrations)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def search_passages(
        self, query: str, *, source_slug: str | None = None, limit: int = 10
    ) -> list[PassageHit]:
        rows = self._run(_PASSAGES_SQL, "passage", query, source_slug, limit)
        return [passage_hit(row, mode) for mode, row in rows]

    def search_quotations(
        self, query: str, *, source_slug: str | None = None, limit: int = 10,
        speaker: str | None = None, snippets: bool = True,
    ) -> list[QuotationHit]:
        """Quotations best first; ``speaker`` keeps those attributed to that exact name.

        ``snippets=False`` leaves ``snippet`` empty: a caller that shows whole quotations
        saves FTS5 the work (a fifth of the query at 100x).
        """
        sql = _QUOTATIONS_SQL.replace("{snippet}", _QUOTATION_SNIPPET if snippets else "''")
        rows = self._run(sql, "quotation", query, source_slug, limit, {"speaker": speaker})
        return [quotation_hit(row, mode) for mode, row in rows]

    def search_sentences(
        self, terms: list[str], *, limit: int = 40, source_slug: str | None = None
    ) -> list[SentenceHit]:
        query = sentence_step(terms).fts5()
        if not query:
            return []
        limit = max(1, min(int(limit), MAX_LIMIT))
        with self._engine.connect() as connection:
            scope = _scope(connection, "sentence", source_slug)
            if scope is None:
                return []
            params: dict[str, object] = {
                "query": query, "low": scope.low, "high": scope.high,
                "source_id": scope.source_id, "limit": limit,
                "inner_limit": limit if scope.exact else -1,
            }
            # One capped count bounds the ranking (see _bound_ranking); the caller already
            # left out the words so common that they would match most sentences.
            cap = min(SENTENCE_RANK_CAP, RANK_CAP)
            count, last = _capped_matches(connection, "sentence", query, scope.low, scope.high,
                                          cap=cap)
            if count >= cap and last is not None:
                params["high"] = last
            rows = _execute(connection, text(_SENTENCES_SQL), params)
        return [sentence_hit(row, score=row.score) for row in rows]

    def warm(self) -> None:
        """Nothing to read ahead: FTS5 keeps its statistics in the index itself."""

    def sentence_vocabulary(self) -> tuple[int, dict[str, int]]:
        with self._engine.connect() as connection:
            total = connection.execute(text("SELECT count(*) FROM sentence")).scalar() or 0
            terms = {term: docs for term, docs in connection.execute(
                text("SELECT term, doc FROM sentence_vocab"))}
        return int(total), terms

    def _run(
        self, sql: str, table: str, query: str, source_slug: str | None, limit: int,
        filters: dict[str, object] | None = None,
    ) -> list[tuple[MatchMode, Row[Any]]]:
        """Try the query ladder until a step matches; rows come back best first.

        ``filters`` are conditions of the outer query (e.g. a speaker). FTS5 cannot apply
        them, so with any set the inner query is not cut at ``limit`` (the filter would then
        see too few rows); ``_bound_ranking`` still keeps the ranking O(RANK_CAP).
        """
        filters = filters or {}
        filtered = any(value is not None for value in filters.values())
        parsed = parse_query(query)
        if not parsed:
            return []
        limit = max(1, min(int(limit), MAX_LIMIT))
        # Ranking a query of only stop words ("the", "and") would score nearly every row for
        # nothing; take the first matches instead, so such a query stays O(limit).
        order = "rank" if parsed.has_content_words else "rowid"
        statement = text(sql.format(order=order))
        with self._engine.connect() as connection:
            scope = _scope(connection, table, source_slug)
            if scope is None:
                return []
            params: dict[str, object] = {
                "open": MARK_OPEN,
                "close": MARK_CLOSE,
                "ellipsis": ELLIPSIS,
                "low": scope.low,
                "high": scope.high,
                "source_id": scope.source_id,
                "limit": limit,
                "inner_limit": limit if scope.exact and not filtered else -1,
                **filters,
            }
            for mode, fts_query in parsed.ladder():
                step: dict[str, object] | None = params | {"query": fts_query}
                if order == "rank":
                    step = _bound_ranking(connection, table, parsed, mode, params | {
                        "query": fts_query})
                if step is None:
                    continue  # the step matches nothing: no need to rank it
                rows = _execute(connection, statement, step)
                if rows:
                    return [(mode, row) for row in rows]
        return []


# FTS5 computes BM25 for every matching row before ORDER BY rank ... LIMIT can cut, so the cost
# of a query grows with its matches. Past this many, a query is bounded (see _bound_ranking).
RANK_CAP = 2000
# A plain question's candidate sentences are re-read and re-scored by the answer layer; ranking
# 1,000 matches is plenty, and costs half of 2,000 (11.5 -> 7.1 ms CPU a search at 100x). On
# the real corpus no question's words match more than 701 of its 1,725 sentences (measured on
# the 477 questions of the non-held-out ask sets), so the cap only bounds a larger corpus.
SENTENCE_RANK_CAP = 1000

# The first :cap matches of a query, in ingest order: counted without ranking anything.
_CAPPED_ROWS = """SELECT rowid FROM {table}_fts
    WHERE {table}_fts MATCH {query} AND rowid BETWEEN :low AND :high
    ORDER BY rowid LIMIT :cap"""


def _capped_matches(connection: Connection, table: str, query: str, low: int, high: int,
                    cap: int = RANK_CAP) -> tuple[int, int | None]:
    """(matches up to ``cap``, rowid of the last of them): cheap, no ranking involved."""
    rows_sql = _CAPPED_ROWS.format(table=table, query=":query")
    statement = text(f"SELECT count(*), max(rowid) FROM ({rows_sql})")
    rows = _execute(connection, statement, {"query": query, "low": low, "high": high,
                                            "cap": cap})
    if not rows:
        return 0, None
    first = tuple(rows[0])
    return int(first[0]), first[1]


def _capped_counts(connection: Connection, table: str, queries: list[str], low: int,
                   high: int) -> list[int]:
    """``_capped_matches``' count for each query, in one statement: the any-word step counts
    every word of a description (ten or more), and each statement of its own cost more to
    send and read back than FTS5 took to count."""
    if not queries:
        return []
    parts = [f"SELECT {n}, (SELECT count(*) FROM "
             f"({_CAPPED_ROWS.format(table=table, query=f':q{n}')}))"
             for n in range(len(queries))]
    params: dict[str, object] = {"low": low, "high": high, "cap": RANK_CAP}
    params.update({f"q{n}": query for n, query in enumerate(queries)})
    counts = [0] * len(queries)
    for row in _execute(connection, text(" UNION ALL ".join(parts)), params):
        position, count = list(row)
        counts[int(position)] = int(count)
    return counts


def _bound_ranking(connection: Connection, table: str, parsed: FtsQuery, mode: MatchMode,
                   params: dict[str, object]) -> dict[str, object] | None:
    """Keep ranking O(RANK_CAP) however common the words are, at any corpus size; None when
    the step matches nothing (its count says so: ranking it would only cost time).

    In the any-word fallback, a word matching RANK_CAP rows or more ("trotsky") is dropped
    when a rarer telling word remains ("kulaks"): BM25 gives it almost no weight anyway; and
    when the words left match more than RANK_CAP rows between them, the rarest are ranked,
    as many as fit in RANK_CAP. If the query still matches that many rows, only the first
    RANK_CAP of them (in ingest order) are ranked. None of this ever happens on the real
    corpus (596 passages).
    """
    low, high = int(params["low"]), int(params["high"])  # type: ignore[call-overload]
    query = str(params["query"])
    if mode == "any":
        words = parsed.telling_words()
        counts = dict(zip(words, _capped_counts(connection, table,
                                                [_literal((word,)) for word in words],
                                                low, high), strict=True))
        if not any(counts.values()):
            return None
        if rare := rare_words(counts):
            query = " OR ".join(_literal((word,)) for word in rare)
    count, last = _capped_matches(connection, table, query, low, high)
    if count == 0:
        return None
    if count >= RANK_CAP and last is not None:
        high = last
    return params | {"query": query, "high": high}


def rare_words(counts: dict[str, int]) -> list[str] | None:
    """The any-word fallback's words worth ranking, given how many rows each matches (capped
    at RANK_CAP); None to keep them all. See ``_bound_ranking``."""
    rare = [word for word, count in counts.items() if 0 < count < RANK_CAP]
    if sum(counts[word] for word in rare) > RANK_CAP:
        # Ranking costs what the words match between them: the rarest first, while they fit
        # (the rarest always: it weighs most).
        kept: list[str] = []
        total = 0
        for word in sorted(rare, key=counts.__getitem__):
            if kept and total + counts[word] > RANK_CAP:
                break
            kept.append(word)
            total += counts[word]
        rare = [word for word in rare if word in kept]  # in the query's order
    return rare if rare and len(rare) < len(counts) else None


def sentence_step(terms: list[str]) -> LadderStep:
    """``search_sentences``' query: any of the terms, each a word or a phrase of up to 8."""
    phrases = [tuple(_WORD.findall(term))[:8] for term in terms[:MAX_WORDS]]
    return LadderStep("any", tuple(phrase for phrase in dict.fromkeys(phrases) if phrase))


def passage_hit(row: Row[Any], mode: MatchMode) -> PassageHit:
    return PassageHit(passage_id=row.passage_id, line=row.line, match=mode, **_located(row))


def quotation_hit(row: Row[Any], mode: MatchMode) -> QuotationHit:
    return QuotationHit(
        quotation_id=row.quotation_id,
        passage_id=row.passage_id,
        signature=row.signature,
        citation=row.citation,
        citation_resolved=bool(row.citation_resolved),
        match=mode,
        start=row.start,
        end=row.end,
        speaker=row.speaker,
        **_located(row),
    )


def _located(row: Row[Any]) -> dict[str, Any]:
    """The fields every hit shares: where it is, what it says, how well it matched."""
    return {
        "source_slug": row.slug,
        "source_title": row.source_title,
        "source_author": row.author,
        "section_title": row.section_title,
        "paragraph_index": row.paragraph_index,
        "kind": row.kind,
        "text": row.text,
        "score": row.score,
        "snippet": row.snippet,
    }


def sentence_hit(row: Row[Any], score: float = 0.0) -> SentenceHit:
    """A sentence row (with its passage, source and section columns) as a hit."""
    return SentenceHit(
        sentence_id=row.sentence_id, passage_id=row.passage_id, position=row.position,
        source_slug=row.slug, source_title=row.source_title, source_author=row.author,
        section_title=row.section_title, paragraph_index=row.paragraph_index, kind=row.kind,
        text=row.text, score=score,
    )


def _scope(connection: Connection, table: str, slug: str | None) -> _Scope | None:
    """The rowid range of ``table`` for the source ``slug``; None if it has no rows."""
    if slug is None:
        return _Scope(*_ALL_ROWS)
    row = connection.execute(text(_SCOPE_SQL.format(table=table)), {"slug": slug}).first()
    if row is None or row[3] == 0:
        return None
    source_id, low, high, count = row
    return _Scope(low, high, source_id, exact=high - low + 1 == count)


def _execute(
    connection: Connection, statement: TextClause, params: dict[str, object]
) -> list[Row[Any]]:
    try:
        return list(connection.execute(statement, params))
    except OperationalError as exc:
        # parse_query makes this unreachable; if FTS5 still objects, a user must get "no
        # results", not an error, and we must hear about it.
        message = str(exc).lower()
        if "fts5" not in message and "syntax" not in message:
            raise
        log.exception("FTS5 rejected a query built from user text: %r", params.get("query"))
        return []


def search_backend_for(engine: Engine) -> SearchBackend:
    """The search backend that matches the database."""
    if engine.dialect.name == "sqlite":
        return Fts5Search(engine)
    if engine.dialect.name == "postgresql":
        from bot.store.pg_search import PostgresSearch  # imports this module: no cycle at load

        return PostgresSearch(engine)
    raise NotImplementedError(
        f"full-text search on {engine.dialect.name} is not built yet (SQLite and PostgreSQL only)"
    )
