"""/quote of words quoted inside a quotation, and of a source the text does not name."""

from __future__ import annotations

import pytest

from bot.answers.core.context import AnswerContext
from bot.answers.core.model import AnswerKind
from bot.answers.quote.answer import quote
from tests.answer_helpers import build_context


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory, backend: str) -> AnswerContext:
    return build_context(tmp_path_factory.mktemp("nested") / "nested.sqlite3", backend=backend)


def _field(answer, name: str) -> str:
    return next(f.value for f in answer.fields if f.name == name)


def test_the_condemned_sang_is_an_unnamed_report_not_a_person(ctx: AnswerContext) -> None:
    answer = quote(ctx, "the condemned sang the Internationale")
    assert answer.kind is AnswerKind.QUOTE
    assert "As they marched away, the condemned sang" in answer.body
    assert answer.sources[0].slug == "struggle-against-stalinism"
    assert answer.title == "An unnamed source: “One report”"
    assert "One report" in _field(answer, "Said or written by")


def test_words_inside_an_account_name_their_speaker_and_who_quotes_them(
        ctx: AnswerContext) -> None:
    answer = quote(ctx, "what has got into your tongue")
    assert "What has got into your tongue?" in answer.body
    assert answer.title == "Georgy Pyatakov"
    assert _field(answer, "Said or written by") == (
        "Georgy Pyatakov, quoted by Natalia Sedova, quoted in the essay")


def test_the_outer_quotations_citation_stays_with_the_inner_words(ctx: AnswerContext) -> None:
    # Meyer's sentence quotes Lenin: Lenin's words, Meyer's book as the source.
    answer = quote(ctx, "bourgeois-democratic revolution in Russia had been completed")
    assert answer.title == "Vladimir Lenin"
    assert "quoted by Alfred G. Meyer" in _field(answer, "Said or written by")
    assert "Meyer" in _field(answer, "Original source")
