"""The resources answers need, built once in main() and passed in (no globals)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from bot.answers.core.cache import AnswerCache
from bot.answers.quote.index import QuoteCatalog
from bot.answers.quote.recent import RecentQuotes
from bot.corpus.events import Event
from bot.corpus.lexicon import Lexicon
from bot.corpus.people import PeopleRegistry
from bot.store.reads import ReadStore
from bot.store.search import SearchBackend


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
    #: Injectable so that tests draw the same "random" quotations every run.
    rng: random.Random = field(default_factory=random.Random)

    def warm(self) -> None:
        """Build the in-memory indexes now rather than on the first /quote."""
        self.quotes.current(self.store)
        self.quotes.meaning(self.store)
