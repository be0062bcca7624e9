"""Is the index fresh? The decision, apart from how its rows are read.

``ingest.index_status`` (SQLAlchemy) and the SQLite read path of ``ask`` (``sqlite_reads``,
the standard library's sqlite3) read the same few rows, then decide here, the same way: so
the question every start asks needs neither SQLAlchemy nor the parser, and both paths can
never disagree on when to ingest.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

import bot.corpus
from bot.corpus.files import content_hash, discover_texts

IndexStatus = Literal["missing", "stale", "fresh"]

# Bump when the mapping from ParsedText to rows changes, so existing indexes are rebuilt.
INGEST_FORMAT = "2"  # 2: the sentence table
FINGERPRINT_KEY = "parser_fingerprint"


class StoredFile(Protocol):
    """A text's file as the index has it: enough to tell whether it changed."""

    @property
    def content_hash(self) -> str: ...
    @property
    def size(self) -> int: ...
    @property
    def mtime_ns(self) -> int: ...


@dataclass(frozen=True, slots=True)
class StoredFileRow:
    """A ``StoredFile`` read on its own (the SQLite read path keeps nothing else of it)."""

    content_hash: str
    size: int
    mtime_ns: int


@dataclass(frozen=True, slots=True)
class FileInfo:
    """What change detection stores about a text file."""

    path: str  # relative to the texts folder, with forward slashes
    size: int
    mtime_ns: int


@functools.cache
def parser_fingerprint() -> str:
    """A hash of the parser's code and of the row format."""
    digest = hashlib.sha256(INGEST_FORMAT.encode())
    root = Path(bot.corpus.__file__).parent
    for module in sorted(root.rglob("*.py")):  # bot/corpus/formats too: a better extractor
        digest.update(module.relative_to(root).as_posix().encode())  # re-reads dropped files
        digest.update(module.read_bytes())
    return digest.hexdigest()[:16]


def people_file(texts_dir: Path) -> Path:
    """corpus/people.yaml beside corpus/texts: the registry quotations are attributed with."""
    return texts_dir.parent / "people.yaml"


def index_fingerprint(texts_dir: Path, parser: str) -> str:
    """The parser's fingerprint plus the registry's: editing people.yaml re-attributes."""
    registry = people_file(texts_dir)
    people_hash = hashlib.sha256(registry.read_bytes()).hexdigest()[:8] \
        if registry.exists() else "none"
    return f"{parser}:{people_hash}"


def file_info(path: Path, texts_dir: Path) -> FileInfo | None:
    """Size and mtime of a text; None if it vanished since the folder was listed."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return FileInfo(path.relative_to(texts_dir).as_posix(), stat.st_size, stat.st_mtime_ns)


def same_content(path: Path, info: FileInfo, stored: StoredFile) -> bool:
    """Unchanged if size and mtime match; otherwise compare the bytes' hash (a touch is not
    a change)."""
    if (info.size, info.mtime_ns) == (stored.size, stored.mtime_ns):
        return True
    try:
        return content_hash(path.read_bytes()) == stored.content_hash
    except OSError:
        return False  # unreadable: let the parser report it with the file name


def status_of(stored: Mapping[str, StoredFile], fingerprint: str | None, problems: list[str],
              texts_dir: Path, parser: Callable[[], str] = parser_fingerprint) -> IndexStatus:
    """'missing', 'stale' or 'fresh', for a store at the schema's head whose sources (by
    path), stored fingerprint and recorded ingest problems are these. It stats the files and
    hashes just those whose size or mtime moved."""
    paths = discover_texts(texts_dir)
    if not stored:
        return "missing" if paths else "fresh"
    if problems:  # a text was skipped: try it again (it may have been fixed or removed)
        return "stale"
    if fingerprint != index_fingerprint(texts_dir, parser()):
        return "stale"
    infos = {info.path: (path, info) for path in paths if (info := file_info(path, texts_dir))}
    if infos.keys() != stored.keys():
        return "stale"
    unchanged = all(same_content(path, info, stored[key]) for key, (path, info) in infos.items())
    return "fresh" if unchanged else "stale"
