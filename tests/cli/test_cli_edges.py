"""The command line at its edges: what it echoes, a closed pipe, the console's line editing."""

from __future__ import annotations

import json
import os
import shlex
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


@pytest.mark.parametrize("args", [("ask", "/who Lenin"), ("ask", "--json", "/search bureaucracy")])
def test_a_closed_pipe_ends_the_command_quietly(config: Path, args: tuple[str, ...]) -> None:
    """As ``readbot ask ... | head -1``: the reader is gone before the answer is written."""
    process = subprocess.Popen(command(config, *args), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, cwd=REPO, env=environment())
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # long before the answer is ready: every write meets EPIPE
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=120) == 1
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr, stderr


def test_head_reads_the_first_line_and_nothing_is_said_on_stderr(config: Path) -> None:
    shell = shlex.join(command(config, "ask", "/who Lenin")) + " | head -1"
    result = subprocess.run(["bash", "-c", shell], capture_output=True,
                            text=True, cwd=REPO, env=environment(), timeout=120)
    assert result.stdout == "Vladimir Lenin\n"
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr
