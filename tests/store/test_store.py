"""The store: schema and migrations, row mapping, query parsing and full-text search."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, func, inspect, select, text

from bot.corpus.model import (
    BlockKind,
    Citation,
    CitationKind,
    Paragraph,
    ParsedText,
    Quotation,
    QuoteKind,
    Section,
    TextMeta,
    Work,
)
from bot.store import ingest as ingest_module
from bot.store.database import (
    alembic_config,
    create_engine_for,
    current_revision,
    head_revision,
    migrate,
    schema_is_current,
    session_factory,
)
from bot.store.ingest import ingest
from bot.store.models import FTS_TABLES, FTS_VIEWS, Base, Passage
from bot.store.models import Quotation as QuotationRow
from bot.store.rows import FileInfo, text_rows
from bot.store.search import MAX_LIMIT, MAX_WORDS, Fts5Search, parse_query, search_backend_for
from tests.corpus_helpers import REPO

TEXTS = REPO / "corpus" / "texts"

HOSTILE_QUERIES = [
    '"',
    '""',
    '"unterminated phrase',
    "NEAR(",
    "NEAR(a b, 2)",
    "*",
    "bureau*",
    ") OR (",
    "((((",
    "AND",
    "NOT",
    "OR",
    "a AND NOT b",
    "^",
    "^bureaucracy",
    "col:word",
    "text:bureaucracy",
    "{text}: x",
    "-",
    "+",
    "'; DROP TABLE passage; --",
    "\\",
    "\x00",
    "a" * 10_000,
    "bureaucracy " * 5_000,
    "🙂🚩✊",
    "",
    "   ",
    "\u0301\u0301",  # lone combining marks
    "Ｔｒｏｔｓｋｙ",  # full-width letters
    "Троцкий",
    "托洛茨基",
    "«Thermidor»",
]


# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = create_engine_for(f"sqlite:///{tmp_path / 'data' / 'store.sqlite3'}")
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def corpus_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """The real corpus, ingested once for this module's search tests."""
    path = tmp_path_factory.mktemp("corpus") / "store.sqlite3"
    engine = create_engine_for(f"sqlite:///{path}")
    ingest(engine, TEXTS)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def search(corpus_engine: Engine) -> Fts5Search:
    return Fts5Search(corpus_engine)


def make_text(slug: str, paragraphs: list[str], *, title: str = "A text") -> ParsedText:
    """A small hand-built parse: one section, body paragraphs, no quotations."""
    return ParsedText(
        meta=TextMeta(slug=slug, title=title, author="Someone"),
        content_hash=f"hash-{slug}",
        sections=[Section(0, None)],
        paragraphs=[
            Paragraph(i, 0, BlockKind.BODY, body, line=1 + 2 * i, sentences=[(0, len(body))])
            for i, body in enumerate(paragraphs)
        ],
        quotations=[],
        notes=[],
        references=[],
    )


