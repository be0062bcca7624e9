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

import bisect
import gc
import itertools
import math
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field

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
    """What scoring needs of one quotation besides its words (made on demand from the
    index's arrays: kept as objects, one per quotation, they were most of its memory)."""

    quotation_id: int
    slug: str
    speaker: str | None
    length: int  # characters: between equal matches the shorter quotation is more precise
    passage_id: int
    start: int
    end: int
    #: An unnamed source's words as terms ("a rough workman": rough, workman), if any.
    source_terms: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Surroundings:
    """The three sets of words of a quotation; several quotations may share one (the same
    words quoted in two texts, or a text and its copy)."""

    own: frozenset[str]
    sentence: frozenset[str]
    around: frozenset[str]
    quotations: array[int]  # who has these words, in id order


class MeaningIndex:
    """Each distinct set of surroundings, and for each word the ones holding it.

    The quotations themselves are columns (``array``s of machine ints, one row per quotation
    in id order) rather than an object and dictionary entries each: at 100x the corpus that
    was 16 MB of the index's 26, for 40,000 quotations sharing 430 sets of surroundings
    (4-byte columns where a paragraph offset or a position fits, 8 for row ids).
    A quotation is found by bisecting the id column, a paragraph's by bisecting a copy of the
    passage column sorted by passage (ties in id order, as they were listed before).
    """

    __slots__ = ("_by_passage", "_end", "_ids", "_inside", "_length", "_passage", "_passages",
                 "_position", "_slug", "_slugs", "_source", "_sources", "_speaker", "_speakers",
                 "_start", "postings", "surroundings")

    def __init__(self, rows: _Columns, surroundings: tuple[Surroundings, ...],
                 postings: dict[str, frozenset[int]]) -> None:
        self._ids, self._passage = rows.ids, rows.passage
        self._start, self._end, self._length = rows.start, rows.end, rows.length
        self._position, self._slug, self._speaker = rows.position, rows.slug, rows.speaker
        self._slugs, self._speakers = tuple(rows.slugs), tuple(rows.speakers)
        self._source, self._sources = rows.source, tuple(rows.sources)
        order = sorted(range(len(rows.ids)), key=rows.passage.__getitem__)
        self._by_passage = array("i", order)  # rows, by passage then id
        self._passages = array("q", (rows.passage[r] for r in order))
        self.surroundings = surroundings
        self.postings = postings  # term -> positions in ``surroundings``
        # ``inside`` per quotation asked about, filled on demand: every description asks it
        # of hundreds of candidates, and a paragraph's quotations never change until the
        # index is rebuilt.
        self._inside: dict[int, tuple[int, ...]] = {}

    def _row(self, quotation_id: int) -> int | None:
        at = bisect.bisect_left(self._ids, quotation_id)
        return at if at < len(self._ids) and self._ids[at] == quotation_id else None

    def described(self, quotation_id: int) -> Described | None:
        """The quotation with that id, None if the index has no such quotation."""
        row = self._row(quotation_id)
        return None if row is None else self._described(row)

    def __getitem__(self, quotation_id: int) -> Described:
        found = self.described(quotation_id)
        if found is None:
            raise KeyError(quotation_id)
        return found

    def _described(self, row: int) -> Described:
        return Described(self._ids[row], self._slugs[self._slug[row]],
                         self._speakers[self._speaker[row]], self._length[row],
                         self._passage[row], self._start[row], self._end[row],
                         self._sources[self._source[row]])

    def of(self, quotation_id: int) -> Surroundings | None:
        """The quotation's surroundings, None if the index has no such quotation."""
        row = self._row(quotation_id)
        return None if row is None else self.surroundings[self._position[row]]

    def in_passage(self, passage_id: int) -> list[Described]:
        """The quotations of a paragraph, in id order."""
        lo = bisect.bisect_left(self._passages, passage_id)
        hi = bisect.bisect_right(self._passages, passage_id, lo)
        return [self._described(self._by_passage[at]) for at in range(lo, hi)]

    def inside(self, quotation_id: int) -> tuple[int, ...]:
        """The quotations nested in this one (words quoted inside it), smallest first."""
        known = self._inside.get(quotation_id)
        if known is not None:
            return known
        outer = self[quotation_id]
        found = [d for d in self.in_passage(outer.passage_id) if d.quotation_id != quotation_id]
        inner = tuple(d.quotation_id for d in sorted(found, key=lambda d: d.length)
                      if outer.start <= d.start and d.end <= outer.end
                      and d.length < outer.length)
        self._inside[quotation_id] = inner
        return inner

    @property
    def size(self) -> int:
        return len(self.surroundings)

    def weight(self, df: int) -> float:
        """Inverse document frequency among the distinct surroundings."""
        return math.log(1 + self.size / (1 + df))


