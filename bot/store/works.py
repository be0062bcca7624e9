"""Read repository for the works the texts cite, as plain records (the texts themselves are
``bot.store.sources``).

"Who wrote Ten Days that Shook the World?" and "when was the Red Flag essay published?" are
answered from these: a text's own metadata, and every work its notes and reference lists name.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, select, union

from bot.store.models import Citation, Note, Reference, Source


@dataclass(frozen=True, slots=True)
class CitedWork:
    author: str
    title: str
    full: str  # the reference as the note or list prints it
    source_slug: str  # the text that cites it


class WorkRepository:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def cited_works(self) -> list[CitedWork]:
        """Every (author, title) a note, citation or reference list names, once each."""
        parts = [
            select(table.work_author.label("author"), table.work_title.label("title"),
                   table.work_full.label("full"), Source.slug)
            .join(Source, Source.id == table.source_id)
            .where(table.work_author.is_not(None), table.work_title.is_not(None))
            for table in (Note, Citation)
        ]
        parts.append(select(Reference.author, Reference.title, Reference.full, Source.slug)
                     .join(Source, Source.id == Reference.source_id)
                     .where(Reference.author.is_not(None), Reference.title.is_not(None)))
        with self._engine.connect() as connection:
            rows = connection.execute(union(*parts)).all()
        seen: dict[tuple[str, str], CitedWork] = {}
        # every part filters out a missing author or title, so neither is None here
        for row in sorted(rows, key=lambda r: (r[0], r[1], r[3])):
            author, title, full, slug = str(row[0]), str(row[1]), row[2] or "", row[3]
            seen.setdefault((author, title), CitedWork(author, title, full, slug))
        return list(seen.values())
