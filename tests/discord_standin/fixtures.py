"""pytest fixtures: ``discord_standin`` serves a local Discord and points discord.py at it.

Register with ``pytest_plugins = ["tests.discord_standin.fixtures"]`` in ``tests/conftest.py``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import discord.gateway
import discord.http
import pytest
import pytest_asyncio

from .server import DiscordStandin


def point_discord_at(standin: DiscordStandin, monkeypatch: pytest.MonkeyPatch) -> None:
    """Redirect discord.py's REST base and gateway URL to the stand-in (undone by monkeypatch).

    These two class attributes are the only places discord.py builds Discord URLs from
    (webhooks and interaction callbacks use ``Route`` too); a plain ``Client`` never asks
    ``GET /gateway/bot``.
    """
    monkeypatch.setattr(discord.http.Route, "BASE", standin.api_base)
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", standin.gateway_url)


@pytest_asyncio.fixture(loop_scope="function")
async def discord_standin(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[DiscordStandin]:
    """A started stand-in with discord.py pointed at it; stops leftover bots on teardown."""
    standin = DiscordStandin()
    await standin.start()
    point_discord_at(standin, monkeypatch)
    try:
        yield standin
    finally:
        await standin.stop()
