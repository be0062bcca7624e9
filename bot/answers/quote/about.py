"""'What did Lenin say about Stalin?': quotations by one person in passages about a topic."""

from __future__ import annotations

import re

from sqlalchemy import func, or_, select

from bot.answers.core.context import AnswerContext
from bot.answers.core.model import Answer, AnswerKind
from bot.answers.core.text import one_line
from bot.answers.quote.answer import quote, quote_answer
from bot.answers.quote.records import load_records
from bot.store.models import Passage, Quotation

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
    with ctx.sessions() as session:
        ids = session.scalars(
            select(Quotation.id)
            .join(Passage, Passage.id == Quotation.passage_id)
            .where(Quotation.speaker == speaker.name,
                   or_(*(Passage.text.contains(form) for form in forms)))
            .order_by(Quotation.speaker_confidence.desc(), func.length(Quotation.text).desc())
            .limit(ALTERNATIVES + 1)
        ).all()
        records = load_records(session, ids)
    records = [r for r in records if len(r.words.split()) >= 4] or records
    if not records:
        answer = quote(ctx, topic, speaker.name)
        if answer.kind is AnswerKind.QUOTE:
            return answer
        return Answer(AnswerKind.NOT_FOUND, f"Nothing by {speaker.name} about {topic[:60]}",
                      f"The texts quote no words of {speaker.name} on that.",
                      suggestions=[f"/quote person:{speaker.name}", f"/search {topic[:60]}"])
    return quote_answer(records[0], records[1:])
