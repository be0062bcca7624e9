"""A PDF with a text layer, through pypdf: lines rebuilt into paragraphs and headings.

pypdf gives each run of text with its position and font size (``visitor_text``); from those:
a line is the runs at one height (a raised, smaller run is a note mark and joins it); a
line in a larger font than the body, and short, is a heading; a wider gap than the
line spacing, or a short line ending a sentence, ends a paragraph; a word hyphenated at a
line's end is joined. Page numbers and running heads (a line repeated on most pages) are
dropped. Footnotes at a page's foot (smaller lines starting with a number) become the notes,
numbered through the whole text, and the marks on that page are numbered to match; a
``Notes`` section at the end is read by the parser as in the essays.
Kept from the metadata: the title and author of the document information; the date only
from its XMP ``dc:date``, since the information dictionary's dates are the file's, not the
text's (a 1937 book scanned in 2010 is not from 2010).
"""

from __future__ import annotations

import collections
import logging
import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.corpus.formats import Extracted, FormatError, iso_date
from bot.corpus.formats.markup import clean

_PAGE_NUMBER = re.compile(r"^(?:page\s+)?(?:\d{1,4}|[ivxlc]{1,6})$", re.IGNORECASE)
_FOOTNOTE_START = re.compile(r"^(\d{1,3})\.?\s+(\S.*)$")
_NOTES_HEADING = re.compile(r"^(?:notes?|endnotes?|footnotes?)\s*:?$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?:”’\"')\]]\d{0,3}$")


@dataclass(slots=True)
class Line:
    y: float
    size: float
    parts: list[str] = field(default_factory=list)
    #: the note marks raised above this line, as (index in parts, number)
    marks: list[tuple[int, str]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return clean("".join(self.parts))


def to_markdown(path: Path) -> Extracted:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # warnings on odd files: we say ours
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise FormatError(path, "is an encrypted PDF: save a copy without a password")
        pages = [_lines(page) for page in reader.pages]
    except FormatError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, AttributeError) as exc:
        raise FormatError(path, f"is not a readable PDF ({type(exc).__name__}: "
                                f"{str(exc)[:200]})") from None
    if not any(line.text for page in pages for line in page):
        raise FormatError(path, "has no text layer: it looks like a scanned or image-only PDF "
                                "(run it through OCR first, e.g. ocrmypdf)")
    body = _markdown(pages)
    info = reader.metadata
    return Extracted(
        body=body,
        title=clean(info.title) if info and info.title else None,
        author=clean(info.author) if info and info.author else None,
        published=_xmp_date(reader),
        kind="text",
    )


def _xmp_date(reader: Any) -> str | None:
    try:
        xmp = reader.xmp_metadata
        dates = xmp.dc_date if xmp is not None else None
    except Exception:  # a malformed XMP packet costs the date, not the text
        return None
    return iso_date(str(dates[0])) if dates else None


def _lines(page: Any) -> list[Line]:
    """The page's text lines, top to bottom, with their font size."""
    lines: list[Line] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: Any, size: float) -> None:
        if not text.strip():
            return
        y = tm[5] * cm[3] + tm[4] * cm[1] + cm[5]
        scale = abs(tm[3] * cm[3]) or 1.0
        height = size * scale
        for line in reversed(lines[-3:]):
            if abs(line.y - y) < 0.6 * max(line.size, height):
                if height < 0.85 * line.size and y > line.y + 0.1 * line.size \
                        and re.fullmatch(r"\s*\d{1,3}\s*", text):
                    line.marks.append((len(line.parts), text.strip()))
                line.parts.append(text)
                line.size = max(line.size, height) if len(text.strip()) > 3 else line.size
                return
        lines.append(Line(y, height, [text]))

    page.extract_text(visitor_text=visit)
    return sorted((line for line in lines if line.text), key=lambda line: -line.y)


