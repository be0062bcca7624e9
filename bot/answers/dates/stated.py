"""/when for what events.yaml does not curate: the date a sentence of the texts states for it,
or an honest "the texts give no date" with the nearest dated sentences under that heading.

A sentence answers only when it holds everything asked: every person named ("Molotov") and
every word of the event with its synonyms ("died": death, killed, ...), in the sentence or the
one beside it, and a date that ingest found in it. A date of some other event is never given
as the answer: "when did Molotov die?" is not answered by the sentence on Lenin's death.
Works the same for a text dropped in with no curation: only what ingest stored is read.
A book or an article asked about is dated from the notes as well (``works.py``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.answers.ask.analysis import AnswerType, Question, analyse
from bot.answers.ask.engine import holds_the_specifics, vocabulary_of
from bot.answers.ask.extract import about_the_asked, extract
from bot.answers.ask.retrieve import Window, covered, retrieve
from bot.answers.core.bylines import date_label, published
from bot.answers.core.context import AnswerContext
from bot.answers.core.model import Answer, AnswerKind, Item, SourceRef
from bot.answers.core.text import shorten
from bot.answers.dates.works import WorkDate, asks_of_a_work, printed_as_typed, work_date
from bot.answers.dates.works import label as work_label
from bot.corpus.people import Person
from bot.store.dates import SentenceDate
from bot.store.passages import PassageRecord
from bot.store.search import SentenceHit

NEAREST = 3  # dated sentences shown under "the texts give no date"
SHORT = 2  # content words up to which every one must be in the dating sentence
DESCRIBED_SHARE = 0.5  # of a longer description's content words
SUBJECT_AFTER = 25  # characters from a counted date ("Two years later") to its subject
#: Between a name and a date in the clause it opens: ", who back in ", ", who in ".
_WHO_BEFORE = re.compile(r"\s*,?\s*who\s+(?:[a-z]+\s+){0,3}")
#: How a derived date ("two years later", resolved from a date beside it) is labelled.
_DERIVED = "worked out from"


@dataclass(frozen=True, slots=True)
class _Found:
    window: Window
    date: SentenceDate
    sentence: str  # the window's sentence that states the date


def stated_date(ctx: AnswerContext, key: str, near_events: Sequence[str] = (), *,
                asked: str | None = None, remembered: Person | None = None) -> Answer:
    """The stated date for ``key`` ("Molotov died", "Trotsky arrived in Mexico"); ``asked``:
    the words as the member typed them; ``remembered``: whom "he" or "she" in it means."""
    vocabulary = vocabulary_of(ctx)
    question = analyse(f"when {key}", ctx.people, vocabulary, ctx.lexicon, remembered)
    if question.kind is not AnswerType.DATE:
        # "... clash with stalin over how much self-rule the caucasus should get": a date is
        # asked, whatever question word the event's own words hold
        question = replace(question, kind=AnswerType.DATE)
    windows = retrieve(question, ctx.search, ctx.store.sentences, ctx.people, vocabulary)
    dates = ctx.store.dates.in_sentences(s.sentence_id for w in windows for s in w.sentences)
    # Names of places and things ("France", "Mill Lane") say which event it is: all must be there.
    named = {g.word for g in question.content_groups if g.word[:1].isupper()}
    # ... and what happened is in the other words: a short name of an event ("Molotov died")
    # must be there whole; a long description ("Bakunin predicting that Marx's followers would
    # form a new privileged class") is recognised by most of its words, the checks of the
    # date extractor doing the rest. A name the registry does not know ("Tomasz Wilk") is not
    # what happened: "when did Tomasz Wilk start keeping the minutes?" is not answered by "...
    # launched in January 2010, typed by Tomasz Wilk".
    wanted = {g.word for g in question.content_groups} - named
    needed = len(wanted) if len(wanted) <= SHORT else math.ceil(len(wanted) * DESCRIBED_SHARE)
    of_a_work = asks_of_a_work(asked or key)
    if question.content_groups and not question.unknown:
        # The sentence after each window, read in one query when first needed (for
        # _dated_after), not one query per window.
        next_sentences: dict[int, list[SentenceHit]] | None = None
        # What a sentence ending in a colon introduces is what it says: "Bakunin had
        # foreseen this in 1873 when he prophesied that Marx's followers would:" and the
        # quotation after it ("... a new privileged scientific and political class").
        introduced = _introductions(ctx, windows)
        for window in windows:
            after_colon = introduced.get(window.sentences[-1].sentence_id, ([], None))
            quoted = " ".join(p.text for p in after_colon[0])
            matched = window.matched | {g.word for g in question.content_groups
                                        if quoted and covered(g, quoted, ctx.people)}
            if not (window.people_found and named <= matched
                    and len(wanted & matched) >= needed
                    and holds_the_specifics(question, window)  # "the second world war"
                    and (not of_a_work or printed_as_typed(question, f"{window.text} {quoted}"))):
                continue
            found = stated_in(question, window, dates, ctx)
            if found is None:
                if next_sentences is None and not quoted:
                    next_sentences = ctx.store.sentences.around(
                        [w.sentences[-1] for w in windows], before=0, after=1)
                found = _dated_after(ctx, window, quoted, after_colon[1],
                                     next_sentences or {})
            if found is not None:
                return _answer(found)
        if of_a_work:  # "when was The Prophet Outcast first published?"
            work = work_date(ctx, question, windows, asked or key)
            if work is not None:
                return _work_answer(work)
    return _no_date(asked or key, windows, dates, near_events)


INTRODUCED = 8  # paragraphs of quotation (verses, a speech) a colon may introduce
#: "This was 1936.": a sentence that only dates what was just told.
_DATES_WHAT_CAME_BEFORE = re.compile(
    r"(?:This|That|It|All this|All of this)\s+(?:was|happened|took place)\s+(?:in\s+)?"
    r"(?P<date>[^.!?]{4,30})[.!]?")


_AfterColon = tuple[list[PassageRecord], PassageRecord | None]


def _introductions(ctx: AnswerContext, windows: Sequence[Window]) -> dict[int, _AfterColon]:
    """For each window whose last sentence ends its paragraph with a colon, keyed by that
    sentence: (the quotation it introduces, the paragraph after the quotation). The
    quotation is the paragraphs after it up to the first that is not quotation or another
    introduction ("“The poet Kabard:"). All the windows' paragraphs are read in one query:
    at 100x the corpus, one query per window was a third of a "when" question's time."""
    lasts = {w.sentences[-1].sentence_id: w.sentences[-1] for w in windows
             if w.sentences[-1].text.rstrip().endswith(":")}
    runs = ctx.store.passages.runs_of(
        (last.source_slug, last.paragraph_index, last.paragraph_index + INTRODUCED)
        for last in lasts.values())
    return {sentence_id: _quotation_after(last, runs.get(
                (last.source_slug, last.paragraph_index), []))
            for sentence_id, last in lasts.items()}


