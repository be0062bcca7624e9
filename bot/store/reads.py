"""Every read repository answers use, over one engine: what ``AnswerContext.store`` holds.

Answers read the store only through these (plain records in, no SQL or ORM objects out), so
that the same answers run on SQLite and PostgreSQL and a test can see every query the domain
makes in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from bot.store import guild_settings, index_health
from bot.store.database import reads_only
from bot.store.dates import DateRepository
from bot.store.passages import PassageRepository
from bot.store.people import MentionRepository
from bot.store.plans import PlanRepository
from bot.store.quotes import QuoteRepository
from bot.store.sentences import SentenceRepository
from bot.store.sources import SourceRepository, index_stamp
from bot.store.works import WorkRepository


@dataclass(frozen=True, slots=True)
class ReadStore:
    engine: Engine
    sources: SourceRepository
    passages: PassageRepository
    quotes: QuoteRepository
    mentions: MentionRepository
    dates: DateRepository
    sentences: SentenceRepository
    works: WorkRepository
    #: Server state (settings, schedules, ...): apart from the index (``bot/store/state.py``).
    state: Engine
    #: Server state: each server's reading plan, in the state store (kept across re-ingests).
    plans: PlanRepository

    @classmethod
    def over(cls, engine: Engine, state: Engine | None = None) -> ReadStore:
        """Over the index ``engine``; server state in ``state`` (by default the same
        database: PostgreSQL, or a test's one store)."""
        reader = reads_only(engine)  # the index's repositories never write
        passages = PassageRepository(reader)
        return cls(engine=engine, sources=SourceRepository(reader), passages=passages,
                   quotes=QuoteRepository(reader, passages), mentions=MentionRepository(reader),
                   dates=DateRepository(reader), sentences=SentenceRepository(reader),
                   works=WorkRepository(reader), state=state or engine,
                   plans=PlanRepository(state or engine))

    def stamp(self) -> str:
        """Changes whenever the index does (see ``bot.store.sources.index_stamp``)."""
        return index_stamp(self.engine)

    def index_problems(self) -> list[str]:
        """Why the index is stale ("file:line: key: reason" each); empty when it is not."""
        return index_health.index_problems(self.engine)

    def server_setting(self, guild_id: int, key: str, default: str) -> str:
        return guild_settings.get_setting(self.state, guild_id, key, default)

    def set_server_setting(self, guild_id: int, key: str, value: str) -> None:
        guild_settings.set_setting(self.state, guild_id, key, value)
