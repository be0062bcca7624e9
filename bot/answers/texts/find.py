""""Find in the texts": where a message's words come from, or an honest "not in the texts".

A member points at a message (a quotation someone pasted, a sentence they half remember) and
asks where it is from. The quotations are searched first, because a quotation's answer says
who said the words and what the essay cites for them; the passages next, for the essays' own
sentences. Full-text search only proposes candidates; the decision "it comes from here" is
made by comparing the words themselves (:func:`coverage`), because a ranked hit is always
*some* passage, and saying an invented sentence is in the texts is worse than saying nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from rapidfuzz import fuzz

from bot.answers.core.bylines import byline
from bot.answers.core.context import AnswerContext
from bot.answers.core.model import Answer, AnswerKind, Field, Item, SourceRef
from bot.answers.core.text import one_line, shorten
from bot.answers.quote.answer import quote_answer, speaker_label
from bot.corpus.lexicon import TOKEN  # letters and digits of any script, as the search splits
from bot.store.search import PassageHit, QuotationHit

#: Longer messages are cut (at a word boundary) before searching: a passage is found by its
#: first few sentences, and comparing a whole essay pasted into a message would only cost time.
MAX_FIND_CHARS = 500
#: Fewer words than this are a search, not a passage: "the revolution" is in every essay.
MIN_WORDS = 3
#: Candidates fetched from each full-text search; the true source ranks first or second when
#: it exists, the rest give the comparison a fair chance against a near miss.
CANDIDATES = 10
#: The share (0-100) of the message's words that must stand, in order, in one stretch of a
#: quotation or passage before we say the message comes from it.
#:
#: Measured on the real corpus with 150 random sentences of 60-400 characters (each searched
#: as a message, as below; see tests/answers/texts/test_find.py for the kept cases):
#:
#: - copied verbatim: 100 every time (punctuation, quote marks and case are ignored);
#: - one word dropped and one misspelt: median 93, 95% of them at 82 or more;
#: - half of one sentence joined to half of another (half the words are in the texts, in
#:   order): median 67, never above 76;
#: - the words of a real sentence shuffled: median 37, never above 73.
#:
#: 80 keeps a copy with a slip or two and refuses a message only half of which is in the
#: texts; a message of our own texts' vocabulary ("Stalin and the bureaucracy betrayed the
#: revolution...") scores far lower still.
MATCH_THRESHOLD = 80
#: Other places that match as strongly (the same words quoted in several essays).
MAX_ALSO_IN = 3

_MENTION_OR_EMOJI = re.compile(r"<(?:@[!&]?|#|a?:\w+:)\d+>")
_URL = re.compile(r"https?://\S+")


@dataclass(frozen=True, slots=True)
class _Words:
    """A text's words, folded for comparison, with where each stands in the text."""

    folded: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]

    @classmethod
    def of(cls, text: str) -> _Words:
        matches = list(TOKEN.finditer(text))
        return cls(tuple(m.group(0).casefold() for m in matches),
                   tuple(m.span() for m in matches))


@dataclass(frozen=True, slots=True)
class Match:
    """How much of the message one candidate holds, and where in the candidate's text."""

    score: float  # 0-100: the share of the message's words found in order (see coverage)
    start: int  # character span of the matched stretch in the candidate's text
    end: int


def coverage(message: str, candidate: str) -> Match:
    """How much of ``message`` stands, word for word and in order, in one stretch of
    ``candidate``.

    Both texts become sequences of folded words (punctuation, quote marks and case do not
    count), each distinct word coded as one character, so that rapidfuzz's ``partial_ratio``
    compares *words*: it slides the shorter sequence along the longer and scores the best
    window by the words the two share in order. When the candidate is the shorter one (a
    short quotation inside a longer message), the score is scaled by how much of the message
    it can cover at all, so that a message is never said to come from a quotation that is
    only a small part of it.
    """
    ours, theirs = _Words.of(message), _Words.of(candidate)
    if not ours.folded or not theirs.folded:
        return Match(0.0, 0, 0)
    codes: dict[str, str] = {}

    def encode(words: Sequence[str]) -> str:
        return "".join(codes.setdefault(w, chr(0x4E00 + len(codes))) for w in words)

    mine, other = encode(ours.folded), encode(theirs.folded)
    aligned = fuzz.partial_ratio_alignment(mine, other)
    if aligned is None:
        return Match(0.0, 0, 0)
    score = aligned.score
    if len(other) < len(mine):
        score *= len(other) / len(mine)
        first, last = 0, len(other)
    else:
        first, last = aligned.dest_start, aligned.dest_end
    if last <= first:
        return Match(score, 0, 0)
    return Match(score, theirs.spans[first][0], theirs.spans[last - 1][1])


def clean_message(text: str) -> str:
    """The words a member would read: Discord mentions, custom emoji and links taken out."""
    return one_line(_URL.sub(" ", _MENTION_OR_EMOJI.sub(" ", text or "")))


