"""The pool of discussion prompts a server draws from.

Three kinds, each with a key that survives a re-ingest (row ids do not):

- ``c:<id>``: curated in corpus/prompts.yaml, tied to a passage by an exact phrase or a section;
- ``q:<slug>:<paragraph>:<start>``: generated at run time from an attributed quotation of at
  least 12 words, so a text dropped into the corpus brings its own prompts;
- ``m:<id>``: added by a server's moderators (or a member's suggestion they approved);
- ``s:<slug>:<section>``: a reading plan's section itself, when no other prompt is about it.

The curated and generated part is the same for every server and is rebuilt only when the index
changes (keyed by the last ingest); the moderators' part is read per server.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from bot.answers.core.bylines import byline
from bot.answers.core.cache import AnswerCache
from bot.answers.core.model import SourceRef
from bot.answers.core.text import one_line, shorten
from bot.corpus.people import PeopleRegistry
from bot.corpus.prompts import CuratedPrompt
from bot.store.passages import PassageRecord
from bot.store.reads import ReadStore
from bot.store.sources import SourceRecord

log = logging.getLogger(__name__)

Origin = Literal["curated", "generated", "moderator"]
MIN_QUOTE_WORDS = 12  # shorter quotations are phrases, not something to discuss
MAX_QUOTE_WORDS = 90  # longer ones drown the question
EXCERPT_MAX = 500
_QUOTABLE_KINDS = ("body", "block_quote", "epigraph")  # not notes or reference entries
DEFAULT_MODERATOR_TAG = "moderators' picks"
DEFAULT_QUOTE_TAG = "in their own words"


@dataclass(frozen=True, slots=True)
class PoolEntry:
    key: str
    question: str
    tags: tuple[str, ...]
    origin: Origin
    source: SourceRef | None = None
    source_line: str | None = None  # "Robert Narai · Red Flag · 31 August 2022"
    excerpt: str | None = None  # the passage it is about, the phrase in question in bold
    speaker: str | None = None  # generated prompts: who said the quoted words

    @property
    def primary_tag(self) -> str:
        return (self.tags[0] if self.tags else "").lower()


# ---------------------------------------------------------------- building the pool


#: Where a prompt points: its text, the paragraph, and the sentence(s) to show (or none).
Anchor = tuple[SourceRecord, SourceRef, str | None]


class PoolCache:
    """The corpus part of the pool, rebuilt when the index changes (asked at every use: a
    pool is read once per post or command, and must follow a re-ingest at once)."""

    def __init__(self) -> None:
        self._cache = AnswerCache(recheck_after=0)

    def corpus_pool(self, store: ReadStore, curated: Sequence[CuratedPrompt],
                    people: PeopleRegistry) -> tuple[PoolEntry, ...]:
        return self._cache.get(store, "corpus pool", lambda: (
            *curated_entries(store, curated), *generated_entries(store, people)))


def curated_entries(store: ReadStore, curated: Sequence[CuratedPrompt]) -> list[PoolEntry]:
    """Curated prompts with their passage found in the store; unresolvable ones are skipped
    (and logged): a text edited under a prompt must not take the scheduler down."""
    sources = store.sources.by_slug(prompt.source for prompt in curated)
    entries = []
    for prompt in curated:
        anchor = _anchor(store, sources.get(prompt.source), prompt.evidence, prompt.section)
        if anchor is None:
            log.warning("prompt %s: no passage of %s has %r", prompt.id, prompt.source,
                        prompt.evidence or prompt.section)
            continue
        source, ref, excerpt = anchor
        entries.append(PoolEntry(
            key=f"c:{prompt.id}", question=prompt.question, tags=prompt.tags, origin="curated",
            source=ref, source_line=byline(source), excerpt=excerpt))
    return entries


def generated_entries(store: ReadStore, people: PeopleRegistry) -> list[PoolEntry]:
    """One prompt per attributed quotation long enough to discuss."""
    found = store.quotes.attributed_in(_QUOTABLE_KINDS)
    sources = store.sources.by_slug({q.slug for q in found})
    entries = []
    for quotation in found:
        words = clean_quotation(quotation.text)
        source = sources.get(quotation.slug)
        if source is None or not MIN_QUOTE_WORDS <= len(words.split()) <= MAX_QUOTE_WORDS:
            continue
        key = f"q:{quotation.slug}:{quotation.paragraph}:{quotation.start}"
        entries.append(PoolEntry(
            key=key, question=question_for_quotation(key, quotation.speaker, people),
            tags=quotation_tags(words), origin="generated",
            source=SourceRef(source.slug, source.title, source.author, quotation.section,
                             quotation.paragraph),
            source_line=byline(source), excerpt=f"“{words}”\n— {quotation.speaker}",
            speaker=quotation.speaker))
    return entries


def moderator_entry(record_id: int, question: str, tags: Iterable[str],
                    anchor: Anchor | None) -> PoolEntry:
    source, ref, excerpt = anchor if anchor else (None, None, None)
    return PoolEntry(key=f"m:{record_id}", question=question,
                     tags=tuple(tags) or (DEFAULT_MODERATOR_TAG,), origin="moderator",
                     source=ref, source_line=byline(source) if source else None,
                     excerpt=excerpt)


def in_sections(pool: Iterable[PoolEntry], slug: str, sections: Sequence[str]
                ) -> list[PoolEntry]:
    """The prompts about a passage under one of a text's headings (a reading plan's week)."""
    wanted = set(sections)
    return [e for e in pool
            if e.source is not None and e.source.slug == slug and e.source.section in wanted]


SECTION_QUESTION = ("This week we read “{section}”. What is its central claim, and which "
                    "passage of it would you put to the group to argue about?")


def section_entry(store: ReadStore, slug: str, section: str) -> PoolEntry | None:
    """A prompt on a section as a whole, from its opening paragraph: so a plan's week always
    has a prompt of its own, even in a text no prompt was written for."""
    source = store.sources.by_slug([slug]).get(slug)
    anchor = _anchor(store, source, None, section)
    if anchor is None:
        return None
    record, ref, shown = anchor
    return PoolEntry(key=f"s:{slug}:{section}"[:200],
                     question=SECTION_QUESTION.format(section=section),
                     tags=("reading plan",), origin="curated", source=ref,
                     source_line=byline(record), excerpt=shown)


# ---------------------------------------------------------------- passages


def find_anchor(store: ReadStore, slug: str, evidence: str | None) -> Anchor | None:
    """The passage of one text a moderator's phrase names (the text alone if no phrase)."""
    source = store.sources.by_slug([slug]).get(slug)
    if source is None:
        return None
    if not evidence:
        return source, SourceRef(source.slug, source.title, source.author), None
    return _anchor(store, source, evidence, None)


