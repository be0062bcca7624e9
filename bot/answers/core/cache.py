"""Answers that depend only on the corpus, kept until the next ingest.

A person card or an event's statements never change between two ingests, while building
one at 100x the corpus means counting tens of thousands of mentions; cached, a repeat costs
a dictionary lookup. The store is asked whether it was re-ingested at most every few
seconds, as /quote's catalogue does.
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
    def __init__(self, recheck_after: float = RECHECK_AFTER) -> None:
        self._lock = threading.Lock()
        self._entries: dict[Hashable, Any] = {}
        self._stamp: str | None = None
        self._checked_at = -math.inf
        self._recheck_after = recheck_after

    def get(self, store: ReadStore, key: Hashable,
            build: Callable[[], T]) -> T:
        """The value built for ``key`` since the last ingest (an Answer, or what answers
        read, such as the sentence vocabulary)."""
        self._forget_if_reingested(store)
        found = self._entries.get(key)
        if found is None:
            found = build()
            with self._lock:
                if len(self._entries) >= MAX_ENTRIES:
                    self._entries.clear()
                self._entries[key] = found
        return found

    def _forget_if_reingested(self, store: ReadStore) -> None:
        if time.monotonic() - self._checked_at < self._recheck_after:
            return
        stamp = store.stamp()
        with self._lock:
            if stamp != self._stamp:
                self._entries.clear()
                self._stamp = stamp
            self._checked_at = time.monotonic()
