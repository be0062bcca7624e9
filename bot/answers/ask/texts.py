"""Questions about the texts themselves: who wrote one, when and where it appeared, what a
review is of, and who wrote a book the essays cite.

Answered from each text's own metadata (its front matter) and from the works its notes and
reference lists name, so "who wrote Ten Days that Shook the World?" gives John Reed with the
note that cites the book.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

from bot.answers.ask.analysis import AnswerType, Question
from bot.answers.core.bylines import byline, published
from bot.store.sources import SourceRecord
from bot.store.works import CitedWork

TITLE_MATCH = 80  # token-set similarity for "who wrote <a title>" (typos and partial titles)
_TEXT_WORDS = re.compile(r"\b(?:essay|article|piece|review|text|paper|pamphlet|report)s?\b",
                         re.IGNORECASE)
# "what book does the review discuss?", "what is Dawsey's essay about?"
_ABOUT = re.compile(r"\b(?:what|which)\s+(?:book|work)\b.*\b(?:review|discuss|cover|about)"
                    r"|\bwhat(?:'s|\s+is|\s+was)\s+(?:the\s+)?[\w\s']+?\s+about\s*\??$"
                    r"|\b(?:reviewing|a review of)\b", re.IGNORECASE)


# A text that is one part of a series says so in its title ("...: Part II").
_PART = re.compile(r"\bPart\s+(?:[IVX]+|\d+|One|Two|Three|Four)\b", re.IGNORECASE)
_WHICH_PART = re.compile(r"\b(?:which|what)\s+(?:part|instalment|installment|number)\b")
_REVIEWING = re.compile(r"\breview(?:ing|ed|s)\b")


@dataclass(frozen=True, slots=True)
class TextFact:
    """An answer about a text: the headline and the line of metadata that supports it."""

    headline: str
    stated: bool  # False: the text does not give this (its author, its date)
    evidence: str  # the metadata line or the note, shown as the supporting sentence
    slug: str
    title: str
    author: str | None


def answer_about_texts(question: Question, texts: list[SourceRecord],
                       works: list[CitedWork]) -> TextFact | None:
    """A fact about one of the corpus's texts or a work they cite, if that is what is asked."""
    lowered = question.text.casefold()
    target = named_text(lowered, texts)
    if question.kind is AnswerType.AUTHOR:
        typed = _after_wrote(lowered)
        work, work_score = _named_work(typed, works)
        own = named_text(typed, texts) or target
        if own is not None and (work is None or _title_score(typed, own) >= work_score):
            return _author_fact(own)
        if work is not None:
            return TextFact(work.author, True, work.full, work.source_slug, work.title,
                            work.author)
        return None
    if _ASKS_WHERE_IT_APPEARED.search(lowered):
        # "what journal was daniels' left opposition article in?": a cited article's venue
        cited = _cited_article(lowered, question, works)
        venue = _venue(cited) if cited is not None else None
        if cited is not None and venue:
            return TextFact(venue, True, cited.full, cited.source_slug, cited.title,
                            cited.author)
    if target is not None and _YEAR_OF_THE_TITLE.search(lowered) and (
            titled := re.search(r"\b(1[5-9]\d\d|20\d\d)\b", target.title)):
        # "what year does the medium review's title give for the revolution betrayed?"
        return _fact(target, titled.group(1), field=("title", target.title))
    part = _PART.search(target.title) if target is not None else None
    if target is not None and part is not None and _WHICH_PART.search(lowered):
        # "which part of the notes on the russian revolution is to lead the people?"
        return _fact(target, part.group(0), field=("title", target.title))
    if target is None or not (_TEXT_WORDS.search(lowered) or _REVIEWING.search(lowered) or (
            target.publication and target.publication.casefold()[:8] in lowered)):
        return None
    if question.kind is AnswerType.WHICH_TEXT and _WHICH_APPEARED.search(lowered):
        # "which essay was published by Red Flag?", "which article did Robert Narai write?":
        # the text the question names by its venue or writer is the answer.
        return _fact(target, target.title, field=("publication", target.publication))
    if (re.search(r"\b(?:when|what year|what date)\b", lowered) or (
            "published" in lowered and not re.search(r"\bwhere\b", lowered)
            and not _RAN_IT.search(lowered))) and not _asks_of_what_it_tells(question, target):
        when = published(target.published_iso)
        return _fact(target, when or "The text does not give its date", stated=bool(when),
                     field=("published", target.published_iso))
    if re.search(r"\b(?:where|(?:which|what) (?:magazine|journal|website|site|paper|publication|"
                 r"outlet|venue|newspaper|blog|platform))\b", lowered) or _RAN_IT.search(lowered):
        return _fact(target, target.publication or "The text does not say where it appeared",
                     stated=bool(target.publication), field=("publication", target.publication))
    if re.search(r"^by whom\b|^who\s+(?:wrote|writes|is behind)\b", lowered) or (
            re.search(r"\b(?:author|writer)\b", lowered) and not _AUTHOR_DOES.match(lowered)):
        return _author_fact(target)
    if _ASKS_THE_TITLE.search(lowered) and not TITLE_OF_ANOTHER.search(lowered):
        # "what's narai's article actually called?": its title, as its front matter gives it.
        return _fact(target, target.title, field=("title", target.title))
    if re.search(r"\bsubtitle\b", lowered):
        return _fact(target, target.subtitle or "The text has no subtitle",
                     stated=bool(target.subtitle), field=("subtitle", target.subtitle))
    issue = re.search(r"\d+$", target.publication or "")
    if re.search(r"\b(?:which|what)\s+(?:issue|number)\b", lowered) and issue:
        return _fact(target, f"{target.publication} (issue {issue.group(0)})")
    if _ABOUT.search(lowered) and target.principal_work_title:
        by = f" by {target.principal_work_author}" if target.principal_work_author else ""
        return _fact(target, f"{target.principal_work_title}{by}")
    return None


