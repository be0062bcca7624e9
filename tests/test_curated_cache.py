"""The curated files are read from their YAML only when their bytes (or the code) changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import bot.services
from bot.config import Settings
from bot.curated_cache import CACHE_SUFFIX
from bot.services import engine_for, load_curated
from bot.store.database import migrate
from tests.corpus_helpers import REPO


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    shutil.copytree(REPO / "corpus", tmp_path / "corpus", ignore=shutil.ignore_patterns("texts"))
    (tmp_path / "corpus" / "texts").mkdir()
    return Settings(corpus_dir=tmp_path / "corpus",
                    database_url=f"sqlite:///{tmp_path / 'index.sqlite3'}")


def _start(settings: Settings) -> tuple[bot.services.Curated, list[str]]:
    engine = engine_for(settings)
    try:
        migrate(engine)
        problems: list[str] = []
        return load_curated(engine, settings, problems), problems
    finally:
        engine.dispose()


def test_an_unchanged_file_is_not_parsed_again_and_an_edit_is_seen(
        settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[Path] = []
    real = bot.services.load_people

    def counted(path: Path, text: str | None = None):  # type: ignore[no-untyped-def]
        reads.append(path)
        return real(path, text)

    monkeypatch.setattr(bot.services, "load_people", counted)
    first, _ = _start(settings)
    again, _ = _start(settings)
    assert len(reads) == 1  # the second start read the kept copy
    assert again.people.by_name("Ilyich") == first.people.by_name("Ilyich") is not None
    assert len(again.events) == len(first.events) > 0
    people = settings.corpus_dir / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace(
        "Vladimir Ilyich Lenin, Ilyich]", "Vladimir Ilyich Lenin, Ilyich, Old Man Ilyich]", 1),
        encoding="utf-8")
    edited, _ = _start(settings)
    assert len(reads) == 2
    assert edited.people.by_name("Old Man Ilyich") is not None


def test_a_malformed_edit_is_reported_though_a_good_copy_was_kept(settings: Settings) -> None:
    _start(settings)
    events = settings.corpus_dir / "events.yaml"
    events.write_text(events.read_text(encoding="utf-8") + "\n  - name: [unclosed\n",
                      encoding="utf-8")
    curated, problems = _start(settings)
    assert any("events.yaml" in p and "last good copy" in p for p in problems)
    assert curated.events  # served from the last good copy, as before


def test_an_unreadable_cache_only_means_reading_the_yaml(settings: Settings) -> None:
    first, _ = _start(settings)
    database = Path(settings.effective_database_url.removeprefix("sqlite:///"))
    database.with_name(database.stem + CACHE_SUFFIX).write_bytes(b"not a pickle")
    again, problems = _start(settings)
    assert problems == [] and len(again.events) == len(first.events)
