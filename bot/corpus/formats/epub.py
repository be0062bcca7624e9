"""EPUB 2 and 3 through ebooklib: the spine in reading order, chapters as sections.

Kept: the title, authors, date and publisher of the package's Dublin Core metadata; every
chapter of the spine in order, its headings as sections (a chapter without a heading gets
its title from the table of contents, EPUB 3 nav or EPUB 2 NCX); footnotes and endnotes, in the
chapter or in a notes file, as numbered notes. Dropped: the navigation document, images,
styles, page-break markers, and whatever of a non-linear spine item is not a note.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

from bot.corpus.formats import Extracted, FormatError, iso_date
from bot.corpus.formats.markup import (
    Block,
    Document,
    blocks,
    clean,
    parse_xhtml,
    take_notes,
)
from bot.corpus.formats.markup import (
    to_markdown as blocks_to_markdown,
)

#: The files of an EPUB, unpacked: more than this is a zip bomb, not a book.
MAX_UNPACKED_BYTES = 500 * 1024 * 1024


def to_markdown(path: Path) -> Extracted:
    _check_container(path)
    import ebooklib
    from ebooklib import epub

    try:
        book = epub.read_epub(str(path), options={"ignore_ncx": False})
    except Exception as exc:  # ebooklib raises KeyError, EpubException, lxml errors...
        raise FormatError(path, f"is not a readable EPUB ({_reason(exc)})") from None
    toc_titles = _toc_titles(book.toc)
    documents: list[Document] = []
    for idref, linear in book.spine:
        item = book.get_item_with_id(idref)
        if item is None or item.get_type() != ebooklib.ITEM_DOCUMENT \
                or isinstance(item, epub.EpubNav):
            continue
        try:
            root = parse_xhtml(item.get_content())
        except (ValueError, SyntaxError):
            continue  # one unreadable chapter file is skipped, and said below if all are
        documents.append(Document(item.get_name(), root, linear=linear != "no"))
    if not documents:
        raise FormatError(path, "is an EPUB with no readable chapters in its spine")
    notes = take_notes(documents)
    body: list[Block] = []
    for doc in documents:
        if not doc.linear:
            continue
        found = blocks(_body(doc.root))
        title = toc_titles.get(doc.name)
        if found and found[0].kind != "heading" and title:
            found.insert(0, Block("heading", title))
        body.extend(found)
    text = blocks_to_markdown(body)
    if notes.texts:
        text = f"{text}\n\n{notes.markdown()}"
    authors = [clean(value) for value, _attrs in book.get_metadata("DC", "creator") if value]
    return Extracted(
        body=text,
        title=_first(book, "title"),
        author=" and ".join(a for a in authors if a) or None,
        published=iso_date(_first(book, "date")),
        publication=_first(book, "publisher"),
        kind="book",
    )


def _check_container(path: Path) -> None:
    """An EPUB is a zip with a container file; say which part is missing, before ebooklib
    gives a KeyError."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
            encryption = (archive.read("META-INF/encryption.xml")
                          if "META-INF/encryption.xml" in names else b"")
    except (zipfile.BadZipFile, OSError, ValueError, KeyError) as exc:
        raise FormatError(path, f"is not a readable EPUB (not a zip archive: {exc})") from None
    if "META-INF/container.xml" not in names:
        raise FormatError(path, "is not a readable EPUB (it has no META-INF/container.xml)")
    if re.search(rb'URI="[^"]+\.x?html?"', encryption):  # fonts may be obfuscated; text not
        raise FormatError(path, "is DRM-protected: its chapters are encrypted, so I cannot "
                                "read them (export a copy without DRM from your reader)")
    if unpacked > MAX_UNPACKED_BYTES:
        raise FormatError(path, f"unpacks to {unpacked // (1024 * 1024)} MB: too large for "
                                f"a book (the limit is {MAX_UNPACKED_BYTES // (1024 * 1024)} MB)")


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _first(book: Any, name: str) -> str | None:
    for value, _attrs in book.get_metadata("DC", name):
        if value and clean(value):
            return clean(value)
    return None


def _toc_titles(toc: Any) -> dict[str, str]:
    """The table of contents as file name -> the first title pointing at that file."""
    from ebooklib import epub

    titles: dict[str, str] = {}
    stack = list(toc) if isinstance(toc, (list, tuple)) else [toc]
    while stack:
        entry = stack.pop(0)
        if isinstance(entry, tuple) and len(entry) == 2:
            stack[:0] = [entry[0], *entry[1]]
            continue
        if isinstance(entry, (epub.Link, epub.Section)) and entry.href and entry.title:
            titles.setdefault(entry.href.split("#", 1)[0], clean(entry.title))
    return titles


def _body(root: Any) -> Any:
    from bot.corpus.formats.markup import local

    for element in root.iter():
        if local(element) == "body":
            return element
    return root
