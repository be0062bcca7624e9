"""A bad file never takes the bot down: it keeps serving what it had, and says why.

Issue 15's end-to-end check, through the real entry points as a host runs them
(``python -m bot ...`` in a subprocess, on a copy of the real corpus): after one good start,
an empty text and a malformed events.yaml are dropped in; ``ask``, ``console`` and ``run``
(against the Discord stand-in) still answer from the previous index, and the log and
/sources name the file, line and key of each problem.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.corpus_helpers import REPO
from tests.discord_standin import DiscordStandin
from tests.discord_standin.bot_runner import start_run_process, stop_run_process

# The first event of the real events.yaml, its list of dates replaced by one bare year.
EVENTS_DATES = '    dates:\n      - date: "1642/1651"'
BAD_DATES = "    dates: 1921\n"


def bot(config: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", "--config", str(config), *args],
                          cwd=REPO, input=stdin, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "DISCORD_TOKEN": ""})


def corpus_copy(folder: Path, *, extra_config: str = "") -> Path:
    """A copy of the real corpus and a config.yaml for it; returns the config's path."""
    shutil.copytree(REPO / "corpus", folder / "corpus")
    config = folder / "config.yaml"
    config.write_text(f"corpus_dir: corpus\ndata_dir: data\n{extra_config}", encoding="utf-8")
    return config


def break_events(corpus: Path) -> int:
    """Give the first event ``dates: 1921``; returns the line it is on."""
    path = corpus / "events.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index(EVENTS_DATES)
    end = text.index("    related:", start)
    path.write_text(text[:start] + BAD_DATES + text[end:], encoding="utf-8")
    return text[:start].count("\n") + 1


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """A store built by one good start, then an empty text and a bad events.yaml."""
    config = corpus_copy(tmp_path_factory.mktemp("keep-serving"))
    first = bot(config, "ask", "/sources")
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("The corpus: 5 texts")
    corpus = config.parent / "corpus"
    (corpus / "texts" / "notes.md").write_bytes(b"")
    return config, break_events(corpus)


def reasons(config: Path, line: int) -> tuple[str, str]:
    corpus = config.parent / "corpus"
    return (f"{corpus / 'texts' / 'notes.md'}: is empty",
            f"{corpus / 'events.yaml'}:{line}: events[0].dates: English Revolution: expected a "
            "list of dates")


def test_ask_answers_from_the_previous_index_and_logs_why(broken: tuple[Path, int]) -> None:
    config, line = broken
    empty, events = reasons(config, line)
    result = bot(config, "ask", "/when Kronstadt")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Kronstadt rebellion")  # curated, from the last good copy
    assert "1921" in result.stdout
    assert f"skipped {empty}" in result.stderr
    assert events in result.stderr and "serving the last good copy of events.yaml" in result.stderr
    assert "the index is stale" in result.stderr
    assert "Traceback" not in result.stderr


def test_sources_says_the_index_is_stale_and_why(broken: tuple[Path, int]) -> None:
    config, line = broken
    empty, events = reasons(config, line)
    result = bot(config, "ask", "/sources")
    assert result.returncode == 0, result.stderr
    out = " ".join(result.stdout.split())  # the text renderer wraps lines
    assert out.startswith("The corpus: 5 texts")  # notes.md is not one of them
    assert "The index is stale" in out
    assert empty in out and events in out


def test_console_answers_from_the_previous_index(broken: tuple[Path, int]) -> None:
    config, _line = broken
    result = bot(config, "console", stdin="who was Lenin?\n/when Kronstadt\n")
    assert result.returncode == 0, result.stderr
    assert "Vladimir Lenin" in result.stdout
    assert "Kronstadt rebellion" in result.stdout
    assert "the index is stale" in result.stderr
    assert "Traceback" not in result.stderr


