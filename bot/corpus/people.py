"""The people registry (corpus/people.yaml): canonical names, aliases and mentions in text.

Pure: reads a YAML file and matches names in strings. Used by quotation attribution and by
any answer that takes a person's name, so one spelling rule serves everywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from bot.corpus.errors import CorpusError
from bot.yamlfile import KeyPath, YamlDocument, kind_of, read_yaml

if TYPE_CHECKING:  # each imported where it is used: resolving a name typed exactly (``ask
    # "/who Lenin"``) needs neither the fuzzy matcher nor the automaton ingest finds names with
    import ahocorasick

_POSSESSIVE = r"(?:[’']s?)?"
_APOSTROPHES = "’'"
NAMES_IN_CACHE = 20_000  # sentences whose names are remembered


@dataclass(frozen=True, slots=True)
class Fact:
    """One curated statement and the words of the corpus that support it."""

    says: str
    source: str  # slug of the text
    evidence: str  # an exact phrase of one paragraph of that text


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    aliases: tuple[str, ...] = ()
    role: str | None = None
    surname_alone: bool = True
    born: str | None = None  # as the corpus states it: "1879", "1879-11-07"
    died: str | None = None
    summary: str | None = None
    facts: tuple[Fact, ...] = ()

    @property
    def surname(self) -> str:
        return self.name.split()[-1]

    def names(self) -> list[str]:
        """Every form the texts may use, the surname alone included when it is unambiguous."""
        forms = [self.name, *self.aliases]
        if self.surname_alone:
            forms.append(self.surname)
        return list(dict.fromkeys(forms))


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    person: Person


@dataclass
class PeopleRegistry:  # not slotted: cached_property needs an instance __dict__
    people: list[Person] = field(default_factory=list)

    @cached_property
    def _by_form(self) -> dict[str, Person]:
        forms: dict[str, Person] = {}
        for person in self.people:
            for form in person.names():
                forms.setdefault(form.casefold(), person)
        return forms

    @cached_property
    def _pattern(self) -> re.Pattern[str] | None:
        """The names as one regular expression: what ``_automaton`` finds, for the rare text
        whose lower case is not as long as itself (offsets would not line up)."""
        forms = sorted(self._by_form, key=len, reverse=True)
        if not forms:
            return None
        alternatives = "|".join(re.escape(form) for form in forms)
        return re.compile(rf"(?<![\w-])(?:{alternatives}){_POSSESSIVE}(?![\w-])", re.IGNORECASE)

    @cached_property
    def _automaton(self) -> ahocorasick.Automaton | None:
        """Every name form in lower case, in one Aho-Corasick automaton: one pass over a text
        finds them all, where the regex of 1,500 alternatives tried each at every position
        (a fifth of ingest)."""
        if not self._by_form:
            return None
        import ahocorasick

        automaton = ahocorasick.Automaton(ahocorasick.STORE_LENGTH)
        for form in self._by_form:
            automaton.add_word(form.lower())
        automaton.make_automaton()
        return automaton

    def by_name(self, name: str) -> Person | None:
        """Exact canonical name or alias, any case."""
        return self._by_form.get(name.strip().casefold())

    def mentions(self, text: str) -> list[Mention]:
        """Every registered name in the text, longest form first ('Leon Trotsky' over 'Trotsky').

        Matching is case-sensitive on the first letter, so 'serge' in a sentence is not Serge.
        A name stands alone (no letter, digit or dash touches it) and may carry a possessive
        ('Lenin’s').
        """
        if self._automaton is None:
            return []
        lowered = text.lower()
        spans = (self._regex_spans(text) if len(lowered) != len(text)
                 else self._automaton_spans(text, lowered))
        found = []
        for start, end in spans:
            matched = text[start:end]
            if not matched[0].isupper():
                continue
            form = re.sub(_POSSESSIVE + "$", "", matched)
            person = self._by_form.get(form.casefold()) or self._by_form.get(matched.casefold())
            if person:
                found.append(Mention(start, end, person))
        return found

    def _regex_spans(self, text: str) -> list[tuple[int, int]]:
        assert self._pattern is not None  # there are names, or there is no automaton
        return [match.span() for match in self._pattern.finditer(text)]

    def _automaton_spans(self, text: str, lowered: str) -> list[tuple[int, int]]:
        """The spans the regex finds, from the automaton's hits: left to right, at each start
        the longest form that stands alone, then the search goes on after it."""
        assert self._automaton is not None
        lengths: dict[int, list[int]] = {}
        for end, length in self._automaton.iter(lowered):
            lengths.setdefault(end - length + 1, []).append(length)
        spans: list[tuple[int, int]] = []
        resume = 0
        for start in sorted(lengths):
            if start < resume or (start > 0 and _joins(text[start - 1])):
                continue
            for length in sorted(lengths[start], reverse=True):
                end = _standalone_end(text, start + length)
                if end is not None:
                    spans.append((start, end))
                    resume = end
                    break
        return spans

    def names_in(self, text: str) -> frozenset[str]:
        """The canonical names mentioned in a text, remembered: a plain question reads the
        same sentences many times (bounded: forgotten wholesale when full)."""
        cache = self._names_in_cache
        found = cache.get(text)
        if found is None:
            if len(cache) >= NAMES_IN_CACHE:
                cache.clear()
            found = cache[text] = frozenset(m.person.name for m in self.mentions(text))
        return found

    @cached_property
    def _names_in_cache(self) -> dict[str, frozenset[str]]:
        return {}

    def resolve(self, typed: str, limit: int = 5) -> tuple[Person | None, list[Person]]:
        """A person for any name or spelling, else the candidates to choose from.

        In order: an exact name or alias ("Lev Davidovich", "Natasha"); a surname or first
        name several people share ("Smirnov", "Sergei") lists them; a unique word prefix
        ("Lev D"); then typos ("Trotksy", "Bukarin"). Returns (person, []) when one person
        clearly fits, (None, candidates) otherwise; (None, []) when nothing is close.
        """
        key = " ".join(typed.split())
        exact = self.by_name(key)
        if len(key.split()) == 1 and len(key) >= 4:
            # One word may be one person's alias and others' first name ("Serge" is Victor
            # Serge, but also the start of Sergei Kirov and Sergei Yessenin): ask, don't guess.
            sharing = self._shared_name(key, first_name_prefix=True)
            if exact and exact not in sharing:
                sharing.insert(0, exact)
            if len(sharing) > 1:
                return None, sharing[:limit]
        if exact:
            return exact, []
        if len(key) < 2:
            return None, []
        for matcher in (self._shared_name, self._prefix):
            found = matcher(key)
            if len(found) == 1:
                return found[0], []
            if found:
                return None, found[:limit]
        return self._fuzzy(key, limit)

    @cached_property
    def _by_name_word(self) -> dict[str, list[Person]]:
        """First and last words of every name of two or more words, to the people who bear
        it, in the registry's order: a question's every word is looked up here."""
        index: dict[str, list[Person]] = {}
        for form, person in self._by_form.items():
            words = form.split()
            if len(words) < 2:
                continue  # a one-word alias is an exact match, handled by the callers
            for word in dict.fromkeys((words[0], words[-1])):
                bearers = index.setdefault(word, [])
                if person not in bearers:
                    bearers.append(person)
        return index

    def sharing(self, word: str) -> list[Person]:
        """Everyone whose surname or first name is this word: two or more for a name the
        texts use of several people ("Smirnov")."""
        return self._shared_name(word)

    def _shared_name(self, key: str, first_name_prefix: bool = False) -> list[Person]:
        """People whose surname or first name is the word typed (or starts with it)."""
        word = key.casefold()
        if not first_name_prefix:
            return list(self._by_name_word.get(word, ()))
        found: list[Person] = []
        for form, person in self._by_form.items():
            words = form.split()
            if len(words) < 2 or person in found:
                continue  # a one-word alias is an exact match, handled by the caller
            first, last = words[0], words[-1]
            if word in (first, last) or (first_name_prefix and first.startswith(word)):
                found.append(person)
        return found

    def _prefix(self, key: str) -> list[Person]:
        """'Lev D' -> forms whose words start with the typed words, in order."""
        typed_words = key.casefold().split()
        if len(key) < 3:
            return []
        found: list[Person] = []
        for form, person in self._by_form.items():
            words = form.split()
            if len(words) >= len(typed_words) and all(
                    w.startswith(t) for w, t in zip(words, typed_words, strict=False)) \
                    and person not in found:
                found.append(person)
        return found

    @cached_property
    def _folded_forms(self) -> tuple[list[str], list[str]]:
        """Every name form, and each as the fuzzy lookup compares it (folded once, not per
        lookup: a Python processor run over every form made each typo lookup 0.7 ms)."""
        from rapidfuzz import utils

        forms = list(self._by_form)
        return forms, [transliteration_folded(utils.default_process(f)) for f in forms]

    def _fuzzy(self, key: str, limit: int) -> tuple[Person | None, list[Person]]:
        from rapidfuzz import fuzz, process, utils

        # Whole-name similarity, not partial: "Churchill" must not find "Hill". Compared
        # with the ways of writing Russian names in Latin letters folded together, so that
        # "Dzhilas" is as near "Djilas" as a typo would be.
        forms, folded = self._folded_forms
        ranked = process.extract(transliteration_folded(utils.default_process(key)), folded,
                                 scorer=fuzz.token_sort_ratio, processor=None,
                                 limit=limit * 3)
        candidates: list[Person] = []
        scores: dict[str, float] = {}
        for _, score, at in ranked:
            person = self._by_form[forms[at]]
            if person.name not in scores:
                scores[person.name] = score
                candidates.append(person)
        if not candidates:
            return None, []
        best = scores[candidates[0].name]
        runner_up = scores[candidates[1].name] if len(candidates) > 1 else 0.0
        if best >= 80 and best - runner_up >= 5:
            return candidates[0], []
        return None, [p for p in candidates[:limit] if scores[p.name] >= 60]

    def choices(self, typed: str, limit: int = 25) -> list[Person]:
        """People for an autocomplete box: best matches first, everyone when nothing is typed."""
        if not typed.strip():
            return self.people[:limit]
        from rapidfuzz import fuzz, process, utils

        ranked = process.extract(typed, list(self._by_form), scorer=fuzz.WRatio,
                                 processor=utils.default_process, limit=limit * 3,
                                 score_cutoff=50)
        found: list[Person] = []
        for form, _, _ in ranked:
            person = self._by_form[form]
            if person not in found:
                found.append(person)
        return found[:limit]


#: Spellings of one Cyrillic sound in the transliterations a reader may know (English,
#: French, German, the scholarly one): "Dzhilas"/"Djilas", "Trotzky"/"Trotsky",
#: "Sinowjew"/"Zinoviev" (the folding only brings them nearer; the fuzzy score decides).
_TRANSLITERATIONS = (("dzh", "j"), ("dj", "j"), ("zh", "j"), ("kh", "h"), ("tch", "ch"),
                     ("tz", "ts"), ("w", "v"))


def transliteration_folded(text: str) -> str:
    """``text`` (already lower-cased) with the transliterations of one sound written alike."""
    for spelling, folded in _TRANSLITERATIONS:
        text = text.replace(spelling, folded)
    return text


def _joins(char: str) -> bool:
    r"""A character that makes a name part of a longer word: what ``[\w-]`` matches."""
    return char.isalnum() or char in "_-"


def _standalone_end(text: str, end: int) -> int | None:
    """Where a name ending at ``end`` ends with its possessive ('s, ’, 's), or None when a
    letter or dash runs on; tried in the regex's order, longest possessive first."""
    candidates = [end]
    if end < len(text) and text[end] in _APOSTROPHES:
        candidates.insert(0, end + 1)
        if end + 1 < len(text) and text[end + 1] in "sS":
            candidates.insert(0, end + 2)
    for candidate in candidates:
        if candidate >= len(text) or not _joins(text[candidate]):
            return candidate
    return None


