"""Ingest: idempotent, atomic, and honest about what it did; index_status tells when to run."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select, text

from bot.corpus.errors import CorpusError
from bot.corpus.load import content_hash
from bot.corpus.load import load_text as real_load_text
from bot.corpus.model import BlockKind, Paragraph, ParsedText, Section, TextMeta
from bot.store import index_health
from bot.store import ingest as ingest_module
from bot.store.database import create_engine_for
from bot.store.ingest import IngestError, index_status, ingest
from bot.store.models import Source
from bot.store.rows import TextRows
from bot.store.search import Fts5Search
from tests.corpus_helpers import REPO

CORPUS = REPO / "corpus" / "texts"
REAL_SLUGS = {
    "life-of-leon-trotsky",
    "revolutionary-appraised",
    "struggle-against-stalinism",
    "to-lead-the-people",
    "to-topple-the-stalinist-bureaucracy",
}


# --- a tiny stand-in parser, so these tests are about the store and not the parser ------------


def fake_load_text(path: Path, people: object = None) -> ParsedText:
    """'slug' line, blank line, then paragraphs separated by blank lines."""
    data = path.read_bytes()
    slug, *paragraphs = data.decode("utf-8").strip().split("\n\n")
    return ParsedText(
        meta=TextMeta(slug=slug.strip(), title=f"Title of {slug.strip()}"),
        content_hash=content_hash(data),
        sections=[Section(0, None)],
        paragraphs=[
            Paragraph(i, 0, BlockKind.BODY, body, line=3 + 2 * i)
            for i, body in enumerate(paragraphs)
        ],
        quotations=[],
        notes=[],
        references=[],
        warnings=[f"{len(paragraphs)} paragraphs"],
    )


class Parser:
    """Counts calls and can be told to fail on one file."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.fail_on: str | None = None

    def __call__(self, path: Path, people: object = None) -> ParsedText:
        self.calls.append(path.name)
        if path.name == self.fail_on:
            raise CorpusError(path, "front matter is not valid YAML (bad indent)", 4)
        return fake_load_text(path)


@pytest.fixture
def parser(monkeypatch: pytest.MonkeyPatch) -> Parser:
    parser = Parser()
    monkeypatch.setattr(ingest_module, "load_text", parser)
    return parser


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = create_engine_for(f"sqlite:///{tmp_path / 'data' / 'store.sqlite3'}")
    yield engine
    engine.dispose()


@pytest.fixture
def texts(tmp_path: Path) -> Path:
    folder = tmp_path / "texts"
    folder.mkdir()
    write(folder, "a.md", "alpha", "The leopard and his spots.", "Second paragraph of alpha.")
    write(folder, "b.md", "beta", "The dustbin of history.", "Beta goes on.")
    return folder


def write(folder: Path, name: str, slug: str, *paragraphs: str) -> Path:
    path = folder / name
    path.write_text("\n\n".join([slug, *paragraphs]) + "\n", encoding="utf-8")
    return path


def statuses(report: ingest_module.IngestReport) -> dict[str, str]:
    return {t.path: t.status for t in report.texts}


def slugs(engine: Engine) -> dict[str, str]:
    with engine.connect() as connection:
        rows = connection.execute(select(Source.slug, Source.content_hash))
        return {slug: digest for slug, digest in rows}


def table_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in ("source", "section", "passage", "passage_fts_docsize")
        }


def found(engine: Engine, query: str) -> set[str]:
    return {hit.source_slug for hit in Fts5Search(engine).search_passages(query)}


# --- idempotence -------------------------------------------------------------------------------


def test_first_ingest_adds_every_text(engine: Engine, texts: Path, parser: Parser) -> None:
    report = ingest(engine, texts)
    assert statuses(report) == {"a.md": "added", "b.md": "added"}
    assert (report.totals.texts, report.totals.sections, report.totals.passages) == (2, 2, 4)
    assert report.warnings == ("a.md: 2 paragraphs", "b.md: 2 paragraphs")
    assert report.changed
    assert "2 texts (2 added)" in report.summary()
    assert table_counts(engine) == {
        "source": 2,
        "section": 2,
        "passage": 4,
        "passage_fts_docsize": 4,
    }
    assert found(engine, "leopard spots") == {"alpha"}


