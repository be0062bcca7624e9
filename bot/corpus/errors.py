"""The one error the corpus layer raises for a file it cannot use.

It lives in a module of its own, importing nothing of bot/corpus, so that every loader can
raise it without importing load.py (which imports the parsers, which would import it back).
"""

from __future__ import annotations

from pathlib import Path


class CorpusError(Exception):
    """A corpus file cannot be read; str() says which file and line, and what is wrong."""

    def __init__(self, path: Path | str, message: str, line: int | None = None) -> None:
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {message}")
        self.path = str(path)
        self.line = line
