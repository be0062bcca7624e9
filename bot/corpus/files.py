"""Which files of the texts folder are texts, and their content hash.

Apart from the parser (bot/corpus/load.py) because every start asks "has any text changed?"
and that question needs neither the parser nor its imports.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

#: Markdown and plain text are read as they are; EPUB, saved web pages and PDF are converted
#: as they are read (bot/corpus/formats), so a file dropped into the folder is a text too.
TEXT_SUFFIXES = (".md", ".txt", ".epub", ".html", ".htm", ".xhtml", ".pdf")


def discover_texts(texts_dir: Path) -> list[Path]:
    """Every text in the folder, sorted so ingest order (and ids) are stable. Its
    subfolders are not read: ``originals/`` keeps the files ``add`` converted."""
    if not texts_dir.is_dir():
        return []
    # By name, as Path objects of one folder compare (case-folded on Windows), without
    # Path's own comparison in Python: at 500 texts that sort was a fifth of every start's
    # "has any text changed?".
    return sorted(
        (p for p in texts_dir.iterdir()
         if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES and not p.name.startswith(".")),
        key=lambda p: os.path.normcase(p.name))


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
