"""Spoiler control: how far into each text a group has read, applied to hits before they
become replies.

A :class:`Reach` says, for each text a reading plan covers, the last paragraph the group has
reached (the end of the plan's current section); texts it does not name are not limited.
``AnswerContext.within(limits)`` gives an answer a context whose search backend is a
:class:`ReachSearch`: every full-text hit (passages, quotations, sentences) beyond the reach
is dropped *and counted* before any answer sees it, so /search, /quote, /ask, plain questions
and /when's stated dates cannot show a later section, and need no filter of their own. What
answers read from the store by other ways (curated facts, a person's notable quotation, the
timeline's dated sentences) goes through :meth:`Reach.allows` where it is read.

Each limited context has its own tally (one per request), which the caller turns into the
line "3 more in sections you haven't reached yet".
"""

from __future__ import annotations

import threading
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from bot.answers.core.model import Item, Located, SourceRef
from bot.store.search_types import PassageHit, QuotationHit, SearchBackend, SentenceHit

H = TypeVar("H", bound=Located)
#: A limited search asks the backend for this many times the results it returns, so hits
#: withheld near the top leave room for reached ones below them.
OVERFETCH = 3


@dataclass(frozen=True, slots=True)
class TextReach:
    """How far into one text a group has read."""

    last_paragraph: int  # the last paragraph reached (the plan's current section's end)
    section: str  # the section the plan is at, for messages


@dataclass(frozen=True, slots=True)
class Reach:
    #: slug -> how far the group has read it; a text not here is not limited.
    texts: Mapping[str, TextReach] = field(default_factory=dict)
    #: (slug, paragraph) of what was withheld for this request (see the module docstring).
    _withheld: set[tuple[str, int]] = field(default_factory=set, compare=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, compare=False)

    @property
    def limited(self) -> bool:
        return bool(self.texts)

    @property
    def key(self) -> Hashable:
        """What a cached answer built under this reach is keyed by."""
        return tuple(sorted((slug, r.last_paragraph) for slug, r in self.texts.items()))

    def allows(self, slug: str, paragraph: int | None) -> bool:
        limit = self.texts.get(slug)
        # A reference to a whole text (no paragraph) names it, and reveals nothing of it.
        return limit is None or paragraph is None or paragraph <= limit.last_paragraph

    def allows_ref(self, ref: SourceRef | None) -> bool:
        return ref is None or self.allows(ref.slug, ref.paragraph)

    def reached(self, hit: Located) -> bool:
        return self.allows(hit.source_slug, hit.paragraph_index)

    def keep(self, hits: Sequence[H], *, counted: int | None = None) -> list[H]:
        """The hits the group has reached. The others among the first ``counted`` (all, by
        default) are counted as withheld: those are the ones a reply would have shown."""
        if not self.limited:
            return list(hits)
        beyond = {(h.source_slug, h.paragraph_index) for h in hits[:counted]
                  if not self.reached(h)}
        if beyond:
            with self._lock:
                self._withheld.update(beyond)
        return [hit for hit in hits if self.reached(hit)]

    def shows(self, ref: SourceRef | None) -> bool:
        """``allows_ref``, counting a place it does not allow as withheld."""
        if self.allows_ref(ref):
            return True
        assert ref is not None and ref.paragraph is not None  # what allows_ref refuses
        with self._lock:
            self._withheld.add((ref.slug, ref.paragraph))
        return False

    def keep_items(self, items: Sequence[Item]) -> list[Item]:
        """An answer's items the group has reached; the others are counted as withheld."""
        return [item for item in items if self.shows(item.source)]

    @property
    def withheld(self) -> int:
        """How many places beyond the reach this request's answer would have shown."""
        with self._lock:
            return len(self._withheld)



NO_LIMIT = Reach()


class ReachSearch:
    """A search backend that never returns a hit beyond the reach (see the module doc).

    Of the ``limit`` hits the backend ranks best, those beyond the reach are counted as
    withheld; the gaps they leave are filled from further down the ranking."""

    def __init__(self, inner: SearchBackend, reach: Reach) -> None:
        self.inner = inner
        self.reach = reach

    def _within(self, hits: Sequence[H], limit: int) -> list[H]:
        return self.reach.keep(hits, counted=limit)[:limit]

    def search_passages(self, query: str, *, source_slug: str | None = None,
                        limit: int = 10) -> list[PassageHit]:
        hits = self.inner.search_passages(query, source_slug=source_slug,
                                          limit=limit * OVERFETCH)
        return self._within(hits, limit)

    def search_quotations(self, query: str, *, source_slug: str | None = None,
                          limit: int = 10, speaker: str | None = None,
                          snippets: bool = True) -> list[QuotationHit]:
        hits = self.inner.search_quotations(query, source_slug=source_slug,
                                            limit=limit * OVERFETCH, speaker=speaker,
                                            snippets=snippets)
        return self._within(hits, limit)

    def search_sentences(self, terms: list[str], *, limit: int = 40,
                         source_slug: str | None = None) -> list[SentenceHit]:
        hits = self.inner.search_sentences(terms, limit=limit * OVERFETCH,
                                           source_slug=source_slug)
        return self._within(hits, limit)

    def sentence_vocabulary(self) -> tuple[int, dict[str, int]]:
        return self.inner.sentence_vocabulary()

    def warm(self) -> None:
        self.inner.warm()
