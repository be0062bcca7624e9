"""Who said or wrote the words of each quotation, with a confidence and how it was decided.

The evidence is what the essay itself gives, tried from strongest to weakest:

1. ``signature``: an epigraph's signature line ("… irrevocably doomed.   Friedrich Engels 1").
2. ``verb``: a named speaker and a verb of saying in the quotation's sentence ("Trotsky wrote",
   "said Lenin", "according to Serge"); "he/she" resolves to the last person named, "I" inside
   a quoted block to that block's speaker and in the essay's own prose to the essayist.
3. ``intro``: a block quotation (or a paragraph that opens with a quotation) introduced by a
   sentence ending in a colon: its subject ("Of the latter meeting, Serge writes:").
4. ``cited-author``: the quotation's note or citation names whose words these are (the note's
   leading name, else the cited work's author), unless the note says "Quoted in".
5. ``essay-author``: the essayist quoting their own words ("I wrote earlier about “…”").

With no such evidence, or for a scare quote of a word or two with none of 1-3, the quotation
stays unattributed: a wrong speaker is worse than none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from bot.corpus.mentions import ParagraphMentions, paragraph_mentions
from bot.corpus.model import (
    BlockKind,
    Citation,
    CitationKind,
    Note,
    Paragraph,
    ParsedText,
    Quotation,
    QuoteKind,
)
from bot.corpus.parse import REPORTED_SPEECH, unmarked_letter
from bot.corpus.people import Mention, PeopleRegistry
from bot.corpus.wordtrie import alternation
from bot.corpus.works import looks_like_name, split_top_level

ESSAY_AUTHOR = "the essay's author"

_VERBS = (
    r"said|says|say|wrote|writes|write|written|declared|declares|argued|argues|observed|"
    r"observes|recalled|recalls|relates|related|noted|notes|exclaimed|exclaims|proclaimed|"
    r"proclaims|asked|asks|answered|answers|replied|replies|told|tells|warned|warns|insisted|"
    r"insists|stated|states|commented|comments|remarked|remarks|explained|explains|reflected|"
    r"reflects|admitted|admits|mused|acknowledged|acknowledges|predicted|prophesied|"
    r"envisioned|complained|described|describes|recollected|reported|reports|put it|"
    r"concluded|concludes|added|adds|continued|continues|cried|shouted|responded|retorted|"
    r"claimed|claims|announced|urged|demanded|conceded|lamented|suggested|suggests|"
    r"emphasized|stressed|summed up|called|calls|characterized|dubbed|celebrated|"
    r"identifies|identified|describes|accused|charged|hints|hinted|affirmed|thundered|"
    r"reasoned|reasons|muttered|murmured|wondered|replied|protested|boasted|scoffed|"
    r"saying|stating|asserted|asserts|exhorted|advocated|maintained|maintains|termed|"
    r"echoed|echoes|concedes|denounced|appealing|appealed|urging|identify|foreseen|foresaw|"
    r"foretold"
)
#: The verbs folded into a trie (bot/corpus/wordtrie.py): the same matches, five times faster.
_VERB_WORDS = alternation(_VERBS.split("|"))
_VERB = re.compile(rf"\b(?:{_VERB_WORDS})\b", re.IGNORECASE)
# Before words quoted in the essay's own sentence, "spoke of" says them too ("He regularly
# spoke of Stalin's “mediocrity.”"); it does not introduce a block, which may be a
# historian's words about what was spoken of ("That more cautious Lenin spoke of: > ...").
_VERB_BEFORE = re.compile(rf"\b(?:{_VERB_WORDS}|spoke of|speaks of)\b", re.IGNORECASE)
_ACCORDING = re.compile(r"\baccording to\s+$", re.IGNORECASE)
_PRONOUN = re.compile(r"\b(he|she|He|She|I)\b")
# "He regularly spoke of …": a pronoun, an adverb, the verb.
_PRONOUN_ADVERB = re.compile(r"\b(he|she|He|She|I)\s+\w+ly\s+$")
# "It was he who first termed …": the pronoun a cleft puts before its verb.
_CLEFT = re.compile(r"\b[Ii]t (?:was|is) (he|she) who (?:\w+ )?$")
# Between a subject and its verb: "Trotsky later wrote", "Lev Davidovich had called".
_ADVERB_GAP = re.compile(
    r"^\s*(?:(?:\w+ly|also|then|later|once|again|often|still|now|even|already|first|had|has|"
    r"have|would|could|himself|herself)\s+){0,2}$")
# Verbs that also come before their subject: "said Lenin", "recalled Victor Serge".
_INVERTING = re.compile(
    r"\b(?:said|wrote|asked|answered|replied|recalled|observed|declared|exclaimed|"
    r"continued|added|remarked|says|writes|asks|answers|replies|recalls|observes|adds|notes|"
    r"argues|explains|continues|remarks|declares|insists|concludes|relates|reports|echoed|"
    r"echoes|concedes)\b",
    re.IGNORECASE)
# An introduction with no verb of saying still names its speaker as the sentence's subject:
# "Goldman is less kind in her assessment …:", "Trotsky makes a powerful insight:".
_SUBJECT_VERB = re.compile(r"^\s*(?:is|was|makes|made|puts|put|gives|gave|offers|offered)\b")
_SCARE_WORDS = 3  # a quotation this short needs explicit evidence to be attributed
_OWN_MARKER_GAP = 3  # characters between a quotation's end and a marker of its own: ”  (


@dataclass(frozen=True, slots=True)
class Attribution:
    speaker: str | None
    confidence: float
    # signature | verb | label | owner | reported | intro | cited-author | essay-author |
    # unnamed | none
    method: str
    evidence: str | None = None  # the words that decided it, for finding and fixing mistakes
    source_words: str | None = None  # an unnamed source in the text's words ("One report")


UNATTRIBUTED = Attribution(None, 0.0, "none")


class _Context:
    """Per text: the people named in each paragraph and the essay's author."""

    def __init__(self, text: ParsedText, people: PeopleRegistry,
                 named: ParagraphMentions | None = None) -> None:
        self.text = text
        self.people = people
        self.notes: dict[int, Note] = {n.number: n for n in text.notes}
        self.mentions: ParagraphMentions = named if named is not None \
            else paragraph_mentions(text, people)
        self.essay_author = text.meta.author or ESSAY_AUTHOR
        self.block_speakers: dict[int, Attribution] = {}

    def referent(self, paragraph: Paragraph, sentence_start: int,
                 within: bool = False) -> Mention | None:
        """Who "he" or "she" opening a clause of the sentence at ``sentence_start`` is.

        The sentences before it in the same paragraph are read back: the first that names
        anyone decides, and only when exactly one person fits — the one person it names (a
        possessive counts when nobody else is named: "The first is Trotsky’s pronouncement
        that …. In the second, he claimed:"), or of several the one the sentence opens with
        as its subject. A sentence naming nobody ("He was very upset.") is passed over, up to
        three. With no sentence before it in the paragraph, the paragraphs before decide as
        ``last_person_before`` does. ``within``: inside a quoted block, only the block's own
        sentences (up to five back: a narrator's "he stood up … he said" runs on) can say.
        """
        text = paragraph.text
        earlier = [(a, b) for a, b in paragraph.sentences if b <= sentence_start][
            -5 if within else -3:]
        if not earlier:
            return None if within else self.last_person_before(paragraph, sentence_start)
        mentions = self.mentions.get(paragraph.index, [])
        if within:  # a name inside words quoted in the block is no one the narrator means
            quoted = [(q.start, q.end) for q in self.text.quotations
                      if q.paragraph_index == paragraph.index and q.kind is QuoteKind.INLINE]
            mentions = [m for m in mentions if not any(a <= m.start < b for a, b in quoted)]
        for start, end in reversed(earlier):
            named = [m for m in mentions if start <= m.start < end]
            if not named:
                continue
            if within and _names_someone_unknown(text, start, end, named):
                return None  # "Smirnov knew Stalin well": the registry knows only Stalin
            plain = [m for m in named if not _possessive(text, m)] or named
            if len({m.person.name for m in plain}) == 1:
                return plain[0]
            first = plain[0]
            if _OPENS_WITH_SUBJECT.match(text[start:first.start]) and not any(
                    m.start < first.start for m in named):
                return first
            return None
        return None

    def last_person_before(self, paragraph: Paragraph, offset: int) -> Mention | None:
        """Who "he" most likely is: the subject of the latest sentence that names someone.

        The subject is the first person named in that sentence, not a possessive ("under
        Lenin’s leadership") — "Leon Trotsky celebrated … under Vladimir Lenin’s leadership.
        “…,” he recalled" is Trotsky recalling. Looks back two paragraphs.
        """
        for index in range(paragraph.index, max(-1, paragraph.index - 3), -1):
            candidates = [m for m in self.mentions.get(index, [])
                          if (index != paragraph.index or m.end <= offset)
                          and not _possessive(self.text.paragraphs[index].text, m)]
            if not candidates:
                continue
            spans = self.text.paragraphs[index].sentences or [(0, 10**9)]
            last = candidates[-1]
            start = next((a for a, b in spans if a <= last.start < b), 0)
            return next(m for m in candidates if m.start >= start)
        return None


