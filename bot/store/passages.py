"""Read repository for paragraphs, as plain records: the one that holds a curated phrase,
one by its place in a text, and the paragraphs around it.

Curated facts, dates and prompts name their evidence by a phrase copied from the text; the
paragraph that holds it is found here, the same way for all of them. SQL's LIKE narrows the
candidates (case-insensitive on SQLite, case-sensitive on PostgreSQL) and an exact substring
test decides, so both databases give the same paragraph.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Engine, Row, Select, and_, or_, select

from bot.store.models import Passage, Section, Source
from bot.store.records import PassageRecord

__all__ = ["PassageRecord", "PassageRepository"]

#: Paragraph kinds that are not part of the running text (context skips them).
_APPARATUS = ("note", "reference")


def _select() -> Select:
    return (select(Passage.id, Source.slug, Source.title, Source.author,
                   Section.title.label("section_title"), Passage.index.label("paragraph"),
                   Passage.kind,
                   Passage.text, Passage.sentences)
            .join(Source, Source.id == Passage.source_id)
            .outerjoin(Section, Section.id == Passage.section_id))


def _record(row: Row[Any]) -> PassageRecord:
    spans = tuple((int(a), int(b)) for a, b in row.sentences or ())
    return PassageRecord(row.id, row.slug, row.title, row.author, row.section_title,
                         row.paragraph, row.kind, row.text, spans)


class PassageRepository:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def holding(self, slug: str, phrase: str, *, section: str | None = None
                ) -> PassageRecord | None:
        """The first paragraph of a text (under a heading, if given) holding the phrase."""
        statement = (_select().where(Source.slug == slug,
                                     Passage.text.contains(phrase, autoescape=True))
                     .order_by(Passage.index))
        with self._engine.connect() as connection:
            for row in connection.execute(statement):
                if phrase in row.text and (section is None or row.section_title == section):
                    return _record(row)
        return None

    def opening_of_section(self, slug: str, section: str) -> PassageRecord | None:
        """The first body paragraph under a heading."""
        statement = (_select().where(Source.slug == slug, Section.title == section,
                                     Passage.kind == "body")
                     .order_by(Passage.index).limit(1))
        with self._engine.connect() as connection:
            row = connection.execute(statement).first()
        return _record(row) if row is not None else None

    def at(self, slug: str, index: int) -> PassageRecord | None:
        statement = _select().where(Source.slug == slug, Passage.index == index)
        with self._engine.connect() as connection:
            row = connection.execute(statement).first()
        return _record(row) if row is not None else None

    def runs_of(self, spans: Iterable[tuple[str, int, int]]
                ) -> dict[tuple[str, int], list[PassageRecord]]:
        """For each (slug, first, last), the paragraphs ``first`` to ``last`` of that text in
        order, keyed by (slug, first): all of them read in one query."""
        wanted = list(dict.fromkeys(spans))
        if not wanted:
            return {}
        statement = (_select().where(or_(*(
            and_(Source.slug == slug, Passage.index.between(first, last))
            for slug, first, last in wanted))).order_by(Source.slug, Passage.index))
        with self._engine.connect() as connection:
            records = [_record(row) for row in connection.execute(statement)]
        return {(slug, first): [r for r in records
                                if r.slug == slug and first <= r.index <= last]
                for slug, first, last in wanted}

    def neighbours(self, passage: PassageRecord
                   ) -> tuple[PassageRecord | None, PassageRecord | None]:
        """The paragraphs before and after in the running text (notes and references not)."""
        statement = _select().where(
            Source.slug == passage.slug,
            Passage.index.in_([passage.index - 1, passage.index + 1]),
            Passage.kind.not_in(_APPARATUS))
        with self._engine.connect() as connection:
            by_index = {row.paragraph: _record(row) for row in connection.execute(statement)}
        return by_index.get(passage.index - 1), by_index.get(passage.index + 1)
