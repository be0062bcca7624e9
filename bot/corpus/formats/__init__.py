"""Texts a group brings in other formats, converted to the corpus's Markdown form.

Each format has its own module behind one function, ``to_markdown(path) -> Extracted``:
``epub.py`` (ebooklib), ``html.py`` (trafilatura), ``pdf.py`` (pypdf). The result is the same
Markdown a curated essay is written in (``## `` headings, ``> `` quotations, a ``## Notes``
section of ``[1] ...`` notes cited as ``[1]`` in the text), so the parser and everything after
it is unchanged. The libraries are imported by the module that needs them, when a file of its
kind is read: a start that finds the index fresh never loads them.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from bot.corpus.errors import CorpusError

#: Formats converted on reading, and the module that reads each.
CONVERTED_SUFFIXES: dict[str, str] = {
    ".epub": "epub",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".pdf": "pdf",
}
#: An EPUB or PDF carries its images and fonts: a whole illustrated book stays well under this.
MAX_BOOK_BYTES = 100 * 1024 * 1024
#: A saved web page (its HTML, not the folder of images beside it).
MAX_PAGE_BYTES = 20 * 1024 * 1024
#: The Markdown extracted from any file: a long book is ~2 MB of text.
MAX_EXTRACTED_CHARS = 20 * 1024 * 1024


class FormatError(CorpusError):
    """A file that cannot be converted; str() is ``file: what is wrong``."""


@dataclass(frozen=True, slots=True)
class Extracted:
    """A converted text: what its metadata says, and its body in the corpus's Markdown."""

    body: str
    title: str | None = None
    author: str | None = None
    published: str | None = None  # YYYY, YYYY-MM or YYYY-MM-DD
    publication: str | None = None
    kind: str = "text"

    def document(self, slug: str | None = None) -> str:
        """Front matter and body: the text as a ``.md`` file of the corpus."""
        meta: dict[str, Any] = {"title": self.title}
        if slug:
            meta["slug"] = slug
        meta.update(author=self.author, publication=self.publication,
                    published=self.published, kind=self.kind)
        front = yaml.safe_dump({k: v for k, v in meta.items() if v is not None},
                               allow_unicode=True, sort_keys=False, width=1000)
        return f"---\n{front}---\n\n{self.body.strip()}\n"


def is_converted(path: Path) -> bool:
    return path.suffix.lower() in CONVERTED_SUFFIXES


def to_markdown(path: Path) -> Extracted:
    """Convert one EPUB, HTML or PDF file; FormatError names the file and what is wrong."""
    name = CONVERTED_SUFFIXES.get(path.suffix.lower())
    if name is None:
        raise FormatError(path, f"is not a format I can convert ({path.suffix or 'no suffix'})")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise FormatError(path, f"cannot read ({exc.strerror})") from None
    limit = MAX_PAGE_BYTES if name == "html" else MAX_BOOK_BYTES
    if size > limit:
        raise FormatError(path, f"is too large ({size // (1024 * 1024)} MB; the limit for "
                                f"this kind of file is {limit // (1024 * 1024)} MB)")
    if size == 0:
        raise FormatError(path, "is empty")
    module = importlib.import_module(f"bot.corpus.formats.{name}")
    extracted: Extracted = module.to_markdown(path)
    if len(extracted.body) > MAX_EXTRACTED_CHARS:
        raise FormatError(path, "holds more text than a book (over 20 MB once extracted)")
    if not re.search(r"\w", extracted.body):
        raise FormatError(path, "has no text I could extract")
    if not extracted.title:  # else the parser would take the first heading as the title
        extracted = replace(extracted, title=re.sub(r"[_-]+", " ", path.stem).strip())
    return extracted


def iso_date(value: str | None) -> str | None:
    """The leading YYYY, YYYY-MM or YYYY-MM-DD of a metadata date ('2021-03-18T09:00:00Z',
    '1937', 'D:19370101...'), or None when it holds no such date."""
    if not value:
        return None
    match = re.match(r"\s*(?:D:)?(\d{4})(?:-?(\d{2})(?:-?(\d{2}))?)?", str(value))
    if not match or not 1000 <= int(match[1]) <= 2999:
        return None
    year, month, day = match.groups()
    if month and not 1 <= int(month) <= 12:
        return year
    if day and not 1 <= int(day) <= 31:
        day = None
    return "-".join(part for part in (year, month, day) if part)
