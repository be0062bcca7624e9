"""Answer a plain question from the sentences of the texts, or say honestly that they don't.

analyse -> retrieve -> extract -> reply. Confidence decides the kind of reply:

- ``answer``: a window of one or two sentences holds (nearly) every word of the question,
  every person it names, and an answer of the asked type: the headline is that answer, the
  sentence is shown verbatim with its place in the corpus.
- ``nearest``: something relevant but not the answer: "The closest the texts come".
- ``not_found``: no sentence is relevant: "The texts don't say".

Never a confident answer about another event or person: a question naming someone is only
answered from a sentence that names them too.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.answers.ask.analysis import (
    FRAMING_WORDS,
    PLACED_BY_WHEN,
    QUESTION_WORDS,
    RELATIVE_OF,
    AnswerType,
    Question,
    TermGroup,
    Vocabulary,
    analyse,
    time_setting,
)
from bot.answers.ask.dialogue import what_they_said, who_said_it
from bot.answers.ask.extract import (
    DAY_WITHOUT_YEAR,
    HERE_NAMED,
    Extracted,
    asked_as_object,
    count_unknown,
    extract,
    leaves_them_unnamed,
    quotation_runs_on,
    says_it_said_so,
    tells_the_doers_deed,
)
from bot.answers.ask.quoted import addressee, speaker_of_the_words, spoken_as_i
from bot.answers.ask.retrieve import (
    PRONOUN,
    Window,
    covered,
    heading_read,
    retrieve,
    window_rank,
)
from bot.answers.ask.sections import (
    ASKS_SECTION,
    NAMES_A_SECTION,
    section_answer,
    without_section_words,
)
from bot.answers.ask.texts import answer_about_texts, is_a_title, named_text
from bot.answers.ask.translators import ASKS_TRANSLATOR, translator_answer
from bot.answers.core.context import AnswerContext
from bot.answers.core.model import Answer, AnswerKind, Field, Item, SourceRef
from bot.answers.core.text import shorten
from bot.corpus.lexicon import TOKEN, stem, stems
from bot.corpus.people import Person
from bot.store.sources import SectionRecord, SourceRecord
from bot.store.works import CitedWork

ANSWERED = 0.55  # share of the question's (weighted) words a window must hold to answer
# An answer that is the sentence itself (a reason or manner with no "because"/"with" to
# mark it, a description) has no typed answer to vouch for it: it must match more closely.
SENTENCE_ANSWERED = 0.65
CONTENT_ANSWERED = 0.25  # share of the question's own words (names aside) a window must hold
NEAREST = 0.45  # below this the texts are not even close
CLAUSE_ANSWERED = 0.5  # ... for a why/how answered by the clause a marker opens
READ = 30  # windows read for an answer, best first
READ_ON = 2  # sentences of the same paragraph read past a window for a why
TIE = 0.1  # texts whose best sentence matches within this of the best one are named too
# A how that a marker names ("through administrative measures") right by the question's
# verb outweighs a sentence that says no how at all, though it matches a little less.
MANNER_TIE = 0.15
HEADLINE = 240  # characters; Discord's embed title allows 256
SELF_WEIGHT = 3.0  # "this essay" / "I" in a question about a text itself


def answer_question(ctx: AnswerContext, text: str, remembered: Person | None = None
                    ) -> tuple[Answer, Question]:
    """The reply to one plain question, and the question as read (for the conversation)."""
    vocabulary = vocabulary_of(ctx)
    question = analyse(text, ctx.people, vocabulary, ctx.lexicon, remembered)
    texts, works = texts_and_works(ctx)
    if question.unresolved_pronoun and pronoun_named_in_question(
            ctx, question.text, question.unresolved_pronoun):
        # "does Dawsey claim his essay has new findings?": he is the essayist named.
        # "when was his History of the Russian Revolution published?": the book is
        # named, and its author with it.
        question = replace(question, unresolved_pronoun=None)
    if question.unresolved_pronoun:
        word = question.unresolved_pronoun
        return Answer(AnswerKind.CHOOSE, f"Who do you mean by “{word}”?",
                      "I don't remember who we were talking about (I forget after a few "
                      "minutes). Ask again with the name, e.g. “where did Trotsky go after "
                      "he left Norway?”."), question
    if ASKS_TRANSLATOR.search(question.text):
        # "who translated the revolution betrayed?": the edition a note prints, not its author
        translated = translator_answer(ctx, question.text)
        if translated is not None:
            return translated, question
    # "according to the review, why ...": only that text is asked.
    within = named_text(question.text, texts) if _NAMES_A_TEXT.search(question.text) else None
    if within is None:  # "what year does rob jones say ...": his text is asked
        within = _text_its_writer_vouches_for(question, texts)
    # "which section of the medium review is the one where daniels comes in": a heading is
    # asked, not where the review appeared.
    section_asked = ASKS_SECTION.search(question.text) is not None or (
        within is not None and NAMES_A_SECTION.search(question.text) is not None)
    if not section_asked and question.kind in (
            AnswerType.AUTHOR, AnswerType.WHICH_TEXT, AnswerType.DATE, AnswerType.PLACE,
            AnswerType.PERSON, AnswerType.DESCRIPTION):
        about = _about_texts(ctx, question, texts, works)
        if about is not None:
            return about, question
    apparatus = question.kind is AnswerType.AUTHOR
    if within is not None and _ASKS_PURPOSE.search(question.text):
        purpose = _own_purpose(ctx, within)
        if purpose is not None:
            return purpose, question
    if section_asked:
        # "in the cwi article which section covers 1905?": a heading of the text is asked.
        chosen = [within] if within is not None else texts
        narrowed = without_section_words(
            _without_words_naming(question, within) if within is not None else question)
        found = retrieve(narrowed, ctx.search, ctx.store.sentences, ctx.people, vocabulary,
                         source_slug=within.slug if within is not None else None)
        heading = section_answer(narrowed, [(t, _headings(ctx, t)) for t in chosen], found,
                                 ctx.people, ANSWERED)
        # No heading settles it: the closest sentences, not another kind of answer (the
        # "section" of "the Soviet section of the Fourth International" is no heading).
        return heading or _not_answered(narrowed, found, _corrections(narrowed)), question
    if within is not None:
        narrowed = _without_words_naming(question, within)
        windows = retrieve(narrowed, ctx.search, ctx.store.sentences, ctx.people, vocabulary,
                           apparatus=apparatus, source_slug=within.slug)
        answer = _reply(ctx, narrowed, windows)
        if answer.kind is AnswerKind.ANSWER:
            return answer, question
    windows = retrieve(question, ctx.search, ctx.store.sentences, ctx.people, vocabulary,
                       apparatus=apparatus, as_it=_title_words(question, texts, works))
    if question.kind is AnswerType.PERSON:
        # "who was Trotsky answering with the dustbin line?": the remark the quotation met.
        answered = addressee(ctx, question, windows) or speaker_of_the_words(ctx, question,
                                                                             windows)
        if answered is not None:
            return answered, question
    # "who did Trotsky tell ...?" is answered where Trotsky says "I said to Smirnov".
    spoken = spoken_as_i(ctx, question, windows, floor=NEAREST)
    if spoken:
        windows = sorted([*windows, *spoken], key=window_rank)
    # "what did Smirnov say about Stalin ...?", "who called Stalin a colourless nonentity?":
    # the turns of a quoted exchange, whose speaker only "he asked me" may give.
    spoken_turns = what_they_said(ctx, question, windows) or (
        who_said_it(ctx, question, windows) if question.kind is AnswerType.PERSON else None)
    if spoken_turns is not None:
        return spoken_turns, question
    reply = _reply(ctx, question, windows)
    if apparatus and reply.kind is not AnswerKind.ANSWER:
        # A book the notes do not cite may be named in the argument or a quoted passage
        # ("Victor Kravchenko ... reports in his book, I Chose Freedom, ...").
        argued = _reply(ctx, question, retrieve(question, ctx.search, ctx.store.sentences,
                                                ctx.people, vocabulary, apparatus=False,
                                                argument=True))
        if argued.kind is AnswerKind.ANSWER:
            return argued, question
    return reply, question


def _title_words(question: Question, texts: list[SourceRecord], works: list[CitedWork]
                 ) -> frozenset[str]:
    """The question's words that make up the title of a text or cited work it names ("where
    did Trotsky write the Revolution Betrayed?"), for a sentence that calls the work "it"."""
    asked = " " + " ".join(_TITLE_WORD.findall(question.text.casefold())) + " "
    titles = [t.title for t in texts] + [w.title for w in works]
    words: set[str] = set()
    for title in titles:
        title_words = _TITLE_WORD.findall(re.sub(r"^(?:the|a|an)\s+", "", title.casefold()))
        if len(title_words) >= 2 and " " + " ".join(title_words) + " " in asked:
            words |= set(title_words)
    return frozenset(g.word for g in question.groups if g.word.casefold() in words)


