"""/when and /timeline behaviour beyond the labelled set: order, filters, bad input."""

from __future__ import annotations

import pytest

from bot.answers.core.model import AnswerKind
from bot.answers.dates.period import Period, parse_period
from bot.answers.dates.when import timeline, when
from bot.corpus.events import load_events
from bot.corpus.people import load_people
from tests.answer_helpers import build_context
from tests.corpus_helpers import REPO

EVENTS = load_events(REPO / "corpus" / "events.yaml")
PEOPLE = load_people(REPO / "corpus" / "people.yaml")


@pytest.fixture(scope="module")
def ctx(tmp_path_factory, backend: str):
    return build_context(tmp_path_factory.mktemp("timeline") / "t.sqlite3", backend=backend)


def test_timeline_1927_1929_lists_expulsion_exile_and_istanbul_in_order(ctx) -> None:
    titles = [item.title for item in timeline(ctx, EVENTS, Period(1927, 1929)).items]

    def position(words: str) -> int:
        return next(i for i, title in enumerate(titles) if words in title)

    assert position("Expulsion of Trotsky from the Communist Party") \
        < position("Exile to Alma Ata") < position("arrival in Istanbul")


def test_timeline_for_a_person_only_shows_their_entries(ctx) -> None:
    answer = timeline(ctx, EVENTS, Period(1940, 1940), person="Mercader", people=PEOPLE)
    assert answer.kind is AnswerKind.TIMELINE
    assert any("Murder of Leon Trotsky" in item.title for item in answer.items)
    assert all("Mercader" in (item.body + item.title) or "Murder" in item.title
               for item in answer.items)


@pytest.mark.parametrize(("typed", "period"), [
    ("1921", Period(1921, 1921)), ("1918-21", Period(1918, 1921)),
    ("1927 to 1929", Period(1927, 1929)), ("the 1920s", Period(1920, 1929)),
    ("1929-1927", Period(1927, 1929)), ("Kronstadt", None),
])
def test_periods(typed, period) -> None:
    assert parse_period(typed) == period


@pytest.mark.parametrize("hostile", ["", "?", "x" * 500, "🔥🔥", '") OR NEAR(', "when"])
def test_bad_input_gets_a_clear_answer(ctx, hostile) -> None:
    answer = when(ctx, EVENTS, hostile)
    assert answer.kind in (AnswerKind.ERROR, AnswerKind.NOT_FOUND, AnswerKind.WHEN)
    assert answer.title


def test_an_unknown_event_says_the_corpus_has_no_date(ctx) -> None:
    answer = when(ctx, EVENTS, "moon landing xylophone")
    assert answer.kind is AnswerKind.NOT_FOUND
    assert "no date" in answer.title


def test_a_period_between_two_years_reads_the_same_from_the_cog_and_the_cli() -> None:
    from bot.answers.dates.period import period_between

    assert period_between(1929, 1921) == Period(1921, 1929)
    assert period_between(1927, None) == period_between(None, 1927) == Period(1927, 1927)
    assert period_between(None, None) is None


def test_a_curated_date_its_sentence_does_not_state_says_it_is_worked_out(ctx) -> None:
    from bot.answers.conversation.router import ask

    # "November the 7th was the 140th anniversary of the birth of Lev Davidovich Trotsky":
    # the year comes from the anniversary and the essay's date, which the note says
    birth = when(ctx, EVENTS, "Trotsky's birth")
    assert birth.items[0].title == "7 November 1879 (day, worked out)"
    assert "140 years before" in (birth.items[0].citation or "")
    date = next(f.value for f in birth.fields if f.name == "Date")
    assert date.startswith("7 November 1879 (day precision, worked out from")
    assert ask(ctx, "when was Trotsky born?").title.startswith("7 November 1879 (worked out)")
    # a date the sentence states comes first and is not marked: "Their arrival in Istanbul
    # in February 1929" before "One year later he was exiled from the country."
    deported = when(ctx, EVENTS, "deportation to Turkey")
    assert [i.title for i in deported.items] == ["February 1929 (month)", "1929 (year, worked out)"]
    assert all("worked out" not in i.title for i in when(ctx, EVENTS, "Kronstadt").items)


