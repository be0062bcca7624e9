"""/ask question:<text>: a plain question as a slash command.

For servers that turn mention replies off (/config mentions:false) or that do not grant the
Message Content intent: the same answer a mention gets, from the same function
(``bot.answers.conversation.intents.converse``), with the same memory and the same key (member and
channel) as the mention cog, so a follow-up in a mention continues an /ask and the other way
round. The reply is public like the other answers (a mistake or "the texts don't answer
that" is private), paged when long, and never pings.
"""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.answers.conversation.intents import ConversationMemory, converse
from bot.answers.core.context import AnswerContext
from bot.answers.plan.spoilers import within_reach
from bot.answers.prompts.context import PromptContext
from bot.discord_app.cogs.conversation import conversation_key, prompt_for
from bot.discord_app.cogs.search import search_cooldown
from bot.discord_app.replying import Replier

#: Lets Discord refuse a paste before sending it; converse still checks the length itself
#: (a client can send anything) and says how long a question may be.
QUESTION_MAX = 500


class AskCog(commands.Cog):
    def __init__(self, answers: AnswerContext, replier: Replier, memory: ConversationMemory,
                 prompts: PromptContext | None = None) -> None:
        self.answers = answers
        self.replier = replier
        self.memory = memory  # the mention cog's own: see the module docstring
        self.prompts = prompts

    @app_commands.command(name="ask", description="Ask a plain question about the texts")
    @app_commands.describe(question="e.g. who killed Trotsky? · when was Kronstadt? · "
                                    "what should we discuss?")
    @app_commands.checks.dynamic_cooldown(search_cooldown)
    async def ask(self, interaction: discord.Interaction,
                  question: app_commands.Range[str, 1, QUESTION_MAX]) -> None:
        key = conversation_key(interaction.user.id, interaction.channel_id)
        await self.replier.answer(interaction, within_reach, self.answers,
                                  interaction.guild_id, converse, self.memory, key, question,
                                  prompt=prompt_for(self.prompts, interaction.guild_id))
