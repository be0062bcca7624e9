"""The store on a real PostgreSQL server: migrations, ingest's lock and atomicity, the search
backend's safety, and two scheduler processes racing for one guild and day."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from bot.store.database import create_engine_for, current_revision, head_revision, migrate
from bot.store.ingest import INGEST_LOCK_KEY, IngestError, ingest
from bot.store.pg_search import PostgresSearch
from bot.store.prompt_store import PromptRepository
from bot.store.search import search_backend_for
from tests.answer_helpers import store_copy
from tests.corpus_helpers import REPO
from tests.postgres import corpus_database, new_database
from tests.prompt_helpers import NEW_ESSAY, tiny_corpus

pytestmark = pytest.mark.postgres


@pytest.fixture
def engine() -> Engine:
    engine = create_engine_for(new_database("store"))
    yield engine
    engine.dispose()


def _count(engine: Engine, table: str) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar() or 0)


def test_every_migration_runs_on_postgres_and_down_again(engine: Engine) -> None:
    from alembic import command

    from bot.store.database import alembic_config

    migrate(engine)
    assert current_revision(engine) == head_revision()
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    assert current_revision(engine) is None
    migrate(engine)
    assert current_revision(engine) == head_revision()


def test_ingest_draws_ids_from_the_sequences_and_search_finds_the_text(
        engine: Engine, tmp_path: Path) -> None:
    texts = tiny_corpus(tmp_path)
    report = ingest(engine, texts)
    assert report.totals.texts == 1 and report.waited_for_lock == 0
    hits = search_backend_for(engine).search_passages("bureaucracy conquered")
    assert isinstance(search_backend_for(engine), PostgresSearch)
    assert hits and hits[0].source_slug == "new-essay" and "**" in hits[0].snippet
    ingest(engine, texts, force=True)  # delete + insert again: ids keep coming from sequences
    assert search_backend_for(engine).search_passages("bureaucracy conquered")


def test_an_ingest_leaves_the_searched_tables_vacuumed_and_analysed(
        engine: Engine, tmp_path: Path) -> None:
    """New rows must not wait in the GIN pending lists for autovacuum: the first searches
    after an ingest would scan them all."""
    ingest(engine, tiny_corpus(tmp_path))
    with engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT relname, last_vacuum, last_analyze FROM pg_stat_user_tables "
            "WHERE relname IN ('passage', 'sentence', 'quotation')")).all()
    assert {r.relname for r in rows} == {"passage", "sentence", "quotation"}
    assert all(r.last_vacuum is not None and r.last_analyze is not None for r in rows)


def test_a_bad_text_is_skipped_and_a_failed_reingest_leaves_the_previous_index(
        engine: Engine, tmp_path: Path) -> None:
    texts = tiny_corpus(tmp_path)
    ingest(engine, texts)
    before = _count(engine, "passage")
    (texts / "broken.md").write_text("---\ntitle: [unclosed\n---\nText.\n", encoding="utf-8")
    (problem,) = ingest(engine, texts).problems  # the bad file is left out, with its line
    assert problem.startswith(f"{texts / 'broken.md'}:3: front matter is not valid YAML")
    assert _count(engine, "passage") == before
    (texts / "new-essay.md").write_text(NEW_ESSAY.replace("Few listened", "Many listened"),
                                        encoding="utf-8")
    with pytest.raises(IngestError):  # a folder that is gone fails the whole ingest
        ingest(engine, texts.parent / "txets")
    assert _count(engine, "passage") == before
    assert search_backend_for(engine).search_passages("Few listened")


def test_a_second_ingest_waits_for_the_first_and_says_so(engine: Engine, tmp_path: Path) -> None:
    texts = tiny_corpus(tmp_path)
    migrate(engine)
    holder = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    holder.execute(text("SELECT pg_advisory_lock(:key)"), {"key": INGEST_LOCK_KEY})
    said: list[str] = []
    reports = []
    worker = threading.Thread(target=lambda: reports.append(
        ingest(engine, texts, progress=said.append)))
    worker.start()
    time.sleep(1.0)  # the other "process" is still ingesting
    assert reports == [] and _count(engine, "source") == 0
    assert any("another ingest is running" in line for line in said)
    holder.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": INGEST_LOCK_KEY})
    holder.close()
    worker.join(timeout=60)
    (report,) = reports
    assert report.waited_for_lock >= 0.9 and "waited" in report.summary()
    assert report.totals.texts == 1


def test_two_concurrent_ingests_write_the_corpus_once(engine: Engine, tmp_path: Path) -> None:
    texts = tiny_corpus(tmp_path)
    other = create_engine_for(engine.url.render_as_string(hide_password=False))
    reports = []
    threads = [threading.Thread(target=lambda e=e: reports.append(ingest(e, texts)))
               for e in (engine, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    other.dispose()
    statuses = sorted(report.texts[0].status for report in reports)
    assert statuses == ["added", "unchanged"]  # the second planned after the first committed
    assert _count(engine, "source") == 1


@pytest.mark.parametrize("hostile", ['"', "!", "&|", "a:*", "(((", "'", "\\", "<->", "NEAR(x",
                                     "' | 'x", "!!!trotsky", "foo & !bar", "x <2> y", "ё ü ø"])
def test_tsquery_syntax_in_user_text_never_raises(hostile: str) -> None:
    search = _corpus_search()
    search.search_passages(hostile)
    search.search_quotations(hostile, speaker="Leon Trotsky")
    search.search_sentences([hostile, "Trotsky"])


def test_accents_fold_both_ways() -> None:
    search = _corpus_search()
    plain = [h.passage_id for h in search.search_passages("Coyoacan")]
    accented = [h.passage_id for h in search.search_passages("Coyoacán")]
    assert plain and plain == accented


def _vocabularies(tmp_path: Path, table: str) -> tuple[dict[str, int], dict[str, int]]:
    """{term: rows holding it} of one table's index, on SQLite (fts5vocab) and PostgreSQL
    (ts_stat), both from the same ingest of the real corpus."""
    lite = create_engine_for(store_copy(tmp_path / "vocab.sqlite3"))
    try:
        with lite.begin() as connection:
            connection.execute(text(f"CREATE VIRTUAL TABLE temp.v_{table} USING "
                                    f"fts5vocab(main, {table}_fts, 'row')"))
            fts5 = {str(term): int(docs) for term, docs in connection.execute(
                text(f"SELECT term, doc FROM temp.v_{table}"))}
    finally:
        lite.dispose()
    pg = _corpus_search()._engine
    with pg.connect() as connection:
        stat = {str(word): int(docs) for word, docs in connection.execute(
            text(f"SELECT word, ndoc FROM ts_stat('SELECT search_tsv FROM {table}')"))}
    return fts5, stat


@pytest.mark.parametrize("table", ["sentence", "passage", "quotation"])
def test_postgres_indexes_the_terms_fts5_indexes_with_the_same_document_counts(
        tmp_path: Path, table: str) -> None:
    fts5, stat = _vocabularies(tmp_path, table)
    # The short words are where Snowball's porter and FTS5's part ways ("as" -> "a").
    assert {"as", "is", "us", "up", "wa"} <= fts5.keys()
    differ = {term: (fts5.get(term), stat.get(term)) for term in fts5.keys() | stat.keys()
              if fts5.get(term) != stat.get(term)}
    assert not differ, f"{len(differ)} terms differ, e.g. {sorted(differ.items())[:20]}"


def test_the_sentence_vocabulary_is_the_same_on_both_backends(tmp_path: Path) -> None:
    lite = create_engine_for(store_copy(tmp_path / "sentences.sqlite3"))
    try:
        assert search_backend_for(lite).sentence_vocabulary() == \
            _corpus_search().sentence_vocabulary()
    finally:
        lite.dispose()


@pytest.mark.parametrize("query", ["as", "ups", "is", "as it is", "up", "\"was as\"",
                                   "us ups as was"])
def test_short_words_find_the_same_hits_and_scores_on_both_backends(
        tmp_path: Path, query: str) -> None:
    lite = create_engine_for(store_copy(tmp_path / "short.sqlite3"))
    try:
        fts5, pg = search_backend_for(lite), _corpus_search()
        for search in (lambda b: [(h.passage_id, h.score) for h in b.search_passages(query)],
                       lambda b: [(h.quotation_id, h.score) for h in b.search_quotations(query)],
                       lambda b: [(h.sentence_id, h.score)
                                  for h in b.search_sentences(query.strip('"').split())]):
            expected = search(fts5)
            assert expected, query
            found = search(pg)
            # The same rows in the same order; scores to the last bits of a double (the two
            # sum the mean row length in different orders).
            assert [row for row, _ in found] == [row for row, _ in expected], query
            assert [score for _, score in found] == pytest.approx(
                [score for _, score in expected], rel=1e-12), query
    finally:
        lite.dispose()


def test_a_headline_marks_the_short_words_of_the_query() -> None:
    hits = _corpus_search().search_passages("as ups")
    assert hits and any("as" in h.snippet.lower().split("**")[1::2] for h in hits)


def test_the_cap_reached_by_id_ranges_ranks_the_rows_a_read_of_every_match_ranks(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The corpus is too small for the ranges at RANK_CAP (2,000); a cap of 5 makes most steps
    below take them (a step expected to match only a few rows reads every match)."""
    import bot.store.pg_search as pg_search

    searches = (lambda b: [(h.passage_id, h.score) for h in b.search_passages("the revolution")],
                lambda b: [(h.passage_id, h.score) for h in b.search_passages("Kronstadt")],
                lambda b: [(h.quotation_id, h.score) for h in b.search_quotations("Stalin")],
                lambda b: [(h.sentence_id, h.score) for h in b.search_sentences(
                    ["Trotsky", "bureaucracy", "Kronstadt", "permanent revolution"])])
    monkeypatch.setattr(pg_search, "RANK_CAP", 5)
    chunked = []
    real_chunk = pg_search._chunk

    def chunk(*args: object) -> tuple[int, int] | None:
        found = real_chunk(*args)  # type: ignore[arg-type]
        chunked.append(found)
        return found

    monkeypatch.setattr(pg_search, "_chunk", chunk)
    by_ranges = [search(_corpus_search()) for search in searches]
    assert all(by_ranges) and sum(found is not None for found in chunked) >= 3
    monkeypatch.setattr(pg_search, "_chunk", lambda *args: None)
    assert [search(_corpus_search()) for search in searches] == by_ranges


