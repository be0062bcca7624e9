"""The index /quote searches descriptions in: every quotation with the words around it.

A reader describing a quotation uses the words around it as much as its own: the speaker and
the occasion are named in the sentence that introduces it ("Trotsky replied", "In his will
…"), and the sentence after often says what it meant. So every quotation is indexed with
three sets of words, each worth a little less than the one before:

- its own words (``OWN``);
- the sentence it stands in, the speaker, who quotes it and an unnamed source's words
  (``SENTENCE``);
- the sentence before and the sentence after (``AROUND``).

Words are kept as Porter stems and their roots (``retrieve.root``: "wickedness" and
"wicked"), without stop words. Built once per ingest by ``QuoteCatalog.meaning``; scoring is in
``meaning.py``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from bot.answers.ask.analysis import QUESTION_WORDS
from bot.answers.ask.retrieve import root
from bot.corpus.lexicon import TOKEN, stem
from bot.store.quotes import QuoteSurroundings
from bot.store.search import STOP_WORDS

#: Credit for a word found in each part of a quotation's surroundings.
OWN, SENTENCE, AROUND = 1.0, 0.85, 0.7
#: Words that say the reader is describing a quotation, not what it says.
DESCRIBING = frozenset(stem(w) for w in """
    line lines bit part quote quotes quotation quoted phrase passage sentence words word remark
    saying says said talk talks talking describe describes described describing write writes
    wrote writing tell tells telling told mention mentions mentioning comment comments
    claim claims claiming argue argues arguing""".split())
IGNORED = frozenset(stem(w) for w in QUESTION_WORDS | STOP_WORDS) | DESCRIBING


def keys(word_stem: str) -> tuple[str, str]:
    """A stem and its root ("wickedness" wicked, wick): what a word is compared by."""
    return word_stem, root(word_stem)


def terms_of(text: str, seen: dict[str, frozenset[str]] | None = None) -> frozenset[str]:
    """The keys of a text's telling words; ``seen``: texts already split, by their words.

    Building the index passes its own ``seen``: the same sentence stands before, in or after
    several quotations, and a text's copies share most of their sentences word for word, so
    splitting each one once was most of the build's time. It is dropped with the build,
    since keeping every sentence would cost the bot more memory than the index itself.
    """
    found = seen.get(text) if seen is not None else None
    if found is None:
        found = _terms_of_tokens(frozenset(TOKEN.findall(text.casefold())))
        if seen is not None:
            seen[text] = found
    return found


def _terms_of_tokens(tokens: frozenset[str]) -> frozenset[str]:
    found = _BY_TOKENS.get(tokens)
    if found is None:
        keys_found: set[str] = set()
        for token in tokens:
            known = _KEYS.get(token)
            if known is None:
                word_stem = stem(token)
                known = _KEYS[token] = () if word_stem in IGNORED else keys(word_stem)
            keys_found.update(known)
        found = frozenset(keys_found)
        if len(_BY_TOKENS) >= CACHED_TEXTS:
            _BY_TOKENS.clear()
        _BY_TOKENS[tokens] = found
    return found


#: token -> its keys (none for a stop word): building the index meets each word many times.
_KEYS: dict[str, tuple[str, ...]] = {}
#: A text's set of tokens -> its keys. The same sentence surrounds several quotations, and a
#: text given twice in other words order (the benchmark's copies) has the same set.
_BY_TOKENS: dict[frozenset[str], frozenset[str]] = {}
CACHED_TEXTS = 200_000


@dataclass(frozen=True, slots=True)
class Described:
    """What scoring needs of one quotation besides its words."""

    quotation_id: int
    slug: str
    speaker: str | None
    length: int  # characters: between equal matches the shorter quotation is more precise
    passage_id: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Surroundings:
    """The three sets of words of a quotation; several quotations may share one (the same
    words quoted in two texts, or a text and its copy)."""

    own: frozenset[str]
    sentence: frozenset[str]
    around: frozenset[str]
    quotations: tuple[int, ...]  # who has these words, in id order


@dataclass(frozen=True, slots=True)
class MeaningIndex:
    """Each distinct set of surroundings, and for each word the ones holding it."""

    quotations: dict[int, Described]
    surroundings: tuple[Surroundings, ...]
    postings: dict[str, frozenset[int]]  # term -> positions in ``surroundings``
    of: dict[int, int]  # quotation id -> position of its surroundings
    in_passage: dict[int, tuple[int, ...]]  # passage id -> its quotations

    def inside(self, quotation_id: int) -> list[int]:
        """The quotations nested in this one (words quoted inside it), smallest first."""
        outer = self.quotations[quotation_id]
        found = [self.quotations[q] for q in self.in_passage.get(outer.passage_id, ())
                 if q != quotation_id]
        return [d.quotation_id for d in sorted(found, key=lambda d: d.length)
                if outer.start <= d.start and d.end <= outer.end and d.length < outer.length]

    @property
    def size(self) -> int:
        return len(self.surroundings)

    def weight(self, df: int) -> float:
        """Inverse document frequency among the distinct surroundings."""
        return math.log(1 + self.size / (1 + df))


def build_meaning_index(rows: Iterable[QuoteSurroundings]) -> MeaningIndex:
    quotations: dict[int, Described] = {}
    found: dict[tuple[frozenset[str], frozenset[str], frozenset[str]], list[int]] = {}
    seen: dict[str, frozenset[str]] = {}
    for row in rows:
        names = " ".join(filter(None, (row.speaker, *row.quoted_by, row.source_words)))
        mine = terms_of(row.text, seen)
        near = (terms_of(row.sentence, seen) | terms_of(names, seen)) - mine
        # The sentences before and after apart (the same words as together: no word runs
        # across the space that joined them), so that each is looked up as it is stored.
        far = (terms_of(row.before, seen) | terms_of(row.after, seen)) - mine - near
        found.setdefault((mine, near, far), []).append(row.quotation_id)
        quotations[row.quotation_id] = Described(row.quotation_id, row.slug, row.speaker,
                                                 len(row.text), row.passage_id, row.start,
                                                 row.end)
    surroundings = tuple(Surroundings(own, near, far, tuple(ids))
                         for (own, near, far), ids in found.items())
    postings: dict[str, list[int]] = {}
    for position, doc in enumerate(surroundings):
        for term in doc.own | doc.sentence | doc.around:
            postings.setdefault(term, []).append(position)
    in_passage: dict[int, list[int]] = {}
    for described in quotations.values():
        in_passage.setdefault(described.passage_id, []).append(described.quotation_id)
    return MeaningIndex(quotations, surroundings,
                        {t: frozenset(ids) for t, ids in postings.items()},
                        {q: n for n, doc in enumerate(surroundings) for q in doc.quotations},
                        {p: tuple(ids) for p, ids in in_passage.items()})
