"""/quote on the real corpus: search, filters, random draws, the answer, context, the CLI."""

from __future__ import annotations

import dataclasses
import json
import random
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, update

from bot.answers.conversation.router import ask
from bot.answers.core.context import AnswerContext
from bot.answers.core.model import Answer, AnswerKind
from bot.answers.quote.answer import (
    another_quote,
    match_people,
    more_quotes,
    quote,
    quote_context,
)
from bot.answers.quote.index import QuoteCatalog, build_index, worth_drawing
from bot.answers.quote.recent import RecentQuotes
from bot.store.database import session_factory
from bot.store.models import Quotation, Source
from bot.store.quotes import parse_ref, without_markers
from tests.answer_helpers import build_context
from tests.corpus_helpers import REPO

LEAD = "to-lead-the-people"


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory, backend: str) -> AnswerContext:
    return build_context(tmp_path_factory.mktemp("quote") / "quote.sqlite3", backend=backend)


def field(answer: Answer, name: str) -> str:
    return next(f.value for f in answer.fields if f.name == name)


def shown(answer: Answer) -> list[str]:
    """The words of every quotation an answer shows, best first."""
    return [answer.body, *(item.body for item in answer.items)]


# --- what the issue asks to show ---------------------------------------------------------------


def test_dustbin_of_history_is_trotskys_reply_to_the_mensheviks(ctx: AnswerContext) -> None:
    answer = quote(ctx, "dustbin of history")
    assert answer.kind is AnswerKind.QUOTE
    assert answer.title == "Leon Trotsky"
    assert "in the dustbin of history!" in answer.body
    assert "What is happening is an insurrection" in answer.body  # the full quotation
    assert field(answer, "Said or written by") == "Leon Trotsky"
    assert "1917" in field(answer, "In") and "Rob Jones" in field(answer, "In")
    assert "Trotsky replied" in field(answer, "How we know")


def test_mediocrity_yes_nonentity_no_is_trotsky(ctx: AnswerContext) -> None:
    answer = quote(ctx, "Mediocrity, yes; nonentity, no")
    assert answer.title == "Leon Trotsky"
    assert answer.body.endswith("\n“Mediocrity, yes; nonentity, no,”")  # under Smirnov's line
    assert field(answer, "Original source") == (
        "Leon Trotsky, *Stalin: An appraisal of the man and his influence*, pp. 392-3")


def test_the_leopard_is_emma_goldman(ctx: AnswerContext) -> None:
    answer = quote(ctx, "leopard changing his spots")
    assert answer.title == "Emma Goldman"
    assert "The old saying of the leopard" in answer.body


def test_an_endnoted_quotation_shows_the_resolved_book_and_page(ctx: AnswerContext) -> None:
    answer = quote(ctx, "All night long the 23rd they met")
    assert answer.title == "John Reed"
    assert field(answer, "Original source") == "John Reed, *Ten Days that Shook the World*, p. 57"
    assert answer.citations == ["John Reed, *Ten Days that Shook the World*, p. 57"]


def test_words_quoted_from_a_secondary_source_say_quoted_in(ctx: AnswerContext) -> None:
    answer = quote(ctx, "I did not believe in our victory")
    assert field(answer, "Original source") == (
        "quoted in Isaac Deutscher, *The Prophet Unarmed, Vol. II*, p. 310")


def test_a_citation_printed_inside_the_words_is_shown_apart(ctx: AnswerContext) -> None:
    answer = quote(ctx, "the leaden rump outweighed the head")
    assert answer.body.endswith("That is the secret of the Soviet’s Thermidor.”")
    assert "(Trotsky, 71–72)" not in answer.body
    assert field(answer, "Original source") == "Leon Trotsky, *The Revolution Betrayed*, pp. 71–72"


