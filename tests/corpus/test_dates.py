"""Date extraction: every form the essays use, on the real corpus and on crafted sentences."""

from __future__ import annotations

import random
import re

import pytest

from bot.corpus import dates
from bot.corpus.dates import days_without_year, find_dates
from bot.corpus.load import load_text
from bot.corpus.people import load_people
from tests.corpus_helpers import REPO, TEXTS

PEOPLE = load_people(REPO / "corpus" / "people.yaml")


def dates_in(sentence: str, tmp_path) -> list[tuple[str, str, str, str | None]]:
    path = tmp_path / "t.md"
    path.write_text(f"---\ntitle: T\n---\n\n{sentence}\n", encoding="utf-8")
    text = load_text(path)
    return [(d.text, d.precision, d.date.iso(), d.until.iso() if d.until else None)
            for d in find_dates(text, PEOPLE)]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("It happened in 1921.", [("1921", "year", "1921", None)]),
    ("He left in February 1929.", [("February 1929", "month", "1929-02", None)]),
    ("On 20th August 1940 he was attacked.", [("20th August 1940", "day", "1940-08-20", None)]),
    ("It was 25 October 1917.", [("25 October 1917", "day", "1917-10-25", None)]),
    ("Lenin died on January 21, 1924.", [("January 21, 1924", "day", "1924-01-21", None)]),
    ("Written on December twenty-fifth, 1922.",
     [("December twenty-fifth, 1922", "day", "1922-12-25", None)]),
    ("A meeting on 8 January 1918.", [("8 January 1918", "day", "1918-01-08", None)]),
    ("The levy ran from 1923-1925.", [("from 1923-1925", "range", "1923", "1925")]),
    ("The civil war of 1918-21 ruined it.", [("1918-21", "range", "1918", "1921")]),
    ("The years 1907-1916 were hard.", [("1907-1916", "range", "1907", "1916")]),
    ("Exports shrank between 1930 and 1935.",
     [("between 1930 and 1935", "range", "1930", "1935")]),
    ("Russia in the 1920s.", [("1920s", "decade", "1920", "1929")]),
    ("In the early 1930s Stalin collectivised.", [("early 1930s", "decade", "1930", "1933")]),
    # a part of a decade in words, and a decade spelled out
    ("Autonomy in the Caucasus at the beginning of the 1920s.",
     [("beginning of the 1920s", "decade", "1920", "1923")]),
    ("By the end of the 1920s it was over.", [("end of the 1920s", "decade", "1926", "1929")]),
    ("In the early nineteen-thirties Rakovsky guided them.",
     [("early nineteen-thirties", "decade", "1930", "1933")]),
    ("In the spring of 1924 I said so.", [("spring of 1924", "season", "1924-03", None)]),
    # a reference list's issue: "(Summer, 1991)"
    ("Slavic Review Vol 50 No. 2 (Summer, 1991).", [("Summer, 1991", "season", "1991-06", None)]),
    ("They first met in March 1998. Four of them were still attending a decade later.",
     [("March 1998", "month", "1998-03", None), ("a decade later", "year", "2008", None)]),
    ("By the summer of 1923 strikes spread.", [("summer of 1923", "season", "1923-06", None)]),
    ("Lenin died in 1924. Three years later Stalin won.",
     [("1924", "year", "1924", None), ("Three years later", "year", "1927", None)]),
    ("He wrote in March 1922. A month later he fell ill.",
     [("March 1922", "month", "1922-03", None), ("A month later", "month", "1922-04", None)]),
    ("It began in 1928. The following year he was deported.",
     [("1928", "year", "1928", None), ("The following year", "year", "1929", None)]),
    # A month named without a year is the last stated date's year, or the next year's when
    # the month has come round again.
    ("In January 1928 famine loomed. In February Stalin attacked the peasantry.",
     [("January 1928", "month", "1928-01", None), ("February", "month", "1928-02", None)]),
    ("It ended in December 1927; in March they were deported.",
     [("December 1927", "month", "1927-12", None), ("March", "month", "1928-03", None)]),
    # A day with no year is read the same way; "back in" looks back from the anchor.
    ("It began in October 1917. On November 11, Lenin spoke of peace.",
     [("October 1917", "month", "1917-10", None), ("November 11", "day", "1917-11-11", None)]),
    ("They met on 8 January 1918. It passed on 23 February, and on 3 March 1918 it was signed.",
     [("8 January 1918", "day", "1918-01-08", None), ("23 February", "day", "1918-02-23", None),
      ("3 March 1918", "day", "1918-03-03", None)]),
    ("In the summer of 1923 strikes spread. Those who back in April had written were held.",
     [("summer of 1923", "season", "1923-06", None), ("April", "month", "1923-04", None)]),
    # "had occurred in February" looks back; a year named as a thing is no anchor.
    ("Returning in April 1917, Lenin said no change had occurred in February.",
     [("April 1917", "month", "1917-04", None), ("February", "month", "1917-02", None)]),
    ("In 1905 Russia rose, a rehearsal for 1917. He described the strike of that year.",
     [("1905", "year", "1905", None), ("1917", "year", "1917", None),
      ("that year", "year", "1905", None)]),
    # "N years after the X" counts from the anchor when the anchor's sentence names X.
    ("The newsletter was launched in January 2010. Three years after the newsletter began, "
     "the circle split.", [("January 2010", "month", "2010-01", None),
                           ("Three years after the newsletter", "year", "2013", None)]),
    ("The newsletter was launched in January 2010. Three years after the war began, "
     "the circle split.", [("January 2010", "month", "2010-01", None)]),
    # Letters the season pattern takes case-blind but str.lower does not fold (an old
    # print's long s, a Turkish dotless i) were a KeyError that skipped the whole text.
    ("The ſpring of 1924 and the wınter of 1925 were hard; the SPRİNG of 1926 less so.",
     [("ſpring of 1924", "season", "1924-03", None), ("wınter of 1925", "season", "1925-12", None),
      ("SPRİNG of 1926", "season", "1926-03", None)]),
])
def test_every_date_form(tmp_path, sentence, expected) -> None:
    assert dates_in(sentence, tmp_path) == expected


