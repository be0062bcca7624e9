"""Pull the answer of the asked type out of a sentence: a person, a place, a date, a number...

Each extractor reads the words of the corpus and returns them as the text has them (never a
paraphrase), or None when the sentence holds nothing of that type: then the sentence is not
the answer, however well it matches the question's words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import pairwise

from bot.answers.ask.analysis import (
    ASKS_CAPACITY,
    ASKS_WHAT_MADE_UP,
    QUESTION_WORDS,
    RELATIVE_OF,
    AnswerType,
    Question,
    TermGroup,
)
from bot.answers.ask.retrieve import FIRST_PERSON, PRONOUN, Window, asks_itself, covered
from bot.answers.ask.texts import TITLE_OF_ANOTHER
from bot.corpus.dates import dates_in, days_without_year
from bot.corpus.lexicon import stems
from bot.corpus.people import Mention, PeopleRegistry, Person

MAX_PHRASE = 240
MARKER_AFTER_VERB = 90  # characters after the question's verb a "because"/"with" may stand
# ... and before it: 'Stalin “used his wide powers of appointment to eliminate from important
# posts"' answers "how did Stalin get them out of the important posts?"
MARKER_BEFORE_VERB = 60
SUBJECT_BEFORE, OBJECT_AFTER = 45, 30  # where the doer or undergoer of a verb stands
OWNER_BEFORE = 25  # characters before a number in which the thing that has it stands
FRAMING_WEIGHT_MAX = 2.0  # a question word weighing no more than this only frames it
DONE_NEAR = 90  # characters from a date or place to the question word it dates or places
SUBJECT_DISTANCE = 25  # "his wife, Natalia Sedova, were deported": the subject is that close
ROLE_DISTANCE = 30  # characters between a role ("prosecutor") and the name that holds it
NEGATION_REACH = 30  # characters between a "not" and the question's word it negates
YES_NO_COVERAGE = 0.6  # a sentence settles a yes/no question only when it holds this much of it
# ... and this much of what it asks beyond the names: a member's question carries words of
# its own ("did Lenin *admit* the NEP was a retreat?" against "Lenin acknowledged ..."), so
# not every one of them can be asked for (0.6 let "would X have changed Y?" be answered yes
# by a sentence on Y with no change in it).
YES_NO_CONTENT = 0.65


@dataclass(frozen=True, slots=True)
class Extracted:
    answer: str  # the words of the text that answer the question
    at: int = 0  # where in the window's text they stand (to prefer the main sentence)
    note: str | None = None  # e.g. "the texts give no name"


_NUMBER_WORD = (r"(?:(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
                r"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|"
                r"fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion|dozen|"
                r"half|few|several|dozens|hundreds|thousands|millions|tens|quarters?|thirds?|"
                r"tenfold|twice|once)\b)")
# The part a fraction written in words counts in ("one-seventh", "two-fifths"), after its
# hyphen only: alone, "seventh" is an ordinal ("the seventh congress").
_DENOMINATOR = (r"(?:half|halves|third|quarter|fifth|sixth|seventh|eighth|ninth|tenth|twelfth|"
                r"fifteenth|twentieth|thirtieth|fortieth|fiftieth|sixtieth|seventieth|eightieth|"
                r"ninetieth|hundredth|thousandth)s?\b")
# "about", "nearly", "more than" ... before a number: part of the answer, not the count.
_QUALIFIERS = (r"(?:(?:about|around|some|nearly|almost|over|more than|less than|at least|"
               r"roughly|approximately|up to|only|just|a|an|the)\s+)*")
_NUMBER = re.compile(
    rf"\b{_QUALIFIERS}"
    rf"(?:\d+(?:[,.]\d+)*(?:\s?(?:%|per\s?cent|percent))?|{_NUMBER_WORD})"
    rf"(?:[\s-]+(?:(?:and|or|to)\s+)?(?:an?\s+)?(?:of\s+)?(?:an?\s+)?"
    rf"(?:\d+(?:[,.]\d+)*(?:\s?(?:%|per\s?cent|percent))?|{_NUMBER_WORD}))*"
    # "one-seventh of the calories", "one-fortieth of their normal output": a fraction
    rf"(?:-{_DENOMINATOR})?"
    # "a six-year wave": the unit joined to the number by a hyphen
    rf"(?:-(?:year|month|week|day|hour|mile)s?(?:-long|-old)?\b)?"
    rf"(?:\s+(?:of\s+)?(?!and\b|the\b|to\b|in\b|of\b|was\b|were\b|had\b)[a-z][\w’'-]*){{0,2}}",
    re.IGNORECASE)
# The words of a number phrase that are the number, not what it counts.
_NOT_COUNTED = re.compile(rf"\d[\d,.]*|{_NUMBER_WORD}|and|or|to|of|an?", re.IGNORECASE)
_YEARLIKE = re.compile(r"^(?:1[6-9]\d\d|20[0-4]\d)$")
_UNITS = {
    "far": r"miles?|kilomet\w+|km|versts?",
    "long": r"years?|months?|weeks?|days?|hours?|decades?",
    "old": r"years?",
}
_REASON = re.compile(
    r"\b(?:because(?: of)?|since|as a result of|due to|owing to|in order to|so as to|so that|"
    # "Now that the peasantry had been granted their main demand, ... they had little
    # interest in ...": the state of things the act answered
    r"now that|given that|seeing that|in view of|"
    # "out of fear", not "passed in and out of the Trotskyist fold"
    r"for fear|for the sake of|out of(?!\s+(?:the|a|an|his|her|their|its|this|that)\b)|"
    r"thanks to|in response to|on the grounds that|"
    r"for the (?:opportunity|chance|prospect|hope|promise)\b|"
    r"the reason|which (?:led|forced|caused|meant)|forced|fearing|afraid|"
    # the motive named as what the act showed or came from: "... likely reflected a wish to
    # protect supporters", "driven by fear of ...", "stemmed from ..."
    r"reflect(?:ed|s|ing)?|motivated by|driven by|prompted by|stemm(?:ed|ing|s) from|"
    r"rooted in|a (?:wish|desire|need) to|would only|could only|only serve|"
    # the end the act served: "a political retreat was necessary to keep the peasantry on side"
    r"(?<=\s)(?:necessary|needed|essential|required|vital|indispensable)\s+(?:to|for)(?=\s))\b"
    # "It took the triumph of Adolf Hitler ... to compel Trotsky to alter his belief"
    r"|\bit took\b(?=[^.;]{3,120}?\bto (?:compel|make|force|convince|persuade|push|drive)\b)"
    # a sentence opening on the state of mind its subject acted in: "Concerned about ensuring
    # the survival of the workers' state ..., Trotsky did not call for its overthrow"
    r"|(?:^|(?<=[.!?]\s)|(?<=[.!?]”\s))(?:Concerned|Worried|Anxious|Afraid|Fearful|Fearing|"
    r"Determined|Hoping|Convinced|Believing|Seeing|Realizing|Realising|Recognizing|"
    r"Recognising|Aware|Unwilling|Eager|Desperate|Wishing|Wanting)\b"
    # the purpose the sentence opens on: "To protect themselves the peasants began hoarding"
    r"|(?:^|(?<=[.!?]\s))To [a-z]+\b"
    # a cause opening the sentence: "But as the Bolsheviks refused to join, Trotsky found
    # himself de-facto in a block with the Mensheviks"
    r"|(?:^|(?<=[.!?]\s)|(?<=[.!?]”\s))(?:(?:But|And|So)\s+)?[Aa]s\s+"
    r"(?=(?:the|he|she|they|it|this|these|his|her|their|its|(?-i:[A-Z])\w+)\s)(?=[^,.;]{5,140},\s)",
    re.IGNORECASE)
_POINTS_BACK = re.compile(r"as (?:this|that|it|such)\b", re.IGNORECASE)
# A sentence-opening "as" clause ends at its comma; the main clause after it is the result.
_OPENING_AS = re.compile(r"(?:(?:But|And|So)\s+)?as\s+", re.IGNORECASE)
# The next sentence judging the act just told is its reason: "Stalin proposed only regional
# autonomy with a strong centre. It was easier to rule that way."
_JUDGED_NEXT = re.compile(r"^(?:It|This|That)\s+(?:was|is|would be|seemed|made it)\s+(?:much\s+|"
                          r"far\s+)?(?:\w+er|more|less|better|worse)\b")
_MANNER = re.compile(
    r"\b(?:with (?:an?|the|his|her|their|its|our|my)\s|by (?:means of\s)?(?:\w+ing\b|an?\s|the\s)|"
    # "crushed the rebellion with characteristic brutality", "drove them away with
    # ultimatums": "with" and a lowercase noun or its adjective, not a pronoun ("with whom")
    # nor a gerund ("charged ... with organizing an armed insurrection": what, not how)
    r"with (?!(?:whom|which|what|that|this|these|those|it|him|her|them|me|us|you|each|one|"
    r"itself|himself|herself|themselves|oneself|"
    r"all|both|and|or|regard|respect|reference)\b)(?!\w+ing\b)(?=(?-i:[a-z]))|"
    # "compelled to yield power ... only by force": "by" and a bare noun
    r"by (?!(?:the|an?|his|her|their|its|which|whom|what|that|this|these|those|then|now|"
    r"far|no|all|way|itself|himself|herself|themselves|virtue|contrast|comparison|nature|"
    r"definition|default|heart)\b)(?=(?-i:[a-z]{3,})\b)|"
    r"through\s|via\s|using\s|in the form of\s|in the manner of\s|by way of\s|by dint of\s|"
    # "Stalin used his wide powers of appointment to eliminate ...": what was used is the how
    # ("... employed violence to induce compliance ...")
    r"(?:us(?:ed|es)|employ(?:ed|s))\s+(?=(?:his|her|their|its|the|an?)\s[^.;]{3,80}?\bto\s+[a-z]|"
    r"(?-i:[a-z])[^.;]{2,80}?\bto\s+[a-z])|"
    # how someone took their own life: the act is the manner ("he shot himself in the head")
    r"(?:shot|hanged|hung|poisoned|drowned|stabbed|gassed|starved|threw|hurled|burned)\s+"
    r"(?:himself|herself|themselves)\b|"
    # "the most effective instruments in extracting grain from the peasants were the ‘iron
    # detachments’": the means named as such
    r"(?:instruments?|means|tools?|methods?|weapons?)\s+(?:in|of|for)\s+[^.;]{3,80}?\s+"
    r"(?:were|was)\s|"  # (_MEANS_NAMED)
    # "To combat the superior white cavalry, Trotsky organised ...": what was done for the
    # purpose the sentence opens on is the how.
    r"(?:^|(?<=[.!?]\s))To [a-z]+\b[^,.;:]{3,90},\s)", re.IGNORECASE)
_MEANS_NAMED = re.compile(r"(?:instruments?|means|tools?|methods?|weapons?)\s+(?:in|of|for)\s",
                          re.IGNORECASE)
# A marker opening a sentence belongs to its main verb wherever that stands: "Only by
# threatening resignation, ... did Lenin wreak his will."
_OPENS_SENTENCE = re.compile(r"(?:^|[.!?][”’\"]?\d*\s+)(?:(?:Only|But|And|Yet|So|Then|Thus)\s+)?$")
# The reason given as what the act would lead to ("Terrorist acts would only serve as
# pretexts for even greater repression"): the whole clause is the answer.
_PURPOSE = re.compile(r"To [a-z]+\b", re.IGNORECASE)
_CONSEQUENCE = re.compile(r"(?:would|could) only|only serve", re.IGNORECASE)
# "driven to suicide by the persecutions", "crushed by the army": after a past participle,
# "by" names who or what did it, not how.
_AGENT_BY = re.compile(r"\b\w+(?:ed|en)\b(?:\s+\S+){0,2}\s+$", re.IGNORECASE)
# "least to gain by speculative hoarding", "stood to lose by it": the "by" of what a gain or
# a loss comes from, not the way something was done.
_DONE_BY = re.compile(r"\b([\w’'-]+(?:ed|en))\s+by\s+")  # "headed by Stalin"
_GAINED_BY = re.compile(r"\b(?:gain\w*|lose|losing|lost|profit\w*|benefit\w*)\s+$",
                        re.IGNORECASE)
# "get money moving through the country": after a verb of motion, "through" is the way
# something went, not the means.
_MOTION_THROUGH = re.compile(r"\b(?:mov\w*|pass\w*|went|go\w*|travel\w*|spread\w*|ran|"
                             r"run\w*|flow\w*|walk\w*|march\w*|swe[ep]\w*|tour\w*)\s+$",
                             re.IGNORECASE)
_CLAUSE_END = re.compile(r"[.;:!?”]|,\s(?:and|but|which|while|where)\b|\s[–—]\s")
_CAPITALIZED = re.compile(r"\b(?:[A-Z][\w’'-]+|de|von|van|al)(?:\s+(?:[A-Z][\w’'-]+|de|of|the))*"
                          r"\s*(?:[A-Z][\w’'-]+)?")
# "outside of Paris", "northwest of Oslo": a place given by where it lies from another.
# (a sentence may open on its preposition: "In Moscow, a market woman was arrested ...")
_PLACE_PREP = re.compile(r"\b(?:in|In|to|at|At|from|From|into|near|across|outside(?: of)?|"
                         r"inside|toward|above|below|beyond|"
                         r"towards|reached|entered|left|visited|in front of|opposite|beside|"
                         r"next to|(?:north|south|east|west|northeast|northwest|southeast|"
                         r"southwest)(?:-\w+)? of"
                         # "the city of Kazan", "the prison cells of Lyubanka", "the prison
                         # camps of Vorkuta"; "the treaty of Brest-Litovsk" is named for the
                         # place where it was signed
                         r"|(?:city|town|village|port|prison|prisons|cells|fortress|capital|"
                         r"province|region|outskirts|suburbs|streets|island|republic|camp|"
                         r"camps|treaty|peace|battle|siege|office|offices|headquarters) of)"
                         r"\s+(?:the\s+)?"
                         # "the “Peter and Paul Fortress” prison": a quoted name whole
                         r"(?:[“\"](?P<quoted>[A-Z][^”\"]{1,40}?)[”\"]|"
                         r"(?P<place>[A-Z][\w’'-]+(?:[\s-]+(?:[A-Z][\w’'-]+|de|del|on))*))")
_NOT_PLACES = re.compile(
    r"^(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Marxism|Stalinism|Trotskyism|Leninism|Bolshevism|Bolsheviks?|Mensheviks?|"
    r"Communist|Party|Revolution|Opposition|The|A|An|His|Her|Their|This|That|Lenin|Stalin|"
    r"Trotsky|Marx|Engels|God|Soviets?|Thermidor|October|International|Left|Right|Red|"
    # "the workers' State", "the Government": a body, not where anything happened
    r"State|Government|Politburo|Politbureau|Committee)\b")
_NOT_NAMES = re.compile(
    r"\b(?:Party|Revolution|Army|International|Union|Soviet|Opposition|Committee|Congress|War|"
    r"Republic|State|Bureau|Politburo|PolitBuro|Plan|Review|Press|Books?|Institute|Trials?|"
    r"Guard|Code|Circle|Church|Empire|Front|Council|Commissariat|School|Fortress|Levy|"
    r"Department|Street|Square|River|Sea|Ocean|Mountains?|Revolutionary|Marxism|Russian|"
    r"Russia|Mexico|Germany|France|Norway|Turkey|Europe|America|China|Spain|English|"
    r"Stalinist|Bolshevik|Communist|Socialist|Workers|Trotskyist|Menshevik|Guard|Left|Right)s?\b")
# Places that _NOT_NAMES keeps from being read as people's names.
# "North America", "Western Europe": a compass word before one is a place too.
_COUNTRY = re.compile(r"^(?:(?:North|South|East|West|Central|Northern|Southern|Eastern|Western)"
                      r"\s+)?(?:Russia|Mexico|Germany|France|Norway|Turkey|Europe|America|China|"
                      r"Spain)$")
# A dash closes a list as a colon opens one: "the Whites—former Russian generals, landlords
# and capitalists backed by governments across the world—began ...".
_ENUMERATION = re.compile(r"(?<![\w’'-])(?P<items>(?:[^,;:.()—–]{2,60},\s+){1,12}"
                          r"[^,;:.()—–]{2,60}?,?\s+(?:and|or)\s+[^,;:.()—–]{2,60}?)"
                          r"(?=[,;:.()—–]|$|\s(?:were|was|had)\b)")
_NEGATION = re.compile(r"\b(?:not|never|no|nor|neither|refused|n't|denied|without|failed)\b",
                       re.IGNORECASE)


# Characters between an answer and the question's key word it must lie within: a date or a
# place belongs to the clause it stands in, a person may be named a little further off.
NEAR_FOCUS = {AnswerType.PERSON: 110, AnswerType.PLACE: 70, AnswerType.DATE: 80,
              AnswerType.NUMBER: 90}
# ... and the person asked about must stand as near the key word, or be its "he"/"his".
PERSON_NEAR_FOCUS = 120
PERSON_NEAR_OTHER_WORD = 60  # ... or, of several asked about, this near another of its words


def extract(question: Question, window: Window, people: PeopleRegistry) -> Extracted | None:
    """The answer the window gives, of the type the question asks for.

    A person, place, date or number must stand near the words of the question it answers
    (in a long sentence, a date 200 characters from "died" is another event's), and the
    thing asked about must not belong to someone else ("when did Stalin die?" is not
    answered by "after Lenin's death in 1924").
    """
    extractor = _EXTRACTORS.get(question.kind)
    if extractor is None or _owned_by_another(question, window.text, people):
        return None
    found = extractor(question, window, people)
    limit = NEAR_FOCUS.get(question.kind)
    if found is None or limit is None or found.note in ("the texts give no name", HERE_NAMED):
        return found
    main_at = window.text.find(window.main.text)
    if found.at < main_at and not _verbs_own_object(question, window, people, found) and \
            not window.text[:main_at].rstrip().endswith(":") and \
            _PRONOUN_SUBJECT.match(window.main.text) is None:
        # the sentence before only sets the scene: "(CWI in Russia). ... birth"; one that
        # introduces the main one with a colon says whose words follow ("In his obituary on
        # Trotsky, Victor Serge, ..., reflected on his comrade's legacy: “I have never ...")
        return None
    positions = _content_positions(question, window.text) or [0]
    if min(abs(found.at - p) for p in positions) > limit:
        return None
    # Someone the question names only as the object of another's deed ("the workers who
    # sent Stalin a poem") may be named in the window by a title ("the beloved leader"),
    # away from where the deed is told.
    if not _asked_people_near(question, window.text, _first_focus_at(question, window.text),
                              people, window.speaker, window.lead_in) and not (
            question.kind in _PLACED and question.people
            and all(asked_as_object(p, question.text) for p in question.people)):
        return None
    if question.kind in (AnswerType.DATE, AnswerType.PLACE) and not _done_by_asked(
            question, window.text, found.at, people):
        return None
    return found


def about_the_asked(question: Question, text: str, people: PeopleRegistry) -> bool:
    """The words asked are said of the people asked about in ``text``: they stand near the
    key word and the thing asked is not someone else's ("Lenin's death" for Stalin's)."""
    return not _owned_by_another(question, text, people) and _asked_people_near(
        question, text, _first_focus_at(question, text), people)


def _done_by_asked(question: Question, text: str, at: int, people: PeopleRegistry) -> bool:
    """"when did Victor Serge die?": the dying next to the date must be Serge's (his name or
    "he" just before one of the question's words near the date, or his name just after it:
    "killed Leon Trotsky"), not that of the millions Serge wrote about."""
    if len(question.people) != 1 or not question.content_groups:
        return True
    person = question.people[0]
    if person.name in _tellers(question):
        return True  # "the prague spring that mandel talks about": he tells of it, not does it
    places = [p for p in _content_positions(question, text) if abs(p - at) <= DONE_NEAR]
    if not places:
        return True
    mentions = people.mentions(text)
    if _undergone_by_another(person, text, places, mentions):
        return False
    owned = re.search(rf"\b(?:{'|'.join(re.escape(f) for f in person.names())})[’']s\s",
                      question.text, re.IGNORECASE)
    if owned and not RELATIVE_OF.search(question.text):
        return True  # "Trotsky's conscript army": a thing of theirs, not a deed or fate
    if asked_as_object(person, question.text):
        return True  # "the workers who sent Stalin a poem": the doers are others
    implied = {m.start() for group in question.content_groups for form in group.implied
               for m in word_start(form).finditer(text)}
    spans = [(m.start, m.end) for m in mentions if m.person.name == person.name]
    relative = RELATIVE_OF.search(question.text)
    if relative is not None and spans and any(
            _KIN.search(text[max(0, verb - DONE_NEAR):verb]) for verb in places):
        # "where did one of Trotsky's kids take his own life?": "Of his four children, ...
        # one was driven to suicide in Berlin" is the child's deed, told of Trotsky's kin.
        return True
    for verb in places:
        before = text[max(0, verb - SUBJECT_BEFORE):verb]
        if any(verb < start <= verb + OBJECT_AFTER for start, _ in spans):
            return True  # "killed Leon Trotsky": what was asked happened to them
        if verb in implied and not re.search(r"\b(?:was|were|been|being)\s+(?:\w+\s+)?$",
                                             before):
            continue  # "Mercader killed ...": the killer is not the one who died
        if any(verb - SUBJECT_BEFORE <= end <= verb or _relative_clause_reaches(text, end, verb)
               for _, end in spans):
            return True
        if spans and PRONOUN.search(before):
            return True
    return False


# "Joseph Stalin—who had made no useful theoretical contributions ..., and had been wrong in
# all the major party debates in 1917—rose ...": a relative clause opened right after a name,
# not yet closed, tells of that person however long it runs.
_RELATIVE_OPEN = re.compile(r"\s*[—–,]\s*who\b[^—–()]*$")


def _relative_clause_reaches(text: str, name_end: int, at: int) -> bool:
    """Does a "who" clause opened right after the name ending at ``name_end`` run on to
    ``at`` (the question's word there is said of that person)?"""
    return name_end <= at and _RELATIVE_OPEN.match(text, name_end, at) is not None


def _undergone_by_another(person: Person, text: str, verbs: list[int],
                          mentions: list[Mention]) -> bool:
    """"which prison was trotsky put in when he was arrested in july 1917?" against "when
    Kamenev had been arrested and was sitting in the “Peter and Paul Fortress” prison": the
    question's deed next to the place (at ``verbs``) is told of someone else, named just
    before it, and the person asked stands nowhere by it."""
    for verb in verbs:
        theirs = any(m.person.name == person.name and (
            verb - SUBJECT_BEFORE <= m.end <= verb or verb < m.start <= verb + OBJECT_AFTER)
            for m in mentions)
        if theirs or PRONOUN.search(text[max(0, verb - SUBJECT_BEFORE):verb]):
            return False
    return any(m.person.name != person.name and verb - SUBJECT_BEFORE <= m.end <= verb
               for verb in verbs for m in mentions)


# Words after which a name is the subject of the question or of its clause ("where did
# Trotsky go", "when Stalin died", "Trotsky and Natalia").
_BEFORE_A_SUBJECT = frozenset(
    "did does do was were is are had has have will would could can should when where why how "
    "what who whom which and or after before while until since once as if that than "
    "according".split())


_PLACED = (AnswerType.PLACE, AnswerType.NUMBER)


def asked_as_object(person: Person, question_text: str) -> bool:
    """Is the person asked about the object of the question's verb or of a preposition
    ("who sent Stalin a poem", "the meeting with Lenin"), not its doer?"""
    names = "|".join(re.escape(f) for f in sorted(person.names(), key=len, reverse=True))
    found = re.search(rf"(\w+)\s+(?:{names})\b(?![’'])", question_text, re.IGNORECASE)
    if found is None:
        return False
    before = found.group(1).casefold()
    return before not in _BEFORE_A_SUBJECT and (before not in QUESTION_WORDS
                                                or before in _VERBS_AMONG_QUESTION_WORDS)


# Verbs that QUESTION_WORDS lists for their everyday use, whose object a name after them is
# ("when did the canadians let trotsky go?": he did not let, he was let go).
_VERBS_AMONG_QUESTION_WORDS = frozenset("let make made put take took get got call called".split())


_KIN = re.compile(r"\b(?:wife|husband|sons?|daughters?|child(?:ren)?|kids?|brothers?|sisters?|"
                  r"father|mother|partners?|secretary|widow|family)\b", re.IGNORECASE)


def _content_positions(question: Question, text: str) -> list[int]:
    """Where the question's content words (not its names) stand in ``text``."""
    return list(_positions_of(question.content_groups, text))


@lru_cache(maxsize=512)
def _positions_of(groups: tuple[TermGroup, ...], text: str) -> tuple[int, ...]:
    # One question reads the same few windows again and again (each gate, each extractor).
    return tuple(m.start() for group in groups for alternative in group.alternatives
                 for m in word_start(alternative).finditer(text))


def _asked_people_near(question: Question, text: str, focus: int,
                       people: PeopleRegistry, speaker: str | None = None,
                       lead_in: str = "") -> bool:
    """Each person the question names stands near its key word (or is "he" right there,
    named in the window or in the ``lead_in`` before it, or the ``speaker`` of the quotation
    says "I" there)."""
    if not question.content_groups:
        return True
    mentions = people.mentions(text)
    named = {m.person.name for m in mentions} | {m.person.name for m in people.mentions(lead_in)}
    setting = {g.person.name for g in question.groups if g.person is not None and g.setting}
    tellers = _tellers(question)
    # Of two or more people asked about, only one can stand at the key word: "the conflict
    # with the horrific position of Stalin over ... autonomy in the Caucasus" is Trotsky's
    # when "Trotsky" stands by "the conflict", another of the question's words (found only
    # when a person is not at the key word).
    others_at: list[int] | None = None if len(question.people) > 1 else []
    for person in question.people:
        if person.name in setting:
            continue  # "... once Stalin was winning": when, not who
        if person.name in tellers and person.name in named:
            continue  # "who does Cox count among ...": Cox tells it, the window names him
        if person.name == speaker and FIRST_PERSON.search(
                text[max(0, focus - PERSON_NEAR_FOCUS):focus + PERSON_NEAR_FOCUS]):
            continue
        theirs = [m for m in mentions if m.person.name == person.name]
        near = any(abs(m.start - focus) <= PERSON_NEAR_FOCUS
                   or _relative_clause_reaches(text, m.end, focus) for m in theirs)
        if not near and theirs and others_at is None:
            others_at = _content_positions(question, text)
        near = near or any(abs(m.start - at) <= PERSON_NEAR_OTHER_WORD
                           for m in theirs for at in others_at or ())
        pronoun = PRONOUN.search(text[max(0, focus - 80):focus + 10])
        if not near and not (pronoun and person.name in named) \
                and not _their_kind_near(person, question.text, text, focus):
            return False
    return True


# What a teller does in a question: "who does Cox count among ...", "who did Trotsky say
# was behind ...", "according to Serge", "in Trotsky's view".
_TELLING = (r"(?:say|think|count|call|consider|describe|list|name|see|believe|claim|write|argue|"
            r"reckon|blame|credit|praise|mention|quote|cite|single out|suggest|hold|regard)")
_TOLD = (r"(?:says|said|thinks|thought|counts|counted|calls|called|considers|considered|"
         r"describes|described|lists|listed|names|named|believes|believed|claims|claimed|"
         r"writes|wrote|argues|argued|reckons|reckoned|suggests|suggested|holds|held|"
         # "the prague spring that mandel talks about": he tells of it
         r"talks about|talked about|speaks of|spoke of|mentions|mentioned|refers to|"
         r"referred to|discusses|discussed)")


def _tellers(question: Question) -> set[str]:
    """The people the question names as telling what it asks, not as doing it: they may
    stand anywhere in the window (their own sentence before the one that answers)."""
    return {person.name for person in question.people
            if _telling_by(tuple(person.names())).search(question.text)}


@lru_cache(maxsize=1024)
def _telling_by(names: tuple[str, ...]) -> re.Pattern[str]:
    """Any of one person's names as the teller (see ``_tellers``), compiled once."""
    named = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    return re.compile(rf"\b(?:did|does|do|would|has|had)\s+(?:{named})\s+(?:\w+ly\s+)?"
                      rf"{_TELLING}\b|\baccording\s+to\s+(?:{named})\b|"
                      rf"\bin\s+(?:{named})[’']s\s+(?:view|account|opinion|words|eyes)\b|"
                      rf"\b(?:{named})\s+{_TOLD}\b", re.IGNORECASE)


def _their_kind_near(person: Person, question_text: str, text: str, focus: int) -> bool:
    """"Stalin's political police" asked, "the Stalinist political police" said: a thing
    the question gives as someone's, named in the text by the adjective of their name."""
    surname = person.name.split()[-1]
    if not re.search(rf"\b{re.escape(surname)}[’']s\b", question_text, re.IGNORECASE):
        return False
    near = text[max(0, focus - PERSON_NEAR_FOCUS):focus + PERSON_NEAR_FOCUS]
    return re.search(rf"\b{re.escape(surname)}(?:ist|ite)s?\b", near) is not None


@lru_cache(maxsize=4096)
def _any_of(words: tuple[str, ...]) -> re.Pattern[str]:
    """Any of the words and their endings ("death", "deaths", "died"), in one pass over a
    text (longest first): one pattern per word and one pass each was most of a "when"
    question's reading at 100x the corpus."""
    starts = sorted({re.escape(_prefix(word)) for word in words}, key=len, reverse=True)
    return re.compile(rf"\b(?:{'|'.join(starts)})\w*", re.IGNORECASE)


# ... and the "of <Name>" after it ("the death of Lenin"). Matched apart from the word: a
# pattern of both, compiled for every new word of a question, took 1 ms to compile (the
# case-folded classes), a third of a plain question's time on the real corpus.
_OF_NAME = re.compile(r"\s+of\s+(?P<of>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?)", re.IGNORECASE)


def _owned_by_another(question: Question, text: str, people: PeopleRegistry) -> bool:
    """Every mention of the question's key word is another person's ("Lenin's death")."""
    asked = {g.person.name for g in question.groups if g.person is not None and not g.setting}
    if not asked or not question.content_groups:
        return False  # a person named only to say when owns nothing of the answer
    key = max(question.content_groups, key=lambda g: g.weight)
    owners: list[bool] = []
    for match in _any_of(key.alternatives).finditer(text):
        owner = _OWNER_BEFORE.search(text, max(0, match.start() - 30), match.start())
        of = _OF_NAME.match(text, match.end())
        named = owner.group(1) if owner else of.group("of") if of else None
        person = people.mentions(named)[0].person.name if named and people.mentions(
            named) else None
        owners.append(person is not None and person not in asked)
    return bool(owners) and all(owners)


# "Lenin's death", "Stalin had finally ...": whose the word is, named right before it.
_OWNER_BEFORE = re.compile(r"([A-Z][\w-]+(?:\s+[A-Z][\w-]+)?)(?:[’']s\s+(?:\w+\s+)?|\s+"
                           r"(?:had\s+|has\s+|finally\s+|himself\s+|was\s+)?)$")


@lru_cache(maxsize=4096)
def word_start(word: str) -> re.Pattern[str]:
    """A word's stem-ish start at a word boundary ("kill" finds "killed", "killing")."""
    return re.compile(rf"\b{re.escape(_prefix(word))}", re.IGNORECASE)


def _prefix(word: str) -> str:
    """The start of a word its inflections share: "killed" -> "kill", "execute" -> "execu"."""
    return word[:max(4, len(word) - 2)]


def _first_focus_at(question: Question, text: str) -> int:
    """Where the question's words gather in ``text``: the occurrence of one of its content
    words with the most other question words within a short distance (usually its verb)."""
    return _focus_of(question.groups, text)


@lru_cache(maxsize=512)
def _focus_of(groups: tuple[TermGroup, ...], text: str) -> int:
    occurrences: list[tuple[int, int, float]] = []  # (position, group number, weight)
    for number, group in enumerate(groups):
        forms = group.alternatives
        for alternative in forms:
            for match in word_start(alternative).finditer(text):
                occurrences.append((match.start(), number, group.weight))
    content = [o for o in occurrences if groups[o[1]].person is None]
    if not content:
        return 0

    def gathered(at: int) -> float:
        near = {n: w for p, n, w in occurrences if abs(p - at) <= 60}
        # The verb with its object right after it ("to execute Yezhov") beats the same verb
        # with the object somewhere near.
        follows = {n: w / 2 for p, n, w in occurrences
                   if groups[n].person is not None and 0 < p - at <= 30}
        return sum(near.values()) + sum(follows.values())

    # The rarest word of the question counts twice: it is the one that says what happened.
    return max(content, key=lambda o: (gathered(o[0]) + o[2], -o[0]))[0]


def person(question: Question, window: Window, people: PeopleRegistry) -> Extracted | None:
    text = window.text
    asked = {p.name for p in question.people}
    mentions = [m for m in people.mentions(text) if m.person.name not in asked]
    verb_at = _first_focus_at(question, text)
    if _asks_next(window):
        return _the_texts_answer(window, mentions)
    if _SUCCESSION.search(question.text) and question.people:
        return _successor_of(question, text, mentions, people)
    if question.role is not None:
        return _holder_of(question, text, mentions)
    kind = _WHICH_PERSON.match(question.text)
    if kind is not None:
        # "which spanish supporter of his did trotsky get frustrated with ...?": the one the
        # text names by that noun ("his erstwhile supporter, Andrés Nin"), when it does so
        beside = _holder_of(replace(question, role=kind["noun"]), text, mentions)
        if beside is not None and abs(beside.at - verb_at) <= NEAR_FOCUS[AnswerType.PERSON]:
            return beside
    owner = _whose(question, text, mentions)
    if owner is not None:
        return owner
    partner = _partner_with(question, text, mentions)
    if partner is not None:
        return partner
    undergoer = _object_of_asked_verb(question, window, mentions)
    if undergoer is not None:
        return undergoer
    if _names_no_one_but_he(window, mentions):
        # the doer is the "he" of the main sentence: whom it stands for, or no one
        return _antecedent_of_subject(window, mentions)
    undergone = _PASSIVE_QUESTION.match(question.text)
    if undergone and mentions:
        # "who was deported with Trotsky?": who underwent it, named before the verb.
        return _subject_of(undergone.group(1), question, text, mentions, verb_at)
    done_by = _done_by(question, text, mentions, people, verb_at)
    if done_by is not None:
        return done_by
    if mentions:
        by = text.find(" by ", verb_at)
        passive = re.search(r"\b(?:was|were|been|being|is|are)\s+(?:\w+ly\s+)?\w+(?:ed|en)\b",
                            text[max(0, verb_at - 25):verb_at + 25])
        if passive:
            # "X was expelled by Y": Y did it; "X and Z were expelled": nobody named did.
            after = [m for m in mentions if by >= 0 and m.start > by]
            return Extracted(after[0].person.name, after[0].start) if after else None
        # Named before the verb in its own sentence: not someone of the sentence before ("...
        # Tukhachevsky down were shot ... At the 1936 Moscow trial, prosecutor Andrei
        # Vyshinsky ...").
        opens = _sentence_start(window, verb_at)
        before = [m for m in mentions if opens <= m.start <= verb_at]
        group = _group_as_subject(text, opens, verb_at) if not before else None
        if group is not None:
            return group
        chosen = before[-1] if before else min(mentions, key=lambda m: abs(m.start - verb_at))
        return Extracted(_with_partners(chosen, mentions, text), chosen.start)
    surname = _shared_surname(question, text, people, verb_at)
    if surname is not None:
        return surname
    unregistered = _unregistered_names(text, question)
    if unregistered:
        return Extracted(*unregistered[0])
    described = re.search(r"\bby\s+(?P<who>(?:a|an|the)\s+[^,.;:()]{3,60}?)(?=[,.;:()]|\s(?:in|"
                          r"on|at|who|and|after)\b|$)", text[verb_at:])
    if described:
        return Extracted(described["who"], verb_at + described.start("who"),
                         note="the texts give no name")
    return None


# "Men of the Workers’ Opposition had already said that NEP stood for ...": a sentence whose
# subject is a group the registry does not list, named by its capitalised name.
_GROUP_SUBJECT = re.compile(r"[“\"‘]?(?:(?:Men|Members|Leaders|Supporters|Some|Many|Most)\s+of\s+)?"
                            r"(?:the\s+)?(?P<name>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)+)"
                            r"(?=\s+(?:had|have|has|was|were|had\s+already|\w+ed)\b)")


def _group_as_subject(text: str, opens: int, verb_at: int) -> Extracted | None:
    """The group the asked verb's own sentence opens on, rather than someone named in the
    sentence before it ("Shlyapnikov and Kollontai ... charged ..." is not who joked)."""
    found = _GROUP_SUBJECT.match(text, opens)
    if found is None or found.end() > verb_at:
        return None
    return Extracted(found.group(0).lstrip("“\"‘"), found.start())


DONE_BY_REACH = 60  # characters from "by" to the name of who did it
_WHO_DID = re.compile(r"^who\s+(?!was\b|were\b|is\b|had\b|has\b|did\b)([a-z]+ed)\b",
                      re.IGNORECASE)


def _done_by(question: Question, text: str, mentions: list[Mention], people: PeopleRegistry,
             verb_at: int) -> Extracted | None:
    """"the Workers' and Peasants' Inspection headed by Stalin", "a villa owned by the
    Norwegian socialist journalist, Konrad Knudsen": a participle of the question's verb with
    its "by" names who did it, with no "was" before it (a registry name or another)."""
    main_verb = _WHO_DID.match(question.text)
    for found in _DONE_BY.finditer(text):
        if not any(covered(g, found.group(1), people) for g in question.content_groups):
            continue
        # The question's own verb ("who *owned* the house near Oslo where ...") may stand
        # further from the rest of its words than another of them may.
        own = main_verb is not None and stems(found.group(1)) == stems(main_verb.group(1))
        if abs(found.start() - verb_at) > NEAR_FOCUS[AnswerType.PERSON] // (1 if own else 2):
            continue
        stop = _CLAUSE_END.search(text, found.end())
        reach = min(found.end() + DONE_BY_REACH, stop.start() if stop else len(text))
        named = [m for m in mentions if found.end() <= m.start < reach]
        if named:
            return Extracted(_with_partners(named[0], mentions, text), named[0].start)
        others = [(name, at) for name, at in _unregistered_names(text, question)
                  if found.end() <= at < reach]
        if others:
            return Extracted(*others[0])
    return None


# "who took over from Beria?", "who succeeded Lenin?", "who was Yagoda's successor?"
# "who took over the red army after trotsky": who came after them, not who else is named
_SUCCESSION = re.compile(r"\b(?:t(?:ake|ook|akes)\s+over\s+(?:(?!after\b|from\b)[\w’'-]+\s+){0,6}?"
                         r"(?:from|after)|succeed(?:ed)?|replaced|came\s+after|"
                         r"successor\s+(?:of|to))\s+\w|[’']s\s+successor\b", re.IGNORECASE)
_SUCCEEDED_BY = re.compile(r"\b(?:successor|succeeded\s+by|replaced\s+by|followed\s+by|"
                           r"then\s+by|gave\s+way\s+to)\b", re.IGNORECASE)


def _successor_of(question: Question, text: str, mentions: list[Mention],
                  people: PeopleRegistry) -> Extracted | None:
    """Who came after the person asked about: the one the text names as "his successor"
    (or "replaced by") after them; no one when the text names no one after them ("...
    then used his successor Lavrentiy Beria to execute Yezhov" has no successor of Beria)."""
    asked = {p.name for p in question.people}
    theirs = [m for m in people.mentions(text) if m.person.name in asked]
    if not theirs:
        return None
    after = theirs[0].end  # "used ... Yagoda ..., then used his successor Nikolai Yezhov"
    for mention in sorted(mentions, key=lambda m: m.start):
        if mention.start >= after and _SUCCEEDED_BY.search(text, after, mention.start):
            return Extracted(mention.person.name, mention.start)
    return None


# A main sentence whose doer is a pronoun: "It was he who first termed ... “Trotskyists”."
_PRONOUN_SUBJECT = re.compile(r"^\W*(?:It\s+was\s+(?:he|she|they)\s+who|(?:He|She))\b")


def _names_no_one_but_he(window: Window, mentions: list[Mention]) -> bool:
    """Is the main sentence's doer "he" ("It was he who first termed ..."), and does it name
    no one else?"""
    if _PRONOUN_SUBJECT.match(window.main.text) is None:
        return False
    main_at = window.text.find(window.main.text)
    return main_at >= 0 and not any(main_at <= m.start < main_at + len(window.main.text)
                                    for m in mentions)


def _antecedent_of_subject(window: Window, mentions: list[Mention]) -> Extracted | None:
    """Whom "he" stands for: the last person named before the main sentence ("The Liberal
    Pavel Milyukov ... found such a programme horrifying. It was he who first termed ..."),
    not someone of the sentence after."""
    main_at = window.text.find(window.main.text)
    before = [m for m in mentions if m.start < main_at]
    if not before:
        return None
    return Extracted(before[-1].person.name, before[-1].start)


def _asks_next(window: Window) -> bool:
    """Does the window, from its main sentence on, put a question of the text's own?"""
    return any(asks_itself(s.text) for s in window.sentences
               if s.sentence_id >= window.main.sentence_id)


def _the_texts_answer(window: Window, mentions: list[Mention]) -> Extracted | None:
    """'Who replaced him in Berlin? First the repented Oppositionist Krestinsky, then
    Khinchuk, ... and finally, Suritz': the people the text names answering its own question."""
    sentences = list(window.sentences)
    asking = next(i for i, s in enumerate(sentences) if asks_itself(s.text)
                  and s.sentence_id >= window.main.sentence_id)
    if asking + 1 >= len(sentences):
        return None  # the answer is in the sentence after the window
    answer = sentences[asking + 1].text
    start = window.text.find(answer)
    named = [m for m in mentions if start <= m.start < start + len(answer)]
    if start < 0 or not named:
        return None
    names = list(dict.fromkeys(m.person.name for m in named))
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" and {names[-1]}"
    return Extracted(joined, named[0].start)


def _sentence_start(window: Window, at: int) -> int:
    """Where, in ``window.text``, the sentence holding position ``at`` begins: by the
    window's sentences, or by an end the splitter let through ("... open trial.”154 At the
    1936 Moscow trial, ...", a note number after the closing quote)."""
    start = 0
    for sentence in window.sentences:
        end = start + len(sentence.text)
        if at <= end:
            break
        start = end + 1  # Window.text joins its sentences with one space
    ends = [m.end() for m in _SENTENCE_END.finditer(window.text, start, at)]
    return ends[-1] if ends else start


# A sentence's end with its closing quote and note number ("revolution.”96 "), whatever
# the splitter made of it: before a capital it ends one sentence, at a name's left a list.
_SENTENCE_BREAK = r"[.!?][”\"’)\]]*\d*\s+"
_SENTENCE_END = re.compile(_SENTENCE_BREAK + r"(?=[A-Z“\"])")


def _whose(question: Question, text: str, mentions: list[Mention]) -> Extracted | None:
    """"whose villa was trotsky staying in?": "Knudsen's villa", "a villa owned by ... Knudsen"."""
    # "when trotsky was living in norway, whose guest was he?": after a clause setting the scene
    asked = re.search(r"(?:^|,\s*)(?:at\s+|in\s+)?whose\s+(\w+)", question.text, re.IGNORECASE)
    if asked is None:
        return None
    noun = next((g for g in question.content_groups
                 if g.word.casefold() == asked.group(1).casefold()), None)
    # "whose house ...?": "a villa owned by the Norwegian socialist Konrad Knudsen"
    nouns = noun.alternatives if noun else (asked.group(1),)
    places = sorted((m for alternative in nouns for m in word_start(alternative).finditer(text)),
                    key=lambda m: m.start())
    for place in places:
        for m in mentions:
            before = text[m.end:place.start()]
            after = text[place.end():m.start]
            if re.fullmatch(r"[’']s\s+(?:\w+\s+)?", before) or re.fullmatch(
                    r"\w*[\s,]+(?:owned by|of|belonging to|rented from)\b[^.;]{0,50}", after):
                return Extracted(m.person.name, m.start)
    # "whose rivalries blew up ...?": "the tangle of Serbian, Greek, Bulgarian and Turkish
    # contradictions": the peoples named before the noun (or its synonym) are whose.
    for alternative in nouns:
        if " " in alternative:
            continue
        owners = re.search(r"(?P<who>(?:(?-i:[A-Z])[\w’'-]+,\s+)*(?-i:[A-Z])[\w’'-]+,?\s+"
                           r"(?:and|or)\s+(?-i:[A-Z])[\w’'-]+)\s+" + re.escape(alternative) +
                           r"\b", text, re.IGNORECASE)
        if owners is not None:
            return Extracted(owners["who"], owners.start("who"))
    # "... as a guest of the ruling Labor Party": a body, not a person of the registry.
    body = re.search(rf"\b{re.escape(asked.group(1))}\w*\s+of\s+(?:the\s+)?"
                     r"(?P<who>(?:[a-z]+\s+)?(?-i:[A-Z])[\w’'-]+(?:\s+(?-i:[A-Z])[\w’'-]+)*)",
                     text, re.IGNORECASE)
    if body is not None:
        return Extracted(body["who"], body.start("who"))
    return None


def _partner_with(question: Question, text: str, mentions: list[Mention]) -> Extracted | None:
    """"who did trotsky team up with ...?": the people the text names right after "with"."""
    if not re.match(r"^who(?:m)?\s+did\s+.+\s+with\b", question.text, re.IGNORECASE):
        return None
    for match in re.finditer(r"\bwith\s+", text):
        after = [m for m in mentions if 0 <= m.start - match.end() <= 12]
        if after:
            return Extracted(_with_partners(after[0], mentions, text), after[0].start)
    return None


# "who did he meet while he was there": the asked one is the object of the doer's verb.
_ASKS_OBJECT = re.compile(r"\bwho(?:m)?\s+did\s+((?:\S+\s+){1,3}?)(\w+)\b", re.IGNORECASE)


def _object_of_asked_verb(question: Question, window: Window,
                          mentions: list[Mention]) -> Extracted | None:
    """"who did trotsky meet in the balkans?" against "It was here he met the Rumanian
    revolutionary Christian Rakovsky": the person named right after the question's own verb,
    in its sentence, not the one nearest where the question's other words gather (another
    sentence of the window may say "Balkans" and "Trotsky" more often)."""
    asked = _ASKS_OBJECT.search(question.text)
    if asked is None:
        return None
    verb = asked.group(2).casefold()
    group = next((g for g in question.content_groups if g.word.casefold() == verb), None)
    if group is None:
        return None
    text = window.text
    for alternative in group.alternatives:
        for found in word_start(alternative).finditer(text):
            after = text[found.end():found.end() + OBJECT_AFTER * 2]
            cut = _SENTENCE_END.search(after)
            reach = found.end() + (cut.start() if cut else len(after))
            named = [m for m in mentions if found.end() < m.start <= reach]
            if named:
                return Extracted(_with_partners(named[0], mentions, text), named[0].start)
    return None


def _verbs_own_object(question: Question, window: Window, people: PeopleRegistry,
                      found: Extracted) -> bool:
    """The person found is the object of the question's own verb, in the sentence that
    holds it: that sentence tells the deed asked about, even as the one before the main."""
    if question.kind is not AnswerType.PERSON or _ASKS_OBJECT.search(question.text) is None:
        return False
    asked = {p.name for p in question.people}
    mentions = [m for m in people.mentions(window.text) if m.person.name not in asked]
    again = _object_of_asked_verb(question, window, mentions)
    return again is not None and again.at == found.at


_PASSIVE_QUESTION = re.compile(r"^(?:who|whom)\s+(?:was|were|got|had been|has been|is)\s+"
                               r"(\w+(?:ed|en|t))\b", re.IGNORECASE)


def _subject_of(verb: str, question: Question, text: str, mentions: list[Mention],
                verb_at: int) -> Extracted | None:
    group = next((g for g in question.content_groups if g.word.casefold() == verb.casefold()),
                 None)
    places = [m.start() for alternative in (group.alternatives if group else (verb,))
              for m in word_start(alternative).finditer(text)]
    if not places:
        return None
    at = min(places, key=lambda p: abs(p - verb_at))
    before = [m for m in mentions if 0 < at - m.end <= SUBJECT_DISTANCE
              or _RELATIVE_BETWEEN.fullmatch(text, m.end, at) is not None]
    if not before:
        return None
    return Extracted(_with_partners(before[-1], mentions, text), before[-1].start)


# "Myasnikov, Kuznetsov, and Moiseev, who back in April and May had circulated a manifesto
# “...”, were arrested": a relative clause between the subject and its verb.
_RELATIVE_BETWEEN = re.compile(r",\s+(?:who|whom|which)\b[^;]{3,250}?[,”]+\s*"
                               r"(?:(?:were|was|had been|have been|got|then|later)\s+)*",
                               re.DOTALL)


def _with_partners(chosen: Mention, mentions: list[Mention], text: str) -> str:
    """'Zinoviev and Kamenev' when the text names the person with others joined by 'and'.

    Names joined by commas alone are no list ("In ... his biography of Trotsky, Isaac
    Deutscher detected ..." ends one phrase with a name and opens the clause with another):
    a list has its "and"."""
    names = [chosen]
    ordered = sorted(mentions, key=lambda m: m.start)
    at = ordered.index(chosen)
    joined_by_and = False
    for step in (-1, 1):
        index = at + step
        while 0 <= index < len(ordered):
            a, b = sorted((names[0] if step < 0 else names[-1], ordered[index]),
                          key=lambda m: m.start)
            between = re.fullmatch(r"\s*(?:,|and|, and|&)\s*", text[a.end:b.start])
            if not between:
                break
            joined_by_and |= between.group(0).strip() != ","
            if step < 0:
                names.insert(0, ordered[index])
            else:
                names.append(ordered[index])
            index += step
    if not joined_by_and:
        names = [chosen]
    unique = list(dict.fromkeys(m.person.name for m in names))
    return " and ".join(unique) if len(unique) <= 2 else ", ".join(unique[:-1]) + \
        f" and {unique[-1]}"


def _holder_of(question: Question, text: str, mentions: list[Mention]) -> Extracted | None:
    """'who was the prosecutor at ...?': the person the text names next to that role."""
    role = next((g for g in question.content_groups if g.word == question.role), None)
    if role is None:
        return None
    places = [m.start() for alternative in role.alternatives
              for m in word_start(alternative).finditer(text)]
    possessor = _possessor(question)
    if possessor is not None:  # "trotsky's wife": the wife must be his, not Lenin's
        places = [at for at in places if _belongs_to(possessor, text, at)]
    qualifier = re.search(rf"\b(first|second|third|eldest|youngest|younger|elder|only|last)\s+"
                          rf"{re.escape(role.word)}\b", question.text, re.IGNORECASE)
    if qualifier:  # "his first wife" is not the wife the texts name
        word = qualifier.group(1)
        places = [at for at in places
                  if re.search(rf"\b{word}\s+(?:\w+\s+)?$", text[max(0, at - 20):at], re.I)]
    if not places:
        return None  # a sentence that does not name the role does not say who held it
    # The role may be a title with its body: "the President of the Revolutionary Military
    # Council – Trotsky –" names its holder after the title, not after "President".
    ends = {at: at + _title_length(text, at) for at in places}
    candidates = [(min(abs(m.start - at), abs(m.start - ends[at])), m)
                  for m in mentions for at in places
                  if min(abs(m.start - at), abs(m.start - ends[at])) <= ROLE_DISTANCE]
    if candidates:
        chosen = min(candidates, key=lambda c: c[0])[1]
        return Extracted(chosen.person.name, chosen.start)
    # "Trotsky was one of the leaders and the main organizer of the insurrection": the
    # subject of the "was" whose complement names the role, however long the complement.
    subjects = [m for m in mentions for at in places
                if m.start < at and _COPULA_TO_ROLE.fullmatch(text, m.end, at)]
    if subjects:
        return Extracted(subjects[-1].person.name, subjects[-1].start)
    named = [(abs(at - start), name, start) for name, start in _unregistered_names(text, question)
             for at in places if abs(at - start) <= ROLE_DISTANCE]
    if named:
        _, name, start = min(named)
        return Extracted(name, start)
    return None


# "which spanish supporter ...", "which bolshevik leader ...": the noun that names the person
_WHICH_PERSON = re.compile(r"^(?:which|what)\s+(?:[a-z]+\s+)?(?P<noun>supporter|follower|leader|"
                           r"comrade|friend|ally|rival|opponent|enemy|critic|colleague|"
                           r"secretary|aide|assistant|disciple|successor|deputy)\b",
                           re.IGNORECASE)


# From a name to a role word: its "was" and a complement in the same clause.
_COPULA_TO_ROLE = re.compile(r"\s+(?:was|is|were|became|remained|served as)\s+[^.;:()–—]{0,80}?")


_TITLE_BODY = re.compile(r"[\w’'-]+\s+of\s+(?:the\s+)?(?:[A-Z][\w’'-]*\s*)+")


def _title_length(text: str, at: int) -> int:
    """How long the role word at ``at`` runs as a title ("President of the Revolutionary
    Military Council"), or just the word."""
    title = _TITLE_BODY.match(text, at)
    if title is not None:
        return len(title.group(0).rstrip())
    word = re.match(r"[\w’'-]+", text[at:])
    return len(word.group(0)) if word else 0


def _possessor(question: Question) -> Person | None:
    """Whose role is asked: "who was trotsky's wife?" -> Trotsky."""
    match = re.match(r"^(?:who|what)\s+(?:was|is|were)\s+(?:the\s+names?\s+of\s+)?"
                     r"([\w .-]+?)[’']s\s", question.text, re.IGNORECASE)
    if match is None:
        return None
    return _named_as(match.group(1), question)


def _named_as(said: str | None, question: Question) -> Person | None:
    """The person of the question that ``said`` names in full or by one word of a name."""
    if not said:
        return None
    said = said.casefold()
    return next((p for p in question.people
                 if any(said == f.casefold() or said in f.casefold().split()
                        for f in p.names())), None)


def _belongs_to(person: Person, text: str, at: int) -> bool:
    """Is the role word at ``at`` this person's: "Trotsky's partner", "the wife of Trotsky",
    or "his wife" right after the person is named?"""
    before, after = text[max(0, at - 30):at], text[at:at + 40]
    forms = "|".join(re.escape(f) for f in person.names())
    if re.search(rf"(?:{forms})[’']s\s+(?:\w+\s+)?$", before):
        return True
    if re.match(rf"\w+\s+of\s+(?:{forms})\b", after):
        return True
    # "his wife": his only when this person is the last one named before it, or when the
    # clause opens on it and names him next ("To his wife Krupskaya Lenin said ...").
    if not re.search(r"\b(?:his|her)\s+(?:\w+\s+)?$", before):
        return False
    if re.search(r"\b(?:to|for|with|from|by)\s+(?:his|her)\s+(?:\w+\s+)?$", before,
                 re.IGNORECASE) and \
            re.match(rf"\w+\s+(?:[A-Z][\w’'-]+\s+){{1,3}}?(?:{forms})\b", after):
        return True
    names = list(re.finditer(r"\b[A-Z][\w’'-]+\b", text[:at]))
    return bool(names) and re.fullmatch(rf"(?:{forms})(?:[’']s)?", names[-1].group(0)) is not None


def _shared_surname(question: Question, text: str, people: PeopleRegistry, verb_at: int
                    ) -> Extracted | None:
    """A surname alone that several people of the registry bear ("I said to Smirnov:"): the
    registry cannot say which, so the text's own word is the answer, nearest the verb."""
    asked = {w.casefold() for w in re.findall(r"[\w’'-]+", question.text)}
    # A word of a name the registry resolves is that person's ("Leon" of "Leon Trotsky").
    named = [(m.start, m.end) for m in people.mentions(text)]
    found = [(m.group(0), m.start()) for m in re.finditer(r"\b[A-Z][a-z’'-]{3,}\b", text)
             if m.group(0).casefold() not in asked and len(people.sharing(m.group(0))) > 1
             and not any(start <= m.start() < end for start, end in named)]
    if not found:
        return None
    return Extracted(*min(found, key=lambda named: abs(named[1] - verb_at)))


def _unregistered_names(text: str, question: Question) -> list[tuple[str, int]]:
    """Names of two or more capitalized words the registry lacks ("Ramon Mercader")."""
    asked = {w.casefold() for p in question.people for f in p.names() for w in f.split()}
    asked |= {w.casefold() for w in re.findall(r"[\w’'-]+", question.text)}  # "Alma Ata"
    found = []
    for match in re.finditer(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-z’'-]+(?:\s+[A-Z][a-z’'-]+){1,3})\b",
                             text):
        name = match.group(1)
        if _NOT_NAMES.search(name) or _NOT_PLACES.match(name):
            continue
        if any(w.casefold() in asked for w in name.split()):
            continue
        found.append((name, match.start()))
    return found


