"""One store per test session, ingested from the real corpus, shared by the answer tests."""

from __future__ import annotations

import random
from pathlib import Path

from bot.answers.core.context import AnswerContext
from bot.services import answer_context
from bot.store.database import create_engine_for, migrate
from bot.store.ingest import ingest
from tests.corpus_helpers import TEXTS


def build_context(db_path: Path, seed: int = 1917) -> AnswerContext:
    engine = create_engine_for(f"sqlite:///{db_path}")
    migrate(engine)
    ingest(engine, TEXTS)
    context = answer_context(engine, TEXTS.parent, TEXTS, rng=random.Random(seed))
    context.warm()
    return context