# --- what events.yaml does not curate ----------------------------------------------------------


@pytest.mark.parametrize("typed", ["/when Molotov died", "when did Molotov die?",
                                   "/when Stalin's death", "when did Mercader die?"])
def test_an_undated_event_is_refused_never_answered_with_another_events_date(ctx,
                                                                             typed) -> None:
    from bot.answers.conversation.router import ask

    answer = ask(ctx, typed)
    assert answer.kind is AnswerKind.NOT_FOUND
    assert answer.title == "The texts give no date for that"
    # the nearest dated sentences are shown as that, about something else
    assert "about something else" in answer.body or not answer.items


def test_an_uncurated_event_is_dated_by_the_sentence_that_states_it(ctx) -> None:
    answer = when(ctx, EVENTS, "decree declaring socialist property sacred")
    assert answer.kind is AnswerKind.WHEN and answer.title == "7 August 1932 (day)"
    assert "No curated event" in answer.body
    assert "socialist property is declared sacred" in answer.items[0].body


def test_a_day_with_no_year_is_dated_from_the_year_stated_before_it_and_says_so(ctx) -> None:
    # "In a speech to the soldiers' delegates on November 11, Lenin acknowledged ...", after
    # "Between February and October 1917"
    answer = when(ctx, EVENTS, "Lenin's speech to the soldiers' delegates on peace")
    assert answer.kind is AnswerKind.WHEN
    assert answer.title == "11 November 1917 (worked out from “November 11”)"
    assert "on November 11, Lenin acknowledged" in answer.items[0].body


def test_a_date_in_a_who_clause_is_the_named_peoples(ctx) -> None:
    # "In the summer of 1923 ..." then "Myasnikov, Kuznetsov, and Moiseev, who back in
    # April and May had circulated a manifesto ..., were arrested."
    answer = when(ctx, EVENTS, "when did Myasnikov, Kuznetsov and Moiseev circulate their "
                               "manifesto")
    assert answer.kind is AnswerKind.WHEN
    assert answer.title == "April 1923 (worked out from “April”)"


def test_of_several_dates_in_one_run_on_sentence_the_one_whose_clause_says_it_answers(
        ctx) -> None:
    # one stored sentence: "... /I/n November 1922, he admitted ... A month later he
    # complained: “... it represents a bourgeois, tsarist mechanism.”75 In 1923 Lenin again
    # described the Soviet state as “a bourgeois Tsarist machine ...”"
    complained = when(ctx, EVENTS, "Lenin complains the apparatus is still a bourgeois "
                                   "tsarist mechanism")
    assert complained.title == "December 1922 (worked out from “A month later”)"
    machine = when(ctx, EVENTS, "Lenin calls the Soviet state a bourgeois Tsarist machine "
                                "barely varnished with socialism")
    assert machine.title == "1923 (year)"


def test_the_quotation_a_colon_introduces_is_part_of_what_its_sentence_says(ctx) -> None:
    # "The anarchist Michael Bakunin had foreseen this in 1873 when he prophesied that Marx's
    # followers would:" and, in the next paragraph, "... who will constitute a new
    # privileged scientific and political class."
    answer = when(ctx, EVENTS, "what year did Bakunin predict Marx's followers would form a "
                               "new privileged class")
    assert answer.kind is AnswerKind.WHEN and answer.title == "1873 (year)"
    assert "Bakunin had foreseen this in 1873" in answer.items[0].body


def test_this_was_1936_after_the_verses_dates_what_introduced_them(ctx) -> None:
    # "Two million workers in White Russia sign/ed/ a message in verse addressed to the
    # beloved leader:", the verses (and two more poets'), then "This was 1936."
    answer = when(ctx, EVENTS, "when did workers in White Russia send Stalin a message in verse")
    assert answer.kind is AnswerKind.WHEN and answer.title == "1936 (year)"
    assert "a message in verse" in answer.items[0].body
    assert answer.items[0].body.endswith("This was 1936.")


