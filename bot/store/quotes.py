"""Read repository for quotations, as plain records: what a /quote answer shows about a few of
them (one query for the rows and the citation markers printed inside them), the quotations
of one speaker, the rows /quote's in-memory index and the prompt pool are built from.

Portable SQL only: the markers are gathered with ``aggregate_strings`` (GROUP_CONCAT on
SQLite, string_agg on PostgreSQL).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Engine,
    Row,
    ScalarSelect,
    Select,
    String,
    and_,
    bindparam,
    cast,
    func,
    or_,
    select,
)
from sqlalchemy.orm import aliased

from bot.store.models import (
    Citation,
    Passage,
    Quotation,
    Section,
    Sentence,
    Source,
)
from bot.store.passages import PassageRepository
from bot.store.records import (
    QUOTED_BY_SEPARATOR,
    REF_PREFIX,
    PassageRecord,
    QuoteRecord,
    without_markers,
)

__all__ = ["REF_PREFIX", "PromptQuotation", "QuoteRecord", "QuoteRepository",
           "QuoteSurroundings", "parse_ref", "without_markers"]
from bot.store.search import QuotationHit


@dataclass(frozen=True, slots=True)
class QuoteSurroundings:
    """A quotation with the sentences around it: what a reader describing it remembers
    (the sentence that names the speaker, the one after), for /quote by description."""

    quotation_id: int
    slug: str
    text: str
    kind: str
    start: int
    end: int
    passage_id: int
    speaker: str | None
    quoted_by: tuple[str, ...]
    source_words: str | None
    sentence: str  # the sentences the quotation stands in, joined ("" if none was stored)
    before: str  # the sentence before them, in the same text ("" at its start)
    after: str  # the sentence after them


@dataclass(frozen=True, slots=True)
class PromptQuotation:
    """An attributed quotation in the running text, for the generated prompts."""

    text: str
    start: int
    speaker: str
    paragraph: int
    section: str | None
    slug: str


def parse_ref(ref: str) -> tuple[str, int, int] | None:
    """(slug, paragraph, start) from a ``QuoteRecord.ref``; None if it is not one."""
    prefix, _, rest = (ref or "").partition(":")
    slug, _, numbers = rest.rpartition(":")
    slug, _, paragraph = slug.rpartition(":")
    if prefix != REF_PREFIX or not slug or not paragraph.isdigit() or not numbers.isdigit():
        return None
    return slug, int(paragraph), int(numbers)


class QuoteRepository:
    def __init__(self, engine: Engine, passages: PassageRepository) -> None:
        self._engine = engine
        self._passages = passages

    def records(self, ids: Sequence[int]) -> list[QuoteRecord]:
        """The quotations with these ids, in the order given (missing ids are skipped)."""
        if not ids:
            return []
        with self._engine.connect() as connection:
            rows = connection.execute(_records_by_id(), {"ids": list(ids)}).all()
        by_id = {row.id: _record(row) for row in rows}
        return [by_id[i] for i in ids if i in by_id]

    def by_ref(self, ref: str) -> tuple[QuoteRecord | None, PassageRecord | None]:
        """The quotation a ref names and its paragraph; the paragraph alone if the words
        moved."""
        parsed = parse_ref(ref)
        if parsed is None:
            return None, None
        slug, paragraph, start = parsed
        passage = self._passages.at(slug, paragraph)
        if passage is None:
            return None, None
        with self._engine.connect() as connection:
            quotation_id = connection.scalar(select(Quotation.id).where(
                Quotation.passage_id == passage.passage_id, Quotation.start == start))
        records = self.records([quotation_id]) if quotation_id is not None else []
        return (records[0] if records else None), passage

    def hits_by_speaker(self, speaker: str, slug: str | None) -> list[QuotationHit]:
        """Every quotation of one speaker (in one text), as search candidates with no BM25.

        For a person quoted a few hundred times at most, scoring all their quotations is
        cheaper than a full-text search whose ranking the speaker filter cannot narrow (FTS5
        ranks every match before the filter sees one), and it misses nothing.
        """
        statement = (select(Quotation.id, Quotation.passage_id, Quotation.kind, Quotation.text,
                            Quotation.signature, Quotation.start, Quotation.end,
                            Quotation.speaker, Passage.index.label("paragraph"), Source.slug,
                            Source.title, Source.author)
                     .join(Passage, Passage.id == Quotation.passage_id)
                     .join(Source, Source.id == Quotation.source_id)
                     .where(Quotation.speaker == speaker))
        if slug is not None:
            statement = statement.where(Source.slug == slug)
        with self._engine.connect() as connection:
            return [
                QuotationHit(quotation_id=row.id, passage_id=row.passage_id,
                             source_slug=row.slug, source_title=row.title,
                             source_author=row.author, section_title=None,
                             paragraph_index=row.paragraph, kind=row.kind, text=row.text,
                             signature=row.signature, citation=None, citation_resolved=False,
                             score=0.0, snippet="", match="any", start=row.start, end=row.end,
                             speaker=row.speaker)
                for row in connection.execute(statement)
            ]

    def by_speaker_naming(self, speaker: str, forms: Iterable[str], limit: int
                          ) -> list[QuoteRecord]:
        """The speaker's quotations in paragraphs that name any of ``forms``, most certain
        and longest first."""
        naming = or_(*(Passage.text.contains(form, autoescape=True) for form in forms))
        return self._most_certain(
            select(Quotation.id).join(Passage, Passage.id == Quotation.passage_id)
            .where(Quotation.speaker == speaker, naming), limit)

    def most_certain(self, speaker: str, limit: int) -> list[QuoteRecord]:
        """The speaker's quotations, the most confidently attributed and longest first."""
        return self._most_certain(
            select(Quotation.id).where(Quotation.speaker == speaker), limit)

    def _most_certain(self, ids: Select[int], limit: int) -> list[QuoteRecord]:
        statement = ids.order_by(Quotation.speaker_confidence.desc(),
                                 func.length(Quotation.text).desc(), Quotation.id).limit(limit)
        with self._engine.connect() as connection:
            found = list(connection.scalars(statement))
        return self.records(found)

    def in_sentences(self, sentence_ids: Sequence[int]) -> dict[int, list[int]]:
        """The quotations each of these sentences holds or overlaps, by position."""
        wanted = sorted(set(sentence_ids))
        if not wanted:
            return {}
        statement = (select(Sentence.id, Quotation.id)
                     .join(Quotation, Quotation.passage_id == Sentence.passage_id)
                     .where(Sentence.id.in_(wanted), Quotation.start < Sentence.end,
                            Quotation.end > Sentence.start)
                     .order_by(Sentence.id, Quotation.start))
        found: dict[int, list[int]] = {}
        with self._engine.connect() as connection:
            for sentence_id, quotation_id in connection.execute(statement):
                found.setdefault(sentence_id, []).append(quotation_id)
        return found

    def index_rows(self) -> Iterator[tuple[int, str, str, str | None, str]]:
        """(id, text, kind, speaker, source slug) of every quotation, for /quote's index,
        one at a time: the index keeps their words, not their texts."""
        statement = (select(Quotation.id, Quotation.text, Quotation.kind, Quotation.speaker,
                            Source.slug)
                     .join(Source, Source.id == Quotation.source_id)
                     .order_by(Quotation.id))
        with self._engine.connect() as connection:
            for row in connection.execute(statement):
                yield row[0], row[1], row[2], row[3], row[4]

    def nesting_rows(self) -> list[tuple[int, str, str | None]]:
        """(id, quoted_by, source words) of the quotations quoted inside another or given an
        unnamed source: the names a reader may describe them by ("the rough workman in
        Reed's account")."""
        statement = (select(Quotation.id, Quotation.quoted_by, Quotation.source_words)
                     .where(or_(Quotation.quoted_by != "", Quotation.source_words.is_not(None)))
                     .order_by(Quotation.id))
        with self._engine.connect() as connection:
            return [(row[0], row[1].replace(QUOTED_BY_SEPARATOR, " "), row[2])
                    for row in connection.execute(statement)]

    def surroundings(self) -> Iterator[QuoteSurroundings]:
        """Every quotation with the sentences it stands in and the one before and after,
        in id order.

        Two queries whatever the corpus size: the quotations, then each one's sentence
        range widened by one on each side (sentence ids run in reading order within a
        text, see ``Sentence``). Both come in quotation order and are read side by side, one
        quotation at a time: at 100x the corpus, holding every quotation's sentences at once
        raised the bot's peak memory by tens of megabytes for an index that keeps none of
        them.
        """
        spans = (select(Quotation.id.label("qid"), Quotation.source_id.label("source_id"),
                        func.min(Sentence.id).label("lo"), func.max(Sentence.id).label("hi"))
                 .join(Sentence, and_(Sentence.passage_id == Quotation.passage_id,
                                      Sentence.start < Quotation.end,
                                      Sentence.end > Quotation.start))
                 .group_by(Quotation.id, Quotation.source_id)
                 .cte("spans"))
        around = (select(spans.c.qid, spans.c.lo, spans.c.hi, Sentence.id, Sentence.text)
                  .join(Sentence, and_(Sentence.source_id == spans.c.source_id,
                                       Sentence.id >= spans.c.lo - 1,
                                       Sentence.id <= spans.c.hi + 1))
                  .order_by(spans.c.qid, Sentence.id))
        quotations = (select(Quotation.id, Source.slug, Quotation.text, Quotation.kind,
                             Quotation.start, Quotation.end, Quotation.passage_id,
                             Quotation.speaker, Quotation.quoted_by, Quotation.source_words)
                      .join(Source, Source.id == Quotation.source_id)
                      .order_by(Quotation.id))
        with self._engine.connect() as connection:
            sentences = iter(connection.execute(around))
            pending = next(sentences, None)  # the first sentence row not yet given out
            for row in connection.execute(quotations):
                parts: tuple[list[str], list[str], list[str]] = ([], [], [])
                # Sentence rows of quotations that are gone (none: same snapshot) are skipped.
                while pending is not None and pending[0] < row.id:
                    pending = next(sentences, None)
                while pending is not None and pending[0] == row.id:
                    _, lo, hi, sentence_id, text = pending
                    parts[0 if sentence_id < lo else 2 if sentence_id > hi else 1].append(text)
                    pending = next(sentences, None)
                before, inside, after = parts
                yield QuoteSurroundings(
                    quotation_id=row.id, slug=row.slug, text=row.text, kind=row.kind,
                    start=row.start, end=row.end, passage_id=row.passage_id,
                    speaker=row.speaker,
                    quoted_by=tuple(n for n in (row.quoted_by or "").split(QUOTED_BY_SEPARATOR)
                                    if n),
                    source_words=row.source_words, sentence=" ".join(inside),
                    before=" ".join(before), after=" ".join(after))

    def attributed_in(self, passage_kinds: Sequence[str]) -> list[PromptQuotation]:
        """Every attributed quotation in paragraphs of these kinds, in reading order."""
        statement = (select(Quotation.text, Quotation.start, Quotation.speaker, Passage.index,
                            Section.title, Source.slug)
                     .join(Passage, Quotation.passage_id == Passage.id)
                     .join(Source, Quotation.source_id == Source.id)
                     .outerjoin(Section, Passage.section_id == Section.id)
                     .where(Quotation.speaker.is_not(None), Passage.kind.in_(passage_kinds))
                     .order_by(Source.slug, Passage.index, Quotation.start))
        with self._engine.connect() as connection:
            return [PromptQuotation(text, start, speaker or "", paragraph, section, slug)
                    for text, start, speaker, paragraph, section, slug
                    in connection.execute(statement)]


