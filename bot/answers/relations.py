"""Questions about who did what to whom ("who killed Trotsky?"), answered from the sentences.

The answer is only ever a sentence of the corpus that says it, with the people it names:
the texts are searched for the verb and its object, and the person named before the verb
in the sentence that has both is the one who did it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.answers.context import AnswerContext
from bot.answers.model import Answer, AnswerKind, Field, Item, SourceRef
from bot.answers.textutil import one_line
from bot.corpus.dates import DATE_PATTERNS

_PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are|be)\s+(?:\w+ly\s+)?$")
# The texts say "killed" where a member asks "murdered": try the question's verb, then these.
SYNONYMS = {"murder": ("killed", "assassinated"), "kill": ("murdered", "assassinated"),
            "assassinat": ("killed", "murdered"), "exil": ("deported", "banished"),
            "deport": ("exiled", "expelled"), "execut": ("shot", "killed")}
STEM = 4  # "killed", "kill", "killing" share their first letters; porter does the search side


def _stem(word: str) -> str:
    word = word.lower()
    for suffix in ("ed", "ing", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= STEM:
            return word[: -len(suffix)]
    return word


def relation(ctx: AnswerContext, verb: str, obj: str,
             exclude: Sequence[str] = ()) -> Answer:
    """Who ``verb``-ed ``obj``, as a sentence of the corpus states it."""
    obj = one_line(obj)
    target, _ = ctx.people.resolve(obj)
    excluded = {p.name for name in exclude if (p := ctx.people.resolve(name)[0])}
    if target is not None:
        excluded.add(target.name)
    nearest: tuple[str, SourceRef] | None = None
    for word in (verb, *SYNONYMS.get(_stem(verb), ())):
        found, near = _by_verb(ctx, word, obj, target, excluded)
        if found is not None:
            return found
        nearest = nearest or near
    if nearest is not None:
        sentence, ref = nearest
        return Answer(AnswerKind.NOT_FOUND, "The texts don't name who did it",
                      f"The nearest they come is: “{sentence}”",
                      items=[Item(title=ref.title, body=sentence, source=ref)], sources=[ref])
    return Answer(AnswerKind.NOT_FOUND, "The texts don't say",
                  f"I found no sentence saying who {verb} {obj}.",
                  suggestions=[f"/search {verb} {obj}"])


def _by_verb(ctx: AnswerContext, verb: str, obj: str, target,
             excluded: set[str]) -> tuple[Answer | None, tuple[str, SourceRef] | None]:
    """The first sentence where someone named ``verb``-s the object, and the nearest miss."""
    stem = _stem(verb)
    hits = ctx.search.search_passages(f"{verb} {obj}", limit=20)
    nearest: tuple[str, SourceRef] | None = None
    for hit in hits:
        ref = SourceRef(hit.source_slug, hit.source_title, hit.source_author,
                        section=hit.section_title, paragraph=hit.paragraph_index)
        for start, end in _sentences(hit.text):
            sentence = hit.text[start:end]
            if not _names_object(sentence, obj, target):
                continue
            at = _verb_before_object(sentence.lower(), stem, obj, target)
            if at is None:
                continue
            nearest = nearest or (sentence.strip(), ref)
            doers = _doers(sentence, at, [m for m in ctx.people.mentions(sentence)
                                          if m.person.name not in excluded])
            if not doers:
                continue
            dates = [m.group(0) for _, pattern in DATE_PATTERNS for m in pattern.finditer(sentence)]
            fields = [Field("When", dates[0], inline=True)] if dates else []
            return Answer(AnswerKind.WHO, doers[-1], f"The text says: “{sentence.strip()}”",
                          fields=fields,
                          items=[Item(title=hit.source_title, body=sentence.strip(), source=ref)],
                          sources=[ref], suggestions=[f"/who {doers[-1]}"]), nearest
    return None, nearest


def _verb_before_object(lowered: str, stem: str, obj: str, target) -> int | None:
    """Where the verb is: the occurrence followed closely by its object, else the first."""
    forms = [f.lower() for f in target.names()] if target else [obj.lower()]
    first = None
    for match in re.finditer(re.escape(stem), lowered):
        first = match.start() if first is None else first
        following = lowered[match.end():match.end() + 40]
        if any(form in following for form in forms):
            return match.start()
    return first


def _doers(sentence: str, at: int, mentions: list) -> list[str]:
    """Who did it: named before the verb, or after "by" when the verb is passive."""
    lowered = sentence.lower()
    if _PASSIVE.search(lowered[:at]):
        # "Trotsky and Zinoviev were expelled": those named are the objects.
        by = lowered.find(" by ", at)
        return list(dict.fromkeys(m.person.name for m in mentions if by >= 0 and m.start > by))
    return list(dict.fromkeys(m.person.name for m in mentions if m.start < at))


def _names_object(sentence: str, obj: str, target) -> bool:
    if target is not None:
        return any(form in sentence for form in target.names())
    return all(word.lower() in sentence.lower() for word in re.findall(r"\w{4,}", obj))


def _sentences(text: str) -> list[tuple[int, int]]:
    from bot.corpus.sentences import sentence_spans

    return sentence_spans(text)
