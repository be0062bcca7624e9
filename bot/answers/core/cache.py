"""What answers keep between two ingests: person cards, event answers, /quote's index, the
prompt pool. The one place that asks the store whether it changed.

A person card or /quote's vocabulary never changes between two ingests, while building one at
100x the corpus means reading tens of thousands of rows; cached, a repeat costs a dictionary
lookup. The store's ``stamp()`` (the one notion of "the index changed") is asked at most every
``recheck_after`` seconds, and everything is forgotten when it moves.

The cache is shared by every member, so no member may flush it. Its entries are of two kinds:

- keyed by something the corpus names (a person, a curated event, the sentence vocabulary):
  there are only as many as the corpus has, so they are kept until the next ingest, and no
  number of queries can push one out;
- keyed by what someone typed (a year range, an uncurated "when did ..."): unbounded, so held
  in a least-*frequently*-used cache of ``typed_max`` entries. A new key evicts the entry
  asked least often, which during a flood of distinct queries is the flood's own previous
  one: what other members ask again and again stays, however many one-off queries arrive.

A third kind, the big in-memory indexes (/quote's catalog and meaning index, the question
vocabulary), is asked through ``index``: when the store has changed, one caller rebuilds it
while every other caller keeps the previous one instead of waiting, so a reload never stalls
answering (bot/reload.py rebuilds them ahead, in its worker thread).

Why frequency rather than a per-member quota: the answer layer does not know who asks (the
CLI, commands and mentions share it, by design), and a quota is beaten by a second account,
while what others rely on is by definition what is asked repeatedly, whoever floods.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Hashable, MutableMapping
from typing import Any, Protocol, TypeVar

from cachetools import LFUCache


class Stamped(Protocol):
    """A store that says when the index changed: ``ReadStore``, or the SQLite read path's
    ``SqliteReads`` (bot/store/sqlite_reads.py)."""

    def stamp(self) -> str: ...


RECHECK_AFTER = 2.0
#: Entries keyed by typed text (see the module docstring); the corpus's own are not counted.
TYPED_MAX = 2048
T = TypeVar("T")
_MISSING = object()


class AnswerCache:
    """Thread-safe: answers run in worker threads, and a value is built once even when two
    threads ask for it at the same moment."""

    def __init__(self, recheck_after: float = RECHECK_AFTER, *,
                 typed_max: int = TYPED_MAX) -> None:
        self._lock = threading.Lock()  # guards both tiers (an LFU lookup counts the use)
        self._building = threading.RLock()  # a build may ask for another entry
        self._named: dict[Hashable, Any] = {}  # keys the corpus names: bounded by the corpus
        self._typed: LFUCache[Hashable, Any] = LFUCache(typed_max)
        self._stamp: str | None = None
        self._checked_at = -math.inf
        self._recheck_after = recheck_after
        #: Keys asked through ``index``, and their values of before the last ingest, served
        #: while the new ones are built (see ``index``).
        self._index_keys: set[Hashable] = set()
        self._previous: dict[Hashable, Any] = {}
        self._rebuilding: set[Hashable] = set()
        self._generation = 0  # moves with the stamp: a build of an older one is not kept

    def get(self, store: Stamped, key: Hashable, build: Callable[[], T], *,
            typed: bool = False) -> T:
        """The value built for ``key`` since the last ingest (an Answer, or what answers
        read, such as the sentence vocabulary). ``typed``: the key is made from what someone
        typed rather than named by the corpus (see the module docstring)."""
        self._forget_if_reingested(store)
        tier: MutableMapping[Hashable, Any] = self._typed if typed else self._named
        with self._lock:
            found = tier.get(key, _MISSING)
        if found is _MISSING:
            with self._building:
                with self._lock:  # another thread may have built it meanwhile
                    found = tier.get(key, _MISSING)
                if found is _MISSING:
                    found = build()
                    with self._lock:
                        tier[key] = found
        return found

    def index(self, store: Stamped, key: Hashable, build: Callable[[], T]) -> T:
        """``get`` for a big in-memory index: after an ingest, the first caller rebuilds it
        and every other caller meanwhile gets the index of before the ingest (still a
        consistent snapshot, only older), rather than waiting for the build. The very first
        build has nothing older to serve, so callers wait for it as ``get`` makes them."""
        self._forget_if_reingested(store)
        with self._lock:
            self._index_keys.add(key)
            found = self._named.get(key, _MISSING)
            if found is not _MISSING:
                return found
            previous = self._previous.get(key, _MISSING)
            if previous is not _MISSING and key in self._rebuilding:
                return previous
            if previous is _MISSING:
                waits = True
            else:
                waits = False
                self._rebuilding.add(key)
                generation = self._generation
        if waits:
            return self.get(store, key, build)
        try:
            value = build()
        finally:
            with self._lock:
                self._rebuilding.discard(key)
        with self._lock:
            if generation == self._generation:
                self._named[key] = value
                self._previous.pop(key, None)
        return value

    def recheck(self) -> None:
        """Ask the store at the next use (a caller saw a row that is no longer there)."""
        self._checked_at = -math.inf

    def _forget_if_reingested(self, store: Stamped) -> None:
        if time.monotonic() - self._checked_at < self._recheck_after:
            return
        stamp = store.stamp()
        with self._lock:
            if stamp != self._stamp:
                # Indexes not rebuilt since an earlier ingest keep their older value to serve.
                self._previous.update({key: self._named[key] for key in self._index_keys
                                       if key in self._named})
                self._named.clear()
                self._typed.clear()
                self._stamp = stamp
                self._generation += 1
            self._checked_at = time.monotonic()
