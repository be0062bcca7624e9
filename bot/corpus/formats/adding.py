"""``python -m bot add``: a group's own file becomes a text of the corpus folder.

An EPUB, web page or PDF is converted to ``<slug>.md`` (front matter from its metadata) and
the file itself is kept as ``originals/<slug>.<ext>``, so a better extractor can redo it
(``add --replace originals/<slug>.epub``). A ``.md`` or ``.txt`` is copied as it is. Either
way the text is parsed before anything is written, an existing text is never overwritten
without ``replace``, and files are written under a hidden temporary name and renamed into
place, so a failure leaves nothing half-written in the folder.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from bot.corpus.errors import CorpusError
from bot.corpus.files import TEXT_SUFFIXES, content_hash, discover_texts
from bot.corpus.formats import is_converted, to_markdown
from bot.corpus.load import decode, load_text, parse_document, slugify, split_front_matter
from bot.corpus.model import BlockKind, ParsedText

ORIGINALS = "originals"


class AddError(CorpusError):
    """A file that cannot be added; str() names it and says what is wrong."""


@dataclass(frozen=True, slots=True)
class Added:
    source: Path
    text: Path  # the file the corpus reads
    original: Path | None  # the converted file, kept beside it
    slug: str
    title: str
    sections: int
    notes: int
    replaced: bool


def files_in(path: Path) -> tuple[list[Path], list[Path]]:
    """The files to add for a path (a folder: its files, not its subfolders), and those of a
    type that is not a text (a saved page's images), skipped."""
    if not path.is_dir():
        return [path], []
    files = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
    texts = [p for p in files if p.suffix.lower() in TEXT_SUFFIXES]
    return texts, [p for p in files if p not in texts]


def add_text(source: Path, texts_dir: Path, *, replace: bool = False,
             slug: str | None = None) -> Added:
    """Convert (or copy) one file into the texts folder; AddError when it cannot be."""
    if not source.is_file():
        raise AddError(source, "no such file" if not source.exists() else "is not a file")
    suffix = source.suffix.lower()
    if suffix not in TEXT_SUFFIXES:
        kinds = ", ".join(TEXT_SUFFIXES)
        raise AddError(source, f"is not a kind of file I can read ({suffix or 'no suffix'}); "
                               f"I read {kinds}")
    if slug is not None and slugify(slug) != slug:
        raise AddError(source, f"--slug: use lower-case letters, digits and dashes, "
                               f"e.g. {slugify(slug)!r}")
    if is_converted(source):
        slug = slug or slugify(source.stem)
        document = to_markdown(source).document(slug)
        target = texts_dir / f"{slug}.md"
        parsed = parse_document(document, target, content_hash(document.encode()))
        data = document.encode("utf-8")
        original: Path | None = texts_dir / ORIGINALS / f"{slug}{suffix}"
    else:
        parsed = load_text(source)  # its front matter may name the slug
        if slug and parsed.meta.slug != slug:
            raise AddError(source, f"its front matter says slug {parsed.meta.slug!r}; "
                                   "change it there rather than with --slug")
        slug = parsed.meta.slug
        target = texts_dir / f"{slug}{suffix}"
        data = source.read_bytes()
        original = None
    replaced = _check_free(slug, target, source, texts_dir, replace)
    _write(target, data, original, source)
    return Added(source=source, text=target, original=original, slug=slug,
                 title=parsed.meta.title, sections=_sections(parsed),
                 notes=len(parsed.notes), replaced=replaced)


def _sections(parsed: ParsedText) -> int:
    """Titled sections that hold the text's own words (not its notes or references)."""
    with_text = {p.section_index for p in parsed.paragraphs
                 if p.kind not in (BlockKind.NOTE, BlockKind.REFERENCE)}
    return sum(1 for s in parsed.sections if s.title and s.index in with_text)


def _check_free(slug: str, target: Path, source: Path, texts_dir: Path, replace: bool) -> bool:
    """Refuse a slug another text holds; True when ``target`` is replaced."""
    for path in discover_texts(texts_dir):
        if _slug_of(path) != slug or _same(path, source):
            continue
        if _same(path, target):
            if not replace:
                raise AddError(source, f"{shown(path)} already holds the text {slug!r}; "
                                       "add --replace to replace it")
            continue
        raise AddError(source, f"{shown(path)} already holds the text {slug!r}; "
                               "choose another name with --slug")
    return target.exists()


def _slug_of(path: Path) -> str:
    """A text's slug, as ingest will see it: its front matter's, else its file name's."""
    if path.suffix.lower() in (".md", ".txt"):
        with contextlib.suppress(OSError, CorpusError):
            front, _body, _line = split_front_matter(decode(path.read_bytes()[:65536]), path)
            value = front.data.get("slug")
            if value:
                return str(value)
    return slugify(path.stem)


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def shown(path: Path) -> str:
    """A path as the person who typed the command would write it: relative when it can be."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _write(target: Path, data: bytes, original: Path | None, source: Path) -> None:
    """The original first, then the text: the text never exists without its original.
    Hidden temporary names (ingest skips dot files) are renamed into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary: list[Path] = []
    try:
        if original is not None and not _same(original, source):
            original.parent.mkdir(exist_ok=True)
            kept = original.with_name(f".{original.name}.partial")
            temporary.append(kept)
            shutil.copyfile(source, kept)
            os.replace(kept, original)
        text = target.with_name(f".{target.name}.partial")
        temporary.append(text)
        text.write_bytes(data)
        os.replace(text, target)
    except OSError as exc:
        for path in temporary:
            path.unlink(missing_ok=True)
        raise AddError(target, f"cannot write ({exc.strerror})") from None
    if original is not None and source.parent.resolve() == target.parent.resolve() \
            and not _same(source, original):
        source.unlink(missing_ok=True)  # a file dropped in, now kept under originals/
