"""The command line as a user runs it: a fresh data folder, real subprocesses, exit codes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.corpus_helpers import REPO


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(f"corpus_dir: {REPO / 'corpus'}\ndata_dir: {tmp_path / 'data'}\n")
    return path


def run(*args: str, config: Path | None = None, stdin: str | None = None,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "bot"]
    if config:
        command += ["--config", str(config)]
    full_env = {k: v for k, v in os.environ.items() if k not in ("DISCORD_TOKEN",
                                                                 "READBOT_DATABASE_URL")}
    full_env.update(env or {})
    return subprocess.run([*command, *args], capture_output=True, text=True, input=stdin,
                          cwd=REPO, env=full_env, timeout=120)


def test_ask_json_sources_lists_five_texts(config: Path) -> None:
    result = run("ask", "--json", "/sources", config=config)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["kind"] == "sources" and answer["schema"] == 1
    assert {"kind", "title", "body", "fields", "items", "sources", "citations",
            "suggestions"} <= set(answer)
    authors = {item["source"]["author"] for item in answer["items"]}
    assert {"Jason Dawsey", "Robert Narai", "Rob Jones"} <= authors
    platypus = next(i for i in answer["items"] if i["source"]["author"] == "Jason Dawsey")
    assert "Platypus Review 112 · December 2018" in platypus["body"]


def test_first_ask_ingests_then_reuses_the_index(config: Path) -> None:
    first = run("ask", "/search dustbin of history", config=config)
    assert first.returncode == 0
    assert "dustbin" in first.stdout.lower()
    assert "stored 5 / 5 texts (100%)" in first.stderr  # the missing index was built first
    second = run("ask", "/search dustbin of history", config=config)
    assert "stored" not in second.stderr  # fresh index: no re-ingest


def test_ingest_on_a_terminal_draws_a_progress_bar(config: Path) -> None:
    """On a terminal: a bar with texts done of total and the rate (tqdm), not lines."""
    import fcntl
    import pty
    import struct
    import termios

    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    try:
        done = subprocess.run([sys.executable, "-m", "bot", "--config", str(config), "ingest"],
                              stdout=subprocess.PIPE, stderr=terminal, text=True, cwd=REPO,
                              timeout=120, check=False)
        os.close(terminal)
        drawn = b""
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the terminal's other end is closed: all read
                break
            if not chunk:
                break
            drawn += chunk
    finally:
        os.close(controller)
    assert done.returncode == 0 and "5 texts (5 added)" in done.stdout
    bar = drawn.decode("utf-8", "replace")
    assert "ingest: 100%" in bar and "5/5" in bar and "text/s" in bar
    assert "stored 5 / 5" not in bar


def test_ingest_prints_a_summary_and_is_idempotent(config: Path) -> None:
    first = run("ingest", config=config)
    assert first.returncode == 0, first.stderr
    assert "5 texts (5 added)" in first.stdout
    assert "citations" in first.stdout and "resolved" in first.stdout
    second = run("ingest", config=config)
    assert "5 texts (5 unchanged)" in second.stdout


@pytest.mark.parametrize(("text", "message"), [
    ("", "Ask me something"),
    ("/nonsense", "Unknown command"),
    ("/search " + "x" * 10_000, "too long"),
])
def test_bad_input_exits_non_zero_with_a_message(config: Path, text: str, message: str) -> None:
    result = run("ask", text, config=config)
    assert result.returncode == 2
    assert message in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_console_answers_each_line_and_ends_on_eof(config: Path) -> None:
    result = run("console", config=config, stdin="/sources\n\n/search Kronstadt\n")
    assert result.returncode == 0, result.stderr
    assert "The corpus: 5 texts" in result.stdout
    assert "Kronstadt" in result.stdout


@pytest.mark.parametrize(("content", "message"), [
    ("corpus_dir: [1, 2\n", "line"),
    ("search:\n  max_results: many\n", "search.max_results"),
    ("serach: {}\n", "serach: unknown key"),
    ("discord:\n  token: abc\n", "must not be stored in the file"),
    ("- just\n- a list\n", "expected a mapping"),
    ("search:\n  max_results: 2024-13-01\n", ":2: search.max_results: '2024-13-01' is not a "
                                            "real date"),
])
def test_bad_config_fails_fast_naming_file_and_key(tmp_path: Path, content: str,
                                                   message: str) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(content)
    result = run("ask", "/sources", config=path)
    assert result.returncode == 2
    assert str(path) in result.stderr and message in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("name", "good", "bad", "where"), [
    ("people.yaml", "    born: null\n", "    born: 1879-13-07\n", ".born: '1879-13-07'"),
    ("events.yaml", "    dates: []\n", "    dates: 1921\n", ".dates: "),
])
def test_an_impossible_corpus_value_is_a_short_message(tmp_path: Path, name: str, good: str,
                                                       bad: str, where: str) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(REPO / "corpus", corpus)
    text = (corpus / name).read_text(encoding="utf-8")
    assert good in text
    (corpus / name).write_text(text.replace(good, bad, 1), encoding="utf-8")
    line = text[:text.index(good)].count("\n") + 1
    config = tmp_path / "config.yaml"
    config.write_text(f"corpus_dir: {corpus}\ndata_dir: {tmp_path / 'data'}\n")
    result = run("ask", "/who Lenin", config=config)
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]  # after ingest's progress lines
    assert f"{corpus / name}:{line}: " in last and where in last
    assert "Traceback" not in result.stdout + result.stderr


def test_run_without_token_says_what_is_missing(config: Path) -> None:
    result = run("run", config=config)
    assert result.returncode == 2
    assert "DISCORD_TOKEN is not set" in result.stderr
    assert "python -m bot console" in result.stderr


def test_database_url_from_environment_wins(config: Path, tmp_path: Path) -> None:
    db = tmp_path / "elsewhere.sqlite3"
    result = run("ingest", config=config, env={"READBOT_DATABASE_URL": f"sqlite:///{db}"})
    assert result.returncode == 0, result.stderr
    assert db.exists()


@pytest.mark.postgres
def test_on_postgresql_ingest_then_every_command_answers(config: Path) -> None:
    """READBOT_DATABASE_URL pointing at PostgreSQL: the README's commands, no traceback."""
    from tests.postgres import new_database

    env = {"READBOT_DATABASE_URL": new_database("cli")}
    ingested = run("ingest", config=config, env=env)
    assert ingested.returncode == 0, ingested.stderr
    assert "5 texts" in ingested.stdout + ingested.stderr
    for text, expected in [("/sources", "Red Flag"), ("/search Kronstadt sailors", "Kronstadt"),
                           ("/quote dustbin of history", "dustbin"), ("/who Yagoda", "Yagoda"),
                           ("/when Kronstadt", "1921"), ("/timeline 1927 1929", "1927"),
                           ("who killed Trotsky?", "Mercader"), ("/help", "/quote")]:
        done = run("ask", text, config=config, env=env)
        assert done.returncode == 0, (text, done.stderr)
        assert expected in done.stdout, (text, done.stdout)
        assert "Traceback" not in done.stderr
    console = run("console", config=config, env=env, stdin="/who Lenin\nwho was Yagoda?\n")
    assert console.returncode == 0 and "Lenin" in console.stdout
    checked = run("schedule-check", config=config, env=env)
    assert checked.returncode == 0, checked.stderr


def test_upto_limits_answers_as_a_reading_plan_would(config: Path) -> None:
    upto = "life-of-leon-trotsky:1905 and the theory of permanent revolution"
    free = json.loads(run("ask", "--json", "/search Zimmerwald manifesto", config=config).stdout)
    assert free["items"][0]["source"]["section"] == "The Zimmerwald manifesto"
    result = run("ask", "--json", "/search Zimmerwald manifesto", "--upto", upto, config=config)
    assert result.returncode == 0, result.stderr
    limited = json.loads(result.stdout)
    assert all(i["source"]["section"] != "The Zimmerwald manifesto" for i in limited["items"])
    assert "1 more in sections you haven't reached yet" in limited["body"] + json.dumps(
        limited["fields"], ensure_ascii=False)
    bad = run("ask", "/search Zimmerwald", "--upto", "life-of-leon-trotsky:Chapter Nine",
              config=config)
    assert bad.returncode == 2 and "No section “Chapter Nine”" in bad.stdout
    assert "Traceback" not in bad.stderr
