"""/quote by what was said, not by its words: "Trotsky on Lenin being treated like the head of
a church" finds "… an attitude like that towards the head of an ecclesiastical hierarchy".

A description is read as a plain question is (``bot/answers/ask/analysis.py``: names resolved
through the registry, typos mended against the sentences' words, each word with its synonyms
from corpus/lexicon.yaml) and compared with each quotation's words and the sentences around
it (``meaning_index.py``), by stem and by root. Each word weighs by its rarity among the
quotations' surroundings, so "ecclesiastical" says more than "party". A person the
description names is its speaker or its subject: a quotation neither by them nor near their
name is not what was meant, and one by the first person named ("Trotsky on …", "Serge saying
…") ranks first.

Scoring is bounded: only quotations holding one of the description's rarest words are
scored, since one without any of them cannot reach the share a match needs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.answers.ask.analysis import Question, TermGroup, Vocabulary, analyse
from bot.answers.ask.engine import vocabulary_of
from bot.answers.core.context import AnswerContext
from bot.answers.quote.meaning_index import (
    AROUND,
    IGNORED,
    OWN,
    SENTENCE,
    Described,
    MeaningIndex,
    Surroundings,
    keys,
    terms_of,
)
from bot.corpus.lexicon import TOKEN, Lexicon, stem, stems

#: The weighted share of the description a quotation must hold to be shown.
MIN_SHARE = 0.3
MIN_CONTENT = 3  # content words that make a description (fewer: a topic, the search's job)
MIN_MATCHED = 2  # content words a match must hold, whatever they weigh
#: How many surroundings a word none of them holds is weighed as holding (see ``_wanted``).
UNSEEN_DF = 8
#: The first person a description names is most often the speaker ("Serge saying …").
SPEAKER_BONUS = 0.15
#: Quotations scored at most (those holding the rarest words): a bound on the time taken
#: on a big corpus, where the texts hold common words in thousands of quotations.
MAX_CANDIDATES = 400
_NUMBER = re.compile(r"\d+")
#: A year is a word of the description like any other ("Trotsky in 1936 saying …" finds
#: "…, Trotsky wrote in 1936"); other numbers say little of which quotation was meant.
_YEAR = re.compile(r"1[7-9]\d\d|20\d\d")


# --- a description's words -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Wanted:
    """One thing the description says: a word with its synonyms, or a person."""

    label: str
    singles: frozenset[str]  # one-word forms as terms (stems and roots)
    phrases: tuple[frozenset[str], ...]  # several-word forms: all their terms must be there
    weight: float
    person: str | None = None  # a person's canonical name
    holders: frozenset[int] = frozenset()  # surroundings holding any form


def _wanted(group: TermGroup, index: MeaningIndex, typed: str | None = None) -> Wanted | None:
    """``typed``: the word as typed, when the analysis mended it into ``group.word``."""
    if group.person is None and group.stems and all(s in IGNORED for s in group.stems[0]):
        if typed is None or stem(typed) in IGNORED:
            return None  # "saying", "the line": how the reader refers to a quotation
        # "saddle", mended into "said" (no sentence uses it): a real word of the
        # description after all, which no quotation holds.
        return Wanted(typed, frozenset({stem(typed)}), (), index.weight(0))
    singles: set[str] = set()
    phrases: list[frozenset[str]] = []
    for form in group.stems:
        kept = [s for s in form if s not in IGNORED]
        if not kept:
            continue
        if len(kept) == 1:
            singles.update(keys(kept[0]))
        else:
            phrases.append(frozenset(kept))
    if not singles and not phrases:
        return None
    holders: set[int] = set()
    for term in singles:
        holders |= index.postings.get(term, frozenset())
    for phrase in phrases:
        sets = [index.postings.get(t, frozenset()) for t in phrase]
        holders |= frozenset.intersection(*sets) if sets else frozenset()
    person = group.person.name if group.person is not None else None
    # A word no quotation's surroundings hold still counts against every quotation (it was
    # asked), as much as an uncommon word; it cannot make one quotation look better than
    # another. Weighed as the rarest of words, two of them ("johnny-come-lately", "torn
    # apart") sank every quotation below the share a match needs.
    weight = index.weight(len(holders) or UNSEEN_DF)
    return Wanted(group.word, frozenset(singles), tuple(phrases), weight, person,
                  frozenset(holders))


#: A person named around this many quotations' surroundings or fewer is rarely named.
RARELY_NAMED = 8


def _rarely_named(wanted: Wanted) -> bool:
    return len(wanted.holders) <= RARELY_NAMED


def _credit(wanted: Wanted, position: int, doc: Surroundings) -> float:
    if position not in wanted.holders:
        return 0.0
    for credit, terms in ((OWN, doc.own), (SENTENCE, doc.sentence), (AROUND, doc.around)):
        if not wanted.singles.isdisjoint(terms) or any(p <= terms for p in wanted.phrases):
            return credit
    return 0.0


# --- scoring -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Match:
    quotation_id: int
    score: float
    share: float  # weighted share of the description it holds (0..1)


def describe(index: MeaningIndex, question: Question, *, speaker: str | None = None,
             slug: str | None = None, limit: int = 20,
             texts: Callable[[int], str | None] | None = None) -> list[Match]:
    """Quotations the description fits, best first: at least the best ``limit`` (before
    nested ones are merged) of those that hold ``MIN_SHARE`` of it. ``texts``: a
    quotation's words by id, to tell apart two sayings of one person inside an account."""
    mended = {fixed: typed for typed, fixed in question.corrections}
    content = [w for g in question.content_groups
               if not _NUMBER.fullmatch(g.word) or _YEAR.fullmatch(g.word)
               if (w := _wanted(g, index, mended.get(g.word))) is not None]
    people = [w for g in question.groups if g.person is not None
              if (w := _wanted(g, index)) is not None]
    # A person named besides the first (who is most often the speaker) is part of what the
    # words are about ("Serge on the poets who took their own lives, from Yessenin to
    # Mayakovsky"), and makes a description as a word does, if rarely named: Trotsky or
    # Stalin, around most quotations, say as little as a common word.
    about = {w.label.casefold() for w in people[1:] if _rarely_named(w)}
    if len({w.label.casefold() for w in content} | about) < MIN_CONTENT:
        return []
    wanted = content + people
    total = sum(w.weight for w in wanted)
    # Bounded: a quotation holding none of the rarest words that make up more than
    # 1 - MIN_SHARE of the weight cannot reach MIN_SHARE.
    candidates: set[int] = set()
    remaining = total
    for w in sorted(content, key=lambda w: -w.weight):
        if remaining < MIN_SHARE * total or len(candidates) >= MAX_CANDIDATES:
            break  # past MAX_CANDIDATES, the rarer words have found what can be found
        candidates |= w.holders
        remaining -= w.weight
    reporters = reporters_named(question)
    objects = objects_named(question)
    # A person named is the speaker or the subject of the words; one named only as whom
    # they are addressed or aimed at ("the verse message to Stalin") may stand further off
    # than the words around them, and only weighs in the share.
    addressed = _named_as(question, _ADDRESSED_PATTERNS)
    required = [p for p in people if p.person not in addressed]
    if required:
        candidates &= frozenset().union(*(p.holders for p in required))
    # The first person named is most often the speaker ("Serge saying …"), unless the
    # description names them as who reports the words ("in Reed's account") or as whom
    # the words are about or aimed at ("the things thrown at Trotsky", "Deutscher on Trotsky").
    first = next((p.person for p in people
                  if p.person not in reporters and p.person not in objects), None)
    # "Bukharin's last letter …": the words are said to be that person's own. Someone
    # else's words that merely name them ("… Bukharin, is arrested" in Trotsky's list) are
    # not what was meant, unless words inside them may be theirs.
    owner = first if first is not None and first in _named_as(question, _OWNER_PATTERNS) \
        else None
    credits = {position: [_credit(w, position, index.surroundings[position]) for w in wanted]
               for position in candidates}
    _credit_the_sayer(index, wanted, credits)
    scored: list[tuple[float, int]] = []
    for position, found in credits.items():
        doc = index.surroundings[position]
        got = 0.0
        matched = 0
        for w, credit in zip(wanted, found, strict=True):
            got += w.weight * credit
            # A person named in the words themselves is what they are about ("from
            # Yessenin to Mayakovsky"), as much a word of them as any other.
            matched += bool(credit) and (w.person is None
                                         or (credit == OWN and _rarely_named(w)))
        share = got / total if total else 0.0
        if share >= MIN_SHARE and matched >= MIN_MATCHED:
            scored.append((share * _length_norm(doc), position))
    terms = frozenset().union(*(w.singles for w in content))
    matches: list[Match] = []
    # Each match's length, for the sort below: the index makes a quotation's record on
    # demand from its columns, too dear to repeat in every comparison.
    lengths: dict[int, int] = {}
    scored.sort(reverse=True)
    for share, position in scored:
        if len(matches) >= limit and share + SPEAKER_BONUS < matches[limit - 1].score:
            break  # nothing further down can rise into the first ``limit``
        taken = 0
        for qid in index.surroundings[position].quotations:
            if taken >= limit:
                # The same surroundings again (a text's copies): as many as can be shown
                # are kept, the rest would tie with them and be cut below.
                break
            quotation = index[qid]
            if (slug is not None and quotation.slug != slug) \
                    or (speaker is not None and quotation.speaker != speaker):
                continue
            qid = _innermost(index, qid, terms, first)
            quotation = index[qid]
            if quotation.speaker in reporters and quotation.speaker != first:
                # "the rough workman in Reed's account": not Reed's own words, but the
                # words quoted inside his that hold most of the description.
                qid = _reported(index, qid, terms)
                quotation = index[qid]
            if first is None and not reporters and quotation.speaker is not None:
                # Nobody named: "the furious worker … warning them the workers would be done
                # with them if the soviets were crushed" is the unnamed workman's words
                # inside Reed's account, when they hold enough of the description.
                unnamed = _unnamed_inside(index, qid, terms)
                if unnamed != qid:
                    qid = unnamed
                    quotation = index[qid]
            if first is not None and quotation.speaker != first:
                # "Smirnov's reply when Trotsky predicted …": the words of the person named
                # first, quoted inside the account that holds the rest of the description.
                # Not a phrase of theirs the account merely marks ("advocated ‘mass
                # searches’ …"), unless it holds what was described.
                theirs = [q for q in index.inside(qid) if index[q].speaker == first
                          and _more_than_a_phrase(index, q, terms)]
                if theirs:
                    qid = _nearest_the_description(index, qid, theirs, terms, texts)
                    quotation = index[qid]
                elif quotation.speaker is not None:
                    # Nothing inside is stored as theirs, but the account is someone else's:
                    # the words inside it that nobody is named for and that hold the
                    # description are more likely the ones meant ("the danger Lenin saw …"
                    # in Trotsky's block: “from servants of society to lords over society”,
                    # which only "who had seen" introduces) than the reporter's account.
                    unowned = _reported(index, qid, terms, unowned_only=True)
                    if unowned != qid:
                        qid = unowned
                        quotation = index[qid]
            if owner is not None and quotation.speaker not in (None, owner) \
                    and all(index[q].speaker not in (None, owner) for q in index.inside(qid)):
                continue
            # A phrase scores by the sentence it stands in, as the sentence's own words
            # do: it is not what was described for being its speaker's ("lenin wanting
            # grain hoarders executed" is Carr's sentence, not Lenin's ‘mass searches’).
            bonus = SPEAKER_BONUS if _as_described(index, quotation, first, reporters, terms) \
                and _more_than_a_phrase(index, qid, terms) else 0.0
            matches.append(Match(qid, share + bonus, share))
            lengths[qid] = quotation.length
            taken += 1
        matches.sort(key=lambda m: (-m.score, lengths[m.quotation_id], m.quotation_id))
    return _outermost_once(matches, index)


