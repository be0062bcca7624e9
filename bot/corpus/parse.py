"""Turn a text body into sections, paragraphs, sentences, notes, citations and quotations.

Pure functions over strings: no database and no Discord, so every rule is testable on the
real corpus in milliseconds.
"""

from __future__ import annotations

import re

from bot.corpus.blocks import Block, note_number, split_blocks
from bot.corpus.citations import CitationContext, find_citations
from bot.corpus.model import (
    BlockKind,
    Citation,
    CitationKind,
    Note,
    Paragraph,
    ParsedText,
    Quotation,
    QuoteKind,
    Section,
    TextMeta,
    Work,
)
from bot.corpus.quotations import (
    inner_spans,
    lost_opening_spans,
    quoted_spans,
    split_signature,
    strip_outer_quotes,
)
from bot.corpus.sentences import sentence_spans
from bot.corpus.works import NoteResolver, parse_reference_entry

_ALL_REFERENCES = re.compile(
    r"\ball (?:page )?references\b|\bcited (?:parenthetically|in the text)", re.IGNORECASE)
_NOTE_LABEL = re.compile(r"^\s*(\[\d{1,3}\]|\d{1,3}\s*\.)\s*")


def parse_body(meta: TextMeta, body: str, digest: str, first_line: int = 1) -> ParsedText:
    blocks = split_blocks(body, first_line)
    notes = _parse_notes([b for b in blocks if b.kind is BlockKind.NOTE])
    references = [parse_reference_entry(b.text) for b in blocks if b.kind is BlockKind.REFERENCE]
    principal = _principal_work(meta, notes, references)
    context = CitationContext(
        notes={n.number: n for n in notes},
        bracketed=any(n.label.startswith("[") for n in notes),
        references=references,
        principal_work=principal,
    )
    sections, paragraphs = _sections_and_paragraphs(blocks)
    quotations: list[Quotation] = []
    last_note = 0
    for paragraph in paragraphs:
        if paragraph.kind in (BlockKind.NOTE, BlockKind.REFERENCE):
            continue
        paragraph.citations = find_citations(paragraph.text, context, last_note)
        numbers = [c.note_number for c in paragraph.citations if c.note_number]
        last_note = max([last_note, *numbers])
        found = _quotations(paragraph, context)
        for quotation in found:  # nesting is found per paragraph: indexes become the text's
            if quotation.outer is not None:
                quotation.outer += len(quotations)
        quotations.extend(found)
    warnings = [f"note {n.label}: could not resolve the work it cites" for n in notes
                if not n.resolved]
    return ParsedText(meta=meta, content_hash=digest, sections=sections, paragraphs=paragraphs,
                      quotations=quotations, notes=notes, references=references,
                      principal_work=principal, warnings=warnings)


def _sections_and_paragraphs(blocks: list[Block]) -> tuple[list[Section], list[Paragraph]]:
    sections: list[Section] = []
    paragraphs: list[Paragraph] = []
    seen_body = False
    for block in blocks:
        if block.kind is None:
            sections.append(Section(index=len(sections), title=block.text))
            continue
        if not sections:
            sections.append(Section(index=0, title=None))
        kind = block.kind
        if kind is BlockKind.BLOCK_QUOTE and not seen_body and len(sections) == 1:
            kind = BlockKind.EPIGRAPH  # quotations that open the text, before any prose
        seen_body = seen_body or kind is BlockKind.BODY
        paragraphs.append(Paragraph(index=len(paragraphs), section_index=sections[-1].index,
                                    kind=kind, text=block.text, line=block.line,
                                    sentences=sentence_spans(block.text)))
    return sections, paragraphs


def _parse_notes(blocks: list[Block]) -> list[Note]:
    """Numbered notes in order, continuation blocks joined, short forms resolved."""
    merged: list[tuple[str, int, str]] = []
    for block in blocks:
        number = note_number(block.text)
        if number is None and merged:
            label, num, text = merged[-1]
            merged[-1] = (label, num, f"{text} {block.text}")
        elif number is not None:
            label_match = _NOTE_LABEL.match(block.text)
            if label_match is None:  # cannot happen: every note start is also a note label
                raise AssertionError(f"a numbered note without a label: {block.text[:60]!r}")
            label = label_match.group(1).replace(" ", "")
            merged.append((label.rstrip("."), number, _NOTE_LABEL.sub("", block.text, count=1)))
    resolver = NoteResolver()
    notes = []
    for label, number, text in merged:
        work, page, quoted_in = resolver.resolve(text)
        notes.append(Note(label=label, number=number, text=text, work=work, page=page,
                          quoted_in=quoted_in))
    return notes


