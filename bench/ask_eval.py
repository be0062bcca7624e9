"""How well plain questions are answered, on the labelled sets in tests/labelled/, scored strictly.

    python -m bench.ask_eval                    # tests/labelled/ask_cases.yaml, with failures
    python -m bench.ask_eval --heldout          # tests/labelled/ask_heldout.yaml, figures only
    python -m bench.ask_eval --cases tests/labelled/ask_cases_more.yaml   # the second set
    python -m bench.ask_eval --all --markdown   # all three, as Markdown tables (docs/ask.md)

Each question is asked as a member asks it (``bot.answers.conversation.router.ask``: the CLI,
console, mention and /ask path), each in a fresh conversation. The rule (tests/labelled/README.md):

- an answerable case passes only when the headline carries one of ``answer`` (all of
  ``answer_all``) and a supporting sentence shown contains one of ``evidence``; a refusal
  ("not found", "nearest", "who do you mean?") fails it;
- an unanswerable case passes only with an honest refusal (``not_found`` or ``nearest``).

The headline is the answer's title; for a quotation (kind ``quote``) the quoted words are
part of it, since the words are what "what did X say about Y?" asks for. What is shown is the
body, the first three items and the fields.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if not __package__:  # run as `python bench/ask_eval.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import yaml

from bot.answers.conversation.router import ask
from bot.answers.core.context import AnswerContext
from bot.answers.core.model import Answer, AnswerKind

REPO = Path(__file__).resolve().parent.parent
CASES = REPO / "tests" / "labelled" / "ask_cases.yaml"
HELDOUT = REPO / "tests" / "labelled" / "ask_heldout.yaml"
MORE = REPO / "tests" / "labelled" / "ask_cases_more.yaml"  # a second set, written later
REFUSALS = frozenset({AnswerKind.NOT_FOUND, AnswerKind.NEAREST})
#: Targets from the issue (#11): overall, per shape, and every unanswerable refused.
OVERALL_TARGET, SHAPE_TARGET = 0.95, 0.85


@dataclass(frozen=True, slots=True)
class Case:
    id: str
    shape: str
    q: str
    answer: tuple[str, ...] = ()
    answer_all: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()

    @property
    def answerable(self) -> bool:
        return self.shape != "unanswerable"

    @classmethod
    def of(cls, data: dict[str, Any]) -> Case:
        def strings(key: str) -> tuple[str, ...]:
            value = data.get(key) or ()
            return (value,) if isinstance(value, str) else tuple(str(v) for v in value)

        return cls(str(data["id"]), str(data["shape"]), str(data["q"]), strings("answer"),
                   strings("answer_all"), strings("evidence"))


@dataclass(frozen=True, slots=True)
class Outcome:
    case: Case
    passed: bool
    why: str  # empty when passed
    kind: str
    headline: str


def load_cases(path: Path) -> list[Case]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Case.of(entry) for entry in data["cases"]]


def normalized(text: str) -> str:
    """Compare words, not typography: straight quotes, one kind of dash, single spaces."""
    text = unicodedata.normalize("NFKC", text).casefold()
    for curly, plain in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("–", "-"),
                         ("—", "-"), ("*", "")):
        text = text.replace(curly, plain)
    return " ".join(text.split())


def headline(answer: Answer) -> str:
    if answer.kind in (AnswerKind.QUOTE,):
        return f"{answer.title} {answer.body}"
    return answer.title


def shown(answer: Answer) -> str:
    parts = [answer.body, *(f"{i.title} {i.body}" for i in answer.items[:3]),
             *(f.value for f in answer.fields)]
    return "\n".join(parts)


def judge(case: Case, answer: Answer) -> Outcome:
    head, seen = normalized(headline(answer)), normalized(shown(answer))
    kind = str(answer.kind)

    def outcome(why: str) -> Outcome:
        return Outcome(case, not why, why, kind, answer.title)

    if not case.answerable:
        return outcome("" if answer.kind in REFUSALS else "answered an unanswerable question")
    if answer.kind in REFUSALS or answer.kind in (AnswerKind.ERROR, AnswerKind.CHOOSE):
        return outcome(f"refused ({kind})")
    if case.answer and not any(normalized(a) in head for a in case.answer):
        return outcome("headline lacks the answer")
    if case.answer_all and not all(normalized(a) in head for a in case.answer_all):
        missing = [a for a in case.answer_all if normalized(a) not in head]
        return outcome(f"headline lacks {', '.join(missing)}")
    if case.evidence and not any(normalized(e) in seen for e in case.evidence):
        return outcome("supporting sentence not shown")
    return outcome("")


def evaluate(ctx: AnswerContext, cases: Sequence[Case]) -> list[Outcome]:
    return [judge(case, ask(ctx, case.q)) for case in cases]


def report(name: str, outcomes: Sequence[Outcome], markdown: bool, failures: bool) -> str:
    by_shape: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        by_shape.setdefault(outcome.case.shape, []).append(outcome)
    rows = []
    for shape, group in sorted(by_shape.items()):
        passed = sum(o.passed for o in group)
        rows.append([shape, str(len(group)), str(passed), f"{passed / len(group):.0%}"])
    total = sum(o.passed for o in outcomes)
    rows.append(["**all**" if markdown else "ALL", str(len(outcomes)), str(total),
                 f"{total / max(1, len(outcomes)):.0%}"])
    lines = [f"{name}: {total}/{len(outcomes)} = {total / max(1, len(outcomes)):.1%} "
             f"(targets: {OVERALL_TARGET:.0%} overall, {SHAPE_TARGET:.0%} per shape, every "
             f"unanswerable refused)", ""]
    lines += _table(["shape", "cases", "passed", "accuracy"], rows, markdown)
    reasons = Counter(o.why.split(" (")[0] for o in outcomes if not o.passed)
    if reasons:
        lines += ["", "Failures by reason: " + ", ".join(f"{r}: {n}" for r, n in
                                                         reasons.most_common())]
    if failures:
        lines.append("")
        for o in outcomes:
            if not o.passed:
                lines.append(f"FAIL {o.case.id}: {o.case.q!r} -> [{o.kind}] {o.headline[:90]!r}"
                             f" ({o.why}; want {list(o.case.answer or o.case.answer_all)})")
    return "\n".join(lines)


def _table(header: Sequence[str], rows: list[list[str]], markdown: bool) -> list[str]:
    if markdown:
        return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header),
                *("| " + " | ".join(r) + " |" for r in rows)]
    widths = [max(len(str(x)) for x in column) for column in zip(header, *rows, strict=True)]
    return ["  ".join(str(x).ljust(w) for x, w in zip(r, widths, strict=True))
            for r in [header, *rows]]


def main(argv: list[str] | None = None) -> int:
    from tests.answer_helpers import build_context  # the same store the tests use

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=None)
    parser.add_argument("--heldout", action="store_true", help="the held-out set, figures only")
    parser.add_argument("--all", action="store_true", help="every set, figures only")
    parser.add_argument("--markdown", action="store_true", help="print tables as Markdown")
    parser.add_argument("--failures", action="store_true", help="list every failed case")
    args = parser.parse_args(argv)
    sets = ([("labelled set", CASES), ("second labelled set", MORE), ("held-out set", HELDOUT)]
            if args.all else
            [("held-out set", HELDOUT)] if args.heldout else
            [("labelled set", args.cases or CASES)])
    show_failures = args.failures or not (args.all or args.heldout)
    with tempfile.TemporaryDirectory(prefix="readbot-ask-eval-") as folder:
        ctx = build_context(Path(folder) / "eval.sqlite3")
        for name, path in sets:
            print(report(name, evaluate(ctx, load_cases(path)), args.markdown, show_failures))
            print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
