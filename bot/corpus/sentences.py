"""Sentence spans, as syntok's segmenter finds them (abbreviations such as 'E.H. Carr',
'U.S.S.R.', 'p. 57'), computed about four times faster.

Why not call ``syntok.segmenter.analyze`` itself: it is pure Python built of generators and
one ``Token`` object per word, and it was two thirds of the ingest's CPU time. This module gives
the same spans, character for character (``tests/corpus/test_sentences.py`` compares the two on
every paragraph of the corpus and on generated strings full of the cases syntok treats
specially), in two steps:

- Tokens. syntok's tokenizer splits the text at whitespace, then splits each run of
  non-space characters on its own, independently of its neighbours; only whether the first
  token has a spacing before it depends on where the run stands. So each distinct run is
  tokenized once, by syntok's own ``Tokenizer``, and remembered (English text repeats its
  words: a few thousand distinct runs per text).
- Sentences. A port of syntok's segmentation state machine (``syntok/_segmentation_states.py``,
  the same rules, the same order, the same constants read from syntok) over the token list
  with indexes in place of its queue and history lists. Its queue holds a token exactly while
  tokens remain, so "the queue is empty" is "the index is at the end".
"""

from __future__ import annotations

import re
from bisect import bisect_right

from syntok._segmentation_states import State
from syntok.segmenter import preprocess_with_offsets
from syntok.tokenizer import Tokenizer

_TOKENIZER = Tokenizer(replace_not_contraction=False)  # as segmenter.analyze makes it
#: The runs of non-space characters syntok tokenizes (``Tokenizer._spaces``,
#: ``[^\s\u200b]+`` in the ``regex`` module): the same class spelled out for ``re``, about
#: twice as fast here, whose ``\s`` would also take \x1c-\x1f. A test checks every code point.
_SPACES = re.compile("[^\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200b\u2028\u2029\u202f"
                     "\u205f\u3000]+")
#: run of non-space characters -> its tokens (see ``_run_tokens``)
_RUNS: dict[str, tuple[tuple[int, str, bool], ...] | None] = {}
_UNKNOWN = ()  # not in _RUNS yet (a run always has at least one token)
_MAX_RUNS = 50_000  # a bound on memory (~200 bytes each): forget them all past this many

_TERMINALS = State.terminals
_OPENING = State.opening_brackets
_CLOSING = State.closing_brackets
_CLOSING_QUOTES = State.closing_quotes
_INNER = State.inner_sentence_punctuation
_STARTERS = State.starters
_ABBREVIATIONS = State.abbreviations
_MONTHS = State.months
_ROMAN = State.roman_numerals
_VOWELS = State.vowels
_NO = ("no", "No", "NO")
#: The tokens that end the inner state of a sentence (see ``_segment``).
_STOPS = _TERMINALS | _OPENING