def place(question: Question, window: Window, people: PeopleRegistry) -> Extracted | None:
    text = window.text
    inside = _place_inside(question, text)
    if inside is not None:
        return inside
    # Words, not the question's tokens: "moscow?" at its end is Moscow.
    asked_words = {w.casefold() for w in re.findall(r"[\w’'-]+", question.text)}
    personal = {w for p in people.mentions(text) for w in text[p.start:p.end].split()}
    personal |= {w for p in people.mentions(text) for f in p.person.names() for w in f.split()}
    verb_at = _first_focus_at(question, text)
    relative = RELATIVE_OF.search(question.text)
    if relative is not None:
        # "where did one of Trotsky's kids take his own life?": the place is the deed's
        # ("driven to suicide in Berlin"), not that of the kin word ("for his son").
        deeds = [m.start() for g in question.content_groups
                 if g.word.casefold() != relative.group(1).casefold()
                 for a in g.alternatives for m in word_start(a).finditer(text)]
        verb_at = min(deeds, key=lambda at: abs(at - verb_at)) if deeds else verb_at
    # "what was the name of the camp in canada they held trotsky in?": where the text names
    # the camp, its name stands by that word ("held in a concentration camp in Canada" names
    # none; "Trotsky left New York" is another place)
    kind_asked = _NAMED_KIND.search(question.text)
    kinds = list(re.finditer(rf"\b{kind_asked.group(1)}s?\b", text, re.IGNORECASE)) \
        if kind_asked else []
    best: tuple[int, Extracted] | None = None
    for match in _PLACE_PREP.finditer(text):
        key = "place" if match["place"] else "quoted"
        name = re.sub(r"[’']s?$", "", match[key].strip())
        if not _may_be_the_place(name, personal, asked_words):
            continue
        if kinds and not any(_KIND_THEN_NAME.fullmatch(text, k.end(), match.start(key))
                             or text[match.end(key):k.start()].isspace() for k in kinds):
            continue
        if any(w.startswith(name.casefold()[:max(4, len(name) - 1)]) for w in asked_words):
            continue  # "the canadian camp": Canada is asked, not the answer
        following = text[match.end(key):match.end(key) + 20]
        if re.search(r"(?:ian|ish|ese|an|ic|ist)$", name) and re.match(r"\s+[a-z]", following):
            continue  # "in Russian history", "in the Tsarist courts": an adjective, not a place
        if any(w.casefold() in asked_words for w in name.split()) and len(name.split()) == 1:
            continue
        if all(w.casefold() in asked_words for w in name.split()):
            continue  # "where was Trotsky held on his way from New York?": not New York
        if match.start() < _sentence_start(window, verb_at):
            # "... deported to Alma Ata, Kazakhstan. Then Stalin made the move to expel them
            # from the Soviet Union.": a place told before the deed's own sentence is where
            # something else happened
            continue
        distance = abs(match.start() - verb_at) + (0 if match.start() >= verb_at else 40)
        if best is None or distance < best[0]:
            best = (distance, Extracted(_with_places_listed(name, text, match.end(key),
                                                            personal), match.start(key)))
    if best is not None:
        return best[1]
    return (_place_before_noun(question, text, personal, asked_words)
            or _common_place(text, verb_at, asked_words)
            or _place_of_here(window, asked_words, personal))


