"""Load the corpus folder into the store: idempotent, atomic and fast.

- Idempotent: a text whose file is unchanged is skipped (size and mtime first, then the sha256
  of its bytes); a source whose file is gone is removed. A new parser version (its code hashes
  differently) re-parses everything, or the index would serve the old parser's output forever.
- Atomic: all deletes and inserts run in one transaction. A write failure (or a folder of texts
  that is not there) raises ``IngestError`` naming the file and leaves the previous index
  serving: SQLite's WAL lets readers carry on meanwhile.
- A bad text is skipped, not fatal: a text that cannot be read or parsed (empty, binary, broken
  front matter, a slug another file has) is left out with its reason (file, line, key) in
  ``IngestReport.problems`` and in the store (``index_health``), and the rest of the corpus is
  ingested. If the index had an earlier version of that text, the earlier version stays. Why
  not fail the whole ingest: one member's bad file would otherwise keep everyone's good new
  texts out (and, at start-up, keep the bot from ever picking them up) until a host fixes it.
  The index counts as stale while a problem is recorded, so every start tries the file again.
- One at a time: on PostgreSQL a session advisory lock is held from planning to commit, so a
  second process's ingest waits for the first, then plans against what it wrote (and finds
  it unchanged); ``IngestReport.waited_for_lock`` and a progress line say that it waited.
  Meanwhile readers keep the previous index (MVCC), as WAL gives them on SQLite.
- Fast: texts are parsed in worker processes (one per core) while this process writes the
  ones already parsed, in order; rows get their ids before insertion (see ``rows.py``), so each
  table takes one ``executemany`` per text (on PostgreSQL, the searched tables one COPY,
  see ``_COPIED``). On SQLite a bulk write (most of the corpus) drops
  the FTS5 triggers for the transaction and rebuilds each full-text index once at the end,
  rather than updating it row by row; a small change keeps the triggers.
- Progress: ``texts_done(done, total)`` after each text stored (a terminal's progress bar),
  else one ``progress`` line per tenth of the texts, with the rate and the time left.
"""

from __future__ import annotations

import collections
import functools
import gc
import logging
import operator
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import Connection, Engine, delete, func, insert, select, text, update
from sqlalchemy.exc import SQLAlchemyError

from bot.corpus.errors import CorpusError
from bot.corpus.files import discover_texts
from bot.corpus.people import PeopleRegistry, Person, load_people
from bot.store.database import current_revision, head_revision, migrate, write_transaction
from bot.store.freshness import (
    FINGERPRINT_KEY,
    FileInfo,
    IndexStatus,
    file_info,
    index_fingerprint,
    parser_fingerprint,
    people_file,
    same_content,
    status_of,
)
from bot.store.index_health import INGEST_PROBLEMS, read_problems, write_problems
from bot.store.models import FTS_TABLES, Base, Source, StoreMeta
from bot.store.rows import ID_COLUMNS, RelativeIds, Row, TextRows, rebase, text_rows

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from sqlalchemy.engine import Dialect

    from bot.corpus.model import ParsedText

TextStatus = Literal["added", "updated", "unchanged", "removed", "skipped"]
Progress = Callable[[str], None]
TextsDone = Callable[[int, int], None]  # (texts stored so far, texts to store)

LAST_INGEST_KEY = "last_ingest_at"
_DELETE_CHUNK = 500  # ids per DELETE ... IN (...), well under SQLite's bound-parameter limit
# pg_advisory_lock key for "an ingest is running": any fixed bigint no other lock uses.
INGEST_LOCK_KEY = int.from_bytes(b"readbot!", "big") >> 1
#: Fewer texts than this are parsed here: starting worker processes would cost more than it
#: saves (and a re-ingest of one edited text stays in one process).
PARALLEL_FROM = 4
#: Texts parsed ahead of the writer per worker: enough to keep every core busy, few enough
#: that memory stays bounded by a handful of parsed texts, not the corpus.
_AHEAD_PER_WORKER = 2
#: A write of at least this share of the index's texts rebuilds the full-text indexes once
#: instead of updating them row by row (see ``_bulk_fts``).
BULK_SHARE = 0.5
log = logging.getLogger(__name__)


