"""/who: a short, sourced card for a person, whatever name or spelling is typed."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from bot.answers.core.context import AnswerContext
from bot.answers.core.model import Answer, AnswerKind, Field, Item, SourceRef
from bot.answers.core.text import one_line, shorten
from bot.corpus.people import Fact, PeopleRegistry, Person
from bot.store.models import Mention, Passage, Quotation, Source

MAX_NAME_CHARS = 100
NOTABLE_MIN_WORDS = 8  # a notable quotation is a sentence, not a phrase
RELATED = 5


@dataclass(frozen=True, slots=True)
class SourcedFact:
    says: str
    source: SourceRef | None  # None when the evidence is not (or no longer) in the corpus
    evidence: str


def who(ctx: AnswerContext, people: PeopleRegistry, typed: str) -> Answer:
    typed = one_line(typed or "")
    if not typed:
        return Answer(AnswerKind.ERROR, "Who do you mean?",
                      "Type a name, for example `/who Yagoda` or `/who Lev Davidovich`.")
    if len(typed) > MAX_NAME_CHARS:
        return Answer(AnswerKind.ERROR, "That is too long for a name",
                      f"Names are up to {MAX_NAME_CHARS} characters; try the surname.")
    person, candidates = people.resolve(typed)
    if person is not None:
        return ctx.cards.get(ctx.sessions, ("who", person.name),
                             lambda: person_card(ctx, person))
    if candidates:
        return Answer(AnswerKind.CHOOSE, f"Which “{typed[:60]}” do you mean?",
                      "Several people fit that name:",
                      items=[Item(title=p.name, body=p.role or "") for p in candidates],
                      suggestions=[p.name for p in candidates])
    near = [p.name for p in people.choices(typed, limit=3)]
    return Answer(AnswerKind.NOT_FOUND, f"No one called “{typed[:60]}” in the corpus",
                  "I only know people the texts name." + (" Did you mean one of these?"
                                                          if near else ""),
                  suggestions=near)


def person_card(ctx: AnswerContext, person: Person) -> Answer:
    with ctx.sessions() as session:
        facts = [_locate(session, fact) for fact in person.facts]
        counts = _mention_counts(session, person.name)
        notable = _notable_quotation(session, person.name)
        related = _related_people(session, person.name)
    fields = []
    others = [a for a in person.aliases if a != person.name]
    if others:
        fields.append(Field("Also called", ", ".join(others), inline=False))
    dates = " · ".join(f"{label} {value}" for label, value in
                       (("born", person.born), ("died", person.died)) if value)
    if dates:
        fields.append(Field("Dates", dates, inline=True))
    if counts:
        fields.append(Field("Mentioned in", "\n".join(f"{title}: {n}" for title, n in counts)))
    if notable is not None:
        fields.append(Field("In their words", notable))
    if related:
        fields.append(Field("Often named with", ", ".join(related)))
    body = person.summary or (f"{person.role}." if person.role else "")
    if not person.summary:
        body += " (No curated summary yet: the card shows what the texts say.)"
    return Answer(
        AnswerKind.WHO,
        person.name,
        body.strip(),
        fields=fields,
        items=[Item(title=f.says, body=f"“{f.evidence}”", source=f.source,
                    citation=f"{f.source.title}, paragraph {f.source.paragraph + 1}"
                    if f.source and f.source.paragraph is not None else None)
               for f in facts],
        sources=[f.source for f in facts if f.source],
        suggestions=[f"/quote person:{person.name}"],
    )


def _locate(session: Session, fact: Fact) -> SourcedFact:
    """The paragraph whose words support the fact, so the card can show and link it."""
    row = session.execute(
        select(Source.slug, Source.title, Source.author, Passage.index)
        .join(Passage, Passage.source_id == Source.id)
        .where(Source.slug == fact.source, Passage.text.contains(fact.evidence))
        .limit(1)
    ).first()
    if row is None:
        return SourcedFact(fact.says, None, fact.evidence)
    slug, title, author, index = row
    return SourcedFact(fact.says, SourceRef(slug, title, author, paragraph=index), fact.evidence)


def _mention_counts(session: Session, name: str) -> list[tuple[str, int]]:
    rows = session.execute(
        select(Source.title, func.count(Mention.id))
        .join(Mention, Mention.source_id == Source.id)
        .where(Mention.person == name)
        .group_by(Source.id)
        .order_by(func.count(Mention.id).desc(), Source.title)
    ).all()
    return [(shorten(title, 60), count) for title, count in rows]


def _notable_quotation(session: Session, name: str) -> str | None:
    """The person's most confidently attributed full-sentence quotation."""
    candidates = session.scalars(
        select(Quotation)
        .where(Quotation.speaker == name)
        .order_by(Quotation.speaker_confidence.desc(), func.length(Quotation.text).desc())
        .limit(20)
    ).all()
    for quotation in candidates:
        words = quotation.text.strip().lstrip("’'‘“. ")
        # A sentence that starts as one: not a fragment picked up mid-quotation.
        if len(words.split()) >= NOTABLE_MIN_WORDS and words[:1].isupper():
            citation = f" — {quotation.citation.display}" if quotation.citation else ""
            return shorten(f"“{quotation.text.strip()}”", 700) + citation
    return None


def _related_people(session: Session, name: str) -> list[str]:
    """Who is named in the same paragraphs most often."""
    other = aliased(Mention)
    rows = session.execute(
        select(other.person, func.count(func.distinct(other.passage_id)))
        .join(Mention, Mention.passage_id == other.passage_id)
        .where(Mention.person == name, other.person != name)
        .group_by(other.person)
        .order_by(func.count(func.distinct(other.passage_id)).desc(), other.person)
        .limit(RELATED)
    ).all()
    return [person for person, _ in rows]


def person_choices(people: PeopleRegistry, typed: str, limit: int = 25) -> list[str]:
    """Names for a `/who` or `person` autocomplete box (Discord shows at most 25)."""
    return [p.name[:MAX_NAME_CHARS] for p in people.choices(typed, limit)]
