""""Find in the texts" (bot.answers.texts.find) on the real corpus: real sentences are placed, with
their source; invented or half-invented ones are not."""

from __future__ import annotations

import itertools
import random
import re

import pytest

from bot.answers.core.context import AnswerContext
from bot.answers.core.model import Answer, AnswerKind
from bot.answers.texts.find import MATCH_THRESHOLD, MAX_FIND_CHARS, coverage, find_in_texts
from bot.corpus.model import BlockKind
from tests.answer_helpers import build_context
from tests.corpus_helpers import TEXTS, parsed

LIFE = "life-of-leon-trotsky"
#: From Trotsky's will, as life-of-leon-trotsky.md quotes it (a block quotation).
WILL = ("For forty-three years of my conscious life I have remained a revolutionist; for "
        "forty-two of them I have fought under the banner of Marxism.")
#: The essayist's own sentence (paragraph 3 of the same essay).
MURDER = ("On 20th August 1940, the Stalinist agent Ramon Mercader attacked and killed Leon "
          "Trotsky with an ice-axe at his home in exile in Mexico.")
#: Written for this test from the corpus's own vocabulary; in no text.
INVENTED = [
    "Trotsky spent the winter of 1931 breeding prize pigeons on a farm outside Montevideo.",
    "Stalin and the bureaucracy betrayed the revolution, and the workers paid for it in "
    "Kronstadt and Leningrad alike.",
    "Natalia Sedova wrote that the Fourth International was founded in a Paris café in 1952.",
    "The Red Army under Trotsky's command never fought a single battle during the Civil War.",
]


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory, backend: str) -> AnswerContext:
    return build_context(tmp_path_factory.mktemp("find") / "find.sqlite3", backend=backend)


def slugs_named(answer: Answer) -> set[str]:
    """The texts an answer places the words in: its sources and its "Also in" places."""
    named = {source.slug for source in answer.sources}
    for field in answer.fields:
        if field.name == "Also in":
            named |= set(re.findall(r"`([^`]+)`", field.value))
    return named


def placed(answer: Answer) -> bool:
    return answer.kind in (AnswerKind.QUOTE, AnswerKind.CONTEXT)


def corpus_sentences(count: int, seed: int = 11) -> list[tuple[str, str]]:
    """(slug, sentence) for ``count`` body sentences of 8+ words, drawn across all texts."""
    pool = [(path.stem, sentence.strip())
            for path in sorted(TEXTS.glob("*.md"))
            for paragraph in parsed(path.stem).paragraphs if paragraph.kind is BlockKind.BODY
            for sentence in paragraph.sentence_texts()
            if len(sentence.split()) >= 8 and len(sentence) <= MAX_FIND_CHARS]
    return random.Random(seed).sample(pool, count)


# ---------------------------------------------------------------- placed, with the source


def test_a_sentence_of_trotskys_will_is_his_quotation_in_the_essay(ctx: AnswerContext) -> None:
    answer = find_in_texts(ctx, WILL)
    assert answer.kind is AnswerKind.QUOTE
    assert answer.title.startswith("Quoted in") and answer.title.endswith("· Leon Trotsky")
    fields = {f.name: f.value for f in answer.fields}
    assert fields["Said or written by"] == "Leon Trotsky"
    assert "the life of Leon Trotsky" in fields["In"]
    assert answer.sources[0].slug == LIFE
    assert fields["Match"] == "every word of the message, in order"


def test_an_essayists_sentence_is_its_paragraph_with_the_words_in_bold(
        ctx: AnswerContext) -> None:
    answer = find_in_texts(ctx, MURDER)
    assert answer.kind is AnswerKind.CONTEXT
    assert answer.sources[0].slug == LIFE and answer.sources[0].paragraph == 2
    assert f"**{MURDER[:-1]}" in answer.body  # bold from the first word to the last
    assert "Rob Jones" in {f.name: f.value for f in answer.fields}["In"]


def test_how_it_is_pasted_does_not_matter(ctx: AnswerContext) -> None:
    pasted = f"> “{MURDER.upper()}” <@123456> https://example.org/x :)"
    answer = find_in_texts(ctx, pasted)
    assert answer.kind is AnswerKind.CONTEXT and answer.sources[0].slug == LIFE