def _may_be_the_place(name: str, personal: set[str], asked_words: set[str]) -> bool:
    """Not a word that only looks like a place's name, a person's name, or the place asked."""
    return not (_NOT_PLACES.match(name) or any(w in personal for w in name.split())
                or name.casefold() in asked_words)


# "Trotsky travelled to the Balkans as military correspondent ... . This experience gave him
# ... . It was here he met ... Christian Rakovsky": "here" is the place named just before.
_HERE = re.compile(r"^\W*(?:It\s+was\s+|And\s+)?(?:here|there)\b", re.IGNORECASE)
HERE_NAMED = "named just before"


def _place_of_here(window: Window, asked_words: set[str], personal: set[str]
                   ) -> Extracted | None:
    if not _HERE.match(window.main.text):
        return None
    before = [s.text for s in window.sentences if s.sentence_id < window.main.sentence_id]
    for sentence in reversed([window.lead_in, *before] if window.lead_in else before):
        places = [m["place"] for m in _PLACE_PREP.finditer(sentence)
                  if m["place"] and _may_be_the_place(m["place"], personal, asked_words)]
        if places:
            return Extracted(places[-1], 0, HERE_NAMED)
    return None


_NAMED_KIND = re.compile(r"\b(?:name of the|which|what)\s+(?:[a-z]+\s+)?(camp|prison|village|"
                         r"island|estate|farm|street|district|suburb|villa|fortress|port)\b",
                         re.IGNORECASE)