#: Capitalised words that are no name.
_NOT_NAMES = frozenset("""A An And As At After Before But For He Her His I If In It Its My No
    Not Now Of On Or Our She So That The Then There These They This Those Well We When What
    Who Why Yet You""".split())


def _names_someone_unknown(text: str, start: int, end: int, named: list[Mention]) -> bool:
    """Whether a sentence also names someone the registry does not know (a capitalised word
    outside every mention and outside quotation marks): "he" may be them."""
    sentence = re.sub(r"“[^”]*”|‘[^’]*’", lambda m: " " * len(m.group(0)), text[start:end])
    for word in re.finditer(r"\b[A-Z][a-z]+\b", sentence):
        at = start + word.start()
        if word.group(0) not in _NOT_NAMES and not any(m.start <= at < m.end for m in named):
            return True
    return False


def attribute_all(text: ParsedText, people: PeopleRegistry,
                  named: ParagraphMentions | None = None) -> list[Attribution]:
    """One attribution per quotation of the text, in the same order; ``named``: the text's
    ``paragraph_mentions``, when already found."""
    context = _Context(text, people, named)
    result: list[Attribution] = []
    for quotation in text.quotations:
        paragraph = text.paragraphs[quotation.paragraph_index]
        if quotation.outer is not None and text.quotations[quotation.outer].kind \
                is QuoteKind.INLINE:
            attribution = _attribute_inner(quotation, paragraph, context)
        else:
            attribution = _attribute(quotation, paragraph, context)
        if attribution.speaker is None and attribution.source_words is None:
            attribution = _continued_report(quotation, text, result) \
                or _continued_speech(quotation, text, result, context) \
                or _split_sentence(quotation, text, result) \
                or _listed_with(quotation, text, result, context) or attribution
        elif attribution.method == "cited-author":
            # The note cites the work the whole passage comes from; the speaker of the
            # sentence's first half says whose its second half is, and the verb before the
            # first of a list whose the others are ("Lenin acknowledged “…” and “…”.30").
            attribution = _split_sentence(quotation, text, result) \
                or _listed_with(quotation, text, result, context, joined=True) or attribution
        if quotation.kind is not QuoteKind.INLINE:
            context.block_speakers[paragraph.index] = attribution
        result.append(attribution)
    for n in range(len(result)):
        if result[n] is UNATTRIBUTED:
            result[n] = _paragraph_note(n, text, result, context) or UNATTRIBUTED
    return result


#: Words of a title: every word capitalised but the short ones ("The Class Nature of the
#: Soviet State,").
_TITLE = re.compile(r"\W*[A-Z][\w’'-]*(?:[\s,.:;?!]+(?:[A-Z][\w’'-]*|[a-z]{1,3}\b))*\W*")


def _paragraph_note(n: int, text: ParsedText, done: list[Attribution],
                    ctx: _Context) -> Attribution | None:
    """Unmarked words whose paragraph cites a work further on, for them and for the words
    of others it quotes in between: the work's author's. "“By the autumn of 1920 peasant
    discontent was too widespread to be concealed.” Lenin acknowledged “…” and “…”30" (note
    30: Carr) is Carr's sentence, quoting Lenin; "“Early in 1917 /the Bolshevik Party/ had no
    more than 23,000 members …” By 1922 that number had risen to 700,000.34"."""
    quotation = text.quotations[n]
    paragraph = text.paragraphs[quotation.paragraph_index]
    if quotation.outer is not None or quotation.kind is not QuoteKind.INLINE \
            or paragraph.kind is not BlockKind.BODY or quotation.citation is not None \
            or len(quotation.text.split()) <= _SCARE_WORDS:
        return None
    if _TITLE.fullmatch(quotation.text):
        return None  # "“The Class Nature of the Soviet State,” published in …": a title
    note = next((c for c in paragraph.citations if c.start >= quotation.end), None)
    if note is None:
        return None
    between = [(other, done[m]) for m, other in enumerate(text.quotations)
               if m != n and other.paragraph_index == quotation.paragraph_index
               and other.outer is None and quotation.end <= other.start < note.start]
    # The note closes the sentence of the last words it cites, or the one after: further
    # on, the essay has gone on in its own words ("… justification for moving right: “If I
    # don’t do it …” Certainly, … Using the analogy …61").
    last = max([quotation.end, *(other.end for other, _ in between)])
    sentences = [b for a, b in paragraph.sentences if b > last][:2]
    if not sentences or note.start > sentences[-1] + 4:
        return None
    # Every quotation in between is someone's named words from the same work, cited by the
    # same note: were one unattributed or cited elsewhere, the note would not be this one's.
    if any(found.speaker is None or other.citation is None
           or other.citation.note_number != note.note_number for other, found in between):
        return None
    return _citation_evidence(note, ctx)


def quoted_by(text: ParsedText, attributions: list[Attribution],
              cited: list[str | None] | None = None) -> list[tuple[str, ...]]:
    """Per quotation, who quotes its words, innermost quoter first: the speakers (or unnamed
    sources) of the quotations it stands in. Lenin's testament inside Trotsky's account
    inside Meyer's: ("Leon Trotsky", "Alfred G. Meyer").

    ``cited``: per quotation, the author of the work its note cites, if any. Words the
    essay took from that work but someone else said ("Lenin told the chairmen …" from Hill's
    book) are quoted by that author; so are words quoted inside a quotation with no speaker
    of its own whose note cites a work."""
    chains: list[tuple[str, ...]] = []
    for n, (quotation, found) in enumerate(zip(text.quotations, attributions, strict=True)):
        author = cited[n] if cited else None
        if quotation.outer is None:
            # Someone's words, or an unnamed source's ("The peasants say with right: …"
            # from Serge's book), that the essay took from the cited author's work.
            took = (found.speaker is not None or found.source_words is not None) \
                and author is not None and author != found.speaker \
                and found.method != "cited-author"
            chains.append((author,) if took and author else ())
            continue
        outer = attributions[quotation.outer]
        quoter = outer.speaker or outer.source_words or (cited[quotation.outer] if cited
                                                         else None)
        chain = chains[quotation.outer]
        if quoter and quoter != found.speaker:
            chain = (quoter, *chain)
        chains.append(chain)
    return chains


def _reported_speech_evidence(quotation: Quotation, paragraph: Paragraph,
                              ctx: _Context) -> Attribution | None:
    """'I have heard Lenin admit that …': the words reported are Lenin's, not the witness's."""
    if quotation.outer is None:
        return None
    offset = max(0, quotation.start - 80)
    window = paragraph.text[offset:quotation.start]
    found = next((m for m in REPORTED_SPEECH.finditer(window + quotation.text)
                  if m.start("words") == len(window)), None)
    if found is None:
        return None
    at = offset + found.start("name")
    named = [m for m in ctx.mentions.get(paragraph.index, []) if m.start == at]
    if not named:
        return None
    return Attribution(named[0].person.name, 0.75, "reported",
                       paragraph.text[at - 20 if at >= 20 else 0:quotation.start].strip())


def _attribute_inner(quotation: Quotation, paragraph: Paragraph, ctx: _Context) -> Attribution:
    """Words quoted inside a quotation: only a speaker named for them will do.

    The enclosing quotation's speaker is their reporter, never their speaker, and the note
    or the introduction names the reporter: with no evidence of their own they stay
    unattributed (the chain of who quotes them is kept apart, ``quoted_by``).
    """
    found = _label_evidence(quotation, paragraph, ctx) or _owner_evidence(quotation, paragraph,
                                                                          ctx)
    if found is None:
        found = _verb_evidence(quotation, paragraph, ctx)
        if found is not None and found.method != "verb":
            found = None  # "I" in someone's account is that someone, not the essayist
        if found is not None and _names_another_speaking(quotation, paragraph, ctx,
                                                         found.speaker):
            found = None  # the words run on into a report of someone else's (a lost mark)
        led = _led_by(quotation, paragraph, ctx)
        if led is not None and (found is None or (found.evidence or "").endswith("(pronoun)")):
            found = led
        if found is None:
            found = _previous_sentence_evidence(quotation, paragraph, ctx)
    return found or _unnamed_evidence(quotation, paragraph, ctx) or UNATTRIBUTED