# --- books and articles: the year a note or the argument gives the work ------------------------


def test_a_note_that_says_when_a_book_first_appeared_dates_it_not_the_edition_cited(ctx) -> None:
    # "[15] Isaac Deutscher, The Prophet Outcast: Trotsky 1929-1940 (London: Verso, 2003),
    # 258. The book was originally published in 1963."
    answer = when(ctx, EVENTS, "what year was Deutscher's The Prophet Outcast originally "
                               "published")
    assert answer.kind is AnswerKind.WHEN and answer.title == "1963 (year)"
    assert "The book was originally published in 1963." in answer.items[0].body
    assert answer.items[0].source.slug == "to-topple-the-stalinist-bureaucracy"


@pytest.mark.parametrize(("typed", "title"), [
    # "Victor Serge's superb 1939 novel about ..., Midnight in the Century, trans. Richard
    # Greeman (New York: New York Review Books, 2015)"
    ("when did Serge write his novel Midnight in the Century", "1939 (year)"),
    # "... the Chinese revolution 1925-1927 (Comintern after Lenin, 1928)."
    ("when did Trotsky write The Comintern after Lenin", "1928 (year)"),
    # "“Trotsky Protests Too Much.” Originally published in The Anarchist Federation, 1938.
    # Marxist Internet Archive. Retrieved October 26th, 2023."
    ("Emma Goldman's article Trotsky Protests Too Much", "1938 (year)"),
])
def test_a_works_year_is_the_one_that_qualifies_or_accompanies_its_title(ctx, typed,
                                                                         title) -> None:
    assert when(ctx, EVENTS, typed).title == title


def test_only_an_edition_is_dated_and_it_says_so(ctx) -> None:
    # "160. Isaac Deutscher, The Prophet Armed, Volume I, New York, Vintage Books, 1954"
    published = when(ctx, EVENTS, "when was The Prophet Armed published")
    assert published.title == "1954 (year of the edition the note cites)"
    # ... which is no answer to when it was written
    assert when(ctx, EVENTS, "when did Deutscher write The Prophet Armed").kind is \
        AnswerKind.NOT_FOUND


def test_a_title_typed_capitalised_must_be_printed_so_and_a_book_is_found_by_its_subtitle(
        ctx) -> None:
    # not "the Russian state (which had needed reform at least as far back as the 1850s) ...
    # revolutionaries", nor the will "written in February 1940" and its "Life is beautiful."
    assert when(ctx, EVENTS, "when did Lenin write State and Revolution").kind is \
        AnswerKind.NOT_FOUND
    # "[6] Leon Trotsky, My Life: Attempt at an Autobiography (Mineola: Dover, 2007), Ch. XLV.
    # The book first appeared with C. Schribner's Sons in 1930."
    for typed in ("when did Trotsky write My Life", "when did Trotsky write his autobiography"):
        answer = when(ctx, EVENTS, typed)
        assert answer.title == "1930 (year)", typed
        assert "first appeared with C. Schribner’s Sons in 1930" in answer.items[0].body


def test_a_date_in_a_sentence_about_someone_else_is_not_the_asked_persons(ctx) -> None:
    # "... Victor Serge, a colleague of Trotsky's in the Left Opposition. In his Memoirs of a
    # Revolutionary, Serge relates the contents of a letter he wrote ..., dated February 1st,
    # 1933.": Serge's letter
    answer = when(ctx, EVENTS, "when did Trotsky write his memoirs")
    assert "1933" not in answer.title


