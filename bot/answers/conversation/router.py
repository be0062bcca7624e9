"""Turn what a user typed ('/search bureaucracy source:platypus') into one answer.

The CLI's `ask` and `console` go through here; Discord passes parsed options straight to the
same answer functions, so both surfaces give the same answer to the same question.

Each command's answer module is imported by its handler, when that command is asked: one
``python -m bot ask "/who Lenin"`` then loads the /who answer and not the plain-question
engine, /quote's ranking or the prompt scheduler's rules (a third of the CLI's import time).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from bot.answers.conversation.help import COMMANDS, help_answer
from bot.answers.core.context import AnswerContext
from bot.answers.core.model import Answer, AnswerKind

if TYPE_CHECKING:
    from bot.answers.conversation.intents import ConversationMemory
    from bot.answers.prompts.context import PromptContext

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


def needs_prompts(text: str) -> bool:
    """Whether ``ask`` may read the prompt pool for this input: ``/prompt``, and a plain
    question (it may ask for today's prompt). A one-shot surface (the CLI's ``ask``) builds
    the pool, and imports the scheduler's code, only then."""
    text = (text or "").strip()
    return not text.startswith("/") or text.partition(" ")[0].lower() == "/prompt"


def ask(ctx: AnswerContext, text: str, *, prompts: PromptContext | None = None,
        memory: ConversationMemory | None = None) -> Answer:
    """A slash command, or a plain question (``memory`` keeps follow-ups in the console)."""
    text = (text or "").strip()
    if not text:
        return Answer(AnswerKind.ERROR, "Ask me something",
                      "Try `/sources`, `/search bureaucracy`, “who was Yagoda?” or `/help`.",
                      suggestions=list(COMMANDS))
    if not text.startswith("/"):
        from bot.answers.conversation.intents import ConversationMemory, converse

        return converse(ctx, memory or ConversationMemory(), CLI_CHANNEL, text,
                        prompt=lambda: _prompt(prompts, "today"))
    name, _, rest = text.partition(" ")
    name = name.lower()
    handlers: dict[str, Callable[[str], Answer]] = {
        "/sources": lambda _rest: _sources(ctx),
        "/help": lambda _rest: help_answer(),
        "/search": lambda rest: _search(ctx, rest),
        "/quote": lambda rest: _quote(ctx, rest),
        "/prompt": lambda rest: _prompt(prompts, rest),
        "/who": lambda rest: _who(ctx, rest),
        "/when": lambda rest: _when(ctx, rest),
        "/timeline": lambda rest: _timeline(ctx, rest),
        "/compare": lambda rest: _compare(ctx, rest),
    }
    handler = handlers.get(name)
    if handler is None:
        from rapidfuzz import process

        near = [match for match, score, _ in process.extract(name, list(COMMANDS), limit=2)
                if score >= 60]
        return Answer(AnswerKind.ERROR, f"Unknown command {name[:40]}",
                      "These are the commands I know: " + ", ".join(COMMANDS),
                      suggestions=near or list(COMMANDS))
    return handler(rest)


def _compare(ctx: AnswerContext, rest: str) -> Answer:
    from bot.answers.compare.answer import compare  # with the plain-question engine it uses

    return compare(ctx, rest)


def _sources(ctx: AnswerContext) -> Answer:
    from bot.answers.texts.sources import list_sources

    return list_sources(ctx)


def _search(ctx: AnswerContext, rest: str) -> Answer:
    from bot.answers.texts.search import search

    words, options = _split_options(rest)
    return search(ctx, words, options.get("source"))


def _quote(ctx: AnswerContext, rest: str) -> Answer:
    from bot.answers.quote.answer import quote

    words, options = _split_options(rest, ("person", "source"))
    return quote(ctx, words, options.get("person"), options.get("source"), channel=CLI_CHANNEL)


def _prompt(prompts: PromptContext | None, rest: str) -> Answer:
    from bot.answers.prompts.commands import prompt_command

    return prompt_command(prompts, rest)


def _who(ctx: AnswerContext, rest: str) -> Answer:
    from bot.answers.people.who import who

    return who(ctx, ctx.people, rest)


def _when(ctx: AnswerContext, rest: str) -> Answer:
    from bot.answers.dates.when import when

    return when(ctx, ctx.events, rest)


def _timeline(ctx: AnswerContext, rest: str) -> Answer:
    """`/timeline [from] [to] [person:<name>]`."""
    from bot.answers.dates.period import period_between
    from bot.answers.dates.when import timeline

    words, options = _split_options(rest, ("person",))
    years = [int(y) for y in re.findall(r"\b\d{4}\b", words)]
    period = period_between(min(years), max(years)) if years else None
    return timeline(ctx, ctx.events, period, options.get("person"), ctx.people)
