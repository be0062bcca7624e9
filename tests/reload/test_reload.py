"""Reloading the corpus while answers run (bot/reload.py), on a copy of the real corpus.

What a member would notice: during a reload every answer is either the old one or the new
one, never an error or a mix; a broken file changes nothing and the host is told which file,
which line and why; an ingest from another shell is picked up; two reloads never overlap.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest

from bot.answers.conversation.router import ask
from bot.answers.core.model import Answer, AnswerKind
from bot.config import Settings
from bot.reload import Reloader, warm_indexes
from bot.services import Services, open_services
from tests.corpus_helpers import REPO
from tests.reload.helpers import BROKEN_TEXT, NEW_SLUG, NEW_TEXT, NEW_WORD, add_text, corpus_copy

LEOPARD = "The old saying of the leopard"


@pytest.fixture
def settings(tmp_path) -> Settings:
    return corpus_copy(tmp_path)


@pytest.fixture
def services(settings: Settings) -> Iterator[Services]:
    opened = open_services(settings)
    warm_indexes(opened.answers)
    yield opened
    opened.close()


def titles(answer: Answer) -> list[str]:
    return [item.title for item in answer.items]


def test_a_reload_while_answers_run_serves_old_or_new_never_an_error(
        settings: Settings, services: Services) -> None:
    ctx = services.answers
    reloader = Reloader(ctx, settings.texts_dir)
    observed: list[tuple[Answer, Answer, Answer, Answer, bool]] = []
    errors: list[BaseException] = []
    running, reloaded, done = threading.Event(), threading.Event(), threading.Event()

    def ask_in_a_loop() -> None:
        after = 0
        try:
            while after < 3:  # three full rounds once the reload is over
                finished = reloaded.is_set()
                observed.append((ask(ctx, f"/search {NEW_WORD}"), ask(ctx, "/sources"),
                                 ask(ctx, "/search leopard changing his spots"),
                                 ask(ctx, "/quote dustbin of history"), finished))
                after += finished
                if len(observed) >= 2:
                    running.set()
        except BaseException as error:  # what the test is about: none may escape an answer
            errors.append(error)
        finally:
            running.set()
            done.set()

    asker = threading.Thread(target=ask_in_a_loop)
    asker.start()
    assert running.wait(120)
    # A new text, and an edit to the text the loop searches (its rows are all replaced).
    add_text(settings, "lantern-keepers.md", NEW_TEXT)
    essay = settings.texts_dir / "revolutionary-appraised.md"
    essay.write_text(essay.read_text(encoding="utf-8").replace(
        LEOPARD, "An added sentence. " + LEOPARD, 1), encoding="utf-8")
    outcome = reloader.reload(reason="test")
    reloaded.set()
    asker.join(300)
    assert done.is_set() and errors == []

    assert outcome.status == "reloaded", outcome.detail
    assert [t.slug for t in outcome.report.with_status("added")] == [NEW_SLUG]
    assert [t.slug for t in outcome.report.with_status("updated")] == ["revolutionary-appraised"]
    old_titles = titles(observed[0][1])
    assert len(old_titles) == 5
    for found, sources, leopard, quote, after_reload in observed:
        # The new text's word: not found (old index) or found in the new text, nothing else.
        if found.kind is AnswerKind.NOT_FOUND:
            assert not after_reload
        else:
            assert found.kind is AnswerKind.SEARCH
            assert {item.source.slug for item in found.items} == {NEW_SLUG}
        shown = titles(sources)
        assert len(shown) == len(set(shown))
        assert set(shown) in (set(old_titles), {*old_titles, "The lantern keepers"})
        # The edited essay's passage is found, before and after, whole.
        assert leopard.kind is AnswerKind.SEARCH
        assert LEOPARD in leopard.items[0].body
        assert leopard.items[0].source.slug == "revolutionary-appraised"
        assert quote.kind is AnswerKind.QUOTE and "dustbin of history" in quote.body
    final = observed[-1]
    assert final[0].kind is AnswerKind.SEARCH and len(titles(final[1])) == 6
    assert "An added sentence." in final[2].items[0].body


def test_a_broken_text_is_skipped_with_its_file_line_and_why_the_rest_reloaded(
        settings: Settings, services: Services) -> None:
    """A bad file never takes the bot down: the good new text goes in, the broken one is
    left out (and the texts served before still are), and the host is told why."""
    ctx = services.answers
    before = titles(ask(ctx, "/sources"))
    add_text(settings, "lantern-keepers.md", NEW_TEXT)  # good, in the same reload
    add_text(settings, "broken.md", BROKEN_TEXT)

    outcome = Reloader(ctx, settings.texts_dir).reload(reason="test")

    assert outcome.status == "reloaded" and outcome.ok
    shown = outcome.answer()
    assert shown.title == "Texts reloaded, but some were skipped"
    skipped = next(f.value for f in shown.fields if f.name == "Skipped")
    assert "broken.md:3" in skipped and "front matter is not valid YAML" in skipped
    assert set(before) <= set(titles(ask(ctx, "/sources")))  # nothing served before is lost
    assert ask(ctx, f"/search {NEW_WORD}").items[0].source.slug == NEW_SLUG

    # The host fixes the file: the next reload has nothing left to skip.
    (settings.texts_dir / "broken.md").unlink()
    fixed = Reloader(ctx, settings.texts_dir).reload(reason="test")
    assert fixed.ok and not (fixed.report and fixed.report.problems)


def test_an_ingest_from_another_shell_is_followed_without_a_restart(
        settings: Settings, services: Services, tmp_path) -> None:
    ctx = services.answers
    reloader = Reloader(ctx, settings.texts_dir)
    assert reloader.follow() is False  # the first look only notes the index
    assert ask(ctx, f"/search {NEW_WORD}").kind is AnswerKind.NOT_FOUND
    assert ask(ctx, f"/quote {NEW_WORD}").kind is not AnswerKind.QUOTE

    add_text(settings, "lantern-keepers.md", NEW_TEXT)
    config = tmp_path / "config.yaml"
    config.write_text(f"corpus_dir: {settings.corpus_dir}\ndata_dir: {settings.data_dir}\n")
    shell = subprocess.run([sys.executable, "-m", "bot", "--config", str(config), "ingest"],
                           cwd=REPO, capture_output=True, text=True, timeout=300)
    assert shell.returncode == 0, shell.stderr

    assert reloader.follow() is True
    assert reloader.follow() is False  # once per ingest
    assert ask(ctx, f"/search {NEW_WORD}").items[0].source.slug == NEW_SLUG
    assert "The lantern keepers" in titles(ask(ctx, "/sources"))


def test_two_reloads_never_run_at_once(settings: Settings, services: Services,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import bot.reload

    reloader = Reloader(services.answers, settings.texts_dir)
    inside, release = threading.Event(), threading.Event()
    real_ingest = bot.reload.ingest

    def slow_ingest(*args, **kwargs):  # the first reload holds still inside its ingest
        inside.set()
        assert release.wait(60)
        return real_ingest(*args, **kwargs)

    monkeypatch.setattr(bot.reload, "ingest", slow_ingest)
    outcomes = []
    first = threading.Thread(target=lambda: outcomes.append(reloader.reload(reason="first")))
    first.start()
    assert inside.wait(60)
    second = reloader.reload(reason="/reload by host")
    release.set()
    first.join(120)

    assert second.status == "busy"
    assert second.answer().title == "A reload is already running"
    assert "Started by first" in second.answer().body
    assert [o.status for o in outcomes] == ["unchanged"]


def test_the_start_warms_the_sentence_vocabulary_as_well_as_quote_index(
        settings: Settings) -> None:
    # run and console warm in the background while Discord connects or the reader types:
    # the first plain question, or /when of an event not curated, must not build it.
    from bot.answers.ask.engine import vocabulary_of

    opened = open_services(settings)
    try:
        opened.warm_in_background().join(timeout=120)
        built: list[str] = []
        original = opened.answers.search.sentence_vocabulary
        opened.answers.search.sentence_vocabulary = (  # type: ignore[method-assign]
            lambda: built.append("again") or original())
        assert vocabulary_of(opened.answers).sentences > 0
        assert built == []
    finally:
        opened.close()
