"""Find the sentences that answer a question: full-text candidates, then a closer reading.

The store ranks sentences holding any of the question's words or their synonyms (BM25). Each
candidate is then read with its neighbours, because the answer often sits in the sentence
after the one that names the subject ("Trotsky was deported. With him went..."): a window is
scored by how much of the question it covers, each word weighted by how rare it is, and the
people the question names must be there (by name, or as "he" right after the name).
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace

from bot.answers.ask.analysis import Question, TermGroup, Vocabulary
from bot.corpus.lexicon import stems
from bot.corpus.people import PeopleRegistry
from bot.store.search import SearchBackend, SentenceHit
from bot.store.sentences import SentenceRepository

CANDIDATES = 40  # sentences the full-text search hands over; the answer is nearly always in them
WITH_NEIGHBOURS = 15  # sentences read with the one before and after
COMMON_SHARE = 0.05  # a synonym in more than this share of the sentences is left out
MAX_FORMS = 12  # forms of one word searched for: the word and its closest synonyms
UNNAMED_CANDIDATES = 20  # sentences searched for without the question's names
NEIGHBOUR_CREDIT = 0.8  # a word found in the next/previous sentence counts this much
LONGER_WINDOW = 0.97  # a window of two sentences must earn its place over one
SECTION_CREDIT = 0.6  # a word found only in the heading of the section, for an "it" or "they"
# A sentence that speaks of something named before it: "When it was formed ...".
_REFERS_BACK = re.compile(r"\b(?:it|its|they|their|them)\b", re.IGNORECASE)
# "I said to Smirnov", "he asked me": a quotation's speaker speaking of themselves.
FIRST_PERSON = re.compile(r"\b(?:I|me|my|myself)\b")
# "he", "his", "they" standing for someone named just before (a sentence's subject or doer).
PRONOUN = re.compile(r"\b(?:he|him|his|she|her|they|their|them)\b", re.IGNORECASE)
# Passages that are a text's apparatus rather than its argument.
_APPARATUS = ("note", "reference")


@dataclass(frozen=True, slots=True)
class Window:
    """A candidate sentence, possibly joined with its neighbour, and how well it fits."""

    main: SentenceHit  # the sentence the full-text search found
    sentences: tuple[SentenceHit, ...]  # main alone, or with the sentence before or after
    coverage: float  # weighted share of the question's words it holds (0..1)
    people_found: bool  # every person the question names is there
    matched: frozenset[str]  # the words (TermGroup.word) it holds
    bm25: float
    # The sentence before the window, read only for whom its first sentence's "he" is: "...
    # the life and death of Leon Trotsky ... He participated ... In both 1905 and 1917 he led
    # the Petrograd Soviet."
    lead_in: str = ""
    #: Who says "I" in the quotation the window stands in, when the question names them and
    #: the window does not ("In the spring of 1924 . . . I said to Smirnov", Trotsky's).
    speaker: str | None = None

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)


#: Windows already found while answering the input being answered (see ``one_input``).
_FOUND: ContextVar[dict[Hashable, list[Window]] | None] = ContextVar("found_windows",
                                                                     default=None)


@contextmanager
def one_input() -> Iterator[None]:
    """Reuse, while one input is answered, the windows found for the same words.

    A "when" question is read twice, as a plain question and for the date it states, and
    both readings ask for the same words: at 100x the corpus the second search and reading
    was a third of the answer's time. Only within one input: what is found depends on the
    index, and a memory across inputs would have to follow re-ingests (and would make a
    benchmark of repeated questions time the memory)."""
    token = _FOUND.set({})
    try:
        yield
    finally:
        _FOUND.reset(token)


def retrieve(question: Question, search: SearchBackend, neighbours: SentenceRepository | None,
             people: PeopleRegistry, vocabulary: Vocabulary | None = None, *,
             apparatus: bool = False, source_slug: str | None = None,
             argument: bool = False, as_it: frozenset[str] = frozenset()) -> list[Window]:
    """Windows best first; ``apparatus``: from notes and reference lists, not the argument;
    ``argument``: from the argument and what it quotes only; ``as_it``: the words (groups)
    of a title the question names, which a sentence after the one naming it calls "it"."""
    found = _FOUND.get()
    # Only the question's words are read (not its kind or wording), and within one input the
    # search, sentences, registry and vocabulary are the same objects throughout.
    key = (question.groups, id(search), id(neighbours), id(people), id(vocabulary),
           apparatus, source_slug, argument, as_it)
    windows = found.get(key) if found is not None else None
    if windows is None:
        windows = _retrieve(question, search, neighbours, people, vocabulary,
                            apparatus=apparatus, source_slug=source_slug, argument=argument,
                            as_it=as_it)
        if found is not None:
            found[key] = windows
    return list(windows)  # the caller may sort or cut its copy


def _retrieve(question: Question, search: SearchBackend, neighbours: SentenceRepository | None,
              people: PeopleRegistry, vocabulary: Vocabulary | None, *, apparatus: bool,
              source_slug: str | None, argument: bool,
              as_it: frozenset[str] = frozenset()) -> list[Window]:
    hits = search.search_sentences(_query_terms(question, vocabulary), limit=CANDIDATES,
                                   source_slug=source_slug)
    if apparatus:  # a book's author is printed in the note that cites it
        hits = [h for h in hits if h.kind in _APPARATUS] or hits
    elif argument:
        hits = [h for h in hits if h.kind not in _APPARATUS]
    else:
        hits = [h for h in hits if h.kind not in _APPARATUS] or hits
    held: _Held = {}
    alone = sorted((_score(question, (hit,), hit, people, held=held) for hit in hits),
                   key=window_rank)
    # Only the best sentences are read with their neighbours: the rest would not win anyway.
    wider = alone[:WITH_NEIGHBOURS]
    pronominal = [*_pronominal(question, search, hits, vocabulary, source_slug),
                  *_called_it(question, search, hits, vocabulary, source_slug, as_it)] \
        if neighbours else []
    around = neighbours.around([*(w.main for w in wider), *pronominal], before=2, after=1) \
        if neighbours else {}
    windows = list(alone)
    for hit in pronominal:
        # "Stalin also took revenge on Trotsky's family. Of his four children, ...": read
        # only with the sentence before, which may name whom "his" stands for.
        previous = next((s for s in around.get(hit.sentence_id, [])
                         if s.sentence_id == hit.sentence_id - 1), None)
        if previous is not None:
            windows.append(_score(question, (previous, hit), hit, people, held=held))
    for window in wider:
        hit = window.main
        context = around.get(hit.sentence_id, [hit])
        index = next((i for i, s in enumerate(context) if s.sentence_id == hit.sentence_id), 0)
        # Only the sentences right by it: one of another kind between (a block quotation, a
        # note) breaks the thread.
        after = context[index + 1] if index + 1 < len(context) else None
        before = [s for s in context[:index] if s.sentence_id >= hit.sentence_id - 2]
        previous = before[-1] if before and before[-1].sentence_id == hit.sentence_id - 1 \
            else None
        if after is not None:
            # "After the expulsion of Trotsky ..., he and his wife ... Then Stalin made the
            # move to expel them ... Their arrival in Istanbul ...": "them" is read back too.
            windows.append(_score(question, (hit, after), hit, people,
                                  previous.text if previous is not None else "", held))
        if previous is not None:
            lead_in = before[0].text if len(before) == 2 else ""
            windows.append(_score(question, (previous, hit), hit, people, lead_in, held))
        if after is not None and previous is not None and asks_itself(hit.text):
            # "One of the best Soviet diplomats was Joffee ... Who replaced him in Berlin?
            # First the repented Oppositionist Krestinsky, then ...": the text's own question,
            # with whom it speaks of before it and its answer after.
            windows.append(_score(question, (previous, hit, after), hit, people, held=held))
    windows.sort(key=window_rank)
    return _unique(windows)


def asks_itself(sentence: str) -> bool:
    """Is the sentence a question the text puts, to answer it in the next sentence?"""
    return sentence.rstrip(" ”\"’'").endswith("?")


def _pronominal(question: Question, search: SearchBackend, hits: list[SentenceHit],
                vocabulary: Vocabulary | None, source_slug: str | None) -> list[SentenceHit]:
    """Sentences holding the question's other words that say "his" or "her" for the person
    it names near their start: the name's hundreds of sentences outrank them in the search."""
    if not any(g.person is not None for g in question.groups):
        return []
    unnamed = replace(question, groups=tuple(g for g in question.groups if g.person is None))
    if not unnamed.groups:
        return []
    seen = {h.sentence_id for h in hits}
    return [h for h in search.search_sentences(_query_terms(unnamed, vocabulary),
                                               limit=UNNAMED_CANDIDATES, source_slug=source_slug)
            if h.kind not in _APPARATUS
            and ((h.sentence_id not in seen and _OPENS_ON_A_PRONOUN.match(h.text))
                 # found alone, it ranks low for lack of the name: read it with the one before
                 or _says_what_they_were(question, h.text))]