_TITLE_WORD = re.compile(r"[\w’-]+")


# "the review", "Dawsey's essay", "the red flag piece", "according to to lead the people".
_NAMES_A_TEXT = re.compile(r"\b(?:essay|article|piece|review|reviewer|text|paper|author|"
                           r"according to|per|going by|in|section|part|heading)\b",
                           re.IGNORECASE)


# "what is Dawsey's essay trying to do?", "what does the review set out to do?"
_ASKS_PURPOSE = re.compile(
    r"\b(?:trying|try|tries|attempting|attempt|setting out|sets? out|aiming|aims?|meant|"
    r"intended|seeking|seeks?)\s+to\s+(?:do|achieve|accomplish|show)\b|\b(?:purpose|aim|goal|"
    r"point)\s+of\s+(?:the|this|that|\w+[’']s)\b", re.IGNORECASE)
# How a text says what it sets out to do: "This essay is a brief reconsideration of ...",
# "In this article ..., Rob Jones looks at Trotsky's life."
_SELF_DESCRIPTION = re.compile(
    r"^(?:This|In this)\s+(?:essay|review|article|piece|text|paper)\b(?:[^.]{0,80},)?\s*"
    r"(?:[A-Z][\w’'-]+\s+){0,3}(?:is|was|aims|seeks|sets out|tries|attempts|will|argues|looks|"
    r"examines|considers|revisits|began|offers)\b")
_TEXT_SELF = ["this essay", "this review", "this article", "this piece", "this text", "this paper"]


def _own_purpose(ctx: AnswerContext, text: SourceRecord) -> Answer | None:
    """The sentence in which a text says what it is or sets out to do, first in it first."""
    said = [hit for hit in ctx.search.search_sentences(_TEXT_SELF, limit=20,
                                                        source_slug=text.slug)
            if _SELF_DESCRIPTION.match(hit.text)]
    if not said:
        return None
    first = min(said, key=lambda hit: (hit.paragraph_index, hit.position))
    ref = SourceRef.of(first)
    item = Item(title=first.source_title, body=shorten(first.text, 1500), source=ref)
    return Answer(AnswerKind.ANSWER, shorten(first.text, HEADLINE),
                  f"“{shorten(first.text, 1500)}”\n— {ref.where()}", items=[item],
                  sources=[ref])