#: What is left of a word's credit around a quotation when the quotation next to it says
#: the word itself.
NEIGHBOUR_SHARE = 0.3


def _credit_the_sayer(index: MeaningIndex, wanted: Sequence[Wanted],
                      credits: dict[int, list[float]]) -> None:
    """A word of the description that one quotation says itself and its neighbour holds
    only in the sentence before or after (the first's sentence) is the first's: "gorged",
    "vomited" are Deutscher's words, not the quotation of Trotsky's in the paragraph
    before, whose sentence after they are. The neighbour keeps ``NEIGHBOUR_SHARE`` of its
    credit for it. Neighbours: quotations of the same or the next paragraph, not nested in
    one another (an inner quotation's sentence is its outer one's words, and stays its)."""
    first = {position: index[index.surroundings[position].quotations[0]]
             for position in credits}
    for n, w in enumerate(wanted):
        if w.person is not None:
            continue  # a name around words is who said them, not words they share
        sayers: dict[int, list[Described]] = {}  # by paragraph
        for position, found in credits.items():
            if found[n] == OWN:
                sayers.setdefault(first[position].passage_id, []).append(first[position])
        if not sayers:
            continue
        for position, found in credits.items():
            if found[n] != AROUND:
                continue
            mine = first[position]
            if any(not _nested(mine, other) for passage in range(mine.passage_id - 1,
                                                                  mine.passage_id + 2)
                   for other in sayers.get(passage, ())):
                found[n] = AROUND * NEIGHBOUR_SHARE


