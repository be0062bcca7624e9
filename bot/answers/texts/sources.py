"""/sources: every text with author, date, publication and what was extracted from it."""

from __future__ import annotations

from rapidfuzz import fuzz, process, utils

from bot.answers.core.bylines import byline
from bot.answers.core.context import AnswerContext
from bot.answers.core.model import Answer, AnswerKind, Item, SourceRef
from bot.answers.core.text import CHOICES, shorten

_PROBLEMS_SHOWN = 5


def list_sources(ctx: AnswerContext) -> Answer:
    items = [
        Item(
            title=source.title,
            body=(f"{byline(source)}\n{source.passage_count} paragraphs · "
                  f"{source.quotation_count} quotations · {source.note_count} notes"),
            source=SourceRef(slug=source.slug, title=source.title, author=source.author),
        )
        for source in ctx.store.sources.all()
    ]
    stale = stale_notice(ctx.store.index_problems())
    if not items:
        return Answer(AnswerKind.NOT_FOUND, "No texts yet",
                      stale or "The corpus is empty: put texts in corpus/texts and run "
                               "`readbot ingest`.")
    return Answer(AnswerKind.SOURCES, f"The corpus: {len(items)} texts", body=stale,
                  items=items, sources=[item.source for item in items if item.source])


def stale_notice(problems: list[str]) -> str:
    """The index is stale and why: a few problems, each cut short, so the list of texts still
    fits below it."""
    if not problems:
        return ""
    shown = [f"• {shorten(problem, 300)}" for problem in problems[:_PROBLEMS_SHOWN]]
    if len(problems) > _PROBLEMS_SHOWN:
        shown.append(f"• and {len(problems) - _PROBLEMS_SHOWN} more (see the bot's log)")
    return ("**The index is stale**: these files could not be used, so it serves what it had "
            "before them.\n" + "\n".join(shown)
            + "\nFix them, then restart the bot or run `readbot ingest`.")


def _source_index(ctx: AnswerContext) -> dict[str, tuple[str, str]]:
    """slug -> (title, what a reader might type for it: title, author, publication, slug,
    as rapidfuzz's ``default_process`` leaves it).

    Read once per ingest: at 100x the corpus, reading every text's row (and processing its
    words) for each `source:` option or keystroke took longer than the search it filters."""
    def build() -> dict[str, tuple[str, str]]:
        return {s.slug: (s.title, utils.default_process(" ".join(filter(None, (
                    s.title, s.author, s.publication, s.slug)))))
                for s in ctx.store.sources.all()}

    return ctx.cards.get(ctx.store, ("sources", "typed forms"), build)


def _ranked(ctx: AnswerContext, typed: str, limit: int) -> list[tuple[str, str, float]]:
    index = _source_index(ctx)
    if not typed.strip():
        return sorted((title, slug, 100.0) for slug, (title, _) in index.items())[:limit]
    haystacks = {slug: haystack for slug, (_, haystack) in index.items()}
    # The haystacks are processed already; the typed words as extract's processor would.
    ranked = process.extract(utils.default_process(typed), haystacks, scorer=fuzz.partial_ratio,
                             processor=None, limit=limit, score_cutoff=40)
    return [(index[slug][0], slug, score) for _, score, slug in ranked]


def match_sources(
    ctx: AnswerContext, typed: str, limit: int = CHOICES
) -> list[tuple[str, str]]:
    """(title, slug) pairs best matching what was typed; all of them for empty input."""
    return [(title, slug) for title, slug, _ in _ranked(ctx, typed, limit)]


def resolve_source(ctx: AnswerContext, typed: str) -> tuple[str | None, list[str]]:
    """A slug for what was typed (slug, title, author or publication; typos forgiven).

    Returns (slug, []) on a confident match, else (None, suggested slugs).
    """
    ranked = _ranked(ctx, typed.strip().lower(), limit=3)
    if ranked and ranked[0][1] == typed.strip().lower():
        return ranked[0][1], []
    clear_winner = len(ranked) < 2 or ranked[1][2] < ranked[0][2] - 5
    if ranked and ranked[0][2] >= 80 and clear_winner:
        return ranked[0][1], []
    holding = _holding_every_word(ctx, typed)
    if holding is not None:
        return holding, []
    return None, [slug for _, slug, score in ranked if score >= 60]


def _holding_every_word(ctx: AnswerContext, typed: str) -> str | None:
    """The one text whose title, author, publication or slug has every word typed, each in
    any order and typos forgiven ("Medium review": the review published on Medium, where
    no one stretch of its title matches both words); None when none or several do."""
    words = [w for w in utils.default_process(typed).split() if len(w) > 2]
    if not words:
        return None
    by_word = _texts_by_word(ctx)
    holding: set[str] | None = None
    for word in words:
        near = process.extract(word, list(by_word), scorer=fuzz.ratio, limit=None,
                               score_cutoff=85)
        found = set().union(*(by_word[known] for known, _, _ in near))
        holding = found if holding is None else holding & found
        if not holding:
            return None
    return next(iter(holding)) if holding is not None and len(holding) == 1 else None


def _texts_by_word(ctx: AnswerContext) -> dict[str, frozenset[str]]:
    """Each word of the texts' typed forms -> the texts whose forms have it (once per
    ingest: the texts share most of their words, so the words are few)."""
    def build() -> dict[str, frozenset[str]]:
        found: dict[str, set[str]] = {}
        for slug, (_, haystack) in _source_index(ctx).items():
            for word in haystack.split():
                found.setdefault(word, set()).add(slug)
        return {word: frozenset(slugs) for word, slugs in found.items()}

    return ctx.cards.get(ctx.store, ("sources", "texts by word"), build)
