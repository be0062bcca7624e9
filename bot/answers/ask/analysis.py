"""What a plain question asks for: the answer type, the words to look for, the names in it.

Rule-based on purpose: a reading group's questions come in a few dozen shapes ("who killed
X?", "how far was A from B?", "did X support Y?"), and each rule here is one a reader can
check. Names are resolved through the people registry (any spelling, typos forgiven); other
misspelt words are corrected against the words the sentences actually hold.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import lru_cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.corpus.english import is_everyday_word
from bot.corpus.lexicon import TOKEN, Lexicon, stem, stems
from bot.corpus.people import PeopleRegistry, Person


class AnswerType(StrEnum):
    PERSON = "person"
    PLACE = "place"
    DATE = "date"
    NUMBER = "number"
    REASON = "reason"
    MANNER = "manner"
    LIST = "list"
    YESNO = "yesno"
    AUTHOR = "author"  # who wrote a text of the corpus or a work it cites
    WHICH_TEXT = "which_text"  # which essay says X
    DESCRIPTION = "description"  # "what was the NEP?": the sentence that says what it is


# Words that shape the question but are not what it is about.
QUESTION_WORDS = frozenset(
    """a about according actually after again all also am an and any anyone are as at be been
    before being both but by can could did do does doing done during each either else even
    ever for from get got had has have having he her hers here him his how i if in into is it
    its just kind know let like many may me might more most much must my name named near no
    nor not now of off on once one only or other our out over own please really say says
    should so some someone something such tell than that the their them then there these
    they thing this those through to too under up us very was way we were what whatever when
    where whether which while who whom whose why will with would you your yes exactly
    happened happen happens mean means called call texts text essays essay article piece
    author authors writer roughly actually basically ever back still already go get got put
    take took make made kind sort lot lots guy anything everything thing things end ended
    first couldn wouldn didn doesn wasn weren isn aren shouldn hadn hasn haven won don
    besides apart aside except excluding every getting gets per bit ex till
    cant dont wont isnt arent wasnt werent didnt doesnt couldnt wouldnt shouldnt hadnt hasnt
    havent""".split()
)

# Verbs that frame what is asked rather than name it ("what did Lenin *want* done", "how
# did Trotsky *deal with* the cavalry", "what made him *decide*"): the answering sentence
# seldom repeats them, and being rare in the texts they would otherwise weigh most.
FRAMING_WORDS = frozenset(
    """want wanted wants wanting try tried tries trying come came comes coming gone going
    goes went decide decided decides start started starts manage managed manages dealt
    handle handled handles need needed needs expect expected expects
    think thought thinks see saw seen sees tell telling told tells say said saying try
    happen become became excuse excuses justification justify justified pretext
    together looking hindsight retrospect
    finally eventually ultimately supposed reckon reckons reckoned""".split()
)
FRAMING_WEIGHT = 0.3
REASON_NOUNS = frozenset({"reason", "reasons", "cause", "causes", "motive", "motives",
                          "purpose", "point"})

# A pronoun that stands for someone we should already know ("when did he die?", "and his
# wife?"), not one that refers back inside the question ("who started selling his books?").
ASKS_ABOUT_SOMEONE = re.compile(
    r"^(?:and\s+|so\s+)?(?:\w+\s+){0,3}(?:did|was|were|is|are|does|do|has|had|about)\s+"
    r"(?:he|she|him|her|his)\b|^(?:and\s+)?(?:his|her|him)\b|^what about (?:him|her)\b",
    re.IGNORECASE)
_CATEGORY = [  # "which country ...?" / "what city ...?": the noun says the answer type
    (AnswerType.PLACE, r"country|city|town|place|region|republic|prison|camp|island|village|"
                       r"state|port|capital|villa|house|estate|farm|street|district|suburb|"
                       r"nation|power"),
    (AnswerType.DATE, r"year|date|day|month|decade|century"),
    (AnswerType.PERSON, r"person|man|woman|leader|general|writer|historian|revolutionary|"
                        r"bolshevik|menshevik|politician|agent|commander|official|member|"
                        r"figure|poet|prosecutor|critic|oppositionist|anarchist|marxist|"
                        r"communist|socialist|trotskyist|journalist|commissar|ambassador|"
                        r"secretary|son|daughter|wife|husband|brother|sister|comrade|friend|"
                        r"follower|reviewer|author|philosopher|economist|sailor|soldier|"
                        r"stalinist|liberal|leaders|people|guy|chief|head|novelist|theorist|"
                        r"hero|heroe|relative|defendant|victim|prisoner|delegate|diplomat|"
                        r"intellectual|thinker|activist|biographer|scholar|witness|"
                        r"eyewitness|observer|editor|translator|publisher|lawyer|judge|"
                        r"minister|president|ruler|dictator|marshal|student|teacher|"
                        r"professor|speaker|orator|chronicler|memoirist|admirer|rival|"
                        r"opponent|enemy|ally|supporter|successor|predecessor|deputy|"
                        r"assistant|spy|assassin|killer|murderer|guard|doctor|physician|"
                        r"commentator|analyst|academic|researcher|worker|peasant|"
                        r"leftist|rightist|exile|emigre|émigré"),
    (AnswerType.WHICH_TEXT, r"essay|article|text|piece|review|source"),
    (AnswerType.NUMBER, r"number|percentage|proportion|share|age"),
]
# Compiled once: as patterns made per question they fell out of re's cache.
_NOUNS = [(kind, re.compile(rf"(?:{nouns})(?:s|es)?")) for kind, nouns in _CATEGORY]
_PLURAL_NOUNS = [(kind, re.compile(rf"(?:{nouns})(?:s|es)")) for kind, nouns in _CATEGORY]
_SINGULAR_NOUNS = [(kind, re.compile(rf"(?:{nouns})")) for kind, nouns in _CATEGORY]
# "who made up the Whites?", "what made up the bloc?": the parts of a whole are asked.
ASKS_WHAT_MADE_UP = re.compile(r"^\W*(?:who|what)\s+(?:made|make|makes)\s+up\b",
                               re.IGNORECASE)
_RULES: list[tuple[AnswerType, re.Pattern[str]]] = [
    (t, re.compile(p, re.IGNORECASE)) for t, p in [
        # ... but "who wrote that the early Soviet bureaucrat was ...?" asks who said it.
        (AnswerType.AUTHOR, r"^(?:who|whom)\s+(?:(?:had|has)\s+)?(?:wrote|writes|authored|penned|"
                            r"edited|compiled|translated|put\s+together)\b(?!\s+that\b)"
                            r"|^who(?:'s| is| was)\s+the\s+(?:author|writer)\s+of\b"
                            # "whose article is 'trotsky and his interpreters'?"
                            r"|^whose\s+(?:article|essay|book|piece|paper|work|pamphlet)\s+"
                            r"(?:is|was)\b"
                            r"|^(?:who|which author)\s+is\s+\S+.*\bby\b"),
        (AnswerType.WHICH_TEXT, r"^(?:in\s+)?(?:which|what)\s+(?:of\s+the\s+)?(?:essay|"
                                r"article|text|piece|review|source)s?\b|^where\s+(?:does|do|"
                                r"did)\s+(?:it|the texts?)\s+say\b"),
        (AnswerType.DATE, r"^(?:on\s+|in\s+|since\s+|from\s+|until\s+|by\s+)?(?:when|what\s+"
                          r"year|which\s+year|what\s+date|what\s+day|what\s+month|in\s+what\s+"
                          r"year)\b"
                          # "what was the exact day Lenin died?"
                          r"|^(?:what|which)\s+(?:was|is|were)\s+the\s+(?:exact\s+|precise\s+|"
                          r"actual\s+)?(?:day|date|year|month)\b"),
        (AnswerType.PLACE, r"^(?:where|from\s+where|in\s+what\s+(?:city|country|town|place))\b"),
        (AnswerType.REASON, r"^(?:why|for\s+what\s+reason|what\s+(?:was|were|is)\s+the\s+"
                            # "what finally made Trotsky give up on ...?"
                            r"reasons?|what\s+(?:(?:finally|really|actually|eventually|first|"
                            r"ultimately)\s+)?(?:caused|led\s+to|made)|how\s+come)\b"
                            # "what let the bureaucracy rise above society?": what made it so
                            r"|^what\s+(?:let|allowed|enabled|drove|pushed|prompted|forced|"
                            r"motivated|brought\s+about)\b"
                            # "how did Trotsky explain ending up in the bloc?": his reasons
                            r"|^how\s+(?:did|does|do|would|could)\s+(?:[\w’'-]+\s+){1,3}?"
                            r"(?:explain|justify|account\s+for|excuse|rationali[sz]e)\b"
                            # "what was the KPD's excuse for ...", "Lenin's reasoning for ..."
                            r"|^what\s+(?:was|were|is)\s+(?:the\s+)?(?:[\w’'-]+\s+){0,2}?"
                            r"(?:excuse|justification|pretext|rationale|motive|motivation|"
                            r"reasoning|reason|explanation)s?\s+(?:for|behind)\b"),
        # "how short a working day ...?", "how big a share ...": a measure asked
        (AnswerType.NUMBER, r"^(?:(?:by\s+|to\s+)?how\s+(?:many|much|long|far|old|often|big|large|"
                            r"small)|how\s+(?:short|high|low|tall|heavy|wide|deep)\s+an?\s|"
                            r"what\s+"
                            r"(?:percentage|proportion|number|share))\b|^about\s+how\s+many\b"
                            # "what was a party official paid a month?": a sum
                            r"|^what\s+(?:was|were|is|are)\s+(?:[\w’'-]+\s+){1,4}?(?:paid|"
                            r"earning)\b"),
        (AnswerType.MANNER, r"^(?:how|by\s+what\s+means|in\s+what\s+way|what\s+(?:method|"
                            r"means|weapon))\b"
                            # "trotsky's line about purging the party, with what?"
                            r"|^with\s+what\b|(?:,|\s[-–—])\s*with\s+what\W*$"),
        # "who made up the Whites?": the kinds of people it consisted of
        (AnswerType.LIST, rf"{ASKS_WHAT_MADE_UP.pattern}|"
                          r"^(?:name|list)\s+(?:the|some|all|a few)\b|^(?:who|what|which)\s+"
                          r"were\s+(?:some\s+of\s+|all\s+)?(?:the\s+)?(?:\w+s|people|men|women|"
                          r"children)\b|^what\s+"
                          r"(?:countries|places|groups|books)\b"),
        (AnswerType.PERSON, r"^(?:(?:at|in|to|from|with|by|for|of|on)\s+)?(?:who|whom|whose)\b"
                            r"|^what\s+(?:was|is|were)\s+(?:the\s+)?names?\s+of\b"),
        (AnswerType.YESNO, r"^(?:did|was|were|is|are|does|do|has|had|have|can|could|would|"
                           r"will|should)\b"),
    ]
]
# "who was the prosecutor at ...", "who headed the ...", "who was in charge of ..."
# (a participle is what was done to someone, not an office: "who was arrested for ...")
# (a role may be two words, "prime minister of norway": the last one is the role)
_ROLE = re.compile(r"^who\s+(?:was|is|were|became|served as)\s+(?:the\s+)?(?:main\s+|chief\s+|"
                   r"first\s+)?(?:(?!\w+ed\b)[a-z]+\s+(?=\w+\s+(?:of|at|in|for)\b))?"
                   r"(?!\w+ed\b)(\w+)\s+(?:of|at|in|for|during|under|before|after|against|"
                   r"when)\b"
                   r"|^(?:who|what)\s+(?:was|is|were)\s+(?:the\s+names?\s+of\s+)?\w+(?:'s)?\s+"
                   r"(?:first\s+|second\s+|only\s+|eldest\s+|younger\s+)?(\w+)$"
                   r"|^who\s+(?:was|is|were)\s+(in\s+charge)\s+(?:of|at)\b"
                   # "who did the prosecuting ...?": the one who held the prosecutor's role
                   r"|^who\s+did\s+the\s+(\w+ing)\b"
                   # "which left oppositionist was the real organising genius?": what the
                   # text calls someone ("the organizational genius of Pyatakov")
                   r"|^(?:who|which\s+[a-z-]+(?:\s+[a-z-]+)?)\s+(?:was|is|were)\s+the\s+"
                   r"(?:[a-z-]+\s+){0,2}?(?!\w+ed\b)([a-z]+)"
                   r"(?:\W*$|\s*,\s*(?:per|according\s+to|as|going\s+by|in)\b)")
# "what was Trotsky doing in the Balkans?", "what was Vyshinsky before he joined ...?",
# "what did Serge work as?", "what was Joffe's job?", "who was van Heijenoort to Trotsky?":
# the capacity someone acted in, as the text gives it.
ASKS_CAPACITY = re.compile(
    r"^(?:so\s+)?what\s+(?:(?:was|were|is)\s+(?:[\w.-]+\s+){1,3}?(?:doing\b|(?:working|serving|"
    r"employed)\s+as\b|(?:before|after|when|during|until|while)\b)|(?:did|does)\s+"
    r"(?:[\w.-]+\s+){1,3}?(?:work|serve|go|travel|come|act)\b(?:.*\bas\W*$|\s+as\b))|"
    r"^what(?:\s+(?:was|is)|[’']s)\s+[\w’' .-]+?[’']s\s+(?:job|role|position|post|occupation|"
    r"profession|field|speciality|specialty|discipline)\b"
    # "what job did sokolnikov have before he went to london?"
    r"|^(?P<office>(?:what|which)\s+(?:job|role|position|post|office|occupation))\s+did\s+\S"
    r"|^who\s+(?:was|is)\s+(?P<related>(?!the\b|an?\b)[\w’' .-]+?)\s+(?:to|for)\s+"
    r"(?!be\b|have\b|do\b)[\w’' .-]+?\W*$",
    re.IGNORECASE)
# The nouns and verbs that only say a capacity is asked ("what was Joffe's *job* *working*
# for Trotsky?"): the sentence gives the capacity ("for many years Trotsky's secretary")
# without them.
_CAPACITY_WORDS = frozenset({"job", "role", "position", "post", "occupation", "profession",
                             "field", "speciality", "specialty", "discipline", "working",
                             "serving", "employed"})
# "Trotsky's wife": a relative of someone named, asked about in their place.
_RELATIVES = (r"wife|husband|son|sons|daughter|daughters|child|children|kids?|brother|sister|"
              r"father|mother|partner|secretary|widow")
RELATIVE_OF = re.compile(rf"[’']s\s+(?:first\s+|second\s+|eldest\s+|youngest\s+)?"
                         rf"({_RELATIVES})\b", re.IGNORECASE)
# "what was the exact day", "by what year", "in which month": the words that say a date is
# asked, not what it is the date of.
_ASKS_A_DATE_BY_NAME = re.compile(
    r"^(?:\w+\s+)?(?:what|which)\s+(?:(?:was|is|were)\s+)?(?:the\s+)?(?:exact\s+|precise\s+|"
    r"actual\s+)?(?:day|date|year|month)s?\b", re.IGNORECASE)
_DATE_WORDS = frozenset({"day", "date", "year", "month", "days", "dates", "years", "months",
                         "exact", "precise", "actual"})
# "what years did the Leninist levy run for?", "how long did the NEP last?": for a date or a
# length of time, the verb of lasting only frames what is asked.
_LASTING = frozenset({"run", "ran", "last", "lasted", "continue", "continued"})
_HOW_WORDS = frozenset({"long", "far", "old", "big", "large", "small", "often", "soon", "many",
                        "much", "come", "did", "was", "were"})
_TOKEN = re.compile(r"[^\W_]+(?:[’'][st]\b)?")


@dataclass(frozen=True, slots=True)
class TermGroup:
    """One thing the answer's sentence should hold: a word with its alternatives, or a person."""

    word: str  # as the question (corrected) has it
    alternatives: tuple[str, ...]  # words or phrases for the full-text query
    stems: tuple[tuple[str, ...], ...]  # each alternative as stems, for matching sentences
    person: Person | None = None
    weight: float = 1.0
    #: Forms that only imply the word ("killed" for "die"): a person is their object, not
    #: their subject ("Mercader killed Trotsky" says Trotsky died, not Mercader).
    implied: tuple[str, ...] = ()
    unindexed: bool = False  # no form of it is anywhere in the texts
    #: What the question is about, like a person it names: a sentence without it is no answer
    #: ("does Dawsey claim his essay has new findings?" needs the essay speaking of itself).
    subject: bool = False
    #: Named only in a trailing clause that says when ("... once Stalin was winning"): it
    #: narrows the search, but the answer's sentence need not name them.
    setting: bool = False
    #: Stems of the doctrine or regime called after the person ("Stalinism", "Stalinist"),
    #: which stand for them where the question sets itself against them ("a revolution
    #: against Stalin" is the texts' "a revolution against Stalinism").
    regime: tuple[str, ...] = ()

    def as_typed(self) -> TermGroup:
        """The group with only the word as the question has it, none of its synonyms."""
        return replace(self, alternatives=self.alternatives[:1], stems=self.stems[:1])


