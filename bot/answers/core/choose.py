"""The reply to a name that fits several people: one "which one?" for every command."""

from __future__ import annotations

from collections.abc import Sequence

from bot.answers.core.model import Answer, AnswerKind, Item
from bot.corpus.people import Person


def which_person(typed: str, candidates: Sequence[Person]) -> Answer:
    """"Which “Smirnov” do you mean?" with each candidate and their role."""
    return Answer(AnswerKind.CHOOSE, f"Which “{typed[:60]}” do you mean?",
                  "Several people fit that name:",
                  items=[Item(title=p.name, body=p.role or "") for p in candidates],
                  suggestions=[p.name for p in candidates])
