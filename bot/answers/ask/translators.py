"""Who translated a work the texts cite: "who translated the revolution betrayed?".

The notes print an edition with its translator ("Leon Trotsky, The Revolution Betrayed,
trans. Max Eastman (Mineola: Dover, 2004)"); the author of the work is someone else, so
this is not the author question, and the rest of the texts never name a translator: the
answer is the note that prints one beside the title asked, or an honest "the texts don't
say".
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz, utils

from bot.answers.core.context import AnswerContext
from bot.answers.core.model import Answer, AnswerKind, Item, SourceRef

# "who translated X", "who did the english translation of X", "X was translated by whom",
# "who was the translator of X", "whose translation of X"
ASKS_TRANSLATOR = re.compile(
    r"\b(?:who|whom)\b.*\btranslat(?:ed|ion|or|es|e)\b|\bwhose\s+translation\b|"
    r"\btranslat(?:ed|ion)\s+by\s+whom\b", re.IGNORECASE)
_TITLE_AFTER = re.compile(
    r"\b(?:translated|translat(?:ions?|or)\s+of)\s+(?P<title>.+)$"
    r"|^(?P<before>.+?)\s+(?:was|is)\s+translated\b", re.IGNORECASE)
# "..., that dawsey quotes from", "... dawsey cites": what follows the title.
_AFTER_TITLE = re.compile(r"\s+(?:that|which|the one)\s+(?:\S+\s+){0,3}?(?:quotes|cites|uses|"
                          r"mentions|reads|quoted|cited|used)\b.*$|\s+(?:into|in)\s+(?:english|"
                          r"russian|french|german|spanish)\b.*$|[,?.!].*$", re.IGNORECASE)
# "trans. Max Eastman", "translated by John G. Wright and Brian Pearce"
_TRANSLATOR = re.compile(r"\b(?:trans\.|translated\s+by)\s+(?P<who>[A-Z][\w.’'-]*"
                         r"(?:\s+(?:[A-Z][\w.’'-]*|and|de|van|von))*)")
TITLE_MATCH = 90  # partial similarity of the asked title to the note's words
CANDIDATES = 40  # sentences read for the title
_SMALL_WORDS = frozenset("the of a an and in on to for".split())  # words every note holds


def translator_answer(ctx: AnswerContext, question: str) -> Answer | None:
    """The translator a note prints beside the title asked, or None when no title is asked."""
    title = _asked_title(question)
    if not title:
        return None
    words = [w for w in re.findall(r"[\w’'-]+", title) if w.casefold() not in _SMALL_WORDS]
    hits = [h for h in ctx.search.search_sentences([*words, "trans", "translated"],
                                                   limit=CANDIDATES)
            if h.kind in ("note", "reference")]
    # The sentence splitter ends a sentence at "trans.": the name opens the next one, of
    # the same note.
    following = ctx.store.sentences.around(hits, before=0, after=1) if hits else {}
    wanted = utils.default_process(title)
    for hit in hits:
        after = [s for s in following.get(hit.sentence_id, [])
                 if s.sentence_id == hit.sentence_id + 1 and s.passage_id == hit.passage_id]
        note = " ".join([hit.text, *(s.text for s in after)])
        for found in _TRANSLATOR.finditer(note):
            printed = utils.default_process(note[:found.start()])
            if found.start() < len(hit.text) and \
                    fuzz.partial_ratio(wanted, printed) >= TITLE_MATCH:
                ref = SourceRef.of(hit)
                return Answer(AnswerKind.ANSWER, found["who"].rstrip(".,"),
                              f"“{note}”\n— {ref.where()}",
                              items=[Item(title=hit.source_title, body=note, source=ref)],
                              sources=[ref])
    return Answer(AnswerKind.NOT_FOUND, "The texts don't say",
                  f"No note of the texts prints a translator for “{title}”.")


def _asked_title(question: str) -> str:
    found = _TITLE_AFTER.search(question.strip())
    if found is None:
        return ""
    title = found["title"] or found["before"] or ""
    title = re.sub(r"^(?:who|whom)\s+(?:\w+\s+)?", "", title, flags=re.IGNORECASE)
    title = re.sub(r"^(?:the\s+)?(?:english\s+|russian\s+|french\s+|german\s+)?(?:book|essay|"
                   r"article|novel|work|edition)?\s*", "", title, flags=re.IGNORECASE)
    return _AFTER_TITLE.sub("", title).strip(" '\"‘’“”")
