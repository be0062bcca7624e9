"""Split a text body into blocks: headings, paragraphs, block quotations, notes, references.

Curated texts mark headings with '## ' and block quotations with '> '. A plain text dropped
in by a group has no marks, so short title-like lines are taken as headings and a line per
paragraph is accepted as well as blank-line-separated paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.corpus.model import BlockKind

_NOTE_START = re.compile(r"^(?:\[(\d{1,3})\]|(\d{1,3})\s*\.)\s+\S")
_REFERENCE_HEADINGS = re.compile(
    r"^(references|bibliography|works cited|sources|further reading)\s*:?\s*$", re.IGNORECASE
)
_NOTES_HEADINGS = re.compile(r"^(notes|endnotes|footnotes)\s*:?\s*$", re.IGNORECASE)
_LONG_LINE = 200  # a line this long is a paragraph of its own, not a hard-wrapped line


@dataclass(slots=True)
class Block:
    kind: BlockKind | None  # None: a heading
    text: str
    line: int


def _raw_chunks(body: str, first_line: int) -> list[tuple[list[str], int]]:
    """Blank-line separated chunks, each with the line number it starts on."""
    chunks: list[tuple[list[str], int]] = []
    current: list[str] = []
    start = first_line
    for offset, line in enumerate(body.split("\n")):
        if line.strip():
            if not current:
                start = first_line + offset
            current.append(line)
        elif current:
            chunks.append((current, start))
            current = []
    if current:
        chunks.append((current, start))
    return chunks


def looks_like_heading(line: str) -> bool:
    """'War Communism: 1917-21', 'Political History I', '1923-1927 — The Left Opposition'."""
    text = line.strip()
    if not text or len(text) > 80 or len(text.split()) > 10:
        return False
    if text[-1] in ".,;!?”\"’'…" or _NOTE_START.match(text):
        return False
    if text.endswith(":") and not _REFERENCE_HEADINGS.match(text):
        return False
    return text[0].isupper() or text[0].isdigit()


def note_number(text: str) -> int | None:
    match = _NOTE_START.match(text.strip())
    if not match:
        return None
    return int(match.group(1) or match.group(2))


def split_blocks(body: str, first_line: int = 1) -> list[Block]:
    chunks = _raw_chunks(body, first_line)
    marked = any(lines[0].startswith("#") for lines, _ in chunks)
    blocks: list[Block] = []
    for lines, start in chunks:
        if all(line.startswith(">") for line in lines):
            quote = "\n".join(re.sub(r"^>\s?", "", line) for line in lines)
            blocks.append(Block(BlockKind.BLOCK_QUOTE, quote.strip(), start))
        elif lines[0].startswith("#") and len(lines) == 1:
            blocks.append(Block(None, lines[0].lstrip("#").strip(), start))
        elif any(len(line) > _LONG_LINE for line in lines) or len(lines) == 1:
            for offset, line in enumerate(lines):
                kind = None if not marked and looks_like_heading(line) else BlockKind.BODY
                blocks.append(Block(kind, line.strip(), start + offset))
        else:  # a hard-wrapped paragraph
            blocks.append(Block(BlockKind.BODY, " ".join(line.strip() for line in lines), start))
    return _mark_back_matter(blocks)


def _mark_back_matter(blocks: list[Block]) -> list[Block]:
    """Mark the endnotes at the end and the reference list under its heading."""
    in_references = False
    for block in blocks:
        if block.kind is None:
            in_references = bool(_REFERENCE_HEADINGS.match(block.text))
        elif in_references:
            block.kind = BlockKind.REFERENCE
    start = _notes_start(blocks)
    if start is not None:
        for block in blocks[start:]:
            if block.kind is not None:
                block.kind = BlockKind.NOTE
    return blocks


def _notes_start(blocks: list[Block]) -> int | None:
    """Where the endnotes begin: note 1, after which most blocks are numbered notes."""
    for index, block in enumerate(blocks):
        if block.kind is None and _NOTES_HEADINGS.match(block.text):
            return index + 1
        if note_number(block.text) == 1 and block.kind is not BlockKind.BLOCK_QUOTE:
            rest = [b for b in blocks[index:] if b.kind is not None]
            numbered = sum(1 for b in rest if note_number(b.text) is not None)
            if numbered >= 0.6 * len(rest):
                return index
    return None
