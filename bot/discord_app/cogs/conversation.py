"""Plain questions in a mention, a reply to the bot, or a DM, answered like the commands.

The cog only decides whether a message is for the bot and sends the reply; understanding the
question is the job of bot.answers.conversation.intents. Replies go through the one reply
pipeline (bot/discord_app/replying.py): to the message that asked, never pinging, long answers
paged like a command's. A member who floods gets one polite line instead of answers.
"""

from __future__ import annotations

import asyncio
import enum
import functools
import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import discord
from cachetools import TTLCache
from discord.ext import commands

from bot.answers.conversation.intents import ConversationMemory, converse
from bot.answers.conversation.settings import mentions_on
from bot.answers.core.context import AnswerContext
from bot.answers.core.model import Answer
from bot.answers.plan.spoilers import within_reach
from bot.answers.prompts.commands import prompt_today
from bot.answers.prompts.context import PromptContext
from bot.discord_app.markup import MENTION
from bot.discord_app.replying import Replier

log = logging.getLogger(__name__)

WINDOW_SECONDS = 60.0


def conversation_key(user_id: int, channel_id: int | None) -> str:
    """Whose conversation a question continues: one member in one channel (or DM).

    Mentions and /ask share it (and one ConversationMemory), so "and when did he die?" in a
    mention follows an /ask about Lenin in the same channel.
    """
    return f"{user_id}:{channel_id}"


def prompt_for(prompts: PromptContext | None, guild_id: int | None
               ) -> Callable[[], Answer] | None:
    """What "what should we discuss?" answers with: the prompt ``/prompt today`` gives in that
    server (its latest posted prompt, else the prompt of the day); in a DM, the prompt of the
    day. None when the bot runs without the prompt pool."""
    if prompts is None:
        return None
    return functools.partial(prompt_today, prompts, guild_id)


class Verdict(enum.Enum):
    ANSWER = "answer"
    WARN = "warn"  # the first question over the rate: one polite line
    IGNORE = "ignore"  # already warned: silence, so a flood gets one line, not one each


@dataclass(slots=True)
class _Asker:
    times: deque[float]  # when their questions in the last minute were answered
    warned: bool = False


class RateLimit:
    """At most ``per_minute`` questions per member in any minute.

    The members are kept in a TTL cache: a member is forgotten a minute after their last
    message (every time they hold is older than the window by then), and at most
    ``MAX_MEMBERS`` are held, so the memory stays bounded however many members ever wrote.
    The loop is the only caller (no lock needed).
    """

    MAX_MEMBERS = 100_000

    def __init__(self, per_minute: int, *, clock: Callable[[], float] = time.monotonic,
                 max_members: int = MAX_MEMBERS) -> None:
        self.per_minute = per_minute
        self.clock = clock
        self.askers: TTLCache[int, _Asker] = TTLCache(max_members, ttl=WINDOW_SECONDS,
                                                       timer=clock)

    def check(self, user_id: int) -> Verdict:
        now = self.clock()
        asker = self.askers.get(user_id) or _Asker(deque(maxlen=self.per_minute))
        self.askers[user_id] = asker  # set again: the time to live runs from this message
        times = asker.times
        while times and now - times[0] > WINDOW_SECONDS:
            times.popleft()
        if len(times) >= self.per_minute:
            verdict = Verdict.IGNORE if asker.warned else Verdict.WARN
            asker.warned = True
            return verdict
        times.append(now)
        asker.warned = False
        return Verdict.ANSWER


class ConversationCog(commands.Cog):
    def __init__(self, bot: commands.Bot, answers: AnswerContext, replier: Replier,
                 per_minute: int, *, memory: ConversationMemory | None = None,
                 prompts: PromptContext | None = None) -> None:
        self.bot = bot
        self.answers = answers
        self.replier = replier
        #: Shared with /ask (bot/discord_app/cogs/ask.py), so follow-ups cross between them.
        self.memory = memory if memory is not None else ConversationMemory()
        self.prompts = prompts
        self.limit = RateLimit(per_minute, clock=replier.policy.clock)
        # Ids of our recent replies: a reply to one of them continues the conversation even
        # when Discord leaves the referenced message out of the event.
        self.sent: deque[int] = deque(maxlen=5000)

    def _for_me(self, message: discord.Message) -> bool:
        """A DM, a mention of the bot, or a reply to one of its messages."""
        me = self.bot.user
        if me is None or message.author.bot or message.author.id == me.id:
            return False  # other bots and ourselves: never answer, never loop
        if message.guild is None:
            return True
        if me in message.mentions:
            return True
        reference = message.reference
        if reference is None:
            return False
        resolved = reference.resolved
        if isinstance(resolved, discord.Message):
            return resolved.author.id == me.id
        return reference.message_id in self.sent

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if not self._for_me(message):
            return
        if message.guild is not None and not await asyncio.to_thread(
                mentions_on, self.answers, message.guild.id):
            return
        verdict = self.limit.check(message.author.id)
        if verdict is Verdict.WARN:
            await self.replier.say_to_message(
                message, "You're asking faster than I can read — give me a minute, then "
                         "ask again.", on_sent=self._sent)
        if verdict is not Verdict.ANSWER:
            return
        question = MENTION.sub(" ", message.content).strip()
        key = conversation_key(message.author.id, message.channel.id)
        prompt = prompt_for(self.prompts, message.guild.id if message.guild else None)
        work = functools.partial(within_reach, self.answers,
                                 message.guild.id if message.guild else None, converse,
                                 self.memory, key, question, prompt=prompt)
        try:
            await self.replier.reply_to_message(message, work, on_sent=self._sent)
        except Exception:
            # No command tree answers for a message: log it here, and apologise.
            log.exception("answering %r from user %s in channel %s failed", question[:200],
                          message.author.id, message.channel.id)
            await self.replier.say_to_message(
                message, "Sorry, something went wrong on my side while answering that. It has "
                         "been logged.", on_sent=self._sent)

    def _sent(self, reply: discord.Message) -> None:
        self.sent.append(reply.id)
