"""/who: people cards, from the curated registry and the mentions ingest stored."""