def test_words_of_a_title_in_running_prose_are_no_title_nor_another_dates_the_work(ctx) -> None:
    # "His History of the Russian Revolution, published in 1930, upheld the memory and
    # lessons of the October Revolution ..."
    assert when(ctx, EVENTS, "when did Trotsky write the Lessons of October").kind is \
        AnswerKind.NOT_FOUND
    # "In his Memoirs of a Revolutionary, Serge relates ... a letter he wrote just prior to
    # his imprisonment in the USSR, dated February 1st, 1933": the letter's date
    memoirs = when(ctx, EVENTS, "when was Serge's Memoirs of a Revolutionary published")
    assert "1933" not in memoirs.title


@pytest.mark.parametrize("question", [
    "when did Myasnikov, Kuznetsov and Moiseev circulate their manifesto?",
    "what year did Bakunin predict Marx's followers would form a new privileged class?",
    "when did Lenin complain the apparatus is still a bourgeois tsarist mechanism?",
    "when was C.L.R. James's World Revolution published?",
    "when did Molotov die?",
    "when was the congress where the military opposition attacked trotsky's conscript army?",
])
def test_a_plain_when_question_gets_the_same_date_as_slash_when(ctx, question) -> None:
    from bot.answers.conversation.router import ask
    from bot.corpus.dates import dates_in

    plain, command = ask(ctx, question), ask(ctx, f"/when {question}")
    if command.kind is AnswerKind.NOT_FOUND:
        assert plain.title == command.title == "The texts give no date for that"
        return
    # the headline states the same date, from the sentence /when shows
    said, given = dates_in(plain.title), dates_in(command.title.split(" (")[0])
    assert said and given and said[0].date == given[0].date, (plain.title, command.title)
    assert command.items[0].body[:60] in " ".join(i.body or "" for i in plain.items)


def test_a_span_is_shown_as_a_span(ctx) -> None:
    # "The value of Soviet exports shrank to one-third and that of imports to one-fourth
    # between 1930 and 1935."
    assert when(ctx, EVENTS, "collapse of Soviet exports and imports").title == \
        "1930–1935 (range)"
    # "... at the beginning of the 1920s. In the 1930s he returned to the National question":
    # the decade nearer what was asked, and shown as a decade
    assert when(ctx, EVENTS, "when did Trotsky return to the National question").title == \
        "1930s (decade)"


def test_little_words_shared_with_an_events_name_do_not_make_it_the_event(ctx) -> None:
    # not "Expulsion of Trotsky and Zinoviev from the Central Committee" (23 October 1927),
    # which shares "from the Central Committee": "He wrote from exile to the Central Committee
    # on 16th December, 1928"
    answer = when(ctx, EVENTS, "when did Trotsky write to the Central Committee from exile")
    assert answer.title == "16 December 1928 (day)"


def test_a_curated_date_is_shown_in_the_texts_own_sentence(ctx) -> None:
    # the stored sentence runs "That June, he told Victor Serge ... the advancing
    # revolution.”[18]  Having followed the course of the Spanish Left since the end of the
    # Primo de Rivera dictatorship in 1930 ..." together
    answer = when(ctx, EVENTS, "Spanish Second Republic")
    assert answer.items[0].body.startswith("Having followed the course of the Spanish Left")
    assert [i.title for i in answer.items] == ["1930 (year)", "1931 (year, worked out)"]


def test_a_month_looked_back_on_is_the_one_before(ctx) -> None:
    # "Returning to Russia in April, ..." then "... no revolutionary change whatsoever had
    # occurred in February.": February 1917, not 1918
    answer = when(ctx, EVENTS, "no revolutionary change whatsoever had occurred")
    assert answer.title == "February 1917 (worked out from “February”)"


def test_a_curated_event_still_answers_when_its_name_names_no_one(ctx) -> None:
    assert when(ctx, EVENTS, "Trotsky exiled to Alma Ata").title == "Exile to Alma Ata"