def _called_it(question: Question, search: SearchBackend, hits: list[SentenceHit],
               vocabulary: Vocabulary | None, source_slug: str | None,
               as_it: frozenset[str]) -> list[SentenceHit]:
    """Sentences holding the question's other words that call the title it names "it"
    ("The Revolution Betrayed is a book so stamped by its own immediate historicity.
    Trotsky wrote it in the first half of 1936 in a tiny village northwest of Oslo"): the
    title's many sentences outrank them in the search."""
    if not as_it:
        return []
    # The question's other words with "it" right by them, as phrases: "wrote it", "it
    # appeared" (the name's hundreds of sentences would outrank the words alone).
    rest = [g for g in question.groups if g.word not in as_it and g.person is None]
    terms = [phrase for group in rest for form in _distinct_forms(group)[:MAX_FORMS]
             for phrase in (f"{form} it", f"it {form}")]
    if not terms:
        return []
    seen = {h.sentence_id for h in hits}
    return [h for h in search.search_sentences(terms, limit=UNNAMED_CANDIDATES,
                                               source_slug=source_slug)
            if h.kind not in _APPARATUS and h.sentence_id not in seen]


# "was stalin an old bolshevik?" is answered by "He was an Old Bolshevik, having worked with
# Lenin ...", the sentence after the one naming him.
_ASKS_WHAT_THEY_WERE = re.compile(r"^(?:was|is|were|are)\s+\S", re.IGNORECASE)
_OPENS_ON_HE_WAS = re.compile(r"^\W*(?:He|She)\s+(?:was|is|had been|became|remained)\b")