class IngestError(Exception):
    """Ingest failed and wrote nothing; str() names the file (and line when known)."""

    def __init__(self, message: str, *, path: str | None = None,
                 line: int | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.line = line

    def __reduce__(self) -> tuple[object, ...]:
        # Raised in a worker process and pickled back: keep the path and line.
        return _ingest_error, (str(self), self.path, self.line)


def _ingest_error(message: str, path: str | None, line: int | None) -> IngestError:
    return IngestError(message, path=path, line=line)


def load_text(path: Path, people: PeopleRegistry | None = None) -> ParsedText:
    """The parser, imported when a text is parsed: a start that finds the index fresh never
    loads it (syntok, the citation and date grammars)."""
    from bot.corpus.load import load_text as parse

    return parse(path, people)


@dataclass(frozen=True, slots=True)
class Counts:
    """How much of the corpus a text (or the whole index) holds."""

    texts: int = 0
    sections: int = 0
    passages: int = 0
    quotations: int = 0
    notes: int = 0
    citations_resolved: int = 0
    citations_unresolved: int = 0


@dataclass(frozen=True, slots=True)
class TextReport:
    path: str  # relative to the texts folder
    slug: str
    status: TextStatus
    counts: Counts
    warnings: tuple[str, ...] = ()
    unknown_names: tuple[str, ...] = ()  # person-like names corpus/people.yaml lacks
    #: Why a ``skipped`` text was left out: "file:line: key: what is wrong".
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class IngestReport:
    texts: tuple[TextReport, ...]
    totals: Counts  # the whole index after this ingest
    duration: float  # seconds
    warnings: tuple[str, ...] = ()  # parser warnings for the texts parsed in this run
    waited_for_lock: float = 0.0  # seconds spent waiting for another process's ingest

    def with_status(self, status: TextStatus) -> list[TextReport]:
        return [t for t in self.texts if t.status == status]

    @property
    def changed(self) -> bool:
        return any(t.status not in ("unchanged", "skipped") for t in self.texts)

    @property
    def problems(self) -> tuple[str, ...]:
        """Why each skipped text was left out, one "file:line: key: reason" each."""
        return tuple(t.problem for t in self.texts if t.problem)

    def summary(self) -> str:
        """One line for a log or the CLI: '5 texts (2 added, 3 unchanged), 596 passages...'."""
        statuses: tuple[TextStatus, ...] = ("added", "updated", "unchanged", "removed",
                                            "skipped")
        parts = [f"{n} {s}" for s in statuses if (n := len(self.with_status(s)))]
        t = self.totals
        line = (
            f"{t.texts} texts ({', '.join(parts) or 'none'}), {t.sections} sections, "
            f"{t.passages} passages, {t.quotations} quotations, {t.notes} notes, "
            f"citations {t.citations_resolved} resolved / {t.citations_unresolved} unresolved; "
            f"{self.duration:.2f} s"
        )
        if self.waited_for_lock:
            line += f" (waited {self.waited_for_lock:.1f} s for another ingest to finish first)"
        names = sorted({name for text in self.texts for name in text.unknown_names})
        if names:
            shown = ", ".join(names[:15]) + (f" and {len(names) - 15} more" if len(names) > 15
                                               else "")
            line += f"\nNames not in people.yaml (add the real people there): {shown}"
        for text_ in self.with_status("skipped"):
            kept = "the previous version stays" if text_.counts.texts else "not in the index"
            line += f"\nSkipped ({kept}): {text_.problem}"
        return line


@dataclass(frozen=True, slots=True)
class _Stored:
    """A source as the index has it: enough to decide whether its file changed."""

    id: int
    slug: str
    path: str
    content_hash: str
    size: int
    mtime_ns: int
    counts: Counts


@dataclass(slots=True)
class _Plan:
    to_parse: list[tuple[Path, FileInfo, TextStatus]] = field(default_factory=list)
    unchanged: list[tuple[FileInfo, _Stored]] = field(default_factory=list)
    touched: list[tuple[FileInfo, _Stored]] = field(default_factory=list)  # same bytes, new mtime
    replaced: list[_Stored] = field(default_factory=list)
    removed: list[_Stored] = field(default_factory=list)


# --- public API --------------------------------------------------------------------------------


def ingest(
    engine: Engine,
    texts_dir: Path,
    *,
    progress: Progress | None = None,
    texts_done: TextsDone | None = None,
    force: bool = False,
) -> IngestReport:
    """Bring the index in line with ``texts_dir``; see the module docstring for guarantees.

    ``progress`` gets messages (waiting for a lock, removing a text, a tenth of the texts
    stored); with ``texts_done`` (a progress bar), the count goes there instead."""
    say = progress or _quiet
    with _one_ingest_at_a_time(engine, say) as waited:
        report = _ingest(engine, texts_dir, progress=say, texts_done=texts_done, force=force)
        if report.changed:
            _tidy_after_writing(engine)
    return replace(report, waited_for_lock=waited[0])


# The tables whose full-text indexes PostgreSQL's search reads.
_SEARCHED = ("passage", "sentence", "quotation")


def _tidy_after_writing(engine: Engine) -> None:
    """On PostgreSQL, VACUUM ANALYZE the searched tables once a bulk write has committed:
    until autovacuum gets there, new rows sit in the GIN indexes' pending lists (scanned in
    full by every search) and the planner's statistics describe the old index, and at 100x
    the first searches after an ingest ran several times slower than later ones. SQLite's
    FTS5 indexes are rebuilt whole by the ingest itself."""
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for table in _SEARCHED:  # VACUUM cannot run in a transaction block
            connection.execute(text(f"VACUUM (ANALYZE) {table}"))


@contextmanager
def _one_ingest_at_a_time(engine: Engine, say: Progress) -> Iterator[list[float]]:
    """Hold PostgreSQL's advisory lock for the whole ingest; yields [seconds waited].

    A session lock on a connection of its own, in autocommit (it must outlive the migration
    and write transactions, and not sit idle in a transaction meanwhile). SQLite needs none:
    BEGIN IMMEDIATE already serialises writers there.
    """
    waited = [0.0]
    if engine.dialect.name != "postgresql":
        yield waited
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        key = {"key": INGEST_LOCK_KEY}
        if not connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), key):
            message = "another ingest is running: waiting for it to finish first"
            log.warning("%s (%s)", message, engine.url.render_as_string())
            say(message)
            started = time.perf_counter()
            connection.execute(text("SELECT pg_advisory_lock(:key)"), key)
            waited[0] = time.perf_counter() - started
        try:
            yield waited
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), key)