# The essay's sentence going on inside a quotation, its subject named right before the
# opening mark: 'prosecutor Andrei Vyshinsky “hints at …: ‘It is now clear,’ he reported,
# ‘…’”', 'Lenin “told the chairmen …, ‘is their timidity …’”'.
_LEADING_VERB = re.compile(rf"^(?:\w+\s+)?(?:{_VERB_WORDS})\b")


def _led_by(quotation: Quotation, paragraph: Paragraph, ctx: _Context) -> Attribution | None:
    """Words quoted inside a quotation that goes on with the sentence of the person named
    right before it, opening with their verb of saying: that person's, when no one else is
    named between and only the pronoun of a verb of saying, if anything, refers back."""
    if quotation.outer is None:
        return None
    outer = ctx.text.quotations[quotation.outer]
    if outer.kind is not QuoteKind.INLINE or outer.paragraph_index != quotation.paragraph_index \
            or not outer.text[:1].islower() or not _LEADING_VERB.match(outer.text):
        return None
    text = paragraph.text
    mentions = ctx.mentions.get(paragraph.index, [])
    lead = next((m for m in mentions if m.end <= outer.start
                 and re.fullmatch(r"\s*[“\"]?", text[m.end:outer.start])), None)
    if lead is None or any(outer.start <= m.start < quotation.start for m in mentions):
        return None
    between = text[outer.start:quotation.start]
    if len(_VERB.findall(between)) > 2:
        return None
    return Attribution(lead.person.name, 0.75, "verb",
                       f"{text[lead.start:lead.end]} “{_first_words(outer.text, 8)}…")


def _first_words(text: str, words: int) -> str:
    return " ".join(text.split()[:words])


def _names_another_speaking(quotation: Quotation, paragraph: Paragraph, ctx: _Context,
                            speaker: str | None) -> bool:
    """Words that name someone else saying something ("… Zinoviev often said the same
    thing: …"): not all one speaker's."""
    text = paragraph.text
    return any(quotation.start <= m.start < quotation.end and m.person.name != speaker
               and _VERB.search(text[m.end:min(m.end + 30, quotation.end)])
               for m in ctx.mentions.get(paragraph.index, []))


# "Voroshilov: ‘Zinoviev, it’s outrageous!’" — a record of who said what, name and colon.
_LABEL_GAP = re.compile(r"^\s*:\s*[‘’“\"']?\s*$")


def _label_evidence(quotation: Quotation, paragraph: Paragraph,
                    ctx: _Context) -> Attribution | None:
    text = paragraph.text
    for mention in ctx.mentions.get(paragraph.index, []):
        if mention.end <= quotation.start and _LABEL_GAP.match(
                text[mention.end:quotation.start]) and not _possessive(text, mention):
            return Attribution(mention.person.name, 0.85, "label",
                               text[mention.start:quotation.start + 20].strip())
    return None


# "declares the testament": words whose subject is a document; its owner is its speaker.
_DOCUMENT = r"(?:testament|letter|will|postscript|platform|theses)"
_DOCUMENT_SUBJECT = re.compile(rf"^[\s,’'”]*(?:(?:\w+)\s+)?the\s+{_DOCUMENT}\b", re.IGNORECASE)


def _owner_evidence(quotation: Quotation, paragraph: Paragraph,
                    ctx: _Context) -> Attribution | None:
    """'‘…,’ declares the testament' with 'the so-called ‘Lenin testament’' before: Lenin."""
    text = paragraph.text
    after = text[quotation.end:quotation.end + 40]
    verb = _VERB.search(after)
    if verb is None or not _DOCUMENT_SUBJECT.match(after[verb.end():]):
        return None
    for mention in reversed(ctx.mentions.get(paragraph.index, [])):
        if mention.end <= quotation.start and re.match(
                rf"(?:’s|'s)?\s+{_DOCUMENT}\b", text[mention.end:mention.end + 20]):
            return Attribution(mention.person.name, 0.75, "owner",
                               f"{text[mention.start:mention.end + 12]} … "
                               f"{after[:verb.end() + 15].strip(' ,’')}")
    return None


# The text's own words for a source it does not name: "One report described", "a market
# woman was arrested for saying that", "the bureaucracy asserted:", "The peasants say".
_UNNAMED = re.compile(
    r"(?:^|[.;:!?“”‘’\"(]\s*|,\s+|\bthat\s+)"
    r"(?:(?:Meantime|Then|Now|Later|Soon|And|But|So|In\s+\w+,)\s+)?"
    r"(?P<np>(?:[Oo]ne|[Aa]n?|[Tt]he|[Tt]wo|[Tt]hree|[Ss]ome|[Mm]any|[Ss]everal|[Mm]en|"
    r"[Ww]omen)\b[^,;:.“”‘]{2,80}?)\s+"
    r"(?:(?:had|has|have|was|were|is|are|would|often|already|also|then|later|once|"
    r"arrested\s+for|quoted\s+as)\s+)*$")
# An unnamed source and its verb right after the quoted words: "”, one worker wrote".
_UNNAMED_AFTER = re.compile(
    rf"^[\s,.!?’”'\"]*(?P<np>(?:one|a|an|another)\s+[a-z][\w-]*(?:\s+[a-z][\w-]*)?)\s+"
    rf"(?:{_VERB_WORDS})\b")
_NOT_A_SOURCE = re.compile(r"^(?:the|a|an)\s+(?:essay|author|text|book|article|same|following|"
                           r"above|latter|former)\b", re.IGNORECASE)
_PASSIVE_ASKED = re.compile(r"\b(?:I am|I was|we are|we were)\s+(?:\w+\s+)?asked(?:\s+\w+)?\s*$")
# An unnamed person the pronoun after a quotation stands for: "Then arose a rough workman."
_SOMEONE = re.compile(
    r"\b(?:an?)\s+(?:[\w-]+\s+){0,2}(?:workman|workmen|worker|woman|man|soldier|peasant|"
    r"sailor|delegate|speaker|student|officer|listener|voice)\b", re.IGNORECASE)


def _unnamed_evidence(quotation: Quotation, paragraph: Paragraph,
                      ctx: _Context) -> Attribution | None:
    """An unnamed source introduced by a verb of saying right before the quotation, or the
    unnamed person "he" or "she" after it stands for. A registered name in the words
    ("The Cohn-Bendits argued") is a person, not an unnamed source."""
    text = paragraph.text
    first, _ = _sentence_bounds(paragraph, quotation.start, quotation.end)
    start = _previous_quote_end(text, first, quotation.start)
    mentions = ctx.mentions.get(paragraph.index, [])
    before = re.sub(r"[\s“\"‘’]+$", "", text[start:quotation.start])
    verbs = list(_VERB.finditer(before))
    if verbs and not re.search(r"[.;!?]\s", before[verbs[-1].end():]) \
            and len(before) - verbs[-1].end() <= 40:
        head = before[:verbs[-1].start()]
        named = _UNNAMED.search(head)
        if named and not _NOT_A_SOURCE.match(named["np"]) \
                and not any(named.start("np") <= m.start - start < named.end("np")
                            for m in mentions):
            words = _cut_np(named["np"])
            return Attribution(None, 0.0, "unnamed", before[named.start("np"):].strip(),
                               source_words=words)
        asked = _PASSIVE_ASKED.search(head + verbs[-1].group(0))
        if asked:
            return Attribution(None, 0.0, "unnamed", asked.group(0).strip(),
                               source_words=asked.group(0).strip())
    # "“‘They are squeezing us and how!,’” one worker wrote to Serge.": the source and its
    # verb right after the words, nobody named in between.
    tagged = _UNNAMED_AFTER.match(text[quotation.end:quotation.end + 80])
    if tagged and not _NOT_A_SOURCE.match(tagged["np"]) and not any(
            quotation.end + tagged.start("np") <= m.start < quotation.end + tagged.end("np")
            for m in mentions):
        return Attribution(None, 0.0, "unnamed", tagged.group(0).strip(" ’”'\",").strip(),
                           source_words=tagged["np"])
    after = text[quotation.end:quotation.end + 30]
    if re.match(r"^[\s,.!?’”'\"]*(?:he|she)\s+(?:\w+\s+)?(?:said|asked|cried|shouted|replied)\b",
                after):
        previous = [b for a, b in paragraph.sentences if b <= first]
        window = text[max(0, first - 200):first] if previous else ""
        someone = list(_SOMEONE.finditer(window))
        if someone:
            words = someone[-1].group(0)
            return Attribution(None, 0.0, "unnamed", f"{words} … {after.strip()[:20]}",
                               source_words=words)
    return None


