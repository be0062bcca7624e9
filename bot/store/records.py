"""The plain records read repositories return, and the reads a person card makes, as a
Protocol: with no SQLAlchemy in them.

The SQLAlchemy repositories (``passages.py``, ``quotes.py``, ``people.py``) return these
records, and so does the standard-library read path over a SQLite index
(``sqlite_reads.py``, for ``ask "/who ..."``): answers read either through ``PersonReads``
and cannot tell them apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

#: Between the names of ``quotation.quoted_by`` (no canonical name holds it).
QUOTED_BY_SEPARATOR = " | "


@dataclass(frozen=True, slots=True)
class PassageRecord:
    passage_id: int
    slug: str
    source_title: str
    source_author: str | None
    section_title: str | None
    index: int  # the paragraph's place in its text, from 0
    kind: str  # body, block_quote, epigraph, note, reference
    text: str
    sentences: tuple[tuple[int, int], ...]  # (start, end) of each sentence in ``text``

    def sentence_around(self, start: int, end: int) -> str:
        """The whole sentence(s) holding text[start:end], or the paragraph if none is known."""
        spans = [(a, b) for a, b in self.sentences if a <= end and b >= start]
        first, last = (spans[0][0], spans[-1][1]) if spans else (0, len(self.text))
        return self.text[first:last].strip()


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
    source_publication: str | None
    source_published_iso: str | None
    section: str | None
    citation: str | None
    quoted_in: bool
    quoted_by: tuple[str, ...] = ()  # who quotes these words, innermost quoter first
    source_words: str | None = None  # an unnamed source in the text's words ("One report")

    @property
    def ref(self) -> str:
        """Stable across re-ingest (row ids are not): the text, the paragraph, the offset."""
        return f"{REF_PREFIX}:{self.slug}:{self.paragraph}:{self.start}"


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


class MentionReads(Protocol):
    def counts_by_text(self, person: str) -> list[tuple[str, int]]:
        """(text title, mentions) for every text naming the person, most first."""
        ...

    def named_with(self, person: str, limit: int) -> list[str]:
        """Who is named in the same paragraphs as the person most often."""
        ...


class HoldingReads(Protocol):
    def holding(self, slug: str, phrase: str, *, section: str | None = None
                ) -> PassageRecord | None:
        """The first paragraph of a text (under a heading, if given) holding the phrase."""
        ...


class CertainQuoteReads(Protocol):
    def most_certain(self, speaker: str, limit: int) -> list[QuoteRecord]:
        """The speaker's quotations, the most confidently attributed and longest first."""
        ...


class PersonReads(Protocol):
    """What a /who card reads of the index (``bot/answers/people/who.py``): ``ReadStore``
    over SQLAlchemy, or ``SqliteReads`` over the standard library's sqlite3."""

    @property
    def mentions(self) -> MentionReads: ...
    @property
    def passages(self) -> HoldingReads: ...
    @property
    def quotes(self) -> CertainQuoteReads: ...

    def stamp(self) -> str:
        """Changes whenever the index does (cached cards are kept until it moves)."""
        ...
