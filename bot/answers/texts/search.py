"""/search: the best passages for some words, with source, section and a highlighted snippet."""

from __future__ import annotations

import re

from bot.answers.core.context import AnswerContext
from bot.answers.core.model import Answer, AnswerKind, Item, SourceRef
from bot.answers.core.text import one_line
from bot.answers.texts.sources import resolve_source

MAX_QUERY_CHARS = 300  # a search is a few words; past this it is a paste, not a query


def validate_query(words: str, example: str) -> Answer | None:
    """An ERROR answer for input no search can use; None when the words are fine."""
    if not words.strip():
        return Answer(AnswerKind.ERROR, "What should I look for?",
                      f"Type a few words after the command, for example `{example}`.")
    if len(words) > MAX_QUERY_CHARS:
        return Answer(AnswerKind.ERROR, "That is too long to search for",
                      f"Your text has {len(words):,} characters; searches take up to "
                      f"{MAX_QUERY_CHARS}. Try a few distinctive words.")
    if not re.search(r"\w", words):
        return Answer(AnswerKind.ERROR, "Nothing to search for",
                      "That has no letters or digits in it. Try some words from the text.")
    return None


def search(ctx: AnswerContext, words: str, source: str | None = None) -> Answer:
    problem = validate_query(words, "/search bureaucracy")
    if problem:
        return problem
    slug = None
    if source and source.strip():
        slug, suggestions = resolve_source(ctx, source)
        if slug is None:
            return Answer(AnswerKind.ERROR, f"No text called “{one_line(source)[:80]}”",
                          "Use `/sources` to see the texts.", suggestions=suggestions)
    hits = ctx.search.search_passages(words, source_slug=slug, limit=ctx.max_results)
    if not hits:
        where = " in that text" if slug else ""
        return Answer(AnswerKind.NOT_FOUND, "No passages found",
                      f"Nothing{where} matches “{one_line(words)[:100]}”. Try fewer or other "
                      "words, or check the spelling.",
                      suggestions=["/sources"])
    items = [
        Item(
            title=f"{hit.source_title}" + (f" — {hit.section_title}" if hit.section_title else ""),
            body=hit.text,
            highlight=hit.snippet,
            source=SourceRef.of(hit),
        )
        for hit in hits
    ]
    return Answer(AnswerKind.SEARCH, f"Passages matching “{one_line(words)[:100]}”",
                  items=items, sources=[i.source for i in items if i.source])
