"""/quote: the quotation a reader half remembers, or one drawn at random, with who said it,
the essay it appears in and the original source it was taken from.

Searching: a typed word no quotation uses is first replaced by the nearest one they do use
("histroy" -> "history"); FTS5 then finds candidates among the quotations only (never whole
paragraphs), and ``quote_rank`` orders them as a reader means them, comparing the words as
typed and as mended, and drops repeats. The best match is the answer, up to four more are its
items. When nothing is close enough the answer says so: a wrong quotation is worse than none.
docs/quote.md has the whole story and the evaluation.

Attribution is decided at ingest (``bot/corpus/attribution.py``); this module shows it, and
filters on it for ``person``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from rapidfuzz import fuzz, process, utils

from bot.answers.core.bylines import byline, byline_of
from bot.answers.core.choose import which_person
from bot.answers.core.context import AnswerContext
from bot.answers.core.model import Answer, AnswerKind, Field, Item, SourceRef
from bot.answers.core.text import CHOICES, one_line, shorten
from bot.answers.quote.dialogue import answered_line
from bot.answers.quote.index import WORD, Drawable, QuoteIndex, worth_drawing
from bot.answers.quote.meaning import by_meaning, inner_words
from bot.answers.quote.rank import Ranked, distinct, rank
from bot.answers.texts.search import validate_query
from bot.answers.texts.sources import resolve_source
from bot.corpus.attribution import ESSAY_AUTHOR
from bot.corpus.people import Person
from bot.store.passages import PassageRecord
from bot.store.quotes import QuoteRecord, parse_ref

EXAMPLE = "/quote dustbin of history"
CANDIDATES = 30  # FTS5 rows re-ranked; past this they only cost time
#: A person quoted this often or less: all their quotations are ranked, no full-text search.
FEW_QUOTATIONS = 120
ALTERNATIVES = 4
#: A quotation holding this share of the query's words (weighed by rarity) is what was typed:
#: no description search can do better.
SQUARE_MATCH = 0.9
MAX_NAME_CHARS = 100  # a person or source option longer than this is not a name
#: "How we know", per attribution method (bot/corpus/attribution.py).
METHODS = {
    "signature": "signed under the epigraph",
    "verb": "named as the speaker in the essay",
    "intro": "named in the sentence introducing the quotation",
    "cited-author": "author of the work the essay cites for it",
    "essay-author": "the essayist's own words",
    "label": "named before the words in a record of who said what",
    "owner": "the words of the document the essay names as theirs",
    "reported": "reported as their words by the one who heard them",
}
#: The title of a quotation whose source the text describes but does not name.
UNNAMED = "An unnamed source"
#: Context: neighbouring paragraphs longer than this are cut (the one before keeps its end).
NEIGHBOUR_CHARS = 500
#: The field that shows a fragment inside its whole sentence.
IN_THE_TEXT = "In the text"
#: Random draws tried before giving up when spoiler control withholds what was drawn.
REACH_DRAWS = 25


@dataclass(frozen=True, slots=True)
class Filters:
    """``person`` and ``source`` resolved: a speaker as stored, a slug; None = any."""

    speaker: str | None = None
    slug: str | None = None

    def describe(self) -> str:
        """' by Emma Goldman in `revolutionary-appraised`' for messages."""
        by = f" by {self.speaker}" if self.speaker else ""
        return by + (f" in `{self.slug}`" if self.slug else "")


# --- entry points --------------------------------------------------------------------------------


def quote(ctx: AnswerContext, text: str | None = None, person: str | None = None,
          source: str | None = None, *, channel: str = "cli") -> Answer:
    """The best quotation for ``text`` (plus alternatives); a random one when ``text`` is empty.

    ``channel`` keys the recent-history that keeps a random draw from repeating.
    """
    index = ctx.quotes.current(ctx.store)
    filters = resolve_filters(ctx, index, person, source)
    if isinstance(filters, Answer):
        return filters
    text = text or ""
    if not text.strip():
        return _random(ctx, index, filters, channel)
    return validate_query(text, EXAMPLE) or _search(ctx, index, text, filters)


def another_quote(ctx: AnswerContext, person: str | None = None, source: str | None = None,
                  *, channel: str = "cli") -> Answer:
    """"Another": a random quotation with the same filters, not one the channel saw lately."""
    return quote(ctx, None, person, source, channel=channel)


def more_quotes(answer: Answer, text: str | None = None) -> Answer:
    """"More results": the alternatives of a quote answer as a list of their own."""
    if answer.kind is not AnswerKind.QUOTE or not answer.items:
        return Answer(AnswerKind.NOT_FOUND, "No other quotations",
                      "This was the only quotation that matched.")
    about = f" matching “{shorten(one_line(text), 80)}”" if text and text.strip() else ""
    return Answer(AnswerKind.QUOTES, f"More quotations{about}", items=list(answer.items),
                  sources=[i.source for i in answer.items if i.source],
                  citations=[i.citation for i in answer.items if i.citation])


def quote_context(ctx: AnswerContext, ref: str) -> Answer:
    """The paragraph a quotation stands in, the quotation in bold, and its short neighbours."""
    record, passage = ctx.store.quotes.by_ref(ref)
    if passage is None:
        return Answer(AnswerKind.NOT_FOUND, "That quotation is no longer in the texts",
                      "The texts have been updated since it was shown. Search for it "
                      "again with `/quote`.")
    before, after = ctx.store.passages.neighbours(passage)
    body = _context_body(passage, record, before, after)
    where = SourceRef(slug=passage.slug, title=passage.source_title,
                      author=passage.source_author, section=passage.section_title,
                      paragraph=passage.index)
    source = ctx.store.sources.by_slug([passage.slug]).get(passage.slug)
    line = byline(source) if source is not None else passage.source_author or ""
    in_text = f"*{passage.source_title}* — {line}, paragraph {passage.index + 1}"
    return Answer(AnswerKind.CONTEXT, f"Context: paragraph {passage.index + 1}",
                  body, fields=[Field("In", in_text)], sources=[where], ref=ref)


def match_people(ctx: AnswerContext, typed: str, limit: int = CHOICES
                 ) -> list[tuple[str, str]]:
    """(label, name) of the people best matching what was typed, for autocomplete.

    Any name or spelling the registry knows counts (aliases, surnames), as do speakers the
    texts name who are not in it. With nothing typed: those most often quoted first.
    """
    index = ctx.quotes.current(ctx.store)
    forms = _name_forms(ctx, index)
    typed = one_line(typed or "")[:MAX_NAME_CHARS]
    if typed:
        found = process.extract(typed, list(forms), scorer=fuzz.WRatio,
                                processor=utils.default_process, limit=limit * 4,
                                score_cutoff=50)
        names = list(dict.fromkeys(forms[form] for form, _, _ in found))
    else:
        names = sorted(set(forms.values()), key=lambda n: (-index.speakers.get(n, 0), n))
    return [(_person_label(name, index), name) for name in names[:limit]]


# --- filters -------------------------------------------------------------------------------------


def resolve_filters(ctx: AnswerContext, index: QuoteIndex, person: str | None,
                    source: str | None) -> Filters | Answer:
    """The filters as stored values, or an ERROR answer saying what was not understood."""
    speaker = None
    if person and person.strip():
        resolved = _resolve_person(ctx, index, person)
        if isinstance(resolved, Answer):
            return resolved
        speaker = resolved
    slug = None
    if source and source.strip():
        slug, suggestions = resolve_source(ctx, source[:MAX_NAME_CHARS])
        if slug is None:
            return Answer(AnswerKind.ERROR, f"No text called “{_shown(source)}”",
                          "Use `/sources` to see the texts.", suggestions=suggestions)
    return Filters(speaker, slug)


def _resolve_person(ctx: AnswerContext, index: QuoteIndex, typed: str) -> str | Answer:
    """A speaker as the store spells it, for any alias or spelling ('Trotksy', 'Lev D.')."""
    typed = one_line(typed)[:MAX_NAME_CHARS]
    others = _unregistered_speakers(ctx, index)
    exact = {name.casefold(): name for name in others}.get(typed.casefold())
    if exact:
        return exact
    person, candidates = ctx.people.resolve(typed)
    if person is not None:
        return person.name
    spelled = _clear_misspelling(typed, candidates)
    if spelled is not None:
        return spelled
    if len(candidates) > 1 and all(
            any(typed.casefold() in form.casefold().split() for form in p.names())
            for p in candidates):
        return which_person(typed, candidates)  # "Smirnov": Ivan, or the one with no name
    near = process.extract(typed, others, scorer=fuzz.WRatio, processor=utils.default_process,
                           limit=3, score_cutoff=60)
    if near and near[0][1] >= 88 and (len(near) < 2 or near[1][1] < near[0][1] - 5):
        return near[0][0]
    suggestions = list(dict.fromkeys([p.name for p in candidates] + [n for n, _, _ in near]))
    hint = (f"Did you mean {', '.join(suggestions[:3])}?" if suggestions
            else "Type a name as the texts spell it; the autocomplete lists who is quoted.")
    return Answer(AnswerKind.ERROR, f"No one called “{_shown(typed)}”", hint,
                  suggestions=suggestions[:5])


def _clear_misspelling(typed: str, candidates: Sequence[Person]) -> str | None:
    """The candidate one of whose names is a plain misspelling of what was typed ('Engles').

    The registry's WRatio also scores partial matches ('Engles' is near 'Ernest Mandel' too),
    so a typo can look ambiguous to it; letter by letter only one name is close.
    """
    scores = sorted(((max(fuzz.ratio(typed.casefold(), form.casefold()) for form in p.names()),
                      p.name) for p in candidates), reverse=True)
    if scores and scores[0][0] >= 80 and (len(scores) < 2 or scores[1][0] < scores[0][0] - 10):
        return scores[0][1]
    return None


def _unregistered_speakers(ctx: AnswerContext, index: QuoteIndex) -> list[str]:
    """People the texts quote by name who are not in people.yaml (Pyatakov, Joffe...)."""
    return [name for name in index.speakers
            if name != ESSAY_AUTHOR and ctx.people.by_name(name) is None]


def _name_forms(ctx: AnswerContext, index: QuoteIndex) -> dict[str, str]:
    """Every typed form (name, alias, surname) -> the name to filter on."""
    forms: dict[str, str] = {}
    for person in ctx.people.people:
        for form in person.names():
            forms.setdefault(form, person.name)
    for name in _unregistered_speakers(ctx, index):
        forms.setdefault(name, name)
    return forms


def _person_label(name: str, index: QuoteIndex) -> str:
    count = index.speakers.get(name, 0)
    quoted = f"{count} quotation{'s' if count != 1 else ''}" if count else "not quoted"
    return shorten(f"{name} · {quoted}", MAX_NAME_CHARS)


def _shown(typed: str) -> str:
    return shorten(one_line(typed), 80)


# --- search --------------------------------------------------------------------------------------


def find_quotes(ctx: AnswerContext, index: QuoteIndex, text: str,
                filters: Filters = Filters()) -> list[Ranked]:
    """The distinct relevant quotations for ``text``, best first (at most 1 + ALTERNATIVES)."""
    corrected = corrected_query(index, text)
    if filters.speaker and index.speakers.get(filters.speaker, 0) <= FEW_QUOTATIONS:
        hits = ctx.reach.keep(ctx.store.quotes.hits_by_speaker(filters.speaker, filters.slug),
                              counted=CANDIDATES)  # spoiler control, as the search applies it
    else:
        # One full-text search, with the mended words: a word no quotation uses matches
        # nothing anyway. Ranking compares both forms, so a wrong "correction" cannot hide a
        # match.
        hits = ctx.search.search_quotations(corrected, source_slug=filters.slug,
                                            speaker=filters.speaker, limit=CANDIDATES,
                                            snippets=False)
    ranked = distinct(rank(list(dict.fromkeys([text, corrected])), hits, index.weight,
                           index.context.get))
    # The best match is the best *relevant* one: a well-worded near miss ranks high on
    # similarity ("bureaucratic centrism" for "bureaucratic caste") but is not shown.
    relevant = [r for r in ranked if r.relevant]
    return relevant[:1 + ALTERNATIVES]


def corrected_query(index: QuoteIndex, text: str) -> str:
    """The query with each word no quotation uses replaced by the nearest word one does."""
    def mend(match: re.Match[str]) -> str:
        return index.correct(match.group(0)) or match.group(0)

    return WORD.sub(mend, text)


def _search(ctx: AnswerContext, index: QuoteIndex, text: str, filters: Filters) -> Answer:
    ids = _found_ids(ctx, index, text, filters)
    if not ids:
        return Answer(AnswerKind.NOT_FOUND, "No quotation found",
                      f"No quotation{filters.describe()} matches “{_shown(text)}”. Try other "
                      "words you remember, or `/quote` alone for a random one.",
                      suggestions=["/quote"])
    # The other half of a sentence a tag splits, read with the rest (one query).
    partner = next_to(ctx, ids[0])
    records = ctx.store.quotes.records(ids if partner is None or partner in ids
                                       else [*ids, partner])
    if not records:  # the store changed between the two reads
        return Answer(AnswerKind.NOT_FOUND, "No quotation found", "Please try again.")
    halves = other_half(records[0], next((r for r in records if r.quotation_id == partner),
                                         None))
    shown = set(ids) - ({halves.quotation_id} if halves is not None else set())
    records = [r for r in records if r.quotation_id in shown]
    answer = with_the_line_it_answers(ctx, quote_answer(records[0], records[1:], halves),
                                      records[0])
    # A few words lifted from a sentence say little alone: the sentence gives them sense.
    fragment = not worth_drawing(records[0].text, records[0].kind)
    return in_its_sentence(ctx, answer, records[0]) if fragment else answer


#: The most characters of a tag between the halves of a sentence it splits ("”, says
#: Serge, “", "’ declares the testament, ‘", "’” Lenin “told the chairmen of provincial
#: soviet executive committees in July 1918, ‘").
SPLIT_TAG_CHARS = 100


def next_to(ctx: AnswerContext, quotation_id: int) -> int | None:
    """The quotation that may be the other half of a quoted sentence a tag splits in two:
    the next or previous one of the paragraph, by the same speaker (or unnamed source), at
    most ``SPLIT_TAG_CHARS`` away (``other_half`` checks their words)."""
    index = ctx.quotes.meaning(ctx.store)
    mine = index.described(quotation_id)
    if mine is None or (mine.speaker is None and not mine.source_terms):
        return None
    for other in index.in_passage(mine.passage_id):
        first, second = (other, mine) if other.end <= mine.start else (mine, other)
        if other.quotation_id != mine.quotation_id and other.speaker == mine.speaker \
                and other.source_terms == mine.source_terms \
                and 0 < second.start - first.end <= SPLIT_TAG_CHARS:
            return other.quotation_id
    return None


def other_half(record: QuoteRecord, other: QuoteRecord | None) -> QuoteRecord | None:
    """``other`` when it is the other half of the sentence ``record`` stands in: "“Our
    anxiety at seeing …,” says Serge, “was, of course, not emotional …”" (the first half
    ends in a comma, the second goes on in lower case). A reader remembers the sentence,
    not where the essay put the tag, so both are shown."""
    if other is None:
        return None
    first, second = (other, record) if other.start < record.start else (record, other)
    # A stray mark the copy left inside the words ("’The chief shortcoming …,’") is no end.
    if first.text.rstrip(" ’'”\"").endswith(",") and second.text[:1].islower():
        return other
    return None


def with_the_line_it_answers(ctx: AnswerContext, answer: Answer, record: QuoteRecord
                             ) -> Answer:
    """A short reply shown under the line it answers ("> “But he is a mediocrity …”" above
    "“Mediocrity, yes; nonentity, no,”"), as a quoted line of the body."""
    line = answered_line(ctx, record)
    if line is None:
        return answer
    by = f" — {speaker_label(line)}" if line.speaker or line.source_words else ""
    lead = f"> In answer to “{shorten(one_line(line.words), 300)}”{by}"
    return replace(answer, body=f"{lead}\n{answer.body}")


def _found_ids(ctx: AnswerContext, index: QuoteIndex, text: str, filters: Filters
               ) -> list[int]:
    """The quotations to show, best first: the quotation's own words when the query holds
    them squarely, else what a description of it points at, then the rest of both."""
    found = find_quotes(ctx, index, text, filters)
    literal = inner_words(ctx, [r.hit.quotation_id for r in found], text)
    if found and (found[0].verbatim or found[0].coverage >= SQUARE_MATCH):
        return literal
    described = [m.quotation_id for m in by_meaning(ctx, text, filters.speaker, filters.slug,
                                                    1 + ALTERNATIVES)]
    return list(dict.fromkeys(described + literal))[:1 + ALTERNATIVES]


def in_its_sentence(ctx: AnswerContext, answer: Answer,
                    record: QuoteRecord | None = None) -> Answer:
    """A quotation answer with the sentence it stands in ("Lenin said ..."), the quoted
    words in bold, as a field before the others."""
    found = parse_ref(answer.ref or "") if answer.kind is AnswerKind.QUOTE else None
    if found is None or any(f.name == IN_THE_TEXT for f in answer.fields):
        return answer  # not a quotation, or its sentence is shown already
    slug, paragraph, start = found
    sentence = ctx.store.sentences.containing(slug, paragraph, start)
    if sentence is None or sentence.text.strip() == answer.body.strip():
        return answer
    shown = sentence.text
    quoted = record.text.strip() if record is not None else ""
    if quoted and quoted in shown and len(quoted) < len(shown.strip()):
        at = shown.index(quoted)
        shown = f"{shown[:at]}**{quoted}**{shown[at + len(quoted):]}"
    return replace(answer, fields=[Field(IN_THE_TEXT, shorten(shown, 1024)), *answer.fields])


# --- random --------------------------------------------------------------------------------------


def _random(ctx: AnswerContext, index: QuoteIndex, filters: Filters, channel: str) -> Answer:
    record = _drawn_record(ctx, index, filters, channel)
    if record is None:  # the store was re-ingested since the pool was built: once more
        ctx.quotes.invalidate()
        record = _drawn_record(ctx, ctx.quotes.current(ctx.store), filters, channel)
    if record is None:
        return Answer(AnswerKind.NOT_FOUND, "No quotation to draw",
                      f"I have no full-sentence quotation{filters.describe()}. Try another "
                      "person or text, or search for words with `/quote <words>`.",
                      suggestions=["/sources"])
    ctx.recent_quotes.remember(channel, record.quotation_id)
    return quote_answer(record, [])


def _drawn_record(ctx: AnswerContext, index: QuoteIndex, filters: Filters,
                  channel: str) -> QuoteRecord | None:
    """A random quotation's record, checked against the filters (the pool may be stale)."""
    pool = index.pool(speaker=filters.speaker, slug=filters.slug)
    # Attributed quotations are preferred: a named speaker is what makes a quotation worth
    # reading out of its essay.
    attributed = [d for d in pool if d.speaker] if filters.speaker is None else list(pool)
    candidates = attributed or list(pool)
    for _ in range(REACH_DRAWS):
        chosen = _draw(ctx, candidates, channel)
        if chosen is None:
            return None
        records = ctx.store.quotes.records([chosen.quotation_id])
        if not records or records[0].speaker != chosen.speaker \
                or records[0].slug != chosen.source_slug:
            return None
        if ctx.reach.allows(records[0].slug, records[0].paragraph):
            return records[0]
        # Beyond the reading plan (spoiler control): draw again from the rest.
        candidates = [d for d in candidates if d.quotation_id != chosen.quotation_id]
    return None


