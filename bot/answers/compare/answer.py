"""/compare <topic>: one line per text that speaks of it (its best sentence, verbatim, with
its place, the author and the title), best text first; the silent texts named; then the
points where they disagree, and where they agree, each value with its source."""

from __future__ import annotations

import re

from bot.answers.compare.disagree import Point, points
from bot.answers.compare.lines import QUOTED, TextLine, text_lines
from bot.answers.compare.topic import Topic, TopicError, read_topic
from bot.answers.core.context import AnswerContext
from bot.answers.core.model import Answer, AnswerKind, Field, Item, SourceRef
from bot.answers.core.text import shorten
from bot.store.sources import SourceRecord

TITLE = 240  # characters; Discord's embed title allows 256
LINE = 900  # characters of a line's sentence (Discord fields hold 1024)
VALUE = 300  # characters of a sentence under a disagreement


def compare(ctx: AnswerContext, typed: str | None) -> Answer:
    try:
        topic = read_topic(ctx, typed)
    except TopicError as error:
        return Answer(AnswerKind.ERROR, error.title, error.message)
    # Repeats of a topic (and the same topic typed again in a discussion) are free until
    # the next ingest.
    return ctx.cards.get(ctx.store, ("compare", topic.text.casefold()),
                         lambda: comparison(ctx, topic))


def comparison(ctx: AnswerContext, topic: Topic) -> Answer:
    """The comparison itself, uncached (the benchmark measures this)."""
    asked = shorten(topic.text, 100)
    if topic.question.unknown or not topic.groups:
        return _nothing(topic, asked)
    speaking, silent = text_lines(ctx, topic)
    if not speaking:
        return _nothing(topic, asked)
    found = points(ctx, topic, speaking)
    disagreements = [p for p in found if not p.agree]
    total = len(speaking) + len(silent)
    summary = (f"{len(speaking)} of {total} texts speak of it, the fullest first. ")
    if disagreements:
        summary += (f"They disagree on {len(disagreements)} point"
                    f"{'s' if len(disagreements) > 1 else ''}, marked below.")
    elif len(speaking) > 1:
        summary += "I found no point on which they disagree."
    fields = [_point_field(p) for p in found]
    if silent:
        fields.append(Field("Silent", "\n".join(f"{_name(s)}: nothing on this"
                                                for s in silent)))
    if topic.corrections:
        fields.append(Field("Read", ", ".join(f"“{typed}” as {read}"
                                              for typed, read in topic.corrections[:5])))
    items = [_line_item(line) for line in speaking]
    return Answer(AnswerKind.COMPARE, shorten(f"What the texts say about “{topic.text}”", TITLE),
                  summary.strip(), fields=fields, items=items,
                  sources=[item.source for item in items if item.source])


def _nothing(topic: Topic, asked: str) -> Answer:
    unknown = ", ".join(f"“{w}”" for w in topic.question.unknown[:3])
    why = f" The texts never use {unknown}." if unknown else ""
    return Answer(AnswerKind.NOT_FOUND, "None of the texts speaks of that",
                  f"No sentence of the texts is about “{asked}”.{why} Try a word the essays "
                  "use, e.g. `/compare Kronstadt` or `/compare permanent revolution`.",
                  suggestions=["/compare Kronstadt", "/compare permanent revolution"])


def _line_item(line: TextLine) -> Item:
    hit = line.best.hit
    bits = [_name(line.source), line.source.author or "author not named"]
    if hit.section_title:
        bits.append(hit.section_title)
    quoted = " (quoting)" if hit.kind in QUOTED else ""
    more = len(line.readings) - 1
    also = f" · {more} more sentence{'s' if more > 1 else ''} on it" if more else ""
    return Item(title=shorten(" — ".join(bits), 200) + quoted + also,
                body=shorten(hit.text, LINE), source=SourceRef.of(hit))


def _point_field(point: Point) -> Field:
    label = "They agree" if point.agree else "Disagreement"
    name = f"{label} — {point.kind}: {shorten(point.about, 120)}"
    values = "\n".join(f"{'•' if point.agree else '≠'} {v.value} — {_where(v.source)}: "
                       f"“{shorten(v.sentence, VALUE)}”" for v in point.values)
    return Field(name, shorten(values, 1024))


def _where(ref: SourceRef) -> str:
    place = f", paragraph {ref.paragraph + 1}" if ref.paragraph is not None else ""
    return f"{short_title(ref.title)}{place}"


def _name(source: SourceRecord) -> str:
    title = short_title(source.title)
    return f"{title} ({source.publication})" if source.publication else title


def short_title(title: str) -> str:
    """'To Lead the People' for 'To Lead the People: Notes on the Russian Revolution: Part II';
    a title that is all a quotation keeps what follows it ("– the life of Leon Trotsky")."""
    head = re.split(r":\s", title, maxsplit=1)[0].strip("“”\" ")
    if title.startswith("“") and "”" in title:
        tail = title.rsplit("”", 1)[1].strip(" –-")
        head = tail[:1].upper() + tail[1:] if tail else head
    return head or title