def _asks_of_what_it_tells(question: Question, target: SourceRecord) -> bool:
    """"when did buying and selling come back with the nep, per the red flag piece?" asks
    the date of something the text tells, not the text's own: words of meaning remain once
    those naming the text and those of its appearing are set aside."""
    naming = {w.casefold() for field in (target.title, target.publication, target.author)
              for w in re.findall(r"[\w’'-]+", field or "")}
    return any(word.casefold() not in naming and not _TEXT_WORDS.fullmatch(word)
               and not _APPEARING.fullmatch(word)
               for focus in question.focus for word in focus.split())


# "what year does the review's title give", "which year is in the title of ...": a year the
# title itself prints.
_YEAR_OF_THE_TITLE = re.compile(r"\b(?:year|date)\b.*\btitle\b|\btitle\b.*\b(?:year|date)\b",
                                re.IGNORECASE)
# The words of a text's own appearing: "when was it published", "what date is it from".
_APPEARING = re.compile(r"(?:publish|published|publishing|write|wrote|written|writing|come|came|"
                        r"appear|appeared|out|post|posted|release|released|date|dated|online|"
                        r"first|go|went|up|put)", re.IGNORECASE)
# "what outlet ran Narai's piece", "who published the review": where a text appeared; the
# text is what was run ("who ran the secret police ... in the medium review" asks a person).
_RAN_IT = re.compile(r"^(?:what|which|who)\s+(?:\w+\s+)?(?:ran|carried|printed|hosted|put out|"
                     r"published)\s+(?:it\b|this\b|(?:[\w’'-]+\s+){0,3}?" + _TEXT_WORDS.pattern
                     + ")")
# "what's Narai's article (actually) called", "what is the title of the Platypus essay": its
# title (not its subtitle, asked by that word).
_ASKS_THE_TITLE = re.compile(
    r"^what(?:'s|’s|\s+is|\s+was)\s+(?:the\s+)?(?:[\w’']+\s+){1,5}?(?:(?:actually|really)\s+)?"
    r"(?:called|titled|entitled|named)\W*$"
    r"|^what(?:'s|’s|\s+is|\s+was)\s+the\s+(?:(?:full|actual|exact)\s+)?(?:title|name)\s+of\b")


# "what's the title of trotsky's book on literature that the medium reviewer brings up": the
# title of a work someone wrote, which the text mentions, not the text's own.
TITLE_OF_ANOTHER = re.compile(r"\b(?:title|name)\s+of\s+(?:the\s+)?[\w-]+[’']s\s+(?:\w+\s+)?"
                              r"(?P<work>book|novel|pamphlet|poem|work|study|history|biography|"
                              r"memoirs?)\b", re.IGNORECASE)


