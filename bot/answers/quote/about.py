"""'What did Lenin say about Stalin?': quotations by one person in passages about a topic."""

from __future__ import annotations

import re

from bot.answers.core.context import AnswerContext
from bot.answers.core.model import Answer, AnswerKind
from bot.answers.core.text import one_line
from bot.answers.quote.answer import quote, quote_answer

ALTERNATIVES = 4


def said_about(ctx: AnswerContext, person: str, topic: str) -> Answer:
    """The person's own words in passages that name the topic, most certain first.

    A quotation rarely repeats its subject's name ("he is devoid of the most elementary
    honesty" is Lenin on Stalin), so the topic is looked for in the whole paragraph.
    """
    speaker, _ = ctx.people.resolve(one_line(person))
    if speaker is None:
        return quote(ctx, topic, person)  # /quote's own "who do you mean?" answer
    subject, _ = ctx.people.resolve(one_line(topic))
    forms = subject.names() if subject else re.findall(r"\w{4,}", topic)
    if not forms:
        return quote(ctx, topic, speaker.name)
    records = ctx.store.quotes.by_speaker_naming(speaker.name, forms, ALTERNATIVES + 1)
    records = [r for r in records if len(r.words.split()) >= 4] or records
    if not records:
        answer = quote(ctx, topic, speaker.name)
        if answer.kind is AnswerKind.QUOTE:
            return answer
        return Answer(AnswerKind.NOT_FOUND, f"Nothing by {speaker.name} about {topic[:60]}",
                      f"The texts quote no words of {speaker.name} on that.",
                      suggestions=[f"/quote person:{speaker.name}", f"/search {topic[:60]}"])
    return quote_answer(records[0], records[1:])