def pronoun_named_in_question(ctx: AnswerContext, text: str, pronoun: str) -> bool:
    """The question itself says who the pronoun is: an essayist it names ("does Dawsey claim
    his essay ...?"), or the author of a work named right after it ("when was his History of
    the Russian Revolution published?")."""
    if names_an_author(ctx, text):
        return True
    after = re.search(rf"\b{re.escape(pronoun)}\s+(.+?)(?:\s+(?:was|were|is|came|come|"
                      rf"published|written|appeared|out)\b|[?.!]|$)", text, re.IGNORECASE)
    if after is None or len(after.group(1).split()) < 3:
        return False
    texts, works = texts_and_works(ctx)
    return is_a_title(after.group(1), texts, works)


def names_an_author(ctx: AnswerContext, asked: str) -> bool:
    """The question names the writer of one of the texts, for a "he" or "his" to stand for
    ("does Dawsey claim his essay is new?"): the essayists are the texts' authors, not in the
    people registry of those the texts are about."""
    words = {w.casefold() for w in re.findall(r"\w+", asked)}
    texts, _ = texts_and_works(ctx)
    return any(text.author and text.author.split()[-1].casefold() in words for text in texts)


def _without_words_naming(question: Question, text: SourceRecord) -> Question:
    """The question less the words that only name the text ("medium", "review"), the
    text's kind ("essay", "reviewer") read as the text speaking of itself: "what did the
    review start out as?" is answered by "This review began as ..." and "what kind of reader
    does the reviewer say he is?" by "I would fall into ..."."""
    naming = {w.casefold() for w in re.findall(r"\w+", " ".join(
        filter(None, (text.title, text.publication, text.author, text.slug))))}
    kept: list[TermGroup] = []
    # "according to the review, why ...": the text is the source asked, not the subject.
    # "is the guy who wrote the medium review a trotskyist?": its writer is, as "I".
    writer = _ASKS_OF_THE_WRITER.search(question.text)
    source_only = _TEXT_AS_SOURCE.search(question.text) is not None or writer is not None
    if writer is not None:
        # ... and "does he call himself a trotskyist?": "himself" is that writer too.
        naming |= {w.casefold() for w in re.findall(r"\w+", writer.group(0))} | {
            "himself", "herself", "themselves"}
        kept.append(_THE_WRITER)
    for group in question.groups:
        word = group.word.casefold()
        if group.person is not None and _author_as_source(question.text, group.person, text):
            # "which oppositionist was the organising genius, per rob jones?": the writer
            # vouches for the sentence and is not in it (his own words say "I", if anything)
            continue
        if group.person is not None or (word not in naming and word not in _TEXT_KINDS
                                        and word not in _TEXT_WRITERS):
            kept.append(group)
        elif word in _TEXT_KINDS and not source_only and not any(
                g.word == _ITSELF.word for g in kept):
            kept.append(replace(_ITSELF, weight=group.weight))
        elif word in _TEXT_WRITERS and not any(g.word == _THE_WRITER.word for g in kept):
            kept.append(replace(_THE_WRITER, weight=group.weight))
    # "essay", "author" are question words, not groups: the text's kind may still be asked.
    words = {w.casefold() for w in re.findall(r"\w+", question.text)}
    if words & _TEXT_KINDS and not source_only and all(g.word != _ITSELF.word for g in kept):
        kept.append(_ITSELF)
    if words & _TEXT_WRITERS and all(g.word != _THE_WRITER.word for g in kept):
        kept.append(_THE_WRITER)
    if not kept:
        return question
    people = tuple(p for p in question.people if any(g.person == p for g in kept))
    return replace(question, groups=tuple(kept), people=people)


def _text_its_writer_vouches_for(question: Question, texts: list[SourceRecord]
                                 ) -> SourceRecord | None:
    """The one text whose writer the question names as who says it, if any."""
    vouched = [text for text in texts for person in question.people
               if _author_as_source(question.text, person, text)]
    return vouched[0] if len(vouched) == 1 else None


def _author_as_source(asked: str, person: Person, text: SourceRecord) -> bool:
    """Is the text's own writer named only as who says it: "per rob jones", "according to
    dawsey", "as dawsey sums up", "what year does rob jones say ...", "in dawsey's notes"?
    Not "what group is rob jones a member of?", which is about him."""
    if not text.author or person.name.casefold() != text.author.casefold():
        return False
    named = "|".join(re.escape(form) for form in sorted(person.names(), key=len, reverse=True))
    return re.search(_AS_SOURCE.format(named=named), asked, re.IGNORECASE) is not None


_REPORTS = (r"say|says|said|claim|claims|argue|argues|think|thinks|reckon|reckons|believe|"
            r"believes|write|writes|wrote|tell|tells|sum|sums|report|reports|give|gives|cite|"
            r"cites|quote|quotes|describe|describes|call|calls|put|puts|mention|mentions|see|"
            r"sees|trace|traces|count|counts|explain|explains|open|opens|rate|rates")
# {named}: the writer's names, longest first.
_AS_SOURCE = (r"\b(?:per|according\s+to|going\s+by|as|the\s+way|in|from|by)\s+(?:{named})\b"
              r"|\b(?:{named})(?:'s|’s)\s+(?:[\w-]+\s+){{0,2}}?(?:essay|article|piece|review|"
              r"text|paper|notes?|account)\b"
              rf"|\b(?:{{named}})\s+(?:[\w-]+\s+)?(?:{_REPORTS})\b")


