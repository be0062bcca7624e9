"""Malformed curated YAML (people.yaml, events.yaml) fails with the file, line and reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.corpus.errors import CorpusError
from bot.corpus.events import load_events
from bot.corpus.people import load_people


@pytest.mark.parametrize("loader", [load_people, load_events])
@pytest.mark.parametrize(("content", "message"), [
    (b"people: [unclosed\n", "not valid YAML"),
    (b"events: [unclosed\n", "not valid YAML"),
    (b"- a\n- b\n", "expected a top-level"),
    (b"\xff\xfe\x00bad", "not"),
])
def test_a_bad_file_names_itself(tmp_path: Path, loader, content: bytes, message: str) -> None:
    path = tmp_path / "registry.yaml"
    path.write_bytes(content)
    with pytest.raises(CorpusError) as error:
        loader(path)
    assert str(path) in str(error.value) and message in str(error.value)


def test_missing_registries_are_empty(tmp_path: Path) -> None:
    assert load_people(tmp_path / "none.yaml").people == []
    assert load_events(tmp_path / "none.yaml") == []


@pytest.mark.parametrize(("content", "message"), [
    ("events:\n  - name: X\n    dates:\n      - {date: '19xx', source: s, evidence: e}\n",
     "expected YYYY"),
    ("events:\n  - name: X\n    dates:\n      - {date: '1921'}\n", "needs 'date'"),
    ("events:\n  - just a string\n", "expected a mapping"),
])
def test_bad_event_entries(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "events.yaml"
    path.write_text(content)
    with pytest.raises(CorpusError, match=message):
        load_events(path)
