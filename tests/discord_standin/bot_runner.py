"""Start and stop a real discord.py client against the stand-in, quickly and without leaks."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TypeVar

import discord

from .server import DiscordStandin

ClientT = TypeVar("ClientT", bound=discord.Client)

#: discord.py waits this long after the last GUILD_CREATE before on_ready (default 2 s).
FAST_GUILD_READY_TIMEOUT = 0.05


async def start_bot(
    bot: discord.Client,
    standin: DiscordStandin,
    token: str = "x",
    *,
    ready_timeout: float = 5.0,
    reconnect: bool = False,
) -> asyncio.Task[None]:
    """Log in (runs ``setup_hook``), connect in a task, and return once ``on_ready`` fired.

    ``guild_ready_timeout`` is a ``Client(...)`` keyword stored on the connection state; it is
    lowered here so a bot built by production code (which keeps the 2 s default) still starts
    in well under a second. ``reconnect=False`` makes a dropped gateway fail the test loudly
    instead of retrying with back-off sleeps.
    """
    state = bot._connection  # no public setter after construction
    state.guild_ready_timeout = min(state.guild_ready_timeout, FAST_GUILD_READY_TIMEOUT)
    try:
        await bot.login(token)
    except BaseException:
        await bot.close()  # closes the HTTP session login opened
        raise
    task = asyncio.create_task(bot.connect(reconnect=reconnect), name=f"discord-bot-{id(bot)}")
    standin.running_bots.append((bot, task))
    ready = asyncio.create_task(bot.wait_until_ready())
    done, _ = await asyncio.wait(
        {task, ready}, timeout=ready_timeout, return_when=asyncio.FIRST_COMPLETED
    )
    if ready in done:
        return task
    ready.cancel()
    await stop_bot(bot, task, standin)
    raise TimeoutError(f"bot not ready within {ready_timeout}s\n{standin.state.summary()}")


async def stop_bot(bot: discord.Client, task: asyncio.Task[None], standin: DiscordStandin) -> None:
    """Stop views (their timeout tasks), close the client, and re-raise a crash of its task."""
    if (bot, task) in standin.running_bots:
        standin.running_bots.remove((bot, task))
    _stop_views(bot)
    await bot.close()
    with contextlib.suppress(asyncio.CancelledError):
        await asyncio.wait_for(task, timeout=5.0)


def _stop_views(bot: discord.Client) -> None:
    """Stop every stored view so no View timeout task outlives the test's event loop."""
    store = getattr(bot._connection, "_view_store", None)
    if store is None:
        return
    views = {item.view for items in store._views.values() for item in items.values()}
    views |= set(store._synced_message_views.values())
    for view in views:
        if view is not None and not view.is_finished():
            view.stop()


@contextlib.asynccontextmanager
async def running_bot(
    bot: ClientT, standin: DiscordStandin, token: str = "x", *, ready_timeout: float = 5.0
) -> AsyncIterator[ClientT]:
    """``async with running_bot(bot, standin):`` - the bot is ready inside, closed after."""
    task = await start_bot(bot, standin, token, ready_timeout=ready_timeout)
    try:
        yield bot
    finally:
        await stop_bot(bot, task, standin)


async def start_run_process(standin: DiscordStandin, config: Path,
                            cwd: Path) -> asyncio.subprocess.Process:
    """``python -m bot --config CONFIG run`` as a host starts it, pointed at the stand-in by
    environment, once it has synced its commands and connected."""
    from bot.discord_app.main import API_BASE_ENV, GATEWAY_ENV

    env = {**os.environ, "DISCORD_TOKEN": "x", API_BASE_ENV: standin.api_base,
           GATEWAY_ENV: str(standin.gateway_url)}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "--config", str(config), "run", cwd=cwd, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        await standin.wait_for_command_sync(timeout=30)
        await standin.wait_until_connected(timeout=10)
    except BaseException:
        process.kill()
        await process.communicate()
        raise
    return process


async def stop_run_process(process: asyncio.subprocess.Process) -> str:
    """SIGTERM, as a host's service manager stops it; killed if it does not exit in 10 s.
    Returns what it wrote to stderr (its log)."""
    err = b""
    if process.returncode is None:
        process.send_signal(signal.SIGTERM)
        try:
            _, err = await asyncio.wait_for(process.communicate(), timeout=10)
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
    return err.decode()

