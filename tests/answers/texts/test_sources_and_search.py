"""/sources, /search and the command router, answered from the real corpus through the store."""

from __future__ import annotations

import pytest

from bot.answers.conversation.router import ask
from bot.answers.core.context import AnswerContext
from bot.answers.core.model import AnswerKind
from tests.answer_helpers import build_context


@pytest.fixture(scope="module")
def ctx(tmp_path_factory, backend: str) -> AnswerContext:
    return build_context(tmp_path_factory.mktemp("store") / "answers.sqlite3", backend=backend)


def test_sources_lists_all_five_texts_with_authors_and_dates(ctx) -> None:
    answer = ask(ctx, "/sources")
    assert answer.kind is AnswerKind.SOURCES
    assert len(answer.items) == 5
    bodies = {item.source.slug: item.body for item in answer.items}
    assert bodies["to-topple-the-stalinist-bureaucracy"].startswith(
        "Jason Dawsey · Platypus Review 112 · December 2018")
    assert bodies["struggle-against-stalinism"].startswith(
        "Robert Narai · Red Flag · 31 August 2022")
    assert bodies["to-lead-the-people"].startswith("author not named")


@pytest.mark.parametrize(("query", "slug", "words"), [
    ("leopard changing his spots", "revolutionary-appraised", "leopard"),
    ("dustbin of history", "life-of-leon-trotsky", "dustbin"),
    ("Kronstadt sailors", "revolutionary-appraised", "Kronstadt"),
    ("ice-axe Mercader", "life-of-leon-trotsky", "Mercader"),
    ("Alfred Rosmer", "to-topple-the-stalinist-bureaucracy", "Rosmer"),
])
def test_search_finds_the_passage_a_reader_means(ctx, query, slug, words) -> None:
    answer = ask(ctx, f"/search {query}")
    assert answer.kind is AnswerKind.SEARCH
    best = answer.items[0]
    assert best.source.slug == slug
    assert words in best.body
    assert "**" in best.highlight  # matched words are marked


def test_search_stems_topic_words(ctx) -> None:
    answer = ask(ctx, "/search bureaucracies")
    assert answer.kind is AnswerKind.SEARCH
    assert any("bureaucracy" in item.body.lower() for item in answer.items)


def test_search_in_one_source_by_typo_tolerant_name(ctx) -> None:
    answer = ask(ctx, "/search Stalin source:platypus")
    assert answer.kind is AnswerKind.SEARCH
    assert {item.source.slug for item in answer.items} == {"to-topple-the-stalinist-bureaucracy"}
    bad = ask(ctx, "/search Stalin source:nowhere-at-all")
    assert bad.kind is AnswerKind.ERROR and "No text called" in bad.title


@pytest.mark.parametrize("hostile", ['"', "NEAR(", "*", ") OR (", "AND", "col:word", "^x",
                                     "a" * 300, "🔥🔥🔥", '"unbalanced phrase', "NOT NOT NOT"])
def test_hostile_search_input_never_raises_and_gets_an_answer(ctx, hostile) -> None:
    answer = ask(ctx, f"/search {hostile}")
    assert answer.kind in (AnswerKind.SEARCH, AnswerKind.NOT_FOUND, AnswerKind.ERROR)
    assert answer.title and (answer.body or answer.items)


def test_very_long_search_is_refused_politely(ctx) -> None:
    answer = ask(ctx, "/search " + "x" * 10_000)
    assert answer.kind is AnswerKind.ERROR
    assert "10,000 characters" in answer.body


def test_nothing_found_says_so_and_suggests(ctx) -> None:
    answer = ask(ctx, "/search xylophone zeppelin")
    assert answer.kind is AnswerKind.NOT_FOUND
    assert "xylophone" in answer.body


@pytest.mark.parametrize(("text", "title"), [
    ("", "Ask me something"),
    ("/serch bureaucracy", "Unknown command /serch"),
    ("/search", "What should I look for?"),
    ("/search    ", "What should I look for?"),
])
def test_bad_commands_get_helpful_errors(ctx, text, title) -> None:
    answer = ask(ctx, text)
    assert answer.kind is AnswerKind.ERROR
    assert answer.title == title
    if text.startswith("/serch"):
        assert answer.suggestions[0] == "/search"


def test_help_lists_the_commands(ctx) -> None:
    answer = ask(ctx, "/help")
    assert {f.name for f in answer.fields} >= {"/sources", "/search", "/help"}