@dataclass(frozen=True, slots=True)
class Question:
    text: str  # as asked, on one line
    kind: AnswerType
    groups: tuple[TermGroup, ...]
    people: tuple[Person, ...]  # named in the question
    negated: bool = False  # "did Trotsky NOT ..." / "wasn't ..."
    corrections: tuple[tuple[str, str], ...] = ()  # (typed, read as)
    unresolved_pronoun: str | None = None  # "he" with no name in the question
    #: Words with no form anywhere in the texts and no synonym that is ("Kennedy", "vegan",
    #: "bread"): a question about them is not one the texts answer.
    unknown: tuple[str, ...] = ()
    focus: tuple[str, ...] = field(default_factory=tuple)  # content words, corrected
    role: str | None = None  # "who was the prosecutor at ...": the office asked about

    @property
    def content_groups(self) -> tuple[TermGroup, ...]:
        return tuple(g for g in self.groups if g.person is None)


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The index's terms (stems) and in how many sentences each occurs."""

    sentences: int
    documents: dict[str, int]
    terms: tuple[str, ...] = ()

    def idf(self, term_stem: str) -> float:
        import math

        df = self.documents.get(term_stem, 0)
        return math.log((self.sentences + 1) / (df + 0.5))

    def _named_from(self, key: str) -> str | None:
        """The indexed name an adjective is made from ("siberian" -> "siberia")."""
        for ending in _ADJECTIVE_ENDINGS:
            base = key[:-len(ending)]
            if not key.endswith(ending) or len(base) < ADJECTIVE_BASE:
                continue
            if base in self.documents:
                return base
            if ending == "ian" and f"{base}a" in self.documents:
                return f"{base}a"  # "canadian" of "Canada", "armenian" of "Armenia"
        return None

    def _longer_form(self, key: str) -> str | None:
        """The word the texts use that begins with ``key`` ("kronstad", "rebel" for
        "rebellion"), the commonest if several; a word used once is not that word's usual
        form ("quiet" is not "quietism")."""
        if len(key) < 5:
            return None
        longer = [t for t in self.terms if t.startswith(key) and len(t) - len(key) <= 4
                  and self.documents.get(t, 0) > 1]
        return max(longer, key=lambda t: self.documents.get(t, 0)) if longer else None

    def _one_slip(self, key: str, *, letter_dropped: bool) -> str | None:
        """The word the texts use often enough to be meant, one slip from ``key`` with the
        first letter right, where the slip is two neighbours swapped ("wief", "trails" for
        "trial"), an i and a y that sound alike ("dye" for "die"), an "e" added at the end
        ("ware" for "war"), or with ``letter_dropped`` one letter left out ("buld", the stem
        of "bulding"). Any other single change is too ambiguous ("dye" is as near "does")."""
        slips = process.extract(key, self.terms, scorer=OSA.distance, limit=10,
                                score_cutoff=1)
        slips = [c for c in slips if c[0][0] == key[0]
                 and self.documents.get(c[0], 0) >= SHORT_FIX_MIN_DOCS
                 and (sorted(c[0]) == sorted(key) or _same_sound(c[0], key)
                      or (len(key) >= 4 and key.endswith("e") and c[0] == key[:-1])
                      or (letter_dropped and len(c[0]) == len(key) + 1))]
        return max(slips, key=lambda c: self.documents.get(c[0], 0))[0] if slips else None

    def _letters_swapped(self, lowered: str) -> str | None:
        """The word the texts use often enough with two neighbouring letters of the typed
        word swapped ("opne" for "open"): read on the word as typed, since the stems of the
        two differ ("opn", "open")."""
        swaps = {stem(lowered[:at] + lowered[at + 1] + lowered[at] + lowered[at + 2:])
                 for at in range(1, len(lowered) - 1) if lowered[at] != lowered[at + 1]}
        known = [s for s in swaps if self.documents.get(s, 0) >= SHORT_FIX_MIN_DOCS]
        return max(known, key=lambda s: self.documents.get(s, 0)) if known else None

    def correct(self, word: str) -> str | None:
        """The indexed stem nearest a misspelt word's, if one is clearly close."""
        key = stem(word)
        if key in self.documents or len(key) < 3:
            return None
        base = self._named_from(key)
        if base is not None:
            return base
        if is_everyday_word(word):
            # A word of its own ("newer", "staying", "angry") is not the corpus word nearest
            # it ("never", "Stalin", "anti"): only the slips that make no other word count.
            return self._longer_form(key) or self._one_slip(key, letter_dropped=False)
        swapped = self._letters_swapped(word.casefold())
        if swapped is not None:
            return swapped
        # A doubled letter typed once ("kiled", "oposition", "comunist"): the word with it
        # doubled, where the texts use that word, the commonest if several.
        lowered = word.casefold()
        doubled = {stem(lowered[:at + 1] + lowered[at:]) for at in range(1, len(lowered))
                   if lowered[at].isalpha() and lowered[at] != lowered[at - 1]}
        doubled = {d for d in doubled if d != key and self.documents.get(d, 0) > 1}
        if doubled:
            return max(doubled, key=lambda d: self.documents.get(d, 0))
        # The "e" of an ending left out ("exild" for "exiled", "kidnappd"): the word with it,
        # where the texts use that word.
        for short, full in (("d", "ed"), ("s", "es")):
            if lowered.endswith(short) and not lowered.endswith(full):
                fuller = stem(lowered[:-1] + full)
                if fuller != key and self.documents.get(fuller, 0) > 1:
                    return fuller
        # The beginning of a longer word comes before any nearer slip ("rebel" is two edits
        # from "real").
        longer = self._longer_form(key)
        if longer is not None:
            return longer
        if len(key) <= 4:
            # Four letters or three: a changed letter is too ambiguous ("bold", "bulk",
            # "build"); a dropped one only in four.
            slip = self._one_slip(key, letter_dropped=len(key) == 4)
            if slip is not None or len(key) == 3:
                return slip
        # A short word needs a closer match; an everyday word must not become a corpus word
        # it merely contains ("tall" is not "all", "snow" not "now").
        # The typed word's length counts, not its stem's ("bulding" stems as "buld").
        cutoff = 80 if len(key) >= 6 or len(word) >= 7 else 90
        candidates = [c for c in process.extract(key, self.terms, scorer=fuzz.ratio, limit=5,
                                                 score_cutoff=cutoff)
                      if c[0] not in _NOT_A_SLIP_OF and c[0] not in key
                      # nor a word it ends ("round" is not "around", "rest" not "arrest")
                      and not c[0].endswith(key)
                      # A slip seldom falls on the first letter; a word the texts never use
                      # that differs there is another word ("reader" is not "leader").
                      and c[0][:1] == key[:1]]
        if candidates:
            return max(candidates, key=lambda c: (c[1], self.documents.get(c[0], 0)))[0]
        if len(key) < 5:
            return None
        # Two slips in a longer word ("memebers", "membrship"): an edit distance of two,
        # counting a swap of neighbours as one, with the first letter right.
        near = process.extract(key, self.terms, scorer=OSA.distance, limit=5, score_cutoff=2)
        # Two letters typed too many is rare ("makno" is not "man"); one too many, one
        # missing or two changed is the usual pair.
        near = [c for c in near if c[0][:1] == key[:1] and len(c[0]) >= len(key) - 1
                and len(c[0]) - len(key) <= 2
                and c[0] not in _NOT_A_SLIP_OF and c[0] not in key]
        if not near:
            return None
        return min(near, key=lambda c: (c[1], -self.documents.get(c[0], 0)))[0]


