"""corpus/prompts.yaml and the pool built from it and from the quotations in the store."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.answers.prompts.pool import MIN_QUOTE_WORDS, clean_quotation
from bot.corpus.errors import CorpusError
from bot.corpus.prompts import load_curated_prompts
from bot.store.database import session_factory
from bot.store.ingest import ingest
from bot.store.models import Quotation
from tests.prompt_helpers import (
    CURATED,
    FakeClock,
    Store,
    prompt_context,
    shared_store,
    tiny_corpus,
    utc,
)

TOPICS = {"bureaucracy", "thermidor", "permanent revolution", "kronstadt", "nep", "show trials"}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, backend: str) -> Store:
    return shared_store(tmp_path_factory, backend)


@pytest.fixture
def ctx(store: Store):
    context = prompt_context(store, FakeClock(utc(2024, 1, 15, 8)))
    yield context
    context.answers.store.engine.dispose()


# ---------------------------------------------------------------- the curated file


def test_at_least_sixty_curated_prompts_with_the_required_topics() -> None:
    assert len(CURATED) >= 60
    tags = {tag.lower() for prompt in CURATED for tag in prompt.tags}
    assert tags >= TOPICS
    assert all("?" in prompt.question for prompt in CURATED)
    assert len({prompt.question for prompt in CURATED}) == len(CURATED)


def test_every_curated_prompt_finds_its_passage(ctx) -> None:
    """Each names a real text and a phrase it really contains (under the named heading)."""
    curated = {e.key: e for e in ctx.corpus_pool() if e.origin == "curated"}
    missing = [p.id for p in CURATED if f"c:{p.id}" not in curated]
    assert missing == []
    for prompt in CURATED:
        entry = curated[f"c:{prompt.id}"]
        assert entry.source is not None and entry.source.slug == prompt.source
        assert entry.source.paragraph is not None
        if prompt.section:
            assert entry.source.section == prompt.section
        if prompt.evidence:
            assert f"**{prompt.evidence}**" in (entry.excerpt or "")


def test_the_loader_names_the_entry_and_line(tmp_path: Path) -> None:
    path = tmp_path / "prompts.yaml"
    path.write_text("prompts:\n  - id: ok-one\n    question: Why?\n    source: x\n"
                    "    evidence: a phrase\n    tags: [NEP]\n"
                    "  - id: no-passage\n    question: Why not?\n    source: x\n"
                    "    tags: [NEP]\n")
    with pytest.raises(CorpusError) as error:
        load_curated_prompts(path)
    assert "no-passage" in str(error.value) and ":7" in str(error.value)
    path.write_text("prompts:\n  - id: a\n    question: [unclosed\n")
    with pytest.raises(CorpusError, match="invalid YAML"):
        load_curated_prompts(path)
    assert load_curated_prompts(tmp_path / "absent.yaml") == []


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    entry = "  - id: same\n    question: Why?\n    source: x\n    section: S\n    tags: [a]\n"
    path = tmp_path / "prompts.yaml"
    path.write_text("prompts:\n" + entry + entry)
    with pytest.raises(CorpusError, match="used twice"):
        load_curated_prompts(path)


# ---------------------------------------------------------------- generated from quotations


def test_generated_prompts_come_from_long_attributed_quotations(ctx) -> None:
    generated = [e for e in ctx.corpus_pool() if e.origin == "generated"]
    with session_factory(ctx.answers.store.engine)() as session:
        attributed = session.scalar(select(func.count()).select_from(Quotation)
                                    .where(Quotation.speaker.is_not(None)))
    assert 100 <= len(generated) < attributed
    for entry in generated:
        words, speaker = entry.excerpt.rsplit("\n— ", 1)
        assert speaker == entry.speaker
        assert len(words.split()) >= MIN_QUOTE_WORDS
        assert "?" in entry.question and entry.source is not None
    dustbin = [e for e in generated if "dustbin of history" in (e.excerpt or "")]
    assert dustbin and dustbin[0].speaker == "Leon Trotsky"
    assert dustbin[0].source.slug == "life-of-leon-trotsky"


def test_generated_keys_and_questions_are_stable(ctx, store: Path) -> None:
    other = prompt_context(store, FakeClock(utc(2030, 1, 1)))
    first = {e.key: e.question for e in ctx.corpus_pool()}
    assert first == {e.key: e.question for e in other.corpus_pool()}
    other.answers.store.engine.dispose()


def test_citation_tails_and_note_numbers_are_cleaned() -> None:
    assert clean_quotation("not decisive (Trotsky, 66).") == "not decisive."
    assert clean_quotation("of Thermidor (Trotsky, 71–72)") == "of Thermidor"
    assert clean_quotation("“the state must wither.”15") == "the state must wither."
    assert clean_quotation("as he put it[12] in 1936") == "as he put it in 1936"


def test_a_new_text_brings_new_prompts(tmp_path: Path) -> None:
    texts = tiny_corpus(tmp_path)
    new_essay = (texts / "new-essay.md").read_bytes()
    (texts / "new-essay.md").unlink()
    context = prompt_context(tmp_path / "new.sqlite3", FakeClock(utc(2024, 1, 1)))
    ingest(context.answers.store.engine, texts)
    assert [e for e in context.corpus_pool() if e.origin == "generated"] == []
    (texts / "new-essay.md").write_bytes(new_essay)
    ingest(context.answers.store.engine, texts)
    generated = [e for e in context.corpus_pool() if e.origin == "generated"]
    assert [e.source.slug for e in generated] == ["new-essay"]
    assert "social weight" in generated[0].excerpt and "Trotsky" in generated[0].question
    assert "bureaucracy" in generated[0].tags
    context.answers.store.engine.dispose()