async def test_run_serves_discord_from_the_previous_index(
        broken: tuple[Path, int], discord_standin: DiscordStandin, tmp_path: Path) -> None:
    config, line = broken
    empty, events = reasons(config, line)
    run_config = tmp_path / "config.yaml"  # the same corpus and store, plus the stand-in guild
    run_config.write_text(f"corpus_dir: {config.parent / 'corpus'}\n"
                          f"data_dir: {config.parent / 'data'}\n"
                          f"discord:\n  dev_guild_ids: [{discord_standin.guild.id}]\n"
                          "  command_cooldown_seconds: 0\n", encoding="utf-8")
    process = await start_run_process(discord_standin, run_config, REPO)
    try:
        sources = await discord_standin.wait_for_response(
            await discord_standin.send_slash_command("sources"))
        embed = sources.embeds[0]
        assert embed["title"] == "The corpus: 5 texts"
        description = " ".join(embed["description"].split())
        assert "The index is stale" in description
        assert empty in description and events in description
        when = await discord_standin.wait_for_response(
            await discord_standin.send_slash_command("when", {"event": "Kronstadt"}))
        assert when.embeds[0]["title"].startswith("Kronstadt rebellion")
    finally:
        log = await stop_run_process(process)
    assert process.returncode == 0, log
    assert f"skipped {empty}" in log and events in log and "the index is stale" in log
    assert "Traceback" not in log
    discord_standin.assert_clean()


def test_a_fixed_file_is_picked_up_and_the_stale_note_goes(tmp_path: Path) -> None:
    config = corpus_copy(tmp_path)
    assert bot(config, "ingest").returncode == 0
    original = (config.parent / "corpus" / "events.yaml").read_text(encoding="utf-8")
    break_events(config.parent / "corpus")
    ingest = bot(config, "ingest")
    assert ingest.returncode == 1  # said, so a script notices; the texts are all in
    assert "Not used: " in ingest.stdout and "events[0].dates" in ingest.stdout
    (config.parent / "corpus" / "events.yaml").write_text(original, encoding="utf-8")
    result = bot(config, "ask", "/sources")
    assert result.returncode == 0
    assert "stale" not in result.stdout and "stale" not in result.stderr


def test_a_bad_people_yaml_keeps_the_previous_index_and_people(tmp_path: Path) -> None:
    """people.yaml feeds the ingest (attribution), so a bad one fails the whole ingest: the
    previous index serves, with the last good registry."""
    config = corpus_copy(tmp_path)
    assert bot(config, "ask", "/who Lenin").returncode == 0
    people = config.parent / "corpus" / "people.yaml"
    text = people.read_text(encoding="utf-8")
    people.write_text(text.replace("born: ", "born: 1879-13-07 #", 1), encoding="utf-8")
    line = text[:text.index("born: ")].count("\n") + 1
    (config.parent / "corpus" / "texts" / "new.md").write_text("A new text\n\nAbout Lenin.\n",
                                                              encoding="utf-8")
    result = bot(config, "ask", "/who Lenin")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Vladimir Lenin")
    assert f"people.yaml:{line}: people[" in result.stderr and "is not a real date" in result.stderr
    assert "the previous index keeps serving" in result.stderr
    sources = bot(config, "ask", "/sources")
    assert sources.stdout.startswith("The corpus: 5 texts")  # new.md waits for the fix


def test_with_no_previous_index_it_says_what_to_fix_and_exits(tmp_path: Path) -> None:
    config = corpus_copy(tmp_path)
    texts = config.parent / "corpus" / "texts"
    for path in texts.iterdir():
        path.unlink()
    (texts / "notes.md").write_bytes(b"")
    result = bot(config, "ask", "/sources")
    assert result.returncode == 1
    assert "Cannot start: no text could be ingested" in result.stderr
    assert f"{texts / 'notes.md'}: is empty" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bad_curated_file_with_no_good_copy_says_what_to_fix(tmp_path: Path) -> None:
    config = corpus_copy(tmp_path)
    line = break_events(config.parent / "corpus")
    result = bot(config, "ask", "/sources")
    assert result.returncode == 1
    assert f"events.yaml:{line}: events[0].dates" in result.stderr
    assert "no earlier good copy of events.yaml" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_impossible_date_in_config_names_the_file_line_and_key(tmp_path: Path) -> None:
    """config.yaml is not the index: it says which store and corpus to serve, so a bad one
    stops the start at once (exit 2) with its file, line and key rather than guessing."""
    config = corpus_copy(tmp_path, extra_config="search:\n  max_results: 2024-13-01\n")
    result = bot(config, "ask", "/sources")
    assert result.returncode == 2
    assert (f"{config}:4: search.max_results: '2024-13-01' is not a real date"
            in result.stderr)
    assert "Traceback" not in result.stderr
