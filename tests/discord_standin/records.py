"""What the stand-in remembers, so tests can assert on what the bot actually sent."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")
JSON = dict[str, Any]

# Interaction types (https://discord.com/developers/docs/interactions/receiving-and-responding).
APPLICATION_COMMAND = 2
MESSAGE_COMPONENT = 3
AUTOCOMPLETE = 4
MODAL_SUBMIT = 5

# Interaction callback types.
CHANNEL_MESSAGE = 4
DEFERRED_CHANNEL_MESSAGE = 5
DEFERRED_UPDATE_MESSAGE = 6
UPDATE_MESSAGE = 7
AUTOCOMPLETE_RESULT = 8
MODAL = 9


@dataclass
class RecordedCall:
    """One REST request the bot made, with the stand-in's answer status."""

    method: str
    path: str
    query: dict[str, str]
    json: Any
    time: float
    status: int = 0


@dataclass
class Violation:
    """A request real Discord (or the project's no-ping policy) would have rejected."""

    kind: str
    message: str
    method: str
    path: str
    status: int
    code: int


@dataclass
class CallbackAttempt:
    """One ``POST /interactions/{id}/{token}/callback``, accepted or not."""

    body: JSON
    status: int
    code: int | None
    time: float

    @property
    def accepted(self) -> bool:
        """True when the stand-in answered 2xx."""
        return self.status < 300


@dataclass
class InteractionRecord:
    """Everything the bot did in answer to one interaction the test dispatched.

    ``response`` is the accepted initial callback body (``{"type": 4, "data": {...}}``);
    ``message`` is the current state of the original response message (after edits);
    ``followups`` are the messages created through the followup webhook.
    """

    id: int
    token: str
    type: int
    payload: JSON
    channel_id: int
    guild_id: int | None
    dispatched_at: float
    attempts: list[CallbackAttempt] = field(default_factory=list)
    response: JSON | None = None
    message: JSON | None = None
    followups: list[JSON] = field(default_factory=list)
    edits: list[JSON] = field(default_factory=list)
    deleted_original: bool = False

    @property
    def acknowledged(self) -> bool:
        """Discord counts an interaction as answered once one initial response was accepted."""
        return self.response is not None

    @property
    def response_type(self) -> int | None:
        """Accepted callback type: 4 message, 5 defer, 6 deferred update, 7 update, 8 choices."""
        return None if self.response is None else int(self.response["type"])

    @property
    def response_data(self) -> JSON:
        """The ``data`` of the accepted initial response (empty for a bare defer)."""
        return dict((self.response or {}).get("data") or {})

    @property
    def choices(self) -> list[JSON]:
        """Autocomplete choices the bot returned (empty if none accepted)."""
        return list(self.response_data.get("choices") or [])

    @property
    def rejected(self) -> list[CallbackAttempt]:
        """Initial-response attempts the stand-in refused (status >= 400)."""
        return [a for a in self.attempts if not a.accepted]

    @property
    def embeds(self) -> list[JSON]:
        """Embeds of the original response message as it stands now."""
        return list((self.message or {}).get("embeds") or [])

    @property
    def content(self) -> str:
        """Content of the original response message as it stands now."""
        return str((self.message or {}).get("content") or "")

    @property
    def ephemeral(self) -> bool:
        """Whether the original response is only visible to the invoking user."""
        return bool(int((self.message or {}).get("flags") or 0) & (1 << 6))


class ChangeSignal:
    """Wakes waiters whenever the stand-in records something, so tests await instead of sleeping."""

    def __init__(self) -> None:
        self._waiters: set[asyncio.Future[None]] = set()

    def notify(self) -> None:
        """Wake every waiter so it re-checks its condition."""
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_result(None)
        self._waiters.clear()

    async def wait_until(self, probe: Callable[[], T | None], timeout: float, describe: str) -> T:
        """Return ``probe()`` as soon as it is not None; raise TimeoutError naming ``describe``."""
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                while True:
                    result = probe()
                    if result is not None:
                        return result
                    waiter: asyncio.Future[None] = loop.create_future()
                    self._waiters.add(waiter)
                    try:
                        await waiter
                    finally:
                        self._waiters.discard(waiter)
        except TimeoutError:
            raise TimeoutError(f"timed out after {timeout}s waiting for {describe}") from None
