"""Files of each format, made in the test's temporary folder by the libraries themselves.

Nothing is downloaded: the EPUB is written by ebooklib, the web page is a string, and the PDF
is written by hand, object by object, because pypdf reads text but cannot draw it and
reportlab (which can) would be a heavy dependency for three short pages. A PDF's text is a
content stream of ``BT /F1 11 Tf x y Td (words) Tj ET`` operations in a standard font, which is
all a plain-text PDF is.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from ebooklib import epub

EPUB_CHAPTER_1 = (
    "<h1>The First Evening</h1>"
    "<p>The circle first met in March 1998 in the back room of the Harbour Street library, "
    "where a retired printer had pinned a notice offering tea and “a slow reading of the "
    "Betrayed for anyone who is curious.”<a epub:type=\"noteref\" href=\"#fn1\">1</a> Six "
    "people came that evening, and four of them were still coming a decade later.</p>"
    "<aside epub:type=\"footnote\" id=\"fn1\"><p>Ellen Marsh, A Notice on the Corkboard, "
    "Harbour Street Library, 1998, p. 3.</p></aside>"
    "<p>The reading began with the chapter on the Soviet Thermidor, which provoked the longest "
    "argument the minutes record, about whether Stalin had been inevitable.</p>")
EPUB_CHAPTER_2 = (
    "<h1>The Debate on the Trials</h1>"
    "<p>On 12 June 2007 the members held a public debate on the Moscow trials in the main hall. "
    "The secretary wrote that “the hall had never been so full, nor so loud, nor so sure of "
    "itself.”<sup><a href=\"notes.xhtml#n1\" id=\"r1\">1</a></sup> Around eighty people came.</p>")
EPUB_NOTES = ("<h1>Notes</h1><p id=\"n1\"><a href=\"chap_02.xhtml#r1\">1.</a> Tomasz Wilk, "
              "Minutes of the Circle, Back Room Press, 2009, p. 44.</p>")


def build_epub(path: Path, *, version: int = 3) -> Path:
    """Two chapters, a footnote in the first (EPUB 3 noteref/aside), an endnote in a notes file
    for the second, and Dublin Core metadata. ``version=2``: the same book as EPUB 2, with no
    nav document and no headings in its chapters, so chapter names come from the NCX."""
    book = epub.EpubBook()
    book.set_identifier("harbour-minutes")
    book.set_title("The Minutes of the Harbour Street Circle")
    book.set_language("en")
    book.add_author("Tomasz Wilk")
    book.add_metadata("DC", "date", "2009-06-12")
    book.add_metadata("DC", "publisher", "Back Room Press")
    chapters = []
    for number, (title, content) in enumerate(
            [("The First Evening", EPUB_CHAPTER_1), ("The Debate on the Trials", EPUB_CHAPTER_2),
             ("Notes", EPUB_NOTES)], 1):
        name = "notes.xhtml" if title == "Notes" else f"chap_{number:02d}.xhtml"
        item = epub.EpubHtml(title=title, file_name=name, lang="en")
        item.content = content if version == 3 else re.sub(r"<h1>.*?</h1>", "", content)
        book.add_item(item)
        chapters.append(item)
    book.toc = (epub.Link("chap_01.xhtml", "I. The First Evening", "c1"),
                epub.Link("chap_02.xhtml", "II. The Debate on the Trials", "c2"))
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["nav", *chapters]
    epub.write_epub(str(path), book)
    if version == 2:
        _as_epub2(path)
    return path


def _as_epub2(path: Path) -> None:
    """Rewrite the package as EPUB 2: version 2.0, no nav document (the NCX is the table of
    contents), footnotes as plain links (EPUB 2 has no epub:type)."""
    with zipfile.ZipFile(path) as archive:
        files = {info: archive.read(info) for info in archive.infolist()}
    with zipfile.ZipFile(path, "w") as archive:
        for info, data in files.items():
            if info.filename.endswith("nav.xhtml"):
                continue
            if info.filename.endswith(".opf"):
                text = data.decode()
                text = text.replace('version="3.0"', 'version="2.0"')
                text = re.sub(r'\s*<item [^>]*properties="nav"[^>]*/>', "", text)
                text = re.sub(r'\s*<itemref idref="nav"[^>]*/>', "", text)
                data = text.encode()
            elif info.filename.endswith(".xhtml"):
                data = re.sub(rb'\s*epub:type="[^"]*"', b"", data)
                data = data.replace(b"<aside", b"<div").replace(b"</aside>", b"</div>")
            archive.writestr(info, data)


HTML_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>The Kronstadt Question Revisited | Harbour Street Review</title>
<meta name="author" content="Ellen Marsh">
<meta property="og:title" content="The Kronstadt Question Revisited">
<meta property="og:site_name" content="Harbour Street Review">
<meta property="article:published_time" content="2021-03-18T09:00:00+00:00">
</head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/essays">Essays</a></li>
<li><a href="/about">About the circle</a></li><li><a href="/donate">Donate today</a></li></ul>
</nav></header>
<main><article>
<h1>The Kronstadt Question Revisited</h1>
<h2>The sailors' demands</h2>
<p>In March 1921 the sailors of the Baltic Fleet demanded free elections to the soviets,
freedom of speech for the socialist parties and an end to the grain requisitions that had
turned the peasantry against the regime.<sup><a href="#fn1" id="ref1">1</a></sup> Their
resolution was adopted by a mass meeting on the battleship Petropavlovsk.</p>
<p>The government answered with an ultimatum and then with an assault across the ice, led by
Tukhachevsky, that ended the revolt within ten days.<sup><a href="#fn2" id="ref2">2</a></sup></p>
<h2>What the reading circle made of it</h2>
<p>Ellen Marsh told the circle that “the sailors of 1921 were not the sailors of 1917, and
everyone in the room knew it,” and nobody in the room agreed with her.<sup><a href="#fn3"
id="ref3">3</a></sup></p>
<p>The argument lasted the whole evening, and the minutes record no agreement whatever on the
question of who had betrayed whom in the spring of that terrible year.</p>
<h2>Notes</h2>
<ol class="footnotes">
<li id="fn1">Paul Avrich, <em>Kronstadt 1921</em>, Princeton University Press, 1970, p. 73.
<a href="#ref1">↩</a></li>
<li id="fn2">Israel Getzler, <em>Kronstadt 1917–1921</em>, Cambridge University Press, 1983,
p. 240. <a href="#ref2">↩</a></li>
<li id="fn3">Tomasz Wilk, <em>Minutes of the Circle</em>, Back Room Press, 2009, p. 61.
<a href="#ref3">↩</a></li>
</ol>
</article>
<section id="comments"><h3>3 comments</h3>
<div class="comment"><p>Great piece, thanks! I always wondered about the sailors and whether
anybody would ever write the whole story up properly for us.</p></div>
<div class="comment"><p>Subscribe to our newsletter for more essays like this one, delivered
monthly to your inbox by the circle's volunteers.</p></div>
</section>
</main>
<footer><p>© 2021 Harbour Street Review. All rights reserved. Privacy policy. Contact us.</p>
</footer>
</body></html>
"""

