"""Read a /compare topic the way a plain question is read: its words corrected against the
sentences' vocabulary, each with its synonyms from corpus/lexicon.yaml, the people it names
resolved through the registry.

The topic is read as "when <topic>": the words and people are the same as the topic's own,
and the date extractor, which dates what it is given, needs a question that asks for a date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.answers.ask.analysis import Question, TermGroup, analyse
from bot.answers.ask.engine import vocabulary_of
from bot.answers.core.context import AnswerContext
from bot.answers.core.text import one_line

MAX_TOPIC_CHARS = 200


@dataclass(frozen=True, slots=True)
class Topic:
    text: str  # as typed, on one line
    question: Question
    #: Per content word, the stems of its opposites in corpus/compare.yaml ("caste" for
    #: "class"), by the word.
    opposites: dict[str, frozenset[str]] = field(default_factory=dict)

    def opposite_stems(self, group: TermGroup) -> frozenset[str]:
        return self.opposites.get(group.word, frozenset())

    @property
    def all_stems(self) -> frozenset[str]:
        """The stems of the topic's words, their forms, synonyms and opposites."""
        found = {s for g in self.groups for phrase in g.stems for s in phrase}
        return frozenset(found.union(*self.opposites.values()))

    @property
    def phrase_keys(self) -> frozenset[str]:
        """Each form of each word of the topic as joined stems (for the lexicon's phrases)."""
        return frozenset(" ".join(p) for g in self.groups for p in g.stems)

    @property
    def groups(self) -> tuple[TermGroup, ...]:
        return self.question.groups

    @property
    def content(self) -> tuple[TermGroup, ...]:
        return self.question.content_groups

    @property
    def phrase(self) -> tuple[str, ...]:
        """The topic's content words as stems, in order: "permanent revolution" is best found
        as those two words together."""
        return tuple(s for g in self.content if g.stems for s in g.stems[0])

    @property
    def read_as(self) -> str:
        """The topic with its typos mended, as the texts spell it ("Kronstadt")."""
        text = self.text
        for typed, read in self.corrections:
            text = re.sub(rf"\b{re.escape(typed)}\b", read, text)
        return text

    @property
    def corrections(self) -> tuple[tuple[str, str], ...]:
        return self.question.corrections


class TopicError(ValueError):
    """The topic cannot be compared: the message says why, in a reader's words."""

    def __init__(self, title: str, message: str) -> None:
        super().__init__(message)
        self.title = title
        self.message = message


def read_topic(ctx: AnswerContext, typed: str | None) -> Topic:
    text = one_line(typed or "")
    if not re.search(r"[^\W_]", text):  # empty, punctuation, emoji only
        raise TopicError("Compare what?", "Name a topic, e.g. `/compare Kronstadt` or "
                                          "`/compare permanent revolution`.")
    if len(text) > MAX_TOPIC_CHARS:
        raise TopicError("That topic is too long",
                         f"Name a topic in up to {MAX_TOPIC_CHARS} characters, "
                         "e.g. `/compare the bureaucracy as a class`.")
    question = analyse(f"when {text}", ctx.people, vocabulary_of(ctx), ctx.lexicon)
    opposites: dict[str, frozenset[str]] = {}
    for group in question.content_groups:
        own = set(group.stems[0]) if group.stems else set()
        for one, other in ctx.opposites.pairs:
            for side, facing in ((one, other), (other, one)):
                if own and own <= side.stems:
                    opposites[group.word] = opposites.get(group.word, frozenset()) | facing.stems
    return Topic(text, question, opposites)
