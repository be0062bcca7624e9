"""/quote by description: what was said, in the member's words, finds the quotation."""

from __future__ import annotations

import pytest

from bot.answers.core.context import AnswerContext
from bot.answers.quote.answer import quote
from tests.answer_helpers import build_context


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory, backend: str) -> AnswerContext:
    return build_context(tmp_path_factory.mktemp("quote-description") / "db.sqlite3",
                         backend=backend)


def test_a_misspelt_word_is_read_as_the_word_used_once_around_a_quotation(ctx) -> None:
    # "theaters" and "restaurants" occur once in the texts, in Trotsky's words on the NEP:
    # the plain-question vocabulary would read "theatres" as "threat".
    answer = quote(ctx, "Trotsky recalling how the NEP revived the theatres and resturants")
    assert answer.title == "Leon Trotsky"
    assert "revival of theaters, restaurants and entertainment establishments" in answer.body
