"""The command line at its edges: what it echoes, a closed pipe, the console's line editing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.answers.core.text import BIDI_CONTROLS
from tests.corpus_helpers import REPO


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One data folder for the module, ingested by the first command that needs it."""
    folder = tmp_path_factory.mktemp("cli-edges")
    path = folder / "config.yaml"
    path.write_text(f"corpus_dir: {REPO / 'corpus'}\ndata_dir: {folder / 'data'}\n")
    return path


def command(config: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "bot", "--config", str(config), *args]


def environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items()
            if k not in ("DISCORD_TOKEN", "READBOT_DATABASE_URL")}


def run(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command(config, *args), capture_output=True, text=True, cwd=REPO,
                          env=environment(), timeout=120)


@pytest.mark.parametrize("as_json", [False, True])
def test_bidirectional_controls_typed_are_not_echoed(config: Path, as_json: bool) -> None:
    typed = "/search \u202eleopard changing his spots\u202c"
    result = run(config, "ask", *(["--json"] if as_json else []), typed)
    assert result.returncode == 0, result.stderr
    assert not BIDI_CONTROLS & set(result.stdout)
    title = (json.loads(result.stdout)["title"] if as_json
             else result.stdout.splitlines()[0])
    assert title == "Passages matching “leopard changing his spots”"