def _cut_np(np: str) -> str:
    """'The British Labour delegation visiting Russia in …' -> 'The British Labour delegation'."""
    words = np.split()
    for n, word in enumerate(words[1:], start=1):
        if word.endswith("ing") or word.startswith("/") or word in ("who", "which", "that"):
            return " ".join(words[:n])
    return " ".join(words[:8])


def _reported_inside(quotation: Quotation) -> Attribution | None:
    """A quotation whose own words report an unnamed source's saying ("In Moscow, a market
    woman was arrested for saying that …"): that source's, not the cited author's."""
    for verb in _VERB.finditer(quotation.text[:200]):
        if not re.match(r"\s+that\b|[^.“”]{0,20}:", quotation.text[verb.end():]):
            continue
        named = _UNNAMED.search(quotation.text[:verb.start()])
        if named and not _NOT_A_SOURCE.match(named["np"]):
            return Attribution(None, 0.0, "unnamed",
                               quotation.text[named.start("np"):verb.end() + 5].strip(),
                               source_words=_cut_np(named["np"]))
    return None


def _continued_report(quotation: Quotation, text: ParsedText,
                      done: list[Attribution]) -> Attribution | None:
    """“As they marched away, the condemned sang …” right after 'One report described “…”':
    the next quotation of the paragraph, with nobody named between, is the same report."""
    index = len(done)
    if not index or quotation.kind is not QuoteKind.INLINE:
        return None
    previous = text.quotations[index - 1]
    found = done[-1]
    if previous.paragraph_index != quotation.paragraph_index or found.source_words is None \
            or found.speaker is not None or previous.outer != quotation.outer:
        return None
    between = text.paragraphs[quotation.paragraph_index].text[previous.end:quotation.start]
    # "‘I speak for the Petrograd proletariat,’ he said harshly. ‘We are …’": the tag of
    # the words before, its pronoun the same unnamed speaker, and nothing else between.
    tag = _TAG_THEN_QUOTE.match(between)
    pronoun_tag = tag is not None and _UNNAMED_TAG.match(tag["tag"]) is not None
    # "”, one worker wrote to Serge. “‘Twenty-five percent …’”": the tag that named the
    # source goes on to whom it wrote; the words after it are the same source's.
    own_tag = tag is not None and (named := _UNNAMED_AFTER.match(tag["tag"])) is not None \
        and named["np"] == found.source_words
    if own_tag:
        return Attribution(None, 0.0, "unnamed", f"continues: {found.evidence}",
                           source_words=found.source_words)
    if len(between) > 120 or (_VERB.search(between) and not pronoun_tag) \
            or re.search(r"\b[A-Z][a-z]+\b", between[3:]):
        return None
    return Attribution(None, 0.0, "unnamed", f"continues: {found.evidence}",
                       source_words=found.source_words)


#: The tag of an unnamed source's words: a pronoun and a verb of saying, an adverb at most.
_UNNAMED_TAG = re.compile(
    rf"^\s*(?:he|she|they)\s+(?:\w+ly\s+)?(?:{_VERB_WORDS})(?:\s+\w+ly)?\s*[.!?]$")


# Between a quotation and the next one the same speaker goes on with: the tag of the first
# and nothing else, the tag ending its sentence ("”, Trotsky later commented. “").
_TAG_THEN_QUOTE = re.compile(r"^[\s,;:.!?’”'\"]*(?P<tag>[^“”‘’.;:!?\n]{3,70}[.!?])\s*[“‘\"']?\s*$")


def _continued_speech(quotation: Quotation, text: ParsedText, done: list[Attribution],
                      ctx: _Context) -> Attribution | None:
    """'“…”, Trotsky later commented. “…”': the quotation right after a tag that named the
    speaker of the one before is that speaker going on, when the tag names nobody else."""
    index = len(done)
    if not index or quotation.kind is not QuoteKind.INLINE:
        return None
    previous, found = text.quotations[index - 1], done[-1]
    if previous.paragraph_index != quotation.paragraph_index or previous.outer != quotation.outer \
            or found.method != "verb" or found.speaker is None or previous.end > quotation.start:
        return None
    paragraph = text.paragraphs[quotation.paragraph_index]
    between = paragraph.text[previous.end:quotation.start]
    tag = _TAG_THEN_QUOTE.match(between)
    if tag is None or not _VERB.search(tag["tag"]):
        return None
    named = {m.person.name for m in ctx.mentions.get(paragraph.index, [])
             if previous.end <= m.start < quotation.start}
    if named - {found.speaker}:
        return None
    return Attribution(found.speaker, found.confidence - 0.05, "verb",
                       f"continues after: {tag['tag'].strip()}")


# Between two quotations one speaker's verb introduces in one sentence: punctuation, a
# bracket, "and", a few words of the sentence ("as the three fundamental points,"); never a
# clause turning to someone else's words.
_LIST_GAP = re.compile(
    r"^[\s,;’”'\"]*(?:\([^()“”]{1,40}\)[\s,;]*)?(?:[a-z][\w-]*[\s,]+){0,8}[“‘\"']?$")
_TURN = re.compile(r"\b(?:but|while|whereas|although|though|unlike|rather|not|instead)\b")
_STAGE_DIRECTION = re.compile(r"[\s,;’”'\"]*\([^()“”‘’]{1,80}\)[\s,;.]*[“‘\"']?")


def _listed_with(quotation: Quotation, text: ParsedText, done: list[Attribution],
                 ctx: _Context, *, joined: bool = False) -> Attribution | None:
    """'Serge goes on to identify “Defense of Man” (political rights), “Defense of Truth,”
    and “Defense of Thought” as the three fundamental points, “superior to …”': the
    quotations after the first, in the same sentence, are the same speaker's when the
    words between name no one, have no verb of saying and turn to nothing else.
    ``joined``: only when an "and" joins them (over the note's cited author, a comma alone
    may go on to the author's own words: "Despite Lenin's contention that “…”, “no specific
    commitment was undertaken …”")."""
    index = len(done)
    if not index or quotation.kind is not QuoteKind.INLINE:
        return None
    previous, found = text.quotations[index - 1], done[-1]
    if previous.paragraph_index != quotation.paragraph_index or previous.outer != quotation.outer \
            or found.method not in ("verb", "label") or found.speaker is None \
            or previous.end > quotation.start:
        return None
    paragraph = text.paragraphs[quotation.paragraph_index]
    between = paragraph.text[previous.end:quotation.start]
    # Words left open running straight into the next ones ("Trotsky: ‘… the pressure
    # . . . ‘ (The noise increases …) ‘of the upstart bureaucrats …’"), or, in a record of
    # who said what, only its note of the room between two stretches ("‘… the
    # worker-bureaucrats’ (tumult, whistling), ‘of the administrators …’"): one speech.
    if not between.strip(" ‘’“”'\"\u00a0") or (
            found.method == "label" and _STAGE_DIRECTION.fullmatch(between)):
        return Attribution(found.speaker, found.confidence - 0.05, found.method,
                           f"goes on from: {_first_words(previous.text, 6)}")
    if found.method != "verb" or _sentence_bounds(paragraph, previous.start, previous.end)[0] \
            != _sentence_bounds(paragraph, quotation.start, quotation.end)[0]:
        return None
    if not _LIST_GAP.match(between) or _TURN.search(between) or _VERB.search(between) \
            or (joined and not re.search(r"\band\b", between)) \
            or any(previous.end <= m.start < quotation.start
                   for m in ctx.mentions.get(paragraph.index, [])):
        return None
    return Attribution(found.speaker, found.confidence - 0.05, "verb",
                       f"listed after: {_first_words(previous.text, 6)}")


# Between the two halves of one quoted sentence: the tag that splits it, ending in a comma
# ("’ declares the testament, ‘", "”, he said, “").
_SPLITTING_TAG = re.compile(r"^[\s,’”'\"]*(?P<tag>[^“”‘’.;:!?\n]{3,60}),\s*[“‘\"']$")


def _split_sentence(quotation: Quotation, text: ParsedText, done: list[Attribution]
                    ) -> Attribution | None:
    """'‘Stalin, having become General Secretary,’ declares the testament, ‘has concentrated
    …’': a quotation going on, in lower case, with the sentence a tag split is the
    words of whoever said the first half."""
    index = len(done)
    if not index or quotation.kind is not QuoteKind.INLINE or not quotation.text[:1].islower():
        return None
    previous, found = text.quotations[index - 1], done[-1]
    if previous.paragraph_index != quotation.paragraph_index or previous.outer != quotation.outer \
            or found.speaker is None or found.method == "cited-author" \
            or previous.end > quotation.start or not previous.text.rstrip().endswith(","):
        return None
    between = text.paragraphs[quotation.paragraph_index].text[previous.end:quotation.start]
    tag = _SPLITTING_TAG.match(between)
    if tag is None:
        return None
    # A verb of saying, or a few words of the essay's own going on with the sentence
    # ("‘… appoint to it another,’ who would be, ‘more loyal …’"), naming no one.
    joined = len(tag["tag"]) <= 20 and not re.search(r"\b[A-Z]", tag["tag"])
    if not _VERB.search(tag["tag"]) and not joined:
        return None
    return Attribution(found.speaker, found.confidence - 0.05, found.method,
                       f"the same sentence, after: {tag['tag'].strip()}")


