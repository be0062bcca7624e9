"""Every date expression in a text, with its precision, span, sentence and the people in it.

Forms: years ("in 1921"), months ("February 1929"), days ("20th August 1940", "25 October
1917", "January 21, 1924", "December twenty-fifth, 1922"), ranges ("1923-1925", "1918-21",
"from 1923–1925", "between 1930 and 1935"), decades ("the 1920s", "the early 1930s",
"mid-1930s"), seasons ("the spring of 1924") and relative dates ("three years later", "a
month later", "the following year", "that year", "on November 11", "back in April", "three
years after the newsletter began") resolved against the last date stated before them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.corpus.model import BlockKind, ParsedText, PartialDate
from bot.corpus.people import PeopleRegistry
from bot.corpus.wordtrie import alternation

MONTHS = {name: number for number, name in enumerate(
    ("january february march april may june july august september october november "
     "december").split(), start=1)}
_MONTH_WORDS = ("January February March April May June July August September October November "
                "December").split()
#: As a trie (bot/corpus/wordtrie.py): no month name starts another, so it matches what
#: the plain alternation does, trying each letter once.
_MONTH = f"(?:{alternation(_MONTH_WORDS)})"


def _starting_a_word(words: list[str]) -> str:
    r"""``\b(?:words)`` for words that start with a word character, spelled so that ``re`` can
    skip ahead to the next of their first letters: each word's first letter, then the
    boundary as a look back past it (``J(?<!\wJ)(?:anuary|u(?:ne|ly))``). A pattern that
    opens with ``\b`` or a look-behind gets no such skip: the engine starts a match attempt
    at every character of the paragraph, which was most of the time the dates took."""
    firsts: dict[str, list[str]] = {}
    for word in words:
        firsts.setdefault(word[0], []).append(word[1:])
    return "|".join(f"{re.escape(first)}(?<!\\w{re.escape(first)})(?:{alternation(rests)})"
                    for first, rests in firsts.items())


#: ``\b{_MONTH}`` (see _starting_a_word)
_MONTH_AT_START = f"(?:{_starting_a_word(_MONTH_WORDS)})"
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
}
_ORDINAL_WORD = (r"(?:(?:twenty|thirty)-)?(?:first|second|third|fourth|fifth|sixth|seventh|"
                 r"eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|"
                 r"sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth)")
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
                 "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "few": None,
                 "several": None, "just": None}
_YEAR = r"(1[6-9]\d\d|20[0-4]\d)"
_SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}


def _season_month(word: str) -> int:
    """The month a season word the IGNORECASE season pattern matched starts in. ``str.lower``
    does not fold every letter IGNORECASE takes ('ſpring', 'wınter', 'SPRİNG'), so a word
    the plain lookup misses is looked up the way the pattern matched it."""
    month = _SEASONS.get(word.lower())
    if month is None:
        month = next(number for name, number in _SEASONS.items()
                     if re.fullmatch(re.escape(name), word, re.IGNORECASE))
    return month

# Order matters: the longest, most precise forms are tried first and claim their span.
DATE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("day", re.compile(
        rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?: of)? (?P<month>{_MONTH}),? {_YEAR}\b")),
    ("day", re.compile(
        rf"(?P<month>{_MONTH_AT_START}) (?:the )?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,? {_YEAR}\b")),
    ("day", re.compile(
        rf"(?P<month>{_MONTH_AT_START}) (?:the )?(?P<dayword>{_ORDINAL_WORD}),? {_YEAR}\b")),
    ("range", re.compile(rf"\b(?:between|from)\s+{_YEAR}\s+(?:and|to|until|till)\s+"
                         rf"(?P<end>\d{{4}})\b(?!\s?percent)")),  # "between 1930 and 1935"
    ("range", re.compile(
        rf"\b(?:from )?{_YEAR}\s?[-–—]\s?(?P<end>\d{{4}}|\d{{2}})\b(?!\s?percent)")),
    # "the spring of 1924", "(Summer, 1991)" in a reference list
    ("season", re.compile(
        rf"\b(?P<season>spring|summer|autumn|fall|winter)(?: of|,)? {_YEAR}\b", re.I)),
    ("month", re.compile(rf"(?P<month>{_MONTH_AT_START}),? (?:of )?{_YEAR}\b")),
    # "the early 1930s", "at the beginning of the 1920s", "the early nineteen-thirties"
    ("decade", re.compile(
        r"\b(?:(?P<part>early|mid|late)[- ]|(?P<phase>beginning|start|middle|end)\s+of\s+the\s+)?"
        r"(?:(?P<decade>1[6-9]\d0|20[0-4]0)[’']?s|nineteen[- ](?P<tens>twen|thir|for|fif|six|"
        r"seven|eigh|nine)ties)\b")),
    # (?<![\d,.\-–/])\b{_YEAR}: the year's first digit, then the look back past it (see
    # _starting_a_word; \b before a digit is "no word character before it")
    ("year", re.compile(r"(1(?<![\w,.\-–/]1)[6-9]\d\d|2(?<![\w,.\-–/]2)0[0-4]\d)\b"
                        r"(?![\d,]\d|\s?percent|\s?%)")),
]
# The word lists of _RELATIVE as tries: each is followed by a space, so no two of its words
# can match at one place and the trie finds what the plain list does (about twice as fast).
_COUNT_WORDS = alternation("a an one two three four five six seven eight nine ten".split())
_ON_WORDS = alternation("on by until till from since".split())
_IN_WORDS = alternation(["in", "by", "on", "during", "until", "till", "from", "since",
                         "early in", "late in", "that"])
_NEVER = "(?!)"  # a branch that cannot match: the one after it is tried at once


def _relative(counted: bool = True, named: bool = True) -> re.Pattern[str]:
    """The relative dates, with the branches that count from an anchor ("three years later",
    "the following year", "that year") and those that name a month ("on November 11", "in
    February") each made impossible where ``counted`` or ``named`` is False: for a text
    that lacks the words a branch needs, the other branches find the same matches without
    the engine trying it at every word."""
    counts = "" if counted else _NEVER
    months = "" if named else _NEVER
    return re.compile(
        rf"\b(?:{counts}(?P<count>{_COUNT_WORDS}|\d{{1,2}}) "
        r"(?P<unit>years?|months?|weeks?|days?|decades?) (?:later"
        # "Three years after the newsletter began": counted from the anchor only when the
        # anchor's sentence names that thing ("The newsletter ... was launched in January
        # 2010").
        r"|after (?:the |his |her |its |their )?(?P<after>[a-z][\w-]+))"
        rf"|{counts}the (?:following|next) (?P<next>year|month)"
        rf"|{counts}(?P<same>that|the same) year"
        # "On November 11, Lenin ...", "on 23 February": a day with no year stated, read as
        # a month with no year is.
        rf"|{months}\b(?:{_ON_WORDS})\s+(?:(?P<dmonth>(?-i:{_MONTH}))\s+"
        rf"(?P<dday>\d{{1,2}})(?:st|nd|rd|th)?|(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?"
        rf"(?P<monthd>(?-i:{_MONTH})))(?!\d|,?\s+(?:of\s+)?\d)"
        # "In February Stalin directed ...", after "In January 1928": a month with no year
        # stated is the anchor's year, or the next one if the month has come round again;
        # "back in April" looks back: the last April at or before the anchor.
        rf"|{months}\b(?P<back>back\s+)?(?:{_IN_WORDS})\s+"
        rf"(?P<month>(?-i:{_MONTH}))(?!,?\s+(?:the\s+)?(?:\d|of\s+\d)))\b", re.I)


_RELATIVE = _relative()
_RELATIVE_COUNTED = _relative(named=False)
_RELATIVE_NAMED = _relative(counted=False)
#: Words one of which every counting branch of _RELATIVE needs (with IGNORECASE: none of
#: their letters has a case-equivalent that ``str.lower`` misses, i, s and k aside).
_UNIT_WORDS = ("year", "month", "week", "day", "decade")

#: Every pattern of DATE_PATTERNS needs a year (or a decade's digits): a paragraph with none
#: of these is not scanned eight times for nothing (most paragraphs: about 70%).
_ANY_YEAR = re.compile(r"1[6-9]\d\d|20[0-4]\d|nineteen[- ]\w+ties")


def _has_any(*words: str) -> Callable[[str], bool]:
    return lambda text: any(word in text for word in words)


#: Per pattern of DATE_PATTERNS, a test that is False only where the pattern cannot match
#: (its case-sensitive words are absent), or None: most paragraphs with a year skip most
#: of the eight scans.
_HAS_MONTH = re.compile(_MONTH)


def _has_month(text: str) -> bool:
    return _HAS_MONTH.search(text) is not None


_SEASON_WORDS = ("spring", "summer", "autumn", "fall", "winter")
#: Characters IGNORECASE takes for a season's letters that ``str.lower`` does not give
#: ('ı' and 'İ' for i, 'ſ' for s): where one is, the season pattern is scanned regardless.
_FOLDED_ELSEWHERE = ("ı", "İ", "ſ")


def _has_season(text: str) -> bool:
    lowered = text.lower()
    return (any(word in lowered for word in _SEASON_WORDS)
            or any(char in text for char in _FOLDED_ELSEWHERE))


_NEEDS: list[Callable[[str], bool] | None] = [
    _has_month, _has_month, _has_month, _has_any("between", "from"), _has_any("-", "–", "—"),
    _has_season, _has_month, _has_any("0s", "0’s", "0's", "ties"), None,
]
assert [kind for kind, _ in DATE_PATTERNS] == ["day", "day", "day", "range", "range", "season",
                                               "month", "decade", "year"]


def _relative_in(text: str) -> re.Pattern[str]:
    """_RELATIVE, or the same without the branches that cannot match in ``text``."""
    lowered = text.lower()
    counted = any(word in lowered for word in _UNIT_WORDS)
    named = _HAS_MONTH.search(text) is not None  # the month names are case-sensitive there
    if counted and named:
        return _RELATIVE
    return _RELATIVE_COUNTED if counted else _RELATIVE_NAMED if named else _NO_MATCH


_NO_MATCH = re.compile(_NEVER)
#: Every relative date has an anchor: the unit word of a counting branch, after a space
#: ("three years later", "the following year", "that year"), or the month of a naming
#: branch ("on November 11", "back in April"). It starts at most this many characters
#: before its anchor ("the following ", "back early in ", "until 23rd of "), when each run
#: of white space in between is one character.
_REACH = 14
_UNIT_ANCHORS = tuple(f" {word}" for word in _UNIT_WORDS)
_TWO_SPACES = re.compile(r"\s\s")


def _relative_matches(text: str) -> list[re.Match[str]]:
    """What ``_relative_in(text).finditer(text)`` finds, trying a match only in the few
    characters before each anchor instead of at every character of the paragraph (the
    pattern opens with ``\b``: ``re`` cannot skip ahead to where one could start).

    The same matches: every match starts within ``_REACH`` of an anchor after it, the
    positions are tried left to right as finditer tries them, and one found resumes the
    search at its end. Where an anchor's reach is not bounded that way (a month after a run
    of several spaces) or the lowercased text's offsets are not the text's, finditer."""
    pattern = _relative_in(text)
    if pattern is _NO_MATCH:
        return []
    lowered = text.lower()  # the unit words match IGNORECASE; their letters fold as lower()
    counted = pattern is not _RELATIVE_NAMED
    named = pattern is not _RELATIVE_COUNTED
    if len(lowered) != len(text) or (named and _TWO_SPACES.search(text)):
        return list(pattern.finditer(text))
    anchors: list[int] = []
    if counted:
        for word in _UNIT_ANCHORS:
            at = lowered.find(word)
            while at >= 0:
                anchors.append(at + 1)
                at = lowered.find(word, at + 1)
    if named:
        anchors += [month.start() for month in _HAS_MONTH.finditer(text)]
    anchors.sort()
    found: list[re.Match[str]] = []
    match = pattern.match  # at a position, seeing the text before it (\b there)
    position = 0  # the first position not tried yet
    for anchor in anchors:
        position = max(position, anchor - _REACH)
        while position < anchor:
            matched = match(text, position)
            if matched is None:
                position += 1
            else:
                found.append(matched)
                position = matched.end()
    return found


@dataclass(frozen=True, slots=True)
class DateMention:
    paragraph_index: int
    start: int  # span of the date words in the paragraph
    end: int
    text: str
    kind: str  # day | month | season | year | range | decade | relative
    date: PartialDate  # the start of what is meant
    until: PartialDate | None = None  # the end of a range or decade
    sentence: tuple[int, int] = (0, 0)
    people: tuple[str, ...] = field(default_factory=tuple)

    @property
    def precision(self) -> str:
        if self.kind in ("range", "decade"):
            return self.kind
        return "season" if self.kind == "season" else self.date.precision


def _day_value(match: re.Match[str]) -> int | None:
    if match.groupdict().get("day"):
        return int(match["day"])
    word = (match.groupdict().get("dayword") or "").lower()
    if not word:
        return None
    tens = {"twenty": 20, "thirty": 30}
    if "-" in word:
        prefix, suffix = word.split("-")
        return tens[prefix] + _ORDINALS[suffix]
    return _ORDINALS.get(word)


#: A decade in words, by the first letters of its tens: "thir" (thirties) is 3.
_TENS = {"twen": 2, "thir": 3, "for": 4, "fif": 5, "six": 6, "seven": 7, "eigh": 8, "nine": 9}
#: "the beginning of the 1920s" is their early part, as "the early 1920s".
_PHASES = {"beginning": "early", "start": "early", "middle": "mid", "end": "late"}


def _parse(kind: str, match: re.Match[str]) -> tuple[PartialDate, PartialDate | None] | None:
    groups = match.groupdict()
    if kind == "decade":
        year = int(groups["decade"]) if groups["decade"] else 1900 + 10 * _TENS[groups["tens"]]
    else:  # the first four-digit group is the year (a range's start)
        year = int(next(g for g in match.groups() if g and re.fullmatch(r"\d{4}", g)))
    if kind == "day":
        day = _day_value(match)
        month = MONTHS[groups["month"].lower()]
        if not day or day > 31:
            return None
        return PartialDate(year, month, day), None
    if kind == "month":
        return PartialDate(year, MONTHS[groups["month"].lower()]), None
    if kind == "season":
        return PartialDate(year, _season_month(groups["season"])), None
    if kind == "range":
        end_text = groups["end"]
        end = int(end_text) if len(end_text) == 4 else year // 100 * 100 + int(end_text)
        if not year < end <= year + 60:
            return None  # "1917-1" or a page range, not a span of years
        return PartialDate(year), PartialDate(end)
    if kind == "decade":
        part = groups.get("part") or _PHASES.get(groups.get("phase") or "")
        start, stop = {"early": (0, 3), "mid": (3, 6), "late": (6, 9)}.get(part or "", (0, 9))
        return PartialDate(year + start), PartialDate(year + stop)
    return PartialDate(year), None


def find_dates(text: ParsedText, people: PeopleRegistry | None = None) -> list[DateMention]:
    """All dates in the running text (notes and references hold publication data, not events)."""
    found: list[DateMention] = []
    # A narrative carries its dates across paragraphs: "Two years later, ..." opening a
    # paragraph counts from the last date stated before it.
    anchor: PartialDate | None = None
    anchor_sentence = ""  # the sentence that states the anchor
    for paragraph in text.paragraphs:
        if paragraph.kind in (BlockKind.NOTE, BlockKind.REFERENCE):
            continue
        stated = _paragraph_dates(paragraph.index, paragraph.text, paragraph.sentences,
                                  people, anchor, anchor_sentence)
        found.extend(stated)
        last = next((m for m in reversed(stated)
                     if m.kind != "relative" and _anchors(m.kind, paragraph.text, m.start)), None)
        if last is not None:
            anchor, anchor_sentence = last.date, paragraph.text[slice(*last.sentence)]
    return found


# "on November 11", "the 7th of November": a day the text gives without its year, which it
# leaves to the paragraph around it. Not a date mention (those carry a year), but the day a
# "what day ...?" asks for, as the text states it.
_DAY_WITHOUT_YEAR = re.compile(
    rf"\b(?:{_MONTH}\s+(?P<after>\d{{1,2}})(?:st|nd|rd|th)?|"
    rf"(?P<before>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH})"
    r"\b(?!,?\s*\d{3,4}\b|\s*[-–]\s*\d)")


def days_without_year(text: str) -> list[tuple[int, str]]:
    """Where the text names a day of a month with no year, and the words that name it."""
    return [(found.start(), found.group(0)) for found in _DAY_WITHOUT_YEAR.finditer(text)
            if 1 <= int(found.group("after") or found.group("before")) <= 31]


def dates_in(text: str) -> list[DateMention]:
    """The dates stated in one piece of text (a sentence), relative ones resolved inside it."""
    return _paragraph_dates(0, text, [(0, len(text))], None)


def _paragraph_dates(index: int, text: str, sentences: list[tuple[int, int]],
                     people: PeopleRegistry | None,
                     anchor: PartialDate | None = None,
                     anchor_sentence: str = "") -> list[DateMention]:
    """``anchor``: the last date stated before this text, for a relative date that opens it;
    ``anchor_sentence``: the sentence that states it."""
    claimed: list[tuple[int, int]] = []
    raw: list[tuple[int, int, str, PartialDate, PartialDate | None]] = []
    for (kind, pattern), needs in zip(DATE_PATTERNS, _NEEDS, strict=True) \
            if _ANY_YEAR.search(text) else ():
        if needs is not None and not needs(text):
            continue  # the words this pattern cannot match without are not there
        for match in pattern.finditer(text):
            if any(a < match.end() and match.start() < b for a, b in claimed):
                continue
            parsed = _parse(kind, match)
            if parsed is None:
                continue
            claimed.append((match.start(), match.end()))
            raw.append((match.start(), match.end(), kind, *parsed))
    phrases: dict[int, str] = {}  # a relative date's whole phrase ("In February"), by start
    for match in _relative_matches(text):
        if any(a < match.end() and match.start() < b for a, b in claimed):
            continue  # "in May 1921" is a month of its own, not "in May" after an anchor
        # "February", "November 11": the date's own words, without "in" or "on"
        start = next((match.start(g) for g in ("month", "dmonth", "day") if match[g]),
                     match.start())
        phrase = match.group(0)
        if match["month"] and not match["back"] and _PAST_PERFECT.search(
                text[max(0, match.start() - 30):match.start()]):
            phrase = f"back {phrase}"  # "no change had occurred in February": looking back
        phrases[start] = phrase
        raw.append((start, match.end(), "relative", PartialDate(0), None))
    raw.sort(key=lambda r: r[0])
    mentions: list[DateMention] = []
    names_in: dict[tuple[int, int], tuple[str, ...]] = {}
    for start, end, kind, date, until in raw:
        sentence = next(((a, b) for a, b in sentences if a <= start < b), (0, len(text)))
        if kind == "relative":
            resolved = _resolve_relative(phrases[start], anchor, anchor_sentence)
            if resolved is None:  # no anchor before it, or words that name no amount
                continue
            date = resolved
        elif _anchors(kind, text, start):
            anchor, anchor_sentence = date, text[sentence[0]:sentence[1]]
        names = names_in.get(sentence)
        if names is None:  # once per sentence, however many dates it states
            names = names_in[sentence] = tuple(dict.fromkeys(m.person.name for m in people.mentions(
                text[sentence[0]:sentence[1]]))) if people else ()
        mentions.append(DateMention(index, start, end, text[start:end], kind, date, until,
                                    sentence, names))
    return mentions


#: "had occurred in February", "had been arrested in May": a month looked back on.
_PAST_PERFECT = re.compile(r"\bhad\s+(?:\w+\s+){0,3}$", re.IGNORECASE)
#: A year named as a thing ("a rehearsal for 1917", "the purge trials of 1937"), not as the
#: time the narrative is at, which a later "that year" means.
_YEAR_AS_A_THING = re.compile(r"\b(?:for|than|of|like|with|to|versus)\s+$", re.IGNORECASE)


def _anchors(kind: str, text: str, start: int) -> bool:
    """Does a date at ``start`` set the time a later relative date counts from? "In 1905,
    Russia was shaken by the first revolutionary wave, a rehearsal for 1917. ... the great
    October strike of that year" is 1905's."""
    return kind != "year" or not _YEAR_AS_A_THING.search(text[max(0, start - 12):start])


