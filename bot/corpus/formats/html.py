"""A web page saved from a browser: the article through trafilatura, page chrome dropped.

trafilatura (rather than readability-lxml) because it is the better kept of the two and reads
what we need besides the article: the title, author, date and site name from the page's meta
tags, JSON-LD and bylines; and it drops comments as well as navigation, footers and sidebars.

Footnotes are taken out of the page before trafilatura sees it (see markup.py): its
extractor drops a list of notes as boilerplate, and would keep the marks as bare digits.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from bot.corpus.formats import Extracted, FormatError, iso_date
from bot.corpus.formats.markup import (
    Block,
    Document,
    blocks,
    clean,
    take_notes,
)
from bot.corpus.formats.markup import to_markdown as blocks_to_markdown

#: Fewer characters of article than this is a page of links, a login wall or an error page.
MIN_ARTICLE_CHARS = 200


def to_markdown(path: Path) -> Extracted:
    import lxml.html
    import trafilatura
    from lxml import etree

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FormatError(path, f"cannot read ({exc.strerror})") from None
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FormatError(path, "is a binary file, not a web page")
    try:
        tree = lxml.html.document_fromstring(data)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise FormatError(path, f"is not a readable web page ({exc})") from None
    notes = take_notes([Document(path.name, tree)])
    page = lxml.html.tostring(tree, encoding="unicode")
    logging.getLogger("trafilatura").setLevel(logging.ERROR)  # its warnings are ours to say
    try:
        article = trafilatura.extract(page, output_format="html", include_comments=False,
                                      include_tables=True, include_images=False,
                                      include_links=False, include_formatting=False,
                                      deduplicate=False)
        meta = trafilatura.extract_metadata(page, date_config={"extensive_search": False,
                                                              "original_date": True})
    except Exception as exc:  # trafilatura on a page it cannot make sense of
        raise FormatError(path, f"is not a web page I can read ({type(exc).__name__})") from None
    found = _article_blocks(article)
    if sum(len(b.text) for b in found if b.kind != "heading") < MIN_ARTICLE_CHARS:
        raise FormatError(path, "has no article I could find: only menus, links or page "
                                "furniture (is it the page itself, saved as HTML?)")
    title = clean(meta.title) if meta and meta.title else None
    if found and found[0].kind == "heading" and title and found[0].text == title:
        found = found[1:]  # the page's own title, which the front matter gives
    text = blocks_to_markdown(found)
    if notes.texts:
        text = f"{text}\n\n{notes.markdown()}"
    return Extracted(
        body=text,
        title=title,
        author=_author(meta),
        published=iso_date(meta.date) if meta else None,
        publication=clean(meta.sitename) if meta and meta.sitename else None,
        kind="article",
    )


def _article_blocks(article: str | None) -> list[Block]:
    if not article:
        return []
    import lxml.html

    return blocks(lxml.html.fromstring(article))


def _author(meta: Any) -> str | None:
    if not meta or not meta.author:
        return None
    names = [clean(name) for name in str(meta.author).split(";")]
    return " and ".join(name for name in names if name) or None