# The question words as stems: never typos, and no word of meaning in a phrase.
_QUESTION_STEMS = frozenset(stem(w) for w in QUESTION_WORDS)
# ... of which the names of a text and its writer may still be what a slip meant ("artcle" is
# "article", not "articulate")
_NOT_A_SLIP_OF = _QUESTION_STEMS - {stem(w) for w in ("article", "essay", "essays", "piece",
                                                       "text", "texts", "author", "authors",
                                                       "writer")}
# "Siberian" of the texts' "Siberia", "Kazakhstani" of "Kazakhstan": an adjective made from a
# name the texts use is that name, before any nearer slip ("Serbian").
_ADJECTIVE_ENDINGS = ("ian", "an", "n", "i", "ese", "ish")
ADJECTIVE_BASE = 4  # letters a name keeps once the ending is taken off


def _same_sound(a: str, b: str) -> bool:
    """Two words of one length that differ only by an i where the other has a y."""
    return len(a) == len(b) and all(x == y or {x, y} == {"i", "y"} for x, y in zip(a, b,
                                                                                 strict=True))


_CLAUSE_BREAK = re.compile(r"\s[-–—]\s|;\s|,\s(?=(?:so\s+|and\s+|then\s+)?(?:what|when|where|"
                           r"why|how|who|whom|which|did|was|were|is|does)\b)|\s(?:so|and then)\s"
                           r"(?=(?:what|when|where|why|how|who|which)\b)", re.IGNORECASE)
