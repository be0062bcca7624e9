"""Plain data produced by parsing one text. No database, no Discord: just what the text says."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class BlockKind(StrEnum):
    BODY = "body"
    BLOCK_QUOTE = "block_quote"
    EPIGRAPH = "epigraph"
    NOTE = "note"
    REFERENCE = "reference"


class QuoteKind(StrEnum):
    INLINE = "inline"
    BLOCK = "block"
    EPIGRAPH = "epigraph"


class CitationKind(StrEnum):
    ENDNOTE = "endnote"  # a number after the words: ...history.”17
    BRACKET = "bracket"  # [12]
    PARENTHETICAL = "parenthetical"  # (Trotsky, 66), (TRB, 76)
    PAGE = "page"  # (190): a page of the work the essay is about


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date as precise as the text states it: a year, a month or a day."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def iso(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month:
            parts.append(f"{self.month:02d}")
        if self.day:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)

    def display(self) -> str:
        months = ("January", "February", "March", "April", "May", "June", "July", "August",
                  "September", "October", "November", "December")
        if self.day and self.month:
            return f"{self.day} {months[self.month - 1]} {self.year}"
        if self.month:
            return f"{months[self.month - 1]} {self.year}"
        return str(self.year)


@dataclass(frozen=True, slots=True)
class TextMeta:
    slug: str
    title: str
    author: str | None = None
    publication: str | None = None
    published: PartialDate | None = None
    kind: str = "essay"
    subtitle: str | None = None


@dataclass(frozen=True, slots=True)
class Work:
    """A cited work, resolved to a full reference (author, title and the rest as given)."""

    full: str
    author: str | None = None
    title: str | None = None

    def short(self) -> str:
        """'John Reed, *Ten Days that Shook the World*' — how an answer names the work."""
        if self.title:
            return f"{self.author}, *{self.title}*" if self.author else f"*{self.title}*"
        return self.full


@dataclass(frozen=True, slots=True)
class Note:
    """One endnote or bracketed note, with 'op. cit.' and 'Ibid.' resolved to a full work."""

    label: str  # "17" or "[17]" as printed
    number: int
    text: str
    work: Work | None
    page: str | None = None  # "57", "pp. 185-6"
    quoted_in: bool = False  # "Quoted in Meyer, ...": the words are someone else's

    @property
    def resolved(self) -> bool:
        return self.work is not None


@dataclass(frozen=True, slots=True)
class Citation:
    """A pointer in the running text to where words come from."""

    kind: CitationKind
    marker: str  # as printed: "17", "[12]", "(Trotsky, 66)", "(190)"
    start: int  # offsets in the paragraph text
    end: int
    work: Work | None = None
    page: str | None = None
    note_number: int | None = None
    quoted_in: bool = False

    @property
    def resolved(self) -> bool:
        return self.work is not None

    def display(self) -> str:
        """The citation as a full reference: 'John Reed, *Ten Days…*, p. 57'."""
        if self.work is None:
            return f"unresolved citation {self.marker}"
        text = self.work.short()
        if self.quoted_in:
            text = f"quoted in {text}"
        if self.page:
            text += f", {format_page(self.page)}"
        return text


def format_page(page: str) -> str:
    """'57' -> 'p. 57', '71–72' -> 'pp. 71–72'; already-labelled pages are kept as printed."""
    page = re.sub(r"^pp?\.?\s*", "", page.strip())
    multiple = any(sep in page for sep in ("-", "–", ",", "—"))
    return f"{'pp.' if multiple else 'p.'} {page}"


@dataclass(slots=True)
class Section:
    index: int
    title: str | None  # None for the text before the first heading


@dataclass(slots=True)
class Paragraph:
    index: int
    section_index: int
    kind: BlockKind
    text: str
    line: int  # 1-based line in the source file, for error messages and "where is this"
    sentences: list[tuple[int, int]] = field(default_factory=list)  # spans in text
    citations: list[Citation] = field(default_factory=list)

    def sentence_texts(self) -> list[str]:
        return [self.text[a:b] for a, b in self.sentences]


@dataclass(slots=True)
class Quotation:
    paragraph_index: int
    kind: QuoteKind
    text: str
    start: int  # span of the quoted words in the paragraph text
    end: int
    citation: Citation | None = None
    signature: str | None = None  # an epigraph's signature line, e.g. "Friedrich Engels"
    # Who said or wrote the words (bot/corpus/attribution.py); None means unattributed.
    speaker: str | None = None
    speaker_confidence: float = 0.0
    attribution_method: str = "none"  # signature | verb | intro | cited-author | essay-author
    attribution_evidence: str | None = None  # the words that decided it
    # Nesting (bot/corpus/quotations.py inner_spans): the index, in ParsedText.quotations, of
    # the quotation these words are quoted inside (a testament inside Trotsky's account, the
    # block quotation an inline one stands in); None at the top level.
    outer: int | None = None
    # Who quotes whom, innermost quoter first ("Leon Trotsky" for Lenin's words inside
    # Trotsky's): the speakers of the enclosing quotations, set by attribution.
    quoted_by: tuple[str, ...] = ()
    # An unnamed source in the text's own words ("One report", "a market woman"), when the
    # text gives no person: shown as that, never as a person.
    source_words: str | None = None


@dataclass(frozen=True, slots=True)
class PersonMention:
    """A registered person named in a paragraph (bot/corpus/mentions.py)."""

    paragraph_index: int
    start: int
    end: int
    person: str  # canonical name


@dataclass(slots=True)
class ParsedText:
    meta: TextMeta
    content_hash: str
    sections: list[Section]
    paragraphs: list[Paragraph]
    quotations: list[Quotation]
    notes: list[Note]
    references: list[Work]  # the essay's reference list / bibliography
    principal_work: Work | None = None  # what bare page references point at
    warnings: list[str] = field(default_factory=list)
    mentions: list[PersonMention] = field(default_factory=list)
    dates: list[Any] = field(default_factory=list)  # bot.corpus.dates.DateMention
    unknown_names: list[str] = field(default_factory=list)  # names the registry lacks
