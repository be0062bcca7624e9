"""Where the texts disagree on a topic, and where they agree: dates, numbers, names and
judgements, each value with the sentence and the place that give it.

The rule throughout: only claim a disagreement when both sentences are about the same thing.
A sentence counts only when it holds the whole topic itself (judgements also take the
sentence before it in the same paragraph, for "it is not a class"), and each kind adds its
own test of sameness below. When in doubt nothing is claimed: the lines are still shown.

- dates: a curated event the topic names (corpus/events.yaml, where sameness was checked by
  a person) gives every text's date; otherwise the date each text's sentence states for the
  topic, as the /when extractor reads it (a date of something else in the sentence is not it).
- numbers: a figure and the word it counts ("700,000 members"); the same word counted
  differently in two texts.
- names: only for a topic that names a deed or an office (corpus/compare.yaml ``acts``), the
  one person a text's sentence names beside the topic's own people.
- judgements: a side of a pair of opposites (corpus/compare.yaml ``opposites``, the topic's own
  word against "not" it when it is in no pair) that a sentence puts the topic on: the word as
  what the topic *is* ("was not a ruling class", "as a caste", "the bureaucratic caste"), or an
  opposite word right beside the topic's words ("the revolution failed").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.answers.compare.lines import Reading, TextLine, variant
from bot.answers.compare.topic import Topic
from bot.answers.core.context import AnswerContext
from bot.answers.core.model import SourceRef
from bot.answers.dates.stated import stated_in
from bot.answers.dates.when import compatible, curated_event, statement_of
from bot.corpus.events import EventDate
from bot.corpus.lexicon import TOKEN, stem
from bot.corpus.model import PartialDate
from bot.corpus.opposites import Side


@dataclass(frozen=True, slots=True)
class Value:
    """One text's value on a point: the value in the text's words, its sentence, its place."""

    value: str
    sentence: str
    source: SourceRef


@dataclass(frozen=True, slots=True)
class Point:
    kind: str  # dates | numbers | names | judgements
    about: str  # what the values are of: "Founding of the Fourth International", "members"
    agree: bool
    values: tuple[Value, ...]


def points(ctx: AnswerContext, topic: Topic, lines: list[TextLine]) -> list[Point]:
    """Disagreements first, then agreements between two texts or more."""
    found = [*_dates(ctx, topic, lines), *_numbers(lines), *_names(ctx, topic, lines),
             *_judgements(ctx, topic, lines)]
    return sorted(found, key=lambda p: p.agree)


# ------------------------------------------------------------------------------ dates


def _dates(ctx: AnswerContext, topic: Topic, lines: list[TextLine]) -> list[Point]:
    event = curated_event(ctx, ctx.events, topic.text)
    if event is not None:
        stated: list[tuple[EventDate, Value]] = []
        for date in event.dates:
            ref, sentence = statement_of(ctx.store, date.source, date.evidence)
            if ref is not None:
                stated.append((date, Value(date.display(), sentence or date.evidence, ref)))
        return _date_point(event.name, stated)
    dates = ctx.store.dates.in_sentences(
        s.sentence_id for line in lines for r in line.whole for s in r.window.sentences)
    stated = []
    for line in lines:
        for reading in line.whole:
            found = stated_in(topic.question, reading.window, dates, ctx)
            if found is None or found.sentence != reading.hit.text:
                continue  # only the date the line's own sentence gives the topic
            start = _partial(found.date.date_iso)
            if start is None:
                continue
            date = EventDate(start, _partial(found.date.until_iso), line.source.slug,
                             found.sentence)
            stated.append((date, Value(found.date.words, found.sentence,
                                       SourceRef.of(reading.hit))))
            break
    return _date_point(topic.read_as, stated)


def _date_point(about: str, stated: list[tuple[EventDate, Value]]) -> list[Point]:
    if len({d.source for d, _ in stated}) < 2:
        return []  # one text's dates are not a comparison
    agree = all(compatible(a, b) for a, _ in stated for b, _ in stated
                if a.source != b.source)
    return [Point("dates", about, agree, tuple(v for _, v in stated))]


def _partial(iso: str | None) -> PartialDate | None:
    if not iso:
        return None
    parts = [int(p) for p in iso.split("-")]
    return PartialDate(*parts)


# ------------------------------------------------------------------------------ numbers

_FIGURE = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(\s?%|\s(?:per cent|percent))?"
                     r"\s+(?:of\s+)?(?:the\s+)?([A-Za-z][a-z’'-]+)")
_YEAR = re.compile(r"^(?:1[6-9]\d\d|20[0-4]\d)$")
# Words a figure is often followed by that do not say what is counted.
_VAGUE = frozenset(stem(w) for w in
                   "years year months month days day weeks week times hours per and or to "
                   "in by at on a an was were had have is are more less than p pp page "
                   "pages".split())


def _figures(reading: Reading) -> list[tuple[str, str, str]]:
    """(what is counted, as stems; the figure as the text writes it; its words) per figure."""
    found = []
    for match in _FIGURE.finditer(reading.hit.text):
        number, unit, noun = match.group(1), match.group(2), match.group(3)
        if _YEAR.match(number) and not unit:
            continue
        counted = stem(noun)
        if counted in _VAGUE:
            continue
        found.append((f"{'%' if unit else ''}{counted}", number.replace(",", ""),
                      match.group(0)))
    return found


def _numbers(lines: list[TextLine]) -> list[Point]:
    by_thing: dict[str, dict[str, tuple[str, Value]]] = {}
    for line in lines:
        for reading in line.whole:
            for counted, figure, words in _figures(reading):
                by_thing.setdefault(counted, {}).setdefault(
                    line.source.slug, (figure, Value(words, reading.hit.text,
                                                     SourceRef.of(reading.hit))))
    found = []
    for texts in by_thing.values():
        if len(texts) < 2:
            continue
        figures = {figure for figure, _ in texts.values()}
        about = next(iter(texts.values()))[1].value.split(maxsplit=1)[-1]
        found.append(Point("numbers", about, len(figures) == 1,
                           tuple(v for _, v in texts.values())))
    return found


# ------------------------------------------------------------------------------ names


def _names(ctx: AnswerContext, topic: Topic, lines: list[TextLine]) -> list[Point]:
    if not any(ctx.opposites.is_act(g.word) for g in topic.content):
        return []
    asked = {p.name for p in topic.question.people}
    named: dict[str, tuple[str, Value]] = {}
    for line in lines:
        for reading in line.whole:
            people = {m.person.name for m in ctx.people.mentions(reading.hit.text)} - asked
            if len(people) == 1:  # two or more: which one did it is for a reader to judge
                person = people.pop()
                named[line.source.slug] = (person, Value(person, reading.hit.text,
                                                         SourceRef.of(reading.hit)))
                break
    if len(named) < 2:
        return []
    agree = len({person for person, _ in named.values()}) == 1
    return [Point("names", topic.read_as, agree, tuple(v for _, v in named.values()))]


# ------------------------------------------------------------------------------ judgements

_NEGATION = frozenset({"not", "never", "no", "nor", "neither", "cannot", "hardly"})
# Words after which the next few say what something is: "was a", "as a", "became the".
_COPULA = frozenset(stem(w) for w in
                    "is was are were be been being became become becomes as remains remained "
                    "constitutes constituted forms formed called".split())
REACH = 3  # words between a "not" or "was" and the word it bears on ("not a ruling class")
_BREAK = re.compile(r"[,;:.!?()\[\]—–]")  # punctuation no judgement reads across


@dataclass(frozen=True, slots=True)
class _Pair:
    name: str  # "class or caste"
    sides: tuple[Side, Side]
    own: bool  # the topic's own word is one side: it must be what the topic is said to be
    opposed: bool = True  # a pair of corpus/compare.yaml, not a word against "not" it

    def telling(self, side: int, typed: frozenset[str]) -> bool:
        """Is agreeing on this side worth saying? Not when it is just the topic's own word:
        that two texts use the word the topic uses is no finding."""
        return not (self.own and self.sides[side].stems & typed)


def _pairs(ctx: AnswerContext, topic: Topic) -> list[_Pair]:
    typed = {s for g in topic.content if g.stems for s in g.stems[0]}
    found = []
    for one, other in ctx.opposites.pairs:
        own = bool(typed & (one.stems | other.stems))
        found.append(_Pair(f"{one.name} or {other.name}", (one, other), own))
    for group in topic.content:  # "not X" for a word of the topic that is in no pair
        stems_ = frozenset(group.stems[0]) if group.stems and len(group.stems[0]) == 1 else None
        if stems_ and not any(stems_ & (a.stems | b.stems) for a, b in ctx.opposites.pairs):
            found.append(_Pair(f"{group.word} or not", (Side(group.word, stems_),
                                                        Side(f"not {group.word}", frozenset())),
                               True, opposed=False))
    return found


@dataclass(frozen=True, slots=True)
class _Token:
    stem: str
    start: int
    end: int


@lru_cache(maxsize=4096)
def _tokens(text: str) -> list[_Token]:
    return [_Token(stem(m.group(0)), m.start(), m.end()) for m in TOKEN.finditer(text)]


def _topic_places(reading: Reading, topic: Topic) -> list[int]:
    """Where the topic's own words stand in the sentence, as typed or another form of them
    (not a synonym: "official class" is not "bureaucratic class")."""
    typed = tuple(g.stems[0] for g in topic.content if g.stems and len(g.stems[0]) == 1)
    return [i for i, t in enumerate(_tokens(reading.hit.text)) if _typed(t.stem, typed)]


@lru_cache(maxsize=65536)
def _typed(token: str, typed: tuple[tuple[str, ...], ...]) -> bool:
    return any(variant((token,), word) for word in typed)


def _position(pair: _Pair, reading: Reading, topic_places: list[int]) -> tuple[int, str] | None:
    """The side of ``pair`` the sentence puts the topic on, with the words that do it; None
    when it takes none, or both."""
    text = reading.hit.text
    tokens = _tokens(text)
    taken: dict[int, str] = {}
    for index, token in enumerate(tokens):
        side = next((n for n, s in enumerate(pair.sides) if token.stem in s.stems), None)
        if side is None:
            continue
        start = index
        negated = False
        for back in range(index - 1, max(-1, index - REACH - 2), -1):
            between = text[tokens[back].end:tokens[start].start]
            if _BREAK.search(between):
                break
            word = tokens[back].stem
            contracted = word == "t" and back > 0 and tokens[back - 1].stem.endswith("n")
            if word in _NEGATION or contracted:  # "not", "never", "wasn't"
                negated, start = True, back
                break
        framed = negated or _after_copula(tokens, index, text)
        beside = any(abs(p - index) == 1 and not _BREAK.search(
            text[min(tokens[p].end, token.end):max(tokens[p].start, token.start)])
            for p in topic_places if tokens[p].stem not in pair.sides[side].stems)
        if pair.own and not (framed or (beside and pair.opposed)):
            continue  # "the class it represents": the word, but not said of the topic
        if not pair.own and not (beside or (negated and _near(index, topic_places))):
            continue  # an opposite word must bear on the topic's own words
        final = 1 - side if negated else side
        taken.setdefault(final, text[tokens[start].start:token.end])
    if len(taken) != 1:
        return None
    side, words = next(iter(taken.items()))
    return side, words


_ARTICLES = frozenset({"a", "an", "the", "new", "this", "that"})


def _after_copula(tokens: list[_Token], index: int, text: str) -> bool:
    """The word is what something is said to be: "was a class", "as a new caste", "is the
    ruling class"; not "was sabotaged by the class" (a verb of its own comes between)."""
    for back in range(index - 1, max(-1, index - REACH - 1), -1):
        if _BREAK.search(text[tokens[back].end:tokens[back + 1].start]):
            return False
        if tokens[back].stem in _COPULA:
            between = [t.stem for t in tokens[back + 1:index]]
            return len(between) <= 1 or (len(between) == 2 and between[0] in _ARTICLES)
    return False


