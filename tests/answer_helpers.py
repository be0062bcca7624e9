"""One store per test session, ingested from the real corpus, shared by the answer tests."""

from __future__ import annotations

import random
from pathlib import Path

from bot.answers.context import AnswerContext
from bot.corpus.events import load_events
from bot.corpus.people import load_people
from bot.store.database import create_engine_for, migrate, session_factory
from bot.store.ingest import ingest, people_file
from bot.store.search import search_backend_for
from tests.corpus_helpers import TEXTS


def build_context(db_path: Path, seed: int = 1917) -> AnswerContext:
    engine = create_engine_for(f"sqlite:///{db_path}")
    migrate(engine)
    ingest(engine, TEXTS)
    context = AnswerContext(sessions=session_factory(engine), search=search_backend_for(engine),
                            people=load_people(people_file(TEXTS)),
                            events=load_events(TEXTS.parent / "events.yaml"),
                            rng=random.Random(seed))
    context.warm()
    return context
