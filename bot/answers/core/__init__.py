"""The small shared core every feature uses: the answer model, the context of resources,
text helpers, the per-ingest cache and its change stamp."""
