"""Plain questions ("who killed Trotsky?", "and when did he die?"): a mention, a DM, /ask.

Questions that are a command in other words ("who was Yagoda?", "who said 'dustbin of
history'?", "when was Kronstadt?", "something to discuss") go to that command's answer, so
the reply is the one the command gives. Everything else is answered from the sentences of
the texts (``bot.answers.ask``). A short per-user, per-channel memory resolves "he", "him",
"another one".
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from cachetools import TTLCache

from bot.answers.ask.analysis import (
    asking_clause,
    opener_fixed,
    outside_pronoun,
    possessives_marked,
)
from bot.answers.ask.engine import (
    answer_question,
    pronoun_named_in_question,
    texts_and_works,
    vocabulary_of,
)
from bot.answers.ask.retrieve import one_input
from bot.answers.ask.texts import is_a_title, named_text
from bot.answers.conversation.help import help_answer
from bot.answers.core.context import AnswerContext
from bot.answers.core.model import Answer, AnswerKind
from bot.answers.core.text import one_line
from bot.answers.dates.period import parse_period
from bot.answers.dates.stated import stated_date
from bot.answers.dates.when import curated_event, event_words, timeline, when
from bot.answers.people.who import who
from bot.answers.quote.about import said_about
from bot.answers.quote.answer import in_its_sentence, quote
from bot.answers.texts.search import search
from bot.corpus.dates import dates_in

MEMORY_SECONDS = 10 * 60  # a follow-up a few minutes later still refers to the same person
MAX_QUESTION_CHARS = 500
SAYING_WORDS = 4  # fewer quoted words are a term someone is told using, not their saying
_QUESTION = re.compile(r"\?\s*$|^(?:what|why|how|which|who|whom|whose|when|where|is|are|was|"
                       r"were|do|does|did|can|could|should|would|will|has|had|name|list)\b",
                       re.IGNORECASE)
# Questions that carry someone's words, where "he" belongs to the quotation, not to us.
_QUOTING = re.compile(r"^(?:who said|who wrote|whose words|find|show|give|get|where is this|"
                      r"where does this|what'?s the source|source of)\b|[\"“‘]", re.IGNORECASE)
_PRONOUN = re.compile(r"\b(he|him|his|she|her|hers)\b", re.IGNORECASE)
_QUOTED = r"[\"“‘']?(?P<words>.+?)[\"”’']?"

# (intent, pattern) in order: the first that matches decides.
_INTENTS: list[tuple[str, re.Pattern[str]]] = [(name, re.compile(pattern, re.IGNORECASE)) for
                                                name, pattern in [
    ("help", r"^(?:help|what can you do|how do (?:i|you) use you|commands)\b"),
    ("prompt", r"\b(?:something to discuss|discussion (?:question|prompt)|study prompt|"
               r"today'?s prompt|give us a (?:question|prompt)|what should we discuss)\b"),
    ("another", r"^(?:and |give me |)(?:another(?: one)?|one more|again)\b"),
    ("more_from", r"^(?:and )?(?:more|other) (?:quotes|quotations|lines) (?:from|by) "
                  r"(?P<person>.+?)\W*$"),
    ("who_said", rf"^(?:who said|whose words are|who wrote(?=\s+[\"“‘']))\s+{_QUOTED}\W*$"),
    ("said_about", r"^(?:what did|what does) (?P<person>.+?) (?:say|write|think|argue) "
                   r"(?:about|of|on) (?P<topic>.+?)\W*$"),
    ("said_about", r"^what (?:was|is) (?P<person>[\w .-]+?)[’']s (?:line|quote|remark|comment|"
                   r"phrase|quip|joke) (?:about|on) (?P<topic>.+?)\W*$"),
    ("said_by", r"^(?:what did|what does) (?P<person>.+?) (?:say|write)\W*$"),
    ("find_quote", r"^(?:find|show|give|get)(?: me| us)? (?:the|a) (?:quote|quotation|line) "
                   r"(?:about|on|where|that says|saying|with)\s+(?P<words>.+?)\W*$"),
    ("source_of", rf"^(?:where is this from|where does this come from|what'?s the source of|"
                  rf"source of)\s*:?\s*{_QUOTED}\W*$"),
    ("source_of", r"^where is\s*:?\s*[\"“‘'](?P<words>.+?)[\"”’']\s*(?:from)?\W*$"),
    ("source_of", r"^where (?:does|did|is) (?:the |that |this )?[\"“‘'](?P<words>.+?)[\"”’']\s+"
                  r"(?:line|quote|quotation|phrase|bit|saying|remark)\s+(?:come from|from)\W*$"),
    ("find_quote", r"^whose (?:is|are|was|were) (?:the|that|this) (?:quote|quotation|line|words|"
                   r"epigraph)(?: at the (?:top|start|beginning|head))? (?:about|on|that says|"
                   r"saying|with)\s+(?P<words>.+?)\W*$"),
    ("source_of", rf"^where (?:does|did|is) (?:the |that |this )?(?:phrase|line|quote|quotation|"
                  rf"saying|expression|bit)\s+{_QUOTED}\s+(?:come from|from)\W*$"),
    ("happened", r"^(?:and )?what happened (?:in|during|between) (?P<period>.+?)\W*$"),
    ("when", r"^(?:and )?(?:when|what year|in what year|which year|what date|how long after)\b"),
    ("who_is", r"^(?:and )?(?:who (?:was|is|were|are)|who'?s|tell me about|"
               r"what do you know about)\s+(?P<name>.+?)\W*$"),
]]


@dataclass(frozen=True, slots=True)
class Asked:
    """What an intent's handler is given: the question, how its pattern matched it, what the
    conversation remembers, and (where the surface has one) the prompt of the day."""

    ctx: AnswerContext
    match: re.Match[str]
    text: str
    turn: Turn
    prompt: Callable[[], Answer] | None


@dataclass(slots=True)
class Turn:
    person: str | None = None  # canonical name the last answer was about
    quote_person: str | None = None  # the filter of the last quotation asked for
    quote_text: str | None = None


class ConversationMemory:
    """What each (user, channel) asked last, for ``seconds``.

    Bounded both ways: a turn is forgotten ``seconds`` after it was asked (a follow-up later
    than that would not refer to it anyway), and at most ``max_keys`` askers are held, the
    ones who asked longest ago dropped first, however many members and channels the bot
    serves. Thread-safe: answers run in worker threads.
    """

    MAX_KEYS = 10_000

    def __init__(self, seconds: float = MEMORY_SECONDS,
                 clock: Callable[[], float] = time.monotonic, *,
                 max_keys: int = MAX_KEYS) -> None:
        self.seconds = seconds
        self.clock = clock
        self.turns: TTLCache[str, Turn] = TTLCache(max_keys, ttl=seconds, timer=clock)
        self._lock = threading.Lock()

    def recall(self, key: str) -> Turn:
        with self._lock:
            return self.turns.get(key) or Turn()

    def remember(self, key: str, turn: Turn) -> None:
        with self._lock:
            self.turns[key] = turn  # set again: the time to live runs from this question


def converse(ctx: AnswerContext, memory: ConversationMemory, key: str, question: str,
             prompt: Callable[[], Answer] | None = None) -> Answer:
    """Answer a plain question; ``key`` identifies the asker (user and channel)."""
    text = one_line(question or "")
    if not text or not re.search(r"\w", text):
        return Answer(AnswerKind.ERROR, "Ask me something",
                      "For example: “who was Yagoda?”, “when was Kronstadt?”, “who said "
                      "‘dustbin of history’?”, or `help`.")
    if len(text) > MAX_QUESTION_CHARS:
        return Answer(AnswerKind.ERROR, "That is a long question",
                      f"Ask in up to {MAX_QUESTION_CHARS} characters, one thing at a time.")
    # Slips that decide where a question goes ("wat did Trotsky say to Dan?", "who was
    # trotskys wife?") are put right before it is routed.
    text = possessives_marked(opener_fixed(text, vocabulary_of(ctx))[0], ctx.people)
    turn = memory.recall(key)
    outside = outside_pronoun(text, ctx.people)
    if turn.person is None and outside and not _QUOTING.search(text) and \
            not pronoun_named_in_question(ctx, text, outside):
        word = outside
        return Answer(AnswerKind.CHOOSE, f"Who do you mean by “{word}”?",
                      "I don't remember who we were talking about (I forget after a few "
                      "minutes). Ask again with the name, e.g. “when did Lenin die?”.")
    if outside:  # not "where did Trotsky go after he left ...": that "he" is named already
        text = _resolve_pronouns(text, turn)
    with one_input():
        answer, new_turn = _route(ctx, text, turn, prompt)
    memory.remember(key, new_turn)
    return in_its_sentence(ctx, answer)


def _resolve_pronouns(text: str, turn: Turn) -> str:
    """'and when did he die?' -> 'and when did Vladimir Lenin die?' when Lenin was asked about."""
    if not turn.person:
        return text

    def swap(match: re.Match[str]) -> str:
        word = match.group(1).lower()
        return f"{turn.person}’s" if word in ("his", "hers") else turn.person  # type: ignore[return-value]

    return _PRONOUN.sub(swap, text)


def _route(ctx: AnswerContext, text: str, turn: Turn,
           prompt: Callable[[], Answer] | None) -> tuple[Answer, Turn]:
    for intent, pattern in _INTENTS:
        match = pattern.search(text)
        if match:
            handled = _HANDLERS[intent](Asked(ctx, match, text, turn, prompt))
            if handled is not None:
                return handled
    return _fallback(ctx, text, turn)


def _person_of(answer: Answer, fallback: str | None) -> str | None:
    if answer.kind is AnswerKind.WHO:
        return answer.title
    if answer.kind is AnswerKind.QUOTE and answer.title not in ("Unattributed",):
        return answer.title
    return fallback


def _help(*_: object) -> tuple[Answer, Turn]:
    answer = help_answer()
    return answer, Turn()


def _prompt(asked: Asked) -> tuple[Answer, Turn] | None:
    if asked.prompt is None:
        return None
    return asked.prompt(), asked.turn


def _another(asked: Asked) -> tuple[Answer, Turn]:
    answer = quote(asked.ctx, None, asked.turn.quote_person)
    return answer, replace(asked.turn, person=_person_of(answer, asked.turn.person))


def _more_from(asked: Asked) -> tuple[Answer, Turn]:
    person = asked.match["person"]
    answer = quote(asked.ctx, None, person)
    return answer, Turn(person=_person_of(answer, asked.turn.person), quote_person=person)


def _who_said(asked: Asked) -> tuple[Answer, Turn]:
    words = asked.match["words"]
    if re.match(r"^who wrote\b", asked.text, re.IGNORECASE) and is_a_title(
            words, *texts_and_works(asked.ctx)):
        # "who wrote 'To topple the Stalinist bureaucracy'?": a title, not a quotation.
        return _answer_from_texts(asked.ctx, asked.text, asked.turn)
    answer = quote(asked.ctx, words)
    if answer.kind is not AnswerKind.QUOTE or answer.title == "Unattributed":
        # The quotation index found the words but not who said them (or not the words): the
        # sentence around them may still name the speaker ("..., which Lenin described as
        # taking 'one step back'").
        asked_texts, turn = _answer_from_texts(asked.ctx, asked.text, asked.turn)
        if asked_texts.kind is AnswerKind.ANSWER:
            return asked_texts, replace(turn, quote_text=words)
    return answer, Turn(person=_person_of(answer, None), quote_text=asked.match["words"])


def _said_about(asked: Asked) -> tuple[Answer, Turn]:
    person, topic = asked.match["person"], asked.match["topic"]
    answer = said_about(asked.ctx, person, topic)
    if answer.kind is not AnswerKind.QUOTE or len(answer.body.split()) < SAYING_WORDS:
        # No quotation of theirs on it, or only a term they are told using ("Arendt remarked
        # that since Kronstadt, the term “Soviet Union” was a lie"): what they said is told
        # in the sentence ("Stalin ridiculed ..., saying the building of Dneprogec ...").
        told, turn = _answer_from_texts(asked.ctx, asked.text, asked.turn)
        if told.kind is AnswerKind.ANSWER:
            return told, replace(turn, quote_person=person, quote_text=topic)
    subject = asked.ctx.people.resolve(person)[0]
    # "he" in the next question means the person asked about, not whoever else was quoted.
    return answer, Turn(person=subject.name if subject else _person_of(answer, None),
                        quote_person=person, quote_text=topic)


def _said_by(asked: Asked) -> tuple[Answer, Turn]:
    answer = quote(asked.ctx, None, asked.match["person"])
    return answer, Turn(person=_person_of(answer, None), quote_person=asked.match["person"])


def _find_quote(asked: Asked) -> tuple[Answer, Turn]:
    answer = quote(asked.ctx, asked.match["words"])
    return answer, Turn(person=_person_of(answer, None), quote_text=asked.match["words"])


def _source_of(asked: Asked) -> tuple[Answer, Turn]:
    answer = quote(asked.ctx, asked.match["words"])
    if answer.kind is not AnswerKind.QUOTE:
        answer = search(asked.ctx, asked.match["words"])
    return answer, Turn(person=_person_of(answer, None))


def _when(asked: Asked) -> tuple[Answer, Turn]:
    """A curated event when one is what was asked; otherwise the dated sentences."""
    question = re.sub(r"^and\s+", "", asked.text, flags=re.IGNORECASE)
    if parse_period(re.sub(r"^(?:when|what year)\b\W*", "", question, flags=re.IGNORECASE)):
        return when(asked.ctx, asked.ctx.events, question), asked.turn
    if _curated_event_asked(asked.ctx, question) and not _names_a_text(asked.ctx, question):
        return _dated_headline(when(asked.ctx, asked.ctx.events, question)), asked.turn
    answer, turn = _answer_from_texts(asked.ctx, asked.text, asked.turn)
    # ... not when "when" only sets the scene: "when lenin came back in april what did he
    # tell the party leaders?" and "when lenin fell ill, who took over the party" ask what
    # and who, whatever the sentences find.
    if _ASKS_A_DATE.match(question) and _ASKS_A_DATE.match(asking_clause(question)[0]) and \
            not _names_a_text(asked.ctx, question):  # a text's own date: its metadata
        # answers that, or nothing does
        # The date /when gives, so that both agree; when it finds none, the sentence that
        # answers, or an honest "no date for it". The sentence's answer stays when it gives
        # the same date.
        remembered = asked.ctx.people.by_name(asked.turn.person) if asked.turn.person else None
        stated = stated_date(asked.ctx, event_words(question), asked=question,
                             remembered=remembered)
        dated = stated.kind is AnswerKind.WHEN and not _same_date(answer, stated)
        if dated or answer.kind in (AnswerKind.NOT_FOUND, AnswerKind.NEAREST):
            answer = stated
    return answer, turn


def _same_date(answer: Answer, stated: Answer) -> bool:
    """Does a plain answer's headline ("March 1919") give the date /when gives?"""
    if answer.kind is not AnswerKind.ANSWER:
        return False
    said = dates_in(answer.title)
    given = dates_in(stated.title.split(" (")[0])
    return bool(said and given) and said[0].date == given[0].date