# "which essay was published in / by ...", "which article did ... write": a text asked for
# by where it appeared or who wrote it.
_WHICH_APPEARED = re.compile(r"^(?:in\s+)?(?:which|what)\s+(?:essay|article|text|piece|review)\s+"
                             r"(?:was|is|were|did|does)\s+(?:\S+\s+){0,3}?(?:published|printed|"
                             r"appeared|came out|run|write|wrote|written)\b")


def describe_text(text: SourceRecord) -> str:
    """'The struggle against Stalinism · Robert Narai · Red Flag · 31 August 2022'."""
    return f"{text.title} · {byline(text)}"


def _fact(text: SourceRecord, headline: str, stated: bool = True,
          field: tuple[str, str | None] | None = None) -> TextFact:
    """``field``: the line of the text's front matter that states it, shown as it is written
    there ("subtitle: In Dialogue with a Bolshevik Philosopher") under the text's byline."""
    evidence = describe_text(text)
    if field is not None and field[1]:
        evidence = f"{evidence}\n{field[0]}: {field[1]}"
    return TextFact(headline, stated, evidence, text.slug, text.title, text.author)


def _author_fact(text: SourceRecord) -> TextFact:
    return _fact(text, text.author or "The text does not name its author",
                 stated=bool(text.author), field=("author", text.author))


def _names(text: SourceRecord) -> list[str]:
    forms = [text.title, text.slug.replace("-", " ")]
    forms += [part for part in re.split(r"[:–—“”\"]", text.title) if len(part.split()) >= 2]
    if text.publication:
        forms.append(text.publication)
        forms += re.findall(r"\(([A-Z]{2,})\)", text.publication)  # "(CWI)"
        forms.append(re.sub(r"\s*\d+$", "", text.publication))  # "Platypus Review 112"
        if len(text.publication.split()) <= 3:
            forms.append(text.publication.split()[0])  # "Platypus", "Medium", "Red Flag"
    if text.author:
        forms.append(text.author)
        forms.append(f"{text.author.split()[-1]}")  # "Dawsey's essay"
    return [utils.default_process(f) for f in forms if f and len(f) >= 3]


def _title_score(typed: str, text: SourceRecord) -> float:
    query = utils.default_process(typed)
    return max(fuzz.token_set_ratio(query, form) for form in _names(text)[:3])


@dataclass(frozen=True, slots=True)
class _TextNames:
    """What ``named_text`` compares a question with, worked out once per list of texts: each
    text's names, and each title, so that a question costs a look-up of the stretches of
    words it holds (at 100x the corpus, rebuilding the names per question was a third of a
    plain question's time, and then passing over all 2,500 of them a tenth)."""

    titles: dict[str, str]  # slug -> its processed title
    # A name several of the texts' names may be: each one's fuzzy score is worked out once
    # per question. Only the names ``named_text`` scores by similarity are here.
    fuzzy: tuple[str, ...]  # shortest first
    fuzzy_lengths: tuple[int, ...]  # their lengths, to cut at the question's
    holding: dict[str, int]  # name -> how many titles hold it, worked out when first asked
    #: name -> the texts it names, so that a question is compared with the names it holds,
    #: not every text with every name (at 100x, 2,500 names a question).
    by_name: dict[str, tuple[SourceRecord, ...]]
    longest: int  # characters of the longest name

    def is_shared(self, slug: str, form: str) -> bool:
        """Does a title other than this text's hold the name?"""
        holding = self.holding.get(form)
        if holding is None:  # once per name, not per text that has it (200 at 100x)
            holding = self.holding[form] = sum(form in title for title in self.titles.values())
        return holding - (form in self.titles.get(slug, "")) > 0


#: The list of texts the names were last worked out for (the list is read once per ingest,
#: see ``engine.texts_and_works``), held so that its identity stays its own.
_LAST_NAMES: list[tuple[list[SourceRecord], _TextNames]] = []