CONTEXT_WEIGHT = 0.6  # words of a scene-setting clause ("trotsky finished the book in 1936 -")
UNINDEXED_WEIGHT = 3.0  # about a word found in one sentence in twenty
SHORT_FIX_MIN_DOCS = 3  # a 3-letter typo is read as an indexed word in at least this many


def asking_clause(text: str) -> tuple[str, str]:
    """(the clause that asks, the clause that sets the scene) of a two-part question.

    "trotsky finished the revolution betrayed in 1936 - when did he post it?" asks "when did
    he post it?"; the first part only narrows down where to look.
    """
    # "when lenin came back in april what did he tell ...?": the first "when" opens a clause.
    opening = _OPENING_CLAUSE.match(text)
    if opening:
        return text[opening.start("ask"):], text[:opening.start("ask")].strip(" ,")
    parts = _CLAUSE_BREAK.split(text)
    if len(parts) < 2:
        return text, ""
    for index in range(len(parts) - 1, 0, -1):
        if _ASKING.match(parts[index].strip()):
            return " ".join(parts[index:]).strip(), " ".join(parts[:index]).strip()
    return text, ""


# ... but "when was the congress where ...?" asks when: a "when" with its verb right after it
# is the question, and the "where" a relative clause.
_OPENING_CLAUSE = re.compile(r"^(?:when|after|once|while|since|before|if|as soon as)\s+"
                             r"(?!(?:was|were|did|does|do|is|are|had|has|will|would|could)\b)"
                             r"\w.*?,?\s"
                             r"(?P<ask>(?:what|who|whom|whose|how|why|where|which)\s.*"
                             # "when he was in turkey did trotsky call for ...?": a yes/no
                             # question after the scene, on its "did" or after a comma.
                             r"|(?:did|does)\s.*"
                             r"|(?<=,\s)(?:was|were|is|are|had|has|could|would)\s.*)$",
                             re.IGNORECASE)
_ASKING = re.compile(r"(?:so\s+|and\s+|then\s+)?(?:what|when|where|why|how|who|whom|which|did|"
                     r"was|were|is|does)\b", re.IGNORECASE)


_CALLED_OWNED = re.compile(rf"^what\s+(?P<be>was|were|is|are)\s+(?P<owned>(?:[\w-]+[’']s|his|"
                           rf"her|their)\s+(?:[\w-]+\s+)?(?:{_RELATIVES}))(?:[’']s?\s+"
                           rf"(?:real\s+|full\s+)?names?|\s+called)(?P<end>\W*)$", re.IGNORECASE)


