"""Turn one ParsedText into plain row dicts for the store's tables. No database here.

Ids are handed out by the caller (``IdRange`` per table) so that every row, including the
foreign keys between them, is known before anything is written: the writer then needs one
``executemany`` per table instead of one round trip per row to learn each new id.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from bot.corpus.model import Citation, Note, ParsedText, Quotation, Work
from bot.store.freshness import FileInfo
from bot.store.records import QUOTED_BY_SEPARATOR

Row = dict[str, Any]


class IdSource(Protocol):
    """Hands out ``n`` fresh primary keys for a table (see ``ingest._IdAllocator``)."""

    def take(self, table: str, n: int) -> Iterator[int]: ...


class RelativeIds:
    """Ids 1, 2, 3 ... per table: a text's rows made where the store's next ids are not
    known (an ingest worker process), then ``rebase``d by the writer."""

    def __init__(self) -> None:
        self._next: dict[str, int] = {}

    def take(self, table: str, n: int) -> Iterator[int]:
        start = self._next.get(table, 0)
        self._next[table] = start + n
        return iter(range(start + 1, start + n + 1))


#: The columns that hold a row id of the same text, and the table each points into.
ID_COLUMNS = {"id": None, "source_id": "source", "section_id": "section",
               "passage_id": "passage", "citation_id": "citation"}


def rebase(rows: TextRows, ids: IdSource) -> None:
    """Rows made with ``RelativeIds`` given the ids ``ids`` hands out, in place: the same
    ids, in the same order, as ``text_rows`` with ``ids`` itself would have given them."""
    taken: dict[str, list[int]] = {}
    for table, table_rows in rows.tables.items():  # parents first: the order text_rows takes
        if table_rows and "id" in table_rows[0]:
            taken[table] = list(ids.take(table, len(table_rows)))
    for table, table_rows in rows.tables.items():
        if not table_rows:
            continue
        columns = [(column, taken[target or table]) for column, target in ID_COLUMNS.items()
                   if column in table_rows[0] and (target or table) in taken]
        for row in table_rows:
            for column, new in columns:
                relative = row[column]
                if relative is not None:
                    row[column] = new[relative - 1]


@dataclass(slots=True)
class TextRows:
    """Every row one text writes, keyed by table name, in insertion order (parents first)."""

    tables: dict[str, list[Row]] = field(default_factory=dict)

    def count(self, table: str) -> int:
        return len(self.tables.get(table, ()))


def text_rows(parsed: ParsedText, file: FileInfo, ids: IdSource, now: datetime) -> TextRows:
    """All rows for one text, with ids and foreign keys filled in."""
    (source_id,) = ids.take("source", 1)
    section_rows = _section_rows(parsed, source_id, ids)
    section_ids = {row["index"]: row["id"] for row in section_rows}
    passage_rows = _passage_rows(parsed, source_id, section_ids, ids)
    passage_ids = [row["id"] for row in passage_rows]
    citation_rows, citation_ids = _citation_rows(parsed, source_id, passage_ids, ids)
    quotation_rows = _quotation_rows(parsed, source_id, passage_ids, citation_ids, ids)
    unresolved = sum(1 for row in citation_rows if not row["resolved"])
    source = _source_row(parsed, file, source_id, now) | {
        "section_count": len(section_rows),
        "passage_count": len(passage_rows),
        "quotation_count": len(quotation_rows),
        "note_count": len(parsed.notes),
        "citation_count": len(citation_rows),
        "citations_unresolved": unresolved,
    }
    return TextRows(
        {
            "source": [source],
            "section": section_rows,
            "passage": passage_rows,
            "citation": citation_rows,
            "quotation": quotation_rows,
            "note": [_note_row(note, source_id) for note in parsed.notes],
            "reference": [
                _reference_row(work, source_id, position)
                for position, work in enumerate(parsed.references)
            ],
            "sentence": _sentence_rows(parsed, source_id, passage_ids, ids),
            "mention": _mention_rows(parsed, source_id, passage_ids),
            "date_mention": _date_rows(parsed, source_id, passage_ids),
        }
    )


def _source_row(parsed: ParsedText, file: FileInfo, source_id: int, now: datetime) -> Row:
    meta = parsed.meta
    principal = parsed.principal_work
    return {
        "id": source_id,
        "slug": meta.slug,
        "title": meta.title,
        "subtitle": meta.subtitle,
        "author": meta.author,
        "publication": meta.publication,
        "published_iso": meta.published.iso() if meta.published else None,
        "published_precision": meta.published.precision if meta.published else None,
        "kind": meta.kind,
        "principal_work_full": principal.full if principal else None,
        "principal_work_author": principal.author if principal else None,
        "principal_work_title": principal.title if principal else None,
        "path": file.path,
        "content_hash": parsed.content_hash,
        "file_size": file.size,
        "file_mtime_ns": file.mtime_ns,
        "ingested_at": now,
        "warnings": list(parsed.warnings),
        "unknown_names": list(parsed.unknown_names),
    }


def _section_rows(parsed: ParsedText, source_id: int, ids: IdSource) -> list[Row]:
    return [
        {"id": row_id, "source_id": source_id, "index": section.index, "title": section.title}
        for row_id, section in zip(
            ids.take("section", len(parsed.sections)), parsed.sections, strict=True
        )
    ]


def _passage_rows(
    parsed: ParsedText, source_id: int, section_ids: dict[int, int], ids: IdSource
) -> list[Row]:
    return [
        {
            "id": row_id,
            "source_id": source_id,
            "section_id": section_ids.get(paragraph.section_index),
            "index": paragraph.index,
            "kind": str(paragraph.kind),
            "text": paragraph.text,
            "line": paragraph.line,
            "sentences": [list(span) for span in paragraph.sentences],
        }
        for row_id, paragraph in zip(
            ids.take("passage", len(parsed.paragraphs)), parsed.paragraphs, strict=True
        )
    ]


def _sentence_rows(
    parsed: ParsedText, source_id: int, passage_ids: list[int], ids: IdSource
) -> list[Row]:
    """Every sentence of every paragraph, in reading order (ids ascending = text order)."""
    spans = [
        (passage_id, position, start, end, paragraph.text[start:end])
        for passage_id, paragraph in zip(passage_ids, parsed.paragraphs, strict=True)
        for position, (start, end) in enumerate(paragraph.sentences)
        if paragraph.text[start:end].strip()
    ]
    return [
        {"id": row_id, "source_id": source_id, "passage_id": passage_id,
         "position": position, "start": start, "end": end, "text": sentence}
        for row_id, (passage_id, position, start, end, sentence) in zip(
            ids.take("sentence", len(spans)), spans, strict=True
        )
    ]


def _citation_rows(
    parsed: ParsedText, source_id: int, passage_ids: list[int], ids: IdSource
) -> tuple[list[Row], dict[int, int]]:
    """Rows for every citation, and a map from ``id(citation object)`` to its row id.

    Most quotations share the Citation object found in their paragraph. Some (an epigraph's
    signature line) carry one the paragraph does not list: it gets its own row on the
    quotation's passage so that the quote keeps its source.
    """
    found: list[tuple[int, Citation]] = []  # (paragraph position, citation)
    seen: set[int] = set()
    for position, paragraph in enumerate(parsed.paragraphs):
        for citation in paragraph.citations:
            found.append((position, citation))
            seen.add(id(citation))
    positions = {p.index: position for position, p in enumerate(parsed.paragraphs)}
    for quotation in parsed.quotations:
        cited = quotation.citation
        if cited is not None and id(cited) not in seen:
            found.append((positions[quotation.paragraph_index], cited))
            seen.add(id(citation))
    rows: list[Row] = []
    row_ids: dict[int, int] = {}
    for row_id, (position, citation) in zip(ids.take("citation", len(found)), found, strict=True):
        rows.append(_citation_row(citation, row_id, source_id, passage_ids[position]))
        row_ids[id(citation)] = row_id
    return rows, row_ids


def _citation_row(citation: Citation, row_id: int, source_id: int, passage_id: int) -> Row:
    return {
        "id": row_id,
        "source_id": source_id,
        "passage_id": passage_id,
        "kind": str(citation.kind),
        "marker": citation.marker,
        "start": citation.start,
        "end": citation.end,
        **_work_columns(citation.work),
        "page": citation.page,
        "note_number": citation.note_number,
        "quoted_in": citation.quoted_in,
        "resolved": citation.resolved,
        "display": citation.display(),
    }


def _quotation_rows(
    parsed: ParsedText,
    source_id: int,
    passage_ids: list[int],
    citation_ids: dict[int, int],
    ids: IdSource,
) -> list[Row]:
    positions = {p.index: position for position, p in enumerate(parsed.paragraphs)}
    return [
        _quotation_row(
            quotation,
            row_id,
            source_id,
            passage_ids[positions[quotation.paragraph_index]],
            citation_ids.get(id(quotation.citation)) if quotation.citation else None,
        )
        for row_id, quotation in zip(
            ids.take("quotation", len(parsed.quotations)), parsed.quotations, strict=True
        )
    ]


def _quotation_row(
    quotation: Quotation, row_id: int, source_id: int, passage_id: int, citation_id: int | None
) -> Row:
    return {
        "id": row_id,
        "source_id": source_id,
        "passage_id": passage_id,
        "kind": str(quotation.kind),
        "text": quotation.text,
        "start": quotation.start,
        "end": quotation.end,
        "signature": quotation.signature,
        "citation_id": citation_id,
        "speaker": quotation.speaker,
        "speaker_confidence": quotation.speaker_confidence,
        "attribution_method": quotation.attribution_method,
        "attribution_evidence": quotation.attribution_evidence,
        "quoted_by": QUOTED_BY_SEPARATOR.join(quotation.quoted_by),
        "source_words": quotation.source_words,
    }


def _note_row(note: Note, source_id: int) -> Row:
    return {
        "source_id": source_id,
        "number": note.number,
        "label": note.label,
        "text": note.text,
        **_work_columns(note.work),
        "page": note.page,
        "quoted_in": note.quoted_in,
    }


def _reference_row(work: Work, source_id: int, position: int) -> Row:
    return {
        "source_id": source_id,
        "position": position,
        "full": work.full,
        "author": work.author,
        "title": work.title,
    }


def _work_columns(work: Work | None) -> Row:
    return {
        "work_full": work.full if work else None,
        "work_author": work.author if work else None,
        "work_title": work.title if work else None,
    }


def _mention_rows(parsed: ParsedText, source_id: int, passage_ids: list[int]) -> list[Row]:
    positions = {p.index: position for position, p in enumerate(parsed.paragraphs)}
    return [
        {
            "source_id": source_id,
            "passage_id": passage_ids[positions[mention.paragraph_index]],
            "person": mention.person,
            "start": mention.start,
            "end": mention.end,
        }
        for mention in parsed.mentions
    ]


def _date_rows(parsed: ParsedText, source_id: int, passage_ids: list[int]) -> list[Row]:
    positions = {p.index: position for position, p in enumerate(parsed.paragraphs)}
    rows = []
    for found in parsed.dates:
        until = found.until or found.date
        rows.append({
            "source_id": source_id,
            "passage_id": passage_ids[positions[found.paragraph_index]],
            "start": found.start,
            "end": found.end,
            "text": found.text,
            "kind": found.kind,
            "precision": found.precision,
            "date_iso": found.date.iso(),
            "until_iso": found.until.iso() if found.until else None,
            "year_start": found.date.year,
            "year_end": until.year,
            "sentence_start": found.sentence[0],
            "sentence_end": found.sentence[1],
            "people": list(found.people),
        })
    return rows
