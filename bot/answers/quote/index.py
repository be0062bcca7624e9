"""What /quote keeps in memory about the quotations: their vocabulary, the speakers, and the
pool of quotations worth drawing at random.

Built once from the store (a single pass over the quotation table: about 25 ms for the real
corpus, 0.6 s at 100x) and rebuilt when the store changes, which a cheap stamp of the
``source`` table tells (every ingest that writes a text gives it a new ``ingested_at``),
checked every two seconds at most. So a re-ingest by another process does not leave the bot
drawing quotations by stale ids (``invalidate`` forces the check when a caller sees one).

Vocabulary: the surface words of every quotation, so that a word a reader mistyped can be
replaced by the nearest word the quotations really use (``correct``). Searching is FTS5's job;
this only mends the query first.
"""

from __future__ import annotations

import bisect
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.answers.core.cache import RECHECK_AFTER, AnswerCache
from bot.store.search_types import STOP_WORDS

if TYPE_CHECKING:  # imported when used: every answer context holds a QuoteCatalog, and an
    # answer other than /quote (``ask "/who Lenin"``) needs neither of them
    from bot.answers.quote.meaning_index import MeaningIndex
    from bot.store.reads import ReadStore  # SQLAlchemy: not for ``ask "/who Lenin"``

WORD = re.compile(r"[^\W_]+")  # the same notion of a word as the FTS5 query builder's
#: A word shorter than this is never "corrected": one wrong letter in four is another word.
MIN_CORRECTABLE = 5
#: rapidfuzz ratio (0-100) a vocabulary word needs to replace a typed word.
CORRECTION_CUTOFF = 80
#: A quotation drawn at random has at least this many words (no two-word scare quotes).
MIN_RANDOM_WORDS = 8
#: English endings FTS5's porter stemmer takes off: a word with one is matched by its stem.
_ENDINGS = ("ings", "ing", "edly", "ed", "ers", "er", "es", "s", "ly", "ness", "ment")
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_SENTENCE_END = re.compile(r"[.!?…][’”'\")\]]*$")
_OPENING = re.compile(r"^[\s“”‘’'\"(\[/]*")


def words_of(text: str) -> list[str]:
    """Lower-cased words, as FTS5's unicode61 tokenizer splits them (diacritics dropped)."""
    folded = text.casefold()
    if not folded.isascii():  # most text is: skip the normalisation, the costliest step
        folded = _COMBINING.sub("", unicodedata.normalize("NFKD", folded))
    return WORD.findall(folded)


def worth_drawing(text: str, kind: str) -> bool:
    """A quotation that reads well alone: a full sentence of some length, not a scare quote.

    Block quotations and epigraphs are whole paragraphs the essayist chose to set apart, so
    they may open mid-sentence (". . . the 'state' is still necessary"); an inline quotation
    must start with a capital and end a sentence, or it is a fragment of someone's prose.
    """
    if len(text.split()) < MIN_RANDOM_WORDS:
        return False
    if kind != "inline":
        return True
    opening = _OPENING.sub("", text)
    return bool(opening) and opening[0].isupper() and bool(_SENTENCE_END.search(text.strip()))


@dataclass(frozen=True, slots=True)
class Drawable:
    """A quotation worth drawing at random, with what the filters need."""

    quotation_id: int
    source_slug: str
    speaker: str | None