def analyse(text: str, people: PeopleRegistry, vocabulary: Vocabulary, lexicon: Lexicon,
            remembered: Person | None = None) -> Question:
    """Read a question: what it asks for and the words and people its answer must hold."""
    text, shape_typo = _shape_word_fixed(" ".join(text.split()), vocabulary)
    text = possessives_marked(text, people)
    # "what was trotsky's wife called?", "what was his secretary's name?": read as the
    # "what was the name of ...?" they mean, which asks for her name.
    text = _CALLED_OWNED.sub(r"what \g<be> the name of \g<owned>\g<end>", text)
    asking, scene = asking_clause(text)
    lowered = _normalize(asking)
    kind = _answer_type(lowered)
    scene_words = {w.casefold() for w in _TOKEN.findall(scene)} - {
        w.casefold() for w in _TOKEN.findall(asking)}
    named = people_in(text, people)
    tokens = _TOKEN.findall(text)
    pronoun = outside_pronoun(text, people)
    unresolved = None
    if pronoun:
        if remembered is not None:
            named = [*named, remembered] if remembered not in named else named
        else:
            unresolved = pronoun
    name_words = {w.casefold() for p in named for form in p.names() for w in form.split()}
    capacity = ASKS_CAPACITY.match(asking)
    if capacity is not None and capacity["related"] and kind is AnswerType.PERSON:
        # "who was Jean van Heijenoort to Trotsky?" asks what he was to him, not a person;
        # but "who was sent to Siberia?" asks who.
        if any(capacity["related"].casefold() == form.casefold()
               for p in named for form in p.names()):
            kind = AnswerType.DESCRIPTION
        else:
            capacity = None
    asks_a_date = _ASKS_A_DATE_BY_NAME.search(asking) if kind is AnswerType.DATE else None
    date_words = {w.casefold() for w in asks_a_date.group(0).split()} & _DATE_WORDS \
        if asks_a_date else set()
    corrections: list[tuple[str, str]] = [shape_typo] if shape_typo else []
    setting = _trailing_setting(asking, role=kind is AnswerType.PERSON
                                and _ROLE.match(lowered) is not None)
    # "why did the regime retreat once the civil war ended?": for a why, a how or a where,
    # the clause saying when only places the act; the answer's sentence speaks of the act
    # ("where did Trotsky escape from in 1906?": "sentenced to exile in Siberia from where
    # he soon escaped", the sentence after the one dated 1906).
    when_words = {w.casefold() for w in _TOKEN.findall(time_setting(asking))} \
        if kind in PLACED_BY_WHEN else set()
    groups: list[TermGroup] = [
        replace(_person_group(p, vocabulary), setting=True)
        if setting and _named_only_in(p, setting, asking)
        else _with_regime(_person_group(p, vocabulary), asking)
        for p in named]
    focus: list[str] = []
    # "who got kicked out of the party?": a phrase of the lexicon is one word of meaning,
    # though "out" alone is a word every question has.
    in_phrases: set[str] = set()
    # Each word is corrected once, though the phrase search and the word loop both ask.
    # A word of the lexicon is a word, not a typo, though the texts may not use that form
    # ("rebels" beside the texts' "rebellion" is not "real").
    correct = lru_cache(maxsize=None)(
        lambda word: None if lexicon.knows(word) else vocabulary.correct(word))
    for phrase, typed in _phrases_typos_forgiven(asking, lexicon, correct, name_words):
        focus.append(phrase)
        groups.append(_word_group(phrase, lexicon, vocabulary))
        in_phrases |= {w.casefold() for w in phrase.split()} | {w.casefold() for w in typed}
        if any(stem(w) not in vocabulary.documents for w in typed):  # "Left Oposition"
            corrections.append((" ".join(typed), phrase))
    for compound, parts in _compounds_written_whole(asking, vocabulary):
        focus.append(compound)
        groups.append(_compound_group(compound, parts, vocabulary))
        in_phrases |= {part.casefold() for part in parts}
    for previous, token in zip(["", *tokens], tokens, strict=False):
        word = re.sub(r"[’'](?:[std]|ll|re|ve)$", "", token)
        if previous.casefold() == "how" and word.casefold() in _HOW_WORDS:
            continue  # "how long", "how far": the question's shape, not its subject
        if word.casefold() in in_phrases:
            continue  # "Alma Ata" is one word of meaning, not "Alma" and "Ata"
        # A question word kept, lightly weighed, where it tells sentences apart: "what did
        # Trotsky call Stalin?"; "where was Trotsky exiled to first?" (the text says "exiled
        # first to Alma Ata, then to Turkey ...", and "first" tells it from the other places).
        naming = _names_something(word, asking)
        kept = not naming and bool(
            (word.casefold() in ("call", "called") and _NAME_CALLING.search(asking)) or (
                word.casefold() == "first" and kind in _FIRST_TELLS
                and _FIRST_AFTER_VERB.search(asking) is not None))
        if (word.casefold() in QUESTION_WORDS and not kept and not naming) or \
                word.casefold() in name_words or len(word) < 2:
            continue
        if word.casefold() in date_words:
            continue  # "what was the exact day Lenin died?": the form of the answer asked
        if capacity is not None and word.casefold() in _CAPACITY_WORDS:
            continue  # "what was Joffe's job?": the capacity asked, which the text names
        shared = people.sharing(word) if len(word) >= 4 else []
        if len(shared) > 1 and not any(p in named for p in shared):
            # "what did Smirnov tell Trotsky?": one of several people, which the answer's
            # sentence must name as it would a person named in full.
            groups.append(_ambiguous_name_group(word, shared, vocabulary))
            continue
        person = _person_typo(word, people, vocabulary, named)
        if person is not None:
            named.append(person)
            groups.append(_person_group(person, vocabulary))
            corrections.append((word, person.name))
            continue
        fixed = correct(word)
        as_typed = word.casefold()  # the clause it stands in was read as typed
        if fixed is not None:
            corrections.append((word, fixed))
            word = fixed
        if kind is AnswerType.REASON and word.casefold() in REASON_NOUNS:
            # "what was the reason for the Leninist levy?": the question's shape; the answer's
            # "in response to ..." is the reason, though it never says "reason"
            continue
        focus.append(word)
        group = _word_group(word, lexicon, vocabulary)
        if as_typed in scene_words or as_typed in when_words:
            group = replace(group, weight=group.weight * CONTEXT_WEIGHT)
        # "what did he call himself?" is answered "as ‘a soldier of the revolution’": the
        # kept question word tells sentences apart, it is not the thing asked.
        if word.casefold() in FRAMING_WORDS or kept or (
                kind in (AnswerType.DATE, AnswerType.NUMBER)
                and word.casefold() in _LASTING) or (
                word.casefold() in ("deal", "deals") and re.search(
                    rf"\b{re.escape(word)}\s+with\b", asking, re.IGNORECASE)) or \
                _in_degree_frame(word, asking):
            group = replace(group, weight=group.weight * FRAMING_WEIGHT)
        groups.append(group)
    role_match = _ROLE.match(lowered) if kind is AnswerType.PERSON else None
    role_word = role_match and next((g for g in role_match.groups() if g), None)
    # "who was in charge of ...": the role is the lexicon's phrase "in charge", not "in".
    role = next((w for w in focus if role_word and (w.casefold() == role_word or
                                                    w.casefold().startswith(f"{role_word} "))),
                None)
    described = _THE_ONE_WHO.match(lowered)
    if described:
        # "what was the name of the workman who said ...": a sentence without a workman
        # tells of someone else, and "workers" is not "a workman": the word as typed.
        groups = [replace(g.as_typed(), subject=True)
                  if g.person is None and g.word.casefold() == described.group(1) else g
                  for g in groups]
    content = [g for g in groups if g.person is None]
    absent = [g for g in content if g.unindexed and len(g.alternatives) == 1]
    # A name the texts never use ("Kennedy", "托洛茨基"), or a question none of whose words
    # they use ("how do I bake bread?"); an everyday word they lack may be a paraphrase.
    unknown = tuple(g.word for g in absent if g.word[:1].isupper() or not g.word.isascii())
    if content and len(absent) == len(content):
        unknown = tuple(g.word for g in absent)
    return Question(text=text, kind=kind, groups=tuple(_dedupe(groups)), people=tuple(named),
                    unknown=unknown,
                    negated=bool(re.search(r"\b(?:not|never|n't)\b", lowered)),
                    corrections=tuple(corrections), unresolved_pronoun=unresolved,
                    focus=tuple(focus), role=role)


# "what was the name of the workman who ...", "who was the young communist who ...": the one
# asked for is described by a noun, which the answering sentence must hold.
_THE_ONE_WHO = re.compile(r"^(?:what(?:'s|’s|\s+was|\s+is)\s+the\s+names?\s+of|who\s+(?:was|is))"
                          r"\s+the\s+(?:[a-z]+\s+)?([a-z]{3,})\s+(?:who|that|whom)\b")


# "what did Trotsky call Stalin in 1927?": "call" is what was said of someone (a name, a
# denunciation), not the "called" of "what is the NEP called?".
_NAME_CALLING = re.compile(r"\bwhat\s+(?:did|does|do|had|has|would|was)\s+(?:[\w’'-]+\s+)"
                           r"{1,3}?call(?:ing)?\s+\w", re.IGNORECASE)


# "exiled to first", "go first": an adverb of sequence after the verb, not "his first wife".
_FIRST_AFTER_VERB = re.compile(r"\b(?:[a-z]+(?:d|en|nt)|go|goes)\s+(?:to\s+)?first\b",
                               re.IGNORECASE)
_FIRST_TELLS = frozenset({AnswerType.PLACE, AnswerType.DATE})


# "who was the first to call people trotskyists?": "call" as naming is what is asked about,
# not the "called" of "a group called ..." nor "what is it called?".
_NAMING = re.compile(r"\b(?:to\s+call|calling)\s+(?!(?:themselves|himself|herself|itself)\b)"
                     r"(?:[\w’'-]+\s+){1,3}?[\w’'-]+|\bcall(?:ed)?\s+"
                     r"(?:people|them|him|her|it|us)\s+\w",
                     re.IGNORECASE)


def _names_something(word: str, asking: str) -> bool:
    """Is this "call" the question's verb of naming ("to call people Trotskyists")?"""
    return word.casefold() in ("call", "calling", "called") and \
        _NAMING.search(asking) is not None