def _text_names(texts: list[SourceRecord]) -> _TextNames:
    if _LAST_NAMES and _LAST_NAMES[0][0] is texts:
        return _LAST_NAMES[0][1]
    names = tuple((text, frozenset(_names(text))) for text in texts)
    fuzzy = tuple(sorted({form for _, forms in names for form in forms
                          if len(form.split()) >= 2 and len(form) > 12}, key=lambda f: (len(f), f)))
    by_name: dict[str, list[SourceRecord]] = {}
    for text, forms in names:
        for form in forms:
            if len(form) >= 3:
                by_name.setdefault(form, []).append(text)
    found = _TextNames({text.slug: utils.default_process(text.title) for text in texts},
                       fuzzy, tuple(len(form) for form in fuzzy), {},
                       {form: tuple(held) for form, held in by_name.items()},
                       max((len(form) for form in by_name), default=0))
    _LAST_NAMES[:] = [(texts, found)]
    return found


def named_text(lowered: str, texts: list[SourceRecord]) -> SourceRecord | None:
    """The corpus text the question names by title, publication or author, if one clearly."""
    query = utils.default_process(lowered)
    padded = f" {query} "
    index = _text_names(texts)
    # Each fuzzy name no longer than the question, scored against it once, in one call of
    # rapidfuzz's C loop (thousands of names at 100x); only those of 90 and more count.
    similar = {form: score for form, score, _ in process.extract(
        query, index.fuzzy[:bisect_right(index.fuzzy_lengths, len(query))],
        scorer=fuzz.partial_ratio, processor=None, score_cutoff=90, limit=None)}

    # Each distinct way the question names the text counts ("the platypus essay on the
    # revolution betrayed" names Dawsey's by its publication and its book); a name other
    # texts' titles hold too ("the revolution betrayed", the book two essays are on) counts
    # a little less, enough alone but not against a name of one text only.
    said = _names_said(padded, index)
    score: dict[str, float] = {}
    by_slug: dict[str, SourceRecord] = {}
    for form in said:
        for text in index.by_name[form]:
            by_slug[text.slug] = text
            score[text.slug] = score.get(text.slug, 0.0) + (
                90.0 if index.is_shared(text.slug, form) else 100.0)
    for form, similarity in similar.items():  # the title, typos aside
        for text in index.by_name.get(form, ()):
            if form not in said:
                by_slug[text.slug] = text
                score[text.slug] = score.get(text.slug, 0.0) + similarity
    ranked = sorted(score.items(), key=lambda item: -item[1])
    if ranked and ranked[0][1] >= 90 and (len(ranked) == 1 or ranked[1][1] < ranked[0][1]):
        return by_slug[ranked[0][0]]
    # the one text that is a review, if only one; "the reviewer" is its writer
    if re.search(r"\bthe review(?:er)?\b", lowered):
        reviews = [t for t in texts if t.principal_work_title and "review" in t.title.lower()]
        if len(reviews) == 1:
            return reviews[0]
    return None


def _names_said(padded: str, index: _TextNames) -> set[str]:
    """The texts' names that stand whole in the question (between spaces): each stretch of
    the question from one space to a later one is looked up, as long as the longest name."""
    spaces = [at for at, char in enumerate(padded) if char == " "]
    said = set()
    for number, start in enumerate(spaces):
        for end in spaces[number + 1:]:
            if end - start - 1 > index.longest:
                break
            stretch = padded[start + 1:end]
            if stretch in index.by_name:
                said.add(stretch)
    return said


# "what did the medium author use to call trotsky?", "what does the author of the platypus
# essay argue?": what the author did or wrote is asked, not who the author is.
_AUTHOR_DOES = re.compile(r"^(?:what|how|why|where|when|which)\s+(?:\w+\s+)?(?:did|does|do|would|"
                          r"could|has|had)\s+(?:the\s+)?(?:\S+\s+){0,4}?(?:author|writer)\b")


# "what journal ...", "where was ... published", "which magazine did ... appear in"
_ASKS_WHERE_IT_APPEARED = re.compile(
    r"\b(?:which|what)\s+(?:journal|magazine|periodical|publication)\b"
    # ... where the work is what appeared, not someone who had moved by then
    r"|\bwhere\s+(?:was|were|is|did|does|had)\s+(?:(?!(?:moved|gone|go|went|lived?|been|"
    r"stay(?:ed)?|settled|fled)\b)\S+\s+){1,8}?(?:published|printed|appear(?:ed)?|come\s+out|"
    r"came\s+out|run)\b")