def _ingest(
    engine: Engine,
    texts_dir: Path,
    *,
    progress: Progress | None = None,
    texts_done: TextsDone | None = None,
    force: bool = False,
) -> IngestReport:
    started = time.perf_counter()
    say = progress or _quiet
    if not texts_dir.is_dir():
        # Refuse rather than treat a mistyped folder as "every text was deleted".
        raise IngestError(f"{texts_dir}: no such folder of texts", path=str(texts_dir))
    migrate(engine)
    fingerprint = _index_fingerprint(texts_dir)
    people = _load_people(texts_dir)
    with engine.connect() as connection:
        stored = _stored_sources(connection)
        reparse_all = force or _get_meta(connection, FINGERPRINT_KEY) != fingerprint
        had_problems = bool(read_problems(connection, INGEST_PROBLEMS))
    plan = _plan(texts_dir, stored, reparse_all=reparse_all)
    # Texts are parsed a few ahead of the writer, inside the single write transaction: memory
    # stays bounded by a few texts, not the whole corpus, and a parse error still rolls
    # everything back (the previous index keeps serving).
    texts = [_unchanged_report(info, old) for info, old in plan.unchanged]
    texts += [_removed_report(old) for old in plan.removed]
    if plan.to_parse or plan.removed or plan.touched or reparse_all or had_problems:
        done = texts_done or _tenths(say, len(plan.to_parse))
        packing = engine.dialect if engine.dialect.name == "sqlite" else None
        with _collector_spared(), _parse_all(plan.to_parse, people, packing) as parsed:
            texts += _write(engine, plan, _check_slugs(parsed, plan, texts_dir), fingerprint,
                            say, done)
    with engine.connect() as connection:
        totals = _totals(connection)
    warnings = tuple(w for t in texts for w in t.warnings)
    return IngestReport(
        texts=tuple(sorted(texts, key=lambda t: t.path)),
        totals=totals,
        duration=time.perf_counter() - started,
        warnings=warnings,
    )


def index_status(engine: Engine, texts_dir: Path) -> IndexStatus:
    """'missing' (never ingested), 'stale' (texts, parser or schema changed) or 'fresh'.

    Cheap enough to call on every start: it reads only the source table, stats the files and
    hashes just those whose size or mtime moved (the decision: ``freshness.status_of``).
    """
    revision = current_revision(engine)
    if revision is None:
        return "missing"
    if revision != head_revision():
        return "stale"
    with engine.connect() as connection:
        stored = _stored_sources(connection)
        fingerprint = _get_meta(connection, FINGERPRINT_KEY)
        problems = read_problems(connection, INGEST_PROBLEMS)
    return status_of(stored, fingerprint, problems, texts_dir, parser=parser_fingerprint)


# --- planning ----------------------------------------------------------------------------------


def _quiet(_message: str) -> None:
    pass


def _plan(texts_dir: Path, stored: dict[str, _Stored], *, reparse_all: bool) -> _Plan:
    plan = _Plan()
    seen: set[str] = set()
    for path in discover_texts(texts_dir):
        info = file_info(path, texts_dir)
        if info is None:
            continue
        seen.add(info.path)
        old = stored.get(info.path)
        if old is None:
            plan.to_parse.append((path, info, "added"))
        elif reparse_all or not same_content(path, info, old):
            plan.to_parse.append((path, info, "updated"))
            plan.replaced.append(old)
        else:
            plan.unchanged.append((info, old))
            if (info.size, info.mtime_ns) != (old.size, old.mtime_ns):
                plan.touched.append((info, old))
    plan.removed = [old for key, old in stored.items() if key not in seen]
    return plan