@pytest.mark.parametrize("sentence", [
    "Wages rose 1.9 percent.", "It cost 1,500 roubles.", "See pp. 120-122.",
    "A relative date with no anchor: three years later.", "In March he left.",
    "He may go in may.",
])
def test_numbers_that_are_not_dates(tmp_path, sentence) -> None:
    assert dates_in(sentence, tmp_path) == []


def test_real_corpus_dates_keep_their_sentence_and_people() -> None:
    text = load_text(TEXTS / "life-of-leon-trotsky.md", PEOPLE)
    murder = next(d for d in text.dates if d.text == "20th August 1940")
    paragraph = text.paragraphs[murder.paragraph_index].text
    assert "Ramon Mercader attacked and killed Leon Trotsky" in paragraph[slice(*murder.sentence)]
    assert {"Ramon Mercader", "Leon Trotsky"} <= set(murder.people)
    lead = load_text(TEXTS / "to-lead-the-people.md", PEOPLE)
    assert any(d.text == "January 21, 1924" and d.date.iso() == "1924-01-21" for d in lead.dates)


# --- the fast spellings find what the plain ones find (bot/corpus/dates.py) -------------------

#: The date patterns as they read before _starting_a_word respelled them for speed: the
#: oracle for the respelled ones.
_PLAIN_PATTERNS = {
    1: rf"\b(?P<month>{dates._MONTH}) (?:the )?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,? "
       rf"{dates._YEAR}\b",
    2: rf"\b(?P<month>{dates._MONTH}) (?:the )?(?P<dayword>{dates._ORDINAL_WORD}),? "
       rf"{dates._YEAR}\b",
    6: rf"\b(?P<month>{dates._MONTH}),? (?:of )?{dates._YEAR}\b",
    8: rf"(?<![\d,.\-–/])\b{dates._YEAR}\b(?![\d,]\d|\s?percent|\s?%)",
}
_PIECES = [
    "a", "three", "12", "3rd", "23rd", "years", "year", "Year", "WEEK", "Day", "days", "Today",
    "month", "Month", "later", "after", "the", "war", "following", "next", "that", "same",
    "the same", "the following", "on", "by", "until", "till", "since", "from", "between",
    "and", "to", "of", "in", "back", "early in", "late in", "during", "November", "11",
    "11th", "first", "twenty-fifth", "February", "May", "Mayor", "March", "1921", "1917",
    "2020", "1850s", "1930’s", "December twenty-fifth,", "May the 3rd", "the 2nd of March",
    "mid", "spring", "Spring", "ſpring", "wınter", "autumn", "fall", "percent", "%", "x",
    "İ", "K", "_", "é", "٣", ",", ".", "-", "–", "—", "/", "(",
]
_SEPARATORS = [" ", " ", " ", "", "\n", "  ", "-", "(", "—"]


