"""What answers keep between two ingests: person cards, event answers, /quote's index, the
prompt pool. The one place that asks the store whether it changed.

A person card or /quote's vocabulary never changes between two ingests, while building one at
100x the corpus means reading tens of thousands of rows; cached, a repeat costs a dictionary
lookup. The store's ``stamp()`` (the one notion of "the index changed") is asked at most every
``recheck_after`` seconds, and everything is forgotten when it moves.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from bot.store.reads import ReadStore

RECHECK_AFTER = 2.0
MAX_ENTRIES = 2048
T = TypeVar("T")


class AnswerCache:
    """Thread-safe: answers run in worker threads, and a value is built once even when two
    threads ask for it at the same moment."""

    def __init__(self, recheck_after: float = RECHECK_AFTER) -> None:
        self._lock = threading.Lock()
        self._building = threading.RLock()  # a build may ask for another entry
        self._entries: dict[Hashable, Any] = {}
        self._stamp: str | None = None
        self._checked_at = -math.inf
        self._recheck_after = recheck_after

    def get(self, store: ReadStore, key: Hashable, build: Callable[[], T]) -> T:
        """The value built for ``key`` since the last ingest (an Answer, or what answers
        read, such as the sentence vocabulary)."""
        self._forget_if_reingested(store)
        found = self._entries.get(key)
        if found is None:
            with self._building:
                found = self._entries.get(key)  # another thread may have built it meanwhile
                if found is None:
                    found = build()
                    with self._lock:
                        if len(self._entries) >= MAX_ENTRIES:
                            self._entries.clear()
                        self._entries[key] = found
        return found

    def recheck(self) -> None:
        """Ask the store at the next use (a caller saw a row that is no longer there)."""
        self._checked_at = -math.inf

    def _forget_if_reingested(self, store: ReadStore) -> None:
        if time.monotonic() - self._checked_at < self._recheck_after:
            return
        stamp = store.stamp()
        with self._lock:
            if stamp != self._stamp:
                self._entries.clear()
                self._stamp = stamp
            self._checked_at = time.monotonic()
