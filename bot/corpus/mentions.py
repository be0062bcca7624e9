"""Every mention of a registered person in a text, and the names the registry lacks.

A group that drops in a new text gets mention counts with no curation; the names found but
not registered are listed by ingest so that the registry can grow.
"""

from __future__ import annotations

import re
from collections import Counter

from bot.corpus.model import BlockKind, ParsedText, PersonMention
from bot.corpus.people import Mention, PeopleRegistry

#: The registered names in each paragraph of running text, by paragraph index.
ParagraphMentions = dict[int, list[Mention]]

# Two or three capitalised words, optionally with an initial: "Konrad Knudsen", "I.N. Smirnov".
# \b(?:[A-Z]\.\s?)*[A-Z][a-zà-ÿ’'-]+..., spelled with its first capital first and \b as a
# look back past it: re then skips to the next capital instead of trying every character.
_NAME_LIKE = re.compile(
    r"[A-Z](?<!\w[A-Z])(?:\.\s?(?:[A-Z]\.\s?)*[A-Z])?[a-zà-ÿ’'-]+"
    r"(?:\s(?:[A-Z]\.\s?)?[A-Z][a-zà-ÿ-]+){1,2}\b")
# Capitalised words that make a phrase a place, body, event or title rather than a person.
_NOT_PEOPLE = frozenset("""
    the a an in on of and for to at by with from as but if when while after before during since
    soviet soviets union russia russian revolution revolutionary party army red white whites
    communist communism international opposition left right central committee congress
    new york london paris moscow petrograd leningrad berlin mexico europe european america
    american china chinese germany german france french spain spanish britain british war
    civil world first second third fourth great october february november december january
    march april may june july august september socialist socialism workers worker state
    states united government provisional bolshevik bolsheviks bolshevism menshevik mensheviks
    marxist marxism leninism stalinism trotskyist economic policy trials trial show moscow
    people review press books book university publishers library history political theory
    platypus medium flag alternative national democratic social democrats nazi nazis kremlin
    politburo stalinist tsarist siberia asia ukraine turkey norway kazakhstan alma ata
""".split())


def paragraph_mentions(text: ParsedText, people: PeopleRegistry) -> ParagraphMentions:
    """The names in each paragraph of the running text (notes and reference lists are
    bibliography, not prose): found once per text, read by attribution and by the mentions."""
    return {paragraph.index: people.mentions(paragraph.text) for paragraph in text.paragraphs
            if paragraph.kind not in (BlockKind.NOTE, BlockKind.REFERENCE)}


def find_mentions(text: ParsedText, people: PeopleRegistry,
                  named: ParagraphMentions | None = None) -> list[PersonMention]:
    """Mentions in the running text; ``named``: its ``paragraph_mentions``, when found."""
    if named is None:
        named = paragraph_mentions(text, people)
    return [PersonMention(index, mention.start, mention.end, mention.person.name)
            for index, mentions in named.items() for mention in mentions]


def unknown_names(text: ParsedText, people: PeopleRegistry, limit: int = 20,
                  mentions: list[PersonMention] | None = None) -> list[str]:
    """Person-like names in the prose that no registered name covers, most frequent first.

    ``mentions``: the text's ``find_mentions``, when already found (not searched twice)."""
    covered_in: dict[int, list[tuple[int, int]]] = {}
    for mention in find_mentions(text, people) if mentions is None else mentions:
        covered_in.setdefault(mention.paragraph_index, []).append((mention.start, mention.end))
    counts: Counter[str] = Counter()
    for paragraph in text.paragraphs:
        if paragraph.kind in (BlockKind.NOTE, BlockKind.REFERENCE):
            continue
        covered = covered_in.get(paragraph.index, [])
        for match in _NAME_LIKE.finditer(paragraph.text):
            words = [w.strip(".’'").lower() for w in match.group(0).split()]
            if any(w in _NOT_PEOPLE for w in words):
                continue
            if any(a < match.end() and match.start() < b for a, b in covered):
                continue
            counts[match.group(0)] += 1
    return [name for name, _ in counts.most_common(limit)]


def apply_mentions(text: ParsedText, people: PeopleRegistry,
                   named: ParagraphMentions | None = None) -> None:
    text.mentions = find_mentions(text, people, named)
    text.unknown_names = unknown_names(text, people, mentions=text.mentions)
