"""Order /quote's full-text candidates the way a reader means them.

FTS5's BM25 finds the candidates but ranks by rare words and short rows, so it cannot tell
the quotation a reader half remembers from one that merely shares a word. Each candidate is
scored on three things:

- ``coverage``: how much of the query's telling words the quotation has, in any order, typos
  and endings forgiven, each word weighed by its rarity among the quotations ("caste" says
  more than "bureaucratic");
- ``similarity``: how closely the query's wording appears in the quotation
  (``fuzz.partial_ratio``), discounted when the quotation is shorter than the query, since a
  two-word scare quote inside a long query is not what was asked for;
- BM25, normalised, as the tie-breaker it is good at.

Similarity orders; coverage also decides whether a candidate is shown at all. Of two nested
quotations (an inline quotation inside a block quotation) one is shown, and the same words
quoted twice once (``distinct``).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.answers.quote.index import words_of, worth_drawing
from bot.store.search import STOP_WORDS, QuotationHit

#: How telling a query word is (e.g. its inverse frequency among the quotations).
Weight = Callable[[str], float]
#: The words that describe a quotation without being in it (who quotes it), by its id.
Context = Callable[[int], str | None]
#: Weights of the three scores (they sum to 1: a score is in 0..1 before penalty and bonus).
W_COVERAGE, W_SIMILARITY, W_BM25 = 0.55, 0.35, 0.10
#: A fuzzy word match counts from this ratio (0-100): one wrong letter in a 5-letter word.
WORD_MATCH = 75
#: Credit for a word that shares its beginning with one of the text's (an English stem).
STEM_CREDIT = 0.8
STEM_CHARS = 6
#: A candidate sharing no word beginning (this many letters) with the query is not scored.
PREFIX = 3
#: A quotation of fewer words is a scare quote or a title: it only wins when nothing else does.
FRAGMENT_WORDS = 4
FRAGMENT_PENALTY = 0.05
#: Between equally good matches, a full sentence reads better than a piece of one.
READABLE_BONUS = 0.05
#: What a quotation needs to be shown at all: a wrong quotation is worse than none. Half the
#: query, its words weighed by rarity (the rarer of two words, two of four...); typos and
#: endings are forgiven, a word no quotation uses weighs most.
MIN_COVERAGE = 0.5
MIN_FRAGMENT_COVERAGE = 0.75


@dataclass(frozen=True, slots=True)
class Ranked:
    hit: QuotationHit
    score: float
    coverage: float  # 0..1
    similarity: float  # 0..100
    verbatim: bool  # the query's words, in order, are in the quotation
    content: bool  # the query has words other than stop words
    words: str  # the quotation's words, lower-cased and single-spaced

    @property
    def relevant(self) -> bool:
        if not self.content:  # "the the the", ") OR (": only a phrase as typed can match
            return self.verbatim
        if len(self.words.split()) < FRAGMENT_WORDS:  # a scare quote must match squarely
            return self.coverage >= MIN_FRAGMENT_COVERAGE
        return self.coverage >= MIN_COVERAGE


def telling(words: Sequence[str]) -> list[str]:
    """The words that say what is wanted; all of them if they are all stop words."""
    content = [w for w in words if w not in STOP_WORDS and len(w) > 1]
    return list(dict.fromkeys(content or words))


def coverage(query_words: Sequence[str], text_words: set[str],
             weight: Weight = lambda _word: 1.0) -> float:
    """The share of the query's words found in the text, each credited by its best match and
    weighed by how telling it is (a rare word says more of what is wanted than a common one)."""
    total = sum(weight(word) for word in query_words)
    if not total:
        return 0.0
    ordered: list[str] | None = None
    credit = 0.0
    for word in query_words:
        if word in text_words:
            credit += weight(word)
            continue
        best = process.extractOne(word, text_words, scorer=fuzz.ratio, score_cutoff=WORD_MATCH)
        fuzzy = best[1] / 100 if best is not None else 0.0
        if fuzzy < STEM_CREDIT and len(word) >= 3:
            ordered = ordered or sorted(text_words)
            if _starts_any(ordered, word) or (len(word) > STEM_CHARS
                                              and _starts_any(ordered, word[:STEM_CHARS])):
                fuzzy = STEM_CREDIT  # 'bed' in 'bedstead', 'bureaucratic' for 'bureaucracy'
        credit += fuzzy * weight(word)
    return credit / total


def _starts_any(ordered: list[str], prefix: str) -> bool:
    """Some word of the sorted list starts with ``prefix`` (a binary search, not a scan)."""
    at = bisect.bisect_left(ordered, prefix)
    return at < len(ordered) and ordered[at].startswith(prefix)


def similarity(query: str, text: str) -> float:
    """How closely the query's wording appears in the text (0-100)."""
    if not query or not text:
        return 0.0
    score = fuzz.partial_ratio(query, text)
    if len(text) < len(query):  # the text fits inside the query: only a part was matched
        score *= len(text) / len(query)
    return score


