"""The hand-labelled /quote cases (tests/labelled/quote_cases.yaml) against issue 14's targets.

Every case runs through the answer function on the real corpus (``bench.quote_eval`` does
the scoring and prints the same figures: ``python -m bench.quote_eval``). A failure message
carries the whole report: per-kind figures, the search misses and the attribution mistakes
with their evidence.
"""

from __future__ import annotations

import pytest

from bench.quote_eval import (
    PRECISION_TARGET,
    TOP1_TARGET,
    TOP3_TARGET,
    Outcome,
    evaluate,
    figures,
    load_cases,
    report,
)
from tests.answer_helpers import build_context


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory, backend: str) -> list[Outcome]:
    ctx = build_context(tmp_path_factory.mktemp("quote-cases") / "cases.sqlite3", backend=backend)
    return evaluate(ctx, load_cases())


def test_the_labelled_set_is_big_and_varied() -> None:
    cases = load_cases()
    assert len(cases) >= 60
    assert len({c.id for c in cases}) == len(cases)
    assert {c.kind for c in cases} >= {"exact", "words", "typo", "paraphrase", "topic",
                                       "person", "source"}
    assert any(c.speaker is None for c in cases)


def test_search_top1_and_top3(outcomes: list[Outcome]) -> None:
    total = figures(outcomes)
    assert total.top1 >= TOP1_TARGET, report(outcomes)
    assert total.top3 >= TOP3_TARGET, report(outcomes)


def test_attribution_precision(outcomes: list[Outcome]) -> None:
    assert figures(outcomes).precision >= PRECISION_TARGET, report(outcomes)


def test_no_speaker_is_named_without_evidence(outcomes: list[Outcome]) -> None:
    assert figures(outcomes).named_where_none == 0, report(outcomes)
