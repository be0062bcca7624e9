"""Read repository for stored sentences: the ones around a hit, as plain records.

Portable SQL (SQLAlchemy Core), so SQLite and PostgreSQL serve it alike; the ranked search
itself is the search backend's (``SearchBackend.search_sentences``).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Engine, Select, bindparam, select

from bot.store.models import Passage, Section, Sentence, Source
from bot.store.search import SentenceHit, sentence_hit

MAX_SPANS = 200  # id ranges per query; callers ask for a few dozen


class SentenceRepository:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def containing(self, slug: str, paragraph: int, offset: int) -> SentenceHit | None:
        """The sentence of a text's paragraph that holds a character offset (a quotation's)."""
        statement = (
            self._select()
            .where(Source.slug == slug, Passage.index == paragraph,
                   Sentence.start <= offset, Sentence.end > offset)
            .limit(1)
        )
        with self._engine.connect() as connection:
            row = connection.execute(statement).first()
        return sentence_hit(row) if row is not None else None

    @staticmethod
    def _select() -> Select:
        return (
            select(Sentence.id.label("sentence_id"), Sentence.passage_id, Sentence.position,
                   Sentence.text, Passage.index.label("paragraph_index"), Passage.kind,
                   Source.slug, Source.title.label("source_title"), Source.author,
                   Section.title.label("section_title"))
            .join(Passage, Passage.id == Sentence.passage_id)
            .join(Source, Source.id == Sentence.source_id)
            .outerjoin(Section, Section.id == Passage.section_id)
        )

    def around(self, hits: Iterable[SentenceHit], before: int = 1, after: int = 2
               ) -> dict[int, list[SentenceHit]]:
        """For each hit, the sentences from ``before`` ahead of it to ``after`` behind it.

        Ids run in reading order within a text (see ``Sentence``), so this is one range per
        hit; sentences of another text that happen to be adjacent by id are left out.
        """
        wanted = list(hits)[:MAX_SPANS]
        if not wanted:
            return {}
        ids = sorted({i for hit in wanted
                      for i in range(hit.sentence_id - before, hit.sentence_id + after + 1)})
        with self._engine.connect() as connection:
            rows = {row.sentence_id: sentence_hit(row)
                    for row in connection.execute(_BY_IDS, {"ids": ids})}
        return {
            hit.sentence_id: [
                rows[i] for i in range(hit.sentence_id - before, hit.sentence_id + after + 1)
                # same text and same kind of block: an epigraph's signature or a note is not
                # the sentence before the argument's
                if i in rows and rows[i].source_slug == hit.source_slug
                and (rows[i].kind == hit.kind or _introduced(rows, hit.sentence_id, i))
            ]
            for hit in wanted
        }


# Built once: a plain question reads its candidates' neighbours once or twice, and building
# and keying this statement each time cost twenty times what SQLite spends running it.
_BY_IDS = (SentenceRepository._select()
           .where(Sentence.id.in_(bindparam("ids", expanding=True))).order_by(Sentence.id))


def _introduced(rows: dict[int, SentenceHit], at: int, other: int) -> bool:
    """Is one of two adjacent sentences the colon that introduces the other's block ("...
    reflected on his comrade's legacy:" and the block quotation after it)? Then they are one
    thread though their blocks differ."""
    first, second = min(at, other), max(at, other)
    return second - first == 1 and first in rows and \
        rows[first].text.rstrip(" ”\"’'").endswith(":")
