"""Answer -> what a Discord message shows: embeds (one per page) or a short plain reply.

Every limit Discord enforces is met by construction, not checked afterwards: each piece of
text is cut to its own limit and to what is left of the message's 6000-character embed
budget, at a word boundary (``core.text.shorten``) with a pointer to the rest. List answers
are paged, ``PAGE_SIZE`` entries per embed with a "page 1/3" footer, so a long result list
never has to be squeezed into one message. Pure functions: no I/O, no discord.py client.
"""

from __future__ import annotations

from dataclasses import dataclass

import discord

from bot.answers.core.model import Answer, AnswerKind, Item
from bot.answers.core.text import one_line, shorten, strip_bidi
from bot.discord_app.limits import (
    EMBED_DESCRIPTION_MAX,
    EMBED_FIELD_NAME_MAX,
    EMBED_FIELD_VALUE_MAX,
    EMBED_FIELDS_MAX,
    EMBED_TITLE_MAX,
    EMBED_TOTAL_MAX,
)

#: Entries (result items, answer fields) per page: five passages read comfortably on a phone.
PAGE_SIZE = 5
#: A page's description stays short when entries follow, so the entries get the budget.
DESCRIPTION_WITH_ENTRIES_MAX = 1000
#: The footer is a page counter plus citations; it never needs more than this.
FOOTER_MAX = 300
#: A short reply (errors, "nothing found") is short on purpose; well inside limits.CONTENT_MAX.
SHORT_REPLY_MAX = 1000
#: Added where a passage was cut; the location line under it says where the rest is.
CUT_POINTER = " (cut: the rest is in the text)"
#: Answers whose body is the point (a quotation, the paragraph around it) may give it most of
#: the embed, whatever fields follow: these fields are a few short lines.
LONG_BODY_KINDS = frozenset({AnswerKind.QUOTE, AnswerKind.CONTEXT})
LONG_DESCRIPTION_MAX = 3500
#: A quote answer's items are its alternatives: its message has a "More results" button for
#: them, so its own page shows the one quotation.
ITEMS_BEHIND_BUTTON = frozenset({AnswerKind.QUOTE})
#: Where a quotation was cut: its "Context" button shows the paragraph in full.
QUOTE_CUT_POINTER = " (cut: Context shows it all)"
#: An embed field must not be empty; a zero-width space is what Discord clients accept.
EMPTY = "\u200b"

NO_MENTIONS = discord.AllowedMentions.none()

_COLOURS = {
    AnswerKind.SOURCES: discord.Colour.dark_teal(),
    AnswerKind.SEARCH: discord.Colour.dark_red(),
    AnswerKind.HELP: discord.Colour.blurple(),
    AnswerKind.QUOTE: discord.Colour.gold(),
    AnswerKind.QUOTES: discord.Colour.gold(),
    AnswerKind.CONTEXT: discord.Colour.dark_gold(),
}

#: Answers that are about the user's input rather than the texts: shown only to them.
PRIVATE_KINDS = frozenset({AnswerKind.ERROR, AnswerKind.NOT_FOUND})


@dataclass(frozen=True, slots=True)
class Reply:
    """What to send: either ``content`` (a short private reply) or ``pages`` (embeds)."""

    content: str | None = None
    pages: tuple[discord.Embed, ...] = ()
    ephemeral: bool = False

    @property
    def paged(self) -> bool:
        return len(self.pages) > 1


@dataclass(frozen=True, slots=True)
class _Entry:
    """One embed field before it is cut: a name, the text, and a fixed line under it."""

    name: str
    text: str
    tail: str = ""
    inline: bool = False


# ---------------------------------------------------------------- entry point


def render(answer: Answer, *, page_size: int = PAGE_SIZE, private: bool = False) -> Reply:
    """The one way an answer becomes a Discord reply.

    ``private``: the reply is only for the member who asked, whatever the answer. A
    not-found answer that carries its nearest result (a lookup's "closest passage") is then
    shown as an embed with that result, since the short line would drop it and a private
    embed pushes nobody's reading up the channel.
    """
    if answer.kind in PRIVATE_KINDS and not (private and answer.items):
        return Reply(content=render_short(answer), ephemeral=True)
    if answer.kind is AnswerKind.HELP:
        page_size = EMBED_FIELDS_MAX  # the list of commands reads best on one page
    return Reply(pages=tuple(render_pages(answer, page_size=page_size)), ephemeral=private)


def render_short(answer: Answer) -> str:
    """'**Title**\\nBody\\nTry: `a`, `b`' within SHORT_REPLY_MAX characters."""
    title = fit(one_line(answer.title), 200)
    body = fit(answer.body, SHORT_REPLY_MAX - len(title) - 300)
    lines = [f"**{title}**" if title else "", body]
    if answer.suggestions:
        tried = ", ".join(f"`{fit(one_line(s).replace('`', ''), 80)}`" for s in answer.suggestions)
        lines.append(fit(f"Try: {tried}", 290))
    return "\n".join(line for line in lines if line) or EMPTY


def render_pages(answer: Answer, *, page_size: int = PAGE_SIZE) -> list[discord.Embed]:
    """One embed per page of entries (answer fields first, then items); at least one page."""
    page_size = max(1, min(page_size, EMBED_FIELDS_MAX))
    entries = _entries(answer)
    chunks = [entries[i:i + page_size] for i in range(0, len(entries), page_size)] or [[]]
    return [
        _page(answer, chunk, first_number=index * page_size + 1, page=index + 1, pages=len(chunks))
        for index, chunk in enumerate(chunks)
    ]