# --- searching ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "words"), [
    ("dustbin of histroy", "dustbin of history"),
    ("mediocraty yes nonentity no", "Mediocrity, yes; nonentity, no"),
    ("the leaden rump outweighed the head", "The leaden rump of the bureaucracy outweighed"),
    ("personfication of the bureacracy", "personification of the bureaucracy"),
    ("history of dustbin the", "dustbin of history"),  # any order
    ('"dustbin of history"', "dustbin of history"),  # a quoted phrase
])
def test_typos_misremembered_wording_and_any_order_find_the_words(
        ctx: AnswerContext, typed: str, words: str) -> None:
    assert words in quote(ctx, typed).body


def test_topic_words_are_stemmed(ctx: AnswerContext) -> None:
    answer = quote(ctx, "permanent revolutions")
    assert answer.kind is AnswerKind.QUOTE
    assert "permanent revolution" in answer.body.lower()


def test_a_topic_finds_the_rarer_word_rather_than_a_near_miss(ctx: AnswerContext) -> None:
    # No quotation says "bureaucratic caste"; "caste" is the telling word of the two.
    answer = quote(ctx, "bureaucratic caste")
    assert answer.title == "Leon Trotsky"
    assert answer.body == "“humiliating subjection to a caste of usurpers”"
    assert not any("bureaucratic centrism" in words for words in shown(answer))


def test_whole_paragraphs_are_not_quotations(ctx: AnswerContext) -> None:
    assert ctx.search.search_passages("Coyoacan")  # /search finds the paragraph ...
    answer = quote(ctx, "Coyoacan")  # ... but nobody is quoted saying it
    assert answer.kind is AnswerKind.NOT_FOUND
    assert "No quotation" in answer.body


@pytest.mark.parametrize("typed", ["banana pudding", "who killed Kennedy", "the the the",
                                   ") OR (", "zzqqxx platypusoid", "secret police"])
def test_no_match_says_so_rather_than_show_a_wrong_quotation(ctx: AnswerContext,
                                                              typed: str) -> None:
    assert quote(ctx, typed).kind is AnswerKind.NOT_FOUND


def test_alternatives_never_repeat_a_quotation_or_nest_in_another(ctx: AnswerContext) -> None:
    answer = quote(ctx, "mediocrity nonentity")
    assert 1 <= len(answer.items) <= 4
    places = [(s.slug, s.paragraph) for s in answer.sources]
    assert len(shown(answer)) == len(set(shown(answer)))
    # The epigraph holding both is not shown beside the two quotations inside it.
    assert not any(words.startswith("“In the spring of 1924") for words in shown(answer))
    assert places.count((LEAD, 1)) == 2


def test_more_results_lists_the_alternatives(ctx: AnswerContext) -> None:
    answer = quote(ctx, "mediocrity nonentity")
    more = more_quotes(answer, "mediocrity nonentity")
    assert more.kind is AnswerKind.QUOTES
    assert [i.body for i in more.items] == [i.body for i in answer.items]
    assert more_quotes(quote(ctx, "dustbin of history")).kind is AnswerKind.NOT_FOUND


# --- filters -----------------------------------------------------------------------------------


@pytest.mark.parametrize("person", ["Goldman", "Emma Goldmann", "goldman", " Emma Goldman "])
def test_person_takes_any_alias_or_spelling(ctx: AnswerContext, person: str) -> None:
    answer = quote(ctx, "leopard", person)
    assert answer.title == "Emma Goldman"


@pytest.mark.parametrize(("person", "name"), [("Trotksy", "Leon Trotsky"),
                                               ("Lev Davidovich", "Leon Trotsky"),
                                               ("Ilyich", "Vladimir Lenin"),
                                               ("Engles", "Friedrich Engels"),
                                               ("Natasha", "Natalia Sedova"),
                                               ("Dzhilas", "Milovan Djilas")])
def test_random_quotation_by_person(ctx: AnswerContext, person: str, name: str) -> None:
    answer = quote(ctx, None, person)
    assert answer.kind is AnswerKind.QUOTE and answer.title == name


