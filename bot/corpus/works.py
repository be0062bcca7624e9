"""Bibliographic references: split one into author and title, and resolve short forms.

Essays cite in three styles: numbered endnotes ("8. John Reed, Ten Days that Shook the World,
New York: ..., p. 29." then "17. Reed, op. cit., p. 57."), Chicago-style bracketed notes
("[1] Leon Trotsky, History of the Russian Revolution, trans. ... (Chicago: ..., 2008), 739.")
and an MLA reference list ("Trotsky, Leon. The Revolution Betrayed. Mineola, NY: Dover ...").
"""

from __future__ import annotations

import re

from bot.corpus.model import Work

_PAGE = r"(?:[ivxlc]+|\d+)(?:\s*[-–]\s*(?:[ivxlc]+|\d+))?"
_PAGES = rf"{_PAGE}(?:\s*,\s*{_PAGE})*"
_PP_AT_END = re.compile(rf"[,\s]\s*(pp?\.?\s*{_PAGES})\s*\.?\s*$", re.IGNORECASE)
_CHICAGO_PAGE = re.compile(rf"\)\s*,\s*({_PAGES})\s*\.")
_SHORT_PAGE = re.compile(rf",\s*({_PAGES})\s*\.?\s*$")
# "Vol. II", "Vol II", "Vol, II" and the typo "Vio. III" all occur in the corpus.
_VOLUME = re.compile(r"\b(?:Vol|Vio|Volume)\b[.,]?\s*([IVX]+|\d+)\b", re.IGNORECASE)
_OP_CIT = re.compile(r",?\s*op\.?\s*cit\.?", re.IGNORECASE)
_IBID = re.compile(r"^\s*ibid\b\.?", re.IGNORECASE)
_LEADING_PHRASES = re.compile(
    r"^(?:(?P<quoted>quoted in:?)|see also:?|see:?|cf\.?)\s+", re.IGNORECASE
)
# "See the fascinating detail about this period of Trotsky's life in Oddvar Høidal, Trotsky in
# Norway: ...": a sentence of the writer's own before the reference, which starts at the name.
_SEE_IN = re.compile(r"^[Ss]ee\s+[^,;:()\[\]]{0,160}?\s+in\s+(?=[A-Z][\w’'.-]+\s+[A-Z])")
_TITLE_STOP = re.compile(r"\s(?:\(|trans\.|ed\.|eds\.)|,\s*(?:trans\.|ed\.)", re.IGNORECASE)
_DATE_SEGMENT = re.compile(r"^(?:[A-Z][a-z]+\.? )?\d{1,2}$|^\d{4}$")  # "June 9", "1936"
_QUOTED_TITLE = re.compile(r"^[“\"](.+?)[,.]?[”\"]")
_YEAR = re.compile(r"^(1[5-9]|20)\d\d\b")


def split_top_level(text: str, sep: str = ",") -> list[str]:
    """Split on commas that are not inside parentheses or quotation marks."""
    parts: list[str] = []
    current: list[str] = []
    depth, quoted = 0, False
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch in "“”":
            quoted = ch == "“"
        if ch == sep and depth == 0 and not quoted:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
    parts.append("".join(current).strip())
    return [p for p in parts if p]


def looks_like_name(segment: str) -> bool:
    """'John Reed', 'E.H. Carr', 'Sam Dolgoff et al.', 'Daniel and Gabriel Cohn-Bendit'."""
    words = segment.replace("et al.", "").split()
    if not 1 <= len(words) <= 5 or ":" in segment:
        return False
    return all(w[0].isupper() or w in ("and", "de", "van", "von") for w in words)


def surname(author: str | None) -> str | None:
    if not author:
        return None
    words = [w for w in author.replace("et al.", "").split() if w not in ("and",)]
    return words[-1].strip(".,").lower() if words else None


def extract_page(text: str) -> tuple[str, str | None]:
    """Split a trailing page reference off a note: ('... 1967', 'p. 29')."""
    text = text.rstrip(" ,")
    match = _PP_AT_END.search(text)
    if match:
        return text[: match.start()].rstrip(" ,."), match.group(1).strip()
    match = _CHICAGO_PAGE.search(text)
    if match:
        return text[: match.start() + 1], match.group(1).strip()
    return text.rstrip(" ."), None


def parse_full_reference(text: str) -> Work:
    """'John Reed, Ten Days that Shook the World, New York: ...' -> Work(author, title)."""
    full = text.strip().rstrip(".")
    parts = split_top_level(full)
    if len(parts) < 2 or not looks_like_name(parts[0].split(" to ")[0]):
        return Work(full=full)
    author = parts[0].split(" to ")[0].strip()  # "Leon Trotsky to Victor Serge, June 9, 1936"
    rest = parts[1:]
    while len(rest) > 1 and _DATE_SEGMENT.match(rest[0]):  # a letter's date
        rest = rest[1:]
    if rest[0].lower().startswith("in ") and len(rest[0]) > 3:  # "Joseph Hansen, in ..."
        rest = [rest[0][3:], *rest[1:]]
        if len(rest) > 1 and looks_like_name(rest[0]) and not rest[0].startswith("The ") \
                and not _TITLE_STOP.match(" " + rest[1]):  # "in Leon Trotsky, Stalin's Frame-Up"
            rest = rest[1:]
    quoted = _QUOTED_TITLE.match(rest[0])
    title = quoted.group(1) if quoted else _TITLE_STOP.split(rest[0])[0].strip()
    for extra in rest[1:]:
        if not quoted and _VOLUME.fullmatch(extra.strip()):
            title = f"{title}, {extra.strip()}"
        else:
            break
    if not title or _YEAR.match(title):
        return Work(full=full, author=author)
    return Work(full=full, author=author, title=title)


