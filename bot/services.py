"""Build the resources every surface needs: engine, sessions, search, an up-to-date index.

Called from main() (CLI or Discord), never at import time.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine

from bot.answers.core.context import AnswerContext
from bot.answers.prompts.context import PromptContext, build_prompt_context
from bot.config import Settings
from bot.corpus.events import load_events
from bot.corpus.lexicon import load_lexicon
from bot.corpus.opposites import load_opposites
from bot.corpus.people import load_people
from bot.store.database import create_engine_for, migrate
from bot.store.ingest import IngestReport, index_status, ingest, people_file
from bot.store.reads import ReadStore
from bot.store.search import search_backend_for


@dataclass(slots=True)
class Services:
    engine: Engine
    answers: AnswerContext
    ingest_report: IngestReport | None
    prompts: PromptContext | None = None  # the daily prompt pool and schedules

    def close(self) -> None:
        self.engine.dispose()

    def warm_in_background(self) -> threading.Thread:
        """Build /quote's index in a thread, so a start (the bot's ready, the console's
        prompt) does not wait for it; a /quote asked meanwhile waits for that one build."""
        thread = threading.Thread(target=self.answers.warm, name="warm-indexes", daemon=True)
        thread.start()
        return thread


def answer_context(engine: Engine, corpus_dir: Path, texts_dir: Path, *, max_results: int = 10,
                   rng: random.Random | None = None) -> AnswerContext:
    """Everything answers read, over one engine: the one wiring every surface and test uses."""
    return AnswerContext(store=ReadStore.over(engine), search=search_backend_for(engine),
                         max_results=max_results,
                         people=load_people(people_file(texts_dir)),
                         events=load_events(corpus_dir / "events.yaml"),
                         lexicon=load_lexicon(corpus_dir / "lexicon.yaml"),
                         opposites=load_opposites(corpus_dir / "compare.yaml"),
                         rng=rng or random.Random())


def engine_for(settings: Settings) -> Engine:
    """The engine the settings describe, with their pool sizes for a server database."""
    pool = settings.database_pool
    return create_engine_for(settings.effective_database_url, pool_size=pool.size,
                             max_overflow=pool.max_overflow, pool_timeout=pool.timeout_seconds)


def open_services(settings: Settings, *, auto_ingest: bool = True,
                  progress: Callable[[str], None] | None = None,
                  texts_done: Callable[[int, int], None] | None = None,
                  rng: random.Random | None = None) -> Services:
    """Open the store, migrate it, and ingest first if the index is missing or stale.

    Nothing is built that the first answer may not need: /quote's index is built by the
    first /quote (``AnswerContext.warm`` builds it ahead, as the bot does once connected),
    so ``ask "/who Lenin"`` never pays for it. ``rng`` is for tests, so that "random"
    quotations are the same every run."""
    engine = engine_for(settings)
    migrate(engine)
    report = None
    if auto_ingest and index_status(engine, settings.texts_dir) != "fresh":
        report = ingest(engine, settings.texts_dir, progress=progress, texts_done=texts_done)
    context = answer_context(engine, settings.corpus_dir, settings.texts_dir,
                             max_results=settings.search.max_results, rng=rng)
    return Services(engine=engine, answers=context, ingest_report=report,
                    prompts=build_prompt_context(settings, context))
