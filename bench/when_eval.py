"""How well /when dates what it is asked, on the labelled sets in tests/labelled/, scored strictly.

    python -m bench.when_eval              # when_cases.yaml, _more and _third, failures
    python -m bench.when_eval --heldout    # when_cases_heldout.yaml, figures only

Every case is asked as `/when <query>` on the real corpus plus tests/labelled/dropped_in_text.md
(a text with no curation, as a group would drop one in). The rule:

- a dated case passes when the answer is a date (kind ``when``), its first date is one of the
  expected ones (a range "1933-03/1933-05" is met by either end or a date inside it), and, when
  the case names the sentence that dates it, the answer shows that sentence;
- an undated case (``expect: []``) passes only with an honest refusal (kind ``not_found``);
- anything else fails, a refusal of a dated case included.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if not __package__:  # run as `python bench/when_eval.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import yaml

from bot.answers.conversation.router import ask
from bot.answers.core.context import AnswerContext
from bot.answers.core.model import Answer, AnswerKind
from bot.config import Settings
from bot.corpus.model import PartialDate
from bot.services import open_services

REPO = Path(__file__).resolve().parent.parent
LABELLED = REPO / "tests" / "labelled"
MAIN = ("when_cases.yaml", "when_cases_more.yaml", "when_cases_third.yaml")
HELDOUT = ("when_cases_heldout.yaml",)
DROPPED_IN = LABELLED / "dropped_in_text.md"
TARGET = 0.95


@dataclass(frozen=True, slots=True)
class Outcome:
    case: dict[str, Any]
    passed: bool
    why: str
    shown: str


def load(names: tuple[str, ...]) -> list[dict[str, Any]]:
    cases = []
    for name in names:
        for case in yaml.safe_load((LABELLED / name).read_text(encoding="utf-8"))["cases"]:
            cases.append({**case, "set": name})
    return cases


def _partial(iso: str) -> PartialDate:
    return PartialDate(*(int(p) for p in iso.split("-")))


def _fits(shown: str, expected: str) -> bool:
    """Does a headline ('November 1927 (month)') state the expected date or range?"""
    if "/" in expected:
        low, high = (_partial(end) for end in expected.split("/"))
        if shown.startswith((low.display(), high.display())):
            return True
        # every four-digit year the headline states, "(1930–1933, decade)" included
        years = [int(w) for w in re.findall(r"(?<!\d)\d{4}(?!\d)", shown)]
        return bool(years) and low.year <= years[0] <= high.year and (
            low.year != high.year or shown.startswith(str(low.year)))
    # The date itself, or a more precise one inside it: "October 1917" states 1917.
    head, want = shown.split(" (")[0], _partial(expected).display()
    return head.startswith(want) or head.endswith(want)


def judge(case: dict[str, Any], answer: Answer) -> tuple[bool, str]:
    if "expect_period" in case:  # "/when 1927-1929": what happened then, in order
        low, high = case["expect_period"]
        years = [int(w) for item in answer.items[:5] for w in item.title.replace("–", " ")
                 .split()[:3] if w.isdigit() and len(w) == 4][:1]
        if answer.kind is AnswerKind.TIMELINE and years and low - 10 <= years[0] <= high:
            return True, ""
        return False, "not a timeline of that period"
    expected = case.get("expect") or []
    if not expected:
        if answer.kind is AnswerKind.NOT_FOUND:
            return True, ""
        return False, "dated an event the texts do not date"
    if answer.kind is not AnswerKind.WHEN or not answer.items:
        return False, f"no date ({answer.kind.value})"
    first = answer.items[0].title
    if not any(_fits(first, want) for want in expected):
        return False, f"wrong date (want {', '.join(expected)})"
    sentence = case.get("sentence")
    if sentence and not any(sentence in (item.body or "") for item in answer.items):
        return False, "dating sentence not shown"
    return True, ""


def evaluate(ctx: AnswerContext, cases: list[dict[str, Any]]) -> list[Outcome]:
    outcomes = []
    for case in cases:
        answer = ask(ctx, f"/when {case['query']}")
        passed, why = judge(case, answer)
        shown = answer.items[0].title if answer.items else answer.title
        outcomes.append(Outcome(case, passed, why, f"[{answer.kind.value}] {shown}"[:90]))
    return outcomes


def _kind(case: dict[str, Any]) -> str:
    if "expect_period" in case:
        return "period"
    if case.get("source") == "dropped-in-text":
        return "dropped-in"
    if not case.get("expect"):
        return "undated"
    return "uncurated" if case["set"] != "when_cases.yaml" else "curated set"


def report(title: str, outcomes: list[Outcome], failures: bool) -> str:
    passed = sum(o.passed for o in outcomes)
    lines = [f"{title}: {passed}/{len(outcomes)} = {passed / len(outcomes):.1%} "
             f"(target {TARGET:.0%}, every undated one refused)", ""]
    totals, wins = Counter(), Counter()
    for outcome in outcomes:
        kind = _kind(outcome.case)
        totals[kind] += 1
        wins[kind] += outcome.passed
    lines.append(f"{'kind':<12}  cases  passed  accuracy")
    for kind in sorted(totals):
        lines.append(f"{kind:<12}  {totals[kind]:<5}  {wins[kind]:<6}  "
                     f"{wins[kind] / totals[kind]:.0%}")
    reasons = Counter(o.why.split(" (")[0] for o in outcomes if not o.passed)
    lines += ["", "Failures by reason: " + ", ".join(f"{r}: {n}" for r, n in reasons.items())]
    if failures:
        lines.append("")
        lines += [f"FAIL {o.case['query']!r} -> {o.shown} ({o.why})"
                  for o in outcomes if not o.passed]
    return "\n".join(lines)


def corpus_with_dropped_in(folder: Path) -> Settings:
    """The real corpus plus the dropped-in text, ingested into a fresh store in ``folder``."""
    corpus = folder / "corpus"
    shutil.copytree(REPO / "corpus", corpus)
    shutil.copyfile(DROPPED_IN, corpus / "texts" / "dropped-in-text.md")
    return Settings(corpus_dir=corpus, database_url=f"sqlite:///{folder / 'when.sqlite3'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--heldout", action="store_true", help="the held-out set, figures only")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="readbot-when-") as folder:
        services = open_services(corpus_with_dropped_in(Path(folder)))
        try:
            if args.heldout:
                print(report("held-out set", evaluate(services.answers, load(HELDOUT)), False))
            else:
                print(report("labelled sets", evaluate(services.answers, load(MAIN)), True))
        finally:
            services.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