def _draw(ctx: AnswerContext, pool: Sequence[Drawable], channel: str) -> Drawable | None:
    """A random member of ``pool`` the channel has not seen lately (the stalest if all were)."""
    if not pool:
        return None
    seen = ctx.recent_quotes.seen(channel)
    for _ in range(8):  # the pool is mostly unseen: a few tries beat building a new list
        pick = ctx.rng.choice(pool)
        if pick.quotation_id not in seen:
            return pick
    fresh = [d for d in pool if d.quotation_id not in seen]
    if fresh:
        return ctx.rng.choice(fresh)
    stalest = ctx.recent_quotes.oldest_first(channel, [d.quotation_id for d in pool])[0]
    return next(d for d in pool if d.quotation_id == stalest)


# --- the answer ----------------------------------------------------------------------------------


def quote_answer(record: QuoteRecord, alternatives: Sequence[QuoteRecord],
                 other_half: QuoteRecord | None = None) -> Answer:
    """The quotation as an answer: the words, who, where, the original source, alternatives.
    ``other_half``: the rest of the sentence a tag splits, shown with the words, in order
    ("“…,” … “has concentrated enormous power …”")."""
    body = f"“{record.words}”"
    if other_half is not None:
        body = f"{body} … “{other_half.words}”" if other_half.start > record.start \
            else f"“{other_half.words}” … {body}"
    return Answer(
        AnswerKind.QUOTE,
        speaker_label(record),
        body,
        fields=_fields(record),
        items=[_item(r) for r in alternatives],
        sources=[_source_ref(r) for r in (record, *alternatives)],
        citations=[record.citation] if record.citation else [],  # items carry their own
        ref=record.ref,
    )


