"""bot.corpus.wordtrie: a word list as a trie finds exactly what the plain alternation finds."""

from __future__ import annotations

import random
import re

import pytest

from bot.corpus.attribution import _VERBS
from bot.corpus.dates import _MONTH_WORDS
from bot.corpus.wordtrie import alternation


@pytest.mark.parametrize(("words", "flags"), [
    (_VERBS.split("|"), re.IGNORECASE),
    (_MONTH_WORDS, 0),
    (["a", "an", "one", "on", "early in", "in"], re.IGNORECASE),
])
def test_the_trie_finds_what_the_plain_alternation_finds(words, flags):
    plain = re.compile(rf"\b(?:{'|'.join(map(re.escape, words))})\b", flags)
    trie = re.compile(rf"\b(?:{alternation(words)})\b", flags)
    pieces = [*words, "x", "s", "ed", "S", "May", "MAY", "-", ",", ".", "’", " ", " "]
    rng = random.Random(1917)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) + rng.choice(["", " "])
                       for _ in range(rng.randint(0, 12)))
        assert [m.span() for m in trie.finditer(text)] == \
            [m.span() for m in plain.finditer(text)], text


def test_words_whose_order_matters_are_left_as_given():
    # "put" and "put it" can both match at one place: the first listed wins, so no trie.
    assert alternation(["put", "put it"]) == r"put|put\ it"
    assert alternation(["say", "says"]) == "says?"