def test_a_copy_with_a_slip_is_still_placed(ctx: AnswerContext) -> None:
    slipped = MURDER.replace("Stalinist ", "").replace("attacked", "atacked")
    answer = find_in_texts(ctx, slipped)
    assert placed(answer) and answer.sources[0].slug == LIFE
    assert "% of the message's words" in {f.name: f.value for f in answer.fields}["Match"]


def test_real_sentences_are_placed_in_their_text(ctx: AnswerContext) -> None:
    sample = corpus_sentences(40)
    missed = [(slug, sentence) for slug, sentence in sample
              if slug not in slugs_named(answer := find_in_texts(ctx, sentence))
              or not placed(answer)]
    assert missed == []


def test_real_sentences_with_a_word_dropped_are_mostly_placed(ctx: AnswerContext) -> None:
    rng = random.Random(5)
    sample = corpus_sentences(40, seed=12)
    found = 0
    for slug, sentence in sample:
        words = sentence.split()
        del words[rng.randrange(len(words))]
        answer = find_in_texts(ctx, " ".join(words))
        found += placed(answer) and slug in slugs_named(answer)
    assert found >= 36  # measured 40 of 40; the threshold allows a short sentence to miss


def test_a_long_message_is_looked_for_by_its_start(ctx: AnswerContext) -> None:
    paragraph = next(p.text for p in parsed(LIFE).paragraphs
                     if p.text.startswith("The life and death of Leon Trotsky"))
    answer = find_in_texts(ctx, paragraph + "\n\n" + paragraph[::-1] * 3)
    assert answer.kind is AnswerKind.CONTEXT and answer.sources[0].slug == LIFE
    assert f"first {MAX_FIND_CHARS} characters" in answer.body


# ---------------------------------------------------------------- not in the texts


@pytest.mark.parametrize("sentence", INVENTED)
def test_an_invented_sentence_is_not_in_the_texts(ctx: AnswerContext, sentence: str) -> None:
    answer = find_in_texts(ctx, sentence)
    assert answer.kind is AnswerKind.NOT_FOUND
    assert answer.title == "Not in the texts"
    (closest,) = answer.items
    assert closest.title.startswith("The closest passage") and closest.source is not None


def test_half_a_real_sentence_is_not_enough(ctx: AnswerContext) -> None:
    """Half of one sentence joined to half of another: half the words are in the texts."""
    sample = corpus_sentences(40, seed=13)
    claimed = []
    for (_, first), (_, second) in itertools.pairwise(sample):
        a, b = re.findall(r"\w+", first), re.findall(r"\w+", second)
        n = min(len(a), len(b))
        spliced = " ".join(a[:n // 2] + b[len(b) - n // 2:])
        if placed(find_in_texts(ctx, spliced)):
            claimed.append(spliced)
    assert claimed == []


@pytest.mark.parametrize(("text", "title"), [
    ("", "That message has no text"),
    ("   \n ", "That message has no text"),
    ("<@123> https://example.org", "That message has no text"),
    ("🔥🔥🔥 !!!", "Nothing to look for"),
    ("Stalin", "Too short to place"),
    ('NEAR( " * OR', "Too short to place"),
])
def test_what_cannot_be_placed_says_why(ctx: AnswerContext, text: str, title: str) -> None:
    answer = find_in_texts(ctx, text)
    assert (answer.kind, answer.title) == (AnswerKind.ERROR, title)


@pytest.mark.parametrize("text", ['NEAR( "the bureaucracy" * OR ) AND col:stalin ^x',
                                  '"' * 40 + " the revolution betrayed " + "(" * 40,
                                  "* " * 300 + "bureaucracy"])
def test_search_syntax_is_only_words(ctx: AnswerContext, text: str) -> None:
    answer = find_in_texts(ctx, text)  # never raises: the search sees words only
    assert answer.kind in (AnswerKind.NOT_FOUND, AnswerKind.CONTEXT, AnswerKind.QUOTE,
                           AnswerKind.ERROR)
    assert answer.title


# ---------------------------------------------------------------- the measure


def test_coverage_counts_the_messages_words_in_order() -> None:
    text = "One two three four five six seven eight nine ten."
    assert coverage("three four five six", text).score == 100
    assert coverage("THREE, four — five; six!", text).score == 100  # no punctuation or case
    assert coverage("six five four three", text).score < MATCH_THRESHOLD  # not in order
    # A short candidate inside a long message covers only its share of the message.
    assert coverage(text, "four five").score == pytest.approx(20)
    match = coverage("four five six", text)
    assert text[match.start:match.end] == "four five six"
