"""The ``add`` command's report: what was written where, or why a file was refused.

Kept out of main.py (the commands' dispatch) so that file stays small; the work itself is
bot/corpus/formats/adding.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bot.corpus.errors import CorpusError
from bot.corpus.formats.adding import Added, add_text, files_in, shown

EXIT_OK, EXIT_USAGE = 0, 2


def add_files(texts_dir: Path, paths: list[Path], *, replace: bool = False,
              slug: str | None = None) -> int:
    """Add every file named (a folder: its files); 0 when all were added, else 2."""
    files: list[Path] = []
    for path in paths:
        found, skipped = files_in(path)
        files.extend(found)
        for other in skipped:
            print(f"Skipped {other}: not a text (I read EPUB, HTML, PDF, Markdown and .txt)")
    if slug and len(files) > 1:
        print("--slug names one text; give one file with it", file=sys.stderr)
        return EXIT_USAGE
    if not files:
        print("Nothing to add: no EPUB, HTML, PDF, Markdown or .txt file there", file=sys.stderr)
        return EXIT_USAGE
    failed = 0
    for path in files:
        try:
            added = add_text(path, texts_dir, replace=replace, slug=slug)
        except CorpusError as exc:
            failed += 1
            print(f"Not added: {exc}", file=sys.stderr)
            continue
        except Exception as exc:  # a converter's bug on one odd file: name it, go on
            failed += 1
            print(f"Not added: {path}: the converter failed ({type(exc).__name__}: "
                  f"{str(exc)[:200]}); please report it with the file", file=sys.stderr)
            continue
        print(describe(added))
    if len(files) > failed:
        print("The next ask, console or run (or `python -m bot ingest`) indexes it.")
    return EXIT_USAGE if failed else EXIT_OK


def describe(added: Added) -> str:
    verb = "Replaced" if added.replaced else "Added"
    kept = f"; the original is kept as {shown(added.original)}" if added.original else ""
    return (f"{verb} “{added.title}” as {shown(added.text)} (slug {added.slug}: "
            f"{_count(added.sections, 'section')}, {_count(added.notes, 'note')}){kept}.")


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
