"""The labelled /who set: every lookup resolves to the right person or the right choice."""

from __future__ import annotations

from bot.corpus.people import load_people
from tests.corpus_helpers import REPO, labelled_cases

PEOPLE = load_people(REPO / "corpus" / "people.yaml")
CASES = labelled_cases("who_cases.yaml")


def outcome(query: str) -> tuple[str | None, list[str]]:
    person, candidates = PEOPLE.resolve(query)
    return (person.name if person else None), [p.name for p in candidates]


def test_there_are_enough_cases_of_every_kind() -> None:
    kinds = {case["kind"] for case in CASES}
    assert len(CASES) >= 60
    assert kinds == {"canonical", "alias", "typo", "partial", "ambiguous", "unknown"}


def test_every_labelled_lookup_is_right() -> None:
    wrong = []
    for case in CASES:
        name, candidates = outcome(case["query"])
        if "expect_choices" in case:
            ok = name is None and set(case["expect_choices"]) <= set(candidates)
        elif case["expect"] is None:
            ok = name is None  # suggestions are fine; a confident wrong person is not
        else:
            ok = name == case["expect"]
        if not ok:
            wrong.append((case["query"], name, candidates[:4]))
    assert wrong == []


def test_every_curated_fact_is_supported_by_a_passage_the_card_can_show() -> None:
    """Each fact's evidence is an exact phrase of one paragraph of the text it names."""
    from bot.corpus.load import load_text
    from tests.corpus_helpers import TEXTS

    paragraphs: dict[str, list[str]] = {}
    unsupported = []
    for person in PEOPLE.people:
        for fact in person.facts:
            if fact.source not in paragraphs:
                path = TEXTS / f"{fact.source}.md"
                paragraphs[fact.source] = [p.text for p in load_text(path).paragraphs] \
                    if path.exists() else []
            if not any(fact.evidence in text for text in paragraphs[fact.source]):
                unsupported.append((person.name, fact.evidence[:60]))
    assert unsupported == []
    summarised = [p for p in PEOPLE.people if p.summary and p.facts]
    assert len(summarised) >= 60
