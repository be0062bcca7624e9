"""A short quotation that answers another line is shown under the line it answers.

"“Mediocrity, yes; nonentity, no,” I answered him" means little without Smirnov's "But he is
a mediocrity, a colorless nonentity" before it. Within one paragraph, the line a quotation
answers is the quotation just before it when

- a verb of answering follows the words ("I answered him", "he replied"), or
- the quotation before it is a question ("“Stalin?” he asked") — unless that question's own
  tag stands between them: "“Stalin?” he asked me with amazement. “But he is a mediocrity …”"
  is one speaker going on, answering the line before the question.

Read at answer time from the paragraph's text and /quote's index of where each quotation
stands (``MeaningIndex``): one paragraph and one quotation read, for short quotations only.
"""

from __future__ import annotations

import re

from bot.answers.core.context import AnswerContext
from bot.answers.quote.meaning_index import Described, MeaningIndex
from bot.store.quotes import QuoteRecord

#: A quotation of more words than this says enough on its own.
SHORT_WORDS = 20
#: Two lines of one exchange stand this close at most (characters between them).
MAX_GAP = 160
_ANSWERING = re.compile(r"\b(?:answer(?:ed|s)?|repl(?:ied|ies)|retort(?:ed|s)?|rejoined|"
                        r"respond(?:ed|s)?|shot back)\b", re.IGNORECASE)
#: What follows a quotation up to the next one or the end of its sentence: its own tag.
_TAG = re.compile(r"^[^“‘\"]*?(?:[.!?](?=\s)|$)")
_QUESTION = re.compile(r"\?[\s’”'\")\]]*$")
_CLOSING = "’”'\" \u00a0"


def answered_line(ctx: AnswerContext, record: QuoteRecord) -> QuoteRecord | None:
    """The quotation this short one answers, if it answers one."""
    if record.kind != "inline" or len(record.words.split()) > SHORT_WORDS:
        return None
    index = ctx.quotes.meaning(ctx.store)
    me = index.described(record.quotation_id)
    if me is None:
        return None
    before = _lines_before(index, me)
    if not before:
        return None
    passage = ctx.store.passages.at(record.slug, record.paragraph)
    if passage is None:
        return None
    text = passage.text
    previous = before[0]
    tag = _TAG.match(text[me.end:me.end + MAX_GAP].lstrip(_CLOSING))
    if tag and _ANSWERING.search(tag.group(0)):
        answered: Described | None = previous
    elif _QUESTION.search(text[previous.start:previous.end]):
        between = text[previous.end:me.start].lstrip(_CLOSING)
        # "“Stalin?” he asked …. “But …”": the question's tag, then the same speaker again.
        same_speaker = bool(between[:1].islower())
        answered = (before[1] if len(before) > 1 else None) if same_speaker else previous
    else:
        answered = None
    if answered is None:
        return None
    found = ctx.store.quotes.records([answered.quotation_id])
    return found[0] if found else None


def _lines_before(index: MeaningIndex, me: Described) -> list[Described]:
    """The quotations before this one in its paragraph, nearest first, each within MAX_GAP
    of the next (an exchange); none that holds it or lies in it."""
    siblings = sorted(index.in_passage(me.passage_id), key=lambda d: -d.end)
    found: list[Described] = []
    edge = me.start
    for other in siblings:
        if other.quotation_id == me.quotation_id or other.end > edge:
            continue  # after it, around it, or inside a line already taken
        if edge - other.end > MAX_GAP:
            break
        found.append(other)
        edge = other.start
    return found