# "when ...", "what year ...": a date is the answer (not "how long after ...", a duration).
_ASKS_A_DATE = re.compile(r"(?:when|what year|in what year|which year|what date)\b", re.I)


def _dated_headline(answer: Answer) -> Answer:
    """A question asked "when": the date is the headline, the event's name after it."""
    if answer.kind is not AnswerKind.WHEN:
        return answer
    for item in answer.fields:
        if item.name == "Date":
            date = item.value.split(" (")[0]
            if "worked out" in item.value:  # not stated by the sentence: say so
                date += " (worked out)"
            return replace(answer, title=f"{date}: {answer.title}"[:256])
        if item.name == "The sources disagree":
            versions = [line.split(" — ")[0] for line in item.value.splitlines()]
            shown = " or ".join(dict.fromkeys(v for v in versions if v))
            return replace(answer, title=f"The texts disagree: {shown}: {answer.title}"[:256])
    return answer


def _names_a_text(ctx: AnswerContext, question: str) -> bool:
    """'when was the platypus essay published?' asks about a text of ours, not an event;
    'when was the revolution betrayed published, per red flag?' what that text says of it."""
    if not re.search(r"\b(?:essay|article|piece|review|text|paper|according to|per|going by)\b",
                     question, re.IGNORECASE):
        return False
    texts, _ = texts_and_works(ctx)
    return named_text(question.casefold(), texts) is not None