def _generated(seed: int, count: int = 3000) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(_SEPARATORS) + rng.choice(_PIECES)
                    for _ in range(rng.randint(1, 30))) for _ in range(count)]


def _corpus_paragraphs() -> list[str]:
    return [p.text for path in sorted(TEXTS.glob("*.md")) for p in load_text(path).paragraphs]


def _found(matches) -> list[tuple[tuple[int, int], dict[str, str | None]]]:
    return [(m.span(), m.groupdict()) for m in matches]


@pytest.mark.parametrize("seed", range(3))
def test_respelled_date_patterns_match_what_the_plain_ones_match(seed) -> None:
    texts = _corpus_paragraphs() + _generated(seed)
    for index, plain in _PLAIN_PATTERNS.items():
        kind, fast = dates.DATE_PATTERNS[index]
        oracle = re.compile(plain)
        different = [t for t in texts
                     if _found(fast.finditer(t)) != _found(oracle.finditer(t))]
        assert different == [], kind


@pytest.mark.parametrize("seed", range(3))
def test_each_patterns_precheck_passes_wherever_it_could_match(seed) -> None:
    """A paragraph a pattern is not scanned on (its _NEEDS says so) has no match of it."""
    texts = _corpus_paragraphs() + _generated(seed)
    for (kind, pattern), needs in zip(dates.DATE_PATTERNS, dates._NEEDS, strict=True):
        if needs is not None:
            assert [t for t in texts if not needs(t) and pattern.search(t)] == [], kind


@pytest.mark.parametrize("seed", range(3))
def test_relative_dates_found_from_their_anchors_are_finditers(seed) -> None:
    texts = _corpus_paragraphs() + _generated(seed) + ["On  November 11 it fell", "that  year"]
    different = [t for t in texts if _found(dates._relative_matches(t))
                 != _found(dates._relative_in(t).finditer(t))]
    assert different == []
    assert sum(bool(dates._relative_matches(t)) for t in texts) > 100  # they do find some


@pytest.mark.parametrize("seed", range(3))
def test_any_text_has_its_dates_read_without_an_error(seed) -> None:
    """Every match a pattern makes is one _parse can read: no text is skipped for a date."""
    for text in _generated(seed) + _corpus_paragraphs():
        dates.dates_in(text)


def test_respelled_name_pattern_matches_what_the_plain_one_matches() -> None:
    """mentions._NAME_LIKE (the names ingest lists as missing from people.yaml)."""
    from bot.corpus import mentions

    plain = re.compile(
        r"\b(?:[A-Z]\.\s?)*[A-Z][a-zà-ÿ’'-]+(?:\s(?:[A-Z]\.\s?)?[A-Z][a-zà-ÿ-]+){1,2}\b")
    rng = random.Random(2)
    pieces = ["I.", "N.", "I.N.", "Smirnov", "Leon", "Trotsky", "Lenin’s", "x", "The", "É",
              "é", "_", "-", "A.", "B", "9", "."]
    texts = _corpus_paragraphs() + [
        "".join(rng.choice(["", " ", "  ", "\n", "-", "_"]) + rng.choice(pieces)
                for _ in range(rng.randint(1, 15))) for _ in range(3000)]
    different = [t for t in texts if [m.span() for m in plain.finditer(t)]
                 != [m.span() for m in mentions._NAME_LIKE.finditer(t)]]
    assert different == []
    assert sum(bool(plain.search(t)) for t in texts) > 300


@pytest.mark.parametrize("text, days", [
    ("In a speech to the soldiers’ delegates on November 11, Lenin acknowledged", ["November 11"]),
    ("on the 7th of November the palace fell", ["7th of November"]),
    # a day with its year is a date mention, not a day without one
    ("It was 25 October 1917, and Trotsky", []),
    ("October 25, 1917", []),
    ("from March 1918", []),
    ("on November 41", []),
])
def test_a_day_the_text_gives_without_a_year_is_found(text, days):
    assert [day for _, day in days_without_year(text)] == days