#: Own words (terms) a quotation may have before its matches start to count for less.
LONG_TERMS = 40
LENGTH_EXPONENT = 0.3


def _length_norm(doc: Surroundings) -> float:
    """Under 1 for a long quotation: a block of 150 words holds a description's common
    words by chance (BM25's length normalisation, in small)."""
    own = len(doc.own)
    return 1.0 if own <= LONG_TERMS else (LONG_TERMS / own) ** LENGTH_EXPONENT


#: How a description names who reports the words rather than who said them ("NAME" is
#: any form of the person's name): "quoted by Trotsky", "as Trotsky quotes it", "via Hill",
#: "in Reed's account", "inside Carr's passage", "… in Serge" at the end, "Joffe says he
#: heard …", "the question Trotsky says he was asked".
_REPORTER_PATTERNS = (
    r"\b(?:quoted|cited|reported|recorded|recounted|related|told)\s+(?:by|in)\s+NAME\b",
    r"\bas\s+NAME\s+(?:quotes|cites|reports|records|recounts|relates|tells)\b",
    r"\bNAME\s+(?:quoting|citing)\b",
    r"\bvia\s+NAME\b",
    r"\b(?:in|inside|from)\s+NAME(?:['’]s|s)?\s+(?:account|record|retelling|version|report|"
    r"passage|telling|story)\b",
    r"\b(?:in|inside|from)\s+NAME\W*$",
    # "Joffe says he heard Lenin admit …", "Sedova recalling Trotsky telling …": a witness.
    r"\bNAME\s+(?:says|said|saying|recalls|recalled|recalling|remembers|remembered|"
    r"remembering|writes|wrote|writing)\s+(?:that\s+)?(?:he|she|they)\s+(?:had\s+)?"
    r"(?:heard|hear|saw|see|was\s+asked|were\s+asked|had\s+been\s+asked)\b",
    r"\bNAME\s+(?:heard|hearing|overheard)\b",
    # "the question Trotsky was asked": the words are the asker's, Trotsky only retells them.
    r"\bNAME\s+(?:was|is|had\s+been)\s+asked\b",
)


