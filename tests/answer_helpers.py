"""One store per test session, ingested from the real corpus, shared by the answer tests."""

from __future__ import annotations

from pathlib import Path

from bot.answers.context import AnswerContext
from bot.store.database import create_engine_for, migrate, session_factory
from bot.store.ingest import ingest
from bot.store.search import search_backend_for
from tests.corpus_helpers import TEXTS


def build_context(db_path: Path) -> AnswerContext:
    engine = create_engine_for(f"sqlite:///{db_path}")
    migrate(engine)
    ingest(engine, TEXTS)
    return AnswerContext(sessions=session_factory(engine), search=search_backend_for(engine))
