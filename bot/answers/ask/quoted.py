"""Questions the store's quotations answer: whom a quotation answered ("who was Trotsky
answering with the dustbin of history line?"), and who says "I" in one (``spoken_as_i``).

For whom it answered, the words asked about are found as for any question; the quotation
they stand in is read from the store, then the sentence that opens it ("Trotsky replied,
“What is happening ...") must tell of an answer (replied, answered, retorted ...). Whom it
answered is the one that sentence names ("replied to Dan"), or else the one the sentence
before it names, whose words the reply meets ("The Menshevik leader Dan, attacking the
insurrection, described it as a conspiracy."). A quotation may run over many sentences, so
the two-sentence windows of the ordinary reading cannot see from its last words back to the
remark it answers.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.answers.ask.analysis import Question
from bot.answers.ask.retrieve import FIRST_PERSON, LONGER_WINDOW, Window, covered
from bot.answers.core.context import AnswerContext
from bot.answers.core.model import Answer, AnswerKind, Item, SourceRef
from bot.answers.core.text import shorten
from bot.corpus.people import Person
from bot.store.quotes import QuoteRecord
from bot.store.search import SentenceHit

# "who was Trotsky answering", "who was he replying to", "who did Lenin respond to".
ASKS_THE_ADDRESSEE = re.compile(
    r"\bwho(?:m)?\s+(?:was|were|is|did|does)\s+(?P<speaker>[\w’' .-]+?)\s+"
    r"(?:answering|answer|replying|reply|responding|respond|retorting|retort|hitting back)\b",
    re.IGNORECASE)
_ANSWERING = re.compile(r"\b(?:answer(?:ed|s|ing)?|repl(?:ied|ies|y|ying)|retort(?:ed|s)?|"
                        r"rejoined|respond(?:ed|s)?|shot back|hit back)\b", re.IGNORECASE)
# "replied to Dan", "answered Kamenev", "retorted to the Menshevik Martov"
_TO_WHOM = re.compile(r"\b(?:answer(?:ed|s)?|repl(?:ied|ies)|retort(?:ed|s)?|respond(?:ed|s)?)"
                      r"\s+(?:to\s+)?(?P<whom>(?:(?:the\s+)?[A-Z]?[a-z]+\s+){0,3}?[A-Z][\w’'-]+)")
WINDOWS_READ = 8  # the best windows whose quotations are looked up
WINDOW_FLOOR = 0.3  # ... when they hold at least this share of the question
DESCRIBED_WORDS = 5  # "The Menshevik leader Dan": a name with its description, at most


def asks_the_addressee(question: Question) -> Person | None:
    """The speaker, when the question asks whom they were answering."""
    found = ASKS_THE_ADDRESSEE.search(question.text)
    if found is None:
        return None
    said = found.group("speaker").casefold()
    return next((p for p in question.people
                 if any(form.casefold() in said for form in p.names())), None)


def addressee(ctx: AnswerContext, question: Question, windows: list[Window]) -> Answer | None:
    """The one the speaker's quotation answered, with the sentences that show it."""
    speaker = asks_the_addressee(question)
    if speaker is None:
        return None
    best = [w for w in windows[:WINDOWS_READ] if w.coverage >= WINDOW_FLOOR]
    held = ctx.store.quotes.in_sentences([w.main.sentence_id for w in best])
    asked_in: dict[int, SentenceHit] = {}  # quotation -> the sentence holding the words asked
    for window in best:
        for quotation in held.get(window.main.sentence_id, []):
            asked_in.setdefault(quotation, window.main)
    for record in ctx.store.quotes.records(list(asked_in)):
        if not _said_by(record, speaker):
            continue
        found = _answered(ctx, record, speaker, asked_in[record.quotation_id])
        if found is not None:
            return found
    return None


def _said_by(record: QuoteRecord, speaker: Person) -> bool:
    return record.speaker is not None and (record.speaker == speaker.name or any(
        form.casefold() == record.speaker.casefold() for form in speaker.names()))


def _answered(ctx: AnswerContext, record: QuoteRecord, speaker: Person, asked: SentenceHit
              ) -> Answer | None:
    opening = ctx.store.sentences.containing(record.slug, record.paragraph, record.start)
    if opening is None or not _ANSWERING.search(opening.text):
        return None
    # The words the question gave, where the quotation goes on past its opening sentence.
    last = [asked] if asked.sentence_id != opening.sentence_id else []
    told = _TO_WHOM.search(opening.text)
    if told is not None and not _is_speaker(told.group("whom"), speaker):
        return _reply(told.group("whom"), [opening, *last])
    context = ctx.store.sentences.around([opening], before=1, after=0).get(
        opening.sentence_id, [])
    before = [s for s in context if s.sentence_id != opening.sentence_id]
    if not before:
        return None
    whom = _named(ctx, before[-1].text, speaker)
    return _reply(whom, [before[-1], opening, *last]) if whom else None


def _is_speaker(name: str, speaker: Person) -> bool:
    return any(form.casefold() in name.casefold() for form in speaker.names())


def _named(ctx: AnswerContext, text: str, speaker: Person) -> str | None:
    """Whom the sentence before the reply names: a registered person other than the speaker,
    else a capitalised name, with the description the text gives it ("The Menshevik leader
    Dan")."""
    for mention in ctx.people.mentions(text):
        if mention.person.name != speaker.name:
            return _described(text, mention.start, mention.end)
    for found in re.finditer(r"(?<!^)(?<![.!?]\s)\b[A-Z][a-z’'-]+\b", text):
        word = found.group(0)
        if not _is_speaker(word, speaker) and not ctx.people.sharing(word) and \
                not re.match(r"[A-Z][a-z]+(?:ik|ist|ism|ian|ary)s?$", word):
            return _described(text, found.start(), found.end())
    return None