def _curated_event_asked(ctx: AnswerContext, question: str) -> bool:
    """Does a curated event match, naming every person and most words the question names?"""
    # A question goes to the sentences when no event's own name fits it: they say more
    # precisely whose event it is than the event's list of people does.
    return curated_event(ctx, ctx.events, question, by_its_people=False) is not None


def _happened(asked: Asked) -> tuple[Answer, Turn] | None:
    period = parse_period(re.sub(r"\s+and\s+", "-", asked.match["period"]))
    if period is None:
        return None  # "what happened in Kronstadt": a /when question after all
    title = f"What happened in {period.label()}"
    return timeline(asked.ctx, asked.ctx.events, period, title=title), asked.turn


def _who_is(asked: Asked) -> tuple[Answer, Turn]:
    """A person card for a name; "who was the prosecutor at ...?" is a question for the texts."""
    name = asked.match["name"]
    person, candidates = asked.ctx.people.resolve(name)
    possessive = re.search(r"[’']s\b", name)
    if (person is None and not candidates) or possessive or (person is None and
                                                             len(name.split()) > 3):
        return _answer_from_texts(asked.ctx, asked.text, asked.turn)  # "who was trotsky's wife?"
    answer = who(asked.ctx, asked.ctx.people, asked.match["name"])
    return answer, Turn(person=_person_of(answer, asked.turn.person))


