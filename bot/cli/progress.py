"""Ingest progress on the CLI: a progress bar on a terminal, plain lines anywhere else."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from tqdm import tqdm

#: (texts stored so far, texts to store), as bot.store.ingest reports them.
TextsDone = Callable[[int, int], None]


@contextmanager
def texts_bar(stream: TextIO | None = None) -> Iterator[TextsDone | None]:
    """A ``texts_done`` callback drawing a bar (texts done of total, rate, time left) when
    ``stream`` is a terminal; None otherwise, so that ingest prints a line per tenth instead
    (a log or a pipe gets no carriage returns)."""
    stream = stream or sys.stderr
    if not stream.isatty():
        yield None
        return
    bars: list[tqdm] = []

    def done(count: int, total: int) -> None:
        if not bars:
            from tqdm import tqdm  # only a terminal that ingests pays for the import

            bars.append(tqdm(total=total, desc="ingest", unit="text", file=stream,
                             dynamic_ncols=True, leave=True))
        bar = bars[0]
        bar.update(count - bar.n)

    try:
        yield done
    finally:
        for bar in bars:
            bar.close()
