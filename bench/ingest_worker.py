"""One fresh ingest in its own process, so its peak RSS is the ingest's and nothing else's.

``python -m bench.ingest_worker TEXTS_DIR DB_FILE`` prints one JSON line: duration, counts and
``maxrss_kb``. ``--baseline`` only imports the project and reports its RSS, for comparison.
"""

from __future__ import annotations

import json
import resource
import sys
from pathlib import Path


def _maxrss_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KB on Linux


def main(argv: list[str]) -> dict[str, object]:
    # Same imports in both modes, so the difference in RSS is the ingest itself.
    from bot.services import open_services  # noqa: F401  (loads every layer of the project)
    from bot.store.database import create_engine_for
    from bot.store.ingest import ingest

    if argv == ["--baseline"]:
        return {"maxrss_kb": _maxrss_kb()}
    texts_dir, db_file = (Path(arg) for arg in argv)
    engine = create_engine_for(f"sqlite:///{db_file}")
    try:
        report = ingest(engine, texts_dir)
    finally:
        engine.dispose()
    return {
        "duration_s": report.duration,
        "texts": report.totals.texts,
        "passages": report.totals.passages,
        "summary": report.summary(),
        "maxrss_kb": _maxrss_kb(),
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