def _index_fingerprint(texts_dir: Path) -> str:
    # Through this module's name, so that a test can stand in a newer parser.
    return index_fingerprint(texts_dir, parser_fingerprint())


def _load_people(texts_dir: Path) -> PeopleRegistry:
    try:
        return load_people(people_file(texts_dir))
    except CorpusError as exc:
        raise IngestError(str(exc), path=exc.path, line=exc.line) from exc


#: Each text to store, in order: parsed, or the error that makes ingest skip it.
Parsed = Iterator[tuple[FileInfo, TextStatus, "_Prepared | IngestError"]]
ToParse = list[tuple[Path, FileInfo, TextStatus]]


@contextmanager
def _collector_spared() -> Iterator[None]:
    """The objects alive before the parse and write (modules, the people registry, the
    engine) set aside from the cyclic garbage collector until they are done.

    Parsing and writing allocate and free millions of small objects, and every collection of
    the oldest generation walked the hundreds of thousands already there, which never die:
    at 100x that was about a twelfth of the ingest's CPU time, in the writer and in each
    worker (forked inside this block, the workers inherit the set-aside objects, so their
    collector leaves those copy-on-write pages alone too). Only collection is affected:
    objects made during the ingest are collected as usual, and on leaving the set-aside ones
    are the collector's again. A process that set its own aside already (the command line,
    bot/cli/entry.py, for good) is left as it is: unfreezing here would undo that."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _tenths(say: Progress, total: int) -> TextsDone:
    """Plain progress for a log or a pipe: a line at each tenth of the texts (not one per
    text: 1,000 lines at 100x), with the rate and the time left."""
    started = time.perf_counter()
    step = max(1, -(-total // 10))

    def done(count: int, total: int) -> None:
        if count % step and count != total:
            return
        elapsed = max(time.perf_counter() - started, 1e-9)
        rate = count / elapsed
        left = (total - count) / rate if rate else 0.0
        say(f"stored {count} / {total} texts ({count * 100 // max(total, 1)}%), "
            f"{rate:.1f} texts/s, about {left:.0f} s left")

    return done


def _workers(items: ToParse) -> int:
    """Worker processes for this many texts: one per core this process may use."""
    import multiprocessing  # here: a start that finds the index fresh needs no pool

    if len(items) < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        return 0
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return min(cores or 1, len(items)) if (cores or 1) > 1 else 0


@contextmanager
def _parse_all(items: ToParse, people: PeopleRegistry, packing: Dialect | None = None
               ) -> Iterator[Parsed]:
    """The parsed texts, in order, as the writer asks for them.

    With several cores, worker processes parse up to ``_AHEAD_PER_WORKER`` texts each ahead
    of the writer (forked: they start with the parser already imported and the registry
    built). On leaving, workers still parsing are stopped, so a failed write does not wait
    for the rest of the corpus to be parsed. ``packing``: the SQLite dialect the rows are
    packed for (see ``_pack``); None keeps them as dicts (PostgreSQL)."""
    workers = _workers(items)
    if not workers:
        yield ((info, status, _parse_one(path, info, people, packing))
               for path, info, status in items)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # Import the parser here, once, so the forked workers inherit it instead of each
    # importing it again.
    from bot.corpus import load as _parser  # noqa: F401

    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=_start_worker, initargs=(people.people, packing))
    try:
        yield _in_order(pool, items, workers * _AHEAD_PER_WORKER)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _in_order(pool: ProcessPoolExecutor, items: ToParse, ahead: int) -> Parsed:
    queue: collections.deque[tuple[FileInfo, TextStatus, Future[_Prepared | IngestError]]] = \
        collections.deque()
    pending = iter(items)
    for path, info, status in pending:
        queue.append((info, status, pool.submit(_parse_in_worker, path, info)))
        if len(queue) >= ahead:
            break
    while queue:
        info, status, future = queue.popleft()
        parsed = future.result()  # a text's IngestError comes back as a value
        for path, next_info, next_status in pending:
            queue.append((next_info, next_status, pool.submit(_parse_in_worker, path,
                                                              next_info)))
            break
        yield info, status, parsed


_worker_people: PeopleRegistry | None = None  # a worker process's registry, set once
_worker_packing: Dialect | None = None  # and the dialect it packs rows for (forked: as is)


def _start_worker(people: list[Person], packing: Dialect | None) -> None:
    global _worker_people, _worker_packing
    _worker_people = PeopleRegistry(people)
    _worker_packing = packing


def _parse_in_worker(path: Path, info: FileInfo) -> _Prepared | IngestError:
    assert _worker_people is not None  # set by the pool's initializer
    return _parse_one(path, info, _worker_people, _worker_packing)


@dataclass(frozen=True, slots=True)
class _Prepared:
    """A parsed text as the writer needs it: its rows (``RelativeIds``, rebased when
    written), and what its report says.

    The rows are made where the text is parsed, in the worker process: building them was a
    sixth of the writer's time, and the plain dicts and tuples travel back to it several
    times faster than the ParsedText's objects (pickled field by field)."""

    slug: str
    warnings: tuple[str, ...]
    unknown_names: tuple[str, ...]
    rows: TextRows | None  # None when packed, or when none could be made
    counts: Counts = field(default_factory=lambda: Counts())
    #: The rows packed for SQLite (``_pack``): what the writer inserts there.
    packed: PackedRows | None = None
    #: Why no rows could be made ("RuntimeError: ..."): a failed write, as it was when the
    #: writer made them, so the whole ingest rolls back naming the file.
    unstorable: str | None = None


