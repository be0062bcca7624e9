"""Each text's sentences on a topic, best first: the line /compare shows for the text.

Candidates come from the sentence search (BM25 over the topic's words and their synonyms),
one search per text, so that a short text is not crowded out by a long one. Each candidate is
then read closely: a word of the topic counts fully when the sentence holds it as typed, less
when only a synonym stands for it ("sailors" is not "Kronstadt"), and less again when only the
sentence before it, in the same paragraph, holds it ("This was the bureaucracy ... Notice that
it is not a class"). A sentence speaks of the topic when it holds nearly all of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from bot.answers.ask.analysis import TermGroup
from bot.answers.ask.engine import texts_and_works, vocabulary_of
from bot.answers.ask.retrieve import NEIGHBOUR_CREDIT, Window, covered, retrieve, root
from bot.answers.compare.topic import Topic
from bot.answers.core.context import AnswerContext
from bot.corpus.lexicon import Lexicon, stems
from bot.corpus.people import PeopleRegistry
from bot.store.search import SentenceHit
from bot.store.sources import SourceRecord

SYNONYM_CREDIT = 0.7  # a synonym standing for a word of the topic
ON_TOPIC = 0.75  # weighted share of the topic a sentence must hold to speak of it
# Passages that are a text's apparatus (its notes and reference list), not what it says.
APPARATUS = frozenset({"note", "reference"})
QUOTED = frozenset({"block_quote", "epigraph"})  # another writer's words the text quotes


@dataclass(frozen=True, slots=True)
class Reading:
    """One sentence read for the topic."""

    hit: SentenceHit
    window: Window  # as the retrieval found it (the date extractor reads it)
    coverage: float
    whole: bool  # every word of the topic is in the sentence itself, not only beside it
    phrase: bool  # the topic's words stand together, in order
    span: int  # tokens from the first of the topic's words to the last
    before: SentenceHit | None = None  # the sentence before it that carries part of the topic

    def key(self) -> tuple[float, bool, int, float]:
        return (-round(self.coverage, 3), not self.phrase, self.span, -self.hit.score)


@dataclass(frozen=True, slots=True)
class TextLine:
    source: SourceRecord
    readings: tuple[Reading, ...]  # the sentences that speak of the topic, best first

    @property
    def best(self) -> Reading:
        return self.readings[0]

    @property
    def whole(self) -> tuple[Reading, ...]:
        """The sentences that hold all of the topic themselves: what disagreements compare."""
        return tuple(r for r in self.readings if r.whole)


def text_lines(ctx: AnswerContext, topic: Topic) -> tuple[list[TextLine], list[SourceRecord]]:
    """(the texts that speak of the topic, best first; the texts silent on it, by title)."""
    texts, _ = texts_and_works(ctx)
    vocabulary = vocabulary_of(ctx)
    speaking: list[TextLine] = []
    silent: list[SourceRecord] = []
    found = [(source, retrieve(topic.question, ctx.search, ctx.store.sentences, ctx.people,
                               vocabulary, source_slug=source.slug)) for source in texts]
    # The retrieval reads only its best candidates with their neighbours; a sentence that
    # holds part of the topic ("it is not a class") needs the one before it, so every
    # candidate gets it, in one query for all the texts.
    alone = [w.main for _, windows in found for w in windows
             if len(w.sentences) == 1 and w.main.kind not in APPARATUS]
    previous = {sentence_id: context[0] for sentence_id, context in
                ctx.store.sentences.around(alone, before=1, after=0).items()
                if len(context) == 2 and context[0].passage_id == context[1].passage_id}
    for source, windows in found:
        readings = _readings(topic, windows, previous, ctx.people, ctx.lexicon)
        if readings:
            speaking.append(TextLine(source, tuple(readings)))
        else:
            silent.append(source)
    speaking.sort(key=lambda line: (line.best.key(), -len(line.readings), line.source.title))
    return speaking, silent


def _readings(topic: Topic, windows: list[Window], previous: dict[int, SentenceHit],
              people: PeopleRegistry, lexicon: Lexicon) -> list[Reading]:
    best: dict[int, Reading] = {}
    for window in windows:
        main = window.main
        if main.kind in APPARATUS or len(window.sentences) > 1:
            continue  # the retrieval's own pairs: every sentence is paired with the one before
        pairs: list[tuple[Window, SentenceHit | None]] = [(window, None)]
        before = previous.get(main.sentence_id)
        if before is not None:
            pairs.append((Window(main, (before, main), window.coverage, window.people_found,
                                 window.matched, window.bm25), before))
        for read_as, earlier in pairs:
            reading = read(topic, main, read_as, earlier, people, lexicon)
            known = best.get(main.sentence_id)
            if reading is not None and (known is None or reading.key() < known.key()):
                best[main.sentence_id] = reading
    return sorted(best.values(), key=Reading.key)


def read(topic: Topic, hit: SentenceHit, window: Window, before: SentenceHit | None,
         people: PeopleRegistry, lexicon: Lexicon) -> Reading | None:
    """The sentence as a reading of the topic, or None when it does not speak of it."""
    total = sum(g.weight for g in topic.groups) or 1.0
    got, held, whole, used_before = 0.0, 0, True, False
    words = _Words.of(topic, hit.text, lexicon)
    earlier = _Words.of(topic, before.text, lexicon) if before is not None else None
    # A section's heading says what its sentences are about ("The Fourth International").
    heading = _Words.of(topic, hit.section_title, lexicon) if hit.section_title else None
    for group in topic.groups:
        credit = _credit(topic, group, words, people)
        if credit < 1:
            beside = _credit(topic, group, earlier, people) if earlier is not None else 0.0
            above = _credit(topic, group, heading, people) if heading is not None else 0.0
            if max(beside, above) * NEIGHBOUR_CREDIT > credit:
                whole = False
                credit = max(beside, above) * NEIGHBOUR_CREDIT
                used_before = used_before or beside >= above
        if credit:
            held += 1
        got += group.weight * credit
    coverage = got / total
    # A short topic is all there or not there; a long one by most of its words.
    needed = len(topic.groups) if len(topic.groups) <= 2 else (len(topic.groups) + 1) // 2
    if coverage < ON_TOPIC or held < needed:
        return None
    return Reading(hit, window, coverage, whole, _in_order(topic, hit.text),
                   words.span(topic), before if used_before else None)


def _credit(topic: Topic, group: TermGroup, words: _Words, people: PeopleRegistry) -> float:
    """1 for the word as typed (or a form of it), less for a synonym or the word's opposite
    ("caste" for "class": a sentence that takes the other side still speaks of it)."""
    if group.person is not None:
        return 1.0 if covered(group, words.text, people) else 0.0
    typed = group.stems[0] if group.stems else ()
    best = 0.0
    for phrase in group.stems:
        if words.holds(phrase):
            best = max(best, 1.0 if variant(phrase, typed) else SYNONYM_CREDIT)
    if not best and any(words.holds((s,)) for s in topic.opposite_stems(group)):
        best = SYNONYM_CREDIT
    return best


def variant(phrase: tuple[str, ...], typed: tuple[str, ...]) -> bool:
    """Another form of the typed word ("bureaucratic" of "bureaucracy"), not a synonym: Porter
    leaves such forms apart, their stems share most of their letters."""
    if len(phrase) != len(typed):
        return False
    for a, b in zip(phrase, typed, strict=True):
        shared = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y),
                      min(len(a), len(b)))
        if a != b and shared < max(5, min(len(a), len(b), 7)):
            return False
    return True


@dataclass(frozen=True, slots=True)
class _Words:
    """A sentence's stems, less the words that belong to a longer term of the lexicon the
    topic does not name ("class" in "working class" is the workers, not the topic's class)."""

    text: str
    stems: tuple[str, ...]
    roots: frozenset[str]

    @classmethod
    def of(cls, topic: Topic, text: str, lexicon: Lexicon) -> _Words:
        key = (text, topic.phrase_keys)
        found = _WORDS.get(key)
        if found is None:
            if len(_WORDS) >= PHRASES_CACHE:
                _WORDS.clear()
            found = _WORDS[key] = cls._read(topic, text, lexicon)
        return found

    @classmethod
    def _read(cls, topic: Topic, text: str, lexicon: Lexicon) -> _Words:
        tokens = list(stems(text))
        wanted = topic.phrase_keys
        for key, start, end in _phrases(lexicon, text):
            if key not in wanted:
                tokens[start:end] = [""] * (end - start)
        return cls(text, tuple(tokens), frozenset(_root(t) for t in tokens if t))

    def holds(self, phrase: tuple[str, ...]) -> bool:
        if not phrase:
            return False
        if len(phrase) == 1:
            return phrase[0] in self.stems or _root(phrase[0]) in self.roots
        return f" {' '.join(phrase)} " in " " + " ".join(self.stems) + " "

    def span(self, topic: Topic) -> int:
        """Tokens from the first to the last of the topic's words: the closer, the more the
        sentence is about them together."""
        places = [i for i, s in enumerate(self.stems) if s and s in topic.all_stems]
        return places[-1] - places[0] if places else len(self.stems)


_root = lru_cache(maxsize=65536)(root)
_WORDS: dict[tuple[str, frozenset[str]], _Words] = {}
_PHRASES: dict[tuple[int, str], tuple[tuple[str, int, int], ...]] = {}
PHRASES_CACHE = 20_000  # sentences whose lexicon phrases are remembered


def _phrases(lexicon: Lexicon, text: str) -> tuple[tuple[str, int, int], ...]:
    """The lexicon's multi-word terms in a sentence (joined stems, first token, token after
    the last), remembered: finding them is most of the cost of reading a sentence."""
    key = (id(lexicon), text)
    found = _PHRASES.get(key)
    if found is None:
        if len(_PHRASES) >= PHRASES_CACHE:
            _PHRASES.clear()
        found = _PHRASES[key] = tuple((" ".join(stems(entry)), start, end)
                                      for entry, start, end in lexicon.phrases_in(text))
    return found


def _in_order(topic: Topic, text: str) -> bool:
    phrase = topic.phrase
    if len(phrase) < 2:
        return False
    return f" {' '.join(phrase)} " in " " + " ".join(stems(text)) + " "
