"""/quote by what was said, not by its words: "Trotsky on Lenin being treated like the head of
a church" finds the sentence that says it and the quotation standing in it.

Used when the quotation search finds nothing: the words are read as a plain question is
(names resolved, typos mended, the field's synonyms from corpus/lexicon.yaml), the sentences
of the texts are searched, and the quotations inside the best sentences are the answer. A
person the description names may be the speaker (who is not named inside their own words),
so a quotation by a person asked about ranks first.
"""

from __future__ import annotations

from bot.answers.ask.analysis import analyse
from bot.answers.ask.engine import vocabulary_of
from bot.answers.ask.retrieve import Window, retrieve
from bot.answers.core.context import AnswerContext
from bot.store.quotes import QuoteRecord

#: Of the description's content words, the share a sentence must hold to be what was meant.
MIN_SHARE = 0.5
WINDOWS = 20  # best sentences whose quotations are read
MIN_WORDS = 4  # a quotation shorter than this is a phrase, not what was said
MIN_CONTENT = 3  # content words that make a description


def by_meaning(ctx: AnswerContext, text: str, speaker: str | None, slug: str | None,
               limit: int) -> list[QuoteRecord]:
    """The quotations the description points at, best first (none when nothing fits)."""
    vocabulary = vocabulary_of(ctx)
    question = analyse(text, ctx.people, vocabulary, ctx.lexicon)
    content = {g.word for g in question.content_groups}
    if len(content) < MIN_CONTENT or question.unknown:
        return []  # a word or two is a topic or a phrase: the quotation search's job
    windows = [w for w in retrieve(question, ctx.search, ctx.store.sentences, ctx.people,
                                   vocabulary, source_slug=slug)
               if len(content & w.matched) / len(content) >= MIN_SHARE][:WINDOWS]
    inside = ctx.store.quotes.in_sentences([w.main.sentence_id for w in windows])
    ids = list(dict.fromkeys(q for w in windows for q in inside.get(w.main.sentence_id, [])))
    records = [r for r in ctx.store.quotes.records(ids)
               if (speaker is None or r.speaker == speaker) and len(r.words.split()) >= MIN_WORDS]
    asked = {p.name for p in question.people}
    rank = {q: n for n, q in enumerate(ids)}
    share = {q: _share(w, content) for w in windows for q in inside.get(w.main.sentence_id, [])}
    records.sort(key=lambda r: (-(share.get(r.quotation_id, 0) + (0.5 if r.speaker in asked
                                                                      else 0)),
                                rank[r.quotation_id]))
    return records[:limit]


def _share(window: Window, content: set[str]) -> float:
    return len(content & window.matched) / len(content)
