"""The one autocomplete helper: Discord's limits and the failure rule, for every box."""

from __future__ import annotations

import logging

import pytest

from bot.discord_app.autocomplete import choices
from bot.discord_app.limits import CHOICE_TEXT_MAX, CHOICES_MAX


@pytest.mark.parametrize("blocking", [True, False])
async def test_choices_are_capped_and_names_cut(blocking: bool) -> None:
    pairs = [("x" * 300, f"value-{i}") for i in range(40)]
    found = await choices(lambda: pairs, what="test", blocking=blocking)
    assert len(found) == CHOICES_MAX
    assert all(len(c.name) <= CHOICE_TEXT_MAX for c in found)
    assert found[0].value == "value-0"


async def test_a_string_value_too_long_to_send_is_left_out_not_cut() -> None:
    found = await choices(lambda: [("long", "v" * (CHOICE_TEXT_MAX + 1)), ("empty", ""),
                                   ("ok", "fine")], what="test")
    assert [c.value for c in found] == ["fine"]


async def test_numbers_are_values_too_and_an_empty_label_falls_back_to_the_value() -> None:
    found = await choices(lambda: [("", 12), ("#13 · a prompt", 13)], what="test")
    assert [(c.name, c.value) for c in found] == [("12", 12), ("#13 · a prompt", 13)]


async def test_a_failing_lookup_is_logged_and_offers_nothing(
        caplog: pytest.LogCaptureFixture) -> None:
    def broken() -> list[tuple[str, str]]:
        raise RuntimeError("the store fell over")

    with caplog.at_level(logging.ERROR, logger="bot.discord_app.autocomplete"):
        assert await choices(broken, what="source", typed="platy") == []
    assert "source autocomplete failed for 'platy'" in caplog.text