#: A person named after one of these is the words' object or subject matter, not their
#: speaker: "thrown at Trotsky", "Deutscher on Trotsky", "Lenin's testament about Stalin".
_OBJECT_PATTERNS = (
    # ... but not "the start of Trotsky's speech": whose the words are
    r"\b(?:at|to|against|towards?|about|on|of|for|with)\s+NAME\b(?![’']s\b)",
)


#: A person named as the owner of the words: "Bukharin's last letter", "Serge's phrase".
_OWNER_PATTERNS = (
    r"\bNAME['’]s\s+(?:\w+\s+)?(?:letter|letters|words|speech|remark|reply|answer|testament|"
    r"will|phrase|slogan|quip|retort|verdict|prediction|prophecy|warning|complaint|"
    r"message|postscript|obituary|memoirs?|diary|notes)\b",
)


#: A person the words are addressed or aimed at: "the verse message to Stalin".
_ADDRESSED_PATTERNS = (r"\b(?:to|at|towards?)\s+NAME\b",)


#: "Serge recalling that Lenin died asking …", "Sedova remembers Pyatakov, pale, saying …": a
#: witness recalling someone else's words (OTHER: another person the description names).
#: Not "Sedova remembering Pyatakov drinking two glasses of water": no one speaks there.
_RECALLING_PATTERN = (
    r"\bNAME\s+(?:recalls|recalled|recalling|remembers|remembered|remembering|recounts|"
    r"recounted|recounting|relates|related|relating|reports|reported|reporting)\s+"
    r"(?:that\s+|how\s+)?OTHER(?:['’]s)?[\s,]+(?:[\w'’]+[\s,]+){0,3}(?:saying|said|says|asking|asked|"
    r"asks|telling|told|tells|writing|wrote|writes|answering|answered|replying|replied|"
    r"declaring|declared|shouting|shouted|crying|cried|admitting|admitted)\b"
)