def ingest_hand_built(
    engine: Engine, folder: Path, texts: list[ParsedText], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ingest hand-built parses through the real ingest, one placeholder file per text."""
    folder.mkdir(parents=True, exist_ok=True)
    by_path = {}
    for parsed in texts:
        path = folder / f"{parsed.meta.slug}.md"
        path.write_text(parsed.meta.slug, encoding="utf-8")
        by_path[path.name] = parsed
    monkeypatch.setattr(ingest_module, "load_text", lambda path, people=None: by_path[path.name])
    ingest(engine, folder)


# --- schema and migrations ---------------------------------------------------------------------


def test_migrate_creates_the_schema_from_nothing(engine: Engine) -> None:
    assert current_revision(engine) is None
    migrate(engine)
    tables = set(inspect(engine).get_table_names())
    expected = {"source", "section", "passage", "citation", "quotation", "note", "reference"}
    assert expected | {"store_meta", "alembic_version", *FTS_TABLES} <= tables
    assert current_revision(engine) == head_revision()
    assert schema_is_current(engine)


def test_head_revision_is_alembics_head_without_importing_alembic() -> None:
    """The start-up check reads the head from the file names; Alembic must agree, and every
    migration must be named after its revision (or a new one would be missed at start)."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config())
    assert head_revision() == scripts.get_current_head()
    for script in scripts.walk_revisions():
        assert Path(script.path).stem == script.revision


def test_a_schema_at_head_starts_without_alembic(tmp_path: Path) -> None:
    """Every start but the first: one version query, Alembic never imported."""
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    migrate(create_engine_for(url))
    code = ("import sys; from bot.store.database import create_engine_for, migrate; "
            f"migrate(create_engine_for({url!r})); print('alembic' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "False"


def test_migrate_twice_is_a_no_op(engine: Engine) -> None:
    migrate(engine)
    migrate(engine)
    assert current_revision(engine) == head_revision()


def test_downgrade_to_nothing_and_back(engine: Engine) -> None:
    migrate(engine)
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrate(engine)
    assert {"passage", "passage_fts"} <= set(inspect(engine).get_table_names())


def test_models_agree_with_the_migrations(engine: Engine) -> None:
    """Autogenerate against a migrated database proposes nothing (FTS tables excluded)."""
    migrate(engine)

    def include(obj: object, name: str | None, type_: str, *_: object) -> bool:
        fts = FTS_TABLES + FTS_VIEWS
        return not (type_ == "table" and name is not None and name.startswith(fts))

    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_object": include, "compare_type": True}
        )
        assert compare_metadata(context, Base.metadata) == []


def test_sqlite_connections_get_the_pragmas(engine: Engine) -> None:
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL


def test_engine_creates_the_data_folder(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "er" / "db.sqlite3"
    engine = create_engine_for(f"sqlite:///{target}")
    migrate(engine)
    engine.dispose()
    assert target.exists()


def test_a_failed_transaction_rolls_back_entirely(engine: Engine) -> None:
    """BEGIN is ours (not the sqlite3 module's), so DDL and DML roll back together."""
    migrate(engine)
    with pytest.raises(RuntimeError), engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE scratch (x INTEGER)")
        connection.exec_driver_sql("INSERT INTO store_meta VALUES ('k', 'v')")
        raise RuntimeError("boom")
    assert "scratch" not in inspect(engine).get_table_names()
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM store_meta").scalar() == 0


def test_non_sqlite_urls_pass_through(tmp_path: Path) -> None:
    # A stand-in DB-API module: no PostgreSQL driver or server is needed to build the engine.
    driver = SimpleNamespace(paramstyle="format", __version__="1.31.0")
    engine = create_engine_for("postgresql+pg8000://user:pw@localhost/readbot", module=driver)
    assert engine.dialect.name == "postgresql"
    assert not list(tmp_path.iterdir())  # no SQLite-only side effects
    assert type(search_backend_for(engine)).__name__ == "PostgresSearch"  # built, not connected


# --- mapping a parsed text to rows -------------------------------------------------------------


class _Counter:
    def __init__(self) -> None:
        self.next: dict[str, int] = {}

    def take(self, table: str, n: int) -> Iterator[int]:
        start = self.next.get(table, 0) + 1
        self.next[table] = start + n - 1
        return iter(range(start, start + n))


def _quoted_text() -> ParsedText:
    work = Work("John Reed, Ten Days that Shook the World", "John Reed", "Ten Days")
    in_paragraph = Citation(CitationKind.ENDNOTE, "17", 30, 32, work, "57", 17)
    signature = Citation(CitationKind.ENDNOTE, "1", 90, 91, work)  # not in any paragraph's list
    parsed = make_text("quoted", ["Epigraph words", "He said “all power to the soviets”17 then."])
    parsed.paragraphs[1].citations = [in_paragraph]
    parsed.quotations = [
        Quotation(0, QuoteKind.EPIGRAPH, "Epigraph words", 0, 14, signature, "John Reed"),
        Quotation(1, QuoteKind.INLINE, "all power to the soviets", 9, 33, in_paragraph),
        Quotation(1, QuoteKind.INLINE, "soviets", 26, 33, in_paragraph),
    ]
    return parsed


def test_rows_link_quotations_to_their_citations() -> None:
    rows = text_rows(_quoted_text(), FileInfo("q.md", 10, 1), _Counter(), datetime.now(UTC))
    citations = rows.tables["citation"]
    passages = rows.tables["passage"]
    quotations = rows.tables["quotation"]
    # The paragraph's citation once, plus the epigraph's own, on the epigraph's passage.
    assert [(c["marker"], c["passage_id"]) for c in citations] == [
        ("17", passages[1]["id"]),
        ("1", passages[0]["id"]),
    ]
    assert citations[0]["display"] == "John Reed, *Ten Days*, p. 57"
    assert [q["citation_id"] for q in quotations] == [
        citations[1]["id"],
        citations[0]["id"],
        citations[0]["id"],
    ]
    assert rows.tables["source"][0]["citation_count"] == 2
    assert rows.tables["source"][0]["citations_unresolved"] == 0


def test_rows_store_metadata_and_sentences() -> None:
    parsed = make_text("meta", ["One. Two."])
    rows = text_rows(parsed, FileInfo("m.md", 10, 123), _Counter(), datetime.now(UTC))
    (source,) = rows.tables["source"]
    assert (source["slug"], source["path"], source["file_mtime_ns"]) == ("meta", "m.md", 123)
    assert rows.tables["passage"][0]["sentences"] == [[0, 9]]
    assert rows.tables["passage"][0]["section_id"] == rows.tables["section"][0]["id"]


# --- turning user text into FTS5 queries -------------------------------------------------------


def test_words_are_quoted_and_operators_are_plain_words() -> None:
    query = parse_query('bureaucracy NEAR( AND col:word ^x * ")')
    assert query.all_words() == '"bureaucracy" "NEAR" "AND" "col" "word" "x"'


def test_a_quoted_phrase_is_searched_as_a_phrase_first() -> None:
    ladder = parse_query('“dustbin of history” Trotsky').ladder()
    assert ladder[0] == ("exact", '"dustbin of history" "Trotsky"')
    assert ladder[1] == ("all", '"dustbin" "of" "history" "Trotsky"')
    assert ladder[2] == ("any", '"dustbin" OR "history" OR "Trotsky"')


def test_the_any_word_fallback_keeps_only_telling_words() -> None:
    assert parse_query("<@1> the Kronstadt of 1921 x").any_word() == '"Kronstadt" OR "1921"'
    assert parse_query("to be or not").any_word() == '"to" OR "be" OR "or" OR "not"'


def test_an_unbalanced_quote_is_ignored() -> None:
    assert parse_query('"dustbin of history').phrases == (("dustbin",), ("of",), ("history",))


def test_queries_are_capped_in_words() -> None:
    assert len(parse_query("word " * 1000).words) == MAX_WORDS
    assert len(parse_query('"' + "word " * 1000 + '"').words) == MAX_WORDS


def test_queries_without_words_are_empty() -> None:
    for nothing in ("", "   ", "🙂🙂", "*^()", '"'):
        assert not parse_query(nothing)


@pytest.mark.parametrize("hostile", HOSTILE_QUERIES)
def test_every_query_renders_only_string_literals(hostile: str) -> None:
    """Whatever the input, FTS5 sees only "quoted strings" joined by spaces or OR."""
    for _mode, fts in parse_query(hostile).ladder() if parse_query(hostile) else []:
        for part in fts.replace(" OR ", " ").split('" "'):
            assert part.strip('"').replace(" ", "").isalnum()


# --- search on hand-built texts ----------------------------------------------------------------


@pytest.fixture
def small(engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Fts5Search:
    texts = [
        make_text("mexico", ["Trotsky lived in Coyoacán until 1940.", "A garden wall."]),
        make_text("plain", ["Later the town of Coyoacan grew.", "The bureaucracies multiplied."]),
        make_text("caste", ["A bureaucratic caste ruled the workers' state."]),
    ]
    ingest_hand_built(engine, tmp_path / "texts", texts, monkeypatch)
    return Fts5Search(engine)


def test_diacritics_are_folded_both_ways(small: Fts5Search) -> None:
    for query in ("Coyoacán", "Coyoacan", "COYOACAN"):
        assert {hit.source_slug for hit in small.search_passages(query)} == {"mexico", "plain"}


def test_stemming_finds_other_forms(small: Fts5Search) -> None:
    (hit,) = small.search_passages("bureaucracy")
    assert hit.source_slug == "plain"
    assert "**bureaucracies**" in hit.snippet


def test_all_words_must_match_before_any_word(small: Fts5Search) -> None:
    (hit,) = small.search_passages("bureaucratic caste")
    assert (hit.source_slug, hit.match) == ("caste", "all")
    partial = small.search_passages("caste xyzzy")
    assert [(h.source_slug, h.match) for h in partial] == [("caste", "any")]


def test_hits_carry_where_they_come_from(small: Fts5Search) -> None:
    (hit,) = small.search_passages("garden")
    assert (hit.source_slug, hit.source_title, hit.source_author) == ("mexico", "A text", "Someone")
    assert (hit.paragraph_index, hit.line, hit.kind) == (1, 3, "body")
    assert hit.text == "A garden wall."
    assert hit.snippet == "A **garden** wall."
    assert hit.score > 0


def test_source_filter_works_even_if_ids_are_not_contiguous(
    small: Fts5Search, engine: Engine
) -> None:
    """A row added out of ingest's id block for its source is still found, others are not."""
    with engine.begin() as connection:
        source_id = connection.scalar(text("SELECT id FROM source WHERE slug = 'mexico'"))
        last = connection.scalar(select(func.max(Passage.id)))
        connection.execute(
            Passage.__table__.insert(),
            {
                "id": last + 10,
                "source_id": source_id,
                "section_id": None,
                "index": 99,
                "kind": "body",
                "text": "Coyoacán again, much later.",
                "line": 200,
                "sentences": [],
            },
        )
    hits = small.search_passages("Coyoacan", source_slug="mexico")
    assert sorted(h.paragraph_index for h in hits) == [0, 99]
    assert small.search_passages("Coyoacan", source_slug="plain")[0].source_slug == "plain"


def test_unknown_source_gives_nothing(small: Fts5Search) -> None:
    assert small.search_passages("Coyoacan", source_slug="no-such-text") == []
    assert small.search_quotations("Coyoacan", source_slug="no-such-text") == []


def test_limit_is_clamped(small: Fts5Search) -> None:
    assert len(small.search_passages("Coyoacan", limit=0)) == 1
    assert len(small.search_passages("Coyoacan", limit=10**9)) == 2


# --- search on the real corpus -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("leopard changing his spots", "revolutionary-appraised"),
        ('"dustbin of history"', "life-of-leon-trotsky"),
        ("dustbin of history", "life-of-leon-trotsky"),
        ("bureaucratic caste", "life-of-leon-trotsky"),
        ("Coyoacan Heijenoort", "to-topple-the-stalinist-bureaucracy"),
    ],
)
def test_realistic_queries_find_the_right_passage(
    search: Fts5Search, query: str, slug: str
) -> None:
    hits = search.search_passages(query, limit=5)
    assert hits, query
    assert hits[0].source_slug == slug
    assert "**" in hits[0].snippet


def test_a_phrase_search_matches_the_exact_words(search: Fts5Search) -> None:
    hits = search.search_passages('"dustbin of history"')
    assert hits and all(h.match == "exact" for h in hits)
    assert all("dustbin of history" in h.text for h in hits)


def test_quotation_search_returns_the_resolved_citation(search: Fts5Search) -> None:
    hits = search.search_quotations("leader of an extreme party")
    assert hits[0].kind == "epigraph"
    assert hits[0].source_slug == "to-lead-the-people"
    assert hits[0].citation and "Engels" in hits[0].citation
    assert hits[0].citation_resolved


def test_quotation_search_finds_the_dustbin_line(search: Fts5Search) -> None:
    hits = search.search_quotations("dustbin of history")
    assert hits and hits[0].source_slug == "life-of-leon-trotsky"
    assert "dustbin of history" in hits[0].text


def test_source_filter_keeps_to_one_text(search: Fts5Search) -> None:
    slug = "to-lead-the-people"
    passages = search.search_passages("Stalin", source_slug=slug, limit=50)
    quotations = search.search_quotations("Stalin", source_slug=slug, limit=50)
    assert passages and quotations
    assert {h.source_slug for h in passages} == {slug}
    assert {h.source_slug for h in quotations} == {slug}
    assert len(search.search_passages("Stalin", limit=MAX_LIMIT)) > len(passages)


def test_results_are_best_first(search: Fts5Search) -> None:
    scores = [h.score for h in search.search_passages("bureaucracy", limit=20)]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize("hostile", HOSTILE_QUERIES)
@pytest.mark.parametrize("slug", [None, "to-lead-the-people"])
def test_hostile_queries_never_raise(search: Fts5Search, hostile: str, slug: str | None) -> None:
    passages = search.search_passages(hostile, source_slug=slug)
    quotations = search.search_quotations(hostile, source_slug=slug)
    assert isinstance(passages, list)
    assert isinstance(quotations, list)


def test_stop_words_only_still_answers(search: Fts5Search) -> None:
    hits = search.search_passages("the and of", limit=3)
    assert len(hits) == 3


def test_fts_indexes_are_consistent(corpus_engine: Engine) -> None:
    with corpus_engine.connect() as connection:
        for table in FTS_TABLES:  # raises if the index and the content table disagree
            connection.exec_driver_sql(f"INSERT INTO {table}({table}) VALUES ('integrity-check')")


def test_sessions_read_the_models(corpus_engine: Engine) -> None:
    with session_factory(corpus_engine)() as session:
        quotation = session.scalars(
            select(QuotationRow).where(QuotationRow.citation_id.is_not(None)).limit(1)
        ).one()
        assert quotation.citation is not None
        assert quotation.passage.source.slug
        assert quotation.passage.text[quotation.start : quotation.end]


def test_ranking_stays_bounded_when_words_are_very_common(tmp_path, monkeypatch) -> None:
    """With a tiny cap standing in for a 100x corpus: the fallback drops the common word and
    keeps the rare one, and a bare common word still answers from a bounded set of rows."""
    import bot.store.search as search_module
    from tests.answer_helpers import build_context

    ctx = build_context(tmp_path / "capped.sqlite3")
    monkeypatch.setattr(search_module, "RANK_CAP", 20)
    hits = ctx.search.search_passages("what did trotsky say about the kulaks", limit=5)
    assert hits and all("kulak" in hit.text.lower() for hit in hits)
    common = ctx.search.search_passages("Trotsky", limit=5)
    assert len(common) == 5 and all("trotsky" in hit.text.lower() for hit in common)


def test_the_any_word_fallback_ranks_the_rarest_words_that_fit_the_cap() -> None:
    from bot.store.search import RANK_CAP, rare_words

    # Between them the words match more than RANK_CAP rows: the rarest are ranked, in the
    # query's order, as many as fit; a word matching RANK_CAP rows or more is dropped.
    counts = {"workers": RANK_CAP, "first": RANK_CAP - 400, "safety": 100, "conflict": 400,
              "wanted": 200}
    assert rare_words(counts) == ["safety", "conflict", "wanted"]
    # Few matches between them: every word is ranked (the real corpus, always).
    assert rare_words({"kulaks": 3, "trotsky": 40}) is None
    assert rare_words({"kulaks": 3, "trotsky": RANK_CAP}) == ["kulaks"]


def test_a_step_that_matches_nothing_is_not_ranked(corpus_engine: Engine) -> None:
    from bot.store.search import Fts5Search

    search = Fts5Search(corpus_engine)
    # "all" matches nothing, "any" finds the quotation with the rare word.
    hits = search.search_quotations("dustbin platypusoid", limit=3)
    assert hits and hits[0].match == "any" and "dustbin" in hits[0].text
