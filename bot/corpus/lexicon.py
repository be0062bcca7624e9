"""The synonym lexicon (corpus/lexicon.yaml) and the word stems every comparison goes through.

Pure: reads a YAML file, stems words. A question's word is expanded to every word of its
groups, so "murdered" also looks for "killed" and "shot". Stemming is Porter's (PyStemmer,
the Snowball project's C implementation), the same algorithm as the FTS5 ``porter``
tokenizer, so a stem computed here is the term the index holds.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import Stemmer

from bot.corpus.errors import CorpusError
from bot.yamlfile import YamlDocument, kind_of, read_yaml

TOKEN = re.compile(r"[^\W_]+")  # what unicode61 calls a token: letters and digits
_STEMMER = Stemmer.Stemmer("porter")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Porter stem of one word, case and accents aside ("Assassinated" -> "assassin")."""
    return _STEMMER.stemWord(_fold(word))


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def stems(text: str) -> list[str]:
    """Stems of every token as FTS5's unicode61 tokenizer splits them ("ice-axe": ic, ax)."""
    return [s for token in TOKEN.findall(text) if (s := stem(token))]


def _stemmed_words(text: str) -> list[str]:
    """The words ``stems`` keeps, as typed (casefolded), one per stem."""
    return [token.casefold() for token in TOKEN.findall(text) if stem(token)]


def _agent_for_participle(entry: list[str], typed: list[str]) -> bool:
    """Porter gives "accuser" and "accused" one stem: "the accuser" is not the phrase "the
    accused" (the one who accuses, not the one accused)."""
    return any(e.endswith("ed") and t.endswith(("er", "ers", "or", "ors"))
               for e, t in zip(entry, typed, strict=False))


# A possessive inside a phrase is any possessive: "took their own life" is the lexicon's
# "took his own life", "lose her life" its "lose his life".
_POSSESSIVES = frozenset(stem(w) for w in "his her their my your our".split())


def _key(text: str) -> str:
    """A word's or phrase's lookup key: its stems, possessives made one."""
    parts = stems(text)
    if len(parts) > 1:
        parts = ["<poss>" if p in _POSSESSIVES else p for p in parts]
    return " ".join(parts)


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Synonym groups, looked up by stem. A phrase is a tuple of stems."""

    groups: tuple[tuple[str, ...], ...] = ()
    #: One-way expansions, by stem: "die" is also answered by "killed", not the reverse.
    implied: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)
    _by_stem: dict[str, tuple[int, ...]] = field(default_factory=dict, compare=False)
    _phrase_keys: list[str] = field(default_factory=list, compare=False)  # filled on first use

    @classmethod
    def of(cls, groups: list[list[str]], implied_by: dict[str, list[str]] | None = None
           ) -> Lexicon:
        by_stem: dict[str, list[int]] = {}
        kept: list[tuple[str, ...]] = []
        for number, group in enumerate(groups):
            kept.append(tuple(group))
            for entry in group:
                key = _key(entry)
                by_stem.setdefault(key, []).append(number)
        implied = {_key(word): tuple(words)
                   for word, words in (implied_by or {}).items()}
        return cls(tuple(kept), implied, {k: tuple(v) for k, v in by_stem.items()})

    def phrases_in(self, text: str) -> list[tuple[str, int, int]]:
        """Multi-word entries standing in ``text`` ("kicked out", "caved in", "get rid of"):
        (the entry, first token, token after the last), tokens as ``stems`` counts them."""
        tokens = [t if t not in _POSSESSIVES else "<poss>" for t in stems(text)]
        words = _stemmed_words(text)
        present = set(tokens)
        found: list[tuple[str, int, int]] = []
        for key in self._phrases:
            parts = key.split()
            if parts[0] not in present:
                continue
            for start in range(len(tokens) - len(parts) + 1):
                if tokens[start:start + len(parts)] == parts:
                    entry = next(e for n in self._by_stem[key] for e in self.groups[n]
                                 if _key(e) == key)
                    if not _agent_for_participle(_stemmed_words(entry),
                                                 words[start:start + len(parts)]):
                        found.append((entry, start, start + len(parts)))
        return found

    @property
    def _phrases(self) -> list[str]:
        if not self._phrase_keys:
            self._phrase_keys.extend(key for key in self._by_stem if " " in key)
        return self._phrase_keys

    def knows(self, word: str) -> bool:
        """Is the word one of the lexicon's entries (a real word, not a typo)?"""
        key = _key(word)
        return key in self._by_stem or key in self.implied

    def implied_forms(self, word: str) -> tuple[str, ...]:
        """The words that imply ``word`` one way ("killed" for "die")."""
        return self.implied.get(_key(word), ())

    def alternatives(self, word: str) -> list[str]:
        """The word, the words that imply it, and every word sharing a group with it."""
        key = _key(word)
        found = [word, *self.implied.get(key, ())]
        for number in self._by_stem.get(key, ()):
            found.extend(self.groups[number])
        return list(dict.fromkeys(found))


def load_lexicon(path: Path, text: str | None = None) -> Lexicon:
    """corpus/lexicon.yaml; an absent file is an empty lexicon, a malformed one a CorpusError."""
    doc = read_yaml(path, CorpusError, text=text)  # text: a last good copy
    if doc is None:
        return Lexicon()
    groups: list[list[str]] = []
    for number, entry in enumerate(doc.top_list("synonyms")):
        if not isinstance(entry, list) or not all(isinstance(w, str) and w.strip()
                                                  for w in entry) or len(entry) < 2:
            doc.fail(("synonyms", number),
                     f"expected a list of two or more words, got {entry!r}"[:200])
        groups.append([w.strip() for w in entry])
    return Lexicon.of(groups, _implied_by(doc))


def _implied_by(doc: YamlDocument) -> dict[str, list[str]]:
    """The one-way ``implied_by:`` mapping (word -> the words that also answer for it)."""
    mapping = doc.data.get("implied_by") or {}
    if not isinstance(mapping, dict):
        doc.fail(("implied_by",), "expected a mapping of a word to a list of words")
    for key, words in mapping.items():
        if not (isinstance(key, str) and isinstance(words, list)
                and all(isinstance(w, str) for w in words)):
            doc.fail(("implied_by", str(key)),
                     f"expected a list of the words that imply it, got {kind_of(words)}")
    return {k.strip(): [w.strip() for w in v] for k, v in mapping.items()}