# "the camp of Amherst", "a village called Wexhall" (or "the Amherst camp")
_KIND_THEN_NAME = re.compile(r"\s+(?:(?:of|at|in|called|named|known\s+as)\s+)?(?:the\s+)?")


# A place the texts name by a common noun, after a preposition or as the object of
# "swept": "gathered in our flat", "the shabby Leningrad and Moscow tenements where ...",
# "swept the campus". Only when no place is named by its own name.
_COMMON_PLACE = re.compile(
    r"\b(?:in|at|into|inside|from|to|swept|reached|entered|left)\s+"
    r"(?P<place>(?:the|a|an|our|his|her|their|its|my|this|that)\s+(?:[\w’'-]+\s+){0,4}?"
    r"(?:flat|apartment|house|home|room|office|campus|university|tenement|prison|cell|camp|"
    r"village|town|city|factory|factories|street|square|hall|theatre|theater|school|church|"
    r"barracks|hospital|hotel|station|train|ship|island|border|frontier|countryside|estate|"
    r"villa|fortress|palace|capital|province|countries|country|embassy|consulate|"
    r"headquarters|cemetery|forest|mountains)(?:e?s)?)\b")


def _common_place(text: str, verb_at: int, asked_words: set[str]) -> Extracted | None:
    """The nearest place named by a common noun that the question does not name itself
    ("where did his friends wait?": "in our flat"; not "in the city" of "which city")."""
    asked = {w.rstrip("s") for w in asked_words}
    found = [(abs(m.start() - verb_at) + (0 if m.start() >= verb_at else 40), m)
             for m in _COMMON_PLACE.finditer(text)
             if m["place"].split()[-1].casefold().rstrip("s") not in asked]
    if not found:
        return None
    match = min(found, key=lambda pair: pair[0])[1]
    # at the noun itself: "the shabby Leningrad and Moscow tenements where ... I heard him"
    return Extracted(match["place"], match.end("place") - len(match["place"].split()[-1]))


# ", Rumania, Persia and China", ", France and, finally, to Mexico" after a place: the rest
# of a list of places.
_MORE_PLACES = re.compile(r"(?:,\s*|\s+)(?:(?:and|or|then|finally|even|later|eventually),?\s+)*"
                          r"(?:(?:to|into|the)\s+)*"
                          r"(?P<place>[A-Z][\w’'-]+(?:[\s-]+[A-Z][\w’'-]+)?)")
_WHERE_INSIDE = re.compile(r"^where\s+in\s+(?:the\s+)?([\w’'-]+)", re.IGNORECASE)


def _place_inside(question: Question, text: str) -> Extracted | None:
    """"where in Kazakhstan was Trotsky exiled?": the place the text puts in Kazakhstan
    ("to Alma Ata in Kazakhstan"), not another place the sentence names."""
    asked = _WHERE_INSIDE.match(question.text)
    if asked is None:
        return None
    read = dict((t.casefold(), r) for t, r in question.corrections).get(
        asked.group(1).casefold(), asked.group(1)).casefold()  # "kazakstan" read as kazakhstan
    group = next((g for g in question.content_groups if g.word.casefold() == read), None)
    forms = group.alternatives if group is not None else (read,)
    for form in forms:
        found = re.search(rf"(?P<place>[A-Z][\w’'-]+(?:[\s-]+[A-Z][\w’'-]+)*)(?:,\s+|\s+in\s+"
                          rf"(?:the\s+)?)(?i:{re.escape(form)})\b", text)
        if found is not None and not _NOT_PLACES.match(found["place"]):
            return Extracted(found["place"], found.start("place"))
    return None


def _with_places_listed(first: str, text: str, end: int, personal: set[str]) -> str:
    """"Poland, Rumania, Persia and China" for "where did the peasants flee to?": a place
    that opens a list of places is answered with the whole list, as the text gives it."""
    places = [first]
    while (more := _MORE_PLACES.match(text, end)) is not None:
        name = more["place"]
        not_a_place = _NOT_PLACES.match(name) or (_NOT_NAMES.search(name)
                                                  and not _COUNTRY.match(name))
        if not_a_place or any(w in personal for w in name.split()):
            break
        if re.match(r"\s+of\b", text[more.end():]):
            break  # "Lyubanka, the Headquarters of the police": what it was, not another place
        places.append(name)
        end = more.end()
    if len(places) == 1:
        return first
    return ", ".join(places[:-1]) + " and " + places[-1]


def _place_before_noun(question: Question, text: str, personal: set[str],
                       asked_words: set[str]) -> Extracted | None:
    """"the Kronstadt rebellion": a place named as the adjective of the thing asked about."""
    for group in question.content_groups:
        for alternative in group.alternatives:
            for match in word_start(alternative).finditer(text):
                before = re.search(r"(?:the\s+)?([A-Z][\w’'-]+)\s+$", text[:match.start()])
                if before is None:
                    continue
                name = before.group(1)
                if (_NOT_PLACES.match(name) or _NOT_NAMES.search(name) or name in personal
                        or name.casefold() in asked_words or before.start(1) == 0
                        # "... on the future. In his will": a sentence's first word
                        or _SENTENCE_START.search(text[:before.start(1)])
                        # "the Tsarist courts": an adjective ("the Kronstadt rebellion" is not)
                        or re.search(r"(?:ist|ian|ish|ese)$", name)):
                    continue
                return Extracted(name, before.start(1))
    return None


DAY_WITHOUT_YEAR = "the text gives no year"  # the note of "November 11" as stated


