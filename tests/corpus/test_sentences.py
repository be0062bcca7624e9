"""bot.corpus.sentences gives syntok's own sentence spans, character for character.

The module re-implements syntok's segmenter for speed (see its docstring); syntok itself is the
oracle here: every paragraph of the real corpus, then generated strings made of the tokens its
rules single out (abbreviations, initials, numbers, months, brackets, quotes, ellipses, line
breaks, camelCase, hyphens, apostrophes).
"""

from __future__ import annotations

import random
import sys

import pytest
import syntok.segmenter as segmenter
from syntok.tokenizer import Tokenizer

from bot.corpus.blocks import split_blocks
from bot.corpus.load import discover_texts, split_front_matter
from bot.corpus.sentences import _SPACES, sentence_at, sentence_spans
from tests.corpus_helpers import REPO


def syntok_spans(text: str) -> list[tuple[int, int]]:
    """What bot.corpus.sentences returned when it called syntok."""
    spans = []
    for paragraph in segmenter.analyze(text):
        for sentence in paragraph:
            tokens = list(sentence)
            if tokens:
                spans.append((tokens[0].offset, tokens[-1].offset + len(tokens[-1].value)))
    return spans or [(0, len(text))]


def _corpus_paragraphs() -> list[str]:
    paragraphs = []
    for path in discover_texts(REPO / "corpus" / "texts"):
        _meta, body, line = split_front_matter(path.read_text(encoding="utf-8"), path)
        paragraphs += [block.text for block in split_blocks(body, line)]
    return paragraphs


def test_every_paragraph_of_the_corpus_splits_as_syntok_splits_it():
    paragraphs = _corpus_paragraphs()
    assert len(paragraphs) > 500
    different = [p[:80] for p in paragraphs if sentence_spans(p) != syntok_spans(p)]
    assert different == []


PIECES = [
    "Mr", "Dr", "St", "vol", "ff", "etc", "no", "No", "NO", "5", "57", "1917", "12.5", "3rd",
    "Jan", "Oct", "Sept", "U.S.S.R.", "E.H.", "Carr", "p.", "A.", "x.y", "e.g.", "I", "II",
    "IV", "XX", "a", "b", "x", "The", "the", "However", "It", "it", "Lenin", "said", "iPhone",
    "endOf", "word.Next", "well-known", "don't", "n't", "O'Brien", "ü", "É", "_", ".", "!",
    "?", ";", "...", "…", ",", ":", "(", ")", "[", "]", "{", "}", "“", "”", '"', "'", "’",
    "‘", "-", "—", "–", "(Trotsky, 66)", "(see", "\u200b", "\n", "\n\n", " \n \n", "\t",
]


@pytest.mark.parametrize("seed", range(4))
def test_generated_strings_split_as_syntok_splits_them(seed):
    rng = random.Random(seed)
    different = []
    for _ in range(1500):
        text = "".join(rng.choice(PIECES) + rng.choice(["", " ", " ", " "])
                       for _ in range(rng.randint(0, 40)))
        if sentence_spans(text) != syntok_spans(text):
            different.append(text)
    assert different == []


@pytest.mark.parametrize("text", [
    "", " ", "\n\n", "  Leading space. Then more.  ", "One.\n\nTwo.", "(A whole sentence.) Next.",
    "As E.H. Carr wrote (p. 57), it was so. The U.S.S.R. grew.", "“Quoted.” He said. No. 5 ran.",
])
def test_edge_cases_split_as_syntok_splits_them(text):
    assert sentence_spans(text) == syntok_spans(text)


def test_the_runs_of_non_space_characters_are_syntoks():
    """_SPACES spells out, for ``re``, the class syntok's ``regex`` pattern matches."""
    different = [hex(c) for c in range(sys.maxunicode + 1)
                 if bool(_SPACES.fullmatch(chr(c))) != bool(Tokenizer._spaces.fullmatch(chr(c)))]
    assert different == []


def test_sentence_at():
    spans = sentence_spans("One. Two. Three.")
    assert [sentence_at(spans, offset) for offset in (0, 5, 12, 99)] == [0, 1, 2, 2]
