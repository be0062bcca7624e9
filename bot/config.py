"""Typed, validated settings read from ``config.yaml`` plus the environment.

A bad file fails fast with the file, the key and what was expected, so a host never starts a
bot that silently ignores half of its configuration. Secrets are read from the environment
only; a token written into the file is refused rather than used.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.settings_snapshot import DATABASE_URL_ENV, DEFAULT_CONFIG, INDEX_FILE, TOKEN_ENV
from bot.yamlfile import YamlDocument, YamlFileError, key_path, kind_of, read_yaml

#: One systemd template unit runs every shard process: each instance says its shards here.
SHARD_COUNT_ENV = "READBOT_SHARD_COUNT"
SHARD_IDS_ENV = "READBOT_SHARD_IDS"  # "0" or "0,1"


class ConfigError(YamlFileError):
    """The configuration cannot be used; the message names the file, line, key and
    expectation (the YAML reader raises it directly for a file that is not valid YAML)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LoggingSettings(_Strict):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"


class SearchSettings(_Strict):
    max_results: int = Field(default=10, ge=1, le=50)


class DiscordSettings(_Strict):
    dev_guild_ids: list[int] = Field(default_factory=list)
    shard_count: int | None = Field(default=None, ge=1)
    shard_ids: list[int] | None = None
    command_cooldown_seconds: float = Field(default=3.0, ge=0, le=3600)
    #: The privileged Message Content intent. Off: the bot still answers DMs and messages
    #: that mention it (Discord sends their text anyway); on (and enabled in the developer
    #: portal): it also answers replies to its messages that do not mention it.
    message_content_intent: bool = False
    #: Plain questions one member may ask per minute before the bot asks them to slow down.
    questions_per_minute: int = Field(default=6, ge=1, le=120)


class PromptSettings(_Strict):
    """The daily prompt scheduler (docs/prompts.md)."""

    #: Curated prompts, relative to corpus_dir.
    file: str = "prompts.yaml"
    #: A post missed while the bot was down still goes out this long after its time.
    grace_minutes: int = Field(default=180, ge=0, le=24 * 60)
    #: A claimed post with no message after this long is taken to be interrupted and retried.
    claim_timeout_seconds: int = Field(default=120, ge=10, le=3600)
    #: Waits between attempts after a failed post. An outage repeats the last wait until the
    #: grace period ends; a permanent failure pauses the schedule after the last one.
    retry_delays_seconds: list[int] = Field(default_factory=lambda: [60, 300, 900],
                                            max_length=10)
    #: The scheduler wakes at least this often, so a changed schedule is never far off.
    max_sleep_seconds: float = Field(default=60.0, gt=0, le=3600)


class CorpusSettings(_Strict):
    """Reloading the corpus while the bot runs (bot/reload.py)."""

    #: Reload by itself when a file under corpus_dir changes. Off by default: a host editing
    #: a text in place would otherwise reload on every save of a half-done edit.
    watch: bool = False
    #: Quiet after the last change before reloading, so one save or copy is one reload.
    watch_debounce_ms: int = Field(default=1500, ge=50, le=60_000)


class DatabasePool(_Strict):
    """Connections one process keeps to PostgreSQL (SQLite, one file, ignores them).

    Answers run in worker threads (a handful per process), so 5 kept and 5 more at a peak is
    room enough; N shard processes then hold at most N x 10 connections, under PostgreSQL's
    default max_connections of 100 for up to nine processes.
    """

    size: int = Field(default=5, ge=1, le=100)
    max_overflow: int = Field(default=5, ge=0, le=100)
    #: Seconds a thread waits for a free connection before the answer fails politely.
    timeout_seconds: float = Field(default=30.0, gt=0, le=600)


