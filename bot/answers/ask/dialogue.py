"""Words spoken in an exchange the texts quote, and whose they are.

An exchange is told turn by turn, and most turns do not name their speaker: Trotsky's epigraph
"I said to Smirnov: “Stalin will become the dictator of the U.S.S.R.” Smirnov knew Stalin
well . . . “Stalin?” he asked me with amazement. “But he is a mediocrity, a colorless
nonentity.” “Mediocrity, yes; nonentity, no,” I answered him." The store's quotations leave
"Stalin?" and "But he is a mediocrity" unattributed, and the two-sentence windows of the
ordinary reading cannot see from "a colorless nonentity" back to Smirnov. Here the paragraph is
read in order: "I said" is the narrator's turn (the speaker of the quotation the paragraph
stands in), "he asked" the other party's (the one the narration last made its subject), and a
sentence that is nothing but a quotation goes on with the turn before it.

Two questions are answered from it: what someone said or how they described something ("what
did Smirnov say about Stalin when Trotsky told him ...?": the words of Smirnov's turns), and
who said words the question gives ("who called Stalin a colourless nonentity ...?": Smirnov),
the latter when the whole exchange holds more of the question than any window does.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from bot.answers.ask.analysis import Question
from bot.answers.ask.retrieve import Window, covered
from bot.answers.core.context import AnswerContext
from bot.answers.core.model import Answer, AnswerKind, Item, SourceRef
from bot.answers.core.text import shorten
from bot.store.search import SentenceHit

_SAYING = (r"(?:said|says|asked|asks|answered|answers|replied|replies|retorted|exclaimed|"
           r"cried|added|continued|objected|insisted|shouted|remarked|declared|protested|"
           r"muttered|grumbled|whispered|snapped|joked)")
# The saying verb must stand by the quotation it opens or closes: "Arendt remarked that ...
# the term “Soviet Union” was a lie" quotes a term, not her words.
_TO_WHOM = r"(?:\s+(?!that\b)[\w’'.-]+){0,3}\s*[:,]?\s*[“‘]"
# "“Stalin?” he asked me", "he replied: “...": a turn whose speaker is "he" or "she".
_PRONOUN_SAID = re.compile(rf"”\s*,?\s*(?:he|she)\s+{_SAYING}\b|(?:^|[.!?]\s+)(?:he|she)\s+"
                           rf"{_SAYING}{_TO_WHOM}", re.IGNORECASE)
# "I said to Smirnov: “...", "“..., no,” I answered him.": the narrator's turn.
_NARRATOR_SAID = re.compile(rf"\bI\s+{_SAYING}{_TO_WHOM}|”\s*,?\s*I\s+{_SAYING}\b")
# "Smirnov replied: “...", "“...,” said Smirnov": a turn that names its speaker.
_NAMED_SAID = re.compile(rf"(?P<name>[A-Z][\w’'-]+)\s+{_SAYING}{_TO_WHOM}|”\s*,?\s*(?:"
                         rf"{_SAYING}\s+(?P<after>[A-Z][\w’'-]+)|(?P<closing>[A-Z][\w’'-]+)\s+"
                         rf"{_SAYING}\b)")
# “Double” or ‘single’ marks; a single closing mark is no apostrophe ("Haven’t") when a
# letter follows it. A sentence may also close a quotation opened in the one before.
_QUOTED = re.compile(r"“([^”]*)”?|(?<!\w)‘((?:[^’]|’(?=\w))*)(?:’|$)|^([^“”‘]*)[”’](?!\w)")
_QUOTATION = re.compile(r"“[^”]*”?|(?<!\w)‘(?:[^’]|’(?=\w))*(?:’|$)")
# "Radek packed his books, ..., muttered sarcastically: ‘Haven’t we been idiots!": the
# sentence's subject speaks, the saying verb opening the quotation with a colon.
_SUBJECT_SAID = re.compile(rf"^(?:Then\s+|And\s+)?(?P<name>[A-Z][\w’'-]+)\b[^“‘]*?\b{_SAYING}"
                           r"(?:\s+\w+ly)?\s*:\s*[“‘]")
# "Then arose a rough workman, his face convulsed with rage.": someone the narration
# describes rather than names, for a "he said" after it.
_DESCRIBED = re.compile(r"\b(?:a|an|the)\s+((?:[a-z]+\s+){0,2}(?:workman|worker|sailor|soldier|"
                        r"peasant|woman|man|delegate|officer|student|commissar|general|"
                        r"girl|boy))\b")
_NAME = re.compile(r"\b[A-Z][a-z’'-]+(?:\s+[A-Z][a-z’'-]+)?\b")
EXCHANGE_BEFORE = 4  # sentences of the paragraph read before a window for its exchange
EXCHANGE_AFTER = 4  # ... and after it
WINDOWS_READ = 12  # the best windows whose exchange is read
WINDOW_FLOOR = 0.45  # ... when they hold at least this share of the question
EXCHANGE_ANSWERED = 0.55  # share of the question the turns shown must hold (engine.ANSWERED)


@dataclass(frozen=True, slots=True)
class Turn:
    sentence: SentenceHit
    speaker: str | None  # as the text names them ("Smirnov"), or the narrator's name
    words: str  # the quoted words of the sentence


# "what did Smirnov say about Stalin ...", "how did Smirnov describe Stalin ...",
# "what was Smirnov's reply": the one whose words are asked for.
_ASKS_WHAT_SAID = re.compile(
    r"^(?:so\s+|and\s+)?(?:what|how)\s+(?:did|does|do|had|has|would)\s+(?P<speaker>[\w’'. -]+?)"
    r"\s+(?:say|reply|answer|respond|retort|describe|call|exclaim|tell|grumble|mutter|"
    r"whisper|shout|joke)\b"
    r"|^(?:so\s+|and\s+)?what\s+(?:was|were|is)\s+(?P<owner>[\w’'. -]+?)[’']s?\s+(?:reply|"
    r"answer|response|retort|comment|remark|reaction)\b", re.IGNORECASE)
# "who called Stalin a colourless nonentity ...", "who said he was a mediocrity": whose words.
_ASKS_WHO_SAID = re.compile(rf"^(?:so\s+|and\s+)?who\s+(?:had\s+)?(?:called|said|described|"
                            rf"{_SAYING})\b", re.IGNORECASE)


def what_they_said(ctx: AnswerContext, question: Question, windows: list[Window]
                   ) -> Answer | None:
    """The words of the speaker's turns in the exchange the best windows stand in."""
    asked = _ASKS_WHAT_SAID.match(question.text)
    if asked is None:
        return None
    speaker = (asked.group("speaker") or asked.group("owner") or "").strip()
    if not speaker or speaker.casefold() in {"he", "she", "they", "it", "the texts", "the text"}:
        return None
    for window in _read(windows):
        exchange = _exchange(ctx, window)
        spoken = _run_of(exchange, speaker, window)
        if not spoken:
            continue
        shown = _shown(exchange, window, spoken)
        # The exchange must be the one asked about ("what did Trotsky reply to Smirnov?" is
        # not answered by his reply to Dan).
        if _coverage(ctx, question, shown, exchange) >= EXCHANGE_ANSWERED:
            return _reply(" … ".join(t.words for t in spoken), shown)
    return None


