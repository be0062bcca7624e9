"""Answers as readable terminal text, or as the documented JSON schema (docs/answers.md)."""

from __future__ import annotations

import json
import textwrap

from bot.answers.core.model import Answer, AnswerKind
from bot.answers.core.text import strip_bidi

WIDTH = 88


def _wrap(text: str, indent: str = "") -> str:
    lines = []
    for paragraph in text.split("\n"):
        lines.append(textwrap.fill(paragraph, WIDTH, initial_indent=indent,
                                   subsequent_indent=indent) if paragraph else "")
    return "\n".join(lines)


def render_text(answer: Answer) -> str:
    """Readable text; bidirectional controls (from what was typed) are dropped, as on
    Discord, so a title echoing "\u202e..." cannot turn a terminal line around."""
    title = strip_bidi(answer.title)
    out = [title, "=" * min(len(title), WIDTH)]
    if answer.body:
        out.append(_wrap(answer.body))
    fields = [f"{field.name}: {field.value}" for field in answer.fields]
    items: list[str] = []
    for number, item in enumerate(answer.listed_items, start=1):
        items.append("")
        items.append(f"{number}. {item.title}")
        items.append(_wrap(item.highlight or item.body, "   "))
        if item.citation:
            items.append(f"   Source: {item.citation}")
        if item.source and item.source.paragraph is not None:
            items.append(f"   [{item.source.slug}, paragraph {item.source.paragraph + 1}]")
    # A comparison reads text by text first, then where they differ.
    if answer.kind is AnswerKind.COMPARE:
        out.extend([*items, "", *fields] if fields else items)
    else:
        out.extend([*fields, *items])
    if answer.suggestions:
        out.append("")
        out.append("Try: " + ", ".join(answer.suggestions))
    return strip_bidi("\n".join(out))


def render_json(answer: Answer) -> str:
    # Dropped from the serialised text: a control character is never JSON syntax.
    return strip_bidi(json.dumps(answer.to_json(), ensure_ascii=False, indent=2))
