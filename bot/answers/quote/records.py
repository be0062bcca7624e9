"""Read what a /quote answer shows about a few quotations: one query for the rows, one for the
citation markers printed inside them. Also the paragraphs around a quotation, for "context".
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, ScalarSelect, Select, String, cast, func, select
from sqlalchemy.orm import Session, aliased

from bot.answers.texts.sources import describe
from bot.store.models import Citation, Passage, Quotation, Section, Source
from bot.store.search import QuotationHit

REF_PREFIX = "quote"


@dataclass(frozen=True, slots=True)
class QuoteRecord:
    """A quotation with its attribution, its text's metadata and its original citation."""

    quotation_id: int
    text: str  # as printed, citation markers and all
    words: str  # the quoted words alone, markers such as "(Trotsky, 71–72)" taken out
    kind: str
    start: int
    end: int
    speaker: str | None
    confidence: float
    method: str
    evidence: str | None
    paragraph: int
    passage_kind: str
    slug: str
    source_title: str
    source_author: str | None
    source_line: str  # "Jason Dawsey · Platypus Review 112 · December 2018"
    section: str | None
    citation: str | None
    quoted_in: bool

    @property
    def ref(self) -> str:
        """Stable across re-ingest (row ids are not): the text, the paragraph, the offset."""
        return f"{REF_PREFIX}:{self.slug}:{self.paragraph}:{self.start}"


def parse_ref(ref: str) -> tuple[str, int, int] | None:
    """(slug, paragraph, start) from a ``QuoteRecord.ref``; None if it is not one."""
    prefix, _, rest = (ref or "").partition(":")
    slug, _, numbers = rest.rpartition(":")
    slug, _, paragraph = slug.rpartition(":")
    if prefix != REF_PREFIX or not slug or not paragraph.isdigit() or not numbers.isdigit():
        return None
    return slug, int(paragraph), int(numbers)


def load_records(session: Session, ids: Sequence[int]) -> list[QuoteRecord]:
    """The quotations with these ids, in the order given (missing ids are skipped)."""
    if not ids:
        return []
    rows = session.execute(_select().where(Quotation.id.in_(ids))).all()
    by_id = {row.id: _record(row) for row in rows}
    return [by_id[i] for i in ids if i in by_id]


def hits_by_speaker(session: Session, speaker: str, slug: str | None) -> list[QuotationHit]:
    """Every quotation of one speaker (in one text), as search candidates with no BM25.

    For a person quoted a few hundred times at most, scoring all their quotations is cheaper
    than a full-text search whose ranking the speaker filter cannot narrow (FTS5 ranks every
    match before the filter sees one), and it misses nothing the ladder would have found.
    """
    statement = (select(Quotation.id, Quotation.passage_id, Quotation.kind, Quotation.text,
                        Quotation.signature, Quotation.start, Quotation.end, Quotation.speaker,
                        Passage.index, Source.slug, Source.title, Source.author)
                 .join(Passage, Passage.id == Quotation.passage_id)
                 .join(Source, Source.id == Quotation.source_id)
                 .where(Quotation.speaker == speaker))
    if slug is not None:
        statement = statement.where(Source.slug == slug)
    return [
        QuotationHit(quotation_id=row.id, passage_id=row.passage_id, source_slug=row.slug,
                     source_title=row.title, source_author=row.author, section_title=None,
                     paragraph_index=row.index, kind=row.kind, text=row.text,
                     signature=row.signature, citation=None, citation_resolved=False,
                     score=0.0, snippet="", match="any", start=row.start, end=row.end,
                     speaker=row.speaker)
        for row in session.execute(statement)
    ]


def load_by_ref(session: Session, ref: str) -> tuple[QuoteRecord | None, Passage | None]:
    """The quotation a ref names and its paragraph; the paragraph alone if the words moved."""
    parsed = parse_ref(ref)
    if parsed is None:
        return None, None
    slug, paragraph, start = parsed
    passage = session.scalars(select(Passage).join(Source).where(
        Source.slug == slug, Passage.index == paragraph)).first()
    if passage is None:
        return None, None
    quotation_id = session.scalar(select(Quotation.id).where(
        Quotation.passage_id == passage.id, Quotation.start == start))
    records = load_records(session, [quotation_id]) if quotation_id is not None else []
    return (records[0] if records else None), passage


def neighbours(session: Session, passage: Passage) -> tuple[Passage | None, Passage | None]:
    """The paragraphs before and after, in the same text (notes and references excluded)."""
    rows = session.scalars(select(Passage).where(
        Passage.source_id == passage.source_id,
        Passage.index.in_([passage.index - 1, passage.index + 1]),
        Passage.kind.not_in(["note", "reference"]))).all()
    by_index = {p.index: p for p in rows}
    return by_index.get(passage.index - 1), by_index.get(passage.index + 1)


@functools.cache
def _select() -> Select[Any]:
    """Built once: composing a statement costs more than running it on a few ids."""
    cited = aliased(Citation)
    return (select(Quotation.id, Quotation.passage_id, Quotation.text, Quotation.kind,
                   Quotation.start, Quotation.end, Quotation.speaker,
                   Quotation.speaker_confidence, Quotation.attribution_method,
                   Quotation.attribution_evidence, Passage.index.label("paragraph"),
                   Passage.kind.label("passage_kind"), Source.slug, Source.title, Source.author,
                   Source.publication, Source.published_iso, Section.title.label("section"),
                   cited.display, cited.quoted_in, _markers_inside().label("markers"))
            .join(Passage, Passage.id == Quotation.passage_id)
            .join(Source, Source.id == Quotation.source_id)
            .outerjoin(Section, Section.id == Passage.section_id)
            .outerjoin(cited, cited.id == Quotation.citation_id))


def _markers_inside() -> ScalarSelect[Any]:
    """'start:end,start:end' of the citation markers printed inside the quotation."""
    inner = aliased(Citation)
    span = cast(inner.start, String) + ":" + cast(inner.end, String)
    return (select(func.group_concat(span, ","))
            .where(inner.passage_id == Quotation.passage_id, inner.start >= Quotation.start,
                   inner.end <= Quotation.end)
            .scalar_subquery())


def _record(row: Row[Any]) -> QuoteRecord:
    spans = [span.split(":") for span in (row.markers or "").split(",") if span]
    inside = [(int(s) - row.start, int(e) - row.start) for s, e in spans]
    # A transient Source (never added to a session) lets describe() format the metadata.
    source = Source(author=row.author, publication=row.publication,
                    published_iso=row.published_iso)
    return QuoteRecord(
        quotation_id=row.id, text=row.text, words=without_markers(row.text, inside),
        kind=row.kind, start=row.start, end=row.end, speaker=row.speaker,
        confidence=row.speaker_confidence, method=row.attribution_method,
        evidence=row.attribution_evidence, paragraph=row.paragraph,
        passage_kind=row.passage_kind, slug=row.slug, source_title=row.title,
        source_author=row.author, source_line=describe(source), section=row.section,
        citation=row.display, quoted_in=bool(row.quoted_in))


def without_markers(text: str, spans: list[tuple[int, int]]) -> str:
    """The words without the citation markers printed inside them ("… Thermidor (Trotsky,
    71–72)." -> "… Thermidor."); the citation is shown on its own line instead."""
    if not spans or any(s < 0 or e > len(text) for s, e in spans):
        return text.strip()
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + text[end:]
    text = re.sub(r"[ \t]+([.,;:!?’”])", r"\1", text)  # no space left before punctuation
    text = re.sub(r"[ \t]{2,}", " ", text)
    return text.strip().rstrip("“‘").strip()
