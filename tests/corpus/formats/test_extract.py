"""Each format converted to the corpus's Markdown: chapters as sections, notes resolved,
metadata as front matter, page chrome dropped; dropped-in files read the same way."""

from __future__ import annotations

import pytest

from bot.corpus.files import content_hash, discover_texts
from bot.corpus.formats import FormatError, to_markdown
from bot.corpus.load import load_text, parse_document
from bot.corpus.model import BlockKind, ParsedText
from tests.corpus.formats.builders import build_epub, build_pdf, write_html


def _parsed(path) -> ParsedText:
    document = to_markdown(path).document(path.stem)
    return parse_document(document, path.with_suffix(".md"), content_hash(document.encode()))


def _chapters(text: ParsedText) -> list[str]:
    with_text = {p.section_index for p in text.paragraphs if p.kind is BlockKind.BODY}
    return [s.title for s in text.sections if s.index in with_text]


def _cited(text: ParsedText, words: str) -> list[tuple[str | None, str | None, str | None]]:
    """(author, title, page) of every citation in the paragraph holding ``words``."""
    paragraph = next(p for p in text.paragraphs if words in p.text)
    return [(c.work.author if c.work else None, c.work.title if c.work else None, c.page)
            for c in paragraph.citations]


def test_an_epub3_becomes_chapters_with_its_footnote_and_endnote_resolved(tmp_path) -> None:
    text = _parsed(build_epub(tmp_path / "minutes.epub"))
    assert text.meta.title == "The Minutes of the Harbour Street Circle"
    assert text.meta.author == "Tomasz Wilk"
    assert text.meta.publication == "Back Room Press"
    assert (text.meta.published.year, text.meta.published.month, text.meta.published.day) \
        == (2009, 6, 12)
    assert _chapters(text) == ["The First Evening", "The Debate on the Trials"]
    # the footnote (an aside in the chapter) and the endnote (in a notes file) are notes,
    # taken out of the running text and cited where their marks were
    assert _cited(text, "slow reading") == [("Ellen Marsh", "A Notice on the Corkboard", "p. 3")]
    assert _cited(text, "never been so full") == [("Tomasz Wilk", "Minutes of the Circle",
                                                   "p. 44")]
    assert not any("Corkboard" in p.text for p in text.paragraphs if p.kind is BlockKind.BODY)
    assert text.warnings == []


def test_an_epub2_takes_its_chapter_names_from_the_ncx(tmp_path) -> None:
    text = _parsed(build_epub(tmp_path / "minutes.epub", version=2))
    assert _chapters(text) == ["I. The First Evening", "II. The Debate on the Trials"]
    assert _cited(text, "never been so full") == [("Tomasz Wilk", "Minutes of the Circle",
                                                   "p. 44")]
    assert _cited(text, "slow reading") == [("Ellen Marsh", "A Notice on the Corkboard", "p. 3")]


def test_a_saved_page_keeps_the_article_and_drops_menus_comments_and_footer(tmp_path) -> None:
    text = _parsed(write_html(tmp_path / "kronstadt.html"))
    assert (text.meta.title, text.meta.author, text.meta.publication) == (
        "The Kronstadt Question Revisited", "Ellen Marsh", "Harbour Street Review")
    assert text.meta.published is not None and text.meta.published.year == 2021
    assert _chapters(text) == ["The sailors' demands", "What the reading circle made of it"]
    words = " ".join(p.text for p in text.paragraphs)
    for chrome in ("Donate today", "Subscribe to our newsletter", "Great piece",
                   "All rights reserved", "3 comments"):
        assert chrome not in words
    assert _cited(text, "grain requisitions") == [("Paul Avrich", "Kronstadt 1921", "p. 73")]
    assert _cited(text, "sailors of 1921 were not") == [
        ("Tomasz Wilk", "Minutes of the Circle", "p. 61")]
    assert "↩" not in " ".join(n.text for n in text.notes)


def test_a_pdf_gets_its_headings_from_font_size_and_its_footnote_resolved(tmp_path) -> None:
    text = _parsed(build_pdf(tmp_path / "caste.pdf"))
    assert (text.meta.title, text.meta.author) == ("The Caste in Power", "Harbour Street Circle")
    assert text.meta.published is None  # the information dictionary's dates are the file's
    assert _chapters(text) == ["Chapter One: The Caste in Power", "Chapter Two: The Thermidor"]
    first = next(p for p in text.paragraphs if "privileged caste" in p.text)
    # hard-wrapped lines are one paragraph; the page number is not text
    assert first.text.startswith("Trotsky argued that the Soviet bureaucracy had raised itself "
                                 "above the working class, and he wrote")
    assert _cited(text, "privileged caste") == [("Leon Trotsky", "The Revolution Betrayed",
                                                 "p. 249")]
    assert not any(p.text.strip() in ("1", "2") for p in text.paragraphs)


def test_files_dropped_into_the_folder_are_texts_read_through_their_converter(tmp_path) -> None:
    build_epub(tmp_path / "minutes.epub")
    write_html(tmp_path / "kronstadt.html")
    (tmp_path / "cover.jpg").write_bytes(b"\xff\xd8\xff")
    assert [p.name for p in discover_texts(tmp_path)] == ["kronstadt.html", "minutes.epub"]
    text = load_text(tmp_path / "minutes.epub")
    assert text.meta.slug == "minutes"
    assert text.content_hash == content_hash((tmp_path / "minutes.epub").read_bytes())
    assert _chapters(text) == ["The First Evening", "The Debate on the Trials"]


@pytest.mark.parametrize("name, data, problem", [
    ("broken.epub", b"PK\x03\x04 this is not really a zip", "is not a readable EPUB"),
    ("image.pdf", None, "has no text layer"),
    ("truncated.pdf", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", "is not a readable PDF"),
])
def test_a_file_that_cannot_be_converted_says_so_by_name(tmp_path, name, data, problem) -> None:
    path = tmp_path / name
    if data is None:
        build_pdf(path, image_only=True)
    else:
        path.write_bytes(data)
    with pytest.raises(FormatError) as raised:
        load_text(path)
    assert str(raised.value).startswith(f"{path}: {problem}")
