"""Plain questions for what someone said, a count, a place and a slip, answered from the real
corpus (issue 11): the cases of branch ask7."""

from __future__ import annotations

import pytest

from bot.answers.conversation.router import ask
from bot.answers.core.model import AnswerKind
from tests.answer_helpers import build_context, shown

REFUSALS = (AnswerKind.NOT_FOUND, AnswerKind.NEAREST)


@pytest.fixture(scope="module")
def ctx(tmp_path_factory, backend: str):
    return build_context(tmp_path_factory.mktemp("ask-scp") / "ask.sqlite3", backend=backend)


# --- counts -------------------------------------------------------------------------------


def test_how_many_died_is_answered_by_a_war_killing_them(ctx):
    # "died" (stemmed "di", not "die") is answered by a killing, as "die" is.
    answer = ask(ctx, "how many people died in the civil war according to the medium essay")
    assert answer.kind is AnswerKind.ANSWER
    assert "thirty million" in answer.title
    assert "civil war, killing some thirty million people" in shown(answer)


def test_a_count_is_not_of_what_only_the_sentence_after_it_tells(ctx):
    # "... civil war, killing some thirty million people. After the war is a famine.": the
    # count is the war's dead, not the famine's.
    answer = ask(ctx, "how many people actually died in the volga famine?")
    assert answer.kind in REFUSALS
    assert "thirty million" not in answer.title