def _says_what_they_were(question: Question, sentence: str) -> bool:
    """Does a sentence say what "he" or "she" was, for a question whether someone was it?"""
    return _ASKS_WHAT_THEY_WERE.match(question.text) is not None and \
        _OPENS_ON_HE_WAS.match(sentence) is not None


# "Of his four children, ...", "His wife ...": what is theirs, said of them by "his" or "her"
# near the start ("he" alone is too often someone else's: "That June, he told Serge ...").
_OPENS_ON_A_PRONOUN = re.compile(r"^\W*(?:[\w’'-]+\W+){0,3}?(?:his|her)\b", re.IGNORECASE)


def window_rank(window: Window) -> tuple[float, int, float]:
    """Best first: coverage (with every person named), then one sentence before two, then BM25."""
    return (-(window.coverage + (0.2 if window.people_found else 0)), len(window.sentences),
            -window.bm25)


def _query_terms(question: Question, vocabulary: Vocabulary | None) -> list[str]:
    """The words to search for: each group's forms, less synonyms so common that they would
    only make the index rank half the corpus (the question's own word always stays)."""
    # Round by round (every group's own word first, then each one's first synonym...), so
    # that the search's word limit never drops a whole word of the question.
    rounds: list[list[str]] = []
    for group in question.groups:
        for number, alternative in enumerate(_distinct_forms(group)[:MAX_FORMS]):
            common = vocabulary is not None and number > 0 and group.person is None and min(
                (vocabulary.documents.get(s, 0) for s in stems(alternative)), default=0
            ) > vocabulary.sentences * COMMON_SHARE
            if not common:
                while len(rounds) <= number:
                    rounds.append([])
                rounds[number].append(alternative)
    return [term for round_ in rounds for term in round_]


def _distinct_forms(group: TermGroup) -> list[str]:
    """The group's forms, one per stem: the index stems "founded", "founding" and "founder"
    alike, so searching all three would spend the word limit on one word ("formed", further
    down the group, was never searched for "when did Trotsky start the Left Opposition?")."""
    if group.person is not None:
        return list(group.alternatives)
    seen: set[tuple[str, ...]] = set()
    forms: list[str] = []
    for alternative in group.alternatives:
        key = tuple(stems(alternative))
        if key not in seen:
            seen.add(key)
            forms.append(alternative)
    return forms


@dataclass(frozen=True, slots=True)
class Words:
    """A sentence's stems, as a set for words and joined for phrases, and their roots."""

    present: frozenset[str]
    joined: str
    roots: frozenset[str]

    @classmethod
    def of(cls, text: str) -> Words:
        found = _WORDS.get(text)
        if found is None:
            if len(_WORDS) >= WORDS_CACHE:
                _WORDS.clear()
            tokens = stems(text)
            found = _WORDS[text] = cls(frozenset(tokens), " " + " ".join(tokens) + " ",
                                       frozenset(root(t) for t in tokens))
        return found


# Porter leaves a word and the words made from it apart ("wicked" wick, "wickedness"
# wicked; "simple" simpl, "simply" simpli; "urban", "urbanised" urbanis): a sentence holds
# a word of the question when it holds one made from the same root.
_DERIVED = ("ness", "less", "est", "ed", "ti", "is", "iz", "i")
ROOT_LENGTH = 4  # letters a root keeps: "need" is not "ne" + "ed"


def root(word_stem: str) -> str:
    """A stem less the derivational endings Porter keeps: wickedness -> wick."""
    found = _ROOTS.get(word_stem)
    if found is None:
        if len(_ROOTS) >= ROOTS_CACHE:
            _ROOTS.clear()
        found = _ROOTS[word_stem] = _root(word_stem)
    return found