def date(question: Question, window: Window, people: PeopleRegistry) -> Extracted | None:
    text = window.text
    asked = {d.text.casefold() for d in dates_in(question.text)}
    found = [d for d in dates_in(text) if (d.kind != "relative" or d.date.year)
             and d.text.casefold() not in asked]
    if re.search(r"\bwhat (?:month|day|date)\b|\bwhich (?:month|day)\b|\b(?:what|which)\s+"
                 r"(?:was|is)\s+the\s+(?:exact\s+|precise\s+|actual\s+)?(?:month|day|date)\b|"
                 r"\b(?:exact|precise)\s+(?:day|date)\b", question.text, re.I):
        found = [d for d in found if d.precision in ("day", "month", "season")]
    if re.match(r"\s*by\s+(?:what|which)\s+(?:year|date|month)|\s*by\s+when\b", question.text,
                re.I):
        # "by what year was Lenin out of action?": "sidelined by 1923", not "dies in 1924".
        found = [d for d in found if re.search(r"\bby\s+(?:the\s+)?(?:end\s+of\s+)?$",
                                               text[:d.start])] or found
    # (where, as written, precision): the dated mentions, and the days the text gives
    # without a year ("on November 11"), after a full date as near.
    candidates = [(d.start, d.text, d.precision) for d in found]
    candidates += [(at, day, DAY_WITHOUT_YEAR) for at, day in days_without_year(text)
                   if not any(d.start <= at < d.end for d in found)
                   and day.casefold() not in asked]
    if not candidates:
        return None
    verb_at = _first_focus_at(question, text)
    rank = {"day": 0, DAY_WITHOUT_YEAR: 1, "month": 2, "season": 3, "year": 4, "range": 5,
            "decade": 6}
    # "the Hungarian Revolution of 1956 and the Prague Spring of 1968-69": the date that
    # belongs to the thing asked by "of" or "in" right after its name comes first
    ends = [m.end() for g in question.content_groups for a in g.alternatives
            for m in re.finditer(rf"\b{re.escape(a)}\b", text, re.IGNORECASE)]
    attached = {c[0] for c in candidates
                if any(_DATE_OF.fullmatch(text, end, c[0]) for end in ends if end <= c[0])}
    at, written, precision = min(candidates, key=lambda c: (
        c[0] not in attached, abs(c[0] - verb_at) // 60, rank.get(c[2], 7),
        abs(c[0] - verb_at)))  # then the nearer
    return Extracted(written, at, note=precision)


_DATE_OF = re.compile(r"\s+(?:of|in)\s+")


def number(question: Question, window: Window, people: PeopleRegistry) -> Extracted | None:
    text = window.text
    lowered = question.text.casefold()
    unit_key = next((k for k in _UNITS if re.search(rf"\bhow {k}\b", lowered)), None)
    if unit_key is None and re.search(r"\bhow short\b", lowered):
        unit_key = "long"  # "how short a working day": a time too ("a seven-hour day")
    asked = re.search(r"\bhow (?:many|much)\s+(?:(?:had|have|has|did|do|does|was|were|is|are)\s+)?"
                      r"(?:of\s+)?(?:(?:the|its|his|her|their)\s+)?([a-z][\w-]*)", lowered)
    counted = stems(asked.group(1))[0] if asked and stems(asked.group(1)) else None
    # "how many of Trotsky's children were executed?": "two of his children" is the part.
    part_of = re.search(r"\bhow many of\s+(?:the\s+|his\s+|her\s+|their\s+|[\w-]+[’']s\s+)?"
                        r"([a-z][\w-]*)", lowered)
    part_stem = stems(part_of.group(1))[:1] if part_of else []
    if part_of is not None:
        counted = None  # "how many of his children were ...": a part, not the whole, is asked
    # A number counting something else the question names is not its answer: "Of his four
    # children, two were executed" for "how many of his kids were executed?", "one worker
    # wrote" for "how much had wages gone up, according to the worker ...?".
    named = [g for g in question.content_groups
             if not (counted and any(counted in alternative for alternative in g.stems))]
    # The thing counted, when the question names a specific one ("how many votes", a plural
    # noun, not "how many died"): a
    # number that plainly counts something else is not its answer. People and times are
    # counted under too many names to tell.
    plural = asked is not None and re.fullmatch(r"[a-z-]+[^s]s", asked.group(1)) is not None
    counted_group = next((g for g in question.content_groups if plural and counted and counted
                          not in _COUNTED_ANYHOW and any(counted in a for a in g.stems)), None)
    asked_numbers = {w for w in re.findall(r"[\w.,]+", lowered)
                     if re.fullmatch(rf"\d[\d,.]*|{_NUMBER_WORD}", w)}
    how_many = re.search(r"\bhow many\b", lowered) is not None
    counts_a_part = how_many and counted is not None and any(
        counted in alternative for g in question.content_groups for alternative in g.stems)
    verb_at = _first_focus_at(question, text)
    dates = dates_in(text)
    candidates: list[tuple[float, Extracted]] = []
    for match in _NUMBER.finditer(text):
        phrase = match.group(0).strip()
        core = re.sub(rf"^{_QUALIFIERS}", "", phrase, flags=re.IGNORECASE)
        first = core.split()[0] if core.split() else ""
        if not first or _YEARLIKE.match(first.strip(",.")):
            continue
        counts_unit = unit_key is not None and re.match(
            rf"(?:a|an)\s+(?:{_UNITS[unit_key]})\b", core, re.IGNORECASE)
        # "declined by more than half": a half with a qualifier is an amount, where "the
        # first half of 1936" is not.
        # "upwards of half a billion gold rubles": half of a round number is a count too.
        halved = first.lower() == "half" and (core != phrase or re.match(
            r"half\s+an?\s+(?:hundred|thousand|million|billion|dozen)\b", core, re.IGNORECASE)
            is not None)
        if first.lower() in ("a", "an", "the", "half", "once") and not counts_unit \
                and not halved:
            continue
        if first.casefold() in asked_numbers:
            continue  # the question's own "five years on" is not its answer
        if counts_a_part and re.match(r"\S+\s+of\s+(?:his|her|their|its|these|those)\b", core):
            continue  # "two of his children" is a part; "how many kids" asks for the whole
        if _in_page_reference(text, match.start()):
            continue  # "(120-122)", "(Arendt, 249)": the page a citation points to
        if first.casefold() == "one" and unit_key not in ("long", "old") and \
                not re.match(r"one\s+(?:hundred|thousand|million|billion|dozen|and|or|to)\b",
                             core, re.IGNORECASE):
            continue  # "One report described ...": "one" before a noun is a determiner
        if unit_key == "old" and re.search(r"\b(?:ago|later|earlier|before|after|on)\b",
                                           f"{phrase} {text[match.end():match.end() + 8]}"):
            continue  # "ten years ago" is a time, not anyone's age
        if unit_key == "old" and re.search(r"\b(?:in|within|for|over|during|after)\s+$",
                                           text[max(0, match.start() - 12):match.start()], re.I):
            continue  # nor "in only a few years most of the Old Bolsheviks would be dead"
        if unit_key == "old" and not re.search(rf"\b(?:{_UNITS['old']})\b", phrase, re.I) and \
                not re.search(r"\b(?:aged|age of)\s+$", text[max(0, match.start() - 15):
                                                            match.start()], re.I):
            continue  # an age is so many years ("aged 60"), not "two capitals"
        if how_many and re.search(r"%|per\s?cent", phrase, re.IGNORECASE):
            continue  # "how many members?" asks for a count, not "less than 1 percent"
        if how_many and part_of is None and re.search(rf"-{_DENOMINATOR}", phrase, re.I):
            continue  # ... nor "one-seventh of the calories", a share
        if unit_key not in ("long", "old") and not (counted and counted in _TIME_UNITS) and \
                re.search(rf"\b(?:{_UNITS['long']})\b", phrase, re.IGNORECASE):
            continue  # nor "a few days after": a time, unless a time is what is asked
        if re.match(r"the\s", phrase, re.IGNORECASE) and re.match(r"\d+(?:st|nd|rd|th|s)\b", core):
            continue  # "the 7th", "The 1930s" (but "the 38 delegates" counts them)
        if match.start() > 0 and (text[match.start() - 1] in ".,”\"’)" or
                                  any(d.start <= match.start() < d.end for d in dates)):
            continue  # a note marker glued to a word ("1921.58"), or a day of a date
        # "the engineer receiving 800;", "the party functionary with 222,"
        paid_sum = re.search(r"\b(?:[a-z]+ing|with)\s+$",
                             text[max(0, match.start() - 20):match.start()])
        if re.fullmatch(r"\d{1,3}", core.split()[0]) and len(core.split()) == 1 and not (
                paid_sum and re.match(r"\s*[;,]", text[match.end():])):
            # A bare small number with nothing counted is a marker, not an answer; but not
            # an amount in a list of them ("the engineer receiving 800; ...").
            continue
        if re.fullmatch(r"(?:hundred|thousand|million|billion|dozen)", core, re.IGNORECASE) \
                and not re.search(r"\ban?\s+$", phrase[:len(phrase) - len(core)], re.I):
            continue  # "million" with no count before it (but "nearly a hundred" counts)
        score = abs(match.start() - verb_at) / 100
        if unit_key == "long" and not re.search(rf"\b(?:{_UNITS['long']})\b", phrase,
                                                re.IGNORECASE):
            continue  # "how long ...?" is a time: "one final time" is none
        if unit_key and not re.search(rf"\b(?:{_UNITS[unit_key]})\b", phrase, re.IGNORECASE):
            score += 5
        if counted and counted in stems(phrase):
            score -= 1  # "three hundred thousand people" for "how many people"
        elif counted and counted in stems(text[match.end():match.end() + 30]):
            score -= 1  # "1.9 percent increase in wages" for "how much had wages gone up"
        # The words right before it, in its clause: "the engineer receiving 800".
        clause_before = re.split(r"[.;:!?“”‘’\"]", text[max(0, match.start() - OWNER_BEFORE):
                                                         match.start()])[-1]
        owned = sum(covered(g, clause_before, people) for g in named
                    if g.weight > FRAMING_WEIGHT_MAX and not covered(
                        g, text[match.end():match.end() + SUBJECT_BEFORE], people))
        if owned:
            # "the engineer receiving 800" for "how much was an engineer paid"; the more of
            # the question the clause before holds, the surer: "the party functionary with
            # 222" over "the engineer receiving 800" for "what was a party official paid".
            score -= owned
        if re.search(r"%|per\s?cent", phrase, re.IGNORECASE):
            # "15 or 16 percent of the entire membership consisted of factory workers": a
            # share is of what follows it, up to the next number; the one followed by more
            # of the question wins.
            following = text[match.end():match.end() + 60]
            following = following[:next((m.start() for m in _NUMBER.finditer(following)),
                                        len(following))]
            score -= sum(covered(g, following, people) for g in named)
        counts_of = " ".join(w for w in core.split() if not _NOT_COUNTED.fullmatch(w))
        part = re.match(r"\S+\s+of\s+(?:his|her|their|its|the|these|those)\s+([a-z][\w-]*)",
                        core, re.IGNORECASE)
        if part and part_stem and any(
                part_stem[0] in alternative and covered(g, part.group(1), people)
                for g in question.content_groups for alternative in g.stems):
            score -= 2  # "two of his children" for "how many of Trotsky’s children"
        elif counts_of and any(covered(g, counts_of, people) for g in named):
            score += 2
        if (counted_group is not None and counts_of and re.match(r"[a-z]", counts_of)
                and not covered(counted_group, counts_of, people)
                and counted not in stems(text[match.end():match.end() + 30])):
            continue  # "the hundreds of apparatchiks" is no count of votes
        candidates.append((score, Extracted(_trim_number(phrase), match.start())))
    if unit_key == "long":
        # "deported to Alma Ata ... for a year": a single unit of time, with no number.
        for match in _ONE_UNIT_OF_TIME.finditer(text):
            if not any(d.start <= match.start() < d.end for d in dates):
                candidates.append((abs(match.start() - verb_at) / 100,
                                   Extracted(match.group(0), match.start())))
    if not candidates:
        return None
    return min(candidates, key=lambda c: c[0])[1]


_ONE_UNIT_OF_TIME = re.compile(r"(?<=\bfor\s)(?:a|an|one)\s+(?:full\s+|whole\s+|single\s+)?"
                               r"(?:year|month|week|day|decade|fortnight)\b"
                               # "crushed the German Left in a matter of months"
                               r"|\ba\s+matter\s+of\s+(?:minutes|hours|days|weeks|months|years)\b",
                               re.IGNORECASE)


def _in_page_reference(text: str, at: int) -> bool:
    """Does the number at ``at`` stand in a parenthesised citation: "(217)", "(120-122)",
    "(Arendt, 249)", "(p. 56)"?"""
    opening = text.rfind("(", 0, at)
    closing = text.find(")", at)
    if opening < 0 or closing < 0 or ")" in text[opening:at] or closing - opening > 40:
        return False
    return re.fullmatch(r"\(\s*(?:[A-Z][\w’'-]+,?\s+)?(?:pp?\.\s*)?[\d\s,–—-]+\)",
                        text[opening:closing + 1]) is not None


_TIME_UNITS = frozenset(stems("years months weeks days hours decades"))
_COUNTED_ANYHOW = frozenset(stems("people men women persons times years members workers "
                                   "soldiers peasants children kids"))


def _trim_number(phrase: str) -> str:
    phrase = re.sub(r"^the\s+", "", phrase.strip(), flags=re.IGNORECASE)  # "the 38 delegates"
    # ... nor the verb after the count: "two workers would (be attached)"
    return re.sub(r"(?:\s+(?:and|or|but|who|which|that|from|by|for|with|at|on|as|would|will|"
                  r"could|should|were|was|are|is|had|have|has))+$", "", phrase.strip(" ,"))


def reason(question: Question, window: Window, people: PeopleRegistry) -> Extracted | None:
    return _clause(question, window, people, _REASON)


def manner(question: Question, window: Window, people: PeopleRegistry) -> Extracted | None:
    return _clause(question, window, people, _MANNER)


def _clause(question: Question, window: Window, people: PeopleRegistry,
            marker: re.Pattern[str]) -> Extracted | None:
    """The clause a marker opens ("because ...", "with an ice-axe"), else the main sentence."""
    text = window.text
    verb_at = _first_focus_at(question, text)
    # A marker belongs to the question's verb when it follows it closely ("killed ... with an
    # ice-axe") or opens the sentence before it ("Because ..., the party ..."); one far
    # away belongs to another clause, and then the sentence itself is the answer.
    # A consequence ("Terrorist acts would only serve as pretexts") follows the question's
    # word it speaks of, whichever that is, not only its verb.
    words_at = _content_positions(question, text)
    if marker is _REASON:
        cause = _cause_told_before(window, verb_at)
        if cause is not None:
            return cause
    matches = [m for m in marker.finditer(text)
               if (-MARKER_BEFORE_VERB <= m.start() - verb_at <= MARKER_AFTER_VERB
                   or m.start() < 3
                   or _OPENS_SENTENCE.search(text, 0, m.start()) is not None
                   or (_CONSEQUENCE.match(m.group(0))
                       and any(0 <= m.start() - at <= 40 for at in words_at))
                   # a window of two sentences gathers the question's words in one and says
                   # how in the other: "... crushed the rebellion with characteristic
                   # brutality. Hannah Arendt remarked that since Kronstadt, ..."
                   or (marker is _MANNER and _follows_an_asked_word(m, text, words_at))
                   or (marker is _MANNER and _used_for_an_asked_deed(m, text, words_at)))
               and not _agent(m, text, marker) and not _particle_of_question(m, question)
               and not _with_what_is_asked(m, text, question, people)
               and not (marker is _MANNER and _with_a_partner(m, text))
               and not _forced_after(m, text, verb_at)
               and not _SUBJECT_INFINITIVE.match(text, m.start())]
    if marker is _MANNER:
        matches = _not_the_denied_way(matches, text)
    # "how did Lenin get his peace deal past the Central Committee?" is not answered by
    # "through the Central Committee": a clause of nothing but the question's own words.
    phrases = [(m, phrase) for m in matches
               if not _only_asked(phrase := _clause_at(m, text, marker), question, people)]
    if phrases:
        chosen, phrase = min(phrases, key=lambda mp: abs(mp[0].start() - verb_at))
        if marker is _REASON and _POINTS_BACK.match(phrase):
            # "They wished for safety first. As this was what Stalin seemed to offer them,
            # they were wary ...": the cause is what "this" stands for, the sentence before.
            before = [s.text for s in window.sentences if text.find(s.text) + len(s.text)
                      <= chosen.start()]
            if not before:
                return None
            return Extracted(_cut(f"{before[-1]} {phrase[:1].upper()}{phrase[1:]}"),
                             text.find(before[-1]))
        if marker is _MANNER and _asked_by_a_framing_verb(question):
            deed = _deed_before(chosen, text)
            if deed:
                return Extracted(_cut(f"{deed} {phrase}"), chosen.start() - len(deed) - 1)
        return Extracted(_cut(_motive(phrase)), chosen.start())
    # The sentence that names the subject often leaves the why or the how to the next one
    # ("... warning against terrorism. Such acts, he argued, would only ...").
    following = [s for s in window.sentences if s.sentence_id > window.main.sentence_id]
    if following:
        later = following[0].text
        found = next((m for m in marker.finditer(later) if not _agent(m, later, marker)
                      and not _forced_after(m, later, 0)), None)
        if found is not None and (found.start() < 3 or _goes_on_about(
                later[:found.start()], question, people)):
            at = text.find(later)
            return Extracted(_cut(_motive(_clause_at(found, later, marker))),
                             max(0, at) + found.start())
        if marker is _REASON and _JUDGED_NEXT.match(later):
            at = text.find(later)
            return Extracted(_cut(later), max(0, at))
        if re.search(r"[:–—]\s*$|\b(?:reasons?|why|explains?|explanation|because)\b",
                     window.main.text, re.IGNORECASE):
            return Extracted(_cut(f"{window.main.text} {later}"), 0, note="sentence")
    return Extracted(_cut(_sentence_most_asked(question, window, people)), 0, note="sentence")


