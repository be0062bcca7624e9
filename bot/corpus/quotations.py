"""Find quoted words in a paragraph: curly or straight double quotes, nested single quotes.

Essays are inconsistent (a backwards “ used as a closer, a quotation that runs on into the
next paragraph), so matching is forgiving: an unclosed quotation runs to the paragraph's end.
"""

from __future__ import annotations

import re

_SIGNATURE = re.compile(
    r"^(?P<body>.*?)\s{3,}(?P<name>[A-Z][\w.’' -]{2,60}?)\s*(?P<note>\d{1,3})?\s*$", re.DOTALL
)
_DASH_SIGNATURE = re.compile(r"^(?P<body>.*)\n\s*[—–-]\s*(?P<name>[^\n]{2,80})$", re.DOTALL)
# The only characters each scan below acts on: it jumps from one to the next instead of
# looking at every character of the paragraph in Python (the same positions, in order).
_ANY_QUOTE = re.compile("[“”\"‘’]")
_DOUBLE_MARK = re.compile("[“”]")
_SINGLE_END = re.compile("[’'‘“”\n]")  # ‘ too: one typed backwards before ” closes
_DOUBLE_OR_LINE = re.compile("[“”\n]")


def _is_closing_backwards_quote(text: str, i: int) -> bool:
    """A “ glued to the end of a word and followed by a space, digit or end closes a quote."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and (after.isspace() or after.isdigit() or after in ".,;")


def _is_backwards_double_open(text: str, i: int) -> bool:
    """A ” typed where “ was meant: after a space, and the next double mark closes it ("A
    ”vanguard party” will", "…insomnia.”73 ” /I/n November 1922, … helm.”74")."""
    if i > 0 and not text[i - 1].isspace():
        return False
    following = _DOUBLE_MARK.search(text, i + 1)
    return following is not None and text[following.start()] == "”" \
        and any(c.isalpha() for c in text[i + 1:following.start()])


def _is_single_open(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "(—–“\"") and not after.isspace()


def _is_backwards_single_open(text: str, i: int) -> bool:
    """“’You understand…’” — a ’ typed where ‘ was meant, right after an opening mark."""
    return i > 0 and text[i - 1] in "“\"" and i + 1 < len(text) and text[i + 1].isalpha()


def _is_single_close(text: str, i: int) -> bool:
    after = text[i + 1] if i + 1 < len(text) else " "
    return not after.isalpha()


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Spans (start, end) of top-level quoted words, without the quotation marks."""
    spans: list[tuple[int, int]] = []
    n = len(text)
    i = _next(_ANY_QUOTE, text, 0)
    while i < n:
        ch = text[i]
        if (ch == "“" and not _is_closing_backwards_quote(text, i)) \
                or (ch == "”" and _is_backwards_double_open(text, i)):
            end = _match_double(text, i + 1)
        elif ch == '"':
            close = text.find('"', i + 1)
            end = close if close != -1 else n
        elif (ch == "‘" and _is_single_open(text, i)) or (ch == "’"
                                                          and _is_backwards_single_open(text, i)):
            single_end = _match_single(text, i + 1)
            if single_end is None:  # no real closing ’: an apostrophe, not a quotation
                i = _next(_ANY_QUOTE, text, i + 1)
                continue
            end = single_end
        else:
            i = _next(_ANY_QUOTE, text, i + 1)
            continue
        inner = text[i + 1: end].strip()
        if inner and any(c.isalpha() for c in inner):
            start = i + 1 + (len(text[i + 1: end]) - len(text[i + 1: end].lstrip()))
            spans.append((start, start + len(inner)))
        i = _next(_ANY_QUOTE, text, end + 1)
    return spans


# The second half of a quotation a tag splits, whose opening mark was lost in the copy:
# "“Under Stalin,” Serge argues, . . . the party became a mass of … privileges.”118".
_LOST_OPENING = re.compile(
    r"”\s*,?\s+(?:[A-Z][\w’'.-]+\s+){1,3}(?:says|said|argues|argued|writes|wrote|adds|added|"
    r"continues|continued|recalls|recalled|observes|observed|notes|noted|explains|explained|"
    r"declares|declared|insists|insisted)\s*,\s*(?:\.\s\.\s\.\s*)?(?P<words>[^“”‘’]{8,600}?)”")


# ... and the next quotation from the same work, whose opening mark was lost: after one
# quotation's note, sentences with no mark at all up to a closing mark and a note of their
# own ("… a logical structure.”113  When faced by great problems Stalin always retreats –
# … against both outcomes.”114").
_LOST_AFTER_NOTE = re.compile(r"”(?:\d{1,3}|\[\d{1,3}\])\s+(?P<words>[A-Z][^“”‘’\n]{20,900}?)”"
                              r"(?=\d{1,3}|\[\d{1,3}\])")


def lost_opening_spans(text: str) -> list[tuple[int, int]]:
    """Spans of words that end in a closing mark nothing opened (after a split quotation's
    tag, ``_LOST_OPENING``, or after the note of the quotation before, ``_LOST_AFTER_NOTE``),
    without the marks."""
    spans = []
    for m in [*_LOST_OPENING.finditer(text), *_LOST_AFTER_NOTE.finditer(text)]:
        words = m.group("words").rstrip()
        if any(c.isalpha() for c in words) and words[:1].isalpha():
            spans.append((m.start("words"), m.start("words") + len(words)))
    return spans


def _next(pattern: re.Pattern[str], text: str, start: int) -> int:
    """The first position from ``start`` of a character ``pattern`` matches, else len(text)."""
    found = pattern.search(text, start)
    return found.start() if found else len(text)


def _match_double(text: str, start: int) -> int:
    depth = 1
    for match in _DOUBLE_MARK.finditer(text, start):
        j = match.start()
        ch = text[j]
        if ch == "“" and not _is_closing_backwards_quote(text, j):
            depth += 1
        elif ch == "”" or (ch == "“" and _is_closing_backwards_quote(text, j)):
            depth -= 1
            if depth == 0:
                return j
    return _single_typed_as_closer(text, start) or len(text)


def _single_typed_as_closer(text: str, start: int) -> int | None:
    """A “ that nothing closes before the paragraph ends, closed instead by a ’ typed for ”
    before the next opening mark: 'a “plan’ that relied on … to “enrich yourselves”'. None
    when there is no such ’ (or a ‘ it would close opens first)."""
    following = text.find("“", start)
    stop = following if following != -1 else len(text)
    for j in range(start, stop):
        if text[j] == "‘":
            return None
        if text[j] == "’" and _is_single_close(text, j) and j > start \
                and not text[j - 1].isspace() and text[j - 1] != "s":
            return j  # not "Workers’ Opposition": a plural's apostrophe
    return None


def _match_single(text: str, start: int) -> int | None:
    """A top-level ‘…’ quotation needs a real closing ’ (not an apostrophe) and 3+ words."""
    for match in _SINGLE_END.finditer(text, start):
        j = match.start()
        if text[j] in "’'" and _is_single_close(text, j) and _plural_possessive(text, j) \
                and _closer_before(text, j + 1, _next(_DOUBLE_OR_LINE, text, j + 1) - 1):
            continue  # "the workers’ democracy": the words go on to a later ’
        if (text[j] in "’'" and _is_single_close(text, j)) or _is_backwards_single_close(text, j):
            return j if len(text[start:j].split()) >= 3 else None
        if text[j] in "“”\n":
            return None
    return None


def _is_backwards_single_close(text: str, i: int) -> bool:
    """“… scruples . . . ‘”147 — a ‘ typed where ’ was meant, right before the closing mark
    of the quotation around it."""
    return text[i] == "‘" and i + 1 < len(text) and text[i + 1] in "”\"" \
        and not text[i - 1].isalpha()


def inner_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the ‘single-quoted’ words inside the quotation at text[start:end].

    Words quoted inside a quotation (a testament inside Trotsky's account, a slogan inside
    Reed's) are a quotation of their own. Two words are enough here ("‘mass searches’"):
    inside quotation marks an opening ‘ is rarely an apostrophe.
    """
    spans: list[tuple[int, int]] = []
    i = start
    while i < end:
        ch = text[i]
        opens = (ch == "‘" and _is_single_open(text, i)) or (
            ch == "’" and (_is_backwards_single_open(text, i) or i == start))
        if not opens:
            i += 1
            continue
        close = _match_inner_single(text, i + 1, end, nested_opener=ch == "‘")
        if close is None:
            i += 1
            continue
        left_open = text[close] in "‘“"
        if left_open:
            # Its closing mark was lost: it ends where the next quoted words begin, or
            # before a sentence of the account introducing someone else's words ("‘We must
            # retreat, … at their head. . . .  Zinoviev often said the same thing: …").
            turn = _ANOTHER_SPEAKER.search(text, i + 1, close)
            if turn is not None:
                close = turn.start() + 1
        inner = text[i + 1:close]
        stripped = inner.strip()
        if left_open:
            stripped = stripped.rstrip(" .…\u00a0")
        if len(stripped.split()) >= 2 and any(c.isalpha() for c in stripped):
            at = i + 1 + (len(inner) - len(inner.lstrip()))
            spans.append((at, at + len(stripped)))
        i = close if left_open else close + 1  # the next quoted words open there
    return spans


#: Inside an account, a sentence opening with a capitalised name and a verb of saying that
#: introduces words after a colon: someone else speaking now, not the words quoted before.
_ANOTHER_SPEAKER = re.compile(
    r"[.!?…]\s+(?=[A-Z][a-z]+(?:\s+[a-z]+ly|\s+(?:often|also|then|later|again))?\s+"
    r"(?:said|says|wrote|writes|added|adds|replied|answered|declared|argued)\b[^.;:“”‘’]{0,40}:)")


def _match_inner_single(text: str, start: int, end: int,
                        nested_opener: bool = True) -> int | None:
    """Where the ‘…’ opened before ``start`` ends: its closing ’, or the next opening mark
    when one comes first (a ‘ only after a real ‘, not after a ’ typed for it): single
    quotes do not nest in single quotes, so one left open ends where the next quoted words
    begin (Serge's record of the session: "‘of the
    administrators, … . . . “‘Voroshilov: ‘Zinoviev, it’s outrageous!’")."""
    for j in range(start, min(end + 1, len(text))):
        if text[j] in "’'" and _is_single_close(text, j) and j > start:
            if _plural_possessive(text, j) and _closer_before(text, j + 1, end):
                continue  # "the workers’ democracy": the words go on to a later ’
            return j
        if j > start and ((nested_opener and text[j] == "‘" and _is_single_open(text, j))
                          or (text[j] == "“" and not _is_closing_backwards_quote(text, j))):
            return j
        if text[j] in "\n":
            return None
    return None


def _plural_possessive(text: str, i: int) -> bool:
    """’ after a plural and before a lower-case word: "the workers’ democracy"."""
    return text[i - 1] == "s" and re.match(r"\s[a-z]", text[i + 1:i + 3]) is not None


def _closer_before(text: str, start: int, end: int) -> bool:
    """Whether a closing ’ that is not a plural's apostrophe comes before ``end``."""
    return any(text[j] in "’'" and _is_single_close(text, j) and not _plural_possessive(text, j)
               for j in range(start, min(end + 1, len(text))))


def split_signature(text: str) -> tuple[str, str | None, int | None]:
    """An epigraph's words, its signature ('Friedrich Engels') and note number, if any."""
    match = _SIGNATURE.match(text) or _DASH_SIGNATURE.match(text)
    if not match:
        return text, None, None
    note = match.groupdict().get("note")
    return match["body"].strip(), match["name"].strip(), int(note) if note else None


def strip_outer_quotes(text: str) -> tuple[int, int]:
    """Span of a block quotation without the quote marks that wrap the whole of it."""
    start, end = 0, len(text)
    trailing = re.search(r"[”\"]\s*\.?\s*\d{0,3}\s*$", text)
    if text[:1] in "“\"" and trailing:
        return 1, trailing.start()
    if trailing and text[:1] not in "“\"" and text.count("”") > text.count("“"):
        end = trailing.start()  # a block quotation whose closing mark survived the copy
    return start, end
