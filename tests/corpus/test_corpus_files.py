"""The corpus files: metadata as the essays state it, chrome gone, every essay word kept."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from bot.corpus.load import discover_texts
from tests.corpus_helpers import SEEDS, TEXTS, parsed

SLUGS = ["life-of-leon-trotsky", "revolutionary-appraised", "struggle-against-stalinism",
         "to-lead-the-people", "to-topple-the-stalinist-bureaucracy"]

CHROME = ["RSS Feed", "You are here:", "Leave a Reply", "Log Out", "Connecting to %s",
          "Read More", "Find out more about us", "Creative Commons licence",
          "History & Theory International Marxism"]


def test_the_five_essays_are_in_the_corpus() -> None:
    assert [p.stem for p in discover_texts(TEXTS)] == SLUGS


@pytest.mark.parametrize(("slug", "author", "publication", "published"), [
    ("to-topple-the-stalinist-bureaucracy", "Jason Dawsey", "Platypus Review 112", "2018-12"),
    ("struggle-against-stalinism", "Robert Narai", "Red Flag", "2022-08-31"),
    ("life-of-leon-trotsky", "Rob Jones", "Committee for a Workers’ International (CWI)",
     "2019-11"),
    ("revolutionary-appraised", None, "Medium", None),
    ("to-lead-the-people", None, None, None),
])
def test_metadata_is_what_the_essay_states(slug, author, publication, published) -> None:
    meta = parsed(slug).meta
    assert meta.author == author
    assert meta.publication == publication
    assert (meta.published.iso() if meta.published else None) == published


@pytest.mark.parametrize("slug", SLUGS)
def test_web_chrome_is_gone(slug: str) -> None:
    text = (TEXTS / f"{slug}.md").read_text(encoding="utf-8")
    for chrome in CHROME:
        assert chrome not in text


def _words(text: str) -> Counter[str]:
    return Counter(re.findall(r"\w+", text.lower()))


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside the repo")
def test_every_essay_word_is_kept_verbatim() -> None:
    """Seeds minus chrome and minus what moved to front matter == corpus words, exactly."""
    seeds = sorted(SEEDS.glob("*.txt"))
    corpus = "".join((TEXTS / f"{s}.md").read_text(encoding="utf-8").split("---", 2)[2]
                     for s in SLUGS)
    seed_words = sum((_words(p.read_text(encoding="utf-8")) for p in seeds), Counter())
    missing = seed_words - _words(corpus)
    # Everything missing must be chrome or a title/byline now held in front matter.
    allowed = _words(" ".join(CHROME) + """
        RSS FeedRSS FeedYouTubeYouTubeTwitterTwitterFacebook GroupFacebook Group
        You are here The Platypus Affiliated Society
        Fill in your details below or click an icon to log in Logo You are commenting using
        your account Log Out Change Google photo Twitter picture Facebook photo Connecting to s
        Leave a Reply Read More Red Flag is published by Socialist Alternative a revolutionary
        socialist group with branches across Australia Find out more about us get involved or
        subscribe Original content is subject to a Creative Commons licence and may be
        republished under the terms listed here History Theory International Marxism
        Revolutions Russian Revolution""")
    metas = [parsed(s).meta for s in SLUGS]
    held = [f"{m.title} {m.subtitle or ''} {m.author or ''} {m.publication or ''}" for m in metas]
    titles = _words(" ".join(held) + " Leon Trotsky 31 August 2022 December 2018")
    unexplained = {w: n for w, n in missing.items() if w not in allowed and w not in titles}
    assert unexplained == {}
    added = _words(corpus) - seed_words
    assert added == Counter()