#: stem -> root: every sentence read and every quotation indexed asks for the same few
#: thousand words' roots again and again.
_ROOTS: dict[str, str] = {}
ROOTS_CACHE = 200_000


def _root(word_stem: str) -> str:
    changed = True
    while changed:
        changed = False
        for ending in _DERIVED:
            if word_stem.endswith(ending) and len(word_stem) - len(ending) >= ROOT_LENGTH:
                word_stem, changed = word_stem[:-len(ending)], True
                break
    return word_stem


_WORDS: dict[str, Words] = {}
WORDS_CACHE = 20_000  # sentences whose stems are remembered


def covered(group: TermGroup, text: str, people: PeopleRegistry) -> bool:
    """Does a sentence hold this word (any alternative) or name this person?"""
    if group.person is not None:
        return group.person.name in people.names_in(text) or (
            bool(group.regime) and any(s in Words.of(text).present for s in group.regime))
    words = Words.of(text)
    singles, roots, phrases = _forms(group.stems)
    if not singles.isdisjoint(words.present) or not roots.isdisjoint(words.roots):
        return True
    return any(phrase in words.joined for phrase in phrases)


_Forms = tuple[frozenset[str], frozenset[str], tuple[str, ...]]
#: A group's stems as ``covered`` reads them (its one-word stems, their roots, its phrases
#: joined): the same few groups are read against thousands of sentences per question.
_FORMS: dict[tuple[tuple[str, ...], ...], _Forms] = {}
FORMS_CACHE = 50_000


def _forms(group_stems: tuple[tuple[str, ...], ...]) -> _Forms:
    found = _FORMS.get(group_stems)
    if found is None:
        if len(_FORMS) >= FORMS_CACHE:
            _FORMS.clear()
        singles = frozenset(phrase[0] for phrase in group_stems if len(phrase) == 1)
        found = _FORMS[group_stems] = (
            singles, frozenset(root(s) for s in singles),
            tuple(f" {' '.join(phrase)} " for phrase in group_stems if len(phrase) > 1))
    return found


#: (group number, sentence) -> does the sentence hold the group; one per question read, for
#: a sentence is scored alone and with each neighbour (a fifth of a question's time).
_Held = dict[tuple[int, str], bool]


def _holds(held: _Held, number: int, group: TermGroup, text: str, people: PeopleRegistry
           ) -> bool:
    key = (number, text)
    found = held.get(key)
    if found is None:
        found = held[key] = covered(group, text, people)
    return found


def _score(question: Question, sentences: tuple[SentenceHit, ...], main: SentenceHit,
           people: PeopleRegistry, lead_in: str = "", held: _Held | None = None) -> Window:
    held = {} if held is None else held
    total = sum(g.weight for g in question.groups) or 1.0
    got = 0.0
    matched: set[str] = set()
    people_found = True
    per_sentence = [(s, s.text) for s in sentences]
    heading = heading_read(main)
    for number, group in enumerate(question.groups):
        credit = 0.0
        for position, (sentence, _) in enumerate(per_sentence):
            if _holds(held, number, group, sentence.text, people):
                credit = max(credit, 1.0 if sentence is main else NEIGHBOUR_CREDIT)
            elif (group.person is not None and position > 0 and PRONOUN.search(sentence.text)
                  and (_holds(held, number, group, per_sentence[0][1], people) or (
                      # "Leon Trotsky ... . He ... . ... he led": a "he" carried on
                      lead_in and PRONOUN.search(per_sentence[0][1])
                      and _holds(held, number, group, lead_in, people)))):
                credit = max(credit, NEIGHBOUR_CREDIT)  # "Trotsky ... . He ..."
        if not credit and group.person is None and heading and \
                _holds(held, number, group, heading, people):
            # "## The Fourth International ... When it was formed it consisted of about
            # 3,000 Marxists": what "it" is, the heading of its section says.
            credit = SECTION_CREDIT
        if credit:
            matched.add(group.word)
        elif group.person is not None and not group.setting:
            people_found = False
        got += group.weight * credit
    coverage = got / total
    if len(sentences) > 1:
        coverage *= LONGER_WINDOW
    return Window(main, sentences, coverage, people_found, frozenset(matched), main.score,
                  lead_in)


def heading_read(window: Window | SentenceHit) -> str:
    """The heading of the section a sentence stands in, when the sentence speaks of
    something named before it ("it", "they"): the heading may be what it speaks of."""
    main = window.main if isinstance(window, Window) else window
    if main.section_title and _REFERS_BACK.search(main.text):
        return main.section_title
    return ""


def _unique(windows: list[Window]) -> list[Window]:
    seen: set[tuple[int, ...]] = set()
    kept = []
    for window in windows:
        key = tuple(s.sentence_id for s in window.sentences)
        if key not in seen:
            seen.add(key)
            kept.append(window)
    return kept
