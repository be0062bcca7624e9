"""``python -m bot add``: a group's EPUB, saved page and PDF become texts the bot answers from;
bad files are refused by name, with nothing half-written left in the corpus."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.answers.conversation.router import ask
from bot.cli.main import main
from bot.cli.render import render_text
from bot.config import Settings
from bot.services import Services, open_services
from tests.corpus.formats.builders import HTML_NO_ARTICLE, build_epub, build_pdf, write_html
from tests.corpus_helpers import TEXTS


def _corpus(root: Path) -> Path:
    """A copy of the real corpus and a config.yaml pointing at it; returns the config."""
    shutil.copytree(TEXTS.parent, root / "corpus")
    config = root / "config.yaml"
    config.write_text("corpus_dir: corpus\ndata_dir: data\n", encoding="utf-8")
    return config


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def added(tmp_path_factory) -> tuple[Path, str]:
    """The three files added to a copy of the corpus through the CLI, and what it printed."""
    root = tmp_path_factory.mktemp("byo")
    config = _corpus(root)
    incoming = root / "incoming"
    incoming.mkdir()
    build_epub(incoming / "harbour-minutes.epub")
    write_html(incoming / "kronstadt-revisited.html")
    build_pdf(incoming / "caste-in-power.pdf")
    (incoming / "kronstadt-revisited_files").mkdir()  # what a browser saves beside a page
    return root, _run(config, ["add", str(incoming)])


def _run(config: Path, argv: list[str]) -> str:
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--config", str(config), *argv])
    return f"exit {code}\n{out.getvalue()}{err.getvalue()}"


@pytest.fixture(scope="module")
def services(added) -> Services:
    root, _output = added
    settings = Settings(corpus_dir=root / "corpus",
                        database_url=f"sqlite:///{root / 'byo.sqlite3'}")
    opened = open_services(settings)
    yield opened
    opened.close()


def _ask(services: Services, text: str) -> str:
    return render_text(ask(services.answers, text, prompts=services.prompts))


def test_add_says_what_it_wrote_and_keeps_each_original(added) -> None:
    root, output = added
    assert output.startswith("exit 0\n")
    assert "Added “The Minutes of the Harbour Street Circle” as " in output
    assert "harbour-minutes.md (slug harbour-minutes: 2 sections, 2 notes)" in output
    assert "kronstadt-revisited.md (slug kronstadt-revisited: 2 sections, 3 notes)" in output
    assert "caste-in-power.md (slug caste-in-power: 2 sections, 1 note)" in output
    assert "Traceback" not in output
    files = _files(root / "corpus" / "texts")
    assert {"harbour-minutes.md", "originals/harbour-minutes.epub", "kronstadt-revisited.md",
            "originals/kronstadt-revisited.html", "caste-in-power.md",
            "originals/caste-in-power.pdf"} <= files
    written = (root / "corpus" / "texts" / "harbour-minutes.md").read_text(encoding="utf-8")
    assert written.startswith("---\ntitle: The Minutes of the Harbour Street Circle\n"
                              "slug: harbour-minutes\nauthor: Tomasz Wilk\n")


def test_search_finds_a_passage_of_the_epub_under_its_chapter(services) -> None:
    shown = _ask(services, "/search hall had never been so full")
    first = shown.split("\n\n")[1]
    assert "The Minutes of the Harbour Street Circle — The Debate on the Trials" in first
    assert "[harbour-minutes, paragraph" in first


@pytest.mark.parametrize("words, shown_lines", [
    # the EPUB's footnote (an aside in its chapter)
    ("a slow reading of the Betrayed",
     ["“a slow reading of the Betrayed for anyone who is curious.”",
      "section “The First Evening”",
      "Original source: Ellen Marsh, *A Notice on the Corkboard*, p. 3"]),
    # the saved page's endnote (a list at the article's end)
    ("the sailors of 1921 were not the sailors of 1917",
     ["In: *The Kronstadt Question Revisited* — Ellen Marsh · Harbour Street Review",
      "section “What the reading circle made of it”",
      "Original source: Tomasz Wilk, *Minutes of the Circle*, p. 61"]),
    # the PDF's footnote at the page's foot
    ("not a possessing class but a privileged caste",
     ["section “Chapter One: The Caste in Power”",
      "Original source: Leon Trotsky, *The Revolution Betrayed*, p. 249"]),
])
def test_quote_names_the_chapter_and_resolves_the_note(services, words, shown_lines) -> None:
    shown = _ask(services, f"/quote {words}")
    for line in shown_lines:
        assert line in shown


def test_who_counts_the_new_texts_mentions(services) -> None:
    shown = _ask(services, "/who Tukhachevsky")
    assert shown.startswith("Tukhachevsky")
    assert "The Kronstadt Question Revisited" in shown


def test_sources_lists_the_new_texts_with_author_and_date(services) -> None:
    shown = _ask(services, "/sources")
    assert "The Minutes of the Harbour Street Circle\n   Tomasz Wilk · Back Room Press · " \
           "12 June 2009" in shown
    assert "The Kronstadt Question Revisited\n   Ellen Marsh · Harbour Street Review · " \
           "18 March 2021" in shown
    assert "The Caste in Power\n   Harbour Street Circle" in shown


def test_the_pages_chrome_is_not_searchable(services) -> None:
    for words in ("subscribe to our newsletter", "all rights reserved privacy policy"):
        assert "kronstadt-revisited" not in _ask(services, f"/search {words}")


def test_add_refuses_to_overwrite_a_text_without_replace(added) -> None:
    root, _output = added
    config = root / "config.yaml"
    epub = root / "incoming" / "harbour-minutes.epub"
    target = root / "corpus" / "texts" / "harbour-minutes.md"
    before = target.read_bytes()
    output = _run(config, ["add", str(epub)])
    assert output.startswith("exit 2\n")
    assert "harbour-minutes.md already holds the text 'harbour-minutes'; add --replace" in output
    assert target.read_bytes() == before
    output = _run(config, ["add", "--replace", str(epub)])
    assert output.startswith("exit 0\nReplaced “The Minutes of the Harbour Street Circle”")
    # a curated essay is a text like any other: a file named after it is refused too
    other = root / "incoming" / "elsewhere"
    other.mkdir()
    build_pdf(other / "life-of-leon-trotsky.pdf")
    essay = root / "corpus" / "texts" / "life-of-leon-trotsky.md"
    before = essay.read_bytes()
    output = _run(config, ["add", str(other / "life-of-leon-trotsky.pdf")])
    assert output.startswith("exit 2\n")
    assert "life-of-leon-trotsky.md already holds the text 'life-of-leon-trotsky'" in output
    assert essay.read_bytes() == before
    assert not (root / "corpus" / "texts" / "originals" / "life-of-leon-trotsky.pdf").exists()


@pytest.mark.parametrize("name, make, problem", [
    ("book.epub", lambda p: p.write_bytes(b"PK\x03\x04 not a zip at all"),
     "is not a readable EPUB (not a zip archive"),
    ("empty.epub", lambda p: _zip(p, {"mimetype": b"application/epub+zip"}),
     "is not a readable EPUB (it has no META-INF/container.xml)"),
    ("locked.epub", lambda p: _zip(p, {
        "META-INF/container.xml": b"<container/>",
        "META-INF/encryption.xml": b'<encryption><CipherReference URI="OEBPS/ch1.xhtml"/>'
                                   b"</encryption>"}), "is DRM-protected"),
    ("menu.html", lambda p: write_html(p, HTML_NO_ARTICLE), "has no article I could find"),
    ("scan.pdf", lambda p: build_pdf(p, image_only=True), "has no text layer"),
    ("notes.docx", lambda p: p.write_bytes(b"PK\x03\x04"), "is not a kind of file I can read "
                                                           "(.docx)"),
    ("huge.pdf", lambda p: _sparse(p, 101 * 1024 * 1024), "is too large (101 MB; the limit"),
    ("huge.txt", lambda p: _sparse(p, 21 * 1024 * 1024), "too large"),
])
def test_a_bad_file_is_refused_by_name_and_nothing_is_written(tmp_path, name, make,
                                                              problem) -> None:
    config = _corpus(tmp_path)
    texts = tmp_path / "corpus" / "texts"
    before = _files(texts)
    path = tmp_path / name
    make(path)
    output = _run(config, ["add", str(path)])
    assert output.startswith("exit 2\n")
    assert f"Not added: {path}: {problem}" in output
    assert "Traceback" not in output and len(output.splitlines()) <= 3
    assert _files(texts) == before


def test_a_missing_file_and_an_empty_folder_are_said_plainly(tmp_path) -> None:
    config = _corpus(tmp_path)
    assert f"Not added: {tmp_path / 'nope.epub'}: no such file" in _run(
        config, ["add", str(tmp_path / "nope.epub")])
    (tmp_path / "empty").mkdir()
    assert "Nothing to add" in _run(config, ["add", str(tmp_path / "empty")])


def test_a_dropped_in_epub_added_later_moves_to_originals(tmp_path) -> None:
    config = _corpus(tmp_path)
    texts = tmp_path / "corpus" / "texts"
    build_epub(texts / "minutes.epub")
    output = _run(config, ["add", str(texts / "minutes.epub")])
    assert output.startswith("exit 0\nAdded")
    assert (texts / "minutes.md").is_file() and (texts / "originals" / "minutes.epub").is_file()
    assert not (texts / "minutes.epub").exists()  # else two files would claim one slug


def _zip(path: Path, files: dict[str, bytes]) -> None:
    import zipfile

    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)


def _sparse(path: Path, size: int) -> None:
    """A file of ``size`` bytes that takes no disk space."""
    with path.open("wb") as handle:
        handle.truncate(size)


def test_an_epub_dropped_into_the_folder_is_answered_at_the_next_start(tmp_path) -> None:
    _corpus(tmp_path)
    build_epub(tmp_path / "corpus" / "texts" / "minutes.epub")
    settings = Settings(corpus_dir=tmp_path / "corpus",
                        database_url=f"sqlite:///{tmp_path / 'dropped.sqlite3'}")
    opened = open_services(settings)
    try:
        shown = _ask(opened, "/quote hall had never been so full")
        assert "section “The Debate on the Trials”" in shown
        assert "Original source: Tomasz Wilk, *Minutes of the Circle*, p. 44" in shown
    finally:
        opened.close()
    assert _files(tmp_path / "corpus" / "texts") >= {"minutes.epub"}  # read where it lies