# The editor's insertion inside the quoted words: "“I did not believe in our victory /Serge
# recollected/, and …”".
_INSERTED_TAG = re.compile(rf"/(?P<name>[A-Z][^/]{{1,40}}?)\s+(?:{_VERB_WORDS})/")


def _inserted_tag_evidence(quotation: Quotation, ctx: _Context) -> Attribution | None:
    tag = _INSERTED_TAG.search(quotation.text[:400])
    if tag is None:
        return None
    named = ctx.people.mentions(tag["name"])
    if len(named) != 1 or named[0].start != 0 or named[0].end != len(tag["name"]):
        return None
    return Attribution(named[0].person.name, 0.85, "verb", tag.group(0))


def _attribute(quotation: Quotation, paragraph: Paragraph, ctx: _Context) -> Attribution:
    reported = _reported_speech_evidence(quotation, paragraph, ctx)
    if reported:
        return reported
    inserted = _inserted_tag_evidence(quotation, ctx)
    if inserted:
        return inserted
    if quotation.kind is QuoteKind.EPIGRAPH and quotation.signature:
        return _person_or_raw(quotation.signature, ctx, 0.95, "signature", quotation.signature)
    if quotation.kind is QuoteKind.INLINE:
        found = _verb_evidence(quotation, paragraph, ctx) or _label_evidence(
            quotation, paragraph, ctx) or _owner_evidence(quotation, paragraph, ctx) \
            or _unnamed_evidence(quotation, paragraph, ctx) \
            or _named_next(quotation, paragraph, ctx) \
            or _previous_sentence_evidence(quotation, paragraph, ctx)
        if found:
            return found
        posed = _posed_question(quotation, paragraph, ctx)
        if posed:
            return posed
    short = len(quotation.text.split()) <= _SCARE_WORDS
    if quotation.kind is not QuoteKind.INLINE or quotation.start <= 2:
        found = _intro_evidence(paragraph, ctx)
        if found:
            return found
    if short and quotation.kind is QuoteKind.INLINE and paragraph.kind is BlockKind.BODY:
        own = _essayist_naming(quotation, paragraph, ctx)
        if own:
            return own
    if short:
        # A scare quote says whose words it is only by a marker of its own right after it
        # ("“bureaucratic parades” (WLT, 118)"), then the cited author's, or by a note that
        # says whose phrase it is ("The phrase is from Victor Serge’s … novel").
        marked = quotation.citation is not None and 0 <= quotation.citation.start \
            - quotation.end <= _OWN_MARKER_GAP
        marked = marked or _last_before_page_marker(quotation, paragraph)
        return (_citation_evidence(quotation.citation, ctx) if marked else None) \
            or _phrase_note(quotation, ctx) or UNATTRIBUTED
    if quotation.kind is QuoteKind.INLINE and paragraph.kind is not BlockKind.BODY:
        return UNATTRIBUTED  # words the block's speaker quotes from someone unnamed
    reported = _reported_inside(quotation)
    if reported:
        return reported
    if _reports_speech(quotation.text):
        return UNATTRIBUTED  # the cited author reports someone else's words ("said the printers")
    found = _phrase_note(quotation, ctx) or _citation_evidence(quotation.citation, ctx)
    if found:
        return found
    if quotation.kind is QuoteKind.INLINE and paragraph.kind is BlockKind.BODY:
        sentence = _sentence(paragraph, quotation.start)
        if re.search(r"\bI (?:\w+ )?(?:wrote|said|called|used to call|argued|noted)\b",
                     sentence):
            return Attribution(ctx.essay_author, 0.8, "essay-author", sentence[:120])
    return UNATTRIBUTED


def _last_before_page_marker(quotation: Quotation, paragraph: Paragraph) -> bool:
    """A phrase the essay's own sentence quotes last before the page marker closing that
    sentence: "… the “healthy plebeian hatred” of the peasants, and the discontent of young
    people (215)." The bare page is of the book the essay is about, and nothing quoted
    between says the page is another phrase's."""
    citation = quotation.citation
    if citation is None or citation.kind is not CitationKind.PAGE \
            or paragraph.kind is not BlockKind.BODY or citation.start < quotation.end:
        return False
    between = paragraph.text[quotation.end:citation.start]
    if re.search(r"[“”‘\"]|[.!?;:]\s", between.lstrip("’”\"'.,;: ")):
        return False  # another quotation, or the sentence ends before the marker
    rest = paragraph.text[citation.end:citation.end + 3]
    return re.match(r"\s*(?:[.!?]|$)", rest) is not None


def _own_words_before(quotation: Quotation, paragraph: Paragraph) -> str:
    """The words of the quotation's sentence before it, after any earlier quotation there."""
    first, _ = _sentence_bounds(paragraph, quotation.start, quotation.end)
    return paragraph.text[_previous_quote_end(paragraph.text, first, quotation.start):
                          quotation.start].rstrip(" “\"")


# The essayist naming something in their own words: "I used to call Trotsky a “…”".
_ESSAYIST_NAMING = re.compile(
    r"\bI (?:\w+ ){0,2}(?:call|called|termed|dubbed|named)\b[^.;:!?“”]{0,60}$")


def _essayist_naming(quotation: Quotation, paragraph: Paragraph,
                     ctx: _Context) -> Attribution | None:
    """A scare quote the essay's "I" says they call someone or something: the essayist's."""
    before = _own_words_before(quotation, paragraph)
    naming = _ESSAYIST_NAMING.search(before)
    if naming is None:
        return None
    return Attribution(ctx.essay_author, 0.75, "essay-author", naming.group(0).strip())


# "the Cohn-Bendits neglect to ask themselves the most important question; namely, “Why
# did Lenin and Trotsky behave that way?”": the question the essay puts, in its own words.
_POSING = re.compile(r"\bquestions?\s*(?:[;:,]\s*)?(?:(?:namely|that is|i\.e\.)\s*,?\s*)?$",
                     re.IGNORECASE)


def _posed_question(quotation: Quotation, paragraph: Paragraph,
                    ctx: _Context) -> Attribution | None:
    """A question in quotation marks that the essay's own sentence names as "the question"
    (nobody named saying it): the essayist's."""
    if paragraph.kind is not BlockKind.BODY or \
            not quotation.text.rstrip(" ”’\"'").endswith("?"):
        return None
    before = _own_words_before(quotation, paragraph)
    posing = _POSING.search(before)
    if posing is None:
        return None
    return Attribution(ctx.essay_author, 0.7, "essay-author", before[-60:].strip())


def _reports_speech(words: str) -> bool:
    """A quotation that itself says who spoke ("…, a Left speaker declared, …") or quotes
    someone inside it is a report of speech, not the cited author's own words."""
    # A name or term in single quotes (‘Kremlin control commission’) is not speech: only
    # words of a sentence's length are.
    nested = any(len(m.group(0).split()) >= 5
                 for m in re.finditer(r"[‘’'][A-Z][^‘’]{12,}[’']", words))
    if nested:
        return True
    # A tag inside the words reports speech when the speech follows it: after a colon, or
    # in quotation marks ("a Left speaker declared, were conducting ‘little short of war
    # …’"). With none ("It is not the business of the Marxist revolutionary, Trotsky
    # reflected, to bow to …"), it is the writer's indirect speech, in the writer's words.
    for tag in re.finditer(rf",\s+(?:\w+\s+){{0,3}}(?:{_VERB_WORDS})\b(?P<end>[,:])", words):
        if tag["end"] == ":" or re.search(r"[‘“]", words[tag.end():tag.end() + 150]):
            return True
    return False


def _person_or_raw(name: str, ctx: _Context, confidence: float, method: str,
                   evidence: str) -> Attribution:
    person = ctx.people.by_name(name)
    if person is None:
        candidate, _ = ctx.people.resolve(name)
        person = candidate
    if person is not None:
        return Attribution(person.name, confidence, method, evidence)
    return Attribution(name.strip(), confidence - 0.1, method, evidence)


def _sentence(paragraph: Paragraph, offset: int) -> str:
    for start, end in paragraph.sentences:
        if start <= offset < end:
            return paragraph.text[start:end]
    return paragraph.text