def load_people(path: Path, text: str | None = None) -> PeopleRegistry:
    """Read people.yaml; a missing file is an empty registry, a malformed one an error."""
    doc = read_yaml(path, CorpusError, text=text)  # text: a last good copy
    if doc is None:
        return PeopleRegistry()
    people = []
    for number, entry in enumerate(doc.top_list("people")):
        at: KeyPath = ("people", number)
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            doc.fail(at, f"expected a mapping with a 'name', got {kind_of(entry)}")
        aliases = entry.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            doc.fail((*at, "aliases"), f"{entry['name']}: 'aliases' must be a list of names")
        surname_alone = entry.get("surname_alone", True)
        if not isinstance(surname_alone, bool):
            doc.fail((*at, "surname_alone"), f"{entry['name']}: expected true or false, got "
                                             f"{kind_of(surname_alone)}")
        people.append(Person(
            name=entry["name"].strip(),
            aliases=tuple(a.strip() for a in aliases),
            role=_text(entry, "role", doc, at),
            surname_alone=surname_alone,
            born=_text(entry, "born", doc, at),
            died=_text(entry, "died", doc, at),
            summary=_text(entry, "summary", doc, at),
            facts=_facts(entry, doc, at),
        ))
    return PeopleRegistry(people)


def _text(entry: dict, key: str, doc: YamlDocument, at: KeyPath) -> str | None:
    """An optional one-value key (a number or a year reads as its text); a list or a mapping
    there is a mistake, not text."""
    value = entry.get(key)
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        doc.fail((*at, key), f"{entry['name']}: '{key}' must be text, got {kind_of(value)}")
    return str(value).strip() or None


def _facts(entry: dict, doc: YamlDocument, at: KeyPath) -> tuple[Fact, ...]:
    facts = entry.get("facts") or []
    if not isinstance(facts, list):
        doc.fail((*at, "facts"), f"{entry['name']}: 'facts' must be a list, "
                                 f"got {kind_of(facts)}")
    parsed = []
    for number, fact in enumerate(facts):
        if not isinstance(fact, dict) or not all(
                isinstance(fact.get(key), str) for key in ("says", "source", "evidence")):
            doc.fail((*at, "facts", number), f"{entry['name']}: each fact needs 'says', "
                                             "'source' and 'evidence' (an exact phrase of the "
                                             "text)")
        parsed.append(Fact(fact["says"].strip(), fact["source"].strip(),
                           fact["evidence"].strip()))
    return tuple(parsed)