# "the guy who wrote the medium review", "whoever wrote the essay": its writer, who speaks of
# himself as "I".
_ASKS_OF_THE_WRITER = re.compile(r"\b(?:the\s+)?(?:guy|person|man|woman|one|whoever|someone)?\s*"
                                 r"who(?:ever)?\s+(?:wrote|writes|penned|authored)\b",
                                 re.IGNORECASE)
_HOLDS = r"say|says|said|claim|claims|argue|argues|think|thinks|reckon|reckons|believe|believes"
_TEXT_AS_SOURCE = re.compile(
    r"\b(?:according to|per|in|from|by)\s+(?:the\s+)?(?:\S+\s+){0,2}?(?:essay|article|piece|"
    r"review|text|paper)\b|\b(?:essay|article|piece|review|text|paper)\s+(?:\S+\s+)?"
    rf"(?:{_HOLDS}|write|writes|call|calls)\b"
    # "does the medium reviewer reckon trotsky had blood on his hands?": what the writer
    # holds of someone else is what the text says ("he" would be the writer himself)
    rf"|\b(?:reviewer|author|writer)\s+(?:\S+\s+)?(?:{_HOLDS}|feel|feels)\s+(?:that\s+)?"
    r"(?!(?:he|she|they|his|her|him|himself|herself)\b)\w",
    re.IGNORECASE)
_TEXT_KINDS = frozenset({"essay", "article", "piece", "review", "text", "paper"})
_TEXT_WRITERS = frozenset({"reviewer", "author", "writer"})


def _self_reference(word: str, forms: tuple[str, ...]) -> TermGroup:
    # Weighed as a word of middling rarity: it says which sentences speak of the text, not
    # what they say of it.
    return TermGroup(word, forms, tuple(tuple(stems(f)) for f in forms), weight=SELF_WEIGHT,
                     subject=True)


# How a text speaks of itself and its writer.
_ITSELF = _self_reference("this text", tuple(f"this {kind}" for kind in sorted(_TEXT_KINDS)))
_THE_WRITER = _self_reference("the writer", ("I", "my", "me"))


def _headings(ctx: AnswerContext, text: SourceRecord) -> list[SectionRecord]:
    """A text's sections, read once per ingest (a section question may read every text's)."""
    return ctx.cards.get(ctx.store, ("qa", "headings", text.slug),
                         lambda: ctx.store.sources.sections(text.slug))


def texts_and_works(ctx: AnswerContext) -> tuple[list[SourceRecord], list[CitedWork]]:
    """The corpus's texts and the works they cite, read once per ingest."""
    store = ctx.store
    return ctx.cards.get(store, ("qa", "works"),
                         lambda: (store.sources.all(), store.works.cited_works()))


LONG_RARE_TERM = 7  # letters from which a term used once is still a typo's target


def vocabulary_of(ctx: AnswerContext) -> Vocabulary:
    """The sentence index's terms, read once per ingest (typo correction, rare words)."""
    return ctx.cards.index(ctx.store, ("qa", "vocabulary"), lambda: _vocabulary(ctx))


def _vocabulary(ctx: AnswerContext) -> Vocabulary:
    total, documents = ctx.search.sentence_vocabulary()
    # Typo correction compares against words that occur more than once: a one-off short term
    # is as likely a typo of the text's own as the word the member meant. A long one is
    # kept: a rare name ("Dneprogec") is spelt from memory, and a nearer common word still
    # wins, candidates being ranked by closeness and then by use.
    terms = tuple(t for t, n in documents.items()
                  if (n > 1 or len(t) >= LONG_RARE_TERM) and not t.isdigit())
    return Vocabulary(total, documents, terms)


def _about_texts(ctx: AnswerContext, question: Question, texts: list[SourceRecord],
                 works: list[CitedWork]) -> Answer | None:
    fact = answer_about_texts(question, texts, works)
    if fact is None:
        return None
    ref = SourceRef(fact.slug, fact.title, fact.author)
    items = [Item(title=fact.title, body=fact.evidence, source=ref)]
    if not fact.stated:  # "who wrote To Lead the People?": the text does not say
        return Answer(AnswerKind.NOT_FOUND, "The texts don't say",
                      f"{fact.headline}. What it gives: “{fact.evidence}”", items=items,
                      sources=[ref])
    # The text's own words for it, where it has them ("Rob Jones is a member of ...").
    said = ctx.search.search_sentences([fact.headline], limit=1, source_slug=fact.slug)
    if said and fact.headline.casefold() in said[0].text.casefold():
        items.append(Item(title=fact.title, body=said[0].text, source=SourceRef.of(said[0])))
    body = "\n".join(f"“{item.body}”" for item in items)
    return Answer(AnswerKind.ANSWER, shorten(fact.headline, HEADLINE),
                  f"{body}\n— {ref.where()}", items=items, sources=[ref])


def _reply(ctx: AnswerContext, question: Question, windows: list[Window]) -> Answer:
    found = _best(ctx, question, windows) if not question.unknown else None
    if found is None:
        return _not_answered(question, windows, _corrections(question))
    window, extracted = _said_before(ctx, question, *_quotation_completed(ctx, question, *found))
    window = _with_the_place_meant(ctx, window, extracted)
    corrections = _corrections(question, window.text)
    if extracted.note == "the texts give no name" and _ASKS_THE_NAME.search(question.text):
        # "what was the name of the young communist who shot Kirov?": the texts' description
        # is the nearest they come, not the name asked for.
        return Answer(AnswerKind.NEAREST, "The texts give no name",
                      f"They say only: {extracted.answer}.\n{_quoted(window)}",
                      fields=corrections, items=[_item(window)],
                      sources=[SourceRef.of(window.main)])
    if question.kind is AnswerType.REASON and extracted.note == "sentence" and \
            _only_restates(question, window.main.text):
        # "why did the Norwegians put Trotsky under house arrest?" is not answered by "That
        # fall, Norwegian authorities placed him under house arrest.": it only says they did.
        return _not_answered(question, [window, *windows], corrections)
    headline = _headline(question, extracted)
    primary = _item(window)
    if question.kind is AnswerType.WHICH_TEXT:
        return _which_texts(question, windows, window, headline, corrections)
    others = _second_sources(ctx, question, windows, window, extracted)
    fields = corrections + [field for field, _ in others]
    items = [primary, *[item for _, item in others]]
    return Answer(AnswerKind.ANSWER, headline, _quoted(window), fields=fields, items=items,
                  sources=[item.source for item in items if item.source])