def _with_what_is_asked(found: re.Match[str], text: str, question: Question,
                        people: PeopleRegistry) -> bool:
    """"an army with professional officers" for "how did the Red Army control the
    officers?": a bare "with" whose noun is the question's own thing describes it, it does
    not say how. So does "with the" and a noun of the question's own, up to four words on:
    "suffocated with the stench of rotting meat" is the binge asked about, not how the
    collectivizers broke it up."""
    if not re.fullmatch(r"with (?:(?:an?|the|his|her|their|its)\s)?", found.group(0),
                        re.IGNORECASE):
        return False
    noun = re.match(r"(?:[\w’'-]+\s+){0,3}[\w’'-]+", text[found.end():])
    return noun is not None and any(covered(g, noun.group(0), people)
                                    for g in question.content_groups)


def _with_a_partner(found: re.Match[str], text: str) -> bool:
    """"form a united front with the reformist SPD", "in a block with the Mensheviks": "with"
    and a name is whom it was done with, not how."""
    if not found.group(0).casefold().startswith("with"):
        return False
    return re.match(r"with\s+(?:(?:the|an?|his|her|their|its)\s+)?(?:[a-z][\w’'-]*\s+){0,2}"
                    r"(?-i:[A-Z])", text[found.start():], re.IGNORECASE) is not None


def _asked_by_a_framing_verb(question: Question) -> bool:
    """"how did Lenin and Trotsky handle the Kronstadt rebellion?": the question's verb only
    frames it, so what was done is part of the answer, not just the way it was done."""
    return any(re.search(rf"\b{re.escape(w)}\b", question.text, re.IGNORECASE)
               for w in ("handle", "handled", "deal with", "dealt with", "deal", "respond",
                         "responded", "react", "reacted", "treat", "treated"))


def _deed_before(found: re.Match[str], text: str) -> str:
    """The deed the manner phrase qualifies, back to its clause's start: ", crushed the
    rebellion with characteristic brutality" gives "crushed the rebellion"."""
    start = max((text.rfind(stop, 0, found.start()) + len(stop)
                 for stop in (", ", ". ", "; ", ": ") if stop in text[:found.start()]),
                default=0)
    deed = text[start:found.start()].strip()
    # A clause of more than a few words is a whole sentence, not the deed.
    return deed if 0 < len(deed.split()) <= 6 else ""


def _follows_an_asked_word(found: re.Match[str], text: str, words_at: list[int]) -> bool:
    """Does the marker follow one of the question's words closely, in the same sentence?"""
    return any(0 < found.start() - at <= MARKER_AFTER_VERB
               and not _SENTENCE_END.search(text, at, found.start()) for at in words_at)


_USED = re.compile(r"(?:us(?:ed|es)|employ(?:ed|s))\s", re.IGNORECASE)
USED_FOR_REACH = 40  # characters after "used X to" in which the deed asked about must stand


def _used_for_an_asked_deed(found: re.Match[str], text: str, words_at: list[int]) -> bool:
    """"Stalin “used his wide powers of appointment to eliminate from important posts ...":
    what was used is the how of the deed its "to" clause tells, when that clause holds the
    question's words, wherever the others stand."""
    if not _USED.match(found.group(0)):
        return False
    to = re.search(r"\sto\s+", text[found.end():found.end() + 80])
    if to is None:
        return False
    deed = found.end() + to.end()
    return any(0 <= at - deed <= USED_FOR_REACH and not _SENTENCE_END.search(text, deed, at)
               for at in words_at)


def _not_the_denied_way(matches: list[re.Match[str]], text: str) -> list[re.Match[str]]:
    """"defeated ... not with ideas and arguments, but with its own social weight": the way
    denied is not the how; the way the sentence goes on to ("but with ...") is."""
    def preceded_by(m: re.Match[str], word: str) -> bool:
        return re.search(rf"\b{word}\s+$", text[max(0, m.start() - 12):m.start()],
                         re.IGNORECASE) is not None
    kept: list[re.Match[str]] = []
    for m in matches:
        if not preceded_by(m, "not"):
            kept.append(m)
            continue
        instead = next((later for later in _MANNER.finditer(text, m.end())
                        if preceded_by(later, "but")
                        and not _SENTENCE_END.search(text, m.end(), later.start())), None)
        kept.append(instead if instead is not None else m)
    return list({m.start(): m for m in kept}.values())


# "This led to the increasing fusion of state and party": the cause is the sentence before.
_LED_FROM_BEFORE = re.compile(
    r"^(?:This|That|These|It|All this|All of this|Such (?:a |an )?\w+)\s+(?:in turn\s+|"
    r"soon\s+|also\s+|eventually\s+|quickly\s+|inevitably\s+)?(?:led to|leads to|resulted in|"
    r"results in|brought about|brings about|caused|causes|gave rise to|gives rise to|produced|"
    r"paved the way for|opened the way to|made for)\b")
# "To take on the proindustrial bureaucracy would be ... self-defeating": an infinitive that
# is the sentence's subject, not the purpose of what follows.
_SUBJECT_INFINITIVE = re.compile(r"To [a-z]+\b[^,;:.]{0,80}?\s(?:would|will|could|might)\s+"
                                 r"(?:be|mean|have)\b|To [a-z]+\b[^,;:.]{0,80}?\s(?:was|is|"
                                 r"were|meant|means)\s")


def _cause_told_before(window: Window, verb_at: int) -> Extracted | None:
    """The sentence before one that says "This led to <the act asked about>"."""
    text, start = window.text, 0
    for previous, sentence in zip(window.sentences, window.sentences[1:], strict=False):
        start = text.find(sentence.text, start)
        if start <= verb_at < start + len(sentence.text) and _LED_FROM_BEFORE.match(
                sentence.text):
            return Extracted(_cut(previous.text), text.find(previous.text))
    return None


def _clause_at(found: re.Match[str], text: str, marker: re.Pattern[str]) -> str:
    """The clause a marker opens, to the clause's end; a consequence given as the reason
    ("Terrorist acts would only serve as pretexts ...") is its whole clause."""
    start = found.start()
    if marker is _MANNER and _PURPOSE.match(found.group(0)):
        rest = text[found.end():]
        end = _CLAUSE_END.search(rest)
        return rest[:end.start()] if end else rest
    if marker is _REASON and _OPENING_AS.fullmatch(found.group(0)):
        rest = text[found.start():]
        comma = rest.find(", ")
        return _OPENING_AS.sub("as ", rest[:comma], count=1) if comma > 0 else rest
    if _CONSEQUENCE.match(found.group(0)):
        start = max((text.rfind(stop, 0, start) + len(stop) for stop in (". ", "; ", ": ")
                     if stop in text[:start]), default=0)
    rest = text[start:]
    end = _CLAUSE_END.search(rest, found.end() - start)
    phrase = rest[:end.start()] if end else rest
    if marker is _MANNER and _MEANS_NAMED.match(found.group(0)):
        return phrase[len(found.group(0)):]  # "... were the ‘iron detachments’ of workers"
    if marker is _MANNER and _USED.match(found.group(0)):
        # "used his wide powers of appointment to eliminate ...": the thing used
        return re.split(r"\sto\s", rest[len(found.group(0)):], maxsplit=1)[0]
    if marker is _MANNER:  # "with an ice-axe", not "... at his home in exile in Mexico"
        opening = found.group(0)
        # ... but "by working from within", "from above" are the way itself
        phrase = opening + re.split(r"\s(?:at|in|on|from(?!\s+(?:within|without|above|below|"
                                    r"inside|outside)\b)|after|before|during|when|while)\s",
                                    phrase[len(opening):], maxsplit=1)[0]
        # "only by force": the word that limits the way is part of it
        limit = _LIMITS_THE_WAY.search(text, 0, start)
        # ... but not the "Only" of "Only by threatening resignation ... did Lenin wreak his
        # will", which opens the sentence to stress it.
        if limit is not None and _OPENS_SENTENCE.search(text, 0, limit.start()) is None:
            phrase = f"{limit.group(1)} {phrase}"
    return phrase


_LIMITS_THE_WAY = re.compile(r"\b(only|mainly|largely|chiefly|partly|solely|merely|simply)\s+$",
                             re.IGNORECASE)


def _only_asked(phrase: str, question: Question, people: PeopleRegistry) -> bool:
    """Is every word of meaning in the phrase one the question itself used?"""
    words = [w for w in re.findall(r"[\w’'-]+", phrase)
             if w.casefold() not in QUESTION_WORDS and len(w) > 2]
    asked = set(stems(question.text))
    return bool(words) and all(stems(w) and stems(w)[0] in asked for w in words)


_GOES_ON = re.compile(r"^\W*(?:he|she|it|they|this|these|that|those|such|his|her|its|their|"
                      r"so|thus|hence|therefore|for|as|because|in (?:this|that|doing so))\b",
                      re.IGNORECASE)


def _motive(phrase: str) -> str:
    """"A wish to protect supporters", not "reflected a wish to protect supporters"."""
    return re.sub(r"^reflect(?:ed|s|ing)?\s+", "", phrase, flags=re.IGNORECASE)


def _agent(found: re.Match[str], text: str, marker: re.Pattern[str]) -> bool:
    """Is this "by"/"through" not the how: "forced to suicide by the persecutions"?"""
    if marker is not _MANNER:
        return False
    opening = text[found.start():found.end() + 20].casefold()
    before = text[max(0, found.start() - 60):found.start()]
    if opening.startswith("by ") and _GAINED_BY.search(before):
        return True  # "most to lose by the defeat of the revolution": what it hangs on
    if re.match(r"by (?:an?\s|the\s|(?!means\b|\w+ing\b)[a-z])", opening):
        return _AGENT_BY.search(before) is not None
    return opening.startswith("through") and _MOTION_THROUGH.search(before) is not None


def _forced_after(found: re.Match[str], text: str, verb_at: int) -> bool:
    """"... placed him under house arrest. Forced to relocate one final time, to Mexico,
    Trotsky ...": a sentence opening on what was forced tells what followed the act asked
    about, not why it was done."""
    return (found.group(0).casefold() == "forced" and found.start() >= verb_at
            and (found.start() < 3 or _OPENS_SENTENCE.search(text, 0, found.start()) is not None))


def _particle_of_question(found: re.Match[str], question: Question) -> bool:
    """"How did Lenin get his peace policy through?": the question's own "through" is part
    of its verb, so "(scraped) through the Central Committee" restates it, not the how."""
    opening = found.group(0).split(maxsplit=1)[0].casefold()
    if opening == "with":
        return _with_of_the_asked_verb(found, question)
    return opening in ("through", "via") and re.search(
        rf"\b{opening}\b", question.text, re.IGNORECASE) is not None


def _with_of_the_asked_verb(found: re.Match[str], question: Question) -> bool:
    """"how did Lenin want speculators dealt with?": "For dealing with peasant horders ..."
    is the question's own "deal with", not how it was done; so is "along with", "together
    with"."""
    text = found.string
    before = re.search(r"([\w’'-]+)\s+$", text[max(0, found.start() - 30):found.start()])
    if before is None:
        return False
    word = before.group(1).casefold()
    if _TAKES_WITH.fullmatch(word):
        return True
    asked = [m.group(1).casefold() for m in re.finditer(r"([\w’'-]+)\s+with\b", question.text,
                                                       re.IGNORECASE)]
    return any(word.startswith(_prefix(a)) or a.startswith(_prefix(word)) for a in asked)


# Words whose object "with" opens ("dealing with peasant hoarders", "sided with the right",
# "along with"): what follows is what they deal or side with, not a manner.
_TAKES_WITH = re.compile(r"(?:deal|cope|side|agree|disagree|cooperate|collaborate|ally|"
                         r"associate|identify|compare|connect|combine|confront|face|break|"
                         r"familiar|acquaint|concern|charge|fill|along|together|coincide)"
                         r"(?:s|d|ed|es|ing|t|ied|ies)?|broke|dealt|familiar|concerned",
                         re.IGNORECASE)


def _goes_on_about(before: str, question: Question, people: PeopleRegistry) -> bool:
    """Does the next sentence, up to its marker, go on about the same subject ("Such acts,
    he argued, ...", "Sick, ..., he shot himself") rather than turn to another?"""
    return bool(_GOES_ON.match(before) or re.search(r"\b(?:he|she|they)\b", before, re.I)
                or any(covered(g, before, people) for g in question.groups))


def _sentence_most_asked(question: Question, window: Window, people: PeopleRegistry
                         ) -> str:
    """The sentence of the window that holds most of what the question asks about, the
    search's own sentence on a tie: in "The city demanded grain ... The government sent out
    armed workers' detachments for grain.", "how did the government get grain?" is answered
    by the second. Only the question's subject and content words count, weighted."""
    doer = _doer(question)

    def held(text: str) -> float:
        return sum(g.weight * (2 if g.subject or g is doer else 1) for g in question.groups
                   if covered(g, text, people))
    best = window.main
    for sentence in window.sentences:
        if held(sentence.text) > held(best.text):
            best = sentence
    # "how did Trotsky save Petrograd?": "But Trotsky's train arrived in time to lead the
    # defence of the city." tells how; "Yudenich was defeated ..." only that he did.
    deeds = [s for number, s in enumerate(window.sentences) if s is not best
             and tells_the_doers_deed(question, s.text, people, " ".join(
                 earlier.text for earlier in window.sentences[:number]))]
    if deeds and not tells_the_doers_deed(question, best.text, people):
        return _part_most_asked(question, deeds[0].text, people)
    return _part_most_asked(question, best.text, people)


def _part_most_asked(question: Question, sentence: str, people: PeopleRegistry) -> str:
    """A note marker hides a sentence's end from the splitter ("... in its future.”[11] In
    response, Trotsky implored the KPD ..."): the part holding all the sentence holds of the
    question is the answer."""
    cuts = [0, *(m.end() for m in _NOTE_BREAK.finditer(sentence)), len(sentence)]
    if len(cuts) == 2:
        return sentence
    parts = [sentence[a:b].strip() for a, b in pairwise(cuts) if b > a]

    def held(text: str) -> frozenset[str]:
        return frozenset(g.word for g in question.groups if covered(g, text, people))
    whole = held(sentence)
    return next((part for part in parts if held(part) >= whole), sentence)


# A sentence's end followed by a note's number, in brackets or printed bare after the closing
# quote ("... with socialism.”75 In 1923 ..."), which the splitter reads on past.
_NOTE_BREAK = re.compile(r"[.!?][”\"’]?\[\d{1,3}\]\s+(?=[A-Z“\"])"
                         r"|[.!?]?[”\"]\d{1,3}\s+(?=[A-Z“\"])")


_DOER = re.compile(r"^(?:why|how)\s+(?:did|does|do|was|were|is|are|could|would|had|has|have)"
                   r"\s+(?:the\s+|a\s+|an\s+)?(?P<word>[\w’'-]+)", re.IGNORECASE)


def _doer(question: Question) -> TermGroup | None:
    """The group of the word that does what a why or a how asks about ("how did *the
    government* get grain?"): the sentence it is the subject of tells the how."""
    found = _DOER.match(question.text)
    if found is None:
        return None
    word = found["word"].casefold()
    return next((g for g in question.groups
                 if g.word.casefold() == word or (g.person is not None and any(
                     word == form.casefold() for form in g.alternatives))), None)


def tells_the_doers_deed(question: Question, sentence: str, people: PeopleRegistry,
                         before: str = "") -> bool:
    """Does the sentence open with the one the how asks about, saying what they did ("The
    government sent out armed workers' detachments for grain." for "how did the government
    get grain?"): the deed is the how, though no "by" or "with" says so. A "They" opening
    counts when the text just before names them ("... the Bolsheviks appealed to ... They
    formed Committees of Poor Peasants")."""
    doer = _doer(question)
    if doer is None or question.kind is not AnswerType.MANNER:
        return False
    opening = " ".join(sentence.split()[:3])
    if covered(doer, opening, people):
        return True
    return bool(before) and re.match(r"(?:they|he|she)\b", sentence, re.IGNORECASE) is not None \
        and covered(doer, before, people)


def _cut(phrase: str) -> str:
    phrase = " ".join(phrase.split()).strip(" ,;:")
    if len(phrase) <= MAX_PHRASE:
        return phrase
    return phrase[:MAX_PHRASE].rsplit(" ", 1)[0] + "…"