#: Stands in for the write's time in rows made ahead of it (``_write_text`` sets it).
_NOT_YET = datetime.min.replace(tzinfo=UTC)


def _parse_one(path: Path, info: FileInfo, people: PeopleRegistry,
               packing: Dialect | None = None) -> _Prepared | IngestError:
    """The parsed text's rows, or (returned, not raised: the text is skipped, the rest go
    on) the error naming its file, line and key."""
    try:
        parsed = load_text(path, people)
    except CorpusError as exc:
        return IngestError(str(exc), path=exc.path, line=exc.line)
    except Exception as exc:  # a parser bug on one odd file must still name the file
        log.debug("the parser failed on %s", path, exc_info=True)
        message = f"{path}: the parser failed ({type(exc).__name__}: {exc})"
        return IngestError(message, path=str(path))
    rows, counts, packed, unstorable = None, Counts(), None, None
    try:
        rows = text_rows(parsed, info, RelativeIds(), _NOT_YET)
        counts = _counts(rows)
        if packing is not None and (packed := _pack(rows, packing)) is not None:
            rows = None  # the packed copy is what travels back to the writer
    except Exception as exc:  # raised by the writer (see _Prepared.unstorable)
        unstorable = f"{type(exc).__name__}: {exc}"
    return _Prepared(parsed.meta.slug, tuple(parsed.warnings), tuple(parsed.unknown_names),
                     rows, counts, packed, unstorable)


def _check_slugs(parsed: Parsed, plan: _Plan, texts_dir: Path) -> Parsed:
    """Two files may not claim the same slug: commands and links name a text by its slug.
    The later file is skipped; the one the index already has (or the first) keeps it."""
    # A skipped text keeps its earlier version, so its slug stays taken too.
    owners = {old.slug: old.path for _info, old in plan.unchanged}
    owners.update((old.slug, old.path) for old in plan.replaced)
    for info, status, text_ in parsed:
        if isinstance(text_, IngestError):
            yield info, status, text_
            continue
        slug = text_.slug
        other = owners.get(slug, info.path)
        if other != info.path:
            yield info, status, IngestError(
                f"{texts_dir / info.path}: slug {slug!r} is already used by {other}; "
                "give one of them another 'slug:' in its front matter",
                path=str(texts_dir / info.path),
            )
            continue
        owners[slug] = info.path
        yield info, status, text_


# --- writing -----------------------------------------------------------------------------------


class _IdAllocator:
    """Primary keys for new rows, handed out before insertion (see ``rows.py`` for why).

    SQLite: max(id) + 1 onwards, which is safe because ``write_transaction`` holds the write
    lock from BEGIN IMMEDIATE to COMMIT. PostgreSQL: drawn from the column's sequence, which is
    safe under concurrency; one nextval() series per text keeps its ids one block (the search
    backends' source filter relies on that), and the ingest lock means no one else draws.
    """

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._sqlite = connection.dialect.name == "sqlite"
        self._next: dict[str, int] = {}

    def take(self, table: str, n: int) -> Iterator[int]:
        if n == 0:
            return iter(())
        if not self._sqlite:
            return iter(self._from_sequence(table, n))
        if table not in self._next:
            column = Base.metadata.tables[table].c.id
            self._next[table] = self._connection.scalar(select(func.max(column))) or 0
        start = self._next[table] + 1
        self._next[table] += n
        return iter(range(start, start + n))

    def _from_sequence(self, table: str, n: int) -> list[int]:
        statement = text(
            "SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"
        )
        return sorted(self._connection.scalars(statement, {"table": table, "n": n}))


def _write(
    engine: Engine,
    plan: _Plan,
    parsed: Parsed,
    fingerprint: str,
    say: Progress,
    done: TextsDone,
) -> list[TextReport]:
    """Apply the plan in one transaction; any failure rolls all of it back."""
    try:
        return _write_all(engine, plan, parsed, fingerprint, say, done)
    except SQLAlchemyError as exc:  # e.g. the database is locked by another writer for too long
        raise IngestError(f"{engine.url}: could not update the index ({exc})") from exc


