"""Parsing on the real corpus: sections, quotations, notes and every citation form."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.corpus.errors import CorpusError
from bot.corpus.load import load_text
from bot.corpus.model import BlockKind, CitationKind, QuoteKind
from tests.corpus_helpers import parsed

LEAD = "to-lead-the-people"
PLATYPUS = "to-topple-the-stalinist-bureaucracy"
MEDIUM = "revolutionary-appraised"


def _note(slug: str, number: int):
    return next(n for n in parsed(slug).notes if n.number == number)


def _section_titles(slug: str) -> list[str | None]:
    return [s.title for s in parsed(slug).sections]


def test_sections_are_found_under_their_headings() -> None:
    assert "War Communism: 1917-21" in _section_titles(LEAD)
    assert "In Conclusion" in _section_titles(LEAD)
    assert {"Political History I", "Political History II", "Conclusions"} <= set(
        _section_titles(MEDIUM))
    assert "1923-1927 — The Left Opposition" in _section_titles("life-of-leon-trotsky")


def test_paragraphs_and_sentences() -> None:
    text = parsed(LEAD)
    body = [p for p in text.paragraphs if p.kind is BlockKind.BODY]
    assert len(body) > 100
    first = next(p for p in body if p.text.startswith("According to Marx"))
    assert len(first.sentence_texts()) == 3
    assert first.sentence_texts()[0].startswith("According to Marx")


@pytest.mark.parametrize(("number", "author", "title", "page"), [
    (8, "John Reed", "Ten Days that Shook the World", "p. 29"),
    (17, "John Reed", "Ten Days that Shook the World", "p. 57"),  # Reed, op. cit.
    (4, "E.H. Carr", "The Bolshevik Revolution, Vol. I", "p. 65"),  # Ibid. keeps the page
    (5, "E.H. Carr", "The Bolshevik Revolution, Vol. I", "p. 73"),  # Ibid., p. 73
    (11, "V.I. Lenin", "State and Revolution", "p. 200"),
    (35, "Leon Trotsky", "Stalin: An appraisal of the man and his influence", "p. 385"),
    (42, "E.H. Carr", "The Bolshevik Revolution, Vol. I", "pp. 195, 202"),
    (97, "Leon Trotsky", "Leon Trotsky Speaks", "p. 174"),  # "Sarah Lovell, Trotsky Speaks"
    (134, "Isaac Deutscher", "The Prophet Outcast, Vol. III", "pp. 118-19"),  # "Vio. III"
    (147, "Isaac Deutscher", "The Prophet Unarmed, Vol. II", "p. 380"),  # "Deutscher, Vol. II"
    (152, "Joseph Hansen", "Stalin’s Frame-Up System and the Moscow Trials", "p. xiii"),
    (164, "Daniel and Gabriel Cohn-Bendit", "Obsolete Communism: The Left-Wing Alternative",
     "p. 250"),
])
def test_endnotes_resolve_op_cit_and_ibid(number, author, title, page) -> None:
    note = _note(LEAD, number)
    assert (note.work.author, note.work.title) == (author, title)
    from bot.corpus.model import format_page
    assert format_page(note.page) == page


def test_a_work_first_cited_short_is_not_confused_with_another() -> None:
    # Note 50 cites The Prophet Armed before any full reference to it: not The Prophet Unarmed.
    assert _note(LEAD, 50).work.title == "The Prophet Armed"


def test_quoted_in_is_kept() -> None:
    assert _note(LEAD, 18).quoted_in and _note(LEAD, 18).work.author == "Alfred G. Meyer"


def test_bracketed_notes_of_the_platypus_essay_resolve() -> None:
    notes = {n.label: n for n in parsed(PLATYPUS).notes}
    assert len(notes) == 24
    assert notes["[2]"].work.title == "History of the Russian Revolution"  # Ibid.
    assert notes["[2]"].page == "739"
    assert notes["[17]"].work.title == "The Prophet Outcast: Trotsky 1929-1940"  # short form
    assert notes["[17]"].page == "258-261"
    assert notes["[18]"].work.title == "The Serge-Trotsky Papers"
    citations = [c for p in parsed(PLATYPUS).paragraphs for c in p.citations
                 if c.kind is CitationKind.BRACKET]
    assert len(citations) == 24 and all(c.resolved for c in citations)


def _citations(slug: str, marker: str):
    return [c for p in parsed(slug).paragraphs for c in p.citations if c.marker == marker]


def test_parenthetical_citations_resolve_to_the_reference_list() -> None:
    (trotsky_66,) = _citations(MEDIUM, "(Trotsky, 66)")
    assert trotsky_66.display() == "Leon Trotsky, *The Revolution Betrayed*, p. 66"
    (range_cite,) = _citations(MEDIUM, "(Trotsky, 71–72)")
    assert range_cite.display() == "Leon Trotsky, *The Revolution Betrayed*, pp. 71–72"
    (serge,) = _citations(MEDIUM, "(Serge, 326)")
    assert serge.work.title == "Memoirs of a Revolutionary"
    assert not _citations(MEDIUM, "(January, 1992)")  # a date inside a reference, not a cite


def test_acronym_and_bare_page_references_resolve_to_the_book_discussed() -> None:
    (trb,) = _citations(PLATYPUS, "(TRB, 76)")
    assert trb.work.title == "The Revolution Betrayed"
    (page,) = _citations(PLATYPUS, "(190)")
    assert page.kind is CitationKind.PAGE
    assert page.display() == "Leon Trotsky, *The Revolution Betrayed*, p. 190"
    assert not _citations(PLATYPUS, "(1906)")  # a year is not a page


def test_endnote_markers_are_linked_in_order() -> None:
    markers = [c.note_number for p in parsed(LEAD).paragraphs for c in p.citations
               if c.kind is CitationKind.ENDNOTE]
    assert len(markers) >= 150
    assert markers == sorted(markers)


def test_mediocrity_quotation_is_extracted_with_its_passage() -> None:
    text = parsed(LEAD)
    quote = next(q for q in text.quotations if q.text.startswith("Mediocrity, yes; nonentity, no"))
    passage = text.paragraphs[quote.paragraph_index]
    assert passage.kind is BlockKind.EPIGRAPH
    assert "I said to Smirnov" in passage.text
    assert quote.citation.work.title == "Stalin: An appraisal of the man and his influence"


def test_epigraph_signature_and_note() -> None:
    engels = next(q for q in parsed(LEAD).quotations if q.kind is QuoteKind.EPIGRAPH)
    assert engels.signature == "Friedrich Engels"
    assert engels.text.endswith("irrevocably doomed.")
    assert engels.citation.work.title == "The Peasant War in Germany"


def test_endnoted_quotation_shows_resolved_book_and_page() -> None:
    quote = next(q for q in parsed(LEAD).quotations if q.text.startswith("All night long the 23rd"))
    assert quote.kind is QuoteKind.BLOCK
    assert quote.citation.display() == "John Reed, *Ten Days that Shook the World*, p. 57"


def test_block_quotation_of_the_leopard_passage() -> None:
    quote = next(q for q in parsed(MEDIUM).quotations if "leopard changing his spots" in q.text)
    assert quote.kind is QuoteKind.BLOCK


def test_inline_quotes_curly_and_nested() -> None:
    text = parsed("struggle-against-stalinism")
    first = text.quotations[0]
    assert first.text.startswith("Either the Russian revolution will raise the whirlwind")
    assert first.text.endswith("crush our revolution.")


# --- a text a group drops in -----------------------------------------------------------

def test_plain_text_without_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "My Notes.txt"
    path.write_bytes(
        "Reading notes on Kronstadt\n\nThe Rising\n\nIn March 1921 the sailors said “we want "
        "soviets without parties” and were crushed.\nThe line continues here.\n".encode("cp1252")
    )
    text = load_text(path)
    assert text.meta.title == "Reading notes on Kronstadt"
    assert text.meta.slug == "my-notes"
    assert [s.title for s in text.sections] == ["The Rising"]
    assert text.quotations[0].text == "we want soviets without parties"
    assert "The line continues here." in text.paragraphs[0].text  # hard-wrapped lines joined


@pytest.mark.parametrize(("content", "message"), [
    (b"---\ntitle: [unclosed\n---\nBody\n", "front matter is not valid YAML"),
    (b"---\ntitle: Fine\npublished: last spring\n---\nBody\n", "published: expected YYYY"),
    (b"\x00\x01\x02binary", "binary"),
    (b"---\ntitle: Only a title\n---\n", "no text"),
])
def test_bad_files_fail_with_file_and_reason(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.md"
    path.write_bytes(content)
    with pytest.raises(CorpusError) as error:
        load_text(path)
    assert str(path) in str(error.value) and message in str(error.value)


def test_utf8_bom_and_windows_line_endings(tmp_path: Path) -> None:
    path = tmp_path / "bom.md"
    path.write_bytes("\ufeff---\r\ntitle: Café Trotsky\r\n---\r\nLe café “était” ouvert.\r\n"
                     .encode("utf-8"))
    text = load_text(path)
    assert text.meta.title == "Café Trotsky"
    assert text.quotations[0].text == "était"


def test_a_collection_acronym_resolves_and_every_citation_in_the_corpus_resolves() -> None:
    (wlt,) = _citations(PLATYPUS, "(WLT, 118)")
    assert wlt.work.title == "Writings of Leon Trotsky"
    from tests.corpus.test_corpus_files import SLUGS
    unresolved = [c.marker for s in SLUGS for p in parsed(s).paragraphs for c in p.citations
                  if not c.resolved]
    assert unresolved == []