def who_said_it(ctx: AnswerContext, question: Question, windows: list[Window]) -> Answer | None:
    """Whose turn holds the words the question gives, when the exchange around it holds more
    of the question than the best window does."""
    if _ASKS_WHO_SAID.match(question.text) is None or not windows:
        return None
    best = windows[0].coverage
    asked = [g for g in question.content_groups if g.weight > 0]
    asked_names = {form.casefold() for p in question.people for form in p.names()}
    for window in _read(windows):
        exchange = _exchange(ctx, window)
        for number, turn in enumerate(exchange):
            if turn.speaker is None or turn.speaker.casefold() in asked_names or \
                    turn.sentence.sentence_id not in {s.sentence_id for s in window.sentences}:
                continue
            # The words asked about are the turn's own, not the narration's.
            if not any(covered(g, turn.words, ctx.people) for g in asked):
                continue
            told = [t.sentence for t in exchange[:number + 1]]
            if _coverage(ctx, question, told, exchange) > best:
                return _reply(turn.speaker, told)
    return None


def _read(windows: list[Window]) -> list[Window]:
    return [w for w in windows[:WINDOWS_READ] if w.coverage >= WINDOW_FLOOR]


def _exchange(ctx: AnswerContext, window: Window) -> list[Turn]:
    """The paragraph's sentences around the window, each with whose turn it is (None for
    narration)."""
    first = window.sentences[0]
    around = ctx.store.sentences.around([first], before=EXCHANGE_BEFORE,
                                        after=EXCHANGE_AFTER).get(first.sentence_id, [])
    sentences = [s for s in around if s.passage_id == first.passage_id]
    return turns(sentences, _narrator(ctx, sentences), ctx)


def _narrator(ctx: AnswerContext, sentences: Sequence[SentenceHit]) -> str | None:
    """Who says "I" here: the speaker the store gives the quotations of these sentences."""
    held = ctx.store.quotes.in_sentences([s.sentence_id for s in sentences])
    ids = sorted({q for found in held.values() for q in found})
    speakers = Counter(r.speaker for r in ctx.store.quotes.records(ids) if r.speaker)
    return speakers.most_common(1)[0][0] if speakers else None