def rank(queries: Sequence[str], hits: Sequence[QuotationHit],
         weight: Weight = lambda _word: 1.0,
         context: Context = lambda _id: None) -> list[Ranked]:
    """Every hit scored against the best of the query forms (as typed, as corrected)."""
    forms = [words_of(q) for q in queries if q.strip()]
    forms = [form for form in forms if form]
    if not forms or not hits:
        return []
    content = any(w not in STOP_WORDS for form in forms for w in form)
    phrases = [f" {' '.join(form)} " for form in forms if len(form) > 1]
    beginnings = {word[:PREFIX] for form in forms for word in telling(form)}
    best_bm25 = max((h.score for h in hits), default=0.0) or 1.0
    ranked = []
    # The same words often come back many times (a quotation repeated in several texts):
    # they are scored once.
    scored: dict[tuple[str, str | None, str], tuple[float, float, float, bool, str] | None] = {}
    for hit in hits:
        about = context(hit.quotation_id) or ""
        key = (hit.text, f"{hit.speaker} {about}", hit.kind)
        if key not in scored:
            scored[key] = _text_score(forms, phrases, beginnings, hit, weight, about)
        found = scored[key]
        if found is None:
            continue
        fit, cover, alike, verbatim, text = found
        score = fit + W_BM25 * max(0.0, hit.score) / best_bm25
        ranked.append(Ranked(hit, score, cover, alike, verbatim, content, text))
    # Equal scores: the shorter quotation is the more precise answer (an inline quotation
    # rather than the block quotation around it), then the text's own order.
    ranked.sort(key=lambda r: (-r.score, len(r.hit.text), r.hit.quotation_id))
    return ranked


def _text_score(forms: Sequence[list[str]], phrases: Sequence[str], beginnings: set[str],
                hit: QuotationHit, weight: Weight, about: str = ""
                ) -> tuple[float, float, float, bool, str] | None:
    """(score without BM25, coverage, similarity, verbatim, the text's words); None for a
    text that shares no word beginning with the query (it could only score nothing)."""
    text_words = words_of(hit.text)
    # The speaker's name counts as one of the words: "Deutscher pessimism" asks for
    # Deutscher's words about pessimism, which need not name him.
    # So do the names of who quotes it and its unnamed source ("Reed's rough workman").
    words = set(text_words) | set(words_of(hit.speaker or "")) | set(words_of(about))
    if not any(word[:PREFIX] in beginnings for word in words):
        return None
    text = " ".join(text_words)
    cover = max(coverage(telling(form), words, weight) for form in forms)
    alike = max(similarity(" ".join(form), text) for form in forms)
    score = W_COVERAGE * cover + W_SIMILARITY * alike / 100
    if len(text_words) < FRAGMENT_WORDS:
        score -= FRAGMENT_PENALTY
    elif worth_drawing(hit.text, hit.kind):
        score += READABLE_BONUS
    verbatim = any(phrase in f" {text} " for phrase in phrases)
    return score, cover, alike, verbatim, text


def distinct(ranked: Sequence[Ranked]) -> list[Ranked]:
    """Best first, without a quotation nested in (or around) a better one, or its twin.

    Of two nested quotations the inner one is kept when it matches the query as well as the
    outer one: they are the words the reader remembered, and the outer quotation may be
    someone else reporting them (Trotsky's epigraph holds Smirnov's "a colorless nonentity").
    A scare quote inside a block quotation is not preferred that way.
    """
    kept: list[Ranked] = []
    seen_words: set[str] = set()
    for candidate in ranked:
        if candidate.words in seen_words:
            continue
        clash = next((n for n, k in enumerate(kept) if _nested(candidate.hit, k.hit)), None)
        if clash is None:
            kept.append(candidate)
        elif _more_precise(candidate, kept[clash]):
            kept[clash] = candidate
        else:
            continue
        seen_words.add(candidate.words)
    return kept


def _more_precise(inner: Ranked, outer: Ranked) -> bool:
    """``inner`` lies in ``outer``, is more than a scare quote, and matches as well."""
    return (outer.hit.start <= inner.hit.start and inner.hit.end <= outer.hit.end
            and len(inner.words.split()) >= FRAGMENT_WORDS
            and inner.coverage >= outer.coverage - 1e-9
            and inner.similarity >= outer.similarity - 1e-9)


def _nested(a: QuotationHit, b: QuotationHit) -> bool:
    """One quotation lies within the other (same paragraph, one span inside the other)."""
    if a.passage_id != b.passage_id:
        return False
    return (a.start <= b.start and b.end <= a.end) or (b.start <= a.start and a.end <= b.end)
