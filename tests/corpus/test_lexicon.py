"""The synonym lexicon as questions meet it (corpus/lexicon.yaml, the real file)."""

from __future__ import annotations

import pytest

from bot.corpus.lexicon import Lexicon, load_lexicon
from tests.corpus_helpers import REPO


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_lexicon(REPO / "corpus" / "lexicon.yaml")


@pytest.mark.parametrize("question", [
    "where did his son take his own life?",
    "where did one of the kids take their own life?",
    "how did she take her own life?",
])
def test_a_phrase_is_found_whatever_its_possessive(lexicon, question):
    found = [entry for entry, _, _ in lexicon.phrases_in(question)]
    assert "take his own life" in found
    assert "suicide" in lexicon.alternatives(found[0])


def test_a_possessive_alone_is_no_phrase(lexicon):
    assert lexicon.phrases_in("his their her") == []


def test_one_who_does_it_is_not_the_phrase_of_the_one_it_is_done_to(lexicon):
    # Porter gives "accuser" and "accused" one stem; "the accuser" is the prosecutor
    assert "the accused" not in [entry for entry, _, _ in
                                 lexicon.phrases_in("who was the accuser at the trials?")]
    assert "the accused" in [entry for entry, _, _ in
                             lexicon.phrases_in("who were the accused at the trials?")]
