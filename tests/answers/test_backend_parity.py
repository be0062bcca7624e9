"""SQLite FTS5 and PostgreSQL give the same answers: every command kind, the labelled sets.

Each input goes through ``router.ask`` (as the CLI and Discord do) on a copy of the corpus in
each database, and the answers are compared whole: kind, title (headline, person, date),
body, fields, every item's title, body and source (passage, quotation, paragraph), sources,
citations, suggestions and ref. Only ``Item.highlight`` is left out: it is the search
snippet, and ts_headline picks its window by other rules than FTS5's snippet().

Ties: both backends rank with the same BM25 and break equal scores by row id, and both
stores hold the same ids (one ingest of the same corpus in the same order), so ties fall the
same way and need no allowance. If the backends ever disagree only because two scores are
equal to the last bits, that is a tie: the message prints both answers to judge by.
"""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import Any

import pytest

from bot.answers.conversation.router import ask
from bot.answers.core.context import AnswerContext
from bot.answers.core.model import Answer
from bot.yamlfile import read_yaml
from tests.answer_helpers import build_context
from tests.corpus_helpers import REPO

pytestmark = pytest.mark.postgres
LABELLED = REPO / "tests" / "labelled"


def _cases(name: str) -> list[dict[str, Any]]:
    return list(read_yaml(LABELLED / name).data["cases"])


def inputs() -> list[str]:
    """At least 100 inputs over every command kind, from the labelled sets."""
    quotes = [case["query"] for case in _cases("quote_cases.yaml")]
    asked = [case["q"] for case in _cases("ask_cases.yaml")]
    said = [turn["ask"] for case in _cases("conversation_cases.yaml") for turn in case["turns"]]
    texts = [
        *(f"/quote {query}" for query in quotes),
        *(f"/search {query}" for query in quotes[:30]),
        *(f"/who {case['query']}" for case in _cases("who_cases.yaml")),
        *(f"/when {case['query']}" for case in _cases("when_cases.yaml")),
        "/timeline 1917 1921", "/timeline 1927 1929", "/timeline 1940", "/timeline 1936 1938",
        "/sources", "/help", "/search Kronstadt sailors", "/search \"dustbin of history\"",
        "/search the", "/search NEAR( * ^ col: OR \"", "/quote", "/quote bureaucracy",
        *asked, *said,
    ]
    return list(dict.fromkeys(texts))


@pytest.fixture(scope="module")
def contexts(tmp_path_factory: pytest.TempPathFactory) -> tuple[AnswerContext, AnswerContext]:
    folder = tmp_path_factory.mktemp("parity")
    return (build_context(folder / "parity.sqlite3", backend="sqlite"),
            build_context(folder / "parity", backend="postgres"))


def comparable(answer: Answer) -> dict[str, Any]:
    """The answer without its search snippets (see the module docstring)."""
    items = [replace(item, highlight=None) for item in answer.items]
    return asdict(replace(answer, items=items))


def test_the_parity_set_covers_every_command_kind() -> None:
    texts = inputs()
    assert len(texts) >= 100
    for command in ("/search", "/quote", "/who", "/when", "/timeline", "/sources"):
        assert any(text.startswith(command) for text in texts), command
    assert sum(not text.startswith("/") for text in texts) >= 50  # plain questions


def test_sqlite_and_postgres_give_the_same_answers(
        contexts: tuple[AnswerContext, AnswerContext]) -> None:
    sqlite, postgres = contexts
    differ = []
    for text in inputs():
        one, other = ask(sqlite, text), ask(postgres, text)
        if comparable(one) != comparable(other):
            differ.append(f"{text!r}\n  sqlite:   {one.kind} {one.title!r} {one.body[:160]!r}"
                          f"\n  postgres: {other.kind} {other.title!r} {other.body[:160]!r}")
    assert not differ, f"{len(differ)} of {len(inputs())} differ:\n" + "\n".join(differ)