def _markdown(pages: list[list[Line]]) -> str:
    sizes: collections.Counter[float] = collections.Counter()
    for page in pages:
        for line in page:
            sizes[round(line.size, 1)] += len(line.text)
    body_size = sizes.most_common(1)[0][0]
    repeated = _running_heads(pages)
    lengths = [len(line.text) for page in pages for line in page
               if abs(line.size - body_size) < 0.5]
    full = statistics.median(lengths) if lengths else 60
    paragraphs: list[str] = []  # "## " headings and paragraphs, in order
    notes: list[str] = []
    current: list[str] = []
    in_notes = False

    def end_paragraph() -> None:
        if current:
            paragraphs.append(_join(current))
            current.clear()

    for page in pages:
        text_lines = [line for line in page
                      if not _PAGE_NUMBER.match(line.text) and line.text not in repeated]
        body_lines, foot = _split_footnotes(text_lines, body_size)
        renumber = _number_footnotes(foot, notes)
        previous: Line | None = None
        for line in body_lines:
            text = _with_marks(line, renumber)
            if line.size > 1.15 * body_size and len(text.split()) <= 14:
                end_paragraph()
                in_notes = bool(_NOTES_HEADING.match(text))
                paragraphs.append(f"## {text}")
                previous = None
                continue
            gap = previous.y - line.y if previous else 0.0
            ended = previous is not None and (gap > 1.6 * body_size or (
                len(previous.text) < 0.8 * full and bool(_SENTENCE_END.search(previous.text))))
            if ended or (in_notes and _FOOTNOTE_START.match(text)):  # a note starts a paragraph
                end_paragraph()
            current.append(text)
            previous = line
        # a paragraph carries on over the page break unless the page ended a sentence
        if current and _SENTENCE_END.search(current[-1]) and len(current[-1]) < 0.8 * full:
            end_paragraph()
    end_paragraph()
    text = "\n\n".join(paragraphs)
    if notes:
        text += "\n\n## Notes\n\n" + "\n\n".join(f"[{n}] {note}"
                                                 for n, note in enumerate(notes, 1))
    return text


def _running_heads(pages: list[list[Line]]) -> set[str]:
    """Lines printed on most pages (a book's title, a chapter's running head)."""
    if len(pages) < 3:
        return set()
    seen: collections.Counter[str] = collections.Counter()
    for page in pages:
        seen.update({line.text for line in page if len(line.text) < 80})
    return {text for text, count in seen.items() if count >= 0.6 * len(pages)}


def _split_footnotes(lines: list[Line], body_size: float) -> tuple[list[Line], list[Line]]:
    """The page's body and its footnotes: the smaller lines at its foot, from the first one
    that starts with a number."""
    start = len(lines)
    for index in range(len(lines) - 1, -1, -1):
        if lines[index].size >= 0.92 * body_size:
            break
        if _FOOTNOTE_START.match(lines[index].text):
            start = index
    return lines[:start], lines[start:]


def _number_footnotes(foot: list[Line], notes: list[str]) -> dict[str, int]:
    """Add the page's footnotes to the text's notes; the page's mark -> the note's number."""
    renumber: dict[str, int] = {}
    for line in foot:
        match = _FOOTNOTE_START.match(line.text)
        if match and match.group(1) not in renumber:
            notes.append(match.group(2))
            renumber[match.group(1)] = len(notes)
        elif notes:
            notes[-1] = _join([notes[-1], line.text])
    return renumber


def _with_marks(line: Line, renumber: dict[str, int]) -> str:
    """The line's text, its raised marks as ``[N]`` where the page has that footnote."""
    if not line.marks or not renumber:
        return line.text
    parts = list(line.parts)
    for index, mark in line.marks:
        if mark in renumber:
            parts[index] = f"[{renumber[mark]}]"
    return clean("".join(parts))


def _join(lines: list[str]) -> str:
    """Hard-wrapped lines as one paragraph, a word hyphenated at a line's end joined."""
    text = lines[0]
    for line in lines[1:]:
        if re.search(r"[a-z]-$", text) and line[:1].islower():
            text = text[:-1] + line
        else:
            text = f"{text} {line}"
    return text
