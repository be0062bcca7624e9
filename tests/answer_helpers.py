"""The answer tests' store: the real corpus, ingested once per test session.

Each caller gets its own copy of the ingested database file (a test may change it), opened
through ``open_services`` exactly as the CLI and the bot open theirs. With ``backend="postgres"``
the copy is a database made from the session's ingested template (``tests/postgres.py``).
"""

from __future__ import annotations

import atexit
import functools
import random
import shutil
import tempfile
from pathlib import Path

from bot.answers.conversation.router import ask
from bot.answers.core.context import AnswerContext
from bot.answers.core.model import Answer, AnswerKind
from bot.config import Settings
from bot.reload import warm_indexes
from bot.services import open_services
from bot.store.database import create_engine_for, migrate
from bot.store.ingest import ingest
from tests.corpus_helpers import TEXTS
from tests.postgres import corpus_database


@functools.cache
def _ingested_once() -> Path:
    """A database with the real corpus ingested, made at the first use in this session."""
    folder = Path(tempfile.mkdtemp(prefix="readbot-tests-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    database = folder / "corpus.sqlite3"
    engine = create_engine_for(f"sqlite:///{database}")
    migrate(engine)
    ingest(engine, TEXTS)
    engine.dispose()  # closes the last connection, so the file is complete on its own
    return database


def store_copy(db_path: Path, backend: str = "sqlite") -> str:
    """The URL of a fresh copy of the ingested corpus: a file at ``db_path``, or a database
    named after it on the PostgreSQL test server."""
    if backend == "postgres":
        return corpus_database(db_path.stem)
    shutil.copyfile(_ingested_once(), db_path)
    return f"sqlite:///{db_path}"


def build_context(db_path: Path, seed: int = 1917, backend: str = "sqlite") -> AnswerContext:
    settings = Settings(corpus_dir=TEXTS.parent, database_url=store_copy(db_path, backend))
    services = open_services(settings, rng=random.Random(seed))
    return services.answers


def connected_bot_context(db_path: Path, seed: int = 1917) -> AnswerContext:
    """``build_context`` with its indexes warmed, as the running bot's are once it has
    connected: the first command of a test module is then as fast as a member's, and does
    not cross the defer threshold on a loaded CI machine."""
    answers = build_context(db_path, seed)
    warm_indexes(answers)
    return answers


def shown(answer: Answer) -> str:
    """Everything a reply shows below its headline: body, items and fields."""
    return "\n".join([answer.body, *(i.body for i in answer.items),
                      *(f.value for f in answer.fields)])


def answered(ctx: AnswerContext, question: str, headline: str, sentence: str) -> Answer:
    """Ask; the reply must be an answer whose headline holds ``headline`` and which shows the
    supporting ``sentence``."""
    answer = ask(ctx, question)
    assert answer.kind is AnswerKind.ANSWER, answer.title
    assert headline in answer.title
    assert sentence in shown(answer)
    return answer