def _quotation_after(last: SentenceHit, run: list[PassageRecord]) -> _AfterColon:
    """(the quotation's paragraphs, the paragraph after them) following ``last``, which
    ends with a colon, given ``run``: its paragraph and the ones it may introduce."""
    here = run[0] if run and run[0].index == last.paragraph_index else None
    if here is None or not here.text.rstrip().endswith(":"):
        return [], None  # a colon inside the paragraph: its neighbour sentence is the quote
    quoted: list[PassageRecord] = []
    for index, following in enumerate(run[1:], start=last.paragraph_index + 1):
        if following.index != index or following.kind in ("note", "reference"):
            return quoted, None
        opens = following.text.lstrip()[:1] in "“\"‘'"
        if quoted and following.kind == "body" and not opens and \
                not following.text.rstrip().endswith(":"):
            return quoted, following
        if not quoted and following.kind == "body" and not opens:
            return [], None  # the colon introduced no quotation
        quoted.append(following)
    return quoted, None


def _dated_after(ctx: AnswerContext, window: Window, quoted: str,
                 after_quotation: PassageRecord | None,
                 next_sentences: dict[int, list[SentenceHit]]) -> _Found | None:
    """"Two million workers in White Russia sign/ed/ a message in verse ...:" then the
    verses, then "This was 1936.": a sentence that only dates what was just told dates it,
    when it comes right after the window (or after the quotation it introduces)."""
    last = window.sentences[-1]
    following: SentenceHit | None = None
    if quoted:
        after = after_quotation
        if after is not None and after.sentences:
            following = ctx.store.sentences.containing(after.slug, after.index,
                                                       after.sentences[0][0])
    else:
        nxt = next_sentences.get(last.sentence_id, [])
        following = nxt[1] if len(nxt) > 1 else None
    if following is None:
        return None
    match = _DATES_WHAT_CAME_BEFORE.fullmatch(following.text.strip())
    if match is None:
        return None
    stated = ctx.store.dates.in_sentences([following.sentence_id]).get(
        following.sentence_id, [])
    date = next((d for d in stated if match and d.offset >= match.start("date")
                 and d.words == match["date"].strip()), None)
    if date is None:
        return None
    gap = " … " if quoted else " "
    return _Found(window, date, f"{window.text.strip()}{gap}{following.text.strip()}")