def _write_all(
    engine: Engine,
    plan: _Plan,
    parsed: Parsed,
    fingerprint: str,
    say: Progress,
    done: TextsDone,
) -> list[TextReport]:
    now = datetime.now(UTC)
    reports: list[TextReport] = []
    total = len(plan.to_parse)
    previous = {old.path: old for old in plan.replaced}
    with write_transaction(engine) as connection, _bulk_fts(connection, plan):
        for gone in plan.removed:
            say(f"removing {gone.path}")
        _delete_sources(connection, [gone.id for gone in plan.removed])
        ids = _IdAllocator(connection)
        for info, status, parsed_text in parsed:  # each text is freed once written
            old = previous.get(info.path)
            if isinstance(parsed_text, IngestError):  # skipped: its earlier version stays
                log.warning("skipped %s", parsed_text)
                reports.append(TextReport(info.path, old.slug if old else "", "skipped",
                                          old.counts if old else Counts(),
                                          problem=str(parsed_text)))
                done(len(reports), total)
                continue
            if old is not None:  # replaced now, not up front: a skipped text keeps its rows
                _delete_sources(connection, [old.id])
            _write_text(connection, parsed_text, info, ids, now)
            warnings = tuple(f"{info.path}: {w}" for w in parsed_text.warnings)
            reports.append(
                TextReport(info.path, parsed_text.slug, status, parsed_text.counts, warnings,
                           parsed_text.unknown_names)
            )
            done(len(reports), total)
        for info, old in plan.touched:
            connection.execute(
                update(Source)
                .where(Source.id == old.id)
                .values(file_size=info.size, file_mtime_ns=info.mtime_ns)
            )
        _set_meta(connection, FINGERPRINT_KEY, fingerprint)
        _set_meta(connection, LAST_INGEST_KEY, now.isoformat())
        write_problems(connection, INGEST_PROBLEMS,
                       [r.problem for r in reports if r.problem is not None])
    return reports


@contextmanager
def _bulk_fts(connection: Connection, plan: _Plan) -> Iterator[None]:
    """For a write of most of the index on SQLite: no FTS5 triggers while rows go in, then
    each full-text index rebuilt once from its content table, then the same triggers back.

    Row by row, each insert and each cascaded delete updates the index through a trigger;
    a rebuild reads each table once (the index it builds answers every query the same way:
    external-content FTS5 indexes what the content table holds). All of it runs in the
    ingest's transaction, so readers see the old index until the commit, and a failure rolls
    the triggers back with everything else. A small change (one edited text) keeps the
    triggers: rebuilding the whole index for it would cost more.
    """
    stored = len(plan.unchanged) + len(plan.replaced) + len(plan.removed)
    written = len(plan.to_parse) + len(plan.removed)
    if connection.dialect.name != "sqlite" or not written or written < BULK_SHARE * stored:
        yield
        return
    triggers = connection.execute(text(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%\\_fts\\_%' "
        "ESCAPE '\\'")).all()
    for name, _sql in triggers:
        connection.exec_driver_sql(f'DROP TRIGGER "{name}"')
    yield
    for table in FTS_TABLES:
        connection.exec_driver_sql(f"INSERT INTO {table}({table}) VALUES ('rebuild')")
    for _name, sql in triggers:
        connection.exec_driver_sql(sql)


def _delete_sources(connection: Connection, source_ids: list[int]) -> None:
    """ON DELETE CASCADE removes every child row; the FTS triggers unindex them."""
    for start in range(0, len(source_ids), _DELETE_CHUNK):
        chunk = source_ids[start : start + _DELETE_CHUNK]
        connection.execute(delete(Source).where(Source.id.in_(chunk)))


def _write_text(
    connection: Connection,
    prepared: _Prepared,
    info: FileInfo,
    ids: _IdAllocator,
    now: datetime,
) -> None:
    if prepared.unstorable is not None or (prepared.rows is None and prepared.packed is None):
        raise IngestError(f"{info.path}: could not be stored ({prepared.unstorable})",
                          path=info.path)
    try:
        if prepared.packed is not None:
            _write_packed(connection, prepared.packed, ids, now)
            return
        assert prepared.rows is not None
        rows = prepared.rows
        rebase(rows, ids)  # the ids text_rows would have given them here
        rows.tables["source"][0]["ingested_at"] = now
        for table_name, table_rows in rows.tables.items():
            if not table_rows:
                continue
            if connection.dialect.name == "postgresql" and table_name in _COPIED:
                _copy_rows(connection, table_name, table_rows)
            else:
                _insert(connection, table_name, table_rows)
    except Exception as exc:  # name the file; the transaction is rolled back by the caller
        raise IngestError(
            f"{info.path}: could not be stored ({type(exc).__name__}: {exc})", path=info.path
        ) from exc


