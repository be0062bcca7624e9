"""Questions about the texts themselves: who wrote one, when and where it appeared, what a
review is of, and who wrote a book the essays cite.

Answered from each text's own metadata (its front matter) and from the works its notes and
reference lists name, so "who wrote Ten Days that Shook the World?" gives John Reed with the
note that cites the book.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, utils

from bot.answers.ask.analysis import AnswerType, Question
from bot.corpus.model import PartialDate
from bot.store.works import CitedWork, TextRecord

TITLE_MATCH = 80  # token-set similarity for "who wrote <a title>" (typos and partial titles)
_TEXT_WORDS = re.compile(r"\b(?:essay|article|piece|review|text|paper|pamphlet|report)s?\b",
                         re.IGNORECASE)
_ABOUT = re.compile(r"\b(?:about|review(?:s|ing)?|of|discuss(?:es)?|cover(?:s)?)\b",
                    re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class TextFact:
    """An answer about a text: the headline and the line of metadata that supports it."""

    headline: str
    evidence: str  # the metadata line or the note, shown as the supporting sentence
    slug: str
    title: str
    author: str | None


def answer_about_texts(question: Question, texts: list[TextRecord],
                       works: list[CitedWork]) -> TextFact | None:
    """A fact about one of the corpus's texts or a work they cite, if that is what is asked."""
    lowered = question.text.casefold()
    target = _named_text(lowered, texts)
    if question.kind is AnswerType.AUTHOR:
        if target is not None:
            return _fact(target, _author_line(target))
        work = _named_work(_after_wrote(lowered), works)
        if work is not None:
            return TextFact(work.author, work.full, work.source_slug, work.title, work.author)
        return None
    if target is None or not (_TEXT_WORDS.search(lowered) or (target.publication and
                              target.publication.casefold()[:8] in lowered)):
        return None
    if re.search(r"\b(?:when|what year|what date)\b", lowered) or ("published" in lowered and \
            not re.search(r"\bwhere\b", lowered)):
        when = _published(target)
        headline = when or "The text does not give its date"
        return _fact(target, headline)
    if re.search(r"\b(?:where|which (?:magazine|journal|website|site|paper|publication)|"
                 r"what (?:magazine|journal|website|site|paper|publication))\b", lowered):
        return _fact(target, target.publication or "The text does not say where it appeared")
    if re.search(r"^(?:who|by whom)\b|\bauthor\b|\bwriter\b", lowered):
        return _fact(target, _author_line(target))
    if _ABOUT.search(lowered) and target.principal_work_title:
        by = f" by {target.principal_work_author}" if target.principal_work_author else ""
        return _fact(target, f"{target.principal_work_title}{by}")
    return None


def describe_text(text: TextRecord) -> str:
    """'The struggle against Stalinism · Robert Narai · Red Flag · 31 August 2022'."""
    return f"{text.title} · {byline(text)}"


def byline(text: TextRecord) -> str:
    """'Robert Narai · Red Flag · 31 August 2022'."""
    bits = [text.author or "author not named", text.publication, _published(text)]
    return " · ".join(b for b in bits if b)


def _fact(text: TextRecord, headline: str) -> TextFact:
    return TextFact(headline, describe_text(text), text.slug, text.title, text.author)


def _author_line(text: TextRecord) -> str:
    return text.author or "The text does not name its author"


def _published(text: TextRecord) -> str | None:
    if not text.published_iso:
        return None
    return PartialDate(*(int(p) for p in text.published_iso.split("-"))).display()


def _names(text: TextRecord) -> list[str]:
    forms = [text.title, text.slug.replace("-", " ")]
    forms += [part for part in re.split(r"[:–—“”\"]", text.title) if len(part.split()) >= 2]
    if text.publication:
        forms.append(text.publication)
    if text.author:
        forms.append(text.author)
    return [utils.default_process(f) for f in forms if f]


def _named_text(lowered: str, texts: list[TextRecord]) -> TextRecord | None:
    """The corpus text the question names by title, publication or author, if one clearly."""
    query = utils.default_process(lowered)
    scored = []
    for text in texts:
        best = 0.0
        for form in _names(text):
            if len(form) >= 4 and form in query:
                best = max(best, 100.0)
            elif len(form.split()) >= 2:
                best = max(best, fuzz.partial_ratio(form, query) if len(form) > 12 else 0)
        scored.append((best, text))
    scored.sort(key=lambda s: -s[0])
    if scored and scored[0][0] >= 90 and (len(scored) == 1 or scored[1][0] < scored[0][0]):
        return scored[0][1]
    if re.search(r"\bthe review\b", lowered):  # the one text that is a review, if only one
        reviews = [t for t in texts if t.principal_work_title and "review" in t.title.lower()]
        if len(reviews) == 1:
            return reviews[0]
    return None


def _after_wrote(lowered: str) -> str:
    match = re.search(r"\b(?:wrote|writes|authored|penned|author of|writer of)\s+(.+)$",
                      lowered)
    return match.group(1) if match else lowered


def _named_work(typed: str, works: list[CitedWork]) -> CitedWork | None:
    query = utils.default_process(re.sub(r"^(?:the book|the essay|the article)\s+", "", typed))
    if len(query) < 4:
        return None
    best = max(works, default=None,
               key=lambda w: fuzz.token_set_ratio(query, utils.default_process(w.title)))
    if best is None:
        return None
    score = fuzz.token_set_ratio(query, utils.default_process(best.title))
    return best if score >= TITLE_MATCH else None