# "did Trotsky live long enough to join the debates?", "was the party strong enough to ...":
# the degree frames the deed; the sentence that settles it says "did not live to participate".
_DEGREE_FRAME = re.compile(r"\b(\w+)\s+(enough)\s+to\b", re.IGNORECASE)


def _in_degree_frame(word: str, asking: str) -> bool:
    """Is the word the "long enough" of "live long enough to ..."?"""
    return any(word.casefold() in (m.group(1).casefold(), m.group(2).casefold())
               for m in _DEGREE_FRAME.finditer(asking))


# "how meny kids did trotsky have?": the word after "how" says the question's shape, and
# as a question word it is never corrected like the words asked about.
_HOW_SHAPE = re.compile(r"^(\W*(?:and\s+|so\s+)?how\s+)([a-z]{3,})\b", re.IGNORECASE)
_SHAPES = ("many", "much", "long", "far", "often", "old")


def opener_fixed(text: str, vocabulary: Vocabulary) -> tuple[str, tuple[str, str] | None]:
    """The question with a slip in its first word put right ("wat did ...", "whre was ..."),
    and the (typed, read) correction: a word the texts never use one slip from exactly one
    of the words a question opens with."""
    found = _OPENER.match(text)
    if found is None:
        return text, None
    typed = found.group(2)
    lowered = typed.casefold()
    if lowered in _OPENERS or lowered in QUESTION_WORDS or stem(typed) in vocabulary.documents:
        return text, None
    near = [word for word in _OPENERS if OSA.distance(lowered, word) <= 1]
    if len(near) != 1:
        return text, None  # "wher": where or when
    return f"{found.group(1)}{near[0]}{text[found.end():]}", (typed, near[0])


_OPENER = re.compile(r"^(\W*(?:and\s+|so\s+)?)([a-z]{2,6})\b", re.IGNORECASE)
_OPENERS = ("what", "where", "when", "who", "whom", "whose", "why", "which", "how")


def _shape_word_fixed(text: str, vocabulary: Vocabulary) -> tuple[str, tuple[str, str] | None]:
    """The question with a slip in its first word or in "how many/much/long/far/often/old"
    put right, and the (typed, read) correction if there was one. A word the texts use is
    no slip ("how cold was Siberia?" is not "how old")."""
    text, opened = opener_fixed(text, vocabulary)
    if opened is not None:
        return text, opened
    found = _HOW_SHAPE.match(text)
    if found is None or found.group(2).casefold() in _HOW_WORDS or \
            stem(found.group(2)) in vocabulary.documents:
        return text, None
    typed = found.group(2)
    near = [word for word in _SHAPES if OSA.distance(typed.casefold(), word) <= 1]
    if len(near) != 1:
        return text, None
    return f"{found.group(1)}{near[0]}{text[found.end():]}", (typed, near[0])


_PARTICLE_OBJECT = re.compile(r"\b([a-z]+)\s+(?:him|her|them|it|us|me)\s+"
                              r"(out|away|off|up|down|back|in|over|aside|out of)\b",
                              re.IGNORECASE)


# "keep the old tsarist officers in line": a phrasal verb of the lexicon with a noun object
# between its words. Only "in line" for now: "out", "away", "back" ... read so took "go after
# Stalin back in 1923" for "go back". A lookahead, so that every word is tried as the verb.
# "bring every party grouping together" is the lexicon's "bring together".
_NOUN_OBJECT = re.compile(r"(?=\b([a-z]+)\s+((?:[\w’'-]+\s+){1,9}?)(in line|together)\b)",
                          re.IGNORECASE)
_AUXILIARIES = frozenset("did do does was were is are had has have be been being".split())


def _particle_before_object(asking: str, lexicon: Lexicon) -> str:
    """The question with such a phrasal verb written whole before its object ("keep in line
    the old tsarist officers"), so that the phrase search finds it."""
    for found in _NOUN_OBJECT.finditer(asking):
        verb, between, particle = found.group(1), found.group(2), found.group(3)
        candidate = f"{verb} {particle}"
        if verb.casefold() not in _AUXILIARIES and any(
                start == 0 and end == len(stems(candidate))
                for _, start, end in lexicon.phrases_in(candidate)):
            end = found.start() + len(f"{verb} {between}{particle}")
            return f"{asking[:found.start()]}{candidate} {between.strip()}{asking[end:]}"
    return asking


# "who started packing up his books to sell them once Stalin was winning?": a clause at the
# end that only says when.
_TRAILING_SETTING = re.compile(r"\s(?:once|while|by the time|as soon as|now that)\s+(?P<when>.+)$",
                               re.IGNORECASE)


# ... and, for a why or a how, any clause at the end that says when the act was.
_TIME_SETTING = re.compile(r"(?:\s|,\s*)(?:once|while|by the time|as soon as|now that|after|"
                           r"following|during|in the wake of|looking back|in hindsight|"
                           # "in the civil war", "in the first world war" (a slip: "ware")
                           r"in the (?:[\w-]+\s+){0,2}war(?:s|e)?\b|"
                           r"in (?:the )?\d{4}s?\b)(?P<when>.*)$", re.IGNORECASE)


#: The kinds of question whose clause saying when only places the act asked about.
PLACED_BY_WHEN = frozenset({AnswerType.REASON, AnswerType.MANNER, AnswerType.PLACE})


def time_setting(asking: str) -> str:
    """The clause at the end of a question that only says when ("... in the first world
    war"), or ""."""
    found = _TIME_SETTING.search(asking)
    return found.group(0) if found else ""


# "who did the prosecuting when zinoviev and kamenev were put on trial in 1936?": for a role,
# a "when" clause only places it; the holder is found by the role's word, and the sentence
# naming him may not name the accused ("At the 1936 Moscow trial, prosecutor Andrei
# Vyshinsky ..."). Elsewhere the clause's names keep the answer to the scene ("who was
# leading the kpd when hitler came to power?" is not answered by what Trotsky urged).
_TRAILING_WHEN = re.compile(r"\swhen\s+(?P<when>.+)$", re.IGNORECASE)


def _trailing_setting(asking: str, *, role: bool = False) -> str:
    found = _TRAILING_SETTING.search(asking) or (_TRAILING_WHEN.search(asking) if role else None)
    return found["when"] if found else ""


def _named_only_in(person: Person, clause: str, asking: str) -> bool:
    """Is the person named in the clause and nowhere else in the asking clause?"""
    rest = asking[:len(asking) - len(clause)]
    forms = [w for form in person.names() for w in form.split() if len(w) > 2]
    def names_in(text: str) -> bool:
        return any(re.search(rf"\b{re.escape(w)}\b", text, re.IGNORECASE) for w in forms)
    return names_in(clause) and not names_in(rest)


def _phrases_typos_forgiven(asking: str, lexicon: Lexicon,
                            correct: Callable[[str], str | None],
                            name_words: set[str]) -> list[tuple[str, list[str]]]:
    """The lexicon's phrases in the question, each with the words typed for it, read after
    typo correction: "the Left Oposition" is the phrase "left opposition"."""
    # "threw them out", "kicked him out": the phrasal verb with its object between its
    # words is still the lexicon's "throw out", "kick out".
    typed = TOKEN.findall(_particle_before_object(_PARTICLE_OBJECT.sub(r"\1 \2", asking),
                                                  lexicon))
    fixed = []
    for word in typed:
        correction = None
        if word.casefold() not in QUESTION_WORDS and word.casefold() not in name_words:
            correction = correct(word)
        fixed.append(correction or word)
    # The phrase search counts stems, and a word may have none ("s" of "trotsky's"): its
    # token positions are mapped back to the words typed.
    typed_at = [i for i, word in enumerate(fixed) for _ in stems(word)]
    found = []
    for phrase, start, end in lexicon.phrases_in(" ".join(fixed)):
        if end <= len(typed_at):
            found.append((phrase, typed[typed_at[start]:typed_at[end - 1] + 1]))
    return found