def _cited_article(lowered: str, question: Question, works: list[CitedWork]
                   ) -> CitedWork | None:
    """The cited article (a title in quotation marks) whose writer the question names, and
    whose title shares the most words with it; one article of theirs needs none."""
    words = set(re.findall(r"\w+", lowered))
    written = [work for work in works if f"“{work.title}" in work.full
               and _surname(work.author) in words]
    # A writer the texts discuss is also a person of the question: only their works count.
    if not written:
        return None

    def shared(work: CitedWork) -> int:
        return sum(w in words for w in re.findall(r"\w{4,}", work.title.casefold()))

    ranked = sorted(written, key=shared, reverse=True)
    best = ranked[0]
    if len(ranked) > 1 and shared(best) == shared(ranked[1]):
        return None  # two of their articles fit as well: which is not said
    return best if shared(best) or len(ranked) == 1 else None


def _surname(author: str) -> str:
    """'Robert V Daniels' -> 'daniels' (reference lists print 'Daniels, Robert V.')."""
    return author.split()[-1].casefold().strip(".,") if author.split() else ""


def _venue(work: CitedWork) -> str | None:
    """Where a cited article appeared, as its reference prints it: the journal or book after
    the quoted title ("... Stalinism.” Slavic Review Vol 50 No. 2" -> "Slavic Review")."""
    at = work.full.find(f"“{work.title}")
    after = work.full[at + len(work.title) + 1:] if at >= 0 else ""
    after = after.lstrip(" .,”\"?!")
    found = re.match(r"(?:Originally\s+published\s+in\s+|in\s+)?(?P<venue>[A-Z][^,.(:;]*?)"
                     r"(?=\s+(?:Vol\b|vol\b|no\b|\d)|[,.(:;]|$)", after)
    return found["venue"].strip() if found else None


def is_a_title(typed: str, texts: list[SourceRecord], works: list[CitedWork]) -> bool:
    """Are these words the title of one of the texts or of a work they cite?"""
    lowered = typed.casefold()
    return named_text(lowered, texts) is not None or _named_work(lowered, works)[0] is not None


def _after_wrote(lowered: str) -> str:
    # A title in quotation marks is the title, whatever stands around it.
    quoted = re.search(r"(?:^|\s)['‘“\"](.{4,}?)['’”\"](?:\s|[?.!,]|$)", lowered)
    if quoted:
        return quoted.group(1).strip()
    match = re.search(r"\b(?:wrote|writes|authored|penned|edited|compiled|translated|put "
                      r"together|author of|writer of|editor of|whose\s+(?:article|essay|book|"
                      r"piece|paper|work|pamphlet)\s+(?:is|was))\s+(.+)$", lowered)
    typed = match.group(1) if match else lowered
    typed = re.sub(r"^(?:the\s+)?(?:book|essay|article|piece|pamphlet|work)\s+(?:about|on|"
                   r"called|titled)?\s*", "", typed)
    # "..., the book the review cites" / "... cited in to lead the people" / "... article
    # dawsey cites": the title is what comes before.
    return re.split(r",\s|\s(?:cited|quoted|mentioned)\s|\s(?:book|essay|article|piece|paper|"
                    r"work)\s+(?:that\s+|which\s+)?(?:\S+\s+){0,3}?(?:cites|quotes|mentions)\b",
                    typed)[0].strip(" ?!.'\"‘’“”")


def _named_work(typed: str, works: list[CitedWork]) -> tuple[CitedWork | None, float]:
    """The cited work whose title the question gives, typos and partial titles forgiven."""
    query = utils.default_process(typed)
    if len(query) < 4 or not works:
        return None, 0.0

    def score(work: CitedWork) -> float:
        # The whole title typed (typos aside), or the start of a long one; not a short title
        # whose words happen to be among the question's ("On Revolution" in "the review of
        # the revolution betrayed on medium").
        title = utils.default_process(work.title)
        partial = fuzz.partial_ratio(query, title) if 12 <= len(query) <= len(title) else 0
        return max(fuzz.token_sort_ratio(query, title), fuzz.ratio(query, title), partial)

    best = max(works, key=score)
    value = score(best)
    return (best, value) if value >= TITLE_MATCH else (None, value)
