"""Everyday English words: a typed word that is one is no typo, whatever the texts spell.

A question's word the texts never use is often a plain word of its own ("newer", "staying",
"angry"), not a slip for the corpus word nearest it ("never", "Stalin", "anti"). The word
list is pyspellchecker's English frequency list, installed with the package (nothing is
downloaded); it is read once, on the first word that needs it, so no command that never
corrects a word pays for it.
"""

from __future__ import annotations

from functools import cache

#: How often a word must occur in the list's source to count as everyday English. Typos
#: are absent from it (count 0), and names the list carries at all sit near 50
#: ("trotsky", "kulak"), so a name misspelt into another name is still corrected.
EVERYDAY_COUNT = 100


@cache
def _everyday_words() -> frozenset[str]:
    from spellchecker import SpellChecker  # about 0.25 s: only once a word needs it

    counts = SpellChecker(language="en", distance=1).word_frequency.dictionary
    return frozenset(word for word, count in counts.items() if count >= EVERYDAY_COUNT)


def is_everyday_word(word: str) -> bool:
    """Whether ``word`` (any case, curly or straight apostrophe) is common English."""
    return word.casefold().replace("’", "'") in _everyday_words()
