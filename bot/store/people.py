"""Read repository for where people are named: mention counts per text and who is named
alongside whom, as plain values for /who's card."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

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
        """Who is named in the same paragraphs as the person most often.

        The person's paragraphs are a set to look the others up in (a semi-join), not a
        join of every mention of the person with every other mention of its paragraph:
        "Joseph Stalin" is 12,800 mentions at 100x, and the join made 38,600 rows to sort
        and count where the paragraphs' other mentions are 22,300. The counts are the same:
        distinct paragraphs either way.
        """
        paragraphs = select(Mention.passage_id).where(Mention.person == person)
        shared = func.count(func.distinct(Mention.passage_id))
        statement = (select(Mention.person, shared)
                     .where(Mention.person != person, Mention.passage_id.in_(paragraphs))
                     .group_by(Mention.person)
                     .order_by(shared.desc(), Mention.person)
                     .limit(limit))
        with self._engine.connect() as connection:
            return [name for name, _ in connection.execute(statement)]