def _sentence_bounds(paragraph: Paragraph, start: int, end: int) -> tuple[int, int]:
    """The sentence(s) a quotation sits in; a quotation may span several sentences."""
    first = next((a for a, b in paragraph.sentences if a <= start < b), 0)
    last = next((b for a, b in paragraph.sentences if a < end <= b), len(paragraph.text))
    return first, max(last, end)


def _speaker_at(mention: Mention | None, pronoun: str | None, at: int, paragraph: Paragraph,
                ctx: _Context, evidence: str) -> Attribution | None:
    if mention is not None:
        return Attribution(mention.person.name, 0.9, "verb", evidence)
    if pronoun == "I":
        if paragraph.kind in (BlockKind.BLOCK_QUOTE, BlockKind.EPIGRAPH):
            block = ctx.block_speakers.get(paragraph.index)
            if block and block.speaker:
                return Attribution(block.speaker, 0.85, "verb", evidence)
            return None
        return Attribution(ctx.essay_author, 0.75, "essay-author", evidence)
    if pronoun in ("he", "she"):
        # "he" names someone from an earlier sentence, not the object of this one
        # ("Quoting Engels at length, he prophesied:" is Lenin speaking, not Engels). Inside
        # a quoted block "he" may be anyone the block's author names: only the block's own
        # sentences before can say who.
        sentence_start = next((a for a, b in paragraph.sentences if a <= at < b), at)
        previous = _coordinate_antecedent(paragraph, sentence_start, at, ctx) \
            or ctx.referent(paragraph, sentence_start,
                            within=paragraph.kind is not BlockKind.BODY)
        if previous is not None:
            return Attribution(previous.person.name, 0.7, "verb", f"{evidence} (pronoun)")
    return None


# "… seemed insufficient to Lenin, and he added": the pronoun of a clause joined by "and".
_AND_PRONOUN = re.compile(r",?\s+and\s+(?:he|she)\s+(?:\w+\s+)?$")


def _coordinate_antecedent(paragraph: Paragraph, sentence_start: int, at: int,
                           ctx: _Context) -> Mention | None:
    """The one person named earlier in the same sentence, when "he" opens a clause joined to
    it by "and" ("this formula seemed insufficient to Lenin, and he added a postscript")."""
    if not _AND_PRONOUN.search(paragraph.text[sentence_start:at]):
        return None
    named = [m for m in ctx.mentions.get(paragraph.index, [])
             if sentence_start <= m.start < at and not _possessive(paragraph.text, m)]
    if len({m.person.name for m in named}) != 1:
        return None
    return named[0]


def _previous_sentence_evidence(quotation: Quotation, paragraph: Paragraph,
                                ctx: _Context) -> Attribution | None:
    """Words opening their own sentence, right after a sentence that names its subject with
    a verb of saying and quotes nothing itself: "Trotsky accused the Workers’ Opposition of
    putting forward dangerous slogans. ‘They turn …’", "…, and he added a postscript. ‘I
    propose …’"."""
    text = paragraph.text
    first, _ = _sentence_bounds(paragraph, quotation.start, quotation.end)
    if text[first:quotation.start].strip(" \t\n\xa0“‘\"'"):
        return None
    previous = next(((a, b) for a, b in reversed(paragraph.sentences) if b <= first), None)
    if previous is None:
        return None
    start, end = previous
    sentence = text[start:end].rstrip()
    if not sentence.endswith((".", ":")) or "“" in sentence or "‘" in sentence \
            or "”" in sentence:
        return None
    mentions = [m for m in ctx.mentions.get(paragraph.index, []) if start <= m.start < end]
    found = _verb_before(sentence, start, mentions, paragraph, ctx)
    if found is None or found.method != "verb":
        return None  # an "I" of the essay's prose says nothing of the next sentence's words
    return Attribution(found.speaker, found.confidence - 0.1, "verb",
                       f"the sentence before: {sentence.strip()[-100:]}")


def _verb_evidence(quotation: Quotation, paragraph: Paragraph,
                   ctx: _Context) -> Attribution | None:
    """'Trotsky wrote, “…”', '“…,” said Lenin', '“…,” he answered', 'according to Serge'."""
    text = paragraph.text
    first, last = _sentence_bounds(paragraph, quotation.start, quotation.end)
    mentions = [m for m in ctx.mentions.get(paragraph.index, []) if first <= m.start < last
                and not _inside_quote(text, m.start, quotation)]
    after = _after_window(text, quotation.end, last)
    found = _verb_after(after, quotation.end, mentions, paragraph, ctx)
    if found:
        return found
    # '“‘The chief shortcoming of the masses,’” Lenin “told the chairmen …': the tag's verb
    # stands inside the next quotation marks, the essay's sentence going on in quoted words.
    rest = text[quotation.end + len(after):quotation.end + len(after) + 61]
    if rest.startswith(("“", "‘")) and _LEADING_VERB.match(rest[1:]) \
            and re.search(r"\w", after) and len(after) <= 40:
        found = _verb_after(after + rest[1:], quotation.end, mentions, paragraph, ctx)
        if found and found.method == "verb" and not (found.evidence or "").endswith("(pronoun)"):
            return found
    before_start = _previous_quote_end(text, first, quotation.start)
    before = text[before_start:quotation.start]
    return _verb_before(before, before_start, mentions, paragraph, ctx) or _owned_words(
        before, before_start, mentions, paragraph, ctx)


# Words someone owns, right before the quotation: "His slogan “…”", "Lenin’s contention in
# State and Revolution that “…”", "Trotsky’s pronouncement that “…”".
_SPEECH_NOUN = (r"slogan|words|phrase|contention|pronouncement|denunciation|warning|remark|"
                r"motto|verdict|watchword|dictum|maxim|injunction|admonition|assessment|"
                r"characterization|characterisation")
_OWNED = re.compile(
    rf"(?P<owner>\b(?:His|his|Her|her)|’s|'s)\s+(?:[\w-]+\s+){{0,2}}?(?:{_SPEECH_NOUN})"
    r"(?:\s+(?:in|of)\s+[^“”‘’,.;:]{1,50}?(?:’s|'s)?)?(?:\s+(?:that|as))?\s*[:,]?$")


def _owned_words(window: str, offset: int, mentions: list[Mention], paragraph: Paragraph,
                 ctx: _Context) -> Attribution | None:
    window = re.sub(r"[\s“\"‘]+$", "", window)
    owned = _OWNED.search(window[-120:])
    if owned is None:
        return None
    at = offset + len(window) - len(window[-120:]) + owned.start("owner")
    evidence = window[-120:][max(0, owned.start() - 30):].strip()
    if owned["owner"][0] in "’'":
        named = [m for m in mentions if m.end == at + 2]
        if not named:
            return None
        return Attribution(named[0].person.name, 0.8, "verb", evidence)
    sentence_start = next((a for a, b in paragraph.sentences if a <= at < b), at)
    if paragraph.kind is not BlockKind.BODY:
        return None
    # "Goldman is less kind in her assessment of Trotsky’s “…”": "her" is the subject the
    # sentence opens with, when it names no one else before the pronoun.
    named = [m for m in mentions if sentence_start <= m.start < at]
    if len(named) == 1 and not _possessive(paragraph.text, named[0]) \
            and _OPENS_WITH_SUBJECT.match(paragraph.text[sentence_start:named[0].start]):
        return Attribution(named[0].person.name, 0.7, "verb", f"{evidence} (pronoun)")
    referent = ctx.referent(paragraph, sentence_start)
    if referent is None:
        return None
    return Attribution(referent.person.name, 0.7, "verb", f"{evidence} (pronoun)")


def _inside_quote(text: str, offset: int, quotation: Quotation) -> bool:
    return quotation.start <= offset < quotation.end


def _after_window(text: str, quote_end: int, sentence_end: int) -> str:
    """Text after the closing mark up to the next opening quote or the sentence's end."""
    window = text[quote_end:max(sentence_end, quote_end + 60)]
    opening = window.find("“", 1)
    return window[:opening] if opening > 0 else window


def _previous_quote_end(text: str, sentence_start: int, quote_start: int) -> int:
    """Between two quoted pieces of one sentence only the words in between count."""
    close = text.rfind("”", sentence_start, max(sentence_start, quote_start - 1))
    return close + 1 if close != -1 else sentence_start


