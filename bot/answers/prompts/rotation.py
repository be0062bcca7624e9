"""Which prompt a server gets next: no repeats until the pool is used up, topics taking turns.

Pure: the pool and the server's history go in, a choice comes out, so the rules are tested
without a database or a clock.

- A *cycle* is one pass through the pool. Every post records its cycle; a prompt used in the
  current cycle is not used again until every prompt has been, then the next cycle starts (and
  its first prompt is never the one just posted).
- Prompts a server's moderators added come first, oldest first: adding one is how a moderator
  says "this one next".
- Otherwise topics rotate: the primary tag used longest ago (or never) goes next, so a run of
  bureaucracy questions does not crowd out Kronstadt. Ties, and the prompt within a tag, are
  broken by a hash seeded with the server id: stable, and different from server to server.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from bot.answers.prompts.pool import PoolEntry


@dataclass(frozen=True, slots=True)
class Used:
    """A day that used a prompt (newest first in a history)."""

    key: str
    cycle: int
    tags: tuple[str, ...] = ()

    @property
    def primary_tag(self) -> str:
        return (self.tags[0] if self.tags else "").lower()


@dataclass(frozen=True, slots=True)
class Pick:
    entry: PoolEntry
    cycle: int
    left_after: int  # prompts still unused in this cycle once this one is posted


def _rank(seed: int, value: str) -> int:
    return int.from_bytes(hashlib.sha256(f"{seed}:{value}".encode()).digest()[:8], "big")


def current_cycle(history: Sequence[Used]) -> int:
    return max((used.cycle for used in history), default=0)


def unused(pool: Sequence[PoolEntry], history: Sequence[Used]) -> list[PoolEntry]:
    """The prompts not yet used in the current cycle."""
    cycle = current_cycle(history)
    used = {u.key for u in history if u.cycle == cycle}
    return [entry for entry in pool if entry.key not in used]


def choose(pool: Sequence[PoolEntry], history: Sequence[Used], seed: int) -> Pick | None:
    """The next prompt for a server, or None for an empty pool."""
    if not pool:
        return None
    cycle = current_cycle(history)
    candidates = unused(pool, history)
    if not candidates:  # the pool is used up: start again, but not with yesterday's prompt
        cycle += 1
        latest = history[0].key if history else None
        candidates = [e for e in pool if e.key != latest] or list(pool)
    entry = _next_moderator(candidates) or _next_by_tag(candidates, history, seed)
    return Pick(entry, cycle, len(candidates) - 1)


def _next_moderator(candidates: Sequence[PoolEntry]) -> PoolEntry | None:
    added = [e for e in candidates if e.origin == "moderator"]
    return min(added, key=lambda e: int(e.key.split(":", 1)[1])) if added else None


def _next_by_tag(candidates: Sequence[PoolEntry], history: Sequence[Used], seed: int
                 ) -> PoolEntry:
    last_seen: dict[str, int] = {}  # tag -> how many posts ago it was last used (0 = newest)
    for position, used in enumerate(history):
        last_seen.setdefault(used.primary_tag, position)
    by_tag: dict[str, list[PoolEntry]] = {}
    for entry in candidates:
        by_tag.setdefault(entry.primary_tag, []).append(entry)
    never = len(history) + 1
    tag = max(by_tag, key=lambda t: (last_seen.get(t, never), _rank(seed, t)))
    return min(by_tag[tag], key=lambda e: _rank(seed, e.key))
