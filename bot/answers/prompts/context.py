"""What the prompt answers and the scheduler need, built once in main() and passed in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Protocol

from bot.answers.core.context import AnswerContext
from bot.answers.plan.state import this_week
from bot.answers.prompts.pool import (
    PoolCache,
    PoolEntry,
    find_anchor,
    in_sections,
    moderator_entry,
    section_entry,
)
from bot.answers.prompts.schedule import Clock, SystemClock
from bot.config import PromptSettings, Settings
from bot.corpus.prompts import CuratedPrompt, load_curated_prompts
from bot.store.prompt_store import PromptRepository


class Markup(Protocol):
    """How the surface names a channel, a member and a role in an answer's text."""

    def channel(self, channel_id: int) -> str: ...
    def user(self, user_id: int) -> str: ...
    def role(self, role_id: int) -> str: ...


class PlainMarkup:
    """By id, in words: what the CLI shows (Discord gives its own markup, which it renders as
    the channel's or member's name)."""

    def channel(self, channel_id: int) -> str:
        return f"channel {channel_id}"

    def user(self, user_id: int) -> str:
        return f"member {user_id}"

    def role(self, role_id: int) -> str:
        return f"role {role_id}"


@dataclass
class PromptContext:
    answers: AnswerContext
    #: Schedules, the post log and moderators' prompts (bot/store/prompt_store.py).
    store: PromptRepository
    settings: PromptSettings = field(default_factory=PromptSettings)
    curated: tuple[CuratedPrompt, ...] = ()
    #: Injectable so tests decide what time it is (and can cross a DST change).
    clock: Clock = field(default_factory=SystemClock)
    cache: PoolCache = field(default_factory=PoolCache)
    #: Channel, member and role names in answers (Discord swaps in its own markup).
    markup: Markup = field(default_factory=PlainMarkup)

    @property
    def grace(self) -> timedelta:
        return timedelta(minutes=self.settings.grace_minutes)

    @property
    def claim_timeout(self) -> timedelta:
        return timedelta(seconds=self.settings.claim_timeout_seconds)

    def corpus_pool(self) -> tuple[PoolEntry, ...]:
        return self.cache.corpus_pool(self.answers.store, self.curated, self.answers.people)

    def pool(self, guild_id: int | None) -> list[PoolEntry]:
        """Curated and generated prompts, plus the server's own active ones."""
        pool = list(self.corpus_pool())
        if guild_id is None:
            return pool
        custom = self.store.list_custom(guild_id, ("active",))
        for record in custom:
            anchor = (find_anchor(self.answers.store, record.source_slug, record.evidence)
                      if record.source_slug else None)
            pool.append(moderator_entry(record.id, record.question, record.tags, anchor))
        return pool

    def week_pool(self, guild_id: int | None) -> tuple[list[PoolEntry], tuple[str, ...]]:
        """What the server's next prompt is drawn from, and this week's sections: with a
        reading plan, the prompts about the week's sections (or, when none is, a prompt on
        each section itself); without one, the whole pool and ()."""
        pool = self.pool(guild_id)
        week = this_week(self.answers, guild_id, self.clock.now()) if guild_id else None
        if week is None:
            return pool, ()
        slug, sections = week
        chosen = in_sections(pool, slug, sections) or [
            entry for section in sections
            if (entry := section_entry(self.answers.store, slug, section)) is not None]
        return (chosen, sections) if chosen else (pool, ())

    def entry(self, guild_id: int | None, key: str) -> PoolEntry | None:
        if key.startswith("s:"):  # a plan's section prompt: "s:<slug>:<section>"
            _, slug, section = key.split(":", 2)
            return section_entry(self.answers.store, slug, section)
        return next((e for e in self.pool(guild_id) if e.key == key), None)


def build_prompt_context(settings: Settings, answers: AnswerContext, *,
                         clock: Clock | None = None,
                         curated: Sequence[CuratedPrompt] | None = None) -> PromptContext:
    """Load corpus/prompts.yaml (a bad file raises CorpusError naming the entry and line),
    unless the caller read it already (``curated``: ``bot.services`` falls back on its last
    good copy)."""
    if curated is None:
        curated = load_curated_prompts(settings.corpus_dir / settings.prompts.file)
    return PromptContext(answers=answers, store=PromptRepository(answers.store.state),
                         settings=settings.prompts, curated=tuple(curated),
                         clock=clock or SystemClock())
