"""`python -m bot run` / `sync`: open the store, build the bot, connect, shut down cleanly.

Expected failures (a bad token, Discord unreachable) end with one clear line on stderr and an
exit code, never a traceback: the host reading a systemd journal should see what to fix.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import os
import signal
import sys
import threading
from collections.abc import Awaitable, Callable, Iterator

import aiohttp
import discord
import discord.gateway
import discord.http
import yarl

from bot.config import TOKEN_ENV, Settings
from bot.discord_app.client import Bot, create_bot, sync_global
from bot.discord_app.replying import ReplyPolicy
from bot.services import Services, open_services

log = logging.getLogger(__name__)

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

#: Point discord.py at a local stand-in for Discord (tests, benchmarks). Loopback only, so
#: a stray setting can never send the token to another machine.
API_BASE_ENV = "READBOT_DISCORD_API_BASE"
GATEWAY_ENV = "READBOT_DISCORD_GATEWAY"
#: How long shutdown waits for the gateway task after ``bot.close()``.
CLOSE_TIMEOUT = 5.0


def run_bot(settings: Settings, token: str, *, policy: ReplyPolicy | None = None) -> int:
    """Serve until SIGINT/SIGTERM; close the bot, then the store. Returns an exit code.

    The client is driven with ``login`` + ``connect`` rather than ``Client.run``: ``run``
    installs its own log handler (we pass nothing, so the CLI's logging config stands, the
    same as ``log_handler=None``) and handles only Ctrl-C, not the SIGTERM systemd sends.
    """
    if not apply_endpoint_overrides():
        return EXIT_USAGE
    services = open_services(settings, progress=log.info)
    services.warm_in_background()  # /quote's index, while the bot connects
    try:
        return asyncio.run(_serve(settings, services, token, policy))
    except KeyboardInterrupt:  # no signal handlers outside the main thread / on Windows
        return EXIT_OK
    finally:
        services.close()
        log.info("stopped")


def run_sync(settings: Settings, token: str) -> int:
    """Register the commands globally (for `python -m bot sync`). Returns an exit code."""
    if not apply_endpoint_overrides():
        return EXIT_USAGE
    services = open_services(settings, auto_ingest=False)
    try:
        return asyncio.run(_sync(settings, services, token))
    finally:
        services.close()


async def _serve(settings: Settings, services: Services, token: str,
                 policy: ReplyPolicy | None) -> int:
    bot = create_bot(settings, services.answers, policy, prompts=services.prompts)
    stop = asyncio.Event()
    with _stop_on_signals(stop.set):
        failure = await _login(bot, token)
        if failure is not None:
            return failure
        connection = asyncio.create_task(bot.connect(), name="discord-gateway")
        stopping = asyncio.create_task(stop.wait(), name="wait-for-signal")
        await asyncio.wait({connection, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        log.info("shutting down" if stop.is_set() else "the Discord connection ended")
        await bot.close()
        with contextlib.suppress(asyncio.CancelledError, TimeoutError):
            await asyncio.wait_for(asyncio.shield(connection), CLOSE_TIMEOUT)
    return _connection_outcome(connection)


async def _sync(settings: Settings, services: Services, token: str) -> int:
    bot = create_bot(settings, services.answers, prompts=services.prompts)
    try:
        failure = await _login(bot, token)  # setup_hook adds the cogs
        if failure is not None:
            return failure
        names = await _guarded(sync_global(bot))
        if names is None:
            return EXIT_FAILED
        print(f"Registered {len(names)} commands for every server: {', '.join(names)}. "
              "Discord can take up to an hour to show changes.")
        return EXIT_OK
    finally:
        await bot.close()


async def _login(bot: Bot, token: str) -> int | None:
    """None when logged in; else an exit code after printing what went wrong."""
    try:
        await bot.login(token)
    except discord.LoginFailure:
        print(f"Discord refused the token in {TOKEN_ENV}. Copy it again from the Developer "
              "Portal (your application > Bot > Reset Token).", file=sys.stderr)
        await bot.close()
        return EXIT_USAGE
    except (discord.HTTPException, aiohttp.ClientError, OSError) as error:
        print(f"Could not reach Discord to log in: {error}", file=sys.stderr)
        await bot.close()
        return EXIT_FAILED
    return None


async def _guarded(work: Awaitable[list[str]]) -> list[str] | None:
    try:
        return await work
    except (discord.HTTPException, aiohttp.ClientError, OSError) as error:
        print(f"Discord refused the command registration: {error}", file=sys.stderr)
        return None


def _connection_outcome(connection: asyncio.Task[None]) -> int:
    if not connection.done() or connection.cancelled() or connection.exception() is None:
        return EXIT_OK
    error = connection.exception()
    if isinstance(error, discord.PrivilegedIntentsRequired):
        print("Discord refused an intent this bot did not ask for; please report this.",
              file=sys.stderr)
    elif isinstance(error, discord.ConnectionClosed | discord.GatewayNotFound | OSError):
        print(f"Lost the connection to Discord: {error}", file=sys.stderr)
    else:
        log.error("the Discord connection failed", exc_info=error)
    return EXIT_FAILED


@contextlib.contextmanager
def _stop_on_signals(stop: Callable[[], None]) -> Iterator[None]:
    """SIGINT (Ctrl-C) and SIGTERM (systemd, docker) both mean: close cleanly.

    Signal handlers can only be installed from the main thread (and not on Windows); there
    Ctrl-C still arrives as KeyboardInterrupt, which ``run_bot`` handles.
    """
    loop = asyncio.get_running_loop()
    installed: list[signal.Signals] = []
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(signum, stop)
                installed.append(signum)
    try:
        yield
    finally:
        for signum in installed:
            loop.remove_signal_handler(signum)


def apply_endpoint_overrides() -> bool:
    """Talk to a stand-in on this machine instead of Discord when the variables say so.

    False (after printing why) when a variable points anywhere but this machine.
    """
    api, gateway = os.environ.get(API_BASE_ENV, ""), os.environ.get(GATEWAY_ENV, "")
    if not api and not gateway:
        return True
    for url in filter(None, (api, gateway)):
        if not _is_loopback(url):
            print(f"{API_BASE_ENV} and {GATEWAY_ENV} may only point at this machine "
                  f"(127.0.0.1, ::1 or localhost), not {url!r}", file=sys.stderr)
            return False
    if api:
        discord.http.Route.BASE = api.rstrip("/")
    if gateway:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway)
    log.warning("not connecting to Discord: API %s, gateway %s", discord.http.Route.BASE,
                discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)
    return True


def _is_loopback(url: str) -> bool:
    host = yarl.URL(url).host or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