class Settings(_Strict):
    corpus_dir: Path = Path("corpus")
    corpus: CorpusSettings = CorpusSettings()
    data_dir: Path = Path("data")
    database_url: str | None = None
    database_pool: DatabasePool = DatabasePool()
    logging: LoggingSettings = LoggingSettings()
    search: SearchSettings = SearchSettings()
    discord: DiscordSettings = DiscordSettings()
    prompts: PromptSettings = PromptSettings()

    @property
    def texts_dir(self) -> Path:
        return self.corpus_dir / "texts"

    @property
    def effective_database_url(self) -> str:
        """The environment wins over the file; the default is one SQLite file in data_dir."""
        env = os.environ.get(DATABASE_URL_ENV, "").strip()
        if env:
            return env
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / INDEX_FILE).as_posix()}"

    @staticmethod
    def discord_token() -> str | None:
        token = os.environ.get(TOKEN_ENV, "").strip()
        return token or None


def _describe(error: Mapping[str, Any]) -> str:
    if error["type"] == "extra_forbidden":
        return "unknown key (check its spelling and indentation)"
    return f"{error['msg']} (got {error.get('input')!r})"


def _validation_error(doc: YamlDocument, exc: ValidationError) -> ConfigError:
    """One problem: its key and line; several: each with its key and line, in one message."""
    errors = exc.errors()
    if len(errors) == 1:
        loc = tuple(errors[0]["loc"])
        return ConfigError(doc.path, _describe(errors[0]), doc.line(loc),
                           key_path(loc) or "(top level)")
    return ConfigError(doc.path, "; ".join(
        f"{key_path(tuple(e['loc'])) or '(top level)'} (line {doc.line(tuple(e['loc']))}): "
        f"{_describe(e)}" for e in errors))


def load_settings(path: Path | None = None) -> Settings:
    """Read and validate a config file; relative paths are taken from the file's folder.

    With no file at the default location, the defaults apply (the bot still runs from a
    fresh clone); a path given explicitly must exist.
    """
    explicit = path is not None
    path = path or DEFAULT_CONFIG
    doc = read_yaml(path, ConfigError)
    if doc is None:
        if explicit:
            raise ConfigError(path, "no such config file")
        return _with_shards_from_environment(Settings())
    raw = {} if doc.data is None else doc.data
    if not isinstance(raw, dict):
        doc.fail((), f"expected a mapping of settings at the top level, got {kind_of(raw)}")
    discord_section = raw.get("discord")
    for where, section in ((("token",), raw), (("discord", "token"), discord_section)):
        if isinstance(section, dict) and "token" in section:
            doc.fail(where, f"a token must not be stored in the file; set {TOKEN_ENV}")
    try:
        settings = Settings.model_validate(raw)
    except ValidationError as exc:
        raise _validation_error(doc, exc) from None
    base = path.resolve().parent
    return _with_shards_from_environment(settings.model_copy(
        update={
            "corpus_dir": base / settings.corpus_dir,
            "data_dir": base / settings.data_dir,
        }
    ))


def _with_shards_from_environment(settings: Settings) -> Settings:
    """``READBOT_SHARD_COUNT`` and ``READBOT_SHARD_IDS`` override the file's shard settings."""
    count_text = os.environ.get(SHARD_COUNT_ENV, "").strip()
    ids_text = os.environ.get(SHARD_IDS_ENV, "").strip()
    if not count_text and not ids_text:
        return settings
    values = settings.discord.model_dump()
    try:
        if count_text:
            values["shard_count"] = int(count_text)
        if ids_text:
            values["shard_ids"] = [int(part) for part in ids_text.split(",") if part.strip()]
        discord = DiscordSettings.model_validate(values)
    except (ValueError, ValidationError) as exc:
        raise ConfigError(f"${SHARD_COUNT_ENV} / ${SHARD_IDS_ENV}",
                          f"expected a whole number and a comma-separated list of shard ids "
                          f"(got {count_text!r} and {ids_text!r}): {exc}") from None
    if discord.shard_ids and discord.shard_count and \
            any(not 0 <= i < discord.shard_count for i in discord.shard_ids):
        raise ConfigError(f"${SHARD_IDS_ENV}", f"every shard id must be below the shard count "
                          f"{discord.shard_count} (got {ids_text!r})")
    return settings.model_copy(update={"discord": discord})
