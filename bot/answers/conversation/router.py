"""Turn what a user typed ('/search bureaucracy source:platypus') into one answer.

The CLI's `ask` and `console` go through here; Discord passes parsed options straight to the
same answer functions, so both surfaces give the same answer to the same question.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rapidfuzz import process

from bot.answers.compare.answer import compare
from bot.answers.conversation.help import COMMANDS, help_answer
from bot.answers.conversation.intents import ConversationMemory, converse
from bot.answers.core.context import AnswerContext
from bot.answers.core.model import Answer, AnswerKind
from bot.answers.dates.period import period_between
from bot.answers.dates.when import timeline, when
from bot.answers.people.who import who
from bot.answers.prompts.commands import prompt_command
from bot.answers.prompts.context import PromptContext
from bot.answers.quote.answer import quote
from bot.answers.texts.search import search
from bot.answers.texts.sources import list_sources

_OPTION = re.compile(r"(?:^|\s)(source|person):(\"[^\"]*\"|\S+)", re.IGNORECASE)
CLI_CHANNEL = "cli"  # the recent-quotations and conversation key of the CLI and console

def _split_options(rest: str, names: tuple[str, ...] = ("source",)
                   ) -> tuple[str, dict[str, str]]:
    """The words and the ``name:value`` options among ``names`` (others stay words)."""
    found = [m for m in _OPTION.finditer(rest) if m.group(1).lower() in names]
    options = {m.group(1).lower(): m.group(2).strip('"') for m in found}
    for match in reversed(found):
        rest = rest[:match.start()] + " " + rest[match.end():]
    return " ".join(rest.split()), options


def ask(ctx: AnswerContext, text: str, *, prompts: PromptContext | None = None,
        memory: ConversationMemory | None = None) -> Answer:
    """A slash command, or a plain question (``memory`` keeps follow-ups in the console)."""
    text = (text or "").strip()
    if not text:
        return Answer(AnswerKind.ERROR, "Ask me something",
                      "Try `/sources`, `/search bureaucracy`, “who was Yagoda?” or `/help`.",
                      suggestions=list(COMMANDS))
    if not text.startswith("/"):
        return converse(ctx, memory or ConversationMemory(), CLI_CHANNEL, text,
                        prompt=lambda: prompt_command(prompts, "today"))
    name, _, rest = text.partition(" ")
    name = name.lower()
    handlers: dict[str, Callable[[str], Answer]] = {
        "/sources": lambda _rest: list_sources(ctx),
        "/help": lambda _rest: help_answer(),
        "/search": lambda rest: search(ctx, *_search_args(rest)),
        "/quote": lambda rest: quote(ctx, *_quote_args(rest), channel=CLI_CHANNEL),
        "/prompt": lambda rest: prompt_command(prompts, rest),
        "/who": lambda rest: who(ctx, ctx.people, rest),
        "/when": lambda rest: when(ctx, ctx.events, rest),
        "/timeline": lambda rest: _timeline(ctx, rest),
        "/compare": lambda rest: compare(ctx, rest),
    }
    handler = handlers.get(name)
    if handler is None:
        near = [match for match, score, _ in process.extract(name, list(COMMANDS), limit=2)
                if score >= 60]
        return Answer(AnswerKind.ERROR, f"Unknown command {name[:40]}",
                      "These are the commands I know: " + ", ".join(COMMANDS),
                      suggestions=near or list(COMMANDS))
    return handler(rest)


def _search_args(rest: str) -> tuple[str, str | None]:
    words, options = _split_options(rest)
    return words, options.get("source")


def _quote_args(rest: str) -> tuple[str, str | None, str | None]:
    words, options = _split_options(rest, ("person", "source"))
    return words, options.get("person"), options.get("source")


def _timeline(ctx: AnswerContext, rest: str) -> Answer:
    """`/timeline [from] [to] [person:<name>]`."""
    words, options = _split_options(rest, ("person",))
    years = [int(y) for y in re.findall(r"\b\d{4}\b", words)]
    period = period_between(min(years), max(years)) if years else None
    return timeline(ctx, ctx.events, period, options.get("person"), ctx.people)
