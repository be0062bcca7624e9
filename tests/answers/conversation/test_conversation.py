"""Plain questions and follow-ups, from the labelled conversations, on the real corpus."""

from __future__ import annotations

import pytest

from bot.answers.conversation.intents import ConversationMemory, Turn, converse
from bot.answers.core.model import Answer
from tests.answer_helpers import build_context
from tests.corpus_helpers import labelled_cases

CASES = labelled_cases("conversation_cases.yaml")


@pytest.fixture(scope="module")
def ctx(tmp_path_factory, backend: str):
    return build_context(tmp_path_factory.mktemp("conversation") / "c.sqlite3", backend=backend)


def shown(answer: Answer) -> str:
    parts = [answer.title, answer.body, *(f.value for f in answer.fields)]
    if answer.items:
        parts += [answer.items[0].title, answer.items[0].body, answer.items[0].citation or ""]
    return "\n".join(parts)


def meets(answer: Answer, expect: dict) -> bool:
    return (answer.kind.value == expect["kind"]
            and ("title" not in expect or answer.title == expect["title"])
            and ("contains" not in expect or expect["contains"] in shown(answer)))


def run_case(ctx, number: int, case: dict) -> list[str]:
    memory = ConversationMemory()
    failures = []
    for turn in case["turns"]:
        answer = converse(ctx, memory, f"member-{number}", turn["ask"])
        if not meets(answer, turn["expect"]):
            failures.append(f"{turn['ask']!r} -> {answer.kind.value}: {answer.title!r}")
    return failures


def test_enough_questions() -> None:
    questions = sum(len(case["turns"]) for case in CASES)
    follow_ups = sum(1 for case in CASES if len(case["turns"]) > 1)
    assert questions >= 60 and follow_ups >= 10


def test_at_least_90_percent_of_labelled_questions_are_answered_right(ctx) -> None:
    failures = [f for number, case in enumerate(CASES) for f in run_case(ctx, number, case)]
    total = sum(len(case["turns"]) for case in CASES)
    accuracy = 1 - len(failures) / total
    assert accuracy >= 0.90, f"{accuracy:.0%} right; wrong: {failures}"


def test_the_issue_examples(ctx) -> None:
    memory = ConversationMemory()
    killer = converse(ctx, memory, "m", "who killed Trotsky?")
    assert killer.title == "Ramon Mercader" and "20th August 1940" in shown(killer)
    converse(ctx, memory, "m", "what did Lenin say about Stalin?")
    assert "21 January 1924" in shown(converse(ctx, memory, "m", "and when did he die?"))


def test_follow_ups_expire_and_are_per_member(ctx) -> None:
    now = [0.0]
    memory = ConversationMemory(seconds=60, clock=lambda: now[0])
    converse(ctx, memory, "alice", "who was Lenin?")
    other = converse(ctx, memory, "bob", "and when did he die?")
    assert "21 January 1924" not in shown(other)  # Bob never asked about Lenin
    now[0] = 120.0
    late = converse(ctx, memory, "alice", "and when did he die?")
    assert "21 January 1924" not in shown(late)  # Alice's question is too old to refer to


def test_the_memory_is_capped_however_many_members_ask(ctx) -> None:
    now = [0.0]
    memory = ConversationMemory(seconds=600, clock=lambda: now[0], max_keys=100)
    converse(ctx, memory, "alice", "who was Lenin?")
    for n in range(500):  # a crowd (or one member in many channels) asks afterwards
        now[0] += 0.01
        memory.remember(f"member-{n}", Turn(person="Joseph Stalin"))
    assert len(memory.turns) == 100
    assert "21 January 1924" not in shown(converse(ctx, memory, "alice", "and when did he die?"))
    now[0] += 0.01
    converse(ctx, memory, "bob", "who was Lenin?")
    assert "21 January 1924" in shown(converse(ctx, memory, "bob", "and when did he die?"))


def test_who_said_words_shows_the_speaker_and_the_sentence_naming_them(ctx) -> None:
    # "which Lenin described as taking “one step back” so that the country could
    # subsequently take “two steps forward.”": both quotations are Lenin's, and the
    # sentence that says so is shown with them, once.
    answer = converse(ctx, ConversationMemory(), "member",
                      "who said the NEP was one step back to take two steps forward?")
    assert answer.title == "Vladimir Lenin"
    assert "Lenin described as taking" in shown(answer)
    assert [f.name for f in answer.fields].count("In the text") <= 1