RESTATING = 2  # a sentence adding no more words than this to the question's only restates it


def _only_restates(question: Question, sentence: str) -> bool:
    """Does the sentence say little besides what the question already says?"""
    asked = {s for g in question.groups for phrase in g.stems for s in phrase}
    asked |= {stem(w) for w in TOKEN.findall(question.text)}
    new = {stem(w) for w in TOKEN.findall(sentence)
           if len(w) >= 3 and not w[0].isdigit() and w.casefold() not in QUESTION_WORDS
           and w.casefold() not in _FUNCTION_WORDS} - asked
    return len(new) <= RESTATING


# Besides QUESTION_WORDS: the little words and the words that only set the scene in time
# ("That fall, ...").
_FUNCTION_WORDS = frozenset("""onto upon yet shall spring summer fall autumn winter year years
    month months week weeks day days later soon earlier afterwards meanwhile""".split())


_ASKS_THE_NAME = re.compile(r"\b(?:name|named|called|surname)\b", re.IGNORECASE)


def _which_texts(question: Question, windows: list[Window], best: Window, headline: str,
                 corrections: list[Field]) -> Answer:
    """'which essay talks about Kronstadt?': the best one, and the others that do too."""
    chosen = {best.main.source_slug: best}
    for window in windows[:READ]:
        if window.coverage < max(ANSWERED, best.coverage - TIE) or not window.people_found:
            continue
        chosen.setdefault(window.main.source_slug, window)
    also = [w for slug, w in chosen.items() if slug != best.main.source_slug]
    if also:
        titles = "; ".join(_short_title(w.main.source_title) for w in also[:3])
        headline = shorten(f"{headline} (also: {titles})", HEADLINE)
    items = [_item(w) for w in chosen.values()]
    return Answer(AnswerKind.ANSWER, headline, _quoted(best), fields=corrections, items=items,
                  sources=[item.source for item in items if item.source])


def _short_title(title: str) -> str:
    """'To Lead the People' for 'To Lead the People: Notes on the Russian Revolution: Part II'."""
    return re.split(r":\s", title, maxsplit=1)[0].strip("“”\" ") or title


def _best(ctx: AnswerContext, question: Question, windows: list[Window]
          ) -> tuple[Window, Extracted] | None:
    found = _answering(ctx, question, windows)
    if found is None or found[1].note != "sentence" or question.kind not in _CLAUSED:
        return found
    # "how did Yoffe take his own life?": the best sentence may only restate the act ("Yoffe
    # committed suicide"); a window nearly as good that names the how or the why answers.
    first = found[0]
    if tells_the_doers_deed(question, found[1].answer, ctx.people):
        return found
    if question.kind is AnswerType.REASON and first.sentences[-1] is first.main:
        # "Late in November of 1927 Adolf Abramovich Yoffe committed suicide.": the sentence
        # after a bare statement of the act is the likeliest to say why
        # ("Sick, ..., convinced that ... he could only prove a burden ..., he shot himself"),
        # when it speaks of the act again: "Since most of the new members were in fact old
        # Tsarists, it completed ..." after a sentence on the levy is about something else.
        read_on = _read_on(ctx, question, first)
        if read_on is not None and any(
                covered(g, read_on[0].sentences[-1].text, ctx.people)
                for g in question.content_groups):
            return read_on
    tie = MANNER_TIE if question.kind is AnswerType.MANNER else TIE
    deed: tuple[Window, Extracted] | None = None  # a window nearly as good telling the deed
    for window in windows[:READ]:
        if window is first or window.coverage < first.coverage - tie:
            continue
        clause = _answering(ctx, question, [window])
        if clause is not None and clause[1].note != "sentence":
            return clause
        if clause is not None and deed is None and \
                tells_the_doers_deed(question, clause[1].answer, ctx.people):
            deed = clause
    return _read_on(ctx, question, first) or deed or found


def _read_on(ctx: AnswerContext, question: Question, window: Window
             ) -> tuple[Window, Extracted] | None:
    """The why or the how is often the sentence after the best window ("Stalin proposed
    only regional autonomy with a strong centre. It was easier to rule that way.")."""
    longer = _with_next_sentence(ctx, window)
    if longer is not None:
        extracted = extract(question, longer, ctx.people)
        if extracted is not None and extracted.note != "sentence":
            return longer, extracted
        window = longer
    if question.kind is not AnswerType.REASON:
        return None  # (a how read further on finds the "with" of another deed)
    # "... warning against terrorism. Among the youth, he feared ... . Remaining steadfast ...,
    # he equated individual terror with despair ... . Terrorist acts would only serve as
    # pretexts for even greater repression.": further on in the same paragraph.
    last = window.sentences[-1]
    context = ctx.store.sentences.around([last], before=0, after=READ_ON).get(
        last.sentence_id, [])
    further = [s for s in context if s.sentence_id > last.sentence_id
               and s.passage_id == window.main.passage_id]
    for count in range(1, len(further) + 1):
        longer = replace(window, sentences=(*window.sentences, *further[:count]))
        extracted = extract(question, longer, ctx.people)
        if extracted is not None and extracted.note != "sentence" and \
                extracted.at >= longer.text.find(further[count - 1].text):
            return longer, extracted
    return None


