"""The shared answer cache: one member's flood of distinct queries cannot flush what the
others keep asking for (the corpus's own entries, and typed queries asked again and again)."""

from __future__ import annotations

import pytest

from bot.answers.core.cache import TYPED_MAX
from bot.answers.core.context import AnswerContext
from bot.answers.core.model import AnswerKind
from bot.answers.dates.when import when
from bot.answers.people.who import who
from tests.answer_helpers import build_context


@pytest.fixture
def ctx(tmp_path) -> AnswerContext:
    return build_context(tmp_path / "cache.sqlite3")


def test_a_flood_of_distinct_queries_keeps_what_others_ask_for(ctx: AnswerContext) -> None:
    # What the circle asks: a person card and a curated event (named by the corpus), a year
    # and an uncurated "when" (typed), each asked by several members.
    def circle() -> list[object]:
        return [who(ctx, ctx.people, "Lenin"), when(ctx, ctx.events, "Kronstadt"),
                when(ctx, ctx.events, "1921"), when(ctx, ctx.events, "when did Molotov die?")]

    kept = circle()
    assert [a.kind for a in kept] == [AnswerKind.WHO, AnswerKind.WHEN, AnswerKind.TIMELINE,
                                      AnswerKind.NOT_FOUND]
    assert [a is b for a, b in zip(kept, circle(), strict=True)] == [True] * 4  # cached

    # One member: more distinct year ranges than the cache holds, each asked once.
    flood = [f"{1700 + n // 50}-{1900 + n % 50}" for n in range(TYPED_MAX + 552)]
    for query in flood:
        assert when(ctx, ctx.events, query).kind is AnswerKind.TIMELINE

    # Every entry the circle relies on is still the one built before the flood ...
    assert [a is b for a, b in zip(kept, circle(), strict=True)] == [True] * 4
    # ... and the cache still serves the flood's own latest query (it was not turned off).
    latest = when(ctx, ctx.events, flood[-1])
    assert when(ctx, ctx.events, flood[-1]) is latest


def test_an_index_being_rebuilt_after_an_ingest_serves_the_previous_one_meanwhile() -> None:
    import threading

    from bot.answers.core.cache import AnswerCache

    class Store:  # what the cache asks of the store: has the index changed?
        stamp_value = "1"

        def stamp(self) -> str:
            return self.stamp_value

    store, cache = Store(), AnswerCache(recheck_after=0)
    assert cache.index(store, "vocabulary", lambda: "old") == "old"  # type: ignore[arg-type]
    store.stamp_value = "2"  # an ingest
    building, release = threading.Event(), threading.Event()

    def slow_build() -> str:
        building.set()
        assert release.wait(60)
        return "new"

    rebuilt: list[str] = []
    builder = threading.Thread(target=lambda: rebuilt.append(
        cache.index(store, "vocabulary", slow_build)))  # type: ignore[arg-type]
    builder.start()
    assert building.wait(60)
    # Another member's answer meanwhile: the previous index at once, no second build.
    assert cache.index(store, "vocabulary", lambda: "second build") == "old"  # type: ignore
    release.set()
    builder.join(60)
    assert rebuilt == ["new"]
    assert cache.index(store, "vocabulary", lambda: "third build") == "new"  # type: ignore