def _verb_after(window: str, offset: int, mentions: list[Mention], paragraph: Paragraph,
                ctx: _Context) -> Attribution | None:
    """'”, said Lenin', '” Lenin argued', '” he answered', '”, recalled Victor Serge'."""
    head = window[:80]
    verb = _VERB.search(head)
    if not verb or not re.fullmatch(r"[\s,.;:!?’”'\"\-—–\d]*(?:\w+\s+){0,4}", head[:verb.start()]):
        return None
    introduces_next = re.match(r"\s*:", head[verb.end():]) is not None
    new_sentence = re.match(r"\W*\d+\s+[A-Z]", head) is not None  # after a note marker
    if introduces_next or new_sentence:
        # "”74 A month later he complained: “…”": a new sentence, introducing the next
        # words, not these.
        return None
    evidence = head[:verb.end() + 30].strip(" ,”")
    # Subject before the verb ("Lenin argued") or after it ("said Lenin").
    for mention in mentions:
        local = mention.start - offset
        if 0 <= local < verb.start() and _is_subject_gap(head[mention.end - offset:verb.start()]):
            return _speaker_at(mention, None, mention.start, paragraph, ctx, evidence)
        if verb.end() <= local <= verb.end() + 3 and _INVERTING.fullmatch(verb.group(0)) \
                and re.fullmatch(r"[\s,.;:!?’”'\"\-—–\d]*", head[:verb.start()]):
            return _speaker_at(mention, None, mention.start, paragraph, ctx, evidence)
    pronoun = _PRONOUN.search(head[: verb.start()]) or _PRONOUN.match(head[verb.end():].strip())
    if pronoun and abs(pronoun.start() - verb.start()) < 12:
        return _speaker_at(None, pronoun.group(1).lower() if pronoun.group(1) != "I" else "I",
                           offset, paragraph, ctx, evidence)
    return None


# "Victor Kravchenko, a former high Stalinist official …, reports": an apposition;
# "Pyatakov turned to him and said": a second verb of the same subject.
_APPOSITION_GAP = re.compile(r"^\s*,[^.;:“”‘’]{3,120},\s*(?:\w+\s+){0,2}$")
_AND_GAP = re.compile(r"^(?:\s+[\w’']+){1,4}\s+and\s+$")
# "Lenin shocked the party leaders by stating", "Zinoviev returned … to say that".
_BY_SAYING = re.compile(r"^[^.;:!?“”‘’]{0,90}\b(?:by|to)\s+$")


# Inside an apposition, a scare quote is a word like any other ("Smilga, an Oppositionist
# ‘capitulator’ . . . said:"), and an ellipsis closes it as a comma would.
_SCARE_QUOTE = re.compile(r"‘[^‘’“”]{1,30}’")
_ELLIPSIS = re.compile(r"\s*\.\s\.\s\.\s*")


# "Serge goes on to identify": the subject going on to a verb of saying.
_GOES_ON = re.compile(r"^\s+(?:\w+\s+)?(?:goes|went|go|proceeds|proceeded)\s+on\s+to\s+$")


def _is_subject_gap(gap: str, verb: str = "") -> bool:
    if "’s" in gap[:2]:
        return False
    if _GOES_ON.match(gap):
        return True
    if gap.lstrip().startswith(","):
        gap = _ELLIPSIS.sub(", ", _SCARE_QUOTE.sub("x", gap))
    if _ADVERB_GAP.match(gap):
        return True
    if len(gap) > 60 and not _APPOSITION_GAP.match(gap) and not (
            verb.endswith("ing") or verb in ("say", "state", "declare")):
        return False
    return bool(_APPOSITION_GAP.match(gap) or _AND_GAP.match(gap) or (
        (verb.endswith("ing") or verb in ("say", "state", "declare"))
        and _BY_SAYING.match(gap)))


# "… our revolution.” It was 25 October 1917, and Trotsky was addressing the delegates".
_ADDRESSING = re.compile(r"^\s+(?:was|is)\s+(?:addressing|speaking|telling|writing|answering)\b")


def _named_next(quotation: Quotation, paragraph: Paragraph,
                ctx: _Context) -> Attribution | None:
    """A quotation opening its paragraph whose speaker the next sentence names speaking."""
    if quotation.start > 2:
        return None
    _, last = _sentence_bounds(paragraph, quotation.start, quotation.end)
    following = next(((a, b) for a, b in paragraph.sentences if a >= last), None)
    if following is None:
        return None
    for mention in ctx.mentions.get(paragraph.index, []):
        if following[0] <= mention.start < following[1] and _ADDRESSING.match(
                paragraph.text[mention.end:following[1]]):
            return Attribution(mention.person.name, 0.8, "verb",
                               paragraph.text[mention.start:mention.end + 40].strip())
    return None


def _verb_before(window: str, offset: int, mentions: list[Mention], paragraph: Paragraph,
                 ctx: _Context) -> Attribution | None:
    """'Trotsky wrote:', 'Lenin argued that', 'According to Lenin,', 'he asked me'."""
    window = re.sub(r"[\s“\"‘]+$", "", window)
    tail = window[-160:]
    tail_offset = offset + len(window) - len(tail)
    according = re.search(r"\baccording to\s+(?P<name>[^,“]{2,40}?)\s*,?\s*$", tail, re.IGNORECASE)
    if according:
        named = [m for m in mentions if tail_offset + according.start("name") <= m.start
                 < tail_offset + according.end("name")]
        if named:
            return _speaker_at(named[0], None, named[0].start, paragraph, ctx,
                               according.group(0).strip())
    verbs = list(_VERB_BEFORE.finditer(tail))
    if not verbs:
        return None
    found = _subject_of_verb(verbs[-1], tail, tail_offset, mentions, paragraph, ctx)
    if found is None and len(verbs) > 1:
        # "Lenin had predicted their involvement saying:", "The Cohn-Bendits argued that
        # principle well when they wrote:": the last verb has no subject of its own, the one
        # before it does; only when no one else is named, and no relative clause opens, after
        # that verb (a "who said" belongs to someone else).
        earlier = verbs[-2]
        between = tail[earlier.end():]
        if not re.search(r"\b(?:who|whom|which)\b", between) and not any(
                m.start >= tail_offset + earlier.end() for m in mentions
                if m.start < tail_offset + len(tail)):
            found = _subject_of_verb(earlier, tail, tail_offset, mentions, paragraph, ctx)
    return found or _sentence_subject(verbs[-1], tail, tail_offset, mentions, paragraph, ctx)


# The words between a sentence's subject and a later verb of saying that it also governs:
# no quoted words, no relative clause (whose verb would have a subject of its own), and the
# verb joined on by a comma or "and" ("…; and, handing out …, muttered sarcastically:").
_OTHER_CLAUSE = re.compile(r"[“”‘’\":]|\b(?:who|whom|which|that|whose)\b")
_JOINED_ON = re.compile(r"(?:,|\band)\s+(?:\w+ly\s+)?$")


def _sentence_subject(verb: re.Match[str], tail: str, tail_offset: int,
                      mentions: list[Mention], paragraph: Paragraph,
                      ctx: _Context) -> Attribution | None:
    """The one person a sentence opens with, as the subject of a verb of saying further on
    that has none of its own: "Radek packed his books …; and, handing out to those around
    him volumes of German poetry as souvenirs, muttered sarcastically: ‘…’"."""
    if len(tail) - verb.end() > 40 or re.search(r"[.;!?]\s", tail[verb.end():]):
        return None
    text = paragraph.text
    at = tail_offset + verb.start()
    start = next((a for a, b in paragraph.sentences if a <= at < b), None)
    if start is None:
        return None
    before = [m for m in mentions if start <= m.start < at]
    if not before or len({m.person.name for m in before}) != 1:
        return None
    subject = before[0]
    if not re.fullmatch(r"[\s“‘\"']*", text[start:subject.start]) \
            or _possessive(text, subject) or not re.match(r"\s+[a-z]+\b", text[subject.end:]):
        return None  # not the sentence's subject: "Lenin’s words", "Lenin, …", "After Lenin"
    between = text[subject.end:at]
    if _OTHER_CLAUSE.search(between) or not _JOINED_ON.search(between):
        return None
    return _speaker_at(subject, None, subject.start, paragraph, ctx,
                       tail[max(0, verb.start() - 40):].strip())


