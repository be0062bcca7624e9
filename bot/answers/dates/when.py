"""/when and /timeline: dates as the corpus states them, with the sentence that says so.

A curated event (corpus/events.yaml) answers with every date the essays give it, each with
its sentence and source, so a disagreement between essays is shown, never settled by us.
Anything not curated is answered from the dates extracted at ingest.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz, process, utils

from bot.answers.ask.analysis import people_in
from bot.answers.core.bylines import date_label
from bot.answers.core.context import AnswerContext
from bot.answers.core.model import Answer, AnswerKind, Field, Item, SourceRef
from bot.answers.core.text import CHOICES, one_line
from bot.answers.dates.period import Period, parse_period
from bot.answers.dates.stated import own_sentence, stated_date
from bot.corpus.dates import dates_in
from bot.corpus.events import Event, EventDate
from bot.corpus.lexicon import stems
from bot.corpus.model import PartialDate
from bot.corpus.people import PeopleRegistry, Person
from bot.store.dates import DatedSentence
from bot.store.reads import ReadStore

MAX_QUERY_CHARS = 200
EVENT_MATCH = 78  # below this similarity a curated event is not what was asked
TIMELINE_LIMIT = 100
_QUESTION = re.compile(
    r"^\s*(?:when|what year|in what year|which year|what date|on what date|how long ago)\b"
    r"(?:\s+(?:did|was|were|is|does|do|had|has))?\s*", re.IGNORECASE)
def when(ctx: AnswerContext, events: list[Event], typed: str) -> Answer:
    text = one_line(typed or "")
    if not text or not re.search(r"\w", text):
        return Answer(AnswerKind.ERROR, "When what?",
                      "Name an event or a year, e.g. `/when Kronstadt` or `/when 1927`.")
    if len(text) > MAX_QUERY_CHARS:
        return Answer(AnswerKind.ERROR, "That is too long",
                      f"Ask about one event in up to {MAX_QUERY_CHARS} characters.")
    period = parse_period(text)
    if period is not None:
        return ctx.cards.get(ctx.store, ("period", period, ctx.reach.key),
                             lambda: timeline(ctx, events, period,
                                              title=f"What happened in {period.label()}"),
                             typed=True)
    event = curated_event(ctx, events, text)
    if event is not None:
        return ctx.cards.get(ctx.store, ("when", event.name, ctx.reach.key),
                             lambda: event_answer(ctx, events, event))
    key = event_words(text)
    return ctx.cards.get(ctx.store, ("stated", text.casefold(), ctx.reach.key), lambda: stated_date(
        ctx, key, [e.name for e, s in ranked_events(events, key)[:3] if s >= 50], asked=text),
        typed=True)


def event_words(typed: str) -> str:
    """The event a "when" question asks about: "when did Molotov die?" -> "Molotov die"."""
    return _QUESTION.sub("", one_line(typed)).rstrip("?!. ")


def curated_event(ctx: AnswerContext, events: list[Event], typed: str, *,
                  by_its_people: bool = True) -> Event | None:
    """The curated event asked about: a name or alias that matches well AND names every
    person and most of the words asked ("when did Molotov die?" is not Trotsky's murder).
    ``by_its_people``: a name that names no one stands for the event's people."""
    key = event_words(typed)
    event, score = best_event(events, key)
    if event is None or score < EVENT_MATCH:
        return None
    asked = people_in(typed, ctx.people)
    named = {s for p in asked for form in p.names() for s in stems(form)}
    words = [w for w in stems(key) if w not in _QUESTION_STEMS and w not in named]
    # One name of the event must hold every person asked about and most of what is asked
    # of them: "when did Trotsky die?" is "Trotsky died", but "when did Mercader die?" is
    # not "Mercader" (an alias of Trotsky's murder), nor is "when did Victor Serge die?"
    # "Victor Serge's letter before his arrest".
    involved = set(event.people) if by_its_people else set()
    fits = any(_form_fits(ctx, form, asked, words, involved)
               for form in (event.name, *event.aliases))
    return event if fits else None


def _form_fits(ctx: AnswerContext, form: str, asked: list[Person], words: list[str],
               involved: set[str]) -> bool:
    """``involved``: the event's people, who stand for a name that names no one ("Exile to
    Alma Ata" is Trotsky's); a name that names someone is theirs alone ("Murder of Leon
    Trotsky" does not say when Mercader died)."""
    form_stems = {alt for w in stems(form)
                  for alt in (w, *stems(" ".join(ctx.lexicon.alternatives(w))))}
    named = {m.person.name for m in ctx.people.mentions(form)} or involved
    if any(p.name not in named and not set(stems(p.surname)) & form_stems for p in asked):
        return False
    # Numbers and ordinals name the event: "World War Two" is not "the First World War".
    plain = set(stems(form))
    if any(w not in plain for w in words if w in _COUNTING or w.isdigit()):
        return False
    return not words or sum(w in form_stems for w in words) / len(words) > FORM_SHARE


FORM_SHARE = 0.5  # more than half the question's words must be in one name of the event
_COUNTING = frozenset(stems("one two three four five first second third fourth fifth sixth "
                            "seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
                            "fifteenth sixteenth seventeenth i ii iii iv"))
# ... and words that join others ("write to the Central Committee from exile" shares only
# "central committee" with "Expulsion of Trotsky and Zinoviev from the Central Committee").
_QUESTION_STEMS = frozenset(stems("did was were is the a an of in on to what when happen "
                                  "take place start begin from with by at for and or into"))


def _forms(event: Event) -> list[str]:
    return [event.name, *event.aliases]


def ranked_events(events: list[Event], key: str) -> list[tuple[Event, float]]:
    """Events by how well a name or alias matches what was typed, best first.

    Ties (several names containing "International") go to the closest whole name.
    """
    forms, owners = _form_index(tuple(events))
    query = utils.default_process(key)
    best: dict[int, list[float]] = {}
    # rapidfuzz scores every name in C; only the per-event maximum is kept in Python.
    for scorer, slot in ((fuzz.WRatio, 0), (fuzz.token_set_ratio, 0), (fuzz.ratio, 1)):
        for _, score, position in process.extract(query, forms, scorer=scorer,
                                                  processor=None, limit=len(forms)):
            scores = best.setdefault(owners[position], [0.0, 0.0])
            scores[slot] = max(scores[slot], score)
    ranked = sorted(best.items(), key=lambda item: (-item[1][0], -item[1][1], item[0]))
    return [(events[index], scores[0]) for index, scores in ranked]


@lru_cache(maxsize=8)
def _form_index(events: tuple[Event, ...]) -> tuple[list[str], list[int]]:
    """Every name and alias, processed once, with the index of the event it names."""
    forms, owners = [], []
    for index, event in enumerate(events):
        for form in _forms(event):
            forms.append(utils.default_process(form))
            owners.append(index)
    return forms, owners


def best_event(events: list[Event], key: str) -> tuple[Event | None, float]:
    ranked = ranked_events(events, key)
    return ranked[0] if ranked else (None, 0.0)


def event_choices(events: list[Event], typed: str, limit: int = CHOICES) -> list[str]:
    """Event names for autocomplete (Discord shows at most 25)."""
    if not typed.strip():
        return [e.name[:100] for e in sorted(events, key=lambda e: e.first_year or 0)][:limit]
    return [e.name[:100] for e, score in ranked_events(events, typed)[:limit] if score >= 50]


def event_answer(ctx: AnswerContext, events: list[Event], event: Event) -> Answer:
    stated = [(d, statement_of(ctx.store, d.source, d.evidence)) for d in event.dates]
    # Spoiler control: a date stated in a section not reached yet is left out (and counted).
    stated = [(d, found) for d, found in stated if ctx.reach.shows(found[0])]
    fields = [_date_field(stated)]
    by_name = {e.name: e for e in events}
    related = [by_name[name] for name in event.related if name in by_name]
    if related:
        fields.append(Field("Related", "\n".join(
            f"{e.name} ({e.dates[0].display()})" if e.dates else e.name for e in related)))
    if event.people:
        fields.append(Field("People", ", ".join(event.people)))
    # What a sentence states first, then what is worked out (the note says how).
    ordered = sorted(stated, key=lambda pair: _derived(pair[0], pair[1][1]))
    items = [Item(title=f"{d.display()} ({d.precision}"
                        f"{WORKED_OUT if _derived(d, sentence) else ''})",
                  body=sentence or f"“{d.evidence}”", source=ref, citation=d.note)
             for d, (ref, sentence) in ordered]
    return Answer(AnswerKind.WHEN, event.name, event.summary or "", fields=fields, items=items,
                  sources=[ref for _, (ref, _) in ordered if ref],
                  suggestions=[f"/timeline {e.first_year}" for e in related[:1] if e.first_year])


#: How a curated date the sentence does not itself state is labelled (its note says how).
WORKED_OUT = ", worked out"


def _derived(date: EventDate, sentence: str | None) -> bool:
    """The curated date is worked out, not stated: its sentence gives no date of that year
    ("November the 7th was the 140th anniversary of the birth of Lev Davidovich Trotsky" for
    7 November 1879; "One year later he was exiled" for 1929)."""
    if sentence is None:
        return False
    end = (date.until or date.date).year
    return not any(m.date.year <= end and (m.until or m.date).year >= date.date.year
                   for m in dates_in(sentence) if m.kind != "relative")


def compatible(a: EventDate, b: EventDate) -> bool:
    """'1924' and '21 January 1924' agree (one is the other, less precise); 1938 and 1939 don't."""
    if a.until or b.until:
        a_end, b_end = (a.until or a.date).year, (b.until or b.date).year
        return a.date.year <= b_end and b.date.year <= a_end
    return a.date.year == b.date.year and (
        not a.date.month or not b.date.month or a.date.month == b.date.month) and (
        not a.date.day or not b.date.day or a.date.day == b.date.day)


def _precision_rank(date: EventDate) -> int:
    return {"day": 3, "month": 2, "year": 1}.get(date.date.precision, 0) if not date.until else 0


def _date_field(stated: list[tuple[EventDate, tuple[SourceRef | None, str | None]]]) -> Field:
    """One date when the essays agree (shown at its most precise); every version when not."""
    if not stated:
        return Field("Date", "The corpus names this event but gives no date.")
    dates = [d for d, _ in stated]
    title = {d.source: (ref.title if ref else d.source) for d, (ref, _) in stated}
    derived = {id(d) for d, (_, sentence) in stated if _derived(d, sentence)}
    if all(compatible(a, b) for a in dates for b in dates):
        # The most precise date, one a sentence states before one worked out.
        best = max(dates, key=lambda d: (_precision_rank(d), id(d) not in derived))
        others = sorted({title[d.source] for d in dates if d.source != best.source})
        also = f"; stated too in {len(others)} other text(s)" if others else ""
        if id(best) in derived:  # "Derived dates ... say so in the headline" (issue 14)
            how = f": {best.note}" if best.note else ""
            return Field("Date", f"{best.display()} ({best.precision} precision, worked out "
                                 f"from {title[best.source]}, which does not state it{how})"
                                 f"{also}")
        return Field("Date", f"{best.display()} ({best.precision} precision), as "
                             f"{title[best.source]} states it{also}")
    ordered = sorted(dates, key=lambda d: _sort_key(d.date))
    return Field("The sources disagree", "\n".join(
        f"{d.display()}{' (worked out)' if id(d) in derived else ''} — {title[d.source]}"
        for d in ordered))


def statement_of(store: ReadStore, slug: str, evidence: str
               ) -> tuple[SourceRef | None, str | None]:
    """The source and the whole sentence that states a curated date."""
    found = store.passages.holding(slug, evidence)
    if found is None:
        return None, None
    at = found.text.find(evidence)
    ref = SourceRef(found.slug, found.source_title, found.source_author, paragraph=found.index)
    sentence = found.sentence_around(at, at + len(evidence))
    # ... the text's own sentence, where the stored one runs several together
    inside = sentence.find(evidence)
    if inside < 0:
        return ref, sentence
    return ref, sentence[slice(*own_sentence(sentence, inside, inside + len(evidence)))].strip()


def timeline(ctx: AnswerContext, events: list[Event], period: Period | None = None,
             person: str | None = None, people: PeopleRegistry | None = None,
             title: str | None = None) -> Answer:
    """Curated events and dated sentences in order, optionally within years or for a person."""
    name = None
    if person:
        if people is None:
            return Answer(AnswerKind.ERROR, "No people registry", "Cannot filter by person.")
        found, candidates = people.resolve(person)
        if found is None:
            return Answer(AnswerKind.CHOOSE if candidates else AnswerKind.NOT_FOUND,
                          f"Which “{one_line(person)[:60]}”?" if candidates
                          else f"No one called “{one_line(person)[:60]}”",
                          suggestions=[p.name for p in candidates])
        name = found.name
    rows: list[tuple[tuple[int, int, int], Item]] = []
    for event in events:
        for date in event.dates[:1]:  # an event sits once on the line, at its first date
            if _in_period(date, period) and (name is None or name in event.people):
                rows.append((_sort_key(date.date), Item(
                    title=f"{date.display()} — {event.name}", body=event.summary or "",
                    citation=None)))
    years = (period.start, period.end) if period is not None else None
    rows += _dated_items(ctx.store.dates.dated_sentences(years=years, person=name,
                                                         limit=TIMELINE_LIMIT * 2))
    rows.sort(key=lambda pair: pair[0])
    label = title or "Timeline" + (f" {period.label()}" if period else "") + \
        (f" — {name}" if name else "")
    if not rows:
        return Answer(AnswerKind.NOT_FOUND, label, "The corpus states no dates there.")
    rows = [row for row in rows if ctx.reach.shows(row[1].source)]  # spoiler control
    items = [item for _, item in rows[:TIMELINE_LIMIT]]
    more = len(rows) - len(items)
    body = f"{len(rows)} dated entries" + (f"; the first {TIMELINE_LIMIT} shown" if more else "")
    return Answer(AnswerKind.TIMELINE, label, body, items=items,
                  sources=[i.source for i in items if i.source])


def _in_period(date: EventDate, period: Period | None) -> bool:
    if period is None:
        return True
    end = (date.until or date.date).year
    return date.date.year <= period.end and end >= period.start


def _sort_key(date: PartialDate) -> tuple[int, int, int]:
    return (date.year, date.month or 0, date.day or 0)


def _dated_items(found: list[DatedSentence]) -> list[tuple[tuple[int, int, int], Item]]:
    out = []
    seen: set[tuple[str, int, int]] = set()
    for dated in found:
        key = (dated.slug, dated.paragraph, dated.sentence_start)
        if key in seen:
            continue
        seen.add(key)
        parts = [int(p) for p in dated.date_iso.split("-")]
        out.append(((parts[0], parts[1] if len(parts) > 1 else 0,
                     parts[2] if len(parts) > 2 else 0),
                    Item(title=date_label(dated.date_iso, dated.precision),
                         body=dated.sentence.strip(),
                         source=SourceRef(dated.slug, dated.source_title, dated.source_author,
                                          paragraph=dated.paragraph))))
    return out