def test_reingest_skips_unchanged_texts(engine: Engine, texts: Path, parser: Parser) -> None:
    ingest(engine, texts)
    parser.calls.clear()
    report = ingest(engine, texts)
    assert statuses(report) == {"a.md": "unchanged", "b.md": "unchanged"}
    assert parser.calls == []  # size and mtime matched: not even read
    assert not report.changed
    assert report.totals.passages == 4
    assert report.with_status("unchanged")[0].counts.passages == 2


def test_a_touched_but_identical_file_is_unchanged(
    engine: Engine, texts: Path, parser: Parser
) -> None:
    ingest(engine, texts)
    stat = (texts / "a.md").stat()
    os.utime(texts / "a.md", ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    assert index_status(engine, texts) == "fresh"  # the hash decides, not the mtime
    parser.calls.clear()
    assert statuses(ingest(engine, texts))["a.md"] == "unchanged"
    assert parser.calls == []
    with engine.connect() as connection:
        stored = connection.scalar(select(Source.file_mtime_ns).where(Source.slug == "alpha"))
    assert stored == (texts / "a.md").stat().st_mtime_ns  # so the next check needs no hashing


def test_a_changed_file_is_replaced(engine: Engine, texts: Path, parser: Parser) -> None:
    ingest(engine, texts)
    with engine.connect() as connection:
        beta_before = connection.scalar(select(Source.id).where(Source.slug == "beta"))
    write(texts, "a.md", "alpha", "A leopard never changes.", "Two.", "Three.")
    parser.calls.clear()
    report = ingest(engine, texts)
    assert statuses(report) == {"a.md": "updated", "b.md": "unchanged"}
    assert parser.calls == ["a.md"]
    assert report.totals.passages == 5
    assert found(engine, "spots") == set()
    assert found(engine, "leopard never changes") == {"alpha"}
    with engine.connect() as connection:
        assert connection.scalar(select(Source.id).where(Source.slug == "beta")) == beta_before
    assert table_counts(engine)["passage_fts_docsize"] == 5


def test_a_removed_file_disappears(engine: Engine, texts: Path, parser: Parser) -> None:
    ingest(engine, texts)
    (texts / "b.md").unlink()
    report = ingest(engine, texts)
    assert statuses(report) == {"a.md": "unchanged", "b.md": "removed"}
    assert set(slugs(engine)) == {"alpha"}
    assert found(engine, "dustbin") == set()
    assert table_counts(engine) == {
        "source": 1,
        "section": 1,
        "passage": 2,
        "passage_fts_docsize": 2,
    }


def test_force_reparses_everything(engine: Engine, texts: Path, parser: Parser) -> None:
    ingest(engine, texts)
    parser.calls.clear()
    report = ingest(engine, texts, force=True)
    assert statuses(report) == {"a.md": "updated", "b.md": "updated"}
    assert sorted(parser.calls) == ["a.md", "b.md"]
    assert table_counts(engine)["passage"] == 4


def test_a_new_parser_version_reparses_everything(
    engine: Engine, texts: Path, parser: Parser, monkeypatch: pytest.MonkeyPatch
) -> None:
    ingest(engine, texts)
    monkeypatch.setattr(ingest_module, "parser_fingerprint", lambda: "a-newer-parser")
    assert index_status(engine, texts) == "stale"
    report = ingest(engine, texts)
    assert statuses(report) == {"a.md": "updated", "b.md": "updated"}
    assert index_status(engine, texts) == "fresh"


def many_texts(folder: Path, count: int) -> None:
    for number in range(count):
        write(folder, f"t{number:02d}.md", f"text-{number:02d}", f"Paragraph of text {number}.")


def test_progress_is_a_line_per_tenth_of_the_texts(
    engine: Engine, tmp_path: Path, parser: Parser
) -> None:
    """A log or a pipe gets ten lines for 30 texts (not 60), each with the count, rate and
    time left; the last says all of them are stored."""
    folder = tmp_path / "many"
    folder.mkdir()
    many_texts(folder, 30)
    messages: list[str] = []
    ingest(engine, folder, progress=messages.append)
    assert len(messages) == 10
    assert messages[0].startswith("stored 3 / 30 texts (10%), ")
    assert messages[-1].startswith("stored 30 / 30 texts (100%), ")
    assert all("texts/s, about " in line and line.endswith(" s left") for line in messages)


def test_a_progress_bar_gets_every_text_and_the_log_no_lines(
    engine: Engine, texts: Path, parser: Parser
) -> None:
    messages: list[str] = []
    counts: list[tuple[int, int]] = []
    ingest(engine, texts, progress=messages.append,
           texts_done=lambda done, total: counts.append((done, total)))
    assert counts == [(1, 2), (2, 2)]
    assert messages == []


def test_parsing_in_worker_processes_stores_what_one_process_stores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real corpus, parsed by worker processes (5 texts) and then in this process only:
    the same rows, the same search results, and the bulk write left the full-text indexes
    consistent with their tables and their triggers in place."""
    def contents(engine: Engine) -> dict[str, list[Any]]:
        with engine.connect() as connection:
            return {table: connection.execute(text(
                f"SELECT * FROM {table} ORDER BY id")).all()  # ids are assigned in order
                for table in ("section", "passage", "quotation", "sentence", "mention",
                              "date_mention", "note", "citation")}

    parallel = create_engine_for(f"sqlite:///{tmp_path / 'parallel.sqlite3'}")
    ingest(parallel, CORPUS)  # 5 texts: worker processes wherever there are two cores
    monkeypatch.setattr(ingest_module, "PARALLEL_FROM", 10**6)
    serial = create_engine_for(f"sqlite:///{tmp_path / 'serial.sqlite3'}")
    ingest(serial, CORPUS)
    assert contents(parallel) == contents(serial)
    for query in ("bureaucracy", "leopard changing his spots", "Kronstadt sailors"):
        assert found(parallel, query) == found(serial, query) != set()
    with parallel.connect() as connection:
        for table in ("passage_fts", "quotation_fts", "sentence_fts"):
            # Raises if the index and its external-content table disagree.
            connection.exec_driver_sql(
                f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)")
        triggers = connection.exec_driver_sql(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'").scalar_one()
    assert triggers == 9  # insert, delete and update, for each of the three indexes
    parallel.dispose()
    serial.dispose()


def test_a_bulk_write_keeps_later_edits_searchable(
    engine: Engine, tmp_path: Path, parser: Parser
) -> None:
    """After a bulk ingest (full-text indexes rebuilt once), editing one text updates the
    index through the triggers again: the new words are found, the old ones are gone."""
    folder = tmp_path / "many"
    folder.mkdir()
    many_texts(folder, 6)
    ingest(engine, folder)
    assert found(engine, "Paragraph of text 3") >= {"text-03"}
    write(folder, "t03.md", "text-03", "Something about leopards instead.")
    ingest(engine, folder)
    assert found(engine, "leopards") == {"text-03"}
    assert "text-03" not in found(engine, "Paragraph of text")


# --- atomicity ---------------------------------------------------------------------------------


def test_a_text_that_fails_to_parse_is_skipped_and_keeps_its_earlier_version(
    engine: Engine, texts: Path, parser: Parser
) -> None:
    ingest(engine, texts)
    write(texts, "a.md", "alpha", "Rewritten alpha.")
    write(texts, "b.md", "beta", "Rewritten beta.")
    write(texts, "c.md", "gamma", "A new text.")
    parser.fail_on = "b.md"
    report = ingest(engine, texts)
    assert statuses(report) == {"a.md": "updated", "b.md": "skipped", "c.md": "added"}
    assert report.problems == (f"{texts / 'b.md'}:4: front matter is not valid YAML "
                               "(bad indent)",)
    assert f"Skipped (the previous version stays): {texts / 'b.md'}:4:" in report.summary()
    assert set(slugs(engine)) == {"alpha", "beta", "gamma"}  # the rest went in
    assert found(engine, "Rewritten") == {"alpha"}
    assert found(engine, "dustbin") == {"beta"}  # b.md's earlier version still serves
    assert index_health.index_problems(engine) == list(report.problems)
    assert index_status(engine, texts) == "stale"  # tried again at the next start
    parser.fail_on = None  # fixed: the next ingest takes it and forgets the problem
    report = ingest(engine, texts)
    assert statuses(report)["b.md"] == "updated" and not report.problems
    assert found(engine, "Rewritten") == {"alpha", "beta"}
    assert index_health.index_problems(engine) == []
    assert index_status(engine, texts) == "fresh"


def test_a_bad_new_text_is_left_out_until_it_is_removed(
    engine: Engine, texts: Path, parser: Parser
) -> None:
    ingest(engine, texts)
    write(texts, "c.md", "gamma", "A new text.")
    parser.fail_on = "c.md"
    report = ingest(engine, texts)
    assert statuses(report)["c.md"] == "skipped"
    assert f"Skipped (not in the index): {texts / 'c.md'}:4:" in report.summary()
    assert set(slugs(engine)) == {"alpha", "beta"}
    (texts / "c.md").unlink()
    assert index_status(engine, texts) == "stale"  # the recorded problem is cleared next
    assert not ingest(engine, texts).problems
    assert index_health.index_problems(engine) == []
    assert index_status(engine, texts) == "fresh"


def test_a_parser_crash_still_names_the_file(
    engine: Engine, texts: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(path: Path, people: object = None) -> ParsedText:
        raise ValueError("unexpected token")

    monkeypatch.setattr(ingest_module, "load_text", crash)
    report = ingest(engine, texts)
    assert [t.status for t in report.texts] == ["skipped", "skipped"]
    assert report.problems[0].endswith("a.md: the parser failed (ValueError: unexpected token)")


def test_a_write_error_rolls_everything_back(
    engine: Engine, texts: Path, parser: Parser, monkeypatch: pytest.MonkeyPatch
) -> None:
    ingest(engine, texts)
    before = (slugs(engine), table_counts(engine))
    write(texts, "a.md", "alpha", "Rewritten alpha.")
    write(texts, "b.md", "beta", "Rewritten beta.")
    real_text_rows = ingest_module.text_rows

    def failing_rows(parsed: ParsedText, *args: Any, **kwargs: Any) -> TextRows:
        if parsed.meta.slug == "beta":
            raise RuntimeError("disk full")
        return real_text_rows(parsed, *args, **kwargs)

    monkeypatch.setattr(ingest_module, "text_rows", failing_rows)
    with pytest.raises(IngestError, match=r"b\.md: could not be stored \(RuntimeError: disk full"):
        ingest(engine, texts)
    assert (slugs(engine), table_counts(engine)) == before  # a.md's delete+insert rolled back
    assert found(engine, "leopard") == {"alpha"}


def test_readers_keep_the_old_index_while_ingest_writes(
    engine: Engine, texts: Path, parser: Parser
) -> None:
    """WAL: a reader that started before the ingest keeps its snapshot and is never blocked."""
    ingest(engine, texts)
    write(texts, "a.md", "alpha", "Rewritten alpha.")
    with engine.connect() as reader:
        old = reader.execute(text("SELECT count(*) FROM passage")).scalar_one()  # opens a read
        ingest(engine, texts)
        assert reader.execute(text("SELECT count(*) FROM passage")).scalar_one() == old
    assert table_counts(engine)["passage"] == old - 1


def test_two_files_may_not_share_a_slug(engine: Engine, texts: Path, parser: Parser) -> None:
    ingest(engine, texts)
    write(texts, "c.md", "alpha", "Another alpha.")
    (problem,) = ingest(engine, texts).problems
    assert problem.endswith("c.md: slug 'alpha' is already used by a.md; give one of them "
                            "another 'slug:' in its front matter")
    assert set(slugs(engine)) == {"alpha", "beta"}
    assert found(engine, "leopard") == {"alpha"}  # a.md keeps it


def test_a_renamed_file_keeps_its_slug(engine: Engine, texts: Path, parser: Parser) -> None:
    ingest(engine, texts)
    (texts / "a.md").rename(texts / "a-renamed.md")
    report = ingest(engine, texts)
    assert statuses(report) == {"a-renamed.md": "added", "a.md": "removed", "b.md": "unchanged"}
    assert set(slugs(engine)) == {"alpha", "beta"}


def test_a_missing_folder_is_an_error_not_an_empty_corpus(
    engine: Engine, texts: Path, parser: Parser
) -> None:
    ingest(engine, texts)
    with pytest.raises(IngestError, match="no such folder"):
        ingest(engine, texts.parent / "txets")
    assert set(slugs(engine)) == {"alpha", "beta"}


def test_an_emptied_folder_empties_the_index(engine: Engine, texts: Path, parser: Parser) -> None:
    ingest(engine, texts)
    for path in texts.iterdir():
        path.unlink()
    report = ingest(engine, texts)
    assert set(statuses(report).values()) == {"removed"}
    assert table_counts(engine) == dict.fromkeys(
        ("source", "section", "passage", "passage_fts_docsize"), 0
    )


# --- index_status ------------------------------------------------------------------------------


def test_index_status_follows_the_folder(engine: Engine, texts: Path, parser: Parser) -> None:
    assert index_status(engine, texts) == "missing"
    ingest(engine, texts)
    assert index_status(engine, texts) == "fresh"
    write(texts, "a.md", "alpha", "Edited.")
    assert index_status(engine, texts) == "stale"
    ingest(engine, texts)
    assert index_status(engine, texts) == "fresh"
    write(texts, "c.md", "gamma", "New.")
    assert index_status(engine, texts) == "stale"
    ingest(engine, texts)
    (texts / "c.md").unlink()
    assert index_status(engine, texts) == "stale"
    ingest(engine, texts)
    assert index_status(engine, texts) == "fresh"


def test_index_status_of_an_empty_folder(engine: Engine, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert index_status(engine, empty) == "missing"  # no schema yet
    ingest(engine, empty)
    assert index_status(engine, empty) == "fresh"


# --- the real corpus, through the real parser --------------------------------------------------


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(CORPUS, folder)
    return folder


def test_real_corpus_ingests_and_reingests(engine: Engine, corpus_copy: Path) -> None:
    report = ingest(engine, corpus_copy)
    assert {t.slug for t in report.texts} == REAL_SLUGS
    assert {t.status for t in report.texts} == {"added"}
    totals = report.totals
    assert totals.texts == 5
    assert totals.passages > 500 and totals.quotations > 300 and totals.notes > 150
    assert totals.citations_resolved > 200
    assert index_status(engine, corpus_copy) == "fresh"
    again = ingest(engine, corpus_copy)
    assert {t.status for t in again.texts} == {"unchanged"}
    assert again.totals == totals


def test_real_corpus_edit_and_removal(engine: Engine, corpus_copy: Path) -> None:
    ingest(engine, corpus_copy)
    essay = corpus_copy / "struggle-against-stalinism.md"
    essay.write_text(
        essay.read_text(encoding="utf-8") + "\nA closing line about zeppelins.\n", encoding="utf-8"
    )
    (corpus_copy / "life-of-leon-trotsky.md").unlink()
    report = ingest(engine, corpus_copy)
    assert statuses(report)["struggle-against-stalinism.md"] == "updated"
    assert statuses(report)["life-of-leon-trotsky.md"] == "removed"
    assert found(engine, "zeppelins") == {"struggle-against-stalinism"}
    assert found(engine, "dustbin") == set()
    assert "life-of-leon-trotsky" not in slugs(engine)


def test_real_corpus_parse_failure_names_the_file(
    engine: Engine, corpus_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ingest(engine, corpus_copy)
    before = slugs(engine)
    for path in corpus_copy.iterdir():  # every text changes, so every text is re-parsed
        path.write_text(path.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    second = sorted(corpus_copy.iterdir())[1]

    def load_text(path: Path, people: object = None) -> ParsedText:
        if path == second:
            raise CorpusError(path, "published: expected YYYY, YYYY-MM or YYYY-MM-DD", 2)
        return real_load_text(path, people)  # type: ignore[arg-type]

    monkeypatch.setattr(ingest_module, "load_text", load_text)
    (problem,) = ingest(engine, corpus_copy).problems
    assert problem.startswith(f"{second}:2: published")
    assert slugs(engine).keys() == before.keys()  # the bad text's earlier version stays
    assert slugs(engine) != before  # and the others were re-read
    assert found(engine, "leopard changing his spots") == {"revolutionary-appraised"}
