"""/quote of words quoted inside a quotation, and of a source the text does not name."""

from __future__ import annotations

import pytest

from bot.answers.core.context import AnswerContext
from bot.answers.core.model import AnswerKind
from bot.answers.quote.answer import quote
from tests.answer_helpers import build_context


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory, backend: str) -> AnswerContext:
    return build_context(tmp_path_factory.mktemp("nested") / "nested.sqlite3", backend=backend)


def _field(answer, name: str) -> str:
    return next(f.value for f in answer.fields if f.name == name)


def test_the_condemned_sang_is_an_unnamed_report_not_a_person(ctx: AnswerContext) -> None:
    answer = quote(ctx, "the condemned sang the Internationale")
    assert answer.kind is AnswerKind.QUOTE
    assert "As they marched away, the condemned sang" in answer.body
    assert answer.sources[0].slug == "struggle-against-stalinism"
    assert answer.title == "An unnamed source: “One report”"
    assert "One report" in _field(answer, "Said or written by")


def test_words_inside_an_account_name_their_speaker_and_who_quotes_them(
        ctx: AnswerContext) -> None:
    answer = quote(ctx, "what has got into your tongue")
    assert "What has got into your tongue?" in answer.body
    assert answer.title == "Georgy Pyatakov"
    assert _field(answer, "Said or written by") == (
        "Georgy Pyatakov, quoted by Natalia Sedova, quoted in the essay")


def test_the_outer_quotations_citation_stays_with_the_inner_words(ctx: AnswerContext) -> None:
    # Meyer's sentence quotes Lenin: Lenin's words, Meyer's book as the source.
    answer = quote(ctx, "bourgeois-democratic revolution in Russia had been completed")
    assert answer.title == "Vladimir Lenin"
    assert "quoted by Alfred G. Meyer" in _field(answer, "Said or written by")
    assert "Meyer" in _field(answer, "Original source")


def test_the_second_half_of_a_sentence_a_tag_splits_is_the_same_speakers(ctx) -> None:
    # "‘Stalin, having become General Secretary,’ declares the testament, ‘has concentrated
    # enormous power in his hands, …’": both halves are Lenin's testament.
    first = quote(ctx, "Stalin, having become General Secretary")
    second = quote(ctx, "has concentrated enormous power in his hands")
    assert first.title == second.title == "Vladimir Lenin"
    # Shown together, in order: the reader remembers the sentence, not the tag.
    assert first.body == second.body
    assert second.body.startswith("“Stalin, having become General Secretary,” … “has "
                                  "concentrated enormous power")


def test_a_short_quotation_with_its_own_page_marker_is_the_cited_authors(ctx) -> None:
    # "… had been nothing but “bureaucratic parades” (WLT, 118)": the Writings of Leon
    # Trotsky; "“soviet democracy” supplanted “bureaucratic autocracy” (218)": only the
    # words right before the marker are the page's.
    assert quote(ctx, "bureaucratic parades").title == "Leon Trotsky"
    assert quote(ctx, "bureaucratic autocracy").title == "Leon Trotsky"
    assert quote(ctx, "soviet democracy", source="to-topple").title == "Unattributed"


def test_a_marker_of_several_pages_gives_the_words_before_it_their_author(ctx) -> None:
    # "His use of phrases like “privileged and commanding strata,” “uncontrolled caste alien
    # to socialism,” and “ruling clique” is not a lapse into hairsplitting (15, 192, 206)."
    answer = quote(ctx, "uncontrolled caste alien to socialism")
    assert answer.title == "Leon Trotsky"
    assert "The Revolution Betrayed" in _field(answer, "Original source")


def test_inside_a_quotation_going_on_with_the_essays_sentence_its_subject_speaks(ctx) -> None:
    # 'prosecutor Andrei Vyshinsky “hints at one of the political motives behind the trial:
    # ‘It is now clear,’ he reported, ‘why there are interruptions …’”': "he" is Vyshinsky,
    # not Stalin, whom the sentence before names.
    answer = quote(ctx, "why there are interruptions of supplies here and there")
    assert answer.title == "Andrei Vyshinsky"
    # 'Lenin “told the chairmen of provincial soviet executive committees in July 1918, ‘is
    # their timidity and reluctance …’”': Lenin's words, quoted in Hill's.
    answer = quote(ctx, "timidity and reluctance to take affairs into their own hands")
    assert answer.title == "Vladimir Lenin"
    assert "Christopher Hill" in _field(answer, "Said or written by")


def test_the_second_half_of_a_split_quotation_whose_opening_mark_was_lost_is_found(
        ctx) -> None:
    # "“Under Stalin,” Serge argues, . . . the party became a mass of ideologically
    # disinterested men, … privileges.”118": the copy lost the mark that opens the second
    # half; its closing mark and the tag say it is Serge's.
    answer = quote(ctx, "the party became a mass of ideologically disinterested men")
    assert answer.title == "Victor Serge"
    assert answer.body.startswith("“Under Stalin,” … “the party became a mass of "
                                  "ideologically disinterested")


def test_a_cleft_sentences_pronoun_names_the_speaker(ctx) -> None:
    # "The Liberal Pavel Milyukov … found such a programme horrifying. It was he who first
    # termed those Social-Democrats who supported this approach “Trotskyists”."
    answer = quote(ctx, "Trotskyists", source="life-of-leon-trotsky")
    assert answer.body == "“Trotskyists”"
    assert answer.title == "Pavel Milyukov"


def test_words_quoted_in_a_block_are_found_though_their_closing_mark_is_backwards(
        ctx) -> None:
    # Deutscher's block: "… muttered sarcastically: ‘Haven’t we been idiots! … full of
    # scruples . . . ‘”147" — Radek's words, not Deutscher's, though no rule names him yet.
    answer = quote(ctx, "we could have prepared a nice war chest")
    assert answer.body.startswith("“Haven’t we been idiots!")
    assert answer.title != "Isaac Deutscher"
    assert "quoted by Isaac Deutscher" in _field(answer, "Said or written by")
