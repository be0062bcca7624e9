"""How a text is named under a quotation, a prompt or an answer, the same way everywhere:
'Jason Dawsey · Platypus Review 112 · December 2018'."""

from __future__ import annotations

from bot.corpus.model import PartialDate
from bot.store.sources import SourceRecord


def published(iso: str | None) -> str | None:
    """'December 2018' for '2018-12'; None when the text gives no date."""
    return PartialDate(*(int(p) for p in iso.split("-"))).display() if iso else None


def date_label(iso: str, precision: str) -> str:
    """'November 1927 (month)': a stated date with how precisely the text states it."""
    return f"{published(iso) or iso} ({precision})"


def byline_of(author: str | None, publication: str | None, published_iso: str | None) -> str:
    bits = [author or "author not named", publication, published(published_iso)]
    return " · ".join(b for b in bits if b)


def byline(source: SourceRecord) -> str:
    return byline_of(source.author, source.publication, source.published_iso)
