"""Which section of a text speaks of something: "in the cwi article which section covers 1905?".

A member who wants to reread a passage asks for the part of the text it stands in. The answer
is a heading of the text: the one whose own words hold what is asked ("1905 and the theory of
permanent revolution"), else the heading over the sentence that best answers the question
(it must match as closely as any answer's sentence does), never a guess between headings.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.answers.ask.analysis import Question, TermGroup
from bot.answers.ask.retrieve import Window, covered
from bot.answers.core.model import Answer, AnswerKind, Item, SourceRef
from bot.corpus.people import PeopleRegistry
from bot.store.sources import SectionRecord, SourceRecord

# "which section covers 1905", "what part of the essay deals with Kronstadt", "what's the
# heading of the part ... that explains how Stalin came out on top"
# (Not "which chapter": the essays have sections; a chapter is of a book they discuss, "which
# chapter of The Revolution Betrayed explains how Stalin won?".)
# Nor "what part did Trotsky play ...?" or "which part of Russia ...?": the part must be a
# text's, or one that speaks of something.
_TEXT = r"(?:essay|article|piece|review|text|paper)"
ASKS_SECTION = re.compile(
    rf"\b(?:which|what)\s+(?:section|part|heading)s?\s+(?:of\s+(?:the\s+)?{_TEXT}\b|"
    rf"of\s+[\w-]+(?:’s|'s)\s+{_TEXT}\b|of\s+the\s+(?:[\w-]+\s+){{1,3}}{_TEXT}\b|"
    r"(?:covers?|deals?|talks?|explains?|discusses|describes|is\s+about|goes\s+into)\b)"
    r"|\b(?:heading|title)\s+of\s+the\s+(?:section|part)\b"
    # "what's the heading over the 1907-1916 part", "what's the red army section of rob
    # jones's article called"
    r"|\bheading\s+(?:over|of|for|above)\s+the\b"
    rf"|\b(?:section|part)\s+of\s+(?:the\s+)?(?:[\w’'-]+\s+){{0,4}}?{_TEXT}\b[^?]*?"
    r"\b(?:called|named|titled|headed)\b", re.IGNORECASE)
# "the war communism part of to lead the people": a section named by what it is on, of a
# text the question names by its title (the engine checks that it names one: "the biggest
# part of russia" is no text's).
NAMES_A_SECTION = re.compile(r"\bthe\s+(?:[\w’'-]+\s+){1,4}?(?:section|part)\s+(?:of|in)\b",
                             re.IGNORECASE)
# Words that say a section is asked, or that it speaks of something, not what it speaks of.
_SECTION_WORDS = frozenset("""section sections part parts heading headings
    title cover covers covered deal deals dealt explain explains explained talk talks discuss
    discusses discussed describe describes described go goes""".split())
HEADING_SHARE = 0.5  # of the question's weighted words a heading must hold to answer alone


def without_section_words(question: Question) -> Question:
    """The question less the words that ask for a section, which no sentence need hold
    ("which section covers ...": the sentence holds what is covered, not "section")."""
    # nor "this text": the text the question names speaking of itself
    kept = tuple(g for g in question.groups if g.word.casefold() not in _SECTION_WORDS
                 and not (g.subject and g.person is None))
    return replace(question, groups=kept) if kept else question


def section_answer(question: Question, sections: list[tuple[SourceRecord, list[SectionRecord]]],
                   windows: list[Window], people: PeopleRegistry, floor: float
                   ) -> Answer | None:
    """The heading asked for, or None when no heading and no close sentence settles it.

    ``sections``: the headings of the text the question names (or of every text);
    ``windows``: the sentences found for the question, best first; ``floor``: the coverage
    a window needs to answer a plain question."""
    # nor the writer of the one text asked ("the red army section of rob jones's article")
    writers = {text.author for text, _ in sections if text.author} if len(sections) == 1 \
        else set()
    asked = [g for g in without_section_words(question).groups
             if not (g.person is not None and g.person.name in writers)]
    if not asked:
        return None
    by_heading = _heading_holding(asked, sections, people)
    if by_heading is not None:
        text, heading = by_heading
        ref = SourceRef(text.slug, text.title, text.author)
        return Answer(AnswerKind.ANSWER, heading,
                      f"A heading of *{text.title}*: “{heading}”.",
                      items=[Item(title=text.title, body=heading, source=ref)], sources=[ref])
    for window in windows:
        if window.coverage < floor:
            break
        title = window.main.section_title
        if title and window.people_found:
            ref = SourceRef.of(window.main)
            return Answer(AnswerKind.ANSWER, title,
                          f"The section “{title}” of *{window.main.source_title}*, where it "
                          f"says: “{window.text}”",
                          items=[Item(title=title, body=window.text, source=ref)],
                          sources=[ref])
    return None


def _heading_holding(asked: list[TermGroup],
                     sections: list[tuple[SourceRecord, list[SectionRecord]]],
                     people: PeopleRegistry) -> tuple[SourceRecord, str] | None:
    """The one heading that holds most of what is asked (at least HEADING_SHARE of it)."""
    total = sum(g.weight for g in asked) or 1.0
    scored = [(sum(g.weight for g in asked if covered(g, section.title, people)) / total,
               text, section.title)
              for text, headings in sections for section in headings if section.title]
    scored = [s for s in scored if s[0] >= HEADING_SHARE]
    if not scored:
        return None
    best = max(s[0] for s in scored)
    top = [s for s in scored if s[0] == best]
    return (top[0][1], top[0][2]) if len(top) == 1 else None