@pytest.mark.parametrize("few", [0, 120])  # the full-text path, then every quotation of theirs
def test_both_person_paths_agree(ctx: AnswerContext, few: int,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bot.answers.quote.answer.FEW_QUOTATIONS", few)
    assert "leopard changing" in quote(ctx, "leopard spots", "Goldman").body
    answer = quote(ctx, "cut off his own claws", "Trotksy")
    assert "voluntarily cut off his own claws" in answer.body
    assert {i.title for i in answer.items} <= {"Leon Trotsky"}


def test_person_filter_keeps_other_speakers_out(ctx: AnswerContext) -> None:
    answer = quote(ctx, "dustbin of history", "Lenin")
    assert answer.kind is AnswerKind.NOT_FOUND
    assert "by Vladimir Lenin" in answer.body


def test_unknown_person_is_an_error_with_suggestions(ctx: AnswerContext) -> None:
    answer = quote(ctx, "revolution", "Mark")
    assert answer.kind is AnswerKind.ERROR
    assert answer.title == "No one called “Mark”"
    assert "Karl Marx" in answer.suggestions and "Did you mean Karl Marx" in answer.body


def test_a_surname_two_people_share_asks_which_one(ctx: AnswerContext) -> None:
    answer = quote(ctx, None, "smirnov")
    assert answer.kind is AnswerKind.CHOOSE
    assert answer.title == "Which “smirnov” do you mean?"
    assert "Ivan Smirnov" in answer.suggestions and len(answer.suggestions) == 2


def test_source_filter(ctx: AnswerContext) -> None:
    answer = quote(ctx, "leopard", source="medium")
    assert answer.title == "Emma Goldman"
    assert quote(ctx, "dustbin of history", source="platypus").kind is AnswerKind.NOT_FOUND
    assert quote(ctx, "dustbin", source="no such text at all").kind is AnswerKind.ERROR
    # Words of the title and the publication together, in any order: the review on Medium.
    assert quote(ctx, "leopard", source="Medium review").title == "Emma Goldman"
    assert quote(ctx, "leopard", source="review").kind is AnswerKind.ERROR  # two reviews


def test_person_autocomplete(ctx: AnswerContext) -> None:
    assert match_people(ctx, "Trotksy")[0][1] == "Leon Trotsky"
    assert match_people(ctx, "Lev Davidovich")[0][1] == "Leon Trotsky"
    everyone = match_people(ctx, "")
    assert len(everyone) == 25 and everyone[0][1] == "Leon Trotsky"  # the most quoted first
    assert re.fullmatch(r"Leon Trotsky · \d+ quotations", everyone[0][0])
    assert all(len(label) <= 100 and len(name) <= 100 for label, name in everyone)


# --- random ------------------------------------------------------------------------------------


def test_a_random_quotation_is_worth_reading(ctx: AnswerContext) -> None:
    for _ in range(30):
        answer = quote(ctx, "", channel="worth")
        words = answer.body.strip("“”")
        assert answer.kind is AnswerKind.QUOTE and answer.ref
        assert len(words.split()) >= 8
        assert answer.title != "Unattributed"  # attributed ones are preferred


def test_no_repeats_in_a_channel(ctx: AnswerContext) -> None:
    drawn = [quote(ctx, None, channel="repeats").ref for _ in range(20)]
    assert len(set(drawn)) == 20
    goldman = [quote(ctx, None, "Goldman", channel="small").ref for _ in range(3)]
    assert goldman[0] == goldman[1] == goldman[2]  # she has one: repeating is all there is


def test_the_draw_is_seeded_for_tests(ctx: AnswerContext) -> None:
    def draws(seed: int) -> list[str | None]:
        seeded = dataclasses.replace(ctx, rng=random.Random(seed), recent_quotes=RecentQuotes())
        return [quote(seeded, channel="seeded").ref for _ in range(5)]

    assert draws(7) == draws(7)
    assert draws(7) != draws(8)


def test_another_keeps_the_filters(ctx: AnswerContext) -> None:
    answer = another_quote(ctx, "Trotsky", "platypus", channel="another")
    assert answer.title == "Leon Trotsky"
    assert answer.sources[0].slug == "to-topple-the-stalinist-bureaucracy"


def test_recent_history_is_bounded() -> None:
    recent = RecentQuotes(per_channel=3, max_channels=2)
    for n in range(5):
        recent.remember("a", n)
    assert recent.seen("a") == {2, 3, 4}
    recent.remember("b", 1)
    recent.remember("c", 1)
    assert recent.seen("a") == frozenset()  # the least recently active channel went
    assert recent.oldest_first("b", [7, 1]) == [7, 1]


def test_worth_drawing() -> None:
    assert worth_drawing("Stalin will become the dictator of the whole U.S.S.R.", "inline")
    assert not worth_drawing("second supplementary revolution", "inline")
    assert not worth_drawing("of changing the economic foundations of society, of replacing "
                             "forms", "inline")
    assert worth_drawing(". . . the ‘state’ is still necessary, but this is now a "
                         "transitional state.", "block")


# --- the context follow-up ---------------------------------------------------------------------


def test_context_shows_the_paragraph_with_the_quotation_in_bold(ctx: AnswerContext) -> None:
    answer = quote(ctx, "no better Bolshevik than Trotsky")
    assert answer.ref == "quote:life-of-leon-trotsky:30:511"
    context = quote_context(ctx, answer.ref)
    assert context.kind is AnswerKind.CONTEXT
    assert "**There has been no better Bolshevik than Trotsky**" in context.body
    assert context.sources[0].paragraph == 30


def test_context_of_a_block_quotation_shows_what_leads_into_it(ctx: AnswerContext) -> None:
    answer = quote(ctx, "leopard changing his spots")
    context = quote_context(ctx, answer.ref or "")
    assert "Goldman is less kind in her assessment" in context.body
    assert "> The old saying of the leopard" in context.body


@pytest.mark.parametrize("ref", ["", "nonsense", "quote:no-such-text:1:2", "quote:x:y:z",
                                 "quote:life-of-leon-trotsky:99999:0"])
def test_context_of_an_unknown_ref_says_so(ctx: AnswerContext, ref: str) -> None:
    assert quote_context(ctx, ref).kind is AnswerKind.NOT_FOUND


def test_refs_round_trip() -> None:
    assert parse_ref("quote:to-lead-the-people:12:345") == ("to-lead-the-people", 12, 345)
    assert parse_ref("quote:a:b:12:345") == ("a:b", 12, 345)
    assert parse_ref("who:x:1:2") is None


def test_markers_inside_the_words_are_taken_out() -> None:
    text = "That is the secret of the Soviet’s Thermidor (Trotsky, 71–72)."
    assert without_markers(text, [(45, 61)]) == "That is the secret of the Soviet’s Thermidor."
    assert without_markers(text, [(45, 999)]) == text  # a span that does not fit: unchanged


# --- the index follows the store ---------------------------------------------------------------


def test_the_index_is_rebuilt_when_the_store_changes(tmp_path: Path) -> None:
    copy = build_context(tmp_path / "changing.sqlite3")
    catalog = QuoteCatalog(recheck_after=0)
    before = catalog.current(copy.store)
    with session_factory(copy.store.engine).begin() as session:
        session.execute(delete(Quotation).where(Quotation.speaker == "Emma Goldman"))
        session.execute(update(Source).values(ingested_at=Source.ingested_at))  # same stamp
    assert catalog.current(copy.store) is before  # nothing says the texts changed
    with session_factory(copy.store.engine).begin() as session:
        session.execute(update(Source).where(Source.slug == "revolutionary-appraised")
                        .values(ingested_at=datetime.now(UTC) + timedelta(days=1)))
    after = catalog.current(copy.store)
    assert "Emma Goldman" in before.speakers and "Emma Goldman" not in after.speakers


def test_typo_correction_is_for_typos_only() -> None:
    index = build_index([(1, "The dustbin of history. Earnings crawl; nonentity", "inline",
                          None, "x")])
    assert index.correct("histroy") == "history"
    assert index.correct("nonentitty") == "nonentity"
    assert index.correct("meaning") is None  # not "earnings": typos keep the first letter
    assert index.correct("crawling") is None  # FTS5's stemmer matches "crawl" by itself
    assert index.correct("which") is None  # a stop word
    assert index.correct("hstr") is None  # too short to guess


# --- hostile input -----------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "person", "source"), [
    ("NEAR(dustbin history, 2)", None, None),
    ('"dustbin', None, None),
    ("col:text OR *", None, None),
    ("x" * 10_000, None, None),
    ("🔥🔥🔥", None, None),
    ("dustbin", "", None),
    ("dustbin", "   ", None),
    ("dustbin", "🔥", None),
    ("dustbin", "x" * 10_000, None),
    (None, None, "x" * 10_000),
    ("dustbin\x00", "Trotsky\x00", "\x00"),
])
def test_hostile_input_never_raises(ctx: AnswerContext, text: str | None, person: str | None,
                                    source: str | None) -> None:
    answer = quote(ctx, text, person, source)
    assert answer.kind in (AnswerKind.QUOTE, AnswerKind.NOT_FOUND, AnswerKind.ERROR)
    if text and len(text) > 300:
        assert answer.kind is AnswerKind.ERROR and "too long" in answer.title