def test_a_step_searched_again_ranks_the_same_rows_as_the_first_time(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A search remembers what each step matched (how many of its first RANK_CAP, the last
    id), and the next search of the step reads its matches up to that id and skips a step
    that matched nothing. A cap of 5 makes the corpus reach it, as common words do at 100x."""
    import bot.store.pg_search as pg_search

    monkeypatch.setattr(pg_search, "RANK_CAP", 5)
    searches = (lambda b: [(h.passage_id, h.score, h.match) for h in b.search_passages(
                    "the revolution")],
                lambda b: [(h.passage_id, h.score, h.match) for h in b.search_passages(
                    "Kronstadt xqzv")],  # the all-words step matches nothing
                lambda b: [(h.passage_id, h.score) for h in b.search_passages(
                    "Stalin", source_slug="life-of-leon-trotsky")],
                lambda b: [(h.quotation_id, h.score) for h in b.search_quotations(
                    "Stalin", speaker="Leon Trotsky")],
                lambda b: [(h.quotation_id, h.score) for h in b.search_quotations("the")],
                lambda b: [(h.sentence_id, h.score) for h in b.search_sentences(
                    ["Trotsky", "bureaucracy", "permanent revolution"])])
    search = PostgresSearch(_corpus_search()._engine)
    first = [run(search) for run in searches]
    assert all(first) and search._matched
    assert [run(search) for run in searches] == first
    assert [run(PostgresSearch(search._engine)) for run in searches] == first


def test_what_a_search_remembers_of_a_step_is_dropped_by_the_next_ingest(
        engine: Engine, tmp_path: Path) -> None:
    texts = tiny_corpus(tmp_path)
    ingest(engine, texts)
    search = PostgresSearch(engine)
    assert search.search_passages("conquered")
    assert [h.match for h in search.search_passages("listened Many")] == ["any"]
    assert not search.search_passages("took") and not search.search_passages("took")
    (texts / "new-essay.md").write_text(
        NEW_ESSAY.replace("conquered", "took").replace("Few listened", "Many listened"),
        encoding="utf-8")
    ingest(engine, texts)
    assert search.search_passages("took")  # remembered to match nothing, before this ingest
    assert not search.search_passages("conquered")
    assert [h.match for h in search.search_passages("listened Many")] == ["all"]


def test_a_pooled_connection_the_server_dropped_while_idle_is_replaced(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """No pre-ping on every checkout, only after PING_AFTER_IDLE_S in the pool."""
    import bot.store.database as database

    engine, admin = create_engine_for(new_database("ping")), create_engine_for(new_database("a"))
    try:
        with engine.connect() as connection:
            pid = connection.execute(text("SELECT pg_backend_pid()")).scalar()
        with admin.connect() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        monkeypatch.setattr(database, "PING_AFTER_IDLE_S", 0.0)
        with engine.connect() as connection:  # the dead one fails its ping: a new one
            assert connection.execute(text("SELECT pg_backend_pid()")).scalar() != pid
    finally:
        engine.dispose()
        admin.dispose()


_SEARCH: list[PostgresSearch] = []


def _corpus_search() -> PostgresSearch:
    if not _SEARCH:
        _SEARCH.append(PostgresSearch(create_engine_for(corpus_database("search"))))
    return _SEARCH[0]


# --- two scheduler processes -----------------------------------------------------------------

_RACER = """
import json, sys, time
from datetime import datetime
from bot.answers.prompts.jobs import claim_due
from tests.prompt_helpers import FakeClock, prompt_context
url, start, now = sys.argv[1], float(sys.argv[2]), datetime.fromisoformat(sys.argv[3])
ctx = prompt_context(url, FakeClock(now))
ctx.store.due_schedules(now)  # connect and warm up before the start line
ctx.corpus_pool()
time.sleep(max(0.0, start - time.time()))
jobs = claim_due(ctx, now, lambda guild_id: True)
print(json.dumps([[job.guild_id, job.local_date.isoformat()] for job in jobs]))
"""


def test_two_scheduler_processes_racing_for_a_guild_and_day_post_once(tmp_path: Path) -> None:
    from bot.answers.prompts import commands as prompts
    from tests.prompt_helpers import FakeClock, prompt_context, utc

    url = corpus_database("race")
    clock = FakeClock(utc(2024, 1, 15, 8))
    setup = prompt_context(url, clock)
    guilds = [(n << 22) + 7 for n in range(1, 6)]  # five servers: five races in one run
    for guild in guilds:
        prompts.schedule_prompts(setup, guild, 2222, channel_id=1111, time_text="09:00",
                                 timezone_text="Europe/London")
    setup.answers.store.engine.dispose()
    due = utc(2024, 1, 15, 9, 0, 30).isoformat()
    start = time.time() + 8  # both processes are warmed up and waiting by then
    racers = [subprocess.Popen([sys.executable, "-c", _RACER, url, str(start), due],
                               cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
              for _ in range(2)]
    outputs = [racer.communicate(timeout=90) for racer in racers]
    for racer, (_out, err) in zip(racers, outputs, strict=True):
        assert racer.returncode == 0, err
    claimed = [tuple(job) for out, _err in outputs for job in json.loads(out.splitlines()[-1])]
    assert sorted(claimed) == sorted((guild, "2024-01-15") for guild in guilds), claimed
    engine = create_engine_for(url)
    repository = PromptRepository(engine)
    for guild in guilds:
        post = repository.post_for(guild, clock.now().date())
        assert post is not None and post.status == "claimed" and post.attempts == 1
    engine.dispose()
