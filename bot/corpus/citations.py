"""Find citation markers in running text and resolve them to works.

Which markers exist depends on the text: endnote numbers only where the text has numbered
notes, bare page numbers only where the essay says which book its pages refer to. That keeps
'in 1921' or '1.9 percent' from ever being read as a note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.corpus.model import Citation, CitationKind, Note, Work
from bot.corpus.works import acronym, surname

# A note number right after a closing quote or punctuation: ...history.”17  ...ahead)”.12
_ENDNOTE = re.compile(r"(?:(?<=[”\"’'“.,;:?!)])\s?|(?<=[a-z]))(\d{1,3})(?=[\s“\"]|$)")
_BRACKET = re.compile(r"\[(\d{1,3})\]")
_PAGE = r"[ivxlc]+|\d{1,4}(?:\s*[-–]\s*\d{1,4})?"
_PARENTHETICAL = re.compile(rf"\((?P<who>[A-Z][\w’'.\- ]{{0,40}}?),\s*(?P<page>{_PAGE})\)")
# "(215)", "(71-72)", and several pages at once: "(15, 192, 206)".
_ONE_PAGE = r"\d{1,3}(?:\s*[-–]\s*\d{1,3})?"
_BARE_PAGE = re.compile(rf"\((?P<page>{_ONE_PAGE}(?:,\s*{_ONE_PAGE})*)\)")
_COLLECTION = re.compile(r"\bin ([A-Z][^,(]+?)(?:\s+\d{4})?\s*[,(]")
_NOT_AUTHORS = {"january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december", "spring", "summer", "autumn",
                "fall", "winter"}


@dataclass(slots=True)
class CitationContext:
    """What a text offers to resolve markers against."""

    notes: dict[int, Note] = field(default_factory=dict)
    bracketed: bool = False  # notes are printed [1] rather than 1.
    references: list[Work] = field(default_factory=list)
    principal_work: Work | None = None

    def work_for_name(self, name: str) -> Work | None:
        """'(Trotsky, 66)' -> the listed work by Trotsky; '(TRB, 76)' -> by acronym."""
        key = name.strip().lower()
        candidates = [*self.references, *(n.work for n in self.notes.values() if n.work)]
        if self.principal_work:
            candidates.insert(0, self.principal_work)
        for work in candidates:
            if surname(work.author) == key:
                return work
        for work in candidates:
            if work.title and acronym(work.title).lower() == key:
                return work
        for work in candidates:  # '(WLT, 118)': the collection a chapter was printed in
            for collection in _COLLECTION.findall(work.full):
                if acronym(collection).lower() == key:
                    return Work(full=work.full, author=work.author, title=collection.strip())
        return None


def find_citations(text: str, context: CitationContext, last_note: int = 0) -> list[Citation]:
    """Every citation marker in one paragraph, in order of appearance."""
    found: list[Citation] = []
    if context.notes and context.bracketed:
        for m in _BRACKET.finditer(text):
            note = context.notes.get(int(m.group(1)))
            if note:
                found.append(_from_note(CitationKind.BRACKET, m.group(0), m.start(), m.end(), note))
    elif context.notes:
        for m in _ENDNOTE.finditer(text):
            number = int(m.group(1))
            note = context.notes.get(number)
            # Notes run in order; a number far from the last one seen is not a note marker.
            if note and last_note - 2 <= number <= last_note + 10:
                start = m.start(1)
                found.append(_from_note(CitationKind.ENDNOTE, m.group(1), start, m.end(), note))
                last_note = number
    for m in _PARENTHETICAL.finditer(text):
        who = m.group("who").strip()
        if who.lower() in _NOT_AUTHORS or re.fullmatch(r"\d{4}", m.group("page")):
            continue
        work = context.work_for_name(who)
        found.append(Citation(CitationKind.PARENTHETICAL, m.group(0), m.start(), m.end(),
                              work=work, page=m.group("page")))
    if context.principal_work is not None:
        for m in _BARE_PAGE.finditer(text):
            found.append(Citation(CitationKind.PAGE, m.group(0), m.start(), m.end(),
                                  work=context.principal_work, page=m.group("page")))
    return sorted(found, key=lambda c: c.start)


def _from_note(kind: CitationKind, marker: str, start: int, end: int, note: Note) -> Citation:
    return Citation(kind, marker, start, end, work=note.work, page=note.page,
                    note_number=note.number, quoted_in=note.quoted_in)