def _insert(connection: Connection, table_name: str, rows: list[Row]) -> None:
    """One ``executemany`` of ``rows`` into the table, every row with the same keys.

    On SQLite, the statement SQLAlchemy compiles for these keys is run through the driver
    with each value converted by its column type's own bind processor (JSON, DateTime,
    Boolean): the same SQL and the same stored values as ``connection.execute(insert(t),
    rows)``, without SQLAlchemy processing every row's parameters again (at 100x that was
    420,000 rows and about a third of the writer's time). Elsewhere, or where SQLAlchemy would
    fill in a column the rows leave out, that call itself."""
    table = Base.metadata.tables[table_name]
    plan = _insert_plan(connection.dialect, table_name, tuple(rows[0]))
    if plan is None:
        connection.execute(insert(table), rows)
        return
    connection.exec_driver_sql(plan.sql, plan.values(rows))


@dataclass(frozen=True, slots=True)
class _InsertPlan:
    """How rows with one set of keys go into a SQLite table through the driver."""

    sql: str
    order: tuple[str, ...]  # the statement's parameters, by column key
    get: Callable[[Row], tuple[Any, ...]]  # a row's values in that order
    processors: tuple[Callable[[Any], Any] | None, ...]  # per value; () if none converts

    def values(self, rows: list[Row]) -> list[tuple[Any, ...]]:
        """Each row's values in parameter order, converted by their bind processors."""
        params: list[tuple[Any, ...]] = [self.get(row) for row in rows]
        # Only the columns that have a processor are converted, in place: most have none, and
        # a generator over every value of every row was most of this function's time.
        converted = [(index, process) for index, process in enumerate(self.processors)
                     if process is not None]
        if converted:
            for number, values in enumerate(params):
                listed = list(values)
                for index, process in converted:
                    listed[index] = process(listed[index])
                params[number] = tuple(listed)  # the driver takes tuples (or mappings)
        return params


@functools.cache
def _insert_plan(dialect: Dialect, table_name: str, keys: tuple[str, ...]
                 ) -> _InsertPlan | None:
    """The plan of an insert of rows with ``keys`` on SQLite; None to leave it to
    SQLAlchemy."""
    if dialect.name != "sqlite" or dialect.paramstyle != "qmark":
        return None
    table = Base.metadata.tables[table_name]
    for column in table.columns:
        if column.key not in keys and (column.default is not None
                                       or column.onupdate is not None):
            return None  # SQLAlchemy would compute this column's value: let it
    compiled = insert(table).compile(dialect=dialect, column_keys=list(keys))
    order = compiled.positiontup
    if order is None or sorted(order) != sorted(keys):
        return None
    processors = tuple(table.c[key].type.dialect_impl(dialect).bind_processor(dialect)
                       for key in order)
    getter = operator.itemgetter(*order)

    def get(row: Row) -> tuple[Any, ...]:
        values = getter(row)
        return values if len(order) > 1 else (values,)

    return _InsertPlan(str(compiled), tuple(order), get,
                       processors if any(p is not None for p in processors) else ())


#: A text's rows packed for a SQLite store: per table, in the order ``text_rows`` made them
#: (parents first), the keys its rows had and each row's values as the driver takes them.
PackedRows = dict[str, tuple[tuple[str, ...], list[tuple[Any, ...]]]]


def _pack(rows: TextRows, dialect: Dialect) -> PackedRows | None:
    """The rows as value tuples in each insert's order, converted (JSON, dates) where they
    are made: in the worker process, in parallel, rather than in the one writer; tuples
    also travel back several times faster than dicts (no key strings pickled per row).
    None if a table's rows cannot go through the driver (SQLAlchemy fills a column)."""
    packed: PackedRows = {}
    for table, table_rows in rows.tables.items():
        if not table_rows:
            continue
        keys = tuple(table_rows[0])
        plan = _insert_plan(dialect, table, keys)
        if plan is None:
            return None
        packed[table] = (keys, plan.values(table_rows))
    return packed


