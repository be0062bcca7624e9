"""The store: SQLAlchemy models, Alembic migrations, ingest and full-text search. No Discord.

- ``database``: ``create_engine_for``, ``session_factory``, ``migrate``, ``write_transaction``
- ``ingest``: ``ingest``, ``index_status``, ``IngestReport``, ``IngestError``
- ``search``: ``SearchBackend``, ``Fts5Search``, ``search_backend_for``, ``PassageHit``,
  ``QuotationHit``, ``parse_query``
- ``models``: the tables; ``rows``: ParsedText -> row dicts
"""