@dataclass(slots=True)
class _Columns:
    """The quotations as the index keeps them, filled one row at a time."""

    ids: array[int] = field(default_factory=lambda: array("q"))
    passage: array[int] = field(default_factory=lambda: array("q"))
    start: array[int] = field(default_factory=lambda: array("i"))
    end: array[int] = field(default_factory=lambda: array("i"))
    length: array[int] = field(default_factory=lambda: array("i"))
    position: array[int] = field(default_factory=lambda: array("i"))  # its surroundings
    slug: array[int] = field(default_factory=lambda: array("i"))  # in ``slugs``
    speaker: array[int] = field(default_factory=lambda: array("i"))  # in ``speakers``
    source: array[int] = field(default_factory=lambda: array("i"))  # in ``sources``
    slugs: dict[str, int] = field(default_factory=dict)
    speakers: dict[str | None, int] = field(default_factory=lambda: {None: 0})
    sources: dict[frozenset[str], int] = field(default_factory=lambda: {frozenset(): 0})


def build_meaning_index(rows: Iterable[QuoteSurroundings]) -> MeaningIndex:
    columns = _Columns()
    found: dict[tuple[frozenset[str], frozenset[str], frozenset[str]], int] = {}
    members: list[array[int]] = []
    seen: dict[str, frozenset[str]] = {}
    slug = None
    for row in rows:
        if row.slug != slug:
            # Sentences repeat between neighbouring quotations of one text, hardly ever
            # beyond it (a text's copy is matched by its set of words, ``_BY_TOKENS``):
            # keeping every text's sentences until the end was most of the build's peak.
            seen.clear()
            slug = row.slug
        names = " ".join(filter(None, (row.speaker, *row.quoted_by, row.source_words)))
        mine = terms_of(row.text, seen)
        near = (terms_of(row.sentence, seen) | terms_of(names, seen)) - mine
        # The sentences before and after apart (the same words as together: no word runs
        # across the space that joined them), so that each is looked up as it is stored.
        far = (terms_of(row.before, seen) | terms_of(row.after, seen)) - mine - near
        position = found.setdefault((mine, near, far), len(found))
        if position == len(members):
            members.append(array("q"))
        members[position].append(row.quotation_id)
        columns.ids.append(row.quotation_id)
        columns.passage.append(row.passage_id)
        columns.start.append(row.start)
        columns.end.append(row.end)
        columns.length.append(len(row.text))
        columns.position.append(position)
        columns.slug.append(columns.slugs.setdefault(row.slug, len(columns.slugs)))
        columns.speaker.append(columns.speakers.setdefault(row.speaker, len(columns.speakers)))
        unnamed = terms_of(row.source_words, seen) if row.source_words else frozenset()
        columns.source.append(columns.sources.setdefault(unnamed, len(columns.sources)))
    seen.clear()
    _BY_TOKENS.clear()  # a build-time cache: what a text's copies share is now in ``found``
    if any(a >= b for a, b in itertools.pairwise(columns.ids)):
        raise ValueError("quotation rows must come in id order, once each")
    surroundings = tuple(Surroundings(own, near, far, members[n])
                         for n, (own, near, far) in enumerate(found))
    postings: dict[str, list[int]] = {}
    for position, doc in enumerate(surroundings):
        for term in doc.own | doc.sentence | doc.around:
            postings.setdefault(term, []).append(position)
    index = MeaningIndex(columns, surroundings,
                         {t: frozenset(ids) for t, ids in postings.items()})
    gc.collect()  # the build's garbage, before the next build or answer adds to the peak
    return index
