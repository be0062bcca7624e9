"""The console's line editing on a terminal: arrow keys, history, tab completion.

Python's ``input()`` edits lines only once the ``readline`` module is imported; without it
the arrow keys type escape codes that are then asked as questions. History is kept in the
data folder (``console_history``), so the questions of the last session are an up-arrow
away. Tab completes, against the whole line: a command (``/wh`` -> ``/who``), an option
(``/quote ... pe`` -> ``person:``), a person's name (``/who Lev D`` -> ``/who Lev Davidovich``,
``person:Tro`` -> ``person:Trotsky``) and a text's slug (``source:plat``). Only on a terminal:
piped input is read as it is.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from bot.answers.conversation.help import COMMANDS

log = logging.getLogger(__name__)

HISTORY_FILE = "console_history"
HISTORY_LENGTH = 1000
QUIT = ("/quit", "/exit")
#: The ``name:value`` options each command takes in the CLI (bot/answers/conversation/router.py).
OPTIONS: dict[str, tuple[str, ...]] = {
    "/quote": ("person", "source"),
    "/search": ("source",),
    "/timeline": ("person",),
}
#: Commands whose whole argument is a person's name.
NAME_COMMANDS = ("/who",)
SUBCOMMANDS: dict[str, tuple[str, ...]] = {"/prompt": ("today",)}
_OPTION_AT_END = re.compile(r'\s(?P<option>\w+):(?P<value>"[^"]*|[^\s"]*)$')


class Completer:
    """Whole-line completions: every candidate is the line as it would read completed, so
    a name with spaces ("Lev Davidovich") completes as one piece."""

    def __init__(self, names: Iterable[str], sources: Iterable[str]) -> None:
        self.commands = sorted({*COMMANDS, *QUIT})
        self.names = sorted(set(names), key=str.casefold)
        self.sources = sorted(set(sources))
        self._matches: list[str] = []

    def completions(self, line: str) -> list[str]:
        """What ``line`` (as typed so far, cursor at its end) may complete to."""
        if " " not in line:
            return _starting(self.commands, line) if line.startswith("/") else []
        command, rest = line.split(" ", 1)
        command = command.lower()
        if command in NAME_COMMANDS:
            return [f"{command} {name}" for name in _starting(self.names, rest.lstrip())]
        if command in SUBCOMMANDS and " " not in rest:
            return [f"{command} {sub}" for sub in _starting(SUBCOMMANDS[command], rest)]
        options = OPTIONS.get(command, ())
        typing = _OPTION_AT_END.search(line)  # an option's value, perhaps quoted, perhaps open
        if typing and typing["option"].lower() in options:
            before = line[:typing.start("option")]
            return [before + candidate for candidate in
                    self._option_values(typing["option"].lower(), typing["value"])]
        before, _, word = line.rpartition(" ")
        if not word:
            return []
        return [f"{before} {candidate}" for name in _starting(options, word)
                for candidate in self._option_values(name, "")]

    def _option_values(self, option: str, typed: str) -> list[str]:
        """``option:value`` for each value starting with ``typed``: one-word values bare,
        others in quotes (the router reads ``person:"Lev Davidovich"``)."""
        values = self.names if option == "person" else self.sources
        if typed.startswith('"'):
            return [f'{option}:"{value}"' for value in _starting(values, typed[1:])]
        found = [f"{option}:{value}" for value in _starting(values, typed) if " " not in value]
        return found or [f"{option}:"]

    def complete(self, text: str, state: int) -> str | None:
        """readline's protocol: called with state 0, 1, 2... until it returns None. With no
        word delimiters, ``text`` is the whole line up to the cursor."""
        if state == 0:
            self._matches = self.completions(text)
        return self._matches[state] if state < len(self._matches) else None


def _starting(candidates: Sequence[str], typed: str) -> list[str]:
    """The candidates that start with ``typed``, ignoring case (readline is told to too)."""
    typed = typed.casefold()
    return [c for c in candidates if c.casefold().startswith(typed)]


@contextlib.contextmanager
def line_editing(history: Path, completer: Completer) -> Iterator[None]:
    """Inside: ``input()`` edits lines, recalls ``history`` and completes with ``completer``;
    on leaving, the history is saved. Where Python has no readline (Windows without
    pyreadline), plain ``input()`` still works."""
    try:
        import readline
    except ImportError:
        yield
        return
    readline.set_completer(completer.complete)
    readline.set_completer_delims("")  # complete the whole line: names have spaces
    if "libedit" in (readline.__doc__ or ""):  # macOS's Python: another binding syntax
        readline.parse_and_bind("bind ^I rl_complete")
    else:
        readline.parse_and_bind("tab: complete")
        readline.parse_and_bind("set completion-ignore-case on")
    readline.set_history_length(HISTORY_LENGTH)
    with contextlib.suppress(FileNotFoundError):
        readline.read_history_file(history)
    try:
        yield
    finally:
        readline.set_completer(None)
        try:
            history.parent.mkdir(parents=True, exist_ok=True)
            readline.write_history_file(history)
        except OSError as error:  # a read-only data folder: the session still worked
            log.warning("could not save the console history to %s: %s", history, error)