_DROPPED_IN = """---
title: Minutes of the Thursday circle
author: A. Member
published: 2024-05-01
kind: essay
---

The circle first met in the back room of the Anchor library in March 1998, with six readers
and one borrowed copy of the book. One of them, Tomasz Wilk, has kept the minutes ever since.

Two years later, the circle moved to the community hall on Wells Street, where it still meets.

The circle's newsletter was launched in January 2010, typed by Tomasz Wilk. Three years after
the newsletter began, the circle split over the Kronstadt question.
"""


def test_a_dropped_in_text_with_no_curation_gets_its_dates_answered(tmp_path) -> None:
    import shutil

    from bot.config import Settings
    from bot.services import open_services
    from tests.corpus_helpers import TEXTS

    texts = tmp_path / "corpus" / "texts"
    shutil.copytree(TEXTS.parent, tmp_path / "corpus")
    (texts / "thursday-circle.md").write_text(_DROPPED_IN, encoding="utf-8")
    settings = Settings(corpus_dir=tmp_path / "corpus",
                        database_url=f"sqlite:///{tmp_path / 'dropped.sqlite3'}")
    services = open_services(settings)
    try:
        first = when(services.answers, services.answers.events, "the circle first met")
        assert first.kind is AnswerKind.WHEN and first.title == "March 1998 (month)"
        assert first.items[0].source.slug == "thursday-circle"
        moved = when(services.answers, services.answers.events, "the circle moved to the hall")
        assert moved.kind is AnswerKind.WHEN
        assert moved.title.startswith("2000 (worked out from “Two years later”")
        # counted from the newsletter's launch, which is not itself dated 2013
        split = when(services.answers, services.answers.events,
                     "when did the circle split over the Kronstadt question")
        assert split.title == "2013 (worked out from “Three years after the newsletter”)"
        launched = when(services.answers, services.answers.events,
                        "when was the circle's newsletter launched")
        assert launched.title == "January 2010 (month)"
        # a name no registry knows is not what happened: his typing the newsletter does not
        # date his keeping the minutes ("ever since" the first meeting, which is not a date)
        minutes = when(services.answers, services.answers.events,
                       "when did Tomasz Wilk start keeping the minutes")
        assert minutes.kind is AnswerKind.NOT_FOUND
    finally:
        services.close()


@pytest.mark.parametrize("question", [
    "when lenin fell ill, who took over the party",
    "when kirov was killed, who did the gpu blame",
])
def test_a_when_clause_that_sets_the_scene_gets_no_date_for_an_answer(ctx, question) -> None:
    # The question is the "who" after the scene: a date, or "no date for that", answers
    # something nobody asked.
    from bot.answers.conversation.router import ask
    from bot.corpus.dates import dates_in

    answer = ask(ctx, question)
    assert answer.kind is not AnswerKind.WHEN
    assert "date" not in answer.title
    assert not dates_in(answer.title)


def test_an_uncurated_event_whose_words_hold_how_much_is_still_dated(ctx) -> None:
    # "... later in the conflict with the horrific position of Stalin over the question of
    # autonomy in the Caucasus at the beginning of the 1920s": a date is asked, though "how
    # much" is in the words, and Trotsky stands by "the conflict", not by "Caucasus"
    answer = when(ctx, EVENTS, "when did trotsky clash with stalin over how much self-rule the "
                             "caucasus should get")
    assert answer.kind is AnswerKind.WHEN
    assert answer.title == "beginning of the 1920s (1920–1923, decade)"
    assert "autonomy in the Caucasus at the beginning of the 1920s" in answer.items[0].body


def test_an_article_is_dated_by_the_journal_issue_it_appeared_in(ctx) -> None:
    # "Cox, Michael. “Trotsky and His Interpreters: …” The Russian Review Vol 51 No. 1
    # (January, 1992), pp. 84–102."
    answer = when(ctx, EVENTS, "Michael Cox's article on Trotsky and his interpreters")
    assert answer.kind is AnswerKind.WHEN
    assert answer.title == "January 1992 (month)"
    assert "The Russian Review Vol 51 No. 1 (January, 1992)" in answer.items[0].body
