"""Grow the real corpus N times: each copy gets its own slug and title and slightly different
prose, so FTS5 and the ingest see N distinct texts rather than one text stored N times."""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import yaml

from bot.corpus.load import discover_texts

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*\n", re.DOTALL)
# Where the back matter starts: numbered notes ("1. ", "[1] ") or a notes/references heading.
# Nothing from there on is varied, so notes keep their numbers and references stay parseable.
_BACK_MATTER = re.compile(r"^(?:\[\d{1,3}\]|\d{1,3}\s*\.)\s|^#+\s*(?:notes|references)", re.I)
_PLAIN_WORD = re.compile(r"[a-z]+")  # no quotes or punctuation: a swap cannot unbalance quotes
SWAPS_PER_PARAGRAPH = 3


def grow_corpus(source: Path, target: Path, copies: int, seed: int = 1917) -> int:
    """Write ``copies`` versions of every text in ``source`` into ``target``; return the count.

    Copy 0 is the original file, byte for byte; copies 1.. get a "-copy-NN" slug and title
    and a few adjacent words swapped in each prose paragraph (seeded, so runs are repeatable).
    """
    target.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    written = 0
    for path in discover_texts(source):
        original = path.read_text(encoding="utf-8")
        shutil.copyfile(path, target / path.name)
        written += 1
        for number in range(1, copies):
            suffix = f"-copy-{number:02d}"
            varied = _copy_of(original, suffix, rng)
            (target / f"{path.stem}{suffix}{path.suffix}").write_text(varied, encoding="utf-8")
            written += 1
    return written


def _copy_of(text: str, suffix: str, rng: random.Random) -> str:
    match = _FRONT_MATTER.match(text)
    if match is None:
        raise ValueError("the benchmark corpus expects YAML front matter with a slug")
    meta = yaml.safe_load(match.group(1))
    meta["slug"] = f"{meta['slug']}{suffix}"
    meta["title"] = f"{meta['title']} ({suffix.strip('-').replace('-', ' ')})"
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{front}---\n{_vary(text[match.end():], rng)}"


def _vary(body: str, rng: random.Random) -> str:
    """Swap a few adjacent plain words in each prose paragraph, up to the back matter."""
    chunks = body.split("\n\n")
    for index, chunk in enumerate(chunks):
        stripped = chunk.lstrip("\n")
        if _BACK_MATTER.match(stripped):
            break
        if stripped.startswith(("#", ">")):
            continue  # headings and block quotes keep their exact text and marker
        words = chunk.split(" ")
        pairs = [
            i for i in range(len(words) - 1)
            if _PLAIN_WORD.fullmatch(words[i]) and _PLAIN_WORD.fullmatch(words[i + 1])
        ]
        for i in rng.sample(pairs, min(SWAPS_PER_PARAGRAPH, len(pairs))):
            words[i], words[i + 1] = words[i + 1], words[i]
        chunks[index] = " ".join(words)
    return "\n\n".join(chunks)