def listing(question: Question, window: Window, people: PeopleRegistry) -> Extracted | None:
    text = window.text
    asked = {p.name for p in question.people}
    if ASKS_WHAT_MADE_UP.match(question.text):
        # "who made up the Whites?": the kinds of people its name stands before
        # ("the Whites—former Russian generals, landlords and capitalists"), if the text
        # gives them so; else the people it names, as for any "who".
        made_of = _made_up_of(question, window, people)
        if made_of is not None:
            return made_of
    wants_people = bool(re.search(r"^(?:who|name the|list the)\b|\b(?:people|leaders|"
                                  r"bolsheviks|members|men|women|heroes|figures|children|"
                                  r"comrades|defendants|prisoners|victims|writers|historians|"
                                  r"critics|revolutionaries|oppositionists)\b",
                                  question.text, re.IGNORECASE))
    mentions = [m for m in people.mentions(text) if m.person.name not in asked]
    named = list(dict.fromkeys(m.person.name for m in mentions))
    if wants_people and len(named) >= 2:
        chains = _name_chains(mentions, text)
        if chains:  # "Smilga, Mrachkovskii, Muralov, Serebryakov and Rakovskii"
            focus = _first_focus_at(question, text)
            best = max(chains, key=lambda c: (len(c), -abs(c[0].start - focus)))
            names = list(dict.fromkeys(m.person.name for m in best))
            # A name the registry cannot settle ("Smirnov", one of several) heading the run
            # is still one of the list: "such as Smirnov, Smilga, Mrachkovskii, ...".
            before = _NAMES_BEFORE.search(text, 0, best[0].start)
            if before is not None:
                names = [*re.findall(r"[A-Z][\w’'.-]+(?:\s+[A-Z][\w’'.-]+)?", before.group(0)),
                         *names]
            return Extracted(", ".join(names), before.start() if before else best[0].start)
        return Extracted(", ".join(named), 0)
    if wants_people:
        return None  # a list of people is of people the text names, not any enumeration
    wants_places = bool(re.search(r"^where\b|\b(?:countries|cities|towns|places|regions|"
                                  r"provinces|republics|lands)\b", question.text, re.I))
    if wants_places:
        places = _named_places(question, text, mentions)
        if len(places) >= 2:
            return Extracted(", ".join(places), text.find(places[0]))
    # The items stand in a sentence that speaks of what is asked: in "These old civic
    # freedoms ... could be realized. Although both failed, Ernest Mandel, one of the most
    # dedicated ...", the commas of the second list nothing asked.
    content = [g for g in question.groups if g.person is None]
    speaking = [s.text for s in window.sentences
                if not content or any(covered(g, s.text, people) for g in content)]
    text = " ".join(speaking) if speaking and len(speaking) < len(window.sentences) else text
    colon = text.find(":")
    for source in ((text[colon + 1:],) if colon >= 0 else ()) + (text,):
        match = _ENUMERATION.search(source)
        if match:
            items = _enumerated(match, question, people)
            if len(items) >= 2:
                return Extracted(", ".join(items), max(0, window.text.find(match["items"])))
    if len(named) >= 2:
        return Extracted(", ".join(named), 0)
    return None


MADE_OF_NEAR = 25  # characters from the name of a whole to the list of what made it up
# What joins the whole to its parts: "the Whites—former ...", "the bloc (the Mensheviks,
# ...)", "the opposition: Preobrazhensky, ...", "... were made up of ...".
_MADE_OF = re.compile(r"(?:[—–:(]|\b(?:consisted of|made up of|composed of|included|"
                      r"including|such as|of)\b)\s*$")


def _made_up_of(question: Question, window: Window, people: PeopleRegistry
                ) -> Extracted | None:
    text = window.text
    for match in _ENUMERATION.finditer(text):
        if any(0 < match.start("items") - at <= MADE_OF_NEAR
               and _MADE_OF.search(text, at, match.start("items"))
               for at in _content_positions(question, text)):
            items = _enumerated(match, question, people)
            if len(items) >= 2:
                return Extracted(", ".join(items), match.start("items"))
    return None


def _enumerated(match: re.Match[str], question: Question, people: PeopleRegistry
                ) -> list[str]:
    """The items of an _ENUMERATION match, tidied, without the clause that introduces them."""
    tidied = [item for part in re.split(r",\s+|\s+(?:and|or)\s+", match["items"])
              if (item := _tidy_item(part))]
    return _list_proper(tidied, question, people)


_NAMES_BEFORE = re.compile(r"(?:(?<=such as )|(?<=including )|(?<=, )|(?<=: ))"
                           r"(?:[A-Z][\w’'.-]+(?:\s+[A-Z][\w’'.-]+)?,\s+)+$")


def _name_chains(mentions: list[Mention], text: str) -> list[list[Mention]]:
    """Runs of two or more names joined only by commas and "and" in the text."""
    chains: list[list[Mention]] = []
    current: list[Mention] = []
    for mention in sorted(mentions, key=lambda m: m.start):
        if current and re.fullmatch(r"\s*(?:,|,?\s*and|&)\s*(?:even\s+)?",
                                    text[current[-1].end:mention.start]):
            current.append(mention)
            continue
        if len(current) >= 2:
            chains.append(current)
        current = [mention]
    if len(current) >= 2:
        chains.append(current)
    return chains


# A capital after a sentence's end ("revolution.”96 When") is the next sentence's first
# word, not a name.
_SENTENCE_START = re.compile(_SENTENCE_BREAK + "$")


def _named_places(question: Question, text: str, mentions: list[Mention]) -> list[str]:
    """Capitalized names after the question's verb that are not people, months or
    movements: "then to Turkey, Norway, France and, finally, to Mexico"."""
    start = _first_focus_at(question, text)
    asked = {w.casefold() for w in re.findall(r"[\w’'-]+", question.text)}
    taken = [(m.start, m.end) for m in mentions]
    found = []
    for match in re.finditer(r"(?<![.!?]\s)\b[A-Z][a-z’'-]+(?:\s+[A-Z][a-z’'-]+)?", text[start:]):
        name, at = match.group(0), start + match.start()
        if (_NOT_PLACES.match(name) or (_NOT_NAMES.search(name) and not _COUNTRY.match(name))
                or all(w.casefold() in asked for w in name.split())
                or any(a <= at < b for a, b in taken)
                or _SENTENCE_START.search(text, 0, at)):
            continue
        found.append(name)
    return list(dict.fromkeys(found))


_ASIDES = frozenset({"too", "also", "however", "though", "moreover", "then", "in turn",
                     "furthermore", "besides", "indeed", "above all", "again"})


def _list_proper(items: list[str], question: Question, people: PeopleRegistry) -> list[str]:
    """The items themselves, not the clause that introduces them: "Trotsky called, too, for
    freedom of criticism, freedom of assembly, and a press ..." lists three freedoms."""
    while len(items) > 2 and (items[0].casefold() in _ASIDES
                              or _only_asked(items[0], question, people)):
        items = items[1:]
    counted = _COUNTED_ITEMS.search(question.text)
    if counted is not None:
        # "what two roles did Stalin fit?" against "... because he naturally fit both roles
        # as a party activist and state administrator": the last two, from after "roles as".
        wanted = _COUNT_WORDS[counted["count"].casefold()]
        items = items[-wanted:] if len(items) > wanted else items
        noun = re.escape(counted["noun"].casefold().rstrip("s"))
        named_as = re.search(rf"\b{noun}\w*\s+(?:as|of|such as|namely|like)\s+"
                             r"(?:(?:a|an|the)\s+)?", items[0], re.IGNORECASE)
        if named_as is not None:
            items[0] = items[0][named_as.end():]
    if items:
        items[0] = re.sub(r"^(?:for|of|to|on|about|with|as|such as|including)\s+", "",
                          items[0], flags=re.IGNORECASE)
    long = [n for n, item in enumerate(items) if len(item.split()) > SHORT_ITEM]
    if long and len(items) - long[-1] > 3:
        # "“Even before the war /with Germany/ ended in November 1918, Soviet territory was
        # invaded by British, French, Japanese ...": the items run from the last words of the
        # clause that leads into the short ones.
        lead = list(_LEADS_INTO_ITEMS.finditer(items[long[-1]]))
        if lead:
            items = [items[long[-1]][lead[-1].end():], *items[long[-1] + 1:]]
    return items


SHORT_ITEM = 3  # words of an item; a longer one before three or more such holds the lead-in
_LEADS_INTO_ITEMS = re.compile(r"\b(?:by|of|as|such as|including|like|namely|are|were|was|is)\s+",
                               re.IGNORECASE)


_COUNT_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_COUNTED_ITEMS = re.compile(r"\b(?:what|which|the|name)\s+(?P<count>two|three|four|five|six)\s+"
                            r"(?P<noun>[a-z]{3,})\b", re.IGNORECASE)


def _tidy_item(item: str) -> str:
    item = item.strip(" ,")
    item = re.sub(r"^(?:and|or|then|finally|even|the)\s+", "", item, flags=re.IGNORECASE)
    return item.strip(" ,")


def yes_no(question: Question, window: Window, people: PeopleRegistry) -> Extracted | None:
    """Yes when the sentence states what was asked; no when it denies it or says otherwise."""
    text = window.main.text if len(window.sentences) == 1 else window.text
    missing = [g for g in question.groups
               if not covered(g, text, people)]
    # A "not" settles the question only in the clause of the question's words: "Lenin, who
    # never doubted it, agreed" still says yes to "did Lenin agree?".
    positions = _content_positions(question, text) or [0]
    denied = _denies(question, text, positions, people) != question.negated
    # Everything but one named thing is there, and the sentence names another in its place
    # ("Did Stalin kill Trotsky with a gun?" against "... with an ice-axe").
    # A person missing by name but there as "he" (the window found them so) is not missing,
    # and one is replaced only when the sentence names someone else in their place.
    asked = {p.name for p in question.people}
    missing = [g for g in missing if g.person is None or not window.people_found]
    if len(missing) == 1 and (missing[0].word.isdigit() or (
            missing[0].person is not None
            and any(m.person.name not in asked for m in people.mentions(text)))):
        return Extracted("No", 0)
    # "Yes" only when the sentence holds nearly all that is asked; with the point of the
    # question missing it does not settle it ("did Trotsky visit Japan?" against a sentence
    # on the Balkans).
    content = [g for g in question.content_groups if g.weight > 0]
    held = sum(g.weight for g in content if g not in missing)
    if window.coverage < YES_NO_COVERAGE or (content and held < YES_NO_CONTENT * sum(
            g.weight for g in content)):
        return None
    if _expectation_undone(question, window):
        denied = not denied
    if not _predicated_of_the_asked(question, text, people):
        return None
    return Extracted("No" if denied else "Yes", 0)


# "was stalin actually an old bolshevik?": whether someone was something.
_ASKS_WHAT_SOMEONE_WAS = re.compile(
    r"^(?:was|is|were|are)\s+(?P<who>.+?)\s+(?:(?:actually|really|ever|even|once|still)\s+)?"
    r"(?:an?|the)\s+(?P<what>[^,?]+?)\s*\??$", re.IGNORECASE)


def _predicated_of_the_asked(question: Question, text: str, people: PeopleRegistry) -> bool:
    """For "was X a Y?", the sentence must say X is or was Y ("He was an Old Bolshevik",
    "Victor Serge, an anarchist"), not merely name both ("Stalin ... executed the Old
    Bolsheviks")."""
    asked = _ASKS_WHAT_SOMEONE_WAS.match(question.text)
    if asked is None or len(question.people) != 1:
        return True
    person = question.people[0]
    if not any(re.fullmatch(re.escape(form), asked["who"], re.IGNORECASE)
               for form in person.names()):
        return True  # "was it trotsky who wrote ...?" asks who did it, not what he was
    what = [g for g in question.content_groups if covered(g, asked["what"], people)]
    if not what:
        return True
    starts = [m.end for m in people.mentions(text) if m.person.name == person.name]
    starts += [m.end() for m in re.finditer(r"\b(?:he|she)\b", text, re.IGNORECASE)]
    for start in starts:
        # The copula or the apposition, then the thing within a few words of it.
        said = _PREDICATION.match(text, start)
        if said and all(covered(g, said["what"], people) for g in what):
            return True
    return False


_PREDICATION = re.compile(r"\s*(?:,\s*|\s*(?:was|is|had been|has been|became|remained|were)"
                          r"(?:\s+(?:not|never|no longer|also|still|always))?\s+)"
                          r"(?P<what>(?:an?\s+|the\s+)?(?:[\w’'-]+\s+){0,3}[\w’'-]+)")


# Words that deny the deed near them, beyond "not" and "never": "Ignoring the advice of his
# lawyers" says he did not listen to them, "were unable to translate Trotsky's ideas into mass
# action" that they did not manage it.
_DENYING = re.compile(r"\b(?:not(?!\s+(?:only|just|merely|simply|least|everyone|everybody)\b)|"
                      r"never|"
                      # "not only ... but", "not least", "no doubt", "no less": no denial;
                      # "not everyone has blood on their hands like Trotsky did" says he had
                      r"no(?!\s+(?:doubt|less|small|mean)\b)|nor|neither|n't|without|no longer|"
                      r"refus(?:e|ed|es|ing)|"
                      r"reject(?:ed|s|ing)?|den(?:y|ied|ies)|fail(?:ed|s)?|ignor(?:e|ed|es|ing)|"
                      r"unable|unwilling|lack(?:ed|s|ing)?|"
                      # "The state apparatus, instead of withering away, had grown ...": what
                      # is done instead of a deed denies it
                      r"instead of|rather than)\b", re.IGNORECASE)


# "were unable to translate Trotsky's ideas into mass action": a denial that takes an
# infinitive denies the whole clause it opens, however long.
_DENIES_WHAT_FOLLOWS = re.compile(r"(?:unable|unwilling|fail(?:ed|s)?|refus(?:e|ed|es)|"
                                  r"not able|never able|no longer able)\s+to\s", re.IGNORECASE)


def _denies_the_clause_after(match: re.Match[str], text: str, positions: list[int]) -> bool:
    if not _DENIES_WHAT_FOLLOWS.match(text, match.start()):
        return False
    end = _CLAUSE_END.search(text, match.end())
    stop = end.start() if end else len(text)
    return any(match.start() < p < stop for p in positions)


def _denies(question: Question, text: str, positions: list[int], people: PeopleRegistry
            ) -> bool:
    """Does the sentence deny what is asked: a word of denial in the clause of the question's
    words, other than one the question itself asks about ("did the Bolsheviks refuse to
    join?" is answered yes by "the Bolsheviks refused to join")?"""
    asked = [g for g in question.groups if g.person is None]
    for match in _DENYING.finditer(text):
        if min(abs(match.start() - p) for p in positions) > NEGATION_REACH and not \
                _denies_the_clause_after(match, text, positions):
            continue
        if any(covered(g, match.group(0), people) for g in asked):
            continue
        return True
    return False


_EXPECTED = re.compile(r"\b(?:believed|expected|predicted|thought|hoped|feared|assumed|"
                       r"forecast|foresaw|anticipated)\b", re.IGNORECASE)
_BUT_THEN = re.compile(r"^\W*(?:but|however|instead|yet|in fact|in the event)\b", re.IGNORECASE)
_ASKS_THE_BELIEF = re.compile(r"^(?:did|does|do|was|were|is|had)\s+(?:[\w’'-]+\s+){0,3}?"
                              r"(?:expect|believe|think|predict|hope|fear|assume|foresee|"
                              r"anticipate)\b", re.IGNORECASE)


def _expectation_undone(question: Question, window: Window) -> bool:
    """"Trotsky believed the bureaucracy would collapse under the war. But the USSR emerged
    from the war strengthened": the sentence states an expectation the next one undoes, so
    "did the USSR collapse in the war?" is answered no (but "did Trotsky expect it to?" yes)."""
    if _ASKS_THE_BELIEF.match(question.text):
        return False
    sentences = list(window.sentences)
    at = sentences.index(window.main)
    return (_EXPECTED.search(window.main.text) is not None and at + 1 < len(sentences)
            and _BUT_THEN.match(sentences[at + 1].text) is not None)