def _fallback(ctx: AnswerContext, text: str, turn: Turn) -> tuple[Answer, Turn]:
    """A bare name is a /who; words that are not a question are a search; anything else is
    a question for the texts."""
    person, _ = ctx.people.resolve(text)
    if person is not None and len(text.split()) <= 4:
        return who(ctx, ctx.people, person.name), Turn(person=person.name)
    if not _QUESTION.search(text):
        hits = ctx.search.search_passages(text, limit=1)
        if hits and hits[0].match in ("exact", "all"):
            return search(ctx, text), turn  # "bureaucratic caste": words to look for
    return _answer_from_texts(ctx, text, turn)


def _answer_from_texts(ctx: AnswerContext, text: str, turn: Turn) -> tuple[Answer, Turn]:
    remembered = ctx.people.by_name(turn.person) if turn.person else None
    answer, question = answer_question(ctx, text, remembered)
    subject = ctx.people.by_name(answer.title) if answer.kind is AnswerKind.ANSWER else None
    about = subject or (question.people[0] if question.people else None)
    return answer, replace(turn, person=about.name if about else turn.person)


_HANDLERS: dict[str, Callable[[Asked], tuple[Answer, Turn] | None]] = {
    "help": _help, "prompt": _prompt, "another": _another, "more_from": _more_from,
    "who_said": _who_said, "said_about": _said_about, "said_by": _said_by,
    "find_quote": _find_quote, "source_of": _source_of, "when": _when,
    "happened": _happened, "who_is": _who_is,
}
