"""The labelled /when set on the real corpus: the first answer gives the date the texts state."""

from __future__ import annotations

import re

import pytest

from bot.answers.core.model import AnswerKind
from bot.answers.dates.when import when
from bot.corpus.events import load_events
from bot.corpus.model import PartialDate
from tests.answer_helpers import build_context
from tests.corpus_helpers import REPO, labelled_cases

EVENTS = load_events(REPO / "corpus" / "events.yaml")
CASES = labelled_cases("when_cases.yaml")


@pytest.fixture(scope="module")
def ctx(tmp_path_factory, backend: str):
    return build_context(tmp_path_factory.mktemp("when") / "when.sqlite3", backend=backend)


def _display(iso: str) -> str:
    return PartialDate(*(int(p) for p in iso.split("-"))).display()


def is_right(ctx, case: dict) -> bool:
    answer = when(ctx, EVENTS, case["query"])
    if "expect_period" in case:
        low, high = case["expect_period"]
        years = [int(y) for item in answer.items[:5]
                 for y in re.findall(r"\b(1[6-9]\d\d|20\d\d)\b", item.title)[:1]]
        return answer.kind is AnswerKind.TIMELINE and bool(years) and all(
            low - 10 <= y <= high for y in years)  # a decade or range may start earlier
    if answer.kind is not AnswerKind.WHEN or not answer.items:
        return False
    titles = [item.title for item in answer.items]
    wanted = [_display(iso) for iso in case["expect"]]
    # The first result states one of the expected dates; disagreements show every version.
    return titles[0].startswith(tuple(wanted)) and (
        len(wanted) == 1 or all(any(t.startswith(w) for t in titles) for w in wanted)
        or case["kind"] != "event")


def test_enough_cases() -> None:
    assert len(CASES) >= 50


def test_at_least_95_percent_of_labelled_queries_get_the_right_date(ctx) -> None:
    wrong = [case["query"] for case in CASES if not is_right(ctx, case)]
    accuracy = 1 - len(wrong) / len(CASES)
    assert accuracy >= 0.95, f"{accuracy:.0%} right; wrong: {wrong}"


def test_the_issue_examples(ctx) -> None:
    assert when(ctx, EVENTS, "Kronstadt").items[0].title.startswith("1921")
    assert when(ctx, EVENTS, "Lenin died").items[0].title.startswith("21 January 1924")
    fourth = when(ctx, EVENTS, "Fourth International")
    disagreement = next(f for f in fourth.fields if f.name == "The sources disagree")
    assert "1938" in disagreement.value and "1939" in disagreement.value