def description(question: Question, window: Window, people: PeopleRegistry) -> Extracted | None:
    """"What was the NEP?": the sentence, if it speaks of the thing asked and not merely
    holds its words far apart ("what is the meaning of life?" is not answered by a sentence
    with "meaning" at one end and "life" at the other)."""
    capacity_asked = ASKS_CAPACITY.match(question.text)
    asked = (question.people[0] if len(question.people) == 1 else
             _possessor(question) or _named_as(capacity_asked["related"], question)) \
        if capacity_asked else None
    if asked is not None:
        # "what was Vyshinsky before he went over to the Bolsheviks?", "what was Yagoda's job
        # when Stalin used him ...?": the capacity the text gives him answers, though the
        # sentence holds little of the rest.
        capacity = _capacity(asked, window.text, people)
        if capacity is not None:
            return capacity
        if capacity_asked is not None and capacity_asked["office"]:
            return None  # the office held is asked: a sentence naming none is no answer
    groups = question.content_groups
    defining = re.match(r"^(?:what|who)\s+(?:is|was|are|were)\b", question.text, re.IGNORECASE)
    # The words the sentence holds must stand together; one it lacks ("what was the Kremlin
    # control commission set up to *look* into?" answered by "... set up to investigate")
    # is the coverage's to weigh, not a sign that the words lie far apart.
    held = [g for g in groups if g.word in window.matched]
    spanned = held if len(held) >= 2 else groups
    if defining and spanned and \
            tightest_span(spanned, stems(window.main.text)) > 3 * len(spanned) + 2:
        return None
    # "what was Trotsky's original surname?": a sentence without the thing asked (a surname,
    # a name) is no answer, whatever else of the question it holds ("his initial reactions").
    owned = _THE_THING.match(question.text) or _OWNED_THING.match(question.text) or \
        _WHAT_TO_DO.match(question.text)
    if owned is not None:
        thing = next((g for g in groups if g.word.casefold() == owned.group(1).casefold()), None)
        if thing is not None and not covered(thing, window.text, people):
            return None
    if _only_restates_the_event(question, window, people):
        return None
    if _ASKS_THE_EFFECT.search(question.text):
        # "Lenin had a big stroke in May 1922, what did it do to him?": the sentence of the
        # event is the question's own; what it did is told in the sentence after.
        after = [s for s in window.sentences if s.sentence_id > window.main.sentence_id]
        if not after:
            return None
        return Extracted(_cut(after[0].text), window.text.find(after[0].text))
    named = _NAME_OF.search(question.text) or TITLE_OF_ANOTHER.search(question.text)
    if named is not None and not _gives_a_name_of(named.group(named.lastindex or 0), question,
                                                  window.text):
        return None  # "his first wife, two of his children": she is there, her name is not
    found = _the_sentences(question, window, people)
    if found is not None and _SAID_SO.search(found.answer):
        # "... at heart I was even sure that we would be defeated. When I was sent to Moscow
        # ..., I told him so.": what was said is the sentence "so" stands for
        before = [s for s in window.sentences if s.sentence_id < window.main.sentence_id]
        if before and before[-1].text not in found.answer:
            return Extracted(_cut(f"{before[-1].text} {found.answer}"),
                             window.text.find(before[-1].text))
    return found


def says_it_said_so(answer: str) -> bool:
    """Does the answer end on "I told him so": what was said stands in the sentence before?"""
    return _SAID_SO.search(answer) is not None


# "I told him so", "he said so": what was said is what the sentence before says.
_SAID_SO = re.compile(r"\b(?:told|tell|said|say|wrote|admitted|warned)\s+(?:(?:him|her|them|"
                      r"us|me|Trotsky|Lenin|Stalin)\s+)?so\W*$", re.IGNORECASE)


# "... travelled to the Balkans as military correspondent for the paper": the words after
# "as", up to a preposition, a clause or the sentence's end.
_AS_CAPACITY = re.compile(
    r"\bas\s+(?!(?:he|she|they|it|well|soon|long|much|many|far|if|though|a result|such|"
    r"usual|ever|always|to|for|of|in|the case)\b)(?:an?\s+|the\s+|its\s+|his\s+|her\s+)?"
    r"(?P<role>(?:[a-z][\w-]*\s+){0,2}?[a-z][\w-]*)(?=\s+(?:for|of|in|at|to|on|with|and|but|"
    r"who|which|during|from)\b|[,.;:!?”)]|$)")
# "Vyshinsky, bourgeois lawyer, who called himself ...": a description set beside the name.
# "Adolf Joffe, for many years Trotsky’s secretary, ...", "Jean van Heijenoort, his longtime
# aide, ...": whose it is and for how long may stand before the role.
_APPOSITION = (r"\s*,\s+(?:(?:for\s+(?:many|some|several|a\s+few)\s+years|long|then|later|"
               r"once|at\s+the\s+time)\s+)?(?:an?\s+|the\s+|his\s+|her\s+|their\s+|"
               r"[A-Z][\w-]*[’']s\s+)?(?P<role>(?:[a-z][\w-]*\s+){{0,3}}?[a-z][\w-]*)\s*,")
CAPACITY_AFTER = 160  # characters after the name (or "he") in which "as ..." must stand
# The nouns of an office someone holds ...
_OFFICES = (r"chief|head|commissar|prosecutor|secretary|leader|minister|general|commander|"
            r"ambassador|president|chairman|editor|director|deputy|marshal|commissioner|"
            r"procurator|governor|premier|judge")
# ... and of a calling, which a title before the name may give too
_CALLINGS = r"scholar|historian|philosopher|economist|professor|journalist|biographer"
# "used secret police chief Heinrich Yagoda", "prosecutor Andrei Vyshinsky": an office set
# before the name, up to two words of it before the noun that names the office; at the
# start of a sentence the first of them is capitalised ("International relations scholar
# Michael Cox describes ...").
_TITLE_BEFORE = re.compile(
    r"(?:^|(?<=\s))(?P<role>(?:(?:^|(?<=[.!?]\s))(?!(?:The|A|An|His|Her|Their|Its)\s)"
    r"[A-Z][a-z-]*\s+)?"
    r"(?:(?!(?:the|a|an|and|or|of|by|to|with|for|his|her|their|its)\s)[a-z][a-z-]*(?<!ed)\s+)"
    rf"{{0,2}}(?:{_OFFICES}|{_CALLINGS}))\s+(?:[A-Z][\w’'.-]*\s+){{0,3}}$")


def _capacity(person: Person, text: str, people: PeopleRegistry) -> Extracted | None:
    """The role someone is given: "X, bourgeois lawyer," beside the name, or "as military
    correspondent" after it."""
    spots = [m for m in people.mentions(text) if m.person.name == person.name]
    for mention in spots:
        beside = re.match(_APPOSITION.format(), text[mention.end:])
        if beside is not None:
            return Extracted(beside["role"], mention.end + beside.start("role"))
    for mention in spots:
        title = _TITLE_BEFORE.search(text, max(0, mention.start - 60), mention.start)
        if title is not None:
            return Extracted(title["role"], title.start("role"))
    for mention in spots:
        after = text[mention.end:mention.end + CAPACITY_AFTER]
        cut = re.search(r"[.!?](?:\s|$)", after)
        found = _AS_CAPACITY.search(after[:cut.start()] if cut else after)
        if found is not None:
            return Extracted(found["role"], mention.end + found.start("role"))
    for mention in spots:
        # "Before becoming ambassador, Sokolnikov was people’s commissar of finance.": the
        # office the name is said to hold, when it is one
        held = _HELD_OFFICE.match(text, mention.end)
        if held is not None:
            return Extracted(held["role"], held.start("role"))
    return None


_HELD_OFFICE = re.compile(
    r"\s+(?:was|had been|became|served as)\s+(?:(?:then|later|once|briefly)\s+)?"
    rf"(?:an?\s+|the\s+)?(?P<role>(?:[\w’'-]+\s+){{0,2}}(?:{_OFFICES})"
    r"(?:\s+(?:of|for)\s+[\w’' -]{2,40}?)?)"
    r"(?=\s*[,.;:!?)]|\s+(?:and|who|when|until|from|in|at)\b)")


_ASKS_THE_EFFECT = re.compile(r"\bwhat (?:did|does|would) (?:it|that|this|they|these) do to\b|"
                             r"\bwhat (?:effect|impact|consequences?) did\b|"
                             r"\bhow did (?:it|that|this) affect\b", re.IGNORECASE)
_WHAT_HAPPENED_AFTER = re.compile(r"^what happened (?:to (?P<who>.+?) )?"
                                  r"(?:after|once|when|following)\s+(?P<event>.+)$",
                                  re.IGNORECASE)


def _only_restates_the_event(question: Question, window: Window, people: PeopleRegistry
                             ) -> bool:
    """"What happened to Mercader after he killed Trotsky?" is not answered by the sentence
    saying he killed Trotsky: the answer must come after the event, in a sentence of its
    own, or name the thing asked about ("what happened to his speech after the stroke")."""
    asked = _WHAT_HAPPENED_AFTER.match(question.text.strip(" ?"))
    if asked is None:
        return False
    event = set(stems(asked["event"]))
    beyond = [g for g in question.content_groups
              if not any(set(a) <= event for a in g.stems)]
    if beyond:
        return not all(covered(g, window.text, people) for g in beyond)
    holding = [s for s in window.sentences
               if all(covered(g, s.text, people) for g in question.content_groups)]
    whose = set((asked["who"] or "").casefold().split())
    who = [g for g in question.groups if g.person is not None and any(
        word.casefold() in whose for name in g.person.names() for word in name.split())]
    return not any(s.sentence_id > h.sentence_id and (
                       all(covered(g, s.text, people) for g in who)
                       or re.match(r"^\W*(?:he|she|they)\b", s.text, re.IGNORECASE))
                   for h in holding for s in window.sentences)


# "what was Trotsky's first wife's name?", "the name of his wife": the owner of the name.
_NAME_OF = re.compile(r"([\w-]+)[’']s\s+(?:real\s+|full\s+|original\s+|first\s+)?"
                      r"(?:name|surname)\b|\bname of (?:his|her|their|the)\s+([\w-]+)",
                      re.IGNORECASE)
NAME_NEAR_OWNER = 40  # characters either side of "wife" in which her name must stand


def _gives_a_name_of(owner: str, question: Question, text: str) -> bool:
    """Does the text print a name right by the owner ("his wife, Natalia Sedova")?"""
    asked = {w.casefold() for w in re.findall(r"[\w’'-]+", question.text)}
    asked |= {re.sub(r"[’']s$", "", w) for w in asked}  # "trotsky's book": Trotsky is asked
    for found in word_start(owner).finditer(text):
        around = text[max(0, found.start() - NAME_NEAR_OWNER):found.end() + NAME_NEAR_OWNER]
        for name in re.finditer(r"(?<![.!?]\s)\b[A-Z][a-z’'-]+", around):
            if name.group(0).casefold() not in asked and not _NOT_NAMES.search(name.group(0)):
                return True
    return False


def _the_sentences(question: Question, window: Window, people: PeopleRegistry) -> Extracted:
    """The window's main sentence as the answer, or the window whole when its neighbour holds
    what the main sentence lacks ("after Lenin's stroke what happened to his speech?": "...
    Lenin suffered the first of a series of major strokes. His speech was impaired")."""
    if len(window.sentences) > 1 and (any(
            covered(g, window.text, people) and not covered(g, window.main.text, people)
            for g in question.content_groups) or _quotation_runs_on(window)):
        return Extracted(_cut(window.text), 0, note="sentence")
    return Extracted(_cut(_part_most_asked(question, window.main.text, people)), 0,
                     note="sentence")


_WHICH_NOUN = re.compile(r"^(?:in\s+|on\s+|to\s+|from\s+|at\s+)?(?:which|what)\s+([a-z]+)\b",
                         re.IGNORECASE)
_VAGUELY_COUNTED = re.compile(r"\b(?:multiple|several|many|various|numerous|countless|"
                              r"a number of|a few)\s+([a-z]+)\b", re.IGNORECASE)
_NAMED_AFTER = re.compile(r"\s*(?::|,?\s*(?:such as|including|like|namely)\b)", re.IGNORECASE)
_COUNT_UNKNOWN = re.compile(r"\b(?:nobody|no one|no-one|none) (?:knows|knew|can say|could say)\s+"
                            r"how (?:many|much)\s+$|\bnot known how (?:many|much)\s+$",
                            re.IGNORECASE)


def leaves_them_unnamed(question: Question, text: str) -> bool:
    """"Which languages could Trotsky speak?" is not answered by "not everyone can speak
    multiple languages": the text counts the things asked for vaguely and names none."""
    asked = _WHICH_NOUN.match(question.text)
    if asked is None or not stems(asked.group(1)):
        return False
    noun = stems(asked.group(1))[0]
    return any(stems(found.group(1))[:1] == [noun] and not _NAMED_AFTER.match(text, found.end())
               for found in _VAGUELY_COUNTED.finditer(text))


def count_unknown(text: str, at: int) -> bool:
    """"Nobody knows how many millions died": the number the text gives is no count."""
    return _COUNT_UNKNOWN.search(text[max(0, at - 40):at]) is not None


def quotation_runs_on(sentence: str) -> bool:
    """Muralov wrote to Trotsky: “I capitulate? I shall die, but I shall never capitulate.”:
    the quotation the sentence opens goes on in the next one, which must be shown."""
    return sentence.count("“") > sentence.count("”")


def _quotation_runs_on(window: Window) -> bool:
    return quotation_runs_on(window.main.text) and window.sentences[-1] is not window.main


# The last thing owned in a chain: "what was Trotsky's first wife's name?" asks for a name.
_OWNED_THING = re.compile(r"^what\s+(?:was|is|were|are)\s+[\w .’'-]+[’']s\s+(?:\w+\s+)?(\w+)",
                          re.IGNORECASE)
# "what did trotsky's lawyers advise him to do?": what they advised is asked, so the
# sentence must hold the verb ("Ignoring the advice of his lawyers" does not: it names the
# advice without telling it).
_WHAT_TO_DO = re.compile(r"^what\s+(?:did|do|does|would)\s+.+?\s+(\w+)\s+(?:him|her|them|us|me|"
                         r"the\s+\w+)\s+to\s+do\b", re.IGNORECASE)
# "what was the vote in the central committee when ...?": the vote is what is asked; a
# sentence on the meeting that gives no vote is no answer.
_THE_THING = re.compile(r"^what\s+(?:was|is|were|are)\s+the\s+(\w+)\s+(?:in|at|of|on|for|when|"
                        r"after|before|during)\b", re.IGNORECASE)


def tightest_span(groups: Sequence[TermGroup], tokens: list[str]) -> int:
    """The fewest consecutive tokens holding a word of every group (len+1 if none does)."""
    wanted = [{stem for alternative in g.stems for stem in alternative[:1]} for g in groups]
    best = len(tokens) + 1
    for start, token in enumerate(tokens):
        if not any(token in w for w in wanted):
            continue
        missing = set(range(len(wanted)))
        for end in range(start, min(len(tokens), start + best)):
            missing -= {i for i, w in enumerate(wanted) if tokens[end] in w}
            if not missing:
                best = min(best, end - start + 1)
                break
    return best


def author(question: Question, window: Window, people: PeopleRegistry) -> Extracted | None:
    """The name printed before a title in a note: "Oddvar Høidal, Trotsky in Norway",
    "Alexander Rabinowitch’s excellent The Bolsheviks in Power"."""
    text = window.text
    groups = tuple(g for g in question.content_groups if g.word in window.matched)
    if len(groups) < 2 or tightest_span(groups, stems(text)) > len(groups) + 2:
        return None  # the title's words must stand together, as a title does
    at = _first_focus_at(question, text)
    # The title starts at the first of its words, "The" included; "the book" of "who wrote
    # the book I Chose Freedom" says what the title is, it is not one of its words.
    for group in groups:
        if group.word.casefold() in _KINDS_OF_BOOK:
            continue
        for alternative in group.alternatives:
            for match in re.finditer(rf"\b{re.escape(alternative)}", text, re.IGNORECASE):
                if 0 <= at - match.start() < 40:
                    at = match.start()
    at -= 4 if text[max(0, at - 4):at] in ("The ", "the ") else 0
    before = text[max(0, at - 60):at]
    if _HIS_BOOK.search(before):
        # "Victor Kravchenko, a former high Stalinist official ..., reports in his book, I
        # Chose Freedom": the book is the sentence's subject's, named at its start.
        start = _sentence_start(window, at)
        writer = re.match(r"\W*((?:[A-Z][\w.’'-]*\.?\s+){0,2}[A-Z][\w’'-]+)", text[start:at])
        if writer is not None and not _NOT_NAMES.search(writer.group(1)) and \
                writer.group(1).split()[0] not in ("The", "A", "An", "In", "His", "Her"):
            return Extracted(writer.group(1), start + writer.start(1))
    named = re.search(r"((?:[A-Z][\w.’'-]*\.?\s+){0,2}[A-Z][\w’'-]+)(?:[’']s)?(?:,|\s+(?:excellent|"
                      r"classic|fine|important|superb|in|book|study))?\s*(?:[\w]+\s+){0,2}$",
                      before)
    if named is None or _NOT_NAMES.search(named.group(1)):
        return None
    name = re.sub(r"[’']s$", "", named.group(1).strip())
    return Extracted(name, max(0, at - 60) + named.start(1))


_KINDS_OF_BOOK = frozenset({"book", "books", "memoir", "memoirs", "novel", "pamphlet"})
_HIS_BOOK = re.compile(r"\b(?:his|her|their)\s+(?:(?:new|last|famous|own|first)\s+)?(?:book|"
                       r"memoirs?|autobiography|study|work|novel|diary|history|pamphlet)\s*,?\s*"
                       r"(?:[A-Z]\w*\s+)?$")  # the title's first word may be a question word


def which_text(question: Question, window: Window, people: PeopleRegistry) -> Extracted | None:
    hit = window.main
    by = f" by {hit.source_author}" if hit.source_author else ""
    return Extracted(f"{hit.source_title}{by}", 0)


_EXTRACTORS: dict[AnswerType, Callable[[Question, Window, PeopleRegistry], Extracted | None]] = {
    AnswerType.PERSON: person,
    AnswerType.PLACE: place,
    AnswerType.DATE: date,
    AnswerType.NUMBER: number,
    AnswerType.REASON: reason,
    AnswerType.MANNER: manner,
    AnswerType.LIST: listing,
    AnswerType.YESNO: yes_no,
    AnswerType.DESCRIPTION: description,
    AnswerType.WHICH_TEXT: which_text,
    AnswerType.AUTHOR: author,
}
