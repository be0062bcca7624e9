"""Initial schema: the parsed corpus (source and its children) and SQLite FTS5 search tables.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-22

Migrations are frozen history: they spell out every column instead of importing the models,
so later model changes never rewrite what an old revision did.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.store.fts_schema import create_fts, drop_fts

revision: str = "0001_initial"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Porter stemming ("bureaucracies" finds "bureaucracy") over unicode61 with diacritics folded
# ("Coyoacán" finds "Coyoacan"): see bot/store/fts_schema.py.


def _fk(
    table: str,
    column: str,
    target: str,
    *,
    ondelete: str,
    nullable: bool = False,
    index: bool = False,
) -> list[sa.schema.SchemaItem]:
    """A foreign-key column with the constraint (and optional index) named by the convention.

    Names matter for later migrations: SQLite batch mode and PostgreSQL drop constraints by name.
    """
    items: list[sa.schema.SchemaItem] = [
        sa.Column(column, sa.Integer(), nullable=nullable),
        sa.ForeignKeyConstraint(
            [column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete=ondelete
        ),
    ]
    if index:
        items.append(sa.Index(f"ix_{table}_{column}", column))
    return items


def _source_id(table: str, *, index: bool = False) -> list[sa.schema.SchemaItem]:
    return _fk(table, "source_id", "source", ondelete="CASCADE", index=index)


def _id(table: str) -> list[sa.schema.SchemaItem]:
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=f"pk_{table}"),
    ]


def _unique(table: str, *columns: str) -> sa.UniqueConstraint:
    return sa.UniqueConstraint(*columns, name=f"uq_{table}_{'_'.join(columns)}")


def _work_columns() -> list[sa.Column]:
    return [
        sa.Column("work_full", sa.Text(), nullable=True),
        sa.Column("work_author", sa.Text(), nullable=True),
        sa.Column("work_title", sa.Text(), nullable=True),
        sa.Column("page", sa.Text(), nullable=True),
    ]


def upgrade() -> None:
    _create_tables()
    if op.get_bind().dialect.name == "sqlite":
        _create_sqlite_fts()
    # A PostgreSQL branch (tsvector columns + GIN indexes) goes here when that backend lands.


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _drop_sqlite_fts()
    for table in ("quotation", "citation", "passage", "section", "reference", "note"):
        op.drop_table(table)
    op.drop_table("store_meta")
    op.drop_table("source")


def _create_tables() -> None:
    op.create_table(
        "source",
        *_id("source"),
        sa.Column("slug", sa.String(80), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("subtitle", sa.Text(), nullable=True),
        sa.Column("author", sa.Text(), nullable=True),
        sa.Column("publication", sa.Text(), nullable=True),
        sa.Column("published_iso", sa.String(10), nullable=True),
        sa.Column("published_precision", sa.String(5), nullable=True),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("principal_work_full", sa.Text(), nullable=True),
        sa.Column("principal_work_author", sa.Text(), nullable=True),
        sa.Column("principal_work_title", sa.Text(), nullable=True),
        sa.Column("path", sa.String(500), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("file_size", sa.BigInteger(), nullable=False),
        sa.Column("file_mtime_ns", sa.BigInteger(), nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("section_count", sa.Integer(), nullable=False),
        sa.Column("passage_count", sa.Integer(), nullable=False),
        sa.Column("quotation_count", sa.Integer(), nullable=False),
        sa.Column("note_count", sa.Integer(), nullable=False),
        sa.Column("citation_count", sa.Integer(), nullable=False),
        sa.Column("citations_unresolved", sa.Integer(), nullable=False),
        sa.Column("warnings", sa.JSON(), nullable=False),
        _unique("source", "slug"),
        _unique("source", "path"),
    )
    op.create_table(
        "store_meta",
        sa.Column("key", sa.String(100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_store_meta"),
    )
    op.create_table(
        "section",
        *_id("section"),
        *_source_id("section"),
        sa.Column("index", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        _unique("section", "source_id", "index"),
    )
    op.create_table(
        "passage",
        *_id("passage"),
        *_source_id("passage"),
        *_fk("passage", "section_id", "section", ondelete="CASCADE", nullable=True, index=True),
        sa.Column("index", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("sentences", sa.JSON(), nullable=False),
        _unique("passage", "source_id", "index"),
    )
    op.create_table(
        "citation",
        *_id("citation"),
        *_source_id("citation", index=True),
        *_fk("citation", "passage_id", "passage", ondelete="CASCADE", nullable=False, index=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("marker", sa.Text(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        *_work_columns(),
        sa.Column("note_number", sa.Integer(), nullable=True),
        sa.Column("quoted_in", sa.Boolean(), nullable=False),
        sa.Column("resolved", sa.Boolean(), nullable=False),
        sa.Column("display", sa.Text(), nullable=False),
    )
    op.create_table(
        "quotation",
        *_id("quotation"),
        *_source_id("quotation", index=True),
        *_fk("quotation", "passage_id", "passage", ondelete="CASCADE", nullable=False, index=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("signature", sa.Text(), nullable=True),
        *_fk(
            "quotation", "citation_id", "citation", ondelete="SET NULL", nullable=True, index=True
        ),
    )
    op.create_table(
        "note",
        *_id("note"),
        *_source_id("note"),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        *_work_columns(),
        sa.Column("quoted_in", sa.Boolean(), nullable=False),
        sa.Index("ix_note_source_id_number", "source_id", "number"),
    )
    op.create_table(
        "reference",
        *_id("reference"),
        *_source_id("reference"),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("full", sa.Text(), nullable=False),
        sa.Column("author", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        _unique("reference", "source_id", "position"),
    )


_FTS = {
    "passage_fts": ("passage", ("text",)),
    "quotation_fts": ("quotation", ("text", "signature")),
}


def _create_sqlite_fts() -> None:
    for fts, (content, columns) in _FTS.items():
        create_fts(op.execute, fts, content, columns)
    # A quotation's own words count more than the name under an epigraph.
    op.execute("INSERT INTO quotation_fts(quotation_fts, rank) VALUES ('rank', 'bm25(1.0, 0.5)')")


def _drop_sqlite_fts() -> None:
    for fts, (content, _columns) in _FTS.items():
        drop_fts(op.execute, fts, content)
