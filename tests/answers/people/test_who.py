"""/who on the real corpus: lookups by any name or spelling, ambiguity, and the card."""

from __future__ import annotations

import pytest

from bot.answers.core.model import AnswerKind
from bot.answers.people.who import person_choices, who
from bot.corpus.people import load_people
from tests.answer_helpers import build_context
from tests.corpus_helpers import REPO

PEOPLE = load_people(REPO / "corpus" / "people.yaml")


@pytest.fixture(scope="module")
def ctx(tmp_path_factory, backend: str):
    return build_context(tmp_path_factory.mktemp("who") / "who.sqlite3", backend=backend)


@pytest.mark.parametrize(("typed", "name"), [
    ("Lev Davidovich", "Leon Trotsky"),
    ("Trotksy", "Leon Trotsky"),
    ("Natasha", "Natalia Sedova"),
    ("Yagoda", "Genrikh Yagoda"),
    ("Bukarin", "Nikolai Bukharin"),
    ("Zinovev", "Grigory Zinoviev"),
    ("Lev D", "Leon Trotsky"),
    ("rakovskii", "Christian Rakovsky"),
    ("Yoffe", "Adolph Joffe"),
    # other transliterations of the same Russian or Serbian letters
    ("Dzhilas", "Milovan Djilas"),
    ("Trotzky", "Leon Trotsky"),
    ("Jagoda", "Genrikh Yagoda"),
])
def test_any_name_or_spelling_finds_the_person(ctx, typed, name) -> None:
    answer = who(ctx, PEOPLE, typed)
    assert answer.kind is AnswerKind.WHO
    assert answer.title == name


@pytest.mark.parametrize(("typed", "some"), [
    ("Serge", {"Victor Serge", "Sergei Kirov"}),
    ("Karl", {"Karl Marx", "Karl Radek"}),
])
def test_ambiguous_names_ask_which_one(ctx, typed, some) -> None:
    answer = who(ctx, PEOPLE, typed)
    assert answer.kind is AnswerKind.CHOOSE
    assert some <= set(answer.suggestions)


def test_unknown_names_get_suggestions_never_a_wrong_person(ctx) -> None:
    answer = who(ctx, PEOPLE, "Napoleon Bonaparte")
    assert answer.kind is AnswerKind.NOT_FOUND
    assert "No one called" in answer.title


@pytest.mark.parametrize("hostile", ["", " ", "x" * 500, "🔥", '") OR (', "<@123>"])
def test_bad_input_gets_a_clear_answer(ctx, hostile) -> None:
    answer = who(ctx, PEOPLE, hostile)
    assert answer.kind in (AnswerKind.ERROR, AnswerKind.NOT_FOUND, AnswerKind.CHOOSE)
    assert answer.title


def test_the_card_counts_mentions_names_related_people_and_quotes(ctx) -> None:
    card = who(ctx, PEOPLE, "Natasha")
    fields = {f.name: f.value for f in card.fields}
    assert "Natasha" in fields["Also called"]
    assert "We know our duty" in fields["Mentioned in"]  # the CWI essay on his life
    assert "Leon Trotsky" in fields["Often named with"]
    assert fields["In their words"].startswith("“You know, two or three months")


def test_autocomplete_is_capped_and_fuzzy() -> None:
    assert len(person_choices(PEOPLE, "", 25)) == 25
    assert person_choices(PEOPLE, "trotksy")[0] == "Leon Trotsky"