def fit(text: str, limit: int, more: str = "") -> str:
    """``shorten`` with a hard guarantee that the result has at most ``limit`` characters.

    ``shorten`` adds the ellipsis and ``more`` after a cut, so a pointer that does not leave
    room for real text is dropped, and a limit too small for any word is a plain slice.
    Every text of a reply passes through here, so bidirectional controls are dropped here
    (before measuring: they count against the limit but show nothing).
    """
    text = strip_bidi(text)
    if limit <= 0:
        return ""
    if len(more) > limit // 2:
        more = ""
    cut = shorten(text, limit, more)
    return cut if len(cut) <= limit else cut[:limit]


# ---------------------------------------------------------------- pages


class _Budget:
    """What is left of the 6000 characters Discord allows across a message's embeds."""

    def __init__(self, total: int = EMBED_TOTAL_MAX) -> None:
        self.left = total

    def take(self, text: str, limit: int, more: str = "") -> str:
        taken = fit(text, min(limit, self.left), more)
        self.left -= len(taken)
        return taken

    def spend(self, text: str) -> str:
        self.left -= len(text)
        return text


def _page(answer: Answer, entries: list[_Entry], *, first_number: int, page: int,
          pages: int) -> discord.Embed:
    budget = _Budget()
    # The footer and title are small and always wanted, so they are paid for first; the
    # description and the entries share what is left.
    footer = budget.take(_footer_text(answer, page, pages), FOOTER_MAX)
    title = budget.take(one_line(answer.title), EMBED_TITLE_MAX)
    description = balance_bold(budget.take(answer.body, *_description_limit(answer, entries)))
    if not (title or description or entries):
        description = EMPTY  # Discord refuses an embed with nothing in it
    embed = discord.Embed(title=title or None, description=description or None,
                          colour=_COLOURS.get(answer.kind, discord.Colour.light_grey()))
    numbered = bool(answer.listed_items) and answer.kind not in ITEMS_BEHIND_BUTTON
    for offset, entry in enumerate(entries):
        share = budget.left // (len(entries) - offset)  # equal shares of what is left
        name = entry.name if not numbered else f"{first_number + offset}. {entry.name}"
        _add_entry(embed, budget, entry, name, share)
    if footer:
        embed.set_footer(text=footer)
    return embed


def _description_limit(answer: Answer, entries: list[_Entry]) -> tuple[int, str]:
    """(most characters, pointer added where cut) for the answer's body."""
    if answer.kind in LONG_BODY_KINDS:
        pointer = QUOTE_CUT_POINTER if answer.kind is AnswerKind.QUOTE else ""
        return LONG_DESCRIPTION_MAX, pointer
    return (DESCRIPTION_WITH_ENTRIES_MAX if entries else EMBED_DESCRIPTION_MAX), ""


def _add_entry(embed: discord.Embed, budget: _Budget, entry: _Entry, name: str,
               share: int) -> None:
    name_text = budget.take(one_line(name), min(EMBED_FIELD_NAME_MAX, max(1, share // 4))) or EMPTY
    room = min(EMBED_FIELD_VALUE_MAX, share - len(name_text))
    tail = fit(entry.tail, min(200, room // 3))
    text_room = room - len(tail) - (1 if tail else 0)
    text = balance_bold(fit(entry.text, text_room, CUT_POINTER))
    value = "\n".join(part for part in (text, tail) if part) or EMPTY
    budget.spend(value)
    embed.add_field(name=name_text, value=value, inline=entry.inline)


def balance_bold(text: str) -> str:
    """Drop a ``**`` left open by a cut, so the rest of the embed is not rendered bold."""
    if text.count("**") % 2:
        index = text.rfind("**")
        text = text[:index] + text[index + 2:]
    return text


def _footer_text(answer: Answer, page: int, pages: int) -> str:
    bits = [f"page {page}/{pages}"] if pages > 1 else []
    shown = " ".join(f.value for f in answer.fields)
    citations = [c for c in answer.citations if c not in shown]  # not twice on one page
    if citations:
        bits.append("Sources: " + "; ".join(one_line(c) for c in citations))
    if answer.suggestions and answer.kind is not AnswerKind.HELP:
        bits.append("Try: " + ", ".join(one_line(s) for s in answer.suggestions))
    return " · ".join(bits)


# ---------------------------------------------------------------- entries


def _entries(answer: Answer) -> list[_Entry]:
    entries = [_Entry(f.name, f.value, inline=f.inline) for f in answer.fields]
    if answer.kind in ITEMS_BEHIND_BUTTON:
        return entries
    items = [_item_entry(item) for item in answer.listed_items]
    if answer.kind is AnswerKind.COMPARE:  # text by text first, then where they differ
        return items + entries
    return entries + items


def _item_entry(item: Item) -> _Entry:
    """A result: its (highlighted) text, then where it is, as the CLI shows it."""
    return _Entry(item.title, item.highlight or item.body, tail=_location(item))


def _location(item: Item) -> str:
    """Where the item is, then its citation; the location comes first so a cut keeps it."""
    bits = []
    source = item.source
    if source is not None:
        where = f"paragraph {source.paragraph + 1} of " if source.paragraph is not None else ""
        bits.append(f"*{where}`{source.slug}`*")
    if item.citation:
        bits.append(f"Source: {one_line(item.citation)}")
    return "\n".join(bits)
