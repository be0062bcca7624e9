"""Self-check of the Discord stand-in: a small real discord.py bot, defined here, runs against it.

If these pass, the stand-in speaks enough Discord for discord.py's own gateway, command tree,
interaction responses, followups, views and channel sends, and it rejects what Discord rejects.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import discord
import pytest
import pytest_asyncio
from discord import app_commands
from discord.ext import commands

from tests.discord_standin import DiscordStandin, limits, running_bot

PEOPLE = ["Leon Trotsky", "Natalia Sedova", "Genrikh Yagoda", "Vladimir Lenin", "Joseph Stalin"]
LATE_DELAY = 0.4  # the late test shrinks the response window to 0.3 s


class CounterView(discord.ui.View):
    """One button that edits its own message: exercises component dispatch and UPDATE_MESSAGE."""

    def __init__(self) -> None:
        super().__init__(timeout=60)
        self.count = 0

    @discord.ui.button(label="+1", custom_id="counter:increment")
    async def increment(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        self.count += 1
        await interaction.response.edit_message(content=f"Clicked {self.count}", view=self)


class SelfCheckBot(commands.Bot):
    """Syncs its commands at startup, like the real bot will."""

    async def setup_hook(self) -> None:
        await self.tree.sync()

    async def on_command_error(
        self, context: commands.Context[commands.Bot], exception: commands.CommandError
    ) -> None:
        if not isinstance(exception, commands.CommandNotFound):  # mentions are questions
            await super().on_command_error(context, exception)


def make_bot() -> SelfCheckBot:
    """A bot with well-behaved commands and a few deliberately buggy ones."""
    bot = SelfCheckBot(
        command_prefix=commands.when_mentioned,
        intents=discord.Intents.default(),
        allowed_mentions=discord.AllowedMentions.none(),
        guild_ready_timeout=0.05,
    )
    _add_good_commands(bot)
    _add_buggy_commands(bot)
    _add_message_listener(bot)
    return bot


def _add_good_commands(bot: SelfCheckBot) -> None:
    tree = bot.tree

    @tree.command(name="ping", description="Answer with an embed")
    async def ping(interaction: discord.Interaction) -> None:
        embed = discord.Embed(title="Pong", description="The stand-in works.")
        await interaction.response.send_message(embed=embed)

    @tree.command(name="who", description="Look up a person")
    @app_commands.describe(name="Name or alias")
    async def who(interaction: discord.Interaction, name: str) -> None:
        await interaction.response.send_message(f"About {name}")

    @who.autocomplete("name")
    async def who_names(_: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        matches = [p for p in PEOPLE if current.lower() in p.lower()]
        return [app_commands.Choice(name=p, value=p) for p in matches][:25]

    @tree.command(name="slow", description="Defer, then follow up")
    async def slow(interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        await interaction.followup.send("Done thinking")

    @tree.command(name="counter", description="A button that counts")
    async def counter(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("Clicked 0", view=CounterView())

    @tree.command(name="announce", description="Post to a channel")
    async def announce(
        interaction: discord.Interaction, channel: discord.TextChannel, role: discord.Role | None
    ) -> None:
        await interaction.response.send_message("Posting", ephemeral=True)
        if role is None:
            await channel.send("Today's prompt")
        else:
            mentions = discord.AllowedMentions(roles=[role])
            await channel.send(f"{role.mention} Today's prompt", allowed_mentions=mentions)

    @tree.context_menu(name="Quote this")
    async def quote_this(interaction: discord.Interaction, message: discord.Message) -> None:
        await interaction.response.send_message(
            f"{message.author.id} in {message.channel.id} wrote: {message.content}",
            ephemeral=True,
        )

    prompt = app_commands.Group(name="prompt", description="Daily study prompts")

    @prompt.command(name="post", description="Post a prompt and open a thread")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def post(interaction: discord.Interaction, channel: discord.TextChannel) -> None:
        message = await channel.send("What did Trotsky mean by Soviet Thermidor?")
        await message.create_thread(name="Thermidor")
        await interaction.response.send_message("Posted", ephemeral=True)

    @post.error
    async def post_denied(
        interaction: discord.Interaction, _: app_commands.AppCommandError
    ) -> None:
        await interaction.response.send_message("Moderators only", ephemeral=True)

    tree.add_command(prompt)


def _add_buggy_commands(bot: SelfCheckBot) -> None:
    tree = bot.tree

    @tree.command(name="long", description="Too much content")
    async def long(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("x" * 2001)

    @tree.command(name="everyone", description="Pings everyone")
    async def everyone(interaction: discord.Interaction) -> None:
        mentions = discord.AllowedMentions(everyone=True)
        await interaction.response.send_message("@everyone read!", allowed_mentions=mentions)

    @tree.command(name="twice", description="Answers one interaction twice")
    async def twice(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("first")
        # A second handler with its own InteractionResponse, as when two listeners both answer;
        # discord.py's per-object guard cannot see it, Discord can.
        await discord.InteractionResponse(interaction).send_message("second")

    @tree.command(name="late", description="Answers after the response window")
    async def late(interaction: discord.Interaction) -> None:
        await asyncio.sleep(LATE_DELAY)  # the bug under test: slow work before responding
        await interaction.response.send_message("too late")

    @tree.command(name="many", description="Too many autocomplete choices")
    async def many(interaction: discord.Interaction, text: str) -> None:
        await interaction.response.send_message(text)

    @many.autocomplete("text")
    async def many_choices(_: discord.Interaction, __: str) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=f"c{i}", value=f"c{i}") for i in range(26)]


def _add_message_listener(bot: SelfCheckBot) -> None:
    @bot.listen("on_message")
    async def answer_mentions(message: discord.Message) -> None:
        if message.author.bot:
            return
        assert bot.user is not None
        if message.guild is None or bot.user in message.mentions:
            await message.reply(f"You asked: {message.content}")


@pytest_asyncio.fixture(loop_scope="function")
async def bot(discord_standin: DiscordStandin) -> AsyncIterator[SelfCheckBot]:
    async with running_bot(make_bot(), discord_standin) as running:
        yield running


# ---------------------------------------------------------------- startup


async def test_login_ready_guild_and_command_sync(
    bot: SelfCheckBot, discord_standin: DiscordStandin
) -> None:
    assert bot.is_ready()
    assert bot.user is not None and bot.user.id == discord_standin.bot_user.id
    guild = bot.get_guild(discord_standin.guild.id)
    assert guild is not None and guild.name == "Reading Circle"
    assert {c.name for c in guild.text_channels} == {"general", "study-prompts"}
    assert guild.me is not None
    sync = await discord_standin.wait_for_command_sync()
    assert sync.guild_id is None
    assert {"ping", "who", "slow", "counter", "announce"} <= {c["name"] for c in sync.commands}
    discord_standin.assert_clean()


async def test_bot_starts_fast(discord_standin: DiscordStandin) -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    async with running_bot(make_bot(), discord_standin):
        assert loop.time() - started < 1.0


# ---------------------------------------------------------------- happy paths


async def test_slash_command_round_trip(bot: SelfCheckBot, discord_standin: DiscordStandin) -> None:
    record = await discord_standin.send_slash_command("ping")
    await discord_standin.wait_for_response(record)
    assert record.response_type == 4
    assert record.embeds[0]["title"] == "Pong"
    assert record.response_data["allowed_mentions"] == {"parse": []}
    discord_standin.assert_clean()


async def test_autocomplete_returns_choices(
    bot: SelfCheckBot, discord_standin: DiscordStandin
) -> None:
    record = await discord_standin.send_autocomplete("who", {"name": "tro"})
    await discord_standin.wait_for_response(record)
    assert record.response_type == 8
    assert [c["name"] for c in record.choices] == ["Leon Trotsky"]
    discord_standin.assert_clean()


async def test_defer_then_followup(bot: SelfCheckBot, discord_standin: DiscordStandin) -> None:
    record = await discord_standin.send_slash_command("slow")
    await discord_standin.wait_for_followup(record)
    assert record.response_type == 5
    assert record.followups[0]["content"] == "Done thinking"
    assert record.content == "Done thinking"  # the first followup replaces "thinking..."
    discord_standin.assert_clean()


async def test_button_click_updates_message(
    bot: SelfCheckBot, discord_standin: DiscordStandin
) -> None:
    record = await discord_standin.send_slash_command("counter")
    await discord_standin.wait_for_response(record)
    assert record.message is not None
    click = await discord_standin.click_button(record.message, "counter:increment")
    await discord_standin.wait_for_response(click)
    assert click.response_type == 7
    assert record.content == "Clicked 1"
    second = await discord_standin.click_button(record.message, "counter:increment")
    await discord_standin.wait_for_response(second)
    assert record.content == "Clicked 2"
    discord_standin.assert_clean()


async def test_message_context_menu_gets_the_target_message(
    bot: SelfCheckBot, discord_standin: DiscordStandin
) -> None:
    sync = await discord_standin.wait_for_command_sync()
    (menu,) = [c for c in sync.commands if c["name"] == "Quote this"]
    assert menu["type"] == 3
    general = discord_standin.channel("general")
    # Without the message content intent the gateway event has no text, but Discord sends
    # the target of a message command in full.
    sent = await discord_standin.send_message_create("Life is beautiful.", channel_id=general.id)
    assert sent["content"] == ""
    record = await discord_standin.send_message_command("Quote this", sent)
    await discord_standin.wait_for_response(record)
    assert record.payload["data"]["target_id"] == sent["id"]
    assert record.content == (
        f"{discord_standin.reader.id} in {general.id} wrote: Life is beautiful."
    )
    assert record.ephemeral
    discord_standin.assert_clean()


async def test_channel_message_via_channel_option(
    bot: SelfCheckBot, discord_standin: DiscordStandin
) -> None:
    prompts = discord_standin.channel("study-prompts")
    record = await discord_standin.send_slash_command("announce", {"channel": prompts})
    post = await discord_standin.wait_for_channel_message(prompts.id)
    assert post["content"] == "Today's prompt"
    assert record.ephemeral
    discord_standin.assert_clean()


async def test_mention_and_dm_get_replies(
    bot: SelfCheckBot, discord_standin: DiscordStandin
) -> None:
    general = discord_standin.channel("general")
    sent = await discord_standin.send_message_create(
        f"{discord_standin.bot_user.mention} who was Yagoda?"
    )
    reply = await discord_standin.wait_for_channel_message(general.id)
    assert reply["content"].endswith("who was Yagoda?")
    assert reply["message_reference"]["message_id"] == sent["id"]
    await discord_standin.send_message_create("when was Kronstadt?", dm=True)
    dm_reply = await discord_standin.wait_for_channel_message(discord_standin.dm_channel_id())
    assert dm_reply["content"] == "You asked: when was Kronstadt?"
    discord_standin.assert_clean()


async def test_subcommand_permissions_and_thread(
    bot: SelfCheckBot, discord_standin: DiscordStandin
) -> None:
    prompts = discord_standin.channel("study-prompts")
    denied = await discord_standin.send_slash_command(
        "prompt", {"channel": prompts}, subcommand="post"
    )
    await discord_standin.wait_for_response(denied)
    assert denied.content == "Moderators only"
    allowed = await discord_standin.send_slash_command(
        "prompt", {"channel": prompts}, subcommand="post", user=discord_standin.moderator
    )
    await discord_standin.wait_for_response(allowed)
    (thread,) = discord_standin.threads
    assert thread["name"] == "Thermidor" and thread["parent_id"] == str(prompts.id)
    assert discord_standin.channel_messages[prompts.id][0]["id"] == thread["id"]
    discord_standin.assert_clean()


async def test_reconnect_resumes_session(
    bot: SelfCheckBot, discord_standin: DiscordStandin
) -> None:
    await discord_standin.request_reconnect()
    record = await discord_standin.send_slash_command("ping")
    await discord_standin.wait_for_response(record)
    assert record.acknowledged and len(discord_standin.state.identifies) == 1


async def test_guild_message_content_hidden_without_intent(
    bot: SelfCheckBot, discord_standin: DiscordStandin
) -> None:
    sent = await discord_standin.send_message_create("no mention here")
    assert sent["content"] == ""


# ---------------------------------------------------------------- what Discord rejects


async def test_content_over_2000_rejected(
    bot: SelfCheckBot, discord_standin: DiscordStandin
) -> None:
    record = await discord_standin.send_slash_command("long")
    await discord_standin.wait_for_response(record)
    assert record.rejected[0].status == 400 and record.rejected[0].code == 50035
    assert not record.acknowledged
    (violation,) = discord_standin.violations
    assert violation.kind == "invalid_form_body" and "data.content" in violation.message


async def test_ping_everyone_rejected(bot: SelfCheckBot, discord_standin: DiscordStandin) -> None:
    record = await discord_standin.send_slash_command("everyone")
    await discord_standin.wait_for_response(record)
    assert record.rejected[0].status == 400
    assert [v.kind for v in discord_standin.violations] == ["allowed_mentions"]


async def test_role_ping_needs_whitelist(
    bot: SelfCheckBot, discord_standin: DiscordStandin
) -> None:
    prompts = discord_standin.channel("study-prompts")
    readers = discord_standin.guild.role("Readers")
    options = {"channel": prompts, "role": readers}
    await discord_standin.send_slash_command("announce", options)
    await discord_standin.wait_for(lambda: discord_standin.violations or None)
    assert discord_standin.violations[0].kind == "allowed_mentions"
    discord_standin.violations.clear()
    discord_standin.allow_role_ping(prompts.id, readers.id)
    await discord_standin.send_slash_command("announce", options)
    post = await discord_standin.wait_for_channel_message(prompts.id)
    assert post["content"].startswith(readers.mention)
    discord_standin.assert_clean()


async def test_second_initial_response_rejected(
    bot: SelfCheckBot, discord_standin: DiscordStandin
) -> None:
    record = await discord_standin.send_slash_command("twice")
    await discord_standin.wait_for(lambda: record if len(record.attempts) == 2 else None)
    first, second = record.attempts
    assert first.accepted and (second.status, second.code) == (400, 40060)
    assert record.content == "first"


async def test_late_initial_response_rejected(
    bot: SelfCheckBot, discord_standin: DiscordStandin
) -> None:
    discord_standin.response_window = 0.3
    record = await discord_standin.send_slash_command("late")
    await discord_standin.wait_for_response(record)
    assert (record.rejected[0].status, record.rejected[0].code) == (404, 10062)
    assert [v.kind for v in discord_standin.violations] == ["late_response"]


async def test_too_many_autocomplete_choices_rejected(
    bot: SelfCheckBot, discord_standin: DiscordStandin
) -> None:
    record = await discord_standin.send_autocomplete("many", {"text": "c"})
    await discord_standin.wait_for_response(record)
    assert record.rejected and record.choices == []
    assert "data.choices" in discord_standin.violations[0].message


async def test_unknown_rest_call_recorded(
    bot: SelfCheckBot, discord_standin: DiscordStandin
) -> None:
    with pytest.raises(discord.NotFound):
        await bot.fetch_guild(discord_standin.guild.id)
    (call,) = discord_standin.unexpected_calls
    assert call.method == "GET" and call.path.endswith(f"/guilds/{discord_standin.guild.id}")


@pytest.mark.parametrize(
    ("body", "bad_path"),
    [
        ({"embeds": [{"title": "t" * 257}]}, "embeds.0.title"),
        ({"embeds": [{"description": "d" * 4097}]}, "embeds.0.description"),
        ({"embeds": [{"fields": [{"name": "n", "value": "v"}] * 26}]}, "embeds.0.fields"),
        ({"embeds": [{"fields": [{"name": "n", "value": "v" * 1025}]}]}, "embeds.0.fields.0.value"),
        ({"embeds": [{"footer": {"text": "f" * 2049}}]}, "embeds.0.footer.text"),
        ({"embeds": [{"author": {"name": "a" * 257}}]}, "embeds.0.author.name"),
        ({"embeds": [{"title": "t"}] * 11}, "embeds"),
        ({"embeds": [{"description": "d" * 4000}, {"description": "d" * 2001}]}, "embeds"),
    ],
)
def test_embed_limits(body: dict[str, object], bad_path: str) -> None:
    problems = limits.message_problems(body, creating=True)
    assert bad_path in [p.path for p in problems]


def test_command_registration_limits() -> None:
    good = {"name": "who", "description": "Look up a person", "type": 1}
    assert limits.commands_problems([good], is_global=True) == []
    bad = [{**good, "name": "Who"}, {**good, "name": "quote2", "description": "d" * 101}]
    paths = [p.path for p in limits.commands_problems(bad, is_global=True)]
    assert paths == ["0.name", "1.description"]
