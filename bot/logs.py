"""The process's logging: one handler on stderr, and no secret in any line it writes.

discord.py logs, at DEBUG, every REST call with its URL (an interaction's callback and
followup URLs carry the interaction's token: ``/interactions/{id}/{token}/callback``,
``/webhooks/{application}/{token}``) and every gateway event with its payload (an
INTERACTION_CREATE holds ``"token": ...``). Anyone holding such a token can answer or edit
messages as the bot for 15 minutes, and logs travel (journals, pastes in bug reports). So
the handler, not each logger, carries a filter that redacts tokens: a filter on a logger
would not see the records its children propagate, while every record reaches a handler.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable
from typing import TextIO

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
REDACTED = "[redacted]"

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # Interaction callback and webhook (followup) URLs: the segment after the id.
    (re.compile(r"(/(?:interactions|webhooks)/\d+/)[^/\s?#'\"]+"), rf"\g<1>{REDACTED}"),
    # "token": "...", 'token': '...' (a payload as JSON or a dict's repr), token=...
    (re.compile(r"""((?:\b|_)token['"]?\s*[:=]\s*['"]?)[^'"\s,}&]+""", re.IGNORECASE),
     rf"\g<1>{REDACTED}"),
    # An Authorization header's value.
    (re.compile(r"\b(Bot|Bearer) [\w.\-]{20,}"), rf"\g<1> {REDACTED}"),
    # Anything shaped like a bot token (three base64url parts), wherever it appears.
    (re.compile(r"\b[\w\-]{24,}\.[\w\-]{6}\.[\w\-]{27,}"), REDACTED),
)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with interaction and webhook tokens, bot tokens and ``secrets`` replaced."""
    for secret in secrets:
        text = text.replace(secret, REDACTED)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactTokens(logging.Filter):
    """Rewrites each record so that no handler after it can write a token.

    The message is formatted here (``msg % args``) and replaced by its redacted text; the
    traceback and stack, which can hold URLs too, likewise. The record is shared by every
    handler, so one filter covers them all once it has run.
    """

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        # Longest first, so a secret that contains another is replaced whole.
        self.secrets = sorted({s for s in secrets if len(s) >= 8}, key=len, reverse=True)
        self._formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message, self.secrets)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self.secrets)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, self.secrets)
        return True


def configure(level: str | int, *, secrets: Iterable[str] = (),
              stream: TextIO | None = None) -> logging.Handler | None:
    """Log ``level`` and above to stderr (or ``stream``) through the token filter.

    Like ``logging.basicConfig``, a process whose logging is already set up (a program that
    embeds the CLI, or pytest calling ``main()``) keeps its handlers and level; they only get
    the filter. A ``stream`` always gets a handler of its own (tests), which is returned so
    it can be removed again.
    """
    root = logging.getLogger()
    if stream is None and root.handlers:
        for existing in root.handlers:
            if not any(isinstance(f, RedactTokens) for f in existing.filters):
                existing.addFilter(RedactTokens(secrets))
        return None
    handler = logging.StreamHandler(stream if stream is not None else sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(RedactTokens(secrets))
    root.addHandler(handler)
    root.setLevel(level)
    return handler
