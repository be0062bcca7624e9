"""Turn what a user typed ('/search bureaucracy source:platypus') into one answer.

The CLI's `ask` and `console` go through here; Discord passes parsed options straight to the
same answer functions, so both surfaces give the same answer to the same question.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rapidfuzz import process

from bot.answers.context import AnswerContext
from bot.answers.model import Answer, AnswerKind, Field
from bot.answers.search import search
from bot.answers.sources import list_sources

COMMANDS: dict[str, str] = {
    "/sources": "the texts in the corpus, with author, date and publication",
    "/search": "passages matching some words: `/search <words> [source:<text>]`",
    "/help": "what the bot can do",
}
_OPTION = re.compile(r"(?:^|\s)(source):(\"[^\"]*\"|\S+)", re.IGNORECASE)


def help_answer() -> Answer:
    return Answer(
        AnswerKind.HELP,
        "Reading-circle companion",
        "I answer from the texts the circle reads: Trotsky's *The Revolution Betrayed* and "
        "essays about it. Every answer says where in the corpus it comes from.",
        fields=[Field(name, text) for name, text in COMMANDS.items()],
    )


def _split_options(rest: str) -> tuple[str, dict[str, str]]:
    options = {m.group(1).lower(): m.group(2).strip('"') for m in _OPTION.finditer(rest)}
    return _OPTION.sub(" ", rest).strip(), options


def ask(ctx: AnswerContext, text: str) -> Answer:
    text = (text or "").strip()
    if not text:
        return Answer(AnswerKind.ERROR, "Ask me something",
                      "Try `/sources`, `/search bureaucracy` or `/help`.",
                      suggestions=list(COMMANDS))
    if not text.startswith("/"):
        return Answer(AnswerKind.ERROR, "Plain questions are not understood yet",
                      "Use a command for now: `/search <words>` finds passages.",
                      suggestions=list(COMMANDS))
    name, _, rest = text.partition(" ")
    name = name.lower()
    handlers: dict[str, Callable[[str], Answer]] = {
        "/sources": lambda _rest: list_sources(ctx),
        "/help": lambda _rest: help_answer(),
        "/search": lambda rest: search(ctx, *_search_args(rest)),
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