def _anchor(store: ReadStore, source: SourceRecord | None, evidence: str | None,
            section: str | None) -> Anchor | None:
    """The paragraph holding the phrase (under the heading, if given), or the heading's first
    paragraph when the prompt names a section and no phrase."""
    if source is None:
        return None
    if evidence:
        passage = store.passages.holding(source.slug, evidence, section=section)
    elif section:
        passage = store.passages.opening_of_section(source.slug, section)
    else:
        return None
    if passage is None:
        return None
    ref = SourceRef(source.slug, source.title, source.author, passage.section_title,
                    passage.index)
    return source, ref, excerpt(passage, evidence)


def excerpt(passage: PassageRecord, evidence: str | None) -> str:
    """The sentence(s) holding the phrase, with the phrase in bold; else the opening."""
    text = passage.text
    if not evidence or evidence not in text:
        return shorten(one_line(text), EXCERPT_MAX)
    start = text.index(evidence)
    end = start + len(evidence)
    spans = list(passage.sentences) or [(0, len(text))]
    first = next((s for s, e in spans if s <= start < e), 0)
    last = next((e for s, e in spans if s < end <= e), len(text))
    before, after = text[first:start], text[end:last]
    room = max(0, EXCERPT_MAX - len(evidence) - 4)
    before = ("…" + before[-room // 2:].lstrip()) if len(before) > room // 2 else before
    gap = " " if after[:1].isspace() else ""  # shorten() strips it; the words must not touch
    after = gap + shorten(after, max(1, room - len(before))) if after.strip() else ""
    return one_line(f"{before}**{evidence}**{after}")


# ---------------------------------------------------------------- generated questions

_CITATION_TAIL = re.compile(r"\s*\((?:[A-Z][^()]{0,40},\s*)?\d[\d–\-, ]*\)(?=[.,;:]?\s*$)")
_NOTE_MARK = re.compile(r"\[\d{1,3}\]|(?<=[.”’\"])\d{1,3}$")

#: Questions for words of people who acted in the events, and for historians' accounts.
_ACTOR_QUESTIONS = (
    "What exactly is {who} claiming here, and does the record in our texts bear it out?",
    "Do you agree with {who} here? What would the strongest reply have been at the time?",
    "What was at stake when {who} said this, and who was meant to hear it?",
    "If you could ask {who} one question about these words, what would it be, and how might "
    "the answer go?",
    "Does this judgement of {who}'s hold up in the light of what came after? Give one example "
    "from the texts.",
)
_COMMENTATOR_QUESTIONS = (
    "{who} gives this account. Does it support or complicate the argument of the essay that "
    "quotes it?",
    "What does this passage from {who} add to our picture of the period, and what would you "
    "want to check before relying on it?",
    "Is {who} describing causes or symptoms here? Make the case either way.",
)
_COMMENTATOR_ROLES = ("historian", "biographer", "journalist", "scholar", "theorist",
                      "philosopher", "memoirist", "critic")

#: Topics a quotation's words point to, checked in order; the first two found become its tags.
_TOPICS = (
    (re.compile(r"thermidor", re.I), "Thermidor"),
    (re.compile(r"kronstadt", re.I), "Kronstadt"),
    (re.compile(r"\bNEP\b|new economic|nepm|kulak", re.I), "NEP"),
    (re.compile(r"\btrials?\b|purge|prosecut|defendant|the accused", re.I), "show trials"),
    (re.compile(r"permanent revolution|world revolution|in the west\b", re.I),
     "permanent revolution"),
    (re.compile(r"bureaucra|apparatus|functionar|officials", re.I), "bureaucracy"),
    (re.compile(r"fascis|hitler|nazi", re.I), "fascism"),
    (re.compile(r"collectivi|peasant|village", re.I), "collectivisation"),
    (re.compile(r"democra|faction|opposition", re.I), "party democracy"),
    (re.compile(r"civil war|red army|\bwhites\b", re.I), "civil war"),
    (re.compile(r"insurrection|october", re.I), "October 1917"),
)


def clean_quotation(text: str) -> str:
    """The quoted words alone: no citation tail such as "(Trotsky, 66)", no note numbers."""
    words = _CITATION_TAIL.sub("", one_line(text))
    words = _NOTE_MARK.sub("", words).strip()
    return words.strip("“”\"' ")


def quotation_tags(words: str) -> tuple[str, ...]:
    found = [tag for pattern, tag in _TOPICS if pattern.search(words)]
    return tuple(found[:2]) or (DEFAULT_QUOTE_TAG,)


def question_for_quotation(key: str, speaker: str, people: PeopleRegistry) -> str:
    """An open question around a quotation, chosen by its key so it never changes."""
    person = people.by_name(speaker)
    who = person.surname if person else speaker.split()[-1]
    role = (person.role or "").lower() if person else ""
    templates = (_COMMENTATOR_QUESTIONS if any(r in role for r in _COMMENTATOR_ROLES)
                 else _ACTOR_QUESTIONS)
    pick = int(hashlib.sha256(key.encode()).hexdigest(), 16) % len(templates)
    return templates[pick].format(who=who)
