"""Read a text file from the corpus folder: encoding, front matter, then parse.

A group may drop in any ``.md`` or ``.txt``: with no front matter the title is the first line
and the slug comes from the file name. Errors name the file and line so a host can fix them.
"""

from __future__ import annotations

import re
from pathlib import Path

from bot.corpus.attribution import apply_attributions
from bot.corpus.dates import find_dates
from bot.corpus.errors import CorpusError
from bot.corpus.files import TEXT_SUFFIXES as TEXT_SUFFIXES  # re-exported: once defined here
from bot.corpus.files import content_hash
from bot.corpus.files import discover_texts as discover_texts
from bot.corpus.formats import is_converted, to_markdown
from bot.corpus.mentions import apply_mentions, paragraph_mentions
from bot.corpus.model import ParsedText, PartialDate, TextMeta
from bot.corpus.parse import parse_body
from bot.corpus.people import PeopleRegistry
from bot.yamlfile import YamlDocument, kind_of, parse_yaml

MAX_TEXT_BYTES = 20 * 1024 * 1024  # a whole book is ~1 MB; beyond this it is not a text


def decode(data: bytes, path: Path | str = "<text>") -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252: what editors save.

    Line endings are normalised to ``\\n``; control characters other than tab and newline are
    dropped, since they only ever come from a bad copy-paste.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                text = data.decode("latin-1")
    if "\x00" in text:
        raise CorpusError(path, "looks like a binary file, not text")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return re.sub(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text)


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*\n", re.DOTALL)


def split_front_matter(text: str, path: Path | str) -> tuple[YamlDocument, str, int]:
    """Return (front matter, body, line number where the body starts).

    The front matter's lines are counted from the file's top, under the opening ``---``, so
    an error in it names the line an editor shows."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return YamlDocument(path, {}, CorpusError), text, 1
    meta = parse_yaml(match.group(1), path, CorpusError, first_line=2, subject="front matter")
    if meta.data is None:
        meta = YamlDocument(path, {}, CorpusError)
    elif not isinstance(meta.data, dict):
        meta.fail((), f"front matter must be a mapping of keys to values, "
                      f"got {kind_of(meta.data)}")
    body_line = text.count("\n", 0, match.end()) + 1
    return meta, text[match.end():], body_line


def parse_published(meta: YamlDocument) -> PartialDate | None:
    """'2018-12', '2022-08-31', 2023 or a YAML date -> PartialDate; None when absent."""
    value = meta.data.get("published")
    if value is None or value == "":
        return None
    text = str(value).strip()
    match = re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", text)
    if not match:
        meta.fail(("published",), f"expected YYYY, YYYY-MM or YYYY-MM-DD, got {text!r}")
    year = int(match[1])  # the year group is not optional: every match has one
    month, day = (int(g) if g else None for g in match.groups()[1:])
    if (month is not None and not 1 <= month <= 12) or (day is not None and not 1 <= day <= 31):
        meta.fail(("published",), f"{text!r} is not a real date")
    return PartialDate(year, month, day)


def slugify(name: str) -> str:
    slug = re.sub(r"[^\w]+", "-", name.lower()).strip("-_")
    return slug[:80] or "text"


def _optional_str(meta: YamlDocument, key: str) -> str | None:
    value = meta.data.get(key)
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        meta.fail((key,), f"expected text, got {kind_of(value)}")
    return str(value).strip() or None


def build_meta(meta: YamlDocument, body: str, path: Path) -> tuple[TextMeta, str]:
    """Front matter -> TextMeta; without a title the body's first line is the title."""
    title = _optional_str(meta, "title")
    if title is None:
        lines = body.lstrip("\n").split("\n", 1)
        title = lines[0].lstrip("# ").strip() or path.stem
        body = lines[1] if len(lines) > 1 else ""
    slug = _optional_str(meta, "slug") or slugify(path.stem)
    if not re.fullmatch(r"[\w-]{1,80}", slug):
        meta.fail(("slug",), f"use letters, digits and dashes only, got {slug!r}")
    return (
        TextMeta(
            slug=slug,
            title=title[:300],
            author=_optional_str(meta, "author"),
            publication=_optional_str(meta, "publication"),
            published=parse_published(meta),
            kind=_optional_str(meta, "kind") or "text",
            subtitle=_optional_str(meta, "subtitle"),
        ),
        body,
    )


def load_text(path: Path, people: PeopleRegistry | None = None) -> ParsedText:
    """Read, decode and parse one text file; with a people registry, attribute its quotations."""
    converted = is_converted(path)
    # An EPUB, web page or PDF dropped in is read as its Markdown (to_markdown checks its size).
    text = to_markdown(path).document() if converted else None
    try:
        if not converted and path.stat().st_size > MAX_TEXT_BYTES:  # before reading it all
            raise CorpusError(path, f"too large ({path.stat().st_size // 1024} KB; "
                                    "the limit is 20 MB)")
        data = path.read_bytes()
    except OSError as exc:
        raise CorpusError(path, f"cannot read ({exc.strerror})") from None
    if text is None:
        if len(data) > MAX_TEXT_BYTES:
            raise CorpusError(path, f"too large ({len(data) // 1024} KB; the limit is 20 MB)")
        if not data.strip():
            raise CorpusError(path, "is empty (write the text in it, or remove the file)")
        text = decode(data, path)
    return parse_document(text, path, content_hash(data), people)


def parse_document(text: str, path: Path, digest: str,
                   people: PeopleRegistry | None = None) -> ParsedText:
    """A text's Markdown (front matter and body), parsed as the file ``path`` would be."""
    front, body, body_line = split_front_matter(text, path)
    meta, body = build_meta(front, body, path)
    if not body.strip():
        raise CorpusError(path, "has a title but no text")
    parsed = parse_body(meta, body, digest, first_line=body_line)
    if people is not None:
        named = paragraph_mentions(parsed, people)  # once, for both
        apply_attributions(parsed, people, named)
        apply_mentions(parsed, people, named)
    parsed.dates = find_dates(parsed, people)
    return parsed