def _normalize(text: str) -> str:
    lowered = text.casefold().replace("’", "'")
    lowered = re.sub(r"^(?:and|so|ok|okay|hey|but|um|also|then)[,\s]+", "", lowered)
    lowered = re.sub(r"^(?:do you know|can you tell me|could you tell me|tell me|i wonder)"
                     r"\s+", "", lowered)
    # "according to trotsky how did the bureaucracy beat the opposition?": the source named
    # first, then the question that says what is asked.
    # (Only for "how": a "why" or "what" read so is left to the reason and person rules.)
    lowered = re.sub(r"^according to (?:[\w'-]+\s+){1,5}?,?\s*(?=how\b)", "", lowered)
    return lowered.strip(" ?!.")


# Words that stand before the noun of "which ... ?" and say which one, not what kind.
_MODIFIERS = frozenset("""former old young later early famous leading other future fellow
    white red soviet russian german french norwegian mexican american british bolshevik
    chief main top senior junior exiled""".split())


_NAME_OF_THE = re.compile(r"^what(?:'s|’s|\s+was|\s+is|\s+were|\s+are)\s+the\s+names?\s+of\s+"
                          r"(?:the|a|an|his|her|their|its|that|this)\s+")
# "according to the medium review did the left opposition distrust the peasants?", "in
# trotsky's free soviet elections could a party that wanted capitalism back take part?": a
# yes/no question after the words that say by whom or where it is asked (no question word
# among them: "in which year did ..." asks a year).
_SET_YES_NO = re.compile(
    r"^(?:according\s+to|per|going\s+by|in|at|during|after|before|under)\s+"
    r"(?:(?!which\b|what\b|when\b|where\b|who\b|whom\b|whose\b|how\b|why\b)[\w’'-]+,?\s+){1,7}?"
    r"(?:did|was|were|is|are|does|do|has|had|have|can|could|would|will|should)\s+\w")


def _answer_type(lowered: str) -> AnswerType:
    # "what was the name of the village near oslo ...?": the noun named says what is asked
    lowered_for_noun = _NAME_OF_THE.sub("which ", lowered)
    category = re.match(r"^(?:in\s+|on\s+|to\s+|from\s+|at\s+|by\s+)?(?:which|what)\s+(\w+)"
                        r"(?:\s+(\w+))?", lowered_for_noun)
    if category:  # "which country ...?": the noun says what is asked for
        noun = category.group(1)
        # "which bolshevik leaders ...": the noun after a modifier says it is a list.
        second = category.group(2) or ""
        # "which former anarchist wrote ...": so does the noun after a modifier.
        if second.endswith("s") or noun in _MODIFIERS:
            who_or_where = _PLURAL_NOUNS if second.endswith("s") else _SINGULAR_NOUNS
            if any(pattern.fullmatch(second) for kind, pattern in who_or_where
                   if kind in (AnswerType.PLACE, AnswerType.PERSON)):
                noun = second
        elif not any(pattern.fullmatch(noun) for _, pattern in _NOUNS) and any(
                pattern.fullmatch(second) for kind, pattern in _SINGULAR_NOUNS
                if kind in (AnswerType.PLACE, AnswerType.PERSON)):
            noun = second  # "which canadian camp ...": the noun after an adjective
        for kind, pattern in _NOUNS:
            if pattern.fullmatch(re.sub(r"ies$", "y", noun)):
                if noun.endswith("s") and kind in (AnswerType.PLACE, AnswerType.PERSON):
                    return AnswerType.LIST
                return kind
    for kind, pattern in _RULES:
        if pattern.search(lowered):
            return kind
    if _SET_YES_NO.match(lowered):
        return AnswerType.YESNO
    if re.match(r"^(?:which|what)\s+(?:of\s+)?(?:[\w']+\s+){0,3}?(?!was\b|is\b|has\b|does\b|"
                r"this\b|its\b|\w+'s\b)\w+s\s+(?:did|do|does|were|are|had|have|was|could|would)\b",
                lowered):
        return AnswerType.LIST
    return AnswerType.DESCRIPTION  # "what was the NEP?", "what did Lenin tell them?"


def outside_pronoun(text: str, people: PeopleRegistry) -> str | None:
    """A pronoun that names someone outside the question (the one talked about before).

    "when did he die?" and "what did he say about Stalin?" (he comes before any name) do;
    "where did Trotsky go after he left Norway?" does not (he is Trotsky), nor does "who
    started selling his books?" (his is whoever is asked about). "what did Lenin say about
    him?": him cannot be Lenin, so it does.
    """
    match = _PRONOUN_WORD.search(text)
    if match is None:
        return None
    names = people_in(text, people)
    if not names:
        # "who started selling his books?": his is whoever the question asks for.
        after_clause = re.search(r"\b(?:before|after|when|while|until|once|because|since|as|"
                                 r"and|but|then)\s+$", text[:match.start()], re.IGNORECASE)
        # "the rough workman who told the CC he spoke for ...": "he" is the one who told it
        reported = re.search(r"\bwho\s+(?:\w+\s+)?(?:told|said|claimed|declared|insisted|"
                             r"announced|replied|answered|boasted|warned|argued|wrote)\b[^,?]*$",
                             text[:match.start()], re.IGNORECASE)
        internal = (match.group(0).lower() in ("his", "her", "hers") or after_clause
                    or reported) and \
            re.search(r"\b(?:who|whose|whom|which|one of)\b", text[:match.start()],
                      re.IGNORECASE)
        return None if internal else match.group(0)
    first_name = min((m.start for m in people.mentions(_capitalized(text))), default=len(text))
    if match.start() < first_name and ASKS_ABOUT_SOMEONE.search(text):
        return match.group(0)
    objects = re.search(r"\b(?:about|of|on|to|with|against|for)\s+(him|her)\b", text, re.I)
    if objects and len(names) == 1 and objects.start() > first_name:
        # "lenin had a big stroke in may 1922, what did it do to him?": named only in the
        # clause that sets the scene, the one person is the "him" of the asking clause.
        asking, scene = asking_clause(text)
        if scene and not people_in(asking, people):
            return None
        return objects.group(1)
    return None


_PRONOUN_WORD = re.compile(r"\b(?:he|him|his|she|her|hers)\b", re.IGNORECASE)


def _capitalized(text: str) -> str:
    return re.sub(r"(?<![’'\w])([^\W\d_])", lambda m: m.group(1).upper(), text)


def people_in(text: str, people: PeopleRegistry) -> list[Person]:
    """People named in the question, in any case ("trotsky" as well as "Trotsky")."""
    found = people.mentions(text) or people.mentions(_capitalized(text))
    return list(dict.fromkeys(m.person for m in found))


def possessives_marked(text: str, people: PeopleRegistry) -> str:
    """"who was trotskys secretary?": a name with an "s" and no apostrophe is the name's
    possessive, read as "trotsky's" so that the name and what is theirs are both seen."""
    def marked(found: re.Match[str]) -> str:
        word = found.group(0)
        if people_in(word[:-1], people) and not people_in(word, people):
            return f"{word[:-1]}’s"
        return word

    return _UNMARKED_POSSESSIVE.sub(marked, text)


_UNMARKED_POSSESSIVE = re.compile(r"(?<![’'\w-])[^\W\d_]{3,}s\b(?![’'-])")


def _person_typo(word: str, people: PeopleRegistry, vocabulary: Vocabulary,
                 named: list[Person]) -> Person | None:
    """'Trotksy', 'Bukarin': a word the texts never use that is close to one person's name.

    A name is seldom mistyped in its first letter but for one that sounds the same
    ("Kamenev" as "Camenev", "Yoffe" as "Joffe"): "leese the land" is not Maria Reese."""
    if len(word) < 5 or stem(word) in vocabulary.documents:
        return None
    person, _ = people.resolve(word)
    if person is None or person in named:
        return None
    initial = _initial_sound(word)
    if not any(_initial_sound(form) == initial
               for name in person.names() for form in name.split()):
        return None
    return person


