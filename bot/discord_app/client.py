"""The bot object: built by :func:`create_bot` from settings and the answer context.

Resources come in as arguments (no module globals), so tests build as many bots as they like
against a stand-in, and nothing connects or reads a file at import time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any, NotRequired, TypedDict

import discord
from discord import app_commands
from discord.ext import commands

from bot.answers.conversation.intents import ConversationMemory
from bot.answers.core.context import AnswerContext
from bot.answers.prompts.context import PromptContext, build_prompt_context
from bot.config import Settings
from bot.discord_app.cogs.ask import AskCog
from bot.discord_app.cogs.compare import CompareCog
from bot.discord_app.cogs.config import ConfigCog
from bot.discord_app.cogs.conversation import ConversationCog
from bot.discord_app.cogs.find import FindCog
from bot.discord_app.cogs.help import HelpCog
from bot.discord_app.cogs.plan import PlanCog
from bot.discord_app.cogs.prompt import PromptCog
from bot.discord_app.cogs.quote import QuoteCog
from bot.discord_app.cogs.reload import ReloadCog
from bot.discord_app.cogs.search import SearchCog
from bot.discord_app.cogs.sources import SourcesCog
from bot.discord_app.cogs.when import WhenCog
from bot.discord_app.cogs.who import WhoCog
from bot.discord_app.errors import ReadingCircleTree
from bot.discord_app.markup import DiscordMarkup
from bot.discord_app.render import NO_MENTIONS
from bot.discord_app.replying import Replier, ReplyPolicy
from bot.discord_app.scheduler import PromptScheduler
from bot.reload import Reloader

log = logging.getLogger(__name__)


def build_intents(message_content: bool = False) -> discord.Intents:
    """Only what the bot reads: slash commands arrive as interactions whatever the intents.

    ``guilds`` keeps the server and channel cache (``interaction.guild``, the prompt
    scheduler's channels). ``guild_messages`` and ``dm_messages`` deliver the messages that
    mention the bot or are sent to it, whose text Discord sends without any privileged
    intent. ``message_content`` (privileged, off by default) is only needed to read replies
    to the bot that do not mention it. Members and presences are never used.
    """
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = True
    intents.dm_messages = True
    intents.message_content = message_content
    return intents


class ReadingCircleMixin:
    """What the single-process and the sharded bot share: resources, cogs, startup sync."""

    settings: Settings
    answers: AnswerContext
    replier: Replier
    reloader: Reloader

    if TYPE_CHECKING:
        # For the methods below: commands.Bot's own property, which the bot classes inherit
        # at run time (a ReadingCircleTree, from tree_cls). Typed as the plain CommandTree that
        # mypy accepts as compatible with commands.Bot's CommandTree[Self].
        @property
        def tree(self) -> app_commands.CommandTree[Any]: ...

    def _init_resources(self, settings: Settings, answers: AnswerContext,
                        policy: ReplyPolicy | None, prompts: PromptContext | None) -> None:
        self.settings = settings
        self.answers = answers
        self.replier = Replier(policy)
        #: Daily prompts, built once by bot.services.open_services and handed in (tests pass
        #: one with a fake clock). The scheduler loop runs while the prompts cog is loaded.
        self.prompts = prompts
        self.prompt_scheduler: PromptScheduler | None = None

    async def setup_hook(self) -> None:
        """Runs once, inside ``login``: add the cogs, then register commands in dev guilds."""
        await self.add_reading_cogs()
        await self.sync_dev_guilds()

    async def add_reading_cogs(self) -> None:
        bot: commands.Bot = self  # type: ignore[assignment]
        # First: plain questions ("what should we discuss?") answer with the daily prompt, so
        # the conversation and /ask cogs need it. Callers without Services (tests, the bench)
        # may leave it out; then it is built here, once, from the same settings.
        self.prompts = self.prompts or build_prompt_context(self.settings, self.answers)
        # Channels, members and roles in prompt answers as Discord links, not the CLI's words.
        # Set on the one context (not a copy): the scheduler and every cog share it.
        self.prompts.markup = DiscordMarkup()
        # One clock for the whole bot: "this week's section" for spoiler control and /plan
        # is the same week the scheduler posts the prompt for (tests move it by hand).
        self.answers = replace(self.answers, now=self.prompts.clock.now)
        self.prompts.answers = self.answers
        await bot.add_cog(SourcesCog(self.answers, self.replier))
        await bot.add_cog(SearchCog(self.answers, self.replier))
        await bot.add_cog(QuoteCog(self.answers, self.replier))
        await bot.add_cog(WhoCog(self.answers, self.replier))
        await bot.add_cog(WhenCog(self.answers, self.replier))
        await bot.add_cog(CompareCog(self.answers, self.replier))
        # One memory for mentions and /ask, so a follow-up in either continues the other.
        memory = ConversationMemory(clock=self.replier.policy.clock)
        await bot.add_cog(ConversationCog(bot, self.answers, self.replier,
                                          self.settings.discord.questions_per_minute,
                                          memory=memory, prompts=self.prompts))
        await bot.add_cog(ConfigCog(self.answers, self.replier))
        await bot.add_cog(AskCog(self.answers, self.replier, memory, self.prompts))
        await bot.add_cog(FindCog(bot, self.answers, self.replier))
        await bot.add_cog(HelpCog(self.replier))
        self.prompt_scheduler = PromptScheduler(bot, self.prompts)
        await bot.add_cog(PromptCog(self.prompts, self.replier, self.prompt_scheduler))
        await bot.add_cog(PlanCog(self.prompts, self.replier))
        # Reloads re-ingest into the store these answers read; its cog follows the store's
        # stamp (an ingest by another process) and, with corpus.watch, the corpus folder.
        self.reloader = Reloader(self.answers, self.settings.texts_dir)
        await bot.add_cog(ReloadCog(self.reloader, self.replier, self.settings))

    async def sync_dev_guilds(self) -> None:
        """Guild commands update instantly, so development guilds get them at every start.

        A guild the bot cannot reach is logged and skipped: a stale guild id in the config
        must not stop the bot from serving everyone else.
        """
        for guild_id in self.settings.discord.dev_guild_ids:
            guild = discord.Object(id=guild_id)
            self.tree.copy_global_to(guild=guild)
            try:
                synced = await self.tree.sync(guild=guild)
            except discord.HTTPException as error:
                log.error("could not register commands in guild %s (is the bot in it, invited "
                          "with the applications.commands scope?): %s", guild_id, error)
                continue
            log.info("registered %d commands in guild %s: %s", len(synced), guild_id,
                     ", ".join(sorted(c.name for c in synced)))


class ReadingCircleBot(ReadingCircleMixin, commands.Bot):
    def __init__(self, settings: Settings, answers: AnswerContext,
                 policy: ReplyPolicy | None = None, prompts: PromptContext | None = None
                 ) -> None:
        super().__init__(**_client_options(settings))
        self._init_resources(settings, answers, policy, prompts)


class ShardedReadingCircleBot(ReadingCircleMixin, commands.AutoShardedBot):
    def __init__(self, settings: Settings, answers: AnswerContext,
                 policy: ReplyPolicy | None = None, prompts: PromptContext | None = None
                 ) -> None:
        super().__init__(**_sharded_options(settings))
        self._init_resources(settings, answers, policy, prompts)


Bot = ReadingCircleBot | ShardedReadingCircleBot


class _ClientOptions(TypedDict):
    """The keyword arguments both bots pass to commands.Bot or commands.AutoShardedBot."""

    command_prefix: Callable[[commands.Bot | commands.AutoShardedBot, discord.Message],
                             list[str]]
    help_command: commands.HelpCommand | None
    intents: discord.Intents
    allowed_mentions: discord.AllowedMentions
    tree_cls: type[app_commands.CommandTree[Any]]


class _ShardedOptions(_ClientOptions):
    shard_count: int | None
    #: Left out for "every shard": discord.py's hints take a list, its default is None.
    shard_ids: NotRequired[list[int]]


def _client_options(settings: Settings) -> _ClientOptions:
    return {
        # Slash commands only: no prefix commands, but commands.Bot wants a prefix; a
        # mention is the only one that cannot collide with ordinary chat.
        "command_prefix": commands.when_mentioned,
        "help_command": None,
        "intents": build_intents(settings.discord.message_content_intent),
        # The default for every message the bot sends, on top of passing it on each send:
        # whatever the corpus or a user typed, nobody is ever pinged.
        "allowed_mentions": NO_MENTIONS,
        "tree_cls": ReadingCircleTree,
    }


def _sharded_options(settings: Settings) -> _ShardedOptions:
    options: _ShardedOptions = {**_client_options(settings),
                                "shard_count": settings.discord.shard_count}
    if settings.discord.shard_ids is not None:  # None: this process runs every shard
        options["shard_ids"] = settings.discord.shard_ids
    return options


def create_bot(settings: Settings, answers: AnswerContext,
               policy: ReplyPolicy | None = None, *, prompts: PromptContext | None = None) -> Bot:
    """A sharded bot when ``discord.shard_count`` is set, else a single-connection one.

    ``prompts``: the daily prompt context from ``open_services``, shared by the prompt
    commands, the scheduler, /ask and mentions.
    """
    # The bot has no voice features; without this every start warns that PyNaCl and davey
    # (voice libraries) are missing, which sends hosts looking for a problem that is not there.
    discord.VoiceClient.warn_nacl = False
    discord.VoiceClient.warn_dave = False
    if settings.discord.shard_count:
        return ShardedReadingCircleBot(settings, answers, policy, prompts)
    if settings.discord.shard_ids:
        log.warning("discord.shard_ids is ignored without discord.shard_count")
    return ReadingCircleBot(settings, answers, policy, prompts)


async def sync_global(bot: commands.Bot | commands.AutoShardedBot) -> list[str]:
    """Register the commands for every server (Discord may take up to an hour to show them).

    Needs a logged-in bot whose cogs are added (``bot.login`` runs ``setup_hook``). Returns
    the registered command names.
    """
    synced = await bot.tree.sync()
    names = sorted(command.name for command in synced)
    log.info("registered %d global commands: %s", len(names), ", ".join(names))
    return names