def _subject_of_verb(verb: re.Match[str], tail: str, tail_offset: int, mentions: list[Mention],
                     paragraph: Paragraph, ctx: _Context) -> Attribution | None:
    """Who says the words with this verb: a name before it, after it ("said Lenin"), or a
    pronoun right before it."""
    gap_after_verb = tail[verb.end():]
    if len(gap_after_verb) > 70 or re.search(r"[.;!?]\s", gap_after_verb):
        return None
    evidence = tail[max(0, verb.start() - 40):].strip()
    subject = [m for m in mentions if m.end <= tail_offset + verb.start()
               and tail_offset + verb.start() - m.end <= 140
               and not _possessive(paragraph.text, m)
               and _is_subject_gap(paragraph.text[m.end:tail_offset + verb.start()],
                                   verb.group(0))]
    if subject:
        return _speaker_at(subject[-1], None, subject[-1].start, paragraph, ctx, evidence)
    after_verb = [m for m in mentions if tail_offset + verb.end() <= m.start
                  <= tail_offset + verb.end() + 2] if _INVERTING.fullmatch(verb.group(0)) else []
    if after_verb:
        return _speaker_at(after_verb[0], None, after_verb[0].start, paragraph, ctx, evidence)
    pronoun = _PRONOUN.search(tail[max(0, verb.start() - 12):verb.start()]) \
        or _PRONOUN_ADVERB.search(tail[max(0, verb.start() - 30):verb.start()]) \
        or _CLEFT.search(tail[:verb.start()])
    if pronoun:
        return _speaker_at(None, pronoun.group(1).lower() if pronoun.group(1) != "I" else "I",
                           tail_offset + verb.start(), paragraph, ctx, evidence)
    return None


def _possessive(text: str, mention: Mention) -> bool:
    return text[mention.end - 2:mention.end] in ("’s", "'s") or text[mention.end - 1] in "’'"


#: What may stand before a sentence's subject: nothing, or an article and a few lower-case
#: words ("The anarchist …"), never a preposition or a clause ("After meeting Lenin, he …").
_OPENS_WITH_SUBJECT = re.compile(r"\W*(?:(?:The|A|An)\s+(?:[a-z][\w-]*\s+){0,3})?$")


def _intro_evidence(paragraph: Paragraph, ctx: _Context) -> Attribution | None:
    """The speaker of the sentence introducing a block with a colon, or of the block before."""
    before = ctx.text.paragraphs[paragraph.index - 1] if paragraph.index else None
    own_citation = paragraph.citations and paragraph.citations[-1].end >= len(paragraph.text) - 3
    if before is not None and before.kind is BlockKind.BLOCK_QUOTE \
            and paragraph.kind is BlockKind.BLOCK_QUOTE and not own_citation:
        inherited = ctx.block_speakers.get(before.index)  # one quotation in two paragraphs
        if inherited and inherited.speaker:
            return Attribution(inherited.speaker, inherited.confidence - 0.05, inherited.method,
                               "continues the block quotation before it")
    previous = _previous_prose(paragraph, ctx)
    if previous is not None and paragraph.kind is BlockKind.BODY \
            and unmarked_letter(paragraph.text):
        return _letter_intro(previous, ctx)  # a letter whose opening mark was lost
    if previous is not None and paragraph.kind is BlockKind.BLOCK_QUOTE \
            and not previous.text.rstrip(" ”\"").endswith(":"):
        # "Serge relates the contents of a letter he wrote …, dated February 1st, 1933."
        return _letter_intro(previous, ctx)
    if previous is None or not previous.text.rstrip(" ”\"").endswith(":"):
        return None
    start, end = previous.sentences[-1] if previous.sentences else (0, len(previous.text))
    sentence = previous.text[start:end]
    evidence = sentence.strip()[:160]
    mentions = [m for m in ctx.mentions.get(previous.index, []) if start <= m.start < end
                and not _possessive(previous.text, m)]
    quoting = re.match(r"\W*Quoting\s+", sentence)
    if quoting and mentions and mentions[0].start - start <= quoting.end() + 1:
        # "Quoting Engels at length, he prophesied:" — the words are Engels's.
        return Attribution(mentions[0].person.name, 0.8, "intro", evidence)
    verbs = list(_VERB.finditer(sentence))
    if verbs:
        verb_at = start + verbs[-1].start()
        pronoun = re.search(r"\b(he|she)\s+(?:\w+\s+)?$", sentence[:verbs[-1].start()])
        subject = next((m for m in mentions if m.start - start < pronoun.start()
                        and _OPENS_WITH_SUBJECT.match(previous.text[start:m.start])),
                       None) if pronoun else None
        if subject is not None:
            # "The anarchist Michael Bakunin had foreseen this when he prophesied that …
            # would:" — the sentence's own subject, not someone of the sentence before.
            return Attribution(subject.person.name, 0.8, "intro", evidence)
        if pronoun:
            earlier = ctx.last_person_before(previous, start)
            return Attribution(earlier.person.name, 0.7, "intro", f"{evidence} (pronoun)") \
                if earlier else None
        subjects = [m for m in mentions if m.end <= verb_at]
        if subjects:
            return Attribution(subjects[-1].person.name, 0.85, "intro", evidence)
    for mention in mentions:
        if _SUBJECT_VERB.match(previous.text[mention.end:end]):
            return Attribution(mention.person.name, 0.75, "intro", evidence)
        if _OPENS_WITH_SUBJECT.match(previous.text[start:mention.start]) and \
                _NAME_ALONE_END.fullmatch(previous.text[mention.end:end]):
            # "“The poet Kabard:" and the verse under it: the sentence is only who says it
            return Attribution(mention.person.name, 0.8, "intro", evidence)
    return None


#: What may follow the name in a sentence that is only a speaker's label: the colon.
_NAME_ALONE_END = re.compile(r"\s*:[\s”\"’']*")


def _letter_intro(previous: Paragraph, ctx: _Context) -> Attribution | None:
    """'In 1927, Adolf Joffe, …, in his last letter to Trotsky … described how …': the
    subject of the sentence before, when it speaks of a letter and a verb of saying."""
    start, end = previous.sentences[-1] if previous.sentences else (0, len(previous.text))
    sentence = previous.text[start:end]
    if not re.search(r"\b(?:letter|testament|will|message)\b", sentence) \
            or not _VERB.search(sentence):
        return None
    subjects = [m for m in ctx.mentions.get(previous.index, []) if start <= m.start < end
                and not _possessive(previous.text, m)]
    if not subjects:
        return None
    return Attribution(subjects[0].person.name, 0.7, "intro", sentence.strip()[:160])


def _previous_prose(paragraph: Paragraph, ctx: _Context) -> Paragraph | None:
    if paragraph.index == 0:
        return None
    previous = ctx.text.paragraphs[paragraph.index - 1]
    return previous if previous.kind is BlockKind.BODY else None


# A note saying whose phrase the quoted words are: "The phrase is from Victor Serge’s …".
_PHRASE_FROM = re.compile(r"^\W*(?:The|This|That)\s+(?:phrase|term|expression|words?|title|"
                          r"slogan)\s+(?:is|are|was|were|comes?|came)\s+(?:taken\s+)?from\s+")


def _phrase_note(quotation: Quotation, ctx: _Context) -> Attribution | None:
    """A scare quote whose note opens by saying whose phrase it is: the one it names first."""
    citation = quotation.citation
    note = ctx.notes.get(citation.note_number) if citation and citation.note_number else None
    if note is None or not note.text:
        return None
    opening = _PHRASE_FROM.match(note.text)
    if opening is None:
        return None
    named = ctx.people.mentions(note.text[opening.end():opening.end() + 60])
    if not named or named[0].start != 0:
        return None
    return Attribution(named[0].person.name, 0.7, "cited-author", note.text.strip()[:120])


def _cited_author(citation: Citation | None, ctx: _Context) -> str | None:
    """Who wrote the work a quotation's note cites, "quoted in" or not: who the essay took
    the words from."""
    if citation is None or citation.work is None:
        return None
    found = _citation_evidence(replace(citation, quoted_in=False), ctx)
    return found.speaker if found is not None else None


def _citation_evidence(citation: Citation | None, ctx: _Context) -> Attribution | None:
    """The note's leading name ('Sarah Lovell, in …'), else the cited work's author."""
    if citation is None or citation.quoted_in or citation.work is None:
        return None
    name = citation.work.author
    note = ctx.notes.get(citation.note_number) if citation.note_number else None
    if note is not None:
        lead = split_top_level(note.text)[0] if note.text else ""
        if looks_like_name(lead) and not lead.lower().startswith(("ibid", "see")):
            name = lead
    if not name:
        return None
    return _person_or_raw(name, ctx, 0.65, "cited-author", citation.display())


def apply_attributions(text: ParsedText, people: PeopleRegistry,
                       named: ParagraphMentions | None = None) -> None:
    """Record each quotation's attribution and who quotes it on the quotation itself."""
    found_all = attribute_all(text, people, named)
    context = _Context(text, people, named)
    cited = [_cited_author(q.citation, context) for q in text.quotations]
    for quotation, found, chain in zip(text.quotations, found_all,
                                       quoted_by(text, found_all, cited), strict=True):
        quotation.speaker = found.speaker
        quotation.speaker_confidence = round(found.confidence, 2)
        quotation.attribution_method = found.method
        quotation.attribution_evidence = found.evidence
        quotation.source_words = found.source_words
        quotation.quoted_by = chain