def reporters_named(question: Question) -> frozenset[str]:
    """The people a description names as reporting the words, not saying them."""
    found = set(_named_as(question, _REPORTER_PATTERNS))
    people = [g.person for g in question.groups if g.person is not None]
    for person in people:
        others = [f for other in people if other.name != person.name
                  for f in other.names() if f.strip()]
        if not others:
            continue
        other = "(?:" + "|".join(re.escape(f) for f in sorted(set(others), key=len,
                                                              reverse=True)) + ")"
        found |= _named_as(question, (_RECALLING_PATTERN.replace("OTHER", other),),
                           only=person.name)
    return frozenset(found)


def objects_named(question: Question) -> frozenset[str]:
    """The people a description names only as what the words are about or aimed at."""
    return _named_as(question, _OBJECT_PATTERNS)


def _named_as(question: Question, patterns: Sequence[str],
              only: str | None = None) -> frozenset[str]:
    found: set[str] = set()
    for group in question.groups:
        if group.person is None or (only is not None and group.person.name != only):
            continue
        forms = sorted({f for f in group.person.names() if f.strip()}, key=len, reverse=True)
        name = "(?:" + "|".join(re.escape(f) for f in forms) + ")"
        named = [m.start() for m in re.finditer(rf"\b{name}\b", question.text, re.IGNORECASE)]
        # Every mention must be of that kind: "Trotsky on the NEP … said to Trotsky" is not.
        as_such = [m.end() for p in patterns
                   for m in re.finditer(p.replace("NAME", name), question.text, re.IGNORECASE)]
        if named and len(as_such) >= len(named):
            found.add(group.person.name)
    return frozenset(found)


#: Words of its own (terms) a quotation inside another needs to be more than a phrase.
PHRASE_TERMS = 3


def _more_than_a_phrase(index: MeaningIndex, quotation_id: int, terms: frozenset[str]) -> bool:
    """Whether words quoted inside an account are a saying of their own (more than a few
    words, or holding some of the description's)."""
    found = index.of(quotation_id)
    own = found.own if found is not None else frozenset()
    return len(own) > PHRASE_TERMS or not terms.isdisjoint(own)


def _reported(index: MeaningIndex, quotation_id: int, terms: frozenset[str],
              unowned_only: bool = False) -> int:
    """Of the words quoted inside a quotation (``unowned_only``: only those stored with no
    speaker), those holding most of the description's words (the longest on a tie); the
    quotation itself when none holds any."""
    best, held = quotation_id, 0
    for inner in index.inside(quotation_id):  # smallest first: a tie goes to the longer
        if unowned_only and index[inner].speaker is not None:
            continue
        theirs = index.of(inner)
        count = len(terms & theirs.own) if theirs is not None else 0
        if count and count >= held:
            best, held = inner, count
    return best


#: Description words an unnamed source's words inside an account must hold themselves.
UNNAMED_INSIDE_TERMS = 2


def _unnamed_inside(index: MeaningIndex, quotation_id: int, terms: frozenset[str]) -> int:
    """Of the words inside a quotation that an unnamed source the text describes said, those
    holding most of the description (``UNNAMED_INSIDE_TERMS`` at least); else the
    quotation itself."""
    best, held = quotation_id, UNNAMED_INSIDE_TERMS - 1
    for inner in index.inside(quotation_id):
        if not index[inner].source_terms:
            continue
        theirs = index.of(inner)
        count = len(terms & theirs.own) if theirs is not None else 0
        if count > held:
            best, held = inner, count
    return best


def _as_described(index: MeaningIndex, quotation: Described, first: str | None,
                  reporters: frozenset[str], terms: frozenset[str]) -> bool:
    """Whether the quotation is by whom the description says: the first person it names
    (not as reporter), an unnamed source in the text's words ("the rough workman"), or,
    when it names only a reporter, words quoted by them."""
    if first is not None:
        return quotation.speaker == first
    if quotation.source_terms and quotation.source_terms <= terms:
        return True
    return bool(reporters) and not reporters.isdisjoint(_quoted_by(index, quotation))