def _near(index: int, places: list[int]) -> bool:
    return any(0 < abs(p - index) <= REACH + 1 for p in places)


def _judgements(ctx: AnswerContext, topic: Topic, lines: list[TextLine]) -> list[Point]:
    typed = frozenset(s for g in topic.content if g.stems for s in g.stems[0])
    places = {r.hit.sentence_id: _topic_places(r, topic) for line in lines for r in line.readings}
    found = []
    for pair in _pairs(ctx, topic):
        sides: dict[str, tuple[int, Value]] = {}
        mixed: set[str] = set()
        for line in lines:
            for reading in line.readings:
                position = _position(pair, reading, places[reading.hit.sentence_id])
                if position is None:
                    continue
                side, words = position
                slug = line.source.slug
                known = sides.get(slug)
                if known is not None and known[0] != side:
                    mixed.add(slug)  # a text on both sides: not a position to set against
                elif known is None:
                    sides[slug] = (side, Value(words, reading.hit.text,
                                               SourceRef.of(reading.hit)))
        held = {slug: v for slug, v in sides.items() if slug not in mixed}
        if len(held) < 2:
            continue
        taken = {side for side, _ in held.values()}
        if len(taken) == 1 and not pair.telling(next(iter(taken)), typed):
            continue
        ordered = sorted(held.values(), key=lambda v: v[0])
        found.append(Point("judgements", pair.name, len(taken) == 1,
                           tuple(v for _, v in ordered)))
    return found
