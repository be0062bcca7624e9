"""Build the resources every surface needs: engine, sessions, search, an up-to-date index.

Called from main() (CLI or Discord), never at import time.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy.engine import Engine

from bot.answers.core.context import AnswerContext
from bot.config import Settings
from bot.corpus.errors import CorpusError
from bot.corpus.events import Event, load_events
from bot.corpus.lexicon import Lexicon, load_lexicon
from bot.corpus.opposites import Opposites, load_opposites
from bot.corpus.people import PeopleRegistry, load_people
from bot.corpus.prompts import CuratedPrompt, load_curated_prompts
from bot.curated_cache import CuratedCache, cache_path_for, curated_files
from bot.store.database import create_engine_for, migrate
from bot.store.index_health import (
    CannotServe,
    index_problems,
    last_good_curated,
    record_start_problems,
    remember_curated,
)
from bot.store.ingest import IngestError, IngestReport, index_status, ingest, people_file
from bot.store.reads import ReadStore
from bot.store.search import search_backend_for
from bot.store.state import open_state, state_url_for

if TYPE_CHECKING:  # built, and its code imported, only when asked for (open_services)
    from bot.answers.prompts.context import PromptContext

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(slots=True)
class Services:
    engine: Engine  # the corpus index: rebuildable
    answers: AnswerContext
    ingest_report: IngestReport | None
    prompts: PromptContext | None = None  # the daily prompt pool and schedules
    #: Server state, apart from the index (``bot/store/state.py``); None: the same engine.
    state_engine: Engine | None = None

    def close(self) -> None:
        if self.state_engine is not None and self.state_engine is not self.engine:
            self.state_engine.dispose()
        self.engine.dispose()

    def warm_in_background(self) -> threading.Thread:
        """Build /quote's index and the sentence vocabulary (plain questions, /when of an
        event not curated) in a thread, so a start (the bot's ready, the console's prompt)
        does not wait for them; an answer asked meanwhile waits for that one build."""
        from bot.reload import warm_indexes  # the plain-question engine only when warming

        thread = threading.Thread(target=warm_indexes, args=(self.answers,),
                                  name="warm-indexes", daemon=True)
        thread.start()
        return thread


@dataclass(frozen=True, slots=True)
class Curated:
    """The curated YAML files, read (each from the file, or its last good copy)."""

    people: PeopleRegistry
    events: list[Event]
    lexicon: Lexicon
    prompts: tuple[CuratedPrompt, ...] = ()
    opposites: Opposites = field(default_factory=Opposites)  # compare.yaml, for /compare


def answer_context(engine: Engine, corpus_dir: Path, texts_dir: Path, *, max_results: int = 10,
                   rng: random.Random | None = None, curated: Curated | None = None,
                   state: Engine | None = None) -> AnswerContext:
    """Everything answers read, over one engine: the one wiring every surface and test uses.

    Without ``curated`` the curated files are read here (a malformed one raises CorpusError)."""
    if curated is None:
        curated = Curated(people=load_people(people_file(texts_dir)),
                          events=load_events(corpus_dir / "events.yaml"),
                          lexicon=load_lexicon(corpus_dir / "lexicon.yaml"),
                          opposites=load_opposites(corpus_dir / "compare.yaml"))
    return AnswerContext(store=ReadStore.over(engine, state),
                         search=search_backend_for(engine),
                         max_results=max_results, people=curated.people,
                         events=curated.events, lexicon=curated.lexicon,
                         opposites=curated.opposites,
                         rng=rng or random.Random())


def engine_for(settings: Settings) -> Engine:
    """The engine the settings describe, with their pool sizes for a server database."""
    pool = settings.database_pool
    return create_engine_for(settings.effective_database_url, pool_size=pool.size,
                             max_overflow=pool.max_overflow, pool_timeout=pool.timeout_seconds)


def state_engine_for(settings: Settings, index: Engine) -> Engine:
    """The server-state database: a file beside a SQLite index; on PostgreSQL the index's
    own engine (same database, one pool)."""
    url = state_url_for(settings.effective_database_url)
    if url == settings.effective_database_url:
        return index
    pool = settings.database_pool
    return create_engine_for(url, pool_size=pool.size, max_overflow=pool.max_overflow,
                             pool_timeout=pool.timeout_seconds)


def open_services(settings: Settings, *, auto_ingest: bool = True,
                  progress: Callable[[str], None] | None = None,
                  texts_done: Callable[[int, int], None] | None = None,
                  rng: random.Random | None = None, prompts: bool = True) -> Services:
    """Open the store, migrate it, and ingest first if the index is missing or stale.

    A bad file never stops a start that has something to serve: a text that cannot be parsed
    is skipped (ingest keeps its earlier version), an ingest that fails as a whole leaves the
    previous index serving, and a malformed curated file is replaced by its last good copy;
    each reason is logged with its file, line and key and recorded for /sources. Only with
    nothing to serve (no index yet, no good copy of a curated file) does it raise
    ``CannotServe``, saying what to fix.

    Nothing is built that the first answer may not need: /quote's index is built by the
    first /quote (``AnswerContext.warm`` builds it ahead, as the bot does once connected),
    so ``ask "/who Lenin"`` never pays for it. ``rng`` is for tests, so that "random"
    quotations are the same every run. ``prompts=False``: no prompt pool (``Services.prompts``
    is None), for one answer that does not read it (``ask "/who Lenin"``)."""
    engine = engine_for(settings)
    state: Engine | None = None
    try:
        migrate(engine)
        state = state_engine_for(settings, engine)
        open_state(engine, state)  # before anything reads a schedule or a setting
        problems: list[str] = []  # this start's, beside those the ingest records itself
        report = None
        if auto_ingest:
            report = _ingest_or_keep(engine, settings, problems, progress, texts_done)
        curated = load_curated(engine, settings, problems)
        record_start_problems(engine, problems)
        stale = index_problems(engine)
        if stale:
            log.warning("the index is stale, serving what it had: %s", "; ".join(stale))
        context = answer_context(engine, settings.corpus_dir, settings.texts_dir,
                                 max_results=settings.search.max_results, rng=rng,
                                 curated=curated, state=state)
        pool = None
        if prompts:
            from bot.answers.prompts.context import build_prompt_context

            pool = build_prompt_context(settings, context, curated=curated.prompts)
    except BaseException:
        if state is not None and state is not engine:
            state.dispose()
        engine.dispose()
        raise
    return Services(engine=engine, answers=context, ingest_report=report, prompts=pool,
                    state_engine=state)


def _ingest_or_keep(engine: Engine, settings: Settings, problems: list[str],
                    progress: Callable[[str], None] | None,
                    texts_done: Callable[[int, int], None] | None) -> IngestReport | None:
    """Ingest if the index is not fresh; on failure keep the previous index when there is
    one (the reason goes to the log and to ``problems``), else raise ``CannotServe``."""
    status = index_status(engine, settings.texts_dir)
    if status == "fresh":
        return None
    try:
        report = ingest(engine, settings.texts_dir, progress=progress, texts_done=texts_done)
    except IngestError as exc:
        if status == "missing":
            raise CannotServe("there is no index yet and it could not be built; fix this, "
                              f"then start again:\n{exc}") from None
        log.error("ingest failed; the previous index keeps serving: %s", exc)
        problems.append(f"the last ingest failed, so the previous index is serving: {exc}")
        return None
    if not report.totals.texts and report.problems:
        raise CannotServe("no text could be ingested, so there is nothing to serve; fix "
                          "these files, then start again:\n" + "\n".join(report.problems))
    return report


def load_curated(engine: Engine, settings: Settings, problems: list[str]) -> Curated:
    """people.yaml, events.yaml, lexicon.yaml and prompts.yaml: each as the file says, or, if
    the file is malformed, as it last read without error (kept in the store); the reason goes
    to the log and to ``problems``. Each good read is kept as the next last good copy."""
    corpus = settings.corpus_dir
    good: dict[str, str] = {}
    kept = CuratedCache(cache_path_for(settings.effective_database_url))

    def read(name: str, path: Path, load: Callable[[Path, str | None], T]) -> T:
        try:
            data: bytes | None = path.read_bytes()
        except OSError:
            data = None  # missing or unreadable: the loader says which
        if data is not None and (value := kept.get(name, data)) is not None:
            good[name] = data.decode("utf-8-sig")  # it decoded when it was kept
            return value
        try:
            value = load(path, None)
        except CorpusError as exc:
            saved = last_good_curated(engine, name)
            if saved is None:
                raise CannotServe(f"there is no earlier good copy of {name} to serve "
                                  f"instead; fix it, then start again:\n{exc}") from None
            log.error("%s; serving the last good copy of %s", exc, name)
            problems.append(f"{exc} (serving the last good copy of {name})")
            return load(path, saved)
        if data is not None:
            good[name] = data.decode("utf-8-sig")
            kept.put(name, data, value)
        return value

    # The same files, under the same names, as the SQLite read path checks (bot/cli/quick.py).
    people, events, lexicon, prompts, opposites = curated_files(
        corpus, settings.prompts.file).items()
    curated = Curated(
        people=read(*people, load_people),
        events=read(*events, load_events),
        lexicon=read(*lexicon, load_lexicon),
        prompts=tuple(read(*prompts, load_curated_prompts)),
        opposites=read(*opposites, load_opposites),
    )
    if good:
        remember_curated(engine, good)
    kept.save()
    return curated