def find_in_texts(ctx: AnswerContext, text: str) -> Answer:
    """The quotation or passage ``text`` comes from, with its source, or "Not in the texts".

    A quotation is preferred to the paragraph it stands in: its answer says who said the
    words and what the essay cites for them. Either is claimed only when most of the
    message's words stand in it in order (``MATCH_THRESHOLD``); otherwise the answer is
    ``NOT_FOUND`` with the closest passage as its item.
    """
    message = clean_message(text)
    if not message:
        return Answer(AnswerKind.ERROR, "That message has no text",
                      "Find in the texts looks for a message's words, and this one has none "
                      "I can read (only an image, an embed or a sticker?).")
    cut = len(message) > MAX_FIND_CHARS
    if cut:
        message = shorten(message, MAX_FIND_CHARS)
    words = _Words.of(message).folded
    if not words:
        return Answer(AnswerKind.ERROR, "Nothing to look for",
                      "That message has no letters or digits in it.")
    if len(words) < MIN_WORDS:
        return Answer(AnswerKind.ERROR, "Too short to place",
                      f"A word or two appear all over the texts. Find in the texts needs a "
                      f"phrase of at least {MIN_WORDS} words; for single words use `/search`.",
                      suggestions=[f"/search {' '.join(words)[:60]}"])
    # The folded words as the query: quote marks in a pasted message would otherwise be read
    # as phrase delimiters, and the comparison below ignores punctuation anyway.
    query = " ".join(words)
    note = (f" (I looked for its first {MAX_FIND_CHARS} characters.)" if cut else "")
    quotations = ctx.search.search_quotations(query, limit=CANDIDATES, snippets=False)
    scored_quotes = _ranked(message, quotations)
    if scored_quotes and scored_quotes[0][1].score >= MATCH_THRESHOLD:
        found = _quotation_answer(ctx, scored_quotes, note)
        if found is not None:
            return found
    passages = ctx.search.search_passages(query, limit=CANDIDATES)
    scored_passages = _ranked(message, passages)
    if scored_passages and scored_passages[0][1].score >= MATCH_THRESHOLD:
        return _passage_answer(ctx, scored_passages, note)
    return _not_found(scored_passages, note)


def _ranked(message: str, hits: Sequence[QuotationHit] | Sequence[PassageHit]
            ) -> list[tuple[QuotationHit | PassageHit, Match]]:
    """Hits with their match, best first (the search's own order breaks ties)."""
    scored = [(hit, coverage(message, hit.text)) for hit in hits]
    order = sorted(range(len(scored)), key=lambda i: (-scored[i][1].score, i))
    return [scored[i] for i in order]


def _also_in(scored: Sequence[tuple[QuotationHit | PassageHit, Match]]) -> list[Field]:
    """Other paragraphs that hold the words as well, e.g. the same quotation in two essays."""
    best = scored[0][0]
    seen = {(best.source_slug, best.paragraph_index)}
    places = []
    for hit, match in scored[1:]:
        place = (hit.source_slug, hit.paragraph_index)
        if match.score < MATCH_THRESHOLD or place in seen:
            continue
        seen.add(place)
        places.append(f"*{hit.source_title}*, paragraph {hit.paragraph_index + 1} "
                      f"(`{hit.source_slug}`)")
    if not places:
        return []
    return [Field("Also in", "\n".join(places[:MAX_ALSO_IN]))]


def _match_field(match: Match) -> Field:
    share = round(match.score)
    said = ("every word of the message, in order" if share >= 100
            else f"{share}% of the message's words, in order")
    return Field("Match", said, inline=True)


def _quotation_answer(ctx: AnswerContext, scored: list[tuple[QuotationHit | PassageHit, Match]],
                      note: str) -> Answer | None:
    hit, match = scored[0]
    records = ctx.store.quotes.records([hit.quotation_id])  # type: ignore[union-attr]
    if not records:  # re-ingested between the two reads: the passages still answer
        return None
    record = records[0]
    found = quote_answer(record, [])
    body = found.body + (f"\n\n{note.strip()}" if note else "")
    speaker = speaker_label(record)
    by = "" if speaker == "Unattributed" else f" · {speaker}"
    return replace(found, title=f"Quoted in {_quoted(record.source_title)}{by}", body=body,
                   fields=[*found.fields, _match_field(match), *_also_in(scored)])


def _passage_answer(ctx: AnswerContext, scored: list[tuple[QuotationHit | PassageHit, Match]],
                    note: str) -> Answer:
    hit, match = scored[0]
    ref = SourceRef.of(hit)
    texts = ctx.store.sources.by_slug([hit.source_slug])
    record = texts.get(hit.source_slug)
    line = byline(record) if record is not None else (hit.source_author or "")
    section = f", section “{hit.section_title}”" if hit.section_title else ""
    in_text = f"*{hit.source_title}* — {line}{section}, paragraph {hit.paragraph_index + 1}"
    return Answer(AnswerKind.CONTEXT, f"From {_quoted(hit.source_title)}",
                  _marked(hit.text, match) + (f"\n\n{note.strip()}" if note else ""),
                  fields=[Field("In", in_text), _match_field(match), *_also_in(scored)],
                  sources=[ref])


def _marked(text: str, match: Match) -> str:
    """The paragraph with the matched words in bold (not when they are all of it)."""
    start, end = match.start, match.end
    if end <= start or (start <= 1 and end >= len(text.rstrip()) - 1) or "**" in text:
        return text
    return f"{text[:start]}**{text[start:end]}**{text[end:]}"


def _not_found(scored: list[tuple[QuotationHit | PassageHit, Match]], note: str) -> Answer:
    body = ("No quotation or passage in the texts the circle reads has these words; most of "
            "them would have to stand there in order.")
    if not scored:
        return Answer(AnswerKind.NOT_FOUND, "Not in the texts",
                      body + " Nothing in the texts even shares many of its words." + note)
    hit, match = scored[0]
    ref = SourceRef.of(hit)
    item = Item(title=f"The closest passage — {hit.source_title}", body=hit.text,
                highlight=getattr(hit, "snippet", None) or None, source=ref)
    share = round(match.score)
    return Answer(AnswerKind.NOT_FOUND, "Not in the texts",
                  f"{body} The closest passage (sharing {share}% of them) is below." + note,
                  items=[item], sources=[ref], suggestions=["/search"])


def _quoted(title: str) -> str:
    """A text's title in quotation marks, unless it starts with its own."""
    return title if title[:1] in "“\"‘'" else f"“{title}”"