def _write_packed(connection: Connection, packed: PackedRows, ids: _IdAllocator,
                  now: datetime) -> None:
    """Insert packed rows: relative ids moved to the ids ``ids`` hands out (a block per
    table on SQLite: each id plus the block's offset), the source's ``ingested_at`` set,
    one executemany per table straight on the driver's connection (in the transaction)."""
    dialect = connection.dialect
    offsets: dict[str, int] = {}
    for table, (keys, values) in packed.items():  # parents first, as rebase() takes them
        if "id" in keys:
            new = list(ids.take(table, len(values)))
            if new and new[-1] - new[0] != len(new) - 1:
                raise RuntimeError(f"ids for {table} are not one block")  # never on SQLite
            offsets[table] = new[0] - 1 if new else 0
    driver = connection.connection.driver_connection
    assert driver is not None
    for table, (keys, values) in packed.items():
        plan = _insert_plan(dialect, table, keys)
        assert plan is not None  # _pack made these rows with it
        moves = [(plan.order.index(column), offsets[target or table])
                 for column, target in ID_COLUMNS.items()
                 if column in plan.order and (target or table) in offsets]
        stamp = plan.order.index("ingested_at") if table == "source" else None
        params: list[Any] = values
        if moves or stamp is not None:
            params = []
            for row in values:
                listed = list(row)
                for index, offset in moves:
                    if listed[index] is not None:
                        listed[index] += offset
                if stamp is not None:
                    process = plan.processors[stamp] if plan.processors else None
                    listed[stamp] = process(now) if process is not None else now
                params.append(listed)
        driver.executemany(plan.sql, params)


# PostgreSQL takes these tables' rows by COPY, not executemany: their generated search
# columns call readbot_tsvector (migration 0014), a SQL function, which the server plans
# afresh for every statement that calls it, and psycopg's executemany runs one INSERT per
# row. One COPY per table and text plans it once (5,000 sentences: 966 -> 253 µs a row).
_COPIED = frozenset({"passage", "quotation", "sentence"})


def _copy_rows(connection: Connection, table_name: str, rows: list[Row]) -> None:
    """``rows`` into ``table_name`` by COPY, in the ingest's transaction; each value goes
    through its column type's bind processing (JSON), as ``insert()`` would send it."""
    table = Base.metadata.tables[table_name]
    names = list(rows[0])
    processors = [table.c[name].type.dialect_impl(connection.dialect).bind_processor(
        connection.dialect) for name in names]
    columns = ", ".join(f'"{name}"' for name in names)  # "index", "end": reserved words
    dbapi_connection: Any = connection.connection.dbapi_connection  # psycopg's Connection
    with dbapi_connection.cursor() as cursor, cursor.copy(
            f"COPY {table_name} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([value if process is None else process(value)
                            for process, value in zip(processors, (row[n] for n in names),
                                                      strict=True)])


def _counts(rows: TextRows) -> Counts:
    (source,) = rows.tables["source"]
    return Counts(
        texts=1,
        sections=source["section_count"],
        passages=source["passage_count"],
        quotations=source["quotation_count"],
        notes=source["note_count"],
        citations_resolved=source["citation_count"] - source["citations_unresolved"],
        citations_unresolved=source["citations_unresolved"],
    )


# --- reading bookkeeping -----------------------------------------------------------------------


def _stored_sources(connection: Connection) -> dict[str, _Stored]:
    statement = select(
        Source.id,
        Source.slug,
        Source.path,
        Source.content_hash,
        Source.file_size,
        Source.file_mtime_ns,
        Source.section_count,
        Source.passage_count,
        Source.quotation_count,
        Source.note_count,
        Source.citation_count,
        Source.citations_unresolved,
    )
    stored: dict[str, _Stored] = {}
    for row in connection.execute(statement):
        counts = Counts(
            texts=1,
            sections=row.section_count,
            passages=row.passage_count,
            quotations=row.quotation_count,
            notes=row.note_count,
            citations_resolved=row.citation_count - row.citations_unresolved,
            citations_unresolved=row.citations_unresolved,
        )
        stored[row.path] = _Stored(
            row.id, row.slug, row.path, row.content_hash, row.file_size, row.file_mtime_ns, counts
        )
    return stored


def _totals(connection: Connection) -> Counts:
    total = func.coalesce
    row = connection.execute(
        select(
            func.count(Source.id),
            total(func.sum(Source.section_count), 0),
            total(func.sum(Source.passage_count), 0),
            total(func.sum(Source.quotation_count), 0),
            total(func.sum(Source.note_count), 0),
            total(func.sum(Source.citation_count), 0),
            total(func.sum(Source.citations_unresolved), 0),
        )
    ).one()
    texts, sections, passages, quotations, notes, citations, unresolved = row
    return Counts(texts, sections, passages, quotations, notes, citations - unresolved, unresolved)


def _get_meta(connection: Connection, key: str) -> str | None:
    return connection.scalar(select(StoreMeta.value).where(StoreMeta.key == key))


def _set_meta(connection: Connection, key: str, value: str) -> None:
    # Delete + insert: a portable upsert (we hold the write lock anyway).
    connection.execute(delete(StoreMeta).where(StoreMeta.key == key))
    connection.execute(insert(StoreMeta).values(key=key, value=value))


def _unchanged_report(info: FileInfo, old: _Stored) -> TextReport:
    return TextReport(info.path, old.slug, "unchanged", old.counts)


def _removed_report(old: _Stored) -> TextReport:
    return TextReport(old.path, old.slug, "removed", old.counts)
