"""Read repository for where people are named: mention counts per text and who is named
alongside whom, as plain values for /who's card."""

from __future__ import annotations

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import aliased

from bot.store.models import Mention, Source


class MentionRepository:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def counts_by_text(self, person: str) -> list[tuple[str, int]]:
        """(text title, mentions) for every text naming the person, most first."""
        mentions = func.count(Mention.id)
        statement = (select(Source.title, mentions)
                     .join(Mention, Mention.source_id == Source.id)
                     .where(Mention.person == person)
                     .group_by(Source.id, Source.title)
                     .order_by(mentions.desc(), Source.title))
        with self._engine.connect() as connection:
            return [(title, int(count)) for title, count in connection.execute(statement)]

    def named_with(self, person: str, limit: int) -> list[str]:
        """Who is named in the same paragraphs as the person most often."""
        other = aliased(Mention)
        shared = func.count(func.distinct(other.passage_id))
        statement = (select(other.person, shared)
                     .join(Mention, Mention.passage_id == other.passage_id)
                     .where(Mention.person == person, other.person != person)
                     .group_by(other.person)
                     .order_by(shared.desc(), other.person)
                     .limit(limit))
        with self._engine.connect() as connection:
            return [name for name, _ in connection.execute(statement)]
