"""Reload the corpus while the bot serves: re-ingest in a worker thread, then switch.

Three things start a reload (docs/deploy.md, README "Reloading the texts"):

- ``python -m bot ingest`` in another shell (or another shard process's reload): the running
  bot follows the store's stamp (``follow_stamp``, every ``STAMP_EVERY`` seconds) and
  rebuilds its in-memory indexes when it moves;
- the host's ``/reload`` command (bot/discord_app/cogs/reload.py), which calls
  ``Reloader.reload`` and shows the outcome privately;
- a change under ``corpus/`` when ``corpus.watch`` is on (``watch_corpus``, through
  watchfiles, debounced).

Why answering never waits: the ingest is one transaction on a connection of its own
(bot/store/ingest.py). On SQLite the engine runs in WAL mode (bot/store/database.py sets
``journal_mode=WAL`` on every connection), so readers keep reading the committed rows of the
previous index while the ingest writes, and see the new ones from its commit on; PostgreSQL's
MVCC gives the same. The in-memory indexes (/quote's catalog and meaning index, the
question vocabulary) are rebuilt here, in the same worker thread, right after the commit;
meanwhile answers keep getting the previous ones (``AnswerCache.index``), and an answer that
already holds an index keeps it to the end (they are immutable snapshots).

A failed ingest writes nothing (its transaction rolls back), so the previous index keeps
serving; the outcome says which file, which line and why. Two reloads never run at once: a
lock in this process refuses a second one at once ("a reload is already running"), and
ingest's advisory lock on PostgreSQL makes another process's ingest wait for this one.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from bot.answers.ask.engine import vocabulary_of
from bot.answers.core.context import AnswerContext
from bot.answers.core.model import Answer, AnswerKind, Field
from bot.answers.core.text import join_words, shorten
from bot.store.ingest import IngestError, IngestReport, ingest

log = logging.getLogger(__name__)

#: Seconds between two looks at the store's stamp: "within a few seconds" of another
#: process's ingest, for one small query per process.
STAMP_EVERY = 2.0
#: Milliseconds of quiet after a change under corpus/ before reloading: an editor's save or a
#: copied folder is many events, and one reload should take them all.
DEBOUNCE_MS = 1500
#: Texts named per line of the outcome; more are counted.
_NAMED_MAX = 10

ReloadStatus = Literal["reloaded", "unchanged", "failed", "busy"]


@dataclass(frozen=True, slots=True)
class ReloadOutcome:
    status: ReloadStatus
    #: The ingest's one-line summary, or why it failed (file and line first when known).
    detail: str
    report: IngestReport | None = None
    path: str | None = None
    line: int | None = None

    @property
    def ok(self) -> bool:
        return self.status in ("reloaded", "unchanged")

    def answer(self) -> Answer:
        """What whoever asked is shown: the texts that changed, or why nothing did."""
        if self.status == "busy":
            return Answer(AnswerKind.ERROR, "A reload is already running",
                          f"{self.detail} Its outcome is logged; try again when it is done.")
        if self.status == "failed":
            return Answer(AnswerKind.ERROR, "Reload failed: nothing changed",
                          f"{self.detail}\nThe previous texts are still being served. "
                          "Fix the file and reload again.")
        problems = self.report.problems if self.report is not None else ()
        if (self.status == "unchanged" or self.report is None) and not problems:
            return Answer(AnswerKind.CONFIG, "Texts reloaded: nothing had changed",
                          "The index already matched the texts folder.")
        assert self.report is not None
        fields = [Field(status.capitalize(), _slugs(self.report, status))
                  for status in ("added", "updated", "removed")
                  if self.report.with_status(status)]
        if problems:
            # A bad text is left out (its earlier version, if any, still served) and the rest
            # reloaded: whoever asked is told which file, where, and why.
            fields.append(Field("Skipped", shorten("\n".join(problems), 1024)))
            return Answer(AnswerKind.CONFIG, "Texts reloaded, but some were skipped",
                          f"{self.detail}\nFix the skipped files and reload again.",
                          fields=fields)
        return Answer(AnswerKind.CONFIG, "Texts reloaded", self.detail, fields=fields)


def _slugs(report: IngestReport, status: Literal["added", "updated", "removed"]) -> str:
    slugs = [f"`{text.slug}`" for text in report.with_status(status)]
    if len(slugs) > _NAMED_MAX:
        slugs = [*slugs[:_NAMED_MAX], f"{len(slugs) - _NAMED_MAX} more"]
    return join_words(slugs)


def warm_indexes(answers: AnswerContext) -> None:
    """Build every in-memory index answers keep, so no member's answer pays for it."""
    answers.warm()
    vocabulary_of(answers)