#: Only chrome: a menu, a cookie banner and a footer.
HTML_NO_ARTICLE = """<!DOCTYPE html><html><head><title>Harbour Street Review</title></head>
<body><nav><a href="/">Home</a> <a href="/essays">Essays</a> <a href="/about">About</a></nav>
<div class="cookie-banner">We use cookies. <button>Accept</button></div>
<footer>© 2021 Harbour Street Review. Privacy policy.</footer></body></html>
"""


def write_html(path: Path, html: str = HTML_PAGE) -> Path:
    path.write_text(html, encoding="utf-8")
    return path


#: (x, y, font size, text) per page: a 18 pt chapter title, 11 pt body, a raised 7 pt note
#: mark and an 8 pt footnote at the page's foot, and a page number.
PDF_PAGES = [
    [(72, 720, 18, "Chapter One: The Caste in Power"),
     (72, 690, 11, "Trotsky argued that the Soviet bureaucracy had raised itself above the"),
     (72, 676, 11, "working class, and he wrote that “the bureaucracy is not a possessing class"),
     (72, 662, 11, "but a privileged caste.”"), (196, 666, 7, "1"),
     (72, 634, 11, "The reading circle spent a whole winter on that sentence, and its members"),
     (72, 620, 11, "never agreed on what a caste was."),
     (72, 80, 8, "1 Leon Trotsky, The Revolution Betrayed, Doubleday, 1937, p. 249."),
     (300, 50, 9, "1")],
    [(72, 720, 18, "Chapter Two: The Thermidor"),
     (72, 690, 11, "The second chapter of the minutes concerns the Soviet Thermidor and the"),
     (72, 676, 11, "long evening in 1927 when the circle read about the expulsion of the"),
     (72, 662, 11, "Opposition from the party."),
     (300, 50, 9, "2")],
]


def build_pdf(path: Path, pages: list[list[tuple[float, float, float, str]]] | None = None,
              info: dict[str, str] | None = None, image_only: bool = False) -> Path:
    """A small PDF with a text layer (``pages``), or one page that only paints an image."""
    if pages is None and not image_only:
        pages = PDF_PAGES
    if info is None:
        info = {"Title": "The Caste in Power", "Author": "Harbour Street Circle"}
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
               b"/Encoding /WinAnsiEncoding >>")
    image = add(b"<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray "
                b"/BitsPerComponent 8 /Length 1 >>\nstream\n\x80\nendstream")
    streams = []
    for runs in (pages or [[]]):
        operations = [f"BT /F1 {size} Tf {x} {y} Td ({_escape(text)}) Tj ET"
                      for x, y, size, text in runs]
        if image_only:
            operations = ["q 500 0 0 700 50 50 cm /Im1 Do Q"]
        stream = "\n".join(operations).encode("cp1252")
        streams.append(add(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)))
    pages_id = len(objects) + len(streams) + 1
    kids = [add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Resources "
                b"<< /Font << /F1 %d 0 R >> /XObject << /Im1 %d 0 R >> >> /Contents %d 0 R >>"
                % (pages_id, font, image, stream)) for stream in streams]
    assert add(b"<< /Type /Pages /Kids [%s] /Count %d >>"
               % (b" ".join(b"%d 0 R" % kid for kid in kids), len(kids))) == pages_id
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    info_id = add(b"<< " + b" ".join(b"/%s (%s)" % (key.encode(), _escape(value).encode("cp1252"))
                                      for key, value in info.items()) + b" >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += (b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objects) + 1, catalog, info_id, xref))
    path.write_bytes(bytes(out))
    return path


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
