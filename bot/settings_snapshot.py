"""What a config file validated to, kept by the file's hash, for the SQLite read path.

``load_settings`` (bot/config.py) reads config.yaml with PyYAML and validates it with pydantic:
about 100 ms of imports and model building, three times the whole floor of ``ask "/who
Lenin"`` (a process that opens SQLite and runs one query). The one-shot ``ask`` of a command
that needs no search (bot/cli/quick.py) needs five of its values, and those change only when
the file's bytes do. So every full start writes them here, keyed by the sha256 of the file's
bytes, and the read path takes them only when the file it is given hashes the same: any edit
is validated again by the full path, a bad file reported exactly as before.

The snapshot lives in the user's cache folder (``$XDG_CACHE_HOME/readbot``, else
``~/.cache/readbot``), one small JSON file per config file; failing to read or write it only
means the full path runs. It holds no secret: secrets are never in config.yaml.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

_FORMAT = 1  # bump when the fields change

DEFAULT_CONFIG = Path("config.yaml")
DATABASE_URL_ENV = "READBOT_DATABASE_URL"
TOKEN_ENV = "DISCORD_TOKEN"
#: The SQLite index in data_dir when no database_url is set.
INDEX_FILE = "readbot.sqlite3"


@dataclass(frozen=True, slots=True)
class SettingsSnapshot:
    """The values of a validated config that the read path uses."""

    corpus_dir: str  # absolute, as load_settings resolves it
    data_dir: str
    database_url: str | None  # the file's own (the environment is checked at each start)
    logging_level: str
    max_results: int
    prompts_file: str  # relative to corpus_dir


def _cache_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "readbot"


def snapshot_file(config: Path) -> Path:
    """Where the snapshot of the config file ``config`` lives (one per absolute path)."""
    name = hashlib.sha256(str(config.resolve()).encode()).hexdigest()[:24]
    return _cache_folder() / f"settings-{name}.json"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def remember(config: Path, data: bytes, snapshot: SettingsSnapshot) -> None:
    """Keep ``snapshot`` as what ``config``'s bytes ``data`` validated to. Best effort."""
    target = snapshot_file(config)
    record = {"format": _FORMAT, "sha256": _digest(data), "settings": asdict(snapshot)}
    try:
        if target.exists() and json.loads(target.read_text(encoding="utf-8")) == record:
            return  # the usual start: nothing changed, nothing written
    except (OSError, ValueError):
        pass
    import tempfile  # only to write: a start that reads the snapshot needs none of it

    temporary: Path | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=target.parent, delete=False,
                                         prefix=target.name, suffix=".tmp",
                                         encoding="utf-8") as file:
            temporary = Path(file.name)
            json.dump(record, file)
        os.replace(temporary, target)
    except OSError:
        if temporary is not None:
            temporary.unlink(missing_ok=True)


def recall(config: Path) -> SettingsSnapshot | None:
    """What ``config`` validated to, if its bytes are those last validated; else None."""
    try:
        data = config.read_bytes()
        record = json.loads(snapshot_file(config).read_text(encoding="utf-8"))
        if record.get("format") != _FORMAT or record.get("sha256") != _digest(data):
            return None
        return SettingsSnapshot(**record["settings"])
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