def speaker_label(record: QuoteRecord) -> str:
    """'Leon Trotsky', 'Jason Dawsey (the essay's author)', 'An unnamed source: “One
    report”', or 'Unattributed'."""
    if not record.speaker and record.source_words:
        return f"{UNNAMED}: “{shorten(record.source_words, 80)}”"
    if not record.speaker:
        return "Unattributed"
    if record.speaker == ESSAY_AUTHOR:
        return "The essay's author"
    if record.method == "essay-author" or (
            record.source_author and record.speaker == record.source_author):
        return f"{record.speaker} (the essay's author)"
    return record.speaker


def _fields(record: QuoteRecord) -> list[Field]:
    fields = [
        Field("Said or written by", said_by(record)),
        Field("In", _in_text(record)),
        Field("Original source", record.citation or "The essay gives no reference for it."),
    ]
    how = how_we_know(record)
    if how:
        fields.append(Field("How we know", how))
    return fields


def said_by(record: QuoteRecord) -> str:
    """'Vladimir Lenin, quoted by Leon Trotsky, quoted in the essay'; an unnamed source in
    the text's words, never as a person."""
    if record.speaker:
        said = speaker_label(record)
    elif record.source_words:
        said = f"not named: the text calls the source “{shorten(record.source_words, 80)}”"
    else:
        said = "Unattributed — the text does not say who"
    if not record.quoted_by:
        return said
    chain = "".join(f", quoted by {name}" for name in record.quoted_by)
    return shorten(f"{said}{chain}, quoted in the essay", 1024)


def _in_text(record: QuoteRecord) -> str:
    section = f", section “{record.section}”" if record.section else ""
    line = byline_of(record.source_author, record.source_publication,
                     record.source_published_iso)
    return (f"*{record.source_title}* — {line}{section}, "
            f"paragraph {record.paragraph + 1}")


def how_we_know(record: QuoteRecord) -> str | None:
    """'named as the speaker in the essay: “Trotsky replied”' — short, for tracing mistakes."""
    if record.method == "unnamed" and record.evidence:
        return f"The text does not name the source: “{shorten(one_line(record.evidence), 120)}”"
    method = METHODS.get(record.method)
    if method is None or not record.speaker:
        return None
    evidence = one_line(record.evidence or "")
    if not evidence or record.method == "cited-author":
        return method[0].upper() + method[1:] + "."  # the citation is already shown
    return f"{method[0].upper()}{method[1:]}: “{shorten(evidence, 120)}”"


def _item(record: QuoteRecord) -> Item:
    return Item(title=speaker_label(record), body=f"“{record.words}”",
                source=_source_ref(record), citation=record.citation)


def _source_ref(record: QuoteRecord) -> SourceRef:
    return SourceRef(slug=record.slug, title=record.source_title, author=record.source_author,
                     section=record.section, paragraph=record.paragraph)


