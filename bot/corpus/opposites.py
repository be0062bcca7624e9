"""corpus/compare.yaml: the opposite sides /compare reads judgements by, and the words that
name a deed or an office (a topic with one asks "who?"). Pure: reads a YAML file, stems words."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.corpus.errors import CorpusError
from bot.corpus.lexicon import stems
from bot.yamlfile import read_yaml


@dataclass(frozen=True, slots=True)
class Side:
    """One side of a pair: the word that names it and the stems of every form of it."""

    name: str
    stems: frozenset[str]


@dataclass(frozen=True, slots=True)
class Opposites:
    pairs: tuple[tuple[Side, Side], ...] = ()
    acts: frozenset[str] = frozenset()  # stems

    def is_act(self, word: str) -> bool:
        return any(s in self.acts for s in stems(word))


def load_opposites(path: Path, text: str | None = None) -> Opposites:
    """An absent file is no pairs and no acts; a malformed one a CorpusError naming the line.
    ``text``: a last good copy of the file, served in its place."""
    doc = read_yaml(path, CorpusError, text=text)
    if doc is None:
        return Opposites()
    pairs: list[tuple[Side, Side]] = []
    for number, entry in enumerate(doc.top_list("opposites")):
        if not (isinstance(entry, list) and len(entry) == 2 and all(
                isinstance(side, list) and side and all(isinstance(w, str) and w.strip()
                                                        for w in side) for side in entry)):
            doc.fail(("opposites", number),
                     f"expected two lists of words (one per side), got {entry!r}"[:200])
        one, other = (Side(side[0].strip(), frozenset(s for w in side for s in stems(w)))
                      for side in entry)
        if one.stems & other.stems:
            doc.fail(("opposites", number), "a word is on both sides of the pair")
        pairs.append((one, other))
    acts = doc.top_list("acts")
    if not all(isinstance(w, str) for w in acts):
        doc.fail(("acts",), "expected a list of words")
    return Opposites(tuple(pairs), frozenset(s for w in acts for s in stems(w)))