class Reloader:
    """Re-ingests the texts folder into the store ``answers`` reads, one reload at a time.

    ``reload`` blocks (ingest is blocking I/O): the bot calls it through ``reload_async``,
    which runs it in a worker thread, never on the event loop."""

    def __init__(self, answers: AnswerContext, texts_dir: Path, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.answers = answers
        self.texts_dir = texts_dir
        self._lock = threading.Lock()
        self._clock = clock
        self._running: tuple[str, float] | None = None  # who asked, and when
        self._stamp: str | None = None  # the index the in-memory indexes were built from

    def reload(self, *, reason: str, wait: bool = False) -> ReloadOutcome:
        """Ingest now; on success switch answers to the new index. ``reason`` (who or what
        asked) goes to the log and to whoever asks while this one runs. While another reload
        runs: "busy" at once, or with ``wait`` (the watcher, whose change must not be lost)
        after it, then a reload of its own."""
        if not self._lock.acquire(blocking=wait):
            who, since = self._running or ("someone", self._clock())
            return ReloadOutcome("busy", f"Started by {who} "
                                         f"{max(0, round(self._clock() - since))} s ago.")
        try:
            self._running = (reason, self._clock())
            log.info("reloading the texts (%s)", reason)
            try:
                report = ingest(self.answers.store.engine, self.texts_dir, progress=log.info)
            except IngestError as error:
                log.error("reload (%s) failed, the previous index keeps serving: %s",
                          reason, error)
                return ReloadOutcome("failed", str(error), path=error.path, line=error.line)
            self._switch()
            log.info("reload (%s) done: %s", reason, report.summary())
            return ReloadOutcome("reloaded" if report.changed else "unchanged",
                                 report.summary(), report)
        finally:
            self._running = None
            self._lock.release()

    async def reload_async(self, *, reason: str, wait: bool = False) -> ReloadOutcome:
        return await asyncio.to_thread(self.reload, reason=reason, wait=wait)

    def follow(self) -> bool:
        """Switch to an index another process wrote, if one did since the last look. True
        when it switched. The first look only notes the stamp (the start built the index)."""
        stamp = self.answers.store.stamp()
        if stamp == self._stamp:
            return False
        first, self._stamp = self._stamp is None, stamp
        if first:
            return False
        log.info("the index changed (an ingest by another process): switching to it")
        self._switch()
        return True

    def _switch(self) -> None:
        """Make the next answers read the new index, and rebuild the in-memory indexes here
        (the previous ones serve until each is ready)."""
        self.answers.notice_reingest()
        warm_indexes(self.answers)
        self._stamp = self.answers.store.stamp()


async def follow_stamp(reloader: Reloader, every: float = STAMP_EVERY) -> None:
    """Forever: look at the store's stamp off the event loop, switch when it moved. A
    failed look (the database restarting) is logged and retried at the next turn."""
    while True:
        try:
            await asyncio.to_thread(reloader.follow)
        except Exception:  # a loop that died would stop following for good
            log.warning("could not check whether the index changed; retrying", exc_info=True)
        await asyncio.sleep(every)


async def watch_corpus(reloader: Reloader, corpus_dir: Path, *,
                       debounce_ms: int = DEBOUNCE_MS,
                       stop: asyncio.Event | None = None,
                       on_outcome: Callable[[ReloadOutcome], None] | None = None) -> None:
    """Reload after each burst of changes under ``corpus_dir`` (``corpus.watch``).

    watchfiles waits ``debounce_ms`` of quiet and hands over the whole burst; its default
    filter already ignores editors' swap and backup files. A failed reload is logged by
    ``Reloader.reload`` and the watch goes on: the next save (the fix) reloads again.
    """
    from watchfiles import awatch  # only hosts who turn the watch on need it loaded

    log.info("watching %s for changes (corpus.watch)", corpus_dir)
    async for changes in awatch(corpus_dir, debounce=debounce_ms, stop_event=stop,
                                recursive=True):
        names = sorted({Path(path).name for _change, path in changes})
        outcome = await reloader.reload_async(
            reason=f"a change under {corpus_dir.name}/ ({', '.join(names[:5])})", wait=True)
        if on_outcome is not None:
            on_outcome(outcome)
