"""Where a store keeps things, with no SQLAlchemy: the schema's head, the files beside a
SQLite index, the ``store_meta`` keys of the index's health.

Both the SQLAlchemy store and the standard-library read path (``sqlite_reads.py``) read
these, so the two can never look in different places or disagree on what "at head" means.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
#: Server state's own history and version table (see bot/store/state.py).
STATE_MIGRATIONS_DIR = Path(__file__).resolve().parent / "state_migrations"
STATE_VERSION_TABLE = "state_alembic_version"
INDEX_VERSION_TABLE = "alembic_version"
#: Migration files are named after their revision id: ``0008_postgres_search.py``.
_REVISION_FILE = re.compile(r"\d{4}_\w+\.py")

#: Beside a SQLite index ``readbot.sqlite3``: ``readbot-state.sqlite3`` (bot/store/state.py).
STATE_SUFFIX = "-state"
#: Index tables of a store from before the split, moved into the state database once.
LEGACY_PREFIX = "legacy_"

#: ``store_meta`` keys (bot/store/index_health.py).
INGEST_PROBLEMS = "ingest_problems"
START_PROBLEMS = "start_problems"
CURATED_PREFIX = "curated:"
CURATED_SHA_PREFIX = "curated-sha:"


@functools.cache
def head_revision(migrations: Path = MIGRATIONS_DIR) -> str | None:
    """The newest revision shipped with this code: the highest-numbered migration file."""
    names = sorted(path.stem for path in (migrations / "versions").iterdir()
                   if _REVISION_FILE.fullmatch(path.name))
    return names[-1] if names else None


def state_file_for(index_file: Path) -> Path:
    """The server-state database beside a SQLite index file."""
    return index_file.with_name(f"{index_file.stem}{STATE_SUFFIX}{index_file.suffix or '.sqlite3'}")


def problems_from(value: str | None) -> list[str]:
    """A ``store_meta`` list of problems as stored (JSON; an older plain string is one)."""
    if not value:
        return []
    try:
        problems = json.loads(value)
    except ValueError:
        return [value]
    return [str(p) for p in problems] if isinstance(problems, list) else [str(problems)]
