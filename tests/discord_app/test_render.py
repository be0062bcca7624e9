"""render.py keeps every reply inside Discord's limits whatever the answer holds.

Inputs are adversarial on purpose: 10,000-character bodies, 100 items, 30 fields, titles of
1000 characters, words longer than any limit, unbalanced bold marks. Each page is checked
against the stand-in's copy of Discord's server-side rules as well as the numbers directly.
"""

from __future__ import annotations

import pytest

from bot.answers.conversation.router import help_answer
from bot.answers.core.model import Answer, AnswerKind, Field, Item, SourceRef
from bot.answers.texts.search import search
from bot.answers.texts.sources import list_sources
from bot.discord_app import limits as dl
from bot.discord_app import render as r
from tests.answer_helpers import connected_bot_context
from tests.discord_standin import limits

WORDS = ["Soviet", "Thermidor", "bureaucracy", "planned", "economy", "workers", "state",
         "degeneration", "Kronstadt", "Bonapartism", "commissar"]


def prose(chars: int, seed: int = 0) -> str:
    """Word-y text of about ``chars`` characters (word boundaries matter for the cuts)."""
    out: list[str] = []
    length, i = 0, seed
    while length < chars:
        word = WORDS[i % len(WORDS)]
        out.append(word)
        length += len(word) + 1
        i += 1
    return " ".join(out)[:chars]


def item(n: int, body_chars: int = 10_000, title_chars: int = 1000) -> Item:
    body = prose(body_chars, n)
    return Item(
        title=f"Text {n} " + prose(title_chars, n),
        body=body,
        highlight=body.replace("bureaucracy", "**bureaucracy**"),
        source=SourceRef(slug=f"text-{n}", title=f"Text {n}", paragraph=n),
        citation=prose(600, n),
    )


def assert_within_limits(embed) -> None:
    data = embed.to_dict()
    assert limits.message_problems({"embeds": [data]}, creating=True) == []
    assert len(data.get("title") or "") <= dl.EMBED_TITLE_MAX
    assert len(data.get("description") or "") <= dl.EMBED_DESCRIPTION_MAX
    assert len(data.get("fields") or []) <= dl.EMBED_FIELDS_MAX
    for field in data.get("fields") or []:
        assert 0 < len(field["name"]) <= dl.EMBED_FIELD_NAME_MAX
        assert 0 < len(field["value"]) <= dl.EMBED_FIELD_VALUE_MAX
    assert len((data.get("footer") or {}).get("text") or "") <= dl.EMBED_FOOTER_MAX
    assert len(embed) <= dl.EMBED_TOTAL_MAX
    assert limits.embed_text_length(data) == len(embed)


ADVERSARIAL = {
    "long body": Answer(AnswerKind.HELP, "Help", prose(10_000)),
    "long title": Answer(AnswerKind.HELP, "T" * 1000 + " " + prose(1000), prose(5000)),
    "one huge word": Answer(AnswerKind.HELP, "x" * 5000, "y" * 10_000,
                            fields=[Field("z" * 2000, "w" * 5000)]),
    "100 items": Answer(AnswerKind.SEARCH, prose(1000), prose(10_000),
                        items=[item(n) for n in range(100)],
                        citations=[prose(3000)], suggestions=[prose(3000)] * 5),
    "30 fields": Answer(AnswerKind.HELP, prose(1000), prose(10_000),
                        fields=[Field(prose(500, n), prose(2000, n)) for n in range(30)]),
    "fields and items": Answer(AnswerKind.SOURCES, "Mixed",
                               fields=[Field(prose(300), prose(3000))] * 3,
                               items=[item(n) for n in range(7)]),
    "empty strings": Answer(AnswerKind.SOURCES, "", "", fields=[Field("", "")],
                            items=[Item("", "")]),
    "whitespace": Answer(AnswerKind.HELP, "   ", " \n\t ", fields=[Field(" ", "\n")]),
    "nothing at all": Answer(AnswerKind.SOURCES, ""),
}


@pytest.mark.parametrize("name", list(ADVERSARIAL))
def test_every_page_is_within_discord_limits(name: str) -> None:
    reply = r.render(ADVERSARIAL[name])
    assert reply.content is None and not reply.ephemeral
    assert len(reply.pages) >= 1
    for page in reply.pages:
        assert_within_limits(page)