def _with_next_sentence(ctx: AnswerContext, window: Window) -> Window | None:
    """The window and the sentence after the search's own, unless it holds that already."""
    last = window.sentences[-1]
    if last.sentence_id != window.main.sentence_id:
        return None
    context = ctx.store.sentences.around([last], before=0, after=1).get(last.sentence_id, [])
    following = [s for s in context if s.sentence_id > last.sentence_id]
    return replace(window, sentences=(*window.sentences, following[0])) if following else None


def _quotation_completed(ctx: AnswerContext, question: Question, window: Window,
                         extracted: Extracted) -> tuple[Window, Extracted]:
    """'Muralov wrote to Trotsky: “I capitulate?' is cut where the sentence splitter broke
    inside the quotation: it is shown with the sentence that goes on with it."""
    if extracted.note != "sentence" or not quotation_runs_on(window.main.text):
        return window, extracted
    longer = _with_next_sentence(ctx, window)
    again = extract(question, longer, ctx.people) if longer is not None else None
    return (longer, again) if longer is not None and again is not None else (window, extracted)


def _said_before(ctx: AnswerContext, question: Question, window: Window,
                 extracted: Extracted) -> tuple[Window, Extracted]:
    """'When I was sent to Moscow ..., I told him so.': read with the sentence before, which
    says what "so" was ('... I was even sure that we would be defeated.')."""
    if not says_it_said_so(extracted.answer) or \
            window.sentences[0].sentence_id != window.main.sentence_id:
        return window, extracted
    first = window.sentences[0]
    context = ctx.store.sentences.around([first], before=1, after=0).get(first.sentence_id, [])
    previous = [s for s in context if s.sentence_id == first.sentence_id - 1]
    if not previous:
        return window, extracted
    longer = replace(window, sentences=(previous[0], *window.sentences))
    again = extract(question, longer, ctx.people)
    return (longer, again) if again is not None else (window, extracted)


def _with_the_place_meant(ctx: AnswerContext, window: Window, extracted: Extracted) -> Window:
    """'It was here he met ... Rakovsky': shown from the sentence that names the place
    "here" stands for ('Trotsky travelled to the Balkans ...'), two sentences up at most."""
    if extracted.note != HERE_NAMED:
        return window
    first = window.sentences[0]
    context = ctx.store.sentences.around([first], before=2, after=0).get(first.sentence_id, [])
    before = [s for s in context if s.sentence_id < first.sentence_id]
    for start in range(len(before) - 1, -1, -1):
        if extracted.answer in before[start].text:
            return replace(window, sentences=(*before[start:], *window.sentences))
    return window


_CLAUSED = (AnswerType.REASON, AnswerType.MANNER)


def _answering(ctx: AnswerContext, question: Question, windows: list[Window]
               ) -> tuple[Window, Extracted] | None:
    """The first window, best first, that holds enough of the question and an answer."""
    # A why or how clause ("because he naturally fit both roles") by the question's words
    # answers with less of the question's wording than a bare sentence needs.
    floor = CLAUSE_ANSWERED if question.kind in _CLAUSED else ANSWERED
    for window in windows[:READ]:
        if window.coverage < floor:
            break
        if not (window.people_found or _found_as_pronoun(question, window)) or \
                _content_share(question, window) < CONTENT_ANSWERED:
            continue
        if any(g.subject and g.word not in window.matched for g in question.groups):
            continue
        if not holds_the_specifics(question, window) or _lacks_the_deed(question, window):
            continue
        extracted = extract(question, window, ctx.people)
        if extracted is None or leaves_them_unnamed(question, window.text):
            continue
        if question.kind is AnswerType.NUMBER and (
                count_unknown(window.text, extracted.at)
                or not _counts_what_is_asked(question, window, extracted.at, ctx)
                or _asked_only_after_the_count(question, window, extracted, ctx)):
            continue
        if extracted.note == "sentence" and window.coverage < SENTENCE_ANSWERED:
            continue
        if window.coverage < ANSWERED and extracted.note is not None:
            continue
        return window, extracted
    return None


# "what did ramon mercader get sentenced to for killing trotsky?": what was done to or by
# someone is asked by its verb; a sentence on the killing alone does not say it.
# ... and "what was trotsky accused of?", "what were they charged with?": the passive's verb
_WHAT_DID_DEED = re.compile(r"^what\s+(?:did|does)\s+(?:[\w’'-]+\s+){1,3}?(?:get|got)\s+"
                            r"(?P<deed>[a-z]+ed)\b"
                            r"|^what\s+(?:was|were|is|are)\s+(?:[\w’'-]+\s+){1,3}?(?:being\s+)?"
                            r"(?P<passive>[a-z]+ed)\s+(?:of|to|with|for)\b", re.IGNORECASE)


def _lacks_the_deed(question: Question, window: Window) -> bool:
    """Does the window miss the verb of the deed a "what did X get ...ed" question asks?"""
    asked = _WHAT_DID_DEED.match(question.text)
    if asked is None or question.kind is not AnswerType.DESCRIPTION:
        return False
    deed = (asked["deed"] or asked["passive"]).casefold()
    group = next((g for g in question.content_groups if g.word.casefold() == deed), None)
    return group is not None and group.word not in window.matched


