"""The command line at its edges: what it echoes, a closed pipe, the console's line editing."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from bot.answers.core.text import BIDI_CONTROLS
from bot.cli.console import Completer
from bot.cli.main import main as cli_main
from tests.answer_helpers import build_context
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


# ---------------------------------------------------------------- the console


@pytest.fixture(scope="module")
def completer() -> Completer:
    """Names and texts as the console gets them: the people registry and the store."""
    ctx = build_context(Path(tempfile.mkdtemp(prefix="readbot-console-")) / "c.sqlite3")
    names = [name for person in ctx.people.people for name in person.names()]
    return Completer(names, [source.slug for source in ctx.store.sources.all()])


@pytest.mark.parametrize(("typed", "expected"), [
    ("/wh", ["/when", "/who"]),
    ("/Q", ["/quit", "/quote"]),
    ("/sou", ["/sources"]),
    ("who was", []),  # a plain question: nothing to complete
    ("/who Lev D", ["/who Lev Davidovich", "/who Lev Davidovich Trotsky"]),
    ("/who natash", ["/who Natasha"]),  # any case: readline is told to ignore it too
    ("/prompt t", ["/prompt today"]),
    ("/quote dustbin person:Trots", ["/quote dustbin person:Trotsky"]),
    ('/quote person:"Lev Davidovich T', ['/quote person:"Lev Davidovich Trotsky"']),
    ("/search bureaucracy source:to-topple", [
        "/search bureaucracy source:to-topple-the-stalinist-bureaucracy"]),
    ("/timeline 1927 person:Zzz", ["/timeline 1927 person:"]),  # nobody: the option stays
])
def test_tab_completes_commands_options_and_names(completer: Completer, typed: str,
                                                  expected: list[str]) -> None:
    assert completer.completions(typed) == expected


def test_an_option_is_offered_with_its_values_so_no_space_follows_it(
        completer: Completer) -> None:
    found = completer.completions("/quote dustbin pe")
    assert len(found) > 20 and all(f.startswith("/quote dustbin person:") for f in found)
    assert "/quote dustbin person:Lenin" in found
    assert completer.completions("/who nobody-at-all") == []
    # readline's protocol: one candidate per state, then None.
    assert [completer.complete("/sou", n) for n in range(2)] == ["/sources", None]


def test_on_a_terminal_the_console_edits_lines_completes_and_keeps_history(
        config: Path) -> None:
    """A real terminal (a pseudo-terminal): the left arrow moves the cursor instead of typing
    an escape code, Tab completes a name, and the history is saved in the data folder."""
    history = config.parent / "data" / "console_history"
    history.unlink(missing_ok=True)
    left = "\x1b[D"
    typed = ["/who Lnin" + left * 3 + "e\r",  # "/who Lenin" after editing
             "/who Lev Davidovich T\t\r",  # Tab: "/who Lev Davidovich Trotsky"
             "\x04"]  # Ctrl-D
    output = in_a_terminal(command(config, "console"), typed)
    assert "Vladimir Lenin\n" in output.replace("\r", "")
    assert "Leon Trotsky\n" in output.replace("\r", "")
    assert history.read_text().splitlines()[-2:] == ["/who Lenin",
                                                     "/who Lev Davidovich Trotsky"]


QUIET = 0.5  # seconds with nothing more written after a "> " for it to be the prompt


def in_a_terminal(argv: list[str], keys: list[str]) -> str:
    """Run ``argv`` on a pseudo-terminal, typing each of ``keys`` once the prompt shows."""
    import pty
    import select

    controller, terminal = pty.openpty()
    env = {**environment(), "TERM": "xterm"}
    process = subprocess.Popen(argv, stdin=terminal, stdout=terminal, stderr=terminal,
                               cwd=REPO, env=env, close_fds=True)
    os.close(terminal)
    seen = b""

    def read_some() -> bool:
        """One read of what the terminal has; False once the process has closed it."""
        nonlocal seen
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the process has ended and closed the terminal
            return False
        seen += chunk
        return bool(chunk)

    def read_until(marker: bytes) -> None:
        while not seen.endswith(marker):
            ready, _, _ = select.select([controller], [], [], 120)
            if not ready:
                raise TimeoutError(f"no {marker!r} on the terminal: {seen[-500:]!r}")
            if not read_some():
                return

    def prompted() -> None:
        """Read up to the prompt, and on while more comes: an answer may hold a "> " of its
        own (a quoted paragraph) at the end of one read, and a key typed then would be taken
        before the prompt, leaving the terminal unread while the console waits to write."""
        while True:
            read_until(b"> ")
            ready, _, _ = select.select([controller], [], [], QUIET)
            if not ready or not read_some():
                return

    try:
        for key in keys:
            prompted()
            os.write(controller, key.encode())
        read_until(b"\0")  # read all it writes until it closes the terminal, so it never blocks
        assert process.wait(timeout=60) == 0
    finally:
        if process.poll() is None:
            process.kill()
        os.close(controller)
    return seen.decode(errors="replace")


# --- the data folder ---------------------------------------------------------------------------


def test_a_data_folder_that_cannot_be_made_names_the_path(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder's parent should be\n")
    config = tmp_path / "config.yaml"
    config.write_text(f"corpus_dir: {REPO / 'corpus'}\ndata_dir: {blocker / 'data'}\n")
    result = subprocess.run([sys.executable, "-m", "bot", "--config", str(config), "ask",
                             "/sources"], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr.startswith(f"Cannot open the store: {blocker / 'data'}: the data folder "
                                    "does not exist and cannot be created (Not a directory)")
    assert "set data_dir in config.yaml" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("read_only", ["folder", "database file"])
def test_a_read_only_data_folder_names_the_path_and_what_to_do(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        read_only: str) -> None:
    data = tmp_path / "data"
    config = tmp_path / "config.yaml"
    config.write_text(f"corpus_dir: {REPO / 'corpus'}\ndata_dir: {data}\n")
    assert cli_main(["--config", str(config), "ask", "/sources"]) == 0  # the store exists
    capsys.readouterr()
    target = data if read_only == "folder" else data / "readbot.sqlite3"
    real_access = os.access

    def access(path: object, mode: int, **kwargs: object) -> bool:
        # The tests run as root, whom the kernel lets write anywhere, so chmod cannot make a
        # folder read-only here; os.access answers as it would for the bot's own user.
        if Path(str(path)) == target and mode & os.W_OK:
            return False
        return real_access(path, mode)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", access)
    assert cli_main(["--config", str(config), "ask", "/sources"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"Cannot open the store: {target}: ")
    assert ("the data folder is read-only" if read_only == "folder"
            else "this database file is read-only") in err
    assert "make it writable for the user the bot runs as" in err
    assert "readonly database" not in err and "Traceback" not in err