@pytest.mark.parametrize("page_size", [1, 5, 10, 25, 40])
def test_page_size_never_breaks_limits(page_size: int) -> None:
    pages = r.render_pages(ADVERSARIAL["100 items"], page_size=page_size)
    assert len(pages) == -(-100 // min(page_size, dl.EMBED_FIELDS_MAX))
    for page in pages:
        assert_within_limits(page)


def test_results_are_paged_five_per_page_with_a_counter() -> None:
    pages = r.render(ADVERSARIAL["100 items"]).pages
    assert len(pages) == 20
    assert [len(p.fields) for p in pages] == [r.PAGE_SIZE] * 20
    assert pages[0].footer.text.startswith("page 1/20")
    assert pages[19].footer.text.startswith("page 20/20")
    # numbering continues across pages, so "result 7" means the same thing on every page
    assert pages[1].fields[0].name.startswith("6. Text 5")


def test_long_text_is_cut_at_a_word_boundary_with_a_pointer() -> None:
    answer = Answer(AnswerKind.SEARCH, "Passages", items=[item(1)])
    (field,) = r.render(answer).pages[0].fields
    text, location = field.value.split("\n", 1)  # the location line is never cut away
    assert text.endswith("…" + r.CUT_POINTER)
    kept = text.removesuffix("…" + r.CUT_POINTER)
    plain = kept.replace("**", "")
    original = item(1).body
    assert original.startswith(plain)
    assert original[len(plain)] == " "  # cut between words, not inside one
    assert location.startswith("*paragraph 2 of `text-1`*\nSource: ")


def test_a_cut_never_leaves_bold_open() -> None:
    body = " ".join(["**bureaucracy** of the state"] * 400)
    answer = Answer(AnswerKind.SEARCH, "Passages", items=[Item("t", body, highlight=body)])
    for n in range(1, 60):
        assert r.balance_bold(r.fit(body, n)).count("**") % 2 == 0
    (field,) = r.render(answer).pages[0].fields
    assert field.value.count("**") % 2 == 0


@pytest.mark.parametrize("limit", range(0, 60))
def test_fit_never_exceeds_its_limit(limit: int) -> None:
    for text in (prose(500), "x" * 500, "a b " * 100, ""):
        assert len(r.fit(text, limit, r.CUT_POINTER)) <= limit


@pytest.mark.parametrize("kind", [AnswerKind.ERROR, AnswerKind.NOT_FOUND])
def test_problems_become_short_private_messages(kind: AnswerKind) -> None:
    answer = Answer(kind, prose(1000), prose(10_000), suggestions=[prose(500)] * 20)
    reply = r.render(answer)
    assert reply.ephemeral and reply.pages == ()
    assert reply.content is not None
    assert len(reply.content) <= r.SHORT_REPLY_MAX <= dl.CONTENT_MAX
    assert reply.content.startswith("**")
    assert "Try: `" in reply.content
    assert limits.message_problems({"content": reply.content}, creating=True) == []


def test_short_message_keeps_a_short_problem_whole() -> None:
    answer = Answer(AnswerKind.ERROR, "What should I look for?",
                    "Type a few words after the command.", suggestions=["/search bureaucracy"])
    assert r.render_short(answer) == ("**What should I look for?**\n"
                                      "Type a few words after the command.\n"
                                      "Try: `/search bureaucracy`")


def test_a_private_not_found_keeps_its_nearest_result() -> None:
    """A lookup only the asker sees ("Find in the texts") shows its closest passage."""
    closest = Item("The closest passage — The essay", prose(3000),
                   source=SourceRef("essay", "The essay", paragraph=4))
    answer = Answer(AnswerKind.NOT_FOUND, "Not in the texts", "No passage has these words.",
                    items=[closest])
    assert r.render(answer).content is not None  # elsewhere: the usual short line
    reply = r.render(answer, private=True)
    assert reply.ephemeral and reply.content is None
    (page,) = reply.pages
    assert page.fields[0].name == "1. The closest passage — The essay"
    assert "paragraph 5 of `essay`" in page.fields[0].value
    assert_within_limits(page)
    assert r.render(Answer(AnswerKind.NOT_FOUND, "Nothing"), private=True).content is not None


def test_help_is_one_page_with_every_command() -> None:
    (page,) = r.render(help_answer()).pages
    assert [f.name for f in page.fields] == ["/sources", "/search", "/quote", "/who", "/when",
                                             "/timeline", "/compare", "/prompt", "/ask", "/plan",
                                             "Find in the texts", "/help"]
    assert page.footer.text is None  # no page counter on a single page
    assert_within_limits(page)


@pytest.fixture(scope="module")
def ctx(tmp_path_factory):
    return connected_bot_context(tmp_path_factory.mktemp("render") / "render.sqlite3")


def test_real_answers_render_within_limits(ctx) -> None:
    sources = r.render(list_sources(ctx))
    assert len(sources.pages) == 1 and len(sources.pages[0].fields) == 5
    results = r.render(search(ctx, "bureaucracy"))
    assert len(results.pages) == 2
    for page in (*sources.pages, *results.pages):
        assert_within_limits(page)
