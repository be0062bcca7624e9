"""/who: a short, sourced card for a person, whatever name or spelling is typed.

The card reads the index only through ``PersonReads`` (bot/store/records.py): the answer
context's ``ReadStore`` everywhere, or, for a one-shot ``ask "/who ..."`` on a SQLite index,
the standard library's sqlite3 (``SqliteReads``, bot/cli/quick.py), which spares that process
SQLAlchemy's import. ``who`` is the one entry; ``who_in`` is the same over its parts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.answers.core.cache import AnswerCache
from bot.answers.core.choose import which_person
from bot.answers.core.model import Answer, AnswerKind, Field, Item, SourceRef
from bot.answers.core.reach import Reach
from bot.answers.core.text import CHOICES, one_line, shorten
from bot.corpus.people import Fact, PeopleRegistry, Person
from bot.store.records import PersonReads

if TYPE_CHECKING:  # the SQLite read path (bot/cli/quick.py) builds no answer context
    from bot.answers.core.context import AnswerContext

MAX_NAME_CHARS = 100
NOTABLE_MIN_WORDS = 8  # a notable quotation is a sentence, not a phrase
RELATED = 5


@dataclass(frozen=True, slots=True)
class SourcedFact:
    says: str
    source: SourceRef | None  # None when the evidence is not (or no longer) in the corpus
    evidence: str


def who(ctx: AnswerContext, people: PeopleRegistry, typed: str) -> Answer:
    return who_in(ctx.store, ctx.cards, ctx.reach, people, typed)


def who_in(store: PersonReads, cards: AnswerCache, reach: Reach, people: PeopleRegistry,
           typed: str) -> Answer:
    """/who over the reads, the card cache and the reach of an answer context."""
    typed = one_line(typed or "")
    if not typed:
        return Answer(AnswerKind.ERROR, "Who do you mean?",
                      "Type a name, for example `/who Yagoda` or `/who Lev Davidovich`.")
    if len(typed) > MAX_NAME_CHARS:
        return Answer(AnswerKind.ERROR, "That is too long for a name",
                      f"Names are up to {MAX_NAME_CHARS} characters; try the surname.")
    person, candidates = people.resolve(typed)
    if person is not None:
        # Keyed by the reach too: a card built under spoiler control leaves things out.
        return cards.get(store, ("who", person.name, reach.key),
                         lambda: person_card(store, reach, person))
    if candidates:
        return which_person(typed, candidates)
    near = [p.name for p in people.choices(typed, limit=3)]
    return Answer(AnswerKind.NOT_FOUND, f"No one called “{typed[:60]}” in the corpus",
                  "I only know people the texts name." + (" Did you mean one of these?"
                                                          if near else ""),
                  suggestions=near)


def person_card(store: PersonReads, reach: Reach, person: Person) -> Answer:
    facts = [_locate(store, fact) for fact in person.facts]
    counts = [(shorten(title, 60), n) for title, n in store.mentions.counts_by_text(person.name)]
    notable = _notable_quotation(store, reach, person.name)
    related = store.mentions.named_with(person.name, RELATED)
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


def _locate(store: PersonReads, fact: Fact) -> SourcedFact:
    """The paragraph whose words support the fact, so the card can show and link it."""
    found = store.passages.holding(fact.source, fact.evidence)
    if found is None:
        return SourcedFact(fact.says, None, fact.evidence)
    ref = SourceRef(found.slug, found.source_title, found.source_author, paragraph=found.index)
    return SourcedFact(fact.says, ref, fact.evidence)


def _notable_quotation(store: PersonReads, reach: Reach, name: str) -> str | None:
    """The person's most confidently attributed full-sentence quotation (that the group has
    reached, under spoiler control)."""
    for quotation in store.quotes.most_certain(name, limit=20):
        if not reach.allows(quotation.slug, quotation.paragraph):
            continue
        words = quotation.text.strip().lstrip("’'‘“. ")
        # A sentence that starts as one: not a fragment picked up mid-quotation.
        if len(words.split()) >= NOTABLE_MIN_WORDS and words[:1].isupper():
            citation = f" — {quotation.citation}" if quotation.citation else ""
            return shorten(f"“{quotation.text.strip()}”", 700) + citation
    return None


def person_choices(people: PeopleRegistry, typed: str, limit: int = CHOICES) -> list[str]:
    """Names for a `/who` or `person` autocomplete box (Discord shows at most 25)."""
    return [p.name[:MAX_NAME_CHARS] for p in people.choices(typed, limit)]
