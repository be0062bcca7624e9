"""Shared by the prompt tests: a fake clock and prompt contexts over an ingested store.

(Named test_* so it sits with the prompt tests; it holds no tests itself.)
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.answers.core.context import AnswerContext
from bot.answers.prompts.context import PromptContext
from bot.answers.prompts.pool import PoolCache
from bot.config import PromptSettings
from bot.corpus.people import load_people
from bot.corpus.prompts import load_curated_prompts
from bot.store.database import create_engine_for, migrate, migrate_state
from bot.store.ingest import people_file
from bot.store.prompt_store import PromptRepository
from bot.store.reads import ReadStore
from bot.store.search import search_backend_for
from tests.answer_helpers import store_copy
from tests.corpus_helpers import REPO, TEXTS

PROMPTS_FILE = REPO / "corpus" / "prompts.yaml"
CURATED = tuple(load_curated_prompts(PROMPTS_FILE))
PEOPLE = load_people(people_file(TEXTS))  # parsed once: every context shares it


class FakeClock:
    """``now()`` is whatever the test says it is."""

    def __init__(self, now: datetime) -> None:
        self.current = now

    def now(self) -> datetime:
        return self.current

    def set(self, *args: int, **kwargs: int) -> datetime:
        self.current = datetime(*args, tzinfo=UTC, **kwargs)
        return self.current

    def advance(self, **kwargs: float) -> datetime:
        self.current += timedelta(**kwargs)
        return self.current


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


Store = Path | str  # an SQLite file, or a database URL (a PostgreSQL test database)
_SHARED: dict[str, Store] = {}


def shared_store(tmp_path_factory: pytest.TempPathFactory, backend: str = "sqlite") -> Store:
    """The real corpus ingested once per test session (and backend), shared by the prompt test
    modules.

    Tests stay independent because each uses servers of its own (fresh guild ids), and the
    scheduler only ever looks at the servers it is asked about.
    """
    if backend not in _SHARED:
        path = tmp_path_factory.getbasetemp() / "prompt-store.sqlite3"
        _SHARED[backend] = store_copy(path, backend) if backend == "postgres" else path
        if backend == "sqlite":
            store_copy(path)
    return _SHARED[backend]


NEW_ESSAY = (
    "---\ntitle: A new essay\nslug: new-essay\nauthor: A. Reader\npublication: Test\n"
    "published: 2024-01\nkind: essay\n---\n\nIn 1927 the Opposition was defeated. Trotsky "
    "wrote: “The bureaucracy conquered the party not with ideas and arguments but with its own "
    "social weight, and nothing could stop it then.” Few listened.\n")


def tiny_corpus(folder: Path) -> Path:
    """A corpus folder with one short text (and the real people.yaml); returns its texts."""
    texts = folder / "corpus" / "texts"
    texts.mkdir(parents=True)
    (folder / "corpus" / "people.yaml").write_bytes((REPO / "corpus/people.yaml").read_bytes())
    (texts / "new-essay.md").write_text(NEW_ESSAY, encoding="utf-8")
    return texts


_POOLS: dict[Store, PoolCache] = {}


def prompt_context(db_path: Store, clock: FakeClock, *, state: Path | None = None,
                   **settings: object) -> PromptContext:
    """A fresh engine on ``db_path`` (a file or a URL): what one bot process (or one restart)
    would open.

    The corpus part of the pool is shared per file (it depends only on the ingested texts and
    is rebuilt after a re-ingest anyway), which saves rebuilding it for every test.
    """
    engine = create_engine_for(db_path if isinstance(db_path, str) else f"sqlite:///{db_path}")
    migrate(engine)
    # Server state in the same test store, or (``state``) in a file of its own, as the bot has.
    state_engine = create_engine_for(f"sqlite:///{state}") if state else engine
    migrate_state(state_engine)
    answers = AnswerContext(store=ReadStore.over(engine, state_engine),
                            search=search_backend_for(engine), people=PEOPLE)
    options = {"retry_delays_seconds": [60, 300], **settings}
    return PromptContext(answers=answers, store=PromptRepository(state_engine),
                         settings=PromptSettings.model_validate(options), curated=CURATED,
                         clock=clock, cache=_POOLS.setdefault(db_path, PoolCache()))