#: First letters that sound alike in the spellings of Russian names.
_SOUND_OF_INITIAL = {"c": "k", "q": "k", "j": "y", "i": "y", "z": "s", "v": "w"}


def _initial_sound(word: str) -> str:
    first = word[:1].casefold()
    return _SOUND_OF_INITIAL.get(first, first)


def _ambiguous_name_group(word: str, candidates: list[Person], vocabulary: Vocabulary
                          ) -> TermGroup:
    """A name several people share: any of their names will do, but one must be there."""
    forms = tuple(dict.fromkeys([word, *(f for p in candidates for f in p.names())]))
    weight = max((vocabulary.idf(s) for s in stems(word)), default=UNINDEXED_WEIGHT)
    return TermGroup(word, forms, tuple(tuple(stems(f)) for f in forms), weight=weight,
                     subject=True)


def _person_group(person: Person, vocabulary: Vocabulary) -> TermGroup:
    # A person weighs what the way the texts most often name them weighs: Trotsky, named in
    # hundreds of sentences, says little about which one answers; an alias the texts never
    # use ("Koba") must not make a mere mention of the name look like the whole answer.
    forms = tuple(person.names())
    indexed = [max(vocabulary.idf(s) for s in stems(form)) for form in forms
               if stems(form) and all(s in vocabulary.documents for s in stems(form))]
    weight = min(indexed) if indexed else UNINDEXED_WEIGHT
    return TermGroup(person.name, forms, tuple(tuple(stems(f)) for f in forms), person=person,
                     weight=weight)


# "against Stalin", "the opposition to Stalin", "to overthrow Stalin": the person as the
# regime or the doctrine that the texts call after them.
_OPPOSING = r"(?:against|opposition to|opposed to|resistance to|resisting|overthrow(?:ing)?)"


def _with_regime(group: TermGroup, asking: str) -> TermGroup:
    person = group.person
    if person is None:
        return group
    forms = [form for form in person.names()
             if re.search(rf"\b{_OPPOSING}\s+(?:the\s+)?{re.escape(form)}\b", asking,
                          re.IGNORECASE)]
    if not forms:
        return group
    surname = person.name.split()[-1]
    doctrine = (f"{surname}ism", f"{surname}ist", f"{surname}ists")
    return replace(group, alternatives=(*group.alternatives, *doctrine),
                   regime=tuple(dict.fromkeys(stem(word) for word in doctrine)))


_DECADE = re.compile(r"(?:19)?([1-9])0s")
# ("the tens" is too often "tens of thousands" to be a decade)
_DECADE_NAMES = dict(zip("23456789", ("twenties", "thirties", "forties", "fifties", "sixties",
                                      "seventies", "eighties", "nineties"), strict=True))


def _decade_forms(word: str) -> tuple[str, ...]:
    """"the 30s" is the 1930s, the thirties, and any year of them ("After 1934 ...")."""
    found = _DECADE.fullmatch(word.casefold())
    if found is None:
        return ()
    digit = found.group(1)
    named = (_DECADE_NAMES[digit],) if digit in _DECADE_NAMES else ()
    return (f"19{digit}0s", *named, *(f"19{digit}{n}" for n in range(10)))


def _word_group(word: str, lexicon: Lexicon, vocabulary: Vocabulary) -> TermGroup:
    alternatives = tuple(dict.fromkeys([*lexicon.alternatives(word), *_decade_forms(word)]))
    stemmed = tuple(tuple(stems(a)) for a in alternatives)
    # A group weighs what the typed word weighs (rare words say more); a word the texts
    # never use weighs what its commonest synonym in them does, and one with no form in
    # the texts at all as little as a common word: no sentence can hold it, so it must not
    # sink every sentence, yet a question about it should not be answered as if unasked.
    indexed = [phrase for phrase in stemmed if phrase and all(
        s in vocabulary.documents for s in phrase)]
    if not indexed:
        return TermGroup(word, alternatives, stemmed, weight=UNINDEXED_WEIGHT, unindexed=True)
    typed = stemmed[0] if stemmed and stemmed[0] in indexed else None
    if typed is not None and len(typed) >= 3 and \
            sum(s not in _QUESTION_STEMS for s in typed) >= 2:
        # "keep in line" weighs what "keep" and "line" do, not the "in" of every sentence
        weight = _phrase_weight(typed, vocabulary, meaning_only=True)
    elif typed is not None:
        weight = min(vocabulary.idf(s) for s in typed)
    else:
        # A phrase the texts never use weighs what its synonyms' words of meaning do; a
        # single word keeps the weight of its synonyms' commonest words.
        weight = min(_phrase_weight(phrase, vocabulary, meaning_only=" " in word.strip())
                     for phrase in indexed)
    return TermGroup(word, alternatives, stemmed, weight=max(weight, 0.5),
                     implied=lexicon.implied_forms(word))


def _phrase_weight(phrase: tuple[str, ...], vocabulary: Vocabulary, *, meaning_only: bool
                   ) -> float:
    """What a synonym weighs for a phrase the texts never use ("keep tabs on"): what its
    commonest word of meaning weighs ("control", "keep ... line"), not the "on" or "in" that
    every other sentence holds."""
    meaning = [s for s in phrase if not meaning_only or s not in _QUESTION_STEMS] or list(phrase)
    return min(vocabulary.idf(s) for s in meaning)



_HYPHENATED = re.compile(r"\b([^\W\d_]{2,})-([^\W\d_]{2,})\b")
# Two words a member writes apart ("long time", "work force"); a lookahead, so that each
# word can pair with the one before it and the one after it.
_SPACED = re.compile(r"\b(?=([^\W\d_]{3,}) ([^\W\d_]{3,})\b)")


def _compounds_written_whole(asking: str, vocabulary: Vocabulary
                             ) -> list[tuple[str, tuple[str, str]]]:
    """Words the question splits that the texts write as one: hyphenated ("pro-industrial"
    beside the texts' "proindustrial") or spaced ("his long time aide" beside "his longtime
    aide"). The index splits the hyphenated form into two words, and neither form would ever
    find the joined one from the parts."""
    found = [(hyphenated.group(0), (hyphenated.group(1), hyphenated.group(2)))
             for hyphenated in _HYPHENATED.finditer(asking)]
    found += [(f"{pair.group(1)} {pair.group(2)}", (pair.group(1), pair.group(2)))
              for pair in _SPACED.finditer(asking)
              if not {pair.group(1).casefold(), pair.group(2).casefold()} & QUESTION_WORDS]
    return [(compound, parts) for compound, parts in found
            if "".join(parts).casefold() not in QUESTION_WORDS
            and stem("".join(parts)) in vocabulary.documents]


def _compound_group(compound: str, parts: tuple[str, str], vocabulary: Vocabulary
                    ) -> TermGroup:
    alternatives = (compound, "".join(parts))
    stemmed = tuple(tuple(stems(a)) for a in alternatives)
    # As telling as its rarer part: "pro-industrial" says more than "industrial" alone.
    weight = max((vocabulary.idf(s) for s in stemmed[0]), default=UNINDEXED_WEIGHT)
    return TermGroup(compound, alternatives, stemmed, weight=max(weight, 0.5))


def _dedupe(groups: list[TermGroup]) -> list[TermGroup]:
    seen: set[str] = set()
    kept = []
    for group in groups:
        key = group.person.name if group.person else " ".join(group.stems[0] if group.stems
                                                               else ())
        if key and key not in seen:
            seen.add(key)
            kept.append(group)
    return kept
