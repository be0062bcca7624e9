"""/compare on the real corpus: every line is its text's own sentence, the silent texts are
named, a real disagreement is marked and texts that agree are not set against each other."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.answers.compare.answer import compare
from bot.answers.core.model import Answer, AnswerKind
from bot.corpus.errors import CorpusError
from bot.corpus.opposites import load_opposites
from tests.answer_helpers import build_context
from tests.corpus_helpers import REPO, TEXTS


@pytest.fixture(scope="module")
def ctx(tmp_path_factory, backend: str):
    return build_context(tmp_path_factory.mktemp("compare") / "c.sqlite3", backend=backend)


def _text_of(slug: str) -> str:
    return (TEXTS / f"{slug}.md").read_text(encoding="utf-8")


def _lines(answer: Answer) -> dict[str, str]:
    """slug -> the line's sentence."""
    return {item.source.slug: item.body for item in answer.items if item.source}


def _silent(answer: Answer) -> str:
    return next((f.value for f in answer.fields if f.name == "Silent"), "")


def _points(answer: Answer, label: str) -> list[str]:
    return [f"{f.name}\n{f.value}" for f in answer.fields if f.name.startswith(label)]


def _assert_verbatim(answer: Answer) -> None:
    assert answer.kind is AnswerKind.COMPARE
    for item in answer.items:
        assert item.source is not None and item.source.paragraph is not None
        assert item.body in _text_of(item.source.slug), item.body


def test_kronstadt_lines_are_the_texts_own_sentences_and_two_are_silent(ctx) -> None:
    answer = compare(ctx, "Kronstadt")
    _assert_verbatim(answer)
    lines = _lines(answer)
    assert set(lines) == {"revolutionary-appraised", "struggle-against-stalinism",
                          "to-lead-the-people"}
    assert all("Kronstadt" in sentence for sentence in lines.values())
    # Red Flag calls the revolt a peasant one; its line is that sentence.
    assert lines["struggle-against-stalinism"].startswith("Peasant revolts—the most famous")
    silent = _silent(answer)
    assert "To topple the Stalinist bureaucracy (Platypus Review 112): nothing on this" in silent
    assert "The life of Leon Trotsky" in silent
    # Each line names its author, or says the text names none.
    titles = " ".join(item.title for item in answer.items)
    assert "Robert Narai" in titles and "author not named" in titles


def test_kronstadt_dates_agree_and_no_disagreement_is_claimed(ctx) -> None:
    answer = compare(ctx, "Kronstadt")
    assert _points(answer, "Disagreement") == []
    agreed = _points(answer, "They agree — dates")
    assert agreed and agreed[0].count("1921") >= 2
    assert "no point on which they disagree" in answer.body


def test_a_typo_is_read_as_the_word_the_texts_use(ctx) -> None:
    answer = compare(ctx, "Kronstad")
    assert set(_lines(answer)) == set(_lines(compare(ctx, "Kronstadt")))
    assert any(f.name == "Read" and "kronstadt" in f.value for f in answer.fields)


def test_bureaucracy_as_a_class_every_text_speaks_and_they_agree_it_is_no_class(ctx) -> None:
    answer = compare(ctx, "the bureaucracy as a class")
    _assert_verbatim(answer)
    assert len(answer.items) == 5 and not _silent(answer)
    # Two essays deny it is a class, one calls it a caste: the same side, so no disagreement.
    assert _points(answer, "Disagreement") == []
    agreed = "\n".join(_points(answer, "They agree — judgements: class or caste"))
    assert "not a ruling class — To topple the Stalinist bureaucracy" in agreed
    assert "not a class — The Revolutionary Appraised" in agreed
    assert "caste — The life of Leon Trotsky" in agreed
    # "the class it represents" and "the working class" are not judgements on the topic.
    assert "disconnected from the class" not in agreed


def test_permanent_revolution_two_texts_speak_three_are_silent(ctx) -> None:
    answer = compare(ctx, "permanent revolution")
    _assert_verbatim(answer)
    lines = _lines(answer)
    assert set(lines) == {"life-of-leon-trotsky", "to-lead-the-people"}
    assert all("permanent revolution" in s.casefold() for s in lines.values())
    silent = _silent(answer)
    for name in ("The Revolutionary Appraised", "The struggle against Stalinism",
                 "To topple the Stalinist bureaucracy"):
        assert f"{name}" in silent
    # Both texts use the words; that is no finding, agreed or not.
    assert _points(answer, "Disagreement") == [] and _points(answer, "They agree") == []


def test_fourth_international_dates_disagree_1938_against_1939(ctx) -> None:
    answer = compare(ctx, "Fourth International")
    _assert_verbatim(answer)
    [point] = _points(answer, "Disagreement — dates")
    assert "September 1938 — To topple the Stalinist bureaucracy" in point
    assert "1939 — The life of Leon Trotsky" in point
    assert "They disagree on 1 point" in answer.body
    # The life's line is from its section on the Fourth International.
    assert "life-of-leon-trotsky" in _lines(answer)


def test_every_value_of_a_point_stands_in_the_sentence_shown_with_it(ctx) -> None:
    # Every value a disagreement names stands in the sentence shown with it.
    for topic in ("Kronstadt", "Fourth International", "the bureaucracy as a class",
                  "Left Opposition", "purges"):
        for field in compare(ctx, topic).fields:
            if field.name.startswith(("Disagreement", "They agree")):
                for line in field.value.splitlines():
                    value, _, rest = line[2:].partition(" — ")
                    sentence = re.search(r"“(.*)”$", rest)
                    assert sentence and (value in sentence.group(1) or re.search(
                        r"\d{4}", value)), line


@pytest.mark.parametrize("typed", ["", "   ", "🔥🔥", "?!", '"NEAR(', "a" * 5000,
                                   "NEAR(kronstadt OR", "vegan bread"])
def test_bad_input_gets_a_short_message(ctx, typed: str) -> None:
    answer = compare(ctx, typed)
    assert answer.kind in (AnswerKind.ERROR, AnswerKind.NOT_FOUND) or (
        answer.kind is AnswerKind.COMPARE and typed.startswith("NEAR(kronstadt"))
    assert len(answer.title) < 60 and len(answer.body) < 300
    assert not answer.items or typed.startswith("NEAR(kronstadt")


def test_fts_syntax_around_a_real_word_still_compares_it(ctx) -> None:
    answer = compare(ctx, 'NEAR(kronstadt OR "')
    assert answer.kind is AnswerKind.COMPARE and "revolutionary-appraised" in _lines(answer)


def test_opposites_file_with_a_word_on_both_sides_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "compare.yaml"
    path.write_text("opposites:\n  - [[class], [class, caste]]\nacts: []\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="both sides"):
        load_opposites(path)
    assert load_opposites(REPO / "corpus" / "compare.yaml").pairs


def test_the_cli_routes_compare_and_lists_it_in_help(ctx) -> None:
    from bot.answers.conversation.router import ask

    answer = ask(ctx, "/compare Kronstadt")
    assert answer.kind is AnswerKind.COMPARE and answer.items
    assert any(f.name == "/compare" for f in ask(ctx, "/help").fields)