def _quoted_by(index: MeaningIndex, quotation: Described) -> set[str]:
    """The speakers of the quotations this one stands inside."""
    return {d.speaker for d in index.in_passage(quotation.passage_id)
            if d.speaker and d.quotation_id != quotation.quotation_id
            and d.start <= quotation.start and quotation.end <= d.end
            and d.length > quotation.length}


#: Stems of the words that ask for the first of someone's sayings in an account.
_OPENING_WORDS = frozenset({"start", "begin", "open", "first"})


def _nearest_the_description(index: MeaningIndex, outer_id: int, theirs: Sequence[int],
                             terms: frozenset[str],
                             texts: Callable[[int], str | None] | None) -> int:
    """Of a person's sayings inside someone's account (smallest first), the one nearest the
    account's words the description holds; the longest when the account's words are not
    at hand or say nothing. Sedova's account holds two sayings of Pyatakov's: "coming back
    pale from the politburo and saying not even the war had shown him anything like it" is
    the one after "He was silent, pale", not the longer one further on."""
    outer = index[outer_id]
    if len(theirs) > 1 and not terms.isdisjoint(_OPENING_WORDS):
        # "the start of Trotsky's speech in Serge's record": the first of his sayings there
        return min(theirs, key=lambda qid: index[qid].start)
    text = texts(outer_id) if texts is not None and len(theirs) > 1 else None
    if not text:
        return theirs[-1]
    at = [m.start() for m in TOKEN.finditer(text.casefold())
          if not terms.isdisjoint(terms_of(m.group(0)))]
    if not at:
        return theirs[-1]

    def distance(qid: int) -> int:
        inner = index[qid]
        lo, hi = inner.start - outer.start, inner.end - outer.start
        return sum(max(lo - a, a - hi, 0) for a in at)

    # min() keeps the first of equals: scanning longest first, a tie goes to the longer.
    return min(reversed(theirs), key=distance)


def _innermost(index: MeaningIndex, quotation_id: int, terms: frozenset[str],
               named: str | None = None) -> int:
    """The words quoted inside a quotation, when they hold all of the description's words
    that its own words hold: the reader meant them, and the outer quotation is someone
    reporting them (Lenin's testament in Trotsky's account). ``named``: the speaker the
    description names first, whose own account it is when it is theirs ("Joffe telling
    Trotsky …" is Joffe's letter, not the words of Lenin's it reports)."""
    mine = index.of(quotation_id)
    wanted = terms & mine.own if mine is not None else frozenset()
    if not wanted:
        return quotation_id  # also one the index does not hold (the store changed since)
    inside = index.inside(quotation_id)
    for inner in inside:
        theirs = index.of(inner)
        if theirs is not None and wanted <= theirs.own:
            return inner
    # Someone else's words inside the account, when all it holds of the description stands
    # in them and in the account's sentence that quotes them ("Victor Kravchenko, a former
    # high Stalinist official who … escaped abroad, reports … ‘nine or ten million, …’" in
    # Hansen's block): the description is of that saying, and the account only reports it.
    outer = index[quotation_id].speaker
    if outer is not None and outer == named:
        return quotation_id
    best, held = quotation_id, 0
    for inner in inside:
        theirs = index.of(inner)
        mine_too = index[inner]
        if theirs is None or (mine_too.speaker is None and not mine_too.source_terms) \
                or mine_too.speaker == outer:
            continue
        count = len(wanted & theirs.own)
        if count > held and wanted <= theirs.own | theirs.sentence:
            best, held = inner, count
    return best


def inner_words(ctx: AnswerContext, quotation_ids: Sequence[int], text: str) -> list[int]:
    """Each quotation, or the words quoted inside it when they hold all of the query's words
    that it holds ("a colorless nonentity" in Trotsky's epigraph is Smirnov's)."""
    index = ctx.quotes.meaning(ctx.store)
    terms = terms_of(text)
    return list(dict.fromkeys(_innermost(index, q, terms) for q in quotation_ids))


def _outermost_once(matches: Sequence[Match], index: MeaningIndex) -> list[Match]:
    """Of quotations nested in one another (or one shown twice), the best-ranked one."""
    kept: list[Match] = []
    # Only quotations of the same paragraph can nest: compared within it, not with every
    # match kept (hundreds at 100x, where that was a fifth of a description's time).
    kept_in: dict[int, list[Described]] = {}
    for match in matches:
        mine = index[match.quotation_id]
        near = kept_in.setdefault(mine.passage_id, [])
        if any(_nested(mine, other) for other in near):
            continue
        kept.append(match)
        near.append(mine)
    return kept