@functools.cache
def _record_select() -> Select:
    """Built once: composing a statement costs more than running it on a few ids."""
    cited = aliased(Citation)
    return (select(Quotation.id, Quotation.passage_id, Quotation.text, Quotation.kind,
                   Quotation.start, Quotation.end, Quotation.speaker,
                   Quotation.speaker_confidence, Quotation.attribution_method,
                   Quotation.attribution_evidence, Quotation.quoted_by, Quotation.source_words,
                   Passage.index.label("paragraph"),
                   Passage.kind.label("passage_kind"), Source.slug, Source.title, Source.author,
                   Source.publication, Source.published_iso, Section.title.label("section"),
                   cited.display, cited.quoted_in, _markers_inside().label("markers"))
            .join(Passage, Passage.id == Quotation.passage_id)
            .join(Source, Source.id == Quotation.source_id)
            .outerjoin(Section, Section.id == Passage.section_id)
            .outerjoin(cited, cited.id == Quotation.citation_id))


@functools.cache
def _records_by_id() -> Select:
    """One statement for every id list (an expanding parameter): SQLAlchemy then keys its
    compiled form once, not on each call (that was half a records() call at 100x)."""
    return _record_select().where(Quotation.id.in_(bindparam("ids", expanding=True)))


def _markers_inside() -> ScalarSelect[Any]:
    """'start:end,start:end' of the citation markers printed inside the quotation."""
    inner = aliased(Citation)
    span = cast(inner.start, String) + ":" + cast(inner.end, String)
    return (select(func.aggregate_strings(span, ","))
            .where(inner.passage_id == Quotation.passage_id, inner.start >= Quotation.start,
                   inner.end <= Quotation.end)
            .scalar_subquery())


def _record(row: Row[Any]) -> QuoteRecord:
    spans = [span.split(":") for span in (row.markers or "").split(",") if span]
    inside = [(int(s) - row.start, int(e) - row.start) for s, e in spans]
    return QuoteRecord(
        quotation_id=row.id, text=row.text, words=without_markers(row.text, inside),
        kind=row.kind, start=row.start, end=row.end, speaker=row.speaker,
        confidence=row.speaker_confidence, method=row.attribution_method,
        evidence=row.attribution_evidence, paragraph=row.paragraph,
        passage_kind=row.passage_kind, slug=row.slug, source_title=row.title,
        source_author=row.author, source_publication=row.publication,
        source_published_iso=row.published_iso, section=row.section,
        citation=row.display, quoted_in=bool(row.quoted_in),
        quoted_by=tuple(n for n in (row.quoted_by or "").split(QUOTED_BY_SEPARATOR) if n),
        source_words=row.source_words)