WHICH_TEXT_BY_PRONOUN = 0.8  # share of the question's other words a passage must hold ...


#: What the question asks for when someone it names is only the object of the deed: which
#: essay, where ("where was the market woman arrested for calling stalin the people's
#: misfortune?": "In Moscow, a market woman was arrested for saying that he was ...").
_ASKED_BESIDE_WHO = frozenset({AnswerType.WHICH_TEXT, AnswerType.PLACE})


def _found_as_pronoun(question: Question, window: Window) -> bool:
    """'which essay has the market woman arrested for calling Stalin the people's
    misfortune?': the passage sought calls him 'he' ('for saying that he was the people's
    misfortune'); where is asked, not who, so a passage holding nearly all the rest will do
    when the person is only the object of the deed and a pronoun stands for them."""
    return (question.kind in _ASKED_BESIDE_WHO and bool(question.people)
            and all(asked_as_object(p, question.text) for p in question.people)
            and PRONOUN.search(window.text) is not None
            and _content_share(question, window) >= WHICH_TEXT_BY_PRONOUN)


_COUNTED_DOING = re.compile(r"\bhow many\s+[a-z]+\s+(?:(?:actually|really|in fact)\s+)?"
                            r"(?:were\s+|got\s+|had\s+been\s+)?(?P<verb>[a-z]+(?:ed|en)|died|"
                            r"fled|fought|went|came|left|lost|fell|won)\b", re.IGNORECASE)


def _counts_what_is_asked(question: Question, window: Window, at: int, ctx: AnswerContext
                          ) -> bool:
    """"How many people died in the Volga famine?" is not answered by "the number affected
    had climbed to 36 million": what the counted ones did must be in the sentence that
    counts them, not in the next one ("Several hundred thousands of prisoners worked on the
    Baltic-White Sea Canal. How many of them died in the process?")."""
    asked = _COUNTED_DOING.search(question.text)
    if asked is None:
        return True
    verb = asked["verb"].casefold()
    if verb in FRAMING_WORDS:
        return True  # "how many delegates went to Zimmerwald?": "went" only frames the count
    group = next((g for g in question.groups if g.word.casefold() == verb), None)
    return group is None or covered(group, _sentences_up_to(window, at)[-1], ctx.people)


def _sentences_up_to(window: Window, at: int) -> list[str]:
    """The window's sentences up to the one in which the character at ``at`` of
    ``window.text`` stands (that one last)."""
    upto: list[str] = []
    end = -1
    for sentence in window.sentences:
        upto.append(sentence.text)
        end += len(sentence.text) + 1  # the space Window.text joins them with
        if at < end:
            break
    return upto


def _asked_only_after_the_count(question: Question, window: Window, extracted: Extracted,
                                ctx: AnswerContext) -> bool:
    """"... civil war, killing some thirty million people. After the war is a famine." does
    not count the famine's dead: a number counts what its own sentence and those before it
    tell, so the question's words found only in a sentence after it do not hold for it."""
    upto = _sentences_up_to(window, extracted.at)
    if len(upto) == len(window.sentences):
        return False
    told = " ".join(upto)
    total = sum(g.weight for g in question.groups) or 1.0
    held = sum(g.weight for g in question.groups
               if g.word in window.matched and covered(g, told, ctx.people))
    return held / total < ANSWERED


_COUNTING = re.compile(r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|first|second|"
                       r"third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\b", re.IGNORECASE)


_NUMBER_FORMS = {  # the ways the texts may write a small number the question gives
    **{word: (word, str(n), ordinal) for n, (word, ordinal) in enumerate(zip(
        "one two three four five six seven eight nine ten".split(),
        "first second third fourth fifth sixth seventh eighth ninth tenth".split(),
        strict=True), start=1)},
    **{ordinal: (ordinal, f"{n}th", word) for n, (word, ordinal) in enumerate(zip(
        "one two three four five six seven eight nine ten".split(),
        "first second third fourth fifth sixth seventh eighth ninth tenth".split(),
        strict=True), start=1)},
    # "what two roles did Stalin fit?" is answered by "he fit both roles".
    "two": ("two", "2", "second", "both"),
}


def holds_the_specifics(question: Question, window: Window) -> bool:
    """The numbers and ordinals the question gives, and the relative it asks about, are in
    the window: "when did World War Two end?" is not answered by the first war's end, nor
    "when did Trotsky's wife die?" by Trotsky's death."""
    text = f"{window.text} {heading_read(window)}".casefold()
    # "one of them", "the one Trotsky answered", "no one": a pronoun, not a count.
    # "where did they send him first after ...", "at first": an adverb, not an ordinal.
    counted = re.sub(r"\bone of\b|\b(?:the|no|any|every|this|that|which)\s+one\b|"
                     r"\b(?:at first|in the first place|first of all)\b|"
                     r"\bfirst(?=\s+(?:after|when|before|then|of all)\b|\s*[,?.!]|\s*$)", "",
                     question.text, flags=re.I)
    counted = _FIRST_AS_ADVERB.sub("", counted)
    if question.kind in PLACED_BY_WHEN:
        # "why did Trotsky get kicked out to Spain in the first world war?": for a why, a how
        # or a where, the clause saying when only places the act; the sentence that answers
        # may date it no other way ("anti-war agitation").
        setting = time_setting(counted)
        counted = counted[:len(counted) - len(setting)] if setting else counted
    for number in _COUNTING.findall(counted):
        forms = _NUMBER_FORMS.get(number.casefold().rstrip("stndrh") or number.casefold(),
                                  (number.casefold(),))
        if not any(re.search(rf"\b{re.escape(form)}\b", text) for form in forms):
            return False
    relative = RELATIVE_OF.search(question.text)
    if relative is None:
        return True
    group = next((g for g in question.content_groups
                  if g.word.casefold() == relative.group(1).casefold()), None)
    relatives: tuple[str, ...] = group.alternatives if group else (relative.group(1),)
    return any(re.search(rf"\b{re.escape(form.casefold())}", text) for form in relatives)


