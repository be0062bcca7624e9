"""Which quotations each channel saw lately, so a random quotation does not come back at once.

In memory only: after a restart a repeat is harmless, and a table for it would cost a write
per random quotation. Channels are plain strings ("cli", a Discord channel id), and only the
most recently active channels are kept, so the memory stays bounded however many servers use
the bot.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, deque
from collections.abc import Iterable

RECENT_PER_CHANNEL = 20
MAX_CHANNELS = 10_000


class RecentQuotes:
    def __init__(self, per_channel: int = RECENT_PER_CHANNEL,
                 max_channels: int = MAX_CHANNELS) -> None:
        self._per_channel = per_channel
        self._max_channels = max_channels
        self._seen: OrderedDict[str, deque[int]] = OrderedDict()
        self._lock = threading.Lock()  # answers run in worker threads

    def seen(self, channel: str) -> frozenset[int]:
        with self._lock:
            return frozenset(self._seen.get(channel, ()))

    def remember(self, channel: str, quotation_id: int) -> None:
        with self._lock:
            history = self._seen.pop(channel, None) or deque(maxlen=self._per_channel)
            history.append(quotation_id)
            self._seen[channel] = history  # most recently active last
            while len(self._seen) > self._max_channels:
                self._seen.popitem(last=False)

    def oldest_first(self, channel: str, among: Iterable[int]) -> list[int]:
        """``among`` ordered from the longest ago seen (never seen first)."""
        with self._lock:
            order = {qid: n for n, qid in enumerate(self._seen.get(channel, ()))}
        return sorted(among, key=lambda qid: order.get(qid, -1))