def _nested(a: Described, b: Described) -> bool:
    return a.passage_id == b.passage_id and ((a.start <= b.start and b.end <= a.end)
                                             or (b.start <= a.start and a.end <= b.end))


def by_meaning(ctx: AnswerContext, text: str, speaker: str | None, slug: str | None,
               limit: int) -> list[Match]:
    """The quotations a description points at, best first (none when nothing fits)."""
    index = ctx.quotes.meaning(ctx.store)
    vocabulary = ctx.cards.index(
        ctx.store, ("quote", "description vocabulary"),
        lambda: described_vocabulary(vocabulary_of(ctx), index, ctx.lexicon))
    question = analyse(text, ctx.people, vocabulary, ctx.lexicon)
    # Nested and repeated quotations are merged after the cut: ask for more than shown.
    def texts(quotation_id: int) -> str | None:
        found = ctx.store.quotes.records([quotation_id])
        return found[0].text if found else None

    return describe(index, question, speaker=speaker, slug=slug, limit=4 * limit,
                    texts=texts)[:limit]



#: A description's unknown word is read as a word of the quotations' surroundings used only
#: once when it is this close to it (rapidfuzz ratio of the stems, six letters or more):
#: a plain misspelling.
RARE_FIX_RATIO = 88
RARE_FIX_LENGTH = 6  # stems shorter than this are too near too many words ("shout", "shut")


@dataclass(frozen=True, slots=True)
class DescribedVocabulary(Vocabulary):
    """The sentence vocabulary, also correcting into words the quotations' surroundings
    use only once, when they are clearly what was typed."""

    rare: tuple[str, ...] = ()
    lexicon: Lexicon | None = None

    def correct(self, word: str) -> str | None:
        if self.lexicon is not None and any(
                all(s in self.documents for s in stems(other))
                for other in self.lexicon.alternatives(word)[1:]):
            # A word of the lexicon is no typo: its synonyms the texts use are searched
            # ("forecasting" finds "prophesied", where it was read as "foremost").
            return None
        if _inflected_known(word, self.documents):
            return None  # "faster" is no typo of "master": the texts have "fast"
        common = Vocabulary.correct(self, word)
        key = stem(word)
        if key in self.documents or len(key) < RARE_FIX_LENGTH or not self.rare:
            return common
        found = process.extractOne(key, self.rare, scorer=fuzz.ratio,
                                   score_cutoff=RARE_FIX_RATIO)
        if found is None or found[0] in key:
            return common
        if common is not None and fuzz.ratio(key, common) >= found[1]:
            return common
        return str(found[0])


#: Endings the stemmer leaves on a word whose base the texts use ("faster", "tightly").
_ENDINGS = ("est", "er", "ly")


def _inflected_known(word: str, documents: dict[str, int]) -> bool:
    """Whether the word is a comparative, superlative or adverb of a word the texts use
    ("faster", "bigger", "happier", "tightly")."""
    lowered = word.casefold()
    for ending in _ENDINGS:
        base = lowered[:-len(ending)]
        if not lowered.endswith(ending) or len(base) < 3:
            continue
        forms = [base, base + "e", base[:-1] if len(base) > 3 and base[-1] == base[-2] else "",
                 base[:-1] + "y" if base.endswith("i") else ""]
        if any(form and stem(form) in documents for form in forms):
            return True
    return False


def described_vocabulary(sentences: Vocabulary, index: MeaningIndex,
                         lexicon: Lexicon | None = None) -> DescribedVocabulary:
    """The vocabulary a description is read with: the plain questions' one, which corrects
    a typo only into words the texts use more than once (a one-off word is as likely a typo
    of the text's own), and also into the words used once around a quotation when they are
    plainly what was typed: a description is compared with those only, and "theatres" is
    the quotation's "theaters", not "threat"."""
    common = set(sentences.terms)
    rare = sorted(t for t in index.postings
                  if t in sentences.documents and t not in common and not t.isdigit())
    return DescribedVocabulary(sentences.sentences, sentences.documents, sentences.terms,
                               tuple(rare), lexicon)
