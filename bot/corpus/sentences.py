"""Sentence spans, using syntok (abbreviations such as 'E.H. Carr', 'U.S.S.R.', 'p. 57')."""

from __future__ import annotations

import syntok.segmenter as segmenter


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of one paragraph, in order."""
    spans: list[tuple[int, int]] = []
    for paragraph in segmenter.analyze(text):
        for sentence in paragraph:
            tokens = list(sentence)
            if tokens:
                start = tokens[0].offset
                end = tokens[-1].offset + len(tokens[-1].value)
                spans.append((start, end))
    return spans or [(0, len(text))]


def sentence_at(spans: list[tuple[int, int]], offset: int) -> int:
    """Index of the sentence that contains a character offset."""
    for index, (start, end) in enumerate(spans):
        if start <= offset < end:
            return index
    return max(0, len(spans) - 1)
