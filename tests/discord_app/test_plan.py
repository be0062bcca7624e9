"""The reading plan and spoiler control end to end: the real bot through discord.py against
the local Discord stand-in, the clock in the test's hands (as in test_prompts.py).

A moderator sets a plan over "We know our duty", one section a week from Monday 8 January;
on Monday 15 January (week two, "1905 and the theory of permanent revolution") the daily
prompt is that section's, and with spoiler control on a search whose best passage is in the
Zimmerwald section (week four) is withheld and counted.
"""

from __future__ import annotations

from typing import Any

from tests.discord_app.test_prompts import (  # noqa: F401  (fixtures)
    clock,
    make_bot,
    posts,
    schedule,
    settle,
    store,
)
from tests.discord_standin import DiscordStandin, InteractionRecord, running_bot
from tests.prompt_helpers import FakeClock

PERMANENT = "1905 and the theory of permanent revolution"
ZIMMERWALD = "The Zimmerwald manifesto"


async def plan(standin: DiscordStandin, subcommand: str, options: dict[str, Any] | None = None,
               **kwargs: Any) -> InteractionRecord:
    kwargs.setdefault("user", standin.moderator)
    record = await standin.send_slash_command("plan", options, subcommand=subcommand, **kwargs)
    return await standin.wait_for_response(record)


def fields(record: InteractionRecord) -> dict[str, str]:
    (embed,) = record.embeds
    return {f["name"]: f["value"] for f in embed.get("fields", [])}


async def test_plan_prompt_and_spoiler_control_end_to_end(
        make_bot, discord_standin: DiscordStandin, clock: FakeClock) -> None:  # noqa: F811
    reader, moderator = discord_standin.reader, discord_standin.moderator
    clock.set(2024, 1, 8, 8, 0)  # Monday 8 January, before the first post
    async with running_bot(make_bot(), discord_standin) as bot:
        sync = await discord_standin.wait_for_command_sync()
        group = next(c for c in sync.commands if c["name"] == "plan")
        assert {o["name"] for o in group["options"]} == {"show", "set", "advance", "pause",
                                                          "resume"}
        # Section names autocomplete from the chosen text, for moderators only.
        box = await discord_standin.wait_for_response(await discord_standin.send_autocomplete(
            "plan", {"text": "life-of-leon-trotsky", "until": "zimmer"}, subcommand="set",
            user=moderator))
        assert box.choices[0] == {"name": f"4. {ZIMMERWALD}", "value": ZIMMERWALD}
        empty = await discord_standin.wait_for_response(await discord_standin.send_autocomplete(
            "plan", {"text": "life-of-leon-trotsky", "until": "zimmer"}, subcommand="set",
            user=reader))
        assert empty.choices == []

        # A member may not set the plan, and is told what is missing.
        options = {"text": "life-of-leon-trotsky", "per_week": 1, "start": "2024-01-08"}
        refused = await plan(discord_standin, "set", options, user=reader)
        assert refused.ephemeral
        assert "You need the Manage Server permission" in (refused.content or "")
        assert (await plan(discord_standin, "show", user=reader)).content.startswith(
            "**No reading plan yet**")

        # The moderator sets it; the daily prompt is scheduled in London.
        done = await plan(discord_standin, "set", options)
        assert done.ephemeral and done.embeds[0]["title"] == "Reading plan set"
        await schedule(discord_standin)
        config = await discord_standin.wait_for_response(await discord_standin.send_slash_command(
            "config", {"spoilers": True}, user=moderator))
        assert "answers stop at the reading plan's current section" in config.embeds[0][
            "fields"][1]["value"]

        # Monday 15 January, 09:00: week two's prompt is about its section, and says so.
        clock.set(2024, 1, 15, 9, 0)
        await settle(bot)
        clock.set(2024, 1, 15, 9, 30)
        await settle(bot)
        (post,) = posts(discord_standin)
        (embed,) = post["embeds"]
        posted = {f["name"]: f["value"] for f in embed["fields"]}
        assert posted["Section"].startswith(f"“{PERMANENT}”")
        assert f"section “{PERMANENT}”" in posted["Source"]

        shown = await plan(discord_standin, "show", user=reader)
        assert not shown.ephemeral
        assert f"This week (week 2, from Monday 15 January 2024): **{PERMANENT}**" in \
            shown.embeds[0]["description"]
        assert fields(shown)["Next"].startswith("**1907-1916 — the years of reaction and war** "
                                                "from Monday 22 January 2024")

        # A search whose best passage is in the Zimmerwald section: withheld and counted.
        found = await discord_standin.wait_for_response(await discord_standin.send_slash_command(
            "search", {"words": "Zimmerwald manifesto"}, user=reader))
        text = (found.content or "") + " ".join(
            f["value"] for e in found.embeds for f in e.get("fields", []))
        assert "1 more in sections you haven't reached yet" in text
        assert ZIMMERWALD not in " ".join(f["name"] for e in found.embeds
                                          for f in e.get("fields", []))
        # The same through a plain question (/ask): nothing from past the plan.
        asked = await discord_standin.wait_for_response(await discord_standin.send_slash_command(
            "ask", {"question": "who wrote the Zimmerwald manifesto?"}, user=reader))
        said = (asked.content or "") + " ".join(
            (e.get("description") or "") + " ".join(f["value"] for f in e.get("fields", []))
            for e in asked.embeds)
        assert "he wrote the manifesto" not in said
        assert "more in sections you haven't reached yet" in said
        # And /compare: the life of Trotsky's line on it is past the plan, withheld.
        compared = await discord_standin.wait_for_response(
            await discord_standin.send_slash_command(
                "compare", {"topic": "Zimmerwald manifesto"}, user=reader))
        said = (compared.content or "") + " ".join(
            (e.get("description") or "") + " ".join(f["value"] for f in e.get("fields", []))
            for e in compared.embeds)
        assert "more in sections you haven't reached yet" in said

        # Two advances later the group is on the Zimmerwald section: it is answered.
        await plan(discord_standin, "advance")
        moved = await plan(discord_standin, "advance")
        assert fields(moved)["Done"] == f"Moved on to **{ZIMMERWALD}**."
        again = await discord_standin.wait_for_response(await discord_standin.send_slash_command(
            "search", {"words": "Zimmerwald manifesto"}, user=reader))
        assert ZIMMERWALD in again.embeds[0]["fields"][0]["name"]
        paused = await plan(discord_standin, "pause")
        assert "Paused at" in paused.embeds[0]["description"]
        assert (await plan(discord_standin, "pause", user=reader)).ephemeral
    discord_standin.assert_clean()
