"""What answers see of full-text search: the hits, the backend's interface, the stop words.

Apart from ``search.py`` (SQLite FTS5, with SQLAlchemy) so that the answers layer can name
these types, and a process that answers without searching (``ask "/who Lenin"`` on the SQLite
read path, ``bot/cli/quick.py``) never imports SQLAlchemy. ``search.py`` re-exports them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

MatchMode = Literal["exact", "all", "any"]

# Dropped from the any-word fallback (unless nothing else is left): they match nearly every
# passage, which would make the fallback both useless and O(corpus).
STOP_WORDS = frozenset(
    {
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "did", "do", "does", "for", "from",
        "had", "has", "have", "he", "her", "his", "i", "if", "in", "is", "it", "its", "me", "my",
        "no", "not", "of", "on", "or", "our", "she", "so", "than", "that", "the", "their", "them",
        "then", "there", "these", "they", "this", "those", "to", "us", "was", "we", "were", "what",
        "when", "where", "which", "who", "whom", "why", "will", "with", "would", "you", "your",
    }
)


# --- results -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PassageHit:
    passage_id: int
    source_slug: str
    source_title: str
    source_author: str | None
    section_title: str | None
    paragraph_index: int
    kind: str  # BlockKind value: body, block_quote, epigraph, note, reference
    line: int  # line in the source file
    text: str
    score: float  # BM25, negated from FTS5's convention so that higher is better
    snippet: str  # a window of the text with matched words marked **like this**
    match: MatchMode  # how strictly the query matched (see parse_query)


@dataclass(frozen=True, slots=True)
class QuotationHit:
    quotation_id: int
    passage_id: int
    source_slug: str
    source_title: str
    source_author: str | None
    section_title: str | None
    paragraph_index: int
    kind: str  # QuoteKind value: inline, block, epigraph
    text: str
    signature: str | None  # an epigraph's signature line
    citation: str | None  # the citation resolved to a full reference, if the quote has one
    citation_resolved: bool
    score: float
    snippet: str
    match: MatchMode
    # Where the words sit in their paragraph (to tell a quotation nested in another) and who
    # said them (bot/corpus/attribution.py): None when the text does not say.
    start: int = 0
    end: int = 0
    speaker: str | None = None


@dataclass(frozen=True, slots=True)
class SentenceHit:
    """One stored sentence, where it sits, and (from a search) how well it matched."""

    sentence_id: int
    passage_id: int
    position: int  # within its passage
    source_slug: str
    source_title: str
    source_author: str | None
    section_title: str | None
    paragraph_index: int
    kind: str  # the passage's BlockKind value
    text: str
    score: float = 0.0  # BM25, higher is better; 0 for a sentence fetched as a neighbour


class SearchBackend(Protocol):
    """Ranked full-text search. Never raises on user input; an unusable query gives []."""

    def search_passages(
        self, query: str, *, source_slug: str | None = None, limit: int = 10
    ) -> list[PassageHit]: ...

    def search_quotations(
        self, query: str, *, source_slug: str | None = None, limit: int = 10,
        speaker: str | None = None, snippets: bool = True,
    ) -> list[QuotationHit]: ...

    def search_sentences(
        self, terms: list[str], *, limit: int = 40, source_slug: str | None = None
    ) -> list[SentenceHit]:
        """Sentences holding any of ``terms`` (words or phrases), ranked by BM25."""
        ...

    def sentence_vocabulary(self) -> tuple[int, dict[str, int]]:
        """(sentences in the index, {stemmed term: sentences holding it})."""
        ...

    def warm(self) -> None:
        """Read now what the backend reads once per ingest before its first search of a
        table, so that no member's first search after a start or a reload pays for it."""
        ...
