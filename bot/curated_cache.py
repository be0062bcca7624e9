"""The curated YAML files as they last read, kept beside a SQLite index by content hash.

Reading corpus/people.yaml, events.yaml, lexicon.yaml, prompts.yaml and compare.yaml (270 KB)
with PyYAML cost every start about 90 ms, more than any other step of ``ask "/who Lenin"``
after the imports: the C parser composes the nodes, but constructing and indexing them is
Python. What they read to changes only when a file's bytes or the code reading it changes,
so each file's result is kept in one pickle beside the index, keyed by the sha256 of the
file's bytes and of the code that reads it (``bot/corpus`` and ``bot/yamlfile.py``). A start
whose files are unchanged unpickles them (a few ms); a changed file is read as before, so a
malformed one is reported exactly as it was, and is never kept. Each file's value is pickled
on its own inside the cache, and unpickled only when asked for: ``ask "/who Lenin"`` on the
SQLite read path (``bot/cli/quick.py``) reads the people and none of the other four, nor
imports the modules their objects belong to.

Trust: the pickle lives in the data folder beside the SQLite file, written by this bot; whoever
can write there can already rewrite the index and the server state. Any failure to read or
write it (a read-only folder, a truncated file, an older format) only means reading the YAML.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
from functools import cache
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

CACHE_SUFFIX = ".curated.pickle"
_FORMAT = 2  # bump if the pickle's layout changes (2: each value pickled on its own)


def cache_path_for(index_url: str) -> Path | None:
    """The cache file beside a SQLite index file; None for a server database or an
    in-memory index (nowhere to put a file)."""
    from bot.store.state import sqlite_file_of  # SQLAlchemy's URL parser

    path = sqlite_file_of(index_url)
    return cache_path_beside(path) if path is not None else None


def cache_path_beside(index_file: Path) -> Path:
    """The cache file of the SQLite index file ``index_file``."""
    return index_file.with_name(index_file.stem + CACHE_SUFFIX)


def curated_files(corpus_dir: Path, prompts_file: str) -> dict[str, Path]:
    """Every curated file a start reads, by the name it is kept under: people.yaml (beside
    the texts), events.yaml, lexicon.yaml, the prompts file and compare.yaml."""
    paths = [corpus_dir / "people.yaml", corpus_dir / "events.yaml",
             corpus_dir / "lexicon.yaml", corpus_dir / prompts_file,
             corpus_dir / "compare.yaml"]
    return {(path.relative_to(corpus_dir).as_posix() if path.is_relative_to(corpus_dir)
             else path.name): path for path in paths}


@cache
def _code_fingerprint() -> str:
    """The code that turns a curated file into objects: the parser's and the YAML reader's."""
    import bot.yamlfile
    from bot.store.freshness import parser_fingerprint

    digest = hashlib.sha256(parser_fingerprint().encode())
    digest.update(Path(bot.yamlfile.__file__).read_bytes())
    return digest.hexdigest()


class CuratedCache:
    """What each curated file read to, by name; ``save`` writes the changes back."""

    def __init__(self, path: Path | None) -> None:
        self._path = path
        self._entries: dict[str, tuple[str, bytes]] = {}  # name: (key, pickled value)
        self._values: dict[str, Any] = {}  # the values unpickled or put so far
        self._changed = False
        if path is None:
            return
        try:
            with path.open("rb") as file:
                stored = pickle.load(file)
            if isinstance(stored, dict) and stored.get("format") == _FORMAT:
                self._entries = stored["entries"]
        except FileNotFoundError:
            pass
        except Exception as exc:  # unreadable, truncated, from other code: read the YAML
            log.debug("ignoring the curated cache %s: %s", path, exc)

    def key(self, data: bytes) -> str:
        return hashlib.sha256(_code_fingerprint().encode() + data).hexdigest()

    def holds(self, name: str, data: bytes) -> bool:
        """Whether ``name`` is kept for these bytes (nothing is unpickled)."""
        entry = self._entries.get(name)
        return self._path is not None and entry is not None and entry[0] == self.key(data)

    def get(self, name: str, data: bytes) -> Any | None:
        """What ``name`` read to when its bytes were ``data``; None when not kept."""
        if self._path is None:
            return None
        entry = self._entries.get(name)
        if entry is None or entry[0] != self.key(data):
            return None
        if name not in self._values:
            try:
                self._values[name] = pickle.loads(entry[1])
            except Exception as exc:  # from other code: read the YAML
                log.debug("ignoring the curated cache's %s: %s", name, exc)
                return None
        return self._values[name]

    def put(self, name: str, data: bytes, value: Any) -> None:
        if self._path is not None:
            self._entries[name] = (self.key(data),
                                   pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
            self._values[name] = value
            self._changed = True

    def save(self) -> None:
        """Write the cache if anything changed: to a temporary file, then renamed over, so
        a reader never sees half of it. Best effort."""
        if self._path is None or not self._changed:
            return
        import tempfile  # only to write: a start whose files are unchanged needs none of it

        temporary: Path | None = None
        try:
            with tempfile.NamedTemporaryFile("wb", dir=self._path.parent, delete=False,
                                             prefix=self._path.name, suffix=".tmp") as file:
                temporary = Path(file.name)
                pickle.dump({"format": _FORMAT, "entries": self._entries}, file,
                            protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self._path)
            self._changed = False
        except Exception as exc:  # a read-only data folder: the YAML is read next time too
            log.debug("could not write the curated cache %s: %s", self._path, exc)
            if temporary is not None:
                temporary.unlink(missing_ok=True)
