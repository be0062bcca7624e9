"""Discord's answers to a failed post, mapped to the scheduling rules' outcome kinds.

The rules (bot/answers/prompts/schedule.py and jobs.py) only know that a failure is
*permanent* (a moderator has to act: pause once the attempts are used up) or an *outage*
(retry within the grace period). Which Discord errors are which, and how to say them to a
moderator, is Discord knowledge, so it lives here.
"""

from __future__ import annotations

from bot.answers.prompts.schedule import PostFailure
from bot.discord_app import markup

#: Discord error codes that will not go away by themselves (a moderator has to act).
PERMANENT_CODES = {
    10003: "the channel no longer exists (Unknown Channel)",
    10004: "I am no longer in this server (Unknown Guild)",
    50001: "I can no longer see the channel (Missing Access)",
    50013: "I am no longer allowed to post there (Missing Permissions)",
    50024: "the channel cannot hold messages (Cannot execute action on this channel type)",
}
#: Discord's code for a channel that cannot hold messages; the scheduler reports a cached
#: channel it cannot send to (a category, a voice channel) the same way.
CANNOT_HOLD_MESSAGES = 50024


def is_permanent(status: int | None, code: int | None) -> bool:
    """Deleted channels and removed permissions: retried a few times, then the schedule pauses.

    Anything else (5xx, rate limits, a network error: status None) is an outage, retried
    within the grace period and otherwise noted as a missed day without pausing.
    """
    return code in PERMANENT_CODES or status in (403, 404)


def describe_failure(status: int | None, code: int | None, text: str = "") -> str:
    """A few words for moderators: what Discord said (``status`` None: no answer at all)."""
    if code in PERMANENT_CODES:
        return f"{PERMANENT_CODES[code]}, error {code}"
    if status is None:
        return f"Discord could not be reached ({text[:120] or 'network error'})"
    detail = f": {text[:120]}" if text else ""
    return f"Discord answered {status}{f' (error {code})' if code else ''}{detail}"


def post_failure(channel_id: int, status: int | None, code: int | None,
                 text: str = "") -> PostFailure:
    """A failed send to ``channel_id`` as the rules see it (``status`` None: no answer)."""
    return PostFailure(kind="permanent" if is_permanent(status, code) else "outage",
                       reason=describe_failure(status, code, text),
                       channel=markup.channel(channel_id))
