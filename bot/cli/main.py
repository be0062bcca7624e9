"""`readbot` / `python -m bot`: ingest, ask, console, run.

Every command prints a short, clear message on failure (exit code 2 for bad input or config,
1 for a failed operation) instead of a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError

from bot import logs
from bot.answers.conversation.router import ask, needs_prompts
from bot.answers.core.model import Answer, AnswerKind
from bot.cli.progress import texts_bar
from bot.cli.render import render_json, render_text
from bot.config import DEFAULT_CONFIG, TOKEN_ENV, ConfigError, Settings, load_settings
from bot.corpus.errors import CorpusError
from bot.store.database import DataFolderError
from bot.store.index_health import CannotServe
from bot.store.ingest import IngestError

if TYPE_CHECKING:  # imported by the command that needs it: `ask "/who Lenin"` starts faster
    from bot.answers.core.reach import TextReach
    from bot.services import Services

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="readbot", description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=None,
                        help="settings file (default: ./config.yaml)")
    commands = parser.add_subparsers(dest="command", required=True)
    ingest = commands.add_parser("ingest", help="build or refresh the index of the corpus")
    ingest.add_argument("--force", action="store_true", help="re-read unchanged texts too")
    ask_cmd = commands.add_parser("ask", help="answer one command or question and exit")
    ask_cmd.add_argument("input", help='what you would type in Discord, e.g. "/search bureaucracy"')
    ask_cmd.add_argument("--json", action="store_true", help="print the answer as JSON")
    upto = ("spoiler control: answer only from <text> up to the end of <section> (a slug "
            "or title, a colon, a heading), as a server's reading plan would")
    ask_cmd.add_argument("--upto", metavar="TEXT:SECTION", default=None, help=upto)
    add = commands.add_parser("add", help="add an EPUB, web page, PDF, Markdown or text file "
                                          "(or a folder of them) to the corpus")
    add.add_argument("paths", nargs="+", type=Path, help="files or folders")
    add.add_argument("--replace", action="store_true", help="replace a text already there")
    add.add_argument("--slug", help="the text's name in commands (default: from the file name)")
    console = commands.add_parser("console", help="interactive loop over the same answers")
    console.add_argument("--upto", metavar="TEXT:SECTION", default=None, help=upto)
    commands.add_parser("schedule-check", help="print every server's next daily prompt time "
                                               "(server time and UTC)")
    commands.add_parser("run", help="connect to Discord (needs DISCORD_TOKEN)")
    commands.add_parser("sync", help="register the slash commands in every server "
                                     "(needs DISCORD_TOKEN)")
    return parser


def cmd_ingest(settings: Settings, force: bool) -> int:
    from bot.services import engine_for, load_curated
    from bot.store.database import migrate
    from bot.store.index_health import record_start_problems
    from bot.store.ingest import ingest

    engine = engine_for(settings)
    try:
        migrate(engine)
        with texts_bar() as bar:
            report = ingest(engine, settings.texts_dir, progress=_progress, texts_done=bar,
                            force=force)
        # The curated files too: a malformed one is named now, not at the bot's next start,
        # and a good one becomes the copy a later malformed edit falls back on.
        problems: list[str] = []
        load_curated(engine, settings, problems)
        record_start_problems(engine, problems)
    finally:
        engine.dispose()
    print(report.summary())
    for problem in problems:
        print(f"Not used: {problem}")
    # The rest of the corpus is in, but a host scripting this should see that a file is not.
    return EXIT_FAILED if report.problems or problems else EXIT_OK


def cmd_add(settings: Settings, paths: list[Path], replace: bool, slug: str | None) -> int:
    from bot.cli.adding import add_files

    return add_files(settings.texts_dir, paths, replace=replace, slug=slug)


def _open(settings: Settings, *, prompts: bool = True) -> Services:
    from bot.services import open_services

    with texts_bar() as bar:  # drawn only if the index is missing or stale
        return open_services(settings, progress=_progress, texts_done=bar, prompts=prompts)


def _limits(services: Services, upto: str | None) -> dict[str, TextReach] | Answer:
    """``--upto`` as the limit spoiler control applies ({} without it), or the ERROR."""
    from bot.answers.plan.spoilers import upto_limits

    return upto_limits(services.answers, upto) if upto is not None else {}


def cmd_ask(settings: Settings, text: str, as_json: bool, upto: str | None = None) -> int:
    # One answer, then exit: the prompt pool and spoiler control only if this one needs them.
    services = _open(settings, prompts=needs_prompts(text))
    try:
        if upto is None:
            answer = ask(services.answers, text, prompts=services.prompts)
        else:
            from bot.answers.plan.spoilers import limited

            limits = _limits(services, upto)
            answer = limits if isinstance(limits, Answer) else limited(
                services.answers, limits, ask, text, prompts=services.prompts)
    finally:
        services.close()
    print(render_json(answer) if as_json else render_text(answer))
    return EXIT_USAGE if answer.kind is AnswerKind.ERROR else EXIT_OK


def cmd_schedule_check(settings: Settings) -> int:
    from bot.answers.prompts.commands import schedule_check
    from bot.services import open_services

    services = open_services(settings, auto_ingest=False)  # schedules need no fresh index
    try:
        assert services.prompts is not None
        print(render_text(schedule_check(services.prompts)))
    finally:
        services.close()
    return EXIT_OK


def cmd_console(settings: Settings, upto: str | None = None) -> int:
    from bot.answers.conversation.intents import ConversationMemory
    from bot.answers.plan.spoilers import limited

    services = _open(settings)
    limits = _limits(services, upto)
    if isinstance(limits, Answer):
        print(render_text(limits), file=sys.stderr)
        services.close()
        return EXIT_USAGE
    warming = services.warm_in_background()  # while the reader types the first question
    memory = ConversationMemory()  # so "and when did he die?" follows "who was Lenin?"
    interactive = sys.stdin.isatty()
    if interactive:
        print("readbot console — ask “who was Yagoda?”, or type /help, /quote, /who, /when; "
              "Ctrl-D or /quit to leave.")
    editing: contextlib.AbstractContextManager[None] = contextlib.nullcontext()
    if interactive:  # piped questions are read as they are: no editing, no history
        from bot.cli.console import HISTORY_FILE, Completer, line_editing

        people = [name for person in services.answers.people.people for name in person.names()]
        slugs = [source.slug for source in services.answers.store.sources.all()]
        editing = line_editing(settings.data_dir / HISTORY_FILE, Completer(people, slugs))
    try:
        with editing:
            while True:
                try:
                    line = input("> " if interactive else "")
                except (EOFError, KeyboardInterrupt):
                    break
                if line.strip().lower() in ("/quit", "/exit", "quit", "exit"):
                    break
                if line.strip():
                    print(render_text(limited(services.answers, limits, ask, line,
                                              prompts=services.prompts, memory=memory)))
                    print()
    finally:
        # A reader who leaves at once (Ctrl-D at the first prompt) would otherwise close the
        # store under the warming thread and exit while it still reads from it: wait for it.
        warming.join(timeout=WARM_JOIN_S)
        services.close()
    return EXIT_OK


WARM_JOIN_S = 30.0  # the longest the console waits, on leaving, for the indexes' warming


def _token_or_explain() -> str | None:
    token = Settings.discord_token()
    if not token:
        print(f"{TOKEN_ENV} is not set, so I cannot connect to Discord.\n"
              f"Set it in the environment (never in config.yaml): export {TOKEN_ENV}=...\n"
              "To try the bot without Discord: python -m bot console", file=sys.stderr)
    return token


def cmd_run(settings: Settings) -> int:
    token = _token_or_explain()
    if not token:
        return EXIT_USAGE
    from bot.discord_app.main import run_bot  # discord.py is imported only when needed

    return run_bot(settings, token)


def cmd_sync(settings: Settings) -> int:
    token = _token_or_explain()
    if not token:
        return EXIT_USAGE
    from bot.discord_app.main import run_sync

    return run_sync(settings, token)


def main(argv: Sequence[str] | None = None) -> int:
    """The entry point: a command, quiet when its reader goes away.

    ``readbot ask ... | head -1`` closes the pipe after one line; the next write (or the
    flush at exit) raises BrokenPipeError. The flush is made here so the error surfaces
    inside the ``try``; stdout is then pointed at /dev/null so the interpreter's own flush
    at exit has nowhere to fail, and the exit code is 1, as the Python documentation's
    recipe for SIGPIPE has it (https://docs.python.org/3/library/signal.html#note-on-sigpipe).
    """
    try:
        code = _main(argv)
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_FAILED
    return code


def _bytes_of(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None  # no file: the defaults, which the read path does not take


def _remember_settings(path: Path, data: bytes | None, settings: Settings) -> None:
    """What the config validated to, for the next ``ask "/who ..."`` (bot/cli/quick.py):
    kept only if the file has the same bytes after it was read as before (an edit meanwhile
    waits for the next start)."""
    from bot.settings_snapshot import SettingsSnapshot, remember

    if data is None or _bytes_of(path) != data:
        return
    remember(path, data, SettingsSnapshot(
        corpus_dir=str(settings.corpus_dir), data_dir=str(settings.data_dir),
        database_url=settings.database_url, logging_level=settings.logging.level,
        max_results=settings.search.max_results, prompts_file=settings.prompts.file))


def _main(argv: Sequence[str] | None) -> int:
    args = _build_parser().parse_args(argv)
    config_bytes = _bytes_of(args.config or DEFAULT_CONFIG)
    try:
        settings = load_settings(args.config)
    except ConfigError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    _remember_settings(args.config or DEFAULT_CONFIG, config_bytes, settings)
    # Through the token filter (bot/logs.py): at DEBUG discord.py logs interaction tokens.
    logs.configure(settings.logging.level, secrets=[Settings.discord_token() or ""])
    logging.getLogger("alembic").setLevel(logging.WARNING)  # migrations are routine here
    try:
        if args.command == "ingest":
            return cmd_ingest(settings, args.force)
        if args.command == "ask":
            return cmd_ask(settings, args.input, args.json, args.upto)
        if args.command == "add":
            return cmd_add(settings, args.paths, args.replace, args.slug)
        if args.command == "console":
            return cmd_console(settings, args.upto)
        if args.command == "sync":
            return cmd_sync(settings)
        if args.command == "schedule-check":
            return cmd_schedule_check(settings)
        return cmd_run(settings)
    except IngestError as exc:
        print(f"Ingest failed, the previous index is unchanged: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except CannotServe as exc:  # no index to fall back on: what to fix, not a traceback
        print(f"Cannot start: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except DataFolderError as exc:
        print(f"Cannot open the store: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except CorpusError as exc:  # e.g. a malformed corpus/prompts.yaml
        print(f"Corpus error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except SQLAlchemyError as exc:
        from sqlalchemy.engine import make_url

        # The URL, password hidden: "attempt to write a readonly database" alone names no file.
        where = make_url(settings.effective_database_url).render_as_string(hide_password=True)
        print(f"Database error ({where}): {str(exc).splitlines()[0][:300]}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        return EXIT_FAILED
