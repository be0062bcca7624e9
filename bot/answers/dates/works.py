"""/when for a book, an article or a translation: the year the texts give for its writing or
publication, read where they give it, in the notes and reference lists as in the argument.

"Deutscher, The Prophet Outcast: Trotsky 1929-1940 (London: Verso, 2003), 258. The book was
originally published in 1963." dates The Prophet Outcast 1963: a year the note says it was
published, written or first appeared comes first; then a year that qualifies the work ("Victor
Serge's superb 1939 novel"); then the year printed with its title ("(Comintern after Lenin,
1928)"). The year of the edition a note cites ("London: Verso, 2003") answers only what was
asked about publishing, labelled as that edition's; a year inside the title ("Trotsky
1929-1940"), a span, or the day a web page was retrieved is never the work's date.

Ingest keeps no dates from notes (a timeline of publication years would drown the events), so
the note's own sentence is read here with the same date patterns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.answers.ask.analysis import Question, TermGroup
from bot.answers.ask.extract import tightest_span
from bot.answers.ask.retrieve import Window, covered, retrieve
from bot.answers.core.context import AnswerContext
from bot.corpus.dates import DateMention, dates_in
from bot.corpus.lexicon import stems
from bot.corpus.people import PeopleRegistry
from bot.store.dates import SentenceDate
from bot.store.search import SentenceHit

#: Words that ask when a work was written or published.
_ASKS_OF_A_WORK = re.compile(
    r"\b(?:writ(?:e|es|ing|ten)|wrote|publish(?:ed|es|ing)?|publication|appear(?:ed|s)?|"
    r"(?:came|come|comes) out|print(?:ed)?|translat(?:ed|ion)|book|novel|article|pamphlet|"
    r"memoirs?|biography|edition)\b", re.IGNORECASE)
_ABOUT_PUBLISHING = re.compile(r"\b(?:publish\w*|publication|edition|print(?:ed)?)\b",
                               re.IGNORECASE)
#: The question's words that say what is asked of the work, not which work it is.
_NOT_THE_TITLE = frozenset(stems(
    "write wrote written writing publish published publication appear appeared first "
    "originally original come came out print printed translate translated book novel "
    "article pamphlet memoir memoirs biography edition his her their"))
#: "The book was originally published in 1963", "first appeared with Hillman-Curl in 1937".
#: Not "wrote": "a letter he wrote just prior to his imprisonment" is not the book's date.
_PUBLISHED = re.compile(r"\b(?:published|appeared|written|came out|printed|issued|"
                        r"completed|finished)\b", re.IGNORECASE)
PUBLISHED_REACH = 90  # characters from such a verb to the year it gives
#: "superb 1939 novel", "the 1936 book where Trotsky ...", "his 1930 History of ..."
_WORK_NOUN = re.compile(r"\s+(?:[a-z]+\s+)?(?:novel|book|study|pamphlet|essay|article|work|"
                        r"history|biography|memoirs?|poem|play|speech|letter|manifesto)\b",
                        re.IGNORECASE)
#: "London: Verso, 2003", "New York: Vintage Books, 1963": the edition a note cites.
_IMPRINT = re.compile(r"[A-Z][\w .’'-]*:\s*[^:;()]{2,70}?,\s*$")
_ISSUE = re.compile(r"\b(?:Vol|Volume|No|Issue)\.?\s*\d+\s*\($", re.IGNORECASE)
_RETRIEVED = re.compile(r"\b(?:retrieved|accessed|viewed)\b[^.]{0,40}$", re.IGNORECASE)
_OPENS_A_SENTENCE = re.compile(r"[a-z0-9][.!?:][”\"’)]*\s+[“\"‘(]*$")  # not "C.L.R. James"
TITLE_SPREAD = 3  # extra words a title's words may be spread over per word ("Midnight in the")
STATED, QUALIFIES, PRINTED_WITH, EDITION = range(4)
_RANK_LABEL = {EDITION: "year of the edition the note cites"}


@dataclass(frozen=True, slots=True)
class WorkDate:
    hit: SentenceHit  # the sentence the search found (for the source)
    text: str  # the note, or the window of the argument, that gives the date
    date: SentenceDate
    rank: int


def asks_of_a_work(typed: str) -> bool:
    """"when was X published?", "when did Serge write his novel ...?", "X's article ..."."""
    return bool(_ASKS_OF_A_WORK.search(typed))


def title_words(question: Question) -> list[TermGroup]:
    """The question's words that name the work ("Prophet", "Outcast"), not what is asked of
    it ("originally published")."""
    return [g for g in question.content_groups
            if not set(g.stems[0] if g.stems else ()) <= _NOT_THE_TITLE]


def printed_as_typed(question: Question, text: str) -> bool:
    """Every title word the member capitalised stands capitalised in ``text``: "when did
    Lenin write State and Revolution?" is not answered by "the Russian state (which had
    needed reform at least as far back as the 1850s) ... revolutionaries"."""
    typed = [g for g in title_words(question) if g.word[:1].isupper()]
    return not typed or _capitalised_at(text, typed) is not None