# The states of syntok's machine.
_FIRST, _INNER_TOKEN, _TERMINAL, _END = range(4)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of one paragraph, in order."""
    spans: list[tuple[int, int]] = []
    # syntok's paragraphs are split at blank lines: none without a line break
    for offset, paragraph in preprocess_with_offsets(text) if "\n" in text else [(0, text)]:
        values, offsets, unspaced, stops = _tokens(paragraph, offset)
        _segment(values, offsets, unspaced, stops, spans)
    return spans or [(0, len(text))]


def sentence_at(spans: list[tuple[int, int]], offset: int) -> int:
    """Index of the sentence that contains a character offset."""
    for index, (start, end) in enumerate(spans):
        if start <= offset < end:
            return index
    return max(0, len(spans) - 1)


def _run_tokens(run: str) -> tuple[tuple[int, str, bool], ...] | None:
    """syntok's tokens of a run of non-space characters that is not its paragraph's first:
    (offset in the run, value, no spacing before); None when it is one token, the run,
    and no stop."""
    found = _RUNS.get(run, _UNKNOWN)
    if found is _UNKNOWN:
        # A space before the run: its first token then has a spacing, as every run after
        # the first one of a paragraph has.
        tokens = tuple((token.offset - 1, token.value, not token.spacing)
                       for token in _TOKENIZER.tokenize(" " + run))
        # None: the run is one token and no stop, which _tokens takes as it is
        found = None if tokens == ((0, run, False),) and run not in _STOPS else tokens
        if len(_RUNS) >= _MAX_RUNS:
            _RUNS.clear()
        _RUNS[run] = found
    return found


def _tokens(paragraph: str, base: int) -> tuple[list[str], list[int], set[int], list[int]]:
    """syntok's tokens of one paragraph that starts at ``base``: values, offsets, the
    indexes of those with no spacing before them (``not token.spacing``: few), and of those
    that are terminals or opening brackets (``_STOPS``)."""
    stops: list[int] = []
    values: list[str] = []
    offsets: list[int] = []
    unspaced: set[int] = set()
    add_value, add_offset, get = values.append, offsets.append, _RUNS.get
    match = None
    for match in _SPACES.finditer(paragraph):
        run = match.group()
        found = get(run, _UNKNOWN)
        if found is None:  # one token, the run, and no stop: most runs
            add_value(run)
            add_offset(base + match.start())
            continue
        if found is _UNKNOWN:
            found = _run_tokens(run)
            if found is None:
                add_value(run)
                add_offset(base + match.start())
                continue
        start = base + match.start()
        for at, value, no_space in found:
            if value in _STOPS:
                stops.append(len(values))
            if no_space:
                unspaced.add(len(values))
            add_value(value)
            add_offset(start + at)
    if values and _SPACES.match(paragraph):  # nothing at all before the first token
        unspaced.add(0)
    if (match.end() if match else 0) < len(paragraph):
        # syntok ends on an empty token after trailing whitespace
        values.append("")
        offsets.append(base + len(paragraph))
    return values, offsets, unspaced, stops


def _segment(values: list[str], offsets: list[int], unspaced: set[int], stops: list[int],
             spans: list[tuple[int, int]]) -> None:
    """syntok's ``segment``: append the span of each sentence of these tokens to ``spans``.

    ``q`` is the head of syntok's queue (the next token), ``h`` the first token of its
    history (the sentence being built, ``values[h:q]``). Inside a sentence only a terminal
    or an opening bracket changes the state, so the machine moves from one of those
    (``stops``) to the next instead of token by token."""
    n = len(values)
    q = 0
    h = 0

    def skip_bracketed() -> bool:  # State._skip_bracketed_text
        nonlocal q
        closing, inner = end_of_bracketed()
        if closing > 0:
            last = q + closing
            if offsets[last] + len(values[last]) - offsets[q] < State.max_bracket_skipping_length \
                    or not inner:
                q = last + 1
                return True
        return False

    def end_of_bracketed() -> tuple[int, bool]:  # State.__find_end_of_bracketed_text
        depth = 1
        index = 1
        first_is_title: bool | None = None
        last_is_terminal = False
        while q + index < n and index < 50:
            value = values[q + index]
            if first_is_title is None and value.isalnum():
                first_is_title = value.istitle()
            elif first_is_title and value.isalnum():
                last_is_terminal = q + index + 1 < n and values[q + index + 1] in _TERMINALS
            if value in _OPENING:
                depth += 1
            elif value in _CLOSING:
                depth -= 1
                if depth == 0:
                    break
            index += 1
        return (index if depth == 0 else 0), bool(first_is_title and last_is_terminal)

    def past_terminals_and_closings(token: str | None) -> str | None:
        """Step over a run of terminals and closing brackets; the first one stepped over
        (when not already known) is the token syntok remembers."""
        nonlocal q
        while q < n and (values[q] in _TERMINALS or values[q] in _CLOSING):
            q += 1
            if q >= n:
                break
            if token is None:
                token = values[q - 1]
        return token

    def token_after_terminal() -> str:
        # State.__move_to_next_relevant_word_and_return_token_after_terminal
        nonlocal q
        token: str | None = None
        last = values[q - 1] if q > h else ""
        if q < n and values[q] in _OPENING and last not in _TERMINALS:
            skip_bracketed()
        else:
            token = past_terminals_and_closings(token)
            if q < n and values[q] in _CLOSING_QUOTES and q in unspaced:
                q += 1
                if q < n and token is None:
                    token = values[q - 1]
            token = past_terminals_and_closings(token)
            if q < n and values[q] in _OPENING:
                token = values[q]
        if token is None and q < n:
            token = values[q]
        return "" if token is None else token

    def bracket_after() -> str:  # State.__find_next_token_after_bracket
        closing, inner = end_of_bracketed()
        if closing > 0 and not inner and q + closing + 1 < n:
            return values[q + closing + 1]
        return ""

    def at_terminal(state: int) -> int:  # State._move_and_maybe_extract_terminal
        nonlocal q
        before = values[q - 1] if q > h else ""
        if not (q < n and values[q] in _OPENING):
            q += 1
        after = token_after_terminal()
        following = values[q] if q < n else None
        if following is not None and (following[:1].islower() or following in _INNER):
            return state
        if (not (state == _FIRST and (len(before) == 1 or before in _ROMAN))
                and following is not None and following in _STARTERS):
            return _TERMINAL
        if before in _ABBREVIATIONS and after not in _CLOSING:
            return state
        if following is not None:
            if before in _NO and following.isalnum() and any(c.isnumeric() for c in following):
                return state
            if following.isnumeric() and q in unspaced:
                return state
            if q in unspaced and (not after.istitle() or not after.isalpha() or len(after) == 1):
                return state
            if following.isnumeric() and len(following) > 2:
                return state
            if before.isnumeric() and following in _MONTHS:
                return state
            if before in _MONTHS and following.isnumeric():
                return state
        if "." in before and after != ".":
            return state
        if (state == _FIRST or before.isupper()) and (len(before) == 1 or before in _ROMAN):
            return state
        if len(before) == 1 and before.isalpha() and before not in _VOWELS:
            return state
        if after in _OPENING:
            after_brackets = bracket_after()
            after_opening = values[q + 1] if q < n and q + 1 < n else ""
            if after_brackets in _INNER:
                return state
            if after_opening.istitle():
                return _TERMINAL
            if after_brackets[:1].islower():
                return state
        return _TERMINAL

    def emit() -> None:  # segment(): the history as a sentence, unless only an empty token
        nonlocal h
        if q > h and (q - h > 1 or values[h]):
            spans.append((offsets[h], offsets[q - 1] + len(values[q - 1])))
        h = q

    state = _FIRST if n else _END  # Begin
    while True:
        if state == _FIRST:
            if q < n and values[q] in _OPENING and skip_bracketed() and q - h > 3 \
                    and not (q < n and values[q][:1].islower()):
                state = _TERMINAL
            elif q < n:
                q += 1
                if q < n and (values[q] in _TERMINALS or values[q] == "("):
                    state = at_terminal(_FIRST)
                else:
                    state = _INNER_TOKEN
            else:
                state = _END
        elif state == _INNER_TOKEN:
            if q < n:
                # State._move_and_skip_bracketed_text, past the tokens that change nothing
                at = bisect_right(stops, q)
                q = stops[at] if at < len(stops) else n
                if q < n and values[q] in _OPENING:
                    skip_bracketed()
                if q < n and (values[q] in _TERMINALS or values[q] in _OPENING):
                    state = at_terminal(_INNER_TOKEN)
            else:
                state = _END
        elif state == _TERMINAL:
            emit()
            state = _FIRST if q < n else _END
        else:
            emit()
            return
