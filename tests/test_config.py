"""Settings: the shard environment a systemd template instance sets, and its mistakes."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings


def _config(tmp_path: Path, text: str = "discord:\n  shard_count: 2\n") -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_environment_says_which_shards_this_process_runs(tmp_path: Path,
                                                             monkeypatch) -> None:
    monkeypatch.setenv("READBOT_SHARD_COUNT", "4")
    monkeypatch.setenv("READBOT_SHARD_IDS", "1,3")
    settings = load_settings(_config(tmp_path))
    assert (settings.discord.shard_count, settings.discord.shard_ids) == (4, [1, 3])


def test_without_the_environment_the_file_decides(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("READBOT_SHARD_COUNT", raising=False)
    monkeypatch.delenv("READBOT_SHARD_IDS", raising=False)
    settings = load_settings(_config(tmp_path))
    assert (settings.discord.shard_count, settings.discord.shard_ids) == (2, None)


@pytest.mark.parametrize(("count", "ids", "says"), [
    ("four", "0", "READBOT_SHARD_COUNT"),
    ("2", "0,x", "comma-separated"),
    ("2", "0,2", "below the shard count 2"),
])
def test_a_bad_shard_environment_is_a_clear_config_error(tmp_path: Path, monkeypatch,
                                                         count: str, ids: str,
                                                         says: str) -> None:
    monkeypatch.setenv("READBOT_SHARD_COUNT", count)
    monkeypatch.setenv("READBOT_SHARD_IDS", ids)
    with pytest.raises(ConfigError, match=says):
        load_settings(_config(tmp_path))
