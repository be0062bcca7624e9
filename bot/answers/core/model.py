"""What every answer is, whatever surface shows it (CLI text, JSON, Discord embed).

The JSON form of these dataclasses is the CLI's documented, stable schema (docs/answers.md):
surfaces render them and never compute anything of their own.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any, Protocol


class AnswerKind(StrEnum):
    SOURCES = "sources"
    SEARCH = "search"
    HELP = "help"
    QUOTE = "quote"  # a quotation: the words, who said them, where; alternatives as items
    QUOTES = "quotes"  # a list of quotations (a quote answer's alternatives)
    CONTEXT = "context"  # the paragraph around something an earlier answer showed
    WHO = "who"  # a person card
    CONFIG = "config"  # a server's settings
    WHEN = "when"  # an event's dates, each with the sentence that states it
    TIMELINE = "timeline"  # dated entries in order
    PROMPT = "prompt"  # a discussion prompt: the question, the passage it is about, its source
    PROMPTS = "prompts"  # a server's own prompts and members' suggestions
    PROMPT_SCHEDULE = "prompt_schedule"  # a server's daily prompt: where, when, next, state
    PLAN = "plan"  # a server's reading plan: this week's section, what comes next, the dates
    ANSWER = "answer"  # a plain question answered: the headline is the answer, items its sentences
    COMPARE = "compare"  # what each text says of a topic (items), where they disagree
    NEAREST = "nearest"  # no sentence answers it; the closest the texts come, labelled so
    CHOOSE = "choose"  # the input fits several things: suggestions lists them to pick from
    NOT_FOUND = "not_found"  # a well-formed question the corpus has no answer to
    ERROR = "error"  # the input itself is wrong (unknown command, empty, too long)


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Where an item comes from: the text, its section and paragraph."""

    slug: str
    title: str
    author: str | None = None
    section: str | None = None
    paragraph: int | None = None

    @classmethod
    def of(cls, hit: Located) -> SourceRef:
        """Where a search hit (a passage, a quotation or a sentence) stands."""
        return cls(hit.source_slug, hit.source_title, hit.source_author,
                   section=hit.section_title, paragraph=hit.paragraph_index)

    def where(self) -> str:
        """The line under a quoted sentence: *title*, author, section, paragraph."""
        bits = [f"*{self.title}*", *(x for x in (self.author, self.section) if x)]
        if self.paragraph is not None:
            bits.append(f"paragraph {self.paragraph + 1}")
        return ", ".join(bits)


class Located(Protocol):
    """What every kind of search hit says about where it stands."""

    @property
    def source_slug(self) -> str: ...
    @property
    def source_title(self) -> str: ...
    @property
    def source_author(self) -> str | None: ...
    @property
    def section_title(self) -> str | None: ...
    @property
    def paragraph_index(self) -> int: ...


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    value: str
    inline: bool = False


@dataclass(frozen=True, slots=True)
class Item:
    """One result in a list answer (a passage, a quotation, a text...)."""

    title: str
    body: str
    source: SourceRef | None = None
    citation: str | None = None  # the original citation resolved to a full reference
    highlight: str | None = None  # the body with matched words marked **like this**


@dataclass(frozen=True, slots=True)
class Answer:
    kind: AnswerKind
    title: str
    body: str = ""
    fields: list[Field] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    sources: list[SourceRef] = field(default_factory=list)
    citations: list[str] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    #: What a follow-up ("show the context") needs to find this answer's subject again, in
    #: terms that survive a re-ingest (row ids do not): e.g. "quote:<slug>:<paragraph>:<start>".
    ref: str | None = None

    @property
    def listed_items(self) -> list[Item]:
        """The items a surface lists. A plain answer's sentence is both its body and its first
        item (for JSON readers); it is shown once."""
        if self.kind not in (AnswerKind.ANSWER, AnswerKind.NEAREST):
            return list(self.items)
        return [item for item in self.items if not (item.body and item.body in self.body)]

    @property
    def ok(self) -> bool:
        return self.kind not in (AnswerKind.ERROR,)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["kind"] = self.kind.value
        data["schema"] = 1
        return data
