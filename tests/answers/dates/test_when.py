"""/when and /timeline behaviour beyond the labelled set: order, filters, bad input."""

from __future__ import annotations

import pytest

from bot.answers.core.model import AnswerKind
from bot.answers.dates.period import Period, parse_period
from bot.answers.dates.when import timeline, when
from bot.corpus.events import load_events
from bot.corpus.people import load_people
from tests.answer_helpers import build_context
from tests.corpus_helpers import REPO

EVENTS = load_events(REPO / "corpus" / "events.yaml")
PEOPLE = load_people(REPO / "corpus" / "people.yaml")


@pytest.fixture(scope="module")
def ctx(tmp_path_factory, backend: str):
    return build_context(tmp_path_factory.mktemp("timeline") / "t.sqlite3", backend=backend)


def test_timeline_1927_1929_lists_expulsion_exile_and_istanbul_in_order(ctx) -> None:
    titles = [item.title for item in timeline(ctx, EVENTS, Period(1927, 1929)).items]

    def position(words: str) -> int:
        return next(i for i, title in enumerate(titles) if words in title)

    assert position("Expulsion of Trotsky from the Communist Party") \
        < position("Exile to Alma Ata") < position("arrival in Istanbul")


def test_timeline_for_a_person_only_shows_their_entries(ctx) -> None:
    answer = timeline(ctx, EVENTS, Period(1940, 1940), person="Mercader", people=PEOPLE)
    assert answer.kind is AnswerKind.TIMELINE
    assert any("Murder of Leon Trotsky" in item.title for item in answer.items)
    assert all("Mercader" in (item.body + item.title) or "Murder" in item.title
               for item in answer.items)


@pytest.mark.parametrize(("typed", "period"), [
    ("1921", Period(1921, 1921)), ("1918-21", Period(1918, 1921)),
    ("1927 to 1929", Period(1927, 1929)), ("the 1920s", Period(1920, 1929)),
    ("1929-1927", Period(1927, 1929)), ("Kronstadt", None),
])
def test_periods(typed, period) -> None:
    assert parse_period(typed) == period


@pytest.mark.parametrize("hostile", ["", "?", "x" * 500, "🔥🔥", '") OR NEAR(', "when"])
def test_bad_input_gets_a_clear_answer(ctx, hostile) -> None:
    answer = when(ctx, EVENTS, hostile)
    assert answer.kind in (AnswerKind.ERROR, AnswerKind.NOT_FOUND, AnswerKind.WHEN)
    assert answer.title


def test_an_unknown_event_says_the_corpus_has_no_date(ctx) -> None:
    answer = when(ctx, EVENTS, "moon landing xylophone")
    assert answer.kind is AnswerKind.NOT_FOUND
    assert "no date" in answer.title


def test_a_period_between_two_years_reads_the_same_from_the_cog_and_the_cli() -> None:
    from bot.answers.dates.period import period_between

    assert period_between(1929, 1921) == Period(1921, 1929)
    assert period_between(1927, None) == period_between(None, 1927) == Period(1927, 1927)
    assert period_between(None, None) is None