# "did trotsky first think stalin could be removed ...?": a "first" that no determiner or
# possessive goes before says when, it counts nothing ("his first wife", "the first
# congress", "trotsky's first exile" do count).
_FIRST_AS_ADVERB = re.compile(r"(?<!\bthe )(?<!\ba )(?<!\ban )(?<!\bhis )(?<!\bher )"
                              r"(?<!\btheir )(?<!\bits )(?<!\bthis )(?<!\bthat )(?<!\bwhose )"
                              r"(?<![’']s )\bfirst\b", re.IGNORECASE)


def _content_share(question: Question, window: Window) -> float:
    """How much of what the question asks about (not whom) the window holds: a sentence
    naming Trotsky is no answer to "where was Trotsky born?" unless it speaks of a birth."""
    groups = [g for g in question.content_groups if g.weight > 0]
    total = sum(g.weight for g in groups)
    if not total:
        return 1.0
    return sum(g.weight for g in groups if g.word in window.matched) / total


def _headline(question: Question, extracted: Extracted) -> str:
    answer = extracted.answer
    if question.kind is AnswerType.PERSON and extracted.note == "the texts give no name":
        return shorten(f"{answer[0].upper()}{answer[1:]} (the texts give no name)", HEADLINE)
    if question.kind is AnswerType.YESNO:
        return answer
    if extracted.note == DAY_WITHOUT_YEAR:
        return f"{answer} ({DAY_WITHOUT_YEAR})"  # the year is the paragraph's to give
    return shorten(answer[0].upper() + answer[1:], HEADLINE)


def _quoted(window: Window) -> str:
    ref = SourceRef.of(window.main)
    text = shorten(window.text, 1500)
    # A passage that is itself a quotation keeps its own marks: not "““One of ... all.”84”".
    shown = text if text.startswith(("“", '"')) else f"“{text}”"
    return f"{shown}\n— {ref.where()}"


def _item(window: Window) -> Item:
    return Item(title=window.main.source_title, body=shorten(window.text, 1500),
                source=SourceRef.of(window.main))


def _second_sources(ctx: AnswerContext, question: Question, windows: list[Window],
                    chosen: Window, extracted: Extracted) -> list[tuple[Field, Item]]:
    """Another essay that says the same (agrees) or gives another value (disagrees)."""
    if question.kind in (AnswerType.YESNO, AnswerType.DESCRIPTION, AnswerType.WHICH_TEXT):
        return []
    for window in windows[:READ]:
        if window.coverage < ANSWERED:
            break
        if window.main.source_slug == chosen.main.source_slug or not window.people_found:
            continue
        other = extract(question, window, ctx.people)
        if other is None or other.note == "sentence" or extracted.note == "sentence":
            continue
        same = _same(other.answer, extracted.answer)
        if not same and question.kind not in (AnswerType.DATE, AnswerType.NUMBER,
                                              AnswerType.PERSON, AnswerType.PLACE):
            continue
        label = "Also in" if same else "Another text says otherwise"
        value = (f"{window.main.source_title}" if same else
                 f"{other.answer} — {window.main.source_title}")
        return [(Field(label, shorten(value, 1024)), _item(window))]
    return []


def _same(a: str, b: str) -> bool:
    """Do two answers say the same ("20th August 1940" and "20 August 1940", "Mercader" and
    "Ramon Mercader")? Compared on their content words."""
    def key(s: str) -> set[str]:
        plain = re.sub(r"\b(\d+)(?:st|nd|rd|th)\b", r"\1", s.casefold())  # 20th -> 20
        return {w for w in re.findall(r"\w+", plain)
                if (len(w) > 2 or w.isdigit()) and w not in QUESTION_WORDS}

    mine, theirs = key(a), key(b)
    return bool(mine) and bool(theirs) and (mine <= theirs or theirs <= mine)


def _corrections(question: Question, answering: str = "") -> list[Field]:
    """What the typos were read as, in the answer's own spelling where it has the word:
    "“dneproges” as Dneprogec", not the index's stem "dneprogec"."""
    if not question.corrections:
        return []
    words: dict[str, str] = {}
    for word in re.findall(r"[^\W\d_][\w’'-]*", answering):
        words.setdefault(stem(word), word)
    shown = ", ".join(f"“{typed}” as {words.get(read, read)}"
                      for typed, read in question.corrections[:5])
    return [Field("Read", shorten(shown, 1024))]


def _not_answered(question: Question, windows: list[Window], corrections: list[Field]
                  ) -> Answer:
    near = next((w for w in windows if w.coverage >= NEAREST and w.people_found), None)
    asked = shorten(question.text, 120)
    if near is None:
        return Answer(AnswerKind.NOT_FOUND, "The texts don't say",
                      f"No sentence of the texts answers “{asked}”. You can ask who someone "
                      "was, when something happened, or who said something.",
                      fields=corrections, suggestions=["help"])
    return Answer(AnswerKind.NEAREST, "The texts don't say; the closest they come",
                  f"No sentence answers “{asked}”. The closest:\n{_quoted(near)}",
                  fields=corrections, items=[_item(near)], sources=[SourceRef.of(near.main)])
