"""Where `python -m bot` and the `readbot` script start: the command line's imports made
without the cyclic garbage collector, which then leaves what they built alone.

Importing the bot (SQLAlchemy, its models, pydantic, the answers) builds about 100,000 objects
that live as long as the process, and the collector walked them again and again while they
were built: about 70 ms of the 580 ms CPU of ``ask "/who Lenin"``, for 1,800 objects of
garbage (measured with ``gc.callbacks``). So the imports run with it off; ``gc.freeze()``
then moves their objects out of its sight for good (the same for ``run``, which lives for
weeks: they are never garbage), and it runs as usual from there on.

First, ``ask "/who ..."`` is offered to the SQLite read path (bot/cli/quick.py), which answers
without importing any of that when the store is in order; it declines, having printed
nothing, whenever the full path is needed.
"""

from __future__ import annotations

import gc
import sys


def main() -> int:
    gc.disable()
    try:
        from bot.cli.quick import answer_quickly

        quick = answer_quickly(sys.argv[1:])
        if quick is not None:
            return quick
        from bot.cli.main import main as run_command
    finally:
        gc.freeze()
        gc.enable()
    return run_command()
