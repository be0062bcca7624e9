"""Interaction-to-response latency through the local Discord stand-in.

`python -m bench.discord_latency [--interactions N]`: the real bot (discord.py's gateway,
command tree and HTTP client) answers /sources, /search and /help pushed by the stand-in on
127.0.0.1 (tests/discord_standin); the clock runs from dispatching INTERACTION_CREATE to the
stand-in receiving the interaction's initial response. Both share one event loop, so the
figure is the bot's own handling plus two local hops, not Discord's network.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
from pathlib import Path

import discord.gateway
import discord.http

from bot.config import DiscordSettings, Settings
from bot.discord_app.client import create_bot
from tests.answer_helpers import build_context
from tests.discord_standin import DiscordStandin, running_bot

COMMANDS: list[tuple[str, dict[str, str]]] = [
    ("sources", {}),
    ("search", {"words": "bureaucracy"}),
    ("search", {"words": "permanent revolution"}),
    ("search", {"words": "Kronstadt sailors"}),
    ("help", {}),
]


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def measure(count: int) -> list[float]:
    standin = DiscordStandin()
    await standin.start()
    discord.http.Route.BASE = standin.api_base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = standin.gateway_url
    with tempfile.TemporaryDirectory() as folder:
        context = build_context(Path(folder) / "bench.sqlite3")
        settings = Settings().model_copy(update={"discord": DiscordSettings(
            dev_guild_ids=[standin.guild.id], command_cooldown_seconds=0)})
        bot = create_bot(settings, context)
        loop = asyncio.get_running_loop()
        samples: list[float] = []
        try:
            async with running_bot(bot, standin):
                await standin.wait_for_command_sync()
                for number in range(count):
                    name, options = COMMANDS[number % len(COMMANDS)]
                    started = loop.time()
                    record = await standin.send_slash_command(name, options=options)
                    await standin.wait_for_response(record)
                    samples.append((loop.time() - started) * 1000)
        finally:
            await standin.stop()
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interactions", type=int, default=300)
    args = parser.parse_args()
    samples = asyncio.run(measure(args.interactions))
    warm = samples[len(COMMANDS):]  # the first round pays for imports and caches
    print(f"interactions: {len(warm)} (after {len(COMMANDS)} warm-up), commands cycled: "
          + ", ".join(f"/{name}" for name, _ in COMMANDS))
    print(f"p50 {_percentile(warm, 0.5):.2f} ms   p99 {_percentile(warm, 0.99):.2f} ms   "
          f"mean {statistics.fmean(warm):.2f} ms   max {max(warm):.2f} ms   (target p99 < 50 ms)")


if __name__ == "__main__":
    main()
