"""readbot: a study companion for a reading group on Trotsky's *The Revolution Betrayed*."""

__version__ = "0.1.0"