def _described(text: str, start: int, end: int) -> str:
    """The name, with the words that open the sentence before it when they describe it."""
    lead = text[:start].strip()
    words = lead.split()
    if lead and len(words) < DESCRIBED_WORDS and not re.search(r"[,;:.]", lead):
        return re.sub(r"^(?:The|A|An)\s+", "", f"{lead} {text[start:end]}")
    return text[start:end]


def _reply(whom: str, sentences: list[SentenceHit]) -> Answer:
    shown = " … ".join(s.text for s in sentences) if len(sentences) > 2 else " ".join(
        s.text for s in sentences)
    ref = SourceRef.of(sentences[0])
    items = [Item(title=s.source_title, body=shorten(s.text, 1500), source=SourceRef.of(s))
             for s in sentences]
    return Answer(AnswerKind.ANSWER, shorten(whom[0].upper() + whom[1:], 240),
                  f"“{shorten(shown, 1500)}”\n— {ref.where()}", items=items,
                  sources=[ref])


SPOKEN_READ = 30  # windows whose quotations are looked up for who says "I" in them


def spoken_as_i(ctx: AnswerContext, question: Question, windows: list[Window], *,
                floor: float = 0.0) -> list[Window]:
    """Windows that lacked a person the question names, where that person is the speaker of
    the quotation the window stands in and says "I": Trotsky's "In the spring of 1924 ... I
    said to Smirnov" (an epigraph signed Leon Trotsky) names him for "who did Trotsky tell in
    1924 that Stalin would be dictator?". Re-scored as if the name stood there."""
    if not any(g.person is not None for g in question.groups):
        return []
    lacking = [w for w in windows[:SPOKEN_READ] if not w.people_found
               and w.coverage >= floor and FIRST_PERSON.search(w.text)]
    if not lacking:
        return []  # no look-up: most questions end here
    held = ctx.store.quotes.in_sentences([s.sentence_id for w in lacking for s in w.sentences])
    speakers = {record.quotation_id: record.speaker for record in ctx.store.quotes.records(
        sorted({q for found in held.values() for q in found})) if record.speaker}
    total = sum(g.weight for g in question.groups) or 1.0
    spoken = []
    for window in lacking:
        speaking = {speakers[q] for s in window.sentences for q in held.get(s.sentence_id, [])
                    if q in speakers}
        missing = [g for g in question.groups if g.person is not None and not g.setting
                   and g.word not in window.matched]
        # One person speaking as "I", the one the window lacks.
        if len(missing) != 1 or missing[0].person is None or \
                missing[0].person.name not in speaking:
            continue
        gained = missing[0].weight / total
        if len(window.sentences) > 1:
            gained *= LONGER_WINDOW  # as retrieve weighs it
        spoken.append(replace(window, people_found=True, coverage=window.coverage + gained,
                              matched=window.matched | {missing[0].word},
                              speaker=missing[0].person.name))
    return spoken


# "who compared Trotsky to a leopard ...", "who wrote that ...", "who called the bureaucracy
# ...": the question gives someone's words; their speaker is the answer, not a person the
# words name ("... forcibly applies to Leon Trotsky", Emma Goldman's).
ASKS_WHOSE_WORDS = re.compile(
    r"^(?:so\s+|and\s+)?who\s+(?:had\s+|once\s+)?(?:compared|likened|called|described|wrote|"
    r"said|remarked|observed|warned|declared|claimed|argued|insisted|complained|predicted|"
    r"joked|quipped|mocked|branded|dubbed|put\s+it)\b", re.IGNORECASE)
WORDS_READ = 3  # the best windows whose quotations may hold the words asked
WORDS_FLOOR = 0.55  # ... when they hold this share of the question (as an answer must)
WORDS_OF_SPEECH = 4  # quoted words fewer than this are a term, not what someone said
WORDS_HELD = 0.6  # share of the question's words (names aside) the quoted words must hold


def speaker_of_the_words(ctx: AnswerContext, question: Question, windows: list[Window]
                         ) -> Answer | None:
    """The speaker of the stored quotation that holds the words a "who said ..." gives."""
    if ASKS_WHOSE_WORDS.match(question.text) is None:
        return None
    best = [w for w in windows[:WORDS_READ] if w.coverage >= WORDS_FLOOR]
    asked = [g for g in question.content_groups if g.person is None and not g.unindexed]
    if not best or not asked:
        return None
    held = ctx.store.quotes.in_sentences([w.main.sentence_id for w in best])
    records = {r.quotation_id: r for r in ctx.store.quotes.records(
        sorted({q for found in held.values() for q in found}))}
    asked_names = {p.name for p in question.people}
    # The rarest word asked, as typed, is the quotation's own (not "arguments" for "claimed"
    # nor "the Opposition" for "Trotskyist": a synonym finds sentences, it does not quote).
    as_typed = max(asked, key=lambda g: g.weight).as_typed()
    for window in best:
        # Innermost first: Trotsky's "gravedigger of the party and revolution", reported in
        # Natalia Sedova's account, is his.
        around = sorted((records[q] for q in held.get(window.main.sentence_id, [])
                         if q in records), key=lambda r: r.end - r.start)
        for record in around:
            if len(record.words.split()) < WORDS_OF_SPEECH:
                continue  # a term in quotation marks ("a “Trotskyist”"), not someone's words
            holding = sum(covered(g, record.words, ctx.people) for g in asked)
            if holding / len(asked) < WORDS_HELD or not covered(as_typed, record.words,
                                                               ctx.people):
                continue  # the words asked are the narration's, not the quotation's
            if record.speaker is None or record.speaker in asked_names:
                return None  # unattributed, or the one asked about: the sentence answers
            return _reply(record.speaker, [window.main])
    return None
