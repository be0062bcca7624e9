"""The resources answers need, built once in main() and passed in (no globals)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from bot.store.search import SearchBackend


@dataclass(frozen=True, slots=True)
class AnswerContext:
    sessions: sessionmaker[Session]
    search: SearchBackend
    max_results: int = 10