def parse_reference_entry(text: str) -> Work:
    """An MLA-style list entry: 'Trotsky, Leon. The Revolution Betrayed. Mineola, NY: ...'."""
    full = text.strip().rstrip(".")
    match = re.match(r"^(?P<last>[^,.“]+),\s(?P<first>[^“]+?)\.\s+(?P<rest>.+)$", full)
    if not match:
        return parse_full_reference(full)
    author = f"{match['first'].strip()} {match['last'].strip()}"
    rest = match["rest"].strip()
    quoted = re.match(r"^“(.+?)[”\"]", rest)
    title = quoted.group(1).rstrip(".,") if quoted else re.split(r"\.\s", rest, maxsplit=1)[0]
    return Work(full=full, author=author, title=title)


def acronym(title: str) -> str:
    """'The Revolution Betrayed' -> 'TRB', so '(TRB, 76)' finds its book."""
    words = re.findall(r"[A-Za-z][\w’']*", title.split(":")[0])
    return "".join(w[0] for w in words if w[0].isupper())


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def matches_hint(work: Work, author_surname: str | None, hint: str) -> bool:
    """Does an earlier work fit a short form such as 'Deutscher, Vol. II' or 'Trotsky Speaks'?"""
    if author_surname and surname(work.author) != author_surname:
        return False
    if not hint:
        return True
    title = work.title or work.full
    hint_volume = _VOLUME.search(hint)
    if hint_volume:
        work_volume = _VOLUME.search(title)
        if not work_volume or work_volume.group(1).upper() != hint_volume.group(1).upper():
            return False
    hint_words = _words(_VOLUME.sub("", hint))
    return hint_words <= _words(_VOLUME.sub("", title))


class NoteResolver:
    """Resolves notes in order, remembering earlier works for 'op. cit.' and 'Ibid.'."""

    def __init__(self) -> None:
        self.works: list[Work] = []
        self.previous: tuple[Work | None, str | None] = (None, None)

    def _find(self, author_surname: str | None, hint: str) -> Work | None:
        for work in reversed(self.works):
            if matches_hint(work, author_surname, hint):
                return work
        if author_surname is None and hint:  # "in Leon Trotsky Speaks, op. cit."
            for work in reversed(self.works):
                if matches_hint(work, None, hint):
                    return work
        return None

    def resolve(self, text: str) -> tuple[Work | None, str | None, bool]:
        """One note's text -> (work, page, quoted_in)."""
        body = text.strip()
        quoted_in = False
        lead = _SEE_IN.match(body) or _LEADING_PHRASES.match(body)
        if lead:
            quoted_in = bool(lead.groupdict().get("quoted"))
            body = body[lead.end():]
        primary = body.split(";")[0].strip()
        if _IBID.match(primary):
            rest = _IBID.sub("", primary).strip(" ,.")
            work, previous_page = self.previous
            page = extract_page(" " + rest)[1] if rest else previous_page
            self.previous = (work, page)
            return work, page, quoted_in
        head, page = extract_page(primary)
        if _OP_CIT.search(head):
            work = self._resolve_short(_OP_CIT.split(head)[0])
        else:
            work = self._resolve_full_or_short(head, page)
            if page is None and work is not None:
                head, page = self._chicago_short_page(primary)
        if work is not None and work not in self.works:
            self.works.append(work)
        self.previous = (work, page)
        return work, page, quoted_in

    def _resolve_short(self, key: str) -> Work | None:
        key = key.strip(" ,")
        if key.lower().startswith("in "):
            return self._find(None, key[3:])
        parts = split_top_level(key)
        if not parts:
            return None
        if " in " in parts[0]:  # "Sarah Lovell, in Leon Trotsky Speaks"
            return self._find(None, parts[0].split(" in ", 1)[1])
        if len(parts) > 1 and parts[1].lower().startswith("in "):
            return self._find(None, ", ".join(parts[1:])[3:])
        author_surname = surname(parts[0]) if looks_like_name(parts[0]) else None
        hint = ", ".join(parts[1:]) if author_surname else key
        found = self._find(author_surname, hint) or (hint and self._find(None, hint))
        if found:
            return found
        if hint:  # a work not cited in full before: keep what the short form says
            title = _VOLUME.sub("", hint).strip(" ,") or None
            return Work(full=key, author=parts[0] if author_surname else None, title=title)
        return None

    def _resolve_full_or_short(self, head: str, page: str | None) -> Work | None:
        parts = split_top_level(head)
        # Chicago short form: "Deutscher, The Prophet Outcast, 258-261" after a full note.
        if len(parts) in (2, 3) and looks_like_name(parts[0]) and len(parts[0].split()) == 1:
            earlier = self._find(surname(parts[0]), parts[1])
            if earlier is not None:
                return earlier
        work = parse_full_reference(head)
        return work

    @staticmethod
    def _chicago_short_page(text: str) -> tuple[str, str | None]:
        match = _SHORT_PAGE.search(text.strip())
        if match and not _YEAR.match(match.group(1)):
            return text[: match.start()], match.group(1)
        return text, None
