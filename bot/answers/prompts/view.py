"""How a prompt and a schedule read: the Answer every surface renders (embed, CLI text, JSON)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot.answers.core.model import Answer, AnswerKind, Field
from bot.answers.core.text import shorten
from bot.answers.prompts.pool import PoolEntry

THREAD_NAME_MAX = 100  # Discord's limit on a thread name


def day_label(day: date) -> str:
    """'Tuesday 5 March 2024' (no platform-specific strftime flags)."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def moment_label(moment: datetime, zone: ZoneInfo | None = None) -> str:
    """'Sun 31 Mar 2024, 09:00 BST' in ``zone``, or in UTC."""
    local = moment.astimezone(zone or UTC)
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M} {local.tzname()}"


def where(entry: PoolEntry) -> str | None:
    """'*Title* — author · publication · date; section “X”, paragraph 4'."""
    ref = entry.source
    if ref is None:
        return None
    line = f"*{ref.title}*"
    if entry.source_line:
        line += f" — {entry.source_line}"
    place = []
    if ref.section:
        place.append(f"section “{ref.section}”")
    if ref.paragraph is not None:
        place.append(f"paragraph {ref.paragraph + 1}")
    return line + (f"; {', '.join(place)}" if place else "")


def reading_line(entry: PoolEntry) -> str | None:
    """'“The Zimmerwald manifesto”, in *“We know our duty”*': the section a prompt belongs
    to, said with the post (a reading group reads by sections)."""
    ref = entry.source
    if ref is None or not ref.section:
        return None
    return f"“{ref.section}”, in *{ref.title}*"


def prompt_answer(entry: PoolEntry, title: str, *, note: str | None = None,
                  reading: str | None = None) -> Answer:
    """A prompt as posted: the question, the section it belongs to (``reading``), the
    passage it is about, where that passage is."""
    fields = [Field("Section", reading)] if reading else []
    if entry.excerpt:
        fields.append(Field("The passage" if entry.origin != "generated" else "The quotation",
                            entry.excerpt))
    location = where(entry)
    if location:
        fields.append(Field("Source", location))
    if entry.tags:
        fields.append(Field("Topics", ", ".join(entry.tags), inline=True))
    if note:
        fields.append(Field("Note", note, inline=True))
    return Answer(AnswerKind.PROMPT, title, entry.question, fields=fields,
                  sources=[entry.source] if entry.source else [], ref=entry.key)


def stored_prompt_answer(text: str, title: str, key: str | None) -> Answer:
    """A posted prompt whose entry left the pool (a removed prompt, an edited text)."""
    return Answer(AnswerKind.PROMPT, title, text, ref=key)


def thread_name(question: str, day: date) -> str:
    prefix = f"{day.day} {day:%b}: "
    return prefix + shorten(" ".join(question.split()), THREAD_NAME_MAX - len(prefix))
