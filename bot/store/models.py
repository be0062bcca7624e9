"""The store's tables, as SQLAlchemy 2.x typed declarative models.

One row per thing the parser found: a ``Source`` per text, then its sections, passages (one per
paragraph), quotations, citations, notes and reference-list entries. Every child row points at
its source with ``ON DELETE CASCADE``, so replacing a text is one ``DELETE FROM source``.

Alembic owns the schema (``bot/store/migrations``); these models are the code's view of it and
the ``target_metadata`` for autogenerate. A test checks that the two agree.

Later tables (person, alias, mention, event, prompt, guild settings, prompt post) belong here too,
each with its own migration; person mentions will point at ``passage.id``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Named constraints let later migrations drop or alter them by name (SQLite batch mode and
# PostgreSQL both need a name to refer to).
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Full-text tables live outside the ORM: they are SQLite virtual tables created by the migration.
FTS_TABLES = ("passage_fts", "quotation_fts", "sentence_fts")
# Read-only views of an FTS5 index (fts5vocab): not content, not compared with the models.
FTS_VIEWS = ("sentence_vocab",)


class Base(DeclarativeBase):
    """The rebuildable corpus index: everything here can be made again from corpus/."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class StateBase(DeclarativeBase):
    """Server state: what moderators and the scheduler wrote, which no corpus can rebuild.

    Its own metadata and its own migrations (``bot/store/state_migrations``), in a database
    of its own on SQLite (``bot/store/state.py``), so that deleting or rebuilding the index
    can never lose it. New server-state tables (a reading plan, ...) subclass this."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _source_fk(*, indexed: bool = True) -> Mapped[int]:
    """The owning source; indexed because deleting a source looks children up by it."""
    return mapped_column(ForeignKey("source.id", ondelete="CASCADE"), index=indexed)


class Source(Base):
    """One text of the corpus, with its metadata and what ingest needs to tell if it changed."""

    __tablename__ = "source"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(Text)
    subtitle: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    publication: Mapped[str | None] = mapped_column(Text)
    published_iso: Mapped[str | None] = mapped_column(String(10))  # "1937", "1937-05", ...
    published_precision: Mapped[str | None] = mapped_column(String(5))  # year | month | day
    kind: Mapped[str] = mapped_column(Text)
    # What bare page references such as "(190)" point at.
    principal_work_full: Mapped[str | None] = mapped_column(Text)
    principal_work_author: Mapped[str | None] = mapped_column(Text)
    principal_work_title: Mapped[str | None] = mapped_column(Text)

    # Change detection: path relative to the texts folder, sha256 of the file's bytes, and the
    # size and mtime seen at ingest so that a status check need not read unchanged files.
    path: Mapped[str] = mapped_column(String(500), unique=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    file_size: Mapped[int] = mapped_column(BigInteger)
    file_mtime_ns: Mapped[int] = mapped_column(BigInteger)
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    # Counts kept with the source so that totals and `/sources` never scan the big tables.
    section_count: Mapped[int] = mapped_column(Integer, default=0)
    passage_count: Mapped[int] = mapped_column(Integer, default=0)
    quotation_count: Mapped[int] = mapped_column(Integer, default=0)
    note_count: Mapped[int] = mapped_column(Integer, default=0)
    citation_count: Mapped[int] = mapped_column(Integer, default=0)
    citations_unresolved: Mapped[int] = mapped_column(Integer, default=0)
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Person-like names in the text that corpus/people.yaml lacks, so the registry can grow.
    unknown_names: Mapped[list[str]] = mapped_column(JSON, default=list)

    sections: Mapped[list[Section]] = relationship(
        back_populates="source", passive_deletes=True, order_by="Section.index"
    )
    passages: Mapped[list[Passage]] = relationship(
        back_populates="source", passive_deletes=True, order_by="Passage.index"
    )


class Section(Base):
    """A heading and the paragraphs under it; index 0 may be untitled (text before a heading)."""

    __tablename__ = "section"
    __table_args__ = (UniqueConstraint("source_id", "index"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = _source_fk(indexed=False)  # the unique key's index serves
    index: Mapped[int] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(Text)

    source: Mapped[Source] = relationship(back_populates="sections")


class Passage(Base):
    """One paragraph (body text, block quote, epigraph, note or reference entry)."""

    __tablename__ = "passage"
    __table_args__ = (UniqueConstraint("source_id", "index"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = _source_fk(indexed=False)  # the unique key's index serves
    section_id: Mapped[int | None] = mapped_column(
        ForeignKey("section.id", ondelete="CASCADE"), index=True
    )
    index: Mapped[int] = mapped_column(Integer)  # paragraph index within the text
    kind: Mapped[str] = mapped_column(String(20))  # BlockKind value
    text: Mapped[str] = mapped_column(Text)
    line: Mapped[int] = mapped_column(Integer)  # 1-based line in the source file
    sentences: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [[start, end], ...]

    source: Mapped[Source] = relationship(back_populates="passages")
    section: Mapped[Section | None] = relationship()
    citations: Mapped[list[Citation]] = relationship(
        back_populates="passage", passive_deletes=True, order_by="Citation.start"
    )
    quotations: Mapped[list[Quotation]] = relationship(
        back_populates="passage", passive_deletes=True, order_by="Quotation.start"
    )


class Sentence(Base):
    """One sentence of a passage: what plain questions are answered from (migration 0007).

    Ingest hands out ids in reading order, so within one text ``id - 1`` and ``id + 1`` are
    the sentences before and after: neighbours cost an index lookup, not a re-split.
    """

    __tablename__ = "sentence"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = _source_fk()
    passage_id: Mapped[int] = mapped_column(
        ForeignKey("passage.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)  # 0-based within its passage
    start: Mapped[int] = mapped_column(Integer)  # span in the passage's text
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)


class Citation(Base):
    """A pointer in a passage to where words come from, resolved to a work where possible."""

    __tablename__ = "citation"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = _source_fk()
    passage_id: Mapped[int] = mapped_column(
        ForeignKey("passage.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))  # CitationKind value
    marker: Mapped[str] = mapped_column(Text)  # as printed: "17", "(Trotsky, 66)"
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    work_full: Mapped[str | None] = mapped_column(Text)
    work_author: Mapped[str | None] = mapped_column(Text)
    work_title: Mapped[str | None] = mapped_column(Text)
    page: Mapped[str | None] = mapped_column(Text)
    note_number: Mapped[int | None] = mapped_column(Integer)
    quoted_in: Mapped[bool] = mapped_column(Boolean, default=False)
    resolved: Mapped[bool] = mapped_column(Boolean, default=False)
    display: Mapped[str] = mapped_column(Text)  # the full reference, ready to show

    passage: Mapped[Passage] = relationship(back_populates="citations")


class Quotation(Base):
    """Words quoted in a passage (inline, block or epigraph) and the citation that sources them."""

    __tablename__ = "quotation"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = _source_fk()
    passage_id: Mapped[int] = mapped_column(
        ForeignKey("passage.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))  # QuoteKind value
    text: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    signature: Mapped[str | None] = mapped_column(Text)  # an epigraph's "— Friedrich Engels"
    citation_id: Mapped[int | None] = mapped_column(
        ForeignKey("citation.id", ondelete="SET NULL"), index=True
    )
    # Attribution (bot/corpus/attribution.py): a canonical person name, "the essay's author",
    # or None (unattributed); the method and evidence let a wrong attribution be traced.
    speaker: Mapped[str | None] = mapped_column(Text, index=True)
    speaker_confidence: Mapped[float] = mapped_column(Float, default=0.0)
    attribution_method: Mapped[str] = mapped_column(String(20), default="none")
    attribution_evidence: Mapped[str | None] = mapped_column(Text)
    # Who quotes these words, innermost quoter first, joined by records.QUOTED_BY_SEPARATOR ("" at
    # the top level); an unnamed source in the text's own words ("One report").
    quoted_by: Mapped[str] = mapped_column(Text, default="", server_default="")
    source_words: Mapped[str | None] = mapped_column(Text)

    passage: Mapped[Passage] = relationship(back_populates="quotations")
    citation: Mapped[Citation | None] = relationship()


class Note(Base):
    """An endnote or bracketed note, with 'op. cit.' and 'Ibid.' already resolved by the parser."""

    __tablename__ = "note"
    __table_args__ = (Index(None, "source_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = _source_fk(indexed=False)  # (source_id, number) index serves
    number: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    work_full: Mapped[str | None] = mapped_column(Text)
    work_author: Mapped[str | None] = mapped_column(Text)
    work_title: Mapped[str | None] = mapped_column(Text)
    page: Mapped[str | None] = mapped_column(Text)
    quoted_in: Mapped[bool] = mapped_column(Boolean, default=False)


class Reference(Base):
    """One entry of a text's reference list or bibliography, in its printed order."""

    __tablename__ = "reference"
    __table_args__ = (UniqueConstraint("source_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = _source_fk(indexed=False)  # the unique key's index serves
    position: Mapped[int] = mapped_column(Integer)
    full: Mapped[str] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)


class StoreMeta(Base):
    """Key/value bookkeeping, e.g. the parser fingerprint the index was built with."""

    __tablename__ = "store_meta"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Mention(Base):
    """A registered person named in a passage (found at ingest; counts and co-mentions)."""

    __tablename__ = "mention"
    __table_args__ = (Index(None, "person", "source_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = _source_fk()
    passage_id: Mapped[int] = mapped_column(
        ForeignKey("passage.id", ondelete="CASCADE"), index=True
    )
    person: Mapped[str] = mapped_column(Text)  # canonical name from corpus/people.yaml
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)


class DateMention(Base):
    """A date the text states (bot/corpus/dates.py), with its sentence and the people in it."""

    __tablename__ = "date_mention"
    __table_args__ = (Index(None, "year_start", "year_end"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = _source_fk()
    passage_id: Mapped[int] = mapped_column(
        ForeignKey("passage.id", ondelete="CASCADE"), index=True
    )
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(10))  # day|month|season|year|range|decade|relative
    precision: Mapped[str] = mapped_column(String(10))
    date_iso: Mapped[str] = mapped_column(String(10))  # "1924-01-21", "1921-03", "1921"
    until_iso: Mapped[str | None] = mapped_column(String(10))  # end of a range or decade
    year_start: Mapped[int] = mapped_column(Integer)
    year_end: Mapped[int] = mapped_column(Integer)
    sentence_start: Mapped[int] = mapped_column(Integer)
    sentence_end: Mapped[int] = mapped_column(Integer)
    people: Mapped[list[str]] = mapped_column(JSON, default=list)


# --- server state (state migrations; first made by index migrations 0005 and 0006) ----------
# None of these tables points at source rows: moderators' prompts and the post history must
# survive any re-ingest, so they name texts by slug and prompts by a stable key instead.


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime on every backend.

    SQLite keeps no offset, so values are stored as naive UTC and given back their UTC tzinfo
    on the way out; comparing a stored time with ``clock.now()`` then never mixes naive and
    aware values.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("UTCDateTime needs an aware datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class PromptSchedule(StateBase):
    """One server's daily prompt: where, when (local time + IANA zone + weekdays), and state."""

    __tablename__ = "prompt_schedule"

    guild_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    channel_id: Mapped[int] = mapped_column(BigInteger)
    local_time: Mapped[str] = mapped_column(String(5))  # "09:00", in ``timezone``
    timezone: Mapped[str] = mapped_column(String(64))  # IANA name, e.g. "Europe/London"
    days: Mapped[int] = mapped_column(Integer, default=127)  # bit 0 = Monday ... bit 6 = Sunday
    open_thread: Mapped[bool] = mapped_column(Boolean, default=False)
    role_id: Mapped[int | None] = mapped_column(BigInteger)  # pinged with each post if set
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    pause_reason: Mapped[str | None] = mapped_column(Text)
    # Slots before this instant are never posted: a new or resumed schedule does not catch up.
    active_since: Mapped[datetime] = mapped_column(UTCDateTime)
    # When the scheduler should look at this server next (a post, a retry, a claim check).
    next_check_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    note: Mapped[str | None] = mapped_column(Text)  # the latest missed post or partial failure
    updated_by: Mapped[int | None] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PromptPost(StateBase):
    """One server's post for one local date: the key that makes a post happen at most once.

    The row is written (status ``claimed``) in its own transaction before anything is sent;
    the unique (guild_id, local_date) key makes a second claim fail, whichever process or
    restart tries it. Other states: ``retry`` (an attempt failed; ``retry_at`` says when to try
    again), ``sent``, ``failed`` (gave up; the schedule was paused), ``missed`` (past the grace
    period), ``skipped`` (a moderator skipped the day).
    """

    __tablename__ = "prompt_post"
    __table_args__ = (UniqueConstraint("guild_id", "local_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    guild_id: Mapped[int] = mapped_column(BigInteger)
    local_date: Mapped[str] = mapped_column(String(10))  # "2024-03-31" in the server's zone
    scheduled_for: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(10))
    prompt_key: Mapped[str | None] = mapped_column(String(200))
    prompt_text: Mapped[str | None] = mapped_column(Text)  # as posted, if the pool changes later
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    cycle: Mapped[int] = mapped_column(Integer, default=0)  # pass through the pool
    channel_id: Mapped[int | None] = mapped_column(BigInteger)
    claim_token: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    retry_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    thread_id: Mapped[int | None] = mapped_column(BigInteger)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str | None] = mapped_column(Text)


class CustomPrompt(StateBase):
    """A prompt a moderator added, or a member suggested (``pending`` until reviewed)."""

    __tablename__ = "custom_prompt"
    __table_args__ = (Index(None, "guild_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    guild_id: Mapped[int] = mapped_column(BigInteger)
    question: Mapped[str] = mapped_column(Text)
    source_slug: Mapped[str | None] = mapped_column(String(80))  # no foreign key, on purpose
    evidence: Mapped[str | None] = mapped_column(Text)  # a phrase of that text it is about
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(10))  # active | pending | declined | removed
    author_id: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reviewed_by: Mapped[int | None] = mapped_column(BigInteger)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    duplicate_of: Mapped[str | None] = mapped_column(Text)  # the near-duplicate's question
    duplicate_score: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text)  # e.g. why a suggestion was declined


class GuildSetting(StateBase):
    """A per-server switch set by a moderator (``/config``); kept across re-ingests."""

    __tablename__ = "guild_setting"

    guild_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class ReadingPlan(StateBase):
    """A server's reading plan: server state, like the prompt schedule (state migration 0002).

    It names its text by slug and its sections by title, never by row id and with no foreign
    key to ``source`` or ``section``: ingest replaces a changed text with ``DELETE FROM
    source`` and its cascade, which must not take the group's plan with it.
    """

    __tablename__ = "reading_plan"

    guild_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    source_slug: Mapped[str] = mapped_column(String(80))
    sections: Mapped[list[str]] = mapped_column(JSON, default=list)  # titles, reading order
    start_date: Mapped[str] = mapped_column(String(10))  # local date, "2024-01-08"
    timezone: Mapped[str] = mapped_column(String(64))  # IANA name
    per_week: Mapped[int | None] = mapped_column(Integer)  # pace; None: a target date
    target_date: Mapped[str | None] = mapped_column(String(10))  # every section read by then
    advanced: Mapped[int] = mapped_column(Integer, default=0)  # sections moved on by hand
    paused_on: Mapped[str | None] = mapped_column(String(10))  # local date; None: running
    paused_days: Mapped[int] = mapped_column(Integer, default=0)  # days of earlier pauses
    updated_by: Mapped[int | None] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


#: The server-state tables, which the index's migrations and autogenerate leave alone.
STATE_TABLES: tuple[str, ...] = tuple(StateBase.metadata.tables)