def test_empty_person_means_anyone(ctx: AnswerContext) -> None:
    assert quote(ctx, "dustbin of history", "").title == "Leon Trotsky"


# --- router and CLI ----------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "title"), [
    ("/quote dustbin of history", "Leon Trotsky"),
    ("/quote person:Goldman", "Emma Goldman"),
    ("/quote leopard source:medium", "Emma Goldman"),
    ('/quote person:"Emma Goldman" leopard', "Emma Goldman"),
    ("/QUOTE Person:Goldman", "Emma Goldman"),
])
def test_the_router_parses_quote_options(ctx: AnswerContext, typed: str, title: str) -> None:
    assert ask(ctx, typed).title == title


def test_search_keeps_person_as_words(ctx: AnswerContext) -> None:
    answer = ask(ctx, "/search person:Goldman")  # /search has no person option
    assert "person" in answer.title.lower() or answer.kind is AnswerKind.NOT_FOUND


def test_cli_renders_the_same_quote_as_text_and_json(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(f"corpus_dir: {REPO / 'corpus'}\ndata_dir: {tmp_path / 'data'}\n")

    def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "bot", "--config", str(config), *args],
                              input=stdin, capture_output=True, text=True, cwd=REPO,
                              timeout=120)

    as_json = run("ask", "--json", "/quote dustbin of history")
    assert as_json.returncode == 0, as_json.stderr
    answer = json.loads(as_json.stdout)
    assert answer["kind"] == "quote" and answer["title"] == "Leon Trotsky"
    assert answer["ref"].startswith("quote:life-of-leon-trotsky:")
    console = run("console", stdin="/quote person:Goldman\n/quote leopard source:medium\n")
    assert console.returncode == 0, console.stderr
    assert console.stdout.count("Emma Goldman\n============") == 2
    assert "Said or written by: Emma Goldman" in console.stdout


