"""An (X)HTML tree to the corpus's Markdown: headings, paragraphs, quotations and notes.

Shared by the EPUB reader (each chapter is an XHTML file) and the web-page reader (the
article trafilatura keeps, as HTML). The parsing is lxml's; what is here is only the mapping to
our small Markdown form, which no converter produces as such: every heading level becomes a
``## `` section (the parser knows one level), a paragraph is one line, a block quotation is
``> ``, and there is no inline formatting, since the parser would keep the marks as words.

Footnotes and endnotes are found by their links: a link whose text is a note mark (``1``,
``[2]``, ``*``) or that EPUB 3 and DPUB-ARIA mark as a note reference (``epub:type="noteref"``,
``role="doc-noteref"``), pointing forward to an element in the same text. The element it points
to is the note: it is taken out of the flow, and the mark becomes ``[N]``, numbered through the
whole text in reading order, because books restart their numbers every chapter and the
parser keys notes by number. The notes are written at the end under ``## Notes`` as
``[N] text``: the bracketed form the essays use, which the citation parser resolves.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
#: Elements whose text is a paragraph of its own.
_PARAGRAPHS = {"p", "li", "dd", "dt", "pre", "figcaption", "caption", "tr", "address"}
#: Elements whose text is never the text's own words.
_SKIPPED = {"script", "style", "head", "nav", "svg", "math", "img", "object", "video", "audio",
            "iframe", "noscript", "template", "button", "form", "input", "select", "textarea"}
_BLOCKS = _HEADINGS | _PARAGRAPHS | {"div", "section", "article", "aside", "blockquote", "body",
                                     "main", "header", "footer", "ol", "ul", "dl", "table",
                                     "tbody", "thead", "figure", "td", "th", "html"}
_MARK = re.compile(r"^[\[(]?(?:\d{1,3}|[*†‡§¶]{1,3}|[ivxlc]{1,5}|[a-z])[\])]?\.?$")
_NUMERIC_MARK = re.compile(r"^[\[(]?(?:\d{1,3}|[*†‡§¶]{1,3})[\])]?\.?$")
_NOTE_LABEL = re.compile(r"^\s*(?:[\[(]?(?:\d{1,3}|[*†‡§¶]{1,3})[\])]?\.?)(?:\s+|$)")
_BACK_LINK = re.compile(r"^(?:↩︎?|↑|\^|back|return|top)$", re.IGNORECASE)
_NOTE_KINDS = re.compile(r"\b(?:footnote|endnote|rearnote|note)s?\b", re.IGNORECASE)
_NOTES_HEADING = re.compile(r"^(?:notes?|endnotes?|footnotes?)\s*:?$", re.IGNORECASE)
_INVISIBLE = re.compile(r"[\u00ad\u200b\u200c\u200d\u2060\ufeff]")


def local(element: Any) -> str:
    """The tag without its namespace: ``{http://www.w3.org/1999/xhtml}p`` -> ``p``."""
    tag = element.tag
    if not isinstance(tag, str):  # a comment or a processing instruction
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def semantics(element: Any) -> str:
    """EPUB 3 ``epub:type``, ARIA ``role`` and ``class``, as one string to search."""
    values = [value for key, value in element.attrib.items()
              if key.rsplit("}", 1)[-1] in ("type", "role", "class")]
    return " ".join(values)


def clean(text: str) -> str:
    return re.sub(r"\s+", " ", _INVISIBLE.sub("", text)).strip()


@dataclass(slots=True)
class Document:
    """One file of a text (an EPUB chapter, a web page): its name and parsed tree."""

    name: str
    root: Any
    linear: bool = True  # an EPUB spine item read in order (not a pop-up or appendix)


@dataclass(slots=True)
class Notes:
    """The notes of a whole text, in the order their marks are first read."""

    texts: list[str] = field(default_factory=list)

    def markdown(self) -> str:
        if not self.texts:
            return ""
        lines = [f"[{number}] {text}" for number, text in enumerate(self.texts, 1)]
        return "## Notes\n\n" + "\n\n".join(lines)


def take_notes(documents: list[Document]) -> Notes:
    """Find every note reference, replace it by ``[N]`` and take its note out of the tree."""
    ids: dict[tuple[str, str], Any] = {}
    order: dict[Any, tuple[int, int]] = {}
    for doc_index, doc in enumerate(documents):
        for position, element in enumerate(doc.root.iter()):
            order[element] = (doc_index, position)
            ident = element.get("id") or element.get("name")
            if ident and (doc.name, ident) not in ids:
                ids[(doc.name, ident)] = element
    references: list[tuple[Any, Any]] = []
    for doc in documents:
        for link in doc.root.iter():
            if local(link) != "a" or not link.get("href"):
                continue
            target = _target(link, doc.name, ids)
            if target is None or order[target] <= order[link]:
                continue  # not a link within the text, or a link back from a note to its mark
            note = _note_block(target)
            if note is not None and _is_reference(link, target) and not _inside(link, note):
                references.append((link, note))
    notes = Notes()
    numbers: dict[Any, int] = {}
    taken = {id(note) for _link, note in references}
    for link, note in references:
        if any(id(ancestor) in taken for ancestor in link.iterancestors()):
            continue  # a mark inside another note: the note itself is taken whole
        if note not in numbers:
            numbers[note] = len(notes.texts) + 1
            notes.texts.append(_note_text(note))
        _replace(_mark_element(link), f"[{numbers[note]}]")
    for note in numbers:
        _replace(note, " ")
    return notes


def _target(link: Any, doc_name: str, ids: dict[tuple[str, str], Any]) -> Any:
    href = link.get("href", "")
    if "#" not in href or href.startswith(("http:", "https:", "mailto:")):
        return None
    path, fragment = href.split("#", 1)
    name = _resolve(doc_name, path) if path else doc_name
    return ids.get((name, fragment))


def _resolve(base: str, relative: str) -> str:
    """``text/ch1.xhtml`` + ``notes.xhtml`` -> ``text/notes.xhtml``; ``../x.xhtml`` too."""
    parts = base.split("/")[:-1]
    for part in relative.split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part and part != ".":
            parts.append(part)
    return "/".join(parts)


def _is_reference(link: Any, target: Any) -> bool:
    marked = semantics(link) + " " + " ".join(semantics(a) for a in link.iterancestors()
                                              if local(a) == "sup")
    if "noteref" in marked:
        return True
    text = clean("".join(link.itertext()))
    if _NUMERIC_MARK.match(text):
        return True
    in_sup = local(link.getparent()) == "sup" or any(local(c) == "sup" for c in link)
    return bool(_MARK.match(text)) and (in_sup or bool(_NOTE_KINDS.search(semantics(target))))


def _note_block(target: Any) -> Any:
    """The element holding the whole note: the target, or the block around an anchor."""
    block = target
    while local(block) not in _BLOCKS or local(block) in ("td", "th", "tr"):
        parent = block.getparent()
        if parent is None:
            return None
        block = parent
    if local(block) in _HEADINGS or local(block) in ("body", "html", "main", "article"):
        return None
    if any(local(e) in _HEADINGS for e in block.iter()):
        return None  # a section, not a note
    if len(clean("".join(block.itertext()))) > 4000:
        return None
    return block


def _inside(element: Any, block: Any) -> bool:
    return any(ancestor is block for ancestor in element.iterancestors())


def _note_text(note: Any) -> str:
    """The note's words without its printed number or its link back to the text."""
    text = clean("".join(_texts(note, skip_links=True)))
    return _NOTE_LABEL.sub("", text, count=1).strip() or text


def _texts(element: Any, skip_links: bool) -> Iterator[str]:
    """The text of an element and its descendants, dropping note marks and back links."""
    name = local(element)
    if name in _SKIPPED:
        if element.tail:
            yield element.tail
        return
    skip = False
    if skip_links and name == "a":
        text = clean("".join(element.itertext()))
        skip = bool(_BACK_LINK.match(text) or _MARK.match(text))
    if not skip:
        if element.text:
            yield element.text
        for child in element:
            yield from _texts(child, skip_links)
    if element.tail:
        yield element.tail


def _mark_element(link: Any) -> Any:
    """The link, or the ``<sup>`` around it when the link is all the superscript holds."""
    parent = link.getparent()
    if parent is not None and local(parent) == "sup" and len(parent) == 1 \
            and not (parent.text or "").strip() and not (link.tail or "").strip():
        return parent
    return link


def _replace(element: Any, text: str) -> None:
    """Put ``text`` where the element stood, keeping the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    following = text + (element.tail or "")
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + following
    else:
        parent.text = (parent.text or "") + following
    parent.remove(element)


# --- the tree as Markdown -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Block:
    kind: str  # "heading", "paragraph" or "quote"
    text: str


def blocks(root: Any) -> list[Block]:
    """Headings, paragraphs and block quotations of a tree, in reading order."""
    found: list[Block] = []
    _walk(root, found, quoted=False)
    return found


def _walk(element: Any, found: list[Block], quoted: bool) -> None:
    name = local(element)
    if name in _SKIPPED or "pagebreak" in semantics(element):
        return
    if name in _HEADINGS:
        text = clean("".join(_texts_of(element)))
        if text:
            found.append(Block("heading", text))
        return
    if name in _PARAGRAPHS or (name not in _BLOCKS and name):
        text = clean("".join(_texts_of(element)))
        if text:
            found.append(Block("quote" if quoted else "paragraph", text))
        return
    quoted = quoted or name == "blockquote"
    loose = [element.text or ""]  # text straight inside a div, between its blocks
    for child in element:
        if local(child) in _BLOCKS or local(child) in _SKIPPED:
            _flush(loose, found, quoted)
            _walk(child, found, quoted)
            loose = [child.tail or ""]
        else:
            loose.extend(_texts_of(child, with_tail=True))
    _flush(loose, found, quoted)


def _flush(loose: list[str], found: list[Block], quoted: bool) -> None:
    text = clean("".join(loose))
    if text:
        found.append(Block("quote" if quoted else "paragraph", text))


def _texts_of(element: Any, with_tail: bool = False) -> Iterator[str]:
    """Inline text; a line break is a space (verse and addresses keep their words)."""
    yield from _inline(element)
    if with_tail and element.tail:
        yield element.tail


def _inline(element: Any) -> Iterator[str]:
    name = local(element)
    if name in _SKIPPED or "pagebreak" in semantics(element):
        return
    if name == "br":
        yield " "
        return
    if element.text:
        yield element.text
    for child in element:
        yield from _inline(child)
        if child.tail:
            yield child.tail
    if name in _PARAGRAPHS or name in _HEADINGS or name in ("td", "th", "div"):
        yield " "


def to_markdown(items: Iterable[Block]) -> str:
    """Blocks as the corpus's Markdown. Headings with nothing under them are joined to the
    next ("Part One — Chapter 1"); a "Notes" heading is dropped, since the notes it headed were
    taken out and are written at the end."""
    lines: list[str] = []
    pending: list[str] = []
    for block in items:
        if block.kind == "heading":
            if not _NOTES_HEADING.match(block.text):
                pending.append(block.text)
            continue
        if pending:
            lines.append("## " + " — ".join(pending))
            pending = []
        text = block.text.lstrip("#>").strip() or block.text  # no accidental heading marks
        lines.append(f"> {text}" if block.kind == "quote" else text)
    return "\n\n".join(lines)


def parse_xhtml(data: bytes) -> Any:
    """An XHTML file, forgiving the small errors real books have; no entity or network
    access, so a crafted file cannot read the disk."""
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True,
                             remove_comments=True, remove_pis=True)
    root = etree.fromstring(data, parser)
    if root is None:
        raise ValueError("not XHTML")
    return root