@dataclass(frozen=True, slots=True)
class QuoteIndex:
    """An immutable snapshot; ``QuoteCatalog`` swaps in a new one when the store changes."""

    vocabulary: frozenset[str] = frozenset()
    frequency: dict[str, int] = field(default_factory=dict)
    speakers: dict[str, int] = field(default_factory=dict)  # speaker -> quotation count
    drawable: tuple[Drawable, ...] = ()
    by_speaker: dict[str, tuple[Drawable, ...]] = field(default_factory=dict)
    by_slug: dict[str, tuple[Drawable, ...]] = field(default_factory=dict)
    quotations: int = 0
    sorted_vocabulary: tuple[str, ...] = ()
    by_initial: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Quotation id -> the names of who quotes it and its unnamed source ("John Reed a rough
    # workman"): a reader describes nested words by them, though the words do not hold them.
    context: dict[int, str] = field(default_factory=dict)

    def correct(self, word: str) -> str | None:
        """The vocabulary word nearest a word the quotations do not use; None if none is.

        Only a likely typo is corrected: a word of some length, not a stop word, with no
        other form in the vocabulary (FTS5's stemmer matches "crawling" to "crawl" by
        itself), and only by a word with the same first letter, which typos rarely change
        ("meaning" is not "earnings").
        """
        key = " ".join(words_of(word))
        if len(key) < MIN_CORRECTABLE or key in self.vocabulary or key in STOP_WORDS \
                or self._has_stem(key):
            return None
        from rapidfuzz import fuzz, process

        near = process.extract(key, self.by_initial.get(key[0], ()), scorer=fuzz.ratio,
                               score_cutoff=CORRECTION_CUTOFF, limit=5)
        if not near:
            return None
        # Between equally near words, the more frequent one is the likelier intent.
        best = max(near, key=lambda match: (match[1], self.frequency[match[0]]))
        return best[0]

    def weight(self, word: str) -> float:
        """How telling a word is: its inverse frequency among the quotations' words."""
        return math.log(1 + self.quotations / (1 + self.frequency.get(word, 0)))

    def _has_stem(self, word: str) -> bool:
        """The word is an inflection of a vocabulary word ("crawling" of "crawl")."""
        for ending in _ENDINGS:
            stem = word.removesuffix(ending)
            if stem != word and len(stem) >= MIN_CORRECTABLE - 1:
                at = bisect.bisect_left(self.sorted_vocabulary, stem)
                if at < len(self.sorted_vocabulary) \
                        and self.sorted_vocabulary[at].startswith(stem):
                    return True
        return False

    def pool(self, *, speaker: str | None, slug: str | None) -> tuple[Drawable, ...]:
        """The quotations worth drawing, by that speaker and in that text if given."""
        if speaker is None and slug is None:
            return self.drawable
        if speaker is None:
            return self.by_slug.get(slug or "", ())
        by_speaker = self.by_speaker.get(speaker, ())
        return by_speaker if slug is None else tuple(d for d in by_speaker
                                                     if d.source_slug == slug)


def build_index(rows: Iterable[tuple[int, str, str, str | None, str]],
                nesting: Iterable[tuple[int, str, str | None]] = ()) -> QuoteIndex:
    """From (id, text, kind, speaker, source slug) rows of every quotation, and (id, quoted
    by, source words) of the nested ones."""
    frequency: Counter[str] = Counter()
    speakers: Counter[str] = Counter()
    drawable: list[Drawable] = []
    count = 0
    for quotation_id, text, kind, speaker, slug in rows:
        count += 1
        frequency.update(w for w in words_of(text) if w not in STOP_WORDS)
        if speaker:
            speakers[speaker] += 1
        if worth_drawing(text, kind):
            drawable.append(Drawable(quotation_id, slug, speaker))
    initials: dict[str, list[str]] = {}
    for word in frequency:
        initials.setdefault(word[0], []).append(word)
    return QuoteIndex(
        vocabulary=frozenset(frequency), frequency=dict(frequency), speakers=dict(speakers),
        drawable=tuple(drawable), by_speaker=_group(drawable, lambda d: d.speaker),
        by_slug=_group(drawable, lambda d: d.source_slug),
        quotations=count, sorted_vocabulary=tuple(sorted(frequency)),
        by_initial={initial: tuple(words) for initial, words in initials.items()},
        context={qid: f"{chain} {words or ''}".strip() for qid, chain, words in nesting})


def _group(items: list[Drawable], key: Callable[[Drawable], str | None]
           ) -> dict[str, tuple[Drawable, ...]]:
    groups: dict[str, list[Drawable]] = {}
    for item in items:
        name = key(item)
        if name is not None:
            groups.setdefault(name, []).append(item)
    return {name: tuple(members) for name, members in groups.items()}


class QuoteCatalog:
    """Holds the current ``QuoteIndex``, rebuilt when the store changes (see AnswerCache).

    The store is asked whether it changed at most every ``recheck_after`` seconds: the
    question costs as much as ranking a quotation search, and a re-ingest is rare.
    """

    def __init__(self, recheck_after: float = RECHECK_AFTER) -> None:
        self._cache = AnswerCache(recheck_after)

    def invalidate(self) -> None:
        """Check the store at the next use (a drawn id turned out not to be what it was)."""
        self._cache.recheck()

    def current(self, store: ReadStore) -> QuoteIndex:
        return self._cache.index(store, "quote index",
                               lambda: build_index(store.quotes.index_rows(),
                                                   store.quotes.nesting_rows()))

    def meaning(self, store: ReadStore) -> MeaningIndex:
        """Every quotation with the words around it, for /quote by description."""
        from bot.answers.quote.meaning_index import build_meaning_index

        return self._cache.index(store, "quote meaning",
                               lambda: build_meaning_index(store.quotes.surroundings()))