def _resolve_relative(words: str, anchor: PartialDate | None,
                      anchor_sentence: str = "") -> PartialDate | None:
    """'three years later' after 1924 -> 1927; with no clear anchor, nothing."""
    if anchor is None:
        return None
    match = _RELATIVE.fullmatch(words)
    if match is None:
        return None
    if match["same"]:
        return PartialDate(anchor.year)
    if match["month"] or match["dmonth"] or match["monthd"]:
        month = MONTHS[(match["month"] or match["dmonth"] or match["monthd"]).lower()]
        if match["back"]:  # "back in April": that month at or before the anchor
            earlier = anchor.month is not None and month > anchor.month
            return PartialDate(anchor.year - (1 if earlier else 0), month)
        later = anchor.month is not None and month < anchor.month
        year = anchor.year + (1 if later else 0)
        day = match["dday"] or match["day"]
        if day is None:
            return PartialDate(year, month)
        return PartialDate(year, month, int(day)) if 1 <= int(day) <= 31 else None
    after = match["after"]
    if after and not re.search(rf"\b{re.escape(after[:max(4, len(after) - 2)])}",
                               anchor_sentence, re.IGNORECASE):
        return None  # "two years after the war": not the anchor's event, so not countable
    count: int | None
    if match["next"]:
        unit, count = match["next"].lower(), 1
    else:
        unit = match["unit"].lower().rstrip("s")
        token = match["count"].lower()
        count = int(token) if token.isdigit() else _NUMBER_WORDS.get(token)
        if count is None:
            return None
    if unit in ("year", "decade"):
        return PartialDate(anchor.year + count * (10 if unit == "decade" else 1))
    if unit == "month" and anchor.month:
        months = anchor.year * 12 + anchor.month - 1 + count
        return PartialDate(months // 12, months % 12 + 1)
    if unit in ("month", "week", "day"):
        return PartialDate(anchor.year, anchor.month) if anchor.month else PartialDate(anchor.year)
    return None