def turns(sentences: Sequence[SentenceHit], narrator: str | None, ctx: AnswerContext
          ) -> list[Turn]:
    found: list[Turn] = []
    speaker: str | None = None
    other: str | None = None  # the one the narration last made its subject
    open_quote = False
    for sentence in sentences:
        text = sentence.text
        words = " ".join(q for marks in _QUOTED.findall(text) if (q := "".join(marks).strip()))
        outside = _QUOTATION.sub(" ", text)
        if open_quote and "“" not in text.split("”")[0]:
            pass  # a quotation running on from the sentence before: the same turn
        elif not words:
            speaker = None
        elif _NARRATOR_SAID.search(text):
            speaker = narrator
        elif _PRONOUN_SAID.search(text):
            speaker = other
        elif (named := _named_speaker(ctx, text)) is not None:
            speaker = named
        elif (opening := _SUBJECT_SAID.match(text)) is not None and \
                _is_name(ctx, opening.group("name")):
            speaker = opening.group("name")
        elif not outside.strip(" .,;:!?…\u00a0") or re.fullmatch(r"[\s\d.,;:!?…\u00a0]*", outside):
            pass  # nothing but a quotation: the turn before goes on
        else:
            speaker = None
        found.append(Turn(sentence, speaker, words.strip()))
        open_quote = text.count("“") > text.count("”") or (
            len(re.findall(r"(?<!\w)‘", text)) > len(re.findall(r"’(?!\w)", text)))
        subject = _last_subject(ctx, re.split(r"[”’](?!\w)", text)[-1], narrator)
        if subject is not None:
            other = subject
    return [t for t in found if t.words]


def _named_speaker(ctx: AnswerContext, text: str) -> str | None:
    for found in _NAMED_SAID.finditer(text):
        name = found.group("name") or found.group("after") or found.group("closing")
        if _is_name(ctx, name):
            return name
    return None


def _last_subject(ctx: AnswerContext, narration: str, narrator: str | None) -> str | None:
    """The first name of the narration's last clause ("Smirnov knew Stalin well")."""
    clause = re.split(r"[.;:!?]\s+(?=[A-Z])", narration.strip())[-1]
    for found in _NAME.finditer(clause):
        name = found.group(0).split()[-1]
        if _is_name(ctx, name) and (narrator is None or name not in narrator):
            return name
    described = _DESCRIBED.search(narration)
    return described.group(1) if described is not None else None


def _is_name(ctx: AnswerContext, word: str) -> bool:
    return bool(ctx.people.sharing(word)) or bool(ctx.people.mentions(word))


def _run_of(exchange: list[Turn], speaker: str, window: Window) -> list[Turn]:
    """The speaker's first run of turns at or after the window's first sentence."""
    asked = {w.casefold() for w in re.findall(r"[\w’'-]+", speaker)}
    start = window.sentences[0].sentence_id
    run: list[Turn] = []
    for turn in exchange:
        if turn.sentence.sentence_id < start:
            continue
        theirs = turn.speaker is not None and any(
            w.casefold() in asked for w in re.findall(r"[\w’'-]+", turn.speaker))
        if theirs:
            run.append(turn)
        elif run:
            break
    return run


def _shown(exchange: list[Turn], window: Window, spoken: list[Turn]) -> list[SentenceHit]:
    """The window's sentences and those after it up to the speaker's last words."""
    last = spoken[-1].sentence.sentence_id
    shown = {s.sentence_id: s for s in window.sentences if s.sentence_id <= last}
    shown |= {t.sentence.sentence_id: t.sentence for t in exchange
              if window.sentences[0].sentence_id <= t.sentence.sentence_id <= last}
    return [shown[i] for i in sorted(shown)]


def _coverage(ctx: AnswerContext, question: Question, told: list[SentenceHit],
              exchange: list[Turn]) -> float:
    """The share of the question the exchange up to the turn holds, the narrator standing for
    the "I" of their turns."""
    text = " ".join(s.text for s in told)
    if any(g.subject and not covered(g, text, ctx.people) for g in question.groups):
        return 0.0  # what the question is about, as a name it names, is not there
    narrators = {t.speaker for t in exchange if t.speaker}
    total = sum(g.weight for g in question.groups) or 1.0
    held = 0.0
    for group in question.groups:
        if covered(group, text, ctx.people) or (
                group.person is not None and group.person.name in narrators):
            held += group.weight
    return held / total


def _reply(headline: str, sentences: list[SentenceHit]) -> Answer:
    shown = " ".join(s.text for s in sentences)
    ref = SourceRef.of(sentences[0])
    items = [Item(title=sentences[0].source_title, body=shorten(shown, 1500), source=ref)]
    quoted = shown if shown.startswith("“") else f"“{shown}”"
    return Answer(AnswerKind.ANSWER, shorten(headline[0].upper() + headline[1:], 240),
                  f"{shorten(quoted, 1500)}\n— {ref.where()}", items=items,
                  sources=[ref])
