"""``ask "/who ..."`` over the standard library's sqlite3 (bot/cli/quick.py) gives the very
answer the full path gives, and declines whenever the full path has something to do first."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.answers.conversation.router import ask
from bot.cli.quick import answer_quickly
from bot.cli.render import render_json, render_text
from bot.config import load_settings
from bot.services import open_services
from tests.corpus_helpers import REPO

CASES = yaml.safe_load((REPO / "tests/labelled/who_cases.yaml").read_text(encoding="utf-8"))
QUERIES = [case["query"] for case in CASES["cases"]]


def _cli(*args: str, config: Path, env: dict[str, str] | None = None
         ) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k not in ("DISCORD_TOKEN",
                                                                 "READBOT_DATABASE_URL")}
    return subprocess.run([sys.executable, "-m", "bot", "--config", str(config), *args],
                          capture_output=True, text=True, cwd=REPO, env=full_env | (env or {}),
                          timeout=120, check=False)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A corpus copy (so a test may edit it) ingested by the CLI, which also keeps the
    config's snapshot; returns the config file."""
    root = tmp_path_factory.mktemp("quick")
    shutil.copytree(REPO / "corpus", root / "corpus")
    config = root / "config.yaml"
    config.write_text(f"corpus_dir: {root / 'corpus'}\ndata_dir: {root / 'data'}\n"
                      "logging:\n  level: WARNING\n", encoding="utf-8")
    done = _cli("ingest", config=config, env={"XDG_CACHE_HOME": str(root / "xdg")})
    assert done.returncode == 0, done.stderr
    return config


@pytest.fixture(autouse=True)
def _module_cache(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The snapshot the ingest above kept, for every test of this module."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(store.parent / "xdg"))


def _quick(config: Path, text: str, capsys: pytest.CaptureFixture[str],
           *flags: str) -> str | None:
    code = answer_quickly(["--config", str(config), "ask", text, *flags])
    printed = capsys.readouterr().out
    if code is None:
        assert printed == ""  # a path that declines has printed nothing
        return None
    return printed


def test_every_labelled_who_case_reads_the_same_through_both_paths(
        store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    services = open_services(load_settings(store), prompts=False)
    try:
        for query in QUERIES:
            full = ask(services.answers, f"/who {query}")
            for render, flags in ((render_text, ()), (render_json, ("--json",))):
                quick = _quick(store, f"/who {query}", capsys, *flags)
                assert quick is not None, f"the read path declined /who {query}"
                assert quick == render(full) + "\n", query
    finally:
        services.close()


def test_the_command_line_answers_who_without_sqlalchemy_and_as_the_full_path(
        store: Path) -> None:
    probe = ("import sys; from bot.cli.quick import answer_quickly; "
             f"code = answer_quickly(['--config', {str(store)!r}, 'ask', '/who Natasha']); "
             "assert code == 0, code; "
             "print([m for m in ('sqlalchemy', 'pydantic', 'yaml', 'alembic', 'rapidfuzz', "
             "'discord') if m in sys.modules], file=sys.stderr)")
    quick = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                           cwd=REPO, env=dict(os.environ), timeout=120, check=False)
    assert quick.returncode == 0, quick.stderr
    assert quick.stderr.strip().endswith("[]")  # none of them was imported
    database = store.parent / "data" / "readbot.sqlite3"
    full = _cli("ask", "/who Natasha", config=store,
                env={"READBOT_DATABASE_URL": f"sqlite:///{database}"})  # the full path
    assert full.returncode == 0, full.stderr
    assert "Natalia Sedova" in full.stdout
    assert quick.stdout == full.stdout


def test_the_read_path_declines_a_stale_index_and_an_edited_config(
        store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _quick(store, "/who Yagoda", capsys) is not None
    texts = sorted((store.parent / "corpus" / "texts").glob("*.md"))
    original = texts[0].read_bytes()
    texts[0].write_bytes(original + b"\nOne more paragraph that names Yagoda.\n")
    try:
        assert _quick(store, "/who Yagoda", capsys) is None  # the full path ingests first
    finally:
        texts[0].write_bytes(original)
    assert _quick(store, "/who Yagoda", capsys) is not None  # same bytes: fresh again
    config_text = store.read_text(encoding="utf-8")
    store.write_text(config_text.replace("WARNING", "ERROR"), encoding="utf-8")
    try:
        assert _quick(store, "/who Yagoda", capsys) is None  # not validated yet
    finally:
        store.write_text(config_text, encoding="utf-8")
    assert _quick(store, "/sources", capsys) is None  # only /who is answered there


def test_a_corpus_without_compare_yaml_is_still_answered_there(
        store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    compare = store.parent / "corpus" / "compare.yaml"
    kept = compare.read_bytes()
    compare.unlink()  # /compare's file is optional: the full path reads it as empty
    try:
        assert _quick(store, "/who Yagoda", capsys) is not None
    finally:
        compare.write_bytes(kept)