# --- context -------------------------------------------------------------------------------------


def _context_body(passage: PassageRecord, record: QuoteRecord | None,
                  before: PassageRecord | None, after: PassageRecord | None) -> str:
    """The paragraph with the quotation in bold, after the sentence that leads into it."""
    parts = []
    introduces = record is not None and record.kind != "inline"
    if before is not None and (introduces or len(before.text) <= NEIGHBOUR_CHARS):
        parts.append(_tail(before.text, NEIGHBOUR_CHARS))
    parts.append(_marked(passage, record))
    if after is not None and len(after.text) <= NEIGHBOUR_CHARS:
        parts.append(after.text)
    return "\n\n".join(parts)


def _marked(passage: PassageRecord, record: QuoteRecord | None) -> str:
    text = passage.text
    if record is not None and passage.text[record.start:record.end] == record.text:
        whole = record.start <= 1 and record.end >= len(text) - 1
        if not whole:  # a whole paragraph in bold says nothing; the "> " marks it instead
            text = f"{text[:record.start]}**{text[record.start:record.end]}**{text[record.end:]}"
    if passage.kind in ("block_quote", "epigraph"):
        text = "\n".join(f"> {line}" for line in text.splitlines())
    return text


def _tail(text: str, limit: int) -> str:
    """The end of a paragraph, cut at a word boundary at the front."""
    if len(text) <= limit:
        return text
    cut = text[-limit:]
    space = cut.find(" ")
    return "…" + (cut[space + 1:] if 0 <= space < limit // 2 else cut)