# --- store support -----------------------------------------------------------------------------


def test_quotation_search_filters_on_the_speaker(ctx: AnswerContext) -> None:
    hits = ctx.search.search_quotations("revolution", speaker="Leon Trotsky", limit=50)
    assert hits and {h.speaker for h in hits} == {"Leon Trotsky"}
    assert len(ctx.search.search_quotations("revolution", limit=50)) > len(hits)
    assert ctx.search.search_quotations("dustbin", speaker="Vladimir Lenin") == []


def test_quotation_hits_say_where_the_words_sit(ctx: AnswerContext) -> None:
    (hit,) = ctx.search.search_quotations('"no better Bolshevik than Trotsky"', snippets=False)
    assert (hit.start, hit.end, hit.speaker, hit.snippet) == (511, 558, "Vladimir Lenin", "")


# --- by meaning ---------------------------------------------------------------------------------


def test_a_description_of_what_was_said_finds_the_quotation_and_its_speaker(ctx) -> None:
    from bot.answers.conversation.router import ask

    answer = ask(ctx, "/quote Trotsky on Lenin being treated like the head of a church")
    assert answer.kind is AnswerKind.QUOTE and answer.title == "Leon Trotsky"
    assert "head of an ecclesiastical hierarchy" in answer.body


def test_a_description_is_matched_against_the_sentences_around_the_quotation(ctx) -> None:
    # "after October" and "workers" are in the sentence that introduces Lenin's words
    # ("Lenin wrote a few days after the October Revolution, ..."), not in the words.
    answer = quote(ctx, "Lenin right after October telling workers nobody will help them if "
                        "they don't unite")
    assert answer.title == "Vladimir Lenin"
    assert "No one will help you if you yourselves do not unite" in answer.body