def work_date(ctx: AnswerContext, question: Question, windows: list[Window],
              typed: str) -> WorkDate | None:
    """The date the texts give the work asked about, or None."""
    title = title_words(question)
    if not title or question.unknown:
        return None
    notes = retrieve(question, ctx.search, ctx.store.sentences, ctx.people,
                     apparatus=True)
    publishing = bool(_ABOUT_PUBLISHING.search(typed))
    best: WorkDate | None = None
    seen: set[str] = set()
    for window in [*windows, *notes]:
        unit = _unit(ctx, window)
        if unit in seen:
            continue
        seen.add(unit)
        # A title is printed capitalised: "the memory and lessons of the October
        # Revolution" is no title "Lessons of October".
        title_at = _capitalised_at(unit, title)
        if not all(covered(g, unit, ctx.people) for g in question.groups if g.person) or \
                title_at is None or \
                tightest_span(title, stems(unit)) > len(title) * (TITLE_SPREAD + 1):
            continue
        found = _the_works_date(unit, title, window.main, publishing, ctx.people, title_at)
        if found is not None and (best is None or found.rank < best.rank):
            best = found
            if best.rank == STATED:
                break
    return best


def label(found: WorkDate) -> str | None:
    return _RANK_LABEL.get(found.rank)


def _unit(ctx: AnswerContext, window: Window) -> str:
    """What is read for the date: a whole note (a note speaks of one work), or the window's
    sentences of one paragraph of the argument."""
    main = window.main
    if main.kind in ("note", "reference"):
        note = ctx.store.passages.at(main.source_slug, main.paragraph_index)
        return note.text if note is not None else main.text
    same = [s for s in window.sentences if s.passage_id == main.passage_id]
    return " ".join(s.text for s in same)


def _capitalised_at(unit: str, title: list[TermGroup]) -> int | None:
    """Where the first title word stands capitalised in ``unit``, if every one does."""
    first: int | None = None
    for group in title:
        # ... not merely as a sentence's first word ("Life is beautiful.")
        starts = [m.start() for form in group.alternatives
                  for m in re.finditer(rf"\b{re.escape(form)}", unit, re.IGNORECASE)
                  if m.group(0)[:1].isupper()
                  and not _OPENS_A_SENTENCE.search(unit[max(0, m.start() - 7):m.start()])
                  and m.start() > 0]
        if not starts:
            return None
        first = min(starts) if first is None else min(first, min(starts))
    return first


def _the_works_date(unit: str, title: list[TermGroup], hit: SentenceHit, publishing: bool,
                    people: PeopleRegistry, title_at: int) -> WorkDate | None:
    ranked: list[tuple[int, int, DateMention]] = []
    for date in dates_in(unit):
        if date.kind in ("range", "decade", "relative"):
            continue  # "Trotsky 1929-1940" is a title's span, "that year" nobody's
        before = unit[max(0, date.start - PUBLISHED_REACH):date.start]
        before = re.split(r"(?<=[a-z0-9)”][.!?])\s+", before)[-1]  # within its sentence
        if _RETRIEVED.search(before):
            continue
        rank = _rank(unit, date, before, title, people, hit.kind in ("note", "reference"),
                     title_at - (date.start - len(before)))
        if rank is None or (rank == EDITION and not publishing):
            continue  # an edition's year is not when the work was written
        ranked.append((rank, date.start, date))
    if not ranked:
        return None
    rank, _, date = min(ranked, key=lambda r: (r[0], r[1]))
    stated = SentenceDate(hit.sentence_id, date.text, date.kind, date.precision,
                          date.date.iso(), None, date.start)
    return WorkDate(hit, unit, stated, rank)


def _rank(unit: str, date: DateMention, before: str, title: list[TermGroup],
          people: PeopleRegistry, citation: bool, title_at: int) -> int | None:
    """How surely ``date`` is the work's (STATED first), or None; ``citation``: ``unit`` is a
    note or a reference list's entry; ``title_at``: where the title starts, from the start
    of ``before``."""
    verbs = list(_PUBLISHED.finditer(before))
    # The verb that dates the work comes after its title ("The Prophet Outcast ... The
    # book was originally published in 1963"), not before it.
    if verbs and verbs[-1].start() > title_at and not dates_in(before[verbs[-1].end():]):
        return STATED  # no other date between the verb and this one
    if _WORK_NOUN.match(unit, date.end) or _title_follows(unit[date.end:], title, people):
        return QUALIFIES
    if citation and _ISSUE.search(unit, 0, date.start):
        # "The Russian Review Vol 51 No. 1 (January, 1992)": a journal's issue is when the
        # article in it came out, not a later edition's year
        return PRINTED_WITH
    if _IMPRINT.search(before) or (citation and _cited_after_title(before, title, people)):
        return EDITION
    # "(Comintern after Lenin, 1928)": a parenthesis holding the title, then the year;
    # or the title's last word, a comma, the year.
    cited = re.search(r"\(([^()]{2,80}),\s*$", before)
    printed = re.search(r"([\w’'-]+)[”\"’]?,\s*$", before)
    if (cited and any(covered(g, cited.group(1), people) for g in title)) or (
            printed and any(covered(g, printed.group(1), people) for g in title)):
        return PRINTED_WITH
    return None


def _cited_after_title(before: str, title: list[TermGroup], people: PeopleRegistry) -> bool:
    """"Isaac Deutscher, The Prophet Armed, Volume I, New York, Vintage Books, 1954": in a
    citation, a year closing the list of details that follows the title."""
    if not re.search(r",\s*$", before):
        return False
    return any(covered(g, word, people) for g in title for word in re.findall(r"[\w’'-]+", before))


def _title_follows(after: str, title: list[TermGroup], people: PeopleRegistry) -> bool:
    """"1930 History of the Russian Revolution": a title word right after the year."""
    first = re.match(r"\s+([A-Z][\w’'-]+)", after)
    return first is not None and any(covered(g, first.group(1), people) for g in title)