def stated_in(question: Question, window: Window, dates: dict[int, list[SentenceDate]],
               ctx: AnswerContext) -> _Found | None:
    """The stored date that answers, where the plain-question date extractor (with its checks
    that the date is the asked event's and the person's) finds one in the window."""
    extracted = extract(question, window, ctx.people)
    if extracted is None:
        return _derived_in_main(question, window, dates, ctx)
    offset = 0
    candidates: list[tuple[float, int, SentenceDate, str]] = []
    for sentence in window.sentences:
        # The date's own sentence must say something of what was asked: "the circle first
        # met in 1998" does not date "the circle moved", told in the sentence after it.
        if any(covered(g, sentence.text, ctx.people) for g in question.content_groups) and \
                not _someone_elses(question, sentence.text, ctx):
            for stated in dates.get(sentence.sentence_id, []):
                candidates.append((-_clause_weight(question, sentence.text, stated.offset, ctx),
                                   abs(offset + stated.offset - extracted.at), stated,
                                   sentence.text))
        offset += len(sentence.text) + 1  # Window.text joins the sentences with one space
    if not candidates:
        return None  # ingest stored no date there: not a date the store can vouch for
    # The date whose own clause holds most of what was asked, then the one nearest the
    # extractor's: a stored sentence may run several sentences of the text together.
    _, _, nearest, text = min(candidates, key=lambda c: (c[0], c[1]))
    return _Found(window, nearest, text)


def _someone_elses(question: Question, sentence: str, ctx: AnswerContext) -> bool:
    """The date's sentence names other people and none of those asked about: "... a colleague
    of Trotsky's in the Left Opposition. In his Memoirs of a Revolutionary, Serge relates ...
    a letter he wrote ..., dated February 1st, 1933" is Serge's letter, not Trotsky's."""
    if not question.people:
        return False
    named = ctx.people.names_in(sentence)
    return bool(named) and not named & {p.name for p in question.people}


#: Where one sentence of the text ends inside a stored sentence that runs on past it (the
#: splitter keeps '... insomnia.”73 ” /I/n November 1922, he admitted ...' as one).
_SENTENCE_END = re.compile(r"(?<=[a-z0-9”\"’)][.!?])[”\"’]?(?:\[\d{1,3}\]|\d{0,3})\s+"
                           r"(?=[“”\"‘’(/]*\s*/?[A-Z])")


