"""Read repository for the dates ingest found in the texts: the dated sentences of a period
(or naming a person) for /timeline, and the dates stated in one paragraph for /when."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Engine, Text, cast, func, select

from bot.store.models import DateMention, Passage, Sentence, Source

#: Kinds that pin a date to one year (not a range or an era), which a timeline can place.
_PLACEABLE = ("day", "month", "season", "year", "relative")


@dataclass(frozen=True, slots=True)
class DatedSentence:
    date_iso: str  # "1927", "1927-11", "1927-11-07"
    precision: str
    sentence: str
    sentence_start: int
    paragraph: int
    slug: str
    source_title: str
    source_author: str | None


@dataclass(frozen=True, slots=True)
class StatedDate:
    """A date a paragraph states, and where its sentence sits in the paragraph."""

    date_iso: str
    precision: str
    start: int
    sentence_start: int
    sentence_end: int


@dataclass(frozen=True, slots=True)
class SentenceDate:
    """A date one stored sentence states: the words, the date, and how it was read."""

    sentence_id: int
    words: str  # as the text prints it: "21 January 1924", "two years later"
    kind: str  # day | month | season | year | range | decade | relative
    precision: str
    date_iso: str
    until_iso: str | None
    offset: int  # where the words start in the sentence


class DateRepository:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def dated_sentences(self, *, years: tuple[int, int] | None, person: str | None,
                        limit: int) -> list[DatedSentence]:
        """Sentences stating a placeable date, in date order; within years, naming a person.

        The first ``limit`` mentions are chosen from date_mention alone, and only those are
        joined to their paragraph and source: joined first, every mention of the years
        asked for read its paragraph (a sequential scan of passage at 100x on PostgreSQL,
        and a substr of each paragraph on both), 70 ms of "the 1930s" for 200 rows shown.
        (date, id) orders the mentions totally, and the joins follow foreign keys, so the
        rows are the same either way.
        """
        chosen = (select(DateMention.id, DateMention.date_iso, DateMention.precision,
                         DateMention.sentence_start, DateMention.sentence_end,
                         DateMention.passage_id, DateMention.source_id)
                  .where(DateMention.kind.in_(_PLACEABLE))
                  .order_by(DateMention.date_iso, DateMention.id)
                  .limit(limit))
        if years is not None:
            # The kinds listed sit in one year each, so the index on year_start answers
            # this exactly, reading only the years asked for.
            chosen = chosen.where(DateMention.year_start.between(*years))
        if person:
            # people is a JSON list of canonical names; match the quoted name in its text
            chosen = chosen.where(
                cast(DateMention.people, Text).contains(json.dumps(person), autoescape=True))
        mention = chosen.subquery("mention")
        # Only the sentence is read, not the whole paragraph: at 100x this is most of the cost.
        sentence = func.substr(Passage.text, mention.c.sentence_start + 1,
                               mention.c.sentence_end - mention.c.sentence_start)
        statement = (select(mention.c.date_iso, mention.c.precision, sentence,
                            mention.c.sentence_start, Passage.index, Source.slug,
                            Source.title, Source.author)
                     .select_from(mention)
                     .join(Passage, Passage.id == mention.c.passage_id)
                     .join(Source, Source.id == mention.c.source_id)
                     .order_by(mention.c.date_iso, mention.c.id))
        with self._engine.connect() as connection:
            return [DatedSentence(*row) for row in connection.execute(statement)]

    def stated_in(self, passage_id: int) -> list[StatedDate]:
        """The dates one paragraph states, in reading order."""
        statement = (select(DateMention.date_iso, DateMention.precision, DateMention.start,
                            DateMention.sentence_start, DateMention.sentence_end)
                     .where(DateMention.passage_id == passage_id)
                     .order_by(DateMention.start))
        with self._engine.connect() as connection:
            return [StatedDate(*row) for row in connection.execute(statement)]

    def in_sentences(self, sentence_ids: Iterable[int]) -> dict[int, list[SentenceDate]]:
        """The dates each of these sentences states, in reading order (ingest found them in
        the paragraph; a date belongs to the sentence whose span holds its start)."""
        wanted = sorted(set(sentence_ids))
        if not wanted:
            return {}
        statement = (select(Sentence.id, DateMention.text, DateMention.kind,
                            DateMention.precision, DateMention.date_iso, DateMention.until_iso,
                            DateMention.start - Sentence.start)
                     .join(DateMention, DateMention.passage_id == Sentence.passage_id)
                     .where(Sentence.id.in_(wanted), DateMention.start >= Sentence.start,
                            DateMention.start < Sentence.end)
                     .order_by(Sentence.id, DateMention.start))
        found: dict[int, list[SentenceDate]] = {}
        with self._engine.connect() as connection:
            for row in connection.execute(statement):
                found.setdefault(row[0], []).append(SentenceDate(*row))
        return found