def test_the_first_person_a_description_names_is_read_as_the_speaker(ctx) -> None:
    # Joffe's letter to Trotsky, not Trotsky's words about Joffe: "letter to Trotsky" is
    # the sentence before the letter.
    answer = quote(ctx, "Joffe telling Trotsky he too often gave up being right for the "
                        "sake of a deal")
    assert answer.title == "Adolph Joffe"
    assert "I have never doubted the correctness of the way you have pointed out" in answer.body


def test_a_short_reply_is_shown_under_the_line_it_answers(ctx) -> None:
    # Trotsky's epigraph: “Stalin?” he asked me with amazement. “But he is a mediocrity, a
    # colorless nonentity.” “Mediocrity, yes; nonentity, no,” I answered him.
    reply = quote(ctx, "Mediocrity, yes; nonentity, no")
    lead, words = reply.body.split("\n")
    assert lead == "> In answer to “But he is a mediocrity, a colorless nonentity.”"
    assert words == "“Mediocrity, yes; nonentity, no,”"
    # Smirnov goes on after his own question: his words answer Trotsky's line before it.
    answer = quote(ctx, "But he is a mediocrity, a colorless nonentity")
    assert answer.body.startswith("> In answer to “Stalin will become the dictator of the "
                                  "U.S.S.R.” — Leon Trotsky\n")


def test_a_short_quotation_that_answers_nothing_is_shown_alone(ctx) -> None:
    for typed in ("They are voting with their feet", "get rich", "dustbin of history"):
        assert not quote(ctx, typed).body.startswith(">")


def test_words_a_quotation_holds_squarely_are_not_read_as_a_description(ctx) -> None:
    answer = quote(ctx, "the head of an ecclesiastical hierarchy")
    assert "head of an ecclesiastical hierarchy" in answer.body


def test_a_description_of_nothing_the_texts_say_still_finds_nothing(ctx) -> None:
    from bot.answers.conversation.router import ask

    assert ask(ctx, "/quote something about cheese and the moon").kind is AnswerKind.NOT_FOUND


def test_a_fragment_is_shown_inside_its_whole_sentence_with_the_words_in_bold(ctx) -> None:
    answer = quote(ctx, "planet without a visa")
    sentence = next(f.value for f in answer.fields if f.name == "In the text")
    assert "Their arrival in Istanbul in February 1929" in sentence
    assert "**planet without a visa,**" in sentence


def test_a_whole_sentence_quotation_needs_no_sentence_around_it(ctx) -> None:
    answer = quote(ctx, "dustbin of history")
    assert all(f.name != "In the text" for f in answer.fields)
