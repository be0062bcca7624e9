"""Benchmarks: ingest time and memory, /search latency, against a rapidfuzz scan baseline.

Run ``python -m bench.run`` from the repository root; see docs/benchmarks.md.
"""