def own_sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the text's own sentence holding text[start:end], inside a stored sentence
    that may run several together ("... the advancing revolution.”[18]  Having followed the
    course of the Spanish Left since ... 1930 ...")."""
    first, last = 0, len(text)
    for match in _SENTENCE_END.finditer(text):
        if match.end() <= start:
            first = match.end()
        elif match.start() >= end:
            last = match.start()
            break
    return first, last


def _clause_weight(question: Question, sentence: str, at: int, ctx: AnswerContext) -> float:
    """How much of the question the text's own sentence around ``at`` holds: in "In
    November 1922, he admitted ... A month later he complained: “... a bourgeois, tsarist
    mechanism.” In 1923 Lenin again described ..." the complaint is dated "A month later"."""
    clause = sentence[slice(*own_sentence(sentence, at, at))]
    return sum(g.weight for g in question.content_groups if covered(g, clause, ctx.people))


def _derived_in_main(question: Question, window: Window,
                     dates: dict[int, list[SentenceDate]], ctx: AnswerContext) -> _Found | None:
    """"Two years later the group moved to ...": the extractor reads one sentence and cannot
    count from a date before it, but ingest did; such a date answers when the sentence
    itself holds every word of the question that the window matched."""
    main = window.main
    derived = [d for d in dates.get(main.sentence_id, []) if d.kind == "relative"]
    in_main = all(covered(g, main.text, ctx.people) for g in question.groups
                  if g.word in window.matched)
    if not (derived and in_main and about_the_asked(question, main.text, ctx.people)):
        return None
    date = derived[0]
    # "Three years after the newsletter began" dates the split, not the newsletter: the
    # words counted from are not what the date is of.
    rest = main.text[:date.offset] + " " + main.text[date.offset + len(date.words):]
    if not all(covered(g, rest, ctx.people) for g in question.groups
               if g.word in window.matched):
        return None
    if question.people:
        # "Three years later Trotsky was ...": the person asked about is who the counted
        # date is about only as the subject right after it; else it is someone else's.
        # Or as the one a "who" right before the date stands for: "Myasnikov, Kuznetsov,
        # and Moiseev, who back in April and May had circulated a manifesto".
        after = date.offset + len(date.words)
        asked = {p.name for p in question.people}
        if not any(m.person.name in asked and (
                0 <= m.start - after <= SUBJECT_AFTER
                or _WHO_BEFORE.fullmatch(main.text[m.end:date.offset]))
                for m in ctx.people.mentions(main.text)):
            return None
    return _Found(window, date, main.text)


def _label(date: SentenceDate) -> str:
    if date.kind == "relative":
        return date_label(date.date_iso, f"{_DERIVED} “{date.words}”")
    if date.until_iso and date.kind == "range":  # "1930–1935 (range)", not "1930 (range)"
        return f"{published(date.date_iso)}–{published(date.until_iso)} ({date.precision})"
    if date.kind == "decade":  # "1930s (decade)", "late 1920s (1926–1929, decade)"
        words = date.words.strip()
        if re.fullmatch(r"\d{4}[’']?s", words) or not date.until_iso:
            return f"{words} ({date.precision})"
        # a part of a decade, or one in words ("the early nineteen-thirties"): its years too
        return f"{words} ({published(date.date_iso)}–{published(date.until_iso)}, " \
               f"{date.precision})"
    return date_label(date.date_iso, date.precision)


def _answer(found: _Found) -> Answer:
    hit = found.window.main
    ref = SourceRef.of(hit)
    label = _label(found.date)
    return Answer(AnswerKind.WHEN, label,
                  "No curated event matches; this is what the text says.",
                  items=[Item(title=label, body=found.sentence.strip(), source=ref)],
                  sources=[ref])


def _work_answer(found: WorkDate) -> Answer:
    ref = SourceRef.of(found.hit)
    label = date_label(found.date.date_iso, work_label(found) or found.date.precision)
    where = "a note" if found.hit.kind in ("note", "reference") else "the text"
    return Answer(AnswerKind.WHEN, label,
                  f"No curated event matches; this is what {where} says of the work.",
                  items=[Item(title=label, body=found.text.strip(), source=ref)],
                  sources=[ref])


def _no_date(asked: str, windows: list[Window], dates: dict[int, list[SentenceDate]],
             near_events: Sequence[str]) -> Answer:
    nearest: list[Item] = []
    seen: set[int] = set()
    for window in windows:
        for sentence in window.sentences:
            stated = dates.get(sentence.sentence_id)
            if stated and sentence.sentence_id not in seen and len(nearest) < NEAREST:
                seen.add(sentence.sentence_id)
                nearest.append(Item(title=_label(stated[0]), body=sentence.text.strip(),
                                    source=SourceRef.of(sentence)))
    body = f"No sentence of the texts dates “{shorten(asked, 100)}”."
    if nearest:
        body += " The nearest dated sentences, about something else:"
    return Answer(AnswerKind.NOT_FOUND, "The texts give no date for that", body, items=nearest,
                  suggestions=list(near_events))
