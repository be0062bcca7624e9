"""The resources answers need, built once in main() and passed in (no globals)."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bot.answers.core.cache import AnswerCache
from bot.answers.core.reach import NO_LIMIT, Reach, ReachSearch, TextReach
from bot.answers.quote.index import QuoteCatalog
from bot.answers.quote.recent import RecentQuotes
from bot.corpus.events import Event
from bot.corpus.lexicon import Lexicon
from bot.corpus.opposites import Opposites
from bot.corpus.people import PeopleRegistry
from bot.store.search_types import SearchBackend

if TYPE_CHECKING:  # SQLAlchemy: an answer context is also built without it (bot/cli/quick.py)
    from bot.store.reads import ReadStore


@dataclass(frozen=True, slots=True)
class AnswerContext:
    #: Every read answers make of the store (plain records, no SQL here).
    store: ReadStore
    search: SearchBackend
    max_results: int = 10
    #: corpus/people.yaml: any name or spelling a reader types resolves to one person.
    people: PeopleRegistry = field(default_factory=PeopleRegistry)
    #: corpus/events.yaml: curated events, each date with the words that state it.
    events: list[Event] = field(default_factory=list)
    #: Person cards and event answers, which change only with a re-ingest.
    cards: AnswerCache = field(default_factory=AnswerCache)
    #: /quote's in-memory view of the quotations (vocabulary, speakers, random pool).
    quotes: QuoteCatalog = field(default_factory=QuoteCatalog)
    #: What each channel was shown lately, so a random quotation does not repeat at once.
    recent_quotes: RecentQuotes = field(default_factory=RecentQuotes)
    #: corpus/lexicon.yaml: the field's synonyms ("killed" for "murdered").
    lexicon: Lexicon = field(default_factory=Lexicon)
    #: corpus/compare.yaml: opposite sides and deeds, for /compare's disagreements.
    opposites: Opposites = field(default_factory=Opposites)
    #: Injectable so that tests draw the same "random" quotations every run.
    rng: random.Random = field(default_factory=random.Random)
    #: How far into each text answers may go (spoiler control); ``within`` sets it.
    reach: Reach = NO_LIMIT
    #: What time it is, for "this week's section" (the bot shares the prompt scheduler's).
    now: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))

    def within(self, limits: Mapping[str, TextReach]) -> AnswerContext:
        """This context for one request limited to ``limits``: every search hit beyond them
        is withheld and counted in the new context's ``reach`` (bot/answers/core/reach.py)."""
        if not limits:
            return self
        reach = Reach(dict(limits))
        inner = self.search.inner if isinstance(self.search, ReachSearch) else self.search
        return replace(self, reach=reach, search=ReachSearch(inner, reach))

    def warm(self) -> None:
        """Build the in-memory indexes now rather than on the first /quote, and let the
        search backend read what it keeps per ingest (on PostgreSQL, each table's term
        counts: 250-580 ms at 100x, once paid by the first /search after a start)."""
        self.quotes.current(self.store)
        self.quotes.meaning(self.store)
        self.search.warm()

    def notice_reingest(self) -> None:
        """Ask the store at the next use whether the index changed, rather than up to two
        seconds later (bot/reload.py, after an ingest in this process or seen from another):
        the answers that follow see the new index, not cached ones from before it."""
        self.cards.recheck()
        self.quotes.invalidate()