def _principal_work(meta: TextMeta, notes: list[Note], references: list[Work]) -> Work | None:
    """The book bare page numbers such as '(190)' refer to."""
    for note in notes:
        if note.work and _ALL_REFERENCES.search(note.text):
            return note.work
    title = meta.title.lower()
    for work in references:  # an MLA-style essay about one book lists it
        if work.title and len(work.title) > 8 and work.title.lower() in title:
            return work
    return None


def _quotations(paragraph: Paragraph, context: CitationContext) -> list[Quotation]:
    text = paragraph.text
    found: list[Quotation] = []
    if paragraph.kind is BlockKind.EPIGRAPH:
        words, signature, note = split_signature(text)
        citation = _signature_citation(text, note, context) if note \
            else _last_citation(paragraph.citations, len(text))
        start = text.find(words[:40]) if words else 0
        found.append(Quotation(paragraph.index, QuoteKind.EPIGRAPH, words, start,
                               start + len(words), citation=citation, signature=signature))
    elif paragraph.kind is BlockKind.BLOCK_QUOTE or unmarked_letter(text):
        start, end = strip_outer_quotes(text)
        found.append(Quotation(paragraph.index, QuoteKind.BLOCK, text[start:end].strip(), start,
                               end, citation=_last_citation(paragraph.citations, len(text))))
    enclosing = found[0].citation if found else None
    outer = 0 if found else None  # inline words in a block are quoted inside it
    if found and found[0].kind is QuoteKind.BLOCK:
        for start, end in _reported_in(text, found[0]):
            found.append(Quotation(paragraph.index, QuoteKind.INLINE, text[start:end].strip(),
                                   start, start + len(text[start:end].strip()),
                                   citation=enclosing, outer=0))
    for start, end in sorted(quoted_spans(text) + lost_opening_spans(text)):
        if found and found[0].kind is not QuoteKind.INLINE and end - start >= 0.9 * len(text):
            continue  # the block quotation itself, already recorded
        citation = _citation_after(paragraph, end) or enclosing  # words quoted inside a quote
        found.append(Quotation(paragraph.index, QuoteKind.INLINE, text[start:end], start, end,
                               citation=citation, outer=outer))
        at = len(found) - 1
        for inner_start, inner_end in inner_spans(text, start, end):
            if inner_end - inner_start >= end - start - 2:
                continue  # “‘…’”: the same words, marked twice
            found.append(Quotation(paragraph.index, QuoteKind.INLINE,
                                   text[inner_start:inner_end], inner_start, inner_end,
                                   citation=citation, outer=at))
    return found


#: "I have heard Lenin admit that …", "recalls Lenin saying that …": reported speech whose
#: words, to the sentence's end, are the reported speaker's, though the text marks none.
REPORTED_SPEECH = re.compile(
    r"\b(?:heard|hear|recalls?|recalled|remembers?|remembered)\s+"
    r"(?P<name>[A-Z][\w’'.-]+(?:\s+[A-Z][\w’'.-]+)?)\s+"
    r"(?:admit|say|saying|said|declare|declaring|tell|telling|concede|conceding)\s+that\s+"
    r"(?P<words>[^.!?…“”]{8,400})")


def _reported_in(text: str, outer: Quotation) -> list[tuple[int, int]]:
    """Spans of reported speech inside a quoted letter or block (see REPORTED_SPEECH)."""
    return [(m.start("words"), m.end("words"))
            for m in REPORTED_SPEECH.finditer(text, outer.start, outer.end)]


def unmarked_letter(text: str) -> bool:
    """A paragraph of someone's letter whose opening mark was lost in the copy: it ends with a
    closing ” that nothing opened ("… That was wrong.”" after "in his last letter …")."""
    return (text[:1] not in "“\"" and text.count("”") > text.count("“")
            and bool(re.search(r"”\s*$", text)))  # a note number: the essayist's own prose


def _signature_citation(text: str, number: int, context: CitationContext) -> Citation | None:
    """'… irrevocably doomed.   Friedrich Engels 1': the note number after the signature."""
    note = context.notes.get(number)
    if note is None:
        return None
    start = text.rstrip().rfind(str(number))
    return Citation(CitationKind.ENDNOTE, str(number), start, start + len(str(number)),
                    work=note.work, page=note.page, note_number=number, quoted_in=note.quoted_in)


def _last_citation(citations: list[Citation], length: int) -> Citation | None:
    """A block quotation's source is the marker at its very end."""
    if citations and citations[-1].end >= length - 3:
        return citations[-1]
    return None


def _citation_after(paragraph: Paragraph, quote_end: int) -> Citation | None:
    """The first marker after the closing quote, within the same sentence."""
    sentence_end = next((b for a, b in paragraph.sentences if a <= quote_end <= b), quote_end)
    for citation in paragraph.citations:
        if citation.start >= quote_end and (citation.start <= sentence_end + 4
                                            or citation.start - quote_end <= 4):
            return citation
    return None
