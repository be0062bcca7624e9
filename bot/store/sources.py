"""Read repository for the texts themselves, as plain records, and the stamp of the index.

``index_stamp`` is the one notion of "has the index changed?" every in-memory cache asks
(the /quote catalogue, the prompt pool, the per-ingest answer cache): the number of texts and
the latest ``ingested_at``. Every ingest that writes a text gives it a new ``ingested_at`` and
one that only removes a text changes the count, so the stamp moves exactly when answers could.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Engine, func, select

from bot.store.models import Passage, Section, Source


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """One text's metadata and what ingest counted in it."""

    slug: str
    title: str
    subtitle: str | None
    author: str | None
    publication: str | None
    published_iso: str | None  # "1937", "1937-05", "1937-05-12"
    published_precision: str | None
    kind: str
    principal_work_title: str | None  # the book a review is of
    principal_work_author: str | None
    passage_count: int
    quotation_count: int
    note_count: int


@dataclass(frozen=True, slots=True)
class SectionRecord:
    """One heading of a text and the paragraphs under it (indexes in the text, from 0)."""

    index: int  # the section's place in its text, from 0
    title: str | None  # None: the text before the first heading
    first_paragraph: int
    last_paragraph: int


_COLUMNS = (Source.slug, Source.title, Source.subtitle, Source.author, Source.publication,
            Source.published_iso, Source.published_precision, Source.kind,
            Source.principal_work_title, Source.principal_work_author, Source.passage_count,
            Source.quotation_count, Source.note_count)


class SourceRepository:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def all(self) -> list[SourceRecord]:
        """Every text, by title."""
        with self._engine.connect() as connection:
            rows = connection.execute(select(*_COLUMNS).order_by(Source.title))
            return [SourceRecord(**row._mapping) for row in rows]

    def by_slug(self, slugs: Iterable[str]) -> dict[str, SourceRecord]:
        wanted = set(slugs)
        if not wanted:
            return {}
        with self._engine.connect() as connection:
            rows = connection.execute(select(*_COLUMNS).where(Source.slug.in_(wanted)))
            return {row.slug: SourceRecord(**row._mapping) for row in rows}

    def sections(self, slug: str) -> list[SectionRecord]:
        """A text's sections in reading order, each with its paragraph range ([] if the
        text is not in the index); sections with no paragraph are left out."""
        statement = (
            select(Section.index, Section.title, func.min(Passage.index),
                   func.max(Passage.index))
            .join(Source, Source.id == Section.source_id)
            .join(Passage, Passage.section_id == Section.id)
            .where(Source.slug == slug)
            .group_by(Section.id, Section.index, Section.title)
            .order_by(Section.index))
        with self._engine.connect() as connection:
            return [SectionRecord(int(index), title, int(first), int(last))
                    for index, title, first, last in connection.execute(statement)]


def index_stamp(engine: Engine) -> str:
    """Changes whenever an ingest adds, rewrites or removes a text (see the module's doc)."""
    with engine.connect() as connection:
        count, latest = connection.execute(
            select(func.count(Source.id), func.max(Source.ingested_at))).one()
    return f"{int(count)}:{latest}"
