from collections.abc import Iterator
from pathlib import Path

import pytest

pytest_plugins = ["tests.discord_standin.fixtures", "tests.postgres"]


@pytest.fixture(autouse=True)
def _own_cache_folder(tmp_path_factory: pytest.TempPathFactory,
                      monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Each test's command lines keep their settings snapshot (bot/settings_snapshot.py) in a
    folder of their own, not in the user's ~/.cache."""
    folder = tmp_path_factory.mktemp("xdg-cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    yield folder
